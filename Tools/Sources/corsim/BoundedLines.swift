import CORSOracle
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads lines from a file descriptor without ever holding more than `limit` bytes of one line: a longer
/// line is skipped to its end and reported as `.tooLong(length)`, so a hostile input cannot exhaust memory.
struct BoundedLineReader {
  enum Line: Sendable {
    /// A line of UTF-8, decoded straight from the read buffer, a trailing CR dropped (a line that ends in CRLF is
    /// read as the line): with `decodesText`.
    case text(String)
    /// The line's bytes (a trailing CR kept): a line that is not UTF-8, or any line without `decodesText`. The caller
    /// decodes them and says what is wrong with bytes that are not UTF-8.
    case bytes([UInt8])
    case tooLong(Int)
  }

  /// Whether a line of UTF-8 is decoded as it is read (`.text`), with no array made of its bytes first: for a reader
  /// whose thread also answers the lines. Under `--jobs N` the threads that answer decode them: this one reads for
  /// all, and decoding here made it the one that held the others back.
  var decodesText = false

  let fd: Int32
  let limit: Int
  private var buffer: [UInt8] = []
  private var start = 0
  private var scanned = 0  // buffer[start..<scanned] is known to hold no newline
  private var atEnd = false
  private var chunk = [UInt8](repeating: 0, count: 1 << 16)

  init(fd: Int32 = 0, limit: Int) {
    self.fd = fd
    self.limit = limit
    buffer.reserveCapacity(1 << 16)
  }

  /// The next line, then every further complete line already read (up to `limit` lines in all), without
  /// waiting for more input: a client that writes one line and waits for its answer gets it. Empty at the end.
  mutating func nextBatch(maximum: Int) -> [Line] {
    guard let first = next() else { return [] }
    var batch = [first]
    while batch.count < maximum, hasBufferedLine, let line = next() { batch.append(line) }
    return batch
  }

  /// Reads what is already waiting on the descriptor, never waiting for more, until `bytes` bytes not yet taken as
  /// lines are buffered: the next batch then takes as many lines as are there (one read takes at most 64 KiB, about
  /// 150 usual lines), and the reading is done while other threads answer the lines taken before.
  mutating func readAhead(upTo bytes: Int) {
    // The lines already taken are dropped once they are at least half of the buffer, so that each byte is moved about
    // once: dropping them before every read-ahead moved up to a megabyte of waiting lines for each batch taken.
    if start > 0 && start >= buffer.count - start {
      buffer.removeFirst(start)
      scanned -= start
      start = 0
    }
    while !atEnd, buffer.count - start < bytes {
      var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      guard poll(&ready, 1, 0) > 0 else { return }
      // (Readable, hung up or in error: the read says which, and does not wait.)
      readChunk()
    }
  }

  /// One read into the buffer (again when a signal interrupted it); at the end of the input, or on an error, `atEnd`.
  private mutating func readChunk() {
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      if n > 0 { buffer.append(contentsOf: chunk[0..<n]) } else { atEnd = true }
      return
    }
  }

  /// Whether a complete line (or the end of the input) is already in the buffer.
  var hasBufferedLine: Bool {
    (atEnd && start < buffer.count) || newline(from: max(start, scanned)) != nil
  }

  /// The index of the first newline in `buffer` from `index` on (found by `memchr`, which reads many bytes at a time:
  /// the line reader is the one part of `corsim oracle --jobs N` that a single thread does for all).
  private func newline(from index: Int) -> Int? {
    guard index < buffer.count else { return nil }
    return buffer.withUnsafeBufferPointer { b -> Int? in
      guard let base = b.baseAddress, let hit = memchr(base + index, 0x0A, b.count - index) else { return nil }
      return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }
  }

  /// The line of `buffer[range]`: its text when `decodesText` and it is UTF-8 (one copy of its bytes, into the
  /// string), else its bytes.
  private func line(_ range: Range<Int>) -> Line {
    guard decodesText else { return .bytes(Array(buffer[range])) }
    return buffer.withUnsafeBufferPointer { b -> Line in
      let bytes = UnsafeBufferPointer(rebasing: b[range])
      let text = range.isEmpty || bytes[bytes.count - 1] != 0x0D ? bytes : UnsafeBufferPointer(rebasing: bytes.dropLast())
      if let s = Oracle.text(ofLine: text) { return .text(s) }
      return .bytes(Array(bytes))
    }
  }

  /// The next line (without its newline; a trailing CR is kept for the caller to judge, or dropped from a line decoded
  /// here), or nil at the end.
  mutating func next() -> Line? {
    var skipped = 0  // bytes of an over-long line already dropped
    while true {
      if let newline = newline(from: max(start, scanned)) {
        let length = newline - start
        defer { start = newline + 1; scanned = start }
        if skipped > 0 || length > limit { return .tooLong(skipped + length) }
        return line(start..<newline)
      }
      scanned = buffer.count
      if atEnd {
        guard start < buffer.count || skipped > 0 else { return nil }
        let length = buffer.count - start
        start = buffer.count
        scanned = start
        if skipped > 0 || length > limit { return .tooLong(skipped + length) }
        return line((buffer.count - length)..<buffer.count)
      }
      // Compact, and drop the part of an over-long line already seen.
      if start > 0 {
        buffer.removeFirst(start)
        scanned -= start
        start = 0
      }
      if buffer.count > limit {
        skipped += buffer.count
        buffer.removeAll(keepingCapacity: true)
        scanned = 0
      }
      readChunk()
    }
  }
}
