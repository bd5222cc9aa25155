import Testing
import CORSJSON
import CORSScenario
import CORSSimulator
import CORSOracle

/// `OracleInput.decodeWithoutTree` reads the common line straight into its scenario; whatever it takes must equal
/// the full decoder's answer, and whatever the full decoder refuses it must leave to the full decoder.
@Suite("corsim oracle: the line read without a JSON tree")
struct OracleFastInputTests {
  /// The full decoder's scenario, or nil when it refuses the line.
  static func full(_ line: String) -> OracleScenario? {
    guard let json = try? JSONParser.parse(line) else { return nil }
    return try? OracleInput.decode(json)
  }

  /// Lines the fast reader must take (it is the common case), each equal to the full decoder's scenario.
  static let taken: [String] = [
    #"{"id":"a","browser":"chromium","page":"https://app.example/","steps":[{"url":"https://api.example/data","method":"PUT","headers":[["Content-Type","application/json"],["X-Request-Id","42"]],"body":"{}"}],"server":[{"method":"OPTIONS","url":"https://api.example/data","status":204,"headers":[["Access-Control-Allow-Origin","https://app.example"],["Access-Control-Allow-Methods","PUT"]]},{"method":"PUT","url":"https://api.example/data","headers":[["Access-Control-Allow-Origin","https://app.example"]]}]}"#,
    // White space between tokens, members in another order, escapes in strings, null for optional fields.
    " { \"server\" : [ { \"url\" : \"https://api.example/x\" , \"headers\" : [ [ \"X-\\u0041b\" , \"  v\\t\" ] ] , \"body\" : null , \"networkError\" : null , \"method\" : null } ] , \"page\" : \"https://app.example/\" , \"steps\" : [ { \"url\" : \"https://api.example/x\" , \"method\" : null , \"body\" : null , \"mode\" : null } ] , \"id\" : null , \"browser\" : null } ",
    // One `request` instead of `steps`; every step option the reader takes; `after`; `api: fetch`.
    #"{"id":"b","browser":"firefox","page":"http://localhost:8080/","sandboxed":true,"request":{"api":"fetch","url":"/rel?q=1#f","method":"post","headers":[],"mode":"no-cors","credentials":"include","redirect":"manual","cache":"no-store","body":"x","after":2.5}}"#,
    // Statuses: 101, a whole number written with a fraction or an exponent; a network error; a route for any method.
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/1"},{"url":"https://b.example/2"}],"server":[{"url":"https://b.example/1","status":101},{"url":"https://b.example/2","status":2.04e2,"networkError":true},{"method":"*","url":"https://b.example/3","status":500.0}]}"#,
    // A member name written with an escape is the name it stands for.
    #"{"p\u0061ge":"https://a.example/","steps":[{"\u0075rl":"https://b.example/","m\u0065thod":"PUT"}],"server":[{"\u0075rl":"https://b.example/","st\u0061tus":204}]}"#,
    // Options the engine judges (any string is kept as written), an empty server.
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/","mode":"bogus","credentials":"","method":"GE T"}],"server":[]}"#,
    // XMLHttpRequest: its options (withCredentials as credentials, a body, a method), null for the optional ones.
    #"{"page":"https://a.example/","steps":[{"api":"xhr","url":"https://b.example/"}],"server":[{"url":"https://b.example/"}]}"#,
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/x","api":"xhr","method":"POST","headers":[["X-A","1"]],"credentials":"include","body":"b","after":1}]}"#,
    #"{"page":"https://a.example/","steps":[{"api":"xhr","url":"https://b.example/","credentials":"same-origin","method":null,"body":null}]}"#,
    #"{"page":"https://a.example/","steps":[{"api":"xhr","url":"https://b.example/","credentials":null},{"api":"fetch","url":"https://b.example/","mode":"cors"}]}"#,
  ]

  @Test("the common lines are read without a tree, into the scenario the full decoder builds")
  func takenLinesEqualTheFullDecoder() throws {
    for line in Self.taken {
      let fast = OracleInput.decodeWithoutTree(line)
      #expect(fast != nil, "not taken: \(line)")
      #expect(fast == Self.full(line), "differs: \(line)")
    }
  }

  /// Lines the fast reader must leave to the full decoder: errors (worded by it) and fields it does not read.
  static let left: [String] = [
    "", "   ", "null", "[]", "{}", "{", #"{"page":"https://a.example/""#,
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/"}]} x"#,
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/"}],}"#,
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/"},]}"#,
    #"{"page":"https://a.example/","steps":[]}"#,
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/"}],"request":{"url":"https://b.example/"}}"#,
    #"{"page":"https://a.example/","page":"https://a.example/","steps":[{"url":"https://b.example/"}]}"#,
    #"{"page":"not a url","steps":[{"url":"https://b.example/"}]}"#,
    #"{"page":"https://a.example/","browser":"netscape","steps":[{"url":"https://b.example/"}]}"#,
    #"{"page":"https://a.example/","id":7,"steps":[{"url":"https://b.example/"}]}"#,
    #"{"page":"https://a.example/","csp":["https:"],"steps":[{"url":"https://b.example/"}]}"#,
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/","api":"element"}]}"#,
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/","api":"XHR"}]}"#,
    // fetch()'s options on an XHR (present, even null) and credentials withCredentials cannot say: the full
    // decoder's errors.
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/","api":"xhr","mode":"cors"}]}"#,
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/","api":"xhr","redirect":null}]}"#,
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/","cache":"no-store","api":"xhr"}]}"#,
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/","api":"xhr","credentials":"omit"}]}"#,
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/","api":"xhr","sync":true}]}"#,
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/","api":null}]}"#,
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/","bodyType":"blob"}]}"#,
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/","headers":[["A"]]}]}"#,
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/","headers":[["A","1","2"]]}]}"#,
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/","headers":null}]}"#,
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/","after":-1}]}"#,
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/","method":1}]}"#,
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/\ud800"}]}"#,
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/"}],"server":[{"url":"https://b.example/","status":199}]}"#,
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/"}],"server":[{"url":"https://b.example/","status":200.5}]}"#,
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/"}],"server":[{"url":"https://b.example/","status":null}]}"#,
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/"}],"server":[{"url":"https://b.example/","method":"G ET"}]}"#,
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/"}],"server":[{"url":"::"}]}"#,
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/"}],"server":[{"url":"https://b.example/","headers":[["Bad Name","v"]]}]}"#,
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/"}],"server":[{"url":"https://b.example/","headers":[["A","x\ny"]]}]}"#,
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/"}],"server":[{"url":"https://b.example/","layer":"cdn"}]}"#,
    #"{"page":"https://a.example/","steps":[{"url":"https://b.example/"}],"server":null}"#,
  ]

