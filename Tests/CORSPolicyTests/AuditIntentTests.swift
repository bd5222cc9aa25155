import CORSPolicy
import CORSSimulator
import Testing

let apiData = try! URLRecord("https://api.example.com/data")

/// A server written as code: a closure over the request, as a team's own middleware would be.
func server(_ answer: @escaping @Sendable (ServerRequest) -> (Int, HeaderList)) -> @Sendable (ServerRequest) -> Route {
  { r in
    let (status, headers) = answer(r)
    return Route(method: r.method, url: r.url, status: status, headers: headers, body: "{}")
  }
}

func findings(_ report: AuditReport) -> String {
  report.findings.map { "#\($0.misconfiguration.number) \($0.severity.rawValue): \($0.summary)" }.joined(separator: "\n")
}

/// An allowlist check written as the joined-string mistake: `origin in ",".join(ALLOWED)`.
func joinedAllowlist(_ allowed: [String], separator: String, credentials: Bool = true) -> @Sendable (ServerRequest) -> Route {
  let joined = allowed.joined(separator: separator)
  return server { r in
    guard let o = r.value(of: "Origin"), !o.isEmpty, joined.contains(o) else { return (200, ["Vary": "Origin"]) }
    var h: HeaderList = ["Access-Control-Allow-Origin": o, "Vary": "Origin"]
    if credentials { h.append(HeaderField(.accessControlAllowCredentials, "true")) }
    if r.method == "OPTIONS" {
      h.append(HeaderField("Access-Control-Allow-Methods", "GET, PUT"))
      h.append(HeaderField("Access-Control-Allow-Headers", "Content-Type"))
      return (204, h)
    }
    return (200, h)
  }
}

@Suite("Audit intent: public resources, and resources no page is meant to read")
struct AuditIntentTests {
  let star = server { _ in (200, ["Access-Control-Allow-Origin": "*"]) }
  let reflectWithCookies = server { r in
    guard let o = r.value(of: "Origin") else { return (200, ["Vary": "Origin"]) }
    return (200, ["Access-Control-Allow-Origin": o, "Access-Control-Allow-Credentials": "true", "Vary": "Origin"])
  }
  let noCORS = server { _ in (200, []) }

  @Test("--public: `*` for an open-data API is what it means; only a credentialed read by anyone is a finding")
  func publicIntent() {
    let open = Auditor(resource: apiData, allowlist: Allowlist(entries: []), intent: .publicReads).run(star)
    #expect(open.findings.isEmpty, "\(findings(open))")
    #expect(open.text(style: .plain).contains("(public: anyone reads without credentials)"))
    let leaky = Auditor(resource: apiData, allowlist: Allowlist(entries: []), intent: .publicReads).run(reflectWithCookies)
    #expect(leaky.findings.contains { $0.misconfiguration.number == 1 && $0.severity == .high }, "\(findings(leaky))")
  }

  @Test("no allowlist: no cross-origin reader is intended — any origin that reads is a finding, `*` included")
  func nobodyIntent() {
    let none = Auditor(resource: apiData, allowlist: Allowlist(entries: []), intent: .allowlist)
    #expect(none.run(noCORS).findings.isEmpty)
    let starReport = none.run(star)
    #expect(starReport.findings.contains { $0.misconfiguration.number == 1 && $0.severity == .medium }, "\(findings(starReport))")
    #expect(starReport.text(style: .plain).contains("(none: no cross-origin reader intended)"))
    #expect(none.run(reflectWithCookies).findings.contains { $0.misconfiguration.number == 1 && $0.severity == .high })
    // The JSON report says which intent was judged.
    #expect(starReport.json["intent"] == .string("allowlist"))
  }

  @Test("policy files: `public: true`, `allow: []`, and `*` alone read as public")
  func policyFiles() throws {
    #expect(try PolicyDocument(text: "origins: ['*']").intent == .publicReads)
    #expect(try PolicyDocument(text: "origins: ['*']\nallow: []").intent == .allowlist)
    #expect(try PolicyDocument(text: "origins: [https://app.example.com]\npublic: true").intent == .publicReads)
    let nobody = try audit("origins: ['*']\nallow: []")
    #expect(nobody.findings.contains { $0.misconfiguration.number == 1 }, "\(findings(nobody))")
    // corsim's own model sends nothing without an Origin: a missing Vary (low) is all there is.
    let open = try audit("origins: ['*']")
    #expect(!open.hasFinding(atLeast: .medium), "\(findings(open))")
    #expect(!open.findings.contains { $0.misconfiguration.number == 1 })
  }
}

