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
  /// The live entries (of a cache made by `overlay()`: those it copied in from its base or stored itself).
  public private(set) var entries: [PreflightCacheEntry] = []
  // No entry expires before this time (a lower bound, exact after each walk): until then, expiry has nothing to
  // remove and does not walk the entries, so that a fetch costs the same with ten thousand entries as with one.
  private var earliestExpiry = Double.infinity
  // Beyond a handful of entries (a preflight that allowed thousands of header names), the entries by
  // partition and name, so that a lookup does not walk them all. Derived from `entries`.
  private var index: EntryIndex? = nil
  private static let indexedBeyond = 16
  // A cache made by `overlay()` reads through to the cache it was made from (`base`, never changed): the entries
  // of a partition (key, origin, URL) are copied in (`faulted`) the first time the partition is read or changed.
  // Every rule of the cache (match, store, clear) is within one partition, so reading a partition from the base
  // and the rest from the copy is the same as reading a whole copy; the overlay holds only what it touched.
  private var base: Snapshot<PreflightCache>? = nil
  private var faulted: Set<EntryIndex.Partition> = []
  // The latest `now` expiry ran at: an entry copied in from the base later is gone if it had expired by then.
  private var expiredThrough = -Double.infinity
  // While an undo point is marked (`markUndoPoint`): what `rollBack` needs to return to the cache as it was then.
  private var journal = UndoNotes<Journal>()

  /// What the cache changed since its undo point, noted as it changes: the number of entries then (entries are
  /// only appended after it, until a removal), the entries refreshed in place with what they held, and the two
  /// bounds. A removal (expiry, `clear`) renumbers the entries and walks them all already: it keeps the whole cache as
  /// it was at the point instead (`whole`), a copy that costs what the removal costs.
  private struct Journal: Sendable {
    var count: Int
    var earliestExpiry: Double
    var expiredThrough: Double
    var refreshed: [(at: Int, entry: PreflightCacheEntry)] = []
    var whole: Snapshot<PreflightCache>? = nil
  }

  /// An empty cache.
  public init() {}

  /// A cache that starts as this one and copies only the partitions it reads or changes: what the fix planner's
  /// trials run on, so that a trial costs the same after ten thousand cached preflights as after one (copying the
  /// whole cache on a trial's first store made the fixes of N failing steps cost N²).
  func overlay() -> PreflightCache {
    if entries.isEmpty && base == nil { return PreflightCache() }
    var o = PreflightCache()
    o.base = Snapshot(self)
    return o
  }

  /// Copies a partition's entries in from the base, once, before it is read or changed.
  @inline(__always)
  private mutating func fault(_ p: EntryIndex.Partition) {
    guard let base, !faulted.contains(p) else { return }
    keepWholeForUndo()
    faulted.insert(p)
    for e in base.value.entries(of: p) where expiredThrough < e.expiresAt {
      append(e)
      noteExpiry(of: entries.count - 1)
    }
  }

  /// The live entries of one partition, in order (the base's, if not copied in yet).
  private func entries(of p: EntryIndex.Partition) -> [PreflightCacheEntry] {
    if let base, !faulted.contains(p) {
      return base.value.entries(of: p).filter { expiredThrough < $0.expiresAt }
    }
    guard let index else { return entries.filter { EntryIndex.Partition($0) == p } }
    guard let names = index.partitions[p] else { return [] }
    var positions = names.markers
    for list in names.methods.values { positions += list }
    for list in names.headers.values { positions += list }
    return positions.sorted().map { entries[$0] }
  }

  /// What a lookup or update is about: fetch.bs #concept-cache-match's request fields.
  /// What a profile decides for matching entries (the two fields the cache reads), taken from the profile once
  /// per fetch rather than the whole profile passed to every lookup.
  struct Rules: Sendable {
    var credentialedEntriesServeUncredentialed: Bool
    var cachedWildcard: CachedWildcardMatch
    init(_ profile: BrowserProfile) {
      credentialedEntriesServeUncredentialed = profile.credentialedEntriesServeUncredentialed
      cachedWildcard = profile.cachedWildcard
    }
  }

  struct Query {
    var key: String
    var serializedOrigin: String
    var url: String
    var credentialsInclude: Bool
  }

  /// Removes expired entries ("cache entries must be removed after max-age seconds have passed").
  mutating func expire(now: Double) {
    if base != nil { expiredThrough = max(expiredThrough, now) }
    if entries.isEmpty || now < earliestExpiry { return }
    keepWholeForUndo()
    let before = entries.count
    entries.removeAll { now >= $0.expiresAt }
    earliestExpiry = entries.reduce(Double.infinity) { min($0, $1.expiresAt) }
    if entries.count != before { reindex() }
  }

  /// Keeps `earliestExpiry` a lower bound after an entry was created or refreshed.
  private mutating func noteExpiry(of i: Int) { earliestExpiry = min(earliestExpiry, entries[i].expiresAt) }

  /// cache entry match: same key, origin and URL, and (entry.credentials or the request is not `include`).
  /// fetch.bs #concept-cache-match
  func matches(_ e: PreflightCacheEntry, _ q: Query, _ profile: Rules) -> Bool {
    guard e.key == q.key, e.serializedOrigin == q.serializedOrigin, e.url == q.url else { return false }
    if !profile.credentialedEntriesServeUncredentialed {
      // `credentialedEntriesServeUncredentialed` off: the credentials flag is part of the key.
      return e.credentials == q.credentialsInclude
    }
    return e.credentials || !q.credentialsInclude
  }

  /// method cache entry match: the entry's method is `method` or `*`. fetch.bs #concept-cache-match-method
  mutating func methodEntryIndex(_ method: String, _ q: Query, _ profile: Rules) -> Int? {
    fault(EntryIndex.Partition(q))
    func isMatch(_ e: PreflightCacheEntry) -> Bool {
      guard let m = e.method, matches(e, q, profile) else { return false }
      if m == method { return true }
      // Whether a cached `*` matches depends on the profile's `cachedWildcard` rule.
      if m == "*" { return wildcardUsable(e, q, profile) }
      return false
    }
    guard let index else { return entries.firstIndex(where: isMatch) }
    let names = index.partitions[EntryIndex.Partition(q)]
    return firstOf(names?.methods[method], names?.methods["*"], where: isMatch)
  }

  /// header-name cache entry match: byte-case-insensitive, or `*` for anything but Authorization.
  /// fetch.bs #concept-cache-match-header
  mutating func headerEntryIndex(_ name: String, _ q: Query, _ profile: Rules) -> Int? {
    fault(EntryIndex.Partition(q))
    guard let index else { return entries.firstIndex { headerEntryMatches($0, name, q, profile) } }
    return headerEntryIndex(name, q, profile, in: index.partitions[EntryIndex.Partition(q)])
  }

  private func headerEntryIndex(_ name: String, _ q: Query, _ profile: Rules, in names: EntryIndex.Names?) -> Int? {
    firstOf(names?.headers[HTTPSyntax.lowercased(name)], names?.headers["*"]) { headerEntryMatches($0, name, q, profile) }
  }

  /// Whether every name has a header-name entry match (`headerEntryIndex` for each, the partition looked up once).
  mutating func hasHeaderEntries(for names: [String], _ q: Query, _ profile: Rules) -> Bool {
    fault(EntryIndex.Partition(q))
    guard let index else { return names.allSatisfy { headerEntryIndex($0, q, profile) != nil } }
    let partition = index.partitions[EntryIndex.Partition(q)]
    return names.allSatisfy { headerEntryIndex($0, q, profile, in: partition) != nil }
  }

  /// The first of two ascending lists of entry indices whose entry passes `test` (what `firstIndex` over all
  /// entries finds, when every entry that can pass is in one of the lists).
  private func firstOf(_ a: [Int]?, _ b: [Int]?, where test: (PreflightCacheEntry) -> Bool) -> Int? {
    let x = a?.first { test(entries[$0]) }
    let y = b?.first { test(entries[$0]) }
    switch (x, y) {
    case (let x?, let y?): return min(x, y)
    case (let x?, nil): return x
    case (nil, let y?): return y
    case (nil, nil): return nil
    }
  }

  private func headerEntryMatches(_ e: PreflightCacheEntry, _ name: String, _ q: Query, _ profile: Rules) -> Bool {
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

  private mutating func append(_ e: PreflightCacheEntry) {
    entries.append(e)
    if index != nil {
      index!.add(e, at: entries.count - 1)
    } else if entries.count > Self.indexedBeyond {
      reindex()
    }
  }

  private mutating func reindex() {
    index = entries.count > Self.indexedBeyond ? EntryIndex(entries) : nil
  }

  /// The entries' positions by (partition key, origin, URL), then by method or lower-case header name.
  private struct EntryIndex: Sendable, Hashable {
    struct Partition: Hashable, Sendable {
      var key: String, serializedOrigin: String, url: String
      init(key: String, serializedOrigin: String, url: String) {
        self.key = key
        self.serializedOrigin = serializedOrigin
        self.url = url
      }
      init(_ q: Query) {
        key = q.key
        serializedOrigin = q.serializedOrigin
        url = q.url
      }
      init(_ e: PreflightCacheEntry) {
        key = e.key
        serializedOrigin = e.serializedOrigin
        url = e.url
      }
    }
    struct Names: Hashable, Sendable {
      var methods: [String: [Int]] = [:]
      var headers: [String: [Int]] = [:]
      /// Result markers (neither a method nor a header name).
      var markers: [Int] = []
    }
    var partitions: [Partition: Names] = [:]

    init(_ entries: [PreflightCacheEntry]) {
      for (i, e) in entries.enumerated() { add(e, at: i) }
    }

    mutating func add(_ e: PreflightCacheEntry, at i: Int) {
      if let m = e.method { partitions[Partition(e), default: Names()].methods[m, default: []].append(i) }
      if let h = e.headerName { partitions[Partition(e), default: Names()].headers[HTTPSyntax.lowercased(h), default: []].append(i) }
      if e.method == nil && e.headerName == nil { partitions[Partition(e), default: Names()].markers.append(i) }
    }

    /// Takes back `add(e, at: i)` of the last entry (`i` is then the last position of each of its lists), leaving
    /// no empty list or partition behind: the index is then what `init` makes of the entries left.
    mutating func removeLast(_ e: PreflightCacheEntry, at i: Int) {
      let p = Partition(e)
      guard var names = partitions[p] else { return }
      func drop(_ list: inout [Int]?) {
        if list?.last == i { list!.removeLast() }
        if list?.isEmpty == true { list = nil }
      }
      if let m = e.method { drop(&names.methods[m]) }
      if let h = e.headerName { drop(&names.headers[HTTPSyntax.lowercased(h)]) }
      if e.method == nil && e.headerName == nil, names.markers.last == i { names.markers.removeLast() }
      partitions[p] = names.methods.isEmpty && names.headers.isEmpty && names.markers.isEmpty ? nil : names
    }
  }

  private func wildcardUsable(_ e: PreflightCacheEntry, _ q: Query, _ profile: Rules) -> Bool {
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
  mutating func store(method: String, _ q: Query, maxAge: Double, now: Double, _ profile: Rules) {
    if let i = methodEntryIndex(method, q, profile) {
      noteRefresh(of: i)
      entries[i].maxAge = maxAge
      noteExpiry(of: i)
    } else {
      append(PreflightCacheEntry(key: q.key, serializedOrigin: q.serializedOrigin, url: q.url, maxAge: maxAge,
                                         storedAt: now, credentials: q.credentialsInclude, method: method,
                                         headerName: nil))
      noteExpiry(of: entries.count - 1)
    }
  }

  /// Refreshes or creates a header-name entry. fetch.bs #cors-preflight-fetch-0 steps 7.14–7.15
  mutating func store(headerName: String, _ q: Query, maxAge: Double, now: Double, _ profile: Rules) {
    if let i = headerEntryIndex(headerName, q, profile) {
      noteRefresh(of: i)
      entries[i].maxAge = maxAge
      noteExpiry(of: i)
    } else {
      append(PreflightCacheEntry(key: q.key, serializedOrigin: q.serializedOrigin, url: q.url, maxAge: maxAge,
                                         storedAt: now, credentials: q.credentialsInclude, method: nil,
                                         headerName: headerName))
      noteExpiry(of: entries.count - 1)
    }
  }

  /// Whether a result for the request's URL exists at all (Firefox's per-URL entries; the marker has neither
  /// a method nor a header name).
  mutating func hasResult(_ q: Query, _ profile: Rules) -> Bool {
    fault(EntryIndex.Partition(q))
    return resultMarkerIndex(q, profile) != nil
  }

  /// The first result marker that matches the request (from the index's markers of the partition, once indexed).
  private func resultMarkerIndex(_ q: Query, _ profile: Rules) -> Int? {
    func isMatch(_ e: PreflightCacheEntry) -> Bool { e.method == nil && e.headerName == nil && matches(e, q, profile) }
    guard let index else { return entries.firstIndex(where: isMatch) }
    return firstOf(index.partitions[EntryIndex.Partition(q)]?.markers, nil, where: isMatch)
  }

  /// Records that a preflight answered for this URL (see `BrowserProfile.cachesEmptyPreflightResults`).
  mutating func storeResultMarker(_ q: Query, maxAge: Double, now: Double, _ profile: Rules) {
    fault(EntryIndex.Partition(q))
    if let i = resultMarkerIndex(q, profile) {
      noteRefresh(of: i)
      entries[i].maxAge = maxAge
      entries[i].storedAt = now
      noteExpiry(of: i)
    } else {
      append(PreflightCacheEntry(key: q.key, serializedOrigin: q.serializedOrigin, url: q.url, maxAge: maxAge,
                                         storedAt: now, credentials: q.credentialsInclude, method: nil,
                                         headerName: nil))
      noteExpiry(of: entries.count - 1)
    }
  }

  /// Removes every entry for (key, origin, URL), whatever its credentials. fetch.bs #concept-cache-clear
  @discardableResult
  mutating func clear(key: String, serializedOrigin: String, url: String) -> Int {
    fault(EntryIndex.Partition(key: key, serializedOrigin: serializedOrigin, url: url))
    // Every entry is in its partition's lists: no partition, nothing to remove (and no walk over the entries).
    if let index, index.partitions[EntryIndex.Partition(key: key, serializedOrigin: serializedOrigin, url: url)] == nil {
      return 0
    }
    keepWholeForUndo()  // (after the test above: a clear that removes nothing keeps nothing)
    let before = entries.count
    entries.removeAll { $0.key == key && $0.serializedOrigin == serializedOrigin && $0.url == url }
    if entries.count != before { reindex() }
    return before - entries.count
  }

  /// Makes room for `n` more entries. The capacity at least doubles when it grows: `reserveCapacity` gives exactly
  /// what is asked, so asking for a few more on every preflight copied every entry every time (a scenario of N
  /// steps with distinct URLs was quadratic in N).
  mutating func reserve(_ n: Int) {
    let needed = entries.count + n
    if needed > entries.capacity { entries.reserveCapacity(max(needed, 2 * entries.capacity)) }
  }

  /// Starts noting what the cache changes, so that `rollBack` can return it to what it holds now (the point a
  /// marked earlier is forgotten).
  mutating func markUndoPoint() {
    journal.notes = nil
    var j = Journal(count: entries.count, earliestExpiry: earliestExpiry, expiredThrough: expiredThrough)
    // An overlay copies partitions in from its base as it reads them (`fault`): it is kept whole from the start.
    if base != nil { j.whole = Snapshot(self) }
    journal.notes = j
  }

  /// Returns the cache to what it held at the undo point, and forgets the point; what it costs is what the cache
  /// changed since (nothing to do without a point).
  mutating func rollBack() {
    guard let j = journal.notes.take() else { return }
    if let whole = j.whole {
      self = whole.value
      return
    }
    for r in j.refreshed.reversed() { entries[r.at] = r.entry }
    while entries.count > j.count {
      let e = entries.removeLast()
      index?.removeLast(e, at: entries.count)
    }
    if entries.count <= Self.indexedBeyond { index = nil }
    earliestExpiry = j.earliestExpiry
    expiredThrough = j.expiredThrough
  }

  /// Notes what entry `i` holds before it is refreshed in place (an entry appended since the point goes anyway).
  @inline(__always)
  private mutating func noteRefresh(of i: Int) {
    guard journal.notes != nil, journal.notes!.whole == nil, i < journal.notes!.count else { return }
    journal.notes!.refreshed.append((i, entries[i]))
  }

  /// Before a change the journal does not note entry by entry: keeps the cache as it was at the undo point.
  private mutating func keepWholeForUndo() {
    guard journal.notes != nil, journal.notes!.whole == nil else { return }
    var then = self
    then.rollBack()
    journal.notes!.whole = Snapshot(then)
  }

  /// Empties the cache.
  public mutating func removeAll() {
    keepWholeForUndo()
    entries.removeAll()
    earliestExpiry = .infinity
    index = nil
    base = nil
    faulted = []
    expiredThrough = -.infinity
  }
}

/// A value an overlay reads through and never changes (the fix planner's trials: `PreflightCache.overlay`,
/// `HTTPCache.overlay`, `Server.overlay`). Compared by identity: two overlays are alike only over the same base.
final class Snapshot<Value: Sendable>: Sendable, Hashable {
  let value: Value
  init(_ value: Value) { self.value = value }
  static func == (a: Snapshot, b: Snapshot) -> Bool { a === b }
  func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
