import TerminalTestSupport
import LineEditor
import Testing

/// Time from starting the fixture to its first prompt on a pseudo-terminal, with a full history file
/// (1000 entries). Runs only when LINEEDITOR_MEASURE_STARTUP is set (to the number of runs); point
/// LINEEDITOR_FIXTURE at a release build:
///
///     swift build -c release --product LineEditorFixture
///     LINEEDITOR_MEASURE_STARTUP=50 LINEEDITOR_FIXTURE=$PWD/.build/release/LineEditorFixture \
///       swift test --filter StartupTime
@Suite("Start-up time")
struct StartupTimeTests {
  @Test(
    "first prompt after start", .enabled(if: Terminal.environmentValue("LINEEDITOR_MEASURE_STARTUP") != nil))
  func firstPrompt() throws {
    let runs = Terminal.environmentValue("LINEEDITOR_MEASURE_STARTUP").flatMap { Int($0) } ?? 20
    let home = TemporaryDirectory()
    home.write("history", (1...1000).map { "fetch https://api.example/items/\($0) with some more text\n" }.joined(), mode: 0o600)
    var milliseconds: [Double] = []
    for _ in 0..<runs {
      let start = Deadline.now()
      let terminal = try PseudoTerminal(
        Fixture.path, ["--no-editrc", "--history", home.file("history")], environment: Fixture.environment(home: home.path))
      try terminal.expect("demo> ")
      milliseconds.append(Double(Deadline.now() - start) / 1_000_000)
      terminal.send("\u{04}")
      try terminal.waitForExit()
    }
    milliseconds.sort()
    let median = milliseconds[milliseconds.count / 2]
    let report = "first prompt of \(Fixture.path) over \(runs) runs: median \(median) ms, min \(milliseconds.first!) ms, max \(milliseconds.last!) ms"
    print(report)
    #expect(median < 500, "\(report)")
  }
}
