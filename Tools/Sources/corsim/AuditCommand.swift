import ArgumentParser
import CORSImport
import CORSJSON
import CORSPolicy
import CORSProbe
import CORSScenario
import CORSSimulator
import CORSText
import Foundation
import LineEditor

/// `corsim audit --policy FILE`, `corsim audit URL [--allow ORIGIN…|--public]`, `corsim audit --openapi FILE
/// --base URL`, `corsim audit --har FILE`: search a policy, a live server or a whole API for the
/// misconfiguration classes.
struct AuditCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "audit",
    abstract: "Search a CORS policy (offline), a live server or a whole API for misconfigurations.",
    discussion: """
      Offline: `corsim audit --policy policy.yaml` reads a policy (corsim's keys, or `preset:` rs-cors, \
      express-cors, flask-cors, vapor, hummingbird, aws-s3, gcs, django-cors-headers, starlette, spring, \
      aspnetcore or nginx with that project's own `options:` or pasted `config:`) and audits its answers.
      Live: `corsim audit https://api.example.com/data --allow https://app.example.com` sends the requests each \
      engine would send from adversarial origins and judges the real answers. Without --allow no cross-origin \
      reader is intended (any origin that can read is a finding); --public says anyone may read without \
      credentials (only credentialed reads, internal exposure and refused requests are findings).
      Whole API: `--openapi openapi.yaml [--base URL]` audits every path and method of an OpenAPI 3 document; \
      `--har frontend.har [--base URL]` every cross-origin endpoint the frontend called, with its own methods, \
      headers and credentials (its page is the allowlist unless --allow or --public says otherwise). Findings \
      are grouped by root cause across endpoints. --concurrency bounds the requests in flight, --rate the \
      requests started per second; a progress line is drawn on a terminal's standard error.
      --deployed-as https://api.example.com judges the server as the API it will be (scheme, address space, \
      mixed content) while every request goes to the URL given.

      Each finding names its class (see docs/reference/misconfiguration-classes.md), severity, the smallest request that shows it, \
      what an attacker's page could read, the exchanges seen and the fix. Origins count only in the engines \
      that can send them; answers only as those engines would accept them. --format sarif writes SARIF 2.1.0 \
      (one rule per class, for code scanning), --format junit a JUnit XML report (one case per class and endpoint).

      Exit status: 0 when no finding reaches --fail-on; 1 when one does; 2 when the policy file cannot be read \
      or the arguments are wrong; 3 when the server cannot be reached; 4 when a live audit is inconclusive: \
      no finding reaches --fail-on, but some requests got no answer (refused, timed out, an invalid status \
      line…), so the server's answers to them are unknown. A finding that reaches --fail-on still exits 1; the \
      report says how many requests went unanswered either way. 1 also when standard output cannot be written.
      """)

  @Argument(help: "The resource to audit live (omit with --policy, --openapi or --har).")
  var url: String?

  @Option(name: .long, help: "A policy file (YAML or JSON) to audit offline.")
  var policy: String?

  @Option(name: .long, help: "An origin the server means to allow (repeatable); `https://*.example.com` for subdomains.")
  var allow: [String] = []

  @Flag(name: .customLong("public"), help: "Anyone may read without credentials (open data): only credentialed reads, internal exposure and refused requests are findings.")
  var publicReads = false

  @Option(name: .long, help: "A request the frontend makes, e.g. 'PUT Content-Type: application/json credentials' (repeatable).")
  var request: [String] = []

  @Option(name: .long, help: "The engines to simulate (repeatable): spec, chromium, firefox, webkit. Default: chromium, firefox, webkit.")
  var browser: [Engine] = []

  @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding reaches this severity: info, low, medium or high.")
  var failOn: Severity = .medium

  @Flag(name: .long, help: "Treat the service as internal (class 15), whatever its address.")
  var `internal` = false

  @Option(name: .customLong("deployed-as"), help: "The origin the server will have (https://api.example.com): judged there, requests sent to the URL given.")
  var deployedAs: String?

  @Option(name: .long, help: "An OpenAPI 3 document (YAML or JSON): audit every path and method.")
  var openapi: String?

  @Option(name: .long, help: "A HAR file of the frontend: audit every cross-origin endpoint it called.")
  var har: String?

  @Option(name: .long, help: "The base URL of the API (--openapi, --har): replaces servers[0].url or the recorded origin.")
  var base: String?

  @Option(name: .long, help: "The most requests in flight at once (default 8).")
  var concurrency: Int = 8

  @Option(name: .long, help: "The most requests started per second (default: no limit).")
  var rate: Double?

  @Option(name: .long, help: "text (the default), json, sarif (SARIF 2.1.0) or junit (JUnit XML).")
  var format: ReportFormat = .text

  @Flag(name: .long, help: "Print the report as JSON (as --format json).")
  var json = false

  @OptionGroup var limits: ProbeLimitOptions

  enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, sarif, junit
  }

  var outputFormat: ReportFormat { json ? .json : format }

  func validate() throws {
    let sources = [url != nil, openapi != nil, har != nil].filter { $0 }.count
    if policy == nil && sources == 0 { throw ValidationError("Give a policy file (--policy FILE), a URL, --openapi FILE or --har FILE.") }
    if sources > 1 { throw ValidationError("Audit one of a URL, --openapi and --har at a time.") }
    if policy != nil && (url != nil || har != nil) { throw ValidationError("Audit either a policy file or a live server, not both.") }
    if base != nil && openapi == nil && har == nil { throw ValidationError("--base goes with --openapi or --har.") }
    guard concurrency >= 1, concurrency <= 256 else { throw ValidationError("--concurrency must be between 1 and 256.") }
    if let rate, !(rate > 0 && rate <= 100_000) { throw ValidationError("--rate must be a number of requests per second above 0.") }
    if let deployedAs {
      do { _ = try DeployedAs.origin(deployedAs) } catch { throw ValidationError(error.message.replacingOccurrences(of: "deployedAs:", with: "--deployed-as")) }
    }
  }

  var engines: [Engine] { browser.isEmpty ? [Engine.chromium, .firefox, .webkit] : browser }

  var intent: AuditIntent? {
    if publicReads { return .publicReads }
    return allow.isEmpty ? nil : .allowlist
  }

  func fail(_ message: String, status: Int32 = 2) -> ExitCode {
    writeAll("corsim: \(message)\n", to: 2)
    return ExitCode(status)
  }

  func read(_ path: String) throws -> String {
    do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
      throw fail("\(path): cannot read: \(error.localizedDescription)")
    }
  }

  func run() async throws {
    if openapi != nil || har != nil { return try await runAPI() }
    let report: AuditReport
    let location: AuditLocation
    if let policy {
      var document: PolicyDocument
      do { document = try PolicyDocument(text: try read(policy)) } catch let e as PolicyFileError { throw fail("\(policy): \(e)") }
      if !allow.isEmpty { document.allow = allow }
      if publicReads { document.publicReads = true }
      if !request.isEmpty { document.frontend = request.map(AuditRequest.init(shorthand:)) }
      if `internal` { document.isInternal = true }
      if let deployedAs { document.deployedAs = try? URLRecord(deployedAs) }
      report = Auditor(document: document, engines: engines).audit(document)
      location = AuditLocation(uri: policy)
      for note in document.proxy?.notes ?? [] { writeAll("corsim: note: \(note)\n", to: 2) }
    } else {
      guard let resource = try? URLRecord(url!), resource.isHTTPScheme else { throw fail("\(url!) is not an http(s) URL") }
      let map = deployedAs.map { DeployedAs(deployed: try! DeployedAs.origin($0), servedAt: resource.origin) }
      var auditor = Auditor(resource: map?.judged(resource) ?? resource, allowlist: Allowlist(entries: allow), intent: intent ?? .allowlist,
                            frontend: request.map(AuditRequest.init(shorthand:)), engines: engines,
                            isInternal: `internal` ? true : nil)
      auditor.frontendDeclared = !request.isEmpty
      do {
        report = try await LiveAudit(auditor: auditor, limits: probeLimits, deployedAs: map).run()
      } catch {
        throw fail("\(error)", status: 3)
      }
      location = AuditLocation(uri: resource.href)
    }
    switch outputFormat {
    case .text: writeAll(report.text(style: Terminal.style()) + "\n")
    case .json: writeAll(JSONWriter.serialize(report.json) + "\n")
    case .sarif: writeAll(JSONWriter.serialize(report.sarif(location: location)) + "\n")
    case .junit: writeAll(JUnitReport(name: "corsim audit", suites: [report.junitSuite(name: report.resource.href, failOn: failOn)]).xml)
    }
    if report.hasFinding(atLeast: failOn) { throw ExitCode(1) }
    if report.isInconclusive { throw ExitCode(4) }
  }

  var probeLimits: ProbeLimits {
    var l = limits.limits
    l.concurrency = concurrency
    l.rate = rate
    return l
  }

  /// The endpoints of --openapi or --har, the allowlist and intent they imply, and the file for reports.
  func endpoints() throws -> (endpoints: [Endpoint], allowlist: Allowlist, intent: AuditIntent, source: String, lines: [String: Int]) {
    if let openapi {
      let text = try read(openapi)
      let document: OpenAPIDocument
      do { document = try OpenAPIDocument(text: text, base: base, name: openapi) } catch { throw fail("\(error)") }
      for note in document.notes { writeAll("corsim: note: \(note)\n", to: 2) }
      let lines = AuditLocation.lines(of: Set(document.endpoints.map(\.path)), in: text)
      return (document.endpoints, Allowlist(entries: allow), intent ?? .allowlist, openapi, lines)
    }
    let path = har!
    let imported: HARImport.Result
    do { imported = try HARImport.parse(try read(path)) } catch let e as ImportError { throw fail("\(path): \(e)") }
    var endpoints: [Endpoint] = []
    var index: [String: Int] = [:]
    for (k, step) in imported.document.scenario.steps.enumerated() {
      let script = step.request
      guard let url = try? URLRecord(script.url), url.isHTTPScheme else { continue }
      let request = AuditRequest(method: script.method ?? .get, headers: script.headers, credentials: script.credentials ?? .sameOrigin,
                                 body: script.body?.text, mode: script.mode ?? .cors)
      let key = url.origin.serialization + url.pathString
      if let i = index[key] {
        if !endpoints[i].requests.contains(request) { endpoints[i].requests.append(request) }
      } else {
        index[key] = endpoints.count
        let entry = k < imported.recorded.count ? " entry \(imported.recorded[k].entry)" : ""
        var e = Endpoint(url: url.withoutFragment, path: url.pathString, requests: [request], source: path + entry)
        if let base, let b = try? URLRecord(base) { e = e.rebased(at: b) }
        endpoints.append(e)
      }
    }
    // The frontend that made the calls is the allowlist, unless the command line says otherwise.
    let page = imported.document.scenario.page.map { [$0.origin.serialization] } ?? []
    let allowlist = Allowlist(entries: allow.isEmpty && !publicReads ? page : allow)
    return (endpoints, allowlist, intent ?? .allowlist, path, [:])
  }

  func runAPI() async throws {
    let (endpoints, allowlist, intent, source, lines) = try endpoints()
    guard !endpoints.isEmpty else { throw fail("\(source): no endpoint to audit") }
    let map = deployedAs.map { DeployedAs(deployed: try! DeployedAs.origin($0), servedAt: endpoints[0].url.origin) }
    let api = APIAuditor(endpoints: endpoints, allowlist: allowlist, intent: intent, engines: engines,
                         isInternal: `internal` ? true : nil, deployedAs: map)
    let report: APIAuditReport
    if let policy {
      let document: PolicyDocument
      do { document = try PolicyDocument(text: try read(policy)) } catch let e as PolicyFileError { throw fail("\(policy): \(e)") }
      report = api.run(document.answerFunction)
    } else {
      let client = LiveClient(limits: probeLimits)
      let server = LiveAudit.responder(client)
      // A server that answers nothing fails at once, not after every endpoint's time-outs.
      let first = ServerRequest(method: .get, url: endpoints[0].url, headers: [], isPreflight: false, includesCredentials: false)
      let answer = await server.respond(first)
      guard answer.isAnswered else {
        await client.shutdown()
        throw fail("cannot reach the server: \(answer.failure ?? "no answer")", status: 3)
      }
      let progress = ProgressLine(total: endpoints.count)
      report = await api.run(against: server, gate: RequestGate(concurrency: concurrency, rate: rate), parallel: concurrency,
                             maxPasses: limits.maxRedirects + 4) { done, total, requests in
        progress.update(done: done, requests: requests)
      }
      progress.finish()
      await client.shutdown()
    }
    let name = base ?? endpoints[0].url.origin.serialization
    switch outputFormat {
    case .text: writeAll(report.text(style: Terminal.style(), source: "\(name) (\(source))") + "\n")
    case .json: writeAll(JSONWriter.serialize(report.json) + "\n")
    case .sarif: writeAll(JSONWriter.serialize(report.sarif(uri: source, lines: lines)) + "\n")
    case .junit: writeAll(report.junit(failOn: failOn).xml)
    }
    if report.hasFinding(atLeast: failOn) { throw ExitCode(1) }
    if report.isInconclusive { throw ExitCode(4) }
  }
}

