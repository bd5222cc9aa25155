import CORSJSON
import CORSSimulator

/// `corsim oracle --explain`'s `fixes` member: a failing step's fixes (`Fix`), in the shape `Fix`'s `Codable`
/// conformance has (a test keeps the two the same). Written here, once, beside the rest of the output.
extension OracleOutput {
  /// The `fixes` array of one step (empty for a step that succeeds).
  public static func fixes(_ fixes: [Fix]) -> JSONValue {
    .array(fixes.map { fix in
      var m: [(String, JSONValue)] = [("side", .string(fix.side.rawValue))]
      if let layer = fix.layer { m.append(("layer", .string(layer))) }
      m.append(("summary", .string(fix.summary)))
      m.append(("edits", .array(fix.edits.map(edit))))
      m.append(("notCORS", .bool(fix.notCORS)))
      m.append(("widensAccess", .bool(fix.widensAccess)))
      m.append(("verifiedIn", .array(fix.verifiedIn.map { .string($0.rawValue) })))
      return .object(m)
    })
  }

  static func edit(_ edit: Fix.Edit) -> JSONValue {
    switch edit {
    case .server(let e):
      let change: (String, JSONValue)
      switch e.change {
      case .status(let s): change = ("status", .number(Double(s)))
      case .setHeader(let name, let value): change = ("setHeader", .array([.string(name), .string(value)]))
      case .removeHeader(let name): change = ("removeHeader", .string(name))
      case .addResponse(let s): change = ("addResponse", .object([("status", .number(Double(s)))]))
      }
      return .object([
        ("response", .object([("method", .string(e.response.method)), ("url", .string(e.response.url))])),
        ("layer", .string(e.layer)), change,
      ])
    case .client(let e):
      let change: (String, JSONValue)
      switch e.change {
      case .removeHeader(let name): return .object([("step", .number(Double(e.step))), ("removeHeader", .string(name))])
      case .credentials(let v): change = ("credentials", .string(v))
      case .mode(let v): change = ("mode", .string(v))
      case .redirect(let v): change = ("redirect", .string(v))
      case .crossOrigin(let v): change = ("crossorigin", .string(v))
      case .url(let v): change = ("url", .string(v))
      case .scheme(let v): change = ("scheme", .string(v))
      }
      return .object([("step", .number(Double(e.step))), ("set", .object([change]))])
    }
  }
}
