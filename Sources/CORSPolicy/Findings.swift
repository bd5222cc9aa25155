import CORSSimulator

/// How bad a finding is. High: an origin outside the allowlist reads credentialed responses. Medium: it reads
/// non-credentialed data or sends preflighted requests, or a legitimate request is refused today. Low: a
/// weakness that needs another mistake or event to hurt (a cache, a subdomain takeover). Info: worth knowing.
public enum Severity: String, Sendable, Hashable, CaseIterable, Comparable, Codable {
  case info, low, medium, high

  private var rank: Int {
    switch self {
    case .info: return 0
    case .low: return 1
    case .medium: return 2
    case .high: return 3
    }
  }

  public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// A misconfiguration class of docs/reference/misconfiguration-classes.md (0: a legitimate request refused).
public struct MisconfigurationClass: Sendable, Hashable, CustomStringConvertible {
  /// The class's number in the table (0 for "legitimate request refused").
  public let number: Int
  /// A stable kebab-case code.
  public let code: String
  /// Its name.
  public let name: String
  /// What to do about it, in general.
  public let fix: String

  public var description: String { "#\(number) \(name)" }

  /// Every class, by number.
  public static let all: [MisconfigurationClass] = [
    .init(number: 0, code: "legitimate-request-refused", name: "Legitimate request refused",
          fix: "Make the response carry the headers the browser needs for this request (see the engine's fix)."),
    .init(number: 1, code: "arbitrary-origin-reflected", name: "Arbitrary origin reflected",
          fix: "Answer Access-Control-Allow-Origin only for origins on an explicit allowlist; never echo the Origin header unchecked."),
    .init(number: 2, code: "null-origin-trusted", name: "`null` origin trusted",
          fix: "Remove `null` from the allowlist: sandboxed frames, data: and file: documents of any site send it."),
    .init(number: 3, code: "prefix-match", name: "Prefix match (pattern not anchored at the end)",
          fix: "Compare whole serialized origins, or anchor patterns at both ends (`^https://app\\.example\\.com$`, Python `re.fullmatch`)."),
    .init(number: 4, code: "suffix-match", name: "Suffix match (not anchored at the start)",
          fix: "Match subdomains on a label boundary: the host must end with `.example.com`, not `example.com`."),
    .init(number: 5, code: "unescaped-regex-dot", name: "Unescaped regex metacharacters",
          fix: "Escape dots in patterns (`\\.`), or list exact origins instead of regular expressions."),
    .init(number: 6, code: "substring-match", name: "Substring / contains match",
          fix: "Compare whole serialized origins for equality; never test whether the Origin contains a trusted string."),
    .init(number: 7, code: "parser-confusion", name: "Parser confusion and special characters",
          fix: "Parse the Origin as a URL and compare scheme, host and port, or compare whole strings; do not split on characters."),
    .init(number: 8, code: "cross-allowlist-concatenation", name: "Cross-allowlist concatenation",
          fix: "Match each allowlist entry against the whole origin; never build one pattern out of several entries' pieces."),
    .init(number: 9, code: "insecure-scheme-trusted", name: "Insecure scheme trusted by an https resource",
          fix: "Trust only https origins (loopback aside): a network attacker can inject script into any http origin."),
    .init(number: 10, code: "any-subdomain-trusted", name: "Any subdomain trusted",
          fix: "List the subdomains that need access; a subdomain wildcard with credentials hands the API to any XSS or takeover on any subdomain."),
    .init(number: 11, code: "shared-hosting-trusted", name: "Public-suffix, shared-hosting and developer origins",
          fix: "Never trust wildcards over public suffixes or sites where anyone can publish (github.io, pages.dev, codepen.io…)."),
    .init(number: 12, code: "wildcard-with-credentials", name: "Wildcard or near-wildcard with credentials",
          fix: "Do not pair `*` with Access-Control-Allow-Credentials: true (browsers refuse it); list origins and echo the matching one."),
    .init(number: 13, code: "serialization-variant", name: "Serialization variants (ports, default ports, trailing slash, case, IDN)",
          fix: "Write allowlist entries exactly as browsers serialize origins: lower-case scheme and host, no default port, no path or slash, punycode hosts."),
    .init(number: 14, code: "missing-vary-origin", name: "Missing or wrong `Vary: Origin`",
          fix: "Send `Vary: Origin` on every response whose CORS headers depend on the Origin (allowed, refused and no-Origin answers alike)."),
    .init(number: 15, code: "private-network-permissive", name: "Permissive CORS on internal or private-network services",
          fix: "An internal service allows no public origin: drop `*`, and answer Access-Control-Allow-Private-Network only for allowed origins."),
    .init(number: 16, code: "preflight-reflection", name: "Preflight over-grant by reflection",
          fix: "Answer Access-Control-Allow-Methods and -Headers from the policy's lists, never by echoing the preflight's request headers."),
    .init(number: 17, code: "needless-credentials", name: "Credentials granted where none are needed",
          fix: "Drop Access-Control-Allow-Credentials when the frontend sends no cookies (bearer tokens need none)."),
    .init(number: 18, code: "inconsistent-policy", name: "Inconsistent policy across preflight, actual, routes and errors",
          fix: "Apply one CORS policy to every response of the resource — preflight, actual, error pages, path variants — before authentication runs."),
    .init(number: 19, code: "several-layers", name: "Several layers emitting CORS headers",
          fix: "Give each CORS header one owner: remove it from every other layer (proxy_hide_header, the CDN's rules) or from the application."),
    .init(number: 20, code: "preflight-cache-lifetime", name: "Preflight cache lifetime",
          fix: "Set Access-Control-Max-Age deliberately, within the engines' caps (Chromium 7200 s, WebKit 600 s, Firefox 86400 s)."),
  ]

