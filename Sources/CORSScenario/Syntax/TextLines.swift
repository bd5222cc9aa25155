/// Text split into lines the way editors write them: a line ends at `\n` or `\r\n` (a file saved on
/// Windows), and a last line without a newline is a line too. (`String.split(separator: "\n")` does not
/// split `\r\n`: it is one `Character`, not `"\n"`.)
public enum TextLines {
  /// The lines, without their line breaks; text that ends with a line break has no empty last line.
  public static func split<S: StringProtocol>(_ text: S) -> [S.SubSequence] {
    var out: [S.SubSequence] = []
    let utf8 = text.utf8
    var start = utf8.startIndex
    var i = start
    var carriageReturn: S.UTF8View.Index? = nil  // where a "\r" just before `i` starts
    while i != utf8.endIndex {
      let byte = utf8[i]
      if byte == 0x0A {
        // `\n` and the `\r` before it are always Character boundaries (Unicode text segmentation breaks
        // around controls), so these ranges slice the text exactly.
        out.append(text[start..<(carriageReturn ?? i)])
        start = utf8.index(after: i)
      }
      carriageReturn = byte == 0x0D ? i : nil
      i = utf8.index(after: i)
    }
    if start != utf8.endIndex { out.append(text[start..<utf8.endIndex]) }
    return out
  }
}
