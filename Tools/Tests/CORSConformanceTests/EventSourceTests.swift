import CORSJSON
import CORSScenario
import CORSSimulator
import Foundation
import Testing

@testable import CORSConformance

@Suite struct EventSourceConformanceTests {
  @Test("EventSource steps are played: no skip, the URL moves under the prefix, the page opens an EventSource")
  func played() {
    let plan = ConformancePlan(jsonLines: """
      {"id": "s", "page": "https://app.test/", "steps": [{"api": "eventsource", "url": "https://api.test/stream", "credentials": "include"}], "server": [{"url": "https://api.test/stream", "headers": [["Content-Type", "text/event-stream"]]}]}
      """)
    let s = plan.scenarios[0]
    #expect(s.skipReason == nil)
    #expect(s.isEventSource(step: 0))
    #expect(s.steps[0]["url"] == .string("https://api.test/~corsim/0/stream"))
    #expect(s.steps[0]["credentials"] == .string("include"))
    let html = RunnerPage.html(for: s, settings: HarnessState.PageSettings(), file: false)
    #expect(html.contains("s.api === 'eventsource' ? playEventSource(s)"))
    #expect(html.contains("new EventSource(s.url, {withCredentials: s.credentials === 'include'})"))
  }

  @Test("EventSource results: open is readable, error keeps the readyState; never status or header names")
  func assemble() {
    let plan = ConformancePlan(jsonLines: """
      {"id": "s", "page": "https://app.test/", "steps": [{"api": "eventsource", "url": "https://app.test/a"}, {"api": "eventsource", "url": "https://api.test/b"}]}
      """)
    let a = ResultAssembler(plan: plan, engine: .chromium, runnerURLs: [:])
    let report = try! JSONParser.parse("""
      [{"outcome": "readable", "responseType": null, "status": 200, "exposedHeaders": []}, {"outcome": "network-error", "error": "error event", "readyState": 2}]
      """)
    let line = a.result(0, report: report, log: [], console: [:])
    guard case .array(let steps)? = line["steps"] else {
      Issue.record("no steps: \(JSONWriter.serialize(line))")
      return
    }
    #expect(steps[0]["responseType"] == .string("basic"))
    #expect(steps.allSatisfy { $0["status"] == .null && $0["exposedHeaders"] == .null && $0["api"] == .string("eventsource") })
    #expect(steps[0]["readyState"] == nil)
    #expect(steps[1]["readyState"] == .number(2))
  }

  @Test("EventSource steps compare outcome, response type and requests, never status or header names")
  func compare() throws {
    func line(_ text: String) throws -> [JSONValue] { try Comparison.load(text, name: "test") }
    let real = try line("""
      {"id": "a", "browser": "firefox", "steps": [{"outcome": "readable", "responseType": "cors", "status": null, "exposedHeaders": null, "api": "eventsource", "requests": []}]}
      {"id": "b", "browser": "firefox", "steps": [{"outcome": "network-error", "responseType": null, "status": null, "exposedHeaders": null, "api": "eventsource", "readyState": 2, "requests": []}]}
      """)
    let sim = try line("""
      {"id": "a", "steps": [{"outcome": "readable", "responseType": "cors", "status": 200, "exposedHeaders": ["content-type"], "requests": []}]}
      {"id": "b", "steps": [{"outcome": "readable", "responseType": "cors", "status": 200, "exposedHeaders": [], "requests": []}]}
      """)
    let c = Comparison(real: real, simulator: sim)
    #expect(c.tallies[0].agree == 1 && c.tallies[0].disagree == 1)
    #expect(c.differences.map { "\($0.id) \($0.field)" } == ["b outcome", "b responseType"])
  }

