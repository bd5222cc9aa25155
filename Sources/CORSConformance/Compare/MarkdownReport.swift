import CORSScenario

/// What a run recorded besides its results (the `run` command's `.meta.json` file): versions and timing.
public struct RunMetadata: Sendable {
  /// One engine's walk.
  public struct EngineSummary: Sendable {
    public var engine: String
    public var version: String
    public var seconds: Double
    public var restarts: Int
    /// Seconds per played scenario, in input order: (id, seconds).
    public var scenarioSeconds: [(String, Double)]

    public init(engine: String, version: String, seconds: Double, restarts: Int, scenarioSeconds: [(String, Double)]) {
      self.engine = engine
      self.version = version
      self.seconds = seconds
      self.restarts = restarts
      self.scenarioSeconds = scenarioSeconds
    }
  }

  /// The input file's name.
  public var input: String
  /// When the run started (ISO 8601).
  public var date: String
  /// The engines, in the order they ran.
  public var engines: [EngineSummary]

  public init(input: String, date: String, engines: [EngineSummary]) {
    self.input = input
    self.date = date
    self.engines = engines
  }

  /// The JSON form.
  public var json: JSONValue {
    .object([
      ("input", .string(input)),
      ("date", .string(date)),
      ("engines", .array(engines.map { e in
        .object([
          ("engine", .string(e.engine)),
          ("version", .string(e.version)),
          ("seconds", .number((e.seconds * 100).rounded() / 100)),
          ("restarts", .number(Double(e.restarts))),
          ("scenarioSeconds", .array(e.scenarioSeconds.map {
            .array([.string($0.0), .number(($0.1 * 1000).rounded() / 1000)])
          })),
        ])
      })),
    ])
  }

  /// Reads the JSON form.
  public init(json: JSONValue) {
    func s(_ v: JSONValue?) -> String { if case .string(let x)? = v { return x } else { return "" } }
    func n(_ v: JSONValue?) -> Double { if case .number(let x)? = v { return x } else { return 0 } }
    input = s(json["input"])
    date = s(json["date"])
    var engines: [EngineSummary] = []
    if case .array(let list)? = json["engines"] {
      for e in list {
        var times: [(String, Double)] = []
        if case .array(let pairs)? = e["scenarioSeconds"] {
          for case .array(let p) in pairs where p.count == 2 { times.append((s(p[0]), n(p[1]))) }
        }
        engines.append(EngineSummary(engine: s(e["engine"]), version: s(e["version"]), seconds: n(e["seconds"]),
                                     restarts: Int(n(e["restarts"])), scenarioSeconds: times))
      }
    }
    self.engines = engines
  }
}

/// Writes a comparison as Markdown (the shape of `Spec/CONFORMANCE.md`): browser versions, date, counts per
/// engine, runtime per scenario per engine, the remaining disagreements and what was skipped.
public enum MarkdownReport {
  /// Renders the report. `metadata` adds versions and timing; `simulatorName` says what was compared.
  public static func render(_ comparison: Comparison, metadata: RunMetadata?, realName: String, simulatorName: String)
    -> String {
    var out = "# Conformance: real browsers against the simulator\n\n"
    if let metadata {
      out += "Run of `\(metadata.input)` on \(metadata.date); results `\(realName)` compared with `\(simulatorName)`.\n\n"
      out += "## Browsers\n\n| Engine | Version |\n|---|---|\n"
      for e in metadata.engines { out += "| \(e.engine) | \(cell(e.version)) |\n" }
      out += "\n"
    } else {
      out += "Results `\(realName)` compared with `\(simulatorName)`.\n\n"
    }

    out += "## Agreement\n\n"
    out += "Compared per step as `shared/oracle-contract/compare.py` does: outcome, response type, status, exposed "
    out += "header names, and the requests on the wire (method, URL, `Origin`, `Access-Control-Request-Method`, "
    out += "`Access-Control-Request-Headers`).\n\n"
    out += "| Engine | Scenarios | Compared | Agree | Disagree | Skipped | No simulator line | "
    out += Comparison.fields.joined(separator: " | ") + " |\n"
    out += "|---|---:|---:|---:|---:|---:|---:|" + String(repeating: "---:|", count: Comparison.fields.count) + "\n"
    for t in comparison.tallies {
      out += "| \(t.engine) | \(t.scenarios) | \(t.compared) | \(t.agree) | \(t.disagree) | \(t.skipped) | \(t.missing) | "
      out += Comparison.fields.map { String(t.fields[$0] ?? 0) }.joined(separator: " | ") + " |\n"
    }
    out += "\nThe field columns count step-level differences.\n\n"

    if let metadata, !metadata.engines.isEmpty {
      out += "## Runtime\n\n"
      out += "| Engine | Scenarios played | Total (s) | Mean per scenario (s) | Median (s) | Slowest (s) | Slowest scenario | Restarts |\n"
      out += "|---|---:|---:|---:|---:|---:|---|---:|\n"
      for e in metadata.engines {
        let times = e.scenarioSeconds.map(\.1).sorted()
        let mean = times.isEmpty ? 0 : times.reduce(0, +) / Double(times.count)
        let median = times.isEmpty ? 0 : times[times.count / 2]
        let slowest = e.scenarioSeconds.max { $0.1 < $1.1 }
        out += "| \(e.engine) | \(times.count) | \(fixed(e.seconds, 1)) | \(fixed(mean, 3)) | \(fixed(median, 3)) | "
        out += "\(fixed(slowest?.1 ?? 0, 3)) | \(cell(slowest?.0 ?? "")) | \(e.restarts) |\n"
      }
      out += "\nTotal includes starting the browser; a scenario's time runs from its page request to its report "
      out += "and includes its `after` pauses.\n\n"
    }

    out += "## Disagreements\n\n"
    if comparison.differences.isEmpty {
      out += "None.\n\n"
    } else {
      out += "| Scenario | Engine | Step | Field | Browser | Simulator |\n|---|---|---:|---|---|---|\n"
      for d in comparison.differences {
        out += "| \(cell(d.id)) | \(d.engine) | \(d.step.map(String.init) ?? "–") | \(d.field) | \(code(d.real)) | \(code(d.simulator)) |\n"
      }
      out += "\n"
    }
    if !comparison.skipped.isEmpty {
      out += "## Skipped in the browser run\n\n| Scenario | Engine | Why |\n|---|---|---|\n"
      for s in comparison.skipped { out += "| \(cell(s.id)) | \(s.engine) | \(cell(s.why)) |\n" }
      out += "\n"
    }
    return out
  }

  static func cell(_ s: String) -> String {
    s.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|")
      .split(separator: "\n", omittingEmptySubsequences: false).joined(separator: " ")
  }

  static func code(_ s: String) -> String { "`" + cell(s).split(separator: "`").joined(separator: "'") + "`" }

  static func fixed(_ v: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let r = (v * scale).rounded() / scale
    var text = String(r)
    if let dot = text.firstIndex(of: ".") {
      let decimals = text.distance(from: dot, to: text.endIndex) - 1
      if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
    } else if digits > 0 {
      text += "." + String(repeating: "0", count: digits)
    }
    return text
  }
}
