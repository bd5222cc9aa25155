import CORSJSON
import CORSText
import CORSSimulator

extension AuditReport {
  /// The report for people: one block per finding, most severe first, then what was tried.
  public func text(style: TextStyle) -> String {
    var lines: [String] = []
    lines.append(style.bold("audit \(resource.href)") + style.dim("  allowlist: " + allowlistText + "  engines: " + engines.map(\.rawValue).joined(separator: ", ")))
    if isInconclusive {
      // Missing answers are missing evidence: never "no findings" over them.
      let count = "\(unanswered.count) of \(requestsSent ?? unanswered.count) live requests got no answer"
      lines.append(style.yellow(findings.isEmpty ? "? inconclusive: \(count); no finding among the answers is no evidence of safety"
                                                 : "! \(count): the findings below stand, others may be hidden"))
      for (reason, group) in unansweredByReason {
        let example = group[0]
        lines.append("  " + style.dim("no answer ") + "\(group.count) × \(reason)" + style.dim(", e.g. \(example.method) \(example.url)" + (example.origin.map { " [Origin: \($0)]" } ?? "")))
      }
    } else if findings.isEmpty {
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
                 + (isInconclusive ? style.yellow("; inconclusive: \(unanswered.count) requests unanswered") : "")
                 + style.dim("; \(originsGenerated) adversarial origins (sendable: \(sendable)), \(decisions) decisions"))
    return lines.joined(separator: "\n")
  }

  /// The unanswered requests grouped by reason, reasons in the order first met.
  var unansweredByReason: [(String, [UnansweredRequest])] {
    var order: [String] = []
    var groups: [String: [UnansweredRequest]] = [:]
    for u in unanswered {
      if groups[u.reason] == nil { order.append(u.reason) }
      groups[u.reason, default: []].append(u)
    }
    return order.map { ($0, groups[$0]!) }
  }

  var allowlistText: String {
    let entries = allowlist.exact + allowlist.subdomainBases.map(OriginRule.subdomainPattern)
    switch (intent, entries.isEmpty) {
    case (.publicReads, true): return "(public: anyone reads without credentials)"
    case (.publicReads, false): return entries.joined(separator: " ") + " (public: anyone else reads without credentials)"
    case (.allowlist, true): return "(none: no cross-origin reader intended)"
    case (.allowlist, false): return entries.joined(separator: " ")
    }
  }

  /// The report for machines.
  public var json: JSONValue {
    func strings(_ a: [String]) -> JSONValue { .array(a.map { .string($0) }) }
    var members: [(String, JSONValue)] = [
      ("resource", .string(resource.href)),
      ("allowlist", strings(allowlist.exact + allowlist.subdomainBases.map(OriginRule.subdomainPattern))),
      ("engines", strings(engines.map(\.rawValue))),
      ("intent", .string(intent.rawValue)),
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
    ]
    let missing: [JSONValue] = unanswered.map { u in
      .object([
        ("method", .string(u.method)),
        ("url", .string(u.url)),
        ("origin", u.origin.map { .string($0) } ?? .null),
        ("reason", .string(u.reason)),
      ])
    }
    members.append(("requestsSent", requestsSent.map { .number(Double($0)) } ?? .null))
    members.append(("requestsUnanswered", .number(Double(unanswered.count))))
    members.append(("unanswered", .array(missing)))
    members.append(("inconclusive", .bool(isInconclusive)))
    return .object(members)
  }
}
