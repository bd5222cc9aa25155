import CORSJSON
import CORSOracle
import CORSScenario
import CORSSimulator

/// A whole input file as the harness plays it: every scenario decoded and checked, the ports the server
/// must listen on, the host names browsers must resolve to loopback, and the order to play them in.
public struct ConformancePlan: Sendable {
  /// The scenarios, in input order (blank lines dropped).
  public var scenarios: [PlannedScenario]
  /// The ports the scripted server listens on (each answers plain HTTP and TLS alike).
  public var ports: [Int]
  /// Every domain name a scenario uses (pages, steps, routes, redirect targets), lower-case, sorted.
  public var hostNames: [String]

  /// The default of `maximumPause`: seconds of `after` pauses a scenario may need in all.
  public static let defaultMaximumPause: Double = 30

  /// Plans JSON lines in the oracle's input format. A scenario whose steps' `after` pauses add up to more
  /// than `maximumPause` seconds is skipped: the pauses are virtual time to the simulator (a max-age test
  /// waits 7200 s) but real time to a browser, whose preflight cache runs on the wall clock.
  public init(jsonLines text: String, maximumPause: Double = ConformancePlan.defaultMaximumPause) {
    var scenarios: [PlannedScenario] = []
    var ports: Set<Int> = []
    var hosts: Set<String> = []
    var position = 0
    for line in TextLines.split(text) {
      if line.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
      var planner = ScenarioPlanner(position: position, maximumPause: maximumPause)
      let planned = planner.plan(line: line)
      if planned.skipReason == nil {
        ports.formUnion(planner.ports)
        hosts.formUnion(planner.hosts)
      }
      scenarios.append(planned)
      position += 1
    }
    self.scenarios = scenarios
    self.ports = ports.sorted()
    self.hostNames = hosts.sorted()
  }

  /// The positions of the scenarios to play, in playing order: `file:` pages first, then the rest, each group
  /// in input order. Browsers refuse to navigate from an `http:` page to a `file:` one, so the walk through
  /// the file pages has to come before the first web page.
  public var playOrder: [Int] { playOrder(for: nil) }

  /// The play order for one engine: without the scenarios that engine skips.
  public func playOrder(for engine: Engine?) -> [Int] {
    let playable = scenarios.filter { engine.map($0.skipReason(for:)) ?? $0.skipReason == nil }
    let files = playable.filter { $0.page?.scheme == "file" }.map(\.position)
    let web = playable.filter { $0.page?.scheme != "file" }.map(\.position)
    return files + web
  }
}

/// Decodes and checks one line; collects the ports and host names it needs.
struct ScenarioPlanner {
  let position: Int
  let maximumPause: Double
  var ports: Set<Int> = []
  var hosts: Set<String> = []

  init(position: Int, maximumPause: Double = ConformancePlan.defaultMaximumPause) {
    self.position = position
    self.maximumPause = maximumPause
  }

