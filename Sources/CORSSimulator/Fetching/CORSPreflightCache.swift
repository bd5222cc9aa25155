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
public struct PreflightCache: Sendable, UndoableCache {
  // The entries in the order they were created, each in a slot that keeps its number until the cache is compacted:
  // an entry removed (expired, cleared) is only marked gone, so that removing a partition's entries costs that
  // partition, not the whole cache (a failed preflight's `clear` rebuilt the index of every entry: a scenario that
  // cached 8,000 URLs and cleared one after each took 354 s). Gone slots are dropped (`compact`) once they outnumber
  // the live ones. `gone` is as long as the last slot marked gone (the slots after it are live): until an entry is
  // removed, a cache makes no allocation for it.
  private var slots: [PreflightCacheEntry] = []
  private var gone: [Bool] = []
  private var goneCount = 0
  // Beyond a handful of slots (a preflight that allowed thousands of header names), the live entries by partition
  // and name, so that a lookup does not walk them all. Derived from the live slots.
  private var index: EntryIndex? = nil
  private static let indexedBeyond = 16
  // When entries expire: a min-heap of (expiry time, slot) holding at least the pair of every live slot (a pair whose
  // slot is gone or expires at another time since is let go when it comes up), so that expiry finds what it removes
  // without a walk over the entries. Made the first time an entry expires; until then, `earliestExpiry` is a lower
  // bound of the live entries' expiry times (a cache whose entries never expire has no heap to keep).
  private var expiries: ExpiryHeap? = nil
  private var earliestExpiry = Double.infinity
  // A cache made by `overlay()` reads through to the cache it was made from (`base`, never changed): the entries
  // of a partition (key, origin, URL) are copied in (`faulted`) the first time the partition is read or changed.
  // Every rule of the cache (match, store, clear) is within one partition, so reading a partition from the base
  // and the rest from the copy is the same as reading a whole copy; the overlay holds only what it touched.
  private var base: Snapshot<PreflightCache>? = nil
  private var faulted: Set<EntryIndex.Partition> = []
  // The latest `now` expiry ran at: an entry copied in from the base later is gone if it had expired by then.
  private var expiredThrough = -Double.infinity
  // While an undo point is marked (`markUndoPoint`): what `rollBack` needs to return to the cache as it was then.
  var journal = UndoNotes<Journal>()

  /// What the cache changed since its undo point, noted as it changes: the number of slots then (slots are only
  /// appended after it, and not renumbered: the cache is not compacted while a point is marked), the live slots
  /// changed in place with what they held (refreshed, or marked gone), and the two bounds. After `removeAll`, or in an
  /// overlay (which copies partitions in as it reads them), the whole cache as it was (`whole`) instead.
  struct Journal: UndoPointNotes {
    var count: Int
    var earliestExpiry: Double
    var expiredThrough: Double
    var changed: [(slot: Int, entry: PreflightCacheEntry)] = []
    var whole: Snapshot<PreflightCache>? = nil
  }

  /// An empty cache.
  public init() {}

  /// The live entries, in the order they were created (of a cache made by `overlay()`: those it copied in from its
  /// base or stored itself).
  public var entries: [PreflightCacheEntry] { slots.indices.filter { !isGone($0) }.map { slots[$0] } }

  @inline(__always)
  private func isGone(_ slot: Int) -> Bool { slot < gone.count && gone[slot] }

  /// The entry in a slot (what `methodEntryIndex` and `headerEntryIndex` give).
  func entry(at slot: Int) -> PreflightCacheEntry { slots[slot] }

  /// A cache that starts as this one and copies only the partitions it reads or changes: what the fix planner's
  /// trials run on, so that a trial costs the same after ten thousand cached preflights as after one (copying the
  /// whole cache on a trial's first store made the fixes of N failing steps cost N²).
  func overlay() -> PreflightCache {
    if slots.count == goneCount && base == nil { return PreflightCache() }
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
    for e in base.value.entries(of: p) where expiredThrough < e.expiresAt { append(e) }
  }

