import CORSScenario
import CORSSimulator
import CORSText

/// `N`: a request number (default the last), completed from the session's requests.
enum RequestNumberCompletion {
  static func complete(_ c: CompletionContext) -> [String] {
    c.preceding.count == 1 ? c.matching((0..<c.session.builder.stepCount).map { String($0 + 1) }) : []
  }
}

/// A command about one request: the verdict is there, or the reason it is not.
enum OneRequest {
  static func verdict(_ invocation: Invocation, _ session: Session) -> Result<(Int, Verdict), SessionProblem> {
    guard session.builder.page != nil else { return .failure(SessionProblem("no page yet: set one with `page https://…`")) }
    return session.stepIndex(invocation.argument).map { ($0, session.tracedVerdict(step: $0, engine: session.engine)) }
  }

  static func run(_ invocation: Invocation, _ session: Session, _ body: (Int, Verdict) -> String) -> SessionOutput {
    switch verdict(invocation, session) {
    case .failure(let problem): return session.failure(problem.message)
    case .success(let (i, v)): return .text(body(i, v))
    }
  }
}

enum RunCommand: SessionCommand {
  static let names = ["run"]
  static let synopsis = "run [N]"
  static let help = "The verdict of request N again, or of every request."
  static let section = CommandSection.inspect
  static func complete(_ c: CompletionContext) -> [String] { RequestNumberCompletion.complete(c) }
  static func run(_ invocation: Invocation, in session: Session) -> SessionOutput? {
    guard session.builder.page != nil else { return session.failure("no page yet: `page https://app.example`") }
    guard session.builder.stepCount > 0 else { return session.failure("no request yet: `fetch https://api.example/data`") }
    if invocation.argument.isEmpty {
      // Every request's verdict, with its trace (let go once reported), and fixes in one pass (each worked out from
      // the state it ran in).
      let all = ScenarioRunner.runWithFixes(session.document.scenario, profile: .forEngine(session.engine))
      return .text(all.indices.map { session.verdictText(step: $0, all[$0].verdict, fixes: all[$0].fixes) }.joined())
    }
    return OneRequest.run(invocation, session) { i, v in session.verdictText(step: i, v) }
  }
}

enum TraceCommand: SessionCommand {
  static let names = ["trace"]
  static let synopsis = "trace [N]"
  static let help = "Every step of the algorithm for request N (default: the last), each with its rule."
  static let section = CommandSection.inspect
  static func complete(_ c: CompletionContext) -> [String] { RequestNumberCompletion.complete(c) }
  static func run(_ invocation: Invocation, in session: Session) -> SessionOutput? {
    OneRequest.run(invocation, session) { _, v in VerdictText.renderTrace(v, style: session.style) + "\n" }
  }
}

enum WireCommand: SessionCommand {
  static let names = ["wire"]
  static let synopsis = "wire [N]"
  static let help = """
    Every exchange of request N (default: the last), with the response's header lines and who set each.
      Each request with its header lines, then the response with its header lines, each tagged with the layer
      that set it ([app], [nginx], [cdn]…): duplicate Access-Control-Allow-Origin lines show up here.
    """
  static let section = CommandSection.inspect
  static func complete(_ c: CompletionContext) -> [String] { RequestNumberCompletion.complete(c) }
  static func run(_ invocation: Invocation, in session: Session) -> SessionOutput? {
    OneRequest.run(invocation, session) { _, v in render(v, server: session.builder.server, style: session.style) }
  }

  /// Every exchange: the request's lines, then the status and the response's lines with who set each.
  static func render(_ v: Verdict, server: Server, style: TextStyle) -> String {
    if v.requests.isEmpty { return "nothing went on the wire\n" }
    var out = ""
    for r in v.requests {
      out += style.bold("\(r.method) \(r.url.href)") + (r.isPreflight ? style.dim("  (preflight)") : "") + "\n"
      for h in r.headers { out += "  \(h.name): \(h.value)\n" }
      out += "  " + style.dim(r.includesCredentials ? "(cookies and HTTP auth attached)" : "(no credentials)") + "\n"
      guard let status = r.responseStatus else {
        out += style.dim("← ") + "no answer (the connection failed)\n"
        continue
      }
      out += style.dim("← ") + "\(status)\n"
      for field in response(to: r, server: server) {
        out += "  \(field.name.rawName): \(field.value)" + style.dim("  [\(field.setBy ?? Layer.application)]") + "\n"
      }
    }
    return out
  }

  /// The response's header lines as the server (routes, then layers) gave them.
  static func response(to r: WireRequest, server: Server) -> [HeaderField] {
    let request = ServerRequest(method: r.method, url: r.url, headers: r.headers, isPreflight: r.isPreflight,
                                includesCredentials: r.includesCredentials)
    return Array(server.respond(request).headers)
  }
}

