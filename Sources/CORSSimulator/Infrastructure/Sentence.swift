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

  /// The pieces of an interpolated literal, copied as they come into a buffer (freed by `finish`).
  struct Pieces: StringInterpolationProtocol {
    // (C's allocator: a sentence that outgrows its first guess is extended in place when the block can be.)
    private var base: UnsafeMutableRawPointer
    private var count = 0
    private var capacity: Int

    init(literalCapacity: Int, interpolationCount: Int) {
      // Room for the literal and a URL or two: most sentences never grow.
      capacity = literalCapacity + interpolationCount * 32 + 16
      guard let block = malloc(capacity) else { fatalError("out of memory for a sentence of \(capacity) bytes") }
      base = block
    }

    private mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
      guard let source = bytes.baseAddress else { return }
      if count + bytes.count > capacity {
        capacity = max(capacity * 2, count + bytes.count)
        guard let block = realloc(base, capacity) else { fatalError("out of memory for a sentence of \(capacity) bytes") }
        base = block
      }
      (base + count).copyMemory(from: source, byteCount: bytes.count)
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

    /// The text (the bytes are whole strings' bytes, so valid UTF-8); the buffer is freed.
    consuming func finish() -> String {
      let text = String(decoding: UnsafeRawBufferPointer(start: base, count: count), as: UTF8.self)
      free(base)
      return text
    }
  }
}

/// The text of an interpolated literal built as a `Sentence` (for a function that returns a `String`).
@inline(__always)
func sentence(_ s: Sentence) -> String { s.string }
