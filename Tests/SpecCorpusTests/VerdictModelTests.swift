import CORSScenario
import CORSSimulator
import Foundation
import Testing

@Suite("The verdict model over the whole corpus")
struct VerdictModelTests {
  /// Every Spec verdict in every profile, with its trace.
  static let verdicts: [Verdict] = SpecCorpusTests.corpus.flatMap { file in
    Engine.allWithSpec.flatMap { ScenarioRunner.run(file.document.scenario, profile: .forEngine($0), trace: true) }
  }

  @Test("a failure's stage is one its reason can have; a trace's failure step is the verdict's reason")
  func stages() {
    #expect(Self.verdicts.count > 1000)
    for v in Self.verdicts {
      if let failure = v.failure {
        #expect(failure.reason.stages.contains(failure.stage), "\(failure.reason) at \(failure.stage)")
      }
      // `stage` and `reason` are read from the result, not through `failure`: the same answers.
      #expect(v.stage == v.failure?.stage && v.reason == v.failure?.reason)
      for case .failure(let r) in v.trace.map(\.event) where r != v.elementUnusedReason {
        #expect(r == v.reason, "trace fails with \(r), the verdict with \(v.reason.map { "\($0)" } ?? "none")")
      }
    }
  }

  @Test("every verdict decodes from its JSON equal to itself")
  func codable() throws {
    let encoder = JSONEncoder()
    let decoder = JSONDecoder()
    for v in Self.verdicts {
      #expect(try decoder.decode(Verdict.self, from: try encoder.encode(v)) == v)
    }
  }
}
