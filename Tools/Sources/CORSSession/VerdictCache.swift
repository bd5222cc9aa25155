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
  /// The fixes of the failing requests not yet printed (from `fixesFrom` of the last update), worked out from
  /// the state each ran in when it was run: printing a request's verdict with its fix line then costs nothing more.
  private var pendingFixes: [Int: [Fix]] = [:]
  /// A second simulator that replays the requests only when one fails, to rebuild the state it ran in (as
  /// `ScenarioRunner.runWithFixes` does): a copy of the simulator kept before every request would make every
  /// fetch copy the caches it changes, a cost growing with the session. `replayed` requests are in it, and
  /// `replayAdvanced` says whether it has also waited the `after` of the next one.
  private var replay: Simulator? = nil
  private var replayed = 0
  private var replayAdvanced = false

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
    pendingFixes = [:]
    replay = nil
    replayed = 0
    replayAdvanced = false
  }

  /// The fixes of request `step`, when they were worked out as it ran (nil: not kept).
  func fixes(step: Int) -> [Fix]? { pendingFixes[step] }

  /// The verdicts of every request of `builder` (none without a page); the fixes of each failing request from
  /// `fixesFrom` on that runs now are worked out too (those of the requests before it are forgotten).
  mutating func update(_ builder: ScenarioBuilder, fixesFrom: Int = .max) -> [Verdict] {
    guard let page = builder.page else { return [] }
    if verdicts.count > builder.stepCount { reset() }
    guard verdicts.count < builder.stepCount else { return verdicts }
    // Taken out of the cache so that it is the only copy: the preflight cache is then changed in place.
    var sim = simulator.take() ?? Simulator(profile: .forEngine(engine), page: page, server: builder.server,
                                            environment: builder.environment)
    pendingFixes = pendingFixes.filter { $0.key >= fixesFrom && $0.key < verdicts.count }
    for i in verdicts.count..<builder.stepCount {
      let step = builder.step(i)
      sim.advance(by: step.after)
      guard i >= fixesFrom else {
        verdicts.append(sim.fetch(step.request))
        continue
      }
      let v = sim.fetch(step.request)
      verdicts.append(v)
      if v.failure != nil {
        // The state the request found, for its fixes: the replaying simulator catches up to it.
        var r = replay.take() ?? Simulator(profile: .forEngine(engine), page: page, server: builder.server,
                                           environment: builder.environment)
        r.recordsTrace = false
        while replayed < i {
          let earlier = builder.step(replayed)
          if !replayAdvanced { r.advance(by: earlier.after) }
          _ = r.fetch(earlier.request)
          replayed += 1
          replayAdvanced = false
        }
        if !replayAdvanced { r.advance(by: step.after) }
        replayAdvanced = true
        pendingFixes[i] = r.fixes(for: step.request, step: i)
        replay = r
      }
    }
    simulator = sim
    return verdicts
  }
}
