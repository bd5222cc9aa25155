/// One fetch from start to verdict: the algorithm's state (trace, wire log) and the simulator state it reads
/// and writes (the preflight cache). The algorithms live in extensions named after their sections.
///
/// The simulator's state is read and written in place, through a pointer to the simulator that is valid while the
/// run runs: `Simulator.fetch` makes the run inside `withUnsafeMutablePointer(to: &self)` and lets it go before that
/// returns (nothing keeps a run: a verdict holds values only). So a fetch copies none of the profile, page, network
/// environment and server (their strings, sets and lists were retained and released on every fetch), and writes
/// the caches where they are (never a copy of a cache on its first write).
final class FetchRun {
  private let simulator: UnsafeMutablePointer<Simulator>
  var profile: BrowserProfile { _read { yield simulator.pointee.profile } }
  var page: Page { _read { yield simulator.pointee.page } }
  var pageOrigin: Origin { _read { yield simulator.pointee.pageKeys.origin } }
  var pageOriginSerialization: String { _read { yield simulator.pointee.pageKeys.serializedOrigin } }
  var environment: NetworkEnvironment { _read { yield simulator.pointee.environment } }
  var server: Server { _read { yield simulator.pointee.server } }
  let now: Double
  /// A request's URL parsed against the page's URL (the simulator keeps the last few absolute ones: `RecentURLs`).
  /// whatwg-url #concept-url-parser
  func requestURL(_ s: ScriptRequest) throws(URLParseError) -> URLRecord {
    try simulator.pointee.recentURLs.parse(s.url, base: page.url) { simulator.pointee.server.routeURL(serializedAs: $0) }
  }

  /// The profile's rules for the preflight cache's lookups.
  let cacheRules: PreflightCache.Rules
  let api: ScriptAPI
  /// For a worker: whether its script is classic or a module (set when its request is built).
  var workerType: WorkerType = .classic
  /// For a WebSocket: the subprotocols asked for (set when its request is built).
  var webSocketProtocols: [String] = []
  /// The page's CORS-preflight cache (read and written by CORS-preflight fetch).
  var cache: PreflightCache {
    _read { yield simulator.pointee.preflightCache }
    _modify { yield &simulator.pointee.preflightCache }
  }
  /// The HTTP cache (read and written by HTTP-network-or-cache fetch).
  var httpCache: HTTPCache {
    _read { yield simulator.pointee.httpCache }
    _modify { yield &simulator.pointee.httpCache }
  }
  /// The document's preloaded resources (read by every request, written by a preload link).
  var preloads: PreloadStore {
    _read { yield simulator.pointee.preloads }
    _modify { yield &simulator.pointee.preloads }
  }
  /// For a preload link: the response main fetch gave, kept in `preloads` once the fetch is done.
  var preloadedResponse: Response? = nil
  /// For a preload link: its key, from its attributes (an engine may fetch with another mode).
  var preloadAttributeKey: PreloadStore.Key? = nil
  /// Whether a preloaded response answered this request.
  var usedPreload = false
  // One fetch runs on one thread and never overlaps its own accesses: dynamic exclusivity checks on these
  // (every trace append) only cost time.
  @exclusivity(unchecked) var trace: [TraceStep] = []
  @exclusivity(unchecked) var wire: [WireRequest] = []
  /// The partition key of this page's fetches (its site). fetch.bs #network-partition-keys
  var partitionKey: String {
    if let key = simulator.pointee.pageKeys.partitionKey { return key }
    let key = PageKeys.partitionKey(of: page)
    simulator.pointee.pageKeys.partitionKey = key
    return key
  }
  /// Whether the page is a secure context. html: webappapis.html#secure-context
  var pageIsSecureContext: Bool { simulator.pointee.pageKeys.isSecureContext }
  /// The page's embedder policy in force (`Page.effectiveEmbedderPolicy`).
  var embedderPolicy: EmbedderPolicy { simulator.pointee.pageKeys.embedderPolicy }

  /// What every fetch of a page needs and the page alone decides, computed once per page.
  struct PageKeys: Sendable {
    let origin: Origin
    let serializedOrigin: String
    /// The partition key, worked out by the first fetch that reads a cache (`FetchRun.partitionKey`): a page whose
    /// requests read neither cache (an oracle line of one simple request) never needs its site.
    var partitionKey: String? = nil
    let isSecureContext: Bool
    let embedderPolicy: EmbedderPolicy