@Suite("Root classes named from the answers: 8, 13, 18, 20")
struct RootClassTests {
  let allowed = ["https://app.example.com", "https://admin.example.com"]

  @Test("an allowlist joined into one string and searched is class 8, whatever the separator",
        arguments: [",", ", ", " ", "", ";", "|"])
  func joined(separator: String) {
    let report = Auditor(resource: apiData, allowlist: Allowlist(entries: allowed)).run(joinedAllowlist(allowed, separator: separator))
    let f = report.findings.first { $0.misconfiguration.number == 8 }
    // A separator no origin can hold (space, `|`) leaves no origin spanning two entries: the substring
    // mistake shows as class 6 alone.
    if [" ", ", ", "|"].contains(separator) {
      #expect(f == nil || f!.severity == .high)
      #expect(report.findings.contains { [6, 8].contains($0.misconfiguration.number) && $0.severity == .high }, "\(findings(report))")
    } else {
      #expect(f?.severity == .high, "\(findings(report))")
      #expect(f?.evidence.contains { $0.contains("https://app.example.com\(separator)h") || $0.contains("https://admin.example.com\(separator)h") } == true)
      #expect(!report.findings.contains { $0.misconfiguration.number == 6 })
      #expect(report.notes.contains { $0.contains("explained by #8") })
    }
  }

  @Test("one trusted string searched (`\"https://app.example.com\".includes(origin)`) is class 6, not 8")
  func singleString() {
    let report = Auditor(resource: apiData, allowlist: Allowlist(entries: ["https://app.example.com"]))
      .run(joinedAllowlist(["https://app.example.com"], separator: ","))
    #expect(report.findings.contains { $0.misconfiguration.number == 6 && $0.severity == .high }, "\(findings(report))")
    #expect(!report.findings.contains { $0.misconfiguration.number == 8 })
  }

  @Test("a server entry written as browsers never send it is class 13 (medium), not a bare refusal", arguments: [
    "https://app.example.com/", "https://APP.EXAMPLE.COM", "https://app.example.com:443", "https://App.example.com",
  ])
  func unmatchableServerEntry(entry: String) {
    let answer = server { r in
      guard r.value(of: "Origin") == entry else { return (200, ["Vary": "Origin"]) }
      return (200, ["Access-Control-Allow-Origin": entry, "Vary": "Origin"])
    }
    let report = Auditor(resource: apiData, allowlist: Allowlist(entries: ["https://app.example.com"])).run(answer)
    let f = report.findings.first { $0.misconfiguration.number == 13 && $0.severity == .medium }
    #expect(f != nil, "\(findings(report))")
    #expect(f?.summary.contains(entry) == true)
    #expect(!report.findings.contains { $0.misconfiguration.number == 0 })
  }

  @Test("CORS headers on preflights only: the frontend's refusal is class 18")
  func preflightOnly() {
    let answer = server { r in
      guard r.method == "OPTIONS", let o = r.value(of: "Origin"), o == "https://app.example.com" else { return (200, []) }
      return (204, ["Access-Control-Allow-Origin": o, "Access-Control-Allow-Methods": "GET, PUT", "Access-Control-Allow-Headers": "content-type"])
    }
    let put = AuditRequest(method: .put, headers: ["Content-Type": "application/json"])
    for frontend in [[AuditRequest.get], [put]] {
      let report = Auditor(resource: apiData, allowlist: Allowlist(entries: ["https://app.example.com"]), frontend: frontend).run(answer)
      #expect(report.findings.contains { $0.misconfiguration.number == 18 && $0.severity == .medium }, "\(frontend) \(findings(report))")
      #expect(!report.findings.contains { $0.misconfiguration.number == 0 })
    }
  }

  @Test("a preflight answered before CORS runs (401 without headers) while the actual response allows: class 18")
  func authBeforePreflight() {
    let answer = server { r in
      if r.method == "OPTIONS" { return (401, ["WWW-Authenticate": "Bearer"]) }
      guard r.value(of: "Origin") == "https://app.example.com" else { return (200, []) }
      return (200, ["Access-Control-Allow-Origin": "https://app.example.com", "Vary": "Origin"])
    }
    let put = AuditRequest(method: .put, headers: ["Content-Type": "application/json"])
    let report = Auditor(resource: apiData, allowlist: Allowlist(entries: ["https://app.example.com"]), frontend: [put]).run(answer)
    let f = report.findings.first { $0.misconfiguration.number == 18 }
    #expect(f?.summary.contains("preflight is answered without CORS (401)") == true, "\(findings(report))")
  }

