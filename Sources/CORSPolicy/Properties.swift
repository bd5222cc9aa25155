import CORSSimulator

/// One trial: a page at an origin makes a request, in one engine, against a server; what the engine decided
/// and what the server answered to each request on the wire.
public struct Trial: Sendable {
  /// The page's origin (`null`: a sandboxed frame).
  public var origin: String
  /// The request.
  public var request: AuditRequest
  /// The engine.
  public var engine: Engine
  /// Whether the allowlist trusts the origin.
  public var isTrusted: Bool
  /// Whether the request is one the real frontend makes.
  public var isFrontendRequest: Bool
  /// The engine's verdict.
  public var verdict: Verdict
  /// Each request on the wire with the server's answer (after every layer).
  public var exchanges: [(request: ServerRequest, response: ServerResponse)]
  /// The answer to the preflight, if one was sent.
  public var preflight: ServerResponse? { exchanges.first { $0.request.isPreflight }?.response }
  /// The answer to the last actual request.
  public var response: ServerResponse? { exchanges.last { !$0.request.isPreflight }?.response }
  /// Whether script reads the response with credentials.
  public var readsWithCredentials: Bool {
    verdict.outcome == .readable && exchanges.last { !$0.request.isPreflight }?.request.includesCredentials == true
  }
}

/// Runs trials against a server: the policy (or any responder) behind its layers, or an asynchronous server —
/// a live URL, an application in-process — through `run(origin:request:engine:)`.
public struct PolicyHarness: Sendable {
  /// The resource requested.
  public var resource: URLRecord
  /// The origins meant to be trusted.
  public var allowlist: Allowlist
  /// The server (for an asynchronous one: its recording, which answers what was sent so far).
  public var server: Server
  /// The requests the real frontend makes.
  public var frontend: [AuditRequest]
  /// The asynchronous server and its recording (nil: `server` answers by itself).
  public private(set) var settler: AsyncSettler?

  /// A harness for an asynchronous server: a live URL, or an application driven in-process through its
  /// framework's testing API. Every distinct request is sent once and its answer reused by later trials.
  public init(resource: URLRecord, allowlist: Allowlist, server: AsyncResponder, frontend: [AuditRequest] = [.get],
              gate: RequestGate = RequestGate()) {
    let settler = AsyncSettler(responder: server, gate: gate)
    let recording = settler.recording
    self.init(resource: resource, allowlist: allowlist, server: Server(responder: Responder(name: server.name) { recording.answer($0) }),
              frontend: frontend)
    self.settler = settler
  }

  /// A harness for any server.
  public init(resource: URLRecord, allowlist: Allowlist, server: Server, frontend: [AuditRequest] = [.get]) {
    self.resource = resource
    self.allowlist = allowlist
    self.server = server
    self.frontend = frontend
  }

  /// A harness for a policy file: its policy behind its layers, its allowlist (declared or read from the rules).
  public init(document: PolicyDocument) {
    let allowlist = document.allow.map { Allowlist(entries: $0) } ?? Allowlist(policy: document.policy)
    let answer = document.answerFunction
    self.init(resource: document.resource, allowlist: allowlist,
              server: Server(layers: document.layers, responder: Responder(name: "policy") { answer($0) }),
              frontend: document.frontend.isEmpty ? [document.policy.credentials ? .credentialedGet : .get] : document.frontend)
  }

  /// A harness for a policy built in Swift.
  public init(policy: CORSPolicy, resource: URLRecord, allowlist: Allowlist? = nil, layers: [Layer] = [],
              frontend: [AuditRequest]? = nil) {
    self.init(resource: resource, allowlist: allowlist ?? Allowlist(policy: policy),
              server: Server(layers: layers, responder: policy.responder()),
              frontend: frontend ?? [policy.credentials ? .credentialedGet : .get])
  }

  /// Runs one trial against any server — the model, a live URL, an application in-process: against an
  /// asynchronous one the engine runs on the recording,
  /// the requests it needs are sent, and it runs again until every request on its wire has an answer.
  public func run(origin: String, request: AuditRequest, engine: Engine) async -> Trial {
    guard let settler else { return runTrial(origin: origin, request: request, engine: engine) }
    return await settler.settle { runTrial(origin: origin, request: request, engine: engine) }.result
  }

  /// The frontend's requests from every allowed origin in every profile, against any server.
  public func frontendTrials() async -> [Trial] {
    var out: [Trial] = []
    for origin in allowlist.representatives {
      for request in frontend {
        for engine in Engine.allWithSpec { out.append(await run(origin: origin, request: request, engine: engine)) }
      }
    }
    return out
  }