    init(_ page: Page) {
      origin = page.origin
      // The URL's part, from this thread's memo when its last page had the same URL record (`LastPage`).
      let last = Self.lastPage.value
      if last.url.map({ !$0.isSameRecord(as: page.url) }) ?? true {
        last.url = page.url
        last.originSerialization = page.url.origin.serialization
        last.isPotentiallyTrustworthy = page.url.isPotentiallyTrustworthy()
      }
      // `page.origin` is opaque when sandboxed, else the URL's origin: its serialization is "null" or the URL's.
      serializedOrigin = page.sandboxed ? "null" : last.originSerialization
      isSecureContext = last.isPotentiallyTrustworthy  // `page.isSecureContext`
      embedderPolicy = page.embedderPolicy(inSecureContext: isSecureContext)
    }

    /// The last page's URL on a thread, with its origin's serialization and whether it is potentially trustworthy
    /// (about 1,100 instructions to work out): the oracle makes a simulator per line, mostly for the page of the line
    /// before, whose URL record it keeps (`ThreadURLs`). The record is held, so the one compared is never another
    /// made where a freed one was.
    final class LastPage {
      var url: URLRecord? = nil
      var originSerialization = ""
      var isPotentiallyTrustworthy = false
    }

    private static let lastPage = PerThread { LastPage() }

    /// The network partition key of the page's fetches: its site, scheme and host. fetch.bs #network-partition-keys
    static func partitionKey(of page: Page) -> String {
      switch page.unsandboxedOrigin {
      case .tuple(let scheme, let host, _):
        return HTTPSyntax.schemeHostPort(scheme, PublicSuffixList.site(of: host), nil)
      case .opaque: return "null"
      }
    }
  }

  /// Whether the run made `simulator` itself (and frees it when it goes).
  private var ownsSimulator = false

  /// A run of one request on `simulator` (which must outlive the run: see above).
  init(_ simulator: UnsafeMutablePointer<Simulator>, api: ScriptAPI) {
    self.simulator = simulator
    self.now = simulator.pointee.clock
    self.cacheRules = PreflightCache.Rules(simulator.pointee.profile)
    self.api = api
    self.tracing = simulator.pointee.recordsTrace
  }

  /// A run over its own copy of `simulator`, kept for as long as the run lives: for a step of the algorithm called
  /// on its own (the tests of request construction do).
  convenience init(owning simulator: Simulator, api: ScriptAPI) {
    let storage = UnsafeMutablePointer<Simulator>.allocate(capacity: 1)
    storage.initialize(to: simulator)
    self.init(storage, api: api)
    ownsSimulator = true
  }

  deinit {
    if ownsSimulator {
      simulator.deinitialize(count: 1)
      simulator.deallocate()
    }
  }

  /// Whether the trace is recorded (a verdict without a trace is cheaper; the oracle's default output
  /// does not show it).
  var tracing = true
  /// Whether the Local Network Access prompt was already shown during this fetch.
  var localNetworkAccessPrompted = false
  /// The `Origin` value the previous hop sent, if any (WebKit sends it again after a same-origin redirect).
  var originSentOnLastHop: String? = nil
  /// Whether the final response had no `Content-Type` and an empty body (Firefox's XHR logs an XML parsing error).
  var finalResponseUntypedAndEmpty = false
  /// The constructed request's mode and redirect mode, for the verdict.
  var requestModes: (RequestMode, RedirectMode)? = nil
  /// Why the element fired `load` but cannot use what it loaded (Chromium's unapplied stylesheet).
  var elementUnusedReason: FailureReason? = nil

  @inline(__always)
  func record(_ step: @autoclosure () -> TraceStep) {
    if tracing { trace.append(step()) }
  }

  /// The steps the console's lines are made from, kept whether or not the trace is (see `Verdict.consoleSteps`).
  @exclusivity(unchecked) var consoleSteps: [TraceStep] = []

  /// Records a step that a console line comes from: in the trace when it is kept, and always among the
  /// console's steps.
  func recordForConsole(_ step: TraceStep) {
    consoleSteps.append(step)
    record(step)
  }

  @inline(__always)
  func note(_ note: TraceNote, _ subject: String = "", _ detail: String = "", number: Int = -1, quirk: Quirk? = nil) {
    switch note {
    case .mixedContentUpgraded, .authorizationWildcardWarning, .headerForbiddenDropped:
      recordForConsole(TraceStep(.note(note), subject, detail, number: number, quirk: quirk))
    default:
      record(TraceStep(.note(note), subject, detail, number: number, quirk: quirk))
    }
  }

  @inline(__always)
  func checkpoint(_ c: Checkpoint, _ subject: String = "", _ detail: String = "", number: Int = -1) {
    record(TraceStep(.checkpoint(c), subject, detail, number: number))
  }

