import CORSImport
import CORSJSON
import CORSOracle
import CORSScenario
import CORSSimulator
import CORSText
import Foundation

/// What evaluating one line produced.
public enum SessionOutput: Sendable, Equatable {
  /// Text to show (possibly empty).
  case text(String)
  /// The user asked to leave.
  case quit
}

/// An interactive session: the scenario language plus the REPL's own commands (`help`, `trace`, `wire`,
/// `compare`, `what-if`, `load`, `save`, `undo`…). It is pure — lines in, text out — so the terminal front
/// end, pipes and tests all drive the same code. A line that is rejected changes nothing.
public final class Session {
  /// The scenario being composed.
  public private(set) var builder: ScenarioBuilder {
    // Unknown words are also checked against the session's commands for "did you mean".
    didSet { builder.otherCommands = Session.commands }
  }
  /// Colours or plain text.
  public var style: TextStyle
  /// Whether verdicts are printed as oracle JSON lines.
  public var json = false
  /// The profile used when the scenario names none (`browser` command).
  public let defaultEngine: Engine
  /// Directory that relative `load` and `save` paths start from.
  public var workingDirectory: String

  private var lineNumber = 0
  private var undoStack: [ScenarioDocument] = []
  private var lastShown: Verdict? = nil
  /// A curl command or fetch call being pasted over several lines.
  private var paste: (kind: PasteKind, text: String)? = nil

  private enum PasteKind { case curl, fetchCall }

  /// The session's own commands (the scenario language's are in `ScenarioBuilder.commands`).
  public static let commands = [
    "help", "show", "run", "trace", "wire", "compare", "what-if", "undo", "clear", "load", "save", "json", "quit", "exit",
    "notes", "import",
  ]

  /// Creates an empty session.
  public init(style: TextStyle = .plain, defaultEngine: Engine = .chromium,
              workingDirectory: String = FileManager.default.currentDirectoryPath) {
    self.builder = ScenarioBuilder(file: nil)
    self.builder.otherCommands = Session.commands
    self.style = style
    self.defaultEngine = defaultEngine
    self.workingDirectory = workingDirectory
  }

  /// The document so far.
  public var document: ScenarioDocument { builder.document }

  /// The profile verdicts are shown for.
  public var engine: Engine { document.browser ?? defaultEngine }

  /// `corsim> ` at the top level, `   ...> ` inside a block.
  public var prompt: String { builder.isInBlock || paste != nil ? "   ...> " : "corsim> " }

  /// True while a block (or a multi-line paste) is open.
  public var isInBlock: Bool { builder.isInBlock || paste != nil }

  /// Evaluates one line.
  public func evaluate(_ line: String) -> SessionOutput {
    lineNumber += 1
    let trimmed = line.trimmingCharacters(in: .whitespaces)
    let firstWord = trimmed.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
    // A curl command or fetch call pasted from the developer tools, possibly over several lines.
    if var pending = paste {
      pending.text += "\n" + line
      paste = pending
      return .text(finishPasteIfComplete())
    }
    if !builder.isInBlock && (firstWord == "curl" || FetchCallImport.looksLikeFetchCall(trimmed)) {
      paste = (firstWord == "curl" ? .curl : .fetchCall, line)
      return .text(finishPasteIfComplete())
    }
    // The session's commands (never a header line: those have a colon right after the name).
    if Session.commands.contains(firstWord) && !firstWord.hasSuffix(":") && !Session.isElementLoad(trimmed) {
      var out = closeBlock()
      switch runCommand(firstWord, String(trimmed.dropFirst(firstWord.count)).trimmingCharacters(in: .whitespaces)) {
      case .quit: return .quit
      case .text(let t): out += t
      }
      return .text(out)
    }
    let requestBlock = builder.openRequestIndex
    let blockBefore = builder.openBlockKind
    let wasTopLevel = !builder.isInBlock
    let snapshot = builder.document
    do {
      try builder.feed(line, lineNumber: lineNumber)
    } catch {
      return .text(style.red("error") + " " + describe(error))
    }
    if wasTopLevel && !trimmed.isEmpty && !trimmed.hasPrefix("#") { pushUndo(snapshot) }
    var out = ""
    // A request block that has just closed: show its verdict.
    out += notices()
    let closedRequest = requestBlock.flatMap { builder.openRequestIndex != $0 ? $0 : nil }
    if let closed = closedRequest { out += verdictText(step: closed) }
    if Session.isElementLoad(trimmed), builder.document.scenario.steps.count > snapshot.scenario.steps.count {
      // An element load has no block: its verdict shows at once.
      out += verdictText(step: builder.document.scenario.steps.count - 1)
    } else if closedRequest != nil {
      // Shown above.
    } else if blockBefore != nil && builder.openBlockKind == nil {
      // A route or layer block just closed: how does the last request fare now?
      out += statusLine()
    } else if wasTopLevel && !builder.isInBlock && !trimmed.isEmpty && !trimmed.hasPrefix("#")
                && firstWord != "expect" && firstWord != "sends" && firstWord != "says" {
      out += statusLine()
    }
    return .text(out)
  }

