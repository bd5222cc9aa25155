import CORSJSON
import CORSScenario
import CORSSimulator

/// A problem with one oracle input line: where (a JSON path) and what.
public struct OracleInputError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The JSON path of the offending value (`steps[1].headers[0]`), empty for the whole line.
  public var path: String
  /// What is wrong, and why.
  public var message: String

  public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// One scenario as the oracle reads it.
public struct OracleScenario: Sendable, Hashable {
  /// The `id`, echoed in the result (any JSON value; usually a string).
  public var id: JSONValue
  /// The engine to decide as.
  public var browser: Engine
  /// The scenario.
  public var scenario: Scenario
}

/// Decodes oracle input lines. The format is a public contract (README, "The oracle"): every field is
/// checked, and a field the oracle does not know is an error for that line, never silently ignored.
public enum OracleInput {
  static let topLevelFields: Set<String> = [
    "id", "browser", "page", "sandboxed", "steps", "request", "server",
    // Extensions (optional; never renamed): page policies and the browser's environment.
    "csp", "upgradeInsecureRequests", "coep", "pageAddressSpace", "hsts", "addressSpaces", "localNetworkAccess", "http2",
    "integrityPolicy",
  ]
  static let stepFields: Set<String> = [
    "api", "url", "method", "headers", "mode", "credentials", "redirect", "body", "uploadListeners", "after",
    // Extensions (optional; never renamed).
    "bodyType", "blobType", "cache", "referrer", "referrerPolicy", "integrity", "keepalive", "duplex", "window",
    "targetAddressSpace", "sync", "timeout", "responseType",
    // Element loads (`"api": "element"`).
    "destination", "crossorigin", "module",
    // Workers (`"api": "worker"` or `"sharedworker"`): WorkerOptions.type.
    "workerType",
    // Preload links (`"api": "preload"`): the link's `as` (its `crossorigin` is the element's field).
    "as",
    // Navigations and forms (`"api": "navigate"` or `"form"`): the target's name, a form's enctype;
    // WebSocket (`"api": "websocket"`): the subprotocols.
    "target", "enctype", "protocols",
  ]
  static let routeFields: Set<String> = ["method", "url", "status", "headers", "body", "networkError"]

  /// Limits that keep a hostile line from taking long (each is far above any real scenario).
  public static let maximumSteps = 1_000
  public static let maximumRoutes = 10_000
  public static let maximumHeaders = 10_000

  /// Decodes the common line straight from its text (a page, `fetch()` steps with their usual options, routes), or
  /// answers nil when the line needs `decode(_:)` — for any other field, and for every line with an error. What it
  /// answers equals `decode(try JSONParser.parse(line))`, built without the tree (`corsim oracle` tries it first).
  public static func decodeWithoutTree(_ line: String) -> OracleScenario? { OracleFastInput.decode(line) }

