/// One answer the simulated server gives: matched by method and serialized URL, it sends exactly the
/// listed header lines, in order, duplicates kept, and nothing else.
///
/// ```swift
/// let preflight = try Route(method: .options, url: "https://api.example/data", status: 204,
///                           headers: ["Access-Control-Allow-Origin": "https://app.example",
///                                     "Access-Control-Allow-Methods": "PUT"])
/// ```
public struct Route: Sendable, Hashable {
  // (The URL is declared first, so that the memberwise initializer's labels differ from the public one's, which
  // calls it: a value whose initializer assigns field by field is built aside, then copied where it goes.)
  /// The URL this route answers; its fragment is ignored. A ws: or wss: URL is kept as http: or https:.
  public var url: URLRecord
  /// The method this route answers (nil: any method, written `*`).
  public var method: Method?
  /// The status code.
  public var status: Int
  /// The header lines, as the route's owner (`answeredBy`) sends them.
  public var headers: HeaderList
  /// The body, as text.
  public var body: String?
  /// True when the connection fails instead (DNS, refused, reset, TLS): a network error.
  public var networkFailure: Bool
  /// The layer that produced this response ("app" unless a proxy, CDN or gateway answers by itself).
  public var answeredBy: String

  /// The URL as a request for it is compared: serialized, without fragment or credentials.
  public var matchedHref: String { url.matchedHref }
}

extension Route {
  /// Creates a route.
  public init(method: Method? = nil, url: URLRecord, status: Int = 200, headers: HeaderList = [],
              body: String? = nil, networkFailure: Bool = false, answeredBy: String = Layer.application) {
    // A WebSocket's handshake is a request for the http: or https: URL (websockets #concept-websocket-establish
    // step 1): a route written for a ws: or wss: URL answers that one.
    self.init(url: Route.handshakeURL(url), method: method, status: status, headers: headers, body: body,
              networkFailure: networkFailure, answeredBy: answeredBy)
  }

  /// The URL a route answers for `url`: ws: and wss: become http: and https:.
  static func handshakeURL(_ url: URLRecord) -> URLRecord {
    let scheme = url.scheme
    // (Only a scheme of two or three bytes can be one of the two.)
    guard scheme.utf8.count <= 3 else { return url }
    return scheme == "ws" ? url.replacing(scheme: "http") : scheme == "wss" ? url.replacing(scheme: "https") : url
  }

  /// Creates a route for an absolute URL, which must parse (as a ``Page``'s does); the request side takes its
  /// URL as text because the script's URL is the engine's to judge (`url-parse-failed`).
  public init(method: Method? = nil, url: String, status: Int = 200, headers: HeaderList = [],
              body: String? = nil, networkFailure: Bool = false, answeredBy: String = Layer.application)
    throws(URLParseError) {
    self.init(method: method, url: try URLRecord(url), status: status, headers: headers, body: body,
              networkFailure: networkFailure, answeredBy: answeredBy)
  }
}

/// Something in front of the application — a reverse proxy, a CDN, an API gateway — that adds, replaces or
/// removes header lines on the responses passing through it. Layers are listed from the innermost
/// (closest to the application) to the outermost.
public struct Layer: Sendable, Hashable {
  /// The name of the application itself, which sets the routes' own header lines.
  public static let application = "app"

  /// The layer's name (`nginx`, `cdn`, `gateway`…).
  public var name: String
  /// Only responses whose URL starts with this prefix pass through the layer (nil: all).
  public var urlPrefix: String?
  /// Only responses to this method pass through the layer (nil: all).
  public var method: Method?
  /// What the layer does, in order.
  public var operations: [LayerOperation]

  /// Creates a layer.
  public init(name: String, urlPrefix: String? = nil, method: Method? = nil, operations: [LayerOperation]) {
    self.name = name
    self.urlPrefix = urlPrefix
    self.method = method
    self.operations = operations
  }

  func applies(method m: Method, href: String) -> Bool {
    (method == nil || method == m) && (urlPrefix.map { href.hasPrefix($0) } ?? true)
  }

  func apply(to headers: inout HeaderList) {
    for op in operations {
      switch op {
      case .add(let name, let value): headers.append(HeaderField(name, value, setBy: self.name))
      case .set(let name, let value): headers.set(name, value, setBy: self.name)
      case .remove(let name): headers.delete(name)
      case .setIfAbsent(let name, let value):
        if !headers.contains(name) { headers.append(HeaderField(name, value, setBy: self.name)) }
      }
    }
  }
}

