// GettingStarted.md's samples, in the article's order (each builds on the one before), between `// sample
// begin` and `// sample end`; the expectations after each check what its comments say.
import CORSHTTPTypes
import CORSSimulator
import HTTPTypes
import Testing

@Suite("The getting-started article's samples run and say what their comments say")
struct GettingStartedSampleTests {
  @Test("describe, ask, read the answer, element loads, the cache, swift-http-types")
  func article() throws {
    // sample begin
    let page = try Page("https://app.example/index.html")
    let server = Server(
      routes: [
        try Route(method: .options, url: "https://api.example/data", status: 204, headers: [
          "Access-Control-Allow-Origin": "https://app.example",
          "Access-Control-Allow-Methods": "PUT",
          "Access-Control-Allow-Headers": "content-type",
        ]),
        try Route(url: "https://api.example/data", headers: ["Access-Control-Allow-Origin": "https://app.example"]),
      ],
      layers: [
        Layer(name: "cdn", operations: [.add("Access-Control-Allow-Origin", "*")]),
      ])
    // sample end
    #expect(server.routes.count == 2 && server.layers.count == 1)
    // sample begin
    var sim = Simulator(profile: .chromium, page: page, server: server)
    let verdict = sim.fetch(ScriptRequest(
      url: "https://api.example/data", method: .put,
      headers: ["Content-Type": "application/json"], body: "{}"))

    let outcome = verdict.outcome            // .networkError: the CDN adds a second Allow-Origin line
    let stage = verdict.stage                // .preflight
    let reason = verdict.reason              // .multipleAllowOrigin
    let setBy = verdict.failure?.detail.setBy  // ["app", "cdn"]: where the fix goes
    let message = verdict.consoleMessage     // Chromium's own words
    let fix = verdict.fix?.summary           // which header, on which response, set by which layer
    // sample end
    #expect(outcome == .networkError && stage == .preflight && reason == .multipleAllowOrigin)
    #expect(setBy == ["app", "cdn"])
    #expect(message?.contains("multiple values") == true)
    #expect(fix?.contains("cdn") == true)
    // sample begin
    let typo = sim.fetch(ScriptRequest(url: "https://api.example/data", credentials: "yes"))
    let refused = typo.outcome  // .invalid
    let why = typo.reason       // .webidlConversionFailed: "TypeError: … is not a valid value" in Chromium
    // sample end
    #expect(refused == .invalid && why == .webidlConversionFailed)
    // sample begin
    switch verdict.result {
    case .readable(let response):  // type basic or cors, status, exposed header names
      print(response.status, response.exposedHeaders)
    case .opaque(let type):        // opaque or opaqueredirect: status 0, no headers
      print(type)
    case .networkError(let failure), .invalid(let failure):
      print(failure.stage, failure.reason, failure.detail.url)
    }
    // sample end

    // sample begin
    let image = sim.fetch(.load(.image, "https://cdn.example/cat.png"))
    let shown = image.outcome         // .opaque: no crossorigin, so it shows but taints a canvas
    let event = image.elementEvent    // "load"
    let checked = sim.fetch(.load(.image, "https://cdn.example/cat.png", crossOrigin: .anonymous))
    let effect = checked.elementEffect  // "<img> fires load; CORS-same-origin…": the CDN layer sends `*`
    // sample end
    #expect(shown == .opaque && event == "load")
    #expect(effect?.hasPrefix("<img> fires load; CORS-same-origin") == true)
    // sample begin
    var live = Simulator(profile: .firefox, page: page, server: Server(routes: [
      try Route(url: "https://api.example/stream", headers: ["Content-Type": "text/plain", "Access-Control-Allow-Origin": "*"]),
    ]))
    let stream = live.fetch(ScriptRequest(api: .eventSource, url: "https://api.example/stream"))
    let fired = stream.eventSourceEvent  // "error": CORS passed, but the type is not text/event-stream
    var json = ScriptRequest(api: .beacon, url: "https://api.example/stream")
    json.body = RequestBody(kind: .blob, text: "{}", blobType: "application/json")
    let beacon = live.fetch(json)
    let sent = beacon.requests.map(\.method)  // [.options]: the preflight meets `*`, refused with credentials
    let returned = beacon.beaconReturns       // true: the page never learns that nothing was posted
    // sample end
    #expect(fired == "error" && stream.reason == .eventSourceNotEventStream)
    #expect(sent == [.options] && beacon.reason == .wildcardWithCredentials && returned == true)
    // sample begin
    let chunk = live.fetch(ScriptRequest(api: .dynamicImport, url: "https://api.example/stream"))
    let settled = chunk.scriptLoadEvent  // "rejected": text/plain is no JavaScript MIME type
    var chromium = Simulator(profile: .chromium, page: page, server: Server(routes: []))
    let worker = chromium.fetch(ScriptRequest(api: .worker, url: "https://api.example/worker.js"))
    let thrown = worker.scriptLoadEvent  // "throws": Chromium's constructor throws a SecurityError
    // sample end
    #expect(settled == "rejected" && chunk.reason == .moduleNotJavaScript)
    #expect(thrown == "throws" && worker.reason == .workerCrossOrigin && worker.requests.isEmpty)
    // sample begin
    var socket = ScriptRequest(api: .websocket, url: "wss://api.example/live")
    socket.protocols = ["chat"]
    let handshake = chromium.fetch(socket)
    let socketEvent = handshake.pageEvent  // "error": answered 404, not 101 (the server's call, not CORS)
    let form = chromium.fetch(ScriptRequest(api: .form, url: "https://api.example/data", method: .post))
    let origin = form.requests.first?.value(of: .origin)  // "https://app.example", and the page navigates
    // sample end
    #expect(socketEvent == "error" && handshake.reason == .webSocketStatusNot101 && !handshake.isCORSProblem)
    #expect(origin == "https://app.example" && form.pageEvent == "navigates" && form.requests.count == 1)
    // sample begin
    var direct = Simulator(profile: .chromium, page: page, server: Server(routes: server.routes))
    let put = ScriptRequest(url: "https://api.example/data", method: .put)
    let first = direct.fetch(put)   // OPTIONS, then PUT
    direct.advance(by: 4)
    let second = direct.fetch(put)  // PUT only: cached for the default 5 s
    direct.advance(by: 2)
    let third = direct.fetch(put)   // OPTIONS again: expired
    // sample end
    #expect(first.requests.map(\.method) == [.options, .put])
    #expect(second.requests.map(\.method) == [.put])
    #expect(third.requests.map(\.method) == [.options, .put])
    // sample begin
    let middleware = Responder(name: "middleware") { (request: HTTPRequest) -> (HTTPResponse, String?)? in
      guard let origin = request.headerFields[.origin], origin.hasSuffix(".example") else { return nil }
      return (HTTPResponse(status: .ok, headerFields: [.accessControlAllowOrigin: origin, .vary: "Origin"]), nil)
    }
    // sample end
    let asked = ServerRequest(method: .get, url: try URLRecord("https://api.example/data"),
                              headers: ["Origin": "https://app.example"], isPreflight: false, includesCredentials: false)
    #expect(middleware(asked)?.headers.get(.accessControlAllowOrigin) == "https://app.example")
    var other = asked
    other.headers = ["Origin": "https://evil.test"]
    #expect(middleware(other) == nil)
  }
}
