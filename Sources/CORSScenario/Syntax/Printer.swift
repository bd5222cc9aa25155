import CORSSimulator

/// Writes a document back in the scenario language, so that a session can be saved and loaded again
/// (`ScenarioBuilder.parse(ScenarioPrinter.print(d))` gives `d` back).
public enum ScenarioPrinter {
  /// The whole document.
  public static func print(_ d: ScenarioDocument) -> String {
    var out: [String] = []
    for (key, value) in d.metadata { out.append("\(key): \(value)") }
    if !d.metadata.isEmpty { out.append("") }
    if let page = d.scenario.page {
      out.append("page \(Lexer.quote(page.url.href))" + (page.sandboxed ? " sandboxed" : ""))
      if let csp = page.connectSources { out.append("csp " + csp.joined(separator: " ")) }
      if page.upgradeInsecureRequests { out.append("upgrade-insecure-requests") }
      if page.embedderPolicy != .unsafeNone { out.append("coep \(page.embedderPolicy.rawValue)") }
      if let policy = page.integrityPolicy { out.append("integrity-policy \(policy)") }
    }
    let env = d.scenario.environment
    for (host, space) in env.addressSpaces.sorted(by: { $0.key < $1.key }) { out.append("address \(host) \(space.rawValue)") }
    for (host, sub) in env.hstsHosts.sorted(by: { $0.key < $1.key }) { out.append("hsts \(host)" + (sub ? " includeSubDomains" : "")) }
    if !env.localNetworkAccessGranted { out.append("lna denied") }
    if env.http2 { out.append("http2") }
    if let b = d.browser { out.append("browser \(b.rawValue)") }
    for route in d.scenario.server.routes {
      out.append("")
      out.append(routeLine(route))
      for h in route.headers { out.append("  \(h.name.rawName): \(h.value)") }
    }
    for layer in d.scenario.server.layers {
      out.append("")
      var line = "layer \(Lexer.quote(layer.name))"
      if let p = layer.urlPrefix { line += " on \(Lexer.quote(p))" }
      if let m = layer.method { line += " for \(m)" }
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
      for h in step.request.headers {
        if h.name.isValid && !h.value.contains(where: { $0 == "\n" || $0 == "\r" }) && h.value == h.value.trimmingCharacters(in: " \t") {
          out.append("  \(h.name): \(h.value)")
        } else {
          out.append("  header \(Lexer.quote(h.name.rawName)) \(Lexer.quote(h.value))")
        }
      }
      for e in d.verdicts[i] ?? [] { out.append(expectLine(e)) }
      for w in d.wire[i] ?? [] {
        let prefix = w.browsers.map { $0.map(\.rawValue).joined(separator: " ") + ": " } ?? ""
        if w.requests.isEmpty { out.append("sends \(prefix)nothing") }
        for r in w.requests { out.append("sends \(prefix)\(r.summary)") }
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
    seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
  }

  /// `route OPTIONS https://api.example/data 204`
  public static func routeLine(_ r: Route) -> String {
    var line = "route \(r.method?.rawValue ?? "*") \(Lexer.quote(r.url.href))"
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
    var line = r.api.rawValue
    if let m = r.method { line += " \(Lexer.quote(m.rawValue))" }
    line += " \(Lexer.quote(r.url))"
    func opt(_ key: String, _ value: String?) { if let value { line += " \(key)=\(Lexer.quote(value))" } }
    func flag(_ key: String, _ on: Bool) { if on { line += " \(key)" } }
    opt("mode", r.mode?.rawValue)
    if r.api == .xhr {
      flag("with-credentials", r.credentials == .include)
    } else {
      opt("credentials", r.credentials?.rawValue)
    }
    opt("redirect", r.redirect?.rawValue)
    opt("cache", r.cache?.rawValue)
    opt("referrer", r.referrer)
    opt("referrer-policy", r.referrerPolicy?.rawValue)
    opt("integrity", r.integrity)
    flag("keepalive", r.keepalive)
    opt("duplex", r.duplex?.rawValue)
    flag("window", r.windowNotNull)
    opt("target", r.targetAddressSpace?.rawValue)
    if let body = r.body {
      opt("body", body.text)
      if body.kind != .string && !(body.kind == .blob && !body.blobType.isEmpty) { opt("body-type", body.kind.rawValue) }
      if !body.blobType.isEmpty { opt("blob-type", body.blobType) }
    }
    flag("upload-listeners", r.uploadListeners)
    flag("sync", r.synchronous)
    if r.timeout != 0 { opt("timeout", String(r.timeout)) }
    if !r.responseType.isEmpty { opt("response-type", r.responseType) }
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

  static func expectLine(_ e: VerdictExpectation) -> String {
    var line = "expect "
    if let b = e.browsers { line += b.map(\.rawValue).joined(separator: " ") + ": " }
    line += e.outcome.rawValue
    if let t = e.responseType { line += " \(t.rawValue)" }
    if let s = e.status { line += " \(s)" }
    if let x = e.exposed { line += " exposes " + (x.isEmpty ? "nothing" : x.joined(separator: ", ")) }
    if let stage = e.stage, let reason = e.reason { line += " at \(stage.rawValue): \(reason.rawValue)" }
    return line
  }
}
