/// One CORS-preflight cache entry. fetch.bs #concept-cache-entry
public struct PreflightCacheEntry: Sendable, Hashable {
  /// The network partition key (here: the page's site).
  public var key: String
  /// The byte-serialized request origin (`null` for tainted or opaque origins).
  public var serializedOrigin: String
  /// The request's current URL, serialized without its fragment.
  public var url: String
  /// Seconds the entry lives, from `storedAt`.
  public var maxAge: Double
  /// The virtual time the entry was created.
  public var storedAt: Double
  /// True when the preflight that made it was credentialed.
  public var credentials: Bool
  /// A method, or `*` (nil for a header-name entry).
  public var method: String?
  /// A header name, or `*` (nil for a method entry).
  public var headerName: String?

  /// The virtual time after which the entry is gone.
  public var expiresAt: Double { storedAt + maxAge }
}

/// The CORS-preflight cache, read against a virtual clock. fetch.bs #concept-cache (§4.9)
public struct PreflightCache: Sendable, Hashable {
  /// The live entries.
  public private(set) var entries: [PreflightCacheEntry] = []
  // No entry expires before this time (a lower bound, exact after each walk): until then, expiry has nothing to
  // remove and does not walk the entries, so that a fetch costs the same with ten thousand entries as with one.
  private var earliestExpiry = Double.infinity

  /// An empty cache.
  public init() {}

  /// What a lookup or update is about: fetch.bs #concept-cache-match's request fields.
  struct Query {
    var key: String
    var serializedOrigin: String
    var url: String
    var credentialsInclude: Bool
  }

  /// Removes expired entries ("cache entries must be removed after max-age seconds have passed").
  mutating func expire(now: Double) {
    if entries.isEmpty || now < earliestExpiry { return }
    entries.removeAll { now >= $0.expiresAt }
    earliestExpiry = entries.reduce(Double.infinity) { min($0, $1.expiresAt) }
  }

  /// Keeps `earliestExpiry` a lower bound after an entry was created or refreshed.
  private mutating func noteExpiry(of i: Int) { earliestExpiry = min(earliestExpiry, entries[i].expiresAt) }

  /// cache entry match: same key, origin and URL, and (entry.credentials or the request is not `include`).
  /// fetch.bs #concept-cache-match
  func matches(_ e: PreflightCacheEntry, _ q: Query, _ profile: BrowserProfile) -> Bool {
    guard e.key == q.key, e.serializedOrigin == q.serializedOrigin, e.url == q.url else { return false }
    if !profile.credentialedEntriesServeUncredentialed {
      // `credentialedEntriesServeUncredentialed` off: the credentials flag is part of the key.
      return e.credentials == q.credentialsInclude
    }
    return e.credentials || !q.credentialsInclude
  }

  /// method cache entry match: the entry's method is `method` or `*`. fetch.bs #concept-cache-match-method
  func methodEntryIndex(_ method: String, _ q: Query, _ profile: BrowserProfile) -> Int? {
    entries.firstIndex { e in
      guard let m = e.method, matches(e, q, profile) else { return false }
      if m == method { return true }
      // Whether a cached `*` matches depends on the profile's `cachedWildcard` rule.
      if m == "*" { return wildcardUsable(e, q, profile) }
      return false
    }
  }

  /// header-name cache entry match: byte-case-insensitive, or `*` for anything but Authorization.
  /// fetch.bs #concept-cache-match-header
  func headerEntryIndex(_ name: String, _ q: Query, _ profile: BrowserProfile) -> Int? {
    entries.firstIndex { e in
      guard let h = e.headerName, matches(e, q, profile) else { return false }
      if HTTPSyntax.equalsIgnoringASCIICase(h, name) { return true }
      if h == "*" {
        // A CORS non-wildcard request-header name (Authorization) is not covered by a cached `*`, unless the
        // profile's rule says so (see `CachedWildcardMatch`).
        let isNonWildcard = HTTPSyntax.equalsIgnoringASCIICase(name, "authorization")
        if isNonWildcard && !profile.cachedWildcard.coversAuthorization { return false }
        return wildcardUsable(e, q, profile)
      }
      return false
    }
  }

