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

  init(engine: Engine) { self.engine = engine }

  /// Forgets what a change may have made stale.
  mutating func invalidate(_ changes: ScenarioBuilder.Changes) {
    if changes.world {
      verdicts = []
      simulator = nil
    } else if let first = changes.firstStep, first < verdicts.count {
      // The simulator state before an earlier request is not kept: run them all again.
      verdicts = []
      simulator = nil
    }
  }

  /// Forgets everything (a new document).
  mutating func reset() {
    verdicts = []
    simulator = nil
  }

  /// The verdicts of every request of `builder` (none without a page).
  mutating func update(_ builder: ScenarioBuilder) -> [Verdict] {
    guard let page = builder.page else { return [] }
    if verdicts.count > builder.stepCount { reset() }
    guard verdicts.count < builder.stepCount else { return verdicts }
    // Taken out of the cache so that it is the only copy: the preflight cache is then changed in place.
    var sim = simulator.take() ?? Simulator(profile: .forEngine(engine), page: page, server: builder.server,
                                            environment: builder.environment)
    for i in verdicts.count..<builder.stepCount {
      let step = builder.step(i)
      sim.advance(by: step.after)
      verdicts.append(sim.fetch(step.request))
    }
    simulator = sim
    return verdicts
  }
}
