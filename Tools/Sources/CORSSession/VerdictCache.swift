import CORSScenario
import CORSSimulator

/// The verdicts of one profile for the session's requests, kept up to date incrementally: a request added
/// at the end is run from the simulator's state after the one before it (its preflight cache and clock), so
/// a session of n requests costs n decisions, not n²/2. A change to the page, the server or the environment runs
/// them all again (each may change any verdict) — but for routes changed for URLs no request has asked for yet (the
/// usual way of building a session: a route, then the request for it), which leave every verdict as it was. A request
/// changed or taken back (`undo`) keeps the verdicts before it; the last ones (up to `Simulator.undoPointsKept`) are
/// taken back from the simulator too (its undo points), so that adding requests, taking them back and adding others
/// costs a decision for each request added, not a replay of every request before them.
struct VerdictCache {
  let engine: Engine
  private(set) var verdicts: [Verdict] = []
  /// The simulator after the last verdict's request (nil: start from the page), with an undo point marked before
  /// each request (and its wait): its latest `undoPointCount` points are before the last verdicts' requests.
  private var simulator: Simulator? = nil
  /// A second simulator that replays the requests only as far as a failing one whose fixes are asked for, to
  /// rebuild the state it ran in (as `ScenarioRunner.runWithFixes` does): a copy of the simulator kept before every
  /// request would make every fetch copy the caches it changes, a cost growing with the session. Requests printed
  /// in order ask in order, so the replay runs each request at most once more; the fixes are worked out when asked
  /// for and not kept (a file of 10,000 failing requests held every one's fixes until the first was printed).
  /// `replayed` requests are in it, and `replayAdvanced` says whether it has also waited the `after` of the next one.
  private var replay: Simulator? = nil
  private var replayed = 0
  private var replayAdvanced = false
  /// The URLs the requests `replay` ran asked a server for (what `fixedVerdict` must not see a fix change), with how
  /// many of them asked for each (the replay taken back takes its own back).
  private var replayAsked: [String: Int] = [:]
  /// How many requests this cache has had decided, replays included (what a session's commands cost, for tests).
  private(set) var decisions = 0
  /// The verdicts before this one have had their trace let go (`dropTraces`).
  private var tracesDropped = 0
  /// Every URL the requests of `verdicts` asked a server for (`URLRecord.matchedHref`, what routes are found by),
  /// with how many of the verdicts' wire requests asked for it (a request taken back takes its own back).
  private var asked: [String: Int] = [:]
  /// What `simulator` and `replay` hold as their server between uses: they take the builder's each time they go
  /// on (routes may have been added since), and let it go after, so that the builder's stays its only copy and
  /// changes in place.
  private static let noServer = Server()

  init(engine: Engine) { self.engine = engine }

  /// Forgets what a change may have made stale; returns the first verdict that may have moved (the ones before it
  /// stand), nil when none may have.
  @discardableResult
  mutating func invalidate(_ changes: ScenarioBuilder.Changes) -> Int? {
    var first = changes.firstStep
    // A server answers a request by its method and URL alone, and every answer is on a verdict's wire: routes for
    // URLs no request asked for change no verdict, nor the caches the simulator holds (filled from those answers).
    // Any other change of the world may change the first request's answer, and so every verdict.
    if changes.world && (changes.routeURLs.isEmpty || changes.routeURLs.contains { asked[$0] != nil }) { first = 0 }
    guard let first else { return nil }
    if first == 0 {
      reset()
    } else if first < verdicts.count {
      // A request changed, added or taken back: a verdict depends on the requests before it, never on those after,
      // so the ones before it stand. The simulator's state after them is not kept (a copy kept before every request
      // would make every fetch copy the caches it changes): `update` runs them again before it decides another.
      let back = verdicts.count - first
      for v in verdicts[first...] {
        for r in v.requests { Self.takeBack(r.url.matchedHref, from: &asked) }
      }
      // The replaying simulator goes back to before this request's wait the same way, when it has gone that far
      // (each request it ran has an undo point before its wait); what its requests asked for is taken back with them
      // (they asked what the same requests' verdicts did).
      let replayBack = replayed - first + (replayAdvanced ? 1 : 0)
      if replayed >= first && replayBack > 0 {
        if let points = replay?.undoPointCount, points >= replayBack {
          for _ in 0..<replayBack { replay!.rollBack() }
          for v in verdicts[first..<replayed] {
            for r in v.requests { Self.takeBack(r.url.matchedHref, from: &replayAsked) }
          }
          replayed = first
          replayAdvanced = false
        } else {
          replay = nil
          replayed = 0
          replayAdvanced = false
          replayAsked = [:]
        }
      }
      verdicts.removeLast(verdicts.count - first)
      // The last requests' changes to the caches and the clock are taken back where they were noted (the states
      // before them are kept, up to `Simulator.undoPointsKept`); beyond, the requests before run again.
      if let points = simulator?.undoPointCount, points >= back {
        for _ in 0..<back { simulator!.rollBack() }
      } else {
        simulator = nil
      }
      tracesDropped = min(tracesDropped, first)
    }
    return first
  }

