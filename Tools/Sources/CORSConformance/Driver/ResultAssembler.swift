import CORSJSON
import CORSScenario
import CORSSimulator
import Foundation

/// Builds result lines in the oracle's result format from what the page reported, what the server logged
/// and what the console said.
///
/// - `outcome`, `responseType`, `status`, `exposedHeaders`: as the page saw them. For XMLHttpRequest, which
///   has no response type, `responseType` is `basic` when every request of the step went to the page's own
///   origin and `cors` otherwise (the response tainting Fetch gives it).
/// - Element loads (`element`: the element's kind, an extension field the comparison keys on): `outcome` is
///   `network-error` for an `error` event; on `load`, `readable` or `opaque` as the page could tell
///   (`responseType` `opaque`, or `basic`/`cors` inferred as for XMLHttpRequest), or `load` with
///   `responseType` null when it could not. `status` and `exposedHeaders` are null: script cannot see them.
/// - EventSource (`api` `eventsource`, which the comparison keys on; `readyState`: the source's `readyState` when it fired `error`, an extension field): `outcome`
///   is `readable` on `open` (`responseType` inferred as for XMLHttpRequest) and `network-error` on `error`;
///   `status` and `exposedHeaders` are null (script sees neither).
/// - Beacons (`api` `beacon`): `outcome` is `sent` when `navigator.sendBeacon` returned true, `refused` for false,
///   `invalid` when it threw; `responseType`, `status` and `exposedHeaders` are null (the page never sees the
///   response). What matters is on the wire: `requests`.
/// - `import()` and workers (`api` `import`, `worker`, `sharedworker`): `outcome` is `readable` when the promise
///   fulfils or the worker runs (no `error` event within 1.5 s), `network-error` on rejection or the worker's
///   `error` event, `invalid` when the constructor throws; `responseType`, `status` and `exposedHeaders` are null.
/// - Navigations, form submissions and WebSockets (`api` `navigate`, `form`, `websocket`): `outcome` is `readable`
///   when the frame loaded the new document or the WebSocket opened, `network-error` when no load came within 3 s
///   or the WebSocket fired error or close first, `invalid` when the constructor threw; `responseType`, `status`
///   and `exposedHeaders` are null (the page reads nothing of the response). What matters is on the wire.
/// - `requests`: the step's requests as the server logged them, in order; `headers` keeps the lines that
///   bear on CORS: `origin`, `access-control-request-method`, `access-control-request-headers`,
///   `content-type`, and the names the step's script set (the complete lines are in the request log).
/// - `stage`, `reason`: null (browsers do not report them).
/// - A beacon's `message` is its console's line when it printed one, whatever sendBeacon returned (the page
///   never learns that its beacon failed).
/// - `message`: for `invalid`, the exception the page caught; for `network-error`, the engine's console
///   line (see `ConsoleAttribution`), with the harness's URL prefixes put back to the scenario's URLs.
public struct ResultAssembler: Sendable {
  /// The plan.
  public var plan: ConformancePlan
  /// The engine the results are for.
  public var engine: Engine
  /// Each scenario's runner page URL as the engine loaded it (to rewrite into the scenario's page URL).
  public var runnerURLs: [Int: String]

  /// Creates an assembler.
  public init(plan: ConformancePlan, engine: Engine, runnerURLs: [Int: String]) {
    self.plan = plan
    self.engine = engine
    self.runnerURLs = runnerURLs
  }

  static let keptHeaders: Set<String> = [
    "origin", "access-control-request-method", "access-control-request-headers", "content-type",
  ]

  /// `{"id", "browser", "skipped": why}`.
  public func skipped(_ position: Int, _ why: String) -> JSONValue {
    .object([("id", plan.scenarios[position].id), ("browser", .string(engine.rawValue)), ("skipped", .string(why))])
  }

