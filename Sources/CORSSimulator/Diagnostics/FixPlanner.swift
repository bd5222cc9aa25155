/// Works out the fixes of a failed request by changing the scenario and deciding the request again: each
/// round reads the failure, makes the change it calls for on the response at fault (or, for the tainted
/// origin of a cross-origin redirect, stops the redirect), and runs the request once more, until it
/// succeeds in every profile asked for. The edits are then pruned one by one (an edit whose removal still
/// succeeds goes), so the fix is complete — one application, every missing header, method, status and
/// response of the chain — and has nothing it does not need.
///
/// The first server fix never lets more than the page's origin read the response: it sends the page's
/// origin, never `*`, `null` or an echo of any origin. A fix with `*` (a public resource fetched without
/// credentials) is offered after it and says so.
struct FixPlanner {
  /// One simulator per profile, each in the state the request runs in (its preflight cache and clock).
  let simulators: [Simulator]
  /// The script's request.
  let request: ScriptRequest
  /// The request's index in its scenario (for client edits).
  let step: Int
  /// At most this many rounds of change and decide per fix.
  static let maximumRounds = 40

  /// Which `Access-Control-Allow-Origin` a fix may send.
  enum Reach {
    /// The request's own origin, never `*` or `null`.
    case origin
    /// `*` (without credentials only).
    case everyone
  }

  // MARK: The fixes

  func fixes() -> [Fix] {
    guard let first = simulators.lazy.map({ self.decide($0, self.simulators[0].server, self.request, fresh: false) })
      .first(where: { $0.failure != nil }) else { return [] }
    let engines = simulators.map(\.profile.engine)
    let notCORS = !first.isCORSProblem
    var safe: [Fix.ServerEdit]? = nil
    var out: [Fix] = []
    // The server alone, sending the request's origin.
    let server = complete(reach: .origin, client: [])
    // No edit at all: the failure came from an answer stored before (the server answers well now).
    if case .done(let edits) = server, !edits.isEmpty {
      safe = edits
      out.append(fix(edits: edits.map { .server($0) }, failure: first, kind: .server, notCORS: notCORS, engines: engines))
    }
    // Changes to the request, for the first failure and for the one the server alone could not get past (with
    // the server's edits up to there).
    var starts = clientStarts(first).map { (client: $0, server: [Fix.ServerEdit]()) }
    if case .stuck(let v, let edits) = server, v.reason != first.reason || !edits.isEmpty {
      starts += clientStarts(v).map { (client: $0, server: edits) }
    }
    let base = simulators[0].page.url
    for start in starts {
      guard case .done(let edits) = complete(reach: .origin, client: start.client, base: base, from: start.server) else { continue }
      let all = start.client.map { Fix.Edit.client($0) } + edits.map { .server($0) }
      if out.contains(where: { $0.edits == all }) { continue }
      out.append(fix(edits: all, failure: first, kind: .client, notCORS: notCORS, engines: engines))
    }
    // A wider fix (`*`), only after a server fix that keeps the response to the page's origin.
    if let safe, !FixPlanner.includesCredentials(request),
       safe.contains(where: { if case .setHeader(let n, _) = $0.change { return HeaderName(n) == .accessControlAllowOrigin } else { return false } }),
       case .done(let edits) = complete(reach: .everyone, client: []), edits != safe,
       edits.contains(where: { if case .setHeader(let n, "*") = $0.change { return HeaderName(n) == .accessControlAllowOrigin } else { return false } }) {
      out.insert(fix(edits: edits.map { .server($0) }, failure: first, kind: .wider, notCORS: notCORS, engines: engines), at: 1)
    }
    if safe == nil, let advice = FixWording.advice(first) { out.append(advice) }
    // A redirected preflight: calling where the redirect leads (an http→https or trailing-slash redirect, as a
    // rule) comes first, before answering the preflight where it is.
    if let last = first.requests.last, last.isPreflight, (300..<400).contains(last.responseStatus ?? 0),
       let i = out.firstIndex(where: { $0.clientEdits.contains { if case .url = $0.change { return true } else { return false } } }) {
      out.insert(out.remove(at: i), at: 0)
    }
    return out
  }

