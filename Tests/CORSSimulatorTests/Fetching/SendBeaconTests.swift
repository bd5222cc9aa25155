import Testing
@testable import CORSSimulator

@Suite("beacon: navigator.sendBeacon (w3c/beacon #sec-sendBeacon-method)")
struct SendBeaconTests {
  static let collect = "https://stats.example/collect"

  func beacon(_ body: RequestBody? = nil, url: String = collect) -> ScriptRequest {
    var r = ScriptRequest(api: .beacon, url: url)
    r.body = body
    return r
  }

  @Test("the request: POST, keepalive, credentials include; no-cors unless the data's type is not safelisted", arguments: [
    (nil as RequestBody?, RequestMode.noCORS, nil as String?),
    (RequestBody(text: "x"), .noCORS, "text/plain;charset=UTF-8"),
    (RequestBody(kind: .urlSearchParams, text: "a=1"), .noCORS, "application/x-www-form-urlencoded;charset=UTF-8"),
    (RequestBody(kind: .formData, text: "a=1"), .noCORS, "multipart/form-data; boundary=----corsimFormBoundary"),
    (RequestBody(kind: .blob, text: "{}", blobType: "text/plain"), .noCORS, "text/plain"),
    (RequestBody(kind: .blob, text: "{}", blobType: ""), .noCORS, nil),
    (RequestBody(kind: .arrayBuffer, text: "x"), .noCORS, nil),
    (RequestBody(kind: .blob, text: "{}", blobType: "application/json"), .cors, "application/json"),
  ])
  func request(body: RequestBody?, mode: RequestMode, type: String?) throws {
    let page = try Page("https://app.example/")
    let run = FetchRun(owning: Simulator(profile: .spec, page: page), api: .beacon)
    let r = try run.constructBeaconRequest(beacon(body))
    #expect(r.method == "POST")
    #expect(r.mode == mode)
    #expect(r.credentialsMode == .include)
    #expect(r.keepalive)
    #expect(r.headerList.get(.contentType) == type)
  }

  @Test("a JSON beacon is preflighted and credentialed: * is refused, the POST never goes out", arguments: Engine.allWithSpec)
  func jsonPreflight(engine: Engine) {
    let json = RequestBody(kind: .blob, text: "{}", blobType: "application/json")
    var sim = simulator(.forEngine(engine), routes: [
      route(method: .options, url: Self.collect, status: 204, [("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Headers", "*")]),
      route(method: .post, url: Self.collect, status: 204, [("Access-Control-Allow-Origin", "*")]),
    ])
    let v = sim.fetch(beacon(json))
    #expect(v.reason == .wildcardWithCredentials)
    #expect(v.stage == .preflight)
    #expect(v.requests.map(\.method) == ["OPTIONS"])
    #expect(v.requests[0].value(of: "Access-Control-Request-Headers") == "content-type")
    #expect(v.beaconReturns == true)
  }

  @Test("a string beacon is no-cors: sent with cookies and Origin, opaque whatever the server says")
  func noCORS() {
    var sim = simulator(routes: [route(method: .post, url: Self.collect, status: 500, [])])
    let v = sim.fetch(beacon("hello"))
    #expect(v.outcome == .opaque)
    #expect(v.requests.count == 1)
    #expect(v.requests[0].includesCredentials)
    #expect(v.requests[0].value(of: "Origin") == "https://app.example")
    #expect(v.beaconReturns == true)
  }

