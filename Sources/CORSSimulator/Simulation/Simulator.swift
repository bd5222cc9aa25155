/// The simulator: a page in a browser, a server behind its layers, a virtual clock and one preflight cache.
/// Each `fetch` decides one script request as the chosen engine would.
///
/// ```swift
/// var sim = Simulator(profile: .chromium, page: try Page("https://app.example"),
///                     server: Server(routes: [try Route(url: "https://api.example/data",
///                                                       headers: ["Access-Control-Allow-Origin": "*"])]))
/// let verdict = sim.fetch(ScriptRequest(url: "https://api.example/data"))
/// let outcome = verdict.outcome  // .readable
/// ```
public struct Simulator: Sendable {
  /// The browser profile.
  public var profile: BrowserProfile
  /// The page whose script makes the requests.
  public var page: Page {
    // Another document: its map of preloaded resources starts empty. html: links.html#map-of-preloaded-resources
    didSet { pageKeys = FetchRun.PageKeys(page); preloads.removeAll() }
  }
  var pageKeys: FetchRun.PageKeys
  /// The server and its layers.
  public var server: Server
  /// HSTS, address spaces, Local Network Access answers.
  public var environment: NetworkEnvironment
  /// The virtual time, in seconds since the simulation started.
  public private(set) var clock: Double = 0
  /// Whether verdicts carry their step-by-step trace (and the notes drawn from it). On by default; off
  /// makes a decision cheaper when only the outcome, wire and reason are wanted.
  public var recordsTrace = true
  /// The CORS-preflight cache, shared by every request of the page.
  public internal(set) var preflightCache = PreflightCache()
  /// The HTTP cache, shared by every request of the page (responses stored with explicit freshness).
  public internal(set) var httpCache = HTTPCache()
  /// The absolute URLs the last requests parsed (see `RecentURLs`).
  var recentURLs = RecentURLs()
  /// The document's map of preloaded resources (`<link rel=preload>` steps), each used by at most one request.
  public internal(set) var preloads = PreloadStore()
  /// The clock at each undo point (`markUndoPoint`) not rolled back to, the latest last.
  private var clocksAtUndoPoints: [Double] = []
  /// How many undo points a simulator keeps: marking another forgets the earliest.
  public static let undoPointsKept = 16

  /// Creates a simulator.
  /// (The profile and the page are taken over: a caller that has them to give hands them on without a copy.)
  public init(profile: consuming BrowserProfile = .spec, page: consuming Page, server: Server = Server(),
              environment: NetworkEnvironment = NetworkEnvironment()) {
    self.profile = profile
    self.page = page
    self.pageKeys = FetchRun.PageKeys(page)
    self.server = server
    self.environment = environment
  }

  /// Advances the virtual clock (the preflight cache reads it). Negative or non-finite amounts are ignored.
  public mutating func advance(by seconds: Double) {
    guard seconds.isFinite, seconds > 0 else { return }
    clock += seconds
  }

  /// Marks what the simulator holds now (its caches, preloads and clock) as a point `rollBack()` returns to. From now
  /// on each of them notes what it changes, so that taking back the fetches made since costs what they changed:
  /// the REPL takes back its last requests this way, where it ran every earlier request again. Up to
  /// `undoPointsKept` points are kept, the earliest forgotten first (and all but this one when the preflight cache
  /// compacts its entries, which renumbers them).
  public mutating func markUndoPoint() {
    var kept = preflightCache.markUndoPoint(keeping: Self.undoPointsKept)
    kept = min(kept, httpCache.markUndoPoint(keeping: kept), preloads.markUndoPoint(keeping: kept))
    preflightCache.keepUndoPoints(kept)
    httpCache.keepUndoPoints(kept)
    preloads.keepUndoPoints(kept)
    clocksAtUndoPoints.append(clock)
    if clocksAtUndoPoints.count > kept { clocksAtUndoPoints.removeFirst(clocksAtUndoPoints.count - kept) }
  }

  /// How many undo points are marked and not rolled back to yet (at most `undoPointsKept`).
  public var undoPointCount: Int { clocksAtUndoPoints.count }

  /// Whether an undo point is marked (and not rolled back to yet).
  public var hasUndoPoint: Bool { !clocksAtUndoPoints.isEmpty }

  /// Returns the caches, preloads and clock to what they were at the latest undo point, and forgets the point;
  /// false (and nothing changed) when no point is marked. The page, server and environment are not the simulator's
  /// to change.
  @discardableResult
  public mutating func rollBack() -> Bool {
    guard let clockThen = clocksAtUndoPoints.popLast() else { return false }
    clock = clockThen
    preflightCache.rollBack()
    httpCache.rollBack()
    preloads.rollBack()
    return true
  }

  /// Empties the preflight cache.
  public mutating func clearPreflightCache() { preflightCache.removeAll() }

  /// Empties the HTTP cache.
  public mutating func clearHTTPCache() { httpCache.removeAll() }

  /// This simulator with caches and a server that read through to its own and copy only what a fetch or an edit
  /// changes: what the fix planner tries changed servers on, so that a trial does not copy every cached preflight,
  /// stored response and route.
  package func forTrials() -> Simulator {
    var s = self
    s.preflightCache = preflightCache.overlay()
    s.httpCache = httpCache.overlay()
    s.server = server.overlay()
    // A trial decides the request on a changed server: a response preloaded from the unchanged one would answer it
    // in the trial's place. Without preloads it goes to the changed server, as a preload made there would have.
    s.preloads = PreloadStore()
    s.clocksAtUndoPoints = []
    return s
  }

