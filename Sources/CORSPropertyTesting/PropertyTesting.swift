import CORSPolicy
import CORSSimulator
import PropertyBased
import Testing

/// A generator of CORS inputs as a value of one concrete type: store it (`let origins = CORSGen.origin(in:)`,
/// a stored property, an array of several), compose it with swift-property-based's combinators, and pass
/// your own in its place. Any `Generator` becomes one with `.eraseToAny()`.
public typealias CORSGenerator<Value> = Generator<Value, AnySequence<Any>>

/// Generators for property-based tests of CORS policies, built on swift-property-based: they compose with
/// `zip` and shrink — a failing case is reduced towards the first origin of the list (the plainest attack),
/// a GET, fewer headers and no credentials, as long as it still fails.
public enum CORSGen {
  /// One of the values, shrinking towards the first (an empty list is refused: there is nothing to draw).
  public static func oneOf<Value: Sendable>(_ values: [Value]) -> CORSGenerator<Value> {
    precondition(!values.isEmpty, "CORSGen.oneOf needs at least one value")
    return Gen.int(in: 0...(values.count - 1)).map { values[$0] }.eraseToAny()
  }

  /// Origins: the allowlist's representatives, then every adversarial origin (shrinks towards the first).
  public static func origin(in harness: PolicyHarness) -> CORSGenerator<String> { oneOf(harness.origins) }

  /// Origins outside the allowlist only (the plainest attack first).
  public static func adversarialOrigin(around allowlist: Allowlist) -> CORSGenerator<String> {
    oneOf(OriginGenerator.adversarial(around: allowlist).map(\.origin))
  }

  /// Requests: a method from `methods`, any subset of the author `headers`, a `Content-Type` from
  /// `contentTypes` or none, a mode from `modes`, with or without credentials. Each part shrinks towards its
  /// first choice (GET, no header, no Content-Type, `cors`, no credentials).
  public static func request(methods: [Method] = [.get, .post, .put, .delete, .patch],
                             headers: HeaderList = ["Authorization": "Bearer t", "X-Requested-With": "XMLHttpRequest"],
                             contentTypes: [String] = ["text/plain", "application/x-www-form-urlencoded", "application/json"],
                             modes: [ScriptRequest.Mode] = [.cors, .noCORS]) -> CORSGenerator<AuditRequest> {
    zip(Gen.int(in: 0...(methods.count - 1)), Gen.bool.array(of: headers.count), Gen.int(in: 0...contentTypes.count),
        Gen.int(in: 0...(modes.count - 1)), Gen.bool)
      .map { (m: Int, mask: [Bool], type: Int, mode: Int, credentials: Bool) in
        var chosen = HeaderList(zip(headers, mask).filter(\.1).map(\.0))
        if type > 0 { chosen.append(HeaderField(.contentType, contentTypes[type - 1])) }
        return AuditRequest(method: methods[m], headers: chosen, credentials: credentials ? .include : .sameOrigin,
                            mode: modes[mode])
      }
      .eraseToAny()
  }

  /// Engines: chromium first, then firefox, webkit and the standard.
  public static var engine: CORSGenerator<Engine> { oneOf([.chromium, .firefox, .webkit, .spec]) }
}

/// A property check as a value: the harness, the properties, and the generators of origins, requests and
/// engines (the built-in ones unless you pass your own). `counterexample()` runs it anywhere — a test, a
/// script, a CI job — and returns the shrunk counterexample instead of recording an issue;
/// `corsPropertyCheck` runs the same check inside a Swift Testing test and records one.
public struct CORSPropertyCheck: Sendable {
  /// The server under test and what it is meant to allow.
  public var harness: PolicyHarness
  /// The properties every trial must keep.
  public var properties: [PolicyProperty]
  /// How many generated trials (after the frontend's own requests).
  public var count: Int
  /// The origins tried.
  public var origins: CORSGenerator<String>
  /// The requests tried.
  public var requests: CORSGenerator<AuditRequest>
  /// The engines tried.
  public var engines: CORSGenerator<Engine>

