import CORSSimulator

/// Writes a document back in the scenario language, so that a session can be saved and loaded again:
/// `ScenarioBuilder.parse(ScenarioPrinter.print(d))` gives `d` back, up to the line numbers of its
/// expectations and routes that can never answer (`ScenarioDocument.roundTripProblem` checks it).
public enum ScenarioPrinter {
  /// The whole document.
  public static func print(_ d: ScenarioDocument) -> String {
    var out: [String] = []
    for (key, value) in d.metadata { out.append("\(key): \(value)") }
    if !d.metadata.isEmpty { out.append("") }
    if let page = d.scenario.page {
      out.append("page \(Lexer.quote(page.url.href))" + (page.sandboxed ? " sandboxed" : ""))
      if let csp = page.connectSources, !csp.isEmpty { out.append("csp " + csp.joined(separator: " ")) }
      if page.upgradeInsecureRequests { out.append("upgrade-insecure-requests") }
      if page.embedderPolicy != .unsafeNone { out.append("coep \(page.embedderPolicy.rawValue)") }
      if let policy = page.integrityPolicy { out.append("integrity-policy \(policy)") }
    }
    let env = d.scenario.environment
    for (host, space) in env.addressSpaces.sorted(by: { $0.key < $1.key }) {
      out.append("address \(Lexer.quote(host)) \(space.rawValue)")
    }
    for (host, sub) in env.hstsHosts.sorted(by: { $0.key < $1.key }) {
      out.append("hsts \(Lexer.quote(host))" + (sub ? " includeSubDomains" : ""))
    }
    if !env.localNetworkAccessGranted { out.append("lna denied") }
    if env.http2 { out.append("http2") }
    if let b = d.browser { out.append("browser \(b.rawValue)") }
    for route in answeringRoutes(d.scenario.server.routes) {
      out.append("")
      out.append(routeLine(route))
      for h in route.headers { out.append("  " + headerLine(h.name.rawName, h.value)) }
    }
    for layer in d.scenario.server.layers {
      out.append("")
      var line = "layer \(Lexer.quote(layer.name))"
      if let p = layer.urlPrefix { line += " on \(Lexer.quote(p))" }
      if let m = layer.method { line += " for \(Lexer.quote(m.rawValue))" }
      out.append(line)
      for op in layer.operations {
        switch op {
        case .add(let n, let v): out.append("  add \(n.rawName): \(v)")
        case .set(let n, let v): out.append("  set \(n.rawName): \(v)")
        case .setIfAbsent(let n, let v): out.append("  default \(n.rawName): \(v)")
        case .remove(let n): out.append("  remove \(n.rawName)")
        }
      }
    }
    for (i, step) in d.scenario.steps.enumerated() {
      out.append("")
      if step.after > 0 { out.append("wait \(format(step.after))") }
      out.append(requestLine(step.request))
      for h in step.request.headers { out.append("  " + headerLine(h.name.rawName, h.value)) }
      for e in d.verdicts[i] ?? [] { out.append(expectLine(e)) }
      for w in d.wire[i] ?? [] {
        let prefix = w.browsers.map { $0.map(\.rawValue).joined(separator: " ") + ": " } ?? ""
        if w.requests.isEmpty { out.append("sends \(prefix)nothing") }
        for r in w.requests { out.append("sends \(prefix)\(sendsLine(r))") }
      }
      for m in d.messages[i] ?? [] { out.append("says \(m.browser.rawValue): \(m.text)") }
      for f in d.fixes[i] ?? [] {
        out.append("fix " + (f.browsers.map { $0.map(\.rawValue).joined(separator: " ") + ": " } ?? "")
                   + (f.edit.map(fixText) ?? "none"))
      }
      for e in d.fixed[i] ?? [] { out.append("fixed" + expectLine(e).dropFirst("expect".count)) }
    }
    return out.joined(separator: "\n") + "\n"
  }

  static func format(_ seconds: Double) -> String {
    seconds == seconds.rounded() && seconds < 1e15 ? String(Int(seconds)) : String(seconds)
  }

  /// The routes that can answer: a later route for the same method and URL as an earlier one never does
  /// (the first match wins), and the language has no way to write it (a second `route` line replaces the
  /// first), so it is left out.
  static func answeringRoutes(_ routes: [Route]) -> [Route] {
    var seen = Set<String>()
    return routes.filter { seen.insert(($0.method?.rawValue ?? "*") + " " + $0.url.hrefWithoutFragment).inserted }
  }

