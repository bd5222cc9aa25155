import Testing
@testable import CORSSimulator

/// Inputs built to hurt: nothing may crash or take long. (Each test has a generous wall-clock bound in
/// debug builds; quadratic behaviour blows through it.)
@Suite("Hostile input never crashes or hangs the engine")
struct HostileInputTests {
  func timed(_ body: () -> Void) -> Double {
    let clock = ContinuousClock()
    let d = clock.measure(body)
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
  }

  @Test("20,000 author headers")
  func manyRequestHeaders() {
    var sim = Simulator(profile: .chromium, page: try! Page("https://app.example"),
                        server: Server(routes: [Route(url: try! URLRecord("https://api.example/x"),
                                                      headers: [("Access-Control-Allow-Origin", "*")])]))
    let headers = HeaderList(pairs: (0..<20_000).map { ("X-H-\($0)", "v") })
    var v: Verdict?
    let t = timed { v = sim.fetch(ScriptRequest(url: "https://api.example/x", headers: headers)) }
    // A preflight asks for all 20,000 names; `*` without Access-Control-Allow-Headers grants none, and Chromium
    // reports the first in request order (docs/reference/engine-differences.md §2.3).
    #expect(v?.stage == .preflight && v?.reason == .headerNotAllowed && v?.failure?.detail.parameter?.lowercased() == "x-h-0")
    #expect(v?.requests.first?.value(of: "Access-Control-Request-Headers")?.split(separator: ",").count == 20_000)
    #expect(t < 5, "took \(t) s")
  }

  @Test("a response with 20,000 header lines and 20,000 exposed names")
  func manyResponseHeaders() {
    var lines: [(String, String)] = [("Access-Control-Allow-Origin", "*"), ("Access-Control-Expose-Headers", "*")]
    for i in 0..<20_000 { lines.append(("X-R-\(i)", String(repeating: "v", count: 10))) }
    var sim = Simulator(page: try! Page("https://app.example"),
                        server: Server(routes: [Route(url: try! URLRecord("https://api.example/x"), headers: HeaderList(pairs: lines))]))
    var v: Verdict?
    let t = timed { v = sim.fetch(ScriptRequest(url: "https://api.example/x")) }
    #expect(v?.exposedHeaders?.count == 20_002)
    #expect(t < 5, "took \(t) s")
  }

  /// Every byte from `!` to U+00FE — valid in a header value (no NUL, CR, LF, no edge whitespace), a comma among
  /// them, and not a token.
  static let everyByte: String = {
    var value = ""
    for b in 0x21..<0xFF { value.unicodeScalars.append(Unicode.Scalar(UInt8(b))) }
    return value
  }()
  static let mebibyte = String(repeating: "x", count: 1 << 20)

  /// A server that answers anything with hostile CORS headers: every byte as Allow-Origin, a 1 MiB
  /// Allow-Methods token and a 5,000-digit Max-Age.
  static func hostileServer(allowOrigin: String = everyByte, allowMethods: String = mebibyte) -> Server {
    Server(routes: [Route(url: try! URLRecord("https://api.example/x"),
                          headers: [("Access-Control-Allow-Origin", allowOrigin), ("Access-Control-Allow-Methods", allowMethods),
                                    ("Access-Control-Allow-Headers", "x"),
                                    ("Access-Control-Max-Age", String(repeating: "9", count: 5000))])])
  }

  @Test("header values with every byte, long values, odd names: each is decided as the standard says",
        arguments: [(Engine.spec, FailureReason.allowOriginMismatch), (.chromium, .multipleAllowOrigin),
                    (.firefox, .allowOriginMismatch), (.webkit, .multipleAllowOrigin)])
  func oddBytes(engine: Engine, refusal: FailureReason) {
    var sim = Simulator(profile: .forEngine(engine), page: try! Page("https://app.example"), server: Self.hostileServer())
    var verdicts: [Verdict] = []
    let t = timed {
      for headers: HeaderList in [[("X", Self.everyByte)], [("X", Self.mebibyte)]] {
        verdicts.append(sim.fetch(ScriptRequest(url: "https://api.example/x", method: "PUT", headers: headers)))
      }
    }
    #expect(t < 5, "took \(t) s")
    for v in verdicts {
      // Valid values on a non-safelisted header: a preflight, refused because every byte is not an origin.
      // Chromium and WebKit call a value with a comma "multiple" (docs/reference/engine-differences.md §6 row 17).
      #expect(v.outcome == .networkError && v.stage == .preflight && v.reason == refusal, "\(engine): \(String(describing: v.reason))")
      #expect(v.requests.count == 1 && v.requests.first?.isPreflight == true)
      #expect(v.requests.first?.value(of: "Access-Control-Request-Headers") == "x")
    }
    // Names that are not tokens are refused before anything is sent (fetch.bs #headers-validate).
    for name in [Self.everyByte, ""] {
      let v = sim.fetch(ScriptRequest(url: "https://api.example/x", method: "PUT", headers: [(name, "1")]))
      #expect(v.outcome == .invalid && v.reason == .headerNameInvalid && v.stage == .request && v.requests.isEmpty)
    }
  }