  /// Decodes one parsed line.
  public static func decode(_ json: JSONValue) throws(OracleInputError) -> OracleScenario {
    guard case .object(let members) = json else {
      throw OracleInputError(path: "", message: "a scenario must be a JSON object, not \(json.kindName)")
    }
    try checkFields(members, allowed: topLevelFields, path: "")
    let id = json["id"] ?? .null
    let browserName = try optionalString(json["browser"], "browser") ?? "spec"
    guard let browser = Engine(rawValue: browserName) else {
      throw OracleInputError(path: "browser", message: "'\(browserName)' is not one of spec, chromium, firefox, webkit")
    }
    guard let pageValue = json["page"] else { throw OracleInputError(path: "page", message: "is required (the page's URL)") }
    let pageText = try string(pageValue, "page")
    let sandboxed = try optionalBool(json["sandboxed"], "sandboxed") ?? false
    var page: Page
    do { page = try Page(pageText, sandboxed: sandboxed) } catch {
      throw OracleInputError(path: "page", message: error.description)
    }
    if let csp = json["csp"] { page.connectSources = try stringArray(csp, "csp") }
    page.upgradeInsecureRequests = try optionalBool(json["upgradeInsecureRequests"], "upgradeInsecureRequests") ?? false
    if let coep = try optionalString(json["coep"], "coep") {
      guard let p = EmbedderPolicy(rawValue: coep) else {
        throw OracleInputError(path: "coep", message: "'\(coep)' is not one of unsafe-none, require-corp, credentialless")
      }
      page.embedderPolicy = p
    }
    if let s = try optionalString(json["pageAddressSpace"], "pageAddressSpace") {
      page.addressSpace = try addressSpace(s, "pageAddressSpace")
    }
    page.integrityPolicy = try optionalString(json["integrityPolicy"], "integrityPolicy")

    var environment = NetworkEnvironment()
    if let hsts = json["hsts"] {
      for (k, host) in try stringArray(hsts, "hsts").enumerated() {
        // `example.com` or `example.com; includeSubDomains`
        let parts = host.split(separator: ";").map { $0.trimmingCharacters(in: " ") }
        guard let name = parts.first, !name.isEmpty else {
          throw OracleInputError(path: "hsts[\(k)]", message: "an empty host")
        }
        environment.hstsHosts[name.lowercased()] = parts.dropFirst().contains { $0.lowercased() == "includesubdomains" }
      }
    }
    if let spaces = json["addressSpaces"] {
      guard case .object(let m) = spaces else {
        throw OracleInputError(path: "addressSpaces", message: "expected an object of host → public|local|loopback")
      }
      for (host, v) in m {
        environment.addressSpaces[host.lowercased()] = try addressSpace(try string(v, "addressSpaces.\(host)"), "addressSpaces.\(host)")
      }
    }
    if let lna = try optionalString(json["localNetworkAccess"], "localNetworkAccess") {
      guard lna == "granted" || lna == "denied" else {
        throw OracleInputError(path: "localNetworkAccess", message: "'\(lna)' is not granted or denied")
      }
      environment.localNetworkAccessGranted = lna == "granted"
    }
    environment.http2 = try optionalBool(json["http2"], "http2") ?? false

    var steps: [ScenarioStep] = []
    switch (json["steps"], json["request"]) {
    case (.some, .some):
      throw OracleInputError(path: "request", message: "give either steps or request, not both")
    case (nil, nil):
      throw OracleInputError(path: "steps", message: "is required (a list of requests; `request` may stand for one)")
    case (.some(let s), nil):
      guard case .array(let items) = s else { throw OracleInputError(path: "steps", message: "expected an array, got \(s.kindName)") }
      if items.isEmpty { throw OracleInputError(path: "steps", message: "needs at least one request") }
      if items.count > maximumSteps {
        throw OracleInputError(path: "steps", message: "\(items.count) requests; at most \(maximumSteps) per scenario")
      }
      for (k, item) in items.enumerated() { steps.append(try step(item, "steps[\(k)]")) }
    case (nil, .some(let r)):
      steps.append(try step(r, "request"))
    }

    var routes: [Route] = []
    if let server = json["server"] {
      guard case .array(let items) = server else {
        throw OracleInputError(path: "server", message: "expected an array of routes, got \(server.kindName)")
      }
      if items.count > maximumRoutes {
        throw OracleInputError(path: "server", message: "\(items.count) routes; at most \(maximumRoutes) per scenario")
      }
      for (k, item) in items.enumerated() { routes.append(try route(item, "server[\(k)]")) }
    }
    let scenario = Scenario(id: idText(id), page: page, server: Server(routes: routes), environment: environment,
                            steps: steps)
    return OracleScenario(id: id, browser: browser, scenario: scenario)
  }

  static func idText(_ id: JSONValue) -> String {
    switch id {
    case .string(let s): return s
    case .null: return ""
    default: return JSONWriter.serialize(id)
    }
  }

