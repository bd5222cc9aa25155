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

/// An interactive session: the scenario language plus the REPL's own commands (see `CommandRegistry`). It is
/// pure — lines in, text out — so the terminal front end, pipes and tests all drive the same code. A line
/// that is rejected changes nothing.
///
/// It is incremental: verdicts are kept per profile and a request added at the end is the only one run
/// (`VerdictCache`); after a change to the page or the server every request is run again and each one whose
/// verdict moved is reported on its own `now [n] …` line.
public final class Session {
  /// The session's commands.
  public let registry: CommandRegistry
  /// The scenario being composed.
  public private(set) var builder: ScenarioBuilder
  /// Colours or plain text.
  public var style: TextStyle
  /// Whether verdicts are printed as oracle JSON lines.
  public var json = false
  /// The profile used when the scenario names none (`browser` command).
  public let defaultEngine: Engine
  /// Directory that relative `open` and `save` paths start from.
  public var workingDirectory: String
  /// Errors name the line they are on (input from a pipe or a file); on a terminal the line is the one just typed.
  public var showsLineNumbers = false
  /// Asks the person at the terminal a yes/no question (`save` over an existing file); nil when nobody is
  /// there to ask (a pipe), where such a command is refused unless forced.
  public var confirm: ((String) -> Bool)? = nil
  /// Plays the scenario in real browsers (`play`); nil where the tool offers none.
  public var player: (any ScenarioPlayer)? = nil
  /// The longest line read, in bytes (a longer one is refused whole, with a message).
  public var maximumLineLength = 65_536
  /// Lines rejected so far (a piped session exits non-zero when any was).
  public private(set) var rejectedLines = 0
  /// Expectations found not to hold when they were typed.
  public private(set) var failedExpectations = 0
  /// Where a long report goes as it is made (the REPL: standard output). `open` of a file of thousands of requests
  /// writes its verdicts through it in pieces of about 64 KiB, and `evaluate` returns what follows the last piece;
  /// nil: everything is returned (tests, embedders).
  public var writer: ((String) -> Void)? = nil

  private var lineNumber = 0
  private var caches: [Engine: VerdictCache] = [:]
  /// How many requests the session has had decided so far, in every profile (replays included).
  var decisionsMade: Int { caches.values.reduce(0) { $0 + $1.decisions } }
  /// The verdict last reported for each request, in the session's profile: what a `now` line compares and
  /// shows (`short`, and its engine), not the verdict and its trace, which would keep a long file's old verdicts
  /// alive beside the new ones after a change.
  private var reported: [(short: String, engine: Engine)] = []
  /// One copy of each short form reported (a long file's requests mostly share a handful).
  private var shortForms: Set<String> = []
  /// What changed the scenario, in order, for `undo` (the builder takes a command back itself; the session before a
  /// whole document is made again from the one before it and what followed).
  private var log: [LogEntry] = []
  /// A curl command or fetch call being pasted over several lines.
  private var paste: (kind: PasteKind, text: String)? = nil

  private enum PasteKind { case curl, fetchCall }

  /// One change to the scenario, as the user made it. The rare cases are boxed (`indirect`): an entry, most of them a
  /// typed command, then takes a pointer and a tag in the log, not the size of a step and a page (about 400 bytes:
  /// 30,000 typed commands kept 13 MB of log, with the array's spare capacity).
  enum LogEntry {
    /// A command of the scenario language and the lines of its block.
    case lines([String])
    /// The whole scenario replaced (`open`, `import har`, `clear`), named by the command that did it.
    indirect case document(String, ScenarioDocument)
    /// A request pasted as a curl command or fetch call (and the page it brought).
    indirect case pasted(String, ScenarioStep, Page?)

    var summary: String {
      switch self {
      case .lines(let lines): return lines.first ?? ""
      case .document(let command, _): return command
      case .pasted(let line, _, _): return line
      }
    }
  }

  /// Creates an empty session.
  public init(style: TextStyle = .plain, defaultEngine: Engine = .chromium,
              workingDirectory: String = FileManager.default.currentDirectoryPath, registry: CommandRegistry = .standard) {
    self.registry = registry
    self.builder = ScenarioBuilder(file: nil)
    builder.recordsUndo = true
    self.style = style
    self.defaultEngine = defaultEngine
    self.workingDirectory = workingDirectory
    builder.otherCommands = registry.sessionNames
  }

  /// The document so far (costs time in its size: for commands, not for every line).
  public var document: ScenarioDocument { builder.document }

