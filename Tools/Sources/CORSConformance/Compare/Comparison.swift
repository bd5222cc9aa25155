import CORSJSON
import CORSScenario
import CORSSimulator

/// Compares real-browser result lines with simulator result lines, field by field, as the oracle contract
/// compares them (Tools/Tests/Fixtures/oracle-contract/README.md): per step the `outcome`, `responseType`, `status`,
/// `exposedHeaders` (as a set of lower-case names) and the requests on the wire (method, URL, and the values
/// of `origin`, `access-control-request-method` and `access-control-request-headers`, the last as a sorted
/// lower-case token list). A simulator line is matched by id and browser; one with browser `spec` (or none)
/// stands for every engine.
///
/// Element loads (a real step with the `element` field) are compared on what script can see: the event
/// (`load` for `readable`, `opaque` or `load`; `error` otherwise), the `responseType` when the page could
/// tell CORS-same-origin from opaque, and the requests; never `status` or `exposedHeaders`.
public struct Comparison: Sendable {
  /// The compared fields, in report order.
  public static let fields = ["outcome", "responseType", "status", "exposedHeaders", "requests"]

  /// Counts for one engine.
  public struct Tally: Sendable, Hashable {
    /// The engine (`browser` of the real lines).
    public var engine: String
    /// Real lines seen.
    public var scenarios = 0
    /// Compared and identical.
    public var agree = 0
    /// Compared and different.
    public var disagree = 0
    /// Real lines without steps (skipped or errors in the browser run).
    public var skipped = 0
    /// Real lines with no simulator line to compare with.
    public var missing = 0
    /// Differences per field (a scenario can count in several).
    public var fields: [String: Int] = [:]
    /// Console messages the browser let the runner read (Chromium, Firefox), step by step, beside the simulator's.
    public var messagesCompared = 0
    /// Of those, the ones word for word the simulator's.
    public var messagesEqual = 0
    /// Steps whose every console line (`messages`) both sides give.
    public var consoleStepsCompared = 0
    /// Of those, the ones whose lines are the simulator's, word for word and in order.
    public var consoleStepsEqual = 0

    /// Steps whose console lines agree, as a percentage of those compared (0 when none was).
    public var consolePercent: Double {
      consoleStepsCompared == 0 ? 0 : Double(consoleStepsEqual) * 100 / Double(consoleStepsCompared)
    }

    /// Scenarios compared.
    public var compared: Int { agree + disagree }

    /// Agreeing scenarios as a percentage of those compared (0 when none was).
    public var percent: Double { compared == 0 ? 0 : Double(agree) * 100 / Double(compared) }
  }

  /// One scenario line that differs in one engine: both lines whole, and the fields that differ.
  public struct Disagreement: Sendable {
    public var id: String
    public var engine: String
    /// The browser's result line.
    public var real: JSONValue
    /// The simulator's result line.
    public var simulator: JSONValue
    /// The differing fields, in report order, without repeats.
    public var fields: [String]
  }

  /// One difference: which scenario, engine, step (nil: the whole line) and field, and both sides.
  public struct Difference: Sendable, Hashable {
    public var id: String
    public var engine: String
    public var step: Int?
    public var field: String
    public var real: String
    public var simulator: String
  }

  /// The tallies, in the order engines first appear in the real lines.
  public var tallies: [Tally]
  /// Every difference, in the order of the real lines.
  public var differences: [Difference]
  /// Real lines that were skipped: id, engine, why.
  public var skipped: [(id: String, engine: String, why: String)]
  /// Every disagreeing line with both sides, in the order of the real lines.
  public var disagreements: [Disagreement]
  /// Console messages that differ, word for word (field `message`): measured, apart from the agreement above.
  public var messageDifferences: [Difference]
  /// Steps whose console lines (field `messages`) differ: both lists, one line each, joined by newlines.
  public var consoleDifferences: [Difference]

  /// Whether everything compared agrees.
  public var allAgree: Bool { differences.isEmpty }

