import CORSSimulator

/// Searches a server's CORS answers for the misconfiguration classes of docs/reference/misconfiguration-classes.md: pages at
/// adversarial origins run the frontend's requests in each engine's simulator against the server's answers;
/// an origin counts only if that engine can send it, an answer only if that engine would accept it.
///
/// The answers come from a closure, so the same audit judges a `CORSPolicy` (offline) and a real server
/// (CORSProbe records its answers and runs the audit again until every request it needs has been sent).
public struct Auditor: Sendable {
  /// The resource under audit.
  public var resource: URLRecord
  /// The origins meant to be trusted.
  public var allowlist: Allowlist
  /// Who is meant to read: the allowlist alone (an empty one: no cross-origin reader at all), or anyone
  /// without credentials (a public API).
  public var intent: AuditIntent
  /// The requests the real frontend makes (empty: a GET, plus a credentialed GET when the server sends
  /// `Access-Control-Allow-Credentials: true`).
  public var frontend: [AuditRequest]
  /// Whether the frontend's requests were declared (class 17 needs to know).
  public var frontendDeclared: Bool
  /// The engines simulated.
  public var engines: [Engine]
  /// Whether the service is internal (nil: judged from the resource's host).
  public var isInternal: Bool?
  /// Proxies, CDNs or gateways in front of the answers.
  public var layers: [Layer]
  /// How many random origins class 1 tries.
  public var randomOrigins: Int

  /// Creates an auditor. Without an `intent`, an empty allowlist means a public resource (anyone reads
  /// without credentials) and any other means the allowlist alone.
  public init(resource: URLRecord, allowlist: Allowlist, intent: AuditIntent? = nil, frontend: [AuditRequest] = [],
              engines: [Engine] = [.chromium, .firefox, .webkit], isInternal: Bool? = nil, layers: [Layer] = [],
              randomOrigins: Int = 3) {
    self.resource = resource
    self.allowlist = allowlist
    self.intent = intent ?? (allowlist.isEmpty ? .publicReads : .allowlist)
    self.frontend = frontend
    self.frontendDeclared = !frontend.isEmpty
    self.engines = engines
    self.isInternal = isInternal
    self.layers = layers
    self.randomOrigins = randomOrigins
  }

  /// An auditor for a policy file: its resource (where it is deployed), allowlist (declared or read from the
  /// rules), intent, frontend and layers.
  public init(document: PolicyDocument, engines: [Engine] = [.chromium, .firefox, .webkit]) {
    let allowlist = document.allow.map { Allowlist(entries: $0) } ?? Allowlist(policy: document.policy)
    let frontend = document.frontend.isEmpty ? [document.policy.credentials ? .credentialedGet : .get] : document.frontend
    self.init(resource: document.judgedResource, allowlist: allowlist, intent: document.intent, frontend: frontend,
              engines: engines, isInternal: document.isInternal, layers: document.layers)
    frontendDeclared = !document.frontend.isEmpty
  }

  /// Audits a policy offline (behind its proxy, when the document has one).
  public func audit(_ document: PolicyDocument) -> AuditReport {
    let answer = document.answerFunction
    guard let deployed = document.deployedAs else { return run(answer) }
    // Judged at the deployed origin, answered where the document's resource lives.
    let map = DeployedAs(deployed: deployed.origin, servedAt: document.resource.origin)
    return run { request in
      var route = answer(map.toServed(request))
      route.headers = map.toDeployed(route.headers)
      return route
    }
  }

  /// Audits an asynchronous server (a live URL, an application in-process): the audit runs on a recording
  /// of it until every request it needs has an answer; requests that get none make the report inconclusive.
  public func run(against server: AsyncResponder, recording: AnswerRecording = AnswerRecording(), gate: RequestGate = RequestGate(),
                  maxPasses: Int = 24) async -> AuditReport {
    let settler = AsyncSettler(responder: server, recording: recording, gate: gate, maxPasses: maxPasses)
    let recording = settler.recording
    var (report, sent, unsent) = await settler.settle { run { recording.answer($0) } }
    report.requestsSent = sent
    report.unanswered = recording.exchanges.filter { !$0.answer.isAnswered }.map {
      UnansweredRequest(method: $0.request.method.rawValue, url: $0.request.url.href, origin: $0.request.value(of: .origin),
                        reason: $0.answer.failure ?? "no answer")
    }
    report.unanswered += unsent.map {
      UnansweredRequest(method: $0.method.rawValue, url: $0.url.href, origin: $0.value(of: .origin),
                        reason: "not sent: the audit stops after \(maxPasses) hops")
    }
    return report
  }

  /// Runs the audit against answers (`answer` must answer every request; a recording that has no answer
  /// yet answers with a failed connection).
  public func run(_ answer: @escaping @Sendable (ServerRequest) -> Route) -> AuditReport {
    var run = AuditRun(auditor: self, server: Server(layers: layers, responder: Responder(name: "audited") { answer($0) }))
    return run.report()
  }
}

/// One audit's state: the server, the attempts made, the findings.
struct AuditRun {
  let auditor: Auditor
  let server: Server
  var decisions = 0
  /// The requests the frontend makes (the auditor's, or the default ones).
  var frontend: [AuditRequest]
  var findings: [Finding] = []
  var notes: [String] = []
  /// Every response seen, for the checks on header shape (classes 12, 19).
  var seen: [(ServerRequest, ServerResponse)] = []
  var seenKeys = Set<ServerRequest>()
  /// The preflight granted on the preflight path when the frontend makes no preflighted request (class 20).
  var probedPreflight: (AuditRequest, ServerResponse, String)?

  init(auditor: Auditor, server: Server) {
    self.auditor = auditor
    self.server = server
    self.frontend = auditor.frontend
  }

