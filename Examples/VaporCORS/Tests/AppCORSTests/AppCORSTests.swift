// The Vapor example of docs/AUDIT.md ("The real middleware, in-process"), compiled and run by
// `swift test --package-path Examples/VaporCORS`.
import App
import CORSPolicy
// Vapor has an AsyncResponder of its own: this one is corsim's.
import struct CORSPolicy.AsyncResponder
import CORSPropertyTesting
import CORSSimulator
import Testing
import Vapor
import VaporTesting

/// The application, driven in memory through Vapor's testing API, as the server corsim audits.
func responder(_ app: Application) throws -> AsyncResponder {
  let tester = try app.testing()
  return AsyncResponder(name: "vapor") { request in
    var headers = HTTPHeaders()
    for field in request.headers { headers.add(name: field.name.rawName, value: field.value) }
    let response = try await tester.performTest(request: TestingHTTPRequest(
      method: HTTPMethod(rawValue: request.method.rawValue), url: URI(path: request.url.pathAndQuery),
      headers: headers, body: ByteBuffer()))
    return ResponderAnswer(status: Int(response.status.code),
                           headers: HeaderList(response.headers.map { HeaderField(HeaderName($0.name), $0.value) }))
  }
}

let resource = try! URLRecord("https://api.example.com/me")
let allowlist = Allowlist(entries: ["https://app.example.com"])
let frontend = [AuditRequest(method: .put, headers: ["Content-Type": "application/json"], credentials: .include)]

@Test func vaporCORSIsSafe() async throws {
  try await withApp(configure: { configure($0) }) { app in
    let report = await Auditor(resource: resource, allowlist: allowlist, frontend: frontend).run(against: try responder(app))
    // Vapor's CORSMiddleware answers without Vary when the Origin is refused (class 14, low): nothing worse.
    #expect(!report.hasFinding(atLeast: .medium), "\(report.findings.map(\.summary))")
    let harness = PolicyHarness(resource: resource, allowlist: allowlist, server: try responder(app), frontend: frontend)
    #expect(await CORSPropertyCheck(harness, properties: [.noOutsideCredentialedRead, .frontendSucceeds], count: 100).counterexample() == nil)
  }
}

@Test func vaporOriginBasedWithCredentialsIsFound() async throws {
  let reflecting = CORSMiddleware.Configuration(allowedOrigin: .originBased, allowedMethods: [.GET], allowedHeaders: [],
                                                allowCredentials: true)
  try await withApp(configure: { configure($0, cors: reflecting) }) { app in
    let report = await Auditor(resource: resource, allowlist: allowlist).run(against: try responder(app))
    #expect(report.findings.contains { $0.misconfiguration.number == 1 && $0.severity == .high })
    let harness = PolicyHarness(resource: resource, allowlist: allowlist, server: try responder(app), frontend: [.credentialedGet])
    let found = try #require(await CORSPropertyCheck(harness, properties: [.noOutsideCredentialedRead], count: 100,
                                                     requests: CORSGen.request(methods: [.get], headers: [])).counterexample())
    #expect(found.request == .credentialedGet)
  }
}
