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
    var capacity = cache.capacity
    var reallocations = 0
    for k in 0..<3_000 {
      cache.reserve(2)
      var query = q
      query.url = "https://api.example/\(k)"
      cache.store(method: "PUT", query, maxAge: 600, now: 0, .init(.chromium))
      cache.store(headerName: "x-token", query, maxAge: 600, now: 0, .init(.chromium))
      if cache.capacity != capacity {
        reallocations += 1
        capacity = cache.capacity
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

  /// The preflight cache as the standard's text has it (fetch.bs §4.9): a list of entries, matched in order, removed
  /// where they are; what the cache's slots, index and expiry heap must answer as.
  struct ListCache {
    var entries: [PreflightCacheEntry] = []
    let cache = PreflightCache()

    func first(_ q: PreflightCache.Query, _ rules: PreflightCache.Rules, _ test: (PreflightCacheEntry) -> Bool) -> Int? {
      entries.firstIndex { cache.matches($0, q, rules) && test($0) }
    }
    mutating func store(method: String, _ q: PreflightCache.Query, maxAge: Double, now: Double, _ rules: PreflightCache.Rules) {
      if let i = first(q, rules, { $0.method == method }) { entries[i].maxAge = maxAge; return }
      entries.append(PreflightCacheEntry(key: q.key, serializedOrigin: q.serializedOrigin, url: q.url, maxAge: maxAge,
                                         storedAt: now, credentials: q.credentialsInclude, method: method, headerName: nil))
    }
    mutating func store(headerName: String, _ q: PreflightCache.Query, maxAge: Double, now: Double, _ rules: PreflightCache.Rules) {
      if let i = first(q, rules, { $0.headerName?.lowercased() == headerName.lowercased() }) { entries[i].maxAge = maxAge; return }
      entries.append(PreflightCacheEntry(key: q.key, serializedOrigin: q.serializedOrigin, url: q.url, maxAge: maxAge,
                                         storedAt: now, credentials: q.credentialsInclude, method: nil, headerName: headerName))
    }
    mutating func storeMarker(_ q: PreflightCache.Query, maxAge: Double, now: Double, _ rules: PreflightCache.Rules) {
      if let i = first(q, rules, { $0.method == nil && $0.headerName == nil }) {
        entries[i].maxAge = maxAge
        entries[i].storedAt = now
        return
      }
      entries.append(PreflightCacheEntry(key: q.key, serializedOrigin: q.serializedOrigin, url: q.url, maxAge: maxAge,
                                         storedAt: now, credentials: q.credentialsInclude, method: nil, headerName: nil))
    }
    mutating func clear(_ q: PreflightCache.Query) -> Int {
      let before = entries.count
      entries.removeAll { $0.key == q.key && $0.serializedOrigin == q.serializedOrigin && $0.url == q.url }
      return before - entries.count
    }
    mutating func expire(now: Double) { entries.removeAll { now >= $0.expiresAt } }
  }

  @Test("the cache answers every operation as the standard's list does, over many URLs, clears, expiries and refreshes")
  func sameAsTheList() {
    // Methods and header names without `*` (the list above matches them literally): the rules of `*` are the
    // overlay test's.
    let rules = PreflightCache.Rules(.chromium)
    for seed in 0..<24 {
      var r = Mix(state: UInt64(seed))
      var cache = PreflightCache(), list = ListCache()
      var now = 0.0
      let urls = 5 + r.next(60)
      for t in 0..<1_200 {
        let q = PreflightCache.Query(key: "https://app.example", serializedOrigin: "https://app.example",
                                     url: "https://api.example/\(r.next(urls))", credentialsInclude: r.next(3) == 0)
        let method = ["PUT", "DELETE", "PATCH"][r.next(3)]
        let header = ["x-a", "X-B", "x-c"][r.next(3)]
        let maxAge = Double(1 + r.next(30))
        var a = "", b = ""
        switch r.next(10) {
        case 0, 1:
          cache.store(method: method, q, maxAge: maxAge, now: now, rules)
          list.store(method: method, q, maxAge: maxAge, now: now, rules)
        case 2, 3:
          cache.store(headerName: header, q, maxAge: maxAge, now: now, rules)
          list.store(headerName: header, q, maxAge: maxAge, now: now, rules)
        case 4:
          cache.storeResultMarker(q, maxAge: maxAge, now: now, rules)
          list.storeMarker(q, maxAge: maxAge, now: now, rules)
        case 5:
          a = "\(cache.clear(key: q.key, serializedOrigin: q.serializedOrigin, url: q.url))"
          b = "\(list.clear(q))"
        case 6:
          now += Double(r.next(8))
          cache.expire(now: now)
          list.expire(now: now)
        case 7:
          a = cache.methodEntryIndex(method, q, rules).map { "\(cache.entry(at: $0))" } ?? "-"
          b = list.first(q, rules) { $0.method == method }.map { "\(list.entries[$0])" } ?? "-"
        case 8:
          a = cache.headerEntryIndex(header, q, rules).map { "\(cache.entry(at: $0))" } ?? "-"
          b = list.first(q, rules) { $0.headerName?.lowercased() == header.lowercased() }.map { "\(list.entries[$0])" } ?? "-"
        default:
          a = "\(cache.hasResult(q, rules))"
          b = "\(list.first(q, rules) { $0.method == nil && $0.headerName == nil } != nil)"
        }
        #expect(a == b, "seed \(seed), operation \(t)")
        #expect(cache.entries == list.entries, "seed \(seed), operation \(t)")
        #expect(cache.derivedPartsAreExact(), "seed \(seed), operation \(t)")
        if a != b || cache.entries != list.entries { return }
      }
    }
  }

  @Test("clearing one URL's entries over and over among many cached URLs keeps the slots within twice the live entries")
  func clearsCompact() {
    var cache = PreflightCache()
    let rules = PreflightCache.Rules(.firefox)
    func query(_ url: String) -> PreflightCache.Query {
      PreflightCache.Query(key: "https://app.example", serializedOrigin: "https://app.example", url: url,
                           credentialsInclude: false)
    }
    for k in 0..<1_000 { cache.store(method: "PUT", query("https://api.example/r\(k)"), maxAge: 600, now: 0, rules) }
    for _ in 0..<10_000 {
      cache.store(method: "PUT", query("https://api.example/x"), maxAge: 600, now: 0, rules)
      cache.store(headerName: "x-a", query("https://api.example/x"), maxAge: 600, now: 0, rules)
      #expect(cache.clear(key: "https://app.example", serializedOrigin: "https://app.example", url: "https://api.example/x") == 2)
    }
    #expect(cache.entries.count == 1_000)
    #expect(cache.capacity <= 4 * 1_000 + 64, "\(cache.capacity) slots")
    #expect(cache.derivedPartsAreExact())
  }

  /// The HTTP cache as a list per key, newest last (a store removes the response with the same varied values and
  /// appends; a lookup walks from the newest): what the cache's variants by values must answer as.
  struct ListHTTPCache {
    var lists: [String: [HTTPCache.Entry]] = [:]
    var all: [HTTPCache.Entry] = []
    mutating func store(_ e: HTTPCache.Entry) {
      lists[e.key, default: []].removeAll { $0.varied == e.varied }
      lists[e.key]!.append(e)
      all.removeAll { $0.key == e.key && $0.varied == e.varied }
      all.append(e)
    }
    mutating func invalidate(_ key: String) {
      lists[key] = nil
      all.removeAll { $0.key == key }
    }
    func lookup(_ key: String, _ headers: HeaderList, now: Double, allowStale: Bool) -> HTTPCache.Entry? {
      for e in (lists[key] ?? []).reversed() where !e.variesOnEverything {
        guard allowStale || now - e.storedAt < e.lifetime else { continue }
        if e.varied.allSatisfy({ headers.get(HeaderName($0.key)) == $0.value }) { return e }
      }
      return nil
    }
  }

  @Test("the HTTP cache answers every store, lookup and invalidation as a list per key does, with many variants")
  func httpCacheSameAsTheList() {
    for seed in 0..<30 {
      var r = Mix(state: UInt64(seed))
      var cache = HTTPCache(), list = ListHTTPCache()
      var now = 0.0
      for t in 0..<1_000 {
        let key = "k\(r.next(3))"
        // Up to 30 values of a header, so a key holds more variants than are compared one by one (8).
        let request = HeaderList(pairs: [("Accept", "v\(r.next(30))"), ("X-A", "\(r.next(2))")].filter { _ in r.next(4) != 0 })
        switch r.next(6) {
        case 0, 1, 2:
          let vary = [["Accept"], ["Accept", "X-A"], ["X-A"], [], ["*", "Accept"]][r.next(5)]
          let response = HeaderList(pairs: vary.isEmpty ? [] : [("Vary", vary.joined(separator: ", "))])
          let lifetime = Double(r.next(20))
          cache.store(key: key, url: key, requestHeaders: request, status: 200, headers: response, body: "\(t)",
                      now: now, lifetime: lifetime)
          list.store(cache.entries.last { $0.key == key && $0.body == "\(t)" }!)
        case 3:
          cache.invalidate(key: key)
          list.invalidate(key)
        case 4:
          now += Double(r.next(6))
        default:
          let stale = r.next(3) == 0
          let a = cache.lookup(key: key, headers: request, now: now, allowStale: stale)
          #expect(a == list.lookup(key, request, now: now, allowStale: stale), "seed \(seed), operation \(t)")
        }
        #expect(cache.entries == list.all, "seed \(seed), operation \(t)")
        if cache.entries != list.all { return }
      }
    }
  }

  // MARK: Overlays (the fix planner's trials)

  /// A small deterministic generator (SplitMix64), so that a failure names a seed that replays it.
  struct Mix {
    var state: UInt64
    mutating func next(_ n: Int) -> Int {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return Int((z ^ (z >> 31)) % UInt64(n))
    }
  }

  /// One random operation on a preflight cache, and what it answered (entries compared by content, not position).
  func step(_ cache: inout PreflightCache, _ r: inout Mix, now: Double, profile: BrowserProfile) -> String {
    let q = PreflightCache.Query(key: "https://app.example", serializedOrigin: ["https://app.example", "null"][r.next(2)],
                                 url: "https://api.example/\(r.next(6))", credentialsInclude: r.next(2) == 0)
    let method = ["PUT", "DELETE", "*"][r.next(3)]
    let header = ["x-a", "X-B", "*", "authorization"][r.next(4)]
    switch r.next(8) {
    case 0: cache.store(method: method, q, maxAge: Double(r.next(4) * 5), now: now, .init(profile)); return "store"
    case 1: cache.store(headerName: header, q, maxAge: Double(r.next(4) * 5), now: now, .init(profile)); return "store"
    case 2: cache.storeResultMarker(q, maxAge: Double(r.next(4) * 5), now: now, .init(profile)); return "marker"
    case 3: return "clear \(cache.clear(key: q.key, serializedOrigin: q.serializedOrigin, url: q.url))"
    case 4: cache.expire(now: now); return "expire"
    case 5: return "method \(cache.methodEntryIndex(method, q, .init(profile)).map { String(describing: cache.entry(at: $0)) } ?? "-")"
    case 6: return "header \(cache.headerEntryIndex(header, q, .init(profile)).map { String(describing: cache.entry(at: $0)) } ?? "-")"
    default: return "names \(cache.hasHeaderEntries(for: [header, "x-a"], q, .init(profile))) result \(cache.hasResult(q, .init(profile)))"
    }
  }

  @Test("a preflight cache's overlay answers every operation as a copy of the cache would", arguments: Engine.allWithSpec)
  func preflightOverlayEquivalence(_ engine: Engine) {
    let profile = BrowserProfile.forEngine(engine)
    for seed in 0..<200 {
      var r = Mix(state: UInt64(seed))
      var base = PreflightCache()
      // Enough entries to be indexed (beyond 16) in half the seeds.
      for t in 0..<(seed % 2 == 0 ? 10 : 60) { _ = step(&base, &r, now: Double(t), profile: profile) }
      var copy = base, overlay = base.overlay()
      let frozen = base
      for t in 0..<40 {
        var r1 = r, r2 = r
        let now = Double(60 + t)
        let a = step(&copy, &r1, now: now, profile: profile), b = step(&overlay, &r2, now: now, profile: profile)
        #expect(a == b, "seed \(seed), operation \(t)")
        #expect(copy.derivedPartsAreExact() && overlay.derivedPartsAreExact(), "seed \(seed), operation \(t)")
        if a != b { return }
        r = r1
      }
      // The overlay never changes what it reads through.
      #expect(base == frozen)
    }
  }

  @Test("a trial on an overlay copies only the partition it touches, not the cache the earlier steps filled")
  func overlayCopiesOnePartition() {
    var cache = PreflightCache()
    for k in 0..<5_000 {
      let q = PreflightCache.Query(key: "https://app.example", serializedOrigin: "https://app.example",
                                   url: "https://api.example/r\(k)", credentialsInclude: false)
      cache.store(method: "PUT", q, maxAge: 600, now: 0, .init(.chromium))
      cache.store(headerName: "x-token", q, maxAge: 600, now: 0, .init(.chromium))
    }
    var trial = cache.overlay()
    let q = PreflightCache.Query(key: "https://app.example", serializedOrigin: "https://app.example",
                                 url: "https://api.example/r7", credentialsInclude: false)
    #expect(trial.methodEntryIndex("PUT", q, .init(.chromium)) != nil)
    trial.store(method: "DELETE", q, maxAge: 600, now: 1, .init(.chromium))
    // r7's two entries copied in, one stored: three, of 10,001.
    #expect(trial.entries.count == 3)
    #expect(cache.entries.count == 10_000)
  }

  @Test("an HTTP cache's overlay reads what the cache stored and changes only its own copy")
  func httpOverlay() {
    var cache = HTTPCache()
    for k in 0..<1_000 {
      cache.store(key: "k\(k)", url: "https://api.example/r\(k)", requestHeaders: HeaderList(), status: 200,
                  headers: HeaderList(pairs: [("Cache-Control", "max-age=60")]), body: "\(k)", now: 0, lifetime: 60)
    }
    var trial = cache.overlay()
    #expect(trial.lookup(key: "k5", headers: HeaderList(), now: 1, allowStale: false)?.body == "5")
    trial.invalidate(key: "k5")
    trial.store(key: "k6", url: "https://api.example/r6", requestHeaders: HeaderList(), status: 200,
                headers: HeaderList(), body: "new", now: 2, lifetime: 60)
    #expect(trial.lookup(key: "k5", headers: HeaderList(), now: 3, allowStale: false) == nil)
    #expect(trial.lookup(key: "k6", headers: HeaderList(), now: 3, allowStale: false)?.body == "new")
    #expect(trial.entries.count == 999)
    #expect(trial.entries.last?.body == "new")
    // The cache it reads through is unchanged.
    #expect(cache.lookup(key: "k5", headers: HeaderList(), now: 3, allowStale: false)?.body == "5")
    #expect(cache.lookup(key: "k6", headers: HeaderList(), now: 3, allowStale: false)?.body == "6")
    trial.removeAll()
    #expect(trial.isEmpty && !cache.isEmpty)
  }

  @Test("a server's overlay, changed by fixes, answers every request as the changed server does")
  func serverOverlayEquivalence() throws {
    let urls = ["https://api.example/a", "https://api.example/a/b", "https://api.example/c", "https://cdn.example/a"]
    let methods: [Method?] = [nil, .get, .options, .put]
    for seed in 0..<300 {
      var r = Mix(state: UInt64(seed) &* 7919)
      var routes: [Route] = []
      for _ in 0..<r.next(8) {
        var headers = HeaderList()
        if r.next(2) == 0 { headers.append(HeaderField("Access-Control-Allow-Origin", ["*", "https://app.example"][r.next(2)])) }
        if r.next(3) == 0 { headers.append(HeaderField("Vary", "Origin")) }
        routes.append(Route(method: methods[r.next(4)], url: try URLRecord(urls[r.next(4)]), status: [200, 204, 500][r.next(3)],
                            headers: headers, answeredBy: r.next(4) == 0 ? "cdn" : Layer.application))
      }
      var layers: [Layer] = []
      if r.next(2) == 0 {
        layers.append(Layer(name: "cdn", urlPrefix: r.next(2) == 0 ? nil : urls[r.next(4)], method: methods[r.next(4)],
                            operations: [.set(HeaderName("Access-Control-Allow-Origin"), "*"), .add(HeaderName("X-Cdn"), "1")]))
      }
      let server = Server(routes: routes, layers: layers)
      var edits: [Fix.ServerEdit] = []
      for _ in 0..<(1 + r.next(4)) {
        let response = Fix.Response(method: (methods[r.next(4)] ?? .get).rawValue, url: urls[r.next(4)])
        let change: Fix.ServerChange = [
          .setHeader("Access-Control-Allow-Origin", "https://app.example"), .removeHeader("Vary"),
          .status(204), .addResponse(status: 200), .setHeader("Access-Control-Allow-Methods", "PUT"),
        ][r.next(5)]
        edits.append(Fix.ServerEdit(response, layer: r.next(3) == 0 ? "cdn" : Layer.application, change))
      }
      let whole = server.applying(edits, normalized: true)
      let trial = server.overlay().applying(edits, normalized: true)
      for url in urls {
        for method in methods.compactMap({ $0 }) {
          let a = whole.respond(method: method, url: try URLRecord(url)), b = trial.respond(method: method, url: try URLRecord(url))
          #expect(a.status == b.status && a.headers == b.headers && a.routeOwner == b.routeOwner
                    && (a.routeIndex == nil) == (b.routeIndex == nil), "seed \(seed): \(method) \(url)")
          if a.headers != b.headers || a.status != b.status { return }
        }
      }
    }
  }

  @Test("a fix's trial on a server of many routes copies only the routes of the URL it changes")
  func serverOverlayCopiesOneURL() throws {
    let routes = try (0..<5_000).map { k in try Route(url: "https://api.example/r\(k)", headers: [("Access-Control-Allow-Origin", "*")]) }
    let server = Server(routes: routes)
    let trial = server.overlay().applying([Fix.ServerEdit(Fix.Response(method: "OPTIONS", url: "https://api.example/r7"),
                                                         .setHeader("Access-Control-Allow-Methods", "PUT"))], normalized: true)
    // The route for any method, copied in, and its copy for OPTIONS inserted before it: two, of 5,001.
    #expect(trial.routes.count == 2)
    #expect(trial.respond(method: .options, url: try URLRecord("https://api.example/r7")).headers.get(.accessControlAllowMethods) == "PUT")
    #expect(trial.respond(method: .get, url: try URLRecord("https://api.example/r9")).headers.get(.accessControlAllowOrigin) == "*")
    #expect(server.respond(method: .options, url: try URLRecord("https://api.example/r7")).headers.get(.accessControlAllowMethods) == nil)
  }
}
