import CORSScenario
import CORSSimulator
import CORSText
import Foundation

enum ExplainCommand: SessionCommand {
  static let names = ["explain"]
  static let synopsis = "explain MESSAGE"
  static let help = """
    Paste a console error after `explain` (Chromium, Firefox or WebKit wording, URLs and all): corsim names the
    engine and the reason, builds the smallest scenario that prints exactly that message, and makes it the
    session's scenario, with its verdict and fix (`undo` brings the previous one back):
        explain Access to fetch at 'https://api.example/x' from origin 'https://app.example' has been blocked …
    """
  static let section = CommandSection.evidence
  static func run(_ invocation: Invocation, in session: Session) -> SessionOutput? {
    let message = invocation.argument
    guard !message.isEmpty else { return session.failure("usage: explain MESSAGE (paste the console error after `explain`)") }
    guard let found = ConsoleCatalogue.explain(message) else {
      return session.failure("no console message corsim knows matches this one exactly (\(ConsoleCatalogue.entries.count) templates tried, "
        + "for chromium, firefox and webkit); check that it is one whole line as the console printed it")
    }
    let engines = found.engines.map(\.rawValue).joined(separator: " or ")
    var out = session.style.bold("\(engines): \(found.reason.rawValue)") + "\n"
    out += "the smallest scenario that prints exactly this message:\n"
    out += found.scenario.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
    var d = found.document
    d.browser = found.engines[0]
    session.replaceDocument(d, by: "explain")
    return .text(out + session.report())
  }
}

/// The console messages corsim prints, each with the smallest scenario that makes an engine print it. A pasted
/// message is matched against every template (its URLs, origins, methods, header names and values become
/// slots), and the scenario rebuilt from what the slots captured must print exactly the pasted message.
enum ConsoleCatalogue {
  /// A scenario with slots: `{page}`, `{url}`, `{url2}`, `{value}`, `{method}`, `{header}`, `{status}`,
  /// `{mime}`, `{scheme}`; `defaults` overrides a slot's example value for this entry.
  struct Entry {
    var reason: Reason
    var scenario: String
    var defaults: [String: String] = [:]
  }

  /// Example values: each appears in a printed message only where its slot is.
  static let slotDefaults: [(String, String)] = [
    ("url2", "https://other.sentinel.test/next"), ("url", "https://target.sentinel.test/res"),
    ("page", "https://page.sentinel.test"), ("value", "https://value.sentinel.test"), ("method", "XSENTINEL"),
    ("header", "x-sentinel-header"), ("status", "299"), ("mime", "image/sentinel"), ("scheme", "sentinelscheme"),
  ]

  /// What each slot matches in a pasted message.
  static let slotPatterns: [String: String] = [
    "url": ".+?", "url2": ".+?", "page": "\\S+?", "value": ".*?", "method": "[^\\s'\"’”]+?", "header": "[^\\s'\"’”]+?",
    "status": "[0-9]{3}", "mime": ".*?", "scheme": "[A-Za-z][A-Za-z0-9+.-]*",
  ]

  static let preflightRoute = "route OPTIONS {url} 204\n  Access-Control-Allow-Origin: {page}\n  Access-Control-Allow-Methods: PUT\n"

