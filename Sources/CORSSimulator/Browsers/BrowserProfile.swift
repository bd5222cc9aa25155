/// The browser engines corsim models, and the standard they depart from. `allCases` lists the three engines;
/// ``allWithSpec`` adds the standard, for the places that compare every profile.
public enum Engine: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
  /// The Fetch standard as written (not an engine: the profile every engine departs from).
  case spec
  /// Chromium (Chrome, Edge, Brave…).
  case chromium
  /// Firefox (Gecko).
  case firefox
  /// WebKit (Safari).
  case webkit

  /// The three engines: Chromium, Firefox, WebKit.
  public static var allCases: [Engine] { [.chromium, .firefox, .webkit] }
  /// The standard, then the three engines: every profile corsim has.
  public static var allWithSpec: [Engine] { [.spec, .chromium, .firefox, .webkit] }

  /// The name as written in scenario files and the oracle's JSON (`chromium`).
  public var description: String { rawValue }
}

/// How an engine turns `Access-Control-Max-Age` into a lifetime.
public enum MaxAgeRule: String, Sendable, Hashable {
  /// delta-seconds, single-valued; failure or absence → 5 s. fetch.bs #cors-preflight-fetch-0 step 7.8
  case spec
  /// `base::StringToInt64` on the combined value; not a number → 5 s; negative → 0 (not cached).
  case chromium
  /// Every character must be a digit; anything else → not cached; `0` → not cached.
  case firefox
  /// `parseInteger<int64_t>` (a leading `+` accepted); failure → 5 s; negative → already expired.
  case webkit
}

/// How an engine classifies a failing `Access-Control-Allow-Origin` for its message.
public enum AllowOriginClassification: String, Sendable, Hashable {
  /// The standard's single failure: a mismatch, whatever the shape of the value.
  case spec
  /// A space or comma → multiple; `null` → mismatch; not a URL → invalid; else mismatch (`cors.cc` CheckAccess).
  case chromium
  /// Several header lines → multiple; everything else → mismatch (`nsCORSListenerProxy.cpp`).
  case firefox
  /// A comma → multiple; everything else → mismatch (`CrossOriginAccessControl.cpp`).
  case webkit
}

/// What an engine does with a `ReadableStream` request body (`fetch(url, {body: stream, duplex: "half"})`).
public enum StreamBodySupport: String, Sendable, Hashable {
  /// The standard: sent as a stream; the request needs a preflight and cannot follow a 307/308.
  case standard
  /// Chromium: as the standard, but only over HTTP/2 or QUIC; on an HTTP/1.1 connection the request fails
  /// with `net::ERR_H2_OR_QUIC_REQUIRED` (after its preflight).
  case needsHTTP2
  /// Firefox: `RequestInit` has no stream body, so the stream converts to the string `[object ReadableStream]`
  /// (a `text/plain;charset=UTF-8` body) and `duplex` is an unknown member, ignored.
  case stringified
  /// WebKit: `fetch()` rejects with `NotSupportedError` before any request is made.
  case unsupported
}

/// Which opaque-response blocking an engine applies to the no-cors responses of element loads. ORB is not in
/// fetch.bs at the pinned snapshot (annevk/orb; whatwg/fetch#1442), so the standard's profile applies none.
public enum OpaqueResponseBlocking: String, Sendable, Hashable {
  /// No ORB (the Fetch standard as written; WebKit).
  case none
  /// Chromium's ORB "v0.2": never-sniffed types and nosniff HTML/JSON/XML/text/plain are blocked at once; other
  /// bodies are sniffed for HTML, XML, JSON and JavaScript parser breakers; everything else fails open.
  /// `services/network/orb/orb_impl.cc`, `orb_sniffers.cc`, `orb_mimetypes.cc`.
  case chromium
  /// Firefox's ORB: the ORB algorithm with a JavaScript validator — what is neither safelisted nor sniffed as
  /// an image or media is blocked unless it parses as JavaScript and not as JSON.
  /// `netwerk/protocol/http/OpaqueResponseUtils.cpp`, `HttpBaseChannel.cpp`.
  case firefox
}

