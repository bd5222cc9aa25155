import CORSJSON
import CORSScenario
import CORSSimulator
import Testing

@testable import CORSConformance

/// What the harness does so that a browser plays a scenario as the scenario means it.
@Suite struct FaithfulnessTests {
  @Test("pauses longer than the bound are skipped with the real time they would need; shorter ones are played")
  func pauses() {
    let plan = ConformancePlan(jsonLines: """
      {"id": "long", "page": "https://app.test/", "steps": [{"url": "https://api.test/a"}, {"url": "https://api.test/a", "after": 7200}]}
      {"id": "short", "page": "https://app.test/", "steps": [{"url": "https://api.test/a"}, {"url": "https://api.test/a", "after": 2.5}]}
      """, maximumPause: 30)
    #expect(plan.scenarios[0].skipReason
            == "needs 7200 s of real time (its steps' `after` pauses); the harness waits for real, up to 30 s a scenario (--max-pause)")
    #expect(plan.scenarios[1].skipReason == nil)
    #expect(plan.playOrder == [1])
    #expect(ConformancePlan(jsonLines: "{\"id\": \"s\", \"page\": \"https://app.test/\", \"steps\": [{\"url\": \"https://api.test/a\", \"after\": 2.5}]}",
                            maximumPause: 2).scenarios[0].skipReason?.hasPrefix("needs 2.5 s of real time") == true)
  }

  @Test("Chromium alone skips what its Local Network Access would decide: a more private target, a declared target space")
  func localNetworkAccess() {
    let plan = ConformancePlan(jsonLines: """
      {"id": "public-to-loopback", "page": "https://app.test/", "steps": [{"url": "http://localhost:3000/a"}]}
      {"id": "loopback-to-public", "page": "http://localhost:3000/", "steps": [{"url": "https://api.test/a"}]}
      {"id": "target", "page": "https://app.test/", "steps": [{"url": "https://api.test/a", "targetAddressSpace": "local"}]}
      {"id": "target-loopback", "page": "https://app.test/", "steps": [{"url": "http://127.0.0.1:3000/a", "targetAddressSpace": "loopback"}]}
      """)
    let s = plan.scenarios
    #expect(s[0].skipReason == nil && s[0].skipReason(for: .firefox) == nil)
    #expect(s[0].skipReason(for: .chromium)?.hasPrefix("http://localhost:3000/a is in the loopback address space and the page in the public one") == true)
    #expect(s[1].skipReason(for: .chromium) == nil)
    #expect(s[2].skipReason(for: .chromium)?.contains("targetAddressSpace local is checked against where api.test really is") == true)
    #expect(s[2].skipReason(for: .webkit) == nil)
    #expect(s[3].engineSkipReasons[Engine.chromium.rawValue]?.contains("targetAddressSpace") != true)
    #expect(plan.playOrder(for: .chromium) == [1] && plan.playOrder(for: .webkit) == [0, 1, 2, 3])
  }

  @Test("CSP sources with a path get the scenario's prefix; keywords, schemes and bare hosts do not")
  func cspPaths() {
    #expect(ScenarioPlanner.prefixedSource("https://api.test/v1/", "/~corsim/4") == "https://api.test/~corsim/4/v1/")
    #expect(ScenarioPlanner.prefixedSource("api.test:8080/v1/data", "/~corsim/4") == "api.test:8080/~corsim/4/v1/data")
    for same in ["'self'", "'none'", "https:", "https://api.test", "*.test", "https://*.test:*"] {
      #expect(ScenarioPlanner.prefixedSource(same, "/~corsim/4") == same)
    }
    let plan = ConformancePlan(jsonLines: """
      {"id": "p", "page": "https://app.test/", "csp": ["'self'", "https://api.test/v1/"], "steps": [{"url": "https://api.test/v1/d"}]}
      """)
    #expect(plan.scenarios[0].pageHeaders.first?.value == "connect-src 'self' https://api.test/~corsim/0/v1/")
  }

  @Test("a page with upgrade-insecure-requests ends the browser session, and goes nowhere itself")
  func freshBrowser() {
    let plan = ConformancePlan(jsonLines: """
      {"id": "u", "page": "http://app.test/", "upgradeInsecureRequests": true, "steps": [{"url": "http://app.test/d"}]}
      {"id": "n", "page": "http://app.test/", "steps": [{"url": "http://app.test/d"}]}
      """)
    #expect(plan.scenarios.map(\.freshBrowserAfter) == [true, false])
  }

  @Test("a Content-Length line sets the body's length: padded with spaces, or cut; chunked and bodiless answers are left alone")
  func contentLength() {
    func text(_ r: WireRoute, _ method: String = "GET") -> String { String(decoding: WireResponse.route(r, method: method), as: UTF8.self) }
    #expect(text(WireRoute(status: 200, headerLines: [("Content-Length", "3")]))
            == "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n   ")
    #expect(text(WireRoute(status: 200, headerLines: [("Content-Length", " 2 ")], body: "hello"))
            == "HTTP/1.1 200 OK\r\nContent-Length:  2 \r\n\r\nhe")
    #expect(text(WireRoute(status: 200, headerLines: [("Content-Length", "2"), ("Content-Length", "3")], body: "x"))
            .hasSuffix("\r\n\r\nx"))
    #expect(text(WireRoute(status: 200, headerLines: [("Content-Length", "abc")], body: "x")).hasSuffix("\r\n\r\nx"))
    #expect(text(WireRoute(status: 200, headerLines: [("Content-Length", "9")]), "HEAD").hasSuffix("9\r\n\r\n"))
    #expect(text(WireRoute(status: 204, headerLines: [("Content-Length", "9")])).hasSuffix("9\r\n\r\n"))
    #expect(text(WireRoute(status: 200, headerLines: [("Transfer-Encoding", "chunked"), ("Content-Length", "9")], body: "ab"))
            .hasSuffix("\r\n\r\n2\r\nab\r\n0\r\n\r\n"))
  }

  @Test("requests to hosts no scenario names are the browser's own, credited to no scenario")
  func foreignHosts() {
    let state = HarnessState(plan: ConformancePlan(jsonLines: """
      {"id": "a", "page": "http://app.test/", "steps": [{"url": "http://api.test/d"}], "server": [{"url": "http://api.test/d"}]}
      """))
    _ = state.answer(IncomingRequest(method: "GET", target: "/__corsim/mark?run=0&i=0&k=0", headers: [("Host", "app.test")], localPort: 80))
    _ = state.answer(IncomingRequest(method: "POST", target: "/ListAccounts", headers: [("Host", "accounts.google.com")], tls: true, localPort: 443))
    _ = state.answer(IncomingRequest(method: "GET", target: "/d", headers: [("Host", "api.test")], localPort: 80))
    _ = state.answer(IncomingRequest(method: "GET", target: "/x", headers: [("Host", "127.0.0.1")], localPort: 80))
    #expect(state.log.map(\.scenario) == [nil, 0, 0])
    #expect(state.log.map(\.step) == [-1, 0, 0])
  }

  @Test("repeats of a request the server left unanswered are one request in the results")
  func retries() {
    func r(_ url: String, _ unanswered: Bool) -> RequestRecord {
      var x = RequestRecord(scenario: 0, step: 0, method: "GET", url: url, target: "/", headers: [], bodyLength: 0, tls: false, time: 0)
      x.unanswered = unanswered
      return x
    }
    let kept = ResultAssembler.withoutRetries([r("http://a/1", true), r("http://a/1", true), r("http://a/1", true),
                                               r("http://a/2", false), r("http://a/2", false), r("http://a/1", true)])
    #expect(kept.map(\.url) == ["http://a/1", "http://a/2", "http://a/2", "http://a/1"])
  }

  @Test("a page the browser loaded under another origin (an https upgrade) makes the scenario skipped")
  func upgradedPage() {
    let plan = ConformancePlan(jsonLines: #"{"id": "x", "page": "http://app.test/", "steps": [{"url": "http://api.test/d"}]}"#)
    let a = ResultAssembler(plan: plan, engine: .webkit, runnerURLs: [:])
    let steps = #"[{"outcome": "network-error", "page": "ORIGIN"}]"#
    let upgraded = a.result(0, report: try! JSONParser.parse(steps.replacingOccurrences(of: "ORIGIN", with: "https://app.test")),
                            log: [], console: [:])
    #expect(upgraded["skipped"] == .string("the browser loaded the page as https://app.test, not http://app.test"))
    let same = a.result(0, report: try! JSONParser.parse(steps.replacingOccurrences(of: "ORIGIN", with: "http://app.test")),
                        log: [], console: [:])
    #expect(same["steps"] != nil)
  }
}
