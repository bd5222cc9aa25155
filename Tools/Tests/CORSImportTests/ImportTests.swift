import CORSImport
import CORSSession
import CORSSimulator
import Foundation
import Testing
@testable import CORSScenario

func fixture(_ name: String, _ file: String = #filePath) -> String {
  var url = URL(fileURLWithPath: file)
  for _ in 0..<3 { url.deleteLastPathComponent() }
  return (try? String(contentsOf: url.appendingPathComponent("Tests/Fixtures/imports/\(name)"), encoding: .utf8)) ?? ""
}

@Suite("Imports from the developer tools")
struct ImportTests {
  @Test("Chrome's Copy as cURL (bash), with $'…' quoting and -b cookies")
  func chromeCurl() throws {
    let r = try CurlImport.parse(fixture("chrome-copy-as-curl.txt"))
    #expect(r.page?.origin.serialization == "https://app.example")
    #expect(r.request.method == "PUT" && r.request.url == "https://api.example/items/7")
    #expect(r.request.credentials == "include")
    #expect(r.request.body?.text == #"{"name":"it's"}"#)
    #expect(r.request.headers.map(\.name) == ["accept", "content-type", "x-request-id"])
  }

  @Test("Firefox's Copy as cURL: one line, a Cookie header")
  func firefoxCurl() throws {
    let r = try CurlImport.parse(fixture("firefox-copy-as-curl.txt"))
    #expect(r.request.method == "PUT" && r.request.credentials == "include")
    #expect(r.request.headers.map(\.name) == ["Accept", "Content-Type", "X-Request-Id"])
    #expect(r.notes.contains { $0.contains("User-Agent") && $0.contains("Accept-Encoding") })
  }

  @Test("Chrome's and Firefox's Copy as fetch")
  func fetchCalls() throws {
    for name in ["chrome-copy-as-fetch.txt", "firefox-copy-as-fetch.txt"] {
      let text = fixture(name)
      #expect(FetchCallImport.looksLikeFetchCall(text) && FetchCallImport.isComplete(text), "\(name)")
      let r = try FetchCallImport.parse(text)
      #expect(r.request.method == "PUT" && r.request.credentials == "include" && r.request.mode == "cors", "\(name)")
      #expect(r.page?.url.href == "https://app.example/", "\(name)")
      #expect(r.request.body?.text == #"{"name":"x"}"#, "\(name)")
      #expect(r.request.headers.contains("x-request-id"), "\(name)")
      #expect(!r.request.headers.contains("sec-fetch-mode"), "\(name)")
    }
  }

  @Test("a Chrome HAR: cross-origin requests judged against the recorded responses and preflights")
  func chromeHAR() throws {
    let result = try HARImport.parse(fixture("chrome-export.har"))
    let d = result.document
    #expect(d.scenario.page?.url.href == "https://app.example/orders")
    #expect(d.scenario.steps.count == 2, "the same-origin fetch and the document are left out")
    let verdicts = ScenarioRunner.run(d.scenario, profile: .chromium)
    // PATCH is not in the recorded preflight's Allow-Methods.
    #expect(verdicts[0].reason == .methodNotAllowed)
    #expect(verdicts[0].stage == .preflight)
    // The XHR with cookies meets `*` with credentials.
    #expect(d.scenario.steps[1].request.api == .xhr)
    #expect(verdicts[1].reason == .wildcardWithCredentials)
    #expect(result.notes.contains { $0.contains("PATCH https://api.example/orders/9: the HAR recorded no response") })
  }