  @Test("the preflight path is probed when the frontend only GETs: a preflight that promises what the response refuses is class 18 (low)")
  func preflightPathProbe() {
    let answer = server { r in
      guard let o = r.value(of: "Origin"), o == "https://app.example.com" else { return (200, []) }
      if r.method == "OPTIONS" {
        return (204, ["Access-Control-Allow-Origin": o, "Access-Control-Allow-Methods": "GET, PUT, POST, DELETE",
                      "Access-Control-Allow-Headers": "content-type", "Access-Control-Max-Age": "600", "Vary": "Origin"])
      }
      return (200, r.method == "GET" ? ["Access-Control-Allow-Origin": o, "Vary": "Origin"] : ["Vary": "Origin"])
    }
    let report = Auditor(resource: apiData, allowlist: Allowlist(entries: ["https://app.example.com"]), frontend: [.get]).run(answer)
    #expect(report.findings.contains { $0.misconfiguration.number == 18 && $0.severity == .low }, "\(findings(report))")
    #expect(!report.hasFinding(atLeast: .medium))
  }

  @Test("an excessive Access-Control-Max-Age is found when the frontend needs no preflight; a missing one is not")
  func maxAgeWithoutPreflights() {
    func answer(_ maxAge: String?) -> @Sendable (ServerRequest) -> Route {
      server { r in
        guard let o = r.value(of: "Origin"), o == "https://app.example.com" else { return (200, ["Vary": "Origin"]) }
        var h: HeaderList = ["Access-Control-Allow-Origin": o, "Vary": "Origin"]
        if r.method == "OPTIONS" {
          h.append(HeaderField("Access-Control-Allow-Methods", "GET, PUT"))
          h.append(HeaderField("Access-Control-Allow-Headers", "content-type"))
          if let maxAge { h.append(HeaderField(.accessControlMaxAge, maxAge)) }
        }
        return (r.method == "OPTIONS" ? 204 : 200, h)
      }
    }
    let auditor = Auditor(resource: apiData, allowlist: Allowlist(entries: ["https://app.example.com"]), frontend: [.get])
    let long = auditor.run(answer("31536000"))
    #expect(long.findings.contains { $0.misconfiguration.number == 20 && $0.severity == .low }, "\(findings(long))")
    #expect(auditor.run(answer(nil)).findings.isEmpty, "\(findings(auditor.run(answer(nil))))")
    #expect(auditor.run(answer("600")).findings.isEmpty)
  }
}

@Suite("--deployed-as: judged as the API it will be")
struct DeployedAsTests {
  let reflect = server { r in
    guard let o = r.value(of: "Origin") else { return (200, ["Vary": "Origin"]) }
    return (200, ["Access-Control-Allow-Origin": o, "Access-Control-Allow-Credentials": "true", "Vary": "Origin"])
  }

  @Test("a loopback server is internal and WebKit cannot reach it from https; deployed as https://api.example.com it is neither")
  func loopbackJudgedAsDeployed() throws {
    let local = try URLRecord("http://127.0.0.1:8080/data")
    let atHome = Auditor(resource: local, allowlist: Allowlist(entries: ["https://app.example.com"])).run(reflect)
    #expect(atHome.findings.contains { $0.misconfiguration.number == 15 })
    #expect(atHome.findings.first { $0.misconfiguration.number == 1 }?.engines.contains(.webkit) == false)
    let map = DeployedAs(deployed: try DeployedAs.origin("https://api.example.com"), servedAt: local.origin)
    let deployed = Auditor(resource: map.judged(local), allowlist: Allowlist(entries: ["https://app.example.com"]))
    let report = deployed.run { reflect(map.toServed($0)) }
    #expect(report.resource.href == "https://api.example.com/data")
    #expect(!report.findings.contains { $0.misconfiguration.number == 15 }, "\(findings(report))")
    #expect(report.findings.first { $0.misconfiguration.number == 1 }?.engines == [.chromium, .firefox, .webkit])
  }

