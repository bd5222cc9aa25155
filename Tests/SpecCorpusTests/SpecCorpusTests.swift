import CORSScenario
import CORSSimulator
import Foundation
import Testing

/// The package root, found from this file (SwiftPM resources cannot point outside a target).
func packageRoot(_ file: String = #filePath) -> String {
  var url = URL(fileURLWithPath: file)
  for _ in 0..<3 { url.deleteLastPathComponent() }
  return url.path
}

@Suite("Spec/: the executable specification")
struct SpecCorpusTests {
  static let loaded = SpecCorpus.load(root: packageRoot() + "/Spec")
  static let corpus = loaded.files

  @Test("the corpus was found and every file parses")
  func corpusWasFound() {
    #expect(Self.corpus.count >= 1, "no .cors files found under Spec/")
    #expect(Self.loaded.errors.isEmpty, "\(Self.loaded.errors.map(\.description).joined(separator: "\n"))")
  }

  @Test("every file says what it pins: title, spec and why")
  func headers() {
    for file in Self.corpus {
      for key in ["title", "spec", "why"] {
        #expect(file.document.meta(key)?.isEmpty == false, "\(file.relativePath) has no \(key):")
      }
      #expect(file.document.hasExpectations, "\(file.relativePath) expects nothing")
    }
  }

  @Test("each scenario's verdicts match its expectations in all four profiles", arguments: SpecCorpusTests.corpus)
  func scenario(_ file: ScenarioFile) {
    let problems = file.check()
    #expect(problems.isEmpty, "\(problems.map(\.description).joined(separator: "\n"))")
  }
}
