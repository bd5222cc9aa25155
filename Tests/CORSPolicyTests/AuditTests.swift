import CORSPolicy
import CORSPropertyTesting
import CORSSimulator
import PropertyBased
import Testing

func audit(_ yaml: String) throws -> AuditReport {
  let document = try PolicyDocument(text: yaml)
  return Auditor(document: document).audit(document)
}

func classes(_ report: AuditReport) -> [Int: Severity] {
  var out: [Int: Severity] = [:]
  for f in report.findings { out[f.misconfiguration.number] = max(out[f.misconfiguration.number] ?? .info, f.severity) }
  return out
}

/// A correct policy: the one the README's property-based example checks (ReadmeExampleTests.swift).
let safePolicy = policy

@Suite("Offline audits: each misconfiguration class is found, a correct policy yields nothing")
struct AuditTests {
  @Test("a correct policy yields no finding, in every preset that can express it")
  func correctPolicies() throws {
    #expect(try audit(safePolicy).findings.isEmpty)
    let presets = [
      "preset: rs-cors\noptions: {AllowedOrigins: [https://app.example.com], AllowCredentials: true, MaxAge: 600}",
      "preset: express-cors\noptions: {origin: [https://app.example.com], credentials: true, allowedHeaders: [Content-Type], maxAge: 600}",
      "preset: hummingbird\noptions: {allowOrigin: {oneOf: [https://app.example.com]}, allowCredentials: true}\nallow: [https://app.example.com]",
    ]
    for p in presets {
      let report = try audit(p)
      // Hummingbird leaves Vary out of no-Origin answers (class 14, low); nothing reaches medium anywhere.
      #expect(!report.hasFinding(atLeast: .medium), "\(p)\n\(report.findings.map(\.summary))")
    }
  }

