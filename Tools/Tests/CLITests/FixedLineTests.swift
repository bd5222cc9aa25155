import CORSScenario
import CORSSimulator
import Foundation
import Testing

@testable import CORSSession

/// A `fixed` line typed in a session is decided from the state its request ran in when the fix cannot have changed
/// the requests before it, as a file's check does (`FixReplay`): the same text as running the fixed scenario from
/// its start every time, which cost the session's length for each line.
@Suite("Typed fixed lines")
struct FixedLineTests {
  /// A session of requests to URLs of their own and to URLs asked before, preflights cached across them, waits,
  /// credentialed requests, right and wrong `fixed` lines, `undo`s, and then a layer.
  static func lines() -> [String] {
    var out = ["page https://app.example/index.html"]
    for k in 0..<30 {
      let url = "https://api.example/r\(k)"
      switch k % 5 {
      case 0:
        out += ["route GET \(url)", "", "fetch \(url)", "", "fixed readable cors 200"]
      case 1:
        out += ["route OPTIONS \(url) 204", "  Access-Control-Allow-Origin: https://app.example",
                "  Access-Control-Max-Age: 600", "", "route PUT \(url)", "  Access-Control-Allow-Origin: https://app.example",
                "", "fetch PUT \(url)", "", k % 10 == 1 ? "fixed readable cors 200" : "fixed opaque opaque 0"]
      case 2:
        out += ["route GET \(url) 307", "  Location: https://api.example/r\(k - 2)", "", "fetch \(url)", "",
                "fixed readable cors 200", "undo", "fixed readable cors 200"]
      case 3:
        out += ["route GET \(url)", "  Access-Control-Allow-Origin: *", "", "fetch \(url) credentials=include", "",
                "fixed readable cors 200"]
      default:
        out += ["wait \(k % 10 == 4 ? 300 : 700)", "fetch PUT https://api.example/r\(k - 3)", "", "fixed readable cors 200"]
      }
    }
    // A response stored by the HTTP cache: fixed, the first request stores the fixed answer and the second reads it; a
    // replay of the unfixed requests holds the unfixed one (its fix is to a URL asked before: run from the start).
    out += ["route GET https://api.example/cached", "  Cache-Control: max-age=600", "", "fetch https://api.example/cached", "",
            "fetch https://api.example/cached", "", "fixed readable cors 200"]
    // A layer: a fix may go in a layer scoped to a prefix of URLs asked before; the session runs the fixed scenario.
    out += ["layer cdn", "", "route GET https://api.example/late", "", "fetch https://api.example/late", "",
            "fixed readable cors 200"]
    return out
  }

  static func play(fromStart: Bool) -> [String] {
    let s = Session()
    s.fixedFromStart = fromStart
    var text = lines().map { s.evaluate($0).textOrQuit }
    text.append(s.finish())
    return text
  }

  @Test("the text is the same as running the fixed scenario from its start for every line")
  func sameText() {
    let quick = Self.play(fromStart: false)
    let long = Self.play(fromStart: true)
    #expect(quick.count == long.count)
    for (k, (a, b)) in zip(quick, long).enumerated() where a != b {
      Issue.record("line \(k + 1) (\(Self.lines().indices.contains(k) ? Self.lines()[k] : "end")):\n\(a)\n--- from the start:\n\(b)")
    }
    // Wrong lines are reported.
    #expect(quick.contains { $0.contains("fixed:") })
  }

  @Test("a fix to a URL no earlier request asked for is decided from the session's replay; one to such a URL is not")
  func decidedFromReplay() throws {
    let s = Session()
    for line in ["page https://app.example/index.html", "route GET https://api.example/a", "", "fetch https://api.example/a",
                 "", "route GET https://api.example/b", "", "fetch https://api.example/b", ""] {
      _ = s.evaluate(line)
    }
    let fixB = try #require(s.fixes(step: 1, engine: .chromium).first)
    #expect(s.fixedVerdict(step: 1, engine: .chromium, applying: fixB)?.outcome == .readable)
    // The third request's fix changes /a, which the first asked for.
    for line in ["fetch https://api.example/a", ""] { _ = s.evaluate(line) }
    let fixA = try #require(s.fixes(step: 2, engine: .chromium).first)
    #expect(s.fixedVerdict(step: 2, engine: .chromium, applying: fixA) == nil)
  }
}
