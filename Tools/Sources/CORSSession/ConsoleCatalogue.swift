import CORSScenario
import CORSSimulator
import Foundation

/// The console messages corsim prints, each with the smallest scenario that makes an engine print it. A pasted
/// message is matched against every template (its URLs, origins, methods, header names and values are slots),
/// and the scenario rebuilt from what the slots captured must print exactly the pasted message.
enum ConsoleCatalogue {
  /// A scenario with slots — `{pageurl}`, `{page}` (its origin), `{url}`, `{url2}`, `{value}`, `{method}`,
  /// `{header}`, `{status}`, `{mime}`, `{digest}`, `{length}` (and `{body}`, that many bytes, from it) — written
  /// `{q:name}` where the value goes between quotes.
  struct Entry {
    var reason: FailureReason
    var scenario: String
    /// Example values of this entry's own.
    var defaults: [String: String] = [:]
    /// What a slot matches in this entry's messages, where the usual pattern is too narrow.
    var patterns: [String: String] = [:]
    /// The request goes to the page's own origin (the page is derived from the URL).
    var sameOrigin = false
    /// Slots the scenario cannot reproduce (a digest of a body the message does not show): the rebuilt scenario
    /// prints the message with its own value there, and every other word the same.
    var free: Set<String> = []
  }

  /// Example values: each appears in a printed message only where its slot is (longest first: a URL is taken
  /// whole before the origin inside it).
  static let slotDefaults: [(String, String)] = [
    ("pageurl", "https://page.sentinel.test/index.html"), ("url2", "https://other.sentinel.test/next"),
    ("url", "https://target.sentinel.test/res"), ("page", "https://page.sentinel.test"),
    ("value", "https://value.sentinel.test"), ("method", "XSENTINEL"), ("header", "x-sentinel-header"),
    ("status", "299"), ("mime", "image/sentinel"),
    // (Only the entries that name them give these an example: a body's digest, a body's length.)
    ("digest", ""), ("length", ""),
  ]

  /// What each slot matches in a pasted message.
  static let slotPatterns: [String: String] = [
    "pageurl": "\\S+?", "url": "\\S+?", "url2": "\\S+?", "page": "\\S+?", "value": ".*?",
    "method": "[^\\s'\"’”]+?", "header": "[^\\s'\"’”]+?", "status": "[0-9]{3}", "mime": ".*?",
    "digest": "[A-Za-z0-9+/=_-]+", "length": "[0-9]+",
  ]

  static func e(_ reason: FailureReason, _ lines: [String], _ defaults: [String: String] = [:], patterns: [String: String] = [:],
                sameOrigin: Bool = false, free: Set<String> = []) -> Entry {
    Entry(reason: reason, scenario: (["page {pageurl}"] + lines).joined(separator: "\n"), defaults: defaults,
          patterns: patterns, sameOrigin: sameOrigin, free: free)
  }

  static let acao = "  Access-Control-Allow-Origin: {page}"
  /// Integrity metadata's value that no body matches.
  static let zeros = String(repeating: "A", count: 43)
  static let sandboxed = "page {pageurl} sandboxed"