  @Test("a Chrome HAR's EventSource entry becomes an eventsource step: withCredentials from the cookies, no author headers")
  func eventSourceHAR() throws {
    let har = #"""
      {"log": {"version": "1.2", "pages": [{"id": "p", "title": "https://app.example/live"}], "entries": [
        {"_resourceType": "eventsource", "request": {"method": "GET", "url": "https://api.example/stream", "headers": [{"name": "Accept", "value": "text/event-stream"}, {"name": "Cache-Control", "value": "no-cache"}, {"name": "Origin", "value": "https://app.example"}], "cookies": [{"name": "sid", "value": "1"}]},
         "response": {"status": 200, "headers": [{"name": "Content-Type", "value": "text/event-stream"}, {"name": "Access-Control-Allow-Origin", "value": "*"}]}}]}}
      """#
    let d = try HARImport.parse(har).document
    let request = try #require(d.scenario.steps.first?.request)
    #expect(request.api == .eventSource)
    #expect(request.credentials == .include)
    #expect(request.headers.isEmpty)
    #expect(ScenarioRunner.run(d.scenario, profile: .chromium)[0].reason == .wildcardWithCredentials)
  }

  @Test("a Chrome HAR's WebSocket entries become websocket steps: a 101 taken by the browser opens, a 403 is the server's refusal")
  func webSocketHAR() throws {
    let har = #"""
      {"log": {"version": "1.2", "pages": [{"id": "p", "title": "https://app.example/chat"}], "entries": [
        {"_resourceType": "websocket", "request": {"method": "GET", "url": "wss://api.example/live", "headers": [{"name": "Origin", "value": "https://app.example"}, {"name": "Upgrade", "value": "websocket"}, {"name": "Sec-WebSocket-Key", "value": "AQIDBAUGBwgJCgsMDQ4PEC=="}, {"name": "Sec-WebSocket-Protocol", "value": "chat, v2"}]},
         "response": {"status": 101, "headers": [{"name": "Upgrade", "value": "websocket"}, {"name": "Connection", "value": "Upgrade"}, {"name": "Sec-WebSocket-Accept", "value": "bm90IHRoZSBzYW1wbGUga2V5"}, {"name": "Sec-WebSocket-Protocol", "value": "v2"}]}},
        {"_resourceType": "websocket", "request": {"method": "GET", "url": "wss://api.example/admin", "headers": [{"name": "Origin", "value": "https://app.example"}]},
         "response": {"status": 403, "headers": []}}]}}
      """#
    let result = try HARImport.parse(har)
    let steps = result.document.scenario.steps.map(\.request)
    #expect(steps.map(\.api) == [.websocket, .websocket])
    #expect(steps[0].protocols == ["chat", "v2"] && steps[0].headers.isEmpty)
    let verdicts = ScenarioRunner.run(result.document.scenario, profile: .chromium)
    #expect(verdicts[0].outcome == .readable && verdicts[0].status == 101)
    #expect(verdicts[1].reason == .webSocketStatusNot101)
    #expect(result.notes.contains { $0.contains("Sec-WebSocket-Accept answered the browser's key") })
  }

  @Test("a Chrome HAR's beacon (_resourceType ping) becomes a beacon step with its data and type")
  func beaconHAR() throws {
    let har = #"""
      {"log": {"version": "1.2", "pages": [{"id": "p", "title": "https://app.example/shop"}], "entries": [
        {"_resourceType": "ping", "request": {"method": "POST", "url": "https://stats.example/collect", "headers": [{"name": "Content-Type", "value": "application/json"}, {"name": "Origin", "value": "https://app.example"}], "postData": {"mimeType": "application/json", "text": "{\"a\":1}"}},
         "response": {"status": 0, "headers": []}},
        {"_resourceType": "ping", "request": {"method": "POST", "url": "https://stats.example/hit", "headers": [{"name": "Content-Type", "value": "text/plain;charset=UTF-8"}, {"name": "Origin", "value": "https://app.example"}], "postData": {"mimeType": "text/plain", "text": "hello"}},
         "response": {"status": 204, "headers": []}}]}}
      """#
    let d = try HARImport.parse(har).document
    let steps = d.scenario.steps.map(\.request)
    #expect(steps.map(\.api) == [.beacon, .beacon])
    #expect(steps[0].body?.kind == .blob && steps[0].body?.blobType == "application/json")
    #expect(steps[1].body?.kind == .string && steps[1].body?.text == "hello")
    let verdicts = ScenarioRunner.run(d.scenario, profile: .chromium)
    #expect(verdicts[0].stage == .preflight)
    #expect(verdicts[1].outcome == .opaque)
  }

  @Test("a Firefox HAR: duplicated Allow-Origin lines are kept")
  func firefoxHAR() throws {
    let d = try HARImport.parse(fixture("firefox-export.har")).document
    let v = ScenarioRunner.run(d.scenario, profile: .firefox)
    #expect(v.first?.reason == .multipleAllowOrigin)
  }

  @Test("bad material gets a clear error", arguments: [
    ("curl", "the curl command has no URL"),
    ("curl 'https://a.example", "never closed"),
    ("curl ^\"https://a.example/^\" -H ^\"x: 1^\"", "Copy as cURL (bash)"),
  ])
  func badCurl(text: String, fragment: String) {
    do { _ = try CurlImport.parse(text); Issue.record("parsed \(text)") } catch {
      #expect(error.message.contains(fragment), "\(error.message)")
    }
  }

  @Test("a HAR that is not JSON, or not a HAR")
  func badHAR() {
    for (text, fragment) in [("{not json", "not JSON: line 1, column 2"), ("{}", "no log.entries"),
                             (#"{"log": {"entries": []}}"#, "does not say which page")] {
      do { _ = try HARImport.parse(text); Issue.record("parsed \(text)") } catch {
        #expect(error.message.contains(fragment), "\(error.message)")
      }
    }
  }
}

@Suite("The REPL session, driven line by line")
struct SessionTests {
  func run(_ lines: [String], _ session: Session = Session()) -> String {
    var out = ""
    for line in lines {
      if case .text(let t) = session.evaluate(line) { out += t }
    }
    return out + session.finish()
  }

  @Test("a request block shows its verdict when it closes; a route change shows how it moves")
  func verdicts() {
    let out = run([
      "page https://app.example", "fetch https://api.example/data credentials=include", "",
      "route https://api.example/data", "  Access-Control-Allow-Origin: https://app.example",
      "  Access-Control-Allow-Credentials: true", "",
    ])
    #expect(out.contains("[1] ✗ BLOCKED"))
    #expect(out.contains("now [1] READABLE cors 200  (was BLOCKED at response: missing-allow-origin)"))
  }

  @Test("load image shows its verdict at once, and the session's load FILE still works")
  func elementLoad() {
    let s = Session()
    let out = run(["page https://app.example", "load image https://cdn.example/cat.png crossorigin"], s)
    #expect(out.contains("[1] ✗ BLOCKED"))
    #expect(out.contains("element <img> fires error"))
    #expect(s.completions(line: "load ", cursor: 5).contains("image"))
    #expect(s.completions(line: "load image https://x.example/ cross", cursor: 35) == ["crossorigin", "crossorigin="])
    let missing = run(["load /nonexistent/file.cors"], s)
    #expect(missing.contains("error") || missing.contains("cannot"))
  }

  @Test("a bad line is an error and changes nothing")
  func badLine() {
    let s = Session()
    _ = run(["page https://app.example"], s)
    let before = s.document
    let out = run(["route GET http://[::1", "fetch https://x.example/ mode=\"no-cors"], s)
    #expect(out.contains("error"))
    #expect(s.document == before)
  }

  @Test("a multi-line curl paste becomes a request")
  func curlPaste() {
    let out = run(fixture("chrome-copy-as-curl.txt").split(separator: "\n").map(String.init))
    #expect(out.contains("added: fetch PUT https://api.example/items/7 credentials=include"))
    #expect(out.contains("[1] ✗ BLOCKED"))
  }

  @Test("compare and what-if")
  func compareAndWhatIf() {
    let s = Session()
    _ = run(["page https://app.example", "route https://api.example/data", "  Access-Control-Allow-Origin: *",
             "  Access-Control-Allow-Headers: *", "", "fetch https://api.example/data", "  Authorization: Bearer t", ""], s)
    let compared = run(["compare"], s)
    #expect(compared.contains("differs from the standard: chromium, firefox, webkit"))
    let whatIf = run(["what-if browser spec"], s)
    #expect(whatIf.contains("after   BLOCKED (spec) preflight: authorization-not-covered-by-wildcard"))
  }

  @Test("save and load round-trip through a file")
  func saveLoad() throws {
    let dir = FileManager.default.temporaryDirectory.path
    let name = "corsim-session-\(UUID().uuidString).cors"
    defer { try? FileManager.default.removeItem(atPath: dir + "/" + name) }
    let s = Session(workingDirectory: dir)
    _ = run(["page https://app.example sandboxed", "route OPTIONS https://api.example/x 204", "  Access-Control-Allow-Origin: null",
             "", "layer cdn", "  add Vary: Origin", "", "wait 2", "fetch PUT https://api.example/x body='a b'", "  X-A: 1", "",
             "save \(name)"], s)
    let t = Session(workingDirectory: dir)
    _ = run(["load \(name)"], t)
    #expect(t.document.scenario == s.document.scenario)
  }

  @Test("completion offers commands, options and header names")
  func completion() {
    let s = Session()
    #expect(s.completions(line: "fe", cursor: 2) == ["fetch"])
    #expect(s.completions(line: "fetch PUT https://x/ credentials=in", cursor: 35) == ["credentials=include"])
    #expect(s.completions(line: "browser f", cursor: 9) == ["firefox"])
    _ = s.evaluate("page https://app.example")
    _ = s.evaluate("route https://api.example/x")
    #expect(s.completions(line: "Access-Control-Allow-O", cursor: 22) == ["Access-Control-Allow-Origin:"])
  }
}
