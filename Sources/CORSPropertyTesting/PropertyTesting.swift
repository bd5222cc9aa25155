import CORSPolicy
import CORSSimulator
import PropertyBased
import Testing

/// Generators for property-based tests of CORS policies, built on swift-property-based: they compose with
/// `zip` and shrink — a failing case is reduced towards the first origin of the list (the plainest attack),
/// a GET, fewer headers and no credentials, as long as it still fails.
public enum CORSGen {
  /// Origins: the allowlist's representatives, then every adversarial origin (shrinks towards the first).
  public static func origin(in harness: PolicyHarness) -> Generator<String, some SendableSequenceType> {
    let origins = harness.origins
    return Gen.int(in: 0...(origins.count - 1)).map { origins[$0] }
  }

  /// Origins outside the allowlist only (the plainest attack first).
  public static func adversarialOrigin(around allowlist: Allowlist) -> Generator<String, some SendableSequenceType> {
    let origins = OriginGenerator.adversarial(around: allowlist).map(\.origin)
    return Gen.int(in: 0...(origins.count - 1)).map { origins[$0] }
  }

  /// Requests: a method from `methods`, any subset of the author `headers`, a `Content-Type` from
  /// `contentTypes` or none, a mode from `modes`, with or without credentials. Each part shrinks towards its
  /// first choice (GET, no header, no Content-Type, `cors`, no credentials).
  public static func request(methods: [Method] = [.get, .post, .put, .delete, .patch],
                             headers: HeaderList = ["Authorization": "Bearer t", "X-Requested-With": "XMLHttpRequest"],
                             contentTypes: [String] = ["text/plain", "application/x-www-form-urlencoded", "application/json"],
                             modes: [ScriptRequest.Mode] = [.cors, .noCORS]) -> Generator<AuditRequest, some SendableSequenceType> {
    zip(Gen.int(in: 0...(methods.count - 1)), Gen.bool.array(of: headers.count), Gen.int(in: 0...contentTypes.count),
        Gen.int(in: 0...(modes.count - 1)), Gen.bool)
      .map { (m: Int, mask: [Bool], type: Int, mode: Int, credentials: Bool) in
        var chosen = HeaderList(zip(headers, mask).filter(\.1).map(\.0))
        if type > 0 { chosen.append(HeaderField(.contentType, contentTypes[type - 1])) }
        return AuditRequest(method: methods[m], headers: chosen, credentials: credentials ? .include : .sameOrigin,
                            mode: modes[mode])
      }
  }

  /// Engines: chromium first, then firefox, webkit and the standard.
  public static var engine: Generator<Engine, some SendableSequenceType> {
    let engines: [Engine] = [.chromium, .firefox, .webkit, .spec]
    return Gen.int(in: 0...3).map { engines[$0] }
  }
}

/// Checks properties over the frontend's requests from every allowed origin in every engine, then over
/// generated trials (origin × request × engine): each property that fails records an issue naming the
/// property, the trial and how it fails; with the `.shrinking` trait a generated failure is reduced to the
/// smallest request that still shows it.
///
/// ```swift
/// @Test(.shrinking) func policyHolds() async throws {
///   let harness = PolicyHarness(document: try PolicyDocument(text: policyYAML))
///   await corsPropertyCheck(harness)
/// }
/// ```
public func corsPropertyCheck(_ harness: PolicyHarness, properties: [PolicyProperty] = PolicyProperty.builtIns, count: Int = 300,
                              requests: Generator<AuditRequest, some SendableSequenceType> = CORSGen.request(),
                              isolation: isolated (any Actor)? = #isolation, sourceLocation: SourceLocation = #_sourceLocation) async {
  for trial in harness.frontendTrials {
    for p in properties {
      if let v = p.violation(in: trial) {
        Issue.record("\(p.name): \(v) (from \(trial.origin), \(trial.request.javaScript(url: harness.resource.href)), \(trial.engine.rawValue))",
                     sourceLocation: sourceLocation)
      }
    }
  }
  await propertyCheck(count: count, input: CORSGen.origin(in: harness), requests, CORSGen.engine, perform: { origin, request, engine in
    let trial = harness.trial(origin: origin, request: request, engine: engine)
    for p in properties {
      if let v = p.violation(in: trial) {
        Issue.record("\(p.name): \(v) (from \(origin), \(request.javaScript(url: harness.resource.href)), \(engine.rawValue))",
                     sourceLocation: sourceLocation)
      }
    }
  }, isolation: isolation, sourceLocation: sourceLocation)
}
