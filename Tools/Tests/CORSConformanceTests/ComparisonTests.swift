import CORSJSON
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
    // The console's words are measured apart: "x" read from the browser is not the simulator's "other".
    #expect(chromium.messagesCompared == 1 && chromium.messagesEqual == 0)
    #expect(c.messageDifferences.map { "\($0.real)|\($0.simulator)" } == ["x|other"])
    #expect(ComparisonText.render(c).contains("console messages: 0/1 word for word"))
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
    #expect(c.differences[5].simulator == "GET http://api.test/d")  // no Origin, no preflight headers: left out
    let sandboxed = Comparison.WireSummary(method: "GET", url: "http://api.test/d", origin: "null")
    #expect(sandboxed.description == "GET http://api.test/d origin=null")
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
    #expect(md.contains("| chromium | 3 | 1 | 0 | 1 | 0.0 % | 1 | 1 | 1 | 1 | 1 | 1 | 0 |"))
    #expect(md.contains("| chromium | 2 | 10.0 | 1.000 | 1.000 | 1.500 | c | 0 |"))
    #expect(md.contains("| c | chromium | 0 | outcome | `\"opaque\"` | `\"readable\"` |"))
    #expect(md.contains("| b | chromium | timed out |"))
  }
}

@Suite struct ReportTests {
  func lines(_ text: String) throws -> [JSONValue] { try Comparison.load(text, name: "test") }

  static let real = """
    {"id": "a", "browser": "firefox", "steps": [{"outcome": "readable", "responseType": "basic", "status": 200, "exposedHeaders": ["content-length", "content-type"], "message": null, "requests": []}]}
    {"id": "b", "browser": "firefox", "steps": [{"outcome": "readable", "responseType": "cors", "status": 200, "exposedHeaders": [], "requests": []}]}
    {"id": "c", "browser": "firefox", "skipped": "needs 7200 s of real time (its steps' `after` pauses); the harness waits for real, up to 30 s a scenario (--max-pause)"}
    {"id": "d", "browser": "firefox", "skipped": "needs 600 s of real time (its steps' `after` pauses); the harness waits for real, up to 30 s a scenario (--max-pause)"}
    {"id": "a", "browser": "webkit", "steps": [{"outcome": "readable", "responseType": "basic", "status": 200, "exposedHeaders": ["content-type"], "requests": []}]}
    """
  static let sim = """
    {"id": "a", "browser": "spec", "steps": [{"outcome": "readable", "responseType": "basic", "status": 200, "exposedHeaders": ["content-type"], "stage": null, "reason": null, "message": null, "requests": []}]}
    {"id": "b", "browser": "spec", "steps": [{"outcome": "readable", "responseType": "cors", "status": 200, "exposedHeaders": [], "requests": []}]}
    """

  @Test("agreement is a share of the scenarios played; engines below a pass mark are named")
  func percentages() throws {
    let c = Comparison(real: try lines(Self.real), simulator: try lines(Self.sim))
    #expect(c.tallies.map(\.percent) == [50, 100])
    #expect(c.engines(below: 98).map(\.engine) == ["firefox"])
    #expect(c.engines(below: 50).isEmpty)
    #expect(c.disagreements.map { "\($0.id) \($0.engine) \($0.fields)" } == ["a firefox [\"exposedHeaders\"]"])
    let none = Comparison(real: try lines(#"{"id": "z", "browser": "webkit", "skipped": "x"}"#), simulator: [])
    #expect(none.engines(below: 0).map(\.engine) == ["webkit"])
  }

  @Test("the Markdown has the machine, percentages, the pass mark, each disagreement in full with its note, and skips by kind")
  func markdown() throws {
    let c = Comparison(real: try lines(Self.real), simulator: try lines(Self.sim))
    let meta = RunMetadata(input: "spec.jsonl", date: "2026-01-01T00:00:00Z", engines: [
      .init(engine: "firefox", version: "Firefox 1", seconds: 9, restarts: 0, scenarioSeconds: [("a", 1), ("b", 2), ("x", 4), ("y", 8)]),
    ], machine: "Linux 6 x86_64, 2 cores, 23.4 GiB memory")
    let round = RunMetadata(json: try JSONParser.parse(JSONWriter.serialize(meta.json)))
    #expect(round.machine == meta.machine)
    let notes = try ConformanceNotes(jsonLines: """
      {"id": "a", "engines": ["firefox"], "class": "simulator", "note": "Gecko appends Content-Length."}
      {"id": "gone", "class": "harness", "note": "fixed long ago"}
      """, name: "notes")
    let md = MarkdownReport.render(c, metadata: round, realName: "r.jsonl", simulatorName: "s.jsonl", threshold: 98, notes: notes)
    #expect(md.contains("on Linux 6 x86_64, 2 cores, 23.4 GiB memory;"))
    #expect(md.contains("| firefox | 4 | 2 | 1 | 1 | 50.0 % | 2 | 0 | 0 | 0 | 0 | 1 | 0 |"))
    #expect(md.contains("| webkit | 1 | 1 | 1 | 0 | 100.0 % | 0 | 0 |"))
    #expect(md.contains("Pass mark: 98.0 % agreement in every engine — **not met** in firefox."))
    #expect(md.contains("| firefox | 4 | 9.0 | 3.750 | 3.000 | 8.000 | y | 0 |"))
    #expect(md.contains("### a — firefox\n\nDiffers in: exposedHeaders.\n\n**simulator**: Gecko appends Content-Length.\n\n"))
    #expect(md.contains("| **exposedHeaders** | `[\"content-length\", \"content-type\"]` | `[\"content-type\"]` |"))
    #expect(md.contains("| outcome | `\"readable\"` | `\"readable\"` |"))
    #expect(md.contains("| stage / reason | — | `null / null` |"))
    #expect(md.contains("| gone | all | harness |"))
    #expect(md.contains("| needs … s of real time (its steps' `after` pauses); the harness waits for real, up to … s a scenario (--max-pause) | firefox | 2 |"))
    #expect(md.contains("| c | firefox | needs 7200 s of real time"))
  }

  @Test("notes must have an id, a class and a note")
  func badNotes() {
    #expect(throws: ComparisonError.self) { try ConformanceNotes(jsonLines: #"{"id": "a", "note": "x"}"#, name: "n") }
    #expect(throws: ComparisonError.self) { try ConformanceNotes(jsonLines: "nope", name: "n") }
  }
}
