/// Why a fetch failed: the oracle's `reason` codes. Raw values are a public contract — add, never rename.
///
/// The codes follow the engines' checks, docs/reference/engine-differences.md §5.0: one code names a check
/// whether it failed on a preflight, a redirect or the final response; the verdict's ``Stage`` says which. The
/// trace's other steps are ``TraceNote``s and ``Checkpoint``s, never a failure. `README.md` documents every code
/// (a test keeps it so).
public enum FailureReason: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
  // MARK: Request construction (outcome `invalid`) — fetch.bs #dom-request, xhr.bs
  case webidlConversionFailed = "webidl-conversion-failed"
  case urlParseFailed = "url-parse-failed"
  case urlHasCredentials = "url-has-credentials"
  case windowNotNull = "window-not-null"
  case referrerInvalid = "referrer-invalid"
  case modeNavigateForbidden = "mode-navigate-forbidden"
  case onlyIfCachedNeedsSameOrigin = "only-if-cached-needs-same-origin"
  case methodInvalid = "method-invalid"
  case methodForbidden = "method-forbidden"
  case noCORSMethodNotSafelisted = "no-cors-method-not-safelisted"
  case headerNameInvalid = "header-name-invalid"
  case headerValueInvalid = "header-value-invalid"
  case bodyWithGetOrHead = "body-with-get-or-head"
  case streamBodyInvalid = "stream-body-invalid"
  case streamBodyNeedsDuplex = "stream-body-needs-duplex"
  case streamBodyNeedsCORS = "stream-body-needs-cors"
  case streamBodyUnsupported = "stream-body-unsupported"
  case streamBodyNeedsHTTP2 = "stream-body-needs-http2"
  case xhrSyncRestrictions = "xhr-sync-restrictions"
  /// `navigator.sendBeacon` with a URL whose scheme is not http or https (a TypeError).
  case beaconURLNotHTTP = "beacon-url-not-http"
  /// `new Worker` or `new SharedWorker` with an http(s) URL of another origin: the engines' constructors throw a
  /// SecurityError (the standard fails the same-origin fetch instead: `disallowed-by-mode`).
  case workerCrossOrigin = "worker-cross-origin"
  /// `new WebSocket(url)` with a URL whose scheme is not ws, wss, http or https (a SyntaxError).
  case webSocketSchemeInvalid = "websocket-scheme-invalid"
  /// `new WebSocket(url)` with a URL that has a fragment (a SyntaxError).
  case webSocketURLHasFragment = "websocket-url-has-fragment"
  /// `new WebSocket(url, protocols)` with a protocol repeated or not a token (a SyntaxError).
  case webSocketProtocolInvalid = "websocket-protocol-invalid"
  /// `new WebSocket("ws://…")` from a page that restricts mixed content: the engines' constructors throw a
  /// SecurityError (the standard leaves it to the fetch: `mixed-content-blocked`).
  case webSocketInsecureFromSecure = "websocket-insecure-from-secure"

  // MARK: Pre-network policy (network errors that are not CORS)
  case badPort = "bad-port"
  case mixedContentBlocked = "mixed-content-blocked"
  case cspBlocked = "csp-blocked"
  case keepaliveQuotaExceeded = "keepalive-quota-exceeded"
  case lnaInsecureContext = "lna-insecure-context"
  case lnaPermissionDenied = "lna-permission-denied"
  case lnaAddressSpaceMismatch = "lna-address-space-mismatch"
  case requestFailed = "request-failed"
  /// The page's Integrity-Policy blocks a script (or style) without integrity metadata, or fetched without CORS.
  case integrityPolicyBlocked = "integrity-policy-blocked"

  // MARK: Branch selection and scheme fetch
  case disallowedByMode = "disallowed-by-mode"
  case noCORSRedirectMode = "no-cors-redirect-mode"
  case unsupportedScheme = "unsupported-scheme"
  case aboutNotBlank = "about-not-blank"
  case blobInvalid = "blob-invalid"
  case dataURLInvalid = "data-url-invalid"

  // MARK: The CORS check (preflight, redirect or response) — fetch.bs #concept-cors-check
  case missingAllowOrigin = "missing-allow-origin"
  case multipleAllowOrigin = "multiple-allow-origin"
  case invalidAllowOrigin = "invalid-allow-origin"
  case allowOriginMismatch = "allow-origin-mismatch"
  case wildcardWithCredentials = "wildcard-with-credentials"
  case missingAllowCredentials = "missing-allow-credentials"

  // MARK: Preflight — fetch.bs #cors-preflight-fetch-0
  case preflightNotOK = "preflight-not-ok"
  case preflightRedirect = "preflight-redirect"
  case invalidAllowMethods = "invalid-allow-methods"
  case invalidAllowHeaders = "invalid-allow-headers"
  case methodNotAllowed = "method-not-allowed"
  case headerNotAllowed = "header-not-allowed"
  case authorizationNotCoveredByWildcard = "authorization-not-covered-by-wildcard"

  // MARK: Redirects — fetch.bs #concept-http-redirect-fetch
  case redirectModeError = "redirect-mode-error"
  case redirectLocationInvalid = "redirect-location-invalid"
  case redirectBadScheme = "redirect-bad-scheme"
  case tooManyRedirects = "too-many-redirects"
  case redirectWithCredentials = "redirect-with-credentials"
  case redirectBodyNotReplayable = "redirect-body-not-replayable"

  // MARK: Response gates
  case corpBlocked = "corp-blocked"
  case integrityMismatch = "integrity-mismatch"
  /// Opaque-response blocking: a no-cors response an element may not receive (HTML, JSON, XML…).
  case orbBlocked = "orb-blocked"
  /// A script-like destination received `audio/*`, `image/*`, `video/*` or `text/csv`.
  case mimeTypeBlocked = "mime-type-blocked"
  /// `X-Content-Type-Options: nosniff` and a script without a JavaScript MIME type, or a style without `text/css`.
  case nosniffBlocked = "nosniff-blocked"
  /// HTML: a stylesheet whose Content-Type is not `text/css` is not applied (error event).
  case stylesheetNotCSS = "stylesheet-not-css"
  /// HTML: a module script whose Content-Type is not a JavaScript MIME type is not run (error event).
  case moduleNotJavaScript = "module-not-javascript"
  /// A worker's top-level script whose `Content-Type` is not a JavaScript MIME type: the worker fires `error`.
  case workerScriptNotJavaScript = "worker-script-not-javascript"
  /// A script fetched by `import()` or for a worker whose response's status is not an ok status (200–299): it is
  /// not run (the promise rejects, the worker fires `error`).
  case scriptStatusNotOK = "script-status-not-ok"
  /// An element's subresource (`<script>`, `<link rel=stylesheet>`, `<img>`, `<audio>`/`<video>`, a font) whose
  /// response's status is not an ok status (200–299): the element fires `error` whatever the body holds
  /// (observed in every engine, conformance run of 2026-12-06: Spec/element-loads/*-status-*).
  case elementStatusNotOK = "element-status-not-ok"
  /// HTML: an image, media or font element whose body does not begin like a resource of its kind cannot decode
  /// it (error event), whatever the fetch decided.
  case elementUndecodable = "element-undecodable"
  /// HTML: an EventSource whose response's status is not 200 fails the connection (error event, CLOSED).
  case eventSourceStatusNot200 = "eventsource-status-not-200"
  /// HTML: an EventSource whose response's Content-Type is not `text/event-stream` fails the connection.
  case eventSourceNotEventStream = "eventsource-not-event-stream"
  /// The WebSocket handshake's response is not 101 Switching Protocols: the connection fails (error, close).
  case webSocketStatusNot101 = "websocket-status-not-101"
  /// A 101 response whose `Upgrade` is not `websocket` or whose `Connection` lacks `Upgrade`: the connection fails.
  case webSocketUpgradeInvalid = "websocket-upgrade-invalid"
  /// A 101 response without the `Sec-WebSocket-Accept` the key calls for: the connection fails.
  case webSocketAcceptInvalid = "websocket-accept-invalid"
  /// Subprotocols asked for and none chosen, or one chosen that was not asked for: the connection fails.
  case webSocketProtocolMismatch = "websocket-protocol-mismatch"

  public var description: String { rawValue }

  /// True when the failure is the CORS protocol refusing to share; false for failures that are not CORS at
  /// all (an invalid request, mixed content, a bad port, a blocked scheme, a network failure…).
  public var isCORS: Bool {
    switch self {
    case .disallowedByMode, .noCORSRedirectMode, .unsupportedScheme, .missingAllowOrigin, .multipleAllowOrigin,
      .invalidAllowOrigin, .allowOriginMismatch, .wildcardWithCredentials, .missingAllowCredentials, .preflightNotOK,
      .preflightRedirect, .invalidAllowMethods, .invalidAllowHeaders, .methodNotAllowed, .headerNotAllowed,
      .authorizationNotCoveredByWildcard, .redirectBadScheme, .redirectWithCredentials:
      return true
    case .webidlConversionFailed, .urlParseFailed, .urlHasCredentials, .windowNotNull, .referrerInvalid,
      .modeNavigateForbidden, .onlyIfCachedNeedsSameOrigin, .methodInvalid, .methodForbidden,
      .noCORSMethodNotSafelisted, .headerNameInvalid, .headerValueInvalid, .bodyWithGetOrHead, .streamBodyInvalid,
      .streamBodyNeedsDuplex, .streamBodyNeedsCORS, .streamBodyUnsupported, .streamBodyNeedsHTTP2,
      .xhrSyncRestrictions, .beaconURLNotHTTP, .workerCrossOrigin, .webSocketSchemeInvalid,
      .webSocketURLHasFragment, .webSocketProtocolInvalid, .webSocketInsecureFromSecure, .badPort, .mixedContentBlocked, .cspBlocked, .keepaliveQuotaExceeded, .lnaInsecureContext,
      .lnaPermissionDenied, .lnaAddressSpaceMismatch, .requestFailed, .integrityPolicyBlocked, .aboutNotBlank,
      .blobInvalid, .dataURLInvalid, .redirectModeError, .redirectLocationInvalid, .tooManyRedirects,
      .redirectBodyNotReplayable, .corpBlocked, .integrityMismatch, .orbBlocked, .mimeTypeBlocked, .nosniffBlocked,
      .stylesheetNotCSS, .moduleNotJavaScript, .workerScriptNotJavaScript, .scriptStatusNotOK, .elementStatusNotOK, .elementUndecodable,
      .eventSourceStatusNot200, .eventSourceNotEventStream, .webSocketStatusNot101, .webSocketUpgradeInvalid,
      .webSocketAcceptInvalid, .webSocketProtocolMismatch:
      return false
    }
  }

  /// The part of the model a failure belongs to. Every code has one (an exhaustive switch: a new code must be
  /// placed), and `isCORSCheckFailure`, `isInvalidRequest` and `stages` follow from it.
  public enum Family: String, Sendable, Hashable, CaseIterable, Codable {
    /// The API threw while building the request: outcome `invalid`. Fetch §5.4 Request class (#dom-request),
    /// XMLHttpRequest #the-open()-method, #the-setrequestheader()-method
    case invalidRequest = "invalid-request"
    /// Refused before the network by a policy or an engine's limit (a blocked port, mixed content, CSP, Local
    /// Network Access, the keepalive quota, a stream upload, Integrity-Policy), or the connection failed.
    case blocked
    /// Main fetch's branch on the mode and the URL's scheme, and scheme fetch. Fetch §4.1 (#concept-main-fetch)
    case scheme
    /// The CORS check, on a preflight, a redirect or the final response. Fetch §4.10 (#concept-cors-check)
    case corsCheck = "cors-check"
    /// The rest of the CORS-preflight fetch. Fetch §4.8 (#cors-preflight-fetch-0)
    case preflight
    /// HTTP-redirect fetch and the redirect mode. Fetch §4.5 (#concept-http-redirect-fetch)
    case redirect
    /// The checks on the response: CORP, integrity, ORB, MIME type and nosniff, and what the element accepts.
    case response
  }

  /// The part of the model this failure belongs to.
  public var family: Family {
    switch self {
    case .webidlConversionFailed, .urlParseFailed, .urlHasCredentials, .windowNotNull, .referrerInvalid,
      .modeNavigateForbidden, .onlyIfCachedNeedsSameOrigin, .methodInvalid, .methodForbidden,
      .noCORSMethodNotSafelisted, .headerNameInvalid, .headerValueInvalid, .bodyWithGetOrHead, .streamBodyInvalid,
      .streamBodyNeedsDuplex, .streamBodyNeedsCORS, .xhrSyncRestrictions, .beaconURLNotHTTP, .workerCrossOrigin,
      .webSocketSchemeInvalid, .webSocketURLHasFragment, .webSocketProtocolInvalid, .webSocketInsecureFromSecure:
      return .invalidRequest
    case .streamBodyUnsupported, .streamBodyNeedsHTTP2, .badPort, .mixedContentBlocked, .cspBlocked,
      .keepaliveQuotaExceeded, .lnaInsecureContext, .lnaPermissionDenied, .lnaAddressSpaceMismatch, .requestFailed,
      .integrityPolicyBlocked:
      return .blocked
    case .disallowedByMode, .noCORSRedirectMode, .unsupportedScheme, .aboutNotBlank, .blobInvalid, .dataURLInvalid:
      return .scheme
    case .missingAllowOrigin, .multipleAllowOrigin, .invalidAllowOrigin, .allowOriginMismatch,
      .wildcardWithCredentials, .missingAllowCredentials:
      return .corsCheck
    case .preflightNotOK, .preflightRedirect, .invalidAllowMethods, .invalidAllowHeaders, .methodNotAllowed,
      .headerNotAllowed, .authorizationNotCoveredByWildcard:
      return .preflight
    case .redirectModeError, .redirectLocationInvalid, .redirectBadScheme, .tooManyRedirects, .redirectWithCredentials,
      .redirectBodyNotReplayable:
      return .redirect
    case .corpBlocked, .integrityMismatch, .orbBlocked, .mimeTypeBlocked, .nosniffBlocked, .stylesheetNotCSS,
      .moduleNotJavaScript, .workerScriptNotJavaScript, .scriptStatusNotOK, .elementStatusNotOK, .elementUndecodable,
      .eventSourceStatusNot200, .eventSourceNotEventStream, .webSocketStatusNot101, .webSocketUpgradeInvalid,
      .webSocketAcceptInvalid, .webSocketProtocolMismatch:
      return .response
    }
  }

  /// True for the six outcomes of the CORS check itself. Fetch §4.10 CORS check (#concept-cors-check)
  public var isCORSCheckFailure: Bool { family == .corsCheck }

  /// True for the exceptions the API throws while building the request, before any fetch: the verdict's
  /// outcome is ``Outcome/invalid``.
  public var isInvalidRequest: Bool { family == .invalidRequest }

  /// The stages at which this failure can decide a verdict (the README's `stage` column).
  public var stages: [Stage] {
    switch family {
    case .invalidRequest: return [.request]
    // Main fetch step 7 (mix #should-block-fetch) has a stage of its own; a failed connection is found by the
    // network fetch of the preflight or of the request (after main fetch's branch).
    case .blocked:
      if self == .mixedContentBlocked { return [.mixedContent] }
      return self == .requestFailed ? [.scheme, .preflight] : [.request]
    case .scheme: return [.scheme]
    case .corsCheck: return [.preflight, .redirect, .response]
    case .preflight: return [.preflight]
    case .redirect: return [.redirect]
    case .response: return [.response]
    }
  }

  /// Where in the standard (or the engine) the rule lives.
  public var anchor: String {
    switch self {
    // WebIDL converts the RequestInit dictionary (its enums, its headers as ByteStrings) before the constructor runs.
    case .webidlConversionFailed: return "#requestinit"
    case .urlParseFailed, .urlHasCredentials, .windowNotNull, .referrerInvalid, .modeNavigateForbidden,
      .onlyIfCachedNeedsSameOrigin, .noCORSMethodNotSafelisted, .bodyWithGetOrHead, .streamBodyNeedsDuplex,
      .streamBodyNeedsCORS:
      return "#dom-request"
    case .methodInvalid: return "#concept-method"
    case .methodForbidden: return "#forbidden-method"
    case .headerNameInvalid, .headerValueInvalid: return "#headers-validate"
    case .streamBodyInvalid: return "#concept-bodyinit-extract"
    case .streamBodyUnsupported, .streamBodyNeedsHTTP2: return "#dom-request (engine support)"
    case .xhrSyncRestrictions: return "xhr.bs #the-open()-method"
    case .beaconURLNotHTTP: return "beacon #sec-sendBeacon-method"
    case .workerCrossOrigin: return "html: workers.html#dom-worker (engines)"
    case .badPort: return "#block-bad-port"
    case .mixedContentBlocked: return "mix #should-block-fetch"
    case .cspBlocked: return "CSP #should-block-request"
    case .keepaliveQuotaExceeded: return "#concept-http-network-or-cache-fetch"
    case .lnaInsecureContext, .lnaPermissionDenied, .lnaAddressSpaceMismatch: return "lna #integration-with-fetch"
    case .requestFailed: return "#concept-http-network-fetch"
    case .disallowedByMode, .noCORSRedirectMode, .unsupportedScheme: return "#concept-main-fetch"
    case .aboutNotBlank, .blobInvalid: return "#concept-scheme-fetch"
    case .dataURLInvalid: return "#data-url-processor"
    case .missingAllowOrigin, .multipleAllowOrigin, .invalidAllowOrigin, .allowOriginMismatch,
      .wildcardWithCredentials, .missingAllowCredentials:
      return "#concept-cors-check"
    case .preflightNotOK, .preflightRedirect, .methodNotAllowed, .headerNotAllowed,
      .authorizationNotCoveredByWildcard:
      return "#cors-preflight-fetch-0"
    case .invalidAllowMethods, .invalidAllowHeaders: return "#extract-header-list-values"
    case .redirectModeError: return "#concept-http-fetch"
    case .redirectLocationInvalid, .redirectBadScheme, .tooManyRedirects, .redirectWithCredentials,
      .redirectBodyNotReplayable:
      return "#concept-http-redirect-fetch"
    case .corpBlocked: return "#cross-origin-resource-policy-internal-check"
    case .integrityMismatch: return "#concept-main-fetch"
    case .integrityPolicyBlocked: return "SRI #should-request-be-blocked-by-integrity-policy-section"
    case .orbBlocked: return "ORB #orb-algorithm (annevk/orb; whatwg/fetch#1442, not in fetch.bs)"
    case .mimeTypeBlocked: return "#should-response-to-request-be-blocked-due-to-mime-type?"
    case .nosniffBlocked: return "#should-response-to-request-be-blocked-due-to-nosniff?"
    case .stylesheetNotCSS: return "html: links.html#link-type-stylesheet"
    case .moduleNotJavaScript: return "html: webappapis.html#fetch-a-single-module-script"
    case .workerScriptNotJavaScript: return "html: workers.html#fetch-a-classic-worker-script"
    case .scriptStatusNotOK: return "html: webappapis.html#fetch-a-single-module-script, workers.html#fetch-a-classic-worker-script"
    case .elementStatusNotOK:
      return "html: webappapis.html#fetch-a-classic-script, links.html#link-type-stylesheet, images.html#update-the-image-data"
    case .elementUndecodable: return "html: images.html#update-the-image-data, media.html#concept-media-load-resource"
    case .eventSourceStatusNot200, .eventSourceNotEventStream: return "html: server-sent-events.html#dom-eventsource"
    case .webSocketSchemeInvalid, .webSocketURLHasFragment, .webSocketProtocolInvalid:
      return "websockets #dom-websocket-websocket"
    case .webSocketInsecureFromSecure: return "websockets #dom-websocket-websocket (engines); mix #should-block-fetch"
    case .webSocketStatusNot101, .webSocketProtocolMismatch: return "websockets #concept-websocket-establish"
    case .webSocketUpgradeInvalid, .webSocketAcceptInvalid:
      return "websockets #concept-websocket-establish; RFC 6455 §4.1"
    }
  }
}

/// The part of the fetch algorithm that decided a verdict.
public enum Stage: String, Sendable, Hashable, CaseIterable, Codable {
  /// Building the request (the API), and the policy checks before any network traffic.
  case request
  /// Mixed-content blocking.
  case mixedContent = "mixed-content"
  /// Branch selection in main fetch, and scheme fetch.
  case scheme
  /// The CORS preflight.
  case preflight
  /// A redirect response.
  case redirect
  /// The final response.
  case response
}

/// The overall answer for one request.
public enum Outcome: String, Sendable, Hashable, CaseIterable, Codable {
  /// Script can read the response (type `basic` or `cors`).
  case readable
  /// Script gets a response it cannot read (`opaque` or `opaqueredirect`).
  case opaque
  /// The fetch failed: the promise rejects, XHR reports status 0.
  case networkError = "network-error"
  /// The API threw before any network activity.
  case invalid
}
