import CORSJSON
import CORSOracle
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
    // Only the network's entry: the engine said nothing of its own.
    #expect(ConsoleAttribution.failureMessage([
      "Failed to load resource: the server responded with a status of 404 (Not Found)\u{1F}https://a/x.js",
    ]) == nil)
    #expect(ConsoleAttribution.failureMessage([
      "Failed to load resource: net::ERR_FAILED\u{1F}https://a/", "Access to fetch at 'https://a/' from origin 'x' has been blocked",
    ]) == "Access to fetch at 'https://a/' from origin 'x' has been blocked")
  }

  @Test("Chromium's stderr console lines (kept in the output, no longer read)")
  func chromium() {
    let line = #"[1:1:1125/075143.010340:INFO:CONSOLE:0] "Access to fetch at 'http://a/' from origin 'null' has been blocked", source: http://app.test:8080/__corsim/page/2 (0)"#
    #expect(ChromiumLauncher().loggedConsoleText(line: line, isError: true)
            == "Access to fetch at 'http://a/' from origin 'null' has been blocked")
    #expect(ChromiumLauncher().loggedConsoleText(line: "[1:1:x:WARNING:foo.cc:1] bar", isError: true) == nil)
    #expect(ChromiumLauncher().consoleText(line: line, isError: true) == nil)
    #expect(ChromiumLauncher().consoleText(line: ChromiumConsole.linePrefix + "A", isError: false) == "A")
  }

  @Test("Chromium's DevTools protocol: the endpoint, console calls, Log entries (network ones with their URL), exceptions")
  func devTools() throws {
    let e = try #require(ChromiumConsole.endpoint("DevTools listening on ws://127.0.0.1:39211/devtools/browser/ab-cd"))
    #expect(e.port == 39211 && e.path == "/devtools/browser/ab-cd")
    #expect(ChromiumConsole.endpoint("nothing") == nil)
    func text(_ json: String) throws -> String? { ChromiumConsole.text(of: try JSONParser.parse(json)) }
    #expect(try text(#"{"method": "Runtime.consoleAPICalled", "params": {"args": [{"type": "string", "value": "[corsim] step 1 0"}]}}"#)
            == "[corsim] step 1 0")
    #expect(try text(#"{"method": "Log.entryAdded", "params": {"entry": {"source": "network", "level": "error", "text": "Failed to load resource: net::ERR_FAILED", "url": "https://api.example/d"}}}"#)
            == "Failed to load resource: net::ERR_FAILED" + ConsoleAttribution.sourceSeparator + "https://api.example/d")
    #expect(try text(#"{"method": "Log.entryAdded", "params": {"entry": {"source": "javascript", "level": "verbose", "text": "[Violation] x"}}}"#) == nil)
    #expect(try text(#"{"method": "Runtime.exceptionThrown", "params": {"exceptionDetails": {"text": "Uncaught", "exception": {"description": "TypeError: x\n    at y"}}}}"#)
            == "Uncaught TypeError: x")
    #expect(try text(#"{"method": "Page.frameNavigated", "params": {}}"#) == nil)
  }

  @Test("a network entry as DevTools shows it; the harness's own lines are noise")
  func devToolsLines() {
    let entry = "Failed to load resource: net::ERR_FAILED" + ConsoleAttribution.sourceSeparator + "https://api.example/d"
    #expect(ConsoleAttribution.devToolsLine(entry, method: { _ in "PUT" }) == "PUT https://api.example/d net::ERR_FAILED")
    let status = "Failed to load resource: the server responded with a status of 404 (Not Found)" + ConsoleAttribution.sourceSeparator + "https://a/x"
    #expect(ConsoleAttribution.devToolsLine(status, method: { _ in "GET" }) == "GET https://a/x 404 (Not Found)")
    #expect(ConsoleAttribution.devToolsLine("Access to fetch…", method: { _ in "GET" }) == nil)
    #expect(ConsoleAttribution.isHarnessNoise("GET https://app.example/__corsim/mark?s=1 net::ERR_FAILED"))
    #expect(ConsoleAttribution.isHarnessNoise("Uncaught SyntaxError: Unexpected end of input"))
    #expect(!ConsoleAttribution.isHarnessNoise("Mixed Content: The page at 'https://app.example/index.html' was loaded over HTTPS"))
  }

  @Test("redirect chains: the same seed gives the same chains, chain k does not depend on the count, ids and paths are unique")
  func chains() {
    let a = RedirectChains(seed: 7).chains(40), b = RedirectChains(seed: 7).chains(60)
    #expect(a == Array(b.prefix(40)))
    #expect(RedirectChains(seed: 8).chains(40) != a)
    var ids = Set<String>()
    for (n, chain) in a.enumerated() {
      guard case .string(let id)? = chain["id"], case .array(let routes)? = chain["server"],
            case .array(let steps)? = chain["steps"] else { Issue.record("chain \(n) is malformed"); continue }
      ids.insert(id)
      #expect(!steps.isEmpty && steps.count <= 2)
      #expect(routes.allSatisfy { r in if case .string(let u)? = r["url"] { return u.contains("/chain\(n)/") } else { return false } })
      // Every chain parses as an oracle scenario.
      #expect((try? OracleInput.decode(chain)) != nil, "chain \(n) does not parse")
    }
    #expect(ids.count == 40)
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
