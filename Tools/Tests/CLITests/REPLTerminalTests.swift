import Foundation
import LineEditor
import TerminalTestSupport
import Testing

/// The real `corsim` REPL on a pseudo-terminal, driven as a person would.
@Suite("corsim REPL on a terminal", .serialized)
struct REPLTerminalTests {
  static let binary: String = {
    let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let beside = folder.appendingPathComponent("corsim").path
    return FileManager.default.fileExists(atPath: beside) ? beside : packageRootForCLI() + "/.build/debug/corsim"
  }()

  func start(_ home: TemporaryDirectory, _ extra: [String: String] = [:], arguments: [String] = []) throws -> PseudoTerminal {
    var environment = ["HOME": home.path, "TERM": "xterm", "LANG": "C.UTF-8", "NO_COLOR": "1",
                       "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
    environment.merge(extra) { $1 }
    let terminal = try PseudoTerminal(Self.binary, arguments, environment: environment, rows: 40, columns: 160)
    try terminal.expect("corsim> ")
    return terminal
  }

  @Test("typing a scenario shows the verdict when the request block ends")
  func typing() throws {
    let home = TemporaryDirectory()
    let t = try start(home)
    _ = try t.type("page https://app.example\r", thenSee: "corsim> ")
    _ = try t.type("fetch https://api.example/data credentials=include\r", thenSee: "...> ")
    let out = try t.type("\r", thenSee: "corsim> ")
    #expect(out.contains("BLOCKED"))
    #expect(out.contains("missing-allow-origin"))
    t.send("\u{4}")
    #expect(try t.waitForExit() == 0)
  }

  @Test("--keys vi: Escape enters command mode, where vi keys edit the line")
  func viKeys() throws {
    let home = TemporaryDirectory()
    let t = try start(home, arguments: ["repl", "--keys", "vi"])
    // Type a wrong word, go to command mode, move to the start (0), change the word (cw), and enter.
    t.send("hlep")
    usleep(150_000)
    t.send("\u{1B}")
    usleep(150_000)
    t.send("0cw")
    usleep(150_000)
    let out = try t.type("help\r", thenSee: "corsim> ")
    #expect(out.contains("fetch"), "help ran: \(out)")
    #expect(!out.contains("unknown command"))
    t.send("\u{4}")
    #expect(try t.waitForExit() == 0)
  }

  @Test("TAB completes commands, options and header names")
  func completion() throws {
    let home = TemporaryDirectory()
    let t = try start(home)
    _ = try t.type("page https://app.example\r", thenSee: "corsim> ")
    t.send("fet")
    usleep(200_000)
    _ = try t.type("\t", thenSee: "fetch ")
    t.send("https://api.example/x cred")
    usleep(200_000)
    _ = try t.type("\t", thenSee: "credentials=")
    // Keys that arrive together with a TAB count as a paste (the TAB is kept); type, pause, then TAB.
    t.send("inc")
    usleep(200_000)
    _ = try t.type("\t", thenSee: "lude")
    _ = try t.type("\r", thenSee: "...> ")
    t.send("Access-Control-Req")
    usleep(200_000)
    _ = try t.type("\t", thenSee: "Access-Control-Request-")
    // Ctrl-U empties the line; the empty line ends the block (Ctrl-C would abandon it).
    t.send("\u{15}")
    usleep(100_000)
    _ = try t.type("\r", thenSee: "corsim> ")
    // What TAB completed is what the session holds.
    let shown = try t.type("show\r", thenSee: "corsim> ")
    #expect(shown.contains("fetch https://api.example/x credentials=include"))
    t.send("\u{4}")
    #expect(try t.waitForExit() == 0)
  }

  @Test("history survives into a second session, in a 0600 file")
  func history() throws {
    let home = TemporaryDirectory()
    let first = try start(home)
    _ = try first.type("browser webkit\r", thenSee: "corsim> ")
    first.send("\u{4}")
    #expect(try first.waitForExit() == 0)
    let path = home.path + "/.local/state/corsim/history"
    #expect(home.read(".local/state/corsim/history")?.contains("browser webkit") == true)
    #expect(home.mode(".local/state/corsim/history") == 0o600, "\(path)")
    let second = try start(home)
    second.send("\u{1B}[A")  // Up
    _ = try second.expect("browser webkit")
    second.send("\u{3}\u{4}")
    #expect(try second.waitForExit() == 0)
  }

  @Test("a multi-line paste of a raw HTTP request and response arrives whole")
  func paste() throws {
    let home = TemporaryDirectory()
    let t = try start(home)
    let pasted = [
      "PUT /items/7 HTTP/1.1", "Host: api.example", "Origin: https://app.example", "Content-Type: application/json", "",
      "HTTP/1.1 204 No Content", "Access-Control-Allow-Origin: https://app.example", "Access-Control-Allow-Methods: PUT",
      "Access-Control-Allow-Headers: content-type", "", "route PUT https://api.example/items/7",
      "Access-Control-Allow-Origin: https://app.example", "", "",
    ].joined(separator: "\r")
    t.send(pasted)
    let out = try t.expect("now [1] READABLE cors 200")
    #expect(out.contains("the page is https://app.example"))
    t.send("\u{4}")
    #expect(try t.waitForExit() == 0)
  }

  @Test("Ctrl-C drops the line being typed and a block in progress; the session goes on")
  func interrupt() throws {
    let home = TemporaryDirectory()
    let t = try start(home)
    _ = try t.type("page https://app.example\r", thenSee: "corsim> ")
    t.send("route GET https://api.exam")
    t.send("\u{3}")
    _ = try t.expect("corsim> ")
    _ = try t.type("show\r", thenSee: "corsim> ")
    #expect(!t.screenText.contains("route GET https://api.exam\n"), "the interrupted line was not run")
    _ = try t.type("fetch https://api.example/data\r", thenSee: "...> ")
    t.send("\u{3}")
    let out = try t.expect("corsim> ")
    #expect(!out.contains("BLOCKED") && out.contains("dropped"), "Ctrl-C abandons the block: \(out)")
    #expect(!(try t.type("show\r", thenSee: "corsim> ")).contains("fetch https://api.example/data"))
    t.send("\u{4}")
    #expect(try t.waitForExit() == 0)
  }

  @Test("a corrupt history file gets a warning and a working session")
  func corruptHistory() throws {
    let home = TemporaryDirectory()
    home.makeDirectory(".local")
    home.makeDirectory(".local/state")
    home.makeDirectory(".local/state/corsim")
    home.write(".local/state/corsim/history", [0x7F, 0x00, 0xFF, 0x01, 0x0A])
    let environment = ["HOME": home.path, "TERM": "xterm", "LANG": "C.UTF-8", "NO_COLOR": "1"]
    let t = try PseudoTerminal(Self.binary, [], environment: environment, rows: 40, columns: 160)
    let shown = try t.expect("corsim> ")
    #expect(shown.contains("warning"))
    _ = try t.type("help\r", thenSee: "corsim> ")
    t.send("\u{4}")
    #expect(try t.waitForExit() == 0)
  }
}

/// Time from starting `corsim` to its first prompt on a pseudo-terminal, with a 1000-entry history. Runs
/// only when CORSIM_MEASURE_STARTUP is set (to the number of runs); point CORSIM_BINARY at a release build:
///
///     swift build -c release --product corsim
///     CORSIM_MEASURE_STARTUP=50 CORSIM_BINARY=$PWD/.build/release/corsim swift test --filter REPLStartup
@Suite("corsim start-up time")
struct REPLStartupTests {
  @Test("first prompt after start", .enabled(if: ProcessInfo.processInfo.environment["CORSIM_MEASURE_STARTUP"] != nil))
  func firstPrompt() throws {
    let env = ProcessInfo.processInfo.environment
    let runs = env["CORSIM_MEASURE_STARTUP"].flatMap { Int($0) } ?? 20
    let binary = env["CORSIM_BINARY"] ?? REPLTerminalTests.binary
    let home = TemporaryDirectory()
    home.makeDirectory(".local")
    home.makeDirectory(".local/state")
    home.makeDirectory(".local/state/corsim")
    home.write(".local/state/corsim/history",
               (1...1000).map { "fetch https://api.example/items/\($0) credentials=include\n" }.joined(), mode: 0o600)
    var milliseconds: [Double] = []
    for _ in 0..<runs {
      let start = Deadline.now()
      let t = try PseudoTerminal(binary, [], environment: ["HOME": home.path, "TERM": "xterm", "LANG": "C.UTF-8"])
      _ = try t.expect("corsim> ")
      milliseconds.append(Double(Deadline.now() - start) / 1_000_000)
      t.send("\u{4}")
      _ = try t.waitForExit()
    }
    milliseconds.sort()
    let median = milliseconds[milliseconds.count / 2]
    let report = "corsim first prompt over \(runs) runs: median \(median) ms, min \(milliseconds.first!) ms, max \(milliseconds.last!) ms"
    print(report)
    #expect(median < 100, "\(report)")
  }
}