/// A browser profile: the standard's algorithm plus the engine's departures from it, each written beside
/// the field that carries it with its source.
public struct BrowserProfile: Sendable, Hashable {
  /// The engine this profile models.
  public var engine: Engine
  /// The largest `Access-Control-Max-Age` honoured, in seconds (nil: no limit).
  public var maxAgeCap: Int?
  /// How `Access-Control-Max-Age` is parsed.
  public var maxAgeRule: MaxAgeRule
  /// Whether a cache entry made with credentials serves requests without them (spec: yes).
  public var credentialedEntriesServeUncredentialed: Bool
  /// Whether cached `*` entries match later requests.
  public var wildcardEntriesReusable: Bool
  /// Whether `HEAD` needs a method entry on a cache lookup (spec: no, it is safelisted).
  public var headNeedsMethodEntry: Bool
  /// Whether a new preflight replaces everything cached for (origin, URL) instead of adding to it.
  public var preflightReplacesCacheEntries: Bool
  /// Whether the preflight's status is judged before its CORS check (which failure is reported).
  public var preflightStatusBeforeCORSCheck: Bool
  /// Whether Allow-Methods is parsed and matched before Allow-Headers is parsed.
  public var methodsCheckedBeforeHeadersParsed: Bool
  /// Whether a 3xx preflight is reported as "preflight-redirect" (else as "preflight-not-ok").
  public var reportsPreflightRedirect: Bool
  /// Whether `Access-Control-Allow-Headers: *` also covers `Authorization` (spec: never).
  public var authorizationCoveredByWildcard: Bool
  /// Whether that coverage prints a deprecation warning.
  public var warnsAuthorizationCoveredByWildcard: Bool
  /// How a failing Allow-Origin is classified.
  public var allowOriginClassification: AllowOriginClassification
  /// Whether the first header not allowed is reported in sorted order (else in request order).
  public var reportsFirstDisallowedHeaderSorted: Bool
  /// Whether the client-hint headers Chromium safelists skip the preflight.
  public var extraSafelistedRequestHeaders: Bool
  /// The 1024-byte total rule's limit (nil where the engine has no such rule).
  public var safelistedValueTotalLimit: Int?
  /// Whether an unparsable `Access-Control-Expose-Headers` still exposes its token items.
  public var lenientExposeHeaders: Bool
  /// Whether a preflight sent after a tainting redirect still carries the initiator's origin.
  public var preflightAfterRedirectUsesInitiatorOrigin: Bool
  /// Whether only `https` pages restrict mixed content (spec: any potentially trustworthy origin).
  public var onlySecureSchemePagesRestrictMixedContent: Bool
  /// Whether `http://localhost` and loopback IPs count as mixed content from an https page.
  public var loopbackIsMixedContent: Bool
  /// Whether Local Network Access checks run.
  public var localNetworkAccess: Bool
  /// Whether XHR upload listeners force a preflight only when the request has a body.
  public var uploadListenersNeedBodyToForcePreflight: Bool
  /// Whether a forced preflight without `Access-Control-Allow-Methods` allows the request's own method
  /// (fetch.bs #cors-preflight-fetch-0 step 7.4).
  public var forcedPreflightImpliesMethod: Bool
  /// Whether URLs of 1024 characters or more are never cached.
  public var longURLsNotCached: Bool
  /// Whether only URLs of the HTTP family (http, https, ws, wss) can be mixed content; other schemes fail
  /// elsewhere.
  public var mixedContentOnlyForHTTPFamily: Bool
  /// The schemes listed in "only supported for protocol schemes" messages.
  public var corsEnabledSchemes: [String]
  /// What happens to a `ReadableStream` request body.
  public var streamRequestBodies: StreamBodySupport = .standard
  /// Whether a `data:` response carries `Content-Length` besides `Content-Type` (when its body is not empty).
  public var dataURLHasContentLength: Bool = false
  /// Whether scheme fetch answers `about:` URLs (the standard's about:blank response); else they fail as an
  /// unsupported scheme.
  public var fetchesAboutURLs: Bool = true
  /// The bytes of keepalive bodies allowed in flight (nil: no limit enforced).
  public var keepaliveQuota: Int? = 65536
  /// Whether a redirected preflight fails as a redirect before its CORS check (else the CORS check runs first).
  public var preflightRedirectFailsBeforeCORSCheck: Bool = false
  /// Whether a preflighted fetch that ends in a network error clears the cache entries for its URL
  /// (fetch.bs #concept-main-fetch, "clear cache entries"); else entries only go when stale or unusable.
  public var clearsCacheOnNetworkError: Bool = true
  /// Whether a cached result that does not allow a request is dropped at lookup (one result per URL).
  public var dropsUnusableCacheEntries: Bool = false
  /// Whether a preflight that lists nothing still leaves a cache entry for its URL, which a later forced
  /// preflight for GET or POST can use.
  public var cachesEmptyPreflightResults: Bool = false
  /// Whether `fetch()`'s header lines of one name reach the CORS checks combined into one (`a, b`), as an
  /// engine that keeps request headers in a map does.
  public var combinesRequestHeaderLines: Bool = false
  /// Whether any redirect to a URL with a user name or password fails (even a same-origin one).
  public var refusesRedirectToURLWithCredentials: Bool = false
  /// Whether the referrer policy can make a no-cors request's `Origin` `null`
  /// (fetch.bs #append-a-request-origin-header step 4.1).
  public var originHeaderFollowsReferrerPolicy: Bool = true
  /// Whether a non-null `init.window` throws (fetch.bs #dom-request step 11).
  public var rejectsNonNullWindow: Bool = true
  /// Whether XHR rewrites a non-UTF-8 charset by replacing the parameter's value in the author's text
  /// (quotes and spacing kept) rather than re-serializing the parsed type.
  public var xhrCharsetRewrittenInPlace: Bool = false
  /// Whether bytes 0x80–0xFF count as CORS-unsafe request-header bytes.
  public var nonASCIIIsCORSUnsafeByte: Bool = false
  /// Whether `Access-Control-Request-Headers` keeps a name once per header line (no de-duplication).
  public var requestHeadersListKeepsDuplicates: Bool = false
  /// Whether a redirect to a URL of the same origin as the previous one gets a preflight of its own when the
  /// request needs one for its method alone.
  public var preflightsSameOriginRedirectTarget: Bool = true
  /// Whether the `bytes` unit of a safelisted `Range` is matched case-insensitively.
  public var rangeUnitCaseInsensitive: Bool = false
  /// Whether several `Location` lines are combined into one value and followed (else a network error).
  public var combinesLocationLines: Bool = false
  /// Whether the request-body headers (Content-Type…) survive a redirect that rewrites the method to GET.
  public var keepsBodyHeadersOnMethodRewrite: Bool = false
  /// Whether an `Origin` header sent on a hop is sent again on the next hop of a same-origin redirect.
  public var keepsOriginHeaderAcrossRedirects: Bool = false
  /// Whether upload listeners are ignored on a synchronous XHR.
  public var uploadListenersIgnoredWhenSync: Bool = false
  /// Whether mixed images, audio and video whose host is an IP address are upgraded too (the standard leaves
  /// them alone, and then blocks them). mix #upgrade-algorithm step 1.2
  public var upgradesMixedContentIPAddresses: Bool = false
  /// Whether a redirect to an http image, audio or video is upgraded too. The algorithm reads "request's URL",
  /// the first of the URL list, so the standard never upgrades a redirect target (which is then blocked).
  public var upgradesMixedContentOnRedirect: Bool = false
  /// Whether http://localhost and loopback images, audio and video are upgraded, where loopback counts as
  /// mixed content (`loopbackIsMixedContent`).
  public var upgradesLoopbackMixedContent: Bool = false
  /// Whether http://localhost and loopback images, audio and video load over http as they are (neither
  /// upgraded nor blocked), where loopback counts as mixed content (`loopbackIsMixedContent`).
  public var loadsLoopbackMixedMediaOverHTTP: Bool = false
  /// The opaque-response blocking applied to element loads.
  public var opaqueResponseBlocking: OpaqueResponseBlocking = .none
  /// Whether a script's nosniff check comes before the MIME-type block list (the standard lists the MIME type
  /// check first, fetch.bs #concept-main-fetch step 20).
  public var nosniffCheckedBeforeMIMEType: Bool = false
  /// Whether a CORS-mode element request (`crossorigin`, a module script, a font) carries `Origin` to its own
  /// origin too. The standard appends it only when the response tainting is "cors" (fetch.bs
  /// #append-a-request-origin-header step 3), which a same-origin request never has.
  public var elementCORSRequestsAlwaysSendOrigin: Bool = false
  /// Whether fonts are fetched with mode `no-cors` and credentials `include`, as an image without
  /// `crossorigin` is, rather than with CORS (css-fonts-4 #font-fetching-requirements).
  public var fetchesFontsWithoutCORS: Bool = false
  /// Whether a `<link rel=stylesheet>` answered with another type than text/css (without nosniff) still fires
  /// `load`, with an empty sheet, rather than `error` (html: links.html#link-type-stylesheet sets success to
  /// false). The sheet is not applied either way.
  public var unappliedStylesheetFiresLoad: Bool = false
  /// The destinations an `Integrity-Policy` `blocked-destinations` list can block.
  public var integrityPolicyDestinations: Set<RequestDestination> = [.script, .style]

