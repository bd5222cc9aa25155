import TerminalTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Keys as a terminal sends them.
enum Key {
  static let enter = "\r"
  static let tab = "\t"
  static let escape = "\u{1B}"
  static let up = "\u{1B}[A"
  static let left = "\u{1B}[D"
  static let controlA = "\u{01}"
  static let controlC = "\u{03}"
  static let controlD = "\u{04}"
}

/// Drives LineEditorFixture (an EditLineReader on libedit) through a real pseudo-terminal.
@Suite("EditLineReader on a pseudo-terminal", .serialized)
struct EditLineReaderTerminalTests {
  let home = TemporaryDirectory()

  /// The `got: [...]` lines the fixture printed, in order.
  static func echoedLines(_ screen: String) -> [String] {
    screen.split(separator: "\n").compactMap { line in
      guard let start = line.firstRange(of: "got: [")?.upperBound, line.hasSuffix("]") else { return nil }
      return String(line[start..<line.index(before: line.endIndex)])
    }
  }

  /// Waits for the next prompt (keys typed before it would reach a terminal in cooked mode, where
  /// Ctrl-D is the terminal's own end-of-file), then ends the session with Ctrl-D.
  static func endSession(_ terminal: PseudoTerminal) throws {
    try terminal.expect("demo> ")
    try terminal.type(Key.controlD, thenSee: "bye")
    #expect(try terminal.waitForExit() == 0)
  }

  @Test("a typed line comes back, and the reader is libedit's")
  func typedLine() throws {
    let terminal = try Fixture.start(["--no-editrc"], home: home.path, waitFor: nil)
    try terminal.expect("reader: editline")
    try terminal.expect("demo> ")
    try terminal.type("hello, wörld" + Key.enter, thenSee: "got: [hello, wörld]")
  }

  @Test("keys typed the moment the prompt shows are read in raw mode (not echoed twice, Ctrl-D not lost)")
  func rawModeBeforePrompt() throws {
    for _ in 0..<5 {
      let terminal = try Fixture.start(["--no-editrc"], home: home.path)
      #expect(terminal.isInRawMode, "the prompt is shown only once the terminal is in raw mode")
      try terminal.type("page x" + Key.enter, thenSee: "demo> ")
      try terminal.type(Key.controlD, thenSee: "bye")
      #expect(!terminal.screenText.contains("page x\npage x"), "\(terminal.screenText)")
    }
  }

  @Test("a prompt with escape sequences and a right prompt: the line is still edited right")
  func styledAndRightPrompts() throws {
    let terminal = try Fixture.start(["--no-editrc", "--styled-prompt", "--right-prompt", "[chromium]"], home: home.path)
    let raw = String(decoding: terminal.rawOutput, as: UTF8.self)
    #expect(raw.contains("\u{1B}[1mdemo\u{1B}[0m> "), "the prompt kept its escape sequences")
    try terminal.expect("[chromium]")
    try terminal.type("world" + Key.controlA + "hello " + Key.enter, thenSee: "got: [hello world]")
    #expect(!terminal.screenText.contains("\u{1}"), "the width markers are not shown")
  }

  @Test("emacs keys by default: Ctrl-A goes to the start of the line")
  func emacsKeys() throws {
    let terminal = try Fixture.start(["--no-editrc"], home: home.path)
    try terminal.type("world" + Key.controlA + "hello " + Key.enter, thenSee: "got: [hello world]")
  }

  @Test("TAB completes a unique word and adds a blank; header names ignore case")
  func uniqueCompletion() throws {
    let terminal = try Fixture.start(["--no-editrc"], home: home.path)
    try terminal.type("bro", thenSee: "bro")
    try terminal.type(Key.tab, thenSee: "wser")
    try terminal.type("access-control-allow-o", thenSee: "allow-o")
    try terminal.type(Key.tab, thenSee: "Access-Control-Allow-Origin")
    try terminal.type(Key.enter, thenSee: "got: [browser Access-Control-Allow-Origin ]")
  }