  /// The class with this number.
  public static func number(_ n: Int) -> MisconfigurationClass { all[n] }
}

/// One misconfiguration found, with what shows it, what an attacker gets and the fix.
public struct Finding: Sendable, Hashable {
  /// The class.
  public var misconfiguration: MisconfigurationClass
  /// How bad it is.
  public var severity: Severity
  /// One line: what is wrong.
  public var summary: String
  /// The origin of the page that shows it (nil for findings about the configuration or the responses).
  public var origin: String?
  /// The engines in which it shows.
  public var engines: [Engine]
  /// The smallest request that shows it.
  public var request: AuditRequest?
  /// That request as the attacker's (or the frontend's) script writes it.
  public var script: String?
  /// What an attacker's page could read or do (or, for availability findings, what breaks).
  public var exposure: String
  /// The fix.
  public var fix: String
  /// The exchanges that show it: requests with their answers' CORS header lines.
  public var evidence: [String]

  /// Creates a finding.
  public init(_ misconfiguration: Int, _ severity: Severity, summary: String, origin: String? = nil, engines: [Engine] = [],
              request: AuditRequest? = nil, script: String? = nil, exposure: String, fix: String? = nil, evidence: [String] = []) {
    self.misconfiguration = .number(misconfiguration)
    self.severity = severity
    self.summary = summary
    self.origin = origin
    self.engines = engines
    self.request = request
    self.script = script
    self.exposure = exposure
    self.fix = fix ?? MisconfigurationClass.number(misconfiguration).fix
    self.evidence = evidence
  }
}

/// What an audit found, and what it tried.
public struct AuditReport: Sendable, Hashable {
  /// The resource audited.
  public var resource: URLRecord
  /// The allowlist the findings are judged against.
  public var allowlist: Allowlist
  /// Who was meant to read (with an empty allowlist: nobody cross-origin, or anyone without credentials).
  public var intent: AuditIntent = .allowlist
  /// The engines simulated.
  public var engines: [Engine]
  /// The findings, most severe first.
  public var findings: [Finding]
  /// How many adversarial origins were generated.
  public var originsGenerated: Int
  /// How many of them each engine can send.
  public var originsSendable: [Engine: Int]
  /// How many decisions the simulator made.
  public var decisions: Int
  /// What the audit could not judge, or judged outside CORS (mixed content, unreachable server…).
  public var notes: [String]
  /// A live audit's requests put on the wire (nil: an offline audit).
  public var requestsSent: Int? = nil
  /// A live audit's requests that got no answer (refused, timed out, an invalid status line…) or were never
  /// sent: the audit stood in a failed connection for each, which is not the server's answer.
  public var unanswered: [UnansweredRequest] = []

  /// Whether a finding reaches a severity.
  public func hasFinding(atLeast severity: Severity) -> Bool { findings.contains { $0.severity >= severity } }

  /// True when answers are missing: the findings stand, but their absence is not evidence of safety.
  public var isInconclusive: Bool { !unanswered.isEmpty }
}

/// A request a live audit needed and got no answer to.
public struct UnansweredRequest: Sendable, Hashable {
  /// The method.
  public var method: String
  /// The URL.
  public var url: String
  /// The `Origin` header sent (nil: none).
  public var origin: String?
  /// Why there is no answer ("timed out after 1.0 s", "invalid status line: status 000", "not sent: …").
  public var reason: String

  /// Creates one.
  public init(method: String, url: String, origin: String?, reason: String) {
    self.method = method
    self.url = url
    self.origin = origin
    self.reason = reason
  }
}
