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
  /// The simulator as the last request found it (for its fixes).
  private var beforeLast: Simulator? = nil

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
    beforeLast = nil
  }

  /// The simulator as request `step` found it, when that is the last one run.
  func simulator(before step: Int) -> Simulator? { step == verdicts.count - 1 ? beforeLast : nil }

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
      if i == builder.stepCount - 1 { beforeLast = sim }
      verdicts.append(sim.fetch(step.request))
    }
    simulator = sim
    return verdicts
  }
}
