import Foundation
import Testing
@testable import CORSSimulator

@Suite("The library's API: typed options, one header type, results as data")
struct APITests {
  let routes = [
    try! Route(method: .options, url: "https://api.example/data", status: 204,
               headers: ["Access-Control-Allow-Origin": "https://app.example", "Access-Control-Allow-Methods": "PUT",
                         "Access-Control-Allow-Headers": "content-type", "Access-Control-Allow-Credentials": "true"]),
    try! Route(url: "https://api.example/data",
               headers: ["Access-Control-Allow-Origin": "https://app.example", "Access-Control-Allow-Credentials": "true"]),
  ]

  func simulator(_ profile: BrowserProfile = .spec) -> Simulator {
    Simulator(profile: profile, page: try! Page("https://app.example"), server: Server(routes: routes))
  }

  @Test("typed options reach the engine: credentials .include sends cookies, .omit does not")
  func typedCredentials() {
    var sim = simulator()
    let included = sim.fetch(ScriptRequest(url: "https://api.example/data", method: .put,
                                           headers: ["Content-Type": "application/json"], credentials: .include,
                                           body: "{}"))
    #expect(included.outcome == .readable)
    #expect(included.requests.map(\.includesCredentials) == [false, true])
    sim.clearPreflightCache()
    let omitted = sim.fetch(ScriptRequest(url: "https://api.example/data", credentials: .omit))
    #expect(omitted.requests.map(\.includesCredentials) == [false])
  }

  @Test("a value the IDL does not know is carried as written and refused as the browser refuses it",
        arguments: [
          (ScriptRequest(url: "https://api.example/data", credentials: "yes"), "credentials: 'yes'"),
          (ScriptRequest(url: "https://api.example/data", mode: "CORS"), "mode: 'CORS'"),
          ({ var r = ScriptRequest(url: "https://api.example/data"); r.redirect = "never"; return r }(),
           "redirect: 'never'"),
          ({ var r = ScriptRequest(url: "https://api.example/data"); r.referrerPolicy = "none"; return r }(),
           "referrerPolicy: 'none'"),
        ])
  func invalidOption(request: ScriptRequest, parameter: String) {
    var sim = simulator(.chromium)
    let v = sim.fetch(request)
    #expect(v.reason == .webidlConversionFailed)
    #expect(v.failure?.detail.parameter == parameter)
    #expect(v.requests.isEmpty)
  }

  @Test("an XHR's withCredentials is .include; any other value is withCredentials false")
  func xhrCredentials() {
    var sim = simulator()
    let with = sim.fetch(ScriptRequest(api: .xhr, url: "https://api.example/data", credentials: .include))
    #expect(with.requests.map(\.includesCredentials) == [true])
    let without = sim.fetch(ScriptRequest(api: .xhr, url: "https://api.example/data", credentials: .sameOrigin))
    #expect(without.requests.map(\.includesCredentials) == [false])
  }

  @Test("a readable result carries the response and no failure; a failure carries no response")
  func resultPayloads() {
    var sim = simulator()
    let ok = sim.fetch(ScriptRequest(url: "https://api.example/data"))
    guard case .readable(let response) = ok.result else { Issue.record("not readable: \(ok.result)"); return }
    #expect(response == ReadableResponse(type: .cors, status: 200, exposedHeaders: []))
    #expect(ok.failure == nil && ok.reason == nil && ok.stage == nil)
    let bad = sim.fetch(ScriptRequest(url: "https://api.example/none"))
    guard case .networkError(let failure) = bad.result else { Issue.record("not a network error: \(bad.result)"); return }
    #expect(failure.reason == .missingAllowOrigin && failure.stage == .response)
    #expect(failure.detail.url.href == "https://api.example/none")
    #expect(bad.responseType == nil && bad.status == nil && bad.exposedHeaders == nil)
    let opaque = sim.fetch(ScriptRequest(url: "https://api.example/none", mode: .noCORS))
    #expect(opaque.result == .opaque(.opaque))
    #expect(opaque.status == 0)
    let thrown = sim.fetch(ScriptRequest(url: "https://api.example/data", method: "TRACE"))
    guard case .invalid(let exception) = thrown.result else { Issue.record("not invalid: \(thrown.result)"); return }
    #expect(exception.reason == .methodForbidden && exception.stage == .request)
  }