  @Test("TAB inserts the common prefix; a second TAB lists the candidates in columns")
  func ambiguousCompletion() throws {
    let terminal = try Fixture.start(["--no-editrc"], home: home.path)
    try terminal.type("fe", thenSee: "fe")
    try terminal.type(Key.tab, thenSee: "tch")
    terminal.send(Key.tab)
    let listing = try terminal.expect("fetch-all")
    #expect(listing.contains("\nfetch      fetch-all"), "listing: \(listing.debugDescription)")
    try terminal.expect("demo> fetch")  // the line is shown again under the listing
    try terminal.type("-a" + Key.tab, thenSee: "ll")
    try terminal.type("https://api.example" + Key.enter, thenSee: "got: [fetch-all https://api.example]")
  }

  @Test("TAB completes file names for load: directories go on with /, files end with a blank")
  func fileNameCompletion() throws {
    let files = TemporaryDirectory()
    files.makeDirectory("scenarios")
    files.write("scenarios/preflight.cors", "")
    files.write("notes.txt", "")
    let terminal = try Fixture.start(["--no-editrc"], home: home.path)
    try terminal.type("load \(files.path)/sc", thenSee: "/sc")
    try terminal.type(Key.tab, thenSee: "enarios/")
    try terminal.type("pre" + Key.tab, thenSee: "flight.cors")
    try terminal.type(Key.enter, thenSee: "got: [load \(files.path)/scenarios/preflight.cors ]")
  }

  @Test("history carries over to a second session, kept in a 0600 file")
  func historyAcrossSessions() throws {
    let state = TemporaryDirectory()
    let historyFile = state.file("deep/er/history")
    do {
      let first = try Fixture.start(["--no-editrc", "--history", historyFile], home: home.path)
      try first.type("page https://app.example" + Key.enter, thenSee: "demo> ")
      try first.type("browser chromium" + Key.enter, thenSee: "demo> ")
      try first.type(Key.controlD, thenSee: "bye")
      #expect(try first.waitForExit() == 0)
    }
    #expect(state.read("deep/er/history") == "page https://app.example\nbrowser chromium\n")
    #expect(state.mode("deep/er/history") == 0o600)
    #expect(state.mode("deep/er") == 0o700)

    let second = try Fixture.start(["--no-editrc", "--history", historyFile], home: home.path)
    try second.type(Key.up, thenSee: "browser chromium")
    try second.type(Key.up, thenSee: "page https://app.example")
    try second.type(Key.enter, thenSee: "got: [page https://app.example]")
  }

  @Test("the XDG state directory is the default place when the REPL asks for it")
  func historyDefaultsToXDGStateHome() throws {
    let state = TemporaryDirectory()
    let terminal = try Fixture.start(
      ["--no-editrc", "--history", "default"], home: home.path, environment: ["XDG_STATE_HOME": state.path])
    try terminal.type("route /api" + Key.enter + Key.enter, thenSee: "block: 1 lines")
    try Self.endSession(terminal)
    #expect(state.read("fixture/history") == "route /api\n")
    #expect(state.mode("fixture/history") == 0o600)
  }

  @Test("the history file is bounded, skips repeats and blank lines, and is made 0600")
  func historyBoundedAndDeduplicated() throws {
    let state = TemporaryDirectory()
    state.write("history", "old one\n", mode: 0o644)
    let terminal = try Fixture.start(
      ["--no-editrc", "--history", state.file("history"), "--history-size", "3"], home: home.path)
    #expect(state.mode("history") == 0o600, "a wider file is restricted when it is loaded")
    for line in ["one", "one", "   ", "", "two", "two", "three"] {
      try terminal.type(line + Key.enter, thenSee: "got: [\(line)]")
      try terminal.expect("demo> ")
    }
    #expect(state.read("history") == "one\ntwo\nthree\n")
    #expect(state.mode("history") == 0o600)
  }

