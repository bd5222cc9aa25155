import CORSJSON
import CORSScenario
import Foundation

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
  /// The machine the browsers ran on (system, architecture, cores, memory); empty when unknown.
  public var machine: String

  public init(input: String, date: String, engines: [EngineSummary], machine: String = "") {
    self.input = input
    self.date = date
    self.engines = engines
    self.machine = machine
  }

  /// The JSON form.
  public var json: JSONValue {
    .object([
      ("input", .string(input)),
      ("date", .string(date)),
      ("machine", .string(machine)),
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
    machine = s(json["machine"])
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

/// Writes a comparison as Markdown (the shape of `Spec/CONFORMANCE.md`): browser versions, date and
/// machine, agreement per engine (counts and percentage of the scenarios played), runtime per scenario per
/// engine, every disagreement (a summary of the differing fields, then each scenario with what the browser
/// did and what the simulator said, and the note about it if there is one) and what was skipped, with why.
public enum MarkdownReport {
  /// Renders the report. `metadata` adds versions, machine and timing; `simulatorName` says what was
  /// compared; `threshold` (a percentage) adds the pass mark; `notes` explain known disagreements.
  public static func render(_ comparison: Comparison, metadata: RunMetadata?, realName: String, simulatorName: String,
                            threshold: Double? = nil, notes: ConformanceNotes? = nil) -> String {
    var out = "# Conformance: real browsers against the simulator\n\n"
    if let metadata {
      out += "Run of `\(metadata.input)` on \(metadata.date)"
      if !metadata.machine.isEmpty { out += " on \(metadata.machine)" }
      out += "; results `\(realName)` compared with `\(simulatorName)`.\n\n"
      out += "## Browsers\n\n| Engine | Version |\n|---|---|\n"
      for e in metadata.engines { out += "| \(e.engine) | \(cell(e.version)) |\n" }
      out += "\n"
    } else {
      out += "Results `\(realName)` compared with `\(simulatorName)`.\n\n"
    }

    out += "## Agreement\n\n"
    out += "Compared per step as the oracle contract compares results (Tools/Tests/Fixtures/oracle-contract): outcome, response type, status, exposed "
    out += "header names, and the requests on the wire (method, URL, `Origin`, `Access-Control-Request-Method`, "
    out += "`Access-Control-Request-Headers`). An element load (`load image`, `load script`…) is compared on what "
    out += "script can see: the element's event (`load` or `error`), the response type where the page could tell "
    out += "opaque from CORS-same-origin, and the requests; not status or header names. An EventSource is compared "
    out += "on its event (`open` as readable, `error`), the response type and the requests; a beacon on what "
    out += "sendBeacon returned (true, false, or an exception) and the requests. Agreement is the share of "
    out += "the scenarios played that agree in every field; skipped scenarios are not counted (they are listed below "
    out += "with why).\n\n"
    out += "| Engine | Scenarios | Played | Agree | Disagree | Agreement | Skipped | No simulator line | "
    out += Comparison.fields.joined(separator: " | ") + " |\n"
    out += "|---|---:|---:|---:|---:|---:|---:|---:|" + String(repeating: "---:|", count: Comparison.fields.count) + "\n"
    for t in comparison.tallies {
      out += "| \(t.engine) | \(t.scenarios) | \(t.compared) | \(t.agree) | \(t.disagree) | \(percent(t)) | \(t.skipped) | "
      out += "\(t.missing) | " + Comparison.fields.map { String(t.fields[$0] ?? 0) }.joined(separator: " | ") + " |\n"
    }
    out += "\nThe field columns count step-level differences.\n\n"
    if let threshold {
      let below = comparison.engines(below: threshold)
      out += "Pass mark: \(fixed(threshold, 1)) % agreement in every engine — "
      out += below.isEmpty ? "met.\n\n" : "**not met** in \(below.map(\.engine).joined(separator: ", ")).\n\n"
    }

    out += consoleSection(comparison)

    if let metadata, !metadata.engines.isEmpty {
      out += "## Runtime\n\n"
      out += "| Engine | Scenarios played | Total (s) | Mean per scenario (s) | Median (s) | Slowest (s) | Slowest scenario | Restarts |\n"
      out += "|---|---:|---:|---:|---:|---:|---|---:|\n"
      for e in metadata.engines {
        let times = e.scenarioSeconds.map(\.1).sorted()
        let mean = times.isEmpty ? 0 : times.reduce(0, +) / Double(times.count)
        let median = times.isEmpty ? 0 : times.count % 2 == 1 ? times[times.count / 2]
          : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
        let slowest = e.scenarioSeconds.max { $0.1 < $1.1 }
        out += "| \(e.engine) | \(times.count) | \(fixed(e.seconds, 1)) | \(fixed(mean, 3)) | \(fixed(median, 3)) | "
        out += "\(fixed(slowest?.1 ?? 0, 3)) | \(cell(slowest?.0 ?? "")) | \(e.restarts) |\n"
      }
      out += "\nTotal includes starting the browser; a scenario's time runs from its page request to its report "
      out += "and includes its `after` pauses (a `file:` page has no request: its time runs from the previous report, "
      out += "or for the first one from the browser's start).\n\n"
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
      for d in comparison.disagreements { out += detail(d, notes: notes?.notes(id: d.id, engine: d.engine) ?? []) }
    }
    if let stale = notes?.stale(in: comparison), !stale.isEmpty {
      out += "## Notes that match no disagreement\n\nThese scenarios agree now (or were not played): their notes can go.\n\n"
      out += "| Scenario | Engines | Class |\n|---|---|---|\n"
      for n in stale { out += "| \(cell(n.id)) | \(n.engines.isEmpty ? "all" : n.engines.joined(separator: ", ")) | \(cell(n.kind)) |\n" }
      out += "\n"
    }
    if !comparison.skipped.isEmpty {
      out += "## Skipped in the browser run\n\n"
      var groups: [(why: String, engines: [String], ids: Set<String>)] = []
      for s in comparison.skipped {
        let why = skipKind(s.why)
        if let i = groups.firstIndex(where: { $0.why == why }) {
          if !groups[i].engines.contains(s.engine) { groups[i].engines.append(s.engine) }
          groups[i].ids.insert(s.id)
        } else {
          groups.append((why, [s.engine], [s.id]))
        }
      }
      out += "| Why (kind) | Engines | Scenarios |\n|---|---|---:|\n"
      for g in groups { out += "| \(cell(g.why)) | \(g.engines.joined(separator: ", ")) | \(g.ids.count) |\n" }
      out += "\n| Scenario | Engines | Why |\n|---|---|---|\n"
      // One row per scenario and reason, naming the engines that skipped it for that reason.
      var rows: [(id: String, why: String, engines: [String])] = []
      for s in comparison.skipped {
        if let i = rows.firstIndex(where: { $0.id == s.id && $0.why == s.why }) {
          rows[i].engines.append(s.engine)
        } else {
          rows.append((s.id, s.why, [s.engine]))
        }
      }
      for r in rows { out += "| \(cell(r.id)) | \(r.engines.joined(separator: ", ")) | \(cell(r.why)) |\n" }
      out += "\n"
    }
    return out
  }

  /// Console agreement per engine: the steps whose console lines (`messages`: every line the engine's console
  /// showed for the step, in order) are the simulator's word for word, then each step that differs.
  static func consoleSection(_ comparison: Comparison) -> String {
    var out = "## Console messages\n\n"
    out += "Per step played, every line the engine's console showed for it (`messages`), in order, against the "
    out += "simulator's `messages`, word for word. Only run-specific noise is normalised: the harness's URL prefixes "
    out += "and runner page are put back to the scenario's URLs, the harness's own loads (`/__corsim/`, the page's "
    out += "icon) are left out, and Chromium's network entries are shown as DevTools shows them (`GET <url> "
    out += "net::ERR_FAILED`, `GET <url> 404 (Not Found)`; the status DevTools adds after an error when a response "
    out += "had arrived is not in the entry and is left out on both sides). Outcome agreement is the table above.\n\n"
    out += "| Engine | Steps compared | Lines agree | Lines differ | Message agreement |\n|---|---:|---:|---:|---:|\n"
    for t in comparison.tallies {
      out += "| \(t.engine) | \(t.consoleStepsCompared) | \(t.consoleStepsEqual) | "
      out += "\(t.consoleStepsCompared - t.consoleStepsEqual) | \(fixed(t.consolePercent, 1)) % |\n"
    }
    out += "\n"
    if !comparison.consoleDifferences.isEmpty {
      out += "| Scenario | Engine | Step | Browser | Simulator |\n|---|---|---:|---|---|\n"
      for d in comparison.consoleDifferences {
        let lines = { (t: String) in t.isEmpty ? "(none)" : t.split(separator: "\n", omittingEmptySubsequences: false).map { code(String($0)) }.joined(separator: "<br>") }
        out += "| \(cell(d.id)) | \(d.engine) | \(d.step.map(String.init) ?? "–") | \(lines(d.real)) | \(lines(d.simulator)) |\n"
      }
      out += "\n"
    }
    return out
  }

  /// One disagreeing scenario in one engine: per step, each field on both sides (the differing ones in
  /// bold), the simulator's stage and reason, and both console messages.
  static func detail(_ d: Comparison.Disagreement, notes: [ConformanceNotes.Note]) -> String {
    var out = "### \(cell(d.id)) — \(d.engine)\n\n"
    out += "Differs in: " + d.fields.joined(separator: ", ") + ".\n\n"
    for n in notes { out += "**\(cell(n.kind))**: \(n.text)\n\n" }
    guard case .array(let real)? = d.real["steps"], case .array(let sim)? = d.simulator["steps"] else {
      out += "Browser: \(code(Comparison.whyNoSteps(d.real, ok: "ok"))); simulator: \(code(Comparison.whyNoSteps(d.simulator, ok: "ok"))).\n\n"
      return out
    }
    for k in 0..<max(real.count, sim.count) {
      let x = k < real.count ? real[k] : nil, y = k < sim.count ? sim[k] : nil
      if max(real.count, sim.count) > 1 { out += "Step \(k):\n\n" }
      out += "| | Browser | Simulator |\n|---|---|---|\n"
      let nx = x.map(Comparison.normalize), ny = y.map(Comparison.normalize)
      for field in Comparison.fields {
        let a = nx.map { $0.text(field) } ?? "—", b = ny.map { $0.text(field) } ?? "—"
        let name = a == b ? field : "**\(field)**"
        out += "| \(name) | \(code(a)) | \(code(b)) |\n"
      }
      out += "| stage / reason | — | \(code(text(y?["stage"]) + " / " + text(y?["reason"]))) |\n"
      out += "| message | \(code(text(x?["message"]))) | \(code(text(y?["message"]))) |\n\n"
    }
    return out
  }

  /// A skip reason without its particulars (URLs, numbers), to group like reasons.
  static func skipKind(_ why: String) -> String {
    var kind = why
    if let colon = kind.range(of: "]: ") { kind = String(kind[colon.upperBound...]) }  // "steps[0]: …", "server[1]: …"
    if let dash = kind.range(of: " — ") { kind = String(kind[..<dash.lowerBound]) }  // "… — particulars"
    var out = ""
    var inURL = false
    for word in kind.split(separator: " ", omittingEmptySubsequences: false) {
      let isURL = word.contains("://") || word.hasPrefix("[") || word.first?.isNumber == true
      if isURL { if !inURL { out += out.isEmpty ? "…" : " …" }; inURL = true; continue }
      inURL = false
      out += (out.isEmpty ? "" : " ") + word
    }
    return out
  }

  static func text(_ v: JSONValue?) -> String {
    switch v {
    case .string(let s)?: return s
    case nil, .null?: return "null"
    case let other?: return JSONWriter.serialize(other)
    }
  }

  static func percent(_ t: Comparison.Tally) -> String { t.compared == 0 ? "—" : fixed(t.percent, 1) + " %" }

  static func cell(_ s: String) -> String {
    TextLines.split(s.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|")).joined(separator: " ")
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

extension RunMetadata {
  /// This machine in a few words: `Linux 6.1.0-18-amd64 x86_64, 2 cores, 23.4 GiB memory`.
  public static func thisMachine() -> String {
    var info = utsname()
    uname(&info)
    func field<T>(_ value: T) -> String {
      withUnsafeBytes(of: value) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
    }
    let process = ProcessInfo.processInfo
    let memory = Double(process.physicalMemory) / 1_073_741_824
    return "\(field(info.sysname)) \(field(info.release)) \(field(info.machine)), \(process.activeProcessorCount) cores, "
      + "\(MarkdownReport.fixed(memory, 1)) GiB memory"
  }
}
