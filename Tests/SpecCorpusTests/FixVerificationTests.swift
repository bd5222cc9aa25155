import CORSPolicy
import CORSScenario
import CORSSimulator
import Foundation
import Testing

/// Every fix is checked the way a person would use it: compute the fixes of a failing request, apply the first
/// server fix, decide again — the request must succeed in the engine the fix was computed for, and a page of
/// an unrelated origin must still be refused. Over every failing step of `Spec/` in the four profiles, and over
/// thousands of generated failing scenarios per engine.
@Suite("Fixes: applied, they work, and they let no one else in")
struct FixVerificationTests {
  @Test("every failing step of Spec/, in every profile")
  func corpus() {
    var tallies: [Engine: FixTally] = [:]
    let clock = ContinuousClock()
    let elapsed = clock.measure {
      for file in SpecCorpusTests.corpus {
        let scenario = file.document.scenario
        for engine in Engine.allWithSpec {
          let verdicts = ScenarioRunner.run(scenario, profile: .forEngine(engine), trace: false)
          for (i, v) in verdicts.enumerated() where v.failure != nil {
            FixVerification.verify(scenario, step: i, verdict: v, engine: engine, thorough: true,
                                   label: "\(file.relativePath) [\(i + 1)]", into: &tallies[engine, default: FixTally()])
          }
        }
      }
    }
    FixVerification.report("Spec/", tallies, elapsed)
    #expect(tallies.count == Engine.allWithSpec.count, "a profile saw no failing step")
    for (engine, t) in tallies {
      #expect(t.problems.isEmpty, "\(engine.rawValue):\n\(t.problems.prefix(20).joined(separator: "\n"))")
      #expect(t.seen > 0)
    }
  }

  @Test("5,000 generated failing scenarios per engine", arguments: Engine.allWithSpec)
  func generated(_ engine: Engine) {
    var tally = FixTally()
    var generator = FailingScenarioGenerator(seed: 0xF1C5 &+ UInt64(Engine.allWithSpec.firstIndex(of: engine)!))
    let clock = ContinuousClock()
    var scenarios = 0
    var tries = 0
    let elapsed = clock.measure {
      while scenarios < FixVerification.generatedPerEngine && tries < 20 * FixVerification.generatedPerEngine {
        tries += 1
        let scenario = generator.next()
        let verdicts = ScenarioRunner.run(scenario, profile: .forEngine(engine), trace: false)
        guard verdicts.contains(where: { $0.failure != nil }) else { continue }
        scenarios += 1
        for (i, v) in verdicts.enumerated() where v.failure != nil {
          FixVerification.verify(scenario, step: i, verdict: v, engine: engine, thorough: false,
                                 label: "generated #\(tries) [\(i + 1)]\n\(generator.describe(scenario))", into: &tally)
        }
      }
    }
    FixVerification.report("generated (\(scenarios) failing scenarios of \(tries))", [engine: tally], elapsed)
    #expect(scenarios == FixVerification.generatedPerEngine)
    #expect(FixVerification.generatedPerEngine >= 5_000 || ProcessInfo.processInfo.environment["CORSIM_FIX_SCENARIOS"] != nil)
    #expect(tally.problems.isEmpty, "\(engine.rawValue):\n\(tally.problems.prefix(10).joined(separator: "\n\n"))")
    // The generator reaches the cases that matter: server fixes, client-side fixes, wider alternatives, layers.
    #expect(tally.fixed > tally.seen / 2)
    #expect(tally.wider > 0 && tally.inLayer > 0 && tally.redirectStopped > 0)
  }
}

/// What the verification counted, per engine.
struct FixTally {
  /// Failing steps seen.
  var seen = 0
  /// Made to succeed by the first server fix (which keeps others out).
  var fixed = 0
  /// No server fix: the first fix is the page's (mixed content, a blocked port, an invalid call…).
  var clientSide = 0
  /// No fix with edits at all (advice only: the server cannot be reached).
  var none = 0
  /// A wider fix (`*`) was offered after the first.
  var wider = 0
  /// The first server fix edits a layer in front of the application.
  var inLayer = 0
  /// The first server fix stops a cross-origin redirect (the tainted-origin case).
  var redirectStopped = 0
  /// From an unrelated origin the fixed request is readable because the response allowed every origin before the
  /// fix (`*` was already there; the fix changed something else).
  var publicBefore = 0
  /// A no-cors request (an element without `crossorigin`, `mode: 'no-cors'`): success is an opaque response,
  /// which any origin may embed, so there is no other origin to keep out.
  var noCORS = 0
  /// What went wrong.
  var problems: [String] = []
}

enum FixVerification {
  static let generatedPerEngine = Int(ProcessInfo.processInfo.environment["CORSIM_FIX_SCENARIOS"] ?? "") ?? 5_000

