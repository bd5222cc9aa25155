import CFuzzerDriver
import CORSJSON
import CORSOracle
import CORSScenario
import CORSSimulator

/// Scenario text: whatever parses must print back to text that parses to the same document (what `save`
/// then `load` does), and its oracle line (`corsim export`) must play the same in every engine.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScenario(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data else { return 0 }
  // Scenario files are UTF-8 text.
  guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return -1 }
  guard let document = try? ScenarioBuilder.parse(text, file: "fuzz.cors") else { return 0 }
  if let problem = document.roundTripProblem() {
    fatalError("save then load changes the scenario: \(problem)\n--- printed:\n\(ScenarioPrinter.print(document))")
  }
  // What `corsim export` writes: a scenario with a page and one request or more (it refuses the others).
  guard document.scenario.page != nil, (1...8).contains(document.scenario.steps.count) else { return 0 }
  let line = JSONWriter.serialize(OracleExport.encode(document.scenario, id: .string("fuzz")))
  let decoded: OracleScenario
  do { decoded = try OracleInput.decode(try JSONParser.parse(line)) } catch {
    fatalError("the exported line is refused: \(error)\n\(line)")
  }
  for engine in Engine.allCases {
    let direct = ScenarioRunner.run(document.scenario, profile: .forEngine(engine), trace: false).map(summary)
    let played = ScenarioRunner.run(decoded.scenario, profile: .forEngine(engine), trace: false).map(summary)
    if direct != played {
      fatalError("\(engine): the exported line plays differently\n\(direct)\n\(played)\n\(line)")
    }
  }
  return 0
}

/// What the oracle contract compares of a verdict.
func summary(_ v: Verdict) -> String {
  let wire = v.requests.map { r in "\(r.method) \(r.url.href) " + r.headers.map { "\($0.name)=\($0.value)" }.joined(separator: ",") }
  return "\(v.outcome) \(v.stage.map { "\($0)" } ?? "-") \(v.reason?.rawValue ?? "-") \(v.responseType.map { "\($0)" } ?? "-") "
    + "\(v.status ?? -1) \(v.exposedHeaders ?? []) [\(wire.joined(separator: " | "))]"
}

/// The entry point SwiftPM links (Package.swift): libFuzzer's driver, with this target's test.
@_cdecl("FuzzScenario_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  var (count, vector) = (argc, argv)
  return LLVMFuzzerRunDriver(&count, &vector, fuzzScenario)
}
