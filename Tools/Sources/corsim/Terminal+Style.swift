import CORSScenario
import CORSText
import LineEditor

/// Writes text to a file descriptor (standard output by default); false when it is closed.
@discardableResult
func writeAll(_ text: String, to fd: Int32 = 1) -> Bool { Terminal.write(text, to: fd) }

extension Terminal {
  /// Colour on a terminal, plain text when piped, when NO_COLOR is set (to anything non-empty) or TERM=dumb.
  static func style(fd: Int32 = 1) -> TextStyle {
    TextStyle(color: allowsColor(isTerminal: isTerminal(fd)))
  }
}
