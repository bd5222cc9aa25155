import CFuzzerDriver
import CORSImport
import CORSScenario
import CORSSimulator

/// A paste or a file from the developer tools: `Copy as cURL`, `Copy as fetch`, or a HAR file (told apart as
/// the REPL tells them). An import either fails with a message or gives requests whose verdicts can be
/// computed; nothing else may happen.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImports(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data else { return 0 }
  guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return -1 }
  let trimmed = text.drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r\n" }
  if trimmed.hasPrefix("curl") {
    if let imported = try? CurlImport.parse(text) { decide(imported) }
  } else if FetchCallImport.looksLikeFetchCall(String(trimmed)) {
    if let imported = try? FetchCallImport.parse(text) { decide(imported) }
  } else if let result = try? HARImport.parse(text) {
    let scenario = result.document.scenario
    if scenario.page == nil || scenario.steps.isEmpty { fatalError("a HAR import without a page or a request") }
    for engine in Engine.allCases {
      let verdicts = ScenarioRunner.run(scenario, profile: .forEngine(engine), trace: false)
      if verdicts.count != scenario.steps.count { fatalError("\(verdicts.count) verdicts for \(scenario.steps.count) requests") }
    }
    // What the session saves of an import reads back the same.
    if let problem = result.document.roundTripProblem() { fatalError("the imported scenario does not save: \(problem)") }
  }
  return 0
}

func decide(_ imported: ImportedRequest) {
  let page = imported.page ?? Page(url: try! URLRecord("https://app.example/"))
  var document = ScenarioDocument()
  document.scenario = Scenario(page: page, steps: [ScenarioStep(request: imported.request)])
  for engine in Engine.allCases { _ = ScenarioRunner.run(document.scenario, profile: .forEngine(engine), trace: true) }
  if let problem = document.roundTripProblem() { fatalError("the imported request does not save: \(problem)") }
}

/// The entry point SwiftPM links (Package.swift): libFuzzer's driver, with this target's test.
@_cdecl("FuzzImports_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  var (count, vector) = (argc, argv)
  return LLVMFuzzerRunDriver(&count, &vector, fuzzImports)
}