  @Test("a multi-line paste arrives whole and in order, tabs included")
  func multiLinePaste() throws {
    let terminal = try Fixture.start(["--no-editrc"], home: home.path)
    let paste = [
      "fetch https://api.example/data", "  Origin: https://app.example", "\tAccept: text/plain", "",
      "route /data", "  Access-Control-Allow-Origin: *", "  X-Note:\tkept as typed", "", "page https://app.example",
    ]
    try terminal.type(paste.joined(separator: Key.enter) + Key.enter, thenSee: "got: [page https://app.example]")
    let screen = terminal.screenText
    #expect(Self.echoedLines(screen) == paste)
    #expect(screen.split(separator: "\n").filter { $0 == "block: 3 lines" }.count == 2)
    #expect(screen.contains("...> "), "continuation lines get the continuation prompt")
  }

  @Test("a long paste (400 lines, bigger than the terminal's input buffer) loses and swaps nothing")
  func longPaste() throws {
    let terminal = try Fixture.start(["--no-editrc"], home: home.path)
    let paste = (1...400).map { "page https://app.example/\($0)?q=\(String(repeating: "x", count: $0 % 50))" }
    try terminal.type(paste.joined(separator: Key.enter) + Key.enter, thenSee: "got: [\(paste.last!)]", timeout: 30)
    // Each line's "got: […]" in order. Searched for in the output rather than read line by line: on a loaded
    // machine the terminal's echo of input not yet read can land on the same screen line as a reply.
    var rest = terminal.screenText[...]
    for line in paste {
      guard let found = rest.firstRange(of: "got: [\(line)]") else {
        Issue.record("line \(line) was lost or came out of order")
        break
      }
      rest = rest[found.upperBound...]
    }
  }

  @Test("Ctrl-C drops the half-typed line, the session goes on and keeps what came before")
  func controlCCancelsLine() throws {
    let terminal = try Fixture.start(["--no-editrc"], home: home.path)
    try terminal.type("page https://app.example" + Key.enter, thenSee: "demo> ")
    try terminal.type("half typed", thenSee: "half typed")
    try terminal.type(Key.controlC, thenSee: "^C")
    try terminal.expect("demo> ")
    try terminal.type("after" + Key.enter, thenSee: "got: [after]")

    // In a block, Ctrl-C abandons the block: the next line is a command again.
    try terminal.type("fetch https://api.example" + Key.enter, thenSee: "...> ")
    try terminal.type("  Origin: x" + Key.enter, thenSee: "...> ")
    try terminal.type("  Accept: half" + Key.controlC, thenSee: "block cancelled")
    try terminal.expect("demo> ")
    terminal.send(Key.up)
    try terminal.expect("Origin: x")  // earlier lines are still in the history
    terminal.send(Key.controlA + "\u{0B}" + "history" + Key.enter)  // Ctrl-K kills to the end
    try terminal.expect("got: [history]")
    let listed = try terminal.expect("demo> ")
    #expect(!listed.contains("half"))
    #expect(listed.contains("1 page https://app.example"))
    #expect(!terminal.screenText.contains("got: [half typed"))
  }

  @Test("Ctrl-D deletes under the cursor on a non-empty line and ends the session on an empty one")
  func controlD() throws {
    let terminal = try Fixture.start(["--no-editrc"], home: home.path)
    try terminal.type("abc" + Key.left + Key.left + Key.controlD + Key.enter, thenSee: "got: [ac]")
    try terminal.expect("demo> ")
    try terminal.type(Key.controlD, thenSee: "bye")
    #expect(try terminal.waitForExit() == 0)
  }

