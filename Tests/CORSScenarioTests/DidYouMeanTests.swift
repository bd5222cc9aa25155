@testable import CORSScenario
import Testing

@Suite("Did you mean: the closest word within a small distance, at bounded cost")
struct DidYouMeanTests {
  @Test("a typo one or two edits away is suggested; transpositions count once")
  func closeWords() {
    #expect(DidYouMean.suggestion(for: "hlep", among: ["help", "show", "trace"]) == "help")
    #expect(DidYouMean.suggestion(for: "rout", among: ["route", "run"]) == "route")
    #expect(DidYouMean.suggestion(for: "TRACE", among: ["help", "trace"]) == "trace")
  }

  @Test("a word far from every candidate gets no suggestion")
  func farWords() {
    #expect(DidYouMean.suggestion(for: "foo", among: ["mode", "method", "credentials"]) == nil)
    #expect(DidYouMean.suggestion(for: "har", among: ["xhr", "help"], maxDistance: 1) == nil)
    #expect(DidYouMean.suggestion(for: "", among: ["help"]) == nil)
  }

  @Test("an 8 MiB word is refused before any distance is computed; one just outside the band is too")
  func hugeWord() {
    let huge = String(repeating: "x", count: 8 << 20)
    #expect(DidYouMean.suggestion(for: huge, among: ["url", "method", "headers", "credentials"], maxDistance: 3) == nil)
    #expect(DidYouMean.distance(Array("methodxxxx".utf8), Array("method".utf8), limit: 3) == nil)
    #expect(DidYouMean.distance(Array("methodxxx".utf8), Array("method".utf8), limit: 3) == 3)
  }

  @Test("the band limit gives the same answer as the full distance on every pair of short words")
  func bandAgreesWithFullDistance() {
    let words = ["", "a", "ab", "ba", "abc", "acb", "bca", "help", "hlep", "route", "rout", "mode", "method"]
    func full(_ a: String, _ b: String) -> Int {
      let x = Array(a.utf8), y = Array(b.utf8)
      var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
      for i in 0...x.count { d[i][0] = i }
      for j in 0...y.count { d[0][j] = j }
      if !x.isEmpty && !y.isEmpty {
        for i in 1...x.count {
          for j in 1...y.count {
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
          }
        }
      }
      return d[x.count][y.count]
    }
    for a in words {
      for b in words {
        for limit in 0...3 {
          let expected = full(a, b) <= limit ? full(a, b) : nil
          #expect(DidYouMean.suggestion(for: a, among: [b], maxDistance: limit).map { _ in full(a, b) } == expected,
                  "\(a) → \(b) within \(limit)")
        }
      }
    }
  }
}
