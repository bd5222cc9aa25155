import CORSScenario
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CORSText
import LineEditor

/// Writes text to a file descriptor (standard output by default); false when it is closed. Standard output
/// that can no longer be written (a reader that went away: EPIPE, SIGPIPE being ignored) ends corsim with the
/// documented status 1 for an I/O failure, whatever the command.
@discardableResult
func writeAll(_ text: String, to fd: Int32 = 1) -> Bool {
  if Terminal.write(text, to: fd) { return true }
  if fd == STDOUT_FILENO {
    let reason = String(cString: strerror(errno))
    _ = Terminal.write("corsim: cannot write to standard output: \(reason)\n", to: STDERR_FILENO)
    exit(1)
  }
  return false
}

extension Terminal {
  /// Colour on a terminal, plain text when piped, when NO_COLOR is set (to anything non-empty) or TERM=dumb.
  static func style(fd: Int32 = 1) -> TextStyle {
    TextStyle(color: allowsColor(isTerminal: isTerminal(fd)))
  }
}