  /// The templates, most specific first.
  static let base: [Entry] = [
    // The CORS check, on the response and on the preflight (Fetch §4.10).
    Entry(reason: .missingAllowOrigin, scenario: "page {page}\nroute GET {url} {status}\n\nfetch {url}"),
    Entry(reason: .missingAllowOrigin, scenario: "page {page}\nroute OPTIONS {url} {status}\n\nfetch PUT {url}"),
    Entry(reason: .allowOriginMismatch, scenario: "page {page}\nroute GET {url} {status}\n  Access-Control-Allow-Origin: {value}\n\nfetch {url}"),
    Entry(reason: .allowOriginMismatch, scenario: "page {page}\nroute OPTIONS {url} {status}\n  Access-Control-Allow-Origin: {value}\n\nfetch PUT {url}"),
    Entry(reason: .invalidAllowOrigin, scenario: "page {page}\nroute GET {url} {status}\n  Access-Control-Allow-Origin: {value}\n\nfetch {url}",
          defaults: ["value": "sentinel-invalid-value"]),
    Entry(reason: .invalidAllowOrigin, scenario: "page {page}\nroute OPTIONS {url} {status}\n  Access-Control-Allow-Origin: {value}\n\nfetch PUT {url}",
          defaults: ["value": "sentinel-invalid-value"]),
    Entry(reason: .multipleAllowOrigin, scenario: "page {page}\nroute GET {url} {status}\n  Access-Control-Allow-Origin: {value}\n\nfetch {url}",
          defaults: ["value": "https://value.sentinel.test, https://value2.sentinel.test"]),
    Entry(reason: .multipleAllowOrigin, scenario: "page {page}\nroute GET {url} {status}\n  Access-Control-Allow-Origin: {page}\n  Access-Control-Allow-Origin: {page}\n\nfetch {url}"),
    Entry(reason: .multipleAllowOrigin, scenario: "page {page}\nroute OPTIONS {url} {status}\n  Access-Control-Allow-Origin: {value}\n\nfetch PUT {url}",
          defaults: ["value": "https://value.sentinel.test, https://value2.sentinel.test"]),
    Entry(reason: .wildcardWithCredentials, scenario: "page {page}\nroute GET {url} {status}\n  Access-Control-Allow-Origin: *\n\nfetch {url} credentials=include"),
    Entry(reason: .wildcardWithCredentials, scenario: "page {page}\nroute OPTIONS {url} {status}\n  Access-Control-Allow-Origin: *\n\nfetch PUT {url} credentials=include"),
    Entry(reason: .missingAllowCredentials, scenario: "page {page}\nroute GET {url} {status}\n  Access-Control-Allow-Origin: {page}\n  Access-Control-Allow-Credentials: {value}\n\nfetch {url} credentials=include",
          defaults: ["value": "sentinel-value"]),
    Entry(reason: .missingAllowCredentials, scenario: "page {page}\nroute GET {url} {status}\n  Access-Control-Allow-Origin: {page}\n\nfetch {url} credentials=include"),
    Entry(reason: .missingAllowCredentials, scenario: "page {page}\nroute OPTIONS {url} {status}\n  Access-Control-Allow-Origin: {page}\n  Access-Control-Allow-Credentials: {value}\n\nfetch PUT {url} credentials=include",
          defaults: ["value": "sentinel-value"]),
    Entry(reason: .missingAllowCredentials, scenario: "page {page}\nroute OPTIONS {url} {status}\n  Access-Control-Allow-Origin: {page}\n\nfetch PUT {url} credentials=include"),
    // The preflight (Fetch §4.8).
    Entry(reason: .preflightNotOK, scenario: "page {page}\nroute OPTIONS {url} {status}\n  Access-Control-Allow-Origin: {page}\n  Access-Control-Allow-Methods: PUT\n\nfetch PUT {url}",
          defaults: ["status": "499"]),
    Entry(reason: .preflightRedirect, scenario: "page {page}\nroute OPTIONS {url} {status}\n  Access-Control-Allow-Origin: {page}\n  Location: {url2}\n\nfetch PUT {url}",
          defaults: ["status": "307"]),
    Entry(reason: .invalidAllowMethods, scenario: "page {page}\nroute OPTIONS {url} 204\n  Access-Control-Allow-Origin: {page}\n  Access-Control-Allow-Methods: {value}\n\nfetch PUT {url}",
          defaults: ["value": "(sentinel)"]),
    Entry(reason: .invalidAllowHeaders, scenario: "page {page}\nroute OPTIONS {url} 204\n  Access-Control-Allow-Origin: {page}\n  Access-Control-Allow-Methods: PUT\n  Access-Control-Allow-Headers: {value}\n\nfetch PUT {url}",
          defaults: ["value": "(sentinel)"]),
    Entry(reason: .methodNotAllowed, scenario: "page {page}\nroute OPTIONS {url} 204\n  Access-Control-Allow-Origin: {page}\n\nfetch {method} {url}"),
    Entry(reason: .headerNotAllowed, scenario: "page {page}\n" + preflightRoute + "\nfetch PUT {url}\n  {header}: 1"),
    Entry(reason: .headerNotAllowed, scenario: "page {page}\nroute OPTIONS {url} 204\n  Access-Control-Allow-Origin: {page}\n\nfetch {url}\n  {header}: 1"),
    Entry(reason: .authorizationNotCoveredByWildcard, scenario: "page {page}\n" + preflightRoute + "  Access-Control-Allow-Headers: *\n\nfetch PUT {url}\n  Authorization: Bearer 1"),
    // Redirects (Fetch §4.4).
    Entry(reason: .redirectWithCredentials, scenario: "page {page}\nroute GET {url} 302\n  Access-Control-Allow-Origin: {page}\n  Location: {url2}\n\nfetch {url}",
          defaults: ["url2": "https://user:secret@other.sentinel.test/next"]),
    Entry(reason: .redirectBadScheme, scenario: "page {page}\nroute GET {url} 302\n  Access-Control-Allow-Origin: {page}\n  Location: {url2}\n\nfetch {url}",
          defaults: ["url2": "ftp://other.sentinel.test/next"]),
    Entry(reason: .redirectModeError, scenario: "page {page}\nroute GET {url} 302\n  Access-Control-Allow-Origin: {page}\n  Location: {url2}\n\nfetch {url} redirect=error"),
    Entry(reason: .tooManyRedirects, scenario: "page {page}\nroute GET {url} 302\n  Access-Control-Allow-Origin: {page}\n  Location: {url}\n\nfetch {url}"),
    // Schemes, modes and the page's policies.
    Entry(reason: .unsupportedScheme, scenario: "page {page}\nfetch {url}", defaults: ["url": "sentinelscheme://target.sentinel.test/res"]),
    Entry(reason: .unsupportedScheme, scenario: "page {page}\nfetch {url}", defaults: ["url": "file:///sentinel/res"]),
    Entry(reason: .unsupportedScheme, scenario: "page {page}\nfetch {url} mode=no-cors", defaults: ["url": "file:///sentinel/res"]),
    Entry(reason: .disallowedByMode, scenario: "page {page}\nroute GET {url}\n\nfetch {url} mode=same-origin"),
    Entry(reason: .noCORSRedirectMode, scenario: "page {page}\nfetch {url} mode=no-cors redirect=manual"),
    Entry(reason: .mixedContentBlocked, scenario: "page {page}\nfetch {url}", defaults: ["url": "http://target.sentinel.test/res"]),
    Entry(reason: .cspBlocked, scenario: "page {page}\ncsp {value}\nfetch {url}", defaults: ["value": "https://csp.sentinel.test"]),
    Entry(reason: .badPort, scenario: "page {page}\nfetch {url}", defaults: ["url": "https://target.sentinel.test:6000/res"]),
    Entry(reason: .lnaInsecureContext, scenario: "page {page}\naddress target.sentinel.test local\nfetch {url}",
          defaults: ["page": "http://page.sentinel.test"]),
    Entry(reason: .lnaPermissionDenied, scenario: "page {page}\naddress target.sentinel.test local\nlna denied\nfetch {url}"),
    Entry(reason: .streamBodyNeedsHTTP2, scenario: "page {page}\nroute OPTIONS {url} 204\n  Access-Control-Allow-Origin: {page}\n  Access-Control-Allow-Methods: POST\n  Access-Control-Allow-Headers: content-type\n\nfetch POST {url} body=x body-type=stream duplex=half"),
    // Element loads: the response's type (HTML, CSS and the nosniff rules).
    Entry(reason: .mimeTypeBlocked, scenario: "page {page}\nroute GET {url}\n  Content-Type: {mime}\n\nload script {url}"),
    Entry(reason: .nosniffBlocked, scenario: "page {page}\nroute GET {url}\n  Content-Type: {mime}\n  X-Content-Type-Options: nosniff\n\nload script {url}",
          defaults: ["mime": "text/sentinel"]),
    Entry(reason: .nosniffBlocked, scenario: "page {page}\nroute GET {url}\n  Content-Type: {mime}\n  X-Content-Type-Options: nosniff\n\nload style {url}",
          defaults: ["mime": "text/sentinel"]),
    Entry(reason: .nosniffBlocked, scenario: "page {page}\nroute GET {url}\n  Content-Type: {mime}\n  X-Content-Type-Options: nosniff\n\nload module {url}",
          defaults: ["mime": "text/sentinel"]),
    Entry(reason: .stylesheetNotCSS, scenario: "page {page}\nroute GET {url}\n  Content-Type: {mime}\n\nload style {url}",
          defaults: ["mime": "text/sentinel"]),
    Entry(reason: .moduleNotJavaScript, scenario: "page {page}\nroute GET {url}\n  Access-Control-Allow-Origin: *\n  Content-Type: {mime}\n\nload module {url}",
          defaults: ["mime": "text/sentinel"]),
    Entry(reason: .orbBlocked, scenario: "page {page}\nroute GET {url}\n  Content-Type: application/json\n  X-Content-Type-Options: nosniff\n\nload image {url}"),
    Entry(reason: .integrityPolicyBlocked, scenario: "page {page}\nintegrity-policy blocked-destinations=(script)\nroute GET {url}\n  Content-Type: text/javascript\n\nload script {url}"),
    // The Request constructor and XMLHttpRequest's own exceptions (nothing is sent).
    Entry(reason: .methodForbidden, scenario: "page {page}\nfetch {method} {url}", defaults: ["method": "TRACK"]),
    Entry(reason: .methodInvalid, scenario: "page {page}\nfetch {method} {url}", defaults: ["method": "SENT@NEL"]),
    Entry(reason: .urlParseFailed, scenario: "page {page}\nfetch {url}", defaults: ["url": "https://[sentinel/res"]),
    Entry(reason: .urlHasCredentials, scenario: "page {page}\nfetch {url}", defaults: ["url": "https://user:secret@target.sentinel.test/res"]),
    Entry(reason: .noCORSMethodNotSafelisted, scenario: "page {page}\nfetch {method} {url} mode=no-cors", defaults: ["method": "SENTINELPUT"]),
    Entry(reason: .headerNameInvalid, scenario: "page {page}\nfetch {url}\n  header {header} 1", defaults: ["header": "x(sentinel)"]),
    Entry(reason: .bodyWithGetOrHead, scenario: "page {page}\nfetch {method} {url} body=x", defaults: ["method": "GET"]),
    Entry(reason: .modeNavigateForbidden, scenario: "page {page}\nfetch {url} mode=navigate"),
    Entry(reason: .onlyIfCachedNeedsSameOrigin, scenario: "page {page}\nfetch {url} cache=only-if-cached"),
    Entry(reason: .webidlConversionFailed, scenario: "page {page}\nfetch {url} credentials={value}", defaults: ["value": "sentinelvalue"]),
    Entry(reason: .webidlConversionFailed, scenario: "page {page}\nfetch {url} mode={value}", defaults: ["value": "sentinelvalue"]),
    Entry(reason: .webidlConversionFailed, scenario: "page {page}\nfetch {url} redirect={value}", defaults: ["value": "sentinelvalue"]),
    Entry(reason: .webidlConversionFailed, scenario: "page {page}\nfetch {url} cache={value}", defaults: ["value": "sentinelvalue"]),
    Entry(reason: .windowNotNull, scenario: "page {page}\nfetch {url} window"),
    Entry(reason: .referrerInvalid, scenario: "page {page}\nfetch {url} referrer={value}", defaults: ["value": "https://[sentinel/"]),
    Entry(reason: .xhrSyncRestrictions, scenario: "page {page}\nxhr {url} sync timeout=5"),
    Entry(reason: .xhrSyncRestrictions, scenario: "page {page}\nxhr {url} sync response-type=json"),
  ]