/// One change a layer makes to a response's header lines.
public enum LayerOperation: Sendable, Hashable {
  /// Appends a line, even if the name is already there (nginx `add_header`, a CDN's "add response header").
  case add(HeaderName, String)
  /// Replaces every line of that name with one line (`proxy_hide_header` + `add_header`, `more_set_headers`).
  case set(HeaderName, String)
  /// Removes every line of that name (`proxy_hide_header`).
  case remove(HeaderName)
  /// Appends a line only when none of that name is present.
  case setIfAbsent(HeaderName, String)
}

/// What the simulated network answered.
public struct ServerResponse: Sendable, Hashable {
  /// The status code.
  public var status: Int
  /// The header lines after every layer has had its say; each line knows who set it.
  public var headers: HeaderList
  /// The body text.
  public var body: String?
  /// The index of the route that answered (nil: no route matched, 404).
  public var routeIndex: Int?
  /// True when the connection failed.
  public var networkFailure: Bool
  /// True when the server's responder answered (no route was looked up).
  var answeredByResponder = false
  /// Who answers for the route that answered (nil: no route).
  var routeOwner: String? = nil
}

/// A request as it reaches the simulated server: what a `Responder` sees.
public struct ServerRequest: Sendable, Hashable, Codable {
  /// The method.
  public var method: Method
  /// The URL (fragment removed).
  public var url: URLRecord
  /// The header lines the decision depends on, as in `WireRequest.headers`: the author headers (and the body's
  /// `Content-Type`), then `Access-Control-Request-Method`, `Access-Control-Request-Headers` and `Origin`.
  public var headers: HeaderList
  /// True for a CORS preflight.
  public var isPreflight: Bool
  /// Whether cookies and HTTP authentication are attached.
  public var includesCredentials: Bool

  /// Creates a request.
  public init(method: Method, url: URLRecord, headers: HeaderList, isPreflight: Bool, includesCredentials: Bool) {
    self.method = method
    self.url = url
    self.headers = headers
    self.isPreflight = isPreflight
    self.includesCredentials = includesCredentials
  }

  /// The value of the first header line with this name (case-insensitive).
  public func value(of name: HeaderName) -> String? {
    headers.first { $0.name.matches(name) }?.value
  }
}

/// Code that answers the server's requests instead of fixed routes: a policy acting as a middleware, or the
/// recorded answers of a real server. It sees each request's header lines (fixed routes see only method and
/// URL), and answers with a `Route` whose `method` and `url` are ignored, or nil to fall back to the routes.
/// The layers apply to its answers as to the routes'. Two responders are equal only when they are the same one.
public struct Responder: Sendable, Hashable {
  private final class Box: Sendable {
    let answer: @Sendable (ServerRequest) -> Route?
    init(_ answer: @escaping @Sendable (ServerRequest) -> Route?) { self.answer = answer }
  }
  private let box: Box
  /// A name for messages.
  public let name: String

  /// Creates a responder from a closure.
  public init(name: String = "responder", _ answer: @escaping @Sendable (ServerRequest) -> Route?) {
    self.name = name
    self.box = Box(answer)
  }

  /// Answers one request (nil: let the routes answer).
  public func callAsFunction(_ request: ServerRequest) -> Route? { box.answer(request) }

  public static func == (a: Responder, b: Responder) -> Bool { a.box === b.box }
  public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(box)) }
}

/// The simulated server: routes matched in order, then the layers in front of it.
public struct Server: Sendable, Hashable {
  /// Everything a server holds, in one object shared by its copies until one of them changes (copy on write): a
  /// server is copied whole for every request a fetch sends (it is read in place from the simulator, and a call on
  /// it copies it first), and copying a reference is one count where copying the fields was ten.
  private struct State: Sendable, Hashable {
    var routes: [Route]
    var layers: [Layer]
    var responder: Responder?
    var resolved: [HeaderList] = []
    var firstRoute: [RouteKey: Int] = [:]
    var routesByHref: [String: [Int]] = [:]
    var base: Snapshot<Server>? = nil
    var touched: Set<String> = []
    var layersChanged = false
  }

  private final class Box: @unchecked Sendable {
    // Written only through a box no other server holds (`state`'s `_modify`); shared boxes are only read.
    @exclusivity(unchecked) var state: State
    init(_ state: State) { self.state = state }
  }

