// The code samples of the DocC articles, each between `// sample begin` and `// sample end`: they compile,
// run, and their comments are checked. DocumentationSampleTests finds every Swift block of the documentation
// in a region like these, verbatim.
import CORSHTTPTypes
import CORSJSON
import CORSOracle
import CORSPolicy
import CORSScenario
import CORSSimulator
import CORSText
import HTTPTypes
import Testing

@Suite("The DocC articles' samples run and say what their comments say")
struct ArticleSampleTests {
  @Test("CORSScenario: parse, run, compare with the expectations")
  func scenario() throws {
    // sample begin
    let document = try ScenarioBuilder.parse("""
      page https://app.example

      route GET https://api.example/profile
        Access-Control-Allow-Origin: *

      fetch https://api.example/profile credentials=include
      expect network-error at response: wildcard-with-credentials
      """)
    let verdicts = ScenarioRunner.run(document.scenario, profile: .chromium)
    let problems = document.mismatches(engine: .chromium, verdicts: verdicts)
    // problems is empty: Chromium refuses `*` with credentials, as the file expects
    // sample end
    #expect(problems.isEmpty)
    #expect(verdicts.first?.reason == .wildcardWithCredentials)
    #expect(document.verdictExpectation(step: 0, engine: .chromium) != nil)
  }

  @Test("CORSOracle: one line in, one line out")
  func oracle() throws {
    // sample begin
    let oracle = Oracle()
    let line = #"{"id": "a", "browser": "webkit", "page": "https://app.example", "request": {"url": "https://api.example/x", "credentials": "include"}, "server": [{"url": "https://api.example/x", "headers": [["Access-Control-Allow-Origin", "*"]]}]}"#
    let answer = oracle.answer(line: line, lineNumber: 1)
    // {"id": "a", "browser": "webkit", "steps": [{"outcome": "network-error", … "reason": "wildcard-with-credentials", …
    // sample end
    #expect(answer.hasPrefix(#"{"id": "a", "browser": "webkit", "steps": [{"outcome": "network-error", "#))
    #expect(answer.contains(#""reason": "wildcard-with-credentials""#))
  }

  @Test("CORSJSON: parse, index, write back")
  func json() throws {
    // sample begin
    let value = try JSONParser.parse(#"{"a": [1, "two", null], "b": true}"#)
    let b = value["b"]  // .bool(true)
    let text = JSONWriter.serialize(value)  // {"a": [1, "two", null], "b": true}
    // sample end
    #expect(b == .bool(true))
    #expect(text == #"{"a": [1, "two", null], "b": true}"#)
  }

  @Test("CORSText: a verdict as the REPL prints it")
  func text() throws {
    // sample begin
    var sim = Simulator(profile: .chromium, page: try Page("https://app.example"))
    let request = ScriptRequest(url: "https://api.example/data")
    let verdict = sim.fetch(request)
    let text = VerdictText.render(verdict, request: request, style: .plain)
    // ✗ BLOCKED  (CORS, at the response)  chromium
    //   request fetch GET https://api.example/data  from https://app.example
    //   reason  missing-allow-origin — …
    // sample end
    let lines = text.split(separator: "\n")
    #expect(lines.first == "✗ BLOCKED  (CORS, at the response)  chromium")
    #expect(lines.dropFirst().first == "  request fetch GET https://api.example/data  from https://app.example")
    #expect(lines.dropFirst(2).first?.hasPrefix("  reason  missing-allow-origin — ") == true)
  }

  @Test("CORSHTTPTypes: a route from an HTTPResponse, a request from an HTTPRequest")
  func httpTypes() throws {
    // sample begin
    var response = HTTPResponse(status: .ok)
    response.headerFields[.accessControlAllowOrigin] = "https://app.example"
    let route = try Route(response, url: "https://api.example/data")
    var sim = Simulator(profile: .webkit, page: try Page("https://app.example"), server: Server(routes: [route]))
    let verdict = sim.fetch(ScriptRequest(HTTPRequest(method: .get, scheme: "https", authority: "api.example", path: "/data")))
    // verdict.outcome == .readable
    // sample end
    #expect(verdict.outcome == .readable)
  }

  @Test("CORSPolicy: an audit of a reflecting policy finds the reflection")
  func policyAudit() throws {
    // sample begin
    let document = try PolicyDocument(text: """
      resource: https://api.example.com/v1/me
      allow: [https://app.example.com]
      origins: ["*"]
      anyOrigin: reflect
      credentials: true
      """)
    let report = Auditor(document: document).audit(document)
    let codes = Set(report.findings.map(\.misconfiguration.code))
    // codes contains "arbitrary-origin-reflected": any origin can read the credentialed answer
    // sample end
    #expect(codes.contains("arbitrary-origin-reflected"), "\(codes)")
  }

  @Test("CORSPolicy: a policy answers the simulator")
  func policyAsServer() throws {
    // sample begin
    let policy = CORSPolicy(origins: [.exact("https://app.example.com")], methods: .list(["GET", "PUT"]),
                            requestHeaders: .list(["Content-Type"]), credentials: true)
    var sim = Simulator(profile: .firefox, page: try Page("https://app.example.com"),
                        server: Server(responder: policy.responder()))
    let verdict = sim.fetch(ScriptRequest(url: "https://api.example.com/v1/me", method: .put,
                                          headers: ["Content-Type": "application/json"], credentials: .include))
    // verdict.outcome == .readable
    // sample end
    #expect(verdict.outcome == .readable, "\(verdict.reason.map(\.rawValue) ?? "")")
  }
}
