import ArgumentParser
import CORSJSON
import CORSPolicy
import CORSProbe
import CORSScenario
import CORSSimulator
import Foundation
import LineEditor

/// `corsim audit --policy FILE` or `corsim audit URL --allow ORIGIN…`: search a policy or a live server for the
/// misconfiguration classes.
struct AuditCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "audit",
    abstract: "Search a CORS policy (offline) or a live server for misconfigurations.",
    discussion: """
      Offline: `corsim audit --policy policy.yaml` reads a policy (corsim's keys, or `preset:` rs-cors, \
      express-cors, flask-cors, vapor or hummingbird with that middleware's own `options:`) and audits its answers.
      Live: `corsim audit https://api.example.com/data --allow https://app.example.com` sends the requests each \
      engine would send from adversarial origins and judges the real answers.

      Each finding names its class (see docs/reference/misconfiguration-classes.md), severity, the smallest request that shows it, \
      what an attacker's page could read, the exchanges seen and the fix. Origins count only in the engines \
      that can send them; answers only as those engines would accept them.

      Exit status: 0 when no finding reaches --fail-on; 1 when one does; 2 when the policy file cannot be read \
      or the arguments are wrong; 3 when the server cannot be reached; 4 when a live audit is inconclusive: \
      no finding reaches --fail-on, but some requests got no answer (refused, timed out, an invalid status \
      line…), so the server's answers to them are unknown. A finding that reaches --fail-on still exits 1; the \
      report says how many requests went unanswered either way. 1 also when standard output cannot be written.
      """)

  @Argument(help: "The resource to audit live (omit with --policy).")
  var url: String?

  @Option(name: .long, help: "A policy file (YAML or JSON) to audit offline.")
  var policy: String?

  @Option(name: .long, help: "An origin the server means to allow (repeatable); `https://*.example.com` for subdomains.")
  var allow: [String] = []

  @Option(name: .long, help: "A request the frontend makes, e.g. 'PUT Content-Type: application/json credentials' (repeatable).")
  var request: [String] = []

  @Option(name: .long, help: "The engines to simulate (repeatable): spec, chromium, firefox, webkit. Default: chromium, firefox, webkit.")
  var browser: [Engine] = []

  @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding reaches this severity: info, low, medium or high.")
  var failOn: Severity = .medium

  @Flag(name: .long, help: "Treat the service as internal (class 15), whatever its address.")
  var `internal` = false

  @Flag(name: .long, help: "Print the report as JSON.")
  var json = false

  @OptionGroup var limits: ProbeLimitOptions

  func validate() throws {
    if policy == nil && url == nil { throw ValidationError("Give a policy file (--policy FILE) or a URL to audit live.") }
    if policy != nil && url != nil { throw ValidationError("Audit either a policy file or a URL, not both.") }
    if url != nil && allow.isEmpty { throw ValidationError("A live audit needs the allowlist: --allow ORIGIN (repeatable).") }
  }

  func run() async throws {
    let engines = browser.isEmpty ? [Engine.chromium, .firefox, .webkit] : browser
    let report: AuditReport
    if let policy {
      let text: String
      do { text = try String(contentsOfFile: policy, encoding: .utf8) } catch {
        writeAll("corsim: \(policy): cannot read: \(error.localizedDescription)\n", to: 2)
        throw ExitCode(2)
      }
      var document: PolicyDocument
      do { document = try PolicyDocument(text: text) } catch {
        writeAll("corsim: \(policy): \(error)\n", to: 2)
        throw ExitCode(2)
      }
      if !allow.isEmpty { document.allow = allow }
      if !request.isEmpty { document.frontend = request.map(AuditRequest.init(shorthand:)) }
      if `internal` { document.isInternal = true }
      report = Auditor(document: document, engines: engines).audit(document)
    } else {
      guard let resource = try? URLRecord(url!), resource.isHTTPScheme else {
        writeAll("corsim: \(url!) is not an http(s) URL\n", to: 2)
        throw ExitCode(2)
      }
      var auditor = Auditor(resource: resource, allowlist: Allowlist(entries: allow),
                            frontend: request.map(AuditRequest.init(shorthand:)), engines: engines,
                            isInternal: `internal` ? true : nil)
      auditor.frontendDeclared = !request.isEmpty
      do {
        report = try await LiveAudit(auditor: auditor, limits: limits.limits).run()
      } catch {
        writeAll("corsim: \(error)\n", to: 2)
        throw ExitCode(3)
      }
    }
    if json {
      writeAll(JSONWriter.serialize(report.json) + "\n")
    } else {
      writeAll(report.text(style: Terminal.style()) + "\n")
    }
    if report.hasFinding(atLeast: failOn) { throw ExitCode(1) }
    if report.isInconclusive { throw ExitCode(4) }
  }
}

extension Severity: @retroactive ExpressibleByArgument {}