  /// The Fetch standard, with no engine's departures. Where the standard leaves a choice to the user agent
  /// (the max-age cap) this profile makes none.
  public static let spec = BrowserProfile(
    engine: .spec, maxAgeCap: nil, maxAgeRule: .spec, credentialedEntriesServeUncredentialed: true,
    wildcardEntriesReusable: true, headNeedsMethodEntry: false, preflightReplacesCacheEntries: false,
    preflightStatusBeforeCORSCheck: false, methodsCheckedBeforeHeadersParsed: false, reportsPreflightRedirect: true,
    authorizationCoveredByWildcard: false, warnsAuthorizationCoveredByWildcard: false,
    allowOriginClassification: .spec, reportsFirstDisallowedHeaderSorted: true,
    extraSafelistedRequestHeaders: false, safelistedValueTotalLimit: 1024, lenientExposeHeaders: false,
    preflightAfterRedirectUsesInitiatorOrigin: false,
    onlySecureSchemePagesRestrictMixedContent: false, loopbackIsMixedContent: false, localNetworkAccess: false,
    uploadListenersNeedBodyToForcePreflight: false, forcedPreflightImpliesMethod: true,
    longURLsNotCached: false, mixedContentOnlyForHTTPFamily: false,
    corsEnabledSchemes: ["http", "https"])

