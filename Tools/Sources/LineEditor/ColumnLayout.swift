/// Lays out completion candidates the way a shell lists them: in columns, filled top to bottom.
enum ColumnLayout {
  /// The lines showing `items` in as many columns as fit in `width`, each line ending in "\n".
  static func render(_ items: [String], width: Int) -> String {
    guard !items.isEmpty else { return "" }
    let widths = items.map(displayWidth)
    let gap = 2
    let columnWidth = widths.max()! + gap
    let columns = max(1, min(items.count, (max(width, 1) + gap) / columnWidth))
    let rows = (items.count + columns - 1) / columns
    var text = ""
    for row in 0..<rows {
      var line = ""
      for column in 0..<columns {
        let index = column * rows + row
        guard index < items.count else { break }
        line += items[index]
        let isLast = index + rows >= items.count || column == columns - 1
        if !isLast { line += String(repeating: " ", count: columnWidth - widths[index]) }
      }
      text += line + "\n"
    }
    return text
  }

  /// The number of terminal cells `text` takes: East Asian wide characters and emoji count 2,
  /// combining marks and controls 0 (a locale-free approximation of wcwidth).
  static func displayWidth(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { $0 + width(of: $1) }
  }

  static func width(of scalar: Unicode.Scalar) -> Int {
    let value = scalar.value
    if value < 0x20 || (0x7F..<0xA0).contains(value) { return 0 }
    if value < 0x300 { return 1 }
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return 0
    default: break
    }
    if scalar.properties.isEmojiPresentation { return 2 }
    return wideRanges.contains { $0.contains(value) } ? 2 : 1
  }

  /// The East Asian Wide and Fullwidth blocks (Unicode's EastAsianWidth.txt, W and F, by block).
  private static let wideRanges: [ClosedRange<UInt32>] = [
    0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
    0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
    0xFFE0...0xFFE6, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
  ]
}
