import CORSJSON
import CORSOracle
import CORSScenario
import CORSSimulator
import Testing

@Suite("Spec/: every file's oracle line reads the same with or without a JSON tree")
struct OracleFastInputCorpusTests {
  @Test("each Spec file's oracle line, in every profile: the line read without a tree is the full decoder's scenario")
  func fastReaderAgreesOnTheCorpus() throws {
    var taken = 0
    for file in SpecCorpusTests.corpus {
      for engine in Engine.allWithSpec {
        let line = JSONWriter.serialize(OracleExport.encode(file.document.scenario, id: .string(file.relativePath),
                                                            browser: engine))
        guard let fast = OracleInput.decodeWithoutTree(line) else { continue }
        taken += 1
        let full = try OracleInput.decode(try JSONParser.parse(line))
        #expect(fast == full, "\(file.relativePath) (\(engine.rawValue))")
      }
    }
    // Most files are fetch() requests to routes: the reader takes them (it leaves element loads, XHR, workers,
    // page policies and the other extensions to the full decoder).
    #expect(taken > SpecCorpusTests.corpus.count)
  }
}
