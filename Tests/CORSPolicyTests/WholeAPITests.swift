import CORSJSON
import CORSPolicy
import CORSSimulator
import CORSText
import Testing

let petstore = """
  openapi: 3.0.3
  info: { title: pets, version: '1' }
  servers:
    - url: https://{env}.example.com/v1
      variables: { env: { default: api } }
  components:
    parameters:
      PetId: { name: petId, in: path, required: true, schema: { type: integer, example: 42 } }
    securitySchemes:
      bearer: { type: http, scheme: bearer }
      session: { type: apiKey, in: cookie, name: sid }
      key: { type: apiKey, in: header, name: X-Api-Key }
  security: [ { bearer: [] } ]
  paths:
    /pets:
      get:
        parameters: [ { name: limit, in: query, required: true, schema: { type: integer, default: 20 } } ]
      post:
        requestBody: { content: { application/json: { schema: { type: object } } } }
    /pets/{petId}:
      parameters: [ { $ref: '#/components/parameters/PetId' } ]
      get: { security: [ { session: [] } ] }
      delete: { security: [ { key: [] } ] }
    /users/{name}/avatar:
      put:
        security: []
        parameters:
          - { name: name, in: path, required: true, schema: { type: string, format: uuid } }
          - { name: X-Trace, in: header, schema: { type: string } }
        requestBody: { content: { image/png: {} } }
  """

