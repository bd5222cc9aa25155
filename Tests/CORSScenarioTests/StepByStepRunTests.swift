import CORSSimulator
import Testing
@testable import CORSScenario

@Suite("Running a scenario one step at a time: the same verdicts and fixes as the whole run, nothing kept")
struct StepByStepRunTests {
  // A preflight cached by the first step changes the third; the second and fourth fail.
  let scenario = try! ScenarioBuilder.parse("""
    page https://app.example
    route OPTIONS https://api.example/a 204
      Access-Control-Allow-Origin: https://app.example
      Access-Control-Allow-Methods: PUT
      Access-Control-Max-Age: 600
    route * https://api.example/a
      Access-Control-Allow-Origin: https://app.example
    route GET https://api.example/b
      Content-Type: text/plain
    fetch PUT https://api.example/a
    fetch https://api.example/b
    fetch PUT https://api.example/a
    fetch https://api.example/b credentials=include
    """).scenario

  @Test("forEachStep gives each step's verdict in order, as run does, and stops when asked")
  func eachStep() {
    for engine in Engine.allCases {
      let all = ScenarioRunner.run(scenario, profile: .forEngine(engine))
      var seen: [Verdict] = []
      ScenarioRunner.forEachStep(scenario, profile: .forEngine(engine)) { k, v in
        #expect(k == seen.count)
        seen.append(v)
        return true
      }
      #expect(seen.map(\.outcome) == all.map(\.outcome))
      #expect(seen.map(\.requests.count) == [2, 1, 1, 1], "\(engine): the third step uses the cached preflight")
      var calls = 0
      ScenarioRunner.forEachStep(scenario, profile: .forEngine(engine)) { k, _ in
        calls += 1
        return k < 1
      }
      #expect(calls == 2)
    }
  }

  @Test("forEachStepWithFixes gives each failing step the fixes worked out from the state it ran in")
  func eachStepWithFixes() {
    for engine in Engine.allCases {
      var failing: [Int] = []
      ScenarioRunner.forEachStepWithFixes(scenario, profile: .forEngine(engine)) { k, v, fixes in
        if v.failure == nil {
          #expect(fixes.isEmpty)
          return
        }
        failing.append(k)
        // The slow path: the steps before it run again from scratch.
        #expect(fixes.map(\.summary) == scenario.fixes(forStep: k, profile: .forEngine(engine)).map(\.summary))
        #expect(!fixes.isEmpty)
      }
      #expect(failing == [1, 3], "\(engine)")
    }
  }

  @Test("the fixes of verdicts already decided are those runWithFixes gives, from the state each failing step ran in")
  func fixesOfDecidedVerdicts() {
    for engine in Engine.allCases {
      let verdicts = ScenarioRunner.run(scenario, profile: .forEngine(engine))
      let fixes = ScenarioRunner.fixes(scenario, profile: .forEngine(engine), verdicts: verdicts)
      let both = ScenarioRunner.runWithFixes(scenario, profile: .forEngine(engine))
      #expect(fixes.map { $0.map(\.summary) } == both.map { $0.fixes.map(\.summary) }, "\(engine)")
      #expect(fixes.map(\.isEmpty) == [true, false, true, false], "\(engine)")
      for k in [1, 3] {
        #expect(fixes[k].map(\.summary) == scenario.fixes(forStep: k, profile: .forEngine(engine)).map(\.summary))
      }
    }
  }
}