  mutating func plan(line: Substring) -> PlannedScenario {
    var planned = PlannedScenario(position: position, id: .null, scenario: nil, page: nil, sandboxed: false,
                                  wireRoutes: [], steps: [], pageHeaders: [], skipReason: nil)
    let json: JSONValue
    do { json = try JSONParser.parse(line) } catch {
      planned.skipReason = "not valid JSON: \(error)"
      return planned
    }
    planned.id = json["id"] ?? .null
    let decoded: OracleScenario
    do { decoded = try OracleInput.decode(json) } catch {
      planned.skipReason = "not a valid scenario: \(error)"
      return planned
    }
    let scenario = decoded.scenario
    planned.scenario = scenario
    guard let page = scenario.page else {
      planned.skipReason = "the scenario has no page"
      return planned
    }
    planned.page = page.url
    planned.sandboxed = page.sandboxed
    if let reason = unplayableEnvironment(json) {
      planned.skipReason = reason
      return planned
    }
    let pauses = scenario.steps.reduce(0) { $0 + $1.after }
    if pauses > maximumPause {
      planned.skipReason = "needs \(ScenarioPlanner.seconds(pauses)) s of real time (its steps' `after` pauses); "
        + "the harness waits for real, up to \(ScenarioPlanner.seconds(maximumPause)) s a scenario (--max-pause)"
      return planned
    }
    switch page.url.scheme {
    case "http", "https":
      if let reason = need(page.url) {
        planned.skipReason = reason
        return planned
      }
    case "file":
      if page.sandboxed {
        planned.skipReason = "a sandboxed file: page is not supported (its frame would have to be a file too)"
        return planned
      }
      if page.embedderPolicy != .unsafeNone {
        planned.skipReason = "a file: page cannot be given a Cross-Origin-Embedder-Policy header"
        return planned
      }
      if page.integrityPolicy != nil {
        planned.skipReason = "a file: page cannot be given an Integrity-Policy header"
        return planned
      }
    default:
      planned.skipReason = "the harness serves only http:, https: and file: pages, not \(page.url.scheme):"
      return planned
    }
    planned.pageHeaders = ScenarioPlanner.pageHeaders(page, prefix: planned.prefix)
    planned.freshBrowserAfter = page.upgradeInsecureRequests
    let pageSpace = page.url.scheme == "file" ? AddressSpace.loopback : AddressSpace.of(page.url.host)
    var urls: [URLRecord] = []

    // Routes: the wire form keeps the header lines exactly as written (OracleInput trims values).
    let rawRoutes: [JSONValue]
    if case .array(let items)? = json["server"] { rawRoutes = items } else { rawRoutes = [] }
    for (k, route) in scenario.server.routes.enumerated() {
      if route.url.isHTTPScheme, let reason = need(route.url) {
        planned.skipReason = "server[\(k)]: \(reason)"
        return planned
      }
      if route.url.isHTTPScheme { urls.append(route.url) }
      var lines = HeaderList()
      if case .array(let pairs)? = rawRoutes[k]["headers"] {
        for pair in pairs {
          if case .array(let nv) = pair, nv.count == 2, case .string(let n) = nv[0], case .string(let v) = nv[1] {
            lines.append(HeaderField(HeaderName(n), v))
          }
        }
      }
      // A redirect's target is a host the browser will look up too.
      for line in lines where line.name == .location {
        if let target = try? URLRecord(line.value.trimmingWhitespace, base: route.url), target.isHTTPScheme {
          if let reason = need(target) {
            planned.skipReason = "server[\(k)] redirects to \(target.href): \(reason)"
            return planned
          }
          urls.append(target)
        }
      }
      planned.wireRoutes.append(WireRoute(status: route.status, headerLines: lines, body: route.body,
                                          networkFailure: route.networkFailure))
    }

    // Steps: the oracle's step objects, with served URLs moved under the prefix.
    var elementPaths: [(ElementKind, String?)] = []
    var fetchPaths: Set<String> = []
    let rawSteps: [JSONValue]
    if case .array(let items)? = json["steps"] { rawSteps = items } else { rawSteps = json["request"].map { [$0] } ?? [] }
    for (k, raw) in rawSteps.enumerated() {
      guard case .object(var members) = raw else { continue }
      let request = scenario.steps[k].request
      let parsed = try? URLRecord(request.url, base: page.url)
      if request.api == .element {
        elementPaths.append((request.element ?? .image, parsed?.isHTTPScheme == true ? parsed?.pathString : nil))
      } else if let parsed, parsed.isHTTPScheme {
        fetchPaths.insert(parsed.pathString)
      }
      if request.body?.kind == .stream, request.api == .xhr {
        planned.skipReason = "steps[\(k)]: XMLHttpRequest cannot send a stream body"
        return planned
      }
      // The six methods the browser upper-cases reach the server upper-case; any other keeps its case.
      if let method = request.method, method.isValid {
        let sent = method.normalized.rawValue
        if !ScenarioPlanner.parsableMethods.contains(sent) {
          planned.skipReason = "steps[\(k)]: the scripted server's HTTP parser (llhttp) refuses the method '\(sent)'"
          return planned
        }
      }
      // A WebSocket URL is served by the same server (its handshake is an HTTP GET on the same port).
      if let url = parsed, url.isHTTPScheme || url.scheme == "ws" || url.scheme == "wss" {
        if let reason = need(url) {
          planned.skipReason = "steps[\(k)]: \(reason)"
          return planned
        }
        urls.append(url)
        // Chromium checks a declared targetAddressSpace against where the server really is: loopback here.
        if let declared = request.targetAddressSpace.flatMap({ AddressSpace(rawValue: $0.rawValue) }),
           AddressSpace.of(url.host) != .loopback {
          planned.engineSkipReasons[Engine.chromium.rawValue] =
            "steps[\(k)]: targetAddressSpace \(declared.rawValue) is checked against where \(url.hostString) really "
            + "is: \(AddressSpace.of(url.host).rawValue) in the scenario, loopback here"
        }
        if let i = members.firstIndex(where: { $0.0 == "url" }) {
          members[i].1 = .string(ScenarioPlanner.prefixed(url, PlannedScenario.prefix(position)))
        }
      }
      planned.steps.append(.object(members))
    }
    if let reason = ScenarioPlanner.substituteBodies(&planned, elementPaths: elementPaths, fetchPaths: fetchPaths) {
      planned.skipReason = reason
      return planned
    }
    // Local Network Access (Chromium): a request to a more private address space than the page's needs a
    // secure context and the user's permission, which headless Chromium cannot be given. Every host here is
    // loopback, so no request crosses spaces; the other engines' profiles have no such gate.
    if let more = urls.first(where: { AddressSpace.of($0.host) < pageSpace }) {
      planned.engineSkipReasons[Engine.chromium.rawValue] = "\(more.href) is in the \(AddressSpace.of(more.host).rawValue) "
        + "address space and the page in the \(pageSpace.rawValue) one; every host here is loopback, so Chromium's "
        + "Local Network Access cannot be reproduced"
    }
    return planned
  }