  /// The profile verdicts are shown for.
  public var engine: Engine { builder.browser ?? defaultEngine }

  /// `corsim> ` at the top level, `   ...> ` inside a block.
  public var prompt: String { isInBlock ? "   ...> " : "corsim> " }

  /// True while a block (or a multi-line paste) is open.
  public var isInBlock: Bool { builder.isInBlock || paste != nil }

  // MARK: Lines

  /// Evaluates one line (a line holding line breaks — a block recalled from history — is its lines, the block
  /// closed at the end).
  public func evaluate(_ line: String) -> SessionOutput {
    if line.utf8.count > maximumLineLength {
      lineNumber += 1
      rejectedLines += 1
      return .text(error("the line is longer than the limit of \(maximumLineLength) bytes; nothing was run"))
    }
    if line.contains("\n") && paste == nil {
      var out = ""
      for part in line.split(separator: "\n", omittingEmptySubsequences: false) {
        // What came before goes out first when a line may write through `writer`.
        if let writer, !out.isEmpty {
          writer(out)
          out = ""
        }
        switch evaluateOne(String(part)) {
        case .quit: return .quit
        case .text(let t): out += t
        }
      }
      return .text(out + (builder.isInBlock ? evaluateOne("").text : ""))
    }
    return evaluateOne(line)
  }

  private func evaluateOne(_ line: String) -> SessionOutput {
    lineNumber += 1
    let trimmed = line.trimmingCharacters(in: .whitespaces)
    let words = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
    let firstWord = words.first.map(String.init) ?? ""
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
    // The session's own commands (a header line has a colon right after its name, so never matches).
    let name = firstWord.hasSuffix("!") ? String(firstWord.dropLast()) : firstWord
    if let command = registry.command(named: name, arguments: Array(words.dropFirst())), command.section != .scenario {
      var out = closeBlock()
      if let writer, !out.isEmpty {
        writer(out)
        out = ""
      }
      let argument = String(trimmed.dropFirst(firstWord.count)).trimmingCharacters(in: .whitespaces)
      switch command.run(Invocation(name: firstWord, argument: argument), in: self) ?? .text("") {
      case .quit: return .quit
      case .text(let t): out += t
      }
      return .text(out)
    }
    return .text(feed(line, trimmed: trimmed, firstWord: firstWord))
  }

  /// A line of the scenario language.
  private func feed(_ line: String, trimmed: String, firstWord: String) -> String {
    let wasInBlock = builder.isInBlock
    do {
      try builder.feed(line, lineNumber: lineNumber)
    } catch {
      rejectedLines += 1
      return self.error(describe(error))
    }
    // The undo log: a line that starts a command opens an entry; the lines of its block join it.
    if builder.lastLineStartedCommand {
      log.append(.lines([line]))
    } else if wasInBlock, case .lines(var lines)? = log.last {
      lines.append(line)
      log[log.count - 1] = .lines(lines)
    }
    var out = notices() + report()
    if ["expect", "sends", "says", "fix", "fixed"].contains(firstWord) { out += checkExpectation() }
    return out
  }

