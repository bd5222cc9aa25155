import ArgumentParser
import Foundation
import CORSJSON
import CORSOracle
import CORSPolicy
import CORSProbe
import CORSScenario
import CORSSimulator
import CORSText
import LineEditor

/// The limits shared by `probe` and `audit`.
struct ProbeLimitOptions: ParsableArguments {
  @Option(name: .long, help: "Seconds to wait for each answer (the connection gets half, at most 5 s).")
  var timeout: Double = 10

  @Option(name: .customLong("max-body"), help: "The largest response body read, in bytes; the rest is not read.")
  var maxBody: Int = 1 << 20

  @Option(name: .customLong("max-redirects"), help: "The most redirects followed (browsers stop at 20).")
  var maxRedirects: Int = 20

  @Flag(name: .long, help: "Do not verify TLS certificates.")
  var insecure = false

  var limits: ProbeLimits {
    ProbeLimits(connectTimeout: min(5, max(0.1, timeout / 2)), requestTimeout: timeout, maxBodyBytes: maxBody,
                maxRedirects: maxRedirects, verifyTLS: !insecure)
  }

  func validate() throws {
    guard timeout > 0, timeout <= 600 else { throw ValidationError("--timeout must be between 0 and 600 seconds.") }
    guard maxBody >= 0 else { throw ValidationError("--max-body cannot be negative.") }
    guard (0...20).contains(maxRedirects) else { throw ValidationError("--max-redirects must be between 0 and 20.") }
  }
}