  /// `load image URL`, the scenario language's element load, rather than the session's `load FILE`.
  static func isElementLoad(_ line: String) -> Bool {
    let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
    return words.count >= 3 && words[0] == "load" && ElementKind(rawValue: String(words[1])) != nil
  }

  /// Ctrl-C: drops a paste in progress and closes an open block (what it already holds is kept, as with
  /// an empty line).
  public func cancelBlock() -> String {
    if paste != nil {
      paste = nil
      return "paste dropped\n"
    }
    return closeBlock()
  }

  /// Ends the input: closes any open block (showing a request's verdict).
  public func finish() -> String {
    if let pending = paste {
      paste = nil
      return importRequest(pending.kind, pending.text)
    }
    return closeBlock()
  }

  private func finishPasteIfComplete() -> String {
    guard let pending = paste else { return "" }
    let complete: Bool
    switch pending.kind {
    case .curl: complete = !pending.text.trimmingCharacters(in: CharacterSet(charactersIn: " \t")).hasSuffix("\\")
    case .fetchCall: complete = FetchCallImport.isComplete(pending.text)
    }
    // Never wait forever on a paste that cannot complete.
    guard complete || pending.text.utf8.count > 1 << 20 else { return "" }
    paste = nil
    return importRequest(pending.kind, pending.text)
  }

  private func importRequest(_ kind: PasteKind, _ text: String) -> String {
    let imported: ImportedRequest
    do {
      imported = try kind == .curl ? CurlImport.parse(text) : FetchCallImport.parse(text)
    } catch {
      return style.red("error") + " " + error.message + "\n"
    }
    pushUndo(document)
    var out = ""
    if let page = imported.page {
      if document.scenario.page == nil {
        builder.setPage(page)
        out += style.yellow("note") + " the page is \(page.origin.serialization), from the pasted request\n"
      } else if document.scenario.page?.origin != page.origin {
        out += style.yellow("note") + " the pasted request came from \(page.origin.serialization); the session's page stays \(document.scenario.page!.origin.serialization) (change it with `page`)\n"
      }
    }
    out += imported.notes.map { style.yellow("note") + " " + $0 + "\n" }.joined()
    let index = builder.appendStep(ScenarioStep(request: imported.request))
    out += "added: " + ScenarioPrinter.requestLine(imported.request) + "\n"
    return out + verdictText(step: index)
  }

  // MARK: Showing verdicts

  private func closeBlock() -> String {
    let open = builder.openRequestIndex
    guard builder.isInBlock else { return "" }
    do { try builder.finish(lineNumber: lineNumber) } catch { return style.red("error") + " " + describe(error) + "\n" }
    var out = notices()
    if let open { out += verdictText(step: open) } else { out += statusLine() }
    return out
  }

  private func notices() -> String {
    builder.takeNotices().map { style.yellow("note") + " " + $0 + "\n" }.joined()
  }

  /// Verdicts of every step for a profile (nothing without a page).
  func verdicts(_ engine: Engine, _ d: ScenarioDocument? = nil) -> [Verdict] {
    ScenarioRunner.run((d ?? document).scenario, profile: .forEngine(engine))
  }

  private func verdictText(step: Int) -> String {
    let d = document
    guard d.scenario.page != nil else { return style.yellow("no page yet") + ": set one with `page https://…` to see verdicts\n" }
    let all = verdicts(engine)
    guard step < all.count else { return "" }
    let v = all[step]
    defer { lastShown = v }
    if json {
      return JSONWriter.serialize(OracleOutput.result(id: .number(Double(step + 1)), engine: engine, verdicts: [v])) + "\n"
    }
    var out = VerdictText.render(v, request: d.scenario.steps[step].request, style: style, index: step + 1) + "\n"
    out += expectationNotes(step: step, d: d, engine: engine, verdict: v)
    return out
  }

