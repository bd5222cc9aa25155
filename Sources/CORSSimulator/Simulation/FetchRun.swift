/// One fetch from start to verdict: the algorithm's state (trace, wire log) and the simulator state it reads
/// and writes (the preflight cache). The algorithms live in extensions named after their sections.
final class FetchRun {
  let profile: BrowserProfile
  let page: Page
  let pageOrigin: Origin
  let pageOriginSerialization: String
  let environment: NetworkEnvironment
  let server: Server
  let now: Double
  let api: ScriptAPI
  /// For a worker: whether its script is classic or a module (set when its request is built).
  var workerType: WorkerType = .classic
  /// For a WebSocket: the subprotocols asked for (set when its request is built).
  var webSocketProtocols: [String] = []
  // One fetch runs on one thread and never overlaps its own accesses: dynamic exclusivity checks on these
  // (every trace append) only cost time.
  @exclusivity(unchecked) var cache: PreflightCache
  /// The HTTP cache (read and written by HTTP-network-or-cache fetch).
  @exclusivity(unchecked) var httpCache = HTTPCache()
  @exclusivity(unchecked) var trace: [TraceStep] = []
  @exclusivity(unchecked) var wire: [WireRequest] = []
  /// The partition key of this page's fetches (its site). fetch.bs #network-partition-keys
  let partitionKey: String
  /// Whether the page is a secure context. html: webappapis.html#secure-context
  let pageIsSecureContext: Bool
  /// The page's embedder policy in force (`Page.effectiveEmbedderPolicy`).
  let embedderPolicy: EmbedderPolicy

  /// What every fetch of a page needs and the page alone decides, computed once per page.
  struct PageKeys: Sendable {
    let origin: Origin
    let serializedOrigin: String
    let partitionKey: String
    let isSecureContext: Bool
    let embedderPolicy: EmbedderPolicy

    init(_ page: Page) {
      origin = page.origin
      serializedOrigin = origin.serialization
      isSecureContext = page.isSecureContext
      embedderPolicy = page.effectiveEmbedderPolicy
      switch page.unsandboxedOrigin {
      case .tuple(let scheme, let host, _): partitionKey = scheme + "://" + PublicSuffixList.site(of: host)
      case .opaque: partitionKey = "null"
      }
    }
  }

  init(profile: BrowserProfile, page: Page, keys: PageKeys, environment: NetworkEnvironment, server: Server,
       now: Double, api: ScriptAPI, cache: PreflightCache) {
    self.profile = profile
    self.page = page
    self.pageOrigin = keys.origin
    self.pageOriginSerialization = keys.serializedOrigin
    self.partitionKey = keys.partitionKey
    self.pageIsSecureContext = keys.isSecureContext
    self.embedderPolicy = keys.embedderPolicy
    self.environment = environment
    self.server = server
    self.now = now
    self.api = api
    self.cache = cache
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
    func verdict(_ result: Verdict.Result) -> Verdict {
      var v = Verdict(engine: profile.engine, consoleDialect: profile.consoleDialect, api: api, pageURL: page.url,
                      pageOrigin: pageOriginSerialization, result: result, requests: wire, trace: trace, element: element)
      v.consoleSteps = consoleSteps
      v.finalResponseUntypedAndEmpty = finalResponseUntypedAndEmpty
      v.requestMode = requestModes?.0
      v.redirectMode = requestModes?.1
      return v
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
    do {
      delivered = try fetch(&request)
    } catch {
      return verdict(.networkError(FetchFailure(stage: error.stage, reason: error.reason, detail: error.detail)))
    }
    checkpoint(.responseDelivered, delivered.type.rawValue, "", number: delivered.status)
    var v: Verdict
    switch delivered.type {
    case .opaque, .opaqueredirect:
      v = verdict(.opaque(delivered.type))
    case .basic, .cors, .default, .error:
      v = verdict(.readable(ReadableResponse(type: delivered.type, status: delivered.status,
                                             exposedHeaders: delivered.exposedHeaders ?? [])))
    }
    v.elementUnusedReason = elementUnusedReason
    return v
  }
}

/// What script receives: a filtered response. fetch.bs #concept-filtered-response
struct DeliveredResponse {
  var type: ResponseType
  var status: Int
  var exposedHeaders: [String]?
}