  enum Kind { case server, wider, client }

  func fix(edits: [Fix.Edit], failure: Verdict, kind: Kind, notCORS: Bool, engines: [Engine]) -> Fix {
    let layers = Set(edits.compactMap { $0.serverEdit?.layer })
    return Fix(side: edits.contains { $0.clientEdit != nil } ? .client : .server,
               layer: layers.count == 1 ? layers.first : nil,
               summary: FixWording.summary(edits, failure: failure, widens: kind == .wider, client: kind == .client),
               edits: edits, notCORS: notCORS, widensAccess: kind == .wider, verifiedIn: engines)
  }

  // MARK: Rounds

  /// The request decided in one profile against a server.
  func decide(_ simulator: Simulator, _ server: Server, _ request: ScriptRequest, fresh: Bool = true) -> Verdict {
    var s = simulator
    // The failure is read as it happened (`fresh: false`: answers the HTTP cache stored earlier, such as a
    // permanent redirect Chromium keeps fresh forever, are used). The changes are worked out on answers fetched
    // from the server: in the fixed scenario the earlier steps store the changed answers, which is what a fetch
    // from the changed server gets (RFC 9111 §4: a stored response stands for the server's).
    if fresh { s.clearHTTPCache() }
    s.server = server
    s.recordsTrace = false
    return s.fetch(request)
  }

  /// How the rounds ended: the server edits that make the request succeed, pruned; or the failure no server edit
  /// could get past, with the edits made up to it.
  enum Outcome {
    case done([Fix.ServerEdit])
    case stuck(Verdict, [Fix.ServerEdit])
  }

  /// The server edits that make the request (with the client edits made) succeed in every profile.
  func complete(reach: Reach, client: [Fix.ClientEdit], base: URLRecord? = nil, from start: [Fix.ServerEdit] = [])
    -> Outcome {
    let original = simulators[0].server
    var request = self.request
    for e in client { request = request.applying(e.change, base: base) }
    var edits = start
    var last: Verdict? = nil
    // The edit the last round appended, alone: without it the request failed (the round before), so pruning
    // need not try it.
    var needed: Int? = nil
    for _ in 0..<Self.maximumRounds {
      let server = original.applying(edits, normalized: true)
      guard let v = simulators.lazy.map({ self.decide($0, server, request) }).first(where: { $0.failure != nil }) else {
        return .done(prune(edits, request, needed: needed))
      }
      last = v
      let intents = FixPlanner.intents(v, context: Context(server: server, request: request, page: simulators[0].page), reach: reach)
      let before = edits
      for intent in intents { _ = Self.merge(intent, into: &edits) }
      if edits == before { return .stuck(v, edits) }
      needed = edits.count == before.count + 1 && Array(edits.prefix(before.count)) == before ? before.count : nil
    }
    return .stuck(last!, edits)
  }

  /// Removes the edits the request succeeds without (a response added stays: it is what the others edit).
  func prune(_ found: [Fix.ServerEdit], _ request: ScriptRequest, needed: Int? = nil) -> [Fix.ServerEdit] {
    let original = simulators[0].server
    var edits = found
    func succeeds(_ trial: [Fix.ServerEdit]) -> Bool {
      let server = original.applying(trial, normalized: true)
      return simulators.allSatisfy { decide($0, server, request).failure == nil }
    }
    // The last edit appended is needed as long as nothing else goes (the round before it failed).
    var keep = needed.map { edits[$0] }
    for i in edits.indices.reversed() {
      if i == needed { continue }
      if case .addResponse = edits[i].change { continue }
      var trial = edits
      trial.remove(at: i)
      if succeeds(trial) {
        edits = trial
        keep = nil
      }
    }
    if needed != nil, keep == nil, let i = edits.firstIndex(of: found[needed!]) {
      var trial = edits
      trial.remove(at: i)
      if succeeds(trial) { edits = trial }
    }
    return Self.ordered(edits)
  }

