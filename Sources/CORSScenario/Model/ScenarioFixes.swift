import CORSSimulator

extension Scenario {
  /// The scenario with a fix applied: its server edits made to the server (`Server.applying`: the route that
  /// answers METHOD URL, copied from a route for any method first, or a new route with status 200; a layer
  /// scoped to that response when the edit is in a layer in front), and its client edits to the steps they
  /// name. An edit naming a step that does not exist is skipped.
  public func applying(_ fix: Fix) -> Scenario {
    applying(fix.edits)
  }

  /// The scenario with edits applied, in order.
  public func applying(_ edits: [Fix.Edit]) -> Scenario {
    var s = self
    s.server = server.applying(edits.compactMap(\.serverEdit))
    for e in edits.compactMap(\.clientEdit) where s.steps.indices.contains(e.step) {
      s.steps[e.step].request = s.steps[e.step].request.applying(e.change, base: page?.url)
    }
    return s
  }

  /// The fixes of step `index` in a profile (empty when it succeeds): the scenario runs up to that step, and
  /// the fixes are worked out from the state the step runs in (`Simulator.fixes(for:step:)`).
  public func fixes(forStep index: Int, profile: BrowserProfile) -> [Fix] {
    guard let sim = simulatorBefore(step: index, profile: profile) else { return [] }
    return sim.fixes(for: steps[index].request, step: index)
  }

  /// The fixes of step `index` that work in every profile at once (by default Chromium, Firefox and WebKit):
  /// the one change to send when the engines' own fixes differ.
  public func fixes(forStep index: Int, profiles: [BrowserProfile] = Engine.allCases.map(BrowserProfile.forEngine))
    -> [Fix] {
    let sims = profiles.compactMap { simulatorBefore(step: index, profile: $0) }
    guard sims.count == profiles.count, !sims.isEmpty else { return [] }
    return Simulator.fixes(for: steps[index].request, step: index, in: sims)
  }

  /// The simulator as step `index` finds it: the steps before it run, the clock advanced to it.
  func simulatorBefore(step index: Int, profile: BrowserProfile) -> Simulator? {
    guard let page, steps.indices.contains(index) else { return nil }
    var sim = Simulator(profile: profile, page: page, server: server, environment: environment)
    sim.recordsTrace = false
    for step in steps[..<index] {
      sim.advance(by: step.after)
      _ = sim.fetch(step.request)
    }
    sim.advance(by: steps[index].after)
    sim.recordsTrace = true
    return sim
  }
}

extension ScenarioRunner {
  /// The verdict of every step and, for each that fails, its fixes (`Simulator.fixes(for:step:)`, from the
  /// state the step ran in), in one pass over the steps.
  public static func runWithFixes(_ scenario: Scenario, profile: BrowserProfile, trace: Bool = true)
    -> [(verdict: Verdict, fixes: [Fix])] {
    var out: [(verdict: Verdict, fixes: [Fix])] = []
    out.reserveCapacity(scenario.steps.count)
    forEachStepWithFixes(scenario, profile: profile, trace: trace) { _, verdict, fixes in out.append((verdict, fixes)) }
    return out
  }

  /// `runWithFixes` one step at a time: `body` gets each step's index, verdict and fixes in order, and nothing is
  /// kept after it returns, so that a caller that prints each step as it comes (`corsim run`) holds one verdict at a
  /// time however long the scenario is.
  public static func forEachStepWithFixes(_ scenario: Scenario, profile: BrowserProfile, trace: Bool = true,
                                          _ body: (_ index: Int, _ verdict: Verdict, _ fixes: [Fix]) -> Void) {
    guard let page = scenario.page else { return }
    var sim = Simulator(profile: profile, page: page, server: scenario.server, environment: scenario.environment)
    sim.recordsTrace = trace
    var replay = FixReplay(scenario, page: page, profile: profile)
    for (i, step) in scenario.steps.enumerated() {
      sim.advance(by: step.after)
      let v = sim.fetch(step.request)
      body(i, v, v.failure == nil ? [] : replay.fixes(ofStep: i))
    }
  }

  /// The fixes of each failing step of verdicts already decided (`run` over the same scenario and profile), as
  /// `runWithFixes` gives them: each worked out from the state its step ran in, without deciding the steps again
  /// for their verdicts (`corsim oracle --explain` decides them once, within its wire budget).
  public static func fixes(_ scenario: Scenario, profile: BrowserProfile, verdicts: [Verdict]) -> [[Fix]] {
    guard let page = scenario.page else { return verdicts.map { _ in [] } }
    var replay = FixReplay(scenario, page: page, profile: profile)
    return verdicts.indices.map { i in
      verdicts[i].failure == nil || !scenario.steps.indices.contains(i) ? [] : replay.fixes(ofStep: i)
    }
  }
}