/// `corsim probe URL --origin O …`: the browser's exact requests sent to a real server, its answers judged by the engine.
struct ProbeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "probe",
    abstract: "Send a browser's exact preflight and request to a live server and print the engine's verdict.",
    discussion: """
      --deployed-as https://api.example.com decides as if the URL's path lived at that origin (its scheme, \
      address space and site) while the requests go to the URL given: a loopback server judged as the API it \
      will be.

      The engine decides every hop: whether a preflight is needed and what it carries, the actual request, \
      each redirect (followed by the engine's rules: method rewrites, `Origin: null` after a cross-origin hop, \
      a new preflight), and whether script may read the final answer. The HTTP client never follows a redirect \
      by itself. Each exchange is printed under the verdict with its CORS headers and timing.

      Exit status: 0 when script can read the response (or gets an opaque one), 1 when the browser blocks it \
      or the call throws, 2 when the arguments are wrong, 4 when a request got no answer (refused, timed out, \
      an invalid status line…) or was not sent (--max-redirects): the verdict is then the network error a \
      browser would report, and says nothing about the server's CORS policy. 1 also when standard output \
      cannot be written.

      --cookie is sent only to the probed URL's origin (scheme, host and port), and only when the engine \
      includes credentials; never to another origin a redirect names. (Browsers scope a cookie to its \
      host; corsim is stricter, to its origin.)
      """)

  @Argument(help: "The URL the page's script requests.")
  var url: String

  @Option(name: .long, help: "The page's origin, e.g. https://app.example.com (`null`: a sandboxed frame).")
  var origin: String

  @Option(name: .long, help: "The method (default GET).")
  var method: String = "GET"

  @Option(name: .long, help: "An author header 'Name: value' (repeatable).")
  var header: [String] = []

  @Option(name: .long, help: "fetch's credentials mode: omit, same-origin or include.")
  var credentials: String = "same-origin"

  @Option(name: .long, help: "A body to send (POST, PUT, PATCH).")
  var body: String?

  @Option(name: .long, help: "A Cookie header value sent when credentials are included, to the URL's origin only.")
  var cookie: String?

  @Option(name: .long, help: "The profile: spec, chromium, firefox or webkit.")
  var browser: Engine = .chromium

  @Flag(name: .long, help: "Print the verdict as an oracle result line, with the live exchanges.")
  var json = false

  @Option(name: .customLong("deployed-as"), help: "The origin the server will have (https://api.example.com): judged there, requests sent to the URL given.")
  var deployedAs: String?

  @OptionGroup var limits: ProbeLimitOptions

  func validate() throws {
    guard ["omit", "same-origin", "include"].contains(credentials) else {
      throw ValidationError("--credentials is omit, same-origin or include.")
    }
    guard let u = try? URLRecord(url), u.isHTTPScheme else { throw ValidationError("\(url) is not an http(s) URL.") }
    if origin != "null" {
      guard Allowlist.serialize(origin) != nil else { throw ValidationError("--origin \(origin) is not an http(s) origin.") }
    }
    for h in header where !h.contains(":") { throw ValidationError("--header '\(h)' is not 'Name: value'.") }
    if let deployedAs {
      do { _ = try DeployedAs.origin(deployedAs) } catch { throw ValidationError(error.message.replacingOccurrences(of: "deployedAs:", with: "--deployed-as")) }
    }
  }

  func run() async throws {
    let headers = HeaderList(header.map { h -> HeaderField in
      let colon = h.firstIndex(of: ":")!
      return HeaderField(HeaderName(String(h[..<colon])), String(h[h.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
    })
    let pageOrigin = origin == "null" ? "null" : Allowlist.serialize(origin)!
    if pageOrigin != origin { writeAll("corsim: note: browsers send the origin as \(pageOrigin)\n", to: 2) }
    let request = AuditRequest(method: Method(method), headers: headers, credentials: .init(rawValue: credentials), body: body)
    let probe = Probe(url: try URLRecord(url), origin: pageOrigin, request: request, engine: browser, limits: limits.limits,
                      cookie: cookie, deployedAs: try deployedAs.map { (text: String) throws in try DeployedAs.origin(text) })
    let result = await probe.run()
    if json {
      guard case .object(var members) = OracleOutput.result(id: .string(url), engine: browser, verdicts: [result.verdict]) else { return }
      members.append(("exchanges", .array(result.exchanges.map(ProbeCommand.exchangeJSON))))
      members.append(("notes", .array(result.notes.map { .string($0) })))
      members.append(("seconds", .number((result.seconds * 1000).rounded() / 1000)))
      members.append(("unanswered", .number(Double(result.unanswered))))
      members.append(("inconclusive", .bool(result.isInconclusive)))
      writeAll(JSONWriter.serialize(.object(members)) + "\n")
    } else {
      let style = Terminal.style()
      var out = VerdictText.render(result.verdict, request: result.script, style: style) + "\n"
      let live: String = style.dim("live    ")
      let note: String = style.dim("note    ")
      for e in result.exchanges {
        let line: String = ProbeCommand.exchangeLine(e)
        out += "  " + live + line + "\n"
      }
      for n in result.notes {
        let text: String = style.yellow(n)
        out += "  " + note + text + "\n"
      }
      if result.isInconclusive {
        let requests = result.unanswered == 1 ? "1 request" : "\(result.unanswered) requests"
        out += style.yellow("? inconclusive: \(requests) got no answer; the verdict says nothing about the server's CORS policy") + "\n"
      }
      writeAll(out)
    }
    if result.isInconclusive { throw ExitCode(4) }
    if result.verdict.outcome == .networkError || result.verdict.outcome == .invalid { throw ExitCode(1) }
  }

  static func milliseconds(_ s: Double) -> String {
    let ms = s * 1000
    return ms < 10 ? String(format: "%.1f ms", ms) : "\(Int(ms.rounded())) ms"
  }

  static func exchangeLine(_ e: LiveExchange) -> String {
    let answer: String
    if let status = e.status {
      let cors = e.headers.filter {
        $0.name.canonicalName.hasPrefix("access-control-") || $0.name == .vary || $0.name == .location
      }
      answer = "\(status)" + (cors.isEmpty ? "" : "; " + cors.map { "\($0.name): \($0.value)" }.joined(separator: "; "))
    } else {
      answer = "no answer (\(e.failure ?? "failed"))"
    }
    return "\(e.request.method) \(e.request.url.href) → \(answer)  [\(milliseconds(e.seconds))\(e.truncated ? ", body cut" : "")]"
  }

  static func exchangeJSON(_ e: LiveExchange) -> JSONValue {
    func pairs(_ h: HeaderList) -> JSONValue { .array(h.map { .array([.string($0.name.rawName), .string($0.value)]) }) }
    return .object([
      ("method", .string(e.request.method.rawValue)),
      ("url", .string(e.request.url.href)),
      ("sent", pairs(e.sentHeaders)),
      ("status", e.status.map { .number(Double($0)) } ?? .null),
      ("headers", pairs(e.headers)),
      ("bodyBytes", .number(Double(e.bodyBytes))),
      ("truncated", .bool(e.truncated)),
      ("failure", e.failure.map { .string($0) } ?? .null),
      ("seconds", .number((e.seconds * 1_000_000).rounded() / 1_000_000)),
    ])
  }
}
