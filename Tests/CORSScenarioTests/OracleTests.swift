import Testing
@testable import CORSScenario

@Suite("corsim oracle: the public JSON contract")
struct OracleTests {
  let oracle = Oracle()

  func answer(_ line: String) throws -> JSONValue {
    try JSONParser.parse(oracle.answer(line: line, lineNumber: 7)!)
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
    #expect(step.map(\.0) == ["outcome", "responseType", "status", "exposedHeaders", "stage", "reason", "message", "requests"])
    #expect(steps[0]["outcome"] == .string("readable"))
    #expect(steps[0]["exposedHeaders"] == .array([]))
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

  @Test("blank lines are skipped")
  func blank() {
    #expect(oracle.answer(line: "   ", lineNumber: 1) == nil)
  }
}