  static func step(_ json: JSONValue, _ path: String) throws(OracleInputError) -> ScenarioStep {
    guard case .object(let members) = json else {
      throw OracleInputError(path: path, message: "a request must be an object, not \(json.kindName)")
    }
    try checkFields(members, allowed: stepFields, path: path)
    guard let urlValue = json["url"] else { throw OracleInputError(path: path + ".url", message: "is required") }
    var r = ScriptRequest(url: try string(urlValue, path + ".url"))
    if let api = try optionalString(json["api"], path + ".api") {
      guard let a = ScriptAPI(rawValue: api) else {
        throw OracleInputError(path: path + ".api", message: "'\(api)' is not fetch, xhr, element, eventsource, beacon, import, worker, sharedworker, preload, navigate, form or websocket")
      }
      r.api = a
    }
    r.method = try optionalString(json["method"], path + ".method").map { Method($0) }
    if let h = json["headers"] { r.headers = try headerPairs(h, path + ".headers") }
    r.mode = try option(json["mode"], path + ".mode")
    r.credentials = try option(json["credentials"], path + ".credentials")
    r.redirect = try option(json["redirect"], path + ".redirect")
    r.cache = try option(json["cache"], path + ".cache")
    r.referrer = try optionalString(json["referrer"], path + ".referrer")
    r.referrerPolicy = try option(json["referrerPolicy"], path + ".referrerPolicy")
    r.integrity = try optionalString(json["integrity"], path + ".integrity")
    r.keepalive = try optionalBool(json["keepalive"], path + ".keepalive") ?? false
    r.duplex = try option(json["duplex"], path + ".duplex")
    r.windowNotNull = try optionalBool(json["window"], path + ".window") ?? false
    r.targetAddressSpace = try option(json["targetAddressSpace"], path + ".targetAddressSpace")
    r.uploadListeners = try optionalBool(json["uploadListeners"], path + ".uploadListeners") ?? false
    r.synchronous = try optionalBool(json["sync"], path + ".sync") ?? false
    if let t = json["timeout"] { r.timeout = try integer(t, path + ".timeout", in: 0...Int(Int32.max)) }
    r.responseType = try optionalString(json["responseType"], path + ".responseType") ?? ""
    if let b = json["body"], b != .null {
      var body = RequestBody(text: try string(b, path + ".body"))
      if let kind = try optionalString(json["bodyType"], path + ".bodyType") {
        guard let k = BodyKind(rawValue: kind) else {
          throw OracleInputError(path: path + ".bodyType", message:
            "'\(kind)' is not one of \(BodyKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        body.kind = k
      }
      body.blobType = try optionalString(json["blobType"], path + ".blobType") ?? ""
      r.body = body
    } else if json["bodyType"] != nil || json["blobType"] != nil {
      throw OracleInputError(path: path + ".bodyType", message: "needs a body")
    }
    if r.api == .element {
      return ScenarioStep(after: try after(json, path), request: try elementStep(json, r.url, path))
    }
    if r.api == .preload {
      // `<link rel=preload href=url as=… crossorigin=…>`: the URL, `as` and `crossorigin` are all the link has.
      for field in ["method", "headers", "mode", "credentials", "redirect", "body", "bodyType", "blobType", "cache",
                    "referrer", "referrerPolicy", "integrity", "keepalive", "duplex", "window", "targetAddressSpace",
                    "uploadListeners", "sync", "timeout", "responseType", "destination", "module", "workerType"]
      where json[field] != nil {
        throw OracleInputError(path: path + "." + field, message: "is not a preload link's field; a preload takes a URL, as and crossorigin")
      }
      guard let kind = try optionalString(json["as"], path + ".as") else {
        throw OracleInputError(path: path + ".as", message: "is required for a preload (fetch, script, style or font)")
      }
      guard let preloadAs = PreloadDestination(rawValue: kind) else {
        throw OracleInputError(path: path + ".as", message: "'\(kind)' is not fetch, script, style or font")
      }
      r.preloadAs = preloadAs
      r.crossOrigin = try optionalString(json["crossorigin"], path + ".crossorigin").map { .init(rawValue: $0) }
      return ScenarioStep(after: try after(json, path), request: r)
    }
    if json["as"] != nil {
      throw OracleInputError(path: path + ".as", message: "is a preload link's field (\"api\": \"preload\")")
    }
    for field in ["destination", "crossorigin", "module"] where json[field] != nil {
      throw OracleInputError(path: path + "." + field, message: "is an element load's field (\"api\": \"element\")")
    }
    if r.api == .eventSource {
      // `new EventSource(url, {withCredentials})`: the URL and withCredentials are all the page chooses.
      for field in ["method", "headers", "mode", "redirect", "body", "bodyType", "blobType", "cache", "referrer",
                    "referrerPolicy", "integrity", "keepalive", "duplex", "window", "targetAddressSpace",
                    "uploadListeners", "sync", "timeout", "responseType"] where json[field] != nil {
        throw OracleInputError(path: path + "." + field, message:
          "is not an EventSource option; EventSource takes a URL and withCredentials (credentials include or same-origin)")
      }
      if let c = r.credentials, c != "include", c != "same-origin" {
        throw OracleInputError(path: path + ".credentials", message:
          "EventSource has withCredentials only: use include (true) or same-origin (false), not '\(c)'")
      }
      return ScenarioStep(after: try after(json, path), request: r)
    }
    if json["workerType"] != nil && !r.api.isWorker {
      throw OracleInputError(path: path + ".workerType", message: "is a worker's field (\"api\": \"worker\" or \"sharedworker\")")
    }
    if r.api == .dynamicImport || r.api.isWorker {
      // `import(url)`, `new Worker(url, {type})`, `new SharedWorker(url, {type})`: the URL (and a worker's type).
      let what = r.api == .dynamicImport ? "import() takes a URL only" : "a worker takes a URL and workerType (classic or module)"
      for field in ["method", "headers", "mode", "credentials", "redirect", "body", "bodyType", "blobType", "cache",
                    "referrer", "referrerPolicy", "integrity", "keepalive", "duplex", "window", "targetAddressSpace",
                    "uploadListeners", "sync", "timeout", "responseType"] where json[field] != nil {
        throw OracleInputError(path: path + "." + field, message: "is not an option here; \(what)")
      }
      if let t = try optionalString(json["workerType"], path + ".workerType") {
        guard let type = WorkerType(rawValue: t) else {
          throw OracleInputError(path: path + ".workerType", message: "'\(t)' is not classic or module")
        }
        r.workerType = type
      }
      return ScenarioStep(after: try after(json, path), request: r)
    }
    if json["target"] != nil && !r.api.isNavigation {
      throw OracleInputError(path: path + ".target", message: "is a navigation's field (\"api\": \"navigate\" or \"form\")")
    }
    if json["enctype"] != nil && r.api != .form {
      throw OracleInputError(path: path + ".enctype", message: "is a form's field (\"api\": \"form\")")
    }
    if json["protocols"] != nil && r.api != .websocket {
      throw OracleInputError(path: path + ".protocols", message: "is a WebSocket's field (\"api\": \"websocket\")")
    }
    if r.api.isNavigation || r.api == .websocket {
      // A navigation: the URL and target; a form: method (GET or POST), enctype, target, and its entry list
      // urlencoded as body; a WebSocket: the URL and protocols.
      let what = r.api == .navigate ? "a navigation takes a URL and target"
        : r.api == .form ? "a form takes method (GET or POST), a URL, enctype, target and body (its entries, urlencoded)"
        : "a WebSocket takes a URL and protocols"
      var refused = ["headers", "mode", "credentials", "redirect", "bodyType", "blobType", "cache", "referrer",
                     "referrerPolicy", "integrity", "keepalive", "duplex", "window", "targetAddressSpace",
                     "uploadListeners", "sync", "timeout", "responseType"]
      if r.api != .form { refused += ["method", "body"] }
      for field in refused where json[field] != nil {
        throw OracleInputError(path: path + "." + field, message: "is not an option here; \(what)")
      }
      if r.api == .form {
        let m = (r.method?.rawValue ?? "GET").uppercased()
        guard m == "GET" || m == "POST" else {
          throw OracleInputError(path: path + ".method", message: "a form's method is GET or POST, not '\(r.method?.rawValue ?? "")'")
        }
        r.method = Method(rawValue: m)
        if let e = try optionalString(json["enctype"], path + ".enctype") {
          guard let enctype = FormEnctype(rawValue: e) else {
            throw OracleInputError(path: path + ".enctype", message:
              "'\(e)' is not one of \(FormEnctype.allCases.map(\.rawValue).joined(separator: ", "))")
          }
          r.enctype = enctype
        }
      }
      r.target = try optionalString(json["target"], path + ".target")
      if let p = json["protocols"] {
        guard case .array(let items) = p else {
          throw OracleInputError(path: path + ".protocols", message: "must be an array of strings, not \(p.kindName)")
        }
        r.protocols = try items.enumerated().map { (k, v) throws(OracleInputError) in try string(v, path + ".protocols[\(k)]") }
      }
      return ScenarioStep(after: try after(json, path), request: r)
    }
    if r.api == .beacon {
      // `navigator.sendBeacon(url, data)`: the URL and the data (body, bodyType, blobType) are all the page gives.
      for field in ["method", "headers", "mode", "credentials", "redirect", "cache", "referrer", "referrerPolicy",
                    "integrity", "keepalive", "duplex", "window", "targetAddressSpace", "uploadListeners", "sync",
                    "timeout", "responseType"] where json[field] != nil {
        throw OracleInputError(path: path + "." + field, message:
          "is not a sendBeacon argument; a beacon takes a URL and data (body, bodyType, blobType)")
      }
      return ScenarioStep(after: try after(json, path), request: r)
    }
    if r.api == .xhr {
      // XHR has no mode, redirect or cache option, and withCredentials only chooses include or same-origin.
      for field in ["mode", "redirect", "cache", "referrer", "referrerPolicy", "integrity", "keepalive", "duplex",
                    "window", "targetAddressSpace"] where json[field] != nil {
        throw OracleInputError(path: path + "." + field, message: "is a fetch() option; XMLHttpRequest has none")
      }
      if let c = r.credentials, c != "include", c != "same-origin" {
        throw OracleInputError(path: path + ".credentials", message:
          "XMLHttpRequest has withCredentials only: use include (true) or same-origin (false), not '\(c)'")
      }
    } else {
      for field in ["uploadListeners", "sync", "timeout", "responseType"] where json[field] != nil {
        throw OracleInputError(path: path + "." + field, message: "is an XMLHttpRequest option; fetch() has none")
      }
    }
    return ScenarioStep(after: try after(json, path), request: r)
  }

  static func after(_ json: JSONValue, _ path: String) throws(OracleInputError) -> Double {
    guard let a = json["after"] else { return 0 }
    guard case .number(let n) = a, n >= 0, n <= 1e9 else {
      throw OracleInputError(path: path + ".after", message: "expected a number of seconds between 0 and 1e9")
    }
    return n
  }

  /// An element load: `{"api": "element", "destination": "image", "url", "crossorigin", "integrity", "module"}`.
  static func elementStep(_ json: JSONValue, _ url: String, _ path: String) throws(OracleInputError) -> ScriptRequest {
    for field in ["method", "headers", "mode", "credentials", "redirect", "body", "bodyType", "blobType", "cache",
                  "referrer", "referrerPolicy", "keepalive", "duplex", "window", "targetAddressSpace", "uploadListeners",
                  "sync", "timeout", "responseType"] where json[field] != nil {
      throw OracleInputError(path: path + "." + field, message: "is not an element load's field; an element's request is built from its attributes")
    }
    guard let destinationValue = json["destination"] else {
      throw OracleInputError(path: path + ".destination", message: "is required for an element load (image, script, style, font, audio, video)")
    }
    let destination = try string(destinationValue, path + ".destination")
    let isModule = try optionalBool(json["module"], path + ".module") ?? false
    let kind: ElementKind
    switch destination {
    case "script": kind = isModule ? .module : .script
    case "image", "style", "font", "audio", "video":
      if isModule { throw OracleInputError(path: path + ".module", message: "only a script can be a module") }
      kind = ElementKind(rawValue: destination)!
    default:
      throw OracleInputError(path: path + ".destination", message: "'\(destination)' is not one of image, script, style, font, audio, video")
    }
    var r = ScriptRequest.load(kind, url)
    r.crossOrigin = try option(json["crossorigin"], path + ".crossorigin")
    if r.crossOrigin != nil && !kind.takesCrossOrigin {
      throw OracleInputError(path: path + ".crossorigin", message: "a font is always fetched with CORS: @font-face has no crossorigin attribute")
    }
    r.integrity = try optionalString(json["integrity"], path + ".integrity")
    if r.integrity != nil && !kind.takesIntegrity {
      throw OracleInputError(path: path + ".integrity", message: "only <script> and <link rel=stylesheet> have an integrity attribute")
    }
    return r
  }

  static func route(_ json: JSONValue, _ path: String) throws(OracleInputError) -> Route {
    guard case .object(let members) = json else {
      throw OracleInputError(path: path, message: "a route must be an object, not \(json.kindName)")
    }
    try checkFields(members, allowed: routeFields, path: path)
    let method = try optionalString(json["method"], path + ".method") ?? "*"
    if method != "*" && !Method(method).isValid {
      throw OracleInputError(path: path + ".method", message: "'\(method)' is not a method token or *")
    }
    guard let urlValue = json["url"] else { throw OracleInputError(path: path + ".url", message: "is required") }
    let urlText = try string(urlValue, path + ".url")
    let url: URLRecord
    do { url = try URLRecord(urlText) } catch { throw OracleInputError(path: path + ".url", message: error.description) }
    // 200–599, or 101: a WebSocket handshake's answer.
    let status = try json["status"].map { v throws(OracleInputError) in
      v == .number(101) ? 101 : try integer(v, path + ".status", in: 200...599)
    } ?? 200
    var headers = HeaderList()
    if let h = json["headers"] {
      let pairs = try headerPairs(h, path + ".headers").fields
      headers.reserveCapacity(pairs.count)
      for k in pairs.indices {  // (by index: a `for` over the lines copies each)
        var p: String { "\(path).headers[\(k)]" }
        guard pairs[k].name.isValid else {
          throw OracleInputError(path: p, message: "'\(pairs[k].name.rawName)' is not a valid header name (a token)")
        }
        if containsLineBreakOrNUL(pairs[k].value) {
          throw OracleInputError(path: p, message: "a header value cannot contain CR, LF or NUL")
        }
        // HTTP field parsing removes leading and trailing whitespace from the value on the wire.
        headers.append(HeaderField(pairs[k].name, pairs[k].value.trimmingCharacters(in: " \t")))
      }
    }
    var body: String? = nil
    if let b = json["body"], b != .null { body = try string(b, path + ".body") }
    let failure = try optionalBool(json["networkError"], path + ".networkError") ?? false
    return Route(method: method == "*" ? nil : Method(method), url: url, status: status, headers: headers, body: body,
                 networkFailure: failure)
  }

  // MARK: Field helpers

  /// Whether a value begins or ends with a space or a tab (so that trimming would change it).
  static func hasSpaceOrTabAtAnEnd(_ value: String) -> Bool {
    func blank(_ b: UInt8?) -> Bool { b == 0x20 || b == 0x09 }
    return value.utf8.withContiguousStorageIfAvailable { blank($0.first) || blank($0.last) }
      ?? (blank(value.utf8.first) || blank(value.utf8.last))
  }

  /// Whether a value holds CR, LF or NUL (read from the string's own bytes when it has them in one piece).
  static func containsLineBreakOrNUL(_ value: String) -> Bool {
    func found(_ b: UInt8) -> Bool { b == 0x0A || b == 0x0D || b == 0x00 }
    return value.utf8.withContiguousStorageIfAvailable { $0.contains(where: found) } ?? value.utf8.contains(where: found)
  }

  static func checkFields(_ members: [(String, JSONValue)], allowed: Set<String>, path: String) throws(OracleInputError) {
    for (key, _) in members where !allowed.contains(key) {
      let hint = DidYouMean.suggestion(for: key, among: allowed.sorted(), maxDistance: 3).map { " (did you mean \"\($0)\"?)" } ?? ""
      // A name of megabytes is named by its start: the answer stays small.
      let shown = key.utf8.count > 80 ? String(key.prefix(60)) + "… (\(key.utf8.count) bytes)" : key
      throw OracleInputError(path: path.isEmpty ? shown : path + "." + shown,
                             message: "unknown field\(hint); known fields: \(allowed.sorted().joined(separator: ", "))")
    }
  }

  static func string(_ v: JSONValue, _ path: @autoclosure () -> String) throws(OracleInputError) -> String {
    guard case .string(let s) = v else { throw OracleInputError(path: path(), message: "expected a string, got \(v.kindName)") }
    return s
  }

  static func optionalString(_ v: JSONValue?, _ path: @autoclosure () -> String) throws(OracleInputError) -> String? {
    guard let v, v != .null else { return nil }
    return try string(v, path())
  }

  /// A script option as written (any string: the engine judges it).
  static func option<T: ScriptOptionValue>(_ v: JSONValue?, _ path: @autoclosure () -> String) throws(OracleInputError) -> T? {
    try optionalString(v, path()).map { T(rawValue: $0) }
  }

  static func optionalBool(_ v: JSONValue?, _ path: @autoclosure () -> String) throws(OracleInputError) -> Bool? {
    guard let v, v != .null else { return nil }
    guard case .bool(let b) = v else { throw OracleInputError(path: path(), message: "expected true or false, got \(v.kindName)") }
    return b
  }

  static func integer(_ v: JSONValue, _ path: @autoclosure () -> String, in range: ClosedRange<Int>) throws(OracleInputError) -> Int {
    guard case .number(let n) = v, n == n.rounded(), n >= Double(range.lowerBound), n <= Double(range.upperBound) else {
      throw OracleInputError(path: path(), message: "expected a whole number from \(range.lowerBound) to \(range.upperBound)")
    }
    return Int(n)
  }

  static func stringArray(_ v: JSONValue, _ path: @autoclosure () -> String) throws(OracleInputError) -> [String] {
    guard case .array(let items) = v else { throw OracleInputError(path: path(), message: "expected an array of strings") }
    var out: [String] = []
    for (k, item) in items.enumerated() { out.append(try string(item, "\(path())[\(k)]")) }
    return out
  }

  static func headerPairs(_ v: JSONValue, _ path: @autoclosure () -> String) throws(OracleInputError) -> HeaderList {
    guard case .array(let items) = v else {
      throw OracleInputError(path: path(), message: "expected an array of [name, value] pairs, got \(v.kindName)")
    }
    if items.count > maximumHeaders {
      throw OracleInputError(path: path(), message: "\(items.count) header lines; at most \(maximumHeaders)")
    }
    var out = HeaderList()
    for (k, item) in items.enumerated() {
      guard case .array(let pair) = item, pair.count == 2, case .string(let name) = pair[0], case .string(let value) = pair[1]
      else {
        throw OracleInputError(path: "\(path())[\(k)]", message: "expected [name, value], two strings")
      }
      out.append(HeaderField(HeaderName(name), value))
    }
    return out
  }

  static func addressSpace(_ s: String, _ path: @autoclosure () -> String) throws(OracleInputError) -> AddressSpace {
    guard let a = AddressSpace(rawValue: s) else {
      throw OracleInputError(path: path(), message: "'\(s)' is not one of public, local, loopback")
    }
    return a
  }
}
