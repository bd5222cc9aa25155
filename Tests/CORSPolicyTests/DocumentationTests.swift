import CORSPolicy
import Foundation
import Testing

enum DocumentationRoot {
  static let root: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
  }()
}

@Suite("docs/reference/misconfiguration-classes.md lists the classes the audit reports")
struct MisconfigurationClassDocumentationTests {
  @Test("one row per class: the same numbers, codes and names as MisconfigurationClass.all")
  func classTable() throws {
    let text = try String(contentsOfFile: DocumentationRoot.root + "/docs/reference/misconfiguration-classes.md",
                          encoding: .utf8)
    let rows = text.split(separator: "\n").compactMap { line -> (Int, String, String)? in
      let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
      guard cells.count > 4, let number = Int(cells[1]), cells[2].hasPrefix("`") else { return nil }
      return (number, String(cells[2].dropFirst().dropLast()), cells[3])
    }
    #expect(rows.map(\.0) == MisconfigurationClass.all.map(\.number))
    #expect(rows.map(\.1) == MisconfigurationClass.all.map(\.code))
    #expect(rows.map(\.2) == MisconfigurationClass.all.map(\.name))
  }
}