  static func report(_ what: String, _ tallies: [Engine: FixTally], _ elapsed: Duration) {
    var out = "fix verification, \(what), \(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1)))):\n"
    for engine in Engine.allWithSpec {
      guard let t = tallies[engine] else { continue }
      out += "  \(engine.rawValue): \(t.seen) failures seen, \(t.fixed) fixed by the first server fix"
        + " (\(t.inLayer) in a layer, \(t.redirectStopped) stopping a redirect, \(t.publicBefore) public before, \(t.noCORS) no-cors),"
        + " \(t.clientSide) client-side only, \(t.none) none; \(t.wider) with a wider alternative; \(t.problems.count) problems\n"
    }
    print(out, terminator: "")
  }

  /// Checks the fixes of one failing step, and counts them. `thorough`: every fix is applied (not only the first
  /// server fix), and the first server fix is checked to be minimal (each edit left out in turn fails again) —
  /// which the planner ensures by pruning; the generated scenarios check the rest.
  static func verify(_ scenario: Scenario, step: Int, verdict: Verdict, engine: Engine, thorough: Bool,
                     label: @autoclosure () -> String, into t: inout FixTally) {
    let profile = BrowserProfile.forEngine(engine)
    let fixes = scenario.fixes(forStep: step, profile: profile)
    t.seen += 1
    func problem(_ s: String) { t.problems.append("\(label()): \(verdict.reason!.rawValue): \(s)") }
    guard let first = fixes.first else {
      t.none += 1
      problem("no fix at all")
      return
    }
    // Every fix with edits, as a tool reads it (JSON), applied: the request succeeds.
    let firstServer = fixes.firstIndex { $0.side == .server && !$0.edits.isEmpty }
    for (n, fix) in fixes.enumerated() where !fix.edits.isEmpty && (thorough || n == firstServer) {
      guard let data = try? JSONEncoder().encode(fix), let decoded = try? JSONDecoder().decode(Fix.self, from: data),
            decoded == fix else {
        problem("fix \(n + 1) does not survive JSON")
        continue
      }
      if fix.verifiedIn != [engine] { problem("fix \(n + 1) says it was verified in \(fix.verifiedIn)") }
      let after = ScenarioRunner.run(scenario.applying(decoded), profile: profile, trace: false)[step]
      if after.failure != nil { problem("fix \(n + 1) applied still fails: \(after.reason!.rawValue) — \(fix.summary)") }
    }
    // The words say what the failure is.
    for fix in fixes where fix.notCORS == verdict.isCORSProblem {
      problem("notCORS is \(fix.notCORS) for a failure that is\(verdict.isCORSProblem ? "" : " not") CORS")
    }
    guard let index = firstServer else {
      if first.side == .client { t.clientSide += 1 } else { t.none += 1 }
      if let reason = verdict.reason, reason == .mixedContentBlocked || reason == .badPort || reason.isInvalidRequest
          || (verdict.pageURL.scheme == "file" && reason.isCORSCheckFailure) {
        if first.side != .client || !first.notCORS { problem("no server change can help: the first fix must be the page's, and say it is not CORS") }
      }
      if fixes.contains(where: { $0.widensAccess }) { problem("a wider fix without a safe one before it") }
      return
    }
    let fix = fixes[index]
    if fix.widensAccess { problem("the first server fix widens access") }
    if fixes.count > index + 1, fixes[(index + 1)...].contains(where: \.widensAccess) { t.wider += 1 }
    if fix.serverEdits.contains(where: { $0.layer != Layer.application }) { t.inLayer += 1 }
    if fix.serverEdits.contains(where: { if case .status(let s) = $0.change { return s == 200 } else { return false } }),
       verdict.requests.contains(where: { (300..<400).contains($0.responseStatus ?? 0) }) {
      t.redirectStopped += 1
    }
    // It sends the page's origin and nothing wider: never `*`, `null`, or another origin.
    let pageOrigin = scenario.page!.origin.serialization
    for e in fix.serverEdits {
      if case .setHeader(let name, let value) = e.change, HeaderName(name) == .accessControlAllowOrigin, value != pageOrigin {
        problem("the first server fix sends Access-Control-Allow-Origin: \(value)")
      }
    }
    // Minimal: without any one of its edits (but a response it adds), the request fails again.
    for (i, e) in fix.edits.enumerated() where thorough {
      if case .server(let s) = e, case .addResponse = s.change { continue }
      var fewer = fix.edits
      fewer.remove(at: i)
      if ScenarioRunner.run(scenario.applying(fewer), profile: profile, trace: false)[step].failure == nil {
        problem("the first server fix does not need \(e) — \(fix.summary)")
      }
    }
    t.fixed += 1
    // From an unrelated origin, the fixed scenario is refused (or it was public before the fix).
    let fixed = scenario.applying(fix)
    guard let elsewhere = unrelated(fixed) else { return }
    let v = ScenarioRunner.run(elsewhere, profile: profile, trace: false)[step]
    switch v.outcome {
    case .networkError, .invalid:
      break
    case .opaque:
      t.noCORS += 1
    case .readable:
      if v.responseType == .opaque || v.responseType == .opaqueredirect || v.responseType == .basic { t.noCORS += 1; return }
      let widened = v.requests.contains { r in
        let asked = ServerRequest(method: r.method, url: r.url, headers: r.headers, isPreflight: r.isPreflight,
                                  includesCredentials: r.includesCredentials)
        return scenario.server.respond(asked).headers.fields(named: .accessControlAllowOrigin).map(\.value)
          != fixed.server.respond(asked).headers.fields(named: .accessControlAllowOrigin).map(\.value)
      }
      if widened { problem("an unrelated origin reads the fixed response — \(fix.summary)") } else { t.publicBefore += 1 }
    }
  }