/// The state a failing step ran in, rebuilt by a second simulator that replays the steps only when one fails (each
/// step at most once more), and the fixes worked out from it. Keeping a copy of the simulator before every step
/// instead would make every fetch copy the caches it then changes: a cost that grows with the steps before it,
/// quadratic in all.
struct FixReplay {
  let scenario: Scenario
  var replay: Simulator
  var replayed = 0  // the steps `replay` has fetched
  var replayAdvanced = false  // whether `replay` has also waited the `after` of step `replayed`
  /// The URLs the replayed steps asked the server for (every request on their wire, as the server finds routes).
  var asked: Set<String> = []
  /// Whether `fixedVerdict` may decide from the replay (off: always nil, for the tests that compare it with the long
  /// way).
  var decidesFixedSteps = true

  init(_ scenario: Scenario, page: Page, profile: BrowserProfile) {
    self.scenario = scenario
    replay = Simulator(profile: profile, page: page, server: scenario.server, environment: scenario.environment)
    replay.recordsTrace = false
  }

  /// Brings the replay to the state step `i` runs in (the steps are asked for in increasing order).
  private mutating func advance(to i: Int) {
    while replayed < i {
      if !replayAdvanced { replay.advance(by: scenario.steps[replayed].after) }
      let v = replay.fetch(scenario.steps[replayed].request)
      for r in v.requests { asked.insert(r.url.matchedHref) }
      replayed += 1
      replayAdvanced = false
    }
    if !replayAdvanced { replay.advance(by: scenario.steps[i].after) }
    replayAdvanced = true
  }

  /// The fixes of step `i`; the steps are asked for in increasing order.
  mutating func fixes(ofStep i: Int) -> [Fix] {
    advance(to: i)
    return replay.fixes(for: scenario.steps[i].request, step: i)
  }

  /// Step `i`'s verdict in the scenario with `fix` applied (a `fixed` line), decided from the state the replay has
  /// before it when the fix cannot have changed what the steps before it did (`Simulator.fixedVerdict` says when):
  /// they then run in the fixed scenario as they ran, and leave the state they left. nil otherwise: the caller runs
  /// the fixed scenario from its start. (Running it from the start for every `fixed` line made a
  /// file of N requests with a `fixed` line each cost N²/2 requests decided.)
  mutating func fixedVerdict(ofStep i: Int, applying fix: Fix) -> Verdict? {
    guard decidesFixedSteps, scenario.steps.indices.contains(i) else { return nil }
    advance(to: i)
    return replay.fixedVerdict(of: scenario.steps[i].request, step: i, applying: fix, askedBefore: asked)
  }
}

extension Simulator {
  /// `request`, step `step` of a scenario, decided once `fix` is applied, from this simulator's state (the state the
  /// step runs in), when the fix cannot have changed what the steps before it did: its server edits are to routes of
  /// URLs none of them asked for (`asked`, as `URLRecord.matchedHref` gives them) in a server without layers (an edit
  /// then changes only its own URL's answer; with layers it may go in a layer scoped to a prefix), its request edits
  /// are to step `step`, and no preload is waiting. nil otherwise: run the fixed scenario from its start.
  public func fixedVerdict(of request: ScriptRequest, step: Int, applying fix: Fix, askedBefore asked: Set<String>)
    -> Verdict? {
    fixedVerdict(of: request, step: step, applying: fix, askedBefore: { asked.contains($0) })
  }

  /// `fixedVerdict(of:step:applying:askedBefore:)`, with whether a URL was asked for answered by `wasAsked`.
  public func fixedVerdict(of request: ScriptRequest, step: Int, applying fix: Fix,
                           askedBefore wasAsked: (String) -> Bool) -> Verdict? {
    guard server.layers.isEmpty, preloads.isEmpty else { return nil }
    var request = request
    for edit in fix.edits.compactMap(\.clientEdit) {
      guard edit.step == step else { return nil }
      request = request.applying(edit.change, base: page.url)
    }
    let serverEdits = fix.serverEdits
    for edit in serverEdits {
      guard let url = try? URLRecord(edit.response.url), !wasAsked(url.matchedHref) else { return nil }
    }
    var trial = forTrials()
    trial.server = trial.server.applying(serverEdits)
    return trial.fetch(request)
  }
}