  /// Builds the failure record for a network error on `request`.
  func failure(_ request: Request, parameter: String? = nil, value: String? = nil, status: Int? = nil,
               isPreflight: Bool = false, setBy: [String] = [], responseMethod: String? = nil,
               headerName: String? = nil, location: URLRecord? = nil, url: URLRecord? = nil) -> FailureDetail {
    FailureDetail(url: url ?? request.currentURL, initialURL: request.url, requestOrigin: request.serializedOrigin,
                  initiatorOrigin: request.originSerialization, parameter: parameter, value: value, status: status,
                  isPreflight: isPreflight, setBy: setBy, responseMethod: responseMethod, headerName: headerName,
                  location: location)
  }

  /// Runs one script request to its verdict.
  func run(_ script: ScriptRequest) -> Verdict {
    if tracing { trace.reserveCapacity(16) }
    let element = script.api == .element ? script.element ?? .image : nil
    func verdict(_ result: consuming Verdict.Result, elementUnusedReason: FailureReason? = nil) -> Verdict {
      var preloadFiresLoad = false
      if api == .preload {
        // The link's event: load for a response; Firefox's link fires load when the CORS check fails too.
        var corsFailure = false
        if case .networkError(let f) = result { corsFailure = f.reason.isCORSCheckFailure && f.stage == .response }
        preloadFiresLoad = result.outcome == .readable || result.outcome == .opaque
          || (profile.preloadFiresLoadWhenCORSFails && corsFailure)
      }
      // (Every field at once, through the memberwise initializer: the verdict is built where it is returned.)
      return Verdict(engine: profile.engine, consoleDialect: profile.consoleDialect, api: api, pageURL: page.url,
                     pageOrigin: pageOriginSerialization, result: result, requests: wire, trace: trace,
                     element: element, elementUnusedReason: elementUnusedReason, consoleSteps: consoleSteps,
                     finalResponseUntypedAndEmpty: finalResponseUntypedAndEmpty, requestMode: requestModes?.0,
                     redirectMode: requestModes?.1, answeredByPreload: usedPreload, preloadFiresLoad: preloadFiresLoad)
    }
    var request: Request
    do {
      switch script.api {
      case .fetch: request = try constructFetchRequest(script)
      case .xhr: request = try constructXHRRequest(script)
      case .element: request = try constructElementRequest(script)
      case .eventSource: request = try constructEventSourceRequest(script)
      case .beacon: request = try constructBeaconRequest(script)
      case .dynamicImport: request = try constructImportRequest(script)
      case .worker, .sharedWorker: request = try constructWorkerRequest(script)
      case .preload: request = try constructPreloadRequest(script)
      case .navigate, .form: request = try constructNavigationRequest(script)
      case .websocket: request = try constructWebSocketRequest(script)
      }
    } catch {
      record(TraceStep(.failure(error.reason), error.parameter, error.exception))
      let detail = FailureDetail(url: page.url, initialURL: page.url, requestOrigin: pageOriginSerialization,
                                 initiatorOrigin: pageOriginSerialization, parameter: error.parameter,
                                 value: error.exception)
      return verdict(.invalid(FetchFailure(stage: .request, reason: error.reason, detail: detail)))
    }
    requestModes = (request.mode, request.redirectMode)
    if api == .beacon, let over = beaconOverQuota(request) { return verdict(.networkError(over)) }
    checkpoint(.requestConstructed, request.method, request.currentURL.href)
    let delivered: DeliveredResponse
    let key = api == .preload ? preloadAttributeKey ?? preloadKey(request) : nil
    do {
      delivered = try fetch(&request)
    } catch {
      if let key { storePreload(script, key: key, .failure(error)) }
      return verdict(.networkError(FetchFailure(stage: error.stage, reason: error.reason, detail: error.detail)))
    }
    if let key, let response = preloadedResponse {
      storePreload(script, key: key, .success(PreloadStore.Stored(response: response, tainting: request.responseTainting,
                                                                  urlList: request.urlList)))
    }
    checkpoint(.responseDelivered, delivered.type.rawValue, "", number: delivered.status)
    switch delivered.type {
    case .opaque, .opaqueredirect:
      return verdict(.opaque(delivered.type), elementUnusedReason: elementUnusedReason)
    case .basic, .cors, .default, .error:
      return verdict(.readable(ReadableResponse(type: delivered.type, status: delivered.status,
                                                exposedHeaders: delivered.exposedHeaders ?? [])),
                     elementUnusedReason: elementUnusedReason)
    }
  }
}

/// What script receives: a filtered response. fetch.bs #concept-filtered-response
struct DeliveredResponse {
  var type: ResponseType
  var status: Int
  var exposedHeaders: [String]?
}
