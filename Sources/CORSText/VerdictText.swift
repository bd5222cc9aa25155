import CORSSimulator
import CORSScenario

/// ANSI styling that turns into plain text when colour is off.
public struct TextStyle: Sendable {
  /// Whether escape sequences are written.
  public var color: Bool

  /// Plain text.
  public static let plain = TextStyle(color: false)
  /// Coloured text.
  public static let ansi = TextStyle(color: true)

  /// Creates a style.
  public init(color: Bool) { self.color = color }

  func wrap(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
  /// The text in bold (unchanged without colour).
  public func bold(_ s: String) -> String { wrap(s, "1") }
  /// The text in dim (unchanged without colour).
  public func dim(_ s: String) -> String { wrap(s, "2") }
  /// The text in red (unchanged without colour).
  public func red(_ s: String) -> String { wrap(s, "31") }
  /// The text in green (unchanged without colour).
  public func green(_ s: String) -> String { wrap(s, "32") }
  /// The text in yellow (unchanged without colour).
  public func yellow(_ s: String) -> String { wrap(s, "33") }
  /// The text in cyan (unchanged without colour).
  public func cyan(_ s: String) -> String { wrap(s, "36") }
}

/// How verdicts read for people: the answer first, then the decisive step with its rule, the browser's
/// console message and the fix.
public enum VerdictText {
  /// The headline word: READABLE, BLOCKED, OPAQUE or INVALID.
  public static func headline(_ v: Verdict) -> String {
    // A navigation or a WebSocket is not read by script: what the page sees is the document or the connection.
    if v.api.isNavigation && v.outcome == .readable { return "NAVIGATES" }
    if v.api == .websocket && v.outcome == .readable { return "OPENS" }
    if v.api == .websocket && v.outcome == .networkError { return "FAILS" }
    switch v.outcome {
    case .readable: return "READABLE"
    case .opaque: return "OPAQUE"
    case .networkError: return "BLOCKED"
    case .invalid: return "INVALID"
    }
  }

  /// What kind of problem a failure is, in a few words.
  public static func kind(_ v: Verdict) -> String? {
    guard let reason = v.reason else { return nil }
    if v.outcome == .invalid { return "not a CORS problem: the call throws before any request" }
    if v.api.isNavigation { return "not a CORS problem: a navigation is not subject to CORS" }
    // A scheme that cannot be fetched is no CORS header problem, whatever the mode (README, Reason codes).
    if reason == .unsupportedScheme { return "not a CORS header problem: the URL's scheme cannot be fetched" }
    if v.isCORSProblem { return "CORS, at the \(v.stage?.rawValue ?? "response")" }
    if v.pageURL.scheme == "file" && reason.isCORSCheckFailure { return "not a CORS problem: a file:// page has a null origin" }
    switch reason {
    case .mixedContentBlocked: return "not a CORS problem: mixed content"
    case .badPort: return "not a CORS problem: a blocked port"
    case .unsupportedScheme: return "not a CORS header problem: the URL's scheme cannot be fetched"
    case .cspBlocked: return "not a CORS problem: the page's Content-Security-Policy"
    case .requestFailed: return "not a CORS problem: the server could not be reached"
    case .lnaInsecureContext, .lnaPermissionDenied, .lnaAddressSpaceMismatch: return "Chromium's Local Network Access"
    case .orbBlocked: return "not a CORS header problem: opaque-response blocking"
    case .mimeTypeBlocked, .nosniffBlocked, .stylesheetNotCSS, .moduleNotJavaScript:
      return "not a CORS problem: the response's Content-Type"
    case .integrityPolicyBlocked: return "not a CORS problem: the page's Integrity-Policy"
    case .elementUndecodable: return "not a CORS problem: the body is not what the element decodes"
    case .webSocketStatusNot101, .webSocketUpgradeInvalid, .webSocketAcceptInvalid, .webSocketProtocolMismatch:
      return "not a CORS problem: WebSocket has no CORS; the server refused or botched the handshake"
    default: return "not a CORS problem"
    }
  }

  /// The request in one line: `fetch PUT https://api.example/data`.
  public static func requestLine(_ r: ScriptRequest) -> String {
    if r.api == .element || r.api == .preload { return ScenarioPrinter.requestLine(r) }
    return "\(r.api.rawValue) \(r.method ?? .get) \(r.url)"
  }

