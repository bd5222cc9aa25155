// The Hummingbird example of docs/AUDIT.md ("The real middleware, in-process"), verbatim between the sample
// marks (the root's DocumentationSampleTests holds the two to each other): an application's own
// CORSMiddleware, driven in-process through HummingbirdTesting's router framework (no socket), audited and
// property-tested.
import CORSPolicy
import CORSProbe
import CORSPropertyTesting
import CORSSimulator
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

// sample begin
/// The application as the team ships it.
func buildApplication(cors: CORSMiddleware<BasicRequestContext>) -> some ApplicationProtocol {
  let router = Router()
  router.add(middleware: cors)
  router.get("me") { _, _ in #"{"user":"alice"}"# }
  router.put("me") { _, _ in #"{"saved":true}"# }
  return Application(router: router)
}

/// A HummingbirdTesting client as the server corsim audits.
func responder(_ client: some TestClientProtocol) -> AsyncResponder {
  AsyncResponder(name: "hummingbird") { request in
    var fields = HTTPFields()
    for f in request.headers {
      if let name = HTTPField.Name(f.name.rawName) { fields.append(HTTPField(name: name, value: f.value)) }
    }
    return try await client.execute(uri: request.url.pathAndQuery, method: HTTPRequest.Method(request.method.rawValue)!,
                                    headers: fields) { response in
      ResponderAnswer(status: response.status.code,
                      headers: HeaderList(response.headers.map { HeaderField(HeaderName($0.name.rawName), $0.value) }))
    }
  }
}

let meResource = try! URLRecord("https://api.example.com/me")
let appOnly = Allowlist(entries: ["https://app.example.com"])
let putWithCookies = AuditRequest(method: .put, headers: ["Content-Type": "application/json"], credentials: .include)

@Test func hummingbirdCORSIsSafe() async throws {
  let cors = CORSMiddleware<BasicRequestContext>(allowOrigin: .oneOf("https://app.example.com"), allowHeaders: [.contentType],
                                                 allowMethods: [.get, .put], allowCredentials: true, maxAge: .seconds(600))
  try await buildApplication(cors: cors).test(.router) { client in
    let report = await Auditor(resource: meResource, allowlist: appOnly, frontend: [putWithCookies]).run(against: responder(client))
    // Hummingbird leaves Vary out of answers without an Origin (class 14, low): nothing worse.
    #expect(!report.hasFinding(atLeast: .medium), "\(report.findings.map(\.summary))")
    let harness = PolicyHarness(resource: meResource, allowlist: appOnly, server: responder(client), frontend: [putWithCookies])
    #expect(await CORSPropertyCheck(harness, properties: [.noOutsideCredentialedRead, .frontendSucceeds], count: 100).counterexample() == nil)
  }
}
// sample end

// The live-URL example of docs/AUDIT.md: the same application on a socket, audited over HTTP as if deployed at
// https://api.example.com; verbatim between the sample marks.
// sample begin
@Test func liveURLIsSafe() async throws {
  let cors = CORSMiddleware<BasicRequestContext>(allowOrigin: .oneOf("https://app.example.com"), allowHeaders: [.contentType],
                                                 allowMethods: [.get, .put], allowCredentials: true, maxAge: .seconds(600))
  try await buildApplication(cors: cors).test(.live) { client in
    let http = LiveClient(limits: ProbeLimits())
    let deployed = DeployedAs(deployed: try URLRecord("https://api.example.com").origin,
                              servedAt: try URLRecord("http://127.0.0.1:\(client.port!)").origin)
    let server = LiveAudit.responder(http, deployedAs: deployed)
    let report = await Auditor(resource: meResource, allowlist: appOnly, frontend: [putWithCookies]).run(against: server)
    #expect(!report.hasFinding(atLeast: .medium), "\(report.findings.map(\.summary))")
    #expect((report.requestsSent ?? 0) > 30)
    let harness = PolicyHarness(resource: meResource, allowlist: appOnly, server: server, frontend: [putWithCookies])
    #expect(await CORSPropertyCheck(harness, properties: [.noOutsideCredentialedRead, .frontendSucceeds], count: 100).counterexample() == nil)
    await http.shutdown()
  }
}
// sample end

@Suite("In-process applications: the middleware a team ships, audited through its framework's testing API")
struct InProcessTests {
  @Test("Hummingbird's .originBased with credentials, in-process: class 1 found, and a property check returns the shrunk counterexample")
  func originBased() async throws {
    let cors = CORSMiddleware<BasicRequestContext>(allowOrigin: .originBased, allowCredentials: true)
    try await buildApplication(cors: cors).test(.router) { client in
      let report = await Auditor(resource: meResource, allowlist: appOnly, frontend: [.credentialedGet]).run(against: responder(client))
      #expect(report.findings.contains { $0.misconfiguration.number == 1 && $0.severity == .high }, "\(report.findings.map(\.summary))")
      #expect((report.requestsSent ?? 0) > 30)
      let harness = PolicyHarness(resource: meResource, allowlist: appOnly, server: responder(client), frontend: [.credentialedGet])
      let found = try #require(await CORSPropertyCheck(harness, properties: [.noOutsideCredentialedRead], count: 100,
                                                       requests: CORSGen.request(methods: [.get], headers: [])).counterexample())
      #expect(found.origin == "https://evil.test")
      #expect(found.request == .credentialedGet)
    }
  }

  @Test("the same .originBased application on a live URL: class 1 found over HTTP, as deployed at https://api.example.com")
  func originBasedLive() async throws {
    let cors = CORSMiddleware<BasicRequestContext>(allowOrigin: .originBased, allowCredentials: true)
    try await buildApplication(cors: cors).test(.live) { client in
      let http = LiveClient(limits: ProbeLimits())
      let server = LiveAudit.responder(http, deployedAs: DeployedAs(deployed: try URLRecord("https://api.example.com").origin,
                                                                     servedAt: try URLRecord("http://127.0.0.1:\(client.port!)").origin))
      let report = await Auditor(resource: meResource, allowlist: appOnly, frontend: [.credentialedGet]).run(against: server)
      let f = try #require(report.findings.first { $0.misconfiguration.number == 1 && $0.severity == .high }, "\(report.findings.map(\.summary))")
      // Deployed at https, WebKit is not kept out by mixed content: all three engines read.
      #expect(f.engines == [.chromium, .firefox, .webkit])
      await http.shutdown()
    }
  }

  @Test("the in-process audit and the model of the same options agree (the hummingbird preset)")
  func agreesWithPreset() async throws {
    let cors = CORSMiddleware<BasicRequestContext>(allowOrigin: .originBased, allowCredentials: true)
    let document = try PolicyDocument(text: "preset: hummingbird\noptions: {allowCredentials: true}\nresource: https://api.example.com/me\nallow: [https://app.example.com]")
    let offline = Auditor(document: document).audit(document)
    try await buildApplication(cors: cors).test(.router) { client in
      let live = await Auditor(document: document).run(against: responder(client))
      #expect(Set(live.findings.map(\.misconfiguration.number)) == Set(offline.findings.map(\.misconfiguration.number)),
              "live \(live.findings.map(\.summary)) offline \(offline.findings.map(\.summary))")
    }
  }
}
