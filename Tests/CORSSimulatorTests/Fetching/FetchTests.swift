import Testing
@testable import CORSSimulator

/// A page at https://app.example and a server at https://api.example.
func simulator(_ profile: BrowserProfile = .spec, page: String = "https://app.example/index.html",
               routes: [Route]) -> Simulator {
  Simulator(profile: profile, page: try! Page(page), server: Server(routes: routes))
}

func route(method: Method? = nil, url: String = "https://api.example/data", status: Int = 200,
           _ headers: [(String, String)]) -> Route {
  try! Route(method: method, url: url, status: status, headers: HeaderList(pairs: headers))
}

let acao = ("Access-Control-Allow-Origin", "https://app.example")

@Suite("Fetch §4.10 CORS check (#concept-cors-check)")
struct CORSCheckTests {
  @Test("step 2: no Access-Control-Allow-Origin is a failure")
  func missing() {
    var sim = simulator(routes: [route([])])
    let v = sim.fetch(ScriptRequest(url: "https://api.example/data"))
    #expect(v.outcome == .networkError)
    #expect(v.reason == .missingAllowOrigin)
    #expect(v.stage == .response)
  }

  @Test("step 3: * passes without credentials")
  func wildcard() {
    var sim = simulator(routes: [route([("Access-Control-Allow-Origin", "*")])])
    let v = sim.fetch(ScriptRequest(url: "https://api.example/data"))
    #expect(v.outcome == .readable)
    #expect(v.responseType == .cors)
    #expect(v.requests.map { $0.value(of: "origin") } == ["https://app.example"])
  }

  @Test("step 4: the value is compared byte for byte", arguments: [
    "https://app.example/", "HTTPS://app.example", "https://app.example:443", "https://APP.example", "null",
  ])
  func exactMatch(value: String) {
    var sim = simulator(routes: [route([("Access-Control-Allow-Origin", value)])])
    #expect(sim.fetch(ScriptRequest(url: "https://api.example/data")).reason == .allowOriginMismatch)
  }

  @Test("steps 6–7: credentials need Access-Control-Allow-Credentials exactly true", arguments: [
    ("true", true), ("True", false), ("1", false),
  ])
  func credentials(value: String, ok: Bool) {
    var sim = simulator(routes: [route([acao, ("Access-Control-Allow-Credentials", value)])])
    let v = sim.fetch(ScriptRequest(url: "https://api.example/data", credentials: "include"))
    #expect((v.outcome == .readable) == ok)
    if !ok { #expect(v.reason == .missingAllowCredentials) }
  }

  @Test("two Allow-Origin lines: every profile refuses, each engine names it its way")
  func duplicateLines() {
    for profile in BrowserProfile.all {
      var sim = simulator(profile, routes: [route([acao, acao])])
      let v = sim.fetch(ScriptRequest(url: "https://api.example/data"))
      // The standard has one failure, a mismatch; the engines call it "multiple".
      #expect(v.reason == (profile.engine == .spec ? .allowOriginMismatch : .multipleAllowOrigin), "\(profile.engine)")
      // Each engine's own words (docs/reference/engine-differences.md §5.1.2, §5.2, §5.3); the spec profile's are
      // the standard's.
      let words = [Engine.chromium: "contains multiple values", .firefox: "Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed",
                   .webkit: "cannot contain more than one origin"]
      #expect(v.consoleMessage.map { message in words[profile.engine].map(message.contains) ?? true } == true,
              "\(profile.engine): \(v.consoleMessage ?? "none")")
    }
  }
}

@Suite("Fetch §4.8 CORS-preflight fetch and §4.9 the cache")
struct PreflightTests {
  let routes = [
    route(method: "OPTIONS", status: 204, [acao, ("Access-Control-Allow-Methods", "PUT"), ("Access-Control-Allow-Headers", "x-token"),
                            ("Access-Control-Max-Age", "600")]),
    route(status: 200, [acao]),
  ]

  @Test("#cors-preflight-fetch-0 steps 2–5: the exact OPTIONS request")
  func preflightRequest() {
    var sim = simulator(routes: routes)
    let v = sim.fetch(ScriptRequest(url: "https://api.example/data", method: "PUT",
                                    headers: [("X-Token", "1"), ("Accept", "*/*")]))
    #expect(v.outcome == .readable)
    #expect(v.requests.count == 2)
    let p = v.requests[0]
    #expect(p.method == "OPTIONS" && p.isPreflight && !p.includesCredentials)
    #expect(p.value(of: "Access-Control-Request-Method") == "PUT")
    #expect(p.value(of: "Access-Control-Request-Headers") == "x-token")
  }

  /// Whether a PUT preflighted with `Access-Control-Max-Age: maxAge` is still answered from the cache `after`
  /// seconds later.
  func cached(_ engine: Engine, maxAge: Int, after seconds: Double) -> Bool {
    let r = [route(method: "OPTIONS", status: 204, [acao, ("Access-Control-Allow-Methods", "PUT"), ("Access-Control-Max-Age", "\(maxAge)")]),
             route(status: 200, [acao])]
    var sim = simulator(.forEngine(engine), routes: r)
    let put = ScriptRequest(url: "https://api.example/data", method: "PUT")
    guard sim.fetch(put).requests.count == 2 else { return false }
    sim.advance(by: seconds)
    return sim.fetch(put).requests.count == 1
  }

