import Testing
@testable import CORSSimulator

@Suite("Navigations and forms: html browsing-the-web.html#navigate, form-control-infrastructure.html#form-submission-algorithm")
struct NavigationTests {
  func form(_ method: Method, _ url: String, enctype: FormEnctype? = nil, data: String? = nil) -> ScriptRequest {
    var r = ScriptRequest(api: .form, url: url, method: method)
    r.enctype = enctype
    r.body = data.map { RequestBody(text: $0) }
    return r
  }

  @Test("a navigation to another origin navigates without any CORS header: GET, no Origin, tainting basic", arguments: Engine.allWithSpec)
  func navigation(engine: Engine) {
    var s = simulator(.forEngine(engine), routes: [route(url: "https://other.example/landing", [("Content-Type", "text/html")])])
    let v = s.fetch(ScriptRequest(api: .navigate, url: "https://other.example/landing"))
    #expect(v.outcome == .readable && v.responseType == .basic && v.pageEvent == "navigates")
    #expect(v.requests.count == 1 && v.requests[0].value(of: "Origin") == nil && v.requests[0].includesCredentials)
    #expect(v.notes.contains(.navigationRequest) && v.requestMode == .navigate)
    #expect(v.consoleMessages.isEmpty)
  }

  @Test("a form POST is never preflighted, carries Origin, and its enctype is the Content-Type", arguments: Engine.allWithSpec)
  func formPost(engine: Engine) {
    var s = simulator(.forEngine(engine), routes: [route(method: .post, url: "https://api.example/orders", [])])
    let v = s.fetch(form(.post, "https://api.example/orders", enctype: .textPlain, data: "a=1"))
    #expect(v.outcome == .readable && v.requests.map(\.method) == [.post])
    #expect(v.requests[0].value(of: "Origin") == "https://app.example")
    #expect(v.requests[0].value(of: "Content-Type") == "text/plain")
    #expect(v.notes.contains(.formSubmission))
  }

  @Test("a form GET replaces the action's query by its entries and sends no Origin")
  func formGet() {
    var s = simulator(routes: [route(url: "https://search.example/find?q=cors", [])])
    let v = s.fetch(form(.get, "https://search.example/find?old=1", data: "q=cors"))
    #expect(v.requests.map(\.url.href) == ["https://search.example/find?q=cors"])
    #expect(v.status == 200 && v.requests[0].value(of: "Origin") == nil)
  }

  @Test("a navigation answered 403 still navigates; a failed connection is an error page, not CORS")
  func statuses() {
    var s = simulator(routes: [
      route(url: "https://other.example/private", status: 403, []),
      try! Route(url: "https://down.example/", networkFailure: true),
    ])
    #expect(s.fetch(ScriptRequest(api: .navigate, url: "https://other.example/private")).status == 403)
    let down = s.fetch(ScriptRequest(api: .navigate, url: "https://down.example/"))
    #expect(down.reason == .requestFailed && down.pageEvent == "error page" && !down.isCORSProblem)
  }

  @Test("a navigation from an https page to http is no mixed content (a top-level navigation)")
  func topLevelHTTP() {
    var s = simulator(routes: [route(url: "http://legacy.example/", [])])
    #expect(s.fetch(ScriptRequest(api: .navigate, url: "http://legacy.example/")).outcome == .readable)
  }

  @Test("WebKit's Origin after a same-origin 303 is a fetch's quirk: a navigation's GET has none")
  func webKitRedirect() {
    var s = simulator(.webkit, routes: [
      route(method: .post, url: "https://shop.example/checkout", status: 303, [("Location", "https://shop.example/done")]),
      route(method: .get, url: "https://shop.example/done", []),
    ])
    let v = s.fetch(form(.post, "https://shop.example/checkout"))
    #expect(v.requests.map { $0.value(of: "Origin") } == ["https://app.example", nil])
  }
}

@Suite("WebSocket: websockets #dom-websocket-websocket, #concept-websocket-establish, RFC 6455 §4.1")
struct WebSocketTests {
  static let handshake: [(String, String)] = [
    ("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", WebSocketSampleKey.acceptValue),
  ]

  func socket(_ url: String, protocols: [String]? = nil) -> ScriptRequest {
    var r = ScriptRequest(api: .websocket, url: url)
    r.protocols = protocols
    return r
  }

  @Test("the handshake is a GET to the https URL with Origin and credentials, no CORS check; 101 opens it", arguments: Engine.allWithSpec)
  func opens(engine: Engine) {
    var s = simulator(.forEngine(engine), routes: [route(url: "https://api.example/socket", status: 101, Self.handshake)])
    let v = s.fetch(socket("wss://api.example/socket"))
    #expect(v.outcome == .readable && v.status == 101 && v.pageEvent == "open")
    let sent = v.requests[0]
    #expect(sent.url.href == "https://api.example/socket" && sent.value(of: "Origin") == "https://app.example")
    #expect(sent.value(of: "Upgrade") == "websocket" && sent.value(of: "Sec-WebSocket-Key") == WebSocketSampleKey.key)
    #expect(sent.includesCredentials && v.requestMode == .websocket)
    #expect(v.notes.contains(.webSocketRequest) && v.notes.contains(.webSocketOpened))
  }

