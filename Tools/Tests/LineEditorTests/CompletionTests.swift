import TerminalTestSupport
import Testing

@testable import LineEditor

@Suite("Completion")
struct CompletionTests {
  static let vocabulary = WordCompleter(["fetch", "fetch-all", "route", "page", "browser"])
  static let headers = WordCompleter(
    ["Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Origin"], caseSensitive: false)

  /// What TAB does on `line` with the cursor at `|`.
  static func action(_ marked: String, _ completer: some Completer, second: Bool = false) -> (CompletionAction, CompletionRequest) {
    let cursor = marked.firstIndex(of: "|")!
    let line = marked.filter { $0 != "|" }
    let request = CompletionRequest(line: line, cursorOffset: marked.distance(from: marked.startIndex, to: cursor))
    return (CompletionEngine.action(for: completer.completions(for: request), in: request, listIfStuck: second), request)
  }

  /// The line after applying a replacement.
  static func applied(_ marked: String, _ completer: some Completer) -> String? {
    let (action, request) = action(marked, completer)
    guard case .replace(let range, let text) = action else { return nil }
    var line = request.line
    line.replaceSubrange(range, with: text)
    return line
  }

  @Test("the request knows the word at the cursor and the words before it")
  func request() {
    let request = CompletionRequest(line: "load  scen rest", cursorOffset: 10)
    #expect(request.textBeforeCursor == "load  scen")
    #expect(request.currentWord == "scen")
    #expect(request.precedingWords == ["load"])
    #expect(CompletionRequest(line: "load ").currentWord == "")
    #expect(CompletionRequest(line: "load ").precedingWords == ["load"])
    #expect(CompletionRequest(line: "x", cursorOffset: 99).cursor == "x".endIndex)
  }

  @Test("a unique candidate is inserted with a blank; none if a blank already follows")
  func unique() {
    #expect(Self.applied("ro|", Self.vocabulary) == "route ")
    #expect(Self.applied("ro| /api", Self.vocabulary) == "route /api")
    #expect(Self.action("route| /api", Self.vocabulary).0 == .beep, "already complete, a blank follows")
  }

  @Test("several candidates: the common prefix first, then a beep, then a listing on the second TAB")
  func ambiguous() {
    #expect(Self.applied("fe|", Self.vocabulary) == "fetch")
    #expect(Self.action("fetch|", Self.vocabulary).0 == .beep)
    #expect(Self.action("fetch|", Self.vocabulary, second: true).0 == .list(["fetch", "fetch-all"]))
    #expect(Self.action("zz|", Self.vocabulary).0 == .beep)
  }

  @Test("case-insensitive words take the candidates' spelling")
  func caseInsensitive() {
    #expect(Self.applied("page access-control-allow-o|", Self.headers) == "page Access-Control-Allow-Origin ")
    #expect(Self.applied("page access-control-a|", Self.headers) == "page Access-Control-Allow-")
    #expect(Self.action("page access-control-allow-|", Self.headers).0 == .beep, "same length, other case: no change")
  }

  @Test("completion in the middle of a line replaces only the word before the cursor")
  func middleOfLine() {
    #expect(Self.applied("bro| https://x", Self.vocabulary) == "browser https://x")
  }

  @Test("ClosureCompleter picks a completer by the first word")
  func closure() {
    let completer = ClosureCompleter { request in
      request.precedingWords.first == "page" ? Self.headers.completions(for: request) : Self.vocabulary.completions(for: request)
    }
    #expect(Self.applied("pa|", completer) == "page ")
    #expect(Self.applied("page ori|", completer) == "page Origin ")
  }

  @Test("common prefix by character")
  func commonPrefix() {
    #expect(CompletionEngine.longestCommonPrefix(["fetch", "fetch-all"]) == "fetch")
    #expect(CompletionEngine.longestCommonPrefix(["café", "cafe"]) == "caf")
    #expect(CompletionEngine.longestCommonPrefix([]) == "")
  }

