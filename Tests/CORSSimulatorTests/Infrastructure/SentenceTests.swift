import Testing
@testable import CORSSimulator

@Suite("Sentences: interpolated text built in one buffer, the same as Swift's own interpolation")
struct SentenceTests {
  @Test("every kind of piece, at every length, gives the text Swift's interpolation gives")
  func sameText() {
    // Lengths around the first guess of the buffer (the literal, 32 bytes per piece and 16) and far past it, so that
    // the buffer grows once, several times, or not at all; around the room the pieces hold themselves (256 bytes),
    // so that the text stays there or moves to a block; non-ASCII text; empty pieces.
    for length in [0, 1, 15, 16, 17, 31, 32, 33, 47, 48, 49, 64, 100, 255, 1_000, 5_000] {
      let long = String(repeating: "aé§", count: length / 3) + String(repeating: "z", count: length % 3)
      let number = length * 37 - 500
      let method = Method("PUT")
      let reason = FailureReason.missingAllowOrigin
      let tail = long.dropFirst(length / 2)
      let built: Sentence = "Sent \(long) to \(number) with \(method), \(reason.rawValue): \(tail)\(long)."
      #expect(built.string == "Sent \(long) to \(number) with \(method), \(reason.rawValue): \(tail)\(long).", "\(length)")
      let inner: Sentence = "[\(long)]"
      let nested: Sentence = "\(inner) and \(inner)"
      #expect(nested.string == "[\(long)] and [\(long)]")
      #expect(sentence("\(long)") == long)
      // A literal longer than the room: a block from the start, grown when the pieces are long.
      let wordy: Sentence = """
        The literal alone is longer than the room a sentence's pieces hold themselves, so that the first guess of \
        its length takes a block from the allocator at once (\(long)), and a long piece makes that block grow: \
        \(number) \(tail) and once more \(long), then the end of a text that is long enough.
        """
      #expect(wordy.string == """
        The literal alone is longer than the room a sentence's pieces hold themselves, so that the first guess of \
        its length takes a block from the allocator at once (\(long)), and a long piece makes that block grow: \
        \(number) \(tail) and once more \(long), then the end of a text that is long enough.
        """, "\(length)")
    }
    // Integers are written as `String(n)` writes them: every power of ten and its neighbours, both signs, the ends.
    var integers = [0, 1, -1, 9, -9, Int.max, Int.min, Int.max - 1, Int.min + 1, 200, 404, -500, 600]
    var power = 1
    while power <= Int.max / 10 {
      power *= 10
      integers += [power - 1, power, power + 1, -(power - 1), -power, -(power + 1)]
    }
    for n in integers {
      let built: Sentence = "status \(n)."
      #expect(built.string == "status " + String(n) + ".", "\(n)")
      let alone: Sentence = "\(n)"
      #expect(alone.string == String(n))
    }
    let plain: Sentence = "no pieces at all"
    #expect(plain.string == "no pieces at all")
    let empty: Sentence = "\("")"
    #expect(empty.string.isEmpty)
  }
}
