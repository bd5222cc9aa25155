import CORSPolicy
import CORSSimulator
import Testing

let resource = try! URLRecord("https://api.example.com/data")

func ask(_ policy: CORSPolicy, _ method: Method = .get, origin: String?, _ headers: HeaderList = []) -> Route {
  var h = headers
  if let origin { h.append(HeaderField(.origin, origin)) }
  return policy.answer(ServerRequest(method: method, url: resource, headers: h, isPreflight: method == .options, includesCredentials: false))
}

func preset(_ p: Preset, _ yaml: String = "{}") throws -> CORSPolicy {
  try p.policy(options: try PolicyValue.parsePolicy(yaml))
}

@Suite("Server.responder (library addition)")
struct ResponderTests {
  @Test("a responder sees each request's header lines, and layers apply to its answers")
  func seesHeaders() throws {
    let responder = Responder { r in
      Route(url: r.url, headers: [("Access-Control-Allow-Origin", r.value(of: "Origin") ?? "none")])
    }
    let server = Server(layers: [Layer(name: "cdn", operations: [.add(.vary, "Origin")])], responder: responder)
    var sim = Simulator(profile: .chromium, page: try Page("https://app.example"), server: server)
    let v = sim.fetch(ScriptRequest(url: "https://api.example/data"))
    #expect(v.outcome == .readable)
    #expect(v.notes.contains(.routeNotFound) == false)
    let answer = server.respond(ServerRequest(method: "GET", url: try URLRecord("https://api.example/x"),
                                              headers: [("Origin", "https://a.example")], isPreflight: false, includesCredentials: false))
    #expect(answer.headers.fields.map(\.value) == ["https://a.example", "Origin"])
    #expect(answer.headers.fields.map(\.setBy) == ["app", "cdn"])
  }

  @Test("a responder answering nil falls back to the routes; responders are equal only to themselves")
  func fallsBack() throws {
    let url = try URLRecord("https://api.example/data")
    let r1 = Responder { _ in nil }
    let server = Server(routes: [Route(url: url, status: 201)], responder: r1)
    #expect(server.respond(ServerRequest(method: "GET", url: url, headers: [], isPreflight: false, includesCredentials: false)).status == 201)
    #expect(r1 == r1)
    #expect(r1 != Responder { _ in nil })
  }
}

@Suite("Presets answer as the middlewares do")
struct PresetTests {
  @Test("flask-cors defaults reflect any Origin (origins='*', send_wildcard=False), Vary: Origin")
  func flaskDefault() throws {
    let p = try preset(.flaskCors, "{supports_credentials: true}")
    let r = ask(p, origin: "https://evil.test")
    #expect(r.headers.get(.accessControlAllowOrigin) == "https://evil.test")
    #expect(r.headers.get(.accessControlAllowCredentials) == "true")
    #expect(r.headers.get(.vary) == "Origin")
  }