  /// Each engine's cap on Access-Control-Max-Age (docs/reference/engine-differences.md §6 row 1); the standard
  /// leaves it to the browser, and the spec profile has none.
  static let caps: [(Engine, Int?)] = [(.chromium, 7200), (.firefox, 86400), (.webkit, 600), (.spec, nil)]

  @Test("the cache answers within max-age and expires after it; a max-age above the engine's cap lasts the cap",
        arguments: PreflightTests.caps)
  func cacheExpiry(engine: Engine, cap: Int?) {
    // Below every cap, max-age is kept as sent.
    #expect(cached(engine, maxAge: 300, after: 299), "\(engine) within max-age")
    #expect(!cached(engine, maxAge: 300, after: 301), "\(engine) after max-age")
    guard let cap else {
      // No cap: a day-long max-age is a day long.
      #expect(cached(engine, maxAge: 86400 * 10, after: 86400 * 10 - 1))
      #expect(!cached(engine, maxAge: 86400 * 10, after: 86400 * 10 + 1))
      return
    }
    // At the cap, the whole max-age; above it, the cap and not a second more.
    #expect(cached(engine, maxAge: cap, after: Double(cap - 1)), "\(engine): max-age \(cap) within")
    #expect(!cached(engine, maxAge: cap, after: Double(cap + 1)), "\(engine): max-age \(cap) after")
    #expect(cached(engine, maxAge: cap * 10, after: Double(cap - 1)), "\(engine): capped entry before the cap")
    #expect(!cached(engine, maxAge: cap * 10, after: Double(cap + 1)), "\(engine): the cap is \(cap) s")
  }

  @Test("Access-Control-Max-Age parsing differs: '+60', '-1', '1.5'", arguments: [
    ("+60", Engine.spec, false), ("+60", .chromium, true), ("+60", .webkit, true), ("+60", .firefox, false),
    ("1.5", .spec, false), ("1.5", .firefox, false),
  ])
  func maxAgeParsing(value: String, engine: Engine, cachedAt30s: Bool) {
    let r = [route(method: "OPTIONS", status: 204, [acao, ("Access-Control-Allow-Methods", "PUT"), ("Access-Control-Max-Age", value)]),
             route(status: 200, [acao])]
    var sim = simulator(.forEngine(engine), routes: r)
    let put = ScriptRequest(url: "https://api.example/data", method: "PUT")
    _ = sim.fetch(put)
    sim.advance(by: 30)
    #expect((sim.fetch(put).requests.count == 1) == cachedAt30s)
  }

  @Test("#cors-preflight-fetch-0 step 7.6: Authorization is never covered by * in the standard; engines allow it")
  func authorizationWildcard() {
    let r = [route(method: "OPTIONS", status: 204, [("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Headers", "*")]),
             route(status: 200, [("Access-Control-Allow-Origin", "*")])]
    for profile in BrowserProfile.all {
      var sim = simulator(profile, routes: r)
      let v = sim.fetch(ScriptRequest(url: "https://api.example/data", headers: [("Authorization", "Bearer x")]))
      if profile.engine == .spec {
        #expect(v.reason == .authorizationNotCoveredByWildcard)
      } else {
        #expect(v.outcome == .readable, "\(profile.engine)")
      }
    }
  }

  @Test("a preflight answered with 404 and no Allow-Origin: Chromium and Firefox report the origin, WebKit the status")
  func failureOrder() {
    for (profile, reason) in [(BrowserProfile.chromium, FailureReason.missingAllowOrigin), (.firefox, .missingAllowOrigin),
                              (.webkit, .preflightNotOK), (.spec, .missingAllowOrigin)] {
      var sim = simulator(profile, routes: [route(method: "PUT", status: 200, [acao])])
      let v = sim.fetch(ScriptRequest(url: "https://api.example/data", method: "PUT"))
      #expect(v.reason == reason, "\(profile.engine)")
      #expect(v.stage == .preflight)
    }
  }
}

@Suite("Fetch §4.5 HTTP-redirect fetch")
struct RedirectTests {
  @Test("#concept-request-tainted-origin: a redirect issued by another origin taints the origin")
  func taint() {
    var sim = simulator(routes: [
      route(url: "https://api.example/r", status: 302, [acao, ("Location", "https://other.example/data")]),
      route(url: "https://other.example/data", status: 200, [("Access-Control-Allow-Origin", "null")]),
    ])
    let v = sim.fetch(ScriptRequest(url: "https://api.example/r"))
    #expect(v.outcome == .readable)
    #expect(v.requests.map { $0.value(of: "origin") } == ["https://app.example", "null"])
  }

  @Test("step 7: the 21st redirect fails")
  func limit() {
    var routes: [Route] = []
    for i in 0..<25 { routes.append(route(url: "https://api.example/\(i)", status: 302, [acao, ("Location", "/\(i + 1)")])) }
    var sim = simulator(routes: routes)
    let v = sim.fetch(ScriptRequest(url: "https://api.example/0"))
    #expect(v.reason == .tooManyRedirects)
    #expect(v.requests.count == 21)
  }