  @Test("beacon steps: the page calls sendBeacon and waits; results compare what it returned and the wire only")
  func beacon() throws {
    let plan = ConformancePlan(jsonLines: """
      {"id": "b", "page": "https://app.test/", "steps": [{"api": "beacon", "url": "https://s.test/c", "body": "{}", "bodyType": "blob", "blobType": "application/json"}, {"api": "beacon", "url": "https://s.test/c"}], "server": [{"method": "POST", "url": "https://s.test/c", "status": 204}]}
      """)
    let p = plan.scenarios[0]
    #expect(p.skipReason == nil && p.isBeacon(step: 0))
    #expect(p.method(step: 1) == "POST")
    let html = RunnerPage.html(for: p, settings: HarnessState.PageSettings(), file: false)
    #expect(html.contains("s.api === 'beacon' ? playBeacon(s)") && html.contains("navigator.sendBeacon(s.url, body)"))
    let a = ResultAssembler(plan: plan, engine: .webkit, runnerURLs: [:])
    let line = a.result(0, report: try JSONParser.parse(#"[{"outcome": "sent"}, {"outcome": "refused"}]"#), log: [], console: [:])
    guard case .array(let steps)? = line["steps"] else {
      Issue.record("no steps: \(JSONWriter.serialize(line))")
      return
    }
    #expect(steps.map { $0["outcome"] } == [.string("sent"), .string("refused")])
    #expect(steps.allSatisfy { $0["api"] == .string("beacon") && $0["status"] == .null && $0["responseType"] == .null })
    func lines(_ text: String) throws -> [JSONValue] { try Comparison.load(text, name: "test") }
    let real = try lines("""
      {"id": "a", "browser": "webkit", "steps": [{"outcome": "sent", "responseType": null, "status": null, "exposedHeaders": null, "api": "beacon", "requests": []}]}
      {"id": "b", "browser": "webkit", "steps": [{"outcome": "refused", "responseType": null, "status": null, "exposedHeaders": null, "api": "beacon", "requests": []}]}
      {"id": "c", "browser": "webkit", "steps": [{"outcome": "sent", "responseType": null, "status": null, "exposedHeaders": null, "api": "beacon", "requests": []}]}
      """)
    let sim = try lines("""
      {"id": "a", "steps": [{"outcome": "network-error", "reason": "missing-allow-origin", "responseType": null, "status": null, "exposedHeaders": null, "requests": []}]}
      {"id": "b", "steps": [{"outcome": "network-error", "reason": "keepalive-quota-exceeded", "responseType": null, "status": null, "exposedHeaders": null, "requests": []}]}
      {"id": "c", "steps": [{"outcome": "invalid", "reason": "url-parse-failed", "responseType": null, "status": null, "exposedHeaders": null, "requests": []}]}
      """)
    let c = Comparison(real: real, simulator: sim)
    #expect(c.differences.map { "\($0.id) \($0.field)" } == ["c outcome"])
  }

  @Test("import and worker steps: the page calls import() or constructs the worker; results compare the outcome and the wire only")
  func importAndWorkers() throws {
    let plan = ConformancePlan(jsonLines: """
      {"id": "w", "page": "https://app.test/", "steps": [{"api": "import", "url": "https://cdn.test/m.js"}, {"api": "worker", "url": "https://cdn.test/w.js", "workerType": "module"}, {"api": "sharedworker", "url": "https://app.test/s.js"}], "server": [{"method": "GET", "url": "https://cdn.test/m.js", "status": 200, "headers": [["Content-Type", "text/javascript"]]}, {"method": "GET", "url": "https://app.test/s.js", "status": 200, "headers": [["Content-Type", "text/javascript"]]}]}
      """)
    let p = plan.scenarios[0]
    #expect(p.skipReason == nil)
    #expect(p.scriptLoadAPI(step: 0) == .dynamicImport && p.scriptLoadAPI(step: 1) == .worker && p.scriptLoadAPI(step: 2) == .sharedWorker)
    let html = RunnerPage.html(for: p, settings: HarnessState.PageSettings(), file: false)
    #expect(html.contains("s.api === 'import' ? playImport(s)") && html.contains("new SharedWorker(url, options)"))
    let a = ResultAssembler(plan: plan, engine: .chromium, runnerURLs: [:])
    let report = #"[{"outcome": "network-error"}, {"outcome": "invalid", "error": "SecurityError: x"}, {"outcome": "readable", "status": 200}]"#
    let line = a.result(0, report: try JSONParser.parse(report), log: [], console: [:])
    guard case .array(let steps)? = line["steps"] else {
      Issue.record("no steps: \(JSONWriter.serialize(line))")
      return
    }
    #expect(steps.map { $0["api"] } == [.string("import"), .string("worker"), .string("sharedworker")])
    #expect(steps.allSatisfy { $0["status"] == .null && $0["responseType"] == .null })
    #expect(steps[1]["message"] == .string("SecurityError: x"))
    func lines(_ text: String) throws -> [JSONValue] { try Comparison.load(text, name: "test") }
    let real = try lines("""
      {"id": "a", "browser": "chromium", "steps": [{"outcome": "readable", "responseType": null, "status": null, "exposedHeaders": null, "api": "worker", "requests": []}]}
      {"id": "b", "browser": "chromium", "steps": [{"outcome": "network-error", "responseType": null, "status": null, "exposedHeaders": null, "api": "import", "requests": []}]}
      """)
    let sim = try lines("""
      {"id": "a", "steps": [{"outcome": "readable", "responseType": "basic", "status": 200, "exposedHeaders": ["content-type"], "requests": []}]}
      {"id": "b", "steps": [{"outcome": "readable", "responseType": "cors", "status": 200, "exposedHeaders": [], "requests": []}]}
      """)
    let c = Comparison(real: real, simulator: sim)
    #expect(c.differences.map { "\($0.id) \($0.field)" } == ["b outcome"])
  }

  @Test("navigation, form and WebSocket steps: played in a frame or as a WebSocket, ws: URLs under the prefix; outcome and wire compared")
  func navigationsAndWebSockets() throws {
    let plan = ConformancePlan(jsonLines: """
      {"id": "n", "page": "https://app.test/", "steps": [{"api": "navigate", "url": "https://o.test/p"}, {"api": "form", "method": "POST", "url": "https://o.test/f", "body": "a=1"}, {"api": "websocket", "url": "wss://api.test/s", "protocols": ["chat"]}], "server": [{"url": "https://o.test/p"}, {"method": "POST", "url": "https://o.test/f"}]}
      """)
    let p = plan.scenarios[0]
    #expect(p.skipReason == nil && plan.ports == [443])
    #expect(p.pageEventAPI(step: 0) == .navigate && p.pageEventAPI(step: 1) == .form && p.pageEventAPI(step: 2) == .websocket)
    #expect(p.steps[2]["url"] == .string("wss://api.test/~corsim/0/s"))
    let html = RunnerPage.html(for: p, settings: HarnessState.PageSettings(), file: false)
    #expect(html.contains("s.api === 'navigate' || s.api === 'form' ? playNavigation(s)") && html.contains("new WebSocket(s.url, s.protocols)"))
    let a = ResultAssembler(plan: plan, engine: .chromium, runnerURLs: [:])
    let report = #"[{"outcome": "readable"}, {"outcome": "readable"}, {"outcome": "network-error", "error": "error event"}]"#
    let handshake = "WebSocket connection to 'wss://api.test/~corsim/0/s' failed: Error during WebSocket handshake: Unexpected response code: 403"
    let line = a.result(0, report: try JSONParser.parse(report), log: [],
                        console: [StepKey(scenario: 0, step: 2): [handshake + ConsoleAttribution.sourceSeparator + "https://app.test/"]])
    guard case .array(let steps)? = line["steps"] else {
      Issue.record("no steps: \(JSONWriter.serialize(line))")
      return
    }
    #expect(steps.map { $0["api"] } == [.string("navigate"), .string("form"), .string("websocket")])
    #expect(steps.allSatisfy { $0["status"] == .null && $0["responseType"] == .null })
    #expect(steps[2]["message"] == .string("WebSocket connection to 'wss://api.test/s' failed: Error during WebSocket handshake: Unexpected response code: 403"))
    func lines(_ text: String) throws -> [JSONValue] { try Comparison.load(text, name: "test") }
    let real = try lines("""
      {"id": "a", "browser": "firefox", "steps": [{"outcome": "readable", "responseType": null, "status": null, "exposedHeaders": null, "api": "websocket", "requests": []}]}
      {"id": "b", "browser": "firefox", "steps": [{"outcome": "readable", "responseType": null, "status": null, "exposedHeaders": null, "api": "form", "requests": []}]}
      """)
    let sim = try lines("""
      {"id": "a", "steps": [{"outcome": "readable", "responseType": "basic", "status": 101, "exposedHeaders": ["upgrade"], "requests": []}]}
      {"id": "b", "steps": [{"outcome": "network-error", "responseType": null, "status": null, "exposedHeaders": null, "requests": []}]}
      """)
    let c = Comparison(real: real, simulator: sim)
    #expect(c.differences.map { "\($0.id) \($0.field)" } == ["b outcome"])
  }

  @Test("the harness answers a handshake with the accept for the browser's key (RFC 6455 §1.3's example), other values as written")
  func handshake() {
    #expect(WebSocketHandshake.accept(forKey: WebSocketSampleKey.key) == WebSocketSampleKey.acceptValue)
    let lines = HeaderList(pairs: [("Upgrade", "websocket"), ("Sec-WebSocket-Accept", WebSocketSampleKey.acceptValue)])
    let answered = WebSocketHandshake.answering(lines, key: "AQIDBAUGBwgJCgsMDQ4PEC==")
    #expect(answered.get(HeaderName("Sec-WebSocket-Accept")) == WebSocketHandshake.accept(forKey: "AQIDBAUGBwgJCgsMDQ4PEC=="))
    #expect(answered.get(HeaderName("Sec-WebSocket-Accept")) != WebSocketSampleKey.acceptValue)
    let wrong = HeaderList(pairs: [("Sec-WebSocket-Accept", "d3Jvbmc=")])
    #expect(WebSocketHandshake.answering(wrong, key: "AQIDBAUGBwgJCgsMDQ4PEC==") == wrong)
  }
}
