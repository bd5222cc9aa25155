/// The HTTP cache, as far as it changes CORS outcomes: a response stored for one request and reused for a later
/// one is CORS-checked with the header lines it was stored with, and a fresh hit sends nothing on the wire.
/// RFC 9111 (HTTP Caching) §3 storing, §4 constructing responses from caches; fetch.bs
/// #concept-http-network-or-cache-fetch steps 8.17–8.25 (#determine-the-http-cache-partition).
///
/// Modelled: storing a response to a GET (status 200, 203, 204, 300, 301, 308, 404, 405, 410, 414 or 501) that
/// has explicit freshness (`Cache-Control: max-age`, or `Expires` with `Date`) and no `no-store`; freshness on
/// the virtual clock (`Cache-Control: no-cache` and a lifetime of 0 mean stale); `Vary` (a stored response
/// matches only a request with the same values of the named request headers, absent equal to absent; `Vary: *`
/// never matches); the request's cache mode; each engine's cache key (`BrowserProfile.httpCacheKey`). Not
/// modelled: heuristic freshness, revalidation (a stale entry is fetched anew), `private`/`public`, `Age`,
/// partial content, and the cache's size.
public struct HTTPCache: Sendable, Hashable, UndoableCache {
  /// One stored response.
  public struct Entry: Sendable, Hashable {
    /// The cache key: partition, flags of the engine's key, URL.
    public var key: String
    /// The request header values named by the response's `Vary` (lower-case name → value, nil when absent).
    public var varied: [String: String?]
    /// Whether the response's `Vary` is `*` (never matches).
    public var variesOnEverything: Bool
    public var status: Int
    public var headers: HeaderList
    public var body: String?
    /// The virtual time it was stored, and how long it stays fresh.
    public var storedAt: Double
    public var lifetime: Double
    /// The URL it was stored for (the trace names it).
    public var url: String
  }

  // The stored responses by cache key, each key's by the request header values its `Vary` named (a store replaces the
  // response stored for the same values): a lookup, an invalidation and a store read only their key's responses,
  // and within a key only those whose values match, so that a request costs the same after ten thousand stored
  // responses, or ten thousand variants of one URL, as after one (the variants were a list walked at each store and
  // lookup: 8,000 requests to one URL varying on `Accept` took 38 s).
  private var byKey: [String: Variants] = [:]
  private var stored = 0
  // A cache made by `overlay()` reads the keys it has not touched from the cache it was made from (never
  // changed): what the fix planner's trials run on, so that a trial does not copy every stored response.
  private var base: Snapshot<HTTPCache>? = nil

  struct Stored: Sendable, Hashable {
    var entry: Entry
    var order: Int
  }

  /// One key's stored responses: by the values of the request headers their `Vary` named (lower-case name → value,
  /// nil when absent), with how many responses named each set of names (what a lookup has to look under). A stored
  /// response serves a request only when those values are the request's, and never with `Vary: *` (RFC 9111 §4.1).
  struct Variants: Sendable, Hashable {
    var byValues: [[String: String?]: Stored] = [:]
    var nameSets: [[String]: Int] = [:]

    var isEmpty: Bool { byValues.isEmpty }

    /// Stores a response, replacing the one stored for the same values.
    mutating func put(_ s: Stored) {
      if byValues.updateValue(s, forKey: s.entry.varied) == nil { nameSets[s.entry.varied.keys.sorted(), default: 0] += 1 }
    }

    /// Removes the response stored for these values.
    mutating func remove(_ varied: [String: String?]) {
      guard byValues.removeValue(forKey: varied) != nil else { return }
      let names = varied.keys.sorted()
      if let n = nameSets[names] { nameSets[names] = n > 1 ? n - 1 : nil }
    }

    /// The newest response fresh at `now` (or any, with `allowStale`) whose values are the request's and whose `Vary`
    /// is not `*` (the newest such in the order stored: every response that matches is under its own set of names).
    func lookup(_ headers: HeaderList, now: Double, allowStale: Bool) -> Stored? {
      func usable(_ s: Stored) -> Bool {
        !s.entry.variesOnEverything && (allowStale || now - s.entry.storedAt < s.entry.lifetime)
      }
      var best: Stored? = nil
      if byValues.count <= 8 {
        // A few responses: each compared (cheaper than building the request's values for each set of names).
        for s in byValues.values where usable(s) && (best == nil || s.order > best!.order) {
          if s.entry.varied.allSatisfy({ name, value in headers.get(HeaderName(name)) == value }) { best = s }
        }
        return best
      }
      for names in nameSets.keys {
        var values: [String: String?] = [:]
        for name in names { values[name] = .some(headers.get(HeaderName(name))) }
        if let s = byValues[values], usable(s), best == nil || s.order > best!.order { best = s }
      }
      return best
    }
  }