  @Test("each class's known-bad policy is found", arguments: [
    (1, Severity.high, "preset: vapor\noptions: {allowCredentials: true}\nallow: [https://app.example.com]"),
    (2, .high, "origins: [https://app.example.com, 'null']\ncredentials: true"),
    (3, .high, "preset: flask-cors\noptions: {origins: ['https://app\\.example\\.com'], supports_credentials: true}"),
    (4, .high, "preset: express-cors\noptions: {origin: ['/example\\.com$/'], credentials: true}\nallow: [https://app.example.com]"),
    (5, .high, "origins: ['/^https://app.example.com$/']\ncredentials: true"),
    (6, .high, "preset: express-cors\noptions: {origin: ['/app\\.example/'], credentials: true}\nallow: [https://app.example.com]"),
    // A parser that stops at `_`: the trusted host with `_` and more after it passes, the plain prefix does not.
    (7, .high, "origins: ['/^https://app\\.example\\.com(_.*)?$/']\ncredentials: true\nallow: [https://app.example.com]"),
    (8, .high, "origins: ['/^https://(foo|bar)+\\.com$/']\ncredentials: true\nallow: [https://foo.com, https://bar.com]"),
    (9, .high, "preset: rs-cors\noptions: {AllowedOrigins: ['*://app.example.com'], AllowCredentials: true}\nallow: [https://app.example.com]"),
    (10, .high, "origins: ['https://*.example.com']\ncredentials: true\nallow: [https://app.example.com]"),
    (10, .low, "origins: ['https://*.example.com']\ncredentials: true"),
    (11, .high, "origins: ['https://*.github.io']\ncredentials: true"),
    (12, .medium, "preset: rs-cors\noptions: {AllowedOrigins: ['*'], AllowCredentials: true}"),
    (13, .low, "origins: ['https://APP.example.com/']\ncredentials: true"),
    // Any port of the trusted host (rs/cors's one wildcard after the colon): another port is another origin.
    (13, .high, "preset: rs-cors\noptions: {AllowedOrigins: ['https://app.example.com', 'https://app.example.com:*'], AllowCredentials: true}\nallow: [https://app.example.com]"),
    (14, .low, "preset: vapor\noptions: {allowedOrigin: {any: [https://app.example.com]}, allowCredentials: true}"),
    (15, .medium, "resource: http://10.0.0.5/metrics\norigins: ['*']"),
    (16, .low, "preset: express-cors\noptions: {origin: [https://app.example.com]}"),
    (17, .low, "origins: [https://app.example.com]\ncredentials: true\nfrontend: [{method: GET}]"),
    (18, .medium, "origins: [https://app.example.com]\nmethods: [PUT]\nrequestHeaders: [Content-Type]\nmaxAge: 60\nlayers: [{name: gateway, method: PUT, remove: [Access-Control-Allow-Origin]}]\nfrontend: [{method: PUT, headers: {Content-Type: application/json}}]"),
    (19, .medium, "origins: [https://app.example.com]\nlayers: [{name: nginx, add: {Access-Control-Allow-Origin: '*'}}]"),
    // One header naming two origins (a list joined with a comma, sent as is): a browser compares it whole.
    (19, .medium, "origins: [https://app.example.com]\nlayers: [{name: app, set: {Access-Control-Allow-Origin: 'https://app.example.com, https://admin.example.com'}}]"),
    (20, .low, "origins: [https://app.example.com]\nmethods: [PUT]\nfrontend: [{method: PUT}]"),
    (20, .info, "origins: [https://app.example.com]\nmethods: [PUT]\nmaxAge: 7200\nfrontend: [{method: PUT}]"),
  ])
  func knownBad(number: Int, severity: Severity, yaml: String) throws {
    let report = try audit(yaml)
    let found = report.findings.filter { $0.misconfiguration.number == number }
    #expect(found.contains { $0.severity == severity }, "\(report.findings.map { "#\($0.misconfiguration.number) \($0.severity): \($0.summary)" })")
    for f in found { #expect(!f.fix.isEmpty) }
  }

  @Test("a finding names the smallest request, the engines, what the attacker reads, and the exchange")
  func findingShape() throws {
    let report = try audit("""
      preset: vapor
      options: {allowCredentials: true}
      allow: [https://app.example.com]
      frontend:
        - { method: PUT, headers: { Content-Type: application/json, X-Trace: '1' }, credentials: include }
      """)
    let f = try #require(report.findings.first { $0.misconfiguration.number == 1 })
    #expect(f.origin == "https://evil.test")
    #expect(f.request == .credentialedGet)  // shrunk from the frontend's PUT
    #expect(f.engines == [.chromium, .firefox, .webkit])
    #expect(f.exposure.contains("with the visitor's cookies"))
    #expect(f.evidence.first?.contains("Access-Control-Allow-Origin: https://evil.test") == true)
    #expect(report.notes.contains { $0.contains("explained by #1") })
  }

  @Test("a prefix test explains the parser-confusion and port hits it lets through: #3 once, with a note")
  func prefixExplains() throws {
    // Unanchored at the end: `https://app.example.com_.evil.test` and `https://app.example.com:8443` pass for
    // the same reason `https://app.example.com.evil.test` does.
    let report = try audit("preset: flask-cors\noptions: {origins: ['https://app\\.example\\.com'], supports_credentials: true}\nallow: [https://app.example.com]")
    let classes = Set(report.findings.map(\.misconfiguration.number))
    #expect(classes.contains(3), "\(report.findings.map(\.summary))")
    #expect(!classes.contains(7) && !classes.contains(13), "\(report.findings.map(\.summary))")
    #expect(report.notes.contains { $0.contains("explained by #3") }, "\(report.notes)")
  }

  @Test("a trusted site on a shared-hosting platform: a test of the platform's suffix lets any site there read (#11), named once")
  func sharedHostingOfAnEntry() throws {
    // vercel.app is not among the fixed shared-hosting origins: the site is generated from the entry's suffix.
    let report = try audit("origins: [https://app.example.com, '/^https://[a-z0-9-]+\\.vercel\\.app$/']\ncredentials: true\nallow: [https://app.example.com, https://acme.vercel.app]")
    let f = try #require(report.findings.first { $0.misconfiguration.number == 11 }, "\(report.findings.map(\.summary))")
    #expect(f.origin == "https://attacker.vercel.app")
    #expect(f.severity == .high)
    // The suffix and substring hits under vercel.app are the same mistake.
    #expect(!report.findings.contains { [4, 6].contains($0.misconfiguration.number) }, "\(report.findings.map(\.summary))")
  }

  @Test("an origin only some engines can send is counted only in those")
  func perEngine() throws {
    // A policy that lets a `*` through after the trusted host: Chromium cannot send such an origin.
    let report = try audit("origins: ['/^https://app\\.example\\.com\\*\\.evil\\.test$/', https://app.example.com]\ncredentials: true\nallow: [https://app.example.com]")
    let f = try #require(report.findings.first { $0.misconfiguration.number == 7 })
    #expect(f.engines == [.firefox, .webkit])
    #expect(f.exposure.contains("chromium cannot send this origin"))
  }

  @Test("the JSON report carries every finding's fields")
  func json() throws {
    let report = try audit("origins: [https://app.example.com, 'null']\ncredentials: true")
    guard case .array(let findings)? = report.json["findings"], let first = findings.first else { Issue.record("no findings"); return }
    for key in ["class", "code", "severity", "summary", "origin", "engines", "request", "script", "exposure", "fix", "evidence"] {
      #expect(first[key] != nil, "\(key)")
    }
  }
}

@Suite("Property-based tests with swift-property-based")
struct PropertyTests {
  @Test("a correct policy keeps every built-in property over generated trials")
  func correctPolicyHolds() async throws {
    await corsPropertyCheck(PolicyHarness(document: try PolicyDocument(text: safePolicy)), count: 400)
  }

  @Test("a reflecting policy breaks `no outside credentialed read`", .shrinking)
  func reflectingPolicyFails() async throws {
    let harness = PolicyHarness(policy: CORSPolicy(origins: [.any], anyOrigin: .reflect, credentials: true), resource: resource,
                                allowlist: Allowlist(entries: ["https://app.example.com"]))
    // Requests the policy answers without a preflight it refuses (GET or POST, no author header): roughly one trial
    // in six is then a credentialed read from outside, and 200 trials that all miss it are vanishingly unlikely.
    // With every method and header only about one in fifty was, and about one run in twenty found none (the known
    // issue went unrecorded and the test failed).
    await withKnownIssue {
      await corsPropertyCheck(harness, properties: [.noOutsideCredentialedRead], count: 200,
                              requests: CORSGen.request(methods: [.get, .post], headers: []))
    }
  }

  @Test("a user-defined property: the token header is never exposed")
  func userDefined() async throws {
    var policy = CORSPolicy(origins: [.exact("https://app.example.com")], exposedHeaders: ["X-Request-Id"])
    policy.application.headers.append(HeaderField("X-Token", "secret"))
    let neverExposesToken = PolicyProperty("X-Token is never exposed") { trial in
      trial.verdict.exposedHeaders?.contains("x-token") == true ? "x-token is readable" : nil
    }
    await propertyCheck(input: CORSGen.origin(in: PolicyHarness(policy: policy, resource: resource)), CORSGen.engine) { origin, engine in
      let trial = PolicyHarness(policy: policy, resource: resource).trial(origin: origin, request: .get, engine: engine)
      #expect(neverExposesToken.violation(in: trial) == nil)
    }
  }
}
