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
  /// For a preload link: the event it fires, `load` or `error` (nil: not checked; `fires load|error`).
  public var event: String?
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

/// One edit of the first fix a scenario file expects for a request (`fix` lines), for some browsers or
/// (with `browsers` nil) for every profile that has no lines of its own. The lines of one request and one
/// set of browsers are the fix's edits, all of them, in any order.
public struct FixExpectation: Sendable, Hashable {
  /// The profiles this line is for (nil: the default lines).
  public var browsers: [Engine]?
  /// The edit; nil for `fix none` (the first fix has no edit: advice only).
  public var edit: Fix.Edit?
  /// Where the line is.
  public var line: Int

  /// Creates a line.
  public init(browsers: [Engine]?, edit: Fix.Edit?, line: Int) {
    self.browsers = browsers
    self.edit = edit
    self.line = line
  }
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
  /// Per step index: the edits of the first fix (`fix` lines).
  public var fixes: [Int: [FixExpectation]]
  /// Per step index: the verdict once the first fix is applied (`fixed` lines).
  public var fixed: [Int: [VerdictExpectation]]

  /// Creates a document.
  public init(metadata: [(key: String, value: String)] = [], scenario: Scenario = Scenario(), browser: Engine? = nil,
              verdicts: [Int: [VerdictExpectation]] = [:], wire: [Int: [WireExpectation]] = [:],
              messages: [Int: [MessageExpectation]] = [:], fixes: [Int: [FixExpectation]] = [:],
              fixed: [Int: [VerdictExpectation]] = [:]) {
    self.metadata = metadata
    self.scenario = scenario
    self.browser = browser
    self.verdicts = verdicts
    self.wire = wire
    self.messages = messages
    self.fixes = fixes
    self.fixed = fixed
  }

  public static func == (a: ScenarioDocument, b: ScenarioDocument) -> Bool {
    a.metadata.map { [$0.key, $0.value] } == b.metadata.map { [$0.key, $0.value] } && a.scenario == b.scenario
      && a.browser == b.browser && a.verdicts == b.verdicts && a.wire == b.wire && a.messages == b.messages
      && a.fixes == b.fixes && a.fixed == b.fixed
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(scenario)
    hasher.combine(metadata.count)
  }

  /// The value of a header key.
  public func meta(_ key: String) -> String? { metadata.first { $0.key == key }?.value }

  /// True when the document expects anything at all.
  public var hasExpectations: Bool {
    !verdicts.isEmpty || !wire.isEmpty || !messages.isEmpty || !fixes.isEmpty || !fixed.isEmpty
  }

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
    mismatches(engine: engine, verdicts: got, file: file, fixedFromReplay: true)
  }

  /// `mismatches(engine:verdicts:file:)`; `fixedFromReplay` off runs the fixed scenario for every `fixed` line (what
  /// the tests compare the replay's answer with).
  func mismatches(engine: Engine, verdicts got: [Verdict], file: String?, fixedFromReplay: Bool) -> [ScenarioDiagnostic] {
    // The fixes `fix` lines are checked against, worked out step after step by one replay (each step's from the
    // state before it made anew cost the steps before it, for each step).
    var replay = scenario.page.map { FixReplay(scenario, page: $0, profile: .forEngine(engine)) }
    replay?.decidesFixedSteps = fixedFromReplay
    return got.indices.flatMap { i in
      mismatches(step: i, engine: engine, verdict: got[i], file: file, onLine: nil, fixes: {
        i < scenario.steps.count ? replay?.fixes(ofStep: i) ?? [] : []
      }, fixedVerdict: { fix in replay?.fixedVerdict(ofStep: i, applying: fix) })
    }
  }

  /// Compares one request's verdict with what the document expects of it; empty when they agree.
  public func mismatches(step i: Int, engine: Engine, verdict v: Verdict, file: String? = nil) -> [ScenarioDiagnostic] {
    mismatches(step: i, engine: engine, verdict: v, file: file, onLine: nil)
  }

  /// With a line: only what the expectation lines written on that line say (those `mismatches` gives with that line),
  /// worked out for those lines alone. A session checks each line as it is typed: checking every line of the request
  /// each time cost their square over thousands of `says` lines.
  public func mismatches(step i: Int, engine: Engine, verdict v: Verdict, file: String? = nil,
                         onLine line: Int?) -> [ScenarioDiagnostic] {
    mismatches(step: i, engine: engine, verdict: v, file: file, onLine: line) {
      scenario.fixes(forStep: i, profile: .forEngine(engine))
    }
  }

  /// `mismatches`, with the fixes of step `i` in `engine` given by the caller (asked for only when a `fix` or `fixed`
  /// line is checked): a caller that checks the steps in order works them out in one replay (`FixReplay`).
  func mismatches(step i: Int, engine: Engine, verdict v: Verdict, file: String?, onLine line: Int?,
                  fixes: () -> [Fix], fixedVerdict: (Fix) -> Verdict? = { _ in nil }) -> [ScenarioDiagnostic] {
    func on(_ l: Int) -> Bool { line == nil || line == l }
    var out: [ScenarioDiagnostic] = []
    if let e = verdictExpectation(step: i, engine: engine), on(e.line) {
      let problems = Self.differences(v, e)
      if !problems.isEmpty {
        out.append(ScenarioDiagnostic(file: file, line: e.line, column: 0,
                                      message: "\(engine.rawValue), request \(i + 1): " + problems.joined(separator: "; ")))
      }
    }
    if let w = wireExpectation(step: i, engine: engine), on(w.line) {
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
    // The fix's mismatches carry the line of the first `fix` line or of the `fixed` line (working them out runs the
    // fix planner: only when one of those is on the line).
    if line == nil || fixLinesAre(on: line!, step: i, engine: engine) {
      out += fixMismatches(step: i, engine: engine, file: file, fixes: fixes, fixedVerdict: fixedVerdict)
        .filter { on($0.line) }
    }
    // A `says` line matches the console error or one of the warnings printed although the request succeeds. Lines are
    // added in the order they are written, so those on a line are looked for from the end, down to the first written
    // before it (the line just typed: the last one alone).
    let said = messages[i] ?? []
    var from = 0
    if let line {
      from = said.count
      while from > 0 && said[from - 1].line >= line { from -= 1 }
    }
    for m in said[from...] where on(m.line) && m.browser == engine && v.consoleMessage != m.text
      && !v.consoleWarnings.contains(m.text) {
      out.append(ScenarioDiagnostic(file: file, line: m.line, column: 0, message:
        "\(engine.rawValue), request \(i + 1): message \"\(v.consoleMessage ?? "(none)")\", expected \"\(m.text)\""))
    }
    return out
  }

  /// Whether the first `fix` line or the `fixed` line that applies to an engine for a step is on `line` (what the
  /// fix's mismatches would be reported at).
  public func fixLinesAre(on line: Int, step: Int, engine: Engine) -> Bool {
    fixExpectations(step: step, engine: engine).first?.line == line || fixedExpectation(step: step, engine: engine)?.line == line
  }
}