  var resource: URLRecord { auditor.resource }
  var allowlist: Allowlist { auditor.allowlist }
  /// Origins that stand for the legitimate frontend (any origin will do for a public resource; none when no
  /// cross-origin reader is intended).
  var representatives: [String] {
    guard allowlist.isEmpty else { return allowlist.representatives }
    return auditor.intent == .publicReads ? ["https://frontend.example"] : []
  }

  /// One page's attempt at one request in one engine.
  struct Attempt {
    var origin: String
    var request: AuditRequest
    var engine: Engine
    var verdict: Verdict
    /// The answer to the last request on the wire.
    var finalResponse: ServerResponse?
    /// The answer to the preflight, if one was sent.
    var preflightResponse: ServerResponse?

    var readable: Bool { verdict.outcome == .readable }
    var credentialed: Bool { readable && verdict.requests.last { !$0.isPreflight }?.includesCredentials == true }
    var isPublic: Bool { finalResponse?.headers.get(.accessControlAllowOrigin) == "*" }
    /// An answer lists several origins in one Access-Control-Allow-Origin value (`a, b`).
    var listsSeveralOrigins: Bool {
      [finalResponse, preflightResponse].contains { r in
        r?.headers.fields(named: .accessControlAllowOrigin).contains { $0.value.contains(",") } == true
      }
    }
    /// The actual request went out after a preflight that named this origin.
    var sentAfterPreflight: Bool {
      guard let p = preflightResponse, p.headers.get(.accessControlAllowOrigin) == origin else { return false }
      return verdict.requests.contains { !$0.isPreflight }
    }
  }

  mutating func respond(_ r: ServerRequest) -> ServerResponse {
    let answer = server.respond(r)
    if seenKeys.insert(r).inserted { seen.append((r, answer)) }
    return answer
  }

  mutating func attempt(_ origin: String, _ request: AuditRequest, _ engine: Engine) -> Attempt {
    let page: Page
    if origin == "null" {
      page = Page(url: try! URLRecord("https://sandboxed.evil.test/"), sandboxed: true)
    } else {
      page = Page(url: (try? URLRecord(origin + "/")) ?? resource)
    }
    var sim = Simulator(profile: .forEngine(engine), page: page, server: server)
    sim.recordsTrace = false
    let verdict = sim.fetch(request.scriptRequest(url: resource.href))
    decisions += 1
    var a = Attempt(origin: origin, request: request, engine: engine, verdict: verdict)
    for w in verdict.requests {
      let answer = respond(ServerRequest(method: w.method, url: w.url, headers: w.headers, isPreflight: w.isPreflight,
                                         includesCredentials: w.includesCredentials))
      if w.isPreflight { a.preflightResponse = answer } else { a.finalResponse = answer }
    }
    return a
  }

  /// The requests tried from each adversarial origin.
  var probeRequests: [AuditRequest] {
    var out: [AuditRequest] = []
    for r in frontend + [.credentialedGet, .get] where !out.contains(r) { out.append(r) }
    return out
  }

  /// The severity an attempt from an untrusted origin shows (nil: nothing).
  func exploitSeverity(_ a: Attempt) -> Severity? {
    if a.credentialed { return .high }
    // An intentionally public resource: non-credentialed reads are its purpose.
    if auditor.intent == .publicReads { return nil }
    // No cross-origin reader is intended: any read is one too many, `*` included.
    if a.readable && (!a.isPublic || allowlist.isEmpty) { return .medium }
    if !a.readable && a.sentAfterPreflight && !a.request.method.isCORSSafelisted { return .medium }
    return nil
  }

  mutating func report() -> AuditReport {
    if frontend.isEmpty {
      // Undeclared frontend: a GET, and a credentialed one when the server grants credentials to an allowed origin.
      frontend = [.get]
      if let origin = representatives.first,
         respond(request("GET", resource, origin: origin)).headers.get(.accessControlAllowCredentials) == "true" {
        frontend.append(.credentialedGet)
      }
    }
    let candidates = OriginGenerator.adversarial(around: allowlist, randomCount: auditor.randomOrigins)
    var sendable: [Engine: Int] = [:]
    for c in candidates {
      for e in OriginFeasibility.engines(sending: c.origin, among: auditor.engines) { sendable[e, default: 0] += 1 }
    }
    checkFrontend()
    checkAdversarialOrigins(candidates)
    checkSubdomainPatterns()
    checkUnmatchableEntries()
    checkVary()
    checkInternal()
    checkPreflightReflection()
    checkNeedlessCredentials()
    checkErrorsAndVariants()
    checkPreflightPath()
    checkMaxAge()
    checkHeaderShape()
    findings.sort { ($0.severity, -$0.misconfiguration.number) > ($1.severity, -$1.misconfiguration.number) }
    var report = AuditReport(resource: resource, allowlist: allowlist, engines: auditor.engines, findings: findings,
                             originsGenerated: candidates.count, originsSendable: sendable, decisions: decisions, notes: notes)
    report.intent = auditor.intent
    return report
  }

  // MARK: Evidence and words

  func evidence(_ a: Attempt) -> [String] {
    a.verdict.requests.map { w in
      let r = ServerRequest(method: w.method, url: w.url, headers: w.headers, isPreflight: w.isPreflight,
                            includesCredentials: w.includesCredentials)
      return Self.exchangeLine(r, server.respond(r))
    }
  }

  static func exchangeLine(_ r: ServerRequest, _ answer: ServerResponse) -> String {
    let sent = r.headers.filter { ["origin", "access-control-request-method", "access-control-request-headers",
                                   "access-control-request-private-network"].contains($0.name.canonicalName) }
      .map { "\($0.name): \($0.value)" }.joined(separator: ", ")
    let got = answer.networkFailure ? "no answer" : "\(answer.status)" + corsLines(answer.headers)
    return "\(r.method) \(r.url.href)" + (sent.isEmpty ? "" : " [\(sent)]") + (r.includesCredentials ? " with cookies" : "") + " → " + got
  }