  /// The first property a trial breaks, as a counterexample (nil: it keeps them all).
  public func counterexample(_ trial: Trial, properties: [PolicyProperty]) -> Counterexample? {
    for p in properties {
      if let v = p.violation(in: trial) { return Counterexample(property: p.name, violation: v, trial: trial, resource: resource) }
    }
    return nil
  }

  /// A counterexample made as small as it goes while the same property still fails: the origin moved
  /// towards the plainest one (the allowlist's, then the adversarial origins in order), the request shrunk
  /// (headers dropped, GET, no body), the engine towards Chromium. Each step keeps the property failing.
  public func shrink(_ found: Counterexample, properties: [PolicyProperty], maxSteps: Int = 200) async -> Counterexample {
    guard let property = properties.first(where: { $0.name == found.property }) else { return found }
    var best = found
    let origins = self.origins
    let engines: [Engine] = [.chromium, .firefox, .webkit, .spec]
    var steps = 0
    func failing(_ o: String, _ r: AuditRequest, _ e: Engine) async -> Counterexample? {
      let t = await run(origin: o, request: r, engine: e)
      return property.violation(in: t).map { Counterexample(property: property.name, violation: $0, trial: t, resource: resource) }
    }
    var progress = true
    while progress && steps < maxSteps {
      progress = false
      let current = best.trial
      var candidates: [(String, AuditRequest, Engine)] = current.request.shrunk.map { (current.origin, $0, current.engine) }
      if let i = origins.firstIndex(of: current.origin) {
        candidates += origins[..<i].map { ($0, current.request, current.engine) }
      }
      if let i = engines.firstIndex(of: current.engine) {
        candidates += engines[..<i].map { (current.origin, current.request, $0) }
      }
      for (o, r, e) in candidates {
        steps += 1
        if var smaller = await failing(o, r, e) {
          smaller.original = found.original
          smaller.shrinkSteps = best.shrinkSteps + 1
          best = smaller
          progress = true
          break
        }
        if steps >= maxSteps { break }
      }
    }
    return best
  }

  /// Runs one trial (against an asynchronous server, on what its recording holds so far: use `run`).
  public func trial(origin: String, request: AuditRequest, engine: Engine) -> Trial {
    runTrial(origin: origin, request: request, engine: engine)
  }

  func runTrial(origin: String, request: AuditRequest, engine: Engine) -> Trial {
    let page = origin == "null" ? Page(url: try! URLRecord("https://sandboxed.evil.test/"), sandboxed: true)
      : Page(url: (try? URLRecord(origin + "/")) ?? resource)
    var sim = Simulator(profile: .forEngine(engine), page: page, server: server)
    sim.recordsTrace = false
    let verdict = sim.fetch(request.scriptRequest(url: resource.href))
    let exchanges = verdict.requests.map { w -> (request: ServerRequest, response: ServerResponse) in
      let r = ServerRequest(method: w.method, url: w.url, headers: w.headers, isPreflight: w.isPreflight,
                            includesCredentials: w.includesCredentials)
      return (r, server.respond(r))
    }
    return Trial(origin: origin, request: request, engine: engine, isTrusted: allowlist.contains(origin),
                 isFrontendRequest: frontend.contains(request), verdict: verdict, exchanges: exchanges)
  }

  /// The frontend's requests from every allowed origin in every profile (the three engines and the standard).
  public var frontendTrials: [Trial] {
    allowlist.representatives.flatMap { origin in
      frontend.flatMap { request in Engine.allWithSpec.map { trial(origin: origin, request: request, engine: $0) } }
    }
  }

  /// The origins worth trying: the trusted ones, then the adversarial ones browsers can send.
  public var origins: [String] {
    allowlist.representatives + OriginGenerator.adversarial(around: allowlist).map(\.origin)
  }
}

/// A property a trial breaks, as a value: the property, how it fails, and the trial — after shrinking, the
/// smallest one found — with the case first found. An `Error`, so a test can `throw` it.
public struct Counterexample: Error, Sendable, CustomStringConvertible {
  /// The property's name.
  public var property: String
  /// How the trial breaks it.
  public var violation: String
  /// The trial (shrunk, when it has been).
  public var trial: Trial
  /// The origin, request and engine first found failing.
  public var original: (origin: String, request: AuditRequest, engine: Engine)
  /// How many smaller failing cases shrinking went through.
  public var shrinkSteps: Int
  /// The resource requested.
  public var resource: URLRecord