  @Test("listing: columns filled top to bottom within the width")
  func columns() {
    let items = ["alpha", "beta", "gamma", "delta", "epsilon"]
    #expect(ColumnLayout.render(items, width: 80) == "alpha    beta     gamma    delta    epsilon\n")
    #expect(ColumnLayout.render(items, width: 20) == "alpha    delta\nbeta     epsilon\ngamma\n")
    #expect(ColumnLayout.render(["a-very-long-name"], width: 5) == "a-very-long-name\n")
    #expect(ColumnLayout.render([], width: 80) == "")
    #expect(ColumnLayout.displayWidth("日本") == 4)
    #expect(ColumnLayout.displayWidth("e\u{301}✓") == 2, "a combining accent takes no cell")
  }
}

@Suite("FileNameCompleter")
struct FileNameCompleterTests {
  let directory = TemporaryDirectory()

  init() {
    directory.makeDirectory("scenarios")
    directory.write("scenarios/preflight.cors", "")
    directory.write("scenarios/simple.cors", "")
    directory.write("scenarios/notes.txt", "")
    directory.write(".hidden.cors", "")
    directory.write("readme.md", "")
  }

  func candidates(_ line: String, _ completer: FileNameCompleter? = nil) -> [CompletionCandidate] {
    (completer ?? FileNameCompleter(baseDirectory: directory.path)).completions(for: CompletionRequest(line: line)).candidates
  }

  @Test("relative names: directories end in / and are not finished; hidden files only on a dot")
  func relative() {
    #expect(candidates("load ") == [
      CompletionCandidate("readme.md"), CompletionCandidate("scenarios/", display: "scenarios/", isFinished: false),
    ])
    #expect(candidates("load .h").map(\.text) == [".hidden.cors"])
    #expect(candidates("load scenarios/p") == [CompletionCandidate("scenarios/preflight.cors", display: "preflight.cors")])
    #expect(candidates("load nowhere/x").isEmpty)
  }

  @Test("absolute paths, and an extension filter that keeps directories")
  func absoluteAndFiltered() {
    let completer = FileNameCompleter(fileExtensions: ["cors"])
    #expect(candidates("load \(directory.path)/scenarios/", completer).map(\.display) == ["preflight.cors", "simple.cors"])
    #expect(candidates("save \(directory.path)/", completer).map(\.display) == ["scenarios/"])
  }
}

@Suite("Terminal")
struct TerminalTests {
  @Test("colour: only on a terminal, not with NO_COLOR set and non-empty, not with TERM=dumb")
  func colour() {
    func allows(_ environment: [String: String], terminal: Bool = true) -> Bool {
      Terminal.allowsColor(isTerminal: terminal) { environment[$0] }
    }
    #expect(allows(["TERM": "xterm-256color"]))
    #expect(!allows(["TERM": "xterm-256color"], terminal: false))
    #expect(!allows(["TERM": "xterm", "NO_COLOR": "1"]))
    #expect(allows(["TERM": "xterm", "NO_COLOR": ""]), "an empty NO_COLOR does not count")
    #expect(!allows(["TERM": "dumb"]))
  }

  @Test("escape sequences are stripped: CSI, OSC and two-byte escapes")
  func stripping() {
    let text = "\u{1B}[1;31mred\u{1B}[0m \u{1B}]0;title\u{07}plain \u{1B}(Bdone\u{1B}"
    #expect(Terminal.strippingEscapes(text) == "red plain done")
  }

  @Test("prompts for libedit mark escape sequences as taking no width")
  func libeditPrompt() {
    #expect(EditLineReader.libeditPrompt("\u{1B}[1mcorsim\u{1B}[0m> ") == "\u{1}\u{1B}[1m\u{1}corsim\u{1}\u{1B}[0m\u{1}> ")
    #expect(EditLineReader.libeditPrompt("plain> ") == "plain> ")
  }
}
