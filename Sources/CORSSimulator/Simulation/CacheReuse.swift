/// The concrete sequence behind "CORS fails only sometimes": a response the HTTP cache stored for one request
/// answers a later one that the server would have answered differently (RFC 9111 §4.1: without `Vary: Origin`
/// a stored response matches requests whatever their `Origin`).
public struct CacheReuseSequence: Sendable {
  /// The page and request of each step, in order, with the verdict the engine reaches.
  public var steps: [(page: String, request: ScriptRequest, verdict: Verdict)]
  /// The verdict of the last request made alone, with an empty cache (readable: only the cache makes it fail).
  public var alone: Verdict

  /// One line per step: `page → what → outcome` (the last one names the cache hit).
  public var lines: [String] {
    steps.map { s in
      let what = s.request.api == .element ? "load \(s.request.element?.rawValue ?? "image") \(s.request.url)"
        : "fetch \(s.request.url)\(s.request.credentials.map { " credentials=\($0.rawValue)" } ?? "")"
      let cached = s.verdict.notes.contains(.httpCacheHit) ? " (answered from the HTTP cache)" : ""
      let outcome = s.verdict.reason.map { "network-error: \($0.rawValue)" } ?? s.verdict.outcome.rawValue
      return "\(s.page): \(what)\(cached) → \(outcome)"
    }
  }
}

extension Simulator {
  /// Plays `steps` (page URL, request) in order in one browser of `profile`, sharing its HTTP cache, and returns
  /// the sequence when its last request is answered from the cache and fails although, made alone, it is
  /// readable; nil otherwise (the pages should be of one site: each engine keys its cache by the top-level site).
  /// `server` answers as the real server does; a response without freshness is stored only if a layer (a CDN,
  /// or `Cache-Control` the caller adds) gives it some.
  public static func cacheReuseSequence(profile: BrowserProfile, server: Server,
                                        steps: [(page: URLRecord, request: ScriptRequest)]) -> CacheReuseSequence? {
    guard let last = steps.last else { return nil }
    var sim = Simulator(profile: profile, page: Page(url: steps[0].page), server: server)
    var played: [(page: String, request: ScriptRequest, verdict: Verdict)] = []
    for s in steps {
      sim.page = Page(url: s.page)
      played.append((s.page.origin.serialization, s.request, sim.fetch(s.request)))
    }
    var fresh = Simulator(profile: profile, page: Page(url: last.page), server: server)
    let alone = fresh.fetch(last.request)
    guard let end = played.last?.verdict, end.notes.contains(.httpCacheHit), end.outcome == .networkError,
          alone.outcome == .readable else { return nil }
    return CacheReuseSequence(steps: played, alone: alone)
  }
}
