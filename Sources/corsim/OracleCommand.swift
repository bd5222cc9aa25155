import ArgumentParser
import CORSScenario

/// `corsim oracle`: JSON lines in, one result line out per scenario, in order.
struct OracleCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "oracle",
    abstract: "Read scenarios as JSON lines on standard input; write one result line per scenario.",
    discussion: """
      Each input line is a scenario ({"id", "browser", "page", "steps", "server", ...}); each output line is its
      result ({"id", "browser", "steps": [...]}) or {"id", "error"} when the line is not a valid scenario. The
      stream goes on after an error line. See README.md, "The oracle".

      Exit status: 0 when every line was answered (error lines included), 1 on an I/O failure.
      """)

  @Flag(name: .long, help: "Add trace, fix, notCORS and notes to every step (extension fields).")
  var explain = false

  func run() throws {
    let oracle = Oracle(explain: explain)
    var lineNumber = 0
    var out = ""
    out.reserveCapacity(1 << 16)
    while let line = readLine(strippingNewline: true) {
      lineNumber += 1
      if let answer = oracle.answer(line: line, lineNumber: lineNumber) {
        out += answer
        out += "\n"
        if out.utf8.count > 1 << 15 {
          guard writeAll(out) else { throw ExitCode(1) }
          out.removeAll(keepingCapacity: true)
        }
      }
    }
    guard writeAll(out) else { throw ExitCode(1) }
  }
}