  /// The scenario with its page moved to an origin nothing in it knows (its requests made absolute first).
  static func unrelated(_ s: Scenario) -> Scenario? {
    guard var page = s.page, !page.sandboxed, case .tuple(let scheme, _, let port) = page.origin,
          let url = try? URLRecord("\(scheme)://unrelated-origin.example\(port.map { ":\($0)" } ?? "")/index.html")
    else { return nil }
    var u = s
    for i in u.steps.indices {
      if let absolute = try? URLRecord(u.steps[i].request.url, base: page.url) { u.steps[i].request.url = absolute.href }
    }
    page.url = url
    u.page = page
    return u
  }
}

/// Scenarios that usually fail, the way servers get CORS wrong: missing, wrong or doubled origins (the values
/// an audit tries: `OriginGenerator.adversarial`), credentials flags, methods and headers left out, preflights
/// refused by authentication or routing, redirects (across origins, to bad places), proxies adding or
/// replacing lines, and element loads with resource policies and types.
struct FailingScenarioGenerator {
  var rng: SplitMix64
  let page = "https://app.example"
  let wrongOrigins: [String]

  init(seed: UInt64) {
    rng = SplitMix64(seed: seed)
    let adversarial = OriginGenerator.adversarial(around: Allowlist(entries: ["https://app.example"]), randomCount: 2)
      .map(\.origin).filter { !$0.contains("\n") && !$0.contains("\r") }
    wrongOrigins = Array(adversarial.prefix(40)) + ["https://app.example/", "https://APP.example", "https://app.example:443"]
  }

  mutating func chance(_ p: Double) -> Bool { Double(rng.next() % 1000) / 1000 < p }
  mutating func pick<T>(_ options: [T]) -> T { options[Int(rng.next() % UInt64(options.count))] }

  mutating func allowOrigin() -> [String] {
    switch rng.next() % 20 {
    case 0..<6: return []
    case 6..<12: return [page]
    case 12..<15: return ["*"]
    case 15..<19: return [pick(wrongOrigins)]
    default: return [page, pick(["*", page])]
    }
  }

  mutating func corsHeaders(method: String, requestHeaders: [String], preflight: Bool) -> HeaderList {
    var h = HeaderList()
    for v in allowOrigin() { h.append(HeaderField(.accessControlAllowOrigin, v)) }
    if chance(0.45) { h.append(HeaderField(.accessControlAllowCredentials, pick(["true", "true", "True", "false"]))) }
    if preflight {
      if chance(0.7) {
        h.append(HeaderField(.accessControlAllowMethods,
                             pick(["GET, POST", "*", method, method.lowercased(), "GET, \(method)", "PUT DELETE", "GET,POST,PUT"])))
      }
      if chance(0.6) {
        let some = requestHeaders.filter { _ in chance(0.5) }.joined(separator: ", ")
        h.append(HeaderField(.accessControlAllowHeaders, pick([some, "*", "content-type", "x token", some + ", authorization"])))
      }
      if chance(0.2) { h.append(HeaderField(.accessControlMaxAge, pick(["600", "0", "-1"]))) }
    } else if chance(0.2) {
      h.append(HeaderField(.accessControlExposeHeaders, pick(["X-Total", "*"])))
    }
    return h
  }

