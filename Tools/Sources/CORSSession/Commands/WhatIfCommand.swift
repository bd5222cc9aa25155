import CORSScenario
import CORSSimulator
import CORSText

enum WhatIfCommand: SessionCommand {
  static let names = ["what-if"]
  static let synopsis = "what-if CHANGE"
  static let help = """
    Change one thing in a copy and see the last verdict move; it says which response it changed:
        what-if credentials=include        what-if mode=no-cors        what-if browser firefox
        what-if header X-Token: 1          what-if header -X-Token     what-if method PUT
        what-if server Access-Control-Allow-Origin: *     (the actual response, after any redirects)
        what-if preflight Access-Control-Allow-Headers: x-token        what-if preflight 204
        what-if hop 2 Access-Control-Allow-Origin: *      (the 2nd request on the wire, as `wire` lists them)
        what-if layer nginx -Access-Control-Allow-Origin  (a layer: set a line, or remove one)
        what-if page https://other.example                what-if crossorigin=anonymous (an element)
      A response header change touches only the response named: a route for that method and URL (a route for
      any method is copied first, so the other responses stay as they were).
    """
  static let section = CommandSection.inspect
  static func complete(_ c: CompletionContext) -> [String] {
    if c.preceding.count >= 2, ["server", "preflight", "layer", "hop"].contains(c.preceding[1]) {
      return c.matching(SessionHelp.headerNames.map { $0 + ":" } + SessionHelp.headerNames.map { "-" + $0 })
    }
    if c.preceding.count >= 2, c.preceding[1] == "page" { return c.matching(c.session.originsUsed) }
    if c.preceding.count >= 2, c.preceding[1] == "browser" { return c.matching(Engine.allWithSpec.map(\.rawValue)) }
    if c.preceding.count >= 2, c.preceding[1] == "method" { return c.matching(SessionHelp.methods) }
    return c.matching(["browser", "method", "page", "header", "server", "preflight", "hop", "layer", "credentials=include",
                       "credentials=omit", "credentials=same-origin", "mode=no-cors", "mode=cors", "redirect=manual",
                       "api=xhr", "api=fetch", "crossorigin=anonymous", "crossorigin=use-credentials", "crossorigin=none"])
  }