  /// A header line as a block reads it back: `Name: value`, or `header NAME VALUE` for what that form cannot
  /// say (an invalid name, a name that starts with `#` and would read as a comment, a value with a line break
  /// or with spaces at either end).
  static func headerLine(_ name: String, _ value: String) -> String {
    let plain = HeaderName(name).isValid && !name.hasPrefix("#")
      && !value.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\0" })
      && value == value.trimmingCharacters(in: " \t")
    return plain ? "\(name): \(value)" : "header \(Lexer.quote(name)) \(Lexer.quote(value))"
  }

  /// A word of a request or route line that must read back as a value, not as an option.
  static func value(_ s: String, option: (Token) -> Bool) -> String {
    let quoted = Lexer.quote(s)
    if quoted != s { return quoted }
    return option(Token(text: s, column: 0, quoted: false)) ? "\"\(s)\"" : s
  }

  /// `route OPTIONS https://api.example/data 204`
  public static func routeLine(_ r: Route) -> String {
    let isRouteOption = { (t: Token) in
      (t.text.utf8.count == 3 && Int(t.text) != nil) || t.text == "fail" || t.text.hasPrefix("body=") || t.text.hasPrefix("by=")
    }
    // A method named `*`, or one that looks like a URL (`.X`), is written quoted: a bare `*` means any method,
    // and a first word that looks like a URL is the URL.
    let readAsURL = { (t: Token) in
      isRouteOption(t) || t.text == "*" || t.text.contains(":") || t.text.hasPrefix("/") || t.text.hasPrefix("?") || t.text.hasPrefix(".")
    }
    let method = r.method.map { value($0.rawValue, option: readAsURL) } ?? "*"
    var line = "route \(method) \(value(r.url.href, option: isRouteOption))"
    if r.status != 200 { line += " \(r.status)" }
    if let body = r.body { line += " body=\(Lexer.quote(body))" }
    if r.answeredBy != Layer.application { line += " by=\(Lexer.quote(r.answeredBy))" }
    if r.networkFailure { line += " fail" }
    return line
  }