  /// The result line of a scenario the page reported on.
  public func result(_ position: Int, report: JSONValue, log: [RequestRecord], console: [StepKey: [String]])
    -> JSONValue {
    let planned = plan.scenarios[position]
    guard case .array(let reported) = report else { return skipped(position, "the page sent no step results") }
    // The page must have played under its own origin: a browser that upgraded an http: page to https (HTTPS
    // Upgrades, HTTPS-First) ran the scenario for another page.
    if let page = planned.page, page.isHTTPScheme, case .string(let seen)? = reported.first?["page"],
       seen != page.origin.serialization {
      return skipped(position, "the browser loaded the page as \(seen), not \(page.origin.serialization)")
    }
    var steps: [JSONValue] = []
    for (k, r) in reported.enumerated() {
      guard case .string(let outcome)? = r["outcome"] else { return skipped(position, "step \(k): no outcome") }
      let element = planned.element(step: k)
      let eventSource = planned.isEventSource(step: k)
      let beacon = planned.isBeacon(step: k)
      // import() and workers: the page sees fulfilled/rejected, runs/error/throws; no response.
      let scriptLoad = planned.scriptLoadAPI(step: k) ?? planned.pageEventAPI(step: k)
      switch outcome {
      case "readable", "opaque", "network-error", "invalid": break
      case "load" where element != nil: break
      case "sent" where beacon, "refused" where beacon: break
      default:
        let why: String
        if case .string(let e)? = r["error"] { why = e } else { why = outcome }
        return skipped(position, "step \(k): \(why)")
      }
      let wire = ResultAssembler.withoutRetries(log.filter { $0.scenario == position && $0.step == k })
      let failed = outcome == "network-error" || outcome == "invalid"
      var responseType = failed || beacon || scriptLoad != nil ? .null : (r["responseType"] ?? .null)
      if outcome == "readable", planned.isXHR(step: k) || element != nil || eventSource {
        responseType = .string(xhrResponseType(planned, wire))
      }
      if element != nil {
        responseType = outcome == "opaque" ? .string("opaque") : outcome == "load" ? .null : responseType
      }
      // Every console line of the step, in order, as the engine's console shows it.
      let said = (console[StepKey(scenario: position, step: k)] ?? []).map(ConsoleAttribution.withoutSource)
      let lines = said.map { line in
        restoreURLs(ConsoleAttribution.devToolsLine(line, method: { url in
          ResultAssembler.method(of: restoreURLs(url, position), in: wire, step: planned, k) }) ?? line, position)
      }.filter { !ConsoleAttribution.isHarnessNoise($0) }
      var message: JSONValue = .null
      if outcome == "invalid", let e = r["error"] {
        // An exception may name the URL (a worker's SecurityError): as the scenario wrote it.
        if case .string(let text) = e { message = .string(restoreURLs(text, position)) } else { message = e }
      } else if outcome == "network-error" || beacon, let m = ConsoleAttribution.failureMessage(said) {
        message = .string(restoreURLs(m, position))
      }
      var members: [(String, JSONValue)] = [
        ("outcome", .string(outcome)),
        ("responseType", responseType),
        ("status", failed || element != nil || eventSource || beacon || scriptLoad != nil ? .null : (r["status"] ?? .null)),
        ("exposedHeaders", failed || element != nil || eventSource || beacon || scriptLoad != nil ? .null : (r["exposedHeaders"] ?? .null)),
        ("stage", .null),
        ("reason", .null),
        ("message", message),
        ("messages", .array(lines.map { .string($0) })),
        ("requests", .array(wire.map { request($0, keep: planned.authorHeaderNames(step: k)) })),
      ]
      if let element { members.append(("element", .string(element.rawValue))) }
      if beacon { members.append(("api", .string("beacon"))) }
      if let scriptLoad { members.append(("api", .string(scriptLoad.rawValue))) }
      if eventSource {
        members.append(("api", .string("eventsource")))
        if let state = r["readyState"] { members.append(("readyState", state)) }
      }
      steps.append(.object(members))
    }
    if steps.count != planned.steps.count {
      return skipped(position, "the page reported \(steps.count) of \(planned.steps.count) steps")
    }
    return .object([("id", planned.id), ("browser", .string(engine.rawValue)), ("steps", .array(steps))])
  }

  /// The method DevTools shows beside a failed load of `url`: that of the step's last request to it other than a
  /// preflight, else the step's own (a load that never reached the server).
  static func method(of url: String, in wire: [RequestRecord], step planned: PlannedScenario, _ k: Int) -> String {
    if let r = wire.last(where: { $0.url == url && $0.method != "OPTIONS" }) { return r.method }
    return planned.method(step: k)
  }

  /// The requests without the repeats of one the server left unanswered: a `networkError` route closes the
  /// connection without a byte, which Firefox takes for a dropped keep-alive connection and retries up to ten
  /// times (Chromium and WebKit once or not at all), where a refused connection or a DNS failure — what the
  /// route stands for — is not retried. The request log keeps every repeat.
  static func withoutRetries(_ records: [RequestRecord]) -> [RequestRecord] {
    var out: [RequestRecord] = []
    for r in records {
      if r.unanswered, let last = out.last, last.unanswered, last.method == r.method, last.url == r.url { continue }
      out.append(r)
    }
    return out
  }

  func request(_ r: RequestRecord, keep authorNames: Set<String>) -> JSONValue {
    var headers: [JSONValue] = []
    for (name, value) in r.headers {
      let lower = HeaderName(name).canonicalName
      if ResultAssembler.keptHeaders.contains(lower) || authorNames.contains(lower) {
        headers.append(.array([.string(lower), .string(value)]))
      }
    }
    return .object([("method", .string(r.method)), ("url", .string(r.url)), ("headers", .array(headers))])
  }

  /// `basic` when the page has a tuple origin and every request stayed on it, else `cors`.
  func xhrResponseType(_ planned: PlannedScenario, _ wire: [RequestRecord]) -> String {
    guard let page = planned.page, !planned.sandboxed, !page.origin.isOpaque else { return "cors" }
    let origin = page.origin
    let sameOrigin = wire.allSatisfy { r in (try? URLRecord(r.url)).map { $0.origin.isSameOrigin(origin) } ?? false }
    return sameOrigin ? "basic" : "cors"
  }

  /// Puts the scenario's own URLs back into an engine message: the prefix out of request URLs, the runner
  /// page's URL replaced by the scenario's page URL.
  func restoreURLs(_ message: String, _ position: Int) -> String {
    var m = message
    if let runner = runnerURLs[position], let page = plan.scenarios[position].page {
      m = m.replacingOccurrences(of: runner, with: page.href)
    }
    m = m.replacingOccurrences(of: PlannedScenario.prefix(position), with: "")
    // The fragment the harness adds to a URL an earlier element step loaded (never sent, not the scenario's).
    while let r = m.range(of: "#corsim-") {
      let end = m[r.upperBound...].firstIndex { !($0.isLetter || $0.isNumber || $0 == "-") } ?? m.endIndex
      m.removeSubrange(r.lowerBound..<end)
    }
    return m
  }
}