  /// One request fewer asked for `href` (its count gone at zero).
  private static func takeBack(_ href: String, from counts: inout [String: Int]) {
    if let n = counts[href] { counts[href] = n > 1 ? n - 1 : nil }
  }

  /// Forgets everything (a new document).
  mutating func reset() {
    verdicts = []
    simulator = nil
    asked = [:]
    tracesDropped = 0
    replay = nil
    replayed = 0
    replayAdvanced = false
    replayAsked = [:]
  }

  /// Lets go of the traces of the verdicts before `index` (printed already): a file of 10,000 requests held every
  /// one's trace for as long as the session lasted. `Session.tracedVerdict` decides one again when it is asked for.
  mutating func dropTraces(before index: Int) {
    while tracesDropped < min(index, verdicts.count) {
      verdicts[tracesDropped].trace = []
      tracesDropped += 1
    }
  }

  /// The fixes of request `step` of `builder` (whose verdicts `update` brought up to date), worked out from the state
  /// it ran in by the replaying simulator; nil when the replay has gone past it (the caller runs the requests before
  /// it again).
  mutating func fixes(step: Int, of builder: ScenarioBuilder) -> [Fix]? {
    guard var r = replayed(to: step, of: builder) else { return nil }
    defer { r.server = Self.noServer; replay = r }
    return r.fixes(for: builder.step(step).request, step: step)
  }

  /// Request `step`'s verdict once `fix` is applied (a `fixed` line), decided from the state the replay has before it
  /// when the fix cannot have changed the requests before it (`FixReplay.fixedVerdict` says when); nil otherwise (the
  /// caller runs the fixed scenario from its start), and when the replay has gone past it.
  mutating func fixedVerdict(step: Int, applying fix: Fix, of builder: ScenarioBuilder) -> Verdict? {
    guard var r = replayed(to: step, of: builder) else { return nil }
    defer { r.server = Self.noServer; replay = r }
    return r.fixedVerdict(of: builder.step(step).request, step: step, applying: fix) { self.replayAsked[$0] != nil }
  }

  /// The replaying simulator in the state request `step` of `builder` runs in (the requests before it run, its wait
  /// waited), taken out of the cache: the caller gives it back (`replay = r`, without the builder's server). nil when
  /// there is no page, the request has no verdict yet, or the replay has gone past it.
  private mutating func replayed(to step: Int, of builder: ScenarioBuilder) -> Simulator? {
    guard let page = builder.page, step < verdicts.count, step >= replayed else { return nil }
    var r = replay.take() ?? Simulator(profile: .forEngine(engine), page: page, server: Self.noServer,
                                       environment: builder.environment)
    r.server = builder.server
    r.recordsTrace = false
    // An undo point before each request's wait: `invalidate` takes the replay back with the requests.
    while replayed < step {
      let earlier = builder.step(replayed)
      if !replayAdvanced {
        r.markUndoPoint()
        r.advance(by: earlier.after)
      }
      for asked in r.fetch(earlier.request).requests { replayAsked[asked.url.matchedHref, default: 0] += 1 }
      decisions += 1
      replayed += 1
      replayAdvanced = false
    }
    if !replayAdvanced {
      r.markUndoPoint()
      r.advance(by: builder.step(step).after)
    }
    replayAdvanced = true
    return r
  }