  /// Compares `real` lines with `simulator` lines.
  public init(real: [JSONValue], simulator: [JSONValue]) {
    var index: [String: JSONValue] = [:]
    for s in simulator {
      let key = Comparison.key(s["id"], Comparison.browser(s))
      if index[key] == nil { index[key] = s }
    }
    var tallies: [Tally] = []
    var differences: [Difference] = []
    var skipped: [(id: String, engine: String, why: String)] = []
    var disagreements: [Disagreement] = []
    var messageDifferences: [Difference] = []
    var consoleDifferences: [Difference] = []
    for r in real {
      let engine = Comparison.browser(r, default: "?")
      let i = tallies.firstIndex { $0.engine == engine } ?? tallies.count
      if i == tallies.count { tallies.append(Tally(engine: engine)) }
      tallies[i].scenarios += 1
      let id = Comparison.idText(r["id"])
      guard r["steps"] != nil else {
        tallies[i].skipped += 1
        skipped.append((id, engine, Comparison.whyNoSteps(r)))
        continue
      }
      guard let s = index[Comparison.key(r["id"], engine)] ?? index[Comparison.key(r["id"], "spec")] else {
        tallies[i].missing += 1
        continue
      }
      // The console's words, where the browser exposed them.
      if case .array(let rs)? = r["steps"], case .array(let ss)? = s["steps"] {
        for (k, (x, y)) in zip(rs, ss).enumerated() {
          if let said = Comparison.lines(x["messages"]), let predicted = Comparison.lines(y["messages"]) {
            tallies[i].consoleStepsCompared += 1
            if said == predicted {
              tallies[i].consoleStepsEqual += 1
            } else {
              consoleDifferences.append(Difference(id: id, engine: engine, step: k, field: "messages",
                                                   real: said.joined(separator: "\n"),
                                                   simulator: predicted.joined(separator: "\n")))
            }
          }
          guard case .string(let said)? = x["message"] else { continue }
          tallies[i].messagesCompared += 1
          let predicted: String? = { if case .string(let m)? = y["message"] { return m } else { return nil } }()
          if said == predicted {
            tallies[i].messagesEqual += 1
          } else {
            messageDifferences.append(Difference(id: id, engine: engine, step: k, field: "message", real: said,
                                                 simulator: predicted ?? "(none)"))
          }
        }
      }
      let d = Comparison.diff(r, s)
      if d.isEmpty {
        tallies[i].agree += 1
        continue
      }
      tallies[i].disagree += 1
      var fields: [String] = []
      for (_, field, _, _) in d where !fields.contains(field) { fields.append(field) }
      disagreements.append(Disagreement(id: id, engine: engine, real: r, simulator: s, fields: fields))
      for (step, field, x, y) in d {
        tallies[i].fields[field, default: 0] += 1
        differences.append(Difference(id: id, engine: engine, step: step, field: field, real: x, simulator: y))
      }
    }
    self.tallies = tallies
    self.differences = differences
    self.skipped = skipped
    self.disagreements = disagreements
    self.messageDifferences = messageDifferences
    self.consoleDifferences = consoleDifferences
  }

  /// A `messages` member as strings (nil when absent or not a list of strings).
  static func lines(_ value: JSONValue?) -> [String]? {
    guard case .array(let items)? = value else { return nil }
    var out: [String] = []
    for item in items {
      guard case .string(let s) = item else { return nil }
      out.append(s)
    }
    return out
  }

  /// The engines whose agreement is below `percent` (or that compared nothing).
  public func engines(below percent: Double) -> [Tally] {
    tallies.filter { $0.compared == 0 || $0.percent < percent }
  }

  // MARK: Normalization (compare.py's norm_step and norm_requests)

  /// One step reduced to the compared fields.
  public struct NormalizedStep: Sendable, Hashable {
    public var outcome: JSONValue
    public var responseType: JSONValue
    public var status: JSONValue
    public var exposedHeaders: [String]?
    public var requests: [WireSummary]?