  /// Gives each route that answers an element load the body it needs (`ElementBodies`), or says why the
  /// scenario cannot be played. Only a 2xx route (not 204 or 205) for GET is looked at. The element kind is
  /// that of the first element step whose URL has the route's path (scheme, host and port may change on the
  /// way: mixed-content upgrades); a route no step names by path (a redirect's target) takes the first element
  /// step's kind, unless a fetch or XHR step names its path.
  ///
  /// - No body, or an empty one: the minimal resource of the element's kind (for a 404 or a 300 as for a 200).
  /// - An image body that only begins like an image (`GIF89a-pretend-pixels`, an `<svg/>` without its
  ///   namespace): the whole minimal image of that format. The scenario wrote the start of an image for
  ///   sniffing (ORB), which the whole image still has.
  /// - A body that is no image, media or font at all (HTML or JSON to `<img>`, text to `<video>`): the element
  ///   would fire `error` on decoding whatever the fetch decided, so its event says nothing about the fetch;
  ///   the scenario is skipped with that reason.
  /// - An image labelled `application/pdf` is not played in WebKit: WebKitGTK decodes it as a PDF, which it
  ///   cannot draw, whatever the bytes.
  /// - Scripts and stylesheets keep their bodies: a script that does not parse and CSS that does not parse
  ///   still fire `load`.
  static func substituteBodies(_ planned: inout PlannedScenario, elementPaths: [(ElementKind, String?)],
                               fetchPaths: Set<String>) -> String? {
    guard let scenario = planned.scenario, let first = elementPaths.first?.0 else { return nil }
    for (k, route) in scenario.server.routes.enumerated() {
      // Every status whose response has a body (not 204, 205 or 304), an error status too: the element's event
      // then tells whether the engine used a response of that status, not whether it decoded nothing. A redirect
      // that is followed has its body ignored.
      guard !route.networkFailure, (200..<600).contains(route.status), ![204, 205, 304].contains(route.status),
            !planned.wireRoutes[k].headerLines.contains(where: { $0.name == .location }),
            route.method.map({ $0 == "*" || $0.rawValue.uppercased() == "GET" }) ?? true else { continue }
      let path = route.url.pathString
      let kind: ElementKind
      if let named = elementPaths.first(where: { $0.1 == path }) {
        kind = named.0
      } else if !fetchPaths.contains(path) {
        kind = first
      } else {
        continue
      }
      let contentType = planned.wireRoutes[k].headerLines.last { $0.name == .contentType }?.value
      if kind == .image, contentType.flatMap({ MIMEType.parse($0) })?.essence == "application/pdf" {
        // Observed: WebKitGTK decodes an image labelled application/pdf as a PDF, which it cannot draw, whatever
        // the bytes (a same-origin one fails too), with no console message.
        planned.engineSkipReasons[Engine.webkit.rawValue] = "server[\(k)]: WebKitGTK decodes an image labelled "
          + "application/pdf as a PDF, which it cannot draw, so the img element fires error whatever the fetch decided"
      }
      let own = BodyBytes.bytes(route.body ?? "")
      if own.isEmpty {
        planned.wireRoutes[k].substitutedBody = ElementBodies.body(for: kind, contentType: contentType)
        continue
      }
      switch ElementBodies.judge(own, for: kind, contentType: contentType) {
      // A body no element of that kind decodes is served as written: the simulator decides from its leading
      // bytes whether the element fires error (ElementLoad.swift, "decodable as this element's type").
      case .keep, .undecodable: break
      case .complete(let whole): planned.wireRoutes[k].substitutedBody = whole
      }
    }
    return nil
  }

  /// Seconds as few digits as needed: 7200, 0.5.
  static func seconds(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(v) }