  private func expectationNotes(step: Int, d: ScenarioDocument, engine: Engine, verdict: Verdict) -> String {
    let problems = d.mismatches(engine: engine, verdicts: verdicts(engine)).filter { $0.message.contains("request \(step + 1):") }
    return problems.map { style.red("expectation") + " line \($0.line): " + $0.message + "\n" }.joined()
  }

  /// After a change to the page or the server: how the last request fares now.
  private func statusLine() -> String {
    let d = document
    guard d.scenario.page != nil, let last = d.scenario.steps.indices.last else { return "" }
    let v = verdicts(engine)[last]
    var line = style.dim("now ") + "[\(last + 1)] " + VerdictText.headline(v)
    if let r = v.reason { line += " at \(v.stage?.rawValue ?? "?"): " + r.rawValue } else { line += " \(v.responseType?.rawValue ?? "") \(v.status.map(String.init) ?? "")" }
    if let previous = lastShown, previous.outcome != v.outcome || previous.reason != v.reason || previous.stage != v.stage {
      let was = previous.reason.map { " at \(previous.stage?.rawValue ?? "?"): " + $0.rawValue } ?? ""
      line += style.yellow("  (was \(VerdictText.headline(previous))\(was))")
    }
    lastShown = v
    return line + "\n"
  }

  private func describe(_ error: Error) -> String {
    if let d = error as? ScenarioDiagnostic {
      // In a session the "file" is the session itself: say the column and the problem.
      return (d.column > 0 ? "column \(d.column): " : "") + d.message
    }
    return "\(error)"
  }

  private func pushUndo(_ d: ScenarioDocument) {
    undoStack.append(d)
    if undoStack.count > 100 { undoStack.removeFirst() }
  }

  // MARK: Commands

  private struct Problem: Error { var message: String }

  private func stepIndex(_ argument: String) -> Result<Int, Problem> {
    let steps = document.scenario.steps.count
    guard steps > 0 else { return .failure(Problem(message: "no request yet: add one with `fetch URL`")) }
    if argument.isEmpty { return .success(steps - 1) }
    guard let n = Int(argument), n >= 1, n <= steps else {
      return .failure(Problem(message: "request '\(argument)' does not exist (1–\(steps))"))
    }
    return .success(n - 1)
  }

  private func runCommand(_ command: String, _ argument: String) -> SessionOutput {
    switch command {
    case "quit", "exit":
      return .quit
    case "help":
      return .text(SessionHelp.text(argument, style: style))
    case "show":
      return .text(ScenarioPrinter.print(document))
    case "run":
      guard document.scenario.page != nil else { return .text(style.yellow("no page yet") + ": `page https://app.example`\n") }
      if document.scenario.steps.isEmpty { return .text("no request yet: `fetch https://api.example/data`\n") }
      var out = ""
      for i in document.scenario.steps.indices { out += verdictText(step: i) }
      return .text(out)
    case "trace", "wire", "notes":
      switch stepIndex(argument) {
      case .failure(let m): return .text(style.yellow(m.message) + "\n")
      case .success(let i):
        guard document.scenario.page != nil else { return .text(style.yellow("no page yet") + "\n") }
        let v = verdicts(engine)[i]
        if command == "trace" { return .text(VerdictText.renderTrace(v, style: style) + "\n") }
        if command == "wire" { return .text(VerdictText.renderWire(v, style: style) + "\n") }
        let notes = v.trace.filter { if case .note = $0.event { return true } else { return false } }
        return .text(notes.isEmpty ? "no notes\n" : notes.map { "\($0.event.code): \($0.text)" }.joined(separator: "\n") + "\n")
      }
    case "compare":
      switch stepIndex(argument) {
      case .failure(let m): return .text(style.yellow(m.message) + "\n")
      case .success(let i): return .text(compare(step: i, document))
      }
    case "what-if":
      return .text(whatIf(argument))
    case "undo":
      guard let previous = undoStack.popLast() else { return .text("nothing to undo\n") }
      builder = ScenarioBuilder(document: previous)
      return .text("undone\n" + statusLine())
    case "clear":
      pushUndo(document)
      var d = document
      switch argument {
      case "": d = ScenarioDocument()
      case "requests": d.scenario.steps = []; d.verdicts = [:]; d.wire = [:]; d.messages = [:]
      case "routes": d.scenario.server = Server(routes: [], layers: d.scenario.server.layers)
      case "layers": d.scenario.server = Server(routes: d.scenario.server.routes, layers: [])
      default:
        _ = undoStack.popLast()
        return .text(style.red("error") + " clear what? `clear`, `clear requests`, `clear routes` or `clear layers`\n")
      }
      builder = ScenarioBuilder(document: d)
      lastShown = nil
      return .text("cleared\n")
    case "json":
      switch argument {
      case "on", "": json = true
      case "off": json = false
      default: return .text(style.red("error") + " json on|off\n")
      }
      return .text("json \(json ? "on" : "off")\n")
    case "load":
      return .text(load(argument))
    case "import":
      let parts = argument.split(separator: " ", maxSplits: 1).map(String.init)
      guard parts.count == 2, parts[0] == "har" else {
        return .text(style.red("error") + " import har FILE (curl commands and fetch calls are pasted as they are)\n")
      }
      return .text(importHAR(parts[1]))
    case "save":
      return .text(save(argument))
    default:
      return .text("")
    }
  }

