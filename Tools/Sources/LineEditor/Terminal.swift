import CEditLine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the process's terminal allows: whether a stream is a terminal, whether colour is wanted, and
/// how wide the window is.
public enum Terminal {
  /// True when `fd` is a terminal.
  public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

  /// True when standard input is a terminal.
  public static var standardInputIsTerminal: Bool { isTerminal(STDIN_FILENO) }

  /// True when standard output is a terminal.
  public static var standardOutputIsTerminal: Bool { isTerminal(STDOUT_FILENO) }

  /// The value of an environment variable, or nil when it is not set.
  public static func environmentValue(_ name: String) -> String? { POSIX.environment(name) }

  /// True when a person is at a terminal that can edit lines: standard input and output are both
  /// terminals and TERM is not `dumb` (Emacs' shell buffers, for example, edit lines themselves).
  public static func isInteractive(environment: (String) -> String? = Terminal.environmentValue) -> Bool {
    standardInputIsTerminal && standardOutputIsTerminal && environment("TERM") != "dumb"
  }

  /// Whether output may be coloured: only on a terminal, never when NO_COLOR is set to a non-empty
  /// value (https://no-color.org), never when TERM is `dumb`.
  public static func allowsColor(
    isTerminal: Bool = Terminal.standardOutputIsTerminal,
    environment: (String) -> String? = Terminal.environmentValue
  ) -> Bool {
    guard isTerminal else { return false }
    if let noColor = environment("NO_COLOR"), !noColor.isEmpty { return false }
    if environment("TERM") == "dumb" { return false }
    return true
  }

  /// Writes all of `text` to `fd` (standard output by default), retrying short writes; false when the
  /// descriptor is closed or fails.
  @discardableResult
  public static func write(_ text: String, to fd: Int32 = STDOUT_FILENO) -> Bool { POSIX.writeAll(fd, text) }

  /// Writes all of `bytes` to `fd`, as `write(_:to:)` writes a text.
  @discardableResult
  public static func write(_ bytes: [UInt8], to fd: Int32 = STDOUT_FILENO) -> Bool {
    bytes.withUnsafeBytes { POSIX.writeAll(fd, $0) }
  }

  /// The number of columns of the terminal on `fd`, or nil when it is not a terminal or does not say.
  public static func columns(of fd: Int32 = STDOUT_FILENO) -> Int? {
    var rows: UInt16 = 0
    var columns: UInt16 = 0
    guard CEditLine_window_size(fd, &rows, &columns) == 0, columns > 0 else { return nil }
    return Int(columns)
  }

  /// `text` without ANSI escape sequences (CSI, OSC and two-byte escapes), e.g. for measuring or
  /// for comparing what a terminal shows.
  public static func strippingEscapes(_ text: String) -> String {
    var result = String.UnicodeScalarView()
    for piece in EscapeScanner.pieces(of: text) {
      if case .text(let scalars) = piece { result.append(contentsOf: scalars) }
    }
    return String(result)
  }
}

/// Splits text into plain runs and escape sequences.
enum EscapeScanner {
  enum Piece: Equatable {
    case text([Unicode.Scalar])
    case escape([Unicode.Scalar])
  }

  static func pieces(of text: String) -> [Piece] {
    var pieces: [Piece] = []
    var plain: [Unicode.Scalar] = []
    var scalars = text.unicodeScalars[...]
    while let scalar = scalars.popFirst() {
      guard scalar == "\u{1B}" else {
        plain.append(scalar)
        continue
      }
      if !plain.isEmpty { pieces.append(.text(plain)); plain = [] }
      var sequence: [Unicode.Scalar] = [scalar]
      switch scalars.first {
      case "[":  // CSI: parameters and intermediates, then one final byte in 0x40...0x7E
        sequence.append(scalars.removeFirst())
        while let next = scalars.popFirst() {
          sequence.append(next)
          if (0x40...0x7E).contains(next.value) { break }
        }
      case "]":  // OSC: up to BEL or ESC \
        sequence.append(scalars.removeFirst())
        while let next = scalars.popFirst() {
          sequence.append(next)
          if next == "\u{07}" { break }
          if next == "\u{1B}", scalars.first == "\\" { sequence.append(scalars.removeFirst()); break }
        }
      case .some:  // ESC, intermediates in 0x20...0x2F ("(" of ESC ( B), then one final byte
        while let next = scalars.popFirst() {
          sequence.append(next)
          if !(0x20...0x2F).contains(next.value) { break }
        }
      case nil:
        break
      }
      pieces.append(.escape(sequence))
    }
    if !plain.isEmpty { pieces.append(.text(plain)) }
    return pieces
  }
}
