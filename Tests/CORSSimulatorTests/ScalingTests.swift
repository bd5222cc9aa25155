import Testing
@testable import CORSSimulator

/// What keeps the preflight cache linear in the steps that share it, checked by counting (not by timing).
@Suite("The preflight cache stays linear as the steps that share it grow")
struct ScalingTests {
  @Test("reserving a few entries per preflight reallocates the entries a logarithmic number of times")
  func reserveGrowsGeometrically() {
    var cache = PreflightCache()
    let q = PreflightCache.Query(key: "https://app.example", serializedOrigin: "https://app.example",
                                 url: "https://api.example/0", credentialsInclude: false)
    var capacity = cache.entries.capacity
    var reallocations = 0
    for k in 0..<3_000 {
      cache.reserve(2)
      var query = q
      query.url = "https://api.example/\(k)"
      cache.store(method: "PUT", query, maxAge: 600, now: 0, .chromium)
      cache.store(headerName: "x-token", query, maxAge: 600, now: 0, .chromium)
      if cache.entries.capacity != capacity {
        reallocations += 1
        capacity = cache.entries.capacity
      }
    }
    #expect(cache.entries.count == 6_000)
    // Asking for exactly two more each time reallocated (and copied every entry) on every preflight: 3,000 times.
    #expect(reallocations < 40, "\(reallocations) reallocations for 3,000 preflights")
  }

  /// Steps to `n` distinct URLs, each preflighted once and cached for 600 s, then the same steps again: the
  /// second round is served from the cache (indexed beyond 16 entries), so none of it is preflighted.
  func repeatedSteps(_ profile: BrowserProfile, _ n: Int) -> (first: Int, second: Int) {
    let routes = (0..<n).map { k in
      Route(url: try! URLRecord("https://api.example/r\(k)"), headers: [
        ("Access-Control-Allow-Origin", "https://app.example"), ("Access-Control-Allow-Methods", "PUT"),
        ("Access-Control-Allow-Headers", "x-token"), ("Access-Control-Max-Age", "600"),
      ])
    }
    var sim = Simulator(profile: profile, page: try! Page("https://app.example"), server: Server(routes: routes))
    func round() -> Int {
      var preflights = 0
      for k in 0..<n {
        let v = sim.fetch(ScriptRequest(url: "https://api.example/r\(k)", method: .put, headers: [("X-Token", "t")]))
        #expect(v.outcome == .readable, "step \(k): \(v.outcome)")
        preflights += v.requests.filter { $0.method == .options }.count
      }
      return preflights
    }
    let first = round()
    return (first, round())
  }

  @Test("a second round of steps over many cached URLs is served from the cache", arguments: Engine.allWithSpec)
  func cachedRoundsAreHits(_ engine: Engine) {
    let (first, second) = repeatedSteps(.forEngine(engine), 40)
    #expect(first == 40)
    #expect(second == 0)
  }
}
