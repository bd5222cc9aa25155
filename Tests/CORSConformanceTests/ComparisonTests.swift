import CORSScenario
import Testing

@testable import CORSConformance

@Suite struct ComparisonTests {
  func lines(_ text: String) throws -> [JSONValue] { try Comparison.load(text, name: "test") }

  static let real = """
    {"id": "a", "browser": "chromium", "steps": [{"outcome": "readable", "responseType": "cors", "status": 200, "exposedHeaders": ["Content-Type"], "message": "x", "requests": [{"method": "OPTIONS", "url": "http://api.test/d", "headers": [["origin", "http://app.test"], ["access-control-request-method", "PUT"], ["access-control-request-headers", "x-b,X-A"], ["user-agent", "ignored"]]}]}]}
    {"id": "a", "browser": "firefox", "steps": [{"outcome": "network-error", "responseType": null, "status": null, "exposedHeaders": null, "requests": []}]}
    {"id": "b", "browser": "chromium", "skipped": "timed out"}
    {"id": "c", "browser": "chromium", "steps": [{"outcome": "opaque", "responseType": "opaque", "status": 0, "exposedHeaders": null, "requests": []}]}
    """

  @Test("equal fields agree; messages, stages and extra headers are not compared; ACRH is a sorted token set")
  func agreement() throws {
    let sim = try lines("""
      {"id": "a", "browser": "chromium", "steps": [{"outcome": "readable", "responseType": "cors", "status": 200, "exposedHeaders": ["content-type"], "message": "other", "stage": "x", "requests": [{"method": "OPTIONS", "url": "http://api.test/d", "headers": [["access-control-request-headers", "x-a, x-b"], ["access-control-request-method", "PUT"], ["Origin", "http://app.test"]]}]}]}
      """)
    let c = Comparison(real: try lines(Self.real), simulator: sim)
    let chromium = c.tallies[0]
    #expect(chromium.engine == "chromium" && chromium.scenarios == 3 && chromium.agree == 1 && chromium.skipped == 1
            && chromium.missing == 1)
    #expect(c.tallies[1].missing == 1)
    #expect(c.differences.isEmpty && c.allAgree)
    #expect(c.skipped.map(\.why) == ["timed out"])
  }

  @Test("a spec line stands for every engine; each differing field is listed with both sides")
  func differences() throws {
    let sim = try lines("""
      {"id": "a", "browser": "spec", "steps": [{"outcome": "network-error", "responseType": null, "status": null, "exposedHeaders": null, "requests": []}]}
      {"id": "c", "steps": [{"outcome": "opaque", "responseType": "opaque", "status": 0, "exposedHeaders": null, "requests": [{"method": "GET", "url": "http://api.test/d", "headers": []}]}]}
      """)
    let c = Comparison(real: try lines(Self.real), simulator: sim)
    #expect(c.tallies.map(\.disagree) == [2, 0])
    #expect(c.tallies[1].agree == 1)
    let fields = c.differences.map { "\($0.id) \($0.engine) \($0.field)" }
    #expect(fields == ["a chromium outcome", "a chromium responseType", "a chromium status", "a chromium exposedHeaders",
                       "a chromium requests", "c chromium requests"])
    #expect(c.differences[0].real == "\"readable\"" && c.differences[0].simulator == "\"network-error\"")
    #expect(c.differences[5].real == "[]")
    #expect(c.differences[5].simulator == "GET http://api.test/d origin=null acrm=null acrh=null")
    #expect(c.tallies[0].fields["requests"] == 2)
  }

  @Test("a different number of steps is a difference of the line")
  func stepCount() throws {
    let real = try lines(#"{"id": "x", "browser": "webkit", "steps": [{"outcome": "invalid"}, {"outcome": "invalid"}]}"#)
    let sim = try lines(#"{"id": "x", "browser": "webkit", "steps": [{"outcome": "invalid"}]}"#)
    let c = Comparison(real: real, simulator: sim)
    #expect(c.differences.map(\.field) == ["steps"])
  }

  @Test("the text and Markdown forms carry counts, versions, timing and each disagreement")
  func rendering() throws {
    let sim = try lines(#"{"id": "c", "browser": "chromium", "steps": [{"outcome": "readable", "responseType": "cors", "status": 200, "exposedHeaders": [], "requests": []}]}"#)
    let c = Comparison(real: try lines(Self.real), simulator: sim)
    let text = ComparisonText.render(c)
    #expect(text.contains("chromium  0/1 scenarios agree  (1 disagree, 1 skipped/error in the browser run, 1 without a simulator line)"))
    #expect(text.contains("c [chromium] step 0 outcome: browser \"opaque\" | simulator \"readable\""))
    let meta = RunMetadata(input: "smoke.jsonl", date: "2026-01-01T00:00:00Z", engines: [
      .init(engine: "chromium", version: "Chromium 1.2", seconds: 10, restarts: 0, scenarioSeconds: [("a", 0.5), ("c", 1.5)]),
    ])
    let round = RunMetadata(json: try JSONParser.parse(JSONWriter.serialize(meta.json)))
    #expect(round.engines.first?.scenarioSeconds.map(\.0) == ["a", "c"])
    let md = MarkdownReport.render(c, metadata: round, realName: "r.jsonl", simulatorName: "s.jsonl")
    #expect(md.contains("| chromium | Chromium 1.2 |"))
    #expect(md.contains("| chromium | 3 | 1 | 0 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 0 |"))
    #expect(md.contains("| chromium | 2 | 10.0 | 1.000 | 1.500 | 1.500 | c | 0 |"))
    #expect(md.contains("| c | chromium | 0 | outcome | `\"opaque\"` | `\"readable\"` |"))
    #expect(md.contains("| b | chromium | timed out |"))
  }
}