  /// Adds an edit, replacing one on the same response and header (or status); false when nothing changed.
  static func merge(_ edit: Fix.ServerEdit, into edits: inout [Fix.ServerEdit]) -> Bool {
    if let i = edits.firstIndex(where: { $0.response == edit.response && $0.change.key == edit.change.key }) {
      if edits[i] == edit { return false }
      if case .addResponse = edits[i].change, case .status(let s) = edit.change {
        edits[i].change = .addResponse(status: s)
      } else {
        edits[i] = edit
      }
      return true
    }
    edits.append(edit)
    return true
  }

  /// Grouped by response (in the order they were first edited): a response added first, then the status,
  /// then the headers.
  static func ordered(_ edits: [Fix.ServerEdit]) -> [Fix.ServerEdit] {
    var responses: [Fix.Response] = []
    for e in edits where !responses.contains(e.response) { responses.append(e.response) }
    return responses.flatMap { r in
      edits.filter { $0.response == r }.enumerated().sorted { a, b in
        (a.element.change.rank, a.offset) < (b.element.change.rank, b.offset)
      }.map(\.element)
    }
  }

  // MARK: What a failure calls for

  /// What the derivation needs to know beyond the verdict.
  struct Context {
    /// The server as it is now (nil: only the verdict is known, as for `Verdict.fix`).
    var server: Server?
    /// The request as the script now makes it.
    var request: ScriptRequest
    /// The page.
    var page: Page?
  }

