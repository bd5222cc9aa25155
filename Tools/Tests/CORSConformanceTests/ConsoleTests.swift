import CORSJSON
import CORSScenario
import CORSSimulator
import Testing

@testable import CORSConformance

@Suite struct ConsoleTests {
  @Test("a message belongs to the step whose marker came last; late ones stay with the last step")
  func attribution() {
    let texts = ["noise before any marker", "[corsim] step 3 0", "A", "[corsim] step 3 1", "B", "C",
                 "[corsim] end 3", "late", "[corsim] step 4 0", "D"]
    let m = ConsoleAttribution.attribute(texts)
    #expect(m[StepKey(scenario: 3, step: 0)] == ["A"])
    #expect(m[StepKey(scenario: 3, step: 1)] == ["B", "C", "late"])
    #expect(m[StepKey(scenario: 4, step: 0)] == ["D"])
    #expect(m.count == 3)
  }

  @Test("the specific line wins over the engine's generic echo")
  func failureMessage() {
    #expect(ConsoleAttribution.failureMessage([
      "Fetch API cannot load http://a/ due to access control checks.", "Origin x is not allowed by Access-Control-Allow-Origin.",
    ]) == "Origin x is not allowed by Access-Control-Allow-Origin.")
    #expect(ConsoleAttribution.failureMessage(["Fetch API cannot load http://a/."]) == "Fetch API cannot load http://a/.")
    #expect(ConsoleAttribution.failureMessage([]) == nil)
  }

  @Test("Chromium's stderr console lines")
  func chromium() {
    let line = #"[1:1:1125/075143.010340:INFO:CONSOLE:0] "Access to fetch at 'http://a/' from origin 'null' has been blocked", source: http://app.test:8080/__corsim/page/2 (0)"#
    #expect(ChromiumLauncher().consoleText(line: line, isError: true)
            == "Access to fetch at 'http://a/' from origin 'null' has been blocked")
    #expect(ChromiumLauncher().consoleText(line: "[1:1:x:WARNING:foo.cc:1] bar", isError: true) == nil)
  }

  @Test("WebKitGTK's console lines, with and without a source location")
  func webkit() {
    let w = WebKitLauncher()
    #expect(w.consoleText(line: "http://app.test:8080/p:2:12: CONSOLE LOG [corsim] step 1 0", isError: true) == "[corsim] step 1 0")
    #expect(w.consoleText(line: "CONSOLE SECURITY ERROR Origin null is not allowed.", isError: false) == "Origin null is not allowed.")
    #expect(w.consoleText(line: "CONSOLE JS ERROR Fetch API cannot load x.", isError: true) == "Fetch API cannot load x.")
    #expect(w.consoleText(line: "(WebKitWebProcess:1): Gtk-WARNING", isError: true) == nil)
  }

  @Test("Firefox's remote agent port")
  func firefoxPort() {
    #expect(FirefoxConsole.listeningPort("WebDriver BiDi listening on ws://127.0.0.1:40123") == 40123)
    #expect(FirefoxConsole.listeningPort("something else") == nil)
  }
}

@Suite struct ResultAssemblerTests {
  static let plan = ConformancePlan(jsonLines: """
    {"id": "x", "page": "http://app.test:8080/index.html", "steps": [{"api": "xhr", "url": "http://app.test:8080/l", "headers": [["X-Token", "1"]]}, {"api": "xhr", "url": "http://api.test:8080/d"}, {"url": "http://api.test:8080/d"}]}
    """)

  func record(_ step: Int, _ url: String, _ headers: [(String, String)]) -> RequestRecord {
    RequestRecord(scenario: 0, step: step, method: "GET", url: url, target: "/", headers: headers.map { ($0.0, $0.1) },
                  bodyLength: 0, tls: false, time: 0)
  }

  @Test("XHR gets basic or cors from where its requests went; headers keep what bears on CORS; messages get the scenario's URLs back")
  func assemble() {
    let a = ResultAssembler(plan: Self.plan, engine: .chromium, runnerURLs: [0: "http://app.test:8080/__corsim/page/0"])
    let report = try! JSONParser.parse("""
      [{"outcome": "readable", "responseType": null, "status": 200, "exposedHeaders": []},
       {"outcome": "readable", "responseType": null, "status": 200, "exposedHeaders": []},
       {"outcome": "network-error", "error": "TypeError: Failed to fetch"}]
      """)
    let log = [
      record(0, "http://app.test:8080/l", [("Host", "app.test:8080"), ("X-Token", "1"), ("User-Agent", "u")]),
      record(1, "http://api.test:8080/d", [("Origin", "http://app.test:8080")]),
      record(2, "http://api.test:8080/d", [("Origin", "http://app.test:8080")]),
    ]
    let console = [StepKey(scenario: 0, step: 2): [
      "Access to fetch at 'http://api.test:8080/~corsim/0/d' from page http://app.test:8080/__corsim/page/0",
    ]]
    let line = a.result(0, report: report, log: log, console: console)
    guard case .array(let steps)? = line["steps"] else {
      Issue.record("no steps: \(JSONWriter.serialize(line))")
      return
    }
    #expect(steps[0]["responseType"] == .string("basic"))
    #expect(steps[1]["responseType"] == .string("cors"))
    #expect(steps[0]["requests"] == .array([.object([
      ("method", .string("GET")), ("url", .string("http://app.test:8080/l")),
      ("headers", .array([.array([.string("x-token"), .string("1")])])),
    ])]))
    #expect(steps[2]["status"] == .null && steps[2]["exposedHeaders"] == .null)
    #expect(steps[2]["message"] == .string("Access to fetch at 'http://api.test:8080/d' from page http://app.test:8080/index.html"))
  }

  @Test("a step the page gave up on makes the scenario skipped")
  func timeout() {
    let a = ResultAssembler(plan: Self.plan, engine: .webkit, runnerURLs: [:])
    let line = a.result(0, report: .array([.object([("outcome", .string("timeout")), ("error", .string("step 0 did not settle"))])]),
                        log: [], console: [:])
    #expect(line["skipped"] == .string("step 0: step 0 did not settle"))
  }
}