  /// The live entries of one partition, in order (the base's, if not copied in yet).
  private func entries(of p: EntryIndex.Partition) -> [PreflightCacheEntry] {
    if let base, !faulted.contains(p) {
      return base.value.entries(of: p).filter { expiredThrough < $0.expiresAt }
    }
    return slots(of: p).map { slots[$0] }
  }

  /// The live slots of one partition, in order.
  private func slots(of p: EntryIndex.Partition) -> [Int] {
    guard let index else { return slots.indices.filter { !isGone($0) && EntryIndex.Partition(slots[$0]) == p } }
    return index.partitions[p]?.slots.sorted() ?? []
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

  /// Removes expired entries ("cache entries must be removed after max-age seconds have passed"): those whose time
  /// has come, taken from the heap, without a walk over the others.
  mutating func expire(now: Double) {
    if base != nil { expiredThrough = max(expiredThrough, now) }
    guard now >= (expiries == nil ? earliestExpiry : expiries!.first?.at ?? .infinity) else { return }
    if expiries == nil { makeExpiries() }
    var removed = false
    while let top = expiries!.first, now >= top.at {
      expiries!.removeFirst()
      // A pair whose slot is gone, or expires at another time since (refreshed), is let go.
      guard top.slot < slots.count, !isGone(top.slot), slots[top.slot].expiresAt == top.at else { continue }
      markGone(top.slot)
      removed = true
    }
    if removed { compactIfSparse() }
  }

  /// cache entry match: same key, origin and URL, and (entry.credentials or the request is not `include`).
  /// fetch.bs #concept-cache-match
  func matches(_ e: PreflightCacheEntry, _ q: Query, _ profile: Rules) -> Bool {
    Self.matches(e.key, e.serializedOrigin, e.url, e.credentials, q, profile)
  }

  @inline(__always)
  private static func matches(_ key: String, _ serializedOrigin: String, _ url: String, _ credentials: Bool,
                              _ q: Query, _ profile: Rules) -> Bool {
    guard key == q.key, serializedOrigin == q.serializedOrigin, url == q.url else { return false }
    if !profile.credentialedEntriesServeUncredentialed {
      // `credentialedEntriesServeUncredentialed` off: the credentials flag is part of the key.
      return credentials == q.credentialsInclude
    }
    return credentials || !q.credentialsInclude
  }

  /// Whether the entry in `slot` matches the query (`matches`, the entry read in place).
  private func slotMatches(_ slot: Int, _ q: Query, _ profile: Rules) -> Bool {
    Self.matches(slots[slot].key, slots[slot].serializedOrigin, slots[slot].url, slots[slot].credentials, q, profile)
  }

  /// The first live slot, in order, that passes `test` (a walk: the cache is not indexed).
  // (The tests are given slots and read the entries in place: an entry handed to a closure was copied first, its
  // five strings retained and released.)
  private func firstLiveSlot(where test: (Int) -> Bool) -> Int? {
    slots.indices.first { !isGone($0) && test($0) }
  }

  /// method cache entry match: the entry's method is `method` or `*`. fetch.bs #concept-cache-match-method
  mutating func methodEntryIndex(_ method: String, _ q: Query, _ profile: Rules) -> Int? {
    fault(EntryIndex.Partition(q))
    func isMatch(_ slot: Int) -> Bool {
      guard slots[slot].method != nil, slotMatches(slot, q, profile) else { return false }
      if slots[slot].method! == method { return true }
      // Whether a cached `*` matches depends on the profile's `cachedWildcard` rule.
      if slots[slot].method! == "*" { return wildcardUsable(slots[slot].credentials, q, profile) }
      return false
    }
    guard let index else { return firstLiveSlot(where: isMatch) }
    let names = index.partitions[EntryIndex.Partition(q)]
    return firstOf(names?.methods[method], names?.methods["*"], where: isMatch)
  }

  /// header-name cache entry match: byte-case-insensitive, or `*` for anything but Authorization.
  /// fetch.bs #concept-cache-match-header
  mutating func headerEntryIndex(_ name: String, _ q: Query, _ profile: Rules) -> Int? {
    fault(EntryIndex.Partition(q))
    guard let index else { return firstLiveSlot { headerEntryMatches($0, name, q, profile) } }
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

  /// The first of two ascending lists of slots whose entry passes `test` (what a walk over the live slots finds,
  /// when every live slot that can pass is in one of the lists; the lists hold live slots only).
  private func firstOf(_ a: [Int]?, _ b: [Int]?, where test: (Int) -> Bool) -> Int? {
    let x = a?.first(where: test)
    let y = b?.first(where: test)
    switch (x, y) {
    case (let x?, let y?): return min(x, y)
    case (let x?, nil): return x
    case (nil, let y?): return y
    case (nil, nil): return nil
    }
  }

  private func headerEntryMatches(_ slot: Int, _ name: String, _ q: Query, _ profile: Rules) -> Bool {
    guard slots[slot].headerName != nil, slotMatches(slot, q, profile) else { return false }
    if HTTPSyntax.equalsIgnoringASCIICase(slots[slot].headerName!, name) { return true }
    if slots[slot].headerName! == "*" {
      // A CORS non-wildcard request-header name (Authorization) is not covered by a cached `*`, unless the
      // profile's rule says so (see `CachedWildcardMatch`).
      let isNonWildcard = HTTPSyntax.equalsIgnoringASCIICase(name, "authorization")
      if isNonWildcard && !profile.cachedWildcard.coversAuthorization { return false }
      return wildcardUsable(slots[slot].credentials, q, profile)
    }
    return false
  }

  private mutating func append(_ e: consuming PreflightCacheEntry) {
    // (Taken over and moved into its slot: a temporary entry is not copied, then freed.)
    slots.append(e)
    let slot = slots.count - 1
    noteExpiry(of: slot)
    if index != nil {
      index!.add(slots[slot], at: slot)
    } else if slots.count > Self.indexedBeyond {
      reindex()
    }
  }

  /// Marks a live slot gone: out of the index (its lists and, when they are empty, its partition), noted for undo.
  private mutating func markGone(_ slot: Int) {
    noteChange(of: slot)
    if gone.count <= slot { gone += repeatElement(false, count: slot + 1 - gone.count) }
    gone[slot] = true
    goneCount += 1
    index?.remove(slots[slot], at: slot)
  }

  /// Drops the gone slots once they outnumber the live ones (so the cost of dropping is paid for by the removals
  /// that made them), renumbering the rest: never while an undo point is marked, whose notes name slots by number
  /// (`markUndoPoint` compacts first).
  private mutating func compactIfSparse() {
    guard journal.stack.isEmpty, goneCount > slots.count - goneCount + Self.indexedBeyond else { return }
    compact()
  }

  private mutating func compact() {
    guard goneCount > 0 else { return }
    slots = slots.indices.filter { !isGone($0) }.map { slots[$0] }
    gone = []
    goneCount = 0
    reindex()
    // The slots are renumbered: the heap, if there is one, is made anew.
    if expiries != nil { makeExpiries() }
  }

  /// The index made anew from the live slots (none for a handful of slots).
  private mutating func reindex() {
    index = slots.count > Self.indexedBeyond ? EntryIndex(slots, gone: gone) : nil
  }

  /// The expiry heap made from the live slots.
  private mutating func makeExpiries() {
    var live: [(Double, Int)] = []
    live.reserveCapacity(slots.count - goneCount)
    for i in slots.indices where !isGone(i) { live.append((slots[i].expiresAt, i)) }
    expiries = ExpiryHeap(live)
  }

  /// A live slot's expiry, created or changed: on the heap once there is one, else in the lower bound.
  @inline(__always)
  private mutating func noteExpiry(of slot: Int) {
    if expiries != nil {
      expiries!.insert(at: slots[slot].expiresAt, slot: slot)
    } else {
      earliestExpiry = min(earliestExpiry, slots[slot].expiresAt)
    }
  }

  /// The live slots by (partition key, origin, URL), then by method or lower-case header name, each list ascending.
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
      var isEmpty: Bool { methods.isEmpty && headers.isEmpty && markers.isEmpty }
      /// Every slot of the partition (in no order).
      var slots: [Int] { markers + methods.values.joined() + headers.values.joined() }
    }
    var partitions: [Partition: Names] = [:]

    init(_ slots: [PreflightCacheEntry], gone: [Bool]) {
      for (i, e) in slots.enumerated() where i >= gone.count || !gone[i] { add(e, at: i) }
    }

    mutating func add(_ e: PreflightCacheEntry, at i: Int) {
      if let m = e.method { partitions[Partition(e), default: Names()].methods[m, default: []].append(i) }
      if let h = e.headerName { partitions[Partition(e), default: Names()].headers[HTTPSyntax.lowercased(h), default: []].append(i) }
      if e.method == nil && e.headerName == nil { partitions[Partition(e), default: Names()].markers.append(i) }
    }

    /// Puts back slot `i` (taken out by `remove`) at its place in its ascending list.
    mutating func insert(_ e: PreflightCacheEntry, at i: Int) {
      func place(_ list: inout [Int]) { list.insert(i, at: list.firstIndex { $0 > i } ?? list.count) }
      if let m = e.method { place(&partitions[Partition(e), default: Names()].methods[m, default: []]) }
      if let h = e.headerName { place(&partitions[Partition(e), default: Names()].headers[HTTPSyntax.lowercased(h), default: []]) }
      if e.method == nil && e.headerName == nil { place(&partitions[Partition(e), default: Names()].markers) }
    }

    /// Takes slot `i` out of its list, leaving no empty list or partition behind (the index is then what `init`
    /// makes of the slots left).
    mutating func remove(_ e: PreflightCacheEntry, at i: Int) {
      let p = Partition(e)
      guard var names = partitions[p] else { return }
      func drop(_ list: inout [Int]?) {
        if let k = list?.lastIndex(of: i) { list!.remove(at: k) }
        if list?.isEmpty == true { list = nil }
      }
      if let m = e.method { drop(&names.methods[m]) }
      if let h = e.headerName { drop(&names.headers[HTTPSyntax.lowercased(h)]) }
      if e.method == nil && e.headerName == nil, let k = names.markers.lastIndex(of: i) { names.markers.remove(at: k) }
      partitions[p] = names.isEmpty ? nil : names
    }
  }