  @Test("policy files take deployedAs; the answers are the resource's, the judgement the deployed origin's")
  func policyFile() throws {
    let yaml = "resource: http://127.0.0.1:8080/data\ndeployedAs: https://api.example.com\norigins: [https://app.example.com]\ncredentials: true"
    let document = try PolicyDocument(text: yaml)
    #expect(document.judgedResource.href == "https://api.example.com/data")
    let report = Auditor(document: document).audit(document)
    #expect(report.findings.isEmpty, "\(findings(report))")
    #expect(throws: PolicyFileError.self) { try PolicyDocument(text: "deployedAs: https://api.example.com/v1\norigins: []") }
    #expect(throws: PolicyFileError.self) { try PolicyDocument(text: "deployedAs: ftp://api.example.com\norigins: []") }
  }

  @Test("a redirect to the served origin is read as one to the deployed origin")
  func locationMapped() throws {
    let map = DeployedAs(deployed: try DeployedAs.origin("https://api.example.com"), servedAt: try URLRecord("http://127.0.0.1:8080/").origin)
    let headers = map.toDeployed(["Location": "http://127.0.0.1:8080/v2/data?x=1", "X-Other": "http://127.0.0.1:8080/"])
    #expect(headers.get(.location) == "https://api.example.com/v2/data?x=1")
    #expect(headers.get("X-Other") == "http://127.0.0.1:8080/")
  }
}

@Suite("Audits against an asynchronous server")
struct AsyncAuditTests {
  @Test("the audit of an AsyncResponder equals the offline audit of the same answers, and counts what it sent")
  func sameAsOffline() async throws {
    let document = try PolicyDocument(text: "preset: flask-cors\noptions: {origins: ['https://.*\\.example\\.com'], supports_credentials: true}\nallow: [https://app.example.com]")
    let auditor = Auditor(document: document)
    let offline = auditor.audit(document)
    let live = await auditor.run(against: AsyncResponder(Server(responder: document.policy.responder())))
    #expect(live.findings.map(\.misconfiguration.number) == offline.findings.map(\.misconfiguration.number))
    #expect(live.findings.map(\.severity) == offline.findings.map(\.severity))
    #expect((live.requestsSent ?? 0) > 50)
    #expect(!live.isInconclusive)
  }

  @Test("a server that stops answering makes the audit inconclusive, with the requests it did not answer")
  func unanswered() async throws {
    let down = AsyncResponder(name: "down") { r in
      if r.value(of: "Origin") == "https://evil.test" { return .failed("timed out") }
      return ResponderAnswer(status: 200, headers: [])
    }
    let report = await Auditor(resource: apiData, allowlist: Allowlist(entries: ["https://app.example.com"])).run(against: down)
    #expect(report.isInconclusive)
    #expect(report.unanswered.allSatisfy { $0.origin == "https://evil.test" && $0.reason == "timed out" })
  }

  @Test("a gate bounds the requests in flight and spaces them at the rate")
  func gate() async throws {
    let inFlight = Counter()
    let peak = Counter()
    let server = AsyncResponder(name: "slow") { _ in
      let now = inFlight.add(1)
      peak.max(now)
      try await Task.sleep(for: .milliseconds(5))
      inFlight.add(-1)
      return ResponderAnswer(status: 200, headers: [])
    }
    let gate = RequestGate(concurrency: 3, rate: 400)
    let start = ContinuousClock.now
    let report = await Auditor(resource: apiData, allowlist: Allowlist(entries: ["https://app.example.com"])).run(against: server, gate: gate)
    let elapsed = ContinuousClock.now - start
    #expect(peak.value <= 3)
    let sent = try #require(report.requestsSent)
    // At 400 requests a second, n requests take at least (n − 1) / 400 s.
    #expect(elapsed >= .milliseconds((sent - 1) * 1000 / 400))
    #expect(await gate.started == sent)
  }
}

/// A count shared by tasks (test support).
final class Counter: @unchecked Sendable {
  private var count = 0
  private var top = 0
  private let lock = NSLockLike()
  @discardableResult func add(_ n: Int) -> Int { lock.with { count += n; return count } }
  func max(_ n: Int) { lock.with { top = Swift.max(top, n) } }
  var value: Int { lock.with { top } }
}

import Synchronization
final class NSLockLike: Sendable {
  private let m = Mutex(())
  func with<T>(_ body: () -> T) -> T { m.withLock { _ in body() } }
}
