import CORSJSON
import CORSSimulator
import CORSText

/// Where an audit's findings point in a repository: the file the audit read (a policy file, an OpenAPI
/// document, a HAR file), with a line for each endpoint when one can be found, or the URL audited.
public struct AuditLocation: Sendable, Hashable {
  /// The artifact: a path relative to the repository (`api/openapi.yaml`), or a URL.
  public var uri: String
  /// The 1-based line, when known.
  public var line: Int?

  /// A location.
  public init(uri: String, line: Int? = nil) {
    self.uri = uri
    self.line = line
  }

  /// The line on which a text first says each of `needles` as a key, in one pass over the text (a look-up per
  /// colon of each line), so an OpenAPI document of N paths costs its size, not N times it.
  public static func lines(of needles: Set<String>, in text: String) -> [String: Int] {
    var found: [String: Int] = [:]
    var number = 0
    for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
      number += 1
      let content = raw.drop { $0 == " " || $0 == "\t" }
      if let quote = content.first, quote == "\"" || quote == "'" {
        let body = content.dropFirst()
        if let close = body.firstIndex(of: quote) {
          let key = String(body[..<close])
          if needles.contains(key), found[key] == nil { found[key] = number }
        }
      }
      var from = content.startIndex
      while let colon = content[from...].firstIndex(of: ":") {
        from = content.index(after: colon)
        // A YAML key ends at a colon followed by a space or the end of the line (`/v1/items:batch:` is one key).
        guard from == content.endIndex || content[from] == " " || content[from] == "\t" || content[from] == "\r" else { continue }
        let key = String(content[..<colon])
        if needles.contains(key), found[key] == nil { found[key] = number }
      }
    }
    return found
  }

  /// The line on which a text first says `needle` as a key (`/users/{id}:` in YAML, `"/users/{id}"` in JSON).
  public static func line(of needle: String, in text: String) -> Int? {
    var line = 1
    var rest = Substring(text)
    while !rest.isEmpty {
      let end = rest.firstIndex(of: "\n") ?? rest.endIndex
      let content = rest[..<end].drop { $0 == " " || $0 == "\t" }
      let afterKey = content.hasPrefix(needle + ":") ? content.dropFirst(needle.count + 1).first : nil
      let yamlKey = content.hasPrefix(needle + ":") && (afterKey == nil || afterKey == " " || afterKey == "\t" || afterKey == "\r")
      if yamlKey || content.hasPrefix("\"" + needle + "\"") || content.hasPrefix("'" + needle + "'") { return line }
      rest = end == rest.endIndex ? "" : rest[rest.index(after: end)...]
      line += 1
    }
    return nil
  }
}

/// SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format), for code-scanning dashboards: one rule per
/// misconfiguration class, one result per finding.
public enum SARIF {
  /// The schema the document names.
  public static let schema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

  /// `error` for high and medium (they fail a CI run by default), `warning` for low, `note` for info.
  public static func level(_ s: Severity) -> String {
    switch s {
    case .high, .medium: return "error"
    case .low: return "warning"
    case .info: return "note"
    }
  }

  /// GitHub code scanning's `security-severity` (0.0–10.0: above 7 high, above 4 medium, above 0.1 low).
  static func securitySeverity(_ s: Severity) -> String {
    switch s {
    case .high: return "8.0"
    case .medium: return "5.5"
    case .low: return "3.0"
    case .info: return "0.5"
    }
  }

