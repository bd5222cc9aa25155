import CORSJSON
import CORSText
import CORSSimulator

extension AuditReport {
  /// The report for people: one block per finding, most severe first, then what was tried.
  public func text(style: TextStyle) -> String {
    var lines: [String] = []
    lines.append(style.bold("audit \(resource.href)") + style.dim("  allowlist: " + allowlistText + "  engines: " + engines.map(\.rawValue).joined(separator: ", ")))
    if findings.isEmpty {
      lines.append(style.green("✓ no findings"))
    }
    for (i, f) in findings.enumerated() {
      let mark: String
      switch f.severity {
      case .high: mark = style.red("HIGH")
      case .medium: mark = style.red("MEDIUM")
      case .low: mark = style.yellow("LOW")
      case .info: mark = style.dim("INFO")
      }
      lines.append("")
      lines.append(style.bold("[\(i + 1)] \(mark)  \(f.misconfiguration)") + style.dim("  \(f.misconfiguration.code)"))
      lines.append("  " + f.summary)
      if let origin = f.origin { lines.append("  " + style.dim("origin  ") + origin + (f.engines.isEmpty ? "" : style.dim("  (\(f.engines.map(\.rawValue).joined(separator: ", ")))"))) }
      if let script = f.script { lines.append("  " + style.dim("request ") + script) }
      lines.append("  " + style.dim("impact  ") + f.exposure)
      for e in f.evidence { lines.append("  " + style.dim("seen    ") + e) }
      lines.append("  " + style.dim("fix     ") + style.cyan(f.fix))
    }
    for note in notes { lines.append(style.dim("note: " + note)) }
    let counts = Severity.allCases.reversed().compactMap { s -> String? in
      let n = findings.filter { $0.severity == s }.count
      return n == 0 ? nil : "\(n) \(s.rawValue)"
    }
    let sendable = engines.map { "\($0.rawValue) \(originsSendable[$0] ?? 0)" }.joined(separator: ", ")
    lines.append("")
    lines.append("\(findings.count) finding\(findings.count == 1 ? "" : "s")" + (counts.isEmpty ? "" : " (" + counts.joined(separator: ", ") + ")")
                 + style.dim("; \(originsGenerated) adversarial origins (sendable: \(sendable)), \(decisions) decisions"))
    return lines.joined(separator: "\n")
  }

  var allowlistText: String {
    let entries = allowlist.exact + allowlist.subdomainBases.map(OriginRule.subdomainPattern)
    return entries.isEmpty ? "(none)" : entries.joined(separator: " ")
  }

  /// The report for machines.
  public var json: JSONValue {
    func strings(_ a: [String]) -> JSONValue { .array(a.map { .string($0) }) }
    return .object([
      ("resource", .string(resource.href)),
      ("allowlist", strings(allowlist.exact + allowlist.subdomainBases.map(OriginRule.subdomainPattern))),
      ("engines", strings(engines.map(\.rawValue))),
      ("findings", .array(findings.map { f in
        .object([
          ("class", .number(Double(f.misconfiguration.number))),
          ("code", .string(f.misconfiguration.code)),
          ("name", .string(f.misconfiguration.name)),
          ("severity", .string(f.severity.rawValue)),
          ("summary", .string(f.summary)),
          ("origin", f.origin.map { .string($0) } ?? .null),
          ("engines", strings(f.engines.map(\.rawValue))),
          ("request", f.request.map { r in
            .object([
              ("method", .string(r.method.rawValue)),
              ("headers", .array(r.headers.map { .array([.string($0.name.rawName), .string($0.value)]) })),
              ("credentials", .string(r.credentials.rawValue)),
            ])
          } ?? .null),
          ("script", f.script.map { .string($0) } ?? .null),
          ("exposure", .string(f.exposure)),
          ("fix", .string(f.fix)),
          ("evidence", strings(f.evidence)),
        ])
      })),
      ("originsGenerated", .number(Double(originsGenerated))),
      ("originsSendable", .object(engines.map { ($0.rawValue, .number(Double(originsSendable[$0] ?? 0))) })),
      ("decisions", .number(Double(decisions))),
      ("notes", strings(notes)),
    ])
  }
}
