import CORSPolicy
import CORSSimulator

/// What a live probe found: the engine's verdict on the real answers, and the exchanges behind it.
public struct ProbeResult: Sendable {
  /// The verdict, decided by the engine on the real server's answers.
  public var verdict: Verdict
  /// The script's call that was simulated.
  public var script: ScriptRequest
  /// The requests sent and their answers, in order.
  public var exchanges: [LiveExchange]
  /// Limits reached and other remarks.
  public var notes: [String]
  /// Seconds the probe took.
  public var seconds: Double
  /// How many requests the verdict needed got no answer (refused, timed out, an invalid status line…) or were
  /// not sent (`maxRedirects`): corsim stood in a failed connection for each.
  public var unanswered: Int

  /// True when an answer is missing: the verdict is the network error a browser would report, and says
  /// nothing about the server's CORS policy.
  public var isInconclusive: Bool { unanswered > 0 }
}

/// Sends the exact preflight and actual requests a browser would send for a script's request from an origin,
/// follows redirects by the engine's rules (never the HTTP client's), and lets the engine decide on the real
/// answers.
///
/// The engine is run on a recording of the server: each run stops at the first request not sent yet; that
/// request is sent, its answer recorded, and the engine runs again — so every hop (preflight, actual request,
/// each redirect with its method rewrite, tainted `Origin: null`, new preflight) is the engine's decision.
public struct Probe: Sendable {
  /// The URL requested.
  public var url: URLRecord
  /// The page's origin (`null`: a sandboxed frame).
  public var origin: String
  /// The request.
  public var request: AuditRequest
  /// The engine.
  public var engine: Engine
  /// The limits.
  public var limits: ProbeLimits
  /// A `Cookie` value for credentialed requests to `url`'s origin (never to another origin a redirect names).
  public var cookie: String?

  /// Creates a probe.
  public init(url: URLRecord, origin: String, request: AuditRequest = .get, engine: Engine = .chromium,
              limits: ProbeLimits = ProbeLimits(), cookie: String? = nil) {
    self.url = url
    self.origin = origin
    self.request = request
    self.engine = engine
    self.limits = limits
    self.cookie = cookie
  }

  /// The page the script runs on.
  public var page: Page {
    if origin == "null" { return Page(url: try! URLRecord("https://sandboxed.example/"), sandboxed: true) }
    return Page(url: (try? URLRecord(origin + "/")) ?? url)
  }

  /// A `User-Agent` like the engine's.
  static func userAgent(_ engine: Engine) -> String {
    switch engine {
    case .chromium: return "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 corsim-probe"
    case .firefox: return "Mozilla/5.0 (X11; Linux x86_64; rv:145.0) Gecko/20100101 Firefox/145.0 corsim-probe"
    case .webkit: return "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Safari/605.1.15 corsim-probe"
    case .spec: return "corsim-probe/1 (Fetch standard)"
    }
  }

  /// Runs the probe.
  public func run() async -> ProbeResult {
    let start = ContinuousClock.now
    let recording = LiveRecording()
    let client = LiveClient(limits: limits, cookie: cookie.map { LiveCookie($0, origin: url.origin) }, userAgent: Probe.userAgent(engine))
    let script = request.scriptRequest(url: url.href)
    let server = Server(responder: Responder(name: "live") { recording.answer($0) })
    var notes: [String] = []
    var redirects = 0
    var unsent = 0
    var verdict: Verdict
    repeat {
      var sim = Simulator(profile: .forEngine(engine), page: page, server: server)
      verdict = sim.fetch(script)
      let pending = recording.takePending()
      if pending.isEmpty { break }
      for r in pending {
        if redirects >= limits.maxRedirects {
          recording.refuse(r)
          unsent += 1
          notes.append("redirect limit (\(limits.maxRedirects)) reached: \(r.method) \(r.url.href) was not sent")
          continue
        }
        let e = await client.send(r, body: script.body?.text)
        recording.record(e)
        if let s = e.status, (300..<400).contains(s) { redirects += 1 }
        if e.truncated { notes.append("the body of \(r.method) \(r.url.href) was longer than \(limits.maxBodyBytes) bytes: reading stopped (CORS decisions depend on headers alone)") }
        if let f = e.failure { notes.append("\(r.method) \(r.url.href): \(f)") }
        if let f = e.bodyFailure {
          notes.append("the body of \(r.method) \(r.url.href) was not read to its end (\(f)); the status and headers stand")
        }
      }
    } while true
    await client.shutdown()
    let elapsed = ContinuousClock.now - start
    let exchanges = recording.exchanges
    return ProbeResult(verdict: verdict, script: script, exchanges: exchanges, notes: notes,
                       seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                       unanswered: exchanges.filter { !$0.isAnswered }.count + unsent)
  }
}

