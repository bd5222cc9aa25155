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
    var lines = BoundedLineReader(limit: Oracle.maximumLineLength)
    while let next = lines.next() {
      lineNumber += 1
      let answer: String?
      switch next {
      case .text(let line):
        answer = oracle.answer(line: line.hasSuffix("\r") ? String(line.dropLast()) : line, lineNumber: lineNumber)
      case .tooLong(let length):
        answer = JSONWriter.serialize(OracleOutput.error(id: .null, message:
          "input line \(lineNumber) is \(length) bytes long; at most \(Oracle.maximumLineLength) bytes per line"))
      }
      if let answer {
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
