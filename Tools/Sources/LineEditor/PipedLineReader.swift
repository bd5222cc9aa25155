#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads lines from a file descriptor (a pipe, a file, a terminal without editing) or from a string,
/// for scripts, tests and CI. Lines end at "\n"; a "\r" before it is dropped; a last line without a
/// line break still counts; bytes that are not UTF-8 become U+FFFD. Never returns `.interrupted`.
///
/// ```swift
/// var reader = PipedLineReader(text: "fetch https://api.example\n  Origin: https://app.example\n\n")
/// while let line = reader.readLine(prompt: "") { … }
/// ```
public final class PipedLineReader: LineReader {
  private let fd: Int32
  private let promptOutput: Int32?
  private var buffer: [UInt8] = []
  private var start = 0
  private var atEnd: Bool
  private var scanned = 0  // buffer[start..<scanned] holds no newline

  /// The longest line kept whole, in bytes (nil: no bound). A longer line is cut to this many bytes and two
  /// more — the caller sees it is too long — and the rest of it is skipped without being held.
  public var maximumLineLength: Int? = nil

  /// Lines from `fileDescriptor` (not closed by the reader); prompts are written to `promptOutput`
  /// when it is given (for a person typing without line editing).
  public init(fileDescriptor: Int32 = STDIN_FILENO, promptOutput: Int32? = nil) {
    self.fd = fileDescriptor
    self.promptOutput = promptOutput
    self.atEnd = false
  }

  /// Lines from `text`.
  public init(text: String) {
    self.fd = -1
    self.promptOutput = nil
    self.buffer = Array(text.utf8)
    self.atEnd = true
  }

  /// Lines from `lines`, one each.
  public convenience init(lines: [String]) {
    self.init(text: lines.map { $0 + "\n" }.joined())
  }

  public func read(prompt: String) -> LineInput {
    if let promptOutput, !prompt.isEmpty { POSIX.writeAll(promptOutput, prompt) }
    var skipping = false
    var kept: String? = nil
    while true {
      if let newline = buffer[max(start, scanned)...].firstIndex(of: UInt8(ascii: "\n")) {
        let line = kept ?? takeLine(upTo: newline)
        start = newline + 1
        scanned = start
        return .line(line)
      }
      scanned = buffer.count
      if let limit = maximumLineLength, buffer.count - start > limit {
        // Too long: keep its first limit + 2 bytes, drop what was read of it, and go on to its end.
        if !skipping { kept = takeLine(upTo: start + limit + 2) }
        skipping = true
        start = buffer.count
        scanned = start
      }
      if atEnd, let kept {
        start = buffer.count
        return .line(kept)
      }
      if atEnd {
        guard start < buffer.count else { return .endOfInput }
        let line = takeLine(upTo: buffer.count)
        start = buffer.count
        return .line(line)
      }
      fill()
    }
  }

  private func takeLine(upTo end: Int) -> String {
    var bytes = buffer[start..<end]
    if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Reads more bytes, dropping the ones already returned; sets `atEnd` at end of input or on error.
  private func fill() {
    if start > 0 {
      buffer.removeFirst(start)
      scanned -= start
      start = 0
    }
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
      let count = chunk.withUnsafeMutableBytes { POSIX.readSome(fd, into: $0) }
      if count < 0, errno == EINTR { continue }
      if count <= 0 {
        atEnd = true
      } else {
        buffer.append(contentsOf: chunk[..<count])
      }
      return
    }
  }
}