  static func corsLines(_ headers: HeaderList) -> String {
    let lines = headers.filter { $0.name.canonicalName.hasPrefix("access-control-") || $0.name.canonicalName == "vary" }
      .map { "\($0.name.rawName): \($0.value)" + ($0.setBy.map { $0 == Layer.application ? "" : " (set by \($0))" } ?? "") }
    return lines.isEmpty ? " (no CORS headers)" : " " + lines.joined(separator: "; ")
  }

  func exposure(_ a: Attempt, severity: Severity) -> String {
    let engines = "in " + a.engine.rawValue
    let page = a.origin == "null" ? "A sandboxed frame (Origin: null) on any site" : "A page at \(a.origin)"
    if a.readable {
      let headers = a.verdict.exposedHeaders.map { $0.isEmpty ? "" : " and the headers \($0.joined(separator: ", "))" } ?? ""
      let cookies = a.credentialed ? "with the visitor's cookies" : "without cookies"
      return "\(page) reads the response to \(a.request.method) \(resource.href) \(cookies) (\(engines)): status \(a.verdict.status.map(String.init) ?? "?"), the body\(headers)."
    }
    return "\(page) gets its preflight approved and sends \(a.request.method) \(resource.href) (\(engines)); it cannot read the answer, but the request has its effect."
  }

  // MARK: Checks

  /// Property: every request the real frontend makes succeeds from every allowed origin in every engine. A
  /// refusal is named by its root class when the answers show it: `*` with credentials (12), several values
  /// (19), an allowlist entry the server wrote in a form browsers never send (13), or a preflight and an
  /// actual response that disagree (18); else class 0 with the engine's fix.
  mutating func checkFrontend() {
    var reported = Set<String>()
    for origin in representatives {
      for request in frontend {
        for engine in auditor.engines where OriginFeasibility.canSend(origin, engine: engine) {
          let a = attempt(origin, request, engine)
          guard !a.readable else { continue }
          let v = a.verdict
          guard v.isCORSProblem else {
            let note = "\(request.method) from \(origin) in \(engine.rawValue): \(v.reason?.rawValue ?? "failed") (not a CORS problem, not counted)"
            if !notes.contains(note) { notes.append(note) }
            continue
          }
          let key = "\(origin) \(request) \(v.reason?.rawValue ?? "")"
          guard reported.insert(key).inserted else {
            if let i = findings.firstIndex(where: { $0.origin == origin && $0.request == request && $0.severity == .medium
                                                      && [0, 12, 13, 18, 19].contains($0.misconfiguration.number) }) {
              findings[i].engines.append(engine)
            }
            continue
          }
          var number: Int
          var summary: String
          var extra: [String] = []
          var fix: String? = nil
          switch v.reason {
          case .wildcardWithCredentials?:
            number = 12
            summary = "`Access-Control-Allow-Origin: *` with credentials: browsers refuse the frontend's credentialed request"
          case .multipleAllowOrigin?:
            number = 19
            summary = "Several Access-Control-Allow-Origin values: browsers refuse the frontend's request"
          case .allowOriginMismatch? where a.listsSeveralOrigins, .invalidAllowOrigin? where a.listsSeveralOrigins:
            number = 19
            summary = "Access-Control-Allow-Origin lists several origins in one value: browsers refuse the frontend's request"
          default:
            number = 0
            summary = "A request the frontend makes is refused (\(v.reason?.rawValue ?? "blocked"))"
            fix = v.fix?.summary
          }
          if number == 0, let (variant, line) = serializationVariant(accepted: origin, request: request) {
            number = 13
            summary = "The server allows `\(variant)` but browsers send `\(origin)`: an allowlist entry is not written as browsers serialize origins, so it never matches"
            extra = [line]
            fix = "Write the entry exactly as browsers send the origin: `\(origin)` (lower-case scheme and host, no default port, no path or trailing slash)."
          } else if number == 0, let (what, lines) = preflightDisagreement(a, origin: origin, request: request) {
            number = 18
            summary = what
            extra = lines
            fix = nil
          }
          findings.append(Finding(number, .medium, summary: summary, origin: origin, engines: [engine], request: request,
                                  script: request.javaScript(url: resource.href),
                                  exposure: "The allowed origin \(origin) cannot read the response: the frontend breaks (\(v.reason?.rawValue ?? "")).",
                                  fix: fix, evidence: evidence(a) + extra))
        }
      }
    }
  }

  /// Class 13 from the answers: the origin is refused, but a form of it no browser sends — a trailing slash,
  /// upper case, the default port written out — is allowed: the server's entry is written that way.
  mutating func serializationVariant(accepted origin: String, request: AuditRequest) -> (String, String)? {
    guard let url = try? URLRecord(origin + "/"), case .tuple(let scheme, let host, let port) = url.origin else { return nil }
    let method: Method = request.method == .get || request.method == .head ? request.method : .get
    // Only when the origin itself is not granted: a server that grants it (and something else is wrong) has
    // its entry right.
    guard respond(self.request(method, resource, origin: origin, credentials: request.includesCredentials))
      .headers.get(.accessControlAllowOrigin) != origin else { return nil }
    let h = host.serialized
    let portText = port.map { ":\($0)" } ?? ""
    var variants = [origin + "/", "\(scheme)://\(h.uppercased())\(portText)"]
    if let first = h.first, first.isLetter { variants.append("\(scheme)://\(first.uppercased())\(h.dropFirst())\(portText)") }
    if port == nil, let d = URLRecord.defaultPort(for: scheme) { variants.append("\(origin):\(d)") }
    for variant in variants where variant != origin {
      let r = self.request(method, resource, origin: variant, credentials: request.includesCredentials)
      let answer = respond(r)
      if answer.headers.get(.accessControlAllowOrigin) == variant { return (variant, Self.exchangeLine(r, answer)) }
    }
    return nil
  }

