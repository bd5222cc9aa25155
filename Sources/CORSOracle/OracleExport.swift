import CORSJSON
import CORSScenario
import CORSSimulator

/// Writes a scenario as an oracle input line, the inverse of `OracleInput.decode`: what a scenario file,
/// a REPL session or an import says becomes a line that `corsim oracle`, the conformance harness or any
/// other tool of the contract can play.
///
/// The oracle's server is a list of routes matched in order by method and URL. Layers (proxy, CDN) have no
/// JSON form, so the export flattens them: every route is written with the header lines the client
/// receives through the layers, a route for any method behind a method-scoped layer is written once per such
/// method and once for the rest, and a request the scenario makes to a URL no route answers (a `404` that
/// layers decorate) gets a route of its own. The flattened server answers every request the scenario makes
/// exactly as the layered one does.
public enum OracleExport {
  /// The oracle line of a scenario. `browser` nil leaves the field out (the reader's default is `spec`).
  public static func encode(_ scenario: Scenario, id: JSONValue? = nil, browser: Engine? = nil) -> JSONValue {
    var members: [(String, JSONValue)] = []
    members.append(("id", id ?? .string(scenario.id)))
    if let browser { members.append(("browser", .string(browser.rawValue))) }
    if let page = scenario.page {
      members.append(("page", .string(page.url.href)))
      if page.sandboxed { members.append(("sandboxed", .bool(true))) }
      if let csp = page.connectSources { members.append(("csp", .array(csp.map { .string($0) }))) }
      if page.upgradeInsecureRequests { members.append(("upgradeInsecureRequests", .bool(true))) }
      if page.embedderPolicy != .unsafeNone { members.append(("coep", .string(page.embedderPolicy.rawValue))) }
      if let space = page.addressSpace { members.append(("pageAddressSpace", .string(space.rawValue))) }
      if let policy = page.integrityPolicy { members.append(("integrityPolicy", .string(policy))) }
    }
    let environment = scenario.environment
    if !environment.hstsHosts.isEmpty {
      members.append(("hsts", .array(environment.hstsHosts.sorted { $0.key < $1.key }.map {
        .string($0.value ? $0.key + "; includeSubDomains" : $0.key)
      })))
    }
    if !environment.addressSpaces.isEmpty {
      members.append(("addressSpaces", .object(environment.addressSpaces.sorted { $0.key < $1.key }.map {
        ($0.key, .string($0.value.rawValue))
      })))
    }
    if environment.localNetworkAccessGranted != NetworkEnvironment().localNetworkAccessGranted {
      members.append(("localNetworkAccess", .string(environment.localNetworkAccessGranted ? "granted" : "denied")))
    }
    if environment.http2 { members.append(("http2", .bool(true))) }
    members.append(("steps", .array(scenario.steps.map(step))))
    members.append(("server", .array(routes(scenario))))
    return .object(members)
  }