  @Test("verdicts, fixes and requests survive JSON: decoded equal to what was encoded")
  func codable() throws {
    var sim = simulator(.firefox)
    let requests: [ScriptRequest] = [
      ScriptRequest(url: "https://api.example/data", method: .put, headers: ["Content-Type": "application/json"],
                    credentials: .include, body: "{}"),
      ScriptRequest(url: "https://api.example/none"),
      ScriptRequest(url: "https://api.example/none", mode: .noCORS),
      ScriptRequest(url: "https://api.example/data", credentials: "yes"),
      .load(.image, "https://api.example/data", crossOrigin: .useCredentials),
    ]
    for request in requests {
      let decodedRequest = try JSONDecoder().decode(ScriptRequest.self, from: try JSONEncoder().encode(request))
      #expect(decodedRequest == request)
      let v = sim.fetch(request)
      let decoded = try JSONDecoder().decode(Verdict.self, from: try JSONEncoder().encode(v))
      #expect(decoded == v, "\(request.url)")
      #expect(decoded.trace.map(\.text) == v.trace.map(\.text))
      if let fix = v.fix { #expect(try JSONDecoder().decode(Fix.self, from: try JSONEncoder().encode(fix)) == fix) }
    }
  }

  @Test("a verdict's JSON names its outcome and reason by their codes")
  func codableShape() throws {
    var sim = simulator()
    let v = sim.fetch(ScriptRequest(url: "https://api.example/none"))
    let json = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(v)) as! [String: Any]
    let result = json["result"] as! [String: Any]
    #expect(result["outcome"] as? String == "network-error")
    #expect(result["reason"] as? String == "missing-allow-origin")
    #expect(result["stage"] as? String == "response")
    let trace = json["trace"] as! [[String: Any]]
    #expect(trace.map { $0["code"] as! String } == v.trace.map(\.event.code))
  }