  /// The templates, most specific first.
  static let base: [Entry] = {
    var out: [Entry] = []
    // The CORS check (Fetch §4.10) on the response, the preflight, and a redirect: each way it fails.
    let failures: [(FailureReason, [String], [String: String], String)] = [
      (.missingAllowOrigin, [], [:], ""),
      (.allowOriginMismatch, ["  Access-Control-Allow-Origin: {value}"], [:], ""),
      (.invalidAllowOrigin, ["  Access-Control-Allow-Origin: {value}"], ["value": "sentinel-invalid-value"], ""),
      (.multipleAllowOrigin, ["  Access-Control-Allow-Origin: {value}"], ["value": "https://value.sentinel.test, https://value2.sentinel.test"], ""),
      (.multipleAllowOrigin, [acao, acao], [:], ""),
      (.wildcardWithCredentials, ["  Access-Control-Allow-Origin: *"], [:], " credentials=include"),
      (.missingAllowCredentials, [acao, "  Access-Control-Allow-Credentials: {value}"], ["value": "sentinel-value"], " credentials=include"),
      (.missingAllowCredentials, [acao], [:], " credentials=include"),
    ]
    for (reason, headers, defaults, options) in failures {
      out.append(e(reason, ["route GET {url} {status}"] + headers + ["", "fetch {url}" + options], defaults))
      out.append(e(reason, ["route OPTIONS {url} {status}"] + headers + ["", "fetch PUT {url}" + options], defaults))
      // After a redirect: the next URL's response fails, or the redirect's own.
      out.append(e(reason, ["route GET {url} 302", acao, "  Access-Control-Allow-Credentials: true", "  Location: {url2}", "",
                            "route GET {url2} {status}"] + headers + ["", "fetch {url}" + options], defaults))
      // (WebKit prints the redirect's status: any 3xx.)
      out.append(e(reason, ["route GET {url} {status}"] + headers + ["  Location: {url2}", "", "fetch {url}" + options],
                   defaults.merging(["status": "302"]) { a, _ in a }, patterns: ["status": "3[0-9]{2}"]))
    }
    // A page whose origin is opaque (sandboxed, or a file: page): the origin prints as null.
    for (reason, headers, defaults) in [(FailureReason.missingAllowOrigin, [String](), [String: String]()),
                                        (.allowOriginMismatch, ["  Access-Control-Allow-Origin: {value}"], [:]),
                                        (.invalidAllowOrigin, ["  Access-Control-Allow-Origin: {value}"], ["value": "sentinel-invalid-value"])] {
      out.append(Entry(reason: reason, scenario: ([sandboxed, "route GET {url} {status}"] + headers + ["", "fetch {url}"]).joined(separator: "\n"),
                       defaults: defaults))
    }
    // The preflight (Fetch §4.8).
    let allow = [acao, "  Access-Control-Allow-Methods: PUT"]
    out += [
      e(.preflightNotOK, ["route OPTIONS {url} {status}"] + allow + ["", "fetch PUT {url}"], ["status": "499"]),
      e(.preflightRedirect, ["route OPTIONS {url} {status}", acao, "  Location: {url2}", "", "fetch PUT {url}"], ["status": "307"]),
      e(.invalidAllowMethods, ["route OPTIONS {url} 204", acao, "  Access-Control-Allow-Methods: {value}", "", "fetch PUT {url}"], ["value": "(sentinel)"]),
      e(.invalidAllowHeaders, ["route OPTIONS {url} 204"] + allow + ["  Access-Control-Allow-Headers: {value}", "", "fetch PUT {url}"], ["value": "(sentinel)"]),
      e(.methodNotAllowed, ["route OPTIONS {url} 204", acao, "", "fetch {method} {url}"]),
      e(.methodNotAllowed, ["route OPTIONS {url} 204", acao, "  Access-Control-Allow-Methods: {value}", "", "fetch {method} {url}"], ["method": "xsentinel", "value": "XSENTINEL"]),
      e(.headerNotAllowed, ["route OPTIONS {url} 204"] + allow + ["", "fetch PUT {url}", "  {header}: 1"]),
      e(.headerNotAllowed, ["route OPTIONS {url} 204", acao, "", "fetch {url}", "  {header}: 1"]),
      e(.authorizationNotCoveredByWildcard, ["route OPTIONS {url} 204"] + allow + ["  Access-Control-Allow-Headers: *", "", "fetch PUT {url}", "  Authorization: Bearer 1"]),
      e(.requestFailed, ["route OPTIONS {url} fail", "", "fetch PUT {url}"]),
      e(.requestFailed, ["route GET {url} fail", "", "fetch {url}"]),
      e(.requestFailed, ["route GET {url} fail", "", "fetch {url} mode=no-cors"]),
    ]
    // Redirects (Fetch §4.4, §4.5).
    let redirect = ["route GET {url} 302", acao, "  Location: {url2}", ""]
    out += [
      // WebKit prints the target twice, first without its credentials: that copy is a slot of its own.
      e(.redirectWithCredentials, redirect + ["fetch {url}"],
        ["url2": "https://user:secret@other.sentinel.test/next", "value": "https://other.sentinel.test/next"], patterns: ["value": "\\S+?"]),
      e(.redirectBadScheme, redirect + ["fetch {url}"], ["url2": "ftp://other.sentinel.test/next"]),
      e(.redirectModeError, redirect + ["fetch {url} redirect=error"]),
      e(.tooManyRedirects, ["route GET {url} 302", acao, "  Location: {url}", "", "fetch {url}"]),
      e(.disallowedByMode, ["route GET {url} 302", "  Location: {url2}", "", "fetch {url} mode=same-origin"], sameOrigin: true),
    ]
    // Schemes, modes and the page's policies.
    out += [
      e(.unsupportedScheme, ["fetch {url}"], ["url": "ftp://target.sentinel.test/res"]),
      e(.unsupportedScheme, ["fetch {url}"], ["url": "file:///sentinel/res"]),
      e(.unsupportedScheme, ["fetch {url}"], ["url": "about:sentinel"]),
      e(.unsupportedScheme, ["fetch {url}"], ["url": "blob:https://other.sentinel.test/00000000-0000-4000-8000-000000000000"]),
      e(.unsupportedScheme, ["fetch {url} mode=no-cors"], ["url": "ftp://target.sentinel.test/res"]),
      Entry(reason: .unsupportedScheme, scenario: "page file:///sentinel/index.html\nfetch {url}", defaults: ["url": "file:///sentinel/res"]),
      // From an http: page, where a scheme that is not HTTPS is no mixed content.
      e(.unsupportedScheme, ["fetch {url}"], ["url": "ftp://target.sentinel.test/res", "pageurl": "http://page.sentinel.test/index.html"]),
      e(.unsupportedScheme, ["fetch {url} mode=no-cors"], ["url": "ftp://target.sentinel.test/res", "pageurl": "http://page.sentinel.test/index.html"]),
      e(.unsupportedScheme, ["fetch {url} mode=no-cors"], ["url": "about:sentinel"]),
      e(.unsupportedScheme, ["fetch {url} mode=no-cors"], ["url": "file:///sentinel/res"]),
      e(.disallowedByMode, ["route GET {url}", "", "fetch {url} mode=same-origin"]),
      e(.noCORSRedirectMode, ["fetch {url} mode=no-cors redirect=manual"]),
      e(.mixedContentBlocked, ["fetch {url}"], ["url": "http://target.sentinel.test/res"]),
      e(.mixedContentBlocked, ["fetch {url} mode=no-cors"], ["url": "http://target.sentinel.test/res"]),
      e(.mixedContentBlocked, ["fetch {url}"], ["url": "about:sentinel"]),
      e(.mixedContentBlocked, ["fetch {url}"], ["url": "http://127.0.0.1:8080/sentinel"]),
      e(.mixedContentBlocked, ["route GET {url} 302", acao, "  Location: {url2}", "", "fetch {url}"], ["url2": "http://other.sentinel.test/next"]),
      e(.cspBlocked, ["csp {value}", "fetch {url}"], ["value": "https://csp.sentinel.test"]),
      // WebKit names the port on its own as well ("port 6000: https://…:6000/…"): a slot of digits.
      e(.badPort, ["fetch {url}"], ["url": "https://target.sentinel.test:6000/res", "status": "6000"], patterns: ["status": "[0-9]+"]),
      e(.aboutNotBlank, ["fetch {url} mode=no-cors"], ["url": "about:sentinel", "pageurl": "http://page.sentinel.test/index.html"]),
      e(.dataURLInvalid, ["fetch {url}"], ["url": "data:sentinel"]),
      e(.corpBlocked, ["route GET {url}", "  Cross-Origin-Resource-Policy: same-origin", "", "fetch {url} mode=no-cors"]),
      e(.integrityMismatch, ["route GET {url} 200 body=x", "", "fetch {url} mode=no-cors integrity=sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="]),
      e(.integrityMismatch, ["route GET {url} 200 body=x", "  Content-Type: text/javascript", "",
                             "load script {url} integrity=sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="]),
      // A body that fails its integrity metadata. WebKit prints the body's length and the metadata: both come back
      // (a body of that many bytes). (Before the entries below: their messages print these bodies' digests exactly.)
      e(.integrityMismatch, ["route GET {url} 200 body={body}", acao, "", "fetch {url} integrity={q:value}"],
        ["length": "17", "value": "sha256-\(zeros)="]),
      e(.integrityMismatch, ["route GET {url} 200", acao, "", "fetch {url} integrity={q:value}"], ["value": "sha256-\(zeros)="]),
      e(.integrityMismatch, ["route GET {url} 200 body={body}", "  Content-Type: text/javascript", "", "load script {url} integrity={q:value}"],
        ["length": "17", "value": "sha256-\(zeros)="]),
      // Chromium and Firefox print the body's digest, which no scenario can be rebuilt from: the body "x" stands in
      // (its digest, base64, is the slot's example), one entry per algorithm.
      e(.integrityMismatch, ["route GET {url} 200 body=x", acao, "", "fetch {url} integrity=sha256-\(zeros)="],
        ["digest": "LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE="], free: ["digest"]),
      e(.integrityMismatch, ["route GET {url} 200 body=x", acao, "", "fetch {url} integrity=sha384-\(zeros)"],
        ["digest": "11LCxR+6DimqGQVwqdQlPkQHegWNMpf6OlYw1b0BJiL5fCisrtMTtcg7uZDKp9qF"], free: ["digest"]),
      e(.integrityMismatch, ["route GET {url} 200 body=x", acao, "", "fetch {url} integrity=sha512-\(zeros)"],
        ["digest": "pKvURIxJVi2CgRXROh/M6pJ/UrTVRZKX+LQ+QtqJI4vBNibkPcs43bCCSIkn7JBPtCBXRDmD6IWFF51QVRr+Yg=="], free: ["digest"]),
      e(.redirectLocationInvalid, ["route GET {url} 302", acao, "  Location: {value}", "", "fetch {url}"], ["value": "https://[sentinel/next"]),
      // A chain that leaves the page's origin and comes back: the preflight to the page's own origin.
      e(.missingAllowOrigin, ["route GET {url} 302", "  Location: https://mid.sentinel.test/b", "",
                              "route OPTIONS https://mid.sentinel.test/b 204", acao, "  Access-Control-Allow-Headers: X-Custom", "",
                              "route GET https://mid.sentinel.test/b 302", acao, "  Location: {url2}", "",
                              "route OPTIONS {url2} 204", "  Access-Control-Allow-Headers: X-Custom", "",
                              "fetch {url} credentials=omit", "  X-Custom: 1"], sameOrigin: true),
      e(.streamBodyNeedsHTTP2, ["route OPTIONS {url} 204", acao, "  Access-Control-Allow-Methods: POST", "  Access-Control-Allow-Headers: content-type", "",
                                "fetch POST {url} body=x body-type=stream duplex=half"]),
      e(.streamBodyUnsupported, ["fetch POST {url} body=x body-type=stream duplex=half"]),
      e(.keepaliveQuotaExceeded, ["fetch POST {url} keepalive body=" + String(repeating: "a", count: 65_537)]),
    ]
    for space in ["local", "loopback"] {
      out += [
        e(.lnaInsecureContext, ["address {host} \(space)", "fetch {url}"], ["pageurl": "http://page.sentinel.test/index.html"]),
        e(.lnaPermissionDenied, ["address {host} \(space)", "lna denied", "fetch {url}"]),
        e(.lnaPermissionDenied, ["address {host} \(space)", "lna denied", "fetch {url} mode=no-cors"]),
        e(.lnaAddressSpaceMismatch, ["fetch {url} target=\(space)"]),
      ]
    }
    // Element loads: the response's type (Fetch §2.10, §3.6.1; HTML's script and style rules) and ORB.
    for same in [false, true] {
      out += [
        e(.mimeTypeBlocked, ["route GET {url}", "  Content-Type: {mime}", "", "load script {url}"], sameOrigin: same),
        e(.nosniffBlocked, ["route GET {url}", "  Content-Type: {mime}", "  X-Content-Type-Options: nosniff", "", "load script {url}"], ["mime": "text/sentinel"], sameOrigin: same),
        e(.nosniffBlocked, ["route GET {url}", "  Content-Type: {mime}", "  X-Content-Type-Options: nosniff", "", "load style {url}"], ["mime": "text/sentinel"], sameOrigin: same),
        e(.nosniffBlocked, ["route GET {url}", "  Content-Type: {mime}", "  X-Content-Type-Options: nosniff", "", "load module {url}"], ["mime": "text/sentinel"], sameOrigin: same),
        e(.stylesheetNotCSS, ["route GET {url}", "  Content-Type: {mime}", "", "load style {url}"], ["mime": "text/sentinel"], sameOrigin: same),
        e(.moduleNotJavaScript, ["route GET {url}", "  Access-Control-Allow-Origin: *", "  Content-Type: {mime}", "", "load module {url}"], ["mime": "text/sentinel"], sameOrigin: same),
      ]
    }
    // Mixed content of an element: blocked outright (scripts, styles, fonts) or left un-upgraded (an IP host).
    for kind in ElementKind.allCases {
      for url in ["http://target.sentinel.test/res", "http://203.0.113.7/res", "http://127.0.0.1:8080/res"] {
        out.append(e(.mixedContentBlocked, ["load \(kind.rawValue) {url}"], ["url": url]))
      }
    }
    out += [
      e(.orbBlocked, ["route GET {url}", "  Content-Type: application/json", "", "load image {url}"]),
      e(.orbBlocked, ["route GET {url}", "  Content-Type: text/html", "", "load image {url}"]),
      e(.orbBlocked, ["route GET {url}", "  Content-Type: application/pdf", "", "load image {url}"]),
      e(.orbBlocked, ["route GET {url}", "", "load video {url}"]),
      // An image type whose bytes are no image (Firefox: "after sniff: content-type declares image/video/audio").
      e(.orbBlocked, ["route GET {url} body='not an image'", "  Content-Type: image/png", "", "load image {url}"]),
      // Decoding: a font the sanitizer refuses (Chromium's "Failed to decode downloaded font").
      e(.elementUndecodable, ["route GET {url} body='not a font'", "  Content-Type: font/woff2", "", "load font {url}"], sameOrigin: true),
      e(.integrityPolicyBlocked, ["integrity-policy blocked-destinations=(script)", "route GET {url}", "  Content-Type: text/javascript", "", "load script {url}"]),
    ]
    // The Request constructor's and XMLHttpRequest's own exceptions (nothing is sent).
    let anything = ["method": ".+?", "header": ".+?", "value": ".+?"]
    out += [
      e(.methodForbidden, ["fetch {method} {url}"], ["method": "TRACK"]),
      e(.methodInvalid, ["fetch {q:method} {url}"], ["method": "SENT@NEL"], patterns: anything),
      e(.urlParseFailed, ["fetch {url}"], ["url": "https://[sentinel/res"]),
      e(.urlHasCredentials, ["fetch {url}"], ["url": "https://user:secret@target.sentinel.test/res"]),
      e(.noCORSMethodNotSafelisted, ["fetch {method} {url} mode=no-cors"], ["method": "SENTINELPUT"]),
      e(.headerNameInvalid, ["fetch {url}", "  header {q:header} 1"], ["header": "x(sentinel)"], patterns: anything),
      e(.headerValueInvalid, ["fetch {url}", "  header {q:header} \"a\\nb\""], ["header": "X-Sentinel-Header"], patterns: anything),
      e(.webidlConversionFailed, ["fetch {url}", "  header {q:header} 1"], ["header": "X-☃sentinel"], patterns: anything),
      e(.webidlConversionFailed, ["fetch {url}", "  header X-Sentinel {q:value}"], ["value": "☃sentinel"], patterns: anything),
      e(.bodyWithGetOrHead, ["fetch {method} {url} body=x"], ["method": "GET"]),
      e(.modeNavigateForbidden, ["fetch {url} mode=navigate"]),
      e(.onlyIfCachedNeedsSameOrigin, ["fetch {url} cache=only-if-cached"]),
      e(.windowNotNull, ["fetch {url} window"]),
      e(.referrerInvalid, ["fetch {url} referrer={value}"], ["value": "https://[sentinel/"]),
      e(.streamBodyNeedsCORS, ["fetch POST {url} body=x body-type=stream duplex=half mode=no-cors"]),
      e(.streamBodyInvalid, ["fetch POST {url} body=x body-type=stream duplex=half keepalive"]),
      e(.streamBodyNeedsDuplex, ["fetch POST {url} body=x body-type=stream"]),
      e(.xhrSyncRestrictions, ["xhr {url} sync timeout=5"]),
      e(.xhrSyncRestrictions, ["xhr {url} sync response-type=json"]),
    ]
    // EventSource (html #dom-eventsource) and sendBeacon (beacon #sec-sendBeacon-method): what they refuse.
    out += [
      e(.eventSourceNotEventStream, ["route GET {url}", "  Access-Control-Allow-Origin: *", "  Content-Type: {mime}", "", "eventsource {url}"], ["mime": "text/sentinel"]),
      e(.eventSourceStatusNot200, ["route GET {url} 404", "  Access-Control-Allow-Origin: *", "  Content-Type: text/event-stream", "", "eventsource {url}"]),
      e(.urlParseFailed, ["eventsource {url}"], ["url": "https://[sentinel/res"]),
      e(.urlParseFailed, ["beacon {url} body=x"], ["url": "https://[sentinel/res"]),
      e(.beaconURLNotHTTP, ["beacon {url} body=x"], ["url": "ftp://target.sentinel.test/res"]),
      e(.streamBodyInvalid, ["beacon {url} body=x body-type=stream"]),
      e(.keepaliveQuotaExceeded, ["beacon {url} body=" + String(repeating: "a", count: 65_537)]),
    ]
    // Workers (html #fetch-a-classic-worker-script): another origin, a redirect there, a script of another type.
    for api in ["worker", "sharedworker"] {
      out += [
        e(.workerCrossOrigin, ["\(api) {url}"]),
        e(.disallowedByMode, ["\(api) {url}"]),
        e(.workerScriptNotJavaScript, ["route GET {url}", "  Content-Type: {mime}", "", "\(api) {url}"], ["mime": "text/sentinel"], sameOrigin: true),
        e(.workerScriptNotJavaScript, ["route GET {url}", "  Content-Type: {mime}", "", "\(api) {url} type=module"], ["mime": "text/sentinel"], sameOrigin: true),
        e(.scriptStatusNotOK, ["route GET {url} 404", "  Content-Type: text/javascript", "", "\(api) {url}"], sameOrigin: true),
      ]
    }
    // Preload links (html #link-type-preload): the link's own CORS failure (Chromium's "link element resource"), and
    // the fetch() that uses a failed preload (WebKit's Fetch API line alone).
    out += [
      e(.missingAllowOrigin, ["route GET {url} {status}", "", "preload {url} as=fetch crossorigin"]),
      e(.missingAllowOrigin, ["route GET {url} {status}", "", "preload {url} as=fetch crossorigin", "fetch {url}"]),
    ]
    // WebSocket (websockets #concept-websocket-establish): the handshake's refusals and the constructor's exceptions.
    let upgrade = ["  Upgrade: websocket", "  Connection: Upgrade"]
    out += [
      e(.webSocketStatusNot101, ["route GET {url} {status}", "", "websocket {url}"], ["url": "wss://target.sentinel.test/res", "status": "403"]),
      e(.redirectModeError, ["route GET {url} {status}", "  Location: {url2}", "", "websocket {url}"], ["url": "wss://target.sentinel.test/res", "status": "302"]),
      e(.webSocketAcceptInvalid, ["route GET {url} 101"] + upgrade + ["  Sec-WebSocket-Accept: c2VudGluZWw=", "", "websocket {url}"], ["url": "wss://target.sentinel.test/res"]),
      e(.webSocketAcceptInvalid, ["route GET {url} 101"] + upgrade + ["", "websocket {url}"], ["url": "wss://target.sentinel.test/res"]),
      e(.webSocketUpgradeInvalid, ["route GET {url} 101", "  Connection: Upgrade", "  Sec-WebSocket-Accept: \(WebSocketSampleKey.acceptValue)", "", "websocket {url}"], ["url": "wss://target.sentinel.test/res"]),
      e(.webSocketProtocolMismatch, ["route GET {url} 101"] + upgrade + ["  Sec-WebSocket-Accept: \(WebSocketSampleKey.acceptValue)", "", "websocket {url} protocols=chat"], ["url": "wss://target.sentinel.test/res"]),
      e(.webSocketProtocolMismatch, ["route GET {url} 101"] + upgrade + ["  Sec-WebSocket-Accept: \(WebSocketSampleKey.acceptValue)", "  Sec-WebSocket-Protocol: {value}", "", "websocket {url} protocols=chat"], ["url": "wss://target.sentinel.test/res", "value": "sentinelproto"]),
      e(.webSocketInsecureFromSecure, ["websocket {url}"], ["url": "ws://target.sentinel.test/res"]),
      e(.mixedContentBlocked, ["websocket {url}"], ["url": "ws://target.sentinel.test/res"]),
      e(.webSocketSchemeInvalid, ["websocket {url}"], ["url": "ftp://target.sentinel.test/res"]),
      e(.webSocketURLHasFragment, ["websocket {url}#{value}"], ["url": "wss://target.sentinel.test/res", "value": "sentinel"]),
      e(.webSocketProtocolInvalid, ["websocket {url} protocols={value},{value}"], ["url": "wss://target.sentinel.test/res", "value": "sentinel"],
        patterns: ["value": "[!#$%&*+.^_`|~0-9A-Za-z-]+?"]),
    ]
    for member in ["credentials", "mode", "redirect", "cache", "referrer-policy"] {
      out.append(e(.webidlConversionFailed, ["fetch {url} \(member)={value}"], ["value": "sentinelvalue"]))
    }
    return out
  }()