  // While an undo point is marked (`markUndoPoint`): each change since, in order (a key's responses as they were, or
  // one response as it was under its values), and the count of stores then; or, after `removeAll`, the whole cache
  // as it was.
  var journal = UndoNotes<Journal>()
  enum Change: Sendable {
    case key(String, Variants?)
    case variant(String, [String: String?], Stored?)
  }
  struct Journal: UndoPointNotes {
    var stored: Int
    var changes: [Change] = []
    var whole: Snapshot<HTTPCache>? = nil
  }

  /// Starts noting what the cache changes, so that `rollBack` can return it to what it holds now, keeping at most
  /// `limit` points; returns how many it keeps.
  mutating func markUndoPoint(keeping limit: Int) -> Int { journal.push(Journal(stored: stored), keeping: limit) }

  /// Puts back, latest first, what a point's notes say each change replaced (`UndoableCache.rollBack`).
  mutating func takeBack(_ j: Journal) {
    for change in j.changes.reversed() {
      switch change {
      case .key(let key, let variants): byKey[key] = variants
      case .variant(let key, let varied, let old):
        if let old { byKey[key]!.put(old) } else { byKey[key]!.remove(varied) }
      }
    }
    stored = j.stored
  }

  /// Notes a change about to be made (`isNoting`).
  private mutating func note(_ change: Change) { journal.stack[journal.stack.count - 1].changes.append(change) }

  /// An empty cache.
  public init() {}

  /// The stored responses, oldest first.
  public var entries: [Entry] {
    var all: [Stored] = []
    for key in keys { if let v = variants(key) { all += v.byValues.values } }
    return all.sorted { $0.order < $1.order }.map(\.entry)
  }

  /// Whether nothing is stored.
  public var isEmpty: Bool {
    if byKey.values.contains(where: { !$0.isEmpty }) { return false }
    guard let base else { return true }
    return base.value.keys.allSatisfy { byKey[$0] != nil || base.value.variants($0)?.isEmpty != false }
  }

  /// Empties the cache.
  public mutating func removeAll() {
    keepWholeForUndo()
    byKey = [:]
    base = nil
  }

  /// A cache that starts as this one and copies only the keys it changes.
  func overlay() -> HTTPCache {
    var o = HTTPCache()
    o.stored = stored
    if !isEmpty { o.base = Snapshot(self) }
    return o
  }

  /// Every key with entries, here or in the base.
  private var keys: Set<String> {
    var all = Set(byKey.keys)
    if let base { all.formUnion(base.value.keys) }
    return all
  }

  /// A key's responses (nil: none stored).
  private func variants(_ key: String) -> Variants? {
    if let v = byKey[key] { return v }
    return base?.value.variants(key)
  }

