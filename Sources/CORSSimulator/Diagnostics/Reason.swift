/// Why a fetch failed or changed. Raw values are the oracle's `reason` codes and the trace's step codes:
/// a public contract — add, never rename.
///
/// The failure codes follow the engines' checks, docs/reference/engine-differences.md §5.0 (one code for a check
/// whether it failed on a preflight, a redirect or the final response; the verdict's stage says which); the rest
/// come from the decision points of docs/reference/cors-rules.md §15. `README.md` documents every code.
public enum Reason: String, Sendable, Hashable, CaseIterable, Codable {
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

  // MARK: Changes and notes (never an outcome's reason; they appear in the trace)
  case methodNormalized = "method-normalized"
  case headerForbiddenDropped = "header-forbidden-dropped"
  case headerDroppedNoCORS = "header-dropped-no-cors"
  case rangeDroppedNoCORS = "range-dropped-no-cors"
  case contentTypeFromBody = "content-type-from-body"
  case xhrHeaderCombined = "xhr-header-combined"
  case xhrBodyIgnored = "xhr-body-ignored"
  case forcedPreflightUploadListeners = "forced-preflight-upload-listeners"
  case forcedPreflightStreamBody = "forced-preflight-stream-body"
  case streamBodyStringified = "stream-body-stringified"
  case xhrCharsetRewritten = "xhr-charset-rewritten"
  case referrerResetToClient = "referrer-reset-to-client"
  case requestOriginOpaque = "request-origin-opaque"
  case originHeaderNullByReferrerPolicy = "origin-header-null-by-referrer-policy"
  case originHeaderOmitted = "origin-header-omitted"
  case uirUpgraded = "uir-upgraded"
  case hstsUpgraded = "hsts-upgraded"
  case lnaPermissionPrompt = "lna-permission-prompt"
  case taintingBasic = "tainting-basic"
  case taintingOpaque = "tainting-opaque"
  case taintingCORS = "tainting-cors"
  case corsSimpleRequest = "cors-simple-request"
  case preflightRequiredMethod = "preflight-required-method"
  case preflightRequiredHeaders = "preflight-required-headers"
  case preflightForced = "preflight-forced"
  case preflightCacheHit = "preflight-cache-hit"
  case preflightCacheStored = "preflight-cache-stored"
  case preflightCacheCleared = "preflight-cache-cleared"
  case preflightMaxAgeDefaulted = "preflight-max-age-defaulted"
  case preflightMaxAgeCapped = "preflight-max-age-capped"
  case preflightNotCached = "preflight-not-cached"
  case preflightWildcardIgnoredCredentials = "preflight-wildcard-ignored-credentials"
  case authorizationWildcardWarning = "authorization-wildcard-warning"
  case credentialsExcluded = "credentials-excluded"
  case redirectFollowed = "redirect-followed"
  case redirectManualOpaque = "redirect-manual-opaque"
  case redirectNoLocation = "redirect-no-location"
  case redirectMethodRewritten = "redirect-method-rewritten"
  case redirectAuthorizationDropped = "redirect-authorization-dropped"
  case redirectOriginTainted = "redirect-origin-tainted"
  case redirectNeedsPreflight = "redirect-needs-preflight"
  case filteredBasic = "filtered-basic"
  case filteredCORS = "filtered-cors"
  case filteredOpaque = "filtered-opaque"
  case exposeHeadersWildcard = "expose-headers-wildcard"
  case exposeHeadersInvalid = "expose-headers-invalid"
  case nullBodyStatus = "null-body-status"
  case cookiesStoredDespiteCORSFailure = "cookies-stored-despite-cors-failure"
  case routeNotFound = "route-not-found"
  case mixedContentUpgraded = "mixed-content-upgraded"
  case elementRequest = "element-request"
  case crossOriginInvalidValue = "crossorigin-invalid-value"

