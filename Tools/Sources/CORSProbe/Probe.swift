import CORSPolicy
import CORSSimulator
import Synchronization

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
  /// The origin the server will be deployed at: the engine decides as if `url` lived there, while every
  /// request goes to `url`'s own origin (nil: judged where it is).
  public var deployedAs: Origin?

  /// Creates a probe.
  public init(url: URLRecord, origin: String, request: AuditRequest = .get, engine: Engine = .chromium,
              limits: ProbeLimits = ProbeLimits(), cookie: String? = nil, deployedAs: Origin? = nil) {
    self.deployedAs = deployedAs
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

  /// The URL the engine requests: `url`, or the same path at `deployedAs`.
  public var judgedURL: URLRecord {
    deployedAs.map { DeployedAs(deployed: $0, servedAt: url.origin).judged(url) } ?? url
  }

  /// Runs the probe.
  public func run() async -> ProbeResult {
    let start = ContinuousClock.now
    let recording = AnswerRecording()
    let map = deployedAs.map { DeployedAs(deployed: $0, servedAt: url.origin) }
    let client = LiveClient(limits: limits, cookie: cookie.map { LiveCookie($0, origin: url.origin) }, userAgent: Probe.userAgent(engine))
    let script = request.scriptRequest(url: judgedURL.href)
    let server = Server(responder: Responder(name: "live") { recording.answer($0) })
    var notes: [String] = []
    var exchanges: [LiveExchange] = []
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
        // Sent where the server runs; answered as the deployed API would (a Location back at the deployed origin).
        let e = await client.send(map?.toServed(r) ?? r, body: script.body?.text)
        var answer = e.answer
        if let map { answer.headers = map.toDeployed(answer.headers) }
        recording.record(r, answer)
        exchanges.append(e)
        if let s = e.status, (300..<400).contains(s) { redirects += 1 }
        if e.truncated { notes.append("the body of \(e.request.method) \(e.request.url.href) was longer than \(limits.maxBodyBytes) bytes: reading stopped (CORS decisions depend on headers alone)") }
        if let f = e.failure { notes.append("\(e.request.method) \(e.request.url.href): \(f)") }
        if let f = e.bodyFailure {
          notes.append("the body of \(e.request.method) \(e.request.url.href) was not read to its end (\(f)); the status and headers stand")
        }
      }
    } while true
    await client.shutdown()
    let elapsed = ContinuousClock.now - start
    if let deployedAs { notes.insert("judged as deployed at \(deployedAs.serialization); requests sent to \(url.origin.serialization)", at: 0) }
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
  /// Where the requests go when the auditor's resource is the deployed API's (nil: to the resource itself).
  public var deployedAs: DeployedAs?
  /// A gate shared with other audits (a whole-API run), nil: one of this audit's own.
  public var gate: RequestGate?

  /// Creates a live audit. With `deployedAs`, the auditor's resource is the deployed URL and the requests go
  /// to `deployedAs.servedAt`.
  public init(auditor: Auditor, limits: ProbeLimits = ProbeLimits(), deployedAs: DeployedAs? = nil, gate: RequestGate? = nil) {
    self.auditor = auditor
    self.limits = limits
    self.deployedAs = deployedAs
    self.gate = gate
  }

  /// The server could not be reached at all.
  public struct Unreachable: Error, CustomStringConvertible {
    /// Why.
    public var reason: String
    public var description: String { "cannot reach the server: \(reason)" }
  }

  /// The server as an asynchronous responder: each request sent with a `LiveClient` (whose requests carry a
  /// body `{}` for POST, PUT and PATCH), to the served origin when the audit is judged at a deployed one.
  public static func responder(_ client: LiveClient, deployedAs map: DeployedAs? = nil, truncated: Counter? = nil) -> AsyncResponder {
    let server = AsyncResponder(name: "live") { r in
      let e = await client.send(r, body: "{}")
      if e.truncated { truncated?.add() }
      return e.answer
    }
    return map?.wrap(server) ?? server
  }

  /// Runs the audit; throws `Unreachable` when no request got an answer.
  public func run() async throws -> AuditReport {
    let client = LiveClient(limits: limits)
    let truncated = Counter()
    let server = LiveAudit.responder(client, deployedAs: deployedAs, truncated: truncated)
    let recording = AnswerRecording()
    _ = auditor.run { recording.answer($0) }
    // One request first: a server that does not answer at all fails the audit at once, not after every
    // pending request has waited for its own time-out.
    if let first = recording.takePending().first {
      let answer = await server.respond(first)
      recording.record(first, answer)
      if !answer.isAnswered {
        await client.shutdown()
        throw Unreachable(reason: answer.failure ?? "no answer")
      }
    }
    // Each pass takes every chain one hop further (preflight, actual request, redirect…).
    var report = await auditor.run(against: server, recording: recording,
                                   gate: gate ?? RequestGate(concurrency: limits.concurrency, rate: limits.rate),
                                   maxPasses: limits.maxRedirects + 4)
    await client.shutdown()
    let cut = truncated.value
    report.requestsSent = (report.requestsSent ?? 0) + 1
    report.notes.append("\(report.requestsSent!) live requests sent" + (cut > 0 ? "; \(cut) bodies cut at \(limits.maxBodyBytes) bytes" : "")
                        + (deployedAs.map { "; judged as deployed at \($0.deployed.serialization), sent to \($0.servedAt.serialization)" } ?? ""))
    return report
  }
}

/// A count shared by concurrent tasks.
public final class Counter: Sendable {
  private let count = Mutex(0)
  /// A count at zero.
  public init() {}
  /// Adds one.
  public func add(_ n: Int = 1) { count.withLock { $0 += n } }
  /// The count.
  public var value: Int { count.withLock { $0 } }
}
