import CORSScenario
#if canImport(Glibc)
import Glibc
#endif

/// Where the REPL's lines come from.
protocol REPLLineReader {
  /// The next line, or nil at the end of the input.
  mutating func readLine(prompt: String) -> String?
  /// Saves what must be saved (history).
  mutating func close()
}

/// Lines from a pipe or a file: no prompt, no editing.
struct PipedREPLReader: REPLLineReader {
  mutating func readLine(prompt: String) -> String? { Swift.readLine(strippingNewline: true) }
  mutating func close() {}
}

/// Lines typed on a terminal without a line editor: the prompt is shown, the terminal's own editing applies.
struct BasicTerminalReader: REPLLineReader {
  mutating func readLine(prompt: String) -> String? {
    writeAll(prompt)
    return Swift.readLine(strippingNewline: true)
  }
  mutating func close() { writeAll("\n") }
}

func makeLineReader(session: Session) -> any REPLLineReader {
  isatty(0) == 1 ? BasicTerminalReader() : PipedREPLReader()
}