  private func resolve(_ path: String) -> String {
    let expanded = path.hasPrefix("~/") ? NSString(string: path).expandingTildeInPath : path
    return expanded.hasPrefix("/") ? expanded : workingDirectory + "/" + expanded
  }

  private func load(_ argument: String) -> String {
    guard !argument.isEmpty else { return style.red("error") + " load FILE\n" }
    let path = resolve(argument)
    do {
      let file = try ScenarioFile.load(path: path)
      pushUndo(document)
      builder = ScenarioBuilder(document: file.document)
      lastShown = nil
      let d = file.document
      var out = "loaded \(argument): \(d.scenario.server.routes.count) route(s), \(d.scenario.steps.count) request(s)\n"
      if d.scenario.page != nil {
        for i in d.scenario.steps.indices { out += verdictText(step: i) }
      }
      return out
    } catch {
      return style.red("error") + " \(error)\n"
    }
  }

  private func importHAR(_ argument: String) -> String {
    let path = resolve(argument)
    guard let data = FileManager.default.contents(atPath: path) else {
      return style.red("error") + " cannot read \(argument)\n"
    }
    guard let text = String(data: data, encoding: .utf8) else { return style.red("error") + " \(argument) is not UTF-8 text\n" }
    let result: HARImport.Result
    do { result = try HARImport.parse(text) } catch { return style.red("error") + " \(argument): \(error.message)\n" }
    pushUndo(document)
    builder = ScenarioBuilder(document: result.document)
    lastShown = nil
    var out = result.notes.map { style.yellow("note") + " " + $0 + "\n" }.joined()
    for i in result.document.scenario.steps.indices { out += verdictText(step: i) }
    return out
  }

  private func save(_ argument: String) -> String {
    guard !argument.isEmpty else { return style.red("error") + " save FILE\n" }
    let path = resolve(argument)
    do {
      try ScenarioPrinter.print(document).write(toFile: path, atomically: true, encoding: .utf8)
      return "saved to \(argument)\n"
    } catch {
      return style.red("error") + " cannot write \(argument): \(error.localizedDescription)\n"
    }
  }

  // MARK: compare

  /// The four profiles side by side for one request; cells that differ from the standard are highlighted.
  func compare(step: Int, _ d: ScenarioDocument) -> String {
    guard d.scenario.page != nil else { return style.yellow("no page yet") + "\n" }
    let rows = Engine.allWithSpec.map { ($0, verdicts($0, d)[step]) }
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
    let spec = table[0]
    for row in table {
      out += row.enumerated().map { (c, cell) in
        let padded = pad(cell, c)
        return c > 0 && cell != spec[c] ? style.yellow(padded) : padded
      }.joined(separator: "  ") + "\n"
    }
    let differing = rows.filter { cells($0.1) != cells(rows[0].1) }.map(\.0.rawValue)
    out += differing.isEmpty ? style.dim("all four agree") + "\n" : style.dim("differs from the standard: \(differing.joined(separator: ", "))") + "\n"
    return out
  }

  // MARK: what-if

