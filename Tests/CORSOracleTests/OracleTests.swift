import Testing
import CORSJSON
import CORSScenario
import CORSSimulator
@testable import CORSOracle

@Suite("corsim oracle: the public JSON contract")
struct OracleTests {
  let oracle = Oracle()

  func answer(_ line: String) throws -> JSONValue {
    try JSONParser.parse(oracle.answer(line: line, lineNumber: 7))
  }

  @Test("a scenario answers with id, browser and one result per step")
  func result() throws {
    let line = #"{"id": "x", "browser": "firefox", "page": "http://app.test:8080/", "steps": [{"url": "http://api.test:8080/data"}], "server": [{"method": "*", "url": "http://api.test:8080/data", "status": 200, "headers": [["Access-Control-Allow-Origin", "*"], ["X-A", "1"]]}]}"#
    let r = try answer(line)
    #expect(r["id"] == .string("x"))
    #expect(r["browser"] == .string("firefox"))
    guard case .array(let steps) = r["steps"], case .object(let step) = steps[0] else {
      Issue.record("no steps"); return
    }
    #expect(step.map(\.0) == ["outcome", "responseType", "status", "exposedHeaders", "stage", "reason", "message", "messages", "requests"])
    #expect(steps[0]["outcome"] == .string("readable"))
    #expect(steps[0]["exposedHeaders"] == .array([]))
  }

  @Test("an answer's bytes: members in contract order, strings escaped as the JSON writer does, the id as it came")
  func exactBytes() throws {
    let line = #"{"id": {"n": [1.5, "a\"b"]}, "browser": "webkit", "page": "https://app.test/", "steps": [{"url": "https://api.test/x?q=%22"}], "server": [{"method": "GET", "url": "https://api.test/x?q=%22", "status": 204, "headers": [["Access-Control-Allow-Origin", "https://app.test"], ["Access-Control-Expose-Headers", "X-\u00e9"]]}]}"#
    let expected = #"{"id": {"n": [1.5, "a\"b"]}, "browser": "webkit", "steps": [{"outcome": "readable", "responseType": "cors", "status": 204, "exposedHeaders": [], "stage": null, "reason": null, "message": null, "messages": [], "requests": [{"method": "GET", "url": "https://api.test/x?q=%22", "headers": [["origin", "https://app.test"]]}]}]}"#
    #expect(oracle.answer(line: line, lineNumber: 1) == expected)
    #expect(OracleOutput.errorLine(id: .string("a\"\n"), message: "bad\t\u{1}") == #"{"id": "a\"\n", "error": "bad\t\u0001"}"#)
  }

