import CORSPolicy
import Foundation
import Testing

@Suite("The documentation's property-based example is ReadmeExampleTests.swift")
struct ReadmeExampleDocumentationTests {
  static let root: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
  }()

  @Test("README.md and docs/AUDIT.md print this file's test verbatim", arguments: ["README.md", "docs/AUDIT.md"])
  func verbatim(document: String) throws {
    let source = try String(contentsOfFile: Self.root + "/Tests/CORSPolicyTests/ReadmeExampleTests.swift", encoding: .utf8)
    let example = source
      .split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n")
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let text = try String(contentsOfFile: Self.root + "/" + document, encoding: .utf8)
    #expect(text.contains("```swift\n" + example + "\n```"), "\(document) does not show Tests/CORSPolicyTests/ReadmeExampleTests.swift verbatim")
  }
}

@Suite("docs/reference/misconfiguration-classes.md lists the classes the audit reports")
struct MisconfigurationClassDocumentationTests {
  @Test("one row per class: the same numbers, codes and names as MisconfigurationClass.all")
  func classTable() throws {
    let text = try String(contentsOfFile: ReadmeExampleDocumentationTests.root + "/docs/reference/misconfiguration-classes.md",
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
