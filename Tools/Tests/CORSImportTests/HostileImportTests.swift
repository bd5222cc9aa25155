import CORSImport
import CORSSimulator
import Foundation
import Testing
@testable import CORSScenario

/// The CPU time the calling thread has used: what a comparison of two costs reads, as the tests running beside it
/// on the other cores do not move it (they move wall-clock time, and a loaded CI machine made a ratio fail).
func threadCPUTime() -> Duration {
  var t = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
  return .seconds(Int64(t.tv_sec)) + .nanoseconds(Int64(t.tv_nsec))
}

/// Pastes and HAR files shaped to cost, or written by a tool that does not care about HTTP.
@Suite("Hostile imports")
struct HostileImportTests {
  /// A HAR of `count` cross-origin fetches, each with its own recorded answer.
  static func har(_ count: Int) -> String {
    var entries = [#"{"request": {"method": "GET", "url": "https://app.example/", "headers": [{"name": "Sec-Fetch-Dest", "value": "document"}]}, "response": {"status": 200, "headers": []}, "_resourceType": "document"}"#]
    for i in 0..<count {
      entries.append(#"{"request": {"method": "GET", "url": "https://api.example/item/\#(i)", "headers": [{"name": "Origin", "value": "https://app.example"}]}, "response": {"status": 200, "headers": [{"name": "Access-Control-Allow-Origin", "value": "https://app.example"}]}, "_resourceType": "fetch"}"#)
    }
    return #"{"log": {"version": "1.2", "pages": [{"title": "https://app.example/"}], "entries": ["# + entries.joined(separator: ",") + "]}}"
  }

  func importTime(_ text: String) throws -> Duration {
    var best = Duration.seconds(1_000)
    for _ in 0..<2 {
      let start = threadCPUTime()
      _ = try HARImport.parse(text)
      best = min(best, threadCPUTime() - start)
    }
    return best
  }

  @Test("a HAR four times larger costs about four times as much (the recorded answers are deduplicated by lookup)")
  func linearHAR() throws {
    let small = try importTime(Self.har(500)), large = try importTime(Self.har(2_000))
    #expect(large < small * 8, "500 entries: \(small); 2,000 entries: \(large)")
    let result = try HARImport.parse(Self.har(2_000))
    #expect(result.document.scenario.steps.count == 2_000)
    #expect(result.document.scenario.server.routes.count == 2_001)
  }

  @Test("entries a server cannot have sent are left out with a note, and the import saves and loads back the same")
  func impossibleEntries() throws {
    let text = #"""
      {"log": {"pages": [{"title": "https://app.example/"}], "entries": [
        {"request": {"method": "GET X", "url": "https://api.example/a", "headers": [{"name": "Origin", "value": "https://app.example"}]}, "response": {"status": 200, "headers": []}},
        {"request": {"method": "GET", "url": "https://api.example/b", "headers": [{"name": "Origin", "value": "https://app.example"}]},
         "response": {"status": 200, "headers": [{"name": "Access-Control-Allow-Origin", "value": "*\r\nX-Injected: 1"}, {"name": "#x", "value": "1"}, {"name": "Vary", "value": "Origin"}]}}
      ]}}
      """#
    let result = try HARImport.parse(text)
    #expect(result.notes.contains("entry 1: 'GET X' is not a method (a token); skipped"))
    #expect(result.notes.contains { $0.hasPrefix("left out 1 recorded response header line(s) no server can send") })
    #expect(result.document.scenario.server.routes.map { $0.headers.map(\.name.rawName) } == [["#x", "Vary"]])
    #expect(result.document.roundTripProblem() == nil)
  }

  @Test("a recorded status that is not a whole number in range is no status, never a crash (found by FuzzImports)",
        arguments: ["207777777777777777777777777777777777777777777777771", "1e300", "-1e300", "200.5", "-0"])
  func statusOutOfRange(status: String) throws {
    let text = #"{"log": {"pages": [{"title": "https://app.example/"}], "entries": [{"request": {"method": "GET", "url": "https://api.example/a", "headers": [{"name": "Origin", "value": "https://app.example"}]}, "response": {"status": "# + status + #", "headers": [{"name": "Access-Control-Allow-Origin", "value": "*"}]}}]}}"#
    let result = try HARImport.parse(text)
    // `-0` is 0; none is a status a server sends, so no route is made and a note says so.
    #expect(result.document.scenario.server.routes.isEmpty)
    #expect(result.notes.contains { $0.hasPrefix("GET https://api.example/a: the HAR recorded no response (status 0") })
    #expect(result.document.scenario.steps.count == 1)
  }

  @Test("a curl command copied on Windows (CRLF line ends) reads as on Linux")
  func crlfCurl() throws {
    let unix = "curl 'https://api.example/items/7' \\\n  -X PUT \\\n  -H 'Content-Type: application/json' \\\n  -H 'Origin: https://app.example'"
    let windows = unix.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
    let a = try CurlImport.parse(unix), b = try CurlImport.parse(windows)
    #expect(b.request == a.request)
    #expect(b.request.method == "PUT" && b.request.headers.map(\.name) == ["Content-Type"])
  }
}