  /// Chromium. Sources: `services/network/cors/*`, `services/network/public/cpp/cors/cors.cc`, Blink
  /// `cors_error_string.cc`, `mixed_content_checker.cc` (see `reference/browsers.md` §2).
  public static let chromium: BrowserProfile = {
    var p = BrowserProfile.spec
    p.engine = .chromium
    // Quirk(chromium): cap 7200 s (preflight_result.cc kMaxTimeout).
    p.maxAgeCap = 7200
    // Quirk(chromium): StringToInt64; junk → 5 s, negative → 0 (preflight_result.cc).
    p.maxAgeRule = .chromium
    // Quirk(chromium): one PreflightResult per (origin, URL, NIK), replaced by each new preflight (preflight_cache.cc).
    p.preflightReplacesCacheEntries = true
    // Quirk(chromium): URLs of 1024 characters or more are not cached (preflight_cache.cc).
    p.longURLsNotCached = true
    // Quirk(chromium): disallowed headers are reported in request order (preflight_result.cc).
    p.reportsFirstDisallowedHeaderSorted = false
    // Quirk(chromium): `*` covers Authorization while CorsNonWildcardRequestHeadersSupport is disabled (features.cc).
    p.authorizationCoveredByWildcard = true
    // Quirk(chromium): space/comma → kMultipleAllowOriginValues, unparsable → kInvalidAllowOriginValue (cors.cc).
    p.allowOriginClassification = .chromium
    // Quirk(chromium): client hints and `Intervention` are safelisted (cors.cc IsCorsSafelistedHeader).
    p.extraSafelistedRequestHeaders = true
    // Chromium 156 removes Authorization on a cross-origin redirect as the standard says (observed in the
    // conformance run, authorization-removed-on-cross-origin-hop; BCD still says Chrome false).
    // Quirk(chromium): only https documents restrict mixed content (ShouldTreatURLSchemeAsRestrictingMixedContent).
    p.onlySecureSchemePagesRestrictMixedContent = true
    // Quirk(chromium): non-webby schemes are never mixed content; they fail elsewhere (mixed_content_checker.cc).
    p.mixedContentOnlyForHTTPFamily = true
    // Quirk(chromium): Local Network Access checks, enabled by default since M142 (features.cc LocalNetworkAccessChecks).
    p.localNetworkAccess = true
    // Quirk(chromium): upload listeners force a preflight only for async requests with a body (xml_http_request.cc).
    p.uploadListenersNeedBodyToForcePreflight = true
    // Implementation-defined: url::GetCorsEnabledSchemes() of a stock Chromium, as its console lists them.
    p.corsEnabledSchemes = ["http", "data", "isolated-app", "chrome-extension", "chrome", "https", "chrome-untrusted"]
    // Quirk(chromium): streaming uploads need HTTP/2 or QUIC (net/http/http_stream_factory_job.cc
    // ERR_H2_OR_QUIC_REQUIRED; "Streaming requests with the fetch API", developer.chrome.com; observed in the
    // conformance run: the preflight went out, then the POST failed on HTTP/1.1).
    p.streamRequestBodies = .needsHTTP2
    // Quirk(chromium): Blink's scheme fetch serves http(s), blob and data only; about:blank fails with
    // kCorsDisabledScheme (fetch_manager.cc FetchLoaderBase::PerformSchemeFetch; conformance run,
    // about-blank-in-no-cors-mode-is-opaque).
    p.fetchesAboutURLs = false
    // Quirk(chromium): a redirected preflight fails before any header is read (preflight_controller.cc).
    p.preflightRedirectFailsBeforeCORSCheck = true
    // Quirk(chromium): the cache is never cleared when a request fails; a result that does not allow a
    // request is erased at lookup (cors_url_loader.cc HandleComplete; preflight_cache.cc
    // CheckIfRequestCanSkipPreflight).
    p.clearsCacheOnNetworkError = false
    p.dropsUnusableCacheEntries = true
    // Quirk(chromium): one PreflightResult per URL, so a result that lists nothing still serves a later
    // (forced) preflight for a safelisted method (EnsureAllowedCrossOriginMethod).
    p.cachesEmptyPreflightResults = true
    // Quirk(chromium): no implied method for a forced preflight (preflight_result.cc
    // EnsureAllowedCrossOriginMethod accepts a listed, safelisted or `*` method only).
    p.forcedPreflightImpliesMethod = false
    // Observed(chromium): observations of the conformance run (Spec/CONFORMANCE.md), each pinned by a Spec file:
    // header lines of one name reach the CORS check combined (two `Content-Type: text/plain` → preflight;
    // Blink's HTTPHeaderMap);
    p.combinesRequestHeaderLines = true
    // a redirect to a URL with credentials fails even within the origin (Blink blocks subresource URLs with
    // embedded credentials, chromestatus 5669008342777856);
    p.refusesRedirectToURLWithCredentials = true
    // a no-cors POST keeps its real Origin whatever the referrer policy;
    p.originHeaderFollowsReferrerPolicy = false
    // `window: window` does not throw;
    p.rejectsNonNullWindow = false
    // XHR swaps the charset value in the author's text (`charset="UTF-8"` keeps its quotes, which are
    // CORS-unsafe bytes: a preflight; xml_http_request.cc ReplaceCharsetInMediaType).
    p.xhrCharsetRewrittenInPlace = true
    // Quirk(chromium): ORB v0.2 for element loads; fetch() keeps CORB-style empty responses
    // (orb_impl.cc ShouldHandleBlockedResponseAs; features.cc kOpaqueResponseBlockingErrorsForAllFetches off).
    p.opaqueResponseBlocking = .chromium
    // Quirk(chromium): redirects of an upgraded request are upgraded too (mixed_content_checker.cc
    // UpgradeInsecureRequest sets UpgradeIfInsecure "so any redirects get upgraded").
    p.upgradesMixedContentOnRedirect = true
    // Quirk(chromium): nosniff is judged before the image/audio/video/csv list (allowed_by_nosniff.cc MimeTypeAsScript).
    p.nosniffCheckedBeforeMIMEType = true
    // Quirk(chromium): Integrity-Policy covers scripts only (BCD blocked-destinations_style: Chrome no).
    p.integrityPolicyDestinations = [.script]
    // Observed(chromium): an <img crossorigin>, <link crossorigin>, <script crossorigin>, a module script and a
    // font send Origin to their own origin too (conformance run, same-origin-img-crossorigin-is-basic).
    p.elementCORSRequestsAlwaysSendOrigin = true
    // Quirk(chromium): a stylesheet of another type than text/css fires load with an empty sheet. The type is
    // checked only when the sheet is parsed (StyleSheetContents::ParseAuthorStyleSheet with
    // CSSStyleSheetResource::SheetText, which logs "Refused to apply style…"), after which
    // LinkStyle::NotifyFinished reports a loaded sheet (link_style.cc); only a failed load fires error.
    // Observed in Chromium 156 (element conformance run, stylesheet-served-as-html-not-applied).
    p.unappliedStylesheetFiresLoad = true
    return p
  }()