  /// The rules: every class, in number order (a result's `ruleIndex` is its class number).
  static var rules: JSONValue {
    .array(MisconfigurationClass.all.map { c in
      .object([
        ("id", .string(c.code)),
        ("name", .string(c.code.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined())),
        ("shortDescription", .object([("text", .string(c.name.replacingAll("`", with: "")))])),
        ("fullDescription", .object([("text", .string("Misconfiguration class \(c.number): \(c.name.replacingAll("`", with: "")). \(c.fix)"))])),
        ("help", .object([("text", .string(c.fix))])),
        ("defaultConfiguration", .object([("level", .string(c.number == 0 ? "error" : "warning"))])),
        ("properties", .object([("tags", .array([.string("security"), .string("cors")])), ("class", .number(Double(c.number)))])),
      ])
    })
  }

  static func result(_ f: Finding, resource: String, location: AuditLocation) -> JSONValue {
    var physical: [(String, JSONValue)] = [("artifactLocation", .object([("uri", .string(location.uri))]))]
    if let line = location.line { physical.append(("region", .object([("startLine", .number(Double(line)))]))) }
    var properties: [(String, JSONValue)] = [
      ("severity", .string(f.severity.rawValue)),
      ("security-severity", .string(securitySeverity(f.severity))),
      ("resource", .string(resource)),
      ("evidence", .array(f.evidence.map { .string($0) })),
      ("fix", .string(f.fix)),
    ]
    if let origin = f.origin { properties.append(("origin", .string(origin))) }
    if !f.engines.isEmpty { properties.append(("engines", .array(f.engines.map { .string($0.rawValue) }))) }
    if let script = f.script { properties.append(("request", .string(script))) }
    return .object([
      ("ruleId", .string(f.misconfiguration.code)),
      ("ruleIndex", .number(Double(f.misconfiguration.number))),
      ("level", .string(level(f.severity))),
      ("message", .object([("text", .string("\(resource): \(f.summary). \(f.exposure)"))])),
      ("locations", .array([.object([("physicalLocation", .object(physical))])])),
      // Stable across runs: the class, the resource and the origin that shows it.
      ("partialFingerprints", .object([("corsimFinding/v1", .string("\(f.misconfiguration.code):\(resource):\(f.origin ?? "")"))])),
      ("properties", .object(properties)),
    ])
  }

  /// A SARIF log for findings on resources, each with its location.
  public static func log(_ results: [(resource: String, location: AuditLocation, report: AuditReport)], version: String = "1") -> JSONValue {
    var items: [JSONValue] = []
    var notifications: [JSONValue] = []
    for (resource, location, report) in results {
      for f in report.findings { items.append(result(f, resource: resource, location: location)) }
      if report.isInconclusive {
        notifications.append(.object([
          ("level", .string("warning")),
          ("message", .object([("text", .string("\(resource): \(report.unanswered.count) requests got no answer; the audit is inconclusive"))])),
        ]))
      }
    }
    var invocation: [(String, JSONValue)] = [("executionSuccessful", .bool(true))]
    if !notifications.isEmpty { invocation.append(("toolExecutionNotifications", .array(notifications))) }
    return .object([
      ("$schema", .string(schema)),
      ("version", .string("2.1.0")),
      ("runs", .array([.object([
        ("tool", .object([("driver", .object([
          ("name", .string("corsim")),
          ("semanticVersion", .string(version)),
          ("rules", rules),
        ]))])),
        ("invocations", .array([.object(invocation)])),
        ("results", .array(items)),
      ])])),
    ])
  }
}

extension AuditReport {
  /// The report as SARIF 2.1.0, its results located at `location` (the policy file, or the URL audited).
  public func sarif(location: AuditLocation) -> JSONValue {
    SARIF.log([(resource.href, location, self)])
  }

  /// The report as a JUnit suite: one case per misconfiguration class, failing when a finding of that class
  /// reaches `failOn` (lower ones are the case's output), in error when answers are missing.
  public func junitSuite(name: String, failOn: Severity) -> JUnitReport.Suite {
    var cases: [JUnitReport.Case] = []
    for c in MisconfigurationClass.all {
      let found = findings.filter { $0.misconfiguration.number == c.number }
      let describe = found.map { f in
        ([f.severity.rawValue.uppercased() + ": " + f.summary] + (f.origin.map { ["origin: " + $0] } ?? [])
          + (f.script.map { ["request: " + $0] } ?? []) + ["impact: " + f.exposure] + f.evidence.map { "seen: " + $0 } + ["fix: " + f.fix])
          .joined(separator: "\n")
      }.joined(separator: "\n\n")
      let result: JUnitReport.Case.Result
      if let worst = found.map(\.severity).max(), worst >= failOn {
        let first = found.first { $0.severity == worst }!
        result = .failed(type: worst.rawValue, message: first.summary, details: describe)
      } else if found.isEmpty && isInconclusive {
        result = .error(type: "inconclusive", message: "\(unanswered.count) requests got no answer",
                        details: unansweredByReason.map { "\($0.1.count) × \($0.0)" }.joined(separator: "\n"))
      } else {
        result = .passed
      }
      cases.append(JUnitReport.Case(className: name, name: "#\(c.number) \(c.name.replacingAll("`", with: ""))", result: result,
                                    output: found.isEmpty || { if case .failed = result { return true } else { return false } }() ? nil : describe))
    }
    return JUnitReport.Suite(name: name, cases: cases)
  }
}

extension APIAuditReport {
  /// Every endpoint's findings as SARIF 2.1.0; each result points at the endpoint's line in the document
  /// read (`lines` gives it), else at the document.
  public func sarif(uri: String, lines: [String: Int] = [:]) -> JSONValue {
    SARIF.log(results.map { ($0.endpoint.url.href, AuditLocation(uri: uri, line: lines[$0.endpoint.path]), $0.report) })
  }

  /// One JUnit suite per endpoint.
  public func junit(failOn: Severity) -> JUnitReport {
    JUnitReport(name: "corsim audit", suites: results.map { $0.report.junitSuite(name: $0.endpoint.label, failOn: failOn) })
  }
}