  static func step(_ step: ScenarioStep) -> JSONValue {
    let r = step.request
    var m: [(String, JSONValue)] = []
    if r.api != .fetch { m.append(("api", .string(r.api.rawValue))) }
    m.append(("url", .string(r.url)))
    if r.api == .element {
      let kind = r.element ?? .image
      m.append(("destination", .string(kind.destination.rawValue)))
      if kind == .module { m.append(("module", .bool(true))) }
      if let c = r.crossOrigin { m.append(("crossorigin", .string(c.rawValue))) }
      if let i = r.integrity { m.append(("integrity", .string(i))) }
      if step.after != 0 { m.append(("after", .number(step.after))) }
      return .object(m)
    }
    if r.api == .eventSource {
      // `new EventSource(url, {withCredentials})`: the URL and withCredentials (credentials) only.
      if let c = r.credentials { m.append(("credentials", .string(c.rawValue))) }
      if step.after != 0 { m.append(("after", .number(step.after))) }
      return .object(m)
    }
    if r.api == .dynamicImport || r.api.isWorker {
      // `import(url)`, `new Worker(url, {type})`, `new SharedWorker(url, {type})`.
      if let t = r.workerType { m.append(("workerType", .string(t.rawValue))) }
      if step.after != 0 { m.append(("after", .number(step.after))) }
      return .object(m)
    }
    if r.api.isNavigation || r.api == .websocket {
      // `navigate`: the target; `form`: method, enctype, target, the entries (body); `websocket`: protocols.
      if r.api == .form { m.append(("method", .string(r.method?.rawValue ?? "GET"))) }
      if let e = r.enctype { m.append(("enctype", .string(e.rawValue))) }
      if let t = r.target { m.append(("target", .string(t))) }
      if r.api == .form, let body = r.body { m.append(("body", .string(body.text))) }
      if let p = r.protocols { m.append(("protocols", .array(p.map { .string($0) }))) }
      if step.after != 0 { m.append(("after", .number(step.after))) }
      return .object(m)
    }
    if r.api == .beacon, let body = r.body {
      // `navigator.sendBeacon(url, data)`: the data only.
      m.append(("body", .string(body.text)))
      if body.kind != .string { m.append(("bodyType", .string(body.kind.rawValue))) }
      if !body.blobType.isEmpty { m.append(("blobType", .string(body.blobType))) }
    }
    if r.api == .beacon {
      if step.after != 0 { m.append(("after", .number(step.after))) }
      return .object(m)
    }
    if let method = r.method { m.append(("method", .string(method.rawValue))) }
    if !r.headers.isEmpty { m.append(("headers", pairs(r.headers.map { ($0.name.rawName, $0.value) }))) }
    // The options as the scenario printer lists them (one table: `RequestOption.all`).
    for option in RequestOption.all {
      switch option {
      case .text(_, let key, let read):
        if let value = read(r) { m.append((key, .string(value))) }
      case .flag(_, let key, let path):
        if r[keyPath: path] { m.append((key, .bool(true))) }
      case .body:
        guard let body = r.body else { continue }
        m.append(("body", .string(body.text)))
        if body.kind != .string { m.append(("bodyType", .string(body.kind.rawValue))) }
        if !body.blobType.isEmpty { m.append(("blobType", .string(body.blobType))) }
      case .timeout:
        if r.timeout != 0 { m.append(("timeout", .number(Double(r.timeout)))) }
      case .responseType:
        if !r.responseType.isEmpty { m.append(("responseType", .string(r.responseType))) }
      }
    }
    if step.after != 0 { m.append(("after", .number(step.after))) }
    return .object(m)
  }

  static func pairs(_ pairs: [(String, String)]) -> JSONValue {
    .array(pairs.map { .array([.string($0.0), .string($0.1)]) })
  }

  /// The flattened routes (see the type's discussion).
  static func routes(_ scenario: Scenario) -> [JSONValue] {
    let server = scenario.server
    var out: [JSONValue] = []
    func emit(_ method: Method?, _ url: URLRecord) {
      // A method no route names stands for "any other method": no layer scoped to a real method applies.
      let response = server.respond(method: method ?? "", url: url)
      var m: [(String, JSONValue)] = [("method", .string(method?.rawValue ?? "*")), ("url", .string(url.href))]
      if response.networkFailure {
        m.append(("networkError", .bool(true)))
      } else {
        m.append(("status", .number(Double(response.status))))
        m.append(("headers", pairs(response.headers.map { ($0.name.rawName, $0.value) })))
        if let body = response.body { m.append(("body", .string(body))) }
      }
      out.append(.object(m))
    }
    // Requests that no route answers but that layers decorate, as any engine makes them.
    if !server.layers.isEmpty, scenario.page != nil {
      var seen = Set<String>()
      for engine in Engine.allWithSpec {
        for verdict in ScenarioRunner.run(scenario, profile: .forEngine(engine), trace: false) {
          for request in verdict.requests where server.respond(method: request.method, url: request.url).routeIndex == nil {
            if seen.insert(request.method.rawValue + " " + request.url.hrefWithoutFragment).inserted {
              emit(request.method, request.url)
            }
          }
        }
      }
    }
    let scopedMethods = Set(server.layers.compactMap(\.method)).sorted { $0.rawValue < $1.rawValue }
    for route in server.routes {
      if route.method == nil {
        for method in scopedMethods { emit(method, route.url) }
      }
      emit(route.method, route.url)
    }
    return out
  }
}