  /// False for codes that only describe a change on the way (they never decide an outcome).
  public var isFailure: Bool {
    switch self {
    case .webidlConversionFailed, .urlParseFailed, .urlHasCredentials, .windowNotNull, .referrerInvalid,
      .modeNavigateForbidden, .onlyIfCachedNeedsSameOrigin, .methodInvalid, .methodForbidden,
      .noCORSMethodNotSafelisted, .headerNameInvalid, .headerValueInvalid, .bodyWithGetOrHead, .streamBodyInvalid,
      .streamBodyNeedsDuplex, .streamBodyNeedsCORS, .streamBodyUnsupported, .streamBodyNeedsHTTP2,
      .xhrSyncRestrictions, .badPort, .mixedContentBlocked, .cspBlocked, .keepaliveQuotaExceeded, .lnaInsecureContext, .lnaPermissionDenied, .lnaAddressSpaceMismatch,
      .requestFailed, .disallowedByMode, .noCORSRedirectMode, .unsupportedScheme, .aboutNotBlank, .blobInvalid,
      .dataURLInvalid, .missingAllowOrigin, .multipleAllowOrigin, .invalidAllowOrigin, .allowOriginMismatch,
      .wildcardWithCredentials, .missingAllowCredentials, .preflightNotOK, .preflightRedirect, .invalidAllowMethods,
      .invalidAllowHeaders, .methodNotAllowed, .headerNotAllowed, .authorizationNotCoveredByWildcard,
      .redirectModeError, .redirectLocationInvalid, .redirectBadScheme, .tooManyRedirects, .redirectWithCredentials,
      .redirectBodyNotReplayable, .corpBlocked, .integrityMismatch, .integrityPolicyBlocked, .orbBlocked,
      .mimeTypeBlocked, .nosniffBlocked, .stylesheetNotCSS, .moduleNotJavaScript:
      return true
    default:
      return false
    }
  }

  /// True when the failure is the CORS protocol refusing to share; false for failures that are not CORS at
  /// all (an invalid request, mixed content, a bad port, a blocked scheme, a network failure…).
  public var isCORS: Bool {
    switch self {
    case .missingAllowOrigin, .multipleAllowOrigin, .invalidAllowOrigin, .allowOriginMismatch,
      .wildcardWithCredentials, .missingAllowCredentials, .preflightNotOK, .preflightRedirect, .invalidAllowMethods,
      .invalidAllowHeaders, .methodNotAllowed, .headerNotAllowed, .authorizationNotCoveredByWildcard,
      .redirectWithCredentials, .redirectBadScheme, .disallowedByMode, .noCORSRedirectMode, .unsupportedScheme:
      return true
    default:
      return false
    }
  }

  /// True for the six outcomes of the CORS check itself.
  public var isCORSCheckFailure: Bool {
    switch self {
    case .missingAllowOrigin, .multipleAllowOrigin, .invalidAllowOrigin, .allowOriginMismatch,
      .wildcardWithCredentials, .missingAllowCredentials:
      return true
    default:
      return false
    }
  }