    func text(_ field: String) -> String {
      switch field {
      case "outcome": return JSONWriter.serialize(outcome)
      case "responseType": return JSONWriter.serialize(responseType)
      case "status": return JSONWriter.serialize(status)
      case "exposedHeaders": return exposedHeaders.map { JSONWriter.serialize(.array($0.map { .string($0) })) } ?? "null"
      default:
        guard let requests else { return "null" }
        return requests.isEmpty ? "[]" : requests.map(\.description).joined(separator: "; ")
      }
    }
  }

  /// A request on the wire as compared: method, URL, Origin, ACRM, and ACRH as sorted lower-case tokens.
  public struct WireSummary: Sendable, Hashable, CustomStringConvertible {
    public var method: String?
    public var url: String?
    public var origin: String?
    public var requestMethod: String?
    public var requestHeaders: String?

    /// As a Spec file's `sends` line says it: a header that was not sent is left out, so that a missing `Origin`
    /// and `Origin: null` (a sandboxed page's) read differently.
    public var description: String {
      "\(method ?? "?") \(url ?? "?")" + (origin.map { " origin=\($0)" } ?? "")
        + (requestMethod.map { " acrm=\($0)" } ?? "") + (requestHeaders.map { " acrh=\($0)" } ?? "")
    }
  }

  /// Normalizes a step object.
  public static func normalize(_ step: JSONValue) -> NormalizedStep {
    var exposed: [String]?
    if case .array(let names)? = step["exposedHeaders"] {
      var set: Set<String> = []
      for case .string(let n) in names { set.insert(lower(n)) }
      exposed = set.sorted()
    }
    var requests: [WireSummary]?
    if case .array(let list)? = step["requests"] {
      requests = list.map { q in
        let headers: [JSONValue]
        if case .array(let h)? = q["headers"] { headers = h } else { headers = [] }
        var acrh = value(headers, "access-control-request-headers")
        if let raw = acrh {
          acrh = raw.split(separator: ",").map { lower(String($0).trimmingWhitespace) }.filter { !$0.isEmpty }.sorted()
            .joined(separator: ",")
        }
        return WireSummary(method: string(q["method"]), url: string(q["url"]), origin: value(headers, "origin"),
                           requestMethod: value(headers, "access-control-request-method"), requestHeaders: acrh)
      }
    }
    return NormalizedStep(outcome: step["outcome"] ?? .null, responseType: step["responseType"] ?? .null,
                          status: step["status"] ?? .null, exposedHeaders: exposed, requests: requests)
  }

  /// The differences between two result lines: (step, field, real, simulator); step nil for the whole line.
  public static func diff(_ a: JSONValue, _ b: JSONValue) -> [(Int?, String, String, String)] {
    guard case .array(let sa)? = a["steps"], case .array(let sb)? = b["steps"] else {
      return [(nil, "result", whyNoSteps(a, ok: "ok"), whyNoSteps(b, ok: "ok"))]
    }
    var out: [(Int?, String, String, String)] = []
    if sa.count != sb.count { out.append((nil, "steps", String(sa.count), String(sb.count))) }
    for (k, (x, y)) in zip(sa, sb).enumerated() {
      let nx = normalize(x), ny = normalize(y)
      let element = string(x["element"]) != nil
      // An EventSource's page sees open or error, never the status or the headers.
      let eventSource = string(x["api"]) == "eventsource"
      // A beacon's page sees only what sendBeacon returned; the rest is on the wire.
      let beacon = string(x["api"]) == "beacon"
      // import() and workers: the page sees the promise or the worker's events, never the response.
      // Navigations, forms and WebSockets: the page sees the new document or the socket's events, never a response.
      let scriptLoad = ["import", "worker", "sharedworker", "navigate", "form", "websocket"].contains(string(x["api"]) ?? "")
      for field in fields {
        if scriptLoad {
          if field == "outcome" || field == "requests", nx.text(field) != ny.text(field) {
            out.append((k, field, nx.text(field), ny.text(field)))
          }
          continue
        }
        if beacon {
          if field == "outcome", beaconReturn(real: nx.outcome) != beaconReturn(simulator: y) {
            out.append((k, field, nx.text(field), ny.text(field)))
          }
          if field == "requests", nx.text(field) != ny.text(field) { out.append((k, field, nx.text(field), ny.text(field))) }
          continue
        }
        if element && !elementCompares(field, real: nx) { continue }
        if eventSource && (field == "status" || field == "exposedHeaders") { continue }
        let tx = nx.text(field), ty = ny.text(field)
        let differs = element && field == "outcome" ? elementEvent(nx.outcome) != elementEvent(ny.outcome) : tx != ty
        if differs { out.append((k, field, tx, ty)) }
      }
    }
    return out
  }