  /// Class 18 from the answers: the preflight grants the origin and the actual response does not, or the
  /// actual response grants it while the preflight is answered without CORS (authentication or routing
  /// before the CORS middleware).
  mutating func preflightDisagreement(_ a: Attempt, origin: String, request: AuditRequest) -> (String, [String])? {
    func grants(_ r: ServerResponse?) -> Bool {
      guard let r, !r.networkFailure, let acao = r.headers.get(.accessControlAllowOrigin) else { return false }
      return acao == origin || acao == "*"
    }
    let stage = a.verdict.stage
    if stage == .response || stage == .redirect {
      if a.preflightResponse != nil && grants(a.preflightResponse) {
        return ("The preflight allows the frontend's \(request.method) from \(origin), but the actual response does not", [])
      }
      // No preflight was needed: ask the preflight path for the same method from the same origin.
      let r = self.request(.options, resource, origin: origin, [("Access-Control-Request-Method", request.method.rawValue)])
      let answer = respond(r)
      if grants(answer) {
        return ("Preflights allow \(origin), but the actual \(request.method) response does not: only OPTIONS carries the CORS headers",
                [Self.exchangeLine(r, answer)])
      }
    }
    if stage == .preflight, [.missingAllowOrigin, .preflightNotOK].contains(a.verdict.reason) {
      // The actual request, sent without a preflight, is answered with the CORS headers.
      let r = self.request(request.method, resource, origin: origin, request.headers, credentials: request.includesCredentials)
      let answer = respond(r)
      if grants(answer) {
        let status = a.preflightResponse.map { " (\($0.status))" } ?? ""
        return ("The actual \(request.method) response allows \(origin), but its preflight is answered without CORS\(status): the preflight never reaches the CORS middleware",
                [Self.exchangeLine(r, answer)])
      }
    }
    return nil
  }