  /// Every template: the entries, as XMLHttpRequests where they are fetch calls, and as each element's load
  /// where they are a simple GET.
  static let entries: [Entry] = {
    var out = base
    for e in base where e.scenario.contains("\nfetch ") {
      var x = e
      x.scenario = e.scenario.replacingOccurrences(of: "\nfetch ", with: "\nxhr ")
        .replacingOccurrences(of: " credentials=include", with: " with-credentials")
      out.append(x)
    }
    // As an EventSource (a GET, credentialed with withCredentials) and as a JSON beacon (preflighted, credentialed).
    for e in base where e.scenario.hasSuffix("\nfetch {url}") || e.scenario.hasSuffix("\nfetch {url} credentials=include") {
      var x = e
      x.scenario = e.scenario.replacingOccurrences(of: "\nfetch {url} credentials=include", with: "\neventsource {url} with-credentials")
        .replacingOccurrences(of: "\nfetch {url}", with: "\neventsource {url}")
      out.append(x)
    }
    for e in base where e.scenario.hasPrefix("page {pageurl}\nroute OPTIONS {url} {status}") && e.scenario.contains("\nfetch PUT {url}") {
      var x = e
      x.scenario = e.scenario.replacingOccurrences(of: " credentials=include", with: "")
        .replacingOccurrences(of: "\nfetch PUT {url}", with: "\nbeacon {url} body=x blob-type=application/json")
      out.append(x)
    }
    for e in base where e.scenario.hasSuffix("\nfetch {url}") || e.scenario.hasSuffix("\nfetch {url} credentials=include") {
      let credentialed = e.scenario.hasSuffix("credentials=include")
      let prefix = e.scenario[..<e.scenario.range(of: "\nfetch {url}", options: .backwards)!.lowerBound]
      for kind in ElementKind.allCases where kind.takesCrossOrigin || !credentialed {
        let attribute = kind.takesCrossOrigin ? (credentialed ? " crossorigin=use-credentials" : " crossorigin") : ""
        var x = e
        x.scenario = prefix + "\nload \(kind.rawValue) {url}\(attribute)"
        out.append(x)
      }
    }
    return out
  }()