  @Test("step 12: 301/302 turn POST into GET and drop the body headers")
  func methodRewrite() {
    var sim = simulator(routes: [
      route(url: "https://api.example/r", status: 302, [acao, ("Location", "https://api.example/data")]),
      route(url: "https://api.example/data", status: 200, [acao]),
    ])
    let v = sim.fetch(ScriptRequest(url: "https://api.example/r", method: "POST", body: RequestBody(text: "x")))
    #expect(v.requests.map(\.method) == ["POST", "GET"])
    #expect(v.requests[1].value(of: "content-type") == nil)
  }

  @Test("step 13: Authorization is dropped on a cross-origin hop, in every profile (Chromium 156 too)")
  func authorizationDropped() {
    let routes = [
      route(method: "OPTIONS", url: "https://api.example/r", status: 204, [acao, ("Access-Control-Allow-Headers", "authorization")]),
      route(url: "https://api.example/r", status: 307, [acao, ("Location", "https://other.example/data")]),
      route(method: "OPTIONS", url: "https://other.example/data", status: 204, [("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Headers", "authorization")]),
      route(url: "https://other.example/data", status: 200, [("Access-Control-Allow-Origin", "*")]),
    ]
    for profile in BrowserProfile.all {
      var sim = simulator(profile, routes: routes)
      let v = sim.fetch(ScriptRequest(url: "https://api.example/r", headers: [("Authorization", "t")]))
      let last = v.requests.last!
      #expect(last.value(of: "authorization") == nil, "\(profile.engine)")
      #expect(v.trace.contains { $0.event == .note(.redirectAuthorizationDropped) } || !sim.recordsTrace)
    }
  }
}

@Suite("Fetch §5.4 Request class and XHR: invalid requests never reach the network")
struct RequestConstructionTests {
  @Test("invalid requests", arguments: [
    (ScriptRequest(url: "https://api.example/data", method: "TRACE"), FailureReason.methodForbidden),
    (ScriptRequest(url: "https://api.example/data", body: RequestBody(text: "x")), .bodyWithGetOrHead),
    (ScriptRequest(url: "https://u:p@api.example/data"), .urlHasCredentials),
    (ScriptRequest(url: "https://api.example/data", mode: "navigate"), .modeNavigateForbidden),
    (ScriptRequest(url: "https://api.example/data", method: "PUT", mode: "no-cors"), .noCORSMethodNotSafelisted),
    (ScriptRequest(url: "https://api.example/data", headers: [("Bad Name", "1")]), .headerNameInvalid),
    (ScriptRequest(url: "https://api.example/data", headers: [("X", "a\u{0}b")]), .headerValueInvalid),
    (ScriptRequest(url: "https://api.example/data", mode: "nope"), .webidlConversionFailed),
    (ScriptRequest(url: "https://api.example/data", headers: [("X", "€")]), .webidlConversionFailed),
    (ScriptRequest(url: "http://[::1"), .urlParseFailed),
  ])
  func invalid(request: ScriptRequest, reason: FailureReason) {
    var sim = simulator(routes: [])
    let v = sim.fetch(request)
    #expect(v.outcome == .invalid)
    #expect(v.reason == reason)
    #expect(v.requests.isEmpty)
  }

  @Test("forbidden headers are dropped silently and noted")
  func forbiddenDropped() {
    var sim = simulator(routes: [route([acao])])
    let v = sim.fetch(ScriptRequest(url: "https://api.example/data", headers: [("Cookie", "a=b")]))
    #expect(v.outcome == .readable)
    #expect(v.notes.contains(.headerForbiddenDropped))
    #expect(v.requests[0].value(of: "cookie") == nil)
  }
}

@Suite("Mixed content and the other failures that are not CORS")
struct NotCORSTests {
  @Test("mix #should-block-fetch: an https page cannot fetch http; WebKit blocks loopback too")
  func mixedContent() {
    for profile in BrowserProfile.all {
      var sim = simulator(profile, routes: [route(url: "http://127.0.0.1:8080/data", status: 200, [("Access-Control-Allow-Origin", "*")]),
                                            route(url: "http://api.example/data", status: 200, [("Access-Control-Allow-Origin", "*")])])
      let loopback = sim.fetch(ScriptRequest(url: "http://127.0.0.1:8080/data"))
      #expect((loopback.reason == .mixedContentBlocked) == (profile.engine == .webkit), "\(profile.engine)")
      let remote = sim.fetch(ScriptRequest(url: "http://api.example/data"))
      #expect(remote.reason == .mixedContentBlocked)
      #expect(!remote.isCORSProblem)
      #expect(remote.stage == .mixedContent)
    }
  }

  @Test("#block-bad-port")
  func badPort() {
    var sim = simulator(routes: [])
    let v = sim.fetch(ScriptRequest(url: "https://api.example:6000/data"))
    #expect(v.reason == .badPort)
    #expect(!v.isCORSProblem)
  }
}