  /// Registers an http(s) URL's host and port; a reason when the harness cannot serve it.
  mutating func need(_ url: URLRecord) -> String? {
    guard let host = url.host, let port = url.effectivePort else { return "\(url.href) has no host" }
    switch host {
    case .domain(let name):
      hosts.insert(name)
    case .ipv4(let v):
      // 127.0.0.0/8 only: any other address would send traffic off this machine.
      guard v >> 24 == 127 else { return "\(host.serialized) is not a loopback address; the harness serves loopback only" }
    case .ipv6:
      guard host.serialized == "[::1]" else { return "\(host.serialized) is not a loopback address; the harness serves loopback only" }
    default:
      return "\(url.href) has no host the harness can serve"
    }
    ports.insert(port)
    return nil
  }

  /// Extensions the harness cannot reproduce on one loopback machine.
  func unplayableEnvironment(_ json: JSONValue) -> String? {
    for (field, why) in [
      ("hsts", "HSTS state (the browser would have to have seen Strict-Transport-Security before)"),
      ("addressSpaces", "IP address spaces (every host here is loopback)"),
      ("pageAddressSpace", "a page address space (every host here is loopback)"),
      ("localNetworkAccess", "Local Network Access answers (every host here is loopback)"),
    ] where json[field] != nil && json[field] != .null {
      return "the harness cannot reproduce \(why)"
    }
    if json["http2"] == .bool(true) {
      return "the harness cannot reproduce an HTTP/2 server (the scripted server speaks HTTP/1.1)"
    }
    return nil
  }

  /// Method tokens the scripted server's HTTP/1.1 parser (llhttp, in SwiftNIO) accepts; it drops the
  /// connection on any other, which a browser would report as a network failure.
  static let parsableMethods: Set<String> = [
    "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE", "COPY", "LOCK", "MKCOL", "MOVE",
    "PROPFIND", "PROPPATCH", "SEARCH", "UNLOCK", "BIND", "REBIND", "UNBIND", "ACL", "REPORT", "MKACTIVITY",
    "CHECKOUT", "MERGE", "M-SEARCH", "NOTIFY", "SUBSCRIBE", "UNSUBSCRIBE", "PURGE", "MKCALENDAR", "LINK", "UNLINK",
    "SOURCE", "QUERY",
  ]

  /// The runner page's policy header lines: CSP `connect-src`, `upgrade-insecure-requests`, COEP,
  /// `Integrity-Policy`. A source with a path gets the scenario's `prefix` in front of it, as the served URLs
  /// do.
  static func pageHeaders(_ page: Page, prefix: String = "") -> HeaderList {
    var directives: [String] = []
    if let sources = page.connectSources {
      directives.append((["connect-src"] + sources.map { prefixedSource($0, prefix) }).joined(separator: " "))
    }
    if page.upgradeInsecureRequests { directives.append("upgrade-insecure-requests") }
    var lines = HeaderList()
    if !directives.isEmpty { lines.append(HeaderField("Content-Security-Policy", directives.joined(separator: "; "))) }
    if page.embedderPolicy != .unsafeNone {
      lines.append(HeaderField("Cross-Origin-Embedder-Policy", page.embedderPolicy.rawValue))
    }
    if let policy = page.integrityPolicy { lines.append(HeaderField("Integrity-Policy", policy)) }
    return lines
  }

  /// A CSP host-source with a path (`https://api.example/v1/`, `api.example/v1/data`) with `prefix` put in
  /// front of its path; keywords, nonces, hashes, scheme-sources and sources without a path stay as they are.
  /// (After a redirect CSP ignores paths, so unprefixed redirect targets still match.)
  static func prefixedSource(_ source: String, _ prefix: String) -> String {
    guard !prefix.isEmpty, !source.hasPrefix("'") else { return source }
    let hostStart = source.range(of: "://")?.upperBound ?? source.startIndex
    guard let slash = source[hostStart...].firstIndex(of: "/") else { return source }
    return String(source[..<slash]) + prefix + String(source[slash...])
  }

  /// The URL with `prefix` put in front of its path: `http://h:1/a?q` → `http://h:1/~corsim/3/a?q`.
  static func prefixed(_ url: URLRecord, _ prefix: String) -> String {
    let query = url.query.map { "?" + $0 } ?? ""
    let fragment = url.fragment.map { "#" + $0 } ?? ""
    let tail = url.pathString + query + fragment
    let head = url.href.utf8.dropLast(tail.utf8.count)
    return String(decoding: head, as: UTF8.self) + prefix + url.pathString + query + fragment
  }
}

extension StringProtocol {
  /// The string without leading and trailing spaces, tabs, CRs and LFs.
  var trimmingWhitespace: String {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\t" || f == "\n" || f == "\r" { s = s.dropFirst() }
    while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s = s.dropLast() }
    return String(s)
  }
}
