import Testing
@testable import CORSSimulator

/// `Simulator.markUndoPoint` and `rollBack`: what the REPL uses to take back its last request without running every
/// earlier one again. After a rollback the caches must be what they were at the point, entry for entry (their `==`
/// compares the entries, their order, the index and the expiry bounds), and every later decision the same.
@Suite("Undo points: a fetch taken back leaves the caches, preloads and clock as they were")
struct UndoPointTests {
  /// More URLs than the preflight cache keeps unindexed (16 entries), so that both of its layouts are taken back.
  static let urls = (0..<12).map { "https://api.example/r\($0)" }

  /// A server that answers every method with CORS headers, a preflight max-age and an HTTP freshness lifetime.
  static func server(maxAge: Int, fresh: Int, allowing headers: String = "X-A, X-B") -> Server {
    Server(routes: urls.map { url in
      route(url: url, [acao, ("Access-Control-Allow-Credentials", "true"),
                       ("Access-Control-Allow-Methods", "PUT, DELETE"),
                       ("Access-Control-Allow-Headers", headers),
                       ("Access-Control-Max-Age", "\(maxAge)"),
                       ("Cache-Control", "max-age=\(fresh)"), ("Vary", "X-A")])
    })
  }

  /// A small deterministic generator (a linear congruential one): the same sequence on every run.
  struct Numbers {
    var state: UInt64
    mutating func next(_ n: Int) -> Int {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Int((state >> 33) % UInt64(n))
    }
  }

  /// A request of one of the kinds that change the caches: preflighted ones (new entries; a header that misses, whose
  /// preflight refreshes the entries there are), simple ones stored in and read from the HTTP cache, unsafe ones that
  /// invalidate it, and preload links with the fetches that consume them.
  static func request(_ numbers: inout Numbers) -> ScriptRequest {
    let url = urls[numbers.next(urls.count)]
    switch numbers.next(9) {
    case 8: return ScriptRequest(url: url, method: "PUT", headers: ["X-C": "3"])
    case 0: return ScriptRequest(url: url, method: "PUT", headers: ["X-A": "1"])
    case 1: return ScriptRequest(url: url, method: "PUT", headers: ["X-A": "1", "X-B": "2"], credentials: .include)
    case 2: return ScriptRequest(url: url, method: "DELETE", headers: ["X-B": "2"])
    case 3: return ScriptRequest(url: url)
    case 4: return ScriptRequest(url: url, credentials: .include)
    case 5: return ScriptRequest(url: url, method: "POST")
    case 6:
      var link = ScriptRequest(api: .preload, url: url)
      link.crossOrigin = .anonymous
      return link
    default: return ScriptRequest(url: url, headers: ["X-A": "\(numbers.next(2))"])
    }
  }

  static func wait(_ numbers: inout Numbers) -> Double { [0, 0, 1, 7, 31][numbers.next(5)] }

  @Test("a random walk of requests, each preceded by one taken back (on another server, with clears)",
        arguments: Engine.allWithSpec)
  func randomWalk(engine: Engine) throws {
    let main = Self.server(maxAge: 30, fresh: 20)
    // The requests taken back meet other max-ages and lifetimes, and X-C allowed (its preflights refresh the entries
    // of the URL): refreshing an entry changes it.
    let other = Self.server(maxAge: 5, fresh: 3, allowing: "X-A, X-B, X-C")
    var sim = Simulator(profile: .forEngine(engine), page: try Page("https://app.example/"), server: main)
    var numbers = Numbers(state: 42)
    var sawIndexed = false
    for k in 0..<300 {
      var kept = sim
      sim.markUndoPoint()
      sim.server = other
      sim.advance(by: Self.wait(&numbers))
      _ = sim.fetch(Self.request(&numbers))
      if k % 5 == 0 { _ = sim.fetch(Self.request(&numbers)) }
      // The changes noted one by one, then the whole kept: a clear after them.
      if k % 17 == 0 { sim.clearPreflightCache() }
      if k % 23 == 0 { sim.clearHTTPCache() }
      if k % 19 == 0 { sim.preloads.removeAll() }
      let rolledBack = sim.rollBack()
      #expect(rolledBack)
      sim.server = main
      #expect(sim.preflightCache == kept.preflightCache, "step \(k)")
      #expect(sim.preflightCache.derivedPartsAreExact(), "step \(k)")
      #expect(sim.httpCache == kept.httpCache, "step \(k)")
      #expect(sim.clock == kept.clock, "step \(k)")
      #expect(sim.preloads.count == kept.preloads.count, "step \(k)")
      let wait = Self.wait(&numbers)
      let request = Self.request(&numbers)
      sim.advance(by: wait)
      kept.advance(by: wait)
      let v = sim.fetch(request)
      let fresh = kept.fetch(request)
      #expect(v == fresh, "step \(k)")
      sawIndexed = sawIndexed || sim.preflightCache.entries.count > 16
    }
    #expect(sawIndexed)
  }

