/// "Did you mean …?" hints for a mistyped word: the closest known word within a small edit distance, or none.
///
/// The work is bounded whatever the input: a word longer than the longest candidate by more than the
/// distance allowed cannot be close to any, and is answered at once; otherwise the distance is computed in
/// a band of width `2 × maxDistance + 1`, so a hint costs O(candidates × length × maxDistance).
public enum DidYouMean {
  /// The closest candidate at most `maxDistance` edits away (ties: the earlier candidate), or nil. By default the
  /// distance allowed grows with the word: one edit up to five letters, two beyond (`har` is not `xhr`, `hlep`
  /// is `help`).
  public static func suggestion(for word: String, among candidates: some Sequence<String>, maxDistance: Int? = nil) -> String? {
    // No candidate is anywhere near this long: answer before reading the word.
    guard word.utf8.count <= 256 else { return nil }
    let maxDistance = maxDistance ?? (word.utf8.count <= 5 ? 1 : 2)
    let w = Array(word.lowercased().utf8)
    var best: (candidate: String, distance: Int)? = nil
    for c in candidates {
      let limit = min(maxDistance, (best?.distance ?? maxDistance + 1) - 1)
      guard limit >= 0, let d = distance(w, Array(c.lowercased().utf8), limit: limit) else { continue }
      best = (c, d)
    }
    return best?.candidate
  }

  /// Edit distance with transpositions (optimal string alignment: `hlep` is one step from `help`), or nil
  /// when it exceeds `limit`. Only the diagonal band of width `2 × limit + 1` is computed.
  static func distance(_ x: [UInt8], _ y: [UInt8], limit: Int) -> Int? {
    if abs(x.count - y.count) > limit { return nil }
    if x.isEmpty || y.isEmpty { return max(x.count, y.count) }
    let big = limit + 1
    var beforePrevious = [Int](repeating: big, count: y.count + 1)
    var previous = [Int](repeating: big, count: y.count + 1)
    for j in 0...min(y.count, limit) { previous[j] = j }
    var current = [Int](repeating: big, count: y.count + 1)
    for i in 1...x.count {
      let low = max(1, i - limit), high = min(y.count, i + limit)
      for j in 0...y.count { current[j] = big }
      if i <= limit { current[0] = i }
      var rowMinimum = current[0]
      if low <= high {
        for j in low...high {
          var v = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
          if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { v = min(v, beforePrevious[j - 2] + 1) }
          current[j] = min(v, big)
          rowMinimum = min(rowMinimum, current[j])
        }
      }
      if rowMinimum > limit { return nil }
      swap(&beforePrevious, &previous)
      swap(&previous, &current)
    }
    return previous[y.count] <= limit ? previous[y.count] : nil
  }
}
