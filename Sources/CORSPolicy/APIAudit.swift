import CORSJSON
import CORSSimulator
import CORSText

/// Audits every endpoint of an API — from an OpenAPI document, or from the requests a frontend made (a HAR
/// file) — with one intent and one allowlist, and groups what it finds by root cause across endpoints.
public struct APIAuditor: Sendable {
  /// The endpoints, with the requests the frontend makes to each.
  public var endpoints: [Endpoint]
  /// The origins meant to be trusted.
  public var allowlist: Allowlist
  /// Who is meant to read.
  public var intent: AuditIntent
  /// The engines simulated.
  public var engines: [Engine]
  /// Whether the service is internal (nil: judged from each resource's host).
  public var isInternal: Bool?
  /// The origin the API is judged at, when it is served elsewhere (`--deployed-as`).
  public var deployedAs: DeployedAs?

  /// Creates one.
  public init(endpoints: [Endpoint], allowlist: Allowlist, intent: AuditIntent? = nil, engines: [Engine] = [.chromium, .firefox, .webkit],
              isInternal: Bool? = nil, deployedAs: DeployedAs? = nil) {
    self.endpoints = endpoints
    self.allowlist = allowlist
    self.intent = intent ?? (allowlist.isEmpty ? .publicReads : .allowlist)
    self.engines = engines
    self.isInternal = isInternal
    self.deployedAs = deployedAs
  }

  /// The audit of one endpoint: its URL (judged at the deployed origin), its requests as the frontend.
  public func auditor(for endpoint: Endpoint) -> Auditor {
    var a = Auditor(resource: deployedAs?.judged(endpoint.url) ?? endpoint.url, allowlist: allowlist, intent: intent,
                    frontend: endpoint.requests, engines: engines, isInternal: isInternal)
    a.frontendDeclared = !endpoint.requests.isEmpty
    return a
  }

  /// Audits every endpoint against synchronous answers (a policy file: one policy in front of every path).
  public func run(_ answer: @escaping @Sendable (ServerRequest) -> Route) -> APIAuditReport {
    let start = ContinuousClock.now
    let map = deployedAs
    let served: @Sendable (ServerRequest) -> Route = { request in
      guard let map else { return answer(request) }
      var route = answer(map.toServed(request))
      route.headers = map.toDeployed(route.headers)
      return route
    }
    let results = endpoints.map { ($0, auditor(for: $0).run(served)) }
    return APIAuditReport(results: results, seconds: start.secondsSince, requestsSent: nil)
  }

  /// Audits every endpoint of an asynchronous server (live, or in-process): up to `parallel` endpoints at
  /// once, every request through `gate` (in-flight and rate limits shared by all). `progress` hears of each
  /// endpoint done (how many, of how many, requests started so far).
  public func run(against server: AsyncResponder, gate: RequestGate = RequestGate(), parallel: Int = 8, maxPasses: Int = 24,
                  progress: (@Sendable (_ done: Int, _ total: Int, _ requests: Int) async -> Void)? = nil) async -> APIAuditReport {
    let start = ContinuousClock.now
    let mapped = deployedAs?.wrap(server) ?? server
    var results = [AuditReport?](repeating: nil, count: endpoints.count)
    await withTaskGroup(of: (Int, AuditReport).self) { group in
      var next = 0
      func add() {
        let i = next
        next += 1
        let auditor = auditor(for: endpoints[i])
        group.addTask { (i, await auditor.run(against: mapped, gate: gate, maxPasses: maxPasses)) }
      }
      while next < min(max(1, parallel), endpoints.count) { add() }
      var done = 0
      while let (i, report) = await group.next() {
        results[i] = report
        done += 1
        if let progress { await progress(done, endpoints.count, await gate.started) }
        if next < endpoints.count { add() }
      }
    }
    let pairs = zip(endpoints, results.map { $0! }).map { ($0, $1) }
    return APIAuditReport(results: pairs, seconds: start.secondsSince, requestsSent: await gate.started)
  }
}

extension ContinuousClock.Instant {
  var secondsSince: Double {
    let d = ContinuousClock.now - self
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
  }
}

/// One root cause across endpoints: a class at a severity, the endpoints that show it, and one example.
public struct FindingGroup: Sendable {
  /// The class.
  public var misconfiguration: MisconfigurationClass
  /// The severity.
  public var severity: Severity
  /// The endpoints that show it, in the API's order.
  public var endpoints: [Endpoint]
  /// Each endpoint's finding, same order.
  public var findings: [Finding]

  /// The first endpoint's finding: its summary, evidence and fix stand for the group.
  public var example: Finding { findings[0] }
}

/// What a whole-API audit found: each endpoint's report, and the findings grouped by root cause.
public struct APIAuditReport: Sendable {
  /// Each endpoint with its report, in the API's order.
  public var results: [(endpoint: Endpoint, report: AuditReport)]
  /// Seconds the whole run took.
  public var seconds: Double
  /// Requests put on the wire (nil: offline).
  public var requestsSent: Int?

  /// Creates one.
  public init(results: [(endpoint: Endpoint, report: AuditReport)], seconds: Double, requestsSent: Int?) {
    self.results = results
    self.seconds = seconds
    self.requestsSent = requestsSent
  }