  /// A check; nil generators stand for the built-in ones (`CORSGen.origin(in:)`, `CORSGen.request()`,
  /// `CORSGen.engine`).
  public init(_ harness: PolicyHarness, properties: [PolicyProperty] = PolicyProperty.builtIns, count: Int = 300,
              origins: CORSGenerator<String>? = nil, requests: CORSGenerator<AuditRequest>? = nil,
              engines: CORSGenerator<Engine>? = nil) {
    self.harness = harness
    self.properties = properties
    self.count = count
    self.origins = origins ?? CORSGen.origin(in: harness)
    self.requests = requests ?? CORSGen.request()
    self.engines = engines ?? CORSGen.engine
  }

  /// Runs the check without Swift Testing: the frontend's requests from every allowed origin, then `count`
  /// generated trials drawn from `seed`; the first failure, shrunk (see `PolicyHarness.shrink`), or nil when
  /// every property holds.
  public func counterexample(seed: UInt64 = 0xC0125) async -> Counterexample? {
    for trial in await harness.frontendTrials() {
      if let found = harness.counterexample(trial, properties: properties) { return found }
    }
    var rng = Xoshiro(seed: (seed, seed ^ 0x9E37_79B9_7F4A_7C15, ~seed, seed &* 31))
    for _ in 0..<count {
      let origin = origins.run(using: &rng), request = requests.run(using: &rng), engine = engines.run(using: &rng)
      let trial = await harness.run(origin: origin, request: request, engine: engine)
      if let found = harness.counterexample(trial, properties: properties) {
        return await harness.shrink(found, properties: properties)
      }
    }
    return nil
  }
}

/// Collects the last failing trial a check saw (the one swift-property-based settled on).
private final class LastFailure: @unchecked Sendable {
  var value: Counterexample?
}

/// Checks properties over the frontend's requests from every allowed origin in every engine, then over
/// generated trials (origin × request × engine, from your generators or the built-in ones): each property
/// that fails records an issue naming the property, the trial and how it fails; with the `.shrinking` trait a
/// generated failure is reduced by swift-property-based to the smallest input that still shows it. The
/// failure is also returned, as a value: the counterexample the check ended on (nil when all hold).
///
/// ```swift
/// @Test(.shrinking) func policyHolds() async throws {
///   let harness = PolicyHarness(document: try PolicyDocument(text: policyYAML))
///   await corsPropertyCheck(harness)
/// }
/// ```
@discardableResult
public func corsPropertyCheck(_ harness: PolicyHarness, properties: [PolicyProperty] = PolicyProperty.builtIns, count: Int = 300,
                              origins: CORSGenerator<String>? = nil, requests: CORSGenerator<AuditRequest>? = nil,
                              engines: CORSGenerator<Engine>? = nil,
                              isolation: isolated (any Actor)? = #isolation,
                              sourceLocation: SourceLocation = #_sourceLocation) async -> Counterexample? {
  let check = CORSPropertyCheck(harness, properties: properties, count: count, origins: origins, requests: requests, engines: engines)
  var first: Counterexample?
  for trial in await harness.frontendTrials() {
    for p in properties {
      if let v = p.violation(in: trial) {
        let found = Counterexample(property: p.name, violation: v, trial: trial, resource: harness.resource)
        Issue.record("\(found)", sourceLocation: sourceLocation)
        if first == nil { first = found }
      }
    }
  }
  let last = LastFailure()
  await propertyCheck(count: count, input: check.origins, check.requests, check.engines, perform: { origin, request, engine in
    let trial = await harness.run(origin: origin, request: request, engine: engine)
    var failed: Counterexample?
    for p in properties {
      if let v = p.violation(in: trial) {
        let found = Counterexample(property: p.name, violation: v, trial: trial, resource: harness.resource)
        Issue.record("\(found)", sourceLocation: sourceLocation)
        if failed == nil { failed = found }
      }
    }
    guard var failed else { return }
    // The first failure found stays the original; each later, different one is a smaller case that still fails.
    if let previous = last.value {
      guard (previous.origin, previous.request, previous.engine) != (failed.origin, failed.request, failed.engine) else { return }
      failed.original = previous.original
      failed.shrinkSteps = previous.shrinkSteps + 1
    }
    last.value = failed
  }, isolation: isolation, sourceLocation: sourceLocation)
  return first ?? last.value
}