  /// The server edits one failure calls for, on the response at fault; empty when no server edit can help.
  static func intents(_ v: Verdict, context: Context, reach: Reach) -> [Fix.ServerEdit] {
    guard let failure = v.failure, [.preflight, .redirect, .response].contains(failure.stage)
            || (failure.reason == .disallowedByMode && context.request.api.isWorker),
          let last = v.requests.last, last.responseStatus != nil else { return [] }
    let d = failure.detail
    let response = Fix.Response(method: last.method.rawValue, url: last.url.hrefWithoutFragment)
    let asked = ServerRequest(method: last.method, url: last.url, headers: last.headers, isPreflight: last.isPreflight,
                              includesCredentials: last.includesCredentials)
    let answer = context.server?.respond(asked)
    // The lines of a header on the response at fault as they are now (from the failure alone without a server).
    func current(_ name: HeaderName) -> [HeaderField] {
      if let answer { return answer.headers.fields(named: name) }
      if let at = d.headerName, HeaderName(at) == name, let value = d.value { return [HeaderField(name, value)] }
      if name == .accessControlAllowMethods || name == .accessControlAllowHeaders, let value = d.value,
         failure.reason == .methodNotAllowed || failure.reason == .headerNotAllowed
          || failure.reason == .authorizationNotCoveredByWildcard {
        return [HeaderField(name, value)]
      }
      return []
    }
    let unanswered: Bool
    if let answer { unanswered = answer.routeIndex == nil && !answer.answeredByResponder } else {
      unanswered = last.responseStatus == 404 && last.isPreflight
    }
    let owner = answer?.routeOwner ?? Layer.application
    var out: [Fix.ServerEdit] = []
    func status(_ s: Int) {
      out.append(Fix.ServerEdit(response, layer: owner, unanswered ? .addResponse(status: s) : .status(s)))
    }
    func header(_ name: HeaderName, _ value: String?) {
      let lines = current(name)
      if let value, lines.count == 1, lines[0].value == value { return }
      if value == nil && lines.isEmpty { return }
      if unanswered && out.isEmpty { status(last.isPreflight ? 204 : 200) }
      let change: Fix.ServerChange = value.map { .setHeader(name.rawName, $0) } ?? .removeHeader(name.rawName)
      let layer = context.server.map { place(change, response, asked, $0, owner: owner) }
        ?? (d.setBy.last ?? Layer.application)
      out.append(Fix.ServerEdit(response, layer: layer, change))
    }
    switch failure.reason {
    case .missingAllowOrigin, .multipleAllowOrigin, .invalidAllowOrigin, .allowOriginMismatch,
         .wildcardWithCredentials, .missingAllowCredentials:
      // The origin the check compared: the `Origin` the request carried (Firefox's preflight after a tainting
      // redirect carries the page's), else the request's.
      let origin = last.value(of: .origin) ?? d.requestOrigin
      let allow: String?
      switch reach {
      case .origin: allow = origin == "null" ? nil : origin
      case .everyone:
        allow = failure.reason == .wildcardWithCredentials || failure.reason == .missingAllowCredentials ? nil : "*"
      }
      guard let allow else {
        // A tainted origin (a redirect crossed origins on the way): stop the redirect that tainted it.
        if reach == .origin, origin == "null", v.pageOrigin != "null", let hop = taintingHop(v) {
          let hopResponse = Fix.Response(method: hop.method.rawValue, url: hop.url.hrefWithoutFragment)
          let hopAnswer = context.server?.respond(ServerRequest(method: hop.method, url: hop.url, headers: hop.headers,
                                                                isPreflight: false, includesCredentials: hop.includesCredentials))
          let hopOwner = hopAnswer?.routeOwner ?? Layer.application
          return [Fix.ServerEdit(hopResponse, layer: hopOwner, .status(200))]
        }
        return []
      }
      if failure.reason == .missingAllowCredentials && allow != "*" {
        header(.accessControlAllowCredentials, "true")
      } else {
        header(.accessControlAllowOrigin, allow)
      }
    case .preflightNotOK, .preflightRedirect:
      status(204)
    case .invalidAllowMethods, .methodNotAllowed:
      var items = tokens(current(.accessControlAllowMethods))
      let method = last.value(of: .accessControlRequestMethod) ?? d.parameter ?? ""
      if !method.isEmpty, !items.contains(method) { items.append(method) }
      header(.accessControlAllowMethods, items.isEmpty ? nil : items.joined(separator: ", "))
    case .invalidAllowHeaders, .headerNotAllowed, .authorizationNotCoveredByWildcard:
      var items = tokens(current(.accessControlAllowHeaders))
      let credentialed = includesCredentials(context.request)
      let wanted = (last.value(of: .accessControlRequestHeaders) ?? "")
        .split(separator: ",").map { HTTPSyntax.trimTabOrSpace($0).lowercased() }.filter { !$0.isEmpty }
      // Looked up in a set: a request may carry thousands of names, and the list grows as they are added.
      var listed = Set(items.lazy.map { $0.lowercased() })
      let starListed = items.contains("*")
      for name in wanted {
        let star = starListed && !credentialed && name != "authorization"
        if !listed.contains(name) && !star {
          items.append(name)
          listed.insert(name)
        }
      }
      header(.accessControlAllowHeaders, items.isEmpty ? nil : items.joined(separator: ", "))
    case .redirectWithCredentials:
      guard let location = d.location else { return [] }
      header(.location, location.replacing(clearingCredentials: true).href)
    case .redirectLocationInvalid:
      // Several Location values (two layers each redirecting): keep the first that is a URL. Left on a 200, the
      // lines would still fail in Chromium (net::ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION, http_response_headers.cc)
      // and Firefox (NS_ERROR_CORRUPTED_CONTENT, nsHttpHeaderArray.cpp), which refuse differing duplicates on any
      // response. Fetch §2.2.6 #concept-response-location-url step 2
      let values = current(.location).flatMap { HeaderList.decodeSplit($0.value) }
      if values.count > 1, let first = values.first(where: { (try? URLRecord($0, base: last.url)) != nil }) {
        header(.location, first)
      } else {
        status(200)
      }
    case .redirectBadScheme, .tooManyRedirects:
      // Answer here instead of redirecting.
      status(200)
    case .disallowedByMode where context.request.api.isWorker && d.url.hrefWithoutFragment != d.initialURL.hrefWithoutFragment:
      // A worker's same-origin script redirected to another origin: serve the script here instead.
      // html: workers.html#fetch-a-classic-worker-script (mode "same-origin")
      status(200)
      header(.contentType, "text/javascript")
    case .corpBlocked:
      let sameSite = context.page.map { $0.origin.isSameSite(last.url.origin) } ?? false
      let now = current(.crossOriginResourcePolicy).first?.value
      header(.crossOriginResourcePolicy, sameSite && now != "same-site" ? "same-site" : "cross-origin")
    case .orbBlocked:
      guard let type = context.request.element.flatMap(servedType) else { return [] }
      header(.contentType, type)
    case .mimeTypeBlocked, .moduleNotJavaScript, .workerScriptNotJavaScript:
      header(.contentType, "text/javascript")
    case .scriptStatusNotOK, .elementStatusNotOK:
      status(200)
    case .nosniffBlocked:
      header(.contentType, context.request.element == .style ? "text/css" : "text/javascript")
    case .stylesheetNotCSS:
      header(.contentType, "text/css")
    case .elementUndecodable where context.request.element == .audio || context.request.element == .video:
      // Media the sniffing table did not recognise: the Content-Type that names its container picks the demuxer
      // (mimesniff.bs #rules-for-sniffing-audio-and-video-specifically, the supplied type; Firefox alike). A body
      // that is no media, or a container the engine does not play, gets no edit (the trial would fail anyway).
      guard let body = answer?.body, let container = MediaContainer.probe(BodyBytes.bytes(body)) else { return [] }
      header(.contentType, container.mediaType)
    case .eventSourceStatusNot200, .eventSourceNotEventStream:
      // An EventSource opens only on 200 with text/event-stream. html: server-sent-events.html#dom-eventsource
      if d.status != 200 { status(200) }
      if d.parameter != "text/event-stream" { header(.contentType, "text/event-stream") }
    case .webSocketStatusNot101, .webSocketUpgradeInvalid, .webSocketAcceptInvalid:
      // A WebSocket opens only on 101 with Upgrade, Connection and the key's Sec-WebSocket-Accept (the value for
      // the simulator's key stands for "computed from the request's key"). websockets #concept-websocket-establish
      if d.status != 101 { status(101) }
      header(HeaderName("Upgrade"), "websocket")
      header(HeaderName("Connection"), "Upgrade")
      header(HeaderName("Sec-WebSocket-Accept"), WebSocketSampleKey.acceptValue)
    case .webSocketProtocolMismatch:
      // Choose one of the subprotocols the page asked for.
      guard let first = context.request.protocols?.first else { return [] }
      header(HeaderName("Sec-WebSocket-Protocol"), first)
    default:
      return []
    }
    return out
  }

