import CORSSimulator

/// Fixes for people: each response the fix changes, with the exact header lines it gains and loses and the
/// layer that makes the change; then the request's changes.
public enum FixText {
  /// The fixes, numbered from 1. `server` is the server as it is now: the lines a change replaces are shown
  /// with a `-`, the lines it sends with a `+`.
  public static func render(_ fixes: [Fix], server: Server, style: TextStyle) -> String {
    fixes.enumerated().map { render($0.element, number: $0.offset + 1, server: server, style: style) }.joined()
  }

  /// One fix.
  public static func render(_ fix: Fix, number: Int, server: Server, style: TextStyle) -> String {
    var kind = fix.side == .server ? "server" : "page"
    if fix.widensAccess { kind += ", wider" }
    if fix.notCORS { kind += ", not CORS" }
    let verified = fix.verifiedIn.isEmpty
      ? (fix.edits.isEmpty ? "advice" : "not checked")
      : "checked in " + fix.verifiedIn.map(\.rawValue).joined(separator: ", ")
    var out = style.bold("\(number). ") + style.dim("[\(kind); \(verified)] ") + style.cyan(fix.summary) + "\n"
    for e in fix.clientEdits {
      out += "   " + style.bold("request \(e.step + 1)") + ": " + request(e.change) + "\n"
    }
    for (response, layer, changes) in fix.serverEditsByResponse {
      let now = (try? URLRecord(response.url)).map { server.respond(method: Method(response.method), url: $0) }
      let added = changes.contains { if case .addResponse = $0 { return true } else { return false } }
      out += "   " + style.bold("\(response.method) \(response.url)") + (response.method == "OPTIONS" ? " (preflight)" : "")
        + style.dim(added ? "  — nothing answers it now: a new response, in \(layer)" : "  — in \(layer)") + "\n"
      for change in changes {
        switch change {
        case .addResponse(let s): out += "     " + style.green("status \(s)") + "\n"
        case .status(let s):
          out += "     " + style.red("- status \(now.map { String($0.status) } ?? "?")") + "\n"
          out += "     " + style.green("+ status \(s)") + "\n"
        case .setHeader(let name, let value):
          out += removed(name, now, style)
          out += "     " + style.green("+ \(name): \(value)") + "\n"
        case .removeHeader(let name):
          out += removed(name, now, style)
        }
      }
    }
    return out
  }

  /// The lines of a header the response carries now, as removed lines with who set them.
  static func removed(_ name: String, _ now: ServerResponse?, _ style: TextStyle) -> String {
    guard let now else { return "" }
    return now.headers.fields(named: HeaderName(name)).map {
      "     " + style.red("- \($0.name): \($0.value)") + style.dim("  [\($0.setBy ?? Layer.application)]") + "\n"
    }.joined()
  }

  /// A change to the request, as an option of the scenario language.
  public static func request(_ change: Fix.ClientChange) -> String {
    switch change {
    case .credentials(let v): return "credentials=\(v)"
    case .mode(let v): return "mode=\(v)"
    case .redirect(let v): return "redirect=\(v)"
    case .crossOrigin(let v): return "crossorigin=\(v)"
    case .url(let v): return "the URL \(v)"
    case .scheme(let v): return "the URL's scheme \(v):"
    case .removeHeader(let n): return "without the header \(n)"
    }
  }
}
