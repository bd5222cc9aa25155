import CORSSimulator

/// A whole scenario: a page, the server (routes and layers), the browser's environment, and the script's
/// requests in order, each possibly after a pause. Scenario files, REPL sessions and oracle lines all become
/// one of these.
public struct Scenario: Sendable, Hashable {
  /// The scenario's identifier (the oracle's `id`, or a file's name).
  public var id: String
  /// The page whose script makes the requests (nil until set in a session).
  public var page: Page?
  /// The server.
  public var server: Server
  /// HSTS hosts, address spaces, Local Network Access answers.
  public var environment: NetworkEnvironment
  /// The requests, in order.
  public var steps: [ScenarioStep]

  /// Creates a scenario.
  public init(id: String = "", page: Page? = nil, server: Server = Server(), environment: NetworkEnvironment = .init(),
              steps: [ScenarioStep] = []) {
    self.id = id
    self.page = page
    self.server = server
    self.environment = environment
    self.steps = steps
  }
}

/// One request of a scenario.
public struct ScenarioStep: Sendable, Hashable {
  /// Seconds of virtual time that pass before the request.
  public var after: Double
  /// The script's call.
  public var request: ScriptRequest

  /// Creates a step.
  public init(after: Double = 0, request: ScriptRequest) {
    self.after = after
    self.request = request
  }
}

/// Runs scenarios through the simulator.
public enum ScenarioRunner {
  /// The verdict of every step, with one preflight cache and one clock across the steps.
  public static func run(_ scenario: Scenario, profile: BrowserProfile, trace: Bool = true) -> [Verdict] {
    guard let page = scenario.page else { return [] }
    var sim = Simulator(profile: profile, page: page, server: scenario.server, environment: scenario.environment)
    sim.recordsTrace = trace
    var verdicts: [Verdict] = []
    verdicts.reserveCapacity(scenario.steps.count)
    for step in scenario.steps {
      sim.advance(by: step.after)
      verdicts.append(sim.fetch(step.request))
    }
    return verdicts
  }
}