  private var box: Box

  /// The state, made this server's own before a change.
  private var state: State {
    _read { yield box.state }
    _modify {
      if !isKnownUniquelyReferenced(&box) { box = Box(box.state) }
      yield &box.state
    }
  }

  public static func == (a: Server, b: Server) -> Bool { a.box === b.box || a.box.state == b.box.state }
  public func hash(into hasher: inout Hasher) { box.state.hash(into: &hasher) }

  /// The routes, matched in order.
  public private(set) var routes: [Route] {
    _read { yield box.state.routes }
    _modify { yield &state.routes }
  }
  /// The layers, innermost first.
  public private(set) var layers: [Layer] {
    _read { yield box.state.layers }
    _modify { yield &state.layers }
  }
  /// Answers requests before the routes are looked up (nil: the routes alone answer).
  public var responder: Responder? {
    _read { yield box.state.responder }
    _modify { yield &state.responder }
  }
  // Each route's header lines after the layers, computed once.
  private var resolved: [HeaderList] {
    _read { yield box.state.resolved }
    _modify { yield &state.resolved }
  }
  // The first route for each method and URL (method nil: a route for any method), so that a request finds
  // its route in constant time among thousands. Kept only above `indexedFrom` routes: a scan of a few routes
  // costs less than building two dictionaries, which was a tenth of an oracle line's work (one or two routes).
  private var firstRoute: [RouteKey: Int] {
    _read { yield box.state.firstRoute }
    _modify { yield &state.firstRoute }
  }
  // Every route's index by the URL it answers, in order (above `indexedFrom` routes, as `firstRoute`).
  private var routesByHref: [String: [Int]] {
    _read { yield box.state.routesByHref }
    _modify { yield &state.routesByHref }
  }
  private static let indexedFrom = 9
  private var isIndexed: Bool { routes.count >= Server.indexedFrom }
  // A server made by `overlay()` (what the fix planner's trials change) holds only the routes of the URLs an edit
  // touched, copied in from `base` (never changed) before the first edit; every other request is answered by the
  // base's routes through this server's layers. A route answers only requests for its own URL, so the answers are
  // those of a whole copy, and a trial costs the same with ten thousand routes as with one (copying and indexing
  // every route for each trial made the fixes of N failing steps cost N²). `routes` holds the touched ones only.
  private var base: Snapshot<Server>? {
    _read { yield box.state.base }
    _modify { yield &state.base }
  }
  private var touched: Set<String> {
    _read { yield box.state.touched }
    _modify { yield &state.touched }
  }
  private var layersChanged: Bool {
    _read { yield box.state.layersChanged }
    _modify { yield &state.layersChanged }
  }

  private struct RouteKey: Hashable, Sendable {
    var method: Method?
    var href: String
  }


  /// Creates a server.
  public init(routes: [Route] = [], layers: [Layer] = [], responder: Responder? = nil) {
    box = Box(State(routes: routes, layers: layers, responder: responder))
    self.resolved = resolvedLines(routes)
    indexRoutes()
  }

  /// Each route's lines after the layers. (The routes read in place, and the application's own lines without
  /// layers taken as they are: a route handed to a call is copied first, its strings and lists retained and
  /// released.)
  private func resolvedLines(_ routes: [Route]) -> [HeaderList] {
    let plain = layers.isEmpty
    return routes.withUnsafeBufferPointer { buffer in
      [HeaderList](unsafeUninitializedCapacity: buffer.count) { out, n in
        for i in buffer.indices {
          let lines = plain && buffer[i].answeredBy == Layer.application ? buffer[i].headers : resolve(buffer[i])
          (out.baseAddress! + i).initialize(to: lines)
        }
        n = buffer.count
      }
    }
  }

  private mutating func indexRoutes() {
    firstRoute = [:]
    routesByHref = [:]
    guard isIndexed else { return }
    for (i, route) in routes.enumerated() { index(route, at: i) }
  }

  private mutating func index(_ route: Route, at i: Int) {
    let href = route.matchedHref
    let key = RouteKey(method: route.method, href: href)
    if firstRoute[key] == nil { firstRoute[key] = i }
    routesByHref[href, default: []].append(i)
  }

  /// A server that answers as this one and copies in only the routes of the URLs its edits touch (see `base`).
  func overlay() -> Server {
    var o = Server(layers: layers, responder: responder)
    o.base = Snapshot(self)
    return o
  }

