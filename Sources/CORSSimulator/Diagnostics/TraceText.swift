extension TraceStep {
  /// The rule this step applies: `Fetch §4.10 CORS check (#concept-cors-check)`, another standard's anchor,
  /// or the engine's source for a profile difference (after the standard's citation).
  public var citation: String {
    let base: String
    switch event {
    case .failure(let r): base = Self.cite(r.anchor)
    case .note(let n): base = Self.cite(n.anchor)
    case .checkpoint(let c): base = Self.cite(c.anchor)
    }
    if let quirk { return base + "; " + quirk.rawValue }
    return base
  }

  /// The citation of an anchor: `Fetch §4.10 CORS check (#concept-cors-check)`.
  public static func cite(_ anchor: String) -> String {
    guard anchor.utf8.first == UInt8(ascii: "#") else { return anchor }  // another standard: "mix #should-block-fetch"
    // The anchors of one length are one or two: the length picks them (comparing the anchor with each of the 37
    // in turn cost about 4 % of an explained oracle line; hashing it, about half that).
    let length = anchor.utf8.count
    if length < citationsByLength.count {
      for entry in citationsByLength[length] where entry.anchor == anchor { return entry.citation }
    }
    return "Fetch (\(anchor))"
  }

  /// `citations` by the anchor's length in bytes.
  private static let citationsByLength: [[(anchor: String, citation: String)]] = {
    let longest = citations.map(\.0.utf8.count).max() ?? 0
    var byLength = Array(repeating: [(anchor: String, citation: String)](), count: longest + 1)
    for (anchor, citation) in citations { byLength[anchor.utf8.count].append((anchor, citation)) }
    return byLength
  }()

  /// Each citation written out whole, by its anchor: a literal is made once, at build time, and never counted or
  /// freed (one built for each step of every trace cost an allocation and a copy of its pieces).
  static let citations: KeyValuePairs<String, String> = [
    "#concept-main-fetch": "Fetch §4.1 Main fetch (#concept-main-fetch)",
    "#concept-scheme-fetch": "Fetch §4.3 Scheme fetch (#concept-scheme-fetch)",
    "#concept-http-fetch": "Fetch §4.4 HTTP fetch (#concept-http-fetch)",
    "#concept-http-redirect-fetch": "Fetch §4.5 HTTP-redirect fetch (#concept-http-redirect-fetch)",
    "#concept-http-network-or-cache-fetch": "Fetch §4.6 HTTP-network-or-cache fetch (#concept-http-network-or-cache-fetch)",
    "#concept-http-network-fetch": "Fetch §4.7 HTTP-network fetch (#concept-http-network-fetch)",
    "#cors-preflight-fetch-0": "Fetch §4.8 CORS-preflight fetch (#cors-preflight-fetch-0)",
    "#concept-cache-create-entry": "Fetch §4.9 CORS-preflight cache (#concept-cache-create-entry)",
    "#concept-cache-clear": "Fetch §4.9 CORS-preflight cache (#concept-cache-clear)",
    "#concept-cache-match": "Fetch §4.9 CORS-preflight cache (#concept-cache-match)",
    "#concept-cors-check": "Fetch §4.10 CORS check (#concept-cors-check)",
    "#dom-request": "Fetch §5.4 Request class (#dom-request)",
    "#requestinit": "Fetch §5.4 Request class (#requestinit)",
    "#concept-headers-fill": "Fetch §5.1 Headers class (#concept-headers-fill)",
    "#headers-validate": "Fetch §5.1 Headers class (#headers-validate)",
    "#concept-headers-append": "Fetch §5.1 Headers class (#concept-headers-append)",
    "#concept-headers-remove-privileged-no-cors-request-headers": "Fetch §5.1 Headers class (#concept-headers-remove-privileged-no-cors-request-headers)",
    "#concept-bodyinit-extract": "Fetch §5.2 BodyInit unions (#concept-bodyinit-extract)",
    "#concept-method": "Fetch §2.2.1 Methods (#concept-method)",
    "#forbidden-method": "Fetch §2.2.1 Methods (#forbidden-method)",
    "#concept-method-normalize": "Fetch §2.2.1 Methods (#concept-method-normalize)",
    "#forbidden-request-header": "Fetch §2.2.2 Headers (#forbidden-request-header)",
    "#cors-unsafe-request-header-names": "Fetch §2.2.2 Headers (#cors-unsafe-request-header-names)",
    "#extract-header-list-values": "Fetch §2.2.2 Headers (#extract-header-list-values)",
    "#concept-request-tainted-origin": "Fetch §2.2.5 Requests (#concept-request-tainted-origin)",
    "#concept-filtered-response-basic": "Fetch §2.2.6 Responses (#concept-filtered-response-basic)",
    "#concept-filtered-response-cors": "Fetch §2.2.6 Responses (#concept-filtered-response-cors)",
    "#concept-filtered-response-opaque": "Fetch §2.2.6 Responses (#concept-filtered-response-opaque)",
    "#null-body-status": "Fetch §2.2.6 Responses (#null-body-status)",
    "#concept-response-location-url": "Fetch §2.2.6 Responses (#concept-response-location-url)",
    "#block-bad-port": "Fetch §2.9 Port blocking (#block-bad-port)",
    "#should-response-to-request-be-blocked-due-to-mime-type?": "Fetch §2.10 Blocked due to MIME type (#should-response-to-request-be-blocked-due-to-mime-type?)",
    "#should-response-to-request-be-blocked-due-to-nosniff?": "Fetch §3.6.1 Blocked due to nosniff (#should-response-to-request-be-blocked-due-to-nosniff?)",
    "#append-a-request-origin-header": "Fetch §3.2 `Origin` header (#append-a-request-origin-header)",
    "#http-new-header-syntax": "Fetch §3.3.4 HTTP new-header syntax (#http-new-header-syntax)",
    "#cross-origin-resource-policy-internal-check": "Fetch §3.7 `Cross-Origin-Resource-Policy` header (#cross-origin-resource-policy-internal-check)",
    "#data-url-processor": "Fetch §6 data: URLs (#data-url-processor)",
  ]

  /// The step in words.
  public var text: String {
    switch event {
    case .checkpoint(let c): return checkpointText(c).string
    case .failure(let r): return failureText(r).string
    case .note(let n): return noteText(n).string
    }
  }

  private func checkpointText(_ c: Checkpoint) -> Sentence {
    switch c {
    case .requestConstructed:
      if quirk == .chromiumUploadListeners { return "Upload listeners do not force a preflight for this request." }
      return "The request is built: \(subject) \(detail)."
    case .mainFetch:
      if quirk == .webkitLoopbackMediaOverHTTP {
        return "\(subject) is loopback, which is mixed content here, but an image, audio or video is loaded over http as it is."
      }
      return "Main fetch runs for \(detail) \(subject)."
    case .preflightSent:
      if quirk == .firefoxPreflightInitiatorOrigin { return "The preflight carries Origin: \(detail) (the initiator's origin)." }
      return "Sent the preflight: \(subject) \(detail)."
    case .requestSent: return "Sent \(subject) \(detail)."
    case .responseReceived: return "The server answered \(subject) \(detail) with status \(number)."
    case .corsCheckPassed: return "CORS check passed for origin \(subject)."
    case .preflightPassed:
      if quirk == .firefoxNoImpliedMethod { return "The forced preflight's answer lists no methods, so the request's own method is not implied." }
      return "The preflight allows \(subject)\(detail.isEmpty ? "" : " with headers " + detail)."
    case .responseDelivered:
      return subject == "opaque" || subject == "opaqueredirect"
        ? "The script receives an \(subject) response: status 0, no headers, no body."
        : "The script receives a \(subject) response with status \(number)."
    }
  }

  private func failureText(_ r: FailureReason) -> Sentence {
    switch r {
    case .webidlConversionFailed: return "WebIDL conversion failed for \(subject): a TypeError before anything else."
    case .urlParseFailed: return "'\(subject)' does not parse as a URL against the page's URL."
    case .urlHasCredentials: return "fetch() refuses URLs with a username or password (\(subject))."
    case .windowNotNull: return "init.window must be null."
    case .referrerInvalid: return "The referrer '\(subject)' does not parse as a URL."
    case .modeNavigateForbidden: return "mode 'navigate' cannot be given to fetch()."
    case .onlyIfCachedNeedsSameOrigin: return "cache 'only-if-cached' needs mode 'same-origin'."
    case .methodInvalid: return "'\(subject)' is not a method token."
    case .methodForbidden: return "\(subject) is a forbidden method (CONNECT, TRACE, TRACK)."
    case .noCORSMethodNotSafelisted: return "mode 'no-cors' only allows GET, HEAD and POST, not \(subject)."
    case .headerNameInvalid: return "'\(subject)' is not a valid header name."
    case .headerValueInvalid: return "The value of \(subject) is not a valid header value (NUL, CR or LF, or edge whitespace)."
    case .bodyWithGetOrHead: return "A \(subject) request cannot have a body."
    case .streamBodyInvalid: return "A ReadableStream body cannot be used with keepalive."
    case .streamBodyNeedsDuplex: return "A ReadableStream body needs duplex: 'half'."
    case .streamBodyNeedsCORS: return "A ReadableStream body needs mode 'cors' or 'same-origin', not \(subject)."
    case .streamBodyUnsupported: return "This engine cannot upload a ReadableStream body: fetch() rejects before any request."
    case .streamBodyNeedsHTTP2: return "A ReadableStream body is sent only over HTTP/2 or QUIC; this connection is HTTP/1.1."
    case .xhrSyncRestrictions: return "A synchronous XMLHttpRequest cannot set \(subject)."
    case .badPort: return "Port \(detail.isEmpty ? subject : detail) is one of the blocked ports; the browser will not connect."
    case .mixedContentBlocked: return "The https page \(detail) may not fetch the insecure URL \(subject): blocked as mixed content."
    case .cspBlocked: return "The page's Content-Security-Policy connect-src does not allow this URL."
    case .keepaliveQuotaExceeded: return "keepalive bodies are limited to 64 KiB in flight."
    case .lnaInsecureContext: return "A request into the \(subject) address space from a non-secure page is blocked (Local Network Access)."
    case .lnaPermissionDenied: return "The user denied Local Network Access to the \(subject) address space."
    case .lnaAddressSpaceMismatch: return "targetAddressSpace does not match where the server really is."
    case .requestFailed: return "The connection failed; no response."
    case .disallowedByMode: return "mode 'same-origin' forbids a cross-origin URL."
    case .noCORSRedirectMode: return "mode 'no-cors' requires redirect 'follow'."
    case .unsupportedScheme: return "\(subject): URLs cannot be fetched here (CORS needs http or https)."
    case .aboutNotBlank: return "Only about:blank can be fetched."
    case .blobInvalid: return "The blob: URL has no blob behind it in this page."
    case .dataURLInvalid: return "The data: URL is malformed (no comma, or bad base64)."
    case .missingAllowOrigin: return "Access-Control-Allow-Origin is missing (status \(number))."
    case .multipleAllowOrigin: return "Access-Control-Allow-Origin has several values: '\(detail)'."
    case .invalidAllowOrigin: return "Access-Control-Allow-Origin '\(detail)' is not an origin."
    case .allowOriginMismatch: return "Access-Control-Allow-Origin '\(detail)' is not the request's origin."
    case .wildcardWithCredentials: return "Access-Control-Allow-Origin is '*', which is refused when credentials are included."
    case .missingAllowCredentials: return "Credentials are included, and Access-Control-Allow-Credentials is '\(detail)', not exactly 'true'."
    case .preflightNotOK: return "The preflight's status \(number) is not an ok status (200–299)."
    case .preflightRedirect: return "The preflight was answered with a redirect (\(number)); preflights never follow redirects."
    case .invalidAllowMethods: return "Access-Control-Allow-Methods has '\(subject)', which is not a method token: the whole header is invalid."
    case .invalidAllowHeaders: return "Access-Control-Allow-Headers has '\(subject)', which is not a header name: the whole header is invalid."
    case .methodNotAllowed: return "\(subject) is not in Access-Control-Allow-Methods ('\(detail)'), and it is not GET, HEAD or POST."
    case .headerNotAllowed: return "The request header \(subject) is not in Access-Control-Allow-Headers ('\(detail)')."
    case .authorizationNotCoveredByWildcard: return "Authorization must be listed by name; Access-Control-Allow-Headers: * does not cover it."
    case .redirectModeError: return "redirect 'error' and the response is a redirect."
    case .redirectLocationInvalid: return "The redirect's Location is missing a valid single URL."
    case .redirectBadScheme: return "The redirect points to a \(subject): URL; only http(s) redirects are followed."
    case .tooManyRedirects: return "More than 20 redirects."
    case .redirectWithCredentials: return "The redirect's Location has a username or password."
    case .redirectBodyNotReplayable: return "A streamed body cannot be sent again after a redirect."
    case .corpBlocked: return "Cross-Origin-Resource-Policy blocks this no-cors response."
    case .integrityMismatch: return "The integrity metadata cannot be checked against an opaque response."
    case .integrityPolicyBlocked:
      return "The page's Integrity-Policy blocks \(subject) loads without integrity metadata fetched with CORS."
    case .orbBlocked:
      return "Opaque-response blocking refuses this no-cors response (\(detail)): the element gets a network error."
    case .mimeTypeBlocked: return "A script is never run from a \(subject) response (audio/*, image/*, video/*, text/csv)."
    case .nosniffBlocked:
      return "X-Content-Type-Options: nosniff, and '\(subject)' is not \(detail == "style" ? "text/css" : "a JavaScript MIME type")."
    case .stylesheetNotCSS: return "The stylesheet's Content-Type is \(subject), not text/css: it is not applied."
    case .moduleNotJavaScript:
      return "A module script needs a JavaScript MIME type; '\(subject)' is not one: the script is not run."
    case .elementUndecodable:
      return "The body does not begin like anything \(detail) decodes (Content-Type '\(subject)'): the element fires error."
    case .beaconURLNotHTTP: return "sendBeacon takes http and https URLs only: '\(subject)' throws a TypeError."
    case .workerCrossOrigin:
      return "A worker's script must come from the page's origin: the constructor throws a SecurityError for \(subject)."
    case .scriptStatusNotOK:
      return "The script's response has status \(number), not an ok status (200–299): it is not run."
    case .elementStatusNotOK:
      return "The response has status \(number), not an ok status (200–299): \(subject) fires error."
    case .workerScriptNotJavaScript:
      return "A worker's script needs a JavaScript MIME type; '\(subject)' is not one: the worker fires error."
    case .eventSourceStatusNot200:
      return "The EventSource's response has status \(number), not 200: the connection fails (error event, readyState CLOSED, no reconnection)."
    case .eventSourceNotEventStream:
      return "The EventSource's response is '\(subject.isEmpty ? "untyped" : subject)', not text/event-stream: the connection fails (error event, readyState CLOSED, no reconnection)."
    case .webSocketSchemeInvalid:
      return "A WebSocket URL is ws:, wss:, http: or https:; \(subject) throws a SyntaxError."
    case .webSocketURLHasFragment: return "A WebSocket URL cannot have a fragment: \(subject) throws a SyntaxError."
    case .webSocketProtocolInvalid:
      return "The subprotocol '\(subject)' is repeated or not a token: the constructor throws a SyntaxError."
    case .webSocketInsecureFromSecure:
      return "An https page cannot open \(subject): an insecure WebSocket from a secure page throws a SecurityError."
    case .webSocketStatusNot101:
      return "The server answered the WebSocket handshake with \(number), not 101 Switching Protocols: the connection fails (error, then close 1006). WebSocket has no CORS: no response header would change this."
    case .webSocketUpgradeInvalid:
      return "The 101 response's \(detail) is '\(subject)': a handshake needs Upgrade: websocket and Connection: Upgrade, so the connection fails."
    case .webSocketAcceptInvalid:
      return subject.isEmpty
        ? "The 101 response has no Sec-WebSocket-Accept: the server did not answer the key, so the connection fails."
        : "The 101 response's Sec-WebSocket-Accept '\(subject)' is not the one the key calls for: the connection fails."
    case .webSocketProtocolMismatch:
      return subject.isEmpty
        ? "Subprotocols were asked for and the server chose none (no Sec-WebSocket-Protocol): the connection fails."
        : "The server chose the subprotocol '\(subject)', which was not asked for: the connection fails."
    }
  }

  private func noteText(_ n: TraceNote) -> Sentence {
    switch n {
    case .streamBodyStringified: return "A ReadableStream is not a body this call takes here: it is sent as the string '[object ReadableStream]' (text/plain;charset=UTF-8)."
    case .lnaPermissionPrompt: return "Local Network Access: a \(detail) page reaching the \(subject) address space asks the user for permission (granted here)."
    case .methodNormalized: return "The method '\(subject)' is normalized to \(detail)."
    case .headerForbiddenDropped: return "\(subject) is a forbidden request header: silently dropped."
    case .headerDroppedNoCORS: return "mode 'no-cors' silently drops \(subject): only safelisted Accept, Accept-Language, Content-Language and Content-Type survive."
    case .rangeDroppedNoCORS: return "mode 'no-cors' silently drops Range (a privileged no-CORS header)."
    case .contentTypeFromBody: return "The body sets Content-Type: \(detail)."
    case .xhrHeaderCombined: return "setRequestHeader(\(subject)) again combines the values with ', '."
    case .xhrCharsetRewritten: return "send() encodes the body as UTF-8 and says so: Content-Type '\(subject)' becomes '\(detail)'."
    case .xhrBodyIgnored: return "send() ignores the body of a \(subject) request."
    case .forcedPreflightUploadListeners: return "Upload listeners force a preflight (use-CORS-preflight flag)."
    case .forcedPreflightStreamBody: return "A ReadableStream body forces a preflight (use-CORS-preflight flag)."
    case .referrerResetToClient: return "The referrer \(subject) is not same-origin with the page: reset to the page."
    case .requestOriginOpaque: return "The page's origin is opaque (sandboxed, file: or data:): it sends Origin: null and every URL is cross-origin."
    case .originHeaderNullByReferrerPolicy: return "Referrer policy \(subject) makes the Origin header null."
    case .originHeaderOmitted: return "No Origin header: a \(subject) request that is not CORS."
    case .uirUpgraded: return "upgrade-insecure-requests rewrites \(subject) to \(detail)."
    case .hstsUpgraded: return "HSTS rewrites \(subject) to \(detail)."
    case .taintingBasic:
      if !detail.isEmpty { return "Mode \(detail): response tainting 'basic', no CORS check." }
      return "Same origin (or data:): response tainting 'basic', no CORS."
    case .taintingOpaque: return "mode 'no-cors' across origins: response tainting 'opaque'."
    case .taintingCORS: return "Cross-origin in mode 'cors': response tainting 'cors'."
    case .corsSimpleRequest: return "A simple request: safelisted method and headers, no preflight."
    case .preflightRequiredMethod: return "\(subject) is not GET, HEAD or POST: a preflight is needed."
    case .preflightRequiredHeaders: return "Non-safelisted request headers (\(subject)): a preflight is needed."
    case .preflightForced: return "The use-CORS-preflight flag is set: a preflight is needed."
    case .preflightCacheHit: return "The preflight cache already allows \(detail) \(subject): no preflight is sent."
    case .preflightCacheStored: return "Cached what the preflight allowed for \(number) s."
    case .preflightCacheCleared: return "The fetch failed: \(number) cached preflight entr\(number == 1 ? "y" : "ies") for \(subject) removed."
    case .preflightMaxAgeDefaulted: return "Access-Control-Max-Age (\(subject)) gives no usable value: \(number) s."
    case .preflightMaxAgeCapped: return "Access-Control-Max-Age \(subject) is above this browser's cap: \(detail) s."
    case .preflightNotCached: return "The preflight result is not cached (\(subject.isEmpty ? "max-age" : subject))."
    case .preflightWildcardIgnoredCredentials: return "'*' in \(subject) counts only for requests without credentials."
    case .authorizationWildcardWarning: return "Access-Control-Allow-Headers: * covers Authorization here, as the engine allows (the standard does not)."
    case .credentialsExcluded: return "No cookies or HTTP authentication: credentials mode '\(subject)' with tainting '\(detail)'."
    case .redirectFollowed: return "Redirect \(number) from \(subject) to \(detail)."
    case .redirectManualOpaque: return "redirect 'manual': the script gets an opaque-redirect response."
    case .redirectNoLocation: return "A \(number) without Location is the final response."
    case .httpCacheHit: return "The HTTP cache answers \(subject) with the \(number) stored for it: nothing is sent, and the CORS check reads the stored header lines."
    case .httpCacheStored: return "The HTTP cache stores the response to \(subject) for \(detail) s."
    case .redirectMethodRewritten: return "A \(number) rewrites \(subject) to GET and drops the body."
    case .redirectAuthorizationDropped: return "The redirect crosses origins: Authorization is removed."
    case .redirectOriginTainted: return "The redirect from \(subject) to another origin taints the request: Origin is now null."
    case .redirectNeedsPreflight: return "The redirected request to \(subject) needs its own preflight."
    case .filteredBasic: return "A basic response: every header but Set-Cookie is visible."
    case .filteredCORS: return "A CORS response: only safelisted and exposed headers are visible."
    case .filteredOpaque: return "An opaque response: nothing is visible."
    case .exposeHeadersWildcard: return "Access-Control-Expose-Headers: * exposes every header (no credentials)."
    case .exposeHeadersInvalid: return "Access-Control-Expose-Headers has '\(subject)', not a header name: nothing extra is exposed."
    case .nullBodyStatus: return "No body: \(subject) request or status \(number)."
    case .cookiesStoredDespiteCORSFailure: return "Set-Cookie from \(subject) is stored although the script cannot read the response."
    case .routeNotFound: return "No route answers \(subject) \(detail): 404 with no headers."
    case .mixedContentUpgraded:
      return "The page restricts mixed content and \(subject) is an image, audio or video: upgraded to \(detail)."
    case .elementRequest: return "\(subject) builds its request: mode and credentials \(detail); no preflight, no author headers."
    case .crossOriginInvalidValue: return "crossorigin=\"\(subject)\" is no keyword: an invalid value means Anonymous."
    case .importRequest:
      return "import() fetches \(subject) as a module script: mode and credentials \(detail) (always CORS); a JavaScript MIME type is required."
    case .workerRequest:
      return "new \(subject) (\(detail)) fetches its script with mode same-origin, credentials same-origin: another origin, even by a redirect, is a network error."
    case .preloadRequest:
      return "<link rel=preload as=\(subject)> builds a potential-CORS request: mode and credentials \(detail); its response is kept for a later request with the same URL, destination, mode and credentials mode."
    case .preloadUsed:
      return "The preload of \(subject) (\(detail)) answers this request: no second request; its response, or its network error, is this request's."
    case .preloadNotUsed:
      return "A preload of \(subject) is not used: \(detail). The request goes to the network again (the resource is downloaded twice)."
    case .beaconRequest:
      return subject.isEmpty || detail == "no-cors"
        ? "sendBeacon builds a keepalive POST with credentials: mode no-cors (\(subject.isEmpty ? "no Content-Type" : subject + " is CORS-safelisted")); the page never sees the response."
        : "sendBeacon builds a keepalive POST with credentials: \(subject) is not a CORS-safelisted Content-Type, so mode cors (preflighted); the page never sees the response."
    case .navigationRequest:
      return "navigation: not subject to CORS. \(subject) is fetched with mode navigate and credentials include for the target \(detail); the response becomes the new document, whatever its headers, and no script of the page reads it."
    case .formSubmission:
      return "form submission (\(subject), target \(detail)): a navigation, not subject to CORS — never preflighted, no Access-Control-* header is needed or read; \(subject == "POST" ? "Origin is sent (the method is not GET)" : "no Origin header (GET)"). The server must protect itself (CSRF tokens, SameSite cookies, checking Origin)."
    case .webSocketRequest:
      return "WebSocket: not subject to CORS. The handshake to \(subject) is a GET with mode websocket and credentials include, Origin: \(detail) always; no preflight, no Access-Control-* header is read. The server must check the Origin header itself."
    case .webSocketOpened:
      return "The server answered 101 with Upgrade, Connection and the right Sec-WebSocket-Accept\(detail.isEmpty ? "" : " (subprotocol " + detail + ")"): the WebSocket opens. Any site's page can open it the same way unless the server refuses Origins it does not trust (CORS headers play no part)."
    case .eventSourceRequest:
      return "EventSource (withCredentials \(subject)) builds a potential-CORS request: mode and credentials \(detail), Accept: text/event-stream, cache no-store; no preflight."
    }
  }
}

extension Checkpoint {
  var anchor: String {
    switch self {
    case .requestConstructed: return "#dom-request"
    case .mainFetch: return "#concept-main-fetch"
    case .preflightSent, .preflightPassed: return "#cors-preflight-fetch-0"
    case .requestSent, .responseReceived: return "#concept-http-network-fetch"
    case .corsCheckPassed: return "#concept-cors-check"
    case .responseDelivered: return "#concept-main-fetch"
    }
  }
}
