extension StringProtocol {
  /// Trims the given ASCII characters from both ends.
  package func trimmingCharacters(in set: String) -> String {
    let chars = set.utf8  // no copy: the set is a few ASCII characters
    let string = String(self)
    // Most values have nothing to trim: answer without copying.
    if let f = string.utf8.first, let l = string.utf8.last, !chars.contains(f), !chars.contains(l) { return string }
    let u = Array(string.utf8)
    var start = 0, end = u.count
    while start < end, chars.contains(u[start]) { start += 1 }
    while end > start, chars.contains(u[end - 1]) { end -= 1 }
    if start == 0 && end == u.count { return string }
    return String(decoding: u[start..<end], as: UTF8.self)
  }
}