  static func run(_ invocation: Invocation, in session: Session) -> SessionOutput? {
    let change = invocation.argument
    let d = session.document
    guard d.scenario.page != nil, let step = d.scenario.steps.indices.last else {
      return session.failure("what-if needs a page and a request first")
    }
    let words = change.split(separator: " ", maxSplits: 1).map(String.init)
    guard let head = words.first else { return .text(help + "\n") }
    let rest = words.count > 1 ? words[1] : ""
    var changed = d
    var engine = session.engine
    var request = changed.scenario.steps[step].request
    let before = session.verdicts(session.engine)[step]
    var changedWhat: String? = nil
    switch head {
    case "browser":
      guard let e = Engine(rawValue: rest) else {
        return session.failure("what-if browser \(Engine.allWithSpec.map(\.rawValue).joined(separator: "|"))")
      }
      engine = e
    case "method":
      request.method = rest.isEmpty ? nil : Method(rest)
    case "page":
      do { changed.scenario.page = try Page(rest) } catch { return session.failure("\(error)") }
    case "header":
      // what-if header X-Token: 1   |  what-if header -X-Token (remove)
      if rest.hasPrefix("-") {
        let name = HeaderName(String(rest.dropFirst()))
        request.headers.delete(name)
      } else if let colon = rest.firstIndex(of: ":") {
        let name = String(rest[..<colon]).trimmingCharacters(in: .whitespaces)
        let value = String(rest[rest.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        request.headers.delete(HeaderName(name))
        request.headers.append(HeaderField(HeaderName(name), value))
      } else {
        return session.failure("what-if header Name: value, or what-if header -Name")
      }
    case "server", "actual", "preflight", "hop":
      var edit = rest
      let target: (method: Method, url: URLRecord)
      switch pickResponse(head, &edit, before, request, d) {
      case .failure(let problem): return session.failure(problem.message)
      case .success(let t): target = t
      }
      switch changeRoute(target.method, target.url, edit, &changed.scenario.server) {
      case .failure(let problem): return session.failure(problem.message)
      case .success(let what): changedWhat = what
      }
    case "layer":
      let parts = rest.split(separator: " ", maxSplits: 1).map(String.init)
      guard parts.count == 2 else { return session.failure("what-if layer NAME Header: value | -Header") }
      var layers = changed.scenario.server.layers
      guard let index = layers.lastIndex(where: { $0.name == parts[0] }) else {
        let names = layers.map(\.name)
        return session.failure("no layer '\(parts[0])'" + (names.isEmpty ? " (the session has none)" : "; layers: \(names.joined(separator: ", "))"))
      }
      guard let op = operation(parts[1]) else { return session.failure("what-if layer NAME Header: value | -Header") }
      layers[index].operations.append(op)
      changed.scenario.server = Server(routes: changed.scenario.server.routes, layers: layers)
      changedWhat = "layer \(parts[0]) (every response passing through it)"
    default:
      // An option of the request: credentials=include, mode=no-cors, redirect=manual, body=…
      let kv = change.split(separator: "=", maxSplits: 1).map(String.init)
      guard kv.count == 2 else { return .text(help + "\n") }
      switch kv[0] {
      case "credentials": request.credentials = .init(rawValue: kv[1])
      case "mode": request.mode = .init(rawValue: kv[1])
      case "redirect": request.redirect = .init(rawValue: kv[1])
      case "body": request.body = kv[1] == "none" ? nil : RequestBody(text: kv[1])
      case "api":
        guard let api = ScriptAPI(rawValue: kv[1]) else { return session.failure("api=fetch|xhr") }
        request.api = api
      case "crossorigin":
        // An element's attribute: what-if crossorigin=anonymous, or crossorigin=none to remove it.
        guard request.api == .element else { return session.failure("crossorigin is an element's attribute (load …)") }
        request.crossOrigin = kv[1] == "none" ? nil : .init(rawValue: kv[1])
      default: return session.failure("unknown change '\(kv[0])'; see `help what-if`")
      }
    }
    changed.scenario.steps[step].request = request
    let after = session.verdicts(engine, of: changed)[step]
    let style = session.style
    var out = changedWhat.map { style.dim("changed ") + $0 + "\n" } ?? ""
    out += style.dim("before  ") + summary(before, style) + "\n" + style.dim("after   ") + summary(after, style) + "\n"
    if before.outcome == after.outcome && before.reason == after.reason && before.requests.count == after.requests.count {
      out += style.dim("no change in the verdict") + "\n"
    } else if after.failure != nil, let fix = changed.scenario.fixes(forStep: step, profile: .forEngine(engine)).first {
      out += style.dim("fix     ") + style.cyan(fix.summary) + "\n"
    }
    return .text(out)
  }

  /// Which response a `server`, `preflight` or `hop N` change is about: its method and URL.
  static func pickResponse(_ head: String, _ edit: inout String, _ v: Verdict, _ request: ScriptRequest,
                           _ d: ScenarioDocument) -> Result<(method: Method, url: URLRecord), SessionProblem> {
    let method = request.method?.normalized ?? .get
    guard let requestURL = try? URLRecord(request.url, base: d.scenario.page?.url) else {
      return .failure(SessionProblem("the request's URL does not parse"))
    }
    switch head {
    case "preflight":
      let url = v.requests.last(where: \.isPreflight)?.url ?? requestURL
      return .success((.options, url.withoutFragment))
    case "hop":
      let parts = edit.split(separator: " ", maxSplits: 1).map(String.init)
      guard parts.count == 2, let n = Int(parts[0]), n >= 1, n <= v.requests.count else {
        return .failure(SessionProblem("what-if hop N …: N is a request on the wire, 1–\(v.requests.count) (see `wire`)"))
      }
      edit = parts[1]
      let r = v.requests[n - 1]
      return .success((r.method, r.url.withoutFragment))
    default:
      // The actual response: where the request ended up after its redirects.
      if let last = v.requests.last(where: { !$0.isPreflight }) { return .success((last.method, last.url.withoutFragment)) }
      return .success((method, requestURL.withoutFragment))
    }
  }

  /// Changes the response to one method and URL, and only it; says what it did.
  static func changeRoute(_ method: Method, _ url: URLRecord, _ edit: String, _ server: inout Server) -> Result<String, SessionProblem> {
    var routes = server.routes
    let href = url.hrefWithoutFragment
    let index = routes.firstIndex { ($0.method == nil || $0.method == method) && $0.url.hrefWithoutFragment == href }
    var route: Route
    var what: String
    if let index, routes[index].method == method {
      route = routes[index]
      what = "the response to \(method) \(href) (its route)"
    } else if let index {
      // A route for any method also answers the other requests (the preflight's OPTIONS): copy it for this one.
      route = routes[index]
      route.method = method
      what = "the response to \(method) \(href) (a copy of the route for any method, for \(method) only)"
    } else {
      route = Route(method: method, url: url, status: method == .options ? 204 : 200)
      what = "the response to \(method) \(href) (a new route: none answered it)"
    }
    if let status = Int(edit), (200...599).contains(status) {
      route.status = status
    } else if let op = operation(edit) {
      switch op {
      case .remove(let name): route.headers.delete(name)
      case .set(let name, let value): route.headers.set(name, value)
      default: break
      }
    } else {
      return .failure(SessionProblem("expected Name: value, -Name or a status (200–599), found '\(edit)'"))
    }
    if let index, routes[index].method == method { routes[index] = route } else { routes.insert(route, at: index ?? 0) }
    server = Server(routes: routes, layers: server.layers, responder: server.responder)
    return .success(what)
  }

  /// `Name: value` (set) or `-Name` (remove).
  static func operation(_ text: String) -> LayerOperation? {
    if text.hasPrefix("-") {
      let name = HeaderName(String(text.dropFirst()).trimmingCharacters(in: .whitespaces))
      return name.isValid ? .remove(name) : nil
    }
    guard let colon = text.firstIndex(of: ":") else { return nil }
    let name = HeaderName(String(text[..<colon]).trimmingCharacters(in: .whitespaces))
    guard name.isValid else { return nil }
    return .set(name, String(text[text.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
  }

  static func summary(_ v: Verdict, _ style: TextStyle) -> String {
    var s = VerdictText.headline(v) + " (\(v.engine.rawValue))"
    if let r = v.reason { s += " \(v.stage?.rawValue ?? ""): \(r.rawValue)" } else { s += " \(v.responseType?.rawValue ?? "") \(v.status ?? 0)" }
    s += "  sent " + (v.requests.isEmpty ? "nothing" : v.requests.map(\.method.rawValue).joined(separator: "+"))
    return v.outcome == .readable ? style.green(s) : (v.outcome == .opaque ? style.yellow(s) : style.red(s))
  }
}