  /// The type a resource an element loads is served with.
  static func servedType(_ element: ElementKind) -> String? {
    switch element {
    case .image: return "image/png"
    case .script, .module: return "text/javascript"
    case .style: return "text/css"
    case .audio: return "audio/mpeg"
    case .video: return "video/mp4"
    case .font: return nil
    }
  }

  /// The items of a list header that are tokens (a value that is not is what the failure was about).
  static func tokens(_ lines: [HeaderField]) -> [String] {
    lines.flatMap { HeaderList.decodeSplit($0.value) }.filter { HTTPSyntax.isToken($0) }
  }

  /// Whether the request's credentials mode is `include`: fetch's `credentials`, XHR's `withCredentials`, an
  /// element's `crossorigin=use-credentials` (and an element without the attribute, in no-cors mode).
  static func includesCredentials(_ r: ScriptRequest) -> Bool {
    switch r.api {
    case .fetch, .xhr, .eventSource: return r.credentials == .include
    case .beacon, .navigate, .form, .websocket: return true
    case .dynamicImport, .worker, .sharedWorker: return false
    case .element, .preload: return r.crossOrigin == .useCredentials
    }
  }

  /// The redirect after which the request's origin became `null`: the first hop from a URL whose origin is
  /// not the page's to a URL of another origin. fetch.bs #concept-request-tainted-origin
  static func taintingHop(_ v: Verdict) -> WireRequest? {
    var chain = v.requests.filter { !$0.isPreflight }
    if let last = v.requests.last, last.isPreflight { chain.append(last) }
    guard chain.count > 1 else { return nil }
    for i in 0..<(chain.count - 1) {
      let here = chain[i].url.origin, next = chain[i + 1].url.origin
      if here.serialization != v.pageOrigin && !next.isSameOrigin(here) { return chain[i] }
    }
    return nil
  }