extension ScenarioDocument {
  /// How a verdict differs from an expected one; empty when it does not.
  static func differences(_ v: Verdict, _ e: VerdictExpectation) -> [String] {
    var problems: [String] = []
    if v.outcome != e.outcome { problems.append("outcome \(v.outcome.rawValue), expected \(e.outcome.rawValue)") }
    if let event = e.event, v.preloadEvent != event { problems.append("fires \(v.preloadEvent ?? "nothing"), expected \(event)") }
    if let t = e.responseType, v.responseType != t {
      problems.append("response type \(v.responseType?.rawValue ?? "none"), expected \(t.rawValue)")
    }
    if let s = e.status, v.status != s { problems.append("status \(v.status.map(String.init) ?? "none"), expected \(s)") }
    if let x = e.exposed, (v.exposedHeaders ?? []) != x {
      problems.append("exposes [\((v.exposedHeaders ?? []).joined(separator: ", "))], expected [\(x.joined(separator: ", "))]")
    }
    if let s = e.stage, v.stage != s { problems.append("stage \(v.stage?.rawValue ?? "none"), expected \(s.rawValue)") }
    if let r = e.reason, v.reason != r { problems.append("reason \(v.reason?.rawValue ?? "none"), expected \(r.rawValue)") }
    return problems
  }

  /// The `fix` lines that apply to an engine for a step (its own, else the default ones).
  public func fixExpectations(step: Int, engine: Engine) -> [FixExpectation] {
    let lines = fixes[step] ?? []
    let own = lines.filter { $0.browsers?.contains(engine) == true }
    return own.isEmpty ? lines.filter { $0.browsers == nil } : own
  }

  /// The `fixed` line that applies to an engine for a step.
  public func fixedExpectation(step: Int, engine: Engine) -> VerdictExpectation? {
    let lines = fixed[step] ?? []
    return lines.first { $0.browsers?.contains(engine) == true } ?? lines.first { $0.browsers == nil }
  }

  /// `fix` and `fixed` lines against the fixes worked out for the step: the first fix's edits, all of them and
  /// no others; the verdict once it is applied.
  func fixMismatches(step i: Int, engine: Engine, file: String?, fixes: () -> [Fix],
                     fixedVerdict: (Fix) -> Verdict? = { _ in nil }) -> [ScenarioDiagnostic] {
    let lines = fixExpectations(step: i, engine: engine)
    let after = fixedExpectation(step: i, engine: engine)
    guard !lines.isEmpty || after != nil else { return [] }
    let profile = BrowserProfile.forEngine(engine)
    let first = fixes().first
    var out: [ScenarioDiagnostic] = []
    if let line = lines.first {
      let expected = Set(lines.compactMap(\.edit))
      let got = Set(first?.edits ?? [])
      if expected != got || (first?.edits.count ?? 0) != got.count {
        let text = { (edits: [Fix.Edit]) in edits.isEmpty ? "none" : edits.map(ScenarioPrinter.fixText).joined(separator: "; ") }
        out.append(ScenarioDiagnostic(file: file, line: line.line, column: 0, message:
          "\(engine.rawValue), request \(i + 1): the first fix is [\(text(first?.edits ?? []))], expected [\(text(lines.compactMap(\.edit)))]"))
      }
    }
    if let after {
      guard let first else {
        out.append(ScenarioDiagnostic(file: file, line: after.line, column: 0,
                                      message: "\(engine.rawValue), request \(i + 1): no fix to apply"))
        return out
      }
      // From the caller's replay when the fix cannot have changed the steps before this one; otherwise the fixed
      // scenario's steps up to this one (those after it cannot change its verdict).
      var fixed = fixedVerdict(first)
      if fixed == nil {
        ScenarioRunner.forEachStep(scenario.applying(first), profile: profile, trace: false) { k, verdict in
          if k == i { fixed = verdict }
          return k < i
        }
      }
      guard let v = fixed else { return out }
      let problems = Self.differences(v, after)
      if !problems.isEmpty {
        out.append(ScenarioDiagnostic(file: file, line: after.line, column: 0, message:
          "\(engine.rawValue), request \(i + 1), fixed: " + problems.joined(separator: "; ")))
      }
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