  private func wildcardUsable(_ entryCredentials: Bool, _ q: Query, _ profile: Rules) -> Bool {
    switch profile.cachedWildcard {
    // The standard's text matches a `*` entry whatever the credentials (fetch.bs #concept-cache-match-method).
    case .anyRequestButAuthorization: return true
    case .never: return false
    // The cached result's own credentials decide too.
    case .uncredentialedEntryAndRequestButAuthorization: return !entryCredentials && !q.credentialsInclude
    // The new request's credentials decide.
    case .uncredentialedRequest: return !q.credentialsInclude
    }
  }

  /// Refreshes or creates a method entry. fetch.bs #cors-preflight-fetch-0 steps 7.12–7.13
  mutating func store(method: String, _ q: Query, maxAge: Double, now: Double, _ profile: Rules) {
    if let i = methodEntryIndex(method, q, profile) {
      refresh(i) { $0.maxAge = maxAge }
    } else {
      append(PreflightCacheEntry(key: q.key, serializedOrigin: q.serializedOrigin, url: q.url, maxAge: maxAge,
                                 storedAt: now, credentials: q.credentialsInclude, method: method, headerName: nil))
    }
  }

  /// Refreshes or creates a header-name entry. fetch.bs #cors-preflight-fetch-0 steps 7.14–7.15
  mutating func store(headerName: String, _ q: Query, maxAge: Double, now: Double, _ profile: Rules) {
    if let i = headerEntryIndex(headerName, q, profile) {
      refresh(i) { $0.maxAge = maxAge }
    } else {
      append(PreflightCacheEntry(key: q.key, serializedOrigin: q.serializedOrigin, url: q.url, maxAge: maxAge,
                                 storedAt: now, credentials: q.credentialsInclude, method: nil,
                                 headerName: headerName))
    }
  }