  private func wildcardUsable(_ e: PreflightCacheEntry, _ q: Query, _ profile: BrowserProfile) -> Bool {
    switch profile.cachedWildcard {
    // The standard's text matches a `*` entry whatever the credentials (fetch.bs #concept-cache-match-method).
    case .anyRequestButAuthorization: return true
    case .never: return false
    // The cached result's own credentials decide too.
    case .uncredentialedEntryAndRequestButAuthorization: return !e.credentials && !q.credentialsInclude
    // The new request's credentials decide.
    case .uncredentialedRequest: return !q.credentialsInclude
    }
  }

  /// Refreshes or creates a method entry. fetch.bs #cors-preflight-fetch-0 steps 7.12–7.13
  mutating func store(method: String, _ q: Query, maxAge: Double, now: Double, _ profile: BrowserProfile) {
    if let i = methodEntryIndex(method, q, profile) {
      entries[i].maxAge = maxAge
      noteExpiry(of: i)
    } else {
      entries.append(PreflightCacheEntry(key: q.key, serializedOrigin: q.serializedOrigin, url: q.url, maxAge: maxAge,
                                         storedAt: now, credentials: q.credentialsInclude, method: method,
                                         headerName: nil))
      noteExpiry(of: entries.count - 1)
    }
  }

  /// Refreshes or creates a header-name entry. fetch.bs #cors-preflight-fetch-0 steps 7.14–7.15
  mutating func store(headerName: String, _ q: Query, maxAge: Double, now: Double, _ profile: BrowserProfile) {
    if let i = headerEntryIndex(headerName, q, profile) {
      entries[i].maxAge = maxAge
      noteExpiry(of: i)
    } else {
      entries.append(PreflightCacheEntry(key: q.key, serializedOrigin: q.serializedOrigin, url: q.url, maxAge: maxAge,
                                         storedAt: now, credentials: q.credentialsInclude, method: nil,
                                         headerName: headerName))
      noteExpiry(of: entries.count - 1)
    }
  }

  /// Whether a result for the request's URL exists at all (Firefox's per-URL entries; the marker has neither
  /// a method nor a header name).
  func hasResult(_ q: Query, _ profile: BrowserProfile) -> Bool {
    entries.contains { $0.method == nil && $0.headerName == nil && matches($0, q, profile) }
  }

  /// Records that a preflight answered for this URL (see `BrowserProfile.cachesEmptyPreflightResults`).
  mutating func storeResultMarker(_ q: Query, maxAge: Double, now: Double, _ profile: BrowserProfile) {
    if let i = entries.firstIndex(where: { $0.method == nil && $0.headerName == nil && matches($0, q, profile) }) {
      entries[i].maxAge = maxAge
      entries[i].storedAt = now
      noteExpiry(of: i)
    } else {
      entries.append(PreflightCacheEntry(key: q.key, serializedOrigin: q.serializedOrigin, url: q.url, maxAge: maxAge,
                                         storedAt: now, credentials: q.credentialsInclude, method: nil,
                                         headerName: nil))
      noteExpiry(of: entries.count - 1)
    }
  }

  /// Removes every entry for (key, origin, URL), whatever its credentials. fetch.bs #concept-cache-clear
  @discardableResult
  mutating func clear(key: String, serializedOrigin: String, url: String) -> Int {
    let before = entries.count
    entries.removeAll { $0.key == key && $0.serializedOrigin == serializedOrigin && $0.url == url }
    return before - entries.count
  }

  /// Makes room for `n` more entries.
  mutating func reserve(_ n: Int) { entries.reserveCapacity(entries.count + n) }

  /// Empties the cache.
  public mutating func removeAll() {
    entries.removeAll()
    earliestExpiry = .infinity
  }
}
