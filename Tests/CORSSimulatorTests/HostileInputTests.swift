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
    #expect(v?.reason == .missingAllowOrigin || v?.stage == .preflight)
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

  @Test("header values with every byte, long values, odd names")
  func oddBytes() {
    var value = ""
    for b in 0x21..<0xFF { value.unicodeScalars.append(Unicode.Scalar(UInt8(b))) }
    let long = String(repeating: "x", count: 1 << 20)
    var sim = Simulator(page: try! Page("https://app.example"),
                        server: Server(routes: [Route(url: try! URLRecord("https://api.example/x"),
                                                      headers: [("Access-Control-Allow-Origin", value), ("Access-Control-Allow-Methods", long),
                                                                ("Access-Control-Max-Age", String(repeating: "9", count: 5000))])]))
    for headers: HeaderList in [[("X", value)], [("X", long)], [(value, "1")], [("", "")]] {
      _ = sim.fetch(ScriptRequest(url: "https://api.example/x", method: "PUT", headers: headers))
    }
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

  @Test("random URL inputs")
  func randomURLs() {
    var rng = SplitMix(seed: 7)
    let alphabet = Array("hts:/[]@%.:?#0123456789abcdefx-_~\\\u{0}\t\n é☕\u{FFFF}")
    for _ in 0..<20_000 {
      let n = Int(rng.next() % 40)
      let s = String((0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
      _ = try? URLRecord(s)
      _ = try? URLRecord("https://" + s)
      _ = try? URLRecord(s, base: try! URLRecord("https://a.example/b/c?d#e"))
    }
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