  /// Where in the standard (or the engine) the rule lives.
  public var anchor: String {
    switch self {
    // WebIDL converts the RequestInit dictionary (its enums, its headers as ByteStrings) before the constructor runs.
    case .webidlConversionFailed: return "#requestinit"
    case .urlParseFailed, .urlHasCredentials, .windowNotNull, .referrerInvalid, .referrerResetToClient,
      .modeNavigateForbidden, .onlyIfCachedNeedsSameOrigin, .noCORSMethodNotSafelisted, .bodyWithGetOrHead,
      .streamBodyNeedsDuplex, .streamBodyNeedsCORS, .forcedPreflightStreamBody:
      return "#dom-request"
    case .methodInvalid: return "#concept-method"
    case .methodForbidden: return "#forbidden-method"
    case .methodNormalized: return "#concept-method-normalize"
    case .headerNameInvalid, .headerValueInvalid: return "#headers-validate"
    case .headerForbiddenDropped: return "#forbidden-request-header"
    case .headerDroppedNoCORS: return "#concept-headers-append"
    case .rangeDroppedNoCORS: return "#concept-headers-remove-privileged-no-cors-request-headers"
    case .streamBodyInvalid, .contentTypeFromBody: return "#concept-bodyinit-extract"
    case .streamBodyUnsupported, .streamBodyNeedsHTTP2, .streamBodyStringified: return "#dom-request (engine support)"
    case .xhrSyncRestrictions: return "xhr.bs #the-open()-method"
    case .xhrHeaderCombined: return "xhr.bs #the-setrequestheader()-method"
    case .xhrBodyIgnored, .forcedPreflightUploadListeners, .xhrCharsetRewritten: return "xhr.bs #the-send()-method"
    case .requestOriginOpaque: return "html: document-sequences.html#determining-the-origin"
    case .originHeaderNullByReferrerPolicy, .originHeaderOmitted: return "#append-a-request-origin-header"
    case .badPort: return "#block-bad-port"
    case .mixedContentBlocked: return "mix #should-block-fetch"
    case .cspBlocked: return "CSP #should-block-request"
    case .uirUpgraded: return "uir #upgrade-request"
    case .hstsUpgraded: return "#concept-main-fetch"
    case .keepaliveQuotaExceeded, .credentialsExcluded: return "#concept-http-network-or-cache-fetch"
    case .lnaInsecureContext, .lnaPermissionDenied, .lnaAddressSpaceMismatch, .lnaPermissionPrompt:
      return "lna #integration-with-fetch"
    case .requestFailed, .routeNotFound: return "#concept-http-network-fetch"
    case .disallowedByMode, .noCORSRedirectMode, .unsupportedScheme, .taintingBasic, .taintingOpaque, .taintingCORS,
      .corsSimpleRequest, .preflightRequiredMethod, .preflightForced:
      return "#concept-main-fetch"
    case .preflightRequiredHeaders: return "#cors-unsafe-request-header-names"
    case .aboutNotBlank, .blobInvalid: return "#concept-scheme-fetch"
    case .dataURLInvalid: return "#data-url-processor"
    case .missingAllowOrigin, .multipleAllowOrigin, .invalidAllowOrigin, .allowOriginMismatch,
      .wildcardWithCredentials, .missingAllowCredentials:
      return "#concept-cors-check"
    case .preflightNotOK, .preflightRedirect, .methodNotAllowed, .headerNotAllowed,
      .authorizationNotCoveredByWildcard, .preflightMaxAgeDefaulted, .preflightMaxAgeCapped, .preflightNotCached,
      .authorizationWildcardWarning:
      return "#cors-preflight-fetch-0"
    case .invalidAllowMethods, .invalidAllowHeaders, .exposeHeadersInvalid: return "#extract-header-list-values"
    case .preflightWildcardIgnoredCredentials: return "#http-new-header-syntax"
    case .preflightCacheHit, .redirectNeedsPreflight: return "#concept-http-fetch"
    case .preflightCacheStored: return "#concept-cache-create-entry"
    case .preflightCacheCleared: return "#concept-cache-clear"
    case .redirectModeError, .redirectManualOpaque, .redirectFollowed: return "#concept-http-fetch"
    case .redirectNoLocation: return "#concept-response-location-url"
    case .redirectLocationInvalid, .redirectBadScheme, .tooManyRedirects, .redirectWithCredentials,
      .redirectBodyNotReplayable, .redirectMethodRewritten, .redirectAuthorizationDropped:
      return "#concept-http-redirect-fetch"
    case .redirectOriginTainted: return "#concept-request-tainted-origin"
    case .corpBlocked: return "#cross-origin-resource-policy-internal-check"
    case .integrityMismatch, .exposeHeadersWildcard: return "#concept-main-fetch"
    case .filteredBasic: return "#concept-filtered-response-basic"
    case .filteredCORS: return "#concept-filtered-response-cors"
    case .filteredOpaque: return "#concept-filtered-response-opaque"
    case .nullBodyStatus: return "#null-body-status"
    case .cookiesStoredDespiteCORSFailure: return "#concept-http-network-fetch"
    case .mixedContentUpgraded: return "mix #upgrade-algorithm"
    case .integrityPolicyBlocked: return "SRI #should-request-be-blocked-by-integrity-policy-section"
    case .orbBlocked: return "ORB #orb-algorithm (annevk/orb; whatwg/fetch#1442, not in fetch.bs)"
    case .mimeTypeBlocked: return "#should-response-to-request-be-blocked-due-to-mime-type?"
    case .nosniffBlocked: return "#should-response-to-request-be-blocked-due-to-nosniff?"
    case .stylesheetNotCSS: return "html: links.html#link-type-stylesheet"
    case .moduleNotJavaScript: return "html: webappapis.html#fetch-a-single-module-script"
    case .elementRequest: return "html: urls-and-fetching.html#create-a-potential-cors-request"
    case .crossOriginInvalidValue: return "html: urls-and-fetching.html#cors-settings-attributes"
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
