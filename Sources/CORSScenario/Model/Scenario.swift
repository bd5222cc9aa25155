import CORSSimulator

/// A whole scenario: a page, the server (routes and layers), the browser's environment, and the script's
/// requests in order, each possibly after a pause. Scenario files, REPL sessions and oracle lines all become
/// one of these.
public struct Scenario: Sendable, Hashable {
  // (The requests are declared first so that the synthesized memberwise initializer, `init(steps:id:…)`, differs
  // from the public one, which calls it: see `ScenarioStep`.)
  /// The requests, in order.
  public var steps: [ScenarioStep]
  /// The scenario's identifier (the oracle's `id`, or a file's name).
  public var id: String
  /// The page whose script makes the requests (nil until set in a session).
  public var page: Page?
  /// The server.
  public var server: Server
  /// HSTS hosts, address spaces, Local Network Access answers.
  public var environment: NetworkEnvironment
}

extension Scenario {
  /// Creates a scenario.
  public init(id: String = "", page: Page? = nil, server: Server = Server(), environment: NetworkEnvironment = .init(),
              steps: [ScenarioStep] = []) {
    self.init(steps: steps, id: id, page: page, server: server, environment: environment)
  }
}

/// One request of a scenario.
public struct ScenarioStep: Sendable, Hashable {
  // (Declared in this order so that the synthesized memberwise initializer, `init(request:after:)`, differs from the
  // public one, which calls it: a step built by an initializer that assigns its fields one by one was built in
  // memory, then copied out and the original destroyed, its request's strings retained and released once more.)
  /// The script's call.
  public var request: ScriptRequest
  /// Seconds of virtual time that pass before the request.
  public var after: Double
}

extension ScenarioStep {
  /// Creates a step.
  public init(after: Double = 0, request: ScriptRequest) {
    self.init(request: request, after: after)
  }
}

/// Runs scenarios through the simulator.
public enum ScenarioRunner {
  /// The verdict of every step, with one preflight cache and one clock across the steps.
  public static func run(_ scenario: Scenario, profile: BrowserProfile, trace: Bool = true) -> [Verdict] {
    run(scenario, profile: profile, trace: trace, wireLineBudget: .max).verdicts
  }

  /// As `run`, stopping after the step whose requests on the wire bring the lines sent (each request and
  /// each of its header lines) over `wireLineBudget`: redirects and preflights repeat a request's header
  /// lines, so a small scenario can make many (1,000 steps, each redirected 20 times with 400 headers).
  /// `exceededAt` is the index of that step, nil when the budget held.
  public static func run(_ scenario: Scenario, profile: BrowserProfile, trace: Bool = true,
                         wireLineBudget: Int) -> (verdicts: [Verdict], exceededAt: Int?) {
    var verdicts: [Verdict] = []
    verdicts.reserveCapacity(scenario.steps.count)
    var lines = 0
    var exceededAt: Int?
    forEachStep(scenario, profile: profile, trace: trace) { k, verdict in
      lines += wireLines(verdict)
      verdicts.append(verdict)
      if lines > wireLineBudget {
        exceededAt = k
        return false
      }
      return true
    }
    return (verdicts, exceededAt)
  }

  /// `run(_:profile:trace:wireLineBudget:)` of a scenario handed over, which is used up: each step is moved out of its
  /// list and its request lent to the simulator from there. (Lent from a list the caller keeps, each request was
  /// copied first, every string and list in it retained and released.)
  package static func run(taking scenario: consuming Scenario, profile: consuming BrowserProfile, trace: Bool = true,
                          wireLineBudget: Int) -> (verdicts: [Verdict], exceededAt: Int?) {
    var scenario = scenario
    var steps = scenario.steps
    scenario.steps = []  // (the list held once, so that reversing it below changes it in place)
    // (The page and the profile handed on to the simulator, not copied.)
    guard let page = scenario.page.take() else { return ([], nil) }
    var sim = Simulator(profile: profile, page: page, server: scenario.server, environment: scenario.environment)
    sim.recordsTrace = trace
    var verdicts: [Verdict] = []
    verdicts.reserveCapacity(steps.count)
    var lines = 0
    // The steps taken from the end, in order. (Reversed in place by moving them: `reverse()` copied each one.)
    steps.withUnsafeMutableBufferPointer { b in
      var (i, j) = (0, b.count - 1)
      while i < j {
        b.swapAt(i, j)
        (i, j) = (i + 1, j - 1)
      }
    }
    var k = 0
    while let step = steps.popLast() {
      sim.advance(by: step.after)
      let verdict = sim.fetch(step.request)
      lines += wireLines(verdict)
      verdicts.append(verdict)
      if lines > wireLineBudget { return (verdicts, k) }
      k += 1
    }
    return (verdicts, nil)
  }

  /// The lines a verdict's requests put on the wire: each request and each of its header lines.
  private static func wireLines(_ verdict: borrowing Verdict) -> Int {
    var lines = 0
    // (By index: a `for` over the requests copies each one.)
    let requests = verdict.requests
    for i in requests.indices { lines += 1 + requests[i].headers.count }
    return lines
  }

  /// `run` one step at a time: `body` gets each step's index and verdict in order and returns whether to go on;
  /// nothing is kept after it returns, so that a caller that prints each step as it comes holds one verdict at a
  /// time however long the scenario is.
  /// (`body` is given each verdict to keep: one it stores is moved there, not copied.)
  public static func forEachStep(_ scenario: Scenario, profile: BrowserProfile, trace: Bool = true,
                                 _ body: (_ index: Int, _ verdict: consuming Verdict) -> Bool) {
    // (The page lent to the simulator, which keeps its own: a `guard let` made one more copy of it.)
    guard scenario.page != nil else { return }
    var sim = Simulator(profile: profile, page: scenario.page.unsafelyUnwrapped, server: scenario.server,
                        environment: scenario.environment)
    sim.recordsTrace = trace
    // (Each step read in place from the steps' buffer: a `for` over the steps, or an array subscript, copied each
    // one, its request's strings and lists retained and released.)
    scenario.steps.withUnsafeBufferPointer { steps in
      for k in steps.indices {
        sim.advance(by: steps[k].after)
        if !body(k, sim.fetch(steps[k].request)) { return }
      }
    }
  }
}