  /// Every template: the entries, as XMLHttpRequests where they are fetch calls, and as each element's load
  /// where they are a simple GET.
  static let entries: [Entry] = {
    var out = base
    for e in base where e.scenario.contains("\nfetch ") {
      var s = e.scenario.replacingOccurrences(of: "\nfetch ", with: "\nxhr ")
      s = s.replacingOccurrences(of: " credentials=include", with: " with-credentials")
      out.append(Entry(reason: e.reason, scenario: s, defaults: e.defaults))
    }
    for e in base where e.scenario.hasSuffix("\nfetch {url}") || e.scenario.hasSuffix("\nfetch {url} credentials=include") {
      let credentialed = e.scenario.hasSuffix("credentials=include")
      for kind in ElementKind.allCases {
        let attribute = kind.takesCrossOrigin ? (credentialed ? " crossorigin=use-credentials" : " crossorigin") : ""
        if credentialed && !kind.takesCrossOrigin { continue }
        let prefix = e.scenario[..<e.scenario.range(of: "\nfetch {url}", options: .backwards)!.lowerBound]
        out.append(Entry(reason: e.reason, scenario: prefix + "\nload \(kind.rawValue) {url}\(attribute)", defaults: e.defaults))
      }
    }
    return out
  }()

  /// The engines a pasted console message can come from.
  static let engines: [Engine] = [.chromium, .firefox, .webkit]