  /// Classes 1–11 and 13: adversarial origins read, or send preflighted requests.
  mutating func checkAdversarialOrigins(_ candidates: [AdversarialOrigin]) {
    var hits: [Int: [(AdversarialOrigin, Attempt, Severity, Int)]] = [:]
    for (index, c) in candidates.enumerated() {
      let engines = OriginFeasibility.engines(sending: c.origin, among: auditor.engines)
      for request in probeRequests {
        for engine in engines {
          let a = attempt(c.origin, request, engine)
          guard let severity = exploitSeverity(a) else { continue }
          hits[c.misconfiguration, default: []].append((c, a, severity, index))
        }
      }
    }
    func pick(_ list: [(AdversarialOrigin, Attempt, Severity, Int)]) -> (AdversarialOrigin, Attempt, Severity, Int)? {
      list.max { x, y in x.2 < y.2 || (x.2 == y.2 && (x.1.request.size, x.3) > (y.1.request.size, y.3)) }
    }
    var best: [Int: (AdversarialOrigin, Attempt, Severity, Int)] = [:]
    for (k, list) in hits { best[k] = pick(list) }
    // An origin check that lets arbitrary origins through explains every other class's hits: report it once.
    if let (_, _, s1, _) = best[1] {
      let explained = best.keys.filter { $0 != 1 && $0 != 2 && best[$0]!.2 <= s1 }.sorted()
      for k in explained { best[k] = nil }
      if !explained.isEmpty {
        notes.append("classes " + explained.map { "#\($0)" }.joined(separator: ", ") + " also let origins through: explained by #1 (any origin is reflected)")
      }
    } else if let (_, _, s10, _) = best[10] {
      // Any subdomain trusted explains the hits that are subdomains of a trusted domain: keep another example
      // when a class has one, else leave it to #10.
      let domains = allowlist.exact.compactMap(OriginGenerator.Seed.init).map(\.registrable)
      func isSubdomain(_ o: String) -> Bool {
        guard let url = try? URLRecord(o + "/"), case .domain(let h)? = url.host else { return false }
        return domains.contains { h.hasSuffix("." + $0) }
      }
      var explained: [Int] = []
      for k in best.keys where k != 10 && k != 2 {
        let others = hits[k]!.filter { !isSubdomain($0.0.origin) }
        if let other = pick(others) { best[k] = other } else if best[k]!.2 <= s10 { best[k] = nil; explained.append(k) }
      }
      if !explained.isEmpty {
        notes.append("classes " + explained.sorted().map { "#\($0)" }.joined(separator: ", ") + " also let origins through: explained by #10 (any subdomain is trusted)")
      }
    }
    // A test of the origin's shape — a shared-hosting suffix (#11), a prefix (#3), a suffix (#4), a substring
    // (#6: it lets prefixes and suffixes through alike) — explains every hit of that shape: report the test
    // once, and keep another class only where it has a hit of another shape.
    func explain(by root: Int, _ why: String, _ shape: (String) -> Bool) {
      guard let rootHit = best[root] else { return }
      var explained: [Int] = []
      for k in best.keys.sorted() where ![root, 1, 2].contains(k) {
        let others = hits[k]!.filter { !shape($0.0.origin) }
        if let other = pick(others) { best[k] = other } else if best[k]!.2 <= rootHit.2 { best[k] = nil; explained.append(k) }
      }
      if !explained.isEmpty {
        notes.append("classes " + explained.map { "#\($0)" }.joined(separator: ", ") + " also let origins through: explained by #\(root) (\(why))")
      }
    }
    func host(_ o: String) -> String? {
      guard let url = try? URLRecord(o + "/"), case .domain(let h)? = url.host else { return nil }
      return h
    }
    if let shared = best[11].flatMap({ host($0.0.origin) }).flatMap({ PublicSuffixList.publicSuffix(of: $0) }) {
      explain(by: 11, "any site under \(shared) is trusted") { o in host(o)?.hasSuffix("." + shared) == true }
    }
    let trustedHosts = allowlist.exact.compactMap(OriginGenerator.Seed.init).map(\.host)
    let trustedDomains = allowlist.exact.compactMap(OriginGenerator.Seed.init).map(\.registrable)
    if best[6] != nil && best[3] != nil && best[4] != nil {
      explain(by: 6, "the Origin is searched for a trusted name") { o in trustedHosts.contains { o.contains($0) } }
    } else if best[3] != nil {
      explain(by: 3, "an Origin that starts with a trusted origin is trusted") { o in
        allowlist.exact.contains { o != $0 && o.hasPrefix($0) }
      }
    } else if best[4] != nil {
      explain(by: 4, "an Origin that ends with a trusted domain is trusted") { o in
        host(o).map { h in trustedDomains.contains { h != $0 && h.hasSuffix($0) } } ?? false
      }
    }
    // A substring hit is explained by an allowlist joined into one string when a string that spans two
    // entries is accepted too.
    var joinedEvidence: [String] = []
    if let hit = best[6], best[8] == nil, let (spanning, line) = joinedAllowlistEvidence() {
      best[8] = (AdversarialOrigin(hit.0.origin, 8, "a trusted origin cut short, found inside the allowlist joined into one string, where `\(spanning)` is found too"),
                 hit.1, hit.2, hit.3)
      best[6] = nil
      joinedEvidence = [line]
      let also = best.keys.filter { [3, 4, 5, 7].contains($0) && best[$0]!.2 <= hit.2 }.sorted()
      for k in also { best[k] = nil }
      notes.append("classes " + ([6] + also).map { "#\($0)" }.joined(separator: ", ") + " also let origins through: explained by #8 (the allowlist is joined into one string and searched)")
    }
    for (number, (c, a0, severity, _)) in best.sorted(by: { $0.key < $1.key }) {
      // Shrink: the smallest request that still shows the same severity in the same engine.
      var a = a0
      var shrinking = true
      while shrinking {
        shrinking = false
        for smaller in a.request.shrunk {
          let s = attempt(c.origin, smaller, a.engine)
          if exploitSeverity(s) == severity { a = s; shrinking = true; break }
        }
      }
      let engines = OriginFeasibility.engines(sending: c.origin, among: auditor.engines).filter {
        $0 == a.engine || exploitSeverity(attempt(c.origin, a.request, $0)) == severity
      }
      let notSendable = auditor.engines.filter { !OriginFeasibility.canSend(c.origin, engine: $0) }
      var exposure = exposure(a, severity: severity)
      exposure = exposure.replacingAll("(in \(a.engine.rawValue))", with: "(in \(engines.map(\.rawValue).joined(separator: ", ")))")
      if !notSendable.isEmpty { exposure += " \(notSendable.map(\.rawValue).joined(separator: ", ")) cannot send this origin." }
      let what = a.readable ? (a.credentialed ? "reads credentialed responses" : "reads responses") : "sends preflighted requests"
      var finding = Finding(number, severity, summary: "\(c.origin) (\(c.construction)) \(what)", origin: c.origin, engines: engines,
                            request: a.request, script: a.request.javaScript(url: resource.href), exposure: exposure,
                            evidence: evidence(a))
      if number == 13 { finding.fix = "Allow only the exact origins browsers send; this variant is not on the allowlist. " + finding.fix }
      if number == 8 { finding.evidence += joinedEvidence }
      findings.append(finding)
    }
  }

  /// Class 8 from the answers: an origin made of the end of one allowlist entry, a separator and the start of
  /// the next (`https://app.example.com,h`) is allowed — only a search in the entries joined into one string
  /// (`",".join(ALLOWED)`, `allowed.join()`) finds it. Sent as raw requests: a diagnosis, not an attack.
  mutating func joinedAllowlistEvidence() -> (String, String)? {
    let entries = Array(allowlist.exact.prefix(8))
    guard entries.count >= 2 else { return nil }
    var pairs: [(String, String)] = []
    for i in entries.indices {
      let next = entries[(i + 1) % entries.count]
      pairs.append((entries[i], next))
      if entries.count > 2 { pairs.append((next, entries[i])) }
    }
    func allowed(_ origin: String) -> (Bool, String) {
      let r = request(.get, resource, origin: origin)
      let answer = respond(r)
      return (answer.headers.get(.accessControlAllowOrigin) == origin, Self.exchangeLine(r, answer))
    }
    for (a, b) in pairs {
      // A search in one string finds a trusted origin cut short; a prefix or suffix test does not.
      guard allowed(String(a.dropLast())).0 else { continue }
      for separator in [",", "", ";"] {
        let spanning = a + separator + String(b.prefix(1))
        let (ok, line) = allowed(spanning)
        if ok { return (spanning, line) }
      }
    }
    return nil
  }

