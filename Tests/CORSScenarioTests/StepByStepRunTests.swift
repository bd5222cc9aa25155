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

  @Test("a scenario handed over to run gives the verdicts run gives, stops at the same step over budget, and no page gives none")
  func runTaking() {
    for engine in Engine.allCases {
      let kept = ScenarioRunner.run(scenario, profile: .forEngine(engine), trace: false, wireLineBudget: .max)
      let taken = ScenarioRunner.run(taking: scenario, profile: .forEngine(engine), trace: false, wireLineBudget: .max)
      #expect(taken.verdicts == kept.verdicts, "\(engine)")
      #expect(taken.exceededAt == nil && kept.exceededAt == nil)
      // The scenario given is untouched (it was a copy that was handed over).
      #expect(scenario.steps.count == 4)
      // Over budget: the same step stops both, with the verdicts up to it.
      for budget in [0, 2, 3, 4, 6] {
        let a = ScenarioRunner.run(scenario, profile: .forEngine(engine), trace: true, wireLineBudget: budget)
        let b = ScenarioRunner.run(taking: scenario, profile: .forEngine(engine), trace: true, wireLineBudget: budget)
        #expect(a.verdicts == b.verdicts, "\(engine), budget \(budget)")
        #expect(a.exceededAt == b.exceededAt, "\(engine), budget \(budget)")
      }
      // One step, and none.
      var one = scenario
      one.steps = [scenario.steps[1]]
      #expect(ScenarioRunner.run(taking: one, profile: .forEngine(engine), wireLineBudget: .max).verdicts
              == ScenarioRunner.run(one, profile: .forEngine(engine)))
      one.steps = []
      #expect(ScenarioRunner.run(taking: one, profile: .forEngine(engine), wireLineBudget: .max).verdicts.isEmpty)
    }
    var pageless = scenario
    pageless.page = nil
    let none = ScenarioRunner.run(taking: pageless, profile: .chromium, wireLineBudget: .max)
    #expect(none.verdicts.isEmpty && none.exceededAt == nil)
    #expect(ScenarioRunner.run(pageless, profile: .chromium).isEmpty)
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