  /// Changes a live entry in place (its max-age, its time), noted for undo; its new expiry goes on the heap.
  private mutating func refresh(_ slot: Int, _ change: (inout PreflightCacheEntry) -> Void) {
    noteChange(of: slot)
    change(&slots[slot])
    noteExpiry(of: slot)
  }

  /// Whether a result for the request's URL exists at all (Firefox's per-URL entries; the marker has neither
  /// a method nor a header name).
  mutating func hasResult(_ q: Query, _ profile: Rules) -> Bool {
    fault(EntryIndex.Partition(q))
    return resultMarkerIndex(q, profile) != nil
  }

  /// The first result marker that matches the request (from the index's markers of the partition, once indexed).
  private func resultMarkerIndex(_ q: Query, _ profile: Rules) -> Int? {
    func isMatch(_ slot: Int) -> Bool {
      slots[slot].method == nil && slots[slot].headerName == nil && slotMatches(slot, q, profile)
    }
    guard let index else { return firstLiveSlot(where: isMatch) }
    return firstOf(index.partitions[EntryIndex.Partition(q)]?.markers, nil, where: isMatch)
  }

  /// Records that a preflight answered for this URL (see `BrowserProfile.cachesEmptyPreflightResults`).
  mutating func storeResultMarker(_ q: Query, maxAge: Double, now: Double, _ profile: Rules) {
    fault(EntryIndex.Partition(q))
    if let i = resultMarkerIndex(q, profile) {
      refresh(i) {
        $0.maxAge = maxAge
        $0.storedAt = now
      }
    } else {
      append(PreflightCacheEntry(key: q.key, serializedOrigin: q.serializedOrigin, url: q.url, maxAge: maxAge,
                                 storedAt: now, credentials: q.credentialsInclude, method: nil, headerName: nil))
    }
  }

