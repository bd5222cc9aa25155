import Testing
@testable import CORSSimulator

@Suite("html: EventSource (server-sent-events.html#dom-eventsource)")
struct EventSourceTests {
  static let stream = "https://api.example/stream"

  func source(_ withCredentials: Bool = false, url: String = stream) -> ScriptRequest {
    var r = ScriptRequest(api: .eventSource, url: url)
    if withCredentials { r.credentials = .include }
    return r
  }

  @Test("the request: cors, same-origin or include credentials, Accept: text/event-stream, no-store, never preflighted")
  func request() throws {
    let page = try Page("https://app.example/")
    for (withCredentials, credentials) in [(false, CredentialsMode.sameOrigin), (true, .include)] {
      let run = FetchRun(owning: Simulator(profile: .spec, page: page), api: .eventSource)
      let r = try run.constructEventSourceRequest(source(withCredentials))
      #expect(r.mode == .cors)
      #expect(r.credentialsMode == credentials)
      #expect(r.method == "GET")
      #expect(r.cacheMode == .noStore)
      #expect(r.redirectMode == .follow)
      #expect(r.headerList.get(.accept) == "text/event-stream")
      #expect(!r.unsafeRequest)
      #expect(r.destination == .empty)
    }
  }

  @Test("withCredentials decides whether cookies go and whether * is enough", arguments: Engine.allWithSpec)
  func credentials(engine: Engine) {
    let wildcard = route(url: Self.stream, [("Content-Type", "text/event-stream"), ("Access-Control-Allow-Origin", "*")])
    var sim = simulator(.forEngine(engine), routes: [wildcard])
    let anonymous = sim.fetch(source())
    #expect(anonymous.outcome == .readable)
    #expect(anonymous.eventSourceEvent == "open")
    #expect(anonymous.requests.count == 1)
    #expect(anonymous.requests[0].includesCredentials == false)
    #expect(anonymous.requests[0].value(of: "Origin") == "https://app.example")
    let credentialed = sim.fetch(source(true))
    #expect(credentialed.reason == .wildcardWithCredentials)
    #expect(credentialed.eventSourceEvent == "error")
    #expect(credentialed.requests[0].includesCredentials)
  }

  @Test("a response that passed CORS opens the source only as 200 text/event-stream", arguments: [
    (200, "text/event-stream", nil as FailureReason?), (200, "text/event-stream; charset=utf-8", nil),
    (200, "TEXT/Event-Stream", nil), (200, "application/json", .eventSourceNotEventStream),
    (200, "", .eventSourceNotEventStream), (204, "text/event-stream", .eventSourceStatusNot200),
    (404, "text/event-stream", .eventSourceStatusNot200), (201, "text/plain", .eventSourceStatusNot200),
  ])
  func statusAndType(status: Int, type: String, reason: FailureReason?) {
    var headers = [("Access-Control-Allow-Origin", "*")]
    if !type.isEmpty { headers.append(("Content-Type", type)) }
    var sim = simulator(routes: [route(url: Self.stream, status: status, headers)])
    let v = sim.fetch(source())
    #expect(v.reason == reason)
    #expect(v.outcome == (reason == nil ? .readable : .networkError))
    if reason != nil {
      #expect(v.stage == .response)
      #expect(!v.isCORSProblem)
    }
  }

  @Test("the same rule for fetch() opens nothing: a JSON 404 is readable")
  func onlyEventSource() {
    var sim = simulator(routes: [route(url: Self.stream, status: 404, [("Access-Control-Allow-Origin", "*"), ("Content-Type", "application/json")])])
    #expect(sim.fetch(ScriptRequest(url: Self.stream)).outcome == .readable)
  }

  @Test("a URL that does not parse throws SyntaxError, with each engine's words")
  func badURL() {
    let expected: [Engine: String] = [
      .chromium: "SyntaxError: Failed to construct 'EventSource': Cannot open an EventSource to 'https://api.example:65536/stream'. The URL is invalid.",
      .firefox: "SyntaxError: An invalid or illegal string was specified",
      .webkit: "SyntaxError: The string did not match the expected pattern.",
    ]
    for engine in Engine.allCases {
      var sim = simulator(.forEngine(engine), routes: [])
      let v = sim.fetch(source(url: "https://api.example:65536/stream"))
      #expect(v.outcome == .invalid)
      #expect(v.reason == .urlParseFailed)
      #expect(v.requests.isEmpty)
      #expect(v.consoleMessage == expected[engine])
    }
  }

  @Test("console lines per engine for a CORS failure and for a refused response (as played)")
  func consoleLines() {
    let missing = route(url: Self.stream, [("Content-Type", "text/event-stream")])
    let json = route(url: Self.stream, [("Content-Type", "application/json"), ("Access-Control-Allow-Origin", "*")])
    func lines(_ engine: Engine, _ r: Route) -> [String] {
      var sim = simulator(.forEngine(engine), routes: [r])
      return sim.fetch(source()).consoleMessages
    }
    #expect(lines(.chromium, missing) == [
      "Access to resource at 'https://api.example/stream' from origin 'https://app.example' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
      "GET https://api.example/stream net::ERR_FAILED",
    ])
    #expect(lines(.firefox, missing) == [
      "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example/stream. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 200.",
      "Firefox can’t establish a connection to the server at https://api.example/stream.",
    ])
    #expect(lines(.webkit, missing) == [
      "Origin https://app.example is not allowed by Access-Control-Allow-Origin. Status code: 200",
      "EventSource cannot load https://api.example/stream due to access control checks.",
    ])
    let badType = "EventSource's response has a MIME type (\"application/json\") that is not \"text/event-stream\". Aborting the connection."
    #expect(lines(.chromium, json) == [badType])
    #expect(lines(.webkit, json) == [badType])
    #expect(lines(.firefox, json) == Array(repeating: "Firefox can’t establish a connection to the server at https://api.example/stream.", count: 2))
    var sim = simulator(.chromium, routes: [route(url: Self.stream, status: 404, [("Content-Type", "text/event-stream"), ("Access-Control-Allow-Origin", "*")])])
    let notFound = sim.fetch(source())
    #expect(notFound.consoleMessage == nil)
    #expect(notFound.consoleMessages == ["GET https://api.example/stream 404 (Not Found)"])
    #expect(notFound.scriptError == "error event (readyState CLOSED)")
  }

  @Test("the fix of a refused response serves 200 text/event-stream, and it works", arguments: [
    (204, [("Access-Control-Allow-Origin", "*"), ("Content-Type", "text/event-stream")]),
    (200, [("Access-Control-Allow-Origin", "*"), ("Content-Type", "text/html")]),
    (404, [("Access-Control-Allow-Origin", "*")]),
  ])
  func fix(status: Int, headers: [(String, String)]) throws {
    let server = Server(routes: [route(url: Self.stream, status: status, headers)])
    let sim = Simulator(profile: .chromium, page: try Page("https://app.example/index.html"), server: server)
    let fix = try #require(sim.fixes(for: source()).first { $0.side == .server && !$0.edits.isEmpty })
    var fixed = Simulator(profile: .chromium, page: try Page("https://app.example/index.html"),
                          server: server.applying(fix.serverEdits))
    #expect(fixed.fetch(source()).eventSourceEvent == "open")
  }
}
