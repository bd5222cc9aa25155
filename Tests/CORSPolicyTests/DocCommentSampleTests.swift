// The samples in CORSPolicy's and CORSPropertyTesting's doc comments, between `// sample begin` and
// `// sample end`: they compile, and the tests below run them.
import CORSPolicy
import CORSPropertyTesting
import CORSSimulator
import PropertyBased
import Testing

let policyYAML = """
  resource: https://api.example.com/v1/me
  origins: [https://app.example.com]
  credentials: true
  methods: [GET, PUT]
  requestHeaders: [Content-Type]
  """

// sample begin
@Test(.shrinking) func policyHolds() async throws {
  let harness = PolicyHarness(document: try PolicyDocument(text: policyYAML))
  await corsPropertyCheck(harness)
}
// sample end

@Suite("CORSPolicy's doc comments: their samples run")
struct PolicyDocCommentSampleTests {
  @Test("a policy as a responder answers the simulator")
  func policyResponder() throws {
    // sample begin
    let policy = CORSPolicy(origins: [.exact("https://app.example.com"), .subdomains(of: "https://example.com")],
                            methods: .list(["GET", "PUT"]), requestHeaders: .list(["Content-Type"]),
                            credentials: true, maxAge: 600)
    let server = Server(responder: policy.responder())
    // sample end
    var sim = Simulator(profile: .chromium, page: try Page("https://app.example.com"), server: server)
    let put = sim.fetch(ScriptRequest(url: "https://api.example.com/data", method: .put,
                                      headers: ["Content-Type": "application/json"], credentials: .include, body: "{}"))
    #expect(put.outcome == .readable, "\(put.reason.map(\.rawValue) ?? "")")
    var other = Simulator(profile: .chromium, page: try Page("https://evil.test"), server: server)
    #expect(other.fetch(ScriptRequest(url: "https://api.example.com/data", credentials: .include)).outcome == .networkError)
  }

  @Test("a property of one's own finds what it looks for")
  func ownProperty() throws {
    // sample begin
    let neverExposesToken = PolicyProperty("the token header is never exposed") { trial in
      trial.verdict.exposedHeaders?.contains("x-token") == true ? "x-token is readable" : nil
    }
    // sample end
    #expect(neverExposesToken.name == "the token header is never exposed")
    // It holds where the token is not exposed, and fails where it is, to an allowed origin.
    let answer = "\nresponse: { headers: { Content-Type: application/json, X-Token: t0k3n } }"
    let quiet = PolicyHarness(document: try PolicyDocument(text: policyYAML + answer))
    let leaky = PolicyHarness(document: try PolicyDocument(text: policyYAML + answer + "\nexposedHeaders: [X-Token]"))
    let get = AuditRequest(credentials: .include)
    #expect(neverExposesToken.violation(in: quiet.trial(origin: "https://app.example.com", request: get, engine: .chromium)) == nil)
    #expect(neverExposesToken.violation(in: leaky.trial(origin: "https://app.example.com", request: get, engine: .chromium))
            == "x-token is readable")
  }
}