  @Test("bad lines answer an error naming the place, and keep the id", arguments: [
    (#"{"id": 1, "page": "http://a.test/", "steps": [{"url": "http://b.test/", "mdoe": "cors"}]}"#, "steps[0].mdoe: unknown field (did you mean \"mode\"?)"),
    (#"{"id": 2, "page": "nope", "steps": [{"url": "http://b.test/"}]}"#, "page: 'nope' is not a valid URL"),
    (#"{"id": 3, "page": "http://a.test/", "steps": []}"#, "steps: needs at least one request"),
    (#"{"id": 4, "page": "http://a.test/", "steps": [{"url": "http://b.test/", "headers": [["X"]]}]}"#, "steps[0].headers[0]: expected [name, value]"),
    (#"{"id": 5, "page": "http://a.test/", "request": {"url": "http://b.test/"}, "server": [{"url": "http://b.test/", "status": 42}]}"#, "server[0].status"),
    (#"{"id": 6, "page": "http://a.test/", "request": {"api": "xhr", "url": "http://b.test/", "mode": "no-cors"}}"#, "is a fetch() option"),
    (#"{"id": 7, "browser": "safari", "page": "http://a.test/", "request": {"url": "http://b.test/"}}"#, "browser: 'safari'"),
    (#"{"id": 8, "page": "http://a.test/", "request": {"url": "http://b.test/"}, "server": [{"url": "http://b.test/", "headers": [["X", "a\r\nB: c"]]}]}"#, "CR, LF or NUL"),
  ])
  func errors(line: String, fragment: String) throws {
    let r = try answer(line)
    guard case .string(let message) = r["error"] else { Issue.record("no error in \(r)"); return }
    #expect(message.contains(fragment), "\(message)")
    #expect(message.hasPrefix("input line 7"))
    #expect(r["id"] != nil && r["id"] != .null)
  }

  @Test("a line that is not JSON answers with a null id and the position")
  func notJSON() throws {
    let r = try answer("{not json")
    #expect(r["id"] == .null)
    if case .string(let m) = r["error"] { #expect(m.contains("line 1, column 2")) } else { Issue.record("no error") }
  }

  @Test("a blank line is answered with an error, so that a client waiting for an answer gets one", arguments: ["", "   ", "\t\r"])
  func blank(line: String) throws {
    let r = try JSONParser.parse(oracle.answer(line: line, lineNumber: 4))
    #expect(r["id"] == .null)
    #expect(r["error"] == .string("input line 4: a blank line, not a scenario"))
  }

  @Test("a line that is not UTF-8 is answered with the byte offset of the first bad byte, not read with replacements")
  func invalidUTF8() throws {
    let good = Array(#"{"id": "é", "page": "https://a.example/", "request": {"url": "https://b.example/"}}"#.utf8)
    var bad = good
    bad.insert(0xFF, at: 6)
    let r = try JSONParser.parse(oracle.answer(utf8: bad, lineNumber: 2))
    #expect(r["id"] == .null)
    #expect(r["error"] == .string("input line 2 is not UTF-8: byte offset 6 (0xFF) does not start or continue a UTF-8 sequence"))
    // A truncated sequence (the first byte of é alone, at offset 8) and an overlong encoding of '/'.
    let truncated = Array(good[0..<9]) + Array(good[10...])
    #expect(try JSONParser.parse(oracle.answer(utf8: truncated, lineNumber: 1))["error"]
              == .string("input line 1 is not UTF-8: byte offset 8 (0xC3) does not start or continue a UTF-8 sequence"))
    #expect(try JSONParser.parse(oracle.answer(utf8: [0x7B, 0xC0, 0xAF, 0x7D], lineNumber: 1))["error"]
              == .string("input line 1 is not UTF-8: byte offset 1 (0xC0) does not start or continue a UTF-8 sequence"))
    #expect(try JSONParser.parse(oracle.answer(utf8: good, lineNumber: 1))["id"] == .string("é"))
    // The answer as bytes (what `corsim oracle` writes) is the answer's text, byte for byte, an error line's too;
    // with the explanations, whose text is not all ASCII, too.
    for line in [good, bad, truncated, Array("   ".utf8), Array("{".utf8)] {
      for o in [oracle, Oracle(explain: true)] {
        #expect(o.answerBytes(utf8: line, lineNumber: 3) == Array(o.answer(utf8: line, lineNumber: 3).utf8))
        #expect(o.answerBytes(utf8: line[...], lineNumber: 3) == Array(o.answer(utf8: line, lineNumber: 3).utf8))
        // The answer read in place, from the bytes or from the line's text, is the same bytes.
        #expect(o.answerLine(utf8: line, lineNumber: 3).bytes == Array(o.answer(utf8: line, lineNumber: 3).utf8))
        if let text = String(validating: line, as: UTF8.self) {
          #expect(o.answerLine(text, lineNumber: 3).bytes == Array(o.answer(line: text, lineNumber: 3).utf8))
        }
      }
    }
    #expect(OracleAnswer(text: "{\"id\": \"é\"}").bytes == Array("{\"id\": \"é\"}".utf8))
    // A line's text: what validating its bytes gives, a non-ASCII or invalid byte at every place of lines of 0 to 70
    // bytes (the ASCII test reads 32, then 8 bytes at a time).
    for length in 0...70 {
      for k in -1..<length {
        for odd: [UInt8] in [[0xC3, 0xA9], [0xFF], [0x80], [0x7F]] {
          var bytes = Array(repeating: UInt8(ascii: "a"), count: length)
          if k >= 0 { bytes.replaceSubrange(k..<min(k + odd.count, length), with: odd) }
          let text = bytes.withUnsafeBufferPointer { Oracle.text(ofLine: $0) }
          #expect(text == String(validating: bytes, as: UTF8.self), "\(bytes)")
        }
      }
    }
  }
}

@Suite("corsim oracle: element loads")
struct OracleElementTests {
  let oracle = Oracle()

  func answer(_ line: String) throws -> JSONValue {
    try JSONParser.parse(oracle.answer(line: line, lineNumber: 3))
  }

  @Test("an element step: destination, crossorigin, module; the page's integrityPolicy")
  func decode() throws {
    let line = #"{"id": "e", "browser": "chromium", "page": "https://app.test/", "integrityPolicy": "blocked-destinations=(script)", "steps": [{"api": "element", "destination": "image", "url": "https://cdn.test/c.png", "crossorigin": "anonymous"}, {"api": "element", "destination": "script", "module": true, "url": "https://app.test/m.js"}], "server": [{"url": "https://cdn.test/c.png", "headers": [["Access-Control-Allow-Origin", "*"]]}, {"url": "https://app.test/m.js", "headers": [["Content-Type", "text/javascript"]]}]}"#
    let r = try answer(line)
    guard case .array(let steps) = r["steps"] else { Issue.record("no steps in \(r)"); return }
    #expect(steps[0]["outcome"] == .string("readable"))
    #expect(steps[0]["responseType"] == .string("cors"))
    #expect(steps[1]["reason"] == .string("integrity-policy-blocked"))
    let decoded = try OracleInput.decode(try JSONParser.parse(line))
    let exported = OracleExport.encode(decoded.scenario, id: .string("e"), browser: .chromium)
    #expect(try OracleInput.decode(exported).scenario == decoded.scenario)
  }

  @Test("a route whose URL has credentials answers the request without them, and its export plays the same (found by FuzzScenario)")
  func routeURLWithCredentials() throws {
    let text = """
      page https://app.example/index.html

      route OPTIONS https://user:pw@api.example/data?page=1 204
        Access-Control-Allow-Origin: https://app.example/other
      route PUT https://api.example/data?page=1
        Access-Control-Allow-Origin: https://app.example

      fetch PUT https://api.example/data?page=1
      """
    let scenario = try ScenarioBuilder.parse(text).scenario
    // The route is found through its credentials: the preflight's Allow-Origin is the one at fault.
    #expect(scenario.server.respond(method: "OPTIONS", url: try URLRecord("https://user:pw@api.example/data?page=1")).status == 204)
    let exported = OracleExport.encode(scenario, id: .string("c"), browser: .chromium)
    let decoded = try OracleInput.decode(exported)
    for engine in Engine.allCases {
      let direct = ScenarioRunner.run(scenario, profile: .forEngine(engine), trace: false)
      let played = ScenarioRunner.run(decoded.scenario, profile: .forEngine(engine), trace: false)
      #expect(direct.map(\.reason) == [.allowOriginMismatch], "\(engine)")
      #expect(played.map(\.reason) == direct.map(\.reason), "\(engine)")
      #expect(played.map(\.requests) == direct.map(\.requests), "\(engine)")
    }
  }

  @Test("an EventSource step: open or error, withCredentials as credentials; export reads back")
  func eventSource() throws {
    let line = #"{"id": "s", "browser": "firefox", "page": "https://app.test/", "steps": [{"api": "eventsource", "url": "https://api.test/s"}, {"api": "eventsource", "url": "https://api.test/s", "credentials": "include"}, {"api": "eventsource", "url": "https://api.test/j"}], "server": [{"url": "https://api.test/s", "headers": [["Content-Type", "text/event-stream"], ["Access-Control-Allow-Origin", "*"]]}, {"url": "https://api.test/j", "headers": [["Content-Type", "application/json"], ["Access-Control-Allow-Origin", "*"]]}]}"#
    let r = try answer(line)
    guard case .array(let steps) = r["steps"] else { Issue.record("no steps in \(r)"); return }
    #expect(steps[0]["outcome"] == .string("readable"))
    #expect(steps[0]["responseType"] == .string("cors"))
    #expect(steps[1]["reason"] == .string("wildcard-with-credentials"))
    #expect(steps[2]["reason"] == .string("eventsource-not-event-stream"))
    #expect(steps[2]["stage"] == .string("response"))
    let decoded = try OracleInput.decode(try JSONParser.parse(line))
    #expect(decoded.scenario.steps.map(\.request.api) == [.eventSource, .eventSource, .eventSource])
    let exported = OracleExport.encode(decoded.scenario, id: .string("s"), browser: .firefox)
    #expect(try OracleInput.decode(exported).scenario == decoded.scenario)
  }

  @Test("a beacon step: no-cors data is sent, a JSON Blob is preflighted; export reads back")
  func beacon() throws {
    let line = #"{"id": "b", "browser": "webkit", "page": "https://app.test/", "steps": [{"api": "beacon", "url": "https://s.test/c", "body": "x"}, {"api": "beacon", "url": "https://s.test/c", "body": "{}", "bodyType": "blob", "blobType": "application/json"}, {"api": "beacon", "url": "ftp://s.test/c"}], "server": [{"method": "POST", "url": "https://s.test/c", "status": 204}]}"#
    let r = try answer(line)
    guard case .array(let steps) = r["steps"] else { Issue.record("no steps in \(r)"); return }
    #expect(steps[0]["outcome"] == .string("opaque"))
    #expect(steps[1]["stage"] == .string("preflight"))
    #expect(steps[2]["reason"] == .string("beacon-url-not-http"))
    #expect(steps[2]["outcome"] == .string("invalid"))
    let decoded = try OracleInput.decode(try JSONParser.parse(line))
    let exported = OracleExport.encode(decoded.scenario, id: .string("b"), browser: .webkit)
    #expect(try OracleInput.decode(exported).scenario == decoded.scenario)
  }

  @Test("import and worker steps: api import, worker, sharedworker (workerType); export reads back")
  func importAndWorkers() throws {
    let line = #"{"id": "w", "browser": "chromium", "page": "https://app.test/", "steps": [{"api": "import", "url": "https://cdn.test/m.js"}, {"api": "worker", "url": "https://cdn.test/w.js", "workerType": "module"}, {"api": "sharedworker", "url": "/s.js"}], "server": [{"method": "GET", "url": "https://cdn.test/m.js", "status": 200, "headers": [["Content-Type", "text/javascript"]]}, {"method": "GET", "url": "https://app.test/s.js", "status": 200, "headers": [["Content-Type", "text/javascript"]]}]}"#
    let r = try answer(line)
    guard case .array(let steps) = r["steps"] else { Issue.record("no steps in \(r)"); return }
    #expect(steps[0]["reason"] == .string("missing-allow-origin"))
    #expect(steps[1]["outcome"] == .string("invalid"))
    #expect(steps[1]["reason"] == .string("worker-cross-origin"))
    #expect(steps[2]["outcome"] == .string("readable"))
    let decoded = try OracleInput.decode(try JSONParser.parse(line))
    #expect(decoded.scenario.steps[1].request.workerType == .module)
    let exported = OracleExport.encode(decoded.scenario, id: .string("w"), browser: .chromium)
    #expect(try OracleInput.decode(exported).scenario == decoded.scenario)
  }

  @Test("preload steps: api preload (as, crossorigin); a later fetch() uses it; event; export reads back")
  func preload() throws {
    let line = #"{"id": "p", "browser": "firefox", "page": "https://app.test/", "steps": [{"api": "preload", "url": "https://api.test/d", "as": "fetch", "crossorigin": ""}, {"url": "https://api.test/d"}, {"api": "preload", "url": "https://api.test/e", "as": "fetch", "crossorigin": "anonymous"}, {"url": "https://api.test/e"}], "server": [{"method": "GET", "url": "https://api.test/d", "status": 200, "headers": [["Access-Control-Allow-Origin", "*"]]}]}"#
    let r = try answer(line)
    guard case .array(let steps) = r["steps"] else { Issue.record("no steps in \(r)"); return }
    #expect(steps[0]["outcome"] == .string("readable") && steps[0]["event"] == .string("load"))
    #expect(steps[1]["outcome"] == .string("readable") && steps[1]["requests"] == .array([]))
    #expect(steps[1]["event"] == nil)
    // A failed CORS check: Firefox's link fires load all the same; the fetch() fails without a request.
    #expect(steps[2]["reason"] == .string("missing-allow-origin") && steps[2]["event"] == .string("load"))
    #expect(steps[3]["reason"] == .string("missing-allow-origin") && steps[3]["requests"] == .array([]))
    let decoded = try OracleInput.decode(try JSONParser.parse(line))
    #expect(decoded.scenario.steps[0].request.preloadAs == .fetch && decoded.scenario.steps[0].request.crossOrigin == "")
    let exported = OracleExport.encode(decoded.scenario, id: .string("p"), browser: .firefox)
    #expect(try OracleInput.decode(exported).scenario == decoded.scenario)
  }

  @Test("navigate, form and websocket steps (target, enctype, protocols; status 101 routes); export reads back")
  func navigationsAndWebSockets() throws {
    let line = #"{"id": "n", "browser": "firefox", "page": "https://app.test/", "steps": [{"api": "navigate", "url": "https://other.test/", "target": "_blank"}, {"api": "form", "method": "post", "url": "https://bank.test/t", "enctype": "text/plain", "body": "a=1"}, {"api": "websocket", "url": "wss://api.test/s", "protocols": ["chat"]}], "server": [{"url": "https://other.test/"}, {"method": "POST", "url": "https://bank.test/t"}, {"url": "https://api.test/s", "status": 101, "headers": [["Upgrade", "websocket"], ["Connection", "Upgrade"], ["Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="]]}]}"#
    let r = try answer(line)
    guard case .array(let steps) = r["steps"] else { Issue.record("no steps in \(r)"); return }
    #expect(steps.map { $0["outcome"] } == [.string("readable"), .string("readable"), .string("readable")])
    #expect(steps[2]["status"] == .number(101))
    let decoded = try OracleInput.decode(try JSONParser.parse(line))
    #expect(decoded.scenario.steps[1].request.method == .post && decoded.scenario.steps[2].request.protocols == ["chat"])
    let exported = OracleExport.encode(decoded.scenario, id: .string("n"), browser: .firefox)
    #expect(try OracleInput.decode(exported).scenario == decoded.scenario)
  }

  @Test("element fields are checked", arguments: [
    (#"{"page": "https://a.test/", "request": {"api": "element", "url": "https://b.test/"}}"#, "request.destination: is required"),
    (#"{"page": "https://a.test/", "request": {"api": "element", "destination": "track", "url": "https://b.test/"}}"#, "'track' is not one of image, script, style, font, audio, video"),
    (#"{"page": "https://a.test/", "request": {"api": "element", "destination": "image", "url": "https://b.test/", "method": "POST"}}"#, "request.method: is not an element load's field"),
    (#"{"page": "https://a.test/", "request": {"api": "element", "destination": "font", "url": "https://b.test/", "crossorigin": ""}}"#, "no crossorigin attribute"),
    (#"{"page": "https://a.test/", "request": {"api": "element", "destination": "image", "module": true, "url": "https://b.test/"}}"#, "only a script can be a module"),
    (#"{"page": "https://a.test/", "request": {"url": "https://b.test/", "crossorigin": "anonymous"}}"#, "request.crossorigin: is an element load's field"),
    (#"{"page": "https://a.test/", "request": {"api": "preload", "url": "https://b.test/"}}"#, "request.as: is required for a preload"),
    (#"{"page": "https://a.test/", "request": {"api": "preload", "url": "https://b.test/", "as": "image"}}"#, "request.as: 'image' is not fetch, script, style or font"),
    (#"{"page": "https://a.test/", "request": {"api": "preload", "url": "https://b.test/", "as": "fetch", "credentials": "include"}}"#, "request.credentials: is not a preload link's field"),
    (#"{"page": "https://a.test/", "request": {"url": "https://b.test/", "as": "fetch"}}"#, "request.as: is a preload link's field"),
    (#"{"page": "https://a.test/", "request": {"api": "img", "url": "https://b.test/"}}"#, "'img' is not fetch, xhr, element, eventsource, beacon, import, worker, sharedworker, preload, navigate, form or websocket"),
    (#"{"page": "https://a.test/", "request": {"api": "worker", "url": "https://b.test/", "workerType": "shared"}}"#, "request.workerType: 'shared' is not classic or module"),
    (#"{"page": "https://a.test/", "request": {"api": "form", "method": "PUT", "url": "https://b.test/"}}"#, "request.method: a form's method is GET or POST, not 'PUT'"),
    (#"{"page": "https://a.test/", "request": {"api": "form", "url": "https://b.test/", "enctype": "json"}}"#, "request.enctype: 'json' is not one of"),
    (#"{"page": "https://a.test/", "request": {"api": "navigate", "url": "https://b.test/", "headers": [["X", "1"]]}}"#, "request.headers: is not an option here; a navigation takes a URL and target"),
    (#"{"page": "https://a.test/", "request": {"url": "https://b.test/", "protocols": ["a"]}}"#, "request.protocols: is a WebSocket's field"),
    (#"{"page": "https://a.test/", "request": {"api": "websocket", "url": "wss://b.test/", "protocols": "a"}}"#, "request.protocols: must be an array of strings"),
    (#"{"page": "https://a.test/", "request": {"url": "https://b.test/", "target": "_blank"}}"#, "request.target: is a navigation's field"),
    (#"{"page": "https://a.test/", "request": {"api": "import", "url": "https://b.test/", "credentials": "include"}}"#, "request.credentials: is not an option here; import() takes a URL only"),
    (#"{"page": "https://a.test/", "request": {"url": "https://b.test/", "workerType": "module"}}"#, "request.workerType: is a worker's field"),
    (#"{"page": "https://a.test/", "request": {"api": "beacon", "url": "https://b.test/", "method": "PUT"}}"#, "request.method: is not a sendBeacon argument"),
    (#"{"page": "https://a.test/", "request": {"api": "beacon", "url": "https://b.test/", "credentials": "omit"}}"#, "request.credentials: is not a sendBeacon argument"),
    (#"{"page": "https://a.test/", "request": {"api": "eventsource", "url": "https://b.test/", "headers": [["X-A", "1"]]}}"#, "request.headers: is not an EventSource option"),
    (#"{"page": "https://a.test/", "request": {"api": "eventsource", "url": "https://b.test/", "credentials": "omit"}}"#, "EventSource has withCredentials only"),
    (#"{"page": "https://a.test/", "request": {"api": "eventsource", "url": "https://b.test/", "destination": "image"}}"#, "request.destination: is an element load's field"),
  ])
  func errors(line: String, fragment: String) throws {
    let r = try answer(line)
    guard case .string(let message) = r["error"] else { Issue.record("no error in \(r)"); return }
    #expect(message.contains(fragment), "\(message)")
  }
}
