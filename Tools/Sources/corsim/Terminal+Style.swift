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
func writeAll(_ text: String, to fd: Int32 = 1) -> Bool { written(Terminal.write(text, to: fd), to: fd) }

/// `writeAll(_:to:)` for bytes.
@discardableResult
func writeAll(_ bytes: [UInt8], to fd: Int32 = 1) -> Bool { written(Terminal.write(bytes, to: fd), to: fd) }

/// Whether a write went through; corsim ends with status 1 when standard output could not be written.
private func written(_ done: Bool, to fd: Int32) -> Bool {
  if done { return true }
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