  mutating func next() -> Scenario {
    let api = "https://api.example"
    let path = "/r\(rng.next() % 4)"
    let url = api + path
    var routes: [Route] = []
    var layers: [Layer] = []
    var steps: [ScenarioStep] = []
    if chance(0.12) {
      // An element's load.
      let element = pick([ElementKind.image, .script, .style, .image, .video])
      let crossOrigin: ScriptRequest.CrossOrigin? = pick([nil, nil, .anonymous, .useCredentials])
      var h = corsHeaders(method: "GET", requestHeaders: [], preflight: false)
      if chance(0.5) { h.append(HeaderField(.crossOriginResourcePolicy, pick(["same-origin", "same-site", "cross-origin"]))) }
      if chance(0.7) {
        h.append(HeaderField(.contentType, pick(["text/html", "application/json", "image/png", "text/javascript",
                                                 "text/css", "text/plain", "video/mp4", "text/csv"])))
      }
      if chance(0.3) { h.append(HeaderField(HeaderName("X-Content-Type-Options"), "nosniff")) }
      routes.append(try! Route(method: "GET", url: url, headers: h))
      steps.append(ScenarioStep(request: .load(element, url, crossOrigin: crossOrigin)))
      return Scenario(page: try! Page(page), server: Server(routes: routes), steps: steps)
    }
    let method = pick(["GET", "POST", "PUT", "DELETE", "PATCH", "PUT", "GET"])
    let pool: [(String, String)] = [("Content-Type", "application/json"), ("Content-Type", "text/plain"),
                                    ("X-Token", "1"), ("Authorization", "Bearer t"), ("X-Requested-With", "XMLHttpRequest")]
    var headers = HeaderList()
    for (n, v) in pool where chance(0.2) && !headers.contains(HeaderName(n)) { headers.append(HeaderField(HeaderName(n), v)) }
    let unsafe = headers.map { $0.name.canonicalName }.filter { !($0 == "content-type" && headers.get(.contentType) == "text/plain") }
    var request = ScriptRequest(api: chance(0.15) ? .xhr : .fetch, url: chance(0.1) ? path : url, method: Method(method),
                                headers: headers, credentials: pick([nil, nil, .include, .include, .omit]))
    if request.api == .xhr && request.credentials == .omit { request.credentials = nil }
    if request.api == .fetch && chance(0.04) { request.mode = .noCORS }
    if (method == "GET" || method == "HEAD") == false && chance(0.5) { request.body = "x" }
    // The preflight's route.
    if chance(0.7) {
      let status = pick([204, 204, 200, 200, 401, 403, 404, 500, 301])
      var h = corsHeaders(method: method, requestHeaders: unsafe, preflight: true)
      if status == 301 { h.append(HeaderField(.location, url + "/")) }
      routes.append(try! Route(method: "OPTIONS", url: url, status: status, headers: h))
    }
    // The actual request's route (any method, sometimes), possibly a redirect.
    var h = corsHeaders(method: method, requestHeaders: unsafe, preflight: false)
    var status = pick([200, 200, 200, 201, 204, 404, 500])
    if chance(0.2) {
      status = pick([301, 302, 307, 308])
      let target = pick([api + "/moved", "https://cdn.example/x", "https://other.example/y", "https://u:p@cdn.example/z",
                         "ftp://files.example/x", "http://[", api + path])
      h.append(HeaderField(.location, target))
      if let t = try? URLRecord(target), t.isHTTPScheme, target != url {
        let th = corsHeaders(method: method, requestHeaders: unsafe, preflight: false)
        routes.append(try! Route(method: chance(0.5) ? nil : Method(method), url: t.onTheWire.href, headers: th))
        if chance(0.5) {
          routes.append(try! Route(method: "OPTIONS", url: t.onTheWire.href, status: 204,
                                   headers: corsHeaders(method: method, requestHeaders: unsafe, preflight: true)))
        }
      }
    }
    routes.append(try! Route(method: chance(0.4) ? nil : Method(method), url: url, status: status, headers: h))
    if chance(0.15) {
      let name = pick([HeaderName.accessControlAllowOrigin, .accessControlAllowOrigin, .accessControlAllowCredentials])
      let value = name == .accessControlAllowCredentials ? "true" : pick(["*", page, "https://evil.test"])
      let op: LayerOperation = pick([.add(name, value), .set(name, value), .setIfAbsent(name, value), .remove(name)])
      layers.append(Layer(name: pick(["nginx", "cdn"]), method: chance(0.2) ? "OPTIONS" : nil, operations: [op]))
    }
    if chance(0.1) { routes.append(try! Route(method: "OPTIONS", url: url, status: 204, headers: [], answeredBy: "gateway")) ; layers.insert(Layer(name: "gateway", operations: []), at: 0) }
    steps.append(ScenarioStep(request: request))
    if chance(0.15) {
      var second = request
      second.method = Method(pick(["GET", "PUT", "DELETE"]))
      if second.method == "GET" { second.body = nil }
      steps.append(ScenarioStep(after: pick([0, 1, 10]), request: second))
    }
    return Scenario(page: try! Page(page), server: Server(routes: routes, layers: layers), steps: steps)
  }

  /// The scenario in the scenario language, for a failure's message.
  func describe(_ s: Scenario) -> String {
    ScenarioPrinter.print(ScenarioDocument(scenario: s))
  }
}