  /// Removes every entry for (key, origin, URL), whatever its credentials: those of the partition's lists once
  /// indexed, without a walk over the others. fetch.bs #concept-cache-clear
  @discardableResult
  mutating func clear(key: String, serializedOrigin: String, url: String) -> Int {
    let p = EntryIndex.Partition(key: key, serializedOrigin: serializedOrigin, url: url)
    fault(p)
    let removed = slots(of: p)
    for slot in removed { markGone(slot) }
    if !removed.isEmpty { compactIfSparse() }
    return removed.count
  }

  /// Makes room for `n` more entries. The capacity at least doubles when it grows: `reserveCapacity` gives exactly
  /// what is asked, so asking for a few more on every preflight copied every entry every time (a scenario of N
  /// steps with distinct URLs was quadratic in N).
  mutating func reserve(_ n: Int) {
    let needed = slots.count + n
    if needed > slots.capacity { slots.reserveCapacity(max(needed, 2 * slots.capacity)) }
  }

  /// The slots' capacity (what `reserve` grows).
  var capacity: Int { slots.capacity }

  /// Starts noting what the cache changes, so that `rollBack` can return it to what it holds now, keeping at most
  /// `limit` points; returns how many it keeps. Compacts first when gone slots outnumber the live ones, and then
  /// forgets the earlier points: notes name slots by number.
  mutating func markUndoPoint(keeping limit: Int) -> Int {
    if goneCount > slots.count - goneCount + Self.indexedBeyond {
      journal.stack = []
      compact()
    }
    var j = Journal(count: slots.count, earliestExpiry: earliestExpiry, expiredThrough: expiredThrough)
    // An overlay copies partitions in from its base as it reads them (`fault`): it is kept whole from the start.
    if base != nil { j.whole = Snapshot(self) }
    return journal.push(j, keeping: limit)
  }

  /// Puts back the slots a point's notes name, and drops those appended since (`UndoableCache.rollBack`).
  mutating func takeBack(_ j: Journal) {
    // Only live slots are changed (refreshed, or marked gone): each note brings a slot back to live, as it was.
    for c in j.changed.reversed() {
      slots[c.slot] = c.entry
      if isGone(c.slot) {
        gone[c.slot] = false
        goneCount -= 1
        index?.insert(c.entry, at: c.slot)
      }
      if expiries != nil { expiries!.insert(at: c.entry.expiresAt, slot: c.slot) }
    }
    while slots.count > j.count {
      let e = slots.removeLast()
      if isGone(slots.count) { goneCount -= 1 } else { index?.remove(e, at: slots.count) }
    }
    if gone.count > slots.count { gone.removeLast(gone.count - slots.count) }
    if slots.count <= Self.indexedBeyond { index = nil }
    // Without a heap, the bound at the point holds again (the live entries are those it was a bound of).
    if expiries == nil { earliestExpiry = j.earliestExpiry }
    expiredThrough = j.expiredThrough
    // (The heap keeps pairs of slots taken back: they are let go when they come up, or match a new entry's expiry.)
  }