  @Test("a trace code that is no reason, note or checkpoint does not decode")
  func unknownTraceCode() {
    #expect(TraceEvent(code: "no-such-code") == nil)
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(TraceEvent.self, from: Data(#""no-such-code""#.utf8)) }
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(URLRecord.self, from: Data(#""http://[::1""#.utf8)) }
  }

  @Test("failure codes, notes and checkpoints never share a string, and each code reads back as its event")
  func disjointCodes() {
    let codes = FailureReason.allCases.map(\.rawValue) + TraceNote.allCases.map(\.rawValue)
      + Checkpoint.allCases.map(\.rawValue)
    #expect(Set(codes).count == codes.count)
    for r in FailureReason.allCases { #expect(TraceEvent(code: r.rawValue) == .failure(r)) }
    for n in TraceNote.allCases { #expect(TraceEvent(code: n.rawValue) == .note(n)) }
    for c in Checkpoint.allCases { #expect(TraceEvent(code: c.rawValue) == .checkpoint(c)) }
  }

  @Test("the families: the six CORS-check codes, the API's exceptions, and stages that follow from them")
  func families() {
    #expect(FailureReason.allCases.filter(\.isCORSCheckFailure) == [
      .missingAllowOrigin, .multipleAllowOrigin, .invalidAllowOrigin, .allowOriginMismatch, .wildcardWithCredentials,
      .missingAllowCredentials,
    ])
    #expect(FailureReason.allCases.filter(\.isInvalidRequest).allSatisfy { $0.stages == [.request] && !$0.isCORS })
    #expect(FailureReason.mixedContentBlocked.stages == [.mixedContent])
    #expect(FailureReason.requestFailed.stages == [.scheme, .preflight])
    #expect(FailureReason.allCases.filter(\.isCORSCheckFailure).allSatisfy { $0.isCORS })
  }

  @Test("routes take a URL string and refuse one that does not parse, saying why")
  func routeURL() throws {
    let route = try Route(method: .options, url: "https://api.example/data#x", status: 204)
    #expect(route.url.hrefWithoutFragment == "https://api.example/data")
    #expect(route.method == .options)
    #expect(throws: URLParseError.self) { try Route(url: "not a url") }
    do {
      _ = try Route(url: "https://exa mple/")
      Issue.record("parsed")
    } catch {
      #expect(error.input == "https://exa mple/")
      #expect(!error.problem.isEmpty)
    }
  }

  @Test("Engine: allCases are the three engines; allWithSpec adds the standard; each prints its name")
  func engines() {
    #expect(Engine.allCases == [.chromium, .firefox, .webkit])
    #expect(Engine.allWithSpec == [.spec, .chromium, .firefox, .webkit])
    #expect("\(Engine.chromium)" == "chromium")
    #expect(String(describing: [Engine.webkit]) == "[webkit]")
    #expect(Engine(rawValue: "spec") == .spec)
    // Each name reads back as its engine (and decodes so); any other spelling names none. `Engine(rawValue:)` is
    // written out: the exhaustive switch makes a new engine fail to compile here until its name is checked too.
    func written(_ engine: Engine) -> String {
      switch engine {
      case .spec: return "spec"
      case .chromium: return "chromium"
      case .firefox: return "firefox"
      case .webkit: return "webkit"
      }
    }
    for engine in Engine.allWithSpec {
      #expect(engine.rawValue == written(engine))
      #expect(Engine(rawValue: written(engine)) == engine)
      #expect(Engine(rawValue: engine.description) == engine)
    }
    for other in ["Chromium", "chrome", "", "safari", "spec ", "webkit\u{0}"] {
      #expect(Engine(rawValue: other) == nil)
    }
  }
}

@Suite("HeaderList: the one header collection")
struct HeaderListLiteralTests {
  @Test("a dictionary literal keeps the order written; an array literal keeps repeated names")
  func literals() {
    let dict: HeaderList = ["B": "2", "A": "1", "C": "3"]
    #expect(dict.map(\.name.rawName) == ["B", "A", "C"])
    let pairs: HeaderList = [("X", "1"), ("x", "2")]
    #expect(pairs.count == 2)
    #expect(pairs.get("X") == "1, 2")
  }

  @Test("the subscript gets the combined value, sets one line, and removes with nil")
  func subscripts() {
    var h: HeaderList = [("Vary", "Origin"), ("Content-Type", "text/plain"), ("vary", "Accept")]
    #expect(h["VARY"] == "Origin, Accept")
    h["Vary"] = "*"
    #expect(h.count == 2 && h["vary"] == "*" && h[0].name.rawName == "Vary")
    h["Vary"] = nil
    #expect(h.count == 1 && h["Vary"] == nil)
    h["X-New"] = "1"
    #expect(h.last?.name.rawName == "X-New")
  }

  @Test("lines survive JSON with their names as written and who set them")
  func codable() throws {
    var h: HeaderList = ["Access-Control-Allow-Origin": "*"]
    h.append(HeaderField("access-control-allow-origin", "https://a.example", setBy: "cdn"))
    let decoded = try JSONDecoder().decode(HeaderList.self, from: try JSONEncoder().encode(h))
    #expect(decoded.fields.map(\.name.rawName) == ["Access-Control-Allow-Origin", "access-control-allow-origin"])
    #expect(decoded.fields.map(\.setBy) == [nil, "cdn"])
    #expect(decoded == h)
  }
}

@Suite("SmallSet: a list while small, a hash set when large")
struct SmallSetTests {
  @Test("membership and insertion agree with Set on both sides of the limit", arguments: [0, 1, 16, 17, 40])
  func agreesWithSet(count: Int) {
    let names = (0..<count).map { "n\($0 % max(1, count - 2))" }
    var small = SmallSet<String>()
    var reference = Set<String>()
    for n in names { #expect(small.insert(n) == reference.insert(n).inserted) }
    for probe in names + ["absent", "n999"] { #expect(small.contains(probe) == reference.contains(probe)) }
    let built = SmallSet(names)
    for probe in names + ["absent"] { #expect(built.contains(probe) == reference.contains(probe)) }
  }
}