  /// `fetch PUT https://api.example/data credentials=include`
  public static func requestLine(_ r: ScriptRequest) -> String {
    if r.api == .element {
      // `load image https://cdn.example/cat.png crossorigin=anonymous`
      var line = "load \((r.element ?? .image).rawValue) \(Lexer.quote(r.url))"
      if let c = r.crossOrigin?.rawValue { line += c.isEmpty ? " crossorigin" : " crossorigin=\(Lexer.quote(c))" }
      if let i = r.integrity { line += " integrity=\(Lexer.quote(i))" }
      return line
    }
    if r.api == .eventSource {
      // `eventsource https://api.example/stream with-credentials`
      var line = "eventsource \(value(r.url, option: ScenarioBuilder.isRequestOption))"
      if r.credentials == .include { line += " with-credentials" }
      else if let c = r.credentials { line += " credentials=\(Lexer.quote(c.rawValue))" }
      return line
    }
    if r.api == .preload {
      // `preload https://api.example/data as=fetch crossorigin`
      var line = "preload \(value(r.url, option: ScenarioBuilder.isRequestOption)) as=\((r.preloadAs ?? .fetch).rawValue)"
      if let c = r.crossOrigin?.rawValue { line += c.isEmpty ? " crossorigin" : " crossorigin=\(Lexer.quote(c))" }
      return line
    }
    if r.api.isNavigation {
      // `navigate https://other.example/ target=_blank`, `form POST https://bank.example/transfer enctype=text/plain data='a=1'`
      var line = r.api.rawValue
      if r.api == .form { line += " \(r.method == .post ? "POST" : "GET")" }
      line += " \(value(r.url, option: ScenarioBuilder.isRequestOption))"
      if let e = r.enctype { line += " enctype=\(e.rawValue)" }
      if let t = r.target { line += " target=\(Lexer.quote(t))" }
      if let d = r.body?.text { line += " data=\(Lexer.quote(d))" }
      return line
    }
    if r.api == .websocket {
      // `websocket wss://api.example/socket protocols=chat,v2`
      var line = "websocket \(value(r.url, option: ScenarioBuilder.isRequestOption))"
      if let p = r.protocols { line += " protocols=\(Lexer.quote(p.joined(separator: ",")))" }
      return line
    }
    if r.api == .dynamicImport || r.api.isWorker {
      // `import https://cdn.example/mod.js`, `worker /w.js type=module`, `sharedworker /w.js`
      var line = "\(r.api.rawValue) \(value(r.url, option: ScenarioBuilder.isRequestOption))"
      if let t = r.workerType { line += " type=\(t.rawValue)" }
      return line
    }
    if r.api == .beacon {
      // `beacon https://stats.example/collect body='{"a":1}' blob-type=application/json`
      var line = "beacon \(value(r.url, option: ScenarioBuilder.isRequestOption))"
      if let body = r.body {
        line += " body=\(Lexer.quote(body.text))"
        let assumed: BodyKind = body.blobType.isEmpty ? .string : .blob
        if body.kind != assumed { line += " body-type=\(Lexer.quote(body.kind.rawValue))" }
        if !body.blobType.isEmpty { line += " blob-type=\(Lexer.quote(body.blobType))" }
      }
      return line
    }
    var line = r.api.rawValue
    if let m = r.method { line += " " + value(m.rawValue, option: ScenarioBuilder.isRequestOption) }
    line += " " + value(r.url, option: ScenarioBuilder.isRequestOption)
    func opt(_ key: String, _ value: String?) { if let value { line += " \(key)=\(Lexer.quote(value))" } }
    for option in RequestOption.all {
      switch option {
      case .text(let key, _, let read):
        // XHR has withCredentials: `include` is the flag (the form people write), anything else the option.
        if key == "credentials" && r.api == .xhr && r.credentials == .include {
          line += " with-credentials"
        } else {
          opt(key, read(r))
        }
      case .flag(let key, _, let path):
        if r[keyPath: path] { line += " \(key)" }
      case .body:
        guard let body = r.body else { continue }
        opt("body", body.text)
        // `blob-type` alone means a Blob: the kind is written when it is not what the reader would assume.
        let assumed: BodyKind = body.blobType.isEmpty ? .string : .blob
        if body.kind != assumed { opt("body-type", body.kind.rawValue) }
        if !body.blobType.isEmpty { opt("blob-type", body.blobType) }
      case .timeout:
        if r.timeout != 0 { opt("timeout", String(r.timeout)) }
      case .responseType:
        if !r.responseType.isEmpty { opt("response-type", r.responseType) }
      }
    }
    return line
  }

  /// An edit as a `fix` line says it: `OPTIONS https://api.example/x set Access-Control-Allow-Origin: https://app.example`,
  /// `GET https://api.example/x in nginx remove Access-Control-Allow-Origin`, `request credentials=omit`.
  public static func fixText(_ edit: Fix.Edit) -> String {
    switch edit {
    case .server(let e):
      let head = "\(e.response.method) \(Lexer.quote(e.response.url))" + (e.layer == Layer.application ? "" : " in \(Lexer.quote(e.layer))")
      switch e.change {
      case .status(let s): return head + " status \(s)"
      case .addResponse(let s): return head + " add \(s)"
      case .setHeader(let n, let v): return head + " set \(n): \(v)"
      case .removeHeader(let n): return head + " remove \(n)"
      }
    case .client(let e):
      switch e.change {
      case .credentials(let v): return "request credentials=\(Lexer.quote(v))"
      case .mode(let v): return "request mode=\(Lexer.quote(v))"
      case .redirect(let v): return "request redirect=\(Lexer.quote(v))"
      case .crossOrigin(let v): return "request crossorigin=\(Lexer.quote(v))"
      case .url(let v): return "request url=\(Lexer.quote(v))"
      case .scheme(let v): return "request scheme=\(Lexer.quote(v))"
      case .removeHeader(let n): return "request remove \(n)"
      }
    }
  }

  /// `OPTIONS https://api.example/data origin=https://app.example acrm=PUT`, quoted where needed.
  static func sendsLine(_ r: ExpectedRequest) -> String {
    var s = "\(Lexer.quote(r.method)) \(Lexer.quote(r.url))"
    if r.method == "nothing" { s = "\"nothing\" \(Lexer.quote(r.url))" }
    if let origin = r.origin { s += " origin=\(Lexer.quote(origin))" }
    if let acrm = r.acrm { s += " acrm=\(Lexer.quote(acrm))" }
    if let acrh = r.acrh { s += " acrh=\(Lexer.quote(acrh))" }
    return s
  }