  /// Copies the base's routes for a URL in, before an edit reads or changes them.
  mutating func touch(_ href: String) {
    guard let base, touched.insert(href).inserted else { return }
    for route in base.value.routes(answering: href) { addRoute(route) }
  }

  /// The routes for a URL, in order (an overlay's from its base until an edit touched the URL).
  private func routes(answering href: String) -> [Route] {
    if let base, !touched.contains(href) { return base.value.routes(answering: href) }
    guard isIndexed else { return routes.filter { $0.matchedHref == href } }
    return (routesByHref[href] ?? []).map { routes[$0] }
  }

  /// Adds a route after the existing ones.
  public mutating func addRoute(_ route: Route) {
    touch(route.matchedHref)
    routes.append(route)
    resolved.append(resolve(route))
    if routes.count == Server.indexedFrom { indexRoutes() } else if isIndexed { index(route, at: routes.count - 1) }
  }

  /// Replaces the route at an index.
  public mutating func replaceRoute(at index: Int, with route: Route) {
    let old = routes[index]
    routes[index] = route
    resolved[index] = resolve(route)
    // Only the status and lines changed (what a fix changes): the indexes stand.
    if old.method != route.method || old.matchedHref != route.matchedHref { indexRoutes() }
  }

  /// Inserts a route before the one at an index.
  mutating func insertRoute(_ route: Route, at index: Int) {
    routes.insert(route, at: index)
    resolved.insert(resolve(route), at: index)
    indexRoutes()
  }

  /// The URL record of a route whose URL is written `text` exactly as its serialization, an `http(s)` URL (nil when
  /// no route's is): a request for that URL then holds the route's record instead of parsing its own copy. Parsing a
  /// serialized `http(s)` URL again gives the same record (whatwg-url #concept-url-serializer: serializing, then
  /// parsing, round-trips for special URLs), so nothing changes but the memory and the work.
  func routeURL(serializedAs text: String) -> URLRecord? {
    if isIndexed {
      // (The index's keys are without fragment: `matchedHref`. Only the first route of a URL is looked at, so that
      // a server of thousands of routes for one URL costs no more per request than one.)
      let key = text.utf8.firstIndex(of: UInt8(ascii: "#")).map { String(text[..<$0]) } ?? text
      if let i = routesByHref[key]?.first, routes[i].url.href == text, routes[i].url.isHTTPScheme { return routes[i].url }
    } else {
      for i in routes.indices where routes[i].url.href == text && routes[i].url.isHTTPScheme { return routes[i].url }
    }
    return base?.value.routeURL(serializedAs: text)
  }

  /// The index of the route that answers METHOD `href` (an href without fragment), as `respond(method:url:)`
  /// finds it: the earlier of the first route for this method and the first for any method.
  func routeIndex(method: Method, href: String) -> Int? {
    guard isIndexed else {
      // By index, reading each route in place (a closure over the elements copied every route it looked at).
      for i in routes.indices where routes[i].matchedHref == href {
        if let m = routes[i].method, m != method { continue }
        return i
      }
      return nil
    }
    switch (firstRoute[RouteKey(method: method, href: href)], firstRoute[RouteKey(method: nil, href: href)]) {
    case (let m?, let a?): return min(m, a)
    case (let m?, nil): return m
    case (nil, let a?): return a
    case (nil, nil): return nil
    }
  }

  /// Replaces the layers (every route is resolved again).
  mutating func replaceLayers(_ layers: [Layer]) {
    self.layers = layers
    resolved = resolvedLines(routes)
    layersChanged = base != nil
  }

  /// Removes the route at an index. The last one (what a session's `undo` takes back) leaves the indexes standing but
  /// for its own entries, in time in its size; any other moves the ones after it, and the indexes are made again.
  public mutating func removeRoute(at index: Int) {
    let last = routes.count - 1
    if index == last && isIndexed {
      let route = routes[last]
      let href = route.matchedHref
      let key = RouteKey(method: route.method, href: href)
      // The index holds the first route for each key, and every route's index for its URL, in order.
      if firstRoute[key] == last { firstRoute[key] = nil }
      if routesByHref[href]?.last == last { routesByHref[href]!.removeLast() }
      if routesByHref[href]?.isEmpty == true { routesByHref[href] = nil }
    }
    routes.remove(at: index)
    resolved.remove(at: index)
    // Below the size the index starts at, routes are found without it (`indexRoutes` then clears it).
    if index != last || !isIndexed { indexRoutes() }
  }