  /// The verdicts of the first `limit` requests of `builder` (none without a page); those decided now before
  /// `tracedFrom` record no trace. A verdict decided now shares what went on the wire with the same request's verdict
  /// in `reference` (another profile's, usually the session's own) where it is the same (`Verdict.share`).
  mutating func update(_ builder: ScenarioBuilder, tracedFrom: Int = 0, upTo limit: Int = .max,
                       sharingWith reference: [Verdict] = []) -> [Verdict] {
    guard let page = builder.page else { return [] }
    if verdicts.count > builder.stepCount { reset() }
    let end = min(limit, builder.stepCount)
    guard verdicts.count < end else { return verdicts }
    // Taken out of the cache so that it is the only copy: the preflight cache is then changed in place.
    // (Whether one was kept is noted as a flag: an optional copy of it held here would share its caches, and the
    // first fetch would copy them.)
    let wasKept = simulator != nil
    var sim = simulator.take() ?? Simulator(profile: .forEngine(engine), page: page, server: Self.noServer,
                                            environment: builder.environment)
    sim.server = builder.server
    if !wasKept {
      // Verdicts kept without the state they left (a later request was changed or taken back): their requests run
      // again, as they ran, for the caches and the clock the next request starts from.
      sim.recordsTrace = false
      for i in 0..<verdicts.count {
        let step = builder.step(i)
        sim.markUndoPoint()
        sim.advance(by: step.after)
        _ = sim.fetch(step.request)
      }
      decisions += verdicts.count
    }
    for i in verdicts.count..<end {
      let step = builder.step(i)
      // The state before each request is kept by its changes (`invalidate` takes them back).
      sim.markUndoPoint()
      sim.advance(by: step.after)
      sim.recordsTrace = i >= tracedFrom
      var v = sim.fetch(step.request)
      decisions += 1
      for r in v.requests { asked[r.url.matchedHref, default: 0] += 1 }
      if i < reference.count { v.share(with: reference[i]) }
      verdicts.append(v)
    }
    sim.server = Self.noServer
    simulator = sim
    return verdicts
  }
}

extension Verdict {
  /// Takes `other`'s copy of what went on the wire and of what the script got (the array of requests or a request's
  /// URL and header lines, the result, the console's steps) wherever it holds exactly the same: one copy kept instead
  /// of one per profile. The session checks every typed expectation in all four profiles and keeps their verdicts: a
  /// session of 10,000 typed requests with an `expect` line each kept four copies of every URL and header list.
  /// Nothing a verdict says changes: header lines compare by their bytes as written (not case-insensitively, as `==`
  /// compares names), a URL by each of its parts (`isIdentical`), and the rest by `==` (strings byte for byte).
  mutating func share(with other: Verdict) {
    if result == other.result { result = other.result }
    if consoleSteps == other.consoleSteps { consoleSteps = other.consoleSteps }
    guard !requests.isEmpty, !other.requests.isEmpty else { return }
    if requests.count == other.requests.count && zip(requests, other.requests).allSatisfy({ $0.isIdentical(to: $1) }) {
      requests = other.requests
      return
    }
    for i in requests.indices.prefix(other.requests.count) {
      let theirs = other.requests[i]
      if requests[i].url.isIdentical(to: theirs.url) { requests[i].url = theirs.url }
      if requests[i].headers.isIdentical(to: theirs.headers) { requests[i].headers = theirs.headers }
    }
  }
}

extension WireRequest {
  /// The same request, byte for byte: method, URL, each header line as written and who set it, and the answer.
  func isIdentical(to other: WireRequest) -> Bool {
    method.rawValue == other.method.rawValue && url.isIdentical(to: other.url) && isPreflight == other.isPreflight
      && includesCredentials == other.includesCredentials && responseStatus == other.responseStatus
      && headers.isIdentical(to: other.headers)
  }
}