  /// Decides one script request: what goes on the wire, and what the script observes.
  public mutating func fetch(_ request: ScriptRequest) -> Verdict {
    // The run reads the simulator and writes its caches in place, through the pointer (valid until this returns;
    // the run is let go before).
    withUnsafeMutablePointer(to: &self) { FetchRun($0, api: request.api).run(request) }
  }
}

/// What a cache noted since each of its undo points (`Simulator.markUndoPoint`), the latest last, kept beside what it
/// holds and no part of it: two caches that hold the same are equal whatever each has noted. Only the latest point's
/// notes are written: the changes before it are in the earlier points' notes.
struct UndoNotes<Notes: Sendable>: Sendable, Hashable {
  var stack: [Notes] = []
  static func == (a: Self, b: Self) -> Bool { true }
  func hash(into hasher: inout Hasher) {}

  /// Starts the notes of a new point, keeping at most `limit` points (the earliest are forgotten); returns how many
  /// points there are.
  mutating func push(_ notes: Notes, keeping limit: Int) -> Int {
    stack.append(notes)
    keep(limit)
    return stack.count
  }

  /// Forgets the earliest points beyond `limit`.
  mutating func keep(_ limit: Int) {
    if stack.count > limit { stack.removeFirst(stack.count - limit) }
  }
}

/// The notes of one undo point: what a cache changed since it, or the whole cache as it was then (`whole`), kept
/// instead once a change is not noted piece by piece (emptying the cache; an overlay, which copies in as it reads).
protocol UndoPointNotes: Sendable {
  associatedtype Cache: Sendable
  var whole: Snapshot<Cache>? { get set }
}

/// A cache that takes back what it changed since its undo points (the preflight cache, the HTTP cache, the preloads):
/// each notes its own changes and puts them back (`takeBack`); marking, keeping and rolling back are the same.
protocol UndoableCache: Sendable {
  associatedtype Notes: UndoPointNotes where Notes.Cache == Self
  var journal: UndoNotes<Notes> { get set }
  /// Puts back what the latest point's notes say was changed since (the notes are taken off already).
  mutating func takeBack(_ notes: Notes)
}

extension UndoableCache {
  /// Whether changes are to be noted piece by piece: a point is marked, and the cache is not kept whole for it.
  var isNoting: Bool { journal.stack.last.map { $0.whole == nil } ?? false }

  /// Forgets the earliest undo points beyond `limit`.
  mutating func keepUndoPoints(_ limit: Int) { journal.keep(limit) }

  /// Returns the cache to what it held at its latest undo point, and forgets the point: it costs what the cache
  /// changed since (nothing to do without a point).
  mutating func rollBack() {
    guard let notes = journal.stack.popLast() else { return }
    if let whole = notes.whole {
      self = whole.value
    } else {
      takeBack(notes)
    }
  }

  /// Before a change that is not noted piece by piece: keeps the cache as it was at the latest point instead.
  mutating func keepWholeForUndo() {
    guard isNoting else { return }
    var then = self
    then.rollBack()
    journal.stack[journal.stack.count - 1].whole = Snapshot(then)
  }
}

/// The values a dictionary held under the keys changed since an undo point (nil: absent), each noted at its first
/// change, so that putting them back returns the dictionary to what it was at the point whatever changed since.
struct KeyedUndo<Key: Hashable & Sendable, Value: Sendable>: Sendable {
  private var held: [Key: Value?] = [:]

  /// Notes what `key` holds in `dictionary` before it changes (the first change since the point only).
  @inline(__always)
  mutating func note(_ key: Key, in dictionary: [Key: Value]) {
    if held[key] == nil { held[key] = .some(dictionary[key]) }
  }

  /// Puts back what every noted key held.
  func restore(_ dictionary: inout [Key: Value]) {
    for (key, value) in held { dictionary[key] = value }
  }
}

/// The absolute `http(s)` URLs parsed last (a few), so that a URL met again is not parsed again: by a simulator, for
/// a request fetched again (the same request decided many times, a fix's trial runs of a failing request); by the
/// oracle's line reader, for a URL that several routes of a line answer. Only URLs the parser's shortcut takes are
/// kept (`http://` or `https://`, a plain host, a clean path): no base URL plays a part in those. Kept by the
/// simulator, not by each request, so that a file of 10,000 requests holds no parse of their URLs.
package struct RecentURLs: Sendable {
  private var entries: [(text: String, url: URLRecord)] = []
  private static let kept = 4

  package init() {}

  /// `text` parsed against `base`. `known` gives a record already parsed for a text, when there is one (a route's:
  /// `Server.routeURL`), taken instead of a copy parsed again: each verdict kept (a REPL session, a long file) held
  /// one more URL per request. It is asked only when the text is not among the recent ones.
  /// The record kept for a text given as UTF-8 bytes, or nil (a reader that has the bytes makes no string for a hit).
  package func cached(_ text: UnsafeBufferPointer<UInt8>) -> URLRecord? {
    for k in entries.indices where entries[k].text.hasUTF8(text) { return entries[k].url }
    return nil
  }

  package mutating func parse(_ text: String, base: URLRecord?, known: (String) -> URLRecord? = { _ in nil })
    throws(URLParseError) -> URLRecord {
    for k in entries.indices where entries[k].text == text { return entries[k].url }
    guard let url = known(text) ?? URLParser.parseSimpleHTTP(text) else {
      return try URLRecord(text, base: base)
    }
    if entries.isEmpty { entries.reserveCapacity(Self.kept) }  // (one allocation, not one per size)
    if entries.count == Self.kept { entries.removeFirst() }
    entries.append((text, url))
    return url
  }
}