  /// Class 10 (explicit subdomain wildcards with credentials) and class 11 (wildcards over public suffixes).
  mutating func checkSubdomainPatterns() {
    for base in allowlist.subdomainBases {
      guard let seed = OriginGenerator.Seed(base, pattern: true) else { continue }
      let isPublicSuffix = PublicSuffixList.suffixes.contains(seed.host)
      let origin = seed.origin(host: (isPublicSuffix ? "attacker." : "takeover.") + seed.host)
      for engine in auditor.engines {
        let a = attempt(origin, .credentialedGet, engine)
        let plain = a.readable ? a : attempt(origin, .get, engine)
        guard plain.readable else { continue }
        if isPublicSuffix {
          findings.append(Finding(11, a.credentialed ? .high : .medium,
                                  summary: "The pattern \(OriginRule.subdomainPattern(base)) trusts a public suffix: anyone can publish at \(origin)",
                                  origin: origin, engines: auditor.engines, request: plain.request,
                                  script: plain.request.javaScript(url: resource.href),
                                  exposure: exposure(plain, severity: .high), evidence: evidence(plain)))
        } else if a.credentialed {
          findings.append(Finding(10, .low, summary: "Every subdomain of \(seed.host) reads credentialed responses (\(OriginRule.subdomainPattern(base)))",
                                  origin: origin, engines: auditor.engines, request: a.request, script: a.request.javaScript(url: resource.href),
                                  exposure: "An XSS or a dangling DNS record on any subdomain of \(seed.host) reads the API with the visitor's cookies.",
                                  evidence: evidence(a)))
        }
        break
      }
    }
  }

  /// Class 13: allowlist entries no browser ever sends.
  mutating func checkUnmatchableEntries() {
    for (entry, serialized) in allowlist.unmatchable {
      let why = serialized.map { "browsers send `\($0)`" } ?? "it is not an http(s) origin"
      findings.append(Finding(13, .low, summary: "The allowlist entry `\(entry)` never matches: \(why)",
                              exposure: "Requests from the origin this entry means are refused if the server compares strings.",
                              evidence: []))
    }
  }

  func request(_ method: Method, _ url: URLRecord, origin: String?, _ extra: HeaderList = [], credentials: Bool = false) -> ServerRequest {
    var headers = extra
    if let origin { headers.append(HeaderField(.origin, origin)) }
    return ServerRequest(method: method, url: url, headers: headers, isPreflight: method == .options && origin != nil,
                         includesCredentials: credentials)
  }

  /// Class 14: the same URL with two allowed origins, none and a refused one; if the answers differ, each
  /// must carry `Vary: Origin`.
  mutating func checkVary() {
    var origins: [String?] = Array(representatives.prefix(2)).map { $0 }
    origins += [nil, "https://evil.test"]
    let answers = origins.map { o in (o, respond(request("GET", resource, origin: o))) }
    guard !answers.contains(where: { $0.1.networkFailure }) else { return }
    let values = Set(answers.map { $0.1.headers.fields(named: .accessControlAllowOrigin).map(\.value).joined(separator: ",") })
    guard values.count > 1 else { return }
    let missing = answers.filter { (_, answer) in
      !(answer.headers.getDecodeSplit(.vary) ?? []).contains { $0.lowercased() == "origin" || $0 == "*" }
    }
    guard !missing.isEmpty else { return }
    var evidence = missing.map { (o, answer) in Self.exchangeLine(request("GET", resource, origin: o), answer) }
    evidence += cacheReuseEvidence()
    findings.append(Finding(14, .low, summary: "Access-Control-Allow-Origin depends on the Origin but \(missing.count) of \(answers.count) answers lack `Vary: Origin`",
                            exposure: "A shared cache (CDN, proxy, the browser's HTTP cache) can serve one origin's answer to another: allowed origins get refused, or see stale grants.",
                            evidence: evidence))
  }

  /// The failing sequence in the first engine audited, as the simulator plays it (`Simulator.cacheReuseSequence`),
  /// with the answers made cacheable for an hour when they say nothing of freshness: an `<img>` then a `fetch`
  /// from an allowed origin, or fetches from two allowed origins of one site.
  func cacheReuseEvidence() -> [String] {
    guard let engine = auditor.engines.first, let first = representatives.first,
          let page = try? URLRecord(first + "/") else { return [] }
    var cacheable = server
    cacheable.addLayer(Layer(name: "cache", operations: [.setIfAbsent(.cacheControl, "max-age=3600")]))
    var candidates: [[(page: URLRecord, request: ScriptRequest)]] = []
    var image = ScriptRequest(api: .element, url: resource.href)
    image.element = .image
    for credentials in [ScriptRequest.Credentials.include, .sameOrigin] {
      candidates.append([(page, image), (page, ScriptRequest(url: resource.href, credentials: credentials))])
    }
    if representatives.count > 1, let other = try? URLRecord(representatives[1] + "/"), other.origin.isSameSite(page.origin) {
      candidates.append([(page, ScriptRequest(url: resource.href)), (other, ScriptRequest(url: resource.href))])
    }
    for steps in candidates {
      if let sequence = Simulator.cacheReuseSequence(profile: .forEngine(engine), server: cacheable, steps: steps) {
        return ["in \(engine.rawValue), with the response cached (Cache-Control as sent, else max-age=3600): "
                + sequence.lines.joined(separator: "; then ")
                + "; made alone, the last request is \(sequence.alone.outcome.rawValue)"]
      }
    }
    return []
  }

  /// Class 15: internal services must not answer public origins, nor grant private-network access to them.
  mutating func checkInternal() {
    let internalService = auditor.isInternal ?? (AddressSpace.of(resource.host) != .public)
    guard internalService else { return }
    for engine in auditor.engines {
      let a = attempt("https://evil.test", .get, engine)
      if a.readable {
        findings.append(Finding(15, a.isPublic ? .medium : .high, summary: "An internal service answers a public origin (\(a.isPublic ? "`*`" : "reflected"))",
                                origin: "https://evil.test", engines: [engine], request: .get, script: AuditRequest.get.javaScript(url: resource.href),
                                exposure: "Any web page a visitor on the internal network opens reads \(resource.href): no credentials are needed, the network position is the credential.",
                                evidence: evidence(a)))
        break
      }
    }
    let pna = request("OPTIONS", resource, origin: "https://evil.test",
                      [("Access-Control-Request-Method", "GET"), ("Access-Control-Request-Private-Network", "true")])
    let answer = respond(pna)
    let acao = answer.headers.get(.accessControlAllowOrigin)
    if answer.headers.get(.accessControlAllowPrivateNetwork) == "true", acao == "*" || acao == "https://evil.test" {
      findings.append(Finding(15, .medium, summary: "A public origin's private-network preflight is granted",
                              origin: "https://evil.test", exposure: "Chromium lets public pages reach this private service.",
                              evidence: [Self.exchangeLine(pna, answer)]))
    }
  }

