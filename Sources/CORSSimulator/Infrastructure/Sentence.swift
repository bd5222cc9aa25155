#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A text written as an interpolated literal (`"Sent \(method) \(url)."`) and built in one buffer: the trace's
/// steps and the console's main lines are built so, one or more for every step of a verdict that is explained.
///
/// Swift's own interpolation appends each piece to a `String`, checking and growing it as it goes; a sentence of
/// seven pieces cost about 4,400 instructions that way and 1,600 this way (the pieces copied into a buffer sized
/// from the literal, then one string made from it). The text is the same, byte for byte: a value that is not a
/// string or an integer is written as its `description`, as the default interpolation writes it.
struct Sentence: ExpressibleByStringInterpolation {
  /// The text.
  let string: String

  init(_ string: String) { self.string = string }
  init(stringLiteral value: String) { string = value }
  init(stringInterpolation pieces: Pieces) { string = pieces.finish() }

  /// The pieces of an interpolated literal, copied as they come into a buffer: the pieces' own room while they fit
  /// (most trace steps and console lines do), else a block from C's allocator (freed by `finish`).
  struct Pieces: StringInterpolationProtocol {
    /// The room inside the pieces, on the caller's stack. Taking a block from the allocator and giving it back cost
    /// about 150 instructions a sentence, a tenth of the sentence's cost.
    private typealias Room = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                              UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                              UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                              UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
    private static var roomSize: Int { MemoryLayout<Room>.size }
    private var room: Room = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                              0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    // (C's allocator: a sentence that outgrows its first guess is extended in place when the block can be.)
    private var block: UnsafeMutableRawPointer? = nil
    private var count = 0
    private var capacity: Int

    init(literalCapacity: Int, interpolationCount: Int) {
      // Room for the literal and a URL or two: most sentences never grow.
      let guess = literalCapacity + interpolationCount * 32 + 16
      if guess <= Self.roomSize {
        capacity = Self.roomSize
      } else {
        capacity = guess
        guard let fresh = malloc(guess) else { fatalError("out of memory for a sentence of \(guess) bytes") }
        block = fresh
      }
    }

    private mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
      guard let source = bytes.baseAddress else { return }
      if count + bytes.count > capacity {
        let grown = max(capacity * 2, count + bytes.count)
        if let block {
          guard let moved = realloc(block, grown) else { fatalError("out of memory for a sentence of \(grown) bytes") }
          self.block = moved
        } else {
          // Out of the room: the text so far moves to a block.
          guard let fresh = malloc(grown) else { fatalError("out of memory for a sentence of \(grown) bytes") }
          withUnsafeBytes(of: &room) { fresh.copyMemory(from: $0.baseAddress!, byteCount: count) }
          block = fresh
        }
        capacity = grown
      }
      if let block {
        (block + count).copyMemory(from: source, byteCount: bytes.count)
      } else {
        withUnsafeMutableBytes(of: &room) { ($0.baseAddress! + count).copyMemory(from: source, byteCount: bytes.count) }
      }
      count += bytes.count
    }

    mutating func appendLiteral(_ literal: String) { appendInterpolation(literal) }

    mutating func appendInterpolation(_ s: String) {
      // (A native string's bytes are read in place; a string of another kind is copied first.)
      if s.utf8.withContiguousStorageIfAvailable({ put($0) }) == nil {
        var copy = s
        copy.withUTF8 { put($0) }
      }
    }

    /// The decimal digits, with a `-` when negative (as `String(n)` writes them), put straight into the buffer: making
    /// the string first went through the generic conversion of a printable value, about 200 instructions a status code.
    mutating func appendInterpolation(_ n: Int) { HTTPSyntax.withDecimal(n) { put($0) } }

    mutating func appendInterpolation(_ sentence: Sentence) { appendInterpolation(sentence.string) }

    // (No overload for any value at all: a value with no description of its own fails to compile rather than be
    // written as its type's reflection.)
    mutating func appendInterpolation(_ value: some CustomStringConvertible) { appendInterpolation(value.description) }

    /// The text (the bytes are whole strings' bytes, so valid UTF-8); a block, if one was taken, is freed.
    consuming func finish() -> String {
      if let block {
        let text = String(decoding: UnsafeRawBufferPointer(start: block, count: count), as: UTF8.self)
        free(block)
        return text
      }
      let count = count
      return withUnsafeBytes(of: &room) { String(decoding: UnsafeRawBufferPointer(rebasing: $0[..<count]), as: UTF8.self) }
    }
  }
}

/// The text of an interpolated literal built as a `Sentence` (for a function that returns a `String`).
@inline(__always)
func sentence(_ s: Sentence) -> String { s.string }
