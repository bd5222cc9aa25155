import CORSPolicy
import CORSPropertyTesting
import CORSSimulator
import PropertyBased
import Synchronization
import Testing

/// A policy that reflects any origin with credentials, meant for https://app.example.com alone.
let reflectingHarness = PolicyHarness(policy: CORSPolicy(origins: [.any], anyOrigin: .reflect, credentials: true),
                                      resource: try! URLRecord("https://api.example.com/data"),
                                      allowlist: Allowlist(entries: ["https://app.example.com"]))

/// Generators kept as values: stored properties of a type of one's own (an opaque return type could not be).
struct StoredGenerators {
  let origins: CORSGenerator<String>
  let requests = CORSGen.request(methods: [.get, .put])
  let engines = CORSGen.engine
}

@Suite("Property testing: generators are values, yours are accepted, a failure is a value")
struct PropertyAPITests {
  @Test("generators are storable: in a struct, in an array of several kinds, in a variable")
  func storable() async throws {
    let generators = StoredGenerators(origins: CORSGen.origin(in: reflectingHarness))
    // Two different constructions of one type: an array holds both.
    let origins: [CORSGenerator<String>] = [generators.origins, CORSGen.adversarialOrigin(around: reflectingHarness.allowlist)]
    var rng = Xoshiro(seed: (1, 2, 3, 4))
    let drawn = origins.map { $0.run(using: &rng) }
    #expect(drawn.allSatisfy { reflectingHarness.origins.contains($0) })
    let request = generators.requests.run(using: &rng)
    #expect([Method.get, .put].contains(request.method))
  }

  @Test("a check tries your generators' values, and only those")
  func ownGenerators() async throws {
    let seen = Mutex<Set<String>>([])
    let record = PolicyProperty("records its origins") { trial in
      seen.withLock { _ = $0.insert(trial.origin) }
      return nil
    }
    let mine = CORSGen.oneOf(["https://partner.example", "https://evil.example"])
    let onlyPut = Gen.element(of: [AuditRequest(method: .put, headers: ["Content-Type": "application/json"])])
      .compactMap { $0 }.eraseToAny()
    let check = CORSPropertyCheck(reflectingHarness, properties: [record], count: 40, origins: mine, requests: onlyPut,
                                  engines: CORSGen.oneOf([.firefox]))
    #expect(await check.counterexample() == nil)
    // The frontend's own trials come from the allowlist; the generated ones from `mine` alone.
    #expect(seen.withLock { $0 } == ["https://app.example.com", "https://partner.example", "https://evil.example"])
  }

  @Test("a failing property is returned as a value, shrunk: the plainest origin, a credentialed GET, Chromium")
  func counterexampleValue() async throws {
    let check = CORSPropertyCheck(reflectingHarness, properties: [.noOutsideCredentialedRead], count: 200,
                                  origins: CORSGen.adversarialOrigin(around: reflectingHarness.allowlist))
    let found = try #require(await check.counterexample())
    #expect(found.property == PolicyProperty.noOutsideCredentialedRead.name)
    #expect(found.origin == "https://evil.test")
    #expect(found.request == .credentialedGet)
    #expect(found.engine == .chromium)
    #expect(found.trial.readsWithCredentials)
    #expect(found.description.contains("https://evil.test reads GET https://api.example.com/data with cookies"))
    // A correct policy has none.
    let safe = PolicyHarness(document: try PolicyDocument(text: policy))
    #expect(await CORSPropertyCheck(safe, count: 100).counterexample() == nil)
  }

  @Test("in a test, the check records the issue and returns the counterexample")
  func recordedAndReturned() async throws {
    var returned: Counterexample?
    await withKnownIssue {
      returned = await corsPropertyCheck(reflectingHarness, properties: [.noOutsideCredentialedRead], count: 100,
                                         requests: CORSGen.request(methods: [.get], headers: []))
    }
    let found = try #require(returned)
    #expect(found.trial.readsWithCredentials)
    #expect(!reflectingHarness.allowlist.contains(found.origin))
  }

  @Test("an asynchronous server gives the verdicts the synchronous one does, each request sent once")
  func asyncResponder() async throws {
    let sent = Mutex<[ServerRequest]>([])
    let model = reflectingHarness.server
    let server = AsyncResponder(name: "counting") { request in
      sent.withLock { $0.append(request) }
      try await Task.sleep(for: .milliseconds(1))
      let r = model.respond(request)
      return ResponderAnswer(status: r.status, headers: r.headers)
    }
    let live = PolicyHarness(resource: reflectingHarness.resource, allowlist: reflectingHarness.allowlist, server: server,
                             frontend: [.credentialedGet])
    let put = AuditRequest(method: .put, headers: ["Content-Type": "application/json"], credentials: .include)
    for (origin, request) in [("https://evil.test", AuditRequest.credentialedGet), ("https://evil.test", put), ("null", put)] {
      for engine in Engine.allWithSpec {
        let a = await live.run(origin: origin, request: request, engine: engine)
        let b = reflectingHarness.trial(origin: origin, request: request, engine: engine)
        #expect(a.verdict.outcome == b.verdict.outcome, "\(origin) \(request) \(engine)")
        #expect(a.exchanges.map(\.request) == b.exchanges.map(\.request))
      }
    }
    let requests = sent.withLock { $0 }
    #expect(Set(requests).count == requests.count, "a request was sent twice")
    #expect(requests.contains { $0.isPreflight })
    // The property check runs on it too, and finds the same failure.
    let found = try #require(await CORSPropertyCheck(live, properties: [.noOutsideCredentialedRead], count: 60,
                                                     requests: CORSGen.request(methods: [.get], headers: [])).counterexample())
    #expect(found.trial.readsWithCredentials)
  }

  @Test("a server that throws gives no answer: the trial is a failed connection, not a crash")
  func throwingServer() async throws {
    struct Down: Error {}
    let server = AsyncResponder(name: "down") { _ in throw Down() }
    let harness = PolicyHarness(resource: reflectingHarness.resource, allowlist: reflectingHarness.allowlist, server: server)
    let t = await harness.run(origin: "https://evil.test", request: .get, engine: .chromium)
    #expect(t.verdict.outcome == .networkError)
    #expect(t.verdict.reason == .requestFailed)
  }
}