/// A live audit: `Auditor` on a recording of the real server, re-run until every request it needs was sent.
public struct LiveAudit: Sendable {
  /// The audit.
  public var auditor: Auditor
  /// The limits.
  public var limits: ProbeLimits

  /// Creates a live audit.
  public init(auditor: Auditor, limits: ProbeLimits = ProbeLimits()) {
    self.auditor = auditor
    self.limits = limits
  }

  /// The server could not be reached at all.
  public struct Unreachable: Error, CustomStringConvertible {
    /// Why.
    public var reason: String
    public var description: String { "cannot reach the server: \(reason)" }
  }

  /// Runs the audit; throws `Unreachable` when no request got an answer.
  public func run() async throws -> AuditReport {
    let recording = LiveRecording()
    let client = LiveClient(limits: limits)
    var report = auditor.run { recording.answer($0) }
    var sent = 0
    var truncated = 0
    // One request first: a server that does not answer at all fails the audit at once, not after every
    // pending request has waited for its own time-out.
    if let first = recording.takePending().first {
      let e = await client.send(first, body: "{}")
      recording.record(e)
      sent += 1
      if e.status == nil {
        await client.shutdown()
        throw Unreachable(reason: e.failure ?? "no answer")
      }
      report = auditor.run { recording.answer($0) }
    }
    // Each pass takes every chain one hop further (preflight, actual request, redirect…).
    for _ in 0..<(limits.maxRedirects + 4) {
      let pending = recording.takePending()
      if pending.isEmpty { break }
      let exchanges = await withTaskGroup(of: LiveExchange.self) { group in
        var out: [LiveExchange] = []
        var next = pending.makeIterator()
        for _ in 0..<max(1, limits.concurrency) {
          guard let r = next.next() else { break }
          group.addTask { await client.send(r, body: "{}") }
        }
        while let e = await group.next() {
          out.append(e)
          if let r = next.next() { group.addTask { await client.send(r, body: "{}") } }
        }
        return out
      }
      for e in exchanges { recording.record(e) }
      sent += exchanges.count
      truncated += exchanges.filter(\.truncated).count
      report = auditor.run { recording.answer($0) }
    }
    await client.shutdown()
    report.notes.append("\(sent) live requests sent" + (truncated > 0 ? "; \(truncated) bodies cut at \(limits.maxBodyBytes) bytes" : ""))
    // Every request the report rests on that has no answer is evidence missing (AuditReport.isInconclusive).
    report.requestsSent = sent
    report.unanswered = recording.exchanges.filter { !$0.isAnswered }.map {
      UnansweredRequest(method: $0.request.method.rawValue, url: $0.request.url.href, origin: $0.request.value(of: .origin),
                        reason: $0.failure ?? "no answer")
    }
    // Chains still unfinished after the last pass (longer than maxRedirects + 4 hops).
    report.unanswered += recording.takePending().map {
      UnansweredRequest(method: $0.method.rawValue, url: $0.url.href, origin: $0.value(of: .origin),
                        reason: "not sent: the audit stops after \(limits.maxRedirects + 4) hops")
    }
    return report
  }
}