  /// A template ready to match: its regular expression and the slots it captures, per engine.
  struct Template {
    var entry: Entry
    var engine: Engine
    var pattern: NSRegularExpression
    var slots: [String]
  }

  static let templates: [Template] = {
    var out: [Template] = []
    var seen = Set<String>()
    for entry in entries {
      let values = Dictionary(uniqueKeysWithValues: slotDefaults.map { ($0.0, entry.defaults[$0.0] ?? $0.1) })
      guard let d = try? ScenarioBuilder.parse(fill(entry.scenario, values)) else { continue }
      for engine in engines {
        guard let v = ScenarioRunner.run(d.scenario, profile: .forEngine(engine)).last, v.reason == entry.reason,
              let message = v.consoleMessage, seen.insert("\(engine.rawValue)|\(entry.scenario)|\(message)").inserted,
              let (pattern, slots) = regex(message, values) else { continue }
        out.append(Template(entry: entry, engine: engine, pattern: pattern, slots: slots))
      }
    }
    return out
  }()

  /// The scenario with its slots filled.
  static func fill(_ scenario: String, _ values: [String: String]) -> String {
    var s = scenario
    for (slot, value) in values { s = s.replacingOccurrences(of: "{\(slot)}", with: value) }
    return s
  }

  /// The message as a pattern: each slot's example value (wherever it appears, case aside) becomes a capture.
  static func regex(_ message: String, _ values: [String: String]) -> (NSRegularExpression, [String])? {
    // Longer values first, so that a URL is taken whole before the origin inside it.
    let order = values.sorted { $0.value.count > $1.value.count }
    var marked = message
    var marks: [(String, String)] = []
    for (k, (slot, value)) in order.enumerated() where !value.isEmpty {
      let mark = "\u{E000}\(k)\u{E001}"
      if marked.range(of: value, options: .caseInsensitive) != nil {
        marked = marked.replacingOccurrences(of: value, with: mark, options: .caseInsensitive)
        marks.append((mark, slot))
      }
    }
    var pattern = NSRegularExpression.escapedPattern(for: marked)
    var slots: [String] = []
    for (mark, slot) in marks {
      var first = true
      while let r = pattern.range(of: mark) {
        pattern.replaceSubrange(r, with: first ? "(?<\(slot)>\(slotPatterns[slot] ?? ".+?"))" : "\\k<\(slot)>")
        first = false
      }
      slots.append(slot)
    }
    guard let re = try? NSRegularExpression(pattern: "^" + pattern + "$", options: []) else { return nil }
    return (re, slots)
  }