  static func expectLine(_ e: VerdictExpectation) -> String {
    var line = "expect "
    if let b = e.browsers { line += b.map(\.rawValue).joined(separator: " ") + ": " }
    line += e.outcome.rawValue
    if let t = e.responseType { line += " \(t.rawValue)" }
    if let s = e.status { line += " \(s)" }
    if let x = e.exposed {
      // `exposes nothing` is the empty list: a header named `nothing`, alone, is written with the comma that makes it
      // a name (`exposes nothing,`, as the builder reads it).
      line += " exposes " + (x.isEmpty ? "nothing" : x == ["nothing"] ? "nothing," : x.joined(separator: ", "))
    }
    if let stage = e.stage, let reason = e.reason { line += " at \(stage.rawValue): \(reason.rawValue)" }
    if let event = e.event { line += " fires \(event)" }
    return line
  }
}

extension ScenarioDocument {
  /// What saving this document and loading the file again would change, in words (nil: nothing). Line
  /// numbers and the scenario's id (a file's name) are not compared, and a route that can never answer (a
  /// second one for the same method and URL) is not expected back.
  public func roundTripProblem() -> String? {
    let text = ScenarioPrinter.print(self)
    var again: ScenarioDocument
    do { again = try ScenarioBuilder.parse(text) } catch { return "the saved text does not load: \(error)" }
    var expected = self
    expected.scenario.server = Server(routes: ScenarioPrinter.answeringRoutes(scenario.server.routes),
                                      layers: scenario.server.layers, responder: scenario.server.responder)
    // The scenario's id is its file's name (or the oracle's id), not part of the text.
    again.scenario.id = scenario.id
    let a = expected.withoutLineNumbers, b = again.withoutLineNumbers
    if a == b { return nil }
    if a.metadata.map({ [$0.key, $0.value] }) != b.metadata.map({ [$0.key, $0.value] }) {
      return "metadata \(a.metadata) became \(b.metadata)"
    }
    if a.scenario.page != b.scenario.page { return "the page \(String(describing: a.scenario.page)) became \(String(describing: b.scenario.page))" }
    if a.scenario.environment != b.scenario.environment { return "the environment changed" }
    if a.browser != b.browser { return "the browser changed" }
    let (r1, r2) = (a.scenario.server.routes, b.scenario.server.routes)
    if r1 != r2 {
      if r1.count != r2.count { return "\(r1.count) routes became \(r2.count)" }
      let k = r1.indices.first { r1[$0] != r2[$0] } ?? 0
      return "route \(k + 1) \(r1[k]) became \(r2[k])"
    }
    if a.scenario.server.layers != b.scenario.server.layers { return "the layers changed" }
    let (s1, s2) = (a.scenario.steps, b.scenario.steps)
    if s1 != s2 {
      if s1.count != s2.count { return "\(s1.count) requests became \(s2.count)" }
      let k = s1.indices.first { s1[$0] != s2[$0] } ?? 0
      return "request \(k + 1) \(s1[k]) became \(s2[k])"
    }
    if a.verdicts != b.verdicts { return "the expect lines changed" }
    if a.wire != b.wire { return "the sends lines changed" }
    if a.messages != b.messages { return "the says lines changed" }
    if a.fixes != b.fixes { return "the fix lines changed" }
    if a.fixed != b.fixed { return "the fixed lines changed" }
    return "the document changed"
  }

  /// The document with every line number 0, for comparisons of content.
  var withoutLineNumbers: ScenarioDocument {
    var d = self
    d.verdicts = verdicts.mapValues { $0.map { var e = $0; e.line = 0; return e } }
    d.wire = wire.mapValues { $0.map { var e = $0; e.line = 0; return e } }
    d.messages = messages.mapValues { $0.map { var e = $0; e.line = 0; return e } }
    d.fixes = fixes.mapValues { $0.map { var e = $0; e.line = 0; return e } }
    d.fixed = fixed.mapValues { $0.map { var e = $0; e.line = 0; return e } }
    return d
  }
}