  @Test("errors and the fields it does not read are left to the full decoder")
  func otherLinesAreLeft() {
    for line in Self.left {
      #expect(OracleInput.decodeWithoutTree(line) == nil, "taken: \(line)")
    }
  }

  @Test("the answer of a line is the same whichever decoder read it")
  func answersDoNotDependOnTheDecoder() throws {
    // The answer of a taken line, against the answer built from the full decoder's scenario.
    for line in Self.taken {
      let decoded = try #require(Self.full(line))
      let verdicts = ScenarioRunner.run(decoded.scenario, profile: .forEngine(decoded.browser), trace: false)
      let expected = OracleOutput.resultLine(id: decoded.id, engine: decoded.browser, verdicts: verdicts, explain: false)
      #expect(Oracle().answer(line: line, lineNumber: 1) == expected)
    }
  }

  /// A line naming `page` (sandboxed or not) and asking `api.example` for data.
  static func line(page: String, sandboxed: Bool = false) -> String {
    #"{"page":"\#(page)","sandboxed":\#(sandboxed),"steps":[{"url":"https://api.example/d"}],"#
      + #""server":[{"url":"https://api.example/d","headers":[["Access-Control-Allow-Origin","*"]]}]}"#
  }

  @Test("a page's parsed URL is kept from one line to the next on a thread, and only for the same page")
  func pageKeptPerThread() {
    // The same page again, another page, back, a page that does not parse in between, the same text sandboxed.
    let pages = ["https://a.example/x", "https://a.example/x", "http://b.example:8080/", "https://a.example/x", "not a url",
                 "https://a.example/x", "https://a.example/x?q#f", "https://a.example/x"]
    let lines = pages.enumerated().map { Self.line(page: $1, sandboxed: $0 == 5) }
    for line in lines {
      #expect(OracleInput.decodeWithoutTree(line) == Self.full(line), "differs: \(line)")
    }
    // Threads answering side by side, each with its own run of pages.
    let answers = OracleBatch.answers(count: 64, threads: 4) { k in
      let line = lines[(k * 5) % lines.count]
      return OracleInput.decodeWithoutTree(line) == Self.full(line) ? "" : line
    }
    #expect(answers.filter { !$0.isEmpty } == [])
    // The page the scenario carries is the line's own.
    #expect(OracleInput.decodeWithoutTree(lines[2])?.scenario.page?.url.href == "http://b.example:8080/")
    #expect(OracleInput.decodeWithoutTree(lines[6])?.scenario.page?.url.href == "https://a.example/x?q#f")
    #expect(OracleInput.decodeWithoutTree(lines[4]) == nil)
  }

  /// A line whose two routes answer `urls`.
  static func line(routeURLs urls: [String]) -> String {
    #"{"page":"https://app.example/","steps":[{"url":"\#(urls[0])"}],"server":["#
      + urls.map { #"{"url":"\#($0)","headers":[["Access-Control-Allow-Origin","*"]]}"# }.joined(separator: ",") + "]}"
  }

  @Test("routes' parsed URLs are kept from one line to the next on a thread, and only for the same text")
  func routeURLsKeptPerThread() {
    // URLs met again, in the line and in the next ones; more distinct ones than are kept; ones the parser's shortcut
    // does not take (upper case, a dot segment, percent-encoding, a port that is the default); texts that differ
    // from a kept one by a byte.
    let urls = ["https://api.example/d", "https://api.example/e", "https://api.example/d", "http://api.example:8080/d",
                "https://API.example/d", "https://api.example/a/../d", "https://api.example/%7Ed",
                "https://api.example:443/d", "https://api.example/d?", "https://api.example/d#f",
                "https://api.example/D", "https://api.example/e"]
    let lines = (0..<urls.count).map { Self.line(routeURLs: [urls[$0], urls[($0 * 7 + 3) % urls.count]]) }
    for line in lines + lines.reversed() {
      #expect(OracleInput.decodeWithoutTree(line) == Self.full(line), "differs: \(line)")
    }
    // Each route keeps the URL its own text parses to.
    for (k, line) in lines.enumerated() {
      let routes = OracleInput.decodeWithoutTree(line)?.scenario.server.routes.map(\.url.href)
      let own = [urls[k], urls[(k * 7 + 3) % urls.count]].map { try? URLRecord($0).href }
      #expect(routes == own.compactMap { $0 }, "\(line)")
    }
    // Threads answering side by side, each with its own run of URLs.
    let answers = OracleBatch.answers(count: 96, threads: 4) { k in
      let line = lines[(k * 5) % lines.count]
      return OracleInput.decodeWithoutTree(line) == Self.full(line) ? "" : line
    }
    #expect(answers.filter { !$0.isEmpty } == [])
  }
}
