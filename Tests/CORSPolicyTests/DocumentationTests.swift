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