@Suite("Whole APIs: OpenAPI endpoints, audits grouped by root cause, SARIF and JUnit")
struct WholeAPITests {
  @Test("every path and method, path parameters from examples and defaults, headers and credentials from parameters and security")
  func openAPI() throws {
    let doc = try OpenAPIDocument(text: petstore)
    #expect(doc.serverURL == "https://api.example.com/v1")
    #expect(doc.endpoints.map(\.url.href) == ["https://api.example.com/v1/pets?limit=20", "https://api.example.com/v1/pets/42",
                                              "https://api.example.com/v1/users/3fa85f64-5717-4562-b3fc-2c963f66afa6/avatar"])
    #expect(doc.endpoints.map(\.label) == ["GET POST /pets", "GET DELETE /pets/{petId}", "PUT /users/{name}/avatar"])
    let pets = doc.endpoints[0].requests
    #expect(pets[0].headers.get("Authorization") == "Bearer token")
    #expect(pets[1].headers.get(.contentType) == "application/json")
    let pet = doc.endpoints[1].requests
    #expect(pet[0].credentials == .include && pet[0].headers.isEmpty)
    #expect(pet[1].headers.get("X-Api-Key") == "key")
    let avatar = doc.endpoints[2].requests[0]
    #expect(avatar.headers.map(\.name.canonicalName) == ["x-trace", "content-type"])
    #expect(doc.endpoints[1].source == "openapi#/paths/~1pets~1{petId}")
    // --base replaces servers[0].url.
    #expect(try OpenAPIDocument(text: petstore, base: "http://127.0.0.1:8080/api").endpoints[0].url.href == "http://127.0.0.1:8080/api/pets?limit=20")
    #expect { try OpenAPIDocument(text: "swagger: '2.0'\npaths: {}") } throws: { ($0 as? PolicyFileError)?.message.contains("Swagger 2.0") == true }
    #expect(throws: PolicyFileError.self) { try OpenAPIDocument(text: "openapi: 3.1.0\npaths: {/a: {get: {}}}") }  // no server, no base
  }

  @Test("an API audit groups findings by root cause across endpoints; clean endpoints are counted")
  func grouped() throws {
    let doc = try OpenAPIDocument(text: petstore)
    // /pets reflects any origin with credentials; the others are correct.
    let answer: @Sendable (ServerRequest) -> Route = { r in
      let reflects = r.url.pathString == "/v1/pets"
      var headers: HeaderList = ["Vary": "Origin"]
      if let o = r.value(of: "Origin"), reflects || o == "https://app.example.com" {
        headers.append(HeaderField(.accessControlAllowOrigin, o))
        headers.append(HeaderField(.accessControlAllowCredentials, "true"))
        if r.method == "OPTIONS" {
          headers.append(HeaderField("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE"))
          headers.append(HeaderField("Access-Control-Allow-Headers", "authorization, content-type, x-api-key, x-trace"))
          headers.append(HeaderField(.accessControlMaxAge, "600"))
        }
      }
      return Route(method: r.method, url: r.url, status: r.method == "OPTIONS" ? 204 : 200, headers: headers, body: "{}")
    }
    let report = APIAuditor(endpoints: doc.endpoints, allowlist: Allowlist(entries: ["https://app.example.com"])).run(answer)
    let groups = report.groups
    let first = try #require(groups.first)
    #expect(first.misconfiguration.number == 1 && first.severity == .high)
    #expect(first.endpoints.map(\.path) == ["/pets"])
    // Credentials granted to the endpoints whose frontend authenticates with a bearer token: one root cause, two endpoints.
    let needless = try #require(groups.first { $0.misconfiguration.number == 17 })
    #expect(needless.endpoints.map(\.path) == ["/pets", "/users/{name}/avatar"])
    #expect(report.results.filter { $0.report.findings.isEmpty }.map(\.endpoint.path) == ["/pets/{petId}"])
    let text = report.text(style: .plain, source: "petstore")
    #expect(text.contains("#1 Arbitrary origin reflected  arbitrary-origin-reflected  1 endpoint"))
    #expect(text.contains("needless-credentials  2 endpoints"))
    #expect(text.contains("over 3 endpoints, 1 without findings"))
    #expect(report.hasFinding(atLeast: .high))
    guard case .array(let jsonGroups)? = report.json["groups"] else { Issue.record("no groups"); return }
    #expect(jsonGroups.count == groups.count)
  }

  @Test("SARIF 2.1.0: one rule per class, results with rule, level, location, fingerprints")
  func sarif() throws {
    let report = try audit("origins: [https://app.example.com, 'null']\ncredentials: true")
    let log = report.sarif(location: AuditLocation(uri: "api/cors.yaml", line: 2))
    #expect(log["version"] == .string("2.1.0"))
    guard case .array(let runs)? = log["runs"], let run = runs.first,
          case .array(let rules)? = run["tool"]?["driver"]?["rules"], case .array(let results)? = run["results"] else {
      Issue.record("not a SARIF log: \(JSONWriter.serialize(log))"); return
    }
    #expect(rules.count == MisconfigurationClass.all.count)
    #expect(rules[2]["id"] == .string("null-origin-trusted"))
    let r = try #require(results.first { $0["ruleId"] == .string("null-origin-trusted") })
    #expect(r["ruleIndex"] == .number(2))
    #expect(r["level"] == .string("error"))
    guard case .array(let locations)? = r["locations"], let location = locations.first else { Issue.record("no location"); return }
    #expect(location["physicalLocation"]?["region"]?["startLine"] == .number(2))
    #expect(location["physicalLocation"]?["artifactLocation"]?["uri"] == .string("api/cors.yaml"))
    #expect(r["partialFingerprints"]?["corsimFinding/v1"] == .string("null-origin-trusted:https://api.example.com/data:null"))
    #expect(AuditLocation.line(of: "/pets/{petId}", in: petstore) == 20)
    // In one pass, every path's line, as the search for each alone finds it (JSON keys too, and a path with a colon).
    let paths: Set<String> = ["/pets", "/pets/{petId}", "/nowhere"]
    let all = AuditLocation.lines(of: paths, in: petstore)
    for path in paths { #expect(all[path] == AuditLocation.line(of: path, in: petstore), "\(path)") }
    #expect(all["/pets/{petId}"] == 20)
    let json = "{\n  \"paths\": {\n    \"/v1/items:batch\": {},\n    \"/v1/items\": {}\n  }\n}"
    #expect(AuditLocation.lines(of: ["/v1/items:batch", "/v1/items"], in: json) == ["/v1/items:batch": 3, "/v1/items": 4])
    let yaml = "paths:\n  /v1/items:batch:\n    get: {}\n  /v1/items:\n    get: {}\n"
    #expect(AuditLocation.lines(of: ["/v1/items:batch", "/v1/items"], in: yaml) == ["/v1/items:batch": 2, "/v1/items": 4])
  }

  @Test("JUnit: a case per class, failing at --fail-on, findings below it in the output, XML escaped")
  func junit() throws {
    let report = try audit("origins: [https://app.example.com, 'null']\ncredentials: true\nfrontend: [{method: GET}]")
    let suite = report.junitSuite(name: "GET /data <v1> & \"x\"", failOn: .medium)
    #expect(suite.cases.count == MisconfigurationClass.all.count)
    let xml = JUnitReport(name: "corsim audit", suites: [suite]).xml
    #expect(xml.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?>"#))
    #expect(xml.contains(#"<testsuite name="GET /data &lt;v1&gt; &amp; &quot;x&quot;" tests="21" failures="1""#))
    #expect(xml.contains(#"<failure type="high" message="null (a sandboxed iframe (Origin: null)) reads credentialed responses">"#))
    // Class 17 (low) is below --fail-on: the case passes and says what was found.
    #expect(xml.contains("#17 Credentials granted where none are needed"))
    #expect(xml.contains("<system-out>LOW: Access-Control-Allow-Credentials: true, but the frontend sends no credentials"))
    #expect(JUnitReport.escape("a\u{1}b") == "a\u{FFFD}b")
  }

  @Test("JUnit: a case's long output is escaped and handed over in pieces, never copied whole; they join to `xml`")
  func junitPieces() {
    // `corsim run --format junit` of a file of thousands of requests: one case whose output is megabytes.
    let output = String(repeating: "BLOCKED at cors-check: <missing> & \"quoted\" é\u{1}\n", count: 20_000)
    let report = JUnitReport(name: "corsim run", suites: [JUnitReport.Suite(name: "corsim run", cases: [
      JUnitReport.Case(className: "corsim run.chromium", name: "long.cors", result: .failed(type: "mismatch", message: "m", details: "d"),
                       output: output),
      JUnitReport.Case(className: "corsim run.chromium", name: "short.cors", result: .passed),
    ])])
    var pieces: [String] = []
    report.write { pieces.append($0) }
    #expect(pieces.count > 10)
    #expect(pieces.allSatisfy { $0.utf8.count < (1 << 16) + 64 })
    let xml = report.xml
    #expect(pieces.joined() == xml)
    #expect(xml.contains("<system-out>" + JUnitReport.escape(output) + "</system-out>\n    </testcase>\n"))
    #expect(xml.contains(#"<testcase classname="corsim run.chromium" name="short.cors" time="0.000"/>"#))
  }
}
