import CORSJSON
import CORSSimulator

/// `corsim oracle --explain`'s `fixes` member: a failing step's fixes (`Fix`), in the shape `Fix`'s `Codable`
/// conformance has (a test keeps the two the same). Written here, once, beside the rest of the output.
extension OracleOutput {
  /// The `fixes` array of one step (empty for a step that succeeds), as a `JSONValue`.
  public static func fixes(_ fixes: [Fix]) -> JSONValue {
    var w = JSONWriter()
    Self.fixes(fixes, into: &w)
    return parsed(w.output)
  }

  /// Writes the `fixes` array of one step.
  static func fixes(_ fixes: [Fix], into w: inout JSONWriter) {
    w.writeRaw("[")
    for (k, fix) in fixes.enumerated() {
      w.writeRaw(k > 0 ? #", {"side": "# : #"{"side": "#)
      w.writeString(fix.side.rawValue)
      if let layer = fix.layer {
        w.writeRaw(#", "layer": "#)
        w.writeString(layer)
      }
      w.writeRaw(#", "summary": "#)
      w.writeString(fix.summary)
      w.writeRaw(#", "edits": ["#)
      for (e, item) in fix.edits.enumerated() {
        if e > 0 { w.writeRaw(", ") }
        edit(item, into: &w)
      }
      w.writeRaw(#"], "notCORS": "#)
      w.writeBool(fix.notCORS)
      w.writeRaw(#", "widensAccess": "#)
      w.writeBool(fix.widensAccess)
      w.writeRaw(#", "verifiedIn": "#)
      w.writeStrings(fix.verifiedIn.lazy.map(\.rawValue))
      w.writeRaw("}")
    }
    w.writeRaw("]")
  }

  static func edit(_ edit: Fix.Edit, into w: inout JSONWriter) {
    switch edit {
    case .server(let e):
      w.writeRaw(#"{"response": {"method": "#)
      w.writeString(e.response.method)
      w.writeRaw(#", "url": "#)
      w.writeString(e.response.url)
      w.writeRaw(#"}, "layer": "#)
      w.writeString(e.layer)
      switch e.change {
      case .status(let s):
        w.writeRaw(#", "status": "#)
        w.writeNumber(Double(s))
      case .setHeader(let name, let value):
        w.writeRaw(#", "setHeader": "#)
        w.writeStrings([name, value])
      case .removeHeader(let name):
        w.writeRaw(#", "removeHeader": "#)
        w.writeString(name)
      case .addResponse(let s):
        w.writeRaw(#", "addResponse": {"status": "#)
        w.writeNumber(Double(s))
        w.writeRaw("}")
      }
      w.writeRaw("}")
    case .client(let e):
      w.writeRaw(#"{"step": "#)
      w.writeNumber(Double(e.step))
      if case .removeHeader(let name) = e.change {
        w.writeRaw(#", "removeHeader": "#)
        w.writeString(name)
        w.writeRaw("}")
        return
      }
      let key: StaticString, value: String
      switch e.change {
      case .removeHeader: return  // written above
      case .credentials(let v): (key, value) = (#", "set": {"credentials": "#, v)
      case .mode(let v): (key, value) = (#", "set": {"mode": "#, v)
      case .redirect(let v): (key, value) = (#", "set": {"redirect": "#, v)
      case .crossOrigin(let v): (key, value) = (#", "set": {"crossorigin": "#, v)
      case .url(let v): (key, value) = (#", "set": {"url": "#, v)
      case .scheme(let v): (key, value) = (#", "set": {"scheme": "#, v)
      }
      w.writeRaw(key)
      w.writeString(value)
      w.writeRaw("}}")
    }
  }
}