/// A progress line on standard error, drawn only when it is a terminal (never into a pipe or a file).
final class ProgressLine: Sendable {
  let total: Int
  let enabled: Bool
  let start = ContinuousClock.now

  init(total: Int, fd: Int32 = 2) {
    self.total = total
    self.enabled = Terminal.isTerminal(fd) && ProcessInfo.processInfo.environment["TERM"] != "dumb"
  }

  /// The line for a state: `[#########···········] 37/200 endpoints · 10234 requests · 12.3 s`.
  static func line(done: Int, total: Int, requests: Int, seconds: Double, width: Int = 24) -> String {
    let filled = total == 0 ? width : min(width, done * width / total)
    return "[" + String(repeating: "#", count: filled) + String(repeating: "·", count: width - filled) + "] "
      + "\(done)/\(total) endpoints · \(requests) requests · " + String(format: "%.1f s", seconds)
  }

  func update(done: Int, requests: Int) {
    guard enabled else { return }
    let d = ContinuousClock.now - start
    let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    writeAll("\r\u{1B}[2K" + ProgressLine.line(done: done, total: total, requests: requests, seconds: seconds), to: 2)
  }

  func finish() { if enabled { writeAll("\r\u{1B}[2K", to: 2) } }
}

extension Severity: @retroactive ExpressibleByArgument {}
