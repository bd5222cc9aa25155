/// The comparison as plain text, in compare.py's layout.
public enum ComparisonText {
  /// Counts per engine, then one line per difference.
  public static func render(_ c: Comparison) -> String {
    var out = ""
    for t in c.tallies {
      out += "\(pad(t.engine, 9)) \(t.agree)/\(t.compared) scenarios agree  (\(t.disagree) disagree, \(t.skipped) "
      out += "skipped/error in the browser run, \(t.missing) without a simulator line)\n"
      if t.messagesCompared > 0 {
        out += "          console messages: \(t.messagesEqual)/\(t.messagesCompared) word for word\n"
      }
      if !t.fields.isEmpty {
        out += "          by field: " + t.fields.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
          .joined(separator: ", ") + "\n"
      }
    }
    if !c.differences.isEmpty { out += "\n" }
    for d in c.differences {
      out += "\(d.id) [\(d.engine)] step \(d.step.map(String.init) ?? "-") \(d.field): browser \(d.real) | simulator \(d.simulator)\n"
    }
    if !c.messageDifferences.isEmpty { out += "\n" }
    for d in c.messageDifferences {
      out += "\(d.id) [\(d.engine)] step \(d.step.map(String.init) ?? "-") message: browser \(d.real) | simulator \(d.simulator)\n"
    }
    return out
  }

  static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
}