  /// What `explain` found.
  struct Found {
    var engines: [Engine]
    var reason: Reason
    var scenario: String
    var document: ScenarioDocument
  }

  /// The engine(s), the reason and the smallest scenario that prints exactly `pasted`, or nil.
  static func explain(_ pasted: String) -> Found? {
    var text = pasted.trimmingCharacters(in: .whitespacesAndNewlines)
    // DevTools may prefix the source location (`index.html:12 `) or wrap it in quotes.
    if let first = text.split(separator: " ", maxSplits: 1).first, first.contains(":"),
       first.last.map({ $0.isNumber }) == true, !first.hasPrefix("http") {
      text = String(text.dropFirst(first.count)).trimmingCharacters(in: .whitespaces)
    }
    var found: Found? = nil
    let range = NSRange(text.startIndex..., in: text)
    for t in templates {
      // Once found, only another engine that prints the same words can be added.
      if let f = found, f.engines.contains(t.engine) || t.entry.reason != f.reason { continue }
      guard let match = t.pattern.firstMatch(in: text, options: [], range: range) else { continue }
      var values = Dictionary(uniqueKeysWithValues: slotDefaults.map { ($0.0, t.entry.defaults[$0.0] ?? $0.1) })
      for slot in t.slots {
        let r = match.range(withName: slot)
        if r.location != NSNotFound, let sr = Range(r, in: text) { values[slot] = String(text[sr]) }
      }
      let scenario = fill(t.entry.scenario, values)
      guard let d = try? ScenarioBuilder.parse(scenario),
            let v = ScenarioRunner.run(d.scenario, profile: .forEngine(t.engine)).last,
            v.reason == t.entry.reason, v.consoleMessage == text else { continue }
      if var f = found {
        if !f.engines.contains(t.engine) { f.engines.append(t.engine) }
        found = f
      } else {
        found = Found(engines: [t.engine], reason: t.entry.reason, scenario: scenario, document: d)
      }
    }
    return found
  }
}