  /// The page's host when the message does not name the page (Firefox's and WebKit's often do not).
  static let unnamedPageHost = "your-page.example"

  /// The engines a pasted console message can come from.
  static let engines: [Engine] = [.chromium, .firefox, .webkit]

  /// A template ready to match: its regular expression and the slots it captures, for one engine.
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
      let values = complete(defaults(entry), captured: [], entry)
      guard let d = try? ScenarioBuilder.parse(fill(entry.scenario, values)) else { continue }
      for engine in engines {
        guard let v = ScenarioRunner.run(d.scenario, profile: .forEngine(engine)).last, v.reason == entry.reason,
              let message = v.consoleMessage, seen.insert("\(engine.rawValue)|\(entry.scenario)|\(entry.sameOrigin)|\(message)").inserted,
              let (pattern, slots) = regex(message, values, entry) else { continue }
        out.append(Template(entry: entry, engine: engine, pattern: pattern, slots: slots))
      }
    }
    return out
  }()

  /// The example values of an entry.
  static func defaults(_ entry: Entry) -> [String: String] {
    Dictionary(uniqueKeysWithValues: slotDefaults.map { ($0.0, entry.defaults[$0.0] ?? $0.1) })
  }

  /// Fills what the message did not show from what it did: the page from its URL or origin (or, for a
  /// same-origin entry, the request's origin; else a page of the request's scheme, so that no mixed-content
  /// rule gets in the way), and the host an `address` line names.
  static func complete(_ values: [String: String], captured: Set<String>, _ entry: Entry) -> [String: String] {
    var v = values
    let url = (try? URLRecord(v["url"] ?? "")).flatMap { $0.isHTTPScheme ? $0 : nil }
    if captured.contains("pageurl"), let p = try? URLRecord(v["pageurl"]!) {
      v["page"] = p.origin.serialization
    } else if captured.contains("page"), v["page"] != "null" {
      v["pageurl"] = v["page"]! + "/index.html"
    } else if entry.sameOrigin, let url {
      v["page"] = url.origin.serialization
      v["pageurl"] = v["page"]! + "/index.html"
    } else if captured.contains("url"), let url, entry.defaults["pageurl"] == nil {
      v["page"] = url.scheme + "://" + unnamedPageHost
      v["pageurl"] = v["page"]! + "/index.html"
    } else if let p = try? URLRecord(v["pageurl"]!) {
      v["page"] = p.origin.serialization
    }
    if entry.sameOrigin, !captured.contains("url"), let p = try? URLRecord(v["pageurl"]!) {
      v["url"] = p.origin.serialization + "/res"
    }
    v["host"] = (try? URLRecord(v["url"] ?? ""))?.hostString ?? "target.sentinel.test"
    // A body of the length the message names (WebKit's integrity line), up to a megabyte.
    if let n = Int(v["length"] ?? ""), n > 0, n <= 1 << 20 { v["body"] = String(repeating: "x", count: n) }
    return v
  }

  /// The scenario with its slots filled (`{q:name}` quoted, with the language's escapes).
  static func fill(_ scenario: String, _ values: [String: String]) -> String {
    var s = scenario
    for (slot, value) in values {
      let quoted = "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r") + "\""
      s = s.replacingOccurrences(of: "{q:\(slot)}", with: quoted).replacingOccurrences(of: "{\(slot)}", with: value)
    }
    return s
  }

  /// The message as a pattern: each slot's example value (wherever it appears, case aside) becomes a capture.
  static func regex(_ message: String, _ values: [String: String], _ entry: Entry) -> (NSRegularExpression, [String])? {
    // A pasted message loses its trailing spaces and newline (Blink ends its access-denied line with one).
    var marked = message.trimmingCharacters(in: .whitespacesAndNewlines)
    var marks: [(String, String)] = []
    for (k, (slot, _)) in slotDefaults.enumerated() {
      guard let value = values[slot], !value.isEmpty, marked.range(of: value, options: .caseInsensitive) != nil else { continue }
      let mark = "\u{E000}\(k)\u{E001}"
      marked = marked.replacingOccurrences(of: value, with: mark, options: .caseInsensitive)
      marks.append((mark, slot))
    }
    var pattern = NSRegularExpression.escapedPattern(for: marked)
    for (mark, slot) in marks {
      var first = true
      while let r = pattern.range(of: mark) {
        let p = entry.patterns[slot] ?? slotPatterns[slot] ?? ".+?"
        pattern.replaceSubrange(r, with: first ? "(?<\(slot)>\(p))" : "\\k<\(slot)>")
        first = false
      }
    }
    guard let re = try? NSRegularExpression(pattern: "^" + pattern + "$", options: []) else { return nil }
    return (re, marks.map(\.1))
  }

  /// What `explain` found.
  struct Found {
    /// The engines that print exactly this message.
    var engines: [Engine]
    /// The reasons it is printed for (an engine may word several alike).
    var reasons: [FailureReason]
    /// The first scenario that prints it.
    var scenario: String
    var document: ScenarioDocument
    /// What the scenario prints otherwise than the message: a body's digest it cannot reproduce (nil: nothing).
    var otherwise: String? = nil
  }

  /// The engine(s), the reason(s) and the smallest scenario that prints exactly `pasted`, or nil.
  static func explain(_ pasted: String) -> Found? {
    var text = pasted.trimmingCharacters(in: .whitespacesAndNewlines)
    // DevTools may put the source location first (`index.html:12 `).
    if let first = text.split(separator: " ", maxSplits: 1).first, first.contains(":"),
       first.last?.isNumber == true, !first.hasPrefix("http"), !first.hasPrefix("TypeError") {
      text = String(text.dropFirst(first.count)).trimmingCharacters(in: .whitespaces)
    }
    var found: Found? = nil
    let range = NSRange(text.startIndex..., in: text)
    for t in templates {
      if let f = found, f.engines.contains(t.engine) && f.reasons.contains(t.entry.reason) { continue }
      guard let match = t.pattern.firstMatch(in: text, options: [], range: range) else { continue }
      var values = defaults(t.entry)
      var captured = Set<String>()
      for slot in t.slots {
        let r = match.range(withName: slot)
        if r.location != NSNotFound, let sr = Range(r, in: text) {
          values[slot] = String(text[sr])
          captured.insert(slot)
        }
      }
      values = complete(values, captured: captured, t.entry)
      // A status the message does not show reads better as an ordinary one (200, or 500 for a failed preflight)
      // than as the example value; the example stays as the fallback.
      var candidates = [values]
      if !captured.contains("status") {
        var plain = values
        plain["status"] = t.entry.defaults["status"].map { $0 == "499" ? "500" : $0 } ?? "200"
        candidates.insert(plain, at: 0)
      }
      let rebuilt = candidates.lazy.compactMap { values -> (String, ScenarioDocument, String?)? in
        let scenario = fill(t.entry.scenario, values)
        guard let d = try? ScenarioBuilder.parse(scenario),
              let v = ScenarioRunner.run(d.scenario, profile: .forEngine(t.engine)).last,
              v.reason == t.entry.reason, let printed = v.consoleMessage?.trimmingCharacters(in: .whitespacesAndNewlines) else { return nil }
        if printed == text { return (scenario, d, nil) }
        guard let otherwise = differsOnlyInFreeSlots(printed, text, t) else { return nil }
        return (scenario, d, otherwise)
      }.first
      guard let (scenario, d, otherwise) = rebuilt else { continue }
      if var f = found {
        if !f.engines.contains(t.engine) { f.engines.append(t.engine) }
        if !f.reasons.contains(t.entry.reason) { f.reasons.append(t.entry.reason) }
        found = f
      } else {
        found = Found(engines: [t.engine], reasons: [t.entry.reason], scenario: scenario, document: d, otherwise: otherwise)
      }
    }
    return found
  }

  /// When `printed` is `pasted` but for the template's free slots: what the printed message has there (each slot
  /// and its value); nil when any other word differs.
  static func differsOnlyInFreeSlots(_ printed: String, _ pasted: String, _ t: Template) -> String? {
    guard !t.entry.free.isEmpty else { return nil }
    let p = NSRange(printed.startIndex..., in: printed), q = NSRange(pasted.startIndex..., in: pasted)
    guard let a = t.pattern.firstMatch(in: printed, options: [], range: p),
          let b = t.pattern.firstMatch(in: pasted, options: [], range: q) else { return nil }
    var differences: [String] = []
    for slot in t.slots {
      guard let ra = Range(a.range(withName: slot), in: printed), let rb = Range(b.range(withName: slot), in: pasted)
      else { return nil }
      if printed[ra] == pasted[rb] { continue }
      guard t.entry.free.contains(slot) else { return nil }
      differences.append("\(slot) \(printed[ra])")
    }
    return differences.joined(separator: ", ")
  }
}
