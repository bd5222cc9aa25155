import CORSSimulator
import Foundation
import Testing

@Suite("The README keeps its promises")
struct DocumentationTests {
  static let readme = (try? String(contentsOfFile: packageRootForCLI() + "/README.md", encoding: .utf8)) ?? ""

  @Test("every reason code is documented")
  func reasonCodes() {
    for reason in Reason.allCases {
      let documented = reason.isFailure ? Self.readme.contains("| `\(reason.rawValue)` |") : Self.readme.contains("`\(reason.rawValue)`")
      #expect(documented, "README does not document \(reason.rawValue)")
    }
    for checkpoint in Checkpoint.allCases {
      #expect(Self.readme.contains("`\(checkpoint.rawValue)`"), "README does not document \(checkpoint.rawValue)")
    }
  }

  @Test("the README opens with the command that starts the tool and the test command CI runs")
  func openingCommands() throws {
    let lines = Self.readme.split(separator: "\n").prefix(6).joined(separator: "\n")
    #expect(lines.contains("swift run corsim"))
    #expect(lines.contains("swift test"))
    let ci = try String(contentsOfFile: packageRootForCLI() + "/.ci/run", encoding: .utf8)
    #expect(ci.contains("\nswift test\n"), ".ci/run must run the README's test command")
  }
}