  @Test("what sendBeacon throws, per engine: a URL that does not parse, a scheme that is not http(s), a stream")
  func throwsPerEngine() {
    let expected: [Engine: [String?]] = [
      .chromium: ["TypeError: Failed to execute 'sendBeacon' on 'Navigator': The URL argument is ill-formed or unsupported.",
                  "TypeError: Failed to execute 'sendBeacon' on 'Navigator': Beacons are only supported over HTTP(S).",
                  "TypeError: Failed to execute 'sendBeacon' on 'Navigator': sendBeacon cannot have a ReadableStream body."],
      .firefox: ["TypeError: Navigator.sendBeacon: https://stats.example:65536/c is not a valid URL.",
                 "TypeError: Navigator.sendBeacon: Beacon URL ftp://stats.example/c must be either http:// or https://.",
                 nil],
      .webkit: ["TypeError: This URL is invalid", "TypeError: Beacons can only be sent over HTTP(S)",
                "TypeError: Beacons cannot send ReadableStream body"],
    ]
    for engine in Engine.allCases {
      var sim = simulator(.forEngine(engine), routes: [route(method: .post, url: Self.collect, status: 204, [])])
      let bad = sim.fetch(beacon("x", url: "https://stats.example:65536/c"))
      let ftp = sim.fetch(beacon("x", url: "ftp://stats.example/c"))
      let stream = sim.fetch(beacon(RequestBody(kind: .stream, text: "x")))
      #expect(bad.reason == .urlParseFailed && bad.outcome == .invalid)
      #expect(ftp.reason == .beaconURLNotHTTP && ftp.outcome == .invalid)
      #expect([bad.consoleMessage, ftp.consoleMessage, stream.consoleMessage] == expected[engine]!, "\(engine)")
      if engine == .firefox {
        // Observed(firefox): the stream is sent as the string "[object ReadableStream]".
        #expect(stream.outcome == .opaque)
        #expect(stream.requests.first?.value(of: "Content-Type") == "text/plain;charset=UTF-8")
      } else {
        #expect(stream.reason == .streamBodyInvalid && stream.outcome == .invalid)
      }
    }
  }

  @Test("over 64 KiB sendBeacon returns false and sends nothing, except in Firefox")
  func quota() {
    let big = RequestBody(text: String(repeating: "a", count: 65_537))
    for engine in Engine.allCases {
      var sim = simulator(.forEngine(engine), routes: [route(method: .post, url: Self.collect, status: 204, [])])
      let v = sim.fetch(beacon(big))
      if engine == .firefox {
        #expect(v.beaconReturns == true)
        #expect(v.requests.count == 1)
      } else {
        #expect(v.beaconReturns == false)
        #expect(v.reason == .keepaliveQuotaExceeded)
        #expect(v.requests.isEmpty)
      }
    }
    var sim = simulator(.webkit, routes: [])
    #expect(sim.fetch(beacon(big)).consoleMessages == ["Beacon API cannot load https://stats.example/collect. Reached maximum amount of queued data of 64Kb for keepalive requests"])
  }

  @Test("console lines of a refused JSON beacon (as played): Chromium's 'resource', WebKit's Beacon API line")
  func consoleLines() {
    let json = RequestBody(kind: .blob, text: "{}", blobType: "application/json")
    func lines(_ engine: Engine) -> [String] {
      var sim = simulator(.forEngine(engine), routes: [route(method: .options, url: Self.collect, status: 204, [])])
      return sim.fetch(beacon(json)).consoleMessages
    }
    #expect(lines(.chromium) == [
      "Access to resource at 'https://stats.example/collect' from origin 'https://app.example' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
      "POST https://stats.example/collect net::ERR_FAILED",
    ])
    #expect(lines(.webkit) == [
      "Origin https://app.example is not allowed by Access-Control-Allow-Origin. Status code: 204",
      "Beacon API cannot load https://stats.example/collect. Origin https://app.example is not allowed by Access-Control-Allow-Origin. Status code: 204",
    ])
  }

  @Test("the fix of a refused JSON beacon allows the exact origin with credentials, and it works")
  func fix() throws {
    let json = RequestBody(kind: .blob, text: "{}", blobType: "application/json")
    let server = Server(routes: [route(method: .options, url: Self.collect, status: 204, [("Access-Control-Allow-Origin", "*")]),
                                 route(method: .post, url: Self.collect, status: 204, [])])
    let page = try Page("https://app.example/index.html")
    let fix = try #require(Simulator(profile: .chromium, page: page, server: server).fixes(for: beacon(json))
      .first { $0.side == .server && !$0.edits.isEmpty })
    var fixed = Simulator(profile: .chromium, page: page, server: server.applying(fix.serverEdits))
    let v = fixed.fetch(beacon(json))
    #expect(v.outcome == .readable)
    #expect(v.requests.map(\.method) == ["OPTIONS", "POST"])
  }
}
