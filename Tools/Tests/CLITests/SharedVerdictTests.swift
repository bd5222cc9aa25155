import CORSScenario
import CORSSimulator
import Foundation
import Testing

@testable import CORSSession

/// Each typed expectation is checked in every profile, and the session keeps every profile's verdicts; the other
/// profiles' take the session's own copy of what they hold the same (`Verdict.share`), which must change nothing they
/// say.
@Suite("Verdicts shared between profiles")
struct SharedVerdictTests {
  /// Requests whose verdicts are the same in every profile and requests where the profiles differ (the preflight
  /// cache's caps, a redirected preflight, a private-network request), failing and passing, with every kind of line
  /// that checks a verdict.
  static func lines() -> [String] {
    var out = ["page https://app.example/index.html"]
    for k in 0..<12 {
      let url = "https://api.example/r\(k)"
      switch k % 6 {
      case 0:
        out += ["route GET \(url)", "  Access-Control-Allow-Origin: https://app.example", "", "fetch \(url)", "",
                "expect readable cors 200", "sends GET \(url) origin=https://app.example"]
      case 1:
        out += ["route OPTIONS \(url) 204", "  Access-Control-Allow-Origin: https://app.example",
                "  Access-Control-Allow-Headers: X-Token", "  Access-Control-Allow-Methods: PUT", "  Access-Control-Max-Age: 3000",
                "", "route PUT \(url)", "  Access-Control-Allow-Origin: https://app.example", "",
                "fetch PUT \(url)", "  X-Token: a", "", "expect readable cors 200",
                "wait 900", "fetch PUT \(url)", "  x-TOKEN: b", "", "expect readable cors 200",
                "sends OPTIONS \(url) origin=https://app.example"]
      case 2:
        out += ["route OPTIONS \(url) 307", "  Location: https://api.example/r\(k - 2)", "",
                "fetch DELETE \(url)", "", "expect network-error at preflight: preflight-redirect", "fix none"]
      case 3:
        out += ["route GET \(url)", "  Content-Type: text/plain", "", "fetch \(url)", "",
                "fix GET \(url) set Access-Control-Allow-Origin: https://app.example", "says No 'Access-Control-Allow-Origin'"]
      case 4:
        out += ["route GET \(url)", "  Access-Control-Allow-Origin: *", "  Access-Control-Expose-Headers: X-One, x-two",
                "  X-One: 1", "  X-Two: 2", "", "fetch \(url) credentials=include", "", "expect readable cors 200",
                "fetch \(url)", "", "expect readable cors 200 exposes x-one, x-two"]
      default:
        out += ["route GET http://192.168.1.\(k)/data", "  Access-Control-Allow-Origin: https://app.example", "",
                "fetch http://192.168.1.\(k)/data", "", "expect firefox: readable cors 200"]
      }
    }
    return out
  }

  static func play(sharing: Bool) -> (text: [String], session: Session) {
    let s = Session()
    s.sharesVerdicts = sharing
    var text = lines().map { s.evaluate($0).textOrQuit }
    text.append(s.finish())
    return (text, s)
  }

  @Test("the session says the same, and every profile's verdicts are the same, with and without sharing")
  func sameText() {
    let shared = Self.play(sharing: true)
    let own = Self.play(sharing: false)
    #expect(shared.text.count == own.text.count)
    for (k, (a, b)) in zip(shared.text, own.text).enumerated() where a != b {
      Issue.record("line \(k + 1):\n\(a)\n--- without sharing:\n\(b)")
    }
    // Some lines fail in some profile, so the check does look at the other profiles' verdicts.
    #expect(shared.text.contains { $0.contains("expectation") })
    for engine in Engine.allWithSpec {
      let a = shared.session.verdicts(engine), b = own.session.verdicts(engine)
      #expect(a.count == b.count && !a.isEmpty)
      for (v, w) in zip(a, b) {
        #expect(v.result == w.result && v.consoleSteps == w.consoleSteps && v.requests.count == w.requests.count)
        for (r, q) in zip(v.requests, w.requests) { #expect(r.isIdentical(to: q), "\(engine): \(r) against \(q)") }
      }
    }
  }

  @Test("another profile takes the session's own record of the wire when it is the same")
  func shares() throws {
    let s = Session()
    for line in ["page https://app.example/index.html", "route GET https://api.example/a",
                 "  Access-Control-Allow-Origin: https://app.example", "", "fetch https://api.example/a", "",
                 "expect readable cors 200"] {
      _ = s.evaluate(line)
    }
    let own = try #require(s.verdicts(.chromium).first)
    let other = try #require(s.verdicts(.firefox).first)
    #expect(Self.buffer(own.requests) == Self.buffer(other.requests))
  }

  @Test("header lines that differ only in the case of a name are not shared; a different URL keeps its own")
  func exact() throws {
    let s = Session()
    for line in ["page https://app.example/index.html", "route PUT https://api.example/a", "", "fetch PUT https://api.example/a",
                 "  X-Token: a", ""] {
      _ = s.evaluate(line)
    }
    let own = try #require(s.verdicts(.chromium).first)
    let preflight = try #require(own.requests.first)
    #expect(preflight.isPreflight)
    // The same verdict whose preflight asked in another case: nothing of the wire is taken but the URL.
    var other = own
    other.requests = own.requests.map { r in
      var r = r
      r.headers = HeaderList(r.headers.map { HeaderField(HeaderName($0.name.rawName.uppercased()), $0.value, setBy: $0.setBy) })
      return r
    }
    other.share(with: own)
    #expect(Self.buffer(other.requests) != Self.buffer(own.requests))
    for (r, q) in zip(other.requests, own.requests) {
      #expect(!r.isIdentical(to: q) && r.headers == q.headers)
      #expect(r.headers.map(\.name.rawName) == q.headers.map { $0.name.rawName.uppercased() })
    }
    // A different URL: the lines are taken, the URL is not.
    var moved = own
    moved.requests[0].url = try URLRecord("https://api.example/b")
    moved.share(with: own)
    #expect(moved.requests[0].url.href == "https://api.example/b")
    #expect(moved.requests[0].headers.isIdentical(to: own.requests[0].headers))
  }

  @Test("an entry of the undo log, most of them a typed line, takes a pointer and a tag, not the size of a step")
  func logEntrySize() {
    #expect(MemoryLayout<Session.LogEntry>.stride <= 16, "\(MemoryLayout<Session.LogEntry>.stride) bytes")
  }

  static func buffer(_ requests: [WireRequest]) -> UnsafeRawPointer? {
    requests.withUnsafeBufferPointer { $0.baseAddress.map(UnsafeRawPointer.init) }
  }
}