  /// Ctrl-C: drops a paste in progress, or the block being typed — the command that opened it is taken back
  /// whole, so nothing changes.
  public func cancelBlock() -> String {
    if paste != nil {
      paste = nil
      return "paste dropped\n"
    }
    guard builder.isInBlock, let last = log.popLast() else { return "" }
    takeBack(last)
    _ = report()
    return style.yellow("dropped") + " the unfinished `\(last.summary)`; nothing changed\n"
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
      rejectedLines += 1
      return self.error(error.message)
    }
    var out = ""
    var page: Page? = nil
    if let pasted = imported.page {
      if builder.page == nil {
        page = pasted
        out += style.yellow("note") + " the page is \(pasted.origin.serialization), from the pasted request\n"
      } else if builder.page?.origin != pasted.origin {
        out += style.yellow("note") + " the pasted request came from \(pasted.origin.serialization); the session's page stays \(builder.page!.origin.serialization) (change it with `page`)\n"
      }
    }
    out += imported.notes.map { style.yellow("note") + " " + $0 + "\n" }.joined()
    let step = ScenarioStep(request: imported.request)
    let summary = "added: " + ScenarioPrinter.requestLine(imported.request)
    log.append(.pasted(summary, step, page))
    apply(.pasted(summary, step, page))
    return out + summary + "\n" + report()
  }

  // MARK: The document, replaced or rebuilt

  /// Replaces the whole scenario (`open`, `import har`, `clear`); `undo` brings back the one before.
  func replaceDocument(_ d: ScenarioDocument, by command: String) {
    log.append(.document(command, d))
    builder = ScenarioBuilder(document: d)
    builder.recordsUndo = true
    builder.otherCommands = registry.sessionNames
    resetVerdicts()
    reported = []
  }

  /// Changes the scenario as a whole while its requests stay (`fix apply`): `undo` brings back the one before,
  /// and each request whose verdict moves is reported on its own `now [n] …` line.
  func changeDocument(_ d: ScenarioDocument, by command: String) -> String {
    log.append(.document(command, d))
    builder = ScenarioBuilder(document: d)
    builder.recordsUndo = true
    builder.otherCommands = registry.sessionNames
    resetVerdicts()
    return report(always: true)
  }

  /// `undo`: takes back the last change and says what it was. A command is taken back by the builder in time in its
  /// own size, and only the verdicts it can have moved are decided again; a whole document replaced brings back the
  /// session before it, rebuilt from the log.
  func undo() -> String {
    guard let last = log.popLast() else { return "nothing to undo\n" }
    takeBack(last)
    var out = "undid `\(last.summary)`"
    if case .document = last { out += " (the session before it is back)" }
    return out + "\n" + report(always: true, exact: true)
  }

  /// `undo` as it was first written, for tests to compare with: the builder made again from the log and every verdict
  /// decided again.
  var undoReplaysLog = false

  /// `fixed` lines checked by running the fixed scenario from its start every time, for tests to compare with.
  var fixedFromStart = false

  /// Whether other profiles' verdicts share what they hold the same as the session's own (`Verdict.share`); off, for
  /// tests to compare with, each keeps its own copy.
  var sharesVerdicts = true

  /// The builder as it was before `entry`, the log's last (just taken from it).
  private func takeBack(_ entry: LogEntry) {
    if case .document = entry {} else if !undoReplaysLog && builder.undo() {
      _ = builder.takeNotices()
      return
    }
    rebuild()
  }

  /// The scenario again from the log: the last whole document, then what followed it.
  private func rebuild() {
    let start = log.lastIndex { if case .document = $0 { return true } else { return false } }
    var d = ScenarioDocument()
    if let start, case .document(_, let saved) = log[start] { d = saved }
    builder = ScenarioBuilder(document: d)
    builder.recordsUndo = true
    builder.otherCommands = registry.sessionNames
    for entry in log[(start.map { $0 + 1 } ?? 0)...] { apply(entry) }
    _ = builder.takeNotices()
    resetVerdicts()
  }

  private func apply(_ entry: LogEntry) {
    switch entry {
    case .lines(let lines):
      // Accepted once, so accepted again.
      for line in lines { try? builder.feed(line, lineNumber: 0) }
      try? builder.finish(lineNumber: 0)
    case .document:
      break
    case .pasted(_, let step, let page):
      builder.beginChange()
      if let page { builder.setPage(page) }
      builder.appendStep(step)
    }
  }

  private func resetVerdicts() {
    caches = [:]
    _ = builder.takeChanges()
    stale = true
    movedFrom = 0
  }

  // MARK: Verdicts

  /// The verdicts of every request in a profile (none without a page), brought up to date; with `upTo`, of the
  /// first `upTo` requests. In the session's profile the requests reported but the last one or two carry no trace
  /// (it is let go once printed): `tracedVerdict` gives one with its trace.
  func verdicts(_ engine: Engine, upTo limit: Int = .max) -> [Verdict] {
    takeChanges()
    return decided(engine, upTo: limit)
  }

  /// `verdicts` once the changes are taken (`report` takes them once, then decides one request at a time and lets
  /// go of the traces before `dropsTracesBefore`).
  private func decided(_ engine: Engine, upTo limit: Int, dropsTracesBefore printed: Int = 0) -> [Verdict] {
    var cache = caches.removeValue(forKey: engine) ?? VerdictCache(engine: engine)
    // Another profile's verdicts (each typed `expect`, `fix` or `fixed` line is checked in all of them) keep their trace
    // only from the last request printed on, as the session's own do once printed: kept for every request, a session
    // of 10,000 requests with a `fix` line each peaked at 134 MB (106 MB without them). A trace let go is made again
    // when a command asks for it (`tracedVerdict`).
    cache.dropTraces(before: engine == self.engine ? printed : max(0, reported.count - 1))
    // Another profile's verdicts share what they hold the same as the session's own (`Verdict.share`): that took a
    // session of 10,000 typed requests with an `expect` line each from 80 to 62 MiB at its peak, with a `fix` line
    // each from 81 to 66 MiB.
    let own = engine == self.engine || !sharesVerdicts ? [] : caches[self.engine]?.verdicts ?? []
    let out = cache.update(builder, tracedFrom: max(0, reported.count - 1), upTo: limit, sharingWith: own)
    caches[engine] = cache
    return out
  }

  /// Forgets the verdicts a change to the scenario may have made stale (and notes when a reported one may move).
  private func takeChanges() {
    let changes = builder.takeChanges()
    guard changes.world || changes.firstStep != nil else { return }
    // Every profile's cache is told; what the session's profile's may have moved decides the report (without a cache,
    // any change of the world may have moved every verdict).
    var first = changes.world ? 0 : changes.firstStep
    // (Over a copy of the keys: a view of them keeps the dictionary's storage, and each change would copy it, with
    // every verdict cached.)
    for key in Array(caches.keys) {
      let firstHere = caches[key]!.invalidate(changes)
      if key == engine { first = firstHere }
    }
    if changes.world || (changes.firstStep.map { $0 < reported.count } ?? false) {
      stale = true
      // Routes changed for URLs no request asked for: the verdicts were kept, and none moved (the report still says
      // where the requests stand, as after any change of the server). A request changed or taken back: the ones
      // before it stand.
      if let first { movedFrom = min(movedFrom, first) }
    }
  }

  /// Request `step`'s verdict in a profile, with its trace: a reported request's trace was let go, and it is
  /// decided again from the start of the scenario (`trace N`, `explain`… of an earlier request).
  func tracedVerdict(step: Int, engine: Engine) -> Verdict {
    let v = verdicts(engine, upTo: step + 1)[step]
    guard v.trace.isEmpty else { return v }
    var traced = v
    ScenarioRunner.forEachStep(document.scenario, profile: .forEngine(engine)) { k, verdict in
      if k == step { traced = verdict }
      return k < step
    }
    return traced
  }

  /// Verdicts of a document that is not the session's (`what-if`, `compare` of a changed copy).
  func verdicts(_ engine: Engine, of d: ScenarioDocument) -> [Verdict] {
    ScenarioRunner.run(d.scenario, profile: .forEngine(engine))
  }

  /// What changed since the last report: the full verdict of each request whose block has closed since, and a
  /// `now [n] …` line for each earlier request whose verdict moved. With `always`, a change of nothing says so.
  /// `prefix` is written first, into the same text: a file of thousands of requests reports megabytes, which
  /// `prefix + report()` would copy once more. With `streams` (a command whose output ends with the report, or
  /// whose caller adds only after it), the text goes out through `writer` in pieces as it is made.
  func report(always: Bool = false, exact: Bool = false, after prefix: String = "", streams: Bool = false) -> String {
    // Nothing is reported while a block is open: its command is not complete.
    guard !builder.isInBlock else { return prefix }
    let engine = self.engine
    var out = prefix
    // Earlier requests: only a change to the world or to an earlier request can move them, and then the cache
    // was emptied — which is what `stale` tells.
    reportMoved(always: always, exact: exact, into: &out)
    stale = false
    // New requests, once their block is closed, each decided, printed and its trace let go soon after: opening a
    // file of thousands of requests holds two traces at a time.
    let open = builder.openRequestIndex
    let count = builder.page == nil ? 0 : builder.stepCount
    while reported.count < count && reported.count != open {
      if streams, let writer, out.utf8.count >= 1 << 16 {
        writer(out)
        out = ""
      }
      let i = reported.count
      // The ones printed before the last let go of their trace (the last two keep theirs: `trace` after a request).
      let v = decided(engine, upTo: i + 1, dropsTracesBefore: i - 1)[i]
      out += verdictText(step: i, v)
      reported.append((shortForms.insert(Self.short(v)).memberAfterInsert, v.engine))
    }
    return out
  }

  /// The `now [n] …` lines of `report`: the requests reported before whose verdict moved. `exact`: the changes since
  /// the last report were all seen by `takeChanges` (an `undo`), so with `always` and none of them moving a verdict
  /// nothing is compared either.
  private func reportMoved(always: Bool, exact: Bool, into out: inout String) {
    takeChanges()
    let count = builder.page == nil ? 0 : builder.stepCount
    if reported.count > count { reported.removeLast(reported.count - count) }
    guard stale || always else { return }
    // `always` after no change seen: nothing says which verdicts could have moved, so every one is compared.
    let from = stale || exact ? movedFrom : 0
    movedFrom = .max
    guard from < reported.count else {
      // Only routes for URLs no request asked for changed, or requests after the reported ones: every verdict
      // reported stands, so none is decided or compared.
      if let last = reported.indices.last {
        out += style.dim("now ") + "[\(last + 1)] " + reported[last].short + style.dim("  (unchanged)") + "\n"
      }
      return
    }
    let all = verdicts(engine, upTo: reported.count)
    var moved = 0
    for i in from..<reported.count where Self.short(all[i]) != reported[i].short || all[i].engine != reported[i].engine {
      out += style.dim("now ") + "[\(i + 1)] " + Self.short(all[i]) + style.yellow("  (was \(reported[i].short))") + "\n"
      reported[i] = (shortForms.insert(Self.short(all[i])).memberAfterInsert, all[i].engine)
      moved += 1
    }
    if moved == 0, let last = reported.indices.last {
      out += style.dim("now ") + "[\(last + 1)] " + Self.short(all[last]) + style.dim("  (unchanged)") + "\n"
    }
  }

  /// Set when a change may have moved verdicts already reported (see `verdicts`), read by `report`.
  private var stale = false
  /// With `stale`: the first reported request whose verdict a change may have moved (the ones before it stand); past
  /// the reported ones when none may have (routes for URLs no request asked for, requests after the reported ones).
  private var movedFrom = Int.max

  /// The fixes of request `step` in a profile, worked out from the state it ran in (by the profile's replaying
  /// simulator, which requests printed in order keep in step; else by running the requests before it).
  func fixes(step: Int, engine: Engine) -> [Fix] {
    let verdicts = self.verdicts(engine, upTo: step + 1)
    guard verdicts.indices.contains(step), verdicts[step].failure != nil else { return [] }
    if let replayed = caches[engine]?.fixes(step: step, of: builder) { return replayed }
    return document.scenario.fixes(forStep: step, profile: .forEngine(engine))
  }

  /// Request `step`'s verdict in `engine` once `fix` is applied, from the state the request ran in when the fix
  /// cannot have changed the requests before it (`VerdictCache.fixedVerdict`); nil: the caller runs the fixed
  /// scenario from its start.
  func fixedVerdict(step: Int, engine: Engine, applying fix: Fix) -> Verdict? {
    guard !fixedFromStart else { return nil }
    return caches[engine]?.fixedVerdict(step: step, applying: fix, of: builder)
  }

  /// The verdict of one request in full (or as an oracle JSON line), with the expectations it breaks; its `fix`
  /// line is the first of the request's fixes (`fixes`, or worked out here).
  func verdictText(step: Int, _ v: Verdict, fixes known: [Fix]? = nil) -> String {
    if json {
      return OracleOutput.resultLine(id: .number(Double(step + 1)), engine: v.engine, verdicts: [v]) + "\n"
    }
    let fixes = v.failure == nil ? [] : known ?? self.fixes(step: step, engine: v.engine)
    var out = VerdictText.render(v, request: builder.step(step).request, style: style, index: step + 1, fixes: fixes) + "\n"
    for problem in builder.mismatches(step: step, engine: v.engine, verdict: v, fixes: { fixes },
                                      fixedVerdict: { fix in self.fixedVerdict(step: step, engine: v.engine, applying: fix) }) {
      out += style.red("expectation") + " line \(problem.line): " + problem.message + "\n"
    }
    return out
  }

  /// `expect`, `sends` or `says` just typed: does it hold, in every profile?
  private func checkExpectation() -> String {
    guard builder.page != nil, let step = builder.lastStepIndex else { return "" }
    let problems = Engine.allWithSpec.flatMap { e in
      builder.mismatches(step: step, engine: e, verdict: verdicts(e)[step], onLine: lineNumber,
                         fixes: { self.fixes(step: step, engine: e) },
                         fixedVerdict: { fix in self.fixedVerdict(step: step, engine: e, applying: fix) })
    }
    if problems.isEmpty { return style.green("✓") + " holds for request \(step + 1)\n" }
    failedExpectations += 1
    return problems.map { style.red("expectation") + " line \($0.line): " + $0.message + "\n" }.joined()
  }

  /// `BLOCKED at preflight: method-not-allowed` or `READABLE cors 200`.
  static func short(_ v: Verdict) -> String {
    var s = VerdictText.headline(v)
    if let r = v.reason { s += " at \(v.stage?.rawValue ?? "?"): " + r.rawValue } else { s += " \(v.responseType?.rawValue ?? "") \(v.status.map(String.init) ?? "")" }
    return s
  }

  private func notices() -> String {
    builder.takeNotices().map { style.yellow("note") + " " + $0 + "\n" }.joined()
  }

  private func closeBlock() -> String {
    guard builder.isInBlock else { return "" }
    do { try builder.finish(lineNumber: lineNumber) } catch {
      rejectedLines += 1
      return self.error(describe(error))
    }
    return notices() + report()
  }

  /// An error line (with the line number when reading a pipe or file).
  func error(_ message: String) -> String {
    style.red("error") + " " + (showsLineNumbers ? "line \(lineNumber): " : "") + message + "\n"
  }

  /// Counts a command's failure (a piped session exits non-zero) and words it as an error.
  func failure(_ message: String) -> SessionOutput {
    rejectedLines += 1
    return .text(error(message))
  }

  private func describe(_ error: Error) -> String {
    if let d = error as? ScenarioDiagnostic {
      // In a session the "file" is the session itself: say the column and the problem.
      return (d.column > 0 ? "column \(d.column): " : "") + d.message
    }
    return "\(error)"
  }

  /// A request number (default: the last), or why not.
  func stepIndex(_ argument: String) -> Result<Int, SessionProblem> {
    let steps = builder.stepCount
    guard steps > 0 else { return .failure(SessionProblem("no request yet: add one with `fetch URL`")) }
    if argument.isEmpty { return .success(steps - 1) }
    guard let n = Int(argument), n >= 1, n <= steps else {
      return .failure(SessionProblem("request '\(argument)' does not exist (1–\(steps))"))
    }
    return .success(n - 1)
  }

  /// Resolves a path against the working directory (`~/` is the home directory).
  func resolve(_ path: String) -> String {
    let expanded = path.hasPrefix("~/") ? NSString(string: path).expandingTildeInPath : path
    return expanded.hasPrefix("/") ? expanded : workingDirectory + "/" + expanded
  }

  // MARK: Completion

  /// Origins the session has named: the page's, and those of its requests and routes.
  public var originsUsed: [String] {
    var seen = Set<String>(), out: [String] = []
    let urls = (builder.page.map { [$0.url.href] } ?? []) + requestURLs + routeURLs
    for url in urls {
      guard let u = try? URLRecord(url), u.scheme == "http" || u.scheme == "https" else { continue }
      let origin = u.origin.serialization
      if seen.insert(origin).inserted { out.append(origin) }
    }
    return out
  }

  /// URLs of the session's requests (as typed) — the last 50, newest first.
  public var requestURLs: [String] {
    let count = builder.stepCount
    return (max(0, count - 50)..<count).reversed().map { builder.step($0).request.url }
  }

  /// URLs of the session's routes.
  public var routeURLs: [String] { builder.routeURLs }

  /// Candidates for the word being completed at `cursor` (a character offset).
  public func completions(line: String, cursor: Int) -> [String] {
    let prefix = String(line.prefix(cursor))
    let words = prefix.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
    let current = words.last ?? ""
    let before = words.dropLast().filter { !$0.isEmpty }
    // In a block, or an indented line: header names, CORS ones first, then (after the colon) their values.
    if builder.isInBlock || prefix.hasPrefix(" ") {
      if before.isEmpty {
        return SessionHelp.headerNames.filter { $0.lowercased().hasPrefix(current.lowercased()) }.map { $0 + ":" }
      }
      if let name = before.first, name.hasSuffix(":") {
        return SessionHelp.headerValues(String(name.dropLast()), session: self).filter { $0.hasPrefix(current) }
      }
    }
    guard let first = before.first else { return Array(Set(registry.names.filter { $0.hasPrefix(current) })).sorted() }
    let context = CompletionContext(preceding: before, current: current, session: self)
    let arguments = before.dropFirst().map { Substring($0) }
    let candidates = registry.commands(named: first.hasSuffix("!") ? String(first.dropLast()) : first)
    // The command the words so far select (`load image` is an element's load), or all that share the name.
    let chosen = candidates.first { $0.accepts(arguments) && !arguments.isEmpty } ?? nil
    return Array(Set((chosen.map { [$0] } ?? candidates).flatMap { $0.complete(context) })).sorted()
  }
}

/// Why a command's argument was refused.
struct SessionProblem: Error {
  var message: String
  init(_ message: String) { self.message = message }
}

extension SessionOutput {
  var text: String {
    if case .text(let t) = self { return t }
    return ""
  }
}

extension String {
  func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}