enum NotesCommand: SessionCommand {
  static let names = ["notes"]
  static let synopsis = "notes [N]"
  static let help = "The changes along the way for request N: headers dropped, cache hits, origin tainted…"
  static let section = CommandSection.inspect
  static func complete(_ c: CompletionContext) -> [String] { RequestNumberCompletion.complete(c) }
  static func run(_ invocation: Invocation, in session: Session) -> SessionOutput? {
    OneRequest.run(invocation, session) { _, v in
      let notes = v.trace.filter { if case .note = $0.event { return true } else { return false } }
      return notes.isEmpty ? "no notes\n" : notes.map { "\($0.event.code): \($0.text)" }.joined(separator: "\n") + "\n"
    }
  }
}

enum CompareCommand: SessionCommand {
  static let names = ["compare"]
  static let synopsis = "compare [N]"
  static let help = "Request N (default: the last) in every profile side by side; differences are highlighted."
  static let section = CommandSection.inspect
  static func complete(_ c: CompletionContext) -> [String] { RequestNumberCompletion.complete(c) }
  static func run(_ invocation: Invocation, in session: Session) -> SessionOutput? {
    OneRequest.run(invocation, session) { i, _ in table(step: i, session) }
  }

  static func table(step: Int, _ session: Session) -> String {
    let style = session.style
    let rows = Engine.allWithSpec.map { ($0, session.verdicts($0)[step]) }
    func cells(_ v: Verdict) -> [String] {
      [VerdictText.headline(v), v.responseType.map { "\($0.rawValue) \(v.status ?? 0)" } ?? "—",
       v.reason.map { "\(v.stage?.rawValue ?? ""): \($0.rawValue)" } ?? "—",
       v.requests.map(\.method.rawValue).joined(separator: "+").ifEmpty("nothing")]
    }
    let header = ["browser", "verdict", "response", "reason", "sent"]
    let table = rows.map { [$0.0.rawValue] + cells($0.1) }
    let widths = (0..<header.count).map { c in ([header[c]] + table.map { $0[c] }).map(\.count).max()! }
    // The last column is not padded: no line ends in spaces.
    func pad(_ s: String, _ c: Int) -> String {
      c == header.count - 1 ? s : s + String(repeating: " ", count: max(0, widths[c] - s.count))
    }
    var out = style.bold(header.indices.map { pad(header[$0], $0) }.joined(separator: "  ")) + "\n"
    let first = table[0]
    for row in table {
      out += row.enumerated().map { (c, cell) in
        let padded = pad(cell, c)
        return c > 0 && cell != first[c] ? style.yellow(padded) : padded
      }.joined(separator: "  ") + "\n"
    }
    let differing = rows.filter { cells($0.1) != cells(rows[0].1) }.map(\.0.rawValue)
    let all = rows.count == 4 ? "all four agree" : "all agree"
    out += differing.isEmpty ? style.dim(all) + "\n" : style.dim("differs from \(rows[0].0.rawValue == "spec" ? "the standard" : rows[0].0.rawValue): \(differing.joined(separator: ", "))") + "\n"
    // Where the engines' own fixes differ, the one that works in all three.
    if rows.contains(where: { $0.1.failure != nil }), let joint = FixCommand.differingEngines(step: step, session) {
      out += style.dim("fix for every engine ") + style.cyan(joint.summary) + style.dim("  (`fix --all-engines`)") + "\n"
    }
    return out
  }
}

enum DiagramCommand: SessionCommand {
  static let names = ["diagram"]
  static let synopsis = "diagram [N] [mermaid]"
  static let help = """
    Request N (default: the last) as a sequence diagram; `mermaid` for a Mermaid one.
      The page, each server, the preflight, the request, each redirect hop, and where it failed and why.
      `diagram N mermaid` prints it as a Mermaid diagram (what `corsim run --format mermaid` writes), which issue
      trackers and docs render.
    """
  static let section = CommandSection.inspect
  static func complete(_ c: CompletionContext) -> [String] {
    c.matching((0..<c.session.builder.stepCount).map { String($0 + 1) } + ["mermaid"])
  }
  static func run(_ invocation: Invocation, in session: Session) -> SessionOutput? {
    var words = invocation.words.map(String.init)
    let mermaid = words.last == "mermaid"
    if mermaid { words.removeLast() }
    guard words.count <= 1 else { return session.failure("usage: \(synopsis)") }
    let argument = Invocation(name: invocation.name, argument: words.first ?? "")
    return OneRequest.run(argument, session) { i, v in
      let d = SequenceDiagram(v, request: session.builder.step(i).request, server: session.builder.server)
      return mermaid ? d.mermaid() : d.text(style: session.style)
    }
  }
}
