import CORSJSON
import CORSScenario
import CORSSimulator

/// One route's answer as it goes on the wire: the status, the header lines exactly as the scenario lists
/// them (order, duplicates and surrounding spaces kept), and the body.
public struct WireRoute: Sendable, Hashable {
  /// The status code.
  public var status: Int
  /// The header lines, as written in the scenario.
  public var headerLines: HeaderList
  /// The body text, if any.
  public var body: String?
  /// True when the connection is to fail instead of answering.
  public var networkFailure: Bool
  /// The body the harness serves instead of none, for a route that answers an element load (see
  /// `ElementBodies`); nil when the route's own body is served.
  public var substitutedBody: [UInt8]?

  /// Creates a wire route.
  public init(status: Int, headerLines: HeaderList, body: String? = nil, networkFailure: Bool = false,
              substitutedBody: [UInt8]? = nil) {
    self.status = status
    self.headerLines = headerLines
    self.body = body
    self.networkFailure = networkFailure
    self.substitutedBody = substitutedBody
  }
}

/// One scenario as the harness plays it: the oracle line decoded (`OracleInput.decode`), the wire form of its
/// routes, and its steps with their URLs moved under the scenario's own path prefix.
///
/// Why a prefix: browsers keep one preflight cache per profile, keyed by origin and URL. Putting every served
/// URL of scenario `n` under `/~corsim/n/` keeps one scenario's cached preflights away from the next one's
/// requests. The server strips the prefix before matching routes and logging, so results carry the
/// scenario's own URLs.
public struct PlannedScenario: Sendable {
  /// The scenario's position in the input file (0-based), which also names its prefix.
  public var position: Int
  /// The `id`, echoed in results.
  public var id: JSONValue
  /// The decoded scenario (nil when the line does not decode).
  public var scenario: Scenario?
  /// The page's URL as the scenario gives it.
  public var page: URLRecord?
  /// Whether the page runs in `<iframe sandbox="allow-scripts">`.
  public var sandboxed: Bool
  /// The routes' wire form, by route index (the same indexes as `scenario.server.routes`).
  public var wireRoutes: [WireRoute]
  /// The step objects as the page runner reads them: the oracle's step fields, with `url` replaced by the
  /// prefixed URL when the harness serves it.
  public var steps: [JSONValue]
  /// Header lines the runner page is served with (CSP, COEP), from the scenario's page policies.
  public var pageHeaders: HeaderList
  /// Why the harness cannot play this scenario, when it cannot.
  public var skipReason: String?
  /// Why the harness cannot play this scenario faithfully in one engine (by `Engine.rawValue`), when only
  /// that engine is affected.
  public var engineSkipReasons: [String: String] = [:]

  /// Whether the browser must be restarted after this scenario: a page with `upgrade-insecure-requests` adds
  /// its origin to WebKit's "insecure navigation requests to upgrade", which each next document of the frame
  /// takes over (DocumentWriter::begin), so every later `http:` page of that host would load over https.
  public var freshBrowserAfter = false

  /// Why the scenario is not played in `engine`, or nil when it is.
  public func skipReason(for engine: Engine) -> String? { skipReason ?? engineSkipReasons[engine.rawValue] }

  /// The path prefix of this scenario's served URLs.
  public var prefix: String { PlannedScenario.prefix(position) }

  /// `/~corsim/<position>`.
  public static func prefix(_ position: Int) -> String { "/~corsim/\(position)" }

  /// The author header names of a step, lower-case (which request headers results keep).
  public func authorHeaderNames(step k: Int) -> Set<String> {
    guard let s = scenario, k < s.steps.count else { return [] }
    return Set(s.steps[k].request.headers.map(\.name.canonicalName))
  }

  /// The element a step loads (nil for fetch and XMLHttpRequest).
  public func element(step k: Int) -> ElementKind? {
    guard let s = scenario, k < s.steps.count, s.steps[k].request.api == .element else { return nil }
    return s.steps[k].request.element ?? .image
  }

  /// The method a step's script asks for, upper-cased as engines normalize the common ones (`GET` when none).
  public func method(step k: Int) -> String {
    guard let s = scenario, k < s.steps.count else { return "GET" }
    if s.steps[k].request.api == .beacon { return "POST" }  // navigator.sendBeacon always POSTs
    guard let m = s.steps[k].request.method else { return "GET" }
    return m.normalized.rawValue
  }

  /// Whether a step uses XMLHttpRequest.
  public func isXHR(step k: Int) -> Bool {
    guard let s = scenario, k < s.steps.count else { return false }
    return s.steps[k].request.api == .xhr
  }

  /// Whether a step sends a beacon.
  public func isBeacon(step k: Int) -> Bool {
    guard let s = scenario, k < s.steps.count else { return false }
    return s.steps[k].request.api == .beacon
  }

  /// The API of a step that is `import()`, `new Worker` or `new SharedWorker`; nil for any other.
  public func scriptLoadAPI(step k: Int) -> ScriptAPI? {
    guard let s = scenario, k < s.steps.count else { return nil }
    let api = s.steps[k].request.api
    return api == .dynamicImport || api.isWorker ? api : nil
  }

  /// The API of a step that is a navigation, a form submission or a WebSocket; nil for any other.
  public func pageEventAPI(step k: Int) -> ScriptAPI? {
    guard let s = scenario, k < s.steps.count else { return nil }
    let api = s.steps[k].request.api
    return api.isNavigation || api == .websocket ? api : nil
  }

  /// Whether a step opens an EventSource.
  public func isEventSource(step k: Int) -> Bool {
    guard let s = scenario, k < s.steps.count else { return false }
    return s.steps[k].request.api == .eventSource
  }
}
