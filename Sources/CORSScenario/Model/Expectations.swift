import CORSSimulator

/// The verdict a scenario file expects for one request, for some browsers or (with `browsers` nil) for
/// every profile that has no line of its own.
public struct VerdictExpectation: Sendable, Hashable {
  /// The profiles this line is for (nil: the default line).
  public var browsers: [Engine]?
  /// The outcome.
  public var outcome: Outcome
  /// The response type (readable and opaque outcomes).
  public var responseType: ResponseType?
  /// The status (readable and opaque outcomes).
  public var status: Int?
  /// The exposed header names, sorted and lower-case (nil: not checked).
  public var exposed: [String]?
  /// The stage (failures).
  public var stage: Stage?
  /// The reason code (failures).
  public var reason: FailureReason?
  /// Where the line is.
  public var line: Int
}

/// One request a scenario expects on the wire.
public struct ExpectedRequest: Sendable, Hashable {
  /// The method.
  public var method: String
  /// The URL, serialized.
  public var url: String
  /// `Origin`, `Access-Control-Request-Method`, `Access-Control-Request-Headers`: nil means absent.
  public var origin: String?
  /// `Access-Control-Request-Method` (nil: absent).
  public var acrm: String?
  /// `Access-Control-Request-Headers` (nil: absent).
  public var acrh: String?
}

/// The requests a scenario expects on the wire for one step.
public struct WireExpectation: Sendable, Hashable {
  /// The profiles this line is for (nil: the default line).
  public var browsers: [Engine]?
  /// The requests, in order.
  public var requests: [ExpectedRequest]
  /// Where the line is.
  public var line: Int
}

/// A console message a scenario pins for one engine.
public struct MessageExpectation: Sendable, Hashable {
  /// The engine.
  public var browser: Engine
  /// The message, exactly.
  public var text: String
  /// Where the line is.
  public var line: Int
}

/// What a scenario file holds: header keys, the scenario, and what is expected of each request.
public struct ScenarioDocument: Sendable, Hashable {
  /// `title:`, `spec:`, `why:`, `source:` … in order.
  public var metadata: [(key: String, value: String)]
  /// The scenario.
  public var scenario: Scenario
  /// The browser chosen with `browser` (sessions), if any.
  public var browser: Engine?
  /// Per step index: verdict lines.
  public var verdicts: [Int: [VerdictExpectation]]
  /// Per step index: wire lines.
  public var wire: [Int: [WireExpectation]]
  /// Per step index: console messages.
  public var messages: [Int: [MessageExpectation]]

  /// Creates a document.
  public init(metadata: [(key: String, value: String)] = [], scenario: Scenario = Scenario(), browser: Engine? = nil,
              verdicts: [Int: [VerdictExpectation]] = [:], wire: [Int: [WireExpectation]] = [:],
              messages: [Int: [MessageExpectation]] = [:]) {
    self.metadata = metadata
    self.scenario = scenario
    self.browser = browser
    self.verdicts = verdicts
    self.wire = wire
    self.messages = messages
  }

  public static func == (a: ScenarioDocument, b: ScenarioDocument) -> Bool {
    a.metadata.map { [$0.key, $0.value] } == b.metadata.map { [$0.key, $0.value] } && a.scenario == b.scenario
      && a.browser == b.browser && a.verdicts == b.verdicts && a.wire == b.wire && a.messages == b.messages
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(scenario)
    hasher.combine(metadata.count)
  }

  /// The value of a header key.
  public func meta(_ key: String) -> String? { metadata.first { $0.key == key }?.value }

  /// True when the document expects anything at all.
  public var hasExpectations: Bool { !verdicts.isEmpty || !wire.isEmpty || !messages.isEmpty }

  /// The verdict line that applies to an engine for a step.
  public func verdictExpectation(step: Int, engine: Engine) -> VerdictExpectation? {
    let lines = verdicts[step] ?? []
    return lines.first { $0.browsers?.contains(engine) == true } ?? lines.first { $0.browsers == nil }
  }

  /// The wire line that applies to an engine for a step.
  public func wireExpectation(step: Int, engine: Engine) -> WireExpectation? {
    let lines = wire[step] ?? []
    return lines.first { $0.browsers?.contains(engine) == true } ?? lines.first { $0.browsers == nil }
  }

  /// Compares the verdicts of one engine with what the document expects; empty when all agree.
  public func mismatches(engine: Engine, verdicts got: [Verdict], file: String? = nil) -> [ScenarioDiagnostic] {
    got.indices.flatMap { mismatches(step: $0, engine: engine, verdict: got[$0], file: file) }
  }

  /// Compares one request's verdict with what the document expects of it; empty when they agree.
  public func mismatches(step i: Int, engine: Engine, verdict v: Verdict, file: String? = nil) -> [ScenarioDiagnostic] {
    var out: [ScenarioDiagnostic] = []
    if let e = verdictExpectation(step: i, engine: engine) {
      var problems: [String] = []
      if v.outcome != e.outcome { problems.append("outcome \(v.outcome.rawValue), expected \(e.outcome.rawValue)") }
      if let t = e.responseType, v.responseType != t {
        problems.append("response type \(v.responseType?.rawValue ?? "none"), expected \(t.rawValue)")
      }
      if let s = e.status, v.status != s { problems.append("status \(v.status.map(String.init) ?? "none"), expected \(s)") }
      if let x = e.exposed, (v.exposedHeaders ?? []) != x {
        problems.append("exposes [\((v.exposedHeaders ?? []).joined(separator: ", "))], expected [\(x.joined(separator: ", "))]")
      }
      if let s = e.stage, v.stage != s { problems.append("stage \(v.stage?.rawValue ?? "none"), expected \(s.rawValue)") }
      if let r = e.reason, v.reason != r { problems.append("reason \(v.reason?.rawValue ?? "none"), expected \(r.rawValue)") }
      if !problems.isEmpty {
        out.append(ScenarioDiagnostic(file: file, line: e.line, column: 0,
                                      message: "\(engine.rawValue), request \(i + 1): " + problems.joined(separator: "; ")))
      }
    }
    if let w = wireExpectation(step: i, engine: engine) {
      let actual = v.requests.map { r in
        ExpectedRequest(method: r.method.rawValue, url: r.url.href, origin: r.value(of: .origin),
                        acrm: r.value(of: .accessControlRequestMethod),
                        acrh: r.value(of: .accessControlRequestHeaders))
      }
      if actual != w.requests {
        out.append(ScenarioDiagnostic(file: file, line: w.line, column: 0, message:
          "\(engine.rawValue), request \(i + 1): sent [\(actual.map(\.summary).joined(separator: "; "))], expected [\(w.requests.map(\.summary).joined(separator: "; "))]"))
      }
    }
    // A `says` line matches the console error or one of the warnings printed although the request succeeds.
    for m in messages[i] ?? [] where m.browser == engine && v.consoleMessage != m.text && !v.consoleWarnings.contains(m.text) {
      out.append(ScenarioDiagnostic(file: file, line: m.line, column: 0, message:
        "\(engine.rawValue), request \(i + 1): message \"\(v.consoleMessage ?? "(none)")\", expected \"\(m.text)\""))
    }
    return out
  }
}

extension ExpectedRequest {
  /// `OPTIONS https://api.example/data origin=https://app.example acrm=PUT`
  public var summary: String {
    var s = "\(method) \(url)"
    if let origin { s += " origin=\(origin)" }
    if let acrm { s += " acrm=\(acrm)" }
    if let acrh { s += " acrh=\(acrh)" }
    return s
  }
}