  /// Adds a layer outside the existing ones.
  public mutating func addLayer(_ layer: Layer) {
    layers.append(layer)
    resolved = resolvedLines(routes)
    layersChanged = base != nil
  }

  /// Removes every layer with this name.
  public mutating func removeLayers(named name: String) {
    layers.removeAll { $0.name == name }
    resolved = resolvedLines(routes)
    layersChanged = base != nil
  }

  private func resolve(_ route: Route) -> HeaderList { resolve(route, method: route.method) }

  // The route's lines as its owner sets them, then every layer outside the owner that the response
  // passes through. With `method` nil (a route for any method), method-scoped layers are left out.
  private func resolve(_ route: Route, method: Method?, href: String? = nil) -> HeaderList {
    // Without layers and for the application's own responses the lines stand as they are (a line without
    // `setBy` was set by the application).
    if layers.isEmpty && route.answeredBy == Layer.application { return route.headers }
    var headers = HeaderList(route.headers.map { HeaderField($0.name, $0.value, setBy: $0.setBy ?? route.answeredBy) })
    let href = href ?? route.url.hrefWithoutFragment
    var outside = route.answeredBy == Layer.application
    for layer in layers {
      if outside, layer.method == nil || layer.method == method,
         layer.urlPrefix.map({ href.hasPrefix($0) }) ?? true {
        layer.apply(to: &headers)
      }
      if layer.name == route.answeredBy { outside = true }
    }
    return headers
  }

  /// Answers a request: the responder's answer, passed through the layers, when it gives one; else the
  /// routes, as `respond(method:url:)`.
  public func respond(_ request: ServerRequest) -> ServerResponse {
    if let responder, let route = responder(request) {
      let headers = layers.isEmpty && route.answeredBy == Layer.application
        ? route.headers : resolve(route, method: request.method, href: request.url.hrefWithoutFragment)
      return ServerResponse(status: route.status, headers: headers, body: route.body, routeIndex: nil,
                            networkFailure: route.networkFailure, answeredByResponder: true)
    }
    return respond(method: request.method, url: request.url)
  }

  /// Answers a request: the first route matching method and URL, or 404 with no header lines (but what
  /// the layers add).
  public func respond(method: Method, url: URLRecord) -> ServerResponse {
    // Compared as the routes are: a URL with credentials is asked for as it goes on the wire, without them (the
    // routes of a server are found by that form, and an export asks for a route by the route's own URL).
    let href = url.matchedHref
    if let base, !touched.contains(href) {
      // A URL no edit touched: the base's route, through this server's layers.
      if !layersChanged { return base.value.respond(method: method, url: url) }
      if let i = base.value.routeIndex(method: method, href: href) {
        return answer(base.value.routes, at: i, method: method, resolved: nil)
      }
    } else if let i = routeIndex(method: method, href: href) {
      // The first route in order that matches: the earlier of the first for this method and the first for any.
      return answer(routes, at: i, method: method, resolved: resolved[i])
    }
    var headers = HeaderList()
    for layer in layers where layer.applies(method: method, href: href) { layer.apply(to: &headers) }
    return ServerResponse(status: 404, headers: headers, body: nil, routeIndex: nil, networkFailure: false)
  }

  /// The answer of route `i` of `routes`; `resolved` is its lines after the layers when known. The route's fields
  /// are read in place: copying a route retains each of its strings and lists, on every request.
  private func answer(_ routes: [Route], at i: Int, method: Method, resolved: HeaderList?) -> ServerResponse {
    // A route for any method may sit behind a layer scoped to one method: resolve it for this one.
    let scoped = routes[i].method == nil && layers.contains { $0.method != nil }
    let headers = scoped ? resolve(routes[i], method: method) : resolved ?? resolve(routes[i])
    return ServerResponse(status: routes[i].status, headers: headers, body: routes[i].body, routeIndex: i,
                          networkFailure: routes[i].networkFailure, routeOwner: routes[i].answeredBy)
  }
}

extension URLRecord {
  /// How a server finds the route for this URL: serialized without fragment or credentials, as a request for it
  /// goes on the wire. An HTTP request target has no userinfo: fetch turns a URL's credentials into an
  /// `Authorization` value instead (fetch.bs #concept-http-network-or-cache-fetch).
  public var matchedHref: String { includesCredentials ? onTheWire.hrefWithoutFragment : hrefWithoutFragment }
}
