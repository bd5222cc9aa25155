import CORSJSON
import CORSOracle
import Foundation
import Testing

/// The CPU time the calling thread has used: what a comparison of two costs reads, as the tests running beside it
/// on the other cores do not move it (they move wall-clock time, and a loaded CI machine made a ratio fail).
func threadCPUTime() -> Duration {
  var t = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
  return .seconds(Int64(t.tv_sec)) + .nanoseconds(Int64(t.tv_nsec))
}

/// Oracle lines shaped to cost: each limit must bound the work, not only the size. A debug build on a shared
/// machine cannot be timed against a fixed budget, so the shapes are timed at two sizes, four times apart: the
/// cost must grow about as the line does (×4), not as its square (×16). The release figures are in the README.
@Suite("Hostile oracle lines cost little whatever their shape")
struct HostileLineTests {
  let oracle = Oracle()

  func json(_ value: Any) -> String {
    String(decoding: try! JSONSerialization.data(withJSONObject: value), as: UTF8.self)
  }

  /// The best of two answers' times, and the last answer.
  func timed(_ line: String) throws -> (JSONValue, Duration) {
    var best = Duration.seconds(1_000)
    var answer = ""
    for _ in 0..<2 {
      let start = threadCPUTime()
      answer = oracle.answer(line: line, lineNumber: 1)
      best = min(best, threadCPUTime() - start)
    }
    return (try JSONParser.parse(answer), best)
  }

  /// Checks that a line four times larger costs less than eight times as much; returns the larger answer.
  func expectLinear(_ small: String, _ large: String, _ what: String) throws -> JSONValue {
    let (_, t1) = try timed(small)
    let (answer, t4) = try timed(large)
    #expect(t4 < t1 * 8, "\(what): \(t1) for \(small.utf8.count) bytes, \(t4) for \(large.utf8.count) bytes")
    return answer
  }

  @Test("an unknown field name of 8 MiB is refused, and named by its start")
  func hugeFieldName() throws {
    let name = String(repeating: "x", count: Oracle.maximumLineLength - 200)
    let line = #"{"id": "a", "page": "https://app.example", "request": {"url": "https://api.example/x"}, ""# + name + #"": 1}"#
    let (r, elapsed) = try timed(line)
    #expect(elapsed < .seconds(30), "\(elapsed)")
    guard case .string(let message)? = r["error"] else { Issue.record("no error"); return }
    #expect(message.contains("unknown field"))
    #expect(message.utf8.count < 2_000, "the answer repeats the name: \(message.utf8.count) bytes")
  }

  func redirectLoop(steps: Int, routes count: Int) -> String {
    var routes: [[String: Any]] = (0..<(count - 1)).map { ["url": "https://api.example/r\($0)", "headers": [["Access-Control-Allow-Origin", "*"]]] }
    routes.append(["url": "https://api.example/loop", "status": 302,
                   "headers": [["Location", "https://api.example/loop"], ["Access-Control-Allow-Origin", "*"]]])
    let steps = Array(repeating: ["url": "https://api.example/loop"], count: steps)
    return json(["id": "loop", "browser": "chromium", "page": "https://app.example", "steps": steps, "server": routes])
  }

  @Test("steps through a redirect loop among thousands of routes: each lookup costs the same whatever the routes")
  func redirectLoop() throws {
    let r = try expectLinear(redirectLoop(steps: 60, routes: 600), redirectLoop(steps: 240, routes: 2_400), "redirect loop")
    guard case .array(let answers)? = r["steps"] else { Issue.record("no steps: \(r)"); return }
    #expect(answers.count == 240)
    #expect(answers.last?["reason"] == .string("too-many-redirects"))
  }

  @Test("requests that redirects and preflights repeat are bounded: a line may put at most 500,000 lines on the wire")
  func amplification() throws {
    let headers = (0..<300).map { ["x-h\($0)", "1"] }
    let routes: [[String: Any]] = [
      ["method": "OPTIONS", "url": "https://api.example/loop", "status": 204,
       "headers": [["Access-Control-Allow-Origin", "*"], ["Access-Control-Allow-Methods", "*"], ["Access-Control-Allow-Headers", "*"],
                   ["Access-Control-Max-Age", "600"]]],
      ["url": "https://api.example/loop", "status": 302,
       "headers": [["Location", "https://api.example/loop"], ["Access-Control-Allow-Origin", "*"]]],
    ]
    let steps = Array(repeating: ["url": "https://api.example/loop", "headers": headers] as [String: Any], count: 1_000)
    let line = json(["id": "amp", "browser": "chromium", "page": "https://app.example", "steps": steps, "server": routes])
    let (r, _) = try timed(line)
    #expect(r["id"] == .string("amp"))
    guard case .string(let message)? = r["error"] else { Issue.record("answered: \(String(describing: r["steps"]).prefix(200))"); return }
    #expect(message.contains("lines on the wire"), "\(message)")
    #expect(message.contains("at most \(Oracle.maximumWireLines) per scenario"))
    // The same shape with a few steps is answered.
    let few = json(["id": "few", "browser": "chromium", "page": "https://app.example", "steps": Array(steps.prefix(3)), "server": routes])
    #expect(try timed(few).0["steps"] != nil)
  }

  func headers(_ count: Int, browser: String) -> String {
    let names = (0..<count).map { "x-h\($0)" }
    let step: [String: Any] = ["url": "https://api.example/p", "method": "PUT", "headers": names.map { [$0, "v"] }]
    let routes: [[String: Any]] = [
      ["method": "OPTIONS", "url": "https://api.example/p", "status": 204,
       "headers": [["Access-Control-Allow-Origin", "*"], ["Access-Control-Allow-Methods", "PUT"],
                   ["Access-Control-Allow-Headers", names.joined(separator: ", ")], ["Access-Control-Max-Age", "600"]]],
      ["method": "PUT", "url": "https://api.example/p", "headers": [["Access-Control-Allow-Origin", "*"]]],
    ]
    return json(["id": "h", "browser": browser, "page": "https://app.example", "steps": Array(repeating: step, count: 30),
                 "server": routes])
  }

  @Test("30 steps of thousands of header lines against as many names in Access-Control-Allow-Headers, cached",
        arguments: ["spec", "chromium", "firefox", "webkit"])
  func manyHeaders(browser: String) throws {
    let r = try expectLinear(headers(600, browser: browser), headers(2_400, browser: browser), browser)
    guard case .array(let answers)? = r["steps"] else { Issue.record("no steps: \(r)"); return }
    #expect(answers.count == 30)
    #expect(answers.allSatisfy { $0["outcome"] == .string("readable") })
    // The first step is preflighted; the cache answers the other 29.
    guard case .array(let wire)? = answers.last?["requests"] else { Issue.record("no requests"); return }
    #expect(wire.count == 1)
  }
}