  /// Class 16: a preflight asking for a method and a header no policy lists; both echoed back is reflection.
  mutating func checkPreflightReflection() {
    guard let origin = representatives.first else { return }
    let r = request("OPTIONS", resource, origin: origin, [("Access-Control-Request-Method", "GET"),
                                                          ("Access-Control-Request-Headers", "x-corsim-probe")])
    let m = request("OPTIONS", resource, origin: origin, [("Access-Control-Request-Method", "CORSIMPROBE")])
    var evidence: [String] = []
    var what: [String] = []
    let headersAnswer = respond(r)
    if (headersAnswer.headers.getDecodeSplit(.accessControlAllowHeaders) ?? []).contains(where: { $0.lowercased() == "x-corsim-probe" }) {
      evidence.append(Self.exchangeLine(r, headersAnswer))
      what.append("request headers")
    }
    let methodAnswer = respond(m)
    if (methodAnswer.headers.getDecodeSplit(.accessControlAllowMethods) ?? []).contains("CORSIMPROBE") {
      evidence.append(Self.exchangeLine(m, methodAnswer))
      what.append("methods")
    }
    guard !what.isEmpty else { return }
    findings.append(Finding(16, .low, summary: "Preflights are answered by echoing the \(what.joined(separator: " and ")) asked for",
                            origin: origin, exposure: "Allowed origins may send any \(what.joined(separator: " and ")): the policy's lists do not limit anything.",
                            evidence: evidence))
  }

  /// Class 17: credentials granted although the declared frontend sends none.
  mutating func checkNeedlessCredentials() {
    guard auditor.frontendDeclared, !frontend.contains(where: \.includesCredentials),
          let origin = representatives.first else { return }
    let r = request("GET", resource, origin: origin)
    let answer = respond(r)
    guard answer.headers.get(.accessControlAllowCredentials) == "true" else { return }
    findings.append(Finding(17, .low, summary: "Access-Control-Allow-Credentials: true, but the frontend sends no credentials",
                            origin: origin, exposure: "Any mistake in the origin check becomes a credentialed read.",
                            evidence: [Self.exchangeLine(r, answer)]))
  }

  /// Class 18: error pages and path variants answer with another policy than the resource.
  mutating func checkErrorsAndVariants() {
    guard let origin = representatives.first else { return }
    let base = respond(request("GET", resource, origin: origin))
    guard !base.networkFailure, let baseOrigin = base.headers.get(.accessControlAllowOrigin) else { return }
    let resourceReflectsEvil = respond(request("GET", resource, origin: "https://evil.test", credentials: true))
      .headers.get(.accessControlAllowOrigin) == "https://evil.test"
    var variants: [(String, URLRecord)] = []
    if let missing = try? URLRecord("corsim-audit-missing", base: resource) { variants.append(("a missing resource", missing)) }
    let href = resource.hrefWithoutFragment
    let toggled = href.hasSuffix("/") ? String(href.dropLast()) : href + "/"
    if let u = try? URLRecord(toggled), u.pathString != "" { variants.append(("the path with its trailing slash toggled", u)) }
    var evidence: [String] = []
    var worst = Severity.low
    var what: [String] = []
    for (name, url) in variants {
      let r = request("GET", url, origin: origin)
      let answer = respond(r)
      if answer.networkFailure || answer.status >= 300 && answer.status < 400 { continue }
      if answer.headers.get(.accessControlAllowOrigin) != baseOrigin {
        evidence.append(Self.exchangeLine(r, answer))
        what.append("\(name) answers \(answer.status) without the resource's CORS headers")
      }
      let evil = request("GET", url, origin: "https://evil.test", credentials: true)
      let evilAnswer = respond(evil)
      if evilAnswer.headers.get(.accessControlAllowOrigin) == "https://evil.test" && !resourceReflectsEvil {
        worst = evilAnswer.headers.get(.accessControlAllowCredentials) == "true" ? .high : .medium
        evidence.append(Self.exchangeLine(evil, evilAnswer))
        what.append("\(name) reflects any origin")
      }
    }
    guard !what.isEmpty else { return }
    findings.append(Finding(18, worst, summary: what.joined(separator: "; "), origin: origin,
                            exposure: worst == .low ? "The frontend cannot read error bodies or variant URLs (it sees a CORS failure instead)."
                              : "Any page reads these responses\(worst == .high ? " with the visitor's cookies" : "").",
                            evidence: evidence))
  }

  /// Class 20: the preflight cache lifetime of the frontend's preflighted requests. When the frontend needs
  /// no preflight, the preflight path is probed all the same (`checkPreflightPath`), and only a lifetime
  /// beyond the engines' caps is reported (no `Max-Age` costs nothing to a frontend that never preflights).
  mutating func checkMaxAge() {
    guard let origin = representatives.first else { return }
    for request in frontend {
      let a = attempt(origin, request, .spec)
      guard let p = a.preflightResponse, a.readable else { continue }
      judgeMaxAge(p, origin: origin, request: request, evidence: [self.evidence(a).first ?? ""], frontendPreflights: true)
      return
    }
    if let (request, preflight, line) = probedPreflight {
      judgeMaxAge(preflight, origin: origin, request: request, evidence: [line], frontendPreflights: false)
    }
  }