  @Test("a refusal, a plain 200 with CORS headers, a wrong or missing accept, a missing Upgrade fail the connection",
        arguments: [
          (403, [("Access-Control-Allow-Origin", "*")], FailureReason.webSocketStatusNot101),
          (200, [("Access-Control-Allow-Origin", "https://app.example"), ("Access-Control-Allow-Credentials", "true")], .webSocketStatusNot101),
          (101, [("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", "d3Jvbmc=")], .webSocketAcceptInvalid),
          (101, [("Upgrade", "websocket"), ("Connection", "Upgrade")], .webSocketAcceptInvalid),
          (101, [("Connection", "Upgrade"), ("Sec-WebSocket-Accept", WebSocketSampleKey.acceptValue)], .webSocketUpgradeInvalid),
          (101, [("Upgrade", "websocket"), ("Connection", "keep-alive"), ("Sec-WebSocket-Accept", WebSocketSampleKey.acceptValue)], .webSocketUpgradeInvalid),
        ] as [(Int, [(String, String)], FailureReason)])
  func fails(status: Int, headers: [(String, String)], reason: FailureReason) {
    var s = simulator(routes: [route(url: "https://api.example/socket", status: status, headers)])
    let v = s.fetch(socket("wss://api.example/socket"))
    #expect(v.reason == reason && v.stage == .response && !v.isCORSProblem && v.pageEvent == "error")
    #expect(v.fix?.summary.contains("WebSocket has no CORS") == true, "\(v.fix?.summary ?? "")")
  }

  @Test("subprotocols: none chosen fails in the standard and Chromium, opens in Firefox and WebKit; one not asked for fails everywhere")
  func protocols() {
    let none = [route(url: "https://api.example/socket", status: 101, Self.handshake)]
    let other = [route(url: "https://api.example/socket", status: 101, Self.handshake + [("Sec-WebSocket-Protocol", "v9")])]
    for engine in Engine.allWithSpec {
      var a = simulator(.forEngine(engine), routes: none)
      let v = a.fetch(socket("wss://api.example/socket", protocols: ["chat"]))
      #expect((v.reason == .webSocketProtocolMismatch) == (engine == .spec || engine == .chromium), "\(engine)")
      #expect(v.requests.first?.value(of: "Sec-WebSocket-Protocol") == "chat")
      var b = simulator(.forEngine(engine), routes: other)
      #expect(b.fetch(socket("wss://api.example/socket", protocols: ["v1"])).reason == .webSocketProtocolMismatch)
    }
  }

  @Test("the constructor throws a SyntaxError for another scheme, a fragment, a repeated protocol; http(s) is mapped to ws(s)")
  func constructor() {
    var s = simulator(routes: [route(url: "https://api.example/socket", status: 101, Self.handshake)])
    #expect(s.fetch(socket("ftp://api.example/socket")).reason == .webSocketSchemeInvalid)
    #expect(s.fetch(socket("wss://api.example/socket#x")).reason == .webSocketURLHasFragment)
    let repeated = s.fetch(socket("wss://api.example/socket", protocols: ["a", "a"]))
    #expect(repeated.reason == .webSocketProtocolInvalid && repeated.failure?.detail.value == "SyntaxError")
    #expect(s.fetch(socket("https://api.example/socket")).outcome == .readable)
    #expect(s.fetch(socket("/socket")).requests.first?.url.href == "https://app.example/socket")
  }

  @Test("ws: from an https page: a SecurityError in Chromium and Firefox, mixed content in the standard and WebKit")
  func insecure() {
    for engine in Engine.allWithSpec {
      var s = simulator(.forEngine(engine), routes: [])
      let v = s.fetch(socket("ws://api.example/socket"))
      let throwsFirst = engine == .chromium || engine == .firefox
      #expect(v.reason == (throwsFirst ? .webSocketInsecureFromSecure : .mixedContentBlocked), "\(engine)")
      #expect(v.requests.isEmpty)
    }
  }

  @Test("a redirected handshake fails (redirect mode error) but in WebKit, which follows it with Origin and opens on 101")
  func redirects() {
    let routes = [
      route(url: "https://api.example/socket", status: 307, [("Location", "https://api.example/v2/socket")]),
      route(url: "https://api.example/v2/socket", status: 101, Self.handshake),
    ]
    for engine in Engine.allWithSpec {
      var s = simulator(.forEngine(engine), routes: routes)
      let v = s.fetch(socket("wss://api.example/socket"))
      if engine == .webkit {
        #expect(v.outcome == .readable && v.requests.map { $0.value(of: "Origin") } == ["https://app.example", "https://app.example"])
      } else {
        #expect(v.reason == .redirectModeError && v.requests.count == 1, "\(engine)")
      }
    }
  }

  @Test("fetch() refuses mode websocket (not a WebIDL RequestMode); a 101 to a fetch is a network error")
  func fetchSide() {
    var s = simulator(routes: [route(url: "https://api.example/socket", status: 101, Self.handshake + [acao])])
    #expect(s.fetch(ScriptRequest(url: "https://api.example/socket", mode: "websocket")).reason == .webidlConversionFailed)
    #expect(s.fetch(ScriptRequest(url: "https://api.example/socket")).reason == .requestFailed)
  }

  @Test("Chromium's, Firefox's and WebKit's lines for a refused handshake, with the ws URL")
  func lines() {
    let routes = [route(url: "https://api.example/socket", status: 403, [])]
    func line(_ p: BrowserProfile) -> String? {
      var s = simulator(p, routes: routes)
      return s.fetch(socket("wss://api.example/socket")).consoleMessage
    }
    #expect(line(.chromium) == "WebSocket connection to 'wss://api.example/socket' failed: Error during WebSocket handshake: Unexpected response code: 403")
    #expect(line(.firefox) == "Firefox can’t establish a connection to the server at wss://api.example/socket.")
    #expect(line(.webkit) == "WebSocket connection to 'wss://api.example/socket' failed: The server did not accept the WebSocket handshake.")
  }
}
