import CEditLine

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

  /// The number of terminal cells `text` takes (wide characters count 2, combining marks 0).
  static func displayWidth(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { total, scalar in
      guard scalar.value >= 0x80 else { return total + (scalar.value >= 0x20 ? 1 : 0) }
      let width = CEditLine_character_width(scalar.value)
      return total + (width < 0 ? 1 : Int(width))
    }
  }
}