  @Test("a preflight's headers are matched against a long list ignoring case, each middleware in its own way")
  func requestedHeadersAgainstLongList() throws {
    // 2,000 names listed by the policy; the preflight asks for them in another case and order, and for one more.
    let listed = (0..<2_000).map { "X-H\($0)" }
    let asked = (0..<2_000).reversed().map { "x-h\($0)" }
    func preflight(_ middleware: Middleware, _ names: [String]) -> Route {
      let policy = CORSPolicy(origins: [.exact("https://app.example")], methods: .list(["GET", "PUT"]),
                              requestHeaders: .list(listed), middleware: middleware)
      return ask(policy, .options, origin: "https://app.example",
                 ["Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": names.joined(separator: ",")])
    }
    // corsim: every name must be listed, or the preflight is refused.
    #expect(preflight(.corsim, asked).headers.get(.accessControlAllowOrigin) == "https://app.example")
    #expect(preflight(.corsim, asked + ["x-other"]).status == 403)
    // flask-cors: the names both lists hold, sorted (flask_cors/core.py get_allow_headers).
    #expect(preflight(.flaskCors, asked + ["x-other"]).headers.get(.accessControlAllowHeaders)
              == asked.sorted().joined(separator: ", "))
    // Spring: the names both hold, in the order asked (CorsConfiguration.checkHeaders).
    #expect(preflight(.spring, ["x-other"] + asked).headers.get(.accessControlAllowHeaders) == asked.joined(separator: ", "))
    // Starlette: one name not listed fails the preflight with 400 (CORSMiddleware.preflight_response).
    #expect(preflight(.starlette, asked).status == 200)
    #expect(preflight(.starlette, asked + ["x-other"]).status == 400)
  }

  @Test("flask-cors regex origins are re.match: anchored at the start only")
  func flaskPrefix() throws {
    let p = try preset(.flaskCors, #"{origins: ['https://app\.example\.com']}"#)
    #expect(ask(p, origin: "https://app.example.com.evil.test").headers.get(.accessControlAllowOrigin) != nil)
    #expect(ask(p, origin: "https://evil.test").headers.get(.accessControlAllowOrigin) == nil)
  }

  @Test("Vapor .originBased (the default) reflects null; Hummingbird's refuses it")
  func nullHandling() throws {
    #expect(ask(try preset(.vapor), origin: "null").headers.get(.accessControlAllowOrigin) == "null")
    #expect(ask(try preset(.hummingbird), origin: "null").headers.get(.accessControlAllowOrigin) == nil)
    #expect(ask(try preset(.hummingbird), origin: "https://x.test").headers.get(.accessControlAllowOrigin) == "https://x.test")
  }

  @Test("Vapor answers a preflight 200 with its lists and cacheExpiration 600; Hummingbird 204")
  func preflights() throws {
    let acrm: HeaderList = ["Access-Control-Request-Method": "PUT"]
    let vapor = ask(try preset(.vapor), "OPTIONS", origin: "https://a.test", acrm)
    #expect(vapor.status == 200)
    #expect(vapor.headers.get(.accessControlAllowMethods) == "GET, POST, PUT, OPTIONS, DELETE, PATCH")
    #expect(vapor.headers.get(.accessControlMaxAge) == "600")
    #expect(ask(try preset(.hummingbird), "OPTIONS", origin: "https://a.test", acrm).status == 204)
  }

  @Test("rs/cors: `*` with AllowCredentials sends `*` and `true`; globs match prefix and suffix")
  func rsCors() throws {
    let all = ask(try preset(.rsCors, #"{AllowedOrigins: ["*"], AllowCredentials: true}"#), origin: "https://a.test")
    #expect(all.headers.get(.accessControlAllowOrigin) == "*")
    #expect(all.headers.get(.accessControlAllowCredentials) == "true")
    let glob = try preset(.rsCors, #"{AllowedOrigins: ["https://*.example.com"]}"#)
    #expect(ask(glob, origin: "https://a.example.com").headers.get(.accessControlAllowOrigin) == "https://a.example.com")
    #expect(ask(glob, origin: "https://evil.test/.example.com").headers.get(.accessControlAllowOrigin) != nil)
    #expect(ask(glob, origin: "https://evilexample.com").headers.get(.accessControlAllowOrigin) == nil)
  }

  @Test("expressjs/cors: a string origin is sent whatever the request; allowedHeaders unset reflects the preflight's")
  func express() throws {
    let fixed = try preset(.expressCors, "{origin: 'https://app.example.com'}")
    #expect(ask(fixed, origin: "https://evil.test").headers.get(.accessControlAllowOrigin) == "https://app.example.com")
    let reflect = ask(try preset(.expressCors), "OPTIONS", origin: "https://a.test",
                      [("Access-Control-Request-Method", "PUT"), ("Access-Control-Request-Headers", "x-anything")])
    #expect(reflect.headers.get(.accessControlAllowHeaders) == "x-anything")
    #expect(reflect.status == 204)
    let regex = try preset(.expressCors, #"{origin: ['/\.example\.com$/']}"#)
    #expect(ask(regex, origin: "https://a.example.com").headers.get(.accessControlAllowOrigin) == "https://a.example.com")
  }
}

@Suite("Policy files")
struct PolicyFileTests {
  @Test("YAML and JSON read the same policy")
  func yamlAndJSON() throws {
    let yaml = try PolicyDocument(text: """
      resource: https://api.example.com/data
      origins: [https://app.example.com, "https://*.example.com", "/^https://x\\\\.test$/"]
      credentials: true
      methods: [GET, PUT]
      maxAge: 600
      frontend:
        - { method: PUT, headers: { Content-Type: application/json }, credentials: include }
      """)
    let json = try PolicyDocument(text: #"""
      {"resource": "https://api.example.com/data", "origins": ["https://app.example.com", "https://*.example.com", "/^https://x\\.test$/"],
       "credentials": true, "methods": ["GET", "PUT"], "maxAge": 600,
       "frontend": [{"method": "PUT", "headers": {"Content-Type": "application/json"}, "credentials": "include"}]}
      """#)
    #expect(yaml == json)
    #expect(yaml.policy.origins == [.exact("https://app.example.com"), .subdomains(of: "https://example.com"), .regex("^https://x\\.test$", match: .whole)])
    #expect(yaml.frontend == [AuditRequest(method: .put, headers: ["Content-Type": "application/json"], credentials: .include)])
  }

  @Test("mistakes are named", arguments: [
    ("originz: []", "originz: unknown policy file option"),
    ("preset: django", "preset: unknown preset 'django'"),
    ("preset: vapor\norigins: [x]", "origins: belongs in `options:`"),
    ("preset: flask-cors\noptions: {origin: x}", "options.origin: unknown flask-cors option"),
    ("credentials: maybe", "credentials: expected true or false"),
  ])
  func errors(text: String, message: String) {
    #expect { try PolicyDocument(text: text) } throws: { ($0 as? PolicyFileError)?.message.contains(message) == true }
  }
}

@Suite("Which origins a browser can send")
struct FeasibilityTests {
  @Test("serialized origins only; null always; `*` in a host not from Chromium")
  func feasibility() {
    #expect(OriginFeasibility.canSend("https://app.example.com", engine: .chromium))
    #expect(OriginFeasibility.canSend("null", engine: .webkit))
    for never in ["https://APP.example.com", "https://app.example.com:443", "https://app.example.com/", "https://u@app.example.com",
                  "https://bücher.example", "ftp://a.example"] {
      #expect(!OriginFeasibility.canSend(never, engine: .firefox), "\(never)")
    }
    #expect(OriginFeasibility.canSend("https://app.example.com`.evil.test", engine: .webkit))
    #expect(OriginFeasibility.canSend("https://app.example.com*.evil.test", engine: .firefox))
    #expect(!OriginFeasibility.canSend("https://app.example.com*.evil.test", engine: .chromium))
  }

  @Test("the generators cover the classes' inputs, never the allowlist itself")
  func generators() {
    let allowlist = Allowlist(entries: ["https://app.example.com", "https://*.example.com"])
    let origins = OriginGenerator.adversarial(around: allowlist)
    let byClass = Dictionary(grouping: origins, by: \.misconfiguration)
    for k in [1, 2, 3, 4, 5, 6, 7, 9, 11, 13] { #expect(byClass[k]?.isEmpty == false, "class \(k)") }
    #expect(origins.allSatisfy { !allowlist.contains($0.origin) })
    #expect(origins.map(\.origin).contains("https://app.example.com.evil.test"))
    #expect(origins.map(\.origin).contains("https://evilexample.com"))
    #expect(origins.map(\.origin).contains("https://xn--pp-6kc.example.com:8443") == false)
    #expect(origins.contains { $0.origin.hasPrefix("https://xn--") })
  }

  @Test("a regular expression's intended allowlist is read literally")
  func literalReading() {
    #expect(Allowlist(policy: CORSPolicy(origins: [.regex(#"^https://.*\.example\.com$"#)])).subdomainBases == ["https://example.com"])
    #expect(Allowlist(policy: CORSPolicy(origins: [.regex(#"https://app\.example\.com"#)])).exact == ["https://app.example.com"])
  }
}

@Suite("Counterexamples read as the scenario language writes them")
struct CounterexampleLabelTests {
  @Test("a trial's origin, request and engine print as `(\"https://evil.test\", GET credentials, chromium)`")
  func label() {
    #expect(String(describingForTest: ("https://evil.test", AuditRequest.credentialedGet, Engine.chromium))
              == #"("https://evil.test", GET credentials, chromium)"#)
    #expect(String(describingForTest: AuditRequest(method: .put, headers: ["Content-Type": "application/json"],
                                                   credentials: .omit, mode: .noCORS))
              == "PUT Content-Type: application/json no-cors")
  }
}
