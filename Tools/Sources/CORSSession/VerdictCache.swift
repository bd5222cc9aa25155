import CORSScenario
import CORSSimulator

/// The verdicts of one profile for the session's requests, kept up to date incrementally: a request added
/// at the end is run from the simulator's state after the one before it (its preflight cache and clock), so
/// a session of n requests costs n decisions, not n²/2. A change to the page, the server, the environment
/// or an earlier request runs them all again (each may change any verdict after it).
struct VerdictCache {
  let engine: Engine
  private(set) var verdicts: [Verdict] = []
  /// The simulator after the last verdict's request (nil: start from the page).
  private var simulator: Simulator? = nil
  /// A second simulator that replays the requests only as far as a failing one whose fixes are asked for, to
  /// rebuild the state it ran in (as `ScenarioRunner.runWithFixes` does): a copy of the simulator kept before every
  /// request would make every fetch copy the caches it changes, a cost growing with the session. Requests printed
  /// in order ask in order, so the replay runs each request at most once more; the fixes are worked out when asked
  /// for and not kept (a file of 10,000 failing requests held every one's fixes until the first was printed).
  /// `replayed` requests are in it, and `replayAdvanced` says whether it has also waited the `after` of the next one.
  private var replay: Simulator? = nil
  private var replayed = 0
  private var replayAdvanced = false
  /// The verdicts before this one have had their trace let go (`dropTraces`).
  private var tracesDropped = 0

  init(engine: Engine) { self.engine = engine }

  /// Forgets what a change may have made stale.
  mutating func invalidate(_ changes: ScenarioBuilder.Changes) {
    if changes.world {
      reset()
    } else if let first = changes.firstStep, first < verdicts.count {
      // The simulator state before an earlier request is not kept: run them all again.
      reset()
    }
  }

  /// Forgets everything (a new document).
  mutating func reset() {
    verdicts = []
    simulator = nil
    tracesDropped = 0
    replay = nil
    replayed = 0
    replayAdvanced = false
  }

  /// Lets go of the traces of the verdicts before `index` (printed already): a file of 10,000 requests held every
  /// one's trace for as long as the session lasted. `Session.tracedVerdict` decides one again when it is asked for.
  mutating func dropTraces(before index: Int) {
    while tracesDropped < min(index, verdicts.count) {
      verdicts[tracesDropped].trace = []
      tracesDropped += 1
    }
  }

  /// The fixes of request `step` of `builder` (whose verdicts `update` brought up to date), worked out from the state
  /// it ran in by the replaying simulator; nil when the replay has gone past it (the caller runs the requests before
  /// it again).
  mutating func fixes(step: Int, of builder: ScenarioBuilder) -> [Fix]? {
    guard let page = builder.page, step < verdicts.count, step >= replayed else { return nil }
    var r = replay.take() ?? Simulator(profile: .forEngine(engine), page: page, server: builder.server,
                                       environment: builder.environment)
    r.recordsTrace = false
    while replayed < step {
      let earlier = builder.step(replayed)
      if !replayAdvanced { r.advance(by: earlier.after) }
      _ = r.fetch(earlier.request)
      replayed += 1
      replayAdvanced = false
    }
    if !replayAdvanced { r.advance(by: builder.step(step).after) }
    replayAdvanced = true
    let fixes = r.fixes(for: builder.step(step).request, step: step)
    replay = r
    return fixes
  }

  /// The verdicts of the first `limit` requests of `builder` (none without a page); those decided now before
  /// `tracedFrom` record no trace.
  mutating func update(_ builder: ScenarioBuilder, tracedFrom: Int = 0, upTo limit: Int = .max) -> [Verdict] {
    guard let page = builder.page else { return [] }
    if verdicts.count > builder.stepCount { reset() }
    let end = min(limit, builder.stepCount)
    guard verdicts.count < end else { return verdicts }
    // Taken out of the cache so that it is the only copy: the preflight cache is then changed in place.
    var sim = simulator.take() ?? Simulator(profile: .forEngine(engine), page: page, server: builder.server,
                                            environment: builder.environment)
    for i in verdicts.count..<end {
      let step = builder.step(i)
      sim.advance(by: step.after)
      sim.recordsTrace = i >= tracedFrom
      verdicts.append(sim.fetch(step.request))
    }
    simulator = sim
    return verdicts
  }
}