  /// Where a header change takes effect: the route's owner when the layers in front leave the header alone,
  /// else the first layer in front whose change leaves the response with exactly the wanted lines.
  static func place(_ change: Fix.ServerChange, _ response: Fix.Response, _ asked: ServerRequest, _ server: Server,
                    owner: String) -> String {
    guard let (name, wanted) = change.header else { return owner }
    var candidates = [owner]
    var named: Set<String> = [owner]
    // Where each name is last (a change in a layer in front goes right after it: `Server.applying`).
    var last: [String: Int] = [:]
    for (i, layer) in server.layers.enumerated() {
      last[layer.name] = i
      if layer.operations.contains(where: { $0.headerName == name }), named.insert(layer.name).inserted {
        candidates.append(layer.name)
      }
    }
    // The owner alone: it is the answer whatever a trial finds (the last candidate is the fallback).
    if candidates.count == 1 { return owner }
    // Each trial applies the change and answers through every layer. With many layers touching the header that
    // is their square, so a layer the lines after it prove wrong is not tried: the proof is only made where
    // `Server.applying` puts the change right after the layer (not in the route's owner, nor in a layer already
    // scoped to this response), and a trial decides every other case.
    let outcomes = LayerLineCounts(server.layers, name: name, wanted: wanted)
    let method = Method(response.method)
    // The owner `Server.applying` finds (a server the planner's trials made holds a URL's routes once it is touched).
    var mirror = server
    mirror.touch(response.url)
    let routeOwner = mirror.routeIndex(method: method, href: response.url).map { mirror.routes[$0].answeredBy } ?? Layer.application
    let scoped = Set(server.layers.lazy.filter { $0.urlPrefix == response.url && $0.method == method }.map(\.name))
    for layer in candidates {
      if layer != owner, layer != routeOwner, !scoped.contains(layer), let after = last[layer],
         outcomes.fails(from: after + 1) {
        continue
      }
      let lines = server.applying([Fix.ServerEdit(response, layer: layer, change)], normalized: true).respond(asked).headers.fields(named: name)
      if wanted.map({ lines.count == 1 && lines[0].value == $0 }) ?? lines.isEmpty { return layer }
    }
    return candidates.last!
  }

  // MARK: Client fixes

