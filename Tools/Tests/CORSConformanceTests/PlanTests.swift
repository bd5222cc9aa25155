import CORSScenario
import CORSSimulator
import Testing

@testable import CORSConformance

@Suite struct PlanTests {
  @Test("served URLs move under the scenario's prefix, and the server takes it off again")
  func prefix() throws {
    let url = try URLRecord("http://u:p@api.test:8080/a/b?q=1#f")
    let wire = ScenarioPlanner.prefixed(url, "/~corsim/12")
    #expect(wire == "http://u:p@api.test:8080/~corsim/12/a/b?q=1#f")
    #expect(HarnessState.stripPrefix("/~corsim/12/a/b?q=1") == (12, "/a/b?q=1"))
    #expect(HarnessState.stripPrefix("/~corsim/12x/a") == (nil, "/~corsim/12x/a"))
    #expect(HarnessState.stripPrefix("/plain") == (nil, "/plain"))
  }

  @Test("the plan collects ports and host names, and plays file: pages first")
  func portsHostsOrder() {
    let plan = ConformancePlan(jsonLines: """
      {"id": "a", "page": "http://app.test:8080/", "steps": [{"url": "https://api.test:8443/x"}], "server": [{"url": "http://api.test:8080/r", "headers": [["Location", "http://other.test:8081/t"]]}]}

      {"id": "b", "page": "file:///x.html", "steps": [{"url": "http://127.0.0.1:9000/x"}]}
      """)
    #expect(plan.scenarios.count == 2)
    #expect(plan.ports == [8080, 8081, 8443, 9000])
    #expect(plan.hostNames == ["api.test", "app.test", "other.test"])
    #expect(plan.playOrder == [1, 0])
  }

  @Test("what the harness cannot play is skipped with a reason")
  func skipped() {
    let plan = ConformancePlan(jsonLines: """
      {"id": "ip", "page": "http://app.test/", "steps": [{"url": "http://10.0.0.1/x"}]}
      {"id": "hsts", "page": "http://app.test/", "hsts": ["api.test"], "steps": [{"url": "http://api.test/x"}]}
      {"id": "scheme", "page": "data:text/html,x", "steps": [{"url": "http://api.test/x"}]}
      {"id": "bad", "page": "http://app.test/", "steps": [{"url": "http://api.test/x", "mode": 3}]}
      {
      """)
    let reasons = plan.scenarios.map { $0.skipReason ?? "" }
    #expect(reasons[0].contains("not a loopback address"))
    #expect(reasons[1].contains("HSTS"))
    #expect(reasons[2].contains("data:"))
    #expect(reasons[3].hasPrefix("not a valid scenario"))
    #expect(reasons[4].hasPrefix("not valid JSON"))
    #expect(plan.playOrder.isEmpty)
  }

  @Test("page policies become the runner page's header lines")
  func policies() {
    let plan = ConformancePlan(jsonLines: """
      {"id": "p", "page": "https://app.test/", "csp": ["'self'", "https://api.test"], "upgradeInsecureRequests": true, "coep": "require-corp", "steps": [{"url": "https://api.test/x"}]}
      """)
    let lines = plan.scenarios[0].pageHeaders.map { "\($0.name): \($0.value)" }
    #expect(lines == ["Content-Security-Policy: connect-src 'self' https://api.test; upgrade-insecure-requests",
                      "Cross-Origin-Embedder-Policy: require-corp"])
  }
}