  /// What `navigator.sendBeacon` did, from a real beacon step's outcome: `throws`, `false` or `true`.
  static func beaconReturn(real outcome: JSONValue) -> String {
    switch outcome {
    case .string("invalid"): return "throws"
    case .string("refused"): return "false"
    default: return "true"
    }
  }

  /// What `navigator.sendBeacon` did, from a simulator step: it throws for `invalid`, returns false over the
  /// keepalive quota (nothing is sent), and true whatever happens to the request afterwards.
  static func beaconReturn(simulator step: JSONValue) -> String {
    if step["outcome"] == .string("invalid") { return "throws" }
    if step["reason"] == .string(FailureReason.keepaliveQuotaExceeded.rawValue) { return "false" }
    return "true"
  }

  /// Whether a field of an element step (a real step with `element`) is compared. Script sees only the
  /// element's event and whether the resource is CORS-same-origin: `status` and `exposedHeaders` are never
  /// compared, and `responseType` only when the page could tell (not null after a `load`).
  static func elementCompares(_ field: String, real: NormalizedStep) -> Bool {
    switch field {
    case "status", "exposedHeaders": return false
    case "responseType": return !(real.responseType == .null && elementEvent(real.outcome) == "load")
    default: return true
    }
  }

  /// The event an element fires for an outcome: `load` for `readable`, `opaque` and `load`, else `error`.
  /// An element step's outcomes are compared as events; opaque or not is the `responseType`'s business.
  static func elementEvent(_ outcome: JSONValue) -> String {
    switch outcome {
    case .string("readable"), .string("opaque"), .string("load"): return "load"
    default: return "error"
    }
  }

  // MARK: Helpers

  static func value(_ headers: [JSONValue], _ name: String) -> String? {
    var values: [String] = []
    for h in headers {
      if case .array(let pair) = h, pair.count == 2, case .string(let n) = pair[0], case .string(let v) = pair[1],
         lower(n) == name {
        values.append(v)
      }
    }
    return values.isEmpty ? nil : values.joined(separator: ", ")
  }

  static func string(_ v: JSONValue?) -> String? {
    if case .string(let s)? = v { return s }
    return nil
  }

  static func browser(_ line: JSONValue, default fallback: String = "spec") -> String {
    string(line["browser"]) ?? fallback
  }

  static func idText(_ id: JSONValue?) -> String {
    if case .string(let s)? = id { return s }
    return JSONWriter.serialize(id ?? .null)
  }

  static func key(_ id: JSONValue?, _ browser: String) -> String { JSONWriter.serialize(id ?? .null) + "\u{0}" + browser }

  static func whyNoSteps(_ line: JSONValue, ok: String = "no steps") -> String {
    string(line["skipped"]) ?? string(line["error"]) ?? ok
  }

  static func lower(_ s: String) -> String { HeaderName(s).canonicalName }

  /// Reads JSON lines (blank lines skipped); a line that is not JSON is an error naming its number.
  public static func load(_ text: String, name: String) throws -> [JSONValue] {
    var out: [JSONValue] = []
    for (n, line) in TextLines.split(text).enumerated() {
      if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
      do { out.append(try JSONParser.parse(line)) } catch {
        throw ComparisonError("\(name):\(n + 1): not JSON (\(error))")
      }
    }
    return out
  }
}

/// A file the comparison cannot read.
public struct ComparisonError: Error, CustomStringConvertible, Sendable {
  public var description: String
  init(_ description: String) { self.description = description }
}