  @Test("a history file of random bytes: one clear warning, a working session, then a good file")
  func corruptHistoryFile() throws {
    let state = TemporaryDirectory()
    let garbage: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x00, 0xFF, 0xFE, 0x9C, 0x00, 0x13]
    state.write("history", garbage, mode: 0o600)
    let terminal = try Fixture.start(["--no-editrc", "--history", state.file("history")], home: home.path, waitFor: nil)
    let warning = try terminal.expect("demo> ")
    #expect(
      warning.contains(
        "fixture: warning: history file \(state.file("history")) contains a control character (byte 0x7F at offset 0); starting with an empty history"
      ), "\(warning)")
    terminal.send(Key.up)  // nothing to recall
    try terminal.type("still works" + Key.enter, thenSee: "got: [still works]")
    try Self.endSession(terminal)
    #expect(state.read("history") == "still works\n")
    #expect(state.mode("history") == 0o600)
  }

  @Test("a directory where the history file should be: warnings, a working session, nothing lost")
  func directoryInPlaceOfHistory() throws {
    let state = TemporaryDirectory()
    state.makeDirectory("history")
    let terminal = try Fixture.start(["--no-editrc", "--history", state.file("history")], home: home.path, waitFor: nil)
    let start = try terminal.expect("demo> ")
    #expect(start.contains("fixture: warning: history file \(state.file("history")) is a directory; going on without saved history"))
    for line in ["first", "second"] {
      try terminal.type(line + Key.enter, thenSee: "got: [\(line)]")
      try terminal.expect("demo> ")
    }
    terminal.send(Key.up)
    try terminal.expect("second")  // the session's own history still works
    try terminal.type(Key.enter, thenSee: "got: [second]")
    try Self.endSession(terminal)
    let saveWarnings = terminal.screenText.split(separator: "\n").filter { $0.contains("cannot save history") }
    #expect(saveWarnings == ["fixture: warning: cannot save history to \(state.file("history")): is a directory"])
    #expect(state.isDirectory("history"))
  }

  @Test("vi keys with --vi: Escape, then 0dw deletes the first word")
  func viModeFlag() throws {
    let terminal = try Fixture.start(["--no-editrc", "--vi"], home: home.path)
    try terminal.type("hello world" + Key.escape + "0dw" + Key.enter, thenSee: "got: [world]")
    // Ctrl-D deletes under the cursor in vi insert mode too (Escape h i: back one, insert again).
    try terminal.type("abc" + Key.escape + "hi" + Key.controlD + Key.enter, thenSee: "got: [ac]")
    terminal.send("x" + Key.escape + Key.controlC)  // Ctrl-C also works in vi command mode
    try terminal.expect("^C")
    try terminal.type("after" + Key.enter, thenSee: "got: [after]")
  }

  @Test("vi keys chosen in ~/.editrc, and switched at run time (mode emacs, an editrc command)")
  func viModeFromEditrcAndSwitching() throws {
    home.write(".editrc", "# choose vi\nfixture:bind -v\n")
    let terminal = try Fixture.start([], home: home.path)
    try terminal.type("hello world" + Key.escape + "0dw" + Key.enter, thenSee: "got: [world]")
    try terminal.type("mode emacs" + Key.enter, thenSee: "mode: emacs")
    try terminal.expect("demo> ")
    try terminal.type("world" + Key.controlA + "hello " + Key.enter, thenSee: "got: [hello world]")
    try terminal.type("editrc bind -v" + Key.enter, thenSee: "editrc: ok")
    try terminal.expect("demo> ")
    try terminal.type("one two" + Key.escape + "0dw" + Key.enter, thenSee: "got: [two]")
  }

  @Test("TERM=dumb: no line editing, the piped reader shows the prompts")
  func dumbTerminal() throws {
    let terminal = try Fixture.start([], home: home.path, environment: ["TERM": "dumb"], waitFor: nil)
    try terminal.expect("reader: piped")
    try terminal.expect("demo> ")
    terminal.send("plain" + Key.enter, evenIfCooked: true)
    try terminal.expect("got: [plain]")
  }
}