  /// Notes what a live slot holds before it changes in place (a slot appended since the point goes anyway).
  @inline(__always)
  private mutating func noteChange(of slot: Int) {
    guard isNoting, slot < journal.stack[journal.stack.count - 1].count else { return }
    journal.stack[journal.stack.count - 1].changed.append((slot, slots[slot]))
  }

  /// Empties the cache.
  public mutating func removeAll() {
    keepWholeForUndo()
    slots.removeAll()
    gone.removeAll()
    goneCount = 0
    index = nil
    expiries = nil
    earliestExpiry = .infinity
    base = nil
    faulted = []
    expiredThrough = -.infinity
  }

  /// Whether the derived parts agree with the live slots (for tests): the index lists exactly the live slots, in
  /// order, when there are more than a handful of slots, and the heap has every live slot's expiry.
  func derivedPartsAreExact() -> Bool {
    guard goneCount == gone.filter({ $0 }).count, gone.count <= slots.count else { return false }
    if (index != nil) != (slots.count > Self.indexedBeyond) { return false }
    if let index, index != EntryIndex(slots, gone: gone) { return false }
    guard let expiries else { return slots.indices.allSatisfy { isGone($0) || earliestExpiry <= slots[$0].expiresAt } }
    let pairs = Set(expiries.pairs.map { "\($0.at) \($0.slot)" })
    return slots.indices.allSatisfy { isGone($0) || pairs.contains("\(slots[$0].expiresAt) \($0)") }
  }
}

extension PreflightCache: Hashable {
  /// Two caches are equal when they hold the same live entries in the same order (and, for overlays, read through
  /// the same base the same way): how the entries are laid out (gone slots, index, heap) is not compared.
  public static func == (a: PreflightCache, b: PreflightCache) -> Bool {
    a.entries == b.entries && a.base == b.base && a.faulted == b.faulted && a.expiredThrough == b.expiredThrough
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(entries)
    hasher.combine(base)
    hasher.combine(faulted)
    hasher.combine(expiredThrough)
  }
}

/// A binary min-heap of (time, slot) pairs: the preflight cache's expiries.
struct ExpiryHeap: Sendable {
  private(set) var pairs: [(at: Double, slot: Int)] = []

  init() {}

  init<S: Sequence>(_ items: S) where S.Element == (Double, Int) {
    pairs = items.map { (at: $0.0, slot: $0.1) }
    var i = pairs.count / 2
    while i > 0 {
      i -= 1
      siftDown(i)
    }
  }

  var first: (at: Double, slot: Int)? { pairs.first }

  private static func less(_ a: (at: Double, slot: Int), _ b: (at: Double, slot: Int)) -> Bool {
    a.at < b.at || (a.at == b.at && a.slot < b.slot)
  }

  mutating func insert(at time: Double, slot: Int) {
    pairs.append((time, slot))
    var i = pairs.count - 1
    while i > 0 {
      let parent = (i - 1) / 2
      guard Self.less(pairs[i], pairs[parent]) else { break }
      pairs.swapAt(i, parent)
      i = parent
    }
  }

  mutating func removeFirst() {
    guard !pairs.isEmpty else { return }
    pairs.swapAt(0, pairs.count - 1)
    pairs.removeLast()
    siftDown(0)
  }

  private mutating func siftDown(_ start: Int) {
    var i = start
    while true {
      let l = 2 * i + 1, r = l + 1
      var m = i
      if l < pairs.count && Self.less(pairs[l], pairs[m]) { m = l }
      if r < pairs.count && Self.less(pairs[r], pairs[m]) { m = r }
      if m == i { return }
      pairs.swapAt(i, m)
      i = m
    }
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