  /// Applies one change to a copy of the scenario and shows how the last request's verdict moves.
  func whatIf(_ change: String) -> String {
    let d = document
    guard d.scenario.page != nil, let step = d.scenario.steps.indices.last else {
      return style.yellow("what-if needs a page and a request first") + "\n"
    }
    var changed = d
    var engine = self.engine
    let words = change.split(separator: " ", maxSplits: 1).map(String.init)
    guard let head = words.first else { return SessionHelp.text("what-if", style: style) }
    let rest = words.count > 1 ? words[1] : ""
    var request = changed.scenario.steps[step].request
    switch head {
    case "browser":
      guard let e = Engine(rawValue: rest) else { return style.red("error") + " what-if browser spec|chromium|firefox|webkit\n" }
      engine = e
    case "method":
      request.method = rest.isEmpty ? nil : Method(rest)
    case "page":
      do { changed.scenario.page = try Page(rest) } catch { return style.red("error") + " \(error)\n" }
    case "header":
      // what-if header X-Token: 1   |  what-if header -X-Token (remove)
      if rest.hasPrefix("-") {
        let name = HeaderName(String(rest.dropFirst()))
        request.headers.delete(name)
      } else if let colon = rest.firstIndex(of: ":") {
        let name = String(rest[..<colon]).trimmingCharacters(in: .whitespaces)
        let value = String(rest[rest.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        request.headers.delete(HeaderName(name))
        request.headers.append(HeaderField(HeaderName(name), value))
      } else {
        return style.red("error") + " what-if header Name: value, or what-if header -Name\n"
      }
    case "server", "preflight":
      // what-if server Access-Control-Allow-Origin: *   (on the route answering the request)
      // what-if preflight Access-Control-Allow-Methods: PUT   (on the route answering its preflight)
      let method: Method = head == "preflight" ? .options : (request.method?.normalized ?? .get)
      guard let url = try? URLRecord(request.url, base: d.scenario.page?.url) else { return style.red("error") + " the request's URL does not parse\n" }
      var routes = changed.scenario.server.routes
      let index = routes.firstIndex { ($0.method == nil || $0.method == method) && $0.url.hrefWithoutFragment == url.hrefWithoutFragment }
      var route = index.map { routes[$0] } ?? Route(method: head == "preflight" ? "OPTIONS" : nil, url: url.withoutFragment,
                                                 status: head == "preflight" ? 204 : 200)
      if rest.hasPrefix("-") {
        route.headers.delete(HeaderName(String(rest.dropFirst())))
      } else if let status = Int(rest), (200...599).contains(status) {
        route.status = status
      } else if let colon = rest.firstIndex(of: ":") {
        let name = HeaderName(String(rest[..<colon]).trimmingCharacters(in: .whitespaces))
        route.headers.set(name, String(rest[rest.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
      } else {
        return style.red("error") + " what-if \(head) Name: value | -Name | STATUS\n"
      }
      if let index { routes[index] = route } else { routes.insert(route, at: 0) }
      changed.scenario.server = Server(routes: routes, layers: changed.scenario.server.layers)
    default:
      // An option of the request: credentials=include, mode=no-cors, redirect=manual, body=…
      let kv = change.split(separator: "=", maxSplits: 1).map(String.init)
      guard kv.count == 2 else { return SessionHelp.text("what-if", style: style) }
      switch kv[0] {
      case "credentials": request.credentials = .init(rawValue: kv[1])
      case "mode": request.mode = .init(rawValue: kv[1])
      case "redirect": request.redirect = .init(rawValue: kv[1])
      case "body": request.body = kv[1] == "none" ? nil : RequestBody(text: kv[1])
      case "api": guard let api = ScriptAPI(rawValue: kv[1]) else { return style.red("error") + " api=fetch|xhr\n" }; request.api = api
      case "crossorigin":
        // An element's attribute: what-if crossorigin=anonymous, or crossorigin=none to remove it.
        guard request.api == .element else { return style.red("error") + " crossorigin is an element's attribute (load …)\n" }
        request.crossOrigin = kv[1] == "none" ? nil : .init(rawValue: kv[1])
      default: return style.red("error") + " unknown change '\(kv[0])'; see `help what-if`\n"
      }
    }
    changed.scenario.steps[step].request = request
    let before = verdicts(self.engine, d)[step]
    let after = verdicts(engine, changed)[step]
    var out = style.dim("before  ") + summary(before) + "\n" + style.dim("after   ") + summary(after) + "\n"
    if before.outcome == after.outcome && before.reason == after.reason && before.requests.count == after.requests.count {
      out += style.dim("no change in the verdict") + "\n"
    } else if let fix = after.fix {
      out += style.dim("fix     ") + style.cyan(fix.summary) + "\n"
    }
    return out
  }

  private func summary(_ v: Verdict) -> String {
    var s = VerdictText.headline(v) + " (\(v.engine.rawValue))"
    if let r = v.reason { s += " \(v.stage?.rawValue ?? ""): \(r.rawValue)" } else { s += " \(v.responseType?.rawValue ?? "") \(v.status ?? 0)" }
    s += "  sent " + (v.requests.isEmpty ? "nothing" : v.requests.map(\.method.rawValue).joined(separator: "+"))
    return v.outcome == .readable ? style.green(s) : (v.outcome == .opaque ? style.yellow(s) : style.red(s))
  }

  // MARK: Completion

  /// Candidates for the word being completed at `cursor` (a character offset).
  public func completions(line: String, cursor: Int) -> [String] {
    let prefix = String(line.prefix(cursor))
    let words = prefix.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
    let current = words.last ?? ""
    let before = words.dropLast().filter { !$0.isEmpty }
    func matching(_ options: [String]) -> [String] { Set(options.filter { $0.hasPrefix(current) }).sorted() }
    // In a block, or an indented line: header names, CORS ones first.
    if before.isEmpty && (builder.isInBlock || prefix.hasPrefix(" ")) {
      return SessionHelp.headerNames.filter { $0.lowercased().hasPrefix(current.lowercased()) }.map { $0 + ":" }
    }
    guard let command = before.first else {
      return matching(ScenarioBuilder.commands + Session.commands)
    }
    switch command {
    case "browser", "compare":
      return matching(Engine.allWithSpec.map(\.rawValue))
    case "fetch", "xhr":
      if current.contains("=") {
        let key = String(current.split(separator: "=", maxSplits: 1)[0])
        let values: [String]
        switch key {
        case "mode": values = RequestMode.allCases.map(\.rawValue)
        case "credentials": values = CredentialsMode.allCases.map(\.rawValue)
        case "redirect": values = RedirectMode.allCases.map(\.rawValue)
        case "cache": values = CacheMode.allCases.map(\.rawValue)
        case "referrer-policy": values = ReferrerPolicy.allCases.map(\.rawValue).filter { !$0.isEmpty }
        case "body-type": values = BodyKind.allCases.map(\.rawValue)
        case "target": values = ["local", "loopback"]
        default: values = []
        }
        return matching(values.map { key + "=" + $0 })
      }
      if before.count == 1 { return matching(SessionHelp.methods) }
      // Options that take a value complete to `key=`; flags complete to themselves.
      let flags: Set<String> = ["keepalive", "window", "with-credentials", "upload-listeners", "sync"]
      let options = command == "fetch" ? ScenarioBuilder.fetchOptions : ScenarioBuilder.xhrOptions
      return matching(options.map { flags.contains($0) ? $0 : $0 + "=" })
    case "route":
      return before.count == 1 ? matching(SessionHelp.methods + ["*"]) : []
    case "load" where before.count == 1:
      return matching(ElementKind.allCases.map(\.rawValue))
    case "load" where before.count >= 3 && ElementKind(rawValue: before[1]) != nil:
      if current.hasPrefix("crossorigin=") {
        return matching(["crossorigin=anonymous", "crossorigin=use-credentials"])
      }
      return matching(["crossorigin", "crossorigin=", "integrity="])
    case "integrity-policy":
      return matching(["blocked-destinations=(script)", "blocked-destinations=(script style)", "none"])
    case "expect":
      return matching(Outcome.allCases.map(\.rawValue) + Engine.allWithSpec.map { $0.rawValue + ":" } + ["at", "exposes"]
                      + Stage.allCases.map { $0.rawValue + ":" } + FailureReason.allCases.map(\.rawValue))
    case "what-if":
      return matching(["browser", "method", "page", "header", "server", "preflight", "credentials=include", "credentials=omit",
                       "credentials=same-origin", "mode=no-cors", "mode=cors", "redirect=manual", "api=xhr", "api=fetch",
                       "crossorigin=anonymous", "crossorigin=use-credentials", "crossorigin=none"])
    case "lna": return matching(["granted", "denied"])
    case "http2": return matching(["on", "off"])
    case "coep": return matching(EmbedderPolicy.allCases.map(\.rawValue))
    case "address": return before.count == 2 ? matching(AddressSpace.allCases.map(\.rawValue)) : []
    case "help": return matching(ScenarioBuilder.commands + Session.commands)
    case "clear": return matching(["requests", "routes", "layers"])
    case "json": return matching(["on", "off"])
    case "layer": return before.count >= 2 ? matching(["on", "for"]) : []
    default: return []
    }
  }
}

extension String {
  func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}