  /// The findings grouped by class and severity (and, for refused requests, by the engine's reason), most
  /// severe first; each group lists the endpoints that show it.
  public var groups: [FindingGroup] {
    var order: [String] = []
    var groups: [String: FindingGroup] = [:]
    for (endpoint, report) in results {
      var seenHere = Set<String>()
      for f in report.findings {
        let key = "\(f.misconfiguration.number) \(f.severity.rawValue)" + (f.misconfiguration.number == 0 ? " " + f.summary : "")
        guard seenHere.insert(key).inserted else { continue }
        if groups[key] == nil {
          order.append(key)
          groups[key] = FindingGroup(misconfiguration: f.misconfiguration, severity: f.severity, endpoints: [], findings: [])
        }
        groups[key]!.endpoints.append(endpoint)
        groups[key]!.findings.append(f)
      }
    }
    return order.map { groups[$0]! }.enumerated().sorted { a, b in
      (a.element.severity, -a.element.misconfiguration.number, -a.offset) > (b.element.severity, -b.element.misconfiguration.number, -b.offset)
    }.map(\.element)
  }

  /// Whether a finding reaches a severity anywhere.
  public func hasFinding(atLeast severity: Severity) -> Bool { results.contains { $0.report.hasFinding(atLeast: severity) } }

  /// True when some endpoint's answers are missing.
  public var isInconclusive: Bool { results.contains { $0.report.isInconclusive } }

  /// Requests that got no answer, over every endpoint.
  public var unanswered: Int { results.reduce(0) { $0 + $1.report.unanswered.count } }

  /// Every finding, endpoint by endpoint.
  public var findingCount: Int { results.reduce(0) { $0 + $1.report.findings.count } }

  /// The report for people: one block per root cause, with the endpoints it covers.
  public func text(style: TextStyle, source: String) -> String {
    var lines: [String] = []
    guard let first = results.first?.report else { return "no endpoints" }
    lines.append(style.bold("audit \(results.count) endpoint\(results.count == 1 ? "" : "s") of \(source)")
                 + style.dim("  allowlist: " + first.allowlistText + "  engines: " + first.engines.map(\.rawValue).joined(separator: ", ")))
    let groups = self.groups
    if isInconclusive {
      lines.append(style.yellow("! \(unanswered) live requests got no answer: " + (groups.isEmpty ? "no finding among the answers is no evidence of safety" : "the findings below stand, others may be hidden")))
    } else if groups.isEmpty {
      lines.append(style.green("✓ no findings on any endpoint"))
    }
    for (i, g) in groups.enumerated() {
      let f = g.example
      let mark: String
      switch g.severity {
      case .high: mark = style.red("HIGH")
      case .medium: mark = style.red("MEDIUM")
      case .low: mark = style.yellow("LOW")
      case .info: mark = style.dim("INFO")
      }
      let count = g.endpoints.count
      lines.append("")
      lines.append(style.bold("[\(i + 1)] \(mark)  \(g.misconfiguration)") + style.dim("  \(g.misconfiguration.code)")
                   + "  " + style.bold("\(count) endpoint\(count == 1 ? "" : "s")"))
      lines.append("  " + f.summary)
      let shown = g.endpoints.prefix(8).map(\.label).joined(separator: ", ")
      lines.append("  " + style.dim("where   ") + shown + (count > 8 ? style.dim(" and \(count - 8) more") : ""))
      if let origin = f.origin { lines.append("  " + style.dim("origin  ") + origin + (f.engines.isEmpty ? "" : style.dim("  (\(f.engines.map(\.rawValue).joined(separator: ", ")))"))) }
      if let script = f.script { lines.append("  " + style.dim("request ") + script) }
      lines.append("  " + style.dim("impact  ") + f.exposure)
      for e in f.evidence.prefix(3) { lines.append("  " + style.dim("seen    ") + e) }
      lines.append("  " + style.dim("fix     ") + style.cyan(f.fix))
    }
    let clean = results.filter { $0.report.findings.isEmpty }.count
    let counts = Severity.allCases.reversed().compactMap { s -> String? in
      let n = groups.filter { $0.severity == s }.count
      return n == 0 ? nil : "\(n) \(s.rawValue)"
    }
    lines.append("")
    let perEndpoint = results.isEmpty ? 0 : seconds / Double(results.count)
    lines.append("\(groups.count) root cause\(groups.count == 1 ? "" : "s")" + (counts.isEmpty ? "" : " (" + counts.joined(separator: ", ") + ")")
                 + " over \(results.count) endpoints, \(clean) without findings"
                 + (isInconclusive ? style.yellow("; inconclusive: \(unanswered) requests unanswered") : "")
                 + style.dim("; " + (requestsSent.map { "\($0) requests, " } ?? "")
                             + String(format: "%.1f s (%.3f s per endpoint)", seconds, perEndpoint)))
    return lines.joined(separator: "\n")
  }

  /// The report for machines: the groups, then every endpoint's own report.
  public var json: JSONValue {
    .object([
      ("groups", .array(groups.map { g in
        .object([
          ("class", .number(Double(g.misconfiguration.number))),
          ("code", .string(g.misconfiguration.code)),
          ("severity", .string(g.severity.rawValue)),
          ("summary", .string(g.example.summary)),
          ("endpoints", .array(g.endpoints.map { .string($0.label) })),
          ("fix", .string(g.example.fix)),
        ])
      })),
      ("endpoints", .array(results.map { e in
        .object([
          ("path", .string(e.endpoint.path)),
          ("url", .string(e.endpoint.url.href)),
          ("methods", .array(e.endpoint.requests.map { .string($0.method.rawValue) })),
          ("source", .string(e.endpoint.source)),
          ("report", e.report.json),
        ])
      })),
      ("requestsSent", requestsSent.map { .number(Double($0)) } ?? .null),
      ("seconds", .number((seconds * 1000).rounded() / 1000)),
      ("inconclusive", .bool(isInconclusive)),
    ])
  }
}