  @Test("no point, nothing to roll back to; a point is used once")
  func withoutPoint() throws {
    var sim = simulator(routes: [route([acao])])
    let none = sim.rollBack()
    #expect(!sim.hasUndoPoint && !none)
    sim.markUndoPoint()
    sim.advance(by: 3)
    _ = sim.fetch(ScriptRequest(url: "https://api.example/data", method: "PUT"))
    #expect(sim.hasUndoPoint)
    let once = sim.rollBack()
    #expect(once && sim.clock == 0 && sim.preflightCache.entries.isEmpty)
    let twice = sim.rollBack()
    #expect(!sim.hasUndoPoint && !twice)
  }

  @Test("points nest: fetches taken back one by one return through each state; the earliest beyond 16 go")
  func nested() throws {
    var sim = Simulator(profile: .firefox, page: try Page("https://app.example/"), server: Self.server(maxAge: 30, fresh: 20))
    var numbers = Numbers(state: 7)
    var states: [Simulator] = []
    for _ in 0..<40 {
      states.append(sim)
      sim.markUndoPoint()
      sim.advance(by: Self.wait(&numbers))
      _ = sim.fetch(Self.request(&numbers))
    }
    // At most 16 kept (fewer when the cache compacted its entries at a point: Firefox clears whole URLs).
    let points = sim.undoPointCount
    #expect(points > 1 && points <= Simulator.undoPointsKept)
    while let state = states.popLast(), sim.rollBack() {
      #expect(sim.preflightCache == state.preflightCache && sim.httpCache == state.httpCache && sim.clock == state.clock,
              "back to state \(states.count)")
      #expect(sim.preloads.count == state.preloads.count && sim.preflightCache.derivedPartsAreExact())
    }
    #expect(states.count == 40 - points - 1 && !sim.hasUndoPoint)
  }

  @Test("a preload consumed, then taken back: the next request uses it")
  func preloadConsumed() throws {
    var sim = simulator(routes: [route([acao])])
    var link = ScriptRequest(api: .preload, url: "https://api.example/data")
    link.crossOrigin = .anonymous
    _ = sim.fetch(link)
    sim.markUndoPoint()
    let used = sim.fetch(ScriptRequest(url: "https://api.example/data"))
    #expect(used.answeredByPreload && sim.preloads.isEmpty)
    sim.rollBack()
    #expect(sim.preloads.count == 1)
    let again = sim.fetch(ScriptRequest(url: "https://api.example/data"))
    #expect(again.answeredByPreload)
  }

  @Test("entries that expire during the fetch taken back are there again, and expire again")
  func expiry() throws {
    var sim = simulator(routes: [route([acao, ("Access-Control-Allow-Methods", "PUT"),
                                        ("Access-Control-Max-Age", "10")])])
    let put = ScriptRequest(url: "https://api.example/data", method: "PUT")
    _ = sim.fetch(put)
    let before = sim.preflightCache
    sim.markUndoPoint()
    sim.advance(by: 60)
    let expired = sim.fetch(put)
    #expect(expired.requests.count == 2)  // expired: preflighted again
    sim.rollBack()
    #expect(sim.preflightCache == before && sim.clock == 0)
    let cached = sim.fetch(put)
    #expect(cached.requests.count == 1)  // the cached preflight answers
  }
}
