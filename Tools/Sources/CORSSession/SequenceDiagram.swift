import CORSScenario
import CORSSimulator
import CORSText

/// One request's exchange as a sequence diagram: the page, each server it reached, every request on the wire
/// (preflight, the request, each redirect hop) with the response's CORS header lines and the layer that set
/// each, and where it failed and why. As text for the terminal (`diagram`), or as a Mermaid `sequenceDiagram`
/// (`diagram N mermaid`, `corsim run --format mermaid`).
public struct SequenceDiagram {
  /// One arrow pair: a request and what came back.
  struct Exchange {
    var server: Int
    var request: String
    var response: [String]
  }

  let page: String
  let servers: [String]
  let exchanges: [Exchange]
  let outcome: String

  /// The diagram of a verdict; the server gives the response header lines.
  public init(_ v: Verdict, request: ScriptRequest, server: Server) {
    page = "page " + v.pageOrigin
    var servers: [String] = []
    var exchanges: [Exchange] = []
    for r in v.requests {
      let origin = r.url.origin.serialization
      if !servers.contains(origin) { servers.append(origin) }
      var label = "\(r.method) \(r.url.pathString)\(r.url.query.map { "?" + $0 } ?? "")"
      if r.isPreflight { label += " (preflight)" }
      if let origin = r.value(of: "Origin") { label += " Origin: \(origin)" }
      var response: [String] = []
      if let status = r.responseStatus {
        response.append("\(status)")
        for field in WireCommand.response(to: r, server: server) where Self.shown(field.name) {
          response.append("\(field.name.rawName): \(field.value) [\(field.setBy ?? Layer.application)]")
        }
      } else {
        response.append("no answer")
      }
      exchanges.append(Exchange(server: servers.firstIndex(of: origin)!, request: label, response: response))
    }
    self.servers = servers
    self.exchanges = exchanges
    var outcome = (v.outcome == .readable ? "✓ " : v.outcome == .opaque ? "◐ " : "✗ ") + Session.short(v)
    if let message = v.consoleMessage { outcome += " — " + message }
    self.outcome = outcome
  }

  /// The header lines a diagram shows: the ones CORS reads, and where a redirect goes.
  static func shown(_ name: HeaderName) -> Bool {
    let n = name.canonicalName
    return n.hasPrefix("access-control-") || n == "vary" || n == "location" || n == "cross-origin-resource-policy"
  }

  /// Lanes drawn with `|`, arrows with `-`, for a terminal.
  public func text(style: TextStyle) -> String {
    let names = [page] + servers
    let widest = (exchanges.flatMap { [$0.request] + $0.response }.map(\.count).max() ?? 0) + 6
    var columns = [0]
    for i in 1..<max(names.count, 1) { columns.append(columns[i - 1] + max(widest, names[i - 1].count + 2)) }
    let width = (columns.last ?? 0) + 1
    func blank() -> [Character] {
      var line = [Character](repeating: " ", count: width)
      for c in columns { line[c] = "|" }
      return line
    }
    func arrow(_ label: String, to lane: Int, back: Bool) -> String {
      var line = blank()
      let end = columns[lane]
      for k in 1..<end { line[k] = "-" }
      if back { line[1] = "<" } else { line[end - 1] = ">" }
      for (k, ch) in label.enumerated() where 3 + k < end - 2 { line[3 + k] = ch }
      if 3 < end - 2 { line[2] = " " }
      if 3 + label.count < end - 2 { line[3 + label.count] = " " }
      return String(line).trimmingTrailingSpaces()
    }
    var out = ""
    var head = [Character](repeating: " ", count: width + (names.last?.count ?? 0))
    for (i, name) in names.enumerated() { for (k, ch) in name.enumerated() where columns[i] + k < head.count { head[columns[i] + k] = ch } }
    out += style.bold(String(head).trimmingTrailingSpaces()) + "\n"
    if exchanges.isEmpty { out += "  (nothing went on the wire)\n" }
    for e in exchanges {
      out += arrow(e.request, to: e.server + 1, back: false) + "\n"
      out += arrow(e.response[0], to: e.server + 1, back: true) + "\n"
      for line in e.response.dropFirst() {
        var l = blank()
        for (k, ch) in line.enumerated() where 3 + k < width { l[3 + k] = ch }
        out += String(l).trimmingTrailingSpaces() + "\n"
      }
    }
    return out + outcome + "\n"
  }

  /// A Mermaid `sequenceDiagram`.
  public func mermaid() -> String {
    func clean(_ s: String) -> String {
      // `#` starts an entity and `;` ends a statement in Mermaid's syntax.
      s.replacingOccurrences(of: "#", with: "#35;").replacingOccurrences(of: ";", with: "#59;")
    }
    var out = "sequenceDiagram\n  participant P as \(clean(page))\n"
    for (i, s) in servers.enumerated() { out += "  participant S\(i + 1) as \(clean(s))\n" }
    for e in exchanges {
      out += "  P->>S\(e.server + 1): \(clean(e.request))\n"
      out += "  S\(e.server + 1)-->>P: \(clean(e.response.joined(separator: "<br/>")))\n"
    }
    out += "  Note over P: \(clean(outcome))\n"
    return out
  }
}

extension String {
  func trimmingTrailingSpaces() -> String {
    var s = Substring(self)
    while s.last == " " { s = s.dropLast() }
    return String(s)
  }
}