  /// A counterexample for a trial.
  public init(property: String, violation: String, trial: Trial, resource: URLRecord) {
    self.property = property
    self.violation = violation
    self.trial = trial
    self.original = (trial.origin, trial.request, trial.engine)
    self.shrinkSteps = 0
    self.resource = resource
  }

  /// The origin of the failing trial.
  public var origin: String { trial.origin }
  /// Its request.
  public var request: AuditRequest { trial.request }
  /// Its engine.
  public var engine: Engine { trial.engine }

  public var description: String {
    "\(property): \(violation) (from \(origin), \(request.javaScript(url: resource.href)), \(engine.rawValue))"
  }
}

/// A property every trial must have. Built-in ones are the audit's; write your own with a closure that
/// returns nil when the property holds, or a sentence saying how it fails.
///
/// ```swift
/// let neverExposesToken = PolicyProperty("the token header is never exposed") { trial in
///   trial.verdict.exposedHeaders?.contains("x-token") == true ? "x-token is readable" : nil
/// }
/// ```
public struct PolicyProperty: Sendable, CustomStringConvertible {
  /// The property's name.
  public let name: String
  private let check: @Sendable (Trial) -> String?

  /// Creates a property.
  public init(_ name: String, _ check: @escaping @Sendable (Trial) -> String?) {
    self.name = name
    self.check = check
  }

  /// How the trial breaks the property (nil: it holds).
  public func violation(in trial: Trial) -> String? { check(trial) }

  public var description: String { name }

  /// No origin outside the allowlist reads a credentialed response.
  public static let noOutsideCredentialedRead = PolicyProperty("no origin outside the allowlist reads a credentialed response") { t in
    !t.isTrusted && t.readsWithCredentials ? "\(t.origin) reads \(t.request.method) \(t.verdict.requests.last?.url.href ?? "") with cookies" : nil
  }

  /// Every request the real frontend makes succeeds from every allowed origin (failures that are not CORS's,
  /// such as mixed content, aside).
  public static let frontendSucceeds = PolicyProperty("every request of the frontend succeeds from every allowed origin") { t in
    t.isTrusted && t.isFrontendRequest && t.verdict.isCORSProblem ? "\(t.origin) is refused: \(t.verdict.reason?.rawValue ?? "")" : nil
  }

  /// `null` is never allowed.
  public static let nullNeverAllowed = PolicyProperty("null is never allowed") { t in
    t.origin == "null" && t.exchanges.contains { $0.response.headers.get(.accessControlAllowOrigin) == "null" }
      ? "Access-Control-Allow-Origin: null" : nil
  }

  /// `Vary: Origin` is present whenever the answer names the request's origin.
  public static let varyOrigin = PolicyProperty("Vary: Origin whenever the answer depends on Origin") { t in
    for (r, answer) in t.exchanges {
      guard let acao = answer.headers.get(.accessControlAllowOrigin), acao != "*", acao == r.value(of: "Origin") else { continue }
      let vary = answer.headers.getDecodeSplit(.vary) ?? []
      if !vary.contains(where: { $0.lowercased() == "origin" || $0 == "*" }) { return "\(r.method) answered `\(acao)` without Vary: Origin" }
    }
    return nil
  }

  /// A preflight that grants an origin is followed by an actual response that grants it too.
  public static let preflightAgreesWithActual = PolicyProperty("preflight answers agree with actual responses") { t in
    guard let p = t.preflight, let r = t.response, t.verdict.requests.contains(where: { !$0.isPreflight }) else { return nil }
    let granted = p.headers.get(.accessControlAllowOrigin)
    let actual = r.headers.get(.accessControlAllowOrigin)
    if (granted == t.origin || granted == "*") && actual == nil { return "the preflight grants \(t.origin), the actual response does not" }
    return nil
  }

  /// Exactly one layer sets CORS headers, each once.
  public static let singleOwner = PolicyProperty("exactly one layer sets CORS headers") { t in
    for (_, answer) in t.exchanges {
      let lines = answer.headers.filter { $0.name.canonicalName.hasPrefix("access-control-allow-") || $0.name.canonicalName.hasPrefix("access-control-expose-") }
      let owners = Set(lines.map { $0.setBy ?? Layer.application })
      if owners.count > 1 { return "set by \(owners.sorted().joined(separator: " and "))" }
      let names = lines.map(\.name.canonicalName)
      if Set(names).count != names.count { return "a CORS header appears twice" }
    }
    return nil
  }

  /// The built-in properties.
  public static let builtIns: [PolicyProperty] = [
    .noOutsideCredentialedRead, .frontendSucceeds, .nullNeverAllowed, .varyOrigin, .preflightAgreesWithActual, .singleOwner,
  ]
}