  /// Firefox. Sources: `netwerk/protocol/http/nsCORSListenerProxy.cpp`, `dom/fetch/InternalHeaders.cpp`,
  /// `security.properties` (see `reference/browsers.md` §3).
  public static let firefox: BrowserProfile = {
    var p = BrowserProfile.spec
    p.engine = .firefox
    // Quirk(firefox): cap 86400 s, clamped while parsing (nsCORSListenerProxy.cpp).
    p.maxAgeCap = 86400
    // Quirk(firefox): any non-digit → not cached; 0 → not cached.
    p.maxAgeRule = .firefox
    // Quirk(firefox): the credentials flag is part of the cache key (GetPrefLightCacheKey).
    p.credentialedEntriesServeUncredentialed = false
    // Quirk(firefox): `*` is stored as a literal token and never matches on lookup (CacheEntry::CheckRequest).
    p.wildcardEntriesReusable = false
    // Quirk(firefox): only GET and POST skip the method check on lookup, HEAD does not (CheckRequest).
    p.headNeedsMethodEntry = true
    // Quirk(firefox): methods are validated and matched before Allow-Headers is parsed (nsCORSPreflightListener).
    p.methodsCheckedBeforeHeadersParsed = true
    // Quirk(firefox): pref network.cors_preflight.authorization_covered_by_wildcard defaults to true, with a warning.
    p.authorizationCoveredByWildcard = true
    p.warnsAuthorizationCoveredByWildcard = true
    // Quirk(firefox): duplicate ACAO lines → CORSMultipleAllowOriginNotAllowed; one line with a comma just mismatches.
    p.allowOriginClassification = .firefox
    // Quirk(firefox): no implied method when a forced preflight's answer lacks Allow-Methods (nsCORSListenerProxy.cpp).
    p.forcedPreflightImpliesMethod = false
    // Quirk(firefox): no 1024-byte total rule in InternalHeaders::GetUnsafeHeaders.
    p.safelistedValueTotalLimit = nil
    // Observed (oracle-contract smoke, preflighted-put-307-cross-origin): the preflight to the redirect target
    // carries the requesting principal's origin while the actual request carries `null`.
    p.preflightAfterRedirectUsesInitiatorOrigin = true
    // Quirk(firefox): only https documents restrict mixed content (nsMixedContentBlocker).
    p.onlySecureSchemePagesRestrictMixedContent = true
    // Implementation-defined: the schemes Firefox treats as CORS-capable.
    p.corsEnabledSchemes = ["http", "https"]
    // Quirk(firefox): no ReadableStream request bodies (BCD api.Request.Request.request_body_readablestream:
    // Firefox false); the stream is converted to a string. Observed in the conformance run: a 23-byte
    // text/plain;charset=UTF-8 POST with no preflight.
    p.streamRequestBodies = .stringified
    // Observed(firefox): a data: response has Content-Length as well (FetchDriver::OnStartRequest adds it for
    // non-HTTP channels with a known length; conformance run, x-data-url).
    p.dataURLHasContentLength = true
    // Observed(firefox): a 65,537-byte keepalive POST was sent and read (conformance run,
    // keepalive-body-limited-to-64-kib); the 64 KiB limit is Firefox bug 2008613 (mdn/content#42958).
    p.keepaliveQuota = nil
    // Observed(firefox): conformance run (Spec/CONFORMANCE.md): `window: window` does not throw; XHR keeps the
    // quotes of a rewritten charset; bytes 0x80–0xFF are CORS-unsafe (an Accept with one is preflighted);
    // Access-Control-Request-Headers names a header once per unsafe line; a PUT redirected within the origin is
    // not preflighted again (a request with unsafe headers is).
    p.rejectsNonNullWindow = false
    p.xhrCharsetRewrittenInPlace = true
    p.nonASCIIIsCORSUnsafeByte = true
    p.requestHeadersListKeepsDuplicates = true
    p.preflightsSameOriginRedirectTarget = false
    // Quirk(firefox): AddResultToCache makes an entry even when the answer lists nothing, and
    // CacheEntry::CheckRequest skips the method check for GET and POST.
    p.cachesEmptyPreflightResults = true
    // Quirk(firefox): mixed images, audio and video are upgraded whatever the host, IP addresses included
    // (LoadInfo.cpp sets BrowserUpgradeInsecureRequests for upgradable types; nsNetUtil.cpp
    // ShouldSecureUpgradeNoHSTS has no IP-address exception; security.mixed_content.upgrade_display_content).
    p.upgradesMixedContentIPAddresses = true
    // Quirk(firefox): a redirected image, audio or video channel is upgraded like the first one
    // (nsMixedContentBlocker::AsyncOnChannelRedirect accepts an upgradable http load; NS_ShouldSecureUpgrade
    // runs on the new channel with the same LoadInfo).
    p.upgradesMixedContentOnRedirect = true
    // Quirk(firefox): ORB with a JavaScript validator; blocked fetch() responses are filtered, not failed
    // (OpaqueResponseUtils.cpp; StaticPrefList.yaml browser.opaqueResponseBlocking.filterFetchResponse = 2).
    p.opaqueResponseBlocking = .firefox
    // Quirk(firefox): Integrity-Policy covers scripts only by default (BCD blocked-destinations_style: behind
    // security.integrity_policy.stylesheet.enabled).
    p.integrityPolicyDestinations = [.script]
    return p
  }()