  /// The freshness lifetime of a response, or nil when it is not stored (RFC 9111 §3, §4.2.1): `no-store`,
  /// a method other than GET, a status not cacheable by default, or no explicit freshness.
  static func lifetime(method: String, status: Int, headers: HeaderList,
                       permanentStatusesFreshForever: Bool = false) -> Double? {
    guard method == "GET", [200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501].contains(status) else { return nil }
    // The usual response names neither: no directive and no Expires, so only the permanent statuses' rule below can
    // give it a lifetime (answered here without splitting and lower-casing an absent list).
    if !headers.contains(.cacheControl, or: .expires) {
      return permanentStatusesFreshForever && [300, 301, 308, 410].contains(status) ? .greatestFiniteMagnitude : nil
    }
    let directives = (headers.getDecodeSplit(.cacheControl) ?? []).map { $0.lowercased() }
    if directives.contains("no-store") { return nil }
    var lifetime: Double? = nil
    for d in directives where d.hasPrefix("max-age=") {
      // RFC 9111 §1.2.2 delta-seconds: digits only; the first max-age wins.
      let digits = d.dropFirst("max-age=".count)
      if lifetime == nil, !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
        lifetime = Double(digits) ?? .greatestFiniteMagnitude
      }
    }
    if lifetime == nil, let expires = headers.get(.expires) {
      // RFC 9111 §5.3: an invalid Expires (0, a bad date) means already expired; the lifetime is Expires − Date.
      if let e = HTTPDate.seconds(expires), let date = headers.get(.date).flatMap(HTTPDate.seconds) {
        lifetime = max(0, e - date)
      } else {
        lifetime = 0
      }
    }
    if lifetime == nil && permanentStatusesFreshForever && [300, 301, 308, 410].contains(status) {
      // BrowserProfile.permanentStatusesFreshForever (Chromium's heuristic for permanent answers).
      lifetime = .greatestFiniteMagnitude
    }
    guard let lifetime else { return nil }
    // §5.2.2.4 no-cache: stored, but never used without revalidation (here: never fresh).
    return directives.contains("no-cache") ? 0 : lifetime
  }

  /// True when nothing can be stored, here or in a base (constant time, unlike `isEmpty`): a lookup would find
  /// nothing and an invalidation would change nothing.
  var holdsNothing: Bool { byKey.isEmpty && base == nil }

  /// The fresh entry for a request, if any. `headers` are the request's header lines as sent.
  func lookup(key: String, headers: HeaderList, now: Double, allowStale: Bool) -> Entry? {
    variants(key)?.lookup(headers, now: now, allowStale: allowStale)?.entry
  }

  /// Removes what is stored for a key: a response to an unsafe method invalidates the stored responses of its
  /// target URI (RFC 9111 §4.4).
  mutating func invalidate(key: String) {
    if isNoting {
      let old = byKey[key]
      note(.key(key, old))
    }
    if base == nil { byKey[key] = nil } else { byKey[key] = Variants() }
  }

  /// Stores a response (replacing what was stored for the same key and varied values).
  mutating func store(key: String, url: String, requestHeaders: HeaderList, status: Int, headers: HeaderList,
                      body: String?, now: Double, lifetime: Double) {
    var varied: [String: String?] = [:]
    var star = false
    for name in headers.getDecodeSplit(.vary) ?? [] {
      let lower = name.lowercased()
      if lower == "*" { star = true } else { varied[lower] = requestHeaders.get(HeaderName(lower)) }
    }
    // Taken out while it changes, so that it is the only copy (a key read from the base is copied in).
    var v: Variants
    if let own = byKey.removeValue(forKey: key) {
      if isNoting { note(.variant(key, varied, own.byValues[varied])) }
      v = own
    } else {
      if isNoting { note(.key(key, nil)) }
      v = base?.value.variants(key) ?? Variants()
    }
    stored += 1
    v.put(Stored(entry: Entry(key: key, varied: varied, variesOnEverything: star, status: status, headers: headers,
                              body: body, storedAt: now, lifetime: lifetime, url: url),
                 order: stored))
    byKey[key] = v
  }
}

/// What each engine's HTTP cache key is made of, beyond the URL.
public enum HTTPCacheKeyRule: String, Sendable, Hashable, CaseIterable, Codable {
  /// The network partition key (the top-level site) and the URL: requests with and without credentials share
  /// entries. Chromium: net/http/http_cache.cc GenerateCacheKey (the NetworkIsolationKey's top-frame site);
  /// WebKit: NetworkCache::Key's partition (the top-level origin's domain).
  case partitionAndURL
  /// The partition, whether the request is anonymous (sent without credentials), and the URL: a credentialed
  /// and an anonymous request never share an entry. Gecko: netwerk/protocol/http/nsHttpChannel.cpp
  /// (the cache key gets the `a,` anonymous flag of LOAD_ANONYMOUS) with the first-party OriginAttributes.
  case partitionAnonymousFlagAndURL
}

/// HTTP-date parsing for `Date` and `Expires` (RFC 9110 §5.6.7, IMF-fixdate only): seconds since 1970.
enum HTTPDate {
  static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

  /// `Sun, 06 Nov 1994 08:49:37 GMT` → seconds; nil for anything else.
  static func seconds(_ text: String) -> Double? {
    let parts = text.split(separator: " ")
    guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), parts[1].count == 2,
          let month = months.firstIndex(of: parts[2].lowercased()), let year = Int(parts[3]), parts[3].count == 4
    else { return nil }
    let time = parts[4].split(separator: ":")
    guard time.count == 3, let h = Int(time[0]), let m = Int(time[1]), let s = Int(time[2]),
          (1...31).contains(day), (0...23).contains(h), (0...59).contains(m), (0...60).contains(s) else { return nil }
    // Days since 1970-01-01 by the civil-from-days inverse (Howard Hinnant's algorithm).
    let y = month < 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 10) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    let days = era * 146097 + doe - 719468
    return Double(days * 86400 + h * 3600 + m * 60 + s)
  }
}