  /// The whole verdict, as the REPL and `corsim run` print it. The `fix` line is the first of `fixes` (the
  /// scenario's complete, checked fixes: `Scenario.fixes(forStep:profile:)`), or else the advice the failure
  /// alone calls for (`Verdict.fix`).
  public static func render(_ v: Verdict, request: ScriptRequest, style: TextStyle, index: Int? = nil,
                            fixes: [Fix]? = nil) -> String {
    var lines: [String] = []
    let head = headline(v)
    let mark: String
    switch v.outcome {
    case .readable: mark = style.green("✓ " + head)
    case .opaque: mark = style.yellow("◐ " + head)
    case .networkError, .invalid: mark = style.red("✗ " + head)
    }
    var first = (index.map { style.dim("[\($0)] ") } ?? "") + style.bold(mark)
    switch v.outcome {
    case .readable, .opaque:
      first += "  \(v.responseType?.rawValue ?? "") \(v.status.map(String.init) ?? "")"
    case .networkError, .invalid:
      if let k = kind(v) { first += "  (\(k))" }
    }
    first += style.dim("  \(v.engine.rawValue)")
    lines.append(first)
    lines.append("  " + style.dim("request ") + requestLine(request) + style.dim("  from \(v.pageOrigin)"))
    if let reason = v.reason {
      let decisive = v.trace.last { $0.event == .failure(reason) }
      lines.append("  " + style.dim("reason  ") + style.bold(reason.rawValue) + (decisive.map { " — " + $0.text } ?? ""))
      lines.append("  " + style.dim("rule    ") + (decisive?.citation ?? TraceStep.cite(reason.anchor)))
      // (A message the engine ends with a newline, as Blink's access-denied line, is shown without it.)
      if let message = v.consoleMessage {
        lines.append("  " + style.dim("console ") + (message.hasSuffix("\n") ? String(message.dropLast()) : message))
      }
      if let error = v.scriptError, v.outcome == .networkError, v.element == nil { lines.append("  " + style.dim("script  ") + error) }
      if let fix = fixes.map({ $0.first }) ?? v.fix { lines.append("  " + style.dim("fix     ") + style.cyan(fix.summary)) }
    } else {
      if let event = v.pageEvent { lines.append("  " + style.dim("page    ") + event) }
      if let exposed = v.exposedHeaders, v.pageEvent == nil {
        lines.append("  " + style.dim("exposes ") + (exposed.isEmpty ? "nothing" : exposed.joined(separator: ", ")))
      }
    }
    if let effect = v.elementEffect { lines.append("  " + style.dim("element ") + effect) }
    if !v.requests.isEmpty {
      let sent = v.requests.map { r in
        "\(r.method) \(r.url.href)" + (r.isPreflight ? " (preflight)" : "") + (r.responseStatus.map { " → \($0)" } ?? " → no answer")
      }
      lines.append("  " + style.dim("sent    ") + sent.joined(separator: "; "))
    } else if v.outcome != .invalid {
      lines.append("  " + style.dim("sent    ") + "nothing")
    }
    let notes = v.notes.filter { interestingNotes.contains($0) }
    for note in notes {
      if let step = v.trace.first(where: { $0.event == .note(note) }) {
        lines.append("  " + style.dim("note    ") + style.yellow(step.text))
      }
    }
    for warning in v.consoleWarnings { lines.append("  " + style.dim("warning ") + style.yellow(warning)) }
    return lines.joined(separator: "\n")
  }

  /// Notes worth a line under the verdict (the others are in `trace`).
  static let interestingNotes: Set<TraceNote> = [
    .headerForbiddenDropped, .headerDroppedNoCORS, .rangeDroppedNoCORS, .preflightCacheHit, .redirectOriginTainted,
    .redirectAuthorizationDropped, .redirectMethodRewritten, .preflightMaxAgeCapped, .preflightNotCached,
    .authorizationWildcardWarning, .lnaPermissionPrompt, .preflightWildcardIgnoredCredentials,
    .cookiesStoredDespiteCORSFailure, .exposeHeadersInvalid, .requestOriginOpaque, .xhrBodyIgnored, .routeNotFound,
    .hstsUpgraded, .uirUpgraded, .streamBodyStringified, .xhrCharsetRewritten, .mixedContentUpgraded,
    .crossOriginInvalidValue, .preloadUsed, .preloadNotUsed, .navigationRequest, .formSubmission, .webSocketRequest, .webSocketOpened,
  ]

  /// Every step of the trace with its citation.
  public static func renderTrace(_ v: Verdict, style: TextStyle) -> String {
    v.trace.enumerated().map { (k, step) in
      let code = style.bold(step.event.code)
      return String.padded3(k + 1) + " " + code + "  " + step.text + "\n      " + style.dim(step.citation)
    }.joined(separator: "\n")
  }

  /// The requests on the wire with their headers.
  public static func renderWire(_ v: Verdict, style: TextStyle) -> String {
    if v.requests.isEmpty { return "nothing went on the wire" }
    return v.requests.map { r in
      var s = style.bold("\(r.method) \(r.url.href)") + (r.isPreflight ? style.dim("  (preflight)") : "")
      for h in r.headers { s += "\n  \(h.name): \(h.value)" }
      s += "\n  " + style.dim(r.includesCredentials ? "(cookies and HTTP auth attached)" : "(no credentials)")
      s += "\n  " + style.dim("→ ") + (r.responseStatus.map { "status \($0)" } ?? "connection failed")
      return s
    }.joined(separator: "\n")
  }
}

extension String {
  /// A number right-aligned in three columns.
  static func padded3(_ n: Int) -> String {
    let digits = "\(n)"
    return String(repeating: " ", count: Swift.max(0, 3 - digits.count)) + digits
  }
}