  mutating func judgeMaxAge(_ p: ServerResponse, origin: String, request: AuditRequest, evidence: [String], frontendPreflights: Bool) {
    let value = p.headers.get(.accessControlMaxAge)
    guard let value, let seconds = Int(value) else {
      guard frontendPreflights else { return }
      findings.append(Finding(20, .low, summary: value == nil ? "Preflights carry no Access-Control-Max-Age: browsers repeat them after 5 s"
                                : "Access-Control-Max-Age `\(value!)` is not a number of seconds",
                              origin: origin, request: request, exposure: "Every \(request.method) costs an extra round trip most of the time.",
                              evidence: evidence))
      return
    }
    let caps: [(Engine, Int)] = [(.webkit, 600), (.chromium, 7200), (.firefox, 86400)]
    let capped = caps.filter { seconds > $0.1 && auditor.engines.contains($0.0) }
    let whose = frontendPreflights ? "" : " (on the preflight path, which the declared frontend does not use today)"
    if seconds > 86400 {
      findings.append(Finding(20, .low, summary: "Access-Control-Max-Age \(seconds) s outlives a policy change by more than a day\(whose)",
                              origin: origin, request: request, exposure: "A tightened policy takes effect late in browsers that honour it.", evidence: evidence))
    } else if !capped.isEmpty {
      findings.append(Finding(20, .info, summary: "Access-Control-Max-Age \(seconds) s is capped by " + capped.map { "\($0.0.rawValue) (\($0.1) s)" }.joined(separator: ", ") + whose,
                              origin: origin, request: request, exposure: "Those engines preflight more often than the header says.", evidence: evidence))
    }
  }

  /// The requests that probe the preflight path when the frontend makes no preflighted request.
  static let preflightProbes: [AuditRequest] = [
    AuditRequest(method: .put, headers: ["Content-Type": "application/json"]),
    AuditRequest(method: .post, headers: ["Content-Type": "application/json"]),
    AuditRequest(method: .delete),
  ]

  /// Class 18 on the preflight path, whatever the declared frontend: from an allowed origin, a preflighted
  /// request whose preflight is granted must be granted on its actual response too. Keeps the first granted
  /// preflight for class 20.
  mutating func checkPreflightPath() {
    guard let origin = representatives.first else { return }
    for r in frontend where attempt(origin, r, .spec).preflightResponse != nil { return }
    let credentials: ScriptRequest.Credentials = frontend.contains(where: \.includesCredentials) ? .include : .sameOrigin
    for var probe in Self.preflightProbes {
      probe.credentials = credentials
      let a = attempt(origin, probe, .spec)
      guard let p = a.preflightResponse, a.verdict.requests.contains(where: { !$0.isPreflight }) else { continue }
      let lines = evidence(a)
      probedPreflight = (probe, p, lines.first ?? "")
      if !a.readable, a.verdict.isCORSProblem, a.verdict.stage == .response {
        findings.append(Finding(18, .low, summary: "The preflight allows \(probe.method) from \(origin), but the actual response does not",
                                origin: origin, engines: [], request: probe, script: probe.javaScript(url: resource.href),
                                exposure: "A \(probe.method) the frontend may make tomorrow passes its preflight and then fails: the preflight promises what the response refuses.",
                                evidence: lines))
      }
      return
    }
  }

  /// Classes 12 and 19, from every response seen: `*` with credentials; several values or several owners.
  mutating func checkHeaderShape() {
    var wildcardWithCredentials: String?
    var duplicated: String?
    var owners = Set<String>()
    var ownerLine: String?
    let corsNames: [HeaderName] = [.accessControlAllowOrigin, .accessControlAllowCredentials, .accessControlAllowMethods,
                                   .accessControlAllowHeaders, .accessControlExposeHeaders, .accessControlMaxAge]
    for (r, answer) in seen where !answer.networkFailure {
      let h = answer.headers
      if h.get(.accessControlAllowOrigin) == "*" && h.get(.accessControlAllowCredentials) == "true" && wildcardWithCredentials == nil {
        wildcardWithCredentials = Self.exchangeLine(r, answer)
      }
      for name in corsNames {
        let lines = h.fields(named: name)
        if let origin = r.value(of: "Origin"), origin != "null", duplicated == nil,
           lines.count > 1 || (name == .accessControlAllowOrigin && lines.contains { $0.value.contains(",") && $0.value != origin }) {
          duplicated = Self.exchangeLine(r, answer)
        }
        for l in lines { owners.insert(l.setBy ?? Layer.application) }
      }
      if owners.count > 1 && ownerLine == nil { ownerLine = Self.exchangeLine(r, answer) }
    }
    if let line = wildcardWithCredentials, !findings.contains(where: { $0.misconfiguration.number == 12 }) {
      findings.append(Finding(12, .low, summary: "`Access-Control-Allow-Origin: *` is sent with `Access-Control-Allow-Credentials: true`",
                              exposure: "Browsers refuse every credentialed request to it (an availability bug, not an exploit).",
                              evidence: [line]))
    }
    if let line = duplicated, !findings.contains(where: { $0.misconfiguration.number == 19 }) {
      findings.append(Finding(19, .medium, summary: "A CORS header is sent more than once (or with several values)",
                              exposure: "Browsers refuse the response: the requests that carry it fail.", evidence: [line]))
    } else if let line = ownerLine, !findings.contains(where: { $0.misconfiguration.number == 19 }) {
      findings.append(Finding(19, .low, summary: "CORS headers are set by several layers: \(owners.sorted().joined(separator: ", "))",
                              exposure: "Two owners drift apart: the next change to one of them duplicates or contradicts the other.",
                              evidence: [line]))
    }
  }
}