  @Test("a 1 MiB method token and a 5,000-digit max-age in a preflight that passes",
        arguments: [(Engine.spec, true), (.chromium, false), (.firefox, true), (.webkit, false)])
  func hugePreflightAnswer(engine: Engine, cachedAfter10s: Bool) {
    var sim = Simulator(profile: .forEngine(engine), page: try! Page("https://app.example"),
                        server: Self.hostileServer(allowOrigin: "https://app.example", allowMethods: Self.mebibyte + ", PUT"))
    let put = ScriptRequest(url: "https://api.example/x", method: "PUT", headers: [("X", Self.everyByte)])
    var first: Verdict?
    let t = timed { first = sim.fetch(put) }
    #expect(t < 5, "took \(t) s")
    #expect(first?.outcome == .readable)
    // The value goes on the wire byte for byte.
    #expect(first?.requests.last?.value(of: "X") == Self.everyByte)
    // 5,000 nines overflow 64 bits: Chromium and WebKit fall back to 5 s, Firefox clamps to its cap, the standard
    // keeps it (docs/reference/engine-differences.md §2.2, §3.2, §4.2).
    sim.advance(by: 10)
    #expect((sim.fetch(put).requests.count == 1) == cachedAfter10s)
  }

  @Test("a redirect loop, and Location values that are not URLs")
  func redirects() {
    let loop = Route(url: try! URLRecord("https://api.example/a"), status: 307,
                     headers: [("Access-Control-Allow-Origin", "*"), ("Location", "/a")])
    let bad = Route(url: try! URLRecord("https://api.example/b"), status: 302,
                    headers: [("Access-Control-Allow-Origin", "*"), ("Location", "http://[::1"), ("Location", "x")])
    var sim = Simulator(page: try! Page("https://app.example"), server: Server(routes: [loop, bad]))
    #expect(sim.fetch(ScriptRequest(url: "https://api.example/a")).reason == .tooManyRedirects)
    #expect(sim.fetch(ScriptRequest(url: "https://api.example/b")).reason == .redirectLocationInvalid)
  }

  @Test("random URL inputs: a parsed URL's serialization parses to itself (url.bs #url-serializing)")
  func randomURLs() throws {
    var rng = SplitMix(seed: 7)
    let alphabet = Array("hts:/[]@%.:?#0123456789abcdefx-_~\\\u{0}\t\n é☕\u{FFFF}")
    let base = try URLRecord("https://a.example/b/c?d#e")
    var parsed = 0, refused = 0
    let t = timed {
      for _ in 0..<20_000 {
        let n = Int(rng.next() % 40)
        let s = String((0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
        for url in [try? URLRecord(s), try? URLRecord("https://" + s), try? URLRecord(s, base: base)] {
          guard let url else { refused += 1; continue }
          parsed += 1
          // Serializing is idempotent: the href parses again, to the same href.
          #expect((try? URLRecord(url.href))?.href == url.href, "\(s.debugDescription) → \(url.href)")
        }
      }
    }
    // Both outcomes occur: the generator reaches the parser's failures and its successes.
    #expect(parsed > 1000 && refused > 1000, "\(parsed) parsed, \(refused) refused")
    #expect(t < 30, "took \(t) s")
  }
}

/// A small deterministic random number generator for the randomized tests.
struct SplitMix: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E3779B97F4A7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
    z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
    return z ^ (z >> 31)
  }
}