  /// The changes to the request worth offering for a failure, each completed with the server edits it then
  /// needs.
  func clientStarts(_ v: Verdict) -> [[Fix.ClientEdit]] {
    guard let failure = v.failure else { return [] }
    let d = failure.detail
    let r = request
    var out: [[Fix.ClientEdit]] = []
    func one(_ change: Fix.ClientChange) { out.append([Fix.ClientEdit(step: step, change)]) }
    func corsMode() {
      if r.api == .element || r.api == .preload { one(.crossOrigin(ScriptRequest.CrossOrigin.anonymous.rawValue)) }
      else if r.api == .fetch { one(.mode(ScriptRequest.Mode.cors.rawValue)) }
    }
    // A redirected preflight (whatever the engine reported first): call where the redirect leads.
    if let last = v.requests.last, last.isPreflight, let s = last.responseStatus, (300..<400).contains(s),
       let value = simulators[0].server.respond(ServerRequest(method: last.method, url: last.url, headers: last.headers,
                                                              isPreflight: true, includesCredentials: false)).headers.get(.location),
       let location = try? URLRecord(value, base: last.url) {
      one(.url(location.withoutFragment.href))
    }
    // A request with credentials that a CORS check refuses: without them, if it needs no cookies.
    if FixPlanner.includesCredentials(r), failure.reason.isCORS, failure.stage != .scheme {
      if r.api == .element || r.api == .preload { one(.crossOrigin(ScriptRequest.CrossOrigin.anonymous.rawValue)) }
      else { one(.credentials(ScriptRequest.Credentials.omit.rawValue)) }
    }
    switch failure.reason {
    case .headerNotAllowed, .authorizationNotCoveredByWildcard:
      let unlisted = Set((d.parameter ?? "").split(separator: ",").map { $0.lowercased() })
      var names: [HeaderName] = []
      for f in r.headers where unlisted.contains(f.name.canonicalName) && !names.contains(f.name) { names.append(f.name) }
      if !names.isEmpty { out.append(names.map { Fix.ClientEdit(step: step, .removeHeader($0.rawName)) }) }
    case .redirectModeError:
      if let location = d.location { one(.url(location.withoutFragment.href)) }
    case .missingAllowOrigin, .multipleAllowOrigin, .invalidAllowOrigin, .allowOriginMismatch:
      // A tainted origin: call the final URL, where the redirect led.
      if d.requestOrigin == "null", v.pageOrigin != "null", FixPlanner.taintingHop(v) != nil {
        one(.url(d.url.withoutFragment.href))
      }
    case .disallowedByMode where r.api.isWorker, .workerCrossOrigin:
      // A worker's script is fetched same-origin whatever CORS allows: load it from the page's origin (the same
      // path there). html: workers.html#fetch-a-classic-worker-script
      // An exception's detail names the page; the script's URL is its parameter.
      let script = failure.reason == .workerCrossOrigin ? (try? URLRecord(d.parameter ?? "")) : d.url
      if let script, let moved = try? URLRecord(script.pathString + (script.query.map { "?" + $0 } ?? ""), base: simulators[0].page.url) {
        one(.url(moved.withoutFragment.href))
      }
    case .disallowedByMode:
      one(.mode(ScriptRequest.Mode.cors.rawValue))
    case .noCORSRedirectMode:
      one(.redirect(ScriptRequest.Redirect.follow.rawValue))
    case .mixedContentBlocked:
      if d.url.scheme == "http" { one(.scheme(r.api == .websocket ? "wss" : "https")) }
    case .webSocketInsecureFromSecure, .webSocketSchemeInvalid:
      // A WebSocket over TLS: wss (websockets #dom-websocket-websocket).
      one(.scheme("wss"))
    case .webSocketURLHasFragment:
      if let url = try? URLRecord(d.parameter ?? "") { one(.url(url.withoutFragment.href)) }
    case .integrityMismatch, .corpBlocked, .orbBlocked:
      corsMode()
    default:
      break
    }
    return out
  }

  // MARK: The failure alone

  /// `Verdict.fix`: what the failure's details call for, without a server to try it on.
  static func unverified(_ v: Verdict) -> Fix? {
    let request = ScriptRequest(url: v.failure?.detail.initialURL.href ?? "")
    let edits = intents(v, context: Context(server: nil, request: request, page: nil), reach: .origin)
    if edits.isEmpty { return FixWording.advice(v) }
    let layers = Set(edits.map(\.layer))
    return Fix(side: .server, layer: layers.count == 1 ? layers.first : nil,
               summary: FixWording.summary(edits.map { .server($0) }, failure: v, widens: false, client: false),
               edits: edits.map { .server($0) }, notCORS: !v.isCORSProblem)
  }
}