  /// WebKit. Sources: `Source/WebCore/loader/CrossOriginAccessControl.cpp`,
  /// `CrossOriginPreflightResultCache.cpp`, `MixedContentChecker.cpp` (see `reference/browsers.md` §4).
  public static let webkit: BrowserProfile = {
    var p = BrowserProfile.spec
    p.engine = .webkit
    // Quirk(webkit): cap 600 s (CrossOriginPreflightResultCache.cpp).
    p.maxAgeCap = 600
    // Quirk(webkit): parseInteger<int64_t>, a leading `+` accepted, negative → expired.
    p.maxAgeRule = .webkit
    // Quirk(webkit): the cache maps (session, client origin, URL) to one result, replaced on each preflight.
    p.preflightReplacesCacheEntries = true
    // Quirk(webkit): validatePreflightResponse checks the status before the access-control check.
    p.preflightStatusBeforeCORSCheck = true
    // Observed (oracle-contract smoke, preflight-redirect-307): a 3xx preflight is reported as not successful,
    // with its status code.
    p.reportsPreflightRedirect = false
    // Quirk(webkit): `*` covers Authorization, silently (validateCrossOriginHeaders).
    p.authorizationCoveredByWildcard = true
    // Unverified(webkit): disallowed headers are reported in request order (header-map order in source).
    p.reportsFirstDisallowedHeaderSorted = false
    // Quirk(webkit): only a comma triggers "more than one origin".
    p.allowOriginClassification = .webkit
    // Quirk(webkit): only https documents restrict mixed content, and loopback is not exempt
    // (MixedContentChecker.cpp, webkit.org/b/171934; observed in the smoke run).
    p.onlySecureSchemePagesRestrictMixedContent = true
    p.loopbackIsMixedContent = true
    p.corsEnabledSchemes = ["http", "https"]
    // Quirk(webkit): no ReadableStream uploads; fetch() rejects with "NotSupportedError: ReadableStream uploading
    // is not supported" (BCD: Safari false; observed in the conformance run: no request on the wire).
    p.streamRequestBodies = .unsupported
    // Observed(webkit): fetch("about:blank", {mode: "no-cors"}) is a network error with no console message
    // (conformance run; whatwg/fetch#384, WPT fetch/api/basic/scheme-about).
    p.fetchesAboutURLs = false
    // Quirk(webkit): no implied method for a forced preflight (CrossOriginPreflightResultCacheItem
    // allowsCrossOriginMethod).
    p.forcedPreflightImpliesMethod = false
    // Quirk(webkit): failures leave the cache alone (NetworkLoadChecker::validateResponse); an entry that
    // does not allow a request is removed at lookup (CrossOriginPreflightResultCache::canSkipPreflight).
    p.clearsCacheOnNetworkError = false
    p.dropsUnusableCacheEntries = true
    // Quirk(webkit): one result per URL, which lets safelisted methods through (allowsCrossOriginMethod).
    p.cachesEmptyPreflightResults = true
    // Observed(webkit): conformance run (Spec/CONFORMANCE.md): header lines of one name are combined
    // (HTTPHeaderMap); `Range: Bytes=…` is safelisted; several Location lines are joined and followed;
    // Content-Type survives a POST→GET rewrite; Origin is sent again after a same-origin 303; a synchronous
    // XHR ignores upload listeners.
    p.combinesRequestHeaderLines = true
    p.rangeUnitCaseInsensitive = true
    p.combinesLocationLines = true
    p.keepsBodyHeadersOnMethodRewrite = true
    p.keepsOriginHeaderAcrossRedirects = true
    p.uploadListenersIgnoredWhenSync = true
    // Observed(webkit): loopback hosts are mixed content, but an image, audio or video request to one is neither
    // upgraded nor blocked: it loads over http, with the warning "This content was not upgraded to HTTPS and
    // must be served from the local host." (WebKitGTK 2.50.6, element conformance run; the 2025 source read
    // for the earlier upgradesLoopbackMixedContent, MixedContentChecker.cpp canModifyRequest, is not what
    // that release does).
    p.loadsLoopbackMixedMediaOverHTTP = true
    // Unverified(webkit): a redirected image, audio or video is upgraded as in Chromium and Firefox (the
    // redirect path of the loader was not read).
    p.upgradesMixedContentOnRedirect = true
    // Quirk(webkit): a script's nosniff check comes before its MIME-type check (LoadableClassicScript.cpp
    // notifyFinished).
    p.nosniffCheckedBeforeMIMEType = true
    // Quirk(webkit): Integrity-Policy covers scripts only (BCD blocked-destinations_style: Safari no).
    p.integrityPolicyDestinations = [.script]
    // Observed(webkit): conformance run of the element loads (WebKitGTK 2.50): an <img crossorigin>,
    // <link crossorigin>, <script crossorigin> and a module script send Origin to their own origin too
    // (same-origin-img-crossorigin-is-basic); fonts are fetched without CORS, with no Origin, and a
    // cross-origin font without Access-Control-Allow-Origin is used (font-is-always-cors). The source agrees:
    // DocumentFontLoader::cachedFont starts from CachedResourceLoader::defaultCachedResourceOptions(), whose
    // mode is no-cors, and sets no CORS mode for fonts.
    p.elementCORSRequestsAlwaysSendOrigin = true
    p.fetchesFontsWithoutCORS = true
    return p
  }()

  /// The profile for an engine.
  public static func forEngine(_ engine: Engine) -> BrowserProfile {
    switch engine {
    case .spec: return .spec
    case .chromium: return .chromium
    case .firefox: return .firefox
    case .webkit: return .webkit
    }
  }

  /// The four built-in profiles.
  public static let all: [BrowserProfile] = [.spec, .chromium, .firefox, .webkit]
}