extension Fix.ServerChange {
  /// What two edits of one response compete for: its status, or one header.
  var key: String {
    switch self {
    case .status, .addResponse: return "status"
    case .setHeader(let n, _), .removeHeader(let n): return HeaderName(n).canonicalName
    }
  }

  /// The header the change sets (with its value) or removes (without); nil for a status or a response added.
  var header: (name: HeaderName, value: String?)? {
    switch self {
    case .setHeader(let n, let v): return (HeaderName(n), v)
    case .removeHeader(let n): return (HeaderName(n), nil)
    case .status, .addResponse: return nil
    }
  }

  /// The order within a response: the response added, the status, then the headers.
  var rank: Int {
    switch self {
    case .addResponse: return 0
    case .status: return 1
    case .setHeader, .removeHeader: return 2
    }
  }
}

extension Simulator {
  /// The fixes of a request that fails in this simulator's present state (its preflight cache and clock),
  /// best first: the complete server fix that keeps the response to the page's origin, a wider one with
  /// `*` when the resource could be public, then changes to the request, then advice that no edit expresses.
  /// Each fix with edits was applied and the request decided again, and succeeded (`verifiedIn`). Empty
  /// when the request succeeds. `step` is the request's index, for client edits.
  public func fixes(for request: ScriptRequest, step: Int = 0) -> [Fix] {
    FixPlanner(simulators: [forTrials()], request: request, step: step).fixes()
  }

  /// The fixes that work in every one of the simulators at once (the same page and server in several
  /// profiles, e.g. Chromium, Firefox and WebKit, each in its own state): what a server must send so that
  /// every engine reads the response.
  public static func fixes(for request: ScriptRequest, step: Int = 0, in simulators: [Simulator]) -> [Fix] {
    guard !simulators.isEmpty else { return [] }
    return FixPlanner(simulators: simulators.map { $0.forTrials() }, request: request, step: step).fixes()
  }
}

/// What the layers from each position outward leave of one header's lines, when a change just before that
/// position has set the header to the wanted value (or removed it): the wanted line alone, something else, or
/// unknown. Worked out once, from the outermost layer in, so that `FixPlanner.place` needs no trial for a layer
/// the lines after it prove wrong.
///
/// A state is how many lines of the header there are and whether a single one has the wanted value: 0 none,
/// 1 the wanted line alone, 2 one other line, 3 two or more; 4 unknown. A layer limited to a URL prefix or a
/// method may or may not apply, so what it does makes the state unknown unless both ways end alike.
struct LayerLineCounts {
  private static let unknown: UInt8 = 4
  /// For each position, the state the change's own start state ends in through the layers from there outward.
  private var ends: [UInt8]
  private let start: UInt8

  init(_ layers: [Layer], name: HeaderName, wanted: String?) {
    let start: UInt8 = wanted == nil ? 0 : 1
    self.start = start
    // What each of the four states becomes through the layers from the current position outward.
    var map: [UInt8] = [0, 1, 2, 3]
    var ends = Array(repeating: start, count: layers.count + 1)
    func line(_ v: String) -> UInt8 { v == wanted ? 1 : 2 }
    for k in layers.indices.reversed() {
      let conditional = layers[k].method != nil || layers[k].urlPrefix != nil
      for op in layers[k].operations.reversed() where op.headerName == name {
        func after(_ s: UInt8) -> UInt8 {
          switch op {
          case .add(_, let v): return s == 0 ? line(v) : 3
          case .set(_, let v): return line(v)
          case .remove: return 0
          case .setIfAbsent(_, let v): return s == 0 ? line(v) : s
          }
        }
        map = (0..<4).map { s in
          let applied = map[Int(after(UInt8(s)))]
          return !conditional || applied == map[s] ? applied : Self.unknown
        }
      }
      ends[k] = map[Int(start)]
    }
    self.ends = ends
  }

  /// Whether the layers from `position` outward certainly leave something other than what was wanted.
  func fails(from position: Int) -> Bool {
    guard position < ends.count else { return false }
    return ends[position] != Self.unknown && ends[position] != start
  }
}
