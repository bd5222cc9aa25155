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

  /// The engine a name written in scenario files and the oracle's JSON names. (Written out: the synthesized one
  /// looked the name up through a generic table, several hundred instructions an oracle line.)
  public init?(rawValue: String) {
    switch rawValue {
    case "chromium": self = .chromium
    case "firefox": self = .firefox
    case "webkit": self = .webkit
    case "spec": self = .spec
    default: return nil
    }
  }
}

/// How `Access-Control-Max-Age` becomes a lifetime.
public enum MaxAgeRule: String, Sendable, Hashable, CaseIterable {
  /// delta-seconds (`1*DIGIT`) from a single header line; a failure, several lines or no header → 5 s.
  /// fetch.bs #cors-preflight-fetch-0 steps 7.8–7.9
  case deltaSeconds
  /// int64 (an optional `+` or `-`, then digits) on the combined value: junk or overflow → 5 s; negative → 0
  /// (stored, expired at once).
  case int64
  /// Digits only, on the combined value: anything else, or `0`, is not cached at all; no header → 5 s.
  case digitsOrNotCached
}

/// When a cached `*` (a method or header-name entry made from a preflight that listed `*`) matches a request.
public enum CachedWildcardMatch: String, Sendable, Hashable, CaseIterable {
  /// Whatever the credentials of the entry and the request; never for `Authorization`, a CORS non-wildcard
  /// request-header name. fetch.bs #concept-cache-match-method, #concept-cache-match-header
  case anyRequestButAuthorization
  /// Never: `*` is kept as a literal token.
  case never
  /// Only an entry made without credentials, for a request without credentials; never for `Authorization`.
  case uncredentialedEntryAndRequestButAuthorization
  /// Any entry, for a request without credentials; `Authorization` included.
  case uncredentialedRequest

  /// Whether a cached `*` header-name entry can cover `Authorization`.
  var coversAuthorization: Bool { self == .uncredentialedRequest }
}

/// Which of a preflight's failures is reported when its answer fails several checks.
/// fetch.bs #cors-preflight-fetch-0 step 7 makes "CORS check and ok status" one condition.
public enum PreflightCheckOrder: String, Sendable, Hashable, CaseIterable {
  /// The CORS check, then the status; a redirect status is reported as `preflight-redirect`.
  case corsCheckFirst
  /// A redirect (a 3xx with `Location`) fails as `preflight-redirect` before any header is read; then the CORS
  /// check, then the status.
  case redirectFirst
  /// The status, then the CORS check; every status that is not ok, redirects included, is `preflight-not-ok`.
  case statusFirst
}

/// How a failing `Access-Control-Allow-Origin` is classified for the reason code and the message.
public enum AllowOriginClassification: String, Sendable, Hashable, CaseIterable {
  /// The standard's single failure: a mismatch, whatever the shape of the value. fetch.bs #concept-cors-check
  case mismatch
  /// A space or a comma → multiple; `null` → mismatch; not a URL → invalid; else mismatch.
  case spaceOrCommaListOrInvalidURL
  /// Several header lines → multiple, refused before the value is read; everything else → mismatch.
  case repeatedLinesFirst
  /// A comma → multiple; everything else → mismatch.
  case commaList
}

/// What becomes of `fetch()` request-header lines of one name (`Headers.append` twice).
public enum HeaderLinesOfOneName: String, Sendable, Hashable, CaseIterable {
  /// Each line is judged alone, and `Access-Control-Request-Headers` names each unsafe name once.
  /// fetch.bs #cors-unsafe-request-header-names, #convert-header-names-to-a-sorted-lowercase-set
  case separate
  /// The lines reach the CORS checks combined into one (`a, b`), as an engine that keeps request headers in a
  /// map does.
  case combined
  /// Each line is judged alone, and `Access-Control-Request-Headers` names a header once per unsafe line
  /// (sorted, not de-duplicated).
  case separateListedPerLine
}

/// Which `XMLHttpRequest`s an upload listener (`xhr.upload.onprogress = …`) forces a preflight for.
public enum UploadListenerPreflight: String, Sendable, Hashable, CaseIterable {
  /// Every request: a listener sets the upload listener flag. xhr.bs #the-send()-method step 5
  case always
  /// Asynchronous requests only.
  case asyncOnly
  /// Asynchronous requests with a body only.
  case asyncWithBody
}

/// What an https page's http request to a loopback host (`localhost`, `127.0.0.1`, `[::1]`) is.
public enum LoopbackMixedContent: String, Sendable, Hashable, CaseIterable {
  /// Not mixed content: a loopback URL is potentially trustworthy. mix #should-block-fetch step 3,
  /// secure-contexts #is-origin-trustworthy
  case exempt
  /// Mixed content like any http URL: blocked (images, audio and video too, which the upgrade leaves alone
  /// because the URL is potentially trustworthy).
  case blocked
  /// Mixed content: blocked, except images, audio and video, which load over http with a warning.
  case mediaLoadsOverHTTP
}

/// What an engine does with a `ReadableStream` request body (`fetch(url, {body: stream, duplex: "half"})`).
public enum StreamBodySupport: String, Sendable, Hashable, CaseIterable {
  /// The standard: sent as a stream; the request needs a preflight and cannot follow a 307/308.
  case standard
  /// As the standard, but only over HTTP/2 or QUIC; on an HTTP/1.1 connection the request fails
  /// with `net::ERR_H2_OR_QUIC_REQUIRED` (after its preflight).
  case needsHTTP2
  /// `RequestInit` has no stream body, so the stream converts to the string `[object ReadableStream]`
  /// (a `text/plain;charset=UTF-8` body) and `duplex` is an unknown member, ignored.
  case stringified
  /// `fetch()` rejects with `NotSupportedError` before any request is made.
  case unsupported
}

/// Which opaque-response blocking applies to the no-cors responses of element loads. ORB is not in fetch.bs at
/// the pinned snapshot (annevk/orb; whatwg/fetch#1442), so the standard's profile applies none.
public enum OpaqueResponseBlocking: String, Sendable, Hashable, CaseIterable {
  /// No ORB.
  case none
  /// ORB "v0.2": never-sniffed types and nosniff HTML/JSON/XML/text/plain are blocked at once; other bodies are
  /// sniffed for HTML, XML, JSON and JavaScript parser breakers; everything else fails open.
  case sniffingFailsOpen
  /// The ORB algorithm with a JavaScript validator: what is neither safelisted nor sniffed as an image or media
  /// is blocked unless it parses as JavaScript and not as JSON.
  case javaScriptValidator
}

/// Whose words the console messages, the warnings and the exceptions script sees are in.
public enum ConsoleDialect: String, Sendable, Hashable, CaseIterable {
  /// The standard's reason in words (no browser prints these).
  case spec
  /// Chromium's (`cors_error_string.cc`, `fetch_manager.cc`, `mixed_content_checker.cc`, `request.cc`…).
  case chromium
  /// Firefox's (`security.properties`, `dom/bindings/Errors.msg`…).
  case firefox
  /// WebKit's (`CrossOriginAccessControl.cpp`, `MixedContentChecker.cpp`, `FetchRequest.cpp`…).
  case webkit
}

/// A browser profile: the standard's algorithm plus the engine's departures from it. It is the only place an
/// engine differs: the algorithm reads these fields and never asks which engine it is.
///
/// Each field's default is the standard's answer, cited on its `Standard:` line. Each built-in profile sets
/// its departures under comments of two forms, which `ProfileEvidenceTests` checks:
///
///     // Source(engine): path/file.cc Function — what the source shows
///     // Observed(engine): Spec/folder/file.cors — what the conformance run showed
///
/// (`Unverified(engine):` marks a value taken from a reading that no run has confirmed yet.)
///
/// and the mutation test (`ProfileMutationTests`) changes every field of every built-in profile to each other
/// value and requires a Spec file of that engine to notice. A new release is a copy:
///
///     var p = BrowserProfile.chromium
///     p.version = "Chromium 157"
///     p.maxAgeCap = 3600
public struct BrowserProfile: Sendable, Hashable {
  // MARK: What the profile is

  /// The engine the profile models: the name verdicts carry and the lines of a Spec file that apply. No step
  /// of the algorithm reads it.
  /// Standard: `spec`.
  public var engine: Engine
  /// The engine release the fields were taken from and checked against (`Chromium 156`), or the pinned
  /// snapshot of the standard.
  /// Standard: `fetch.bs` at `FetchStandard.fetchCommit`.
  public var version: String
  /// Whose words the console messages, warnings and script-visible exceptions are in.
  /// Standard: none; the `spec` dialect states the rule instead.
  public var consoleDialect: ConsoleDialect = .spec

  // MARK: The CORS-preflight cache

  /// The largest `Access-Control-Max-Age` honoured, in seconds (nil: no limit).
  /// Standard: no limit; "a user agent may impose a limit" (fetch.bs #cors-preflight-fetch-0 step 7.10).
  public var maxAgeCap: Int? = nil
  /// How `Access-Control-Max-Age` is parsed.
  /// Standard: `.deltaSeconds` (fetch.bs #cors-preflight-fetch-0 steps 7.8–7.9).
  public var maxAgeRule: MaxAgeRule = .deltaSeconds
  /// Whether a cache entry made with credentials serves requests without them.
  /// Standard: yes (fetch.bs #concept-cache-match: the entry's credentials, or a request that is not `include`).
  public var credentialedEntriesServeUncredentialed: Bool = true
  /// When a cached `*` matches a later request.
  /// Standard: `.anyRequestButAuthorization` (fetch.bs #concept-cache-match-method, #concept-cache-match-header).
  public var cachedWildcard: CachedWildcardMatch = .anyRequestButAuthorization
  /// Whether `HEAD` needs a method entry on a cache lookup.
  /// Standard: no, it is a CORS-safelisted method (fetch.bs #concept-http-fetch step 4.1).
  public var headNeedsMethodEntry: Bool = false
  /// Whether the cache holds one result per (origin, URL): each preflight's result replaces the earlier one,
  /// and a result that does not allow a request is erased when that request looks it up.
  /// Standard: no; entries are per method and header name, refreshed or added, never replaced
  /// (fetch.bs #cors-preflight-fetch-0 steps 7.12–7.15).
  public var keepsOneCachedResultPerURL: Bool = false
  /// Whether a preflighted fetch that ends in a network error clears the cache entries for its URL.
  /// Standard: yes (fetch.bs #concept-main-fetch, "clear cache entries"; #concept-cache-clear).
  public var clearsCacheOnNetworkError: Bool = true
  /// Whether a preflight that lists nothing still leaves a result for its URL, which a later forced preflight
  /// for GET or POST can use.
  /// Standard: no; only listed (or implied) methods and names make entries (fetch.bs #cors-preflight-fetch-0 step 7.11).
  public var cachesEmptyPreflightResults: Bool = false
  /// Whether URLs of 1024 characters or more are never cached.
  /// Standard: no such rule (fetch.bs #concept-cache).
  public var longURLsNotCached: Bool = false

  // MARK: The CORS-preflight fetch

  /// Which failure is reported when a preflight's answer fails several checks.
  /// Standard: `.corsCheckFirst` (fetch.bs #cors-preflight-fetch-0 step 7).
  public var preflightCheckOrder: PreflightCheckOrder = .corsCheckFirst
  /// Whether `Access-Control-Allow-Methods` is parsed and matched before `Access-Control-Allow-Headers` is parsed.
  /// Standard: no; both are extracted first (fetch.bs #cors-preflight-fetch-0 steps 7.1–7.3).
  public var methodsCheckedBeforeHeadersParsed: Bool = false
  /// Whether `Access-Control-Allow-Headers: *` covers `Authorization` at preflight time.
  /// Standard: never (fetch.bs #cors-preflight-fetch-0 step 7.6, #cors-non-wildcard-request-header-name).
  public var authorizationCoveredByWildcard: Bool = false
  /// How a failing `Access-Control-Allow-Origin` is classified.
  /// Standard: `.mismatch` (fetch.bs #concept-cors-check step 4).
  public var allowOriginClassification: AllowOriginClassification = .mismatch
  /// Whether the first header not allowed is looked for in sorted order (else in the script's order).
  /// Standard: sorted (fetch.bs #cors-preflight-fetch-0 step 7.7 walks the sorted unsafe names).
  public var reportsFirstDisallowedHeaderSorted: Bool = true
  /// Whether a forced preflight whose answer has no `Access-Control-Allow-Methods` allows the request's own method.
  /// Standard: yes (fetch.bs #cors-preflight-fetch-0 step 7.4).
  public var forcedPreflightImpliesMethod: Bool = true
  /// Whether a preflight sent after a tainting redirect carries the initiator's origin (the request then
  /// carries `null`).
  /// Standard: no; both carry the byte-serialized request origin (fetch.bs #serializing-a-request-origin).
  public var preflightAfterRedirectUsesInitiatorOrigin: Bool = false
  /// Whether a request whose origin a redirect tainted looks up and stores preflight results under an origin of
  /// its own (a new opaque origin for each fetch), so that no later fetch reuses them.
  /// Standard: no; the cache key is the byte-serialized origin `null`, shared by every tainted request
  /// (fetch.bs #concept-cache-match, #serializing-a-request-origin).
  public var taintedOriginIsNewOpaqueOrigin: Bool = false
  /// Whether a redirect to a URL of the same origin gets a preflight of its own when the request needs one for
  /// its method alone.
  /// Standard: yes; every hop runs HTTP fetch with its own cache lookup (fetch.bs #concept-http-redirect-fetch).
  public var preflightsSameOriginRedirectTarget: Bool = true
  /// How a request that has been redirected decides whether a hop needs a preflight, and what the preflight
  /// asks for.
  /// Standard: `.standard` — each hop runs main fetch on the request as it is now (fetch.bs
  /// #concept-http-redirect-fetch step 22, #concept-main-fetch step 12).
  public var redirectPreflight: RedirectPreflightRule = .standard
  /// Whether a preflight to a URL of the page's own origin (a chain that left the origin and came back) is
  /// exempt from the CORS check of its answer.
  /// Standard: no (fetch.bs #cors-preflight-fetch-0 step 7).
  public var skipsPreflightCORSCheckOnOwnOrigin: Bool = false
  /// What a redirect whose `Location` is present but empty (or only spaces) does.
  /// Standard: `.followed` — the empty string parses as the request's URL, which is fetched again until the
  /// redirect limit (fetch.bs #concept-response-location-url).
  public var emptyLocation: EmptyLocationRule = .followed
  /// Whether a redirect answered by another origin, in a chain that began on the page's origin, is CORS-checked
  /// as credentialed when the credentials mode is "same-origin" (the engine keeps the credentials decision it
  /// made for the chain's first, same-origin request).
  /// Standard: no; the redirect response is checked with the request's credentials mode (fetch.bs #concept-http-fetch step 4.4).
  public var checksCrossOriginRedirectsAsCredentialed: Bool = false
  /// Whether a redirect to another origin turns DELETE into GET, whatever its status (307 and 308 included).
  /// Standard: no (fetch.bs #concept-http-redirect-fetch step 12: a 301/302 rewrites POST only, a 303 anything
  /// but GET/HEAD).
  public var redirectsDELETECrossOriginAsGET: Bool = false

  // MARK: HTTP cache

  /// What the HTTP cache key is made of besides the URL.
  /// Standard: `.partitionAndURL` (fetch.bs #determine-the-http-cache-partition: the network partition key).
  public var httpCacheKey: HTTPCacheKeyRule = .partitionAndURL
  /// Whether a 300, 301, 308 or 410 response to a GET without explicit freshness is stored as fresh forever
  /// (so a later fetch of the URL follows a cached permanent redirect without asking the server).
  /// Standard: no; the model stores only responses with explicit freshness (RFC 9111 §4.2.2 leaves heuristic
  /// freshness to the cache, and Fetch says nothing of it).
  public var permanentStatusesFreshForever: Bool = false
  /// Whether a non-error answer to an unsafe method (PUT, POST, DELETE…) removes what the HTTP cache stored for
  /// its URL, so that a later GET goes to the server.
  /// Standard: yes (RFC 9111 §4.4: a cache MUST invalidate the target URI on a non-error answer to an unsafe
  /// method; Fetch's HTTP cache sits below the CORS check, fetch.bs #concept-http-network-or-cache-fetch).
  public var invalidatesStoredResponseAfterUnsafeMethod: Bool = true

  // MARK: Request headers

  /// Whether the client-hint headers (`DPR`, `Save-Data`…) and `Intervention` are CORS-safelisted.
  /// Standard: no (fetch.bs #cors-safelisted-request-header).
  public var extraSafelistedRequestHeaders: Bool = false
  /// The limit of the total size of safelisted values, beyond which they are all unsafe (nil: no such rule).
  /// Standard: 1024 (fetch.bs #cors-unsafe-request-header-names step 5).
  public var safelistedValueTotalLimit: Int? = 1024
  /// Whether bytes 0x80–0xFF count as CORS-unsafe request-header bytes.
  /// Standard: no (fetch.bs #cors-unsafe-request-header-byte).
  public var nonASCIIIsCORSUnsafeByte: Bool = false
  /// Whether the `bytes` unit of a safelisted `Range` is matched case-insensitively.
  /// Standard: no, byte for byte (fetch.bs #simple-range-header-value step 3).
  public var rangeUnitCaseInsensitive: Bool = false
  /// What becomes of `fetch()` header lines of one name.
  /// Standard: `.separate` (fetch.bs #concept-header-list-append, #cors-unsafe-request-header-names).
  public var headerLinesOfOneName: HeaderLinesOfOneName = .separate

  // MARK: APIs

  /// Which XHRs upload listeners force a preflight for.
  /// Standard: `.always` (xhr.bs #the-send()-method step 5).
  public var uploadListenersForcePreflight: UploadListenerPreflight = .always
  /// Whether XHR rewrites a non-UTF-8 charset by replacing the parameter's value in the author's text (quotes
  /// and spacing kept) rather than re-serializing the parsed type.
  /// Standard: re-serialized (xhr.bs #the-send()-method step 4.4.2).
  public var xhrCharsetRewrittenInPlace: Bool = false
  /// What happens to a `ReadableStream` request body.
  /// Standard: `.standard` (fetch.bs #dom-request steps 36–37, #concept-http-redirect-fetch step 11).
  public var streamRequestBodies: StreamBodySupport = .standard
  /// Whether a non-null `init.window` throws.
  /// Standard: yes (fetch.bs #dom-request step 11).
  public var rejectsNonNullWindow: Bool = true
  /// The bytes of keepalive bodies allowed in flight (nil: no limit enforced).
  /// Standard: 65536 (fetch.bs #http-network-or-cache-fetch step 8.10.3).
  public var keepaliveQuota: Int? = 65536
  /// Whether the referrer policy can make a no-cors request's `Origin` `null`.
  /// Standard: yes (fetch.bs #append-a-request-origin-header step 4.1).
  public var originHeaderFollowsReferrerPolicy: Bool = true

  // MARK: Schemes

  /// Whether scheme fetch answers `about:` URLs (about:blank); else they fail as an unsupported scheme.
  /// Standard: yes (fetch.bs #scheme-fetch, "about").
  public var fetchesAboutURLs: Bool = true
  /// Whether a `data:` response carries `Content-Length` besides `Content-Type` (when its body is not empty).
  /// Standard: no (fetch.bs #scheme-fetch, "data").
  public var dataURLHasContentLength: Bool = false

  // MARK: Redirects

  /// Whether any redirect to a URL with a user name or password fails (even a same-origin one).
  /// Standard: only a cross-origin one in CORS mode (fetch.bs #concept-http-redirect-fetch step 8).
  public var refusesRedirectToURLWithCredentials: Bool = false
  /// Whether several `Location` lines are combined into one value and followed (else a network error).
  /// Standard: a network error (fetch.bs #concept-response-location-url, #extract-header-list-values).
  public var combinesLocationLines: Bool = false
  /// Whether the request-body headers (`Content-Type`…) survive a redirect that rewrites the method to GET.
  /// Standard: removed (fetch.bs #concept-http-redirect-fetch step 12).
  public var keepsBodyHeadersOnMethodRewrite: Bool = false
  /// Whether an `Origin` header sent on a hop is sent again on the next hop of a same-origin redirect (of a
  /// fetch, not of a navigation).
  /// Standard: no; it is appended afresh only when the rules call for it (fetch.bs #append-a-request-origin-header).
  public var keepsOriginHeaderAcrossRedirects: Bool = false

  // MARK: Mixed content and Local Network Access

  /// Whether only `https` pages restrict mixed content.
  /// Standard: any potentially trustworthy origin does (mix #categorize-settings-object).
  public var onlySecureSchemePagesRestrictMixedContent: Bool = false
  /// What an https page's http request to a loopback host is.
  /// Standard: `.exempt` (mix #should-block-fetch step 3).
  public var loopbackMixedContent: LoopbackMixedContent = .exempt
  /// Whether only URLs of the HTTP family (http, https, ws, wss) can be mixed content; other schemes fail elsewhere.
  /// Standard: no (mix #should-block-fetch).
  public var mixedContentOnlyForHTTPFamily: Bool = false
  /// Whether mixed images, audio and video whose host is an IP address are upgraded too (the standard leaves
  /// them alone, and then blocks them).
  /// Standard: no (mix #upgrade-algorithm step 1.2).
  public var upgradesMixedContentIPAddresses: Bool = false
  /// Whether a redirect to an http image, audio or video is upgraded too.
  /// Standard: no; the algorithm reads "request's URL", the first of the URL list (mix #upgrade-algorithm).
  public var upgradesMixedContentOnRedirect: Bool = false
  /// Whether Local Network Access checks run.
  /// Standard: none in fetch.bs (WICG local-network-access, at `FetchStandard.localNetworkAccessCommit`).
  public var localNetworkAccess: Bool = false

  // MARK: Element loads

  /// The opaque-response blocking applied to element loads.
  /// Standard: `.none` (not in fetch.bs at the pinned snapshot; whatwg/fetch#1442).
  public var opaqueResponseBlocking: OpaqueResponseBlocking = .none
  /// Whether a script's nosniff check comes before the MIME-type block list.
  /// Standard: the MIME type first (fetch.bs #concept-main-fetch step 20).
  public var nosniffCheckedBeforeMIMEType: Bool = false
  /// The elements whose CORS-mode requests (`crossorigin`, a module script, a font) carry `Origin` to their own
  /// origin too.
  /// Standard: none; only with response tainting "cors" (fetch.bs #append-a-request-origin-header step 3).
  public var elementsSendingOriginToOwnOrigin: Set<ElementKind> {
    get { elementsSendingOriginToOwnOriginCases.set }
    set { elementsSendingOriginToOwnOriginCases = CaseBits(newValue) }
  }
  /// `elementsSendingOriginToOwnOrigin` as bits, what the fetch reads (see `CaseBits`).
  private(set) var elementsSendingOriginToOwnOriginCases = CaseBits<ElementKind>([])
  /// Whether some element's CORS-mode requests carry `Origin` to their own origin (`elementsSendingOriginToOwnOrigin`
  /// not empty); setting it to true makes every element's do, false none's.
  public var elementCORSRequestsAlwaysSendOrigin: Bool {
    get { !elementsSendingOriginToOwnOriginCases.isEmpty }
    set { elementsSendingOriginToOwnOrigin = newValue ? Set(ElementKind.allCases) : [] }
  }
  /// Whether an element's no-cors request (an `<img>`, `<script>`, `<link>` or media element without
  /// `crossorigin`) from a sandboxed document carries `Origin: null` to a URL same site with the document's URL
  /// (on its first hop; not a no-cors fetch()).
  /// Standard: no; a no-cors GET gets no `Origin` (fetch.bs #append-a-request-origin-header step 4).
  public var sandboxedElementLoadsSendOriginSameSite: Bool = false
  /// Whether an `<audio>` or `<video>` whose body is no media sends its request a second time (the same request,
  /// answered the same way) before it fires `error`.
  /// Standard: once (html media.html#concept-media-load-resource fetches the resource once).
  public var requestsUndecodableMediaTwice: Bool = false
  /// How an `<audio>` or `<video>` finds out what its body is: the table of signatures it reads, and whether its
  /// `Content-Type` counts when none matches (see `MediaTypeSniffing`).
  /// Standard: `.standard` (mimesniff.bs #rules-for-sniffing-audio-and-video-specifically: the audio or video type
  /// pattern matching algorithm, the supplied type when it matches nothing or is XML).
  public var mediaTypeSniffing: MediaTypeSniffing = .standard
  /// The media containers the element plays (with the codecs the Spec files use: PCM, MP3, FLAC, Opus).
  /// Standard: every one; which formats a user agent plays is its own choice (html media.html#dom-navigator-canplaytype).
  public var mediaContainersPlayed: Set<MediaContainer> {
    get { mediaContainersPlayedCases.set }
    set { mediaContainersPlayedCases = CaseBits(newValue) }
  }
  /// `mediaContainersPlayed` as bits, what the fetch reads (see `CaseBits`).
  private(set) var mediaContainersPlayedCases = CaseBits<MediaContainer>(MediaContainer.allCases)
  /// Whether fonts are fetched with mode `no-cors` and credentials `include`, as an image without
  /// `crossorigin` is, rather than with CORS.
  /// Standard: CORS (css-fonts-4 #font-fetching-requirements).
  public var fetchesFontsWithoutCORS: Bool = false
  /// Whether `new Worker(url)` and `new SharedWorker(url)` throw a SecurityError for an http(s) URL of
  /// another origin, before any request.
  /// Standard: no check in the constructor; the worker's same-origin fetch fails (html: workers.html#dom-worker,
  /// #fetch-a-classic-worker-script).
  public var workerConstructorRefusesCrossOrigin: Bool = false
  /// Whether `new WebSocket("ws://…")` from a page that restricts mixed content throws a SecurityError, before
  /// any request.
  /// Standard: the constructor does not check; the handshake's fetch is blocked as mixed content
  /// (websockets #dom-websocket-websocket, mix #should-block-fetch) and the connection fails.
  public var webSocketInsecureFromSecureThrows: Bool = false
  /// Whether a WebSocket that asked for subprotocols fails when the server's 101 names none.
  /// Standard: it fails (websockets #concept-websocket-establish step 11.2, beyond RFC 6455, which only refuses
  /// one not asked for).
  public var webSocketRequiresChosenProtocol: Bool = true
  /// Whether a WebSocket handshake answered with a redirect follows it (the handshake is sent again to the
  /// Location, with `Origin`) instead of failing at once.
  /// Standard: redirect mode "error": the redirect is a network error (websockets #concept-websocket-establish).
  public var webSocketFollowsRedirects: Bool = false
  /// The worker scripts that run only with a JavaScript MIME type.
  /// Standard: both (html: workers.html#fetch-a-classic-worker-script; webappapis.html#fetch-a-single-module-script).
  public var workerScriptsNeedingJavaScriptMIME: Set<WorkerType> {
    get { workerScriptsNeedingJavaScriptMIMECases.set }
    set { workerScriptsNeedingJavaScriptMIMECases = CaseBits(newValue) }
  }
  /// `workerScriptsNeedingJavaScriptMIME` as bits, what the fetch reads (see `CaseBits`).
  private(set) var workerScriptsNeedingJavaScriptMIMECases = CaseBits<WorkerType>([.classic, .module])
  /// Whether a `<link rel=stylesheet>` answered with another type than text/css (without nosniff) still fires
  /// `load`, with an empty sheet, rather than `error`. The sheet is not applied either way.
  /// Standard: `error` (html links.html#link-type-stylesheet sets success to false).
  public var unappliedStylesheetFiresLoad: Bool = false
  /// The elements that fire `error` for a 3xx response that is not followed (no `Location`, or a 300/304-style
  /// status); every element but `<img>` fires `error` for a 4xx or 5xx in every engine, and `<img>` never looks at
  /// the status (`blockIfElementStatusNotOK`).
  /// Standard: all but images — a status that is not ok (200–299) gives no script (html:
  /// webappapis.html#fetch-a-classic-script, #fetch-a-single-module-script), no stylesheet
  /// (links.html#link-type-stylesheet), no font, no media data.
  public var elementsRefusing3xxStatus: Set<ElementKind> {
    get { elementsRefusing3xxStatusCases.set }
    set { elementsRefusing3xxStatusCases = CaseBits(newValue) }
  }
  /// `elementsRefusing3xxStatus` as bits, what the fetch reads (see `CaseBits`).
  private(set) var elementsRefusing3xxStatusCases = CaseBits<ElementKind>([.script, .module, .style, .font, .audio, .video])
  /// Whether a module script's type is checked when its response's headers arrive, before the CORS check and
  /// the status, so that a module served as text/html fails for its type even when CORS or the status would fail it.
  /// Standard: after them (html: webappapis.html#fetch-a-single-module-script checks the status, then the type, of
  /// a response the fetch has returned; Fetch's CORS check runs first).
  public var moduleTypeCheckedOnResponseHeaders: Bool = false
  /// The destinations an `Integrity-Policy` `blocked-destinations` list can block.
  /// Standard: script and style (SRI #integrity-policy-section).
  public var integrityPolicyDestinations: Set<RequestDestination> {
    get { integrityPolicyDestinationsCases.set }
    set { integrityPolicyDestinationsCases = CaseBits(newValue) }
  }
  /// `integrityPolicyDestinations` as bits, what the fetch reads (see `CaseBits`).
  private(set) var integrityPolicyDestinationsCases = CaseBits<RequestDestination>([.script, .style])
  /// Whether a request that finds a preload of its URL and destination under another credentials mode or mode
  /// says so in the console (the request goes to the network either way).
  /// Standard: nothing is said (html: links.html#consume-a-preloaded-resource returns false).
  public var warnsOfUnusedPreload: Bool = false
  /// Which preload a request uses.
  /// Standard: the one stored under its preload key (html: links.html#consume-a-preloaded-resource).
  public var preloadMatching: PreloadMatching = .key
  /// Whether `<link rel=preload as=font>` fetches with CORS (mode cors, credentials same-origin) whatever its
  /// `crossorigin`, as fonts are fetched; its key still has the attribute's mode and credentials.
  /// Standard: the attribute decides the request (html: links.html#link-type-preload).
  public var preloadsFontsWithCORS: Bool = false
  /// Whether a preload link whose fetch fails the CORS check fires `load` rather than `error` (the request that
  /// uses it fails all the same).
  /// Standard: `error` for a network error (html: links.html#link-type-preload).
  public var preloadFiresLoadWhenCORSFails: Bool = false
  /// Whether a module script fetch (`import()`, `<script type=module>`) uses an `as=script` preload with its key.
  /// Standard: yes, the key has no script kind (html: links.html#preload-key).
  public var scriptPreloadServesModules: Bool = true
  /// How a preload's credentials mode is compared with the request's.
  /// Standard: as modes, `omit`, `same-origin` and `include` apart (html: links.html#preload-key).
  public var preloadCredentials: PreloadCredentials = .mode
  /// Whether a preload link with `crossorigin` (a CORS-mode request) carries `Origin` to its own origin too.
  /// Standard: no; only with response tainting "cors" (fetch.bs #append-a-request-origin-header step 3).
  public var preloadsSendOriginToOwnOrigin: Bool = false

  init(engine: Engine, version: String) {
    self.engine = engine
    self.version = version
  }

  /// The Fetch standard, with no engine's departures. Where the standard leaves a choice to the user agent
  /// (the max-age cap) this profile makes none.
  public static let spec = BrowserProfile(engine: .spec, version: "fetch.bs \(FetchStandard.fetchCommit)")

  /// Chromium.
  public static let chromium: BrowserProfile = {
    var p = BrowserProfile.spec
    p.engine = .chromium
    // Observed(chromium): Spec/apis/worker-cross-origin-throws.cors — the constructor throws a SecurityError.
    p.workerConstructorRefusesCrossOrigin = true
    // Observed(chromium): Spec/apis/websocket-insecure-from-https-page.cors — the constructor throws a SecurityError.
    p.webSocketInsecureFromSecureThrows = true
    // Observed(chromium): Spec/apis/worker-served-as-html-fails.cors — a classic worker served as text/html runs;
    // a module worker does not (module-worker-served-as-html-fails).
    p.workerScriptsNeedingJavaScriptMIME = [.module]
    // Source(chromium): third_party/blink/renderer/platform/loader/fetch/resource_fetcher.cc PrintPreloadMismatch,
    // after resource.cc Resource::CanReuse compares the credentials mode, then the mode, of a preload found under
    // the request's URL and resource type.
    p.warnsOfUnusedPreload = true
    // Observed(chromium): Spec/apis/preload-same-origin-used-by-fetch.cors — a same-origin preload with crossorigin
    // sends Origin.
    p.preloadsSendOriginToOwnOrigin = true
    // (Chromium 156 removes Authorization on a cross-origin redirect as the standard says, although
    // browser-compat-data says Chrome does not: Spec/http-redirect-fetch/authorization-removed-on-cross-origin-hop.cors.)

    // Observed(chromium): Spec/CONFORMANCE.md — the release the conformance runs played (Scripts/browser-versions.txt).
    p.version = "Chromium 156"
    // Source(chromium): services/network/cors/cors_url_loader.cc — a tainting redirect sets the request's origin
    // to a new opaque url::Origin, which equals no other. Observed:
    // Spec/cors-preflight-cache/tainted-origin-entry-not-reused-per-engine.cors (redirect-chain generator, seed 11,
    // chains 228 and 245).
    p.taintedOriginIsNewOpaqueOrigin = true
    // Source(chromium): net/http/http_response_headers.cc GetFreshnessLifetimes — 300, 301, 308 and 410 responses
    // without explicit freshness are fresh forever. Observed: Spec/http-cache/permanent-redirect-cached-in-chromium.cors
    // (redirect-chain generator, seed 12, chain 244: the second fetch went straight to the 308's target).
    p.permanentStatusesFreshForever = true
    // Observed(chromium): Spec/http-cache/unsafe-method-not-answered-from-cache.cors — after a PUT answered 200 without
    // CORS headers, the next GET was answered from the cache (run of 2026-12-06).
    p.invalidatesStoredResponseAfterUnsafeMethod = false
    // Source(chromium): third_party/blink/renderer/platform/loader/cors/cors_error_string.cc — the CORS messages.
    p.consoleDialect = .chromium
    // Source(chromium): services/network/cors/preflight_result.cc kMaxTimeout — 7200 s.
    p.maxAgeCap = 7200
    // Source(chromium): services/network/cors/preflight_result.cc — base::StringToInt64 on the header; junk or
    // overflow → kDefaultTimeout (5 s), negative → 0.
    p.maxAgeRule = .int64
    // Source(chromium): services/network/cors/preflight_result.cc EnsureAllowedCrossOriginMethod — `*` only when
    // the result is not credentialed; cached results are matched in the "non-wildcard request headers" variant,
    // so a cached `*` never covers Authorization.
    p.cachedWildcard = .uncredentialedEntryAndRequestButAuthorization
    // Source(chromium): services/network/cors/preflight_cache.cc AppendEntry — one PreflightResult per (origin,
    // URL, isolation key), replaced by each preflight; CheckIfRequestCanSkipPreflight erases a result that does
    // not allow the request.
    // Observed(chromium): Spec/cors-preflight-cache/failed-preflight-loses-cached-result.cors — the result a
    // credentialed request missed was gone: the next PUT was preflighted again although the cache is kept on failures.
    p.keepsOneCachedResultPerURL = true
    // Source(chromium): services/network/cors/cors_url_loader.cc HandleComplete — a failed request leaves the
    // preflight cache alone.
    p.clearsCacheOnNetworkError = false
    // Source(chromium): services/network/cors/preflight_result.cc EnsureAllowedCrossOriginMethod — one result per
    // URL, so a result that lists nothing still serves a later forced preflight for a safelisted method.
    p.cachesEmptyPreflightResults = true
    // Source(chromium): services/network/cors/preflight_cache.cc — URLs of 1024 characters or more are not cached.
    p.longURLsNotCached = true
    // Source(chromium): services/network/cors/preflight_controller.cc — a redirected preflight fails before any
    // header is read.
    p.preflightCheckOrder = .redirectFirst
    // Source(chromium): services/network/public/cpp/cors/cors.cc — `*` covers Authorization while
    // features.cc CorsNonWildcardRequestHeadersSupport is disabled.
    p.authorizationCoveredByWildcard = true
    // Source(chromium): services/network/public/cpp/cors/cors.cc CheckAccess — a space or comma →
    // kMultipleAllowOriginValues, unparsable → kInvalidAllowOriginValue.
    p.allowOriginClassification = .spaceOrCommaListOrInvalidURL
    // Observed(chromium): Spec/cors-preflight-fetch/first-disallowed-header-firefox-reports-sorted.cors — x-zeta of
    // X-Zeta, X-Alpha. preflight_result.cc EnsureAllowedCrossOriginHeaders walks the headers it receives, in the
    // order of Blink's HTTPHeaderMap, a hash map (x-zeta of X-Alpha, X-Zeta too): the script's order, modelled
    // here, is Chromium's answer for that file only.
    p.reportsFirstDisallowedHeaderSorted = false
    // Source(chromium): services/network/cors/preflight_result.cc EnsureAllowedCrossOriginMethod — a listed,
    // safelisted or `*` method only; no implied method.
    p.forcedPreflightImpliesMethod = false
    // Source(chromium): services/network/public/cpp/cors/cors.cc IsCorsSafelistedHeader — client hints and
    // `Intervention` are safelisted.
    p.extraSafelistedRequestHeaders = true
    // Observed(chromium): Spec/cors-unsafe-request-header-names/two-safelisted-content-type-entries-no-preflight.cors
    // — two `Content-Type: text/plain` lines reach the CORS check as one value and force a preflight (Blink's
    // HTTPHeaderMap).
    p.headerLinesOfOneName = .combined
    // Source(chromium): third_party/blink/renderer/core/xmlhttprequest/xml_http_request.cc — upload listeners
    // force a preflight only for asynchronous requests with a body.
    p.uploadListenersForcePreflight = .asyncWithBody
    // Observed(chromium): Spec/xhr/charset-rewritten-to-utf-8.cors — XHR swaps the charset value in the author's
    // text, so `charset="UTF-8"` keeps its quotes (xml_http_request.cc ReplaceCharsetInMediaType).
    p.xhrCharsetRewrittenInPlace = true
    // Source(chromium): net/http/http_stream_factory_job.cc ERR_H2_OR_QUIC_REQUIRED — streaming uploads need
    // HTTP/2 or QUIC; the conformance run saw the preflight go out, then the POST fail on HTTP/1.1.
    p.streamRequestBodies = .needsHTTP2
    // Observed(chromium): Spec/request-constructor/window-non-null.cors — `window: window` does not throw.
    p.rejectsNonNullWindow = false
    // Observed(chromium): Spec/request-constructor/no-cors-post-no-referrer-origin-null.cors — a no-cors POST
    // keeps its real Origin whatever the referrer policy.
    p.originHeaderFollowsReferrerPolicy = false
    // Source(chromium): third_party/blink/renderer/core/fetch/fetch_manager.cc FetchLoaderBase::PerformSchemeFetch
    // — http(s), blob and data only; about:blank fails with kCorsDisabledScheme.
    p.fetchesAboutURLs = false
    // Observed(chromium): Spec/http-redirect-fetch/location-with-credentials-same-origin-allowed.cors — a redirect
    // to a URL with credentials fails within the origin too (Blink blocks subresource URLs with embedded
    // credentials, chromestatus 5669008342777856).
    p.refusesRedirectToURLWithCredentials = true
    // Source(chromium): net/http/http_response_headers.cc IsRedirect — a Location that is empty (after trimming
    // spaces) does not make a redirect; the 3xx is the response. Observed: Spec/http-redirect-fetch/empty-location-same-origin.cors.
    p.emptyLocation = .notARedirect
    // Source(chromium): third_party/blink/renderer/core/loader/mixed_content_checker.cc
    // ShouldTreatURLSchemeAsRestrictingMixedContent — only https documents restrict mixed content.
    p.onlySecureSchemePagesRestrictMixedContent = true
    // Source(chromium): third_party/blink/renderer/core/loader/mixed_content_checker.cc — non-webby schemes are
    // never mixed content; they fail elsewhere.
    p.mixedContentOnlyForHTTPFamily = true
    // Source(chromium): third_party/blink/renderer/core/loader/mixed_content_checker.cc UpgradeInsecureRequest —
    // sets UpgradeIfInsecure "so any redirects get upgraded".
    p.upgradesMixedContentOnRedirect = true
    // Source(chromium): services/network/public/cpp/features.cc LocalNetworkAccessChecks — enabled by default
    // since M142.
    p.localNetworkAccess = true
    // Source(chromium): services/network/orb/orb_impl.cc ShouldHandleBlockedResponseAs — ORB v0.2 for element
    // loads (orb_sniffers.cc, orb_mimetypes.cc); fetch() keeps CORB-style empty responses
    // (features.cc kOpaqueResponseBlockingErrorsForAllFetches off).
    p.opaqueResponseBlocking = .sniffingFailsOpen
    // Source(chromium): media/filters/ffmpeg_demuxer.cc FFmpegDemuxer::Initialize opens the resource with
    // avformat_open_input and no input format, so FFmpeg probes the bytes; the response's Content-Type is not
    // read. Observed(chromium): Spec/media-sniffing/mp4-bad-brand-under-text-plain-plays-in-chromium-and-webkit.cors.
    p.mediaTypeSniffing = .none
    // Observed(chromium): Spec/media-sniffing/ — WAVE, MP3 (with and without ID3), FLAC, Ogg, WebM, Matroska, MP4
    // (QuickTime too) and AAC in ADTS play; AIFF, MIDI and AVI fire error whatever the Content-Type (Chromium 156).
    p.mediaContainersPlayed = [.wave, .mp3, .flac, .ogg, .webm, .matroska, .mp4, .adts]
    // Source(chromium): allowed_by_nosniff.cc MimeTypeAsScript — nosniff is judged before the image/audio/video/csv
    // list.
    p.nosniffCheckedBeforeMIMEType = true
    // Observed(chromium): Spec/element-loads/same-origin-img-crossorigin-is-basic.cors — an <img crossorigin>,
    // <link crossorigin>, <script crossorigin>, a module script and a font send Origin to their own origin too;
    // Spec/element-loads/audio-crossorigin-same-origin-sends-no-origin-in-chromium.cors — an <audio crossorigin>
    // does not (the media loader, which <video> shares: Unverified for <video>).
    p.elementsSendingOriginToOwnOrigin = [.image, .script, .module, .style, .font]
    // Observed(chromium): Spec/elements-details/sandboxed-img-to-own-host-sends-origin-null.cors — an <img>,
    // <script>, <link> or <audio> without crossorigin in <iframe sandbox> sends Origin: null to its own host, a
    // subdomain and another port of it, none to another site (Chromium 156).
    p.sandboxedElementLoadsSendOriginSameSite = true
    // Observed(chromium): Spec/main-fetch/stylesheet-served-as-html-not-applied.cors — a stylesheet of another
    // type than text/css fires load with an empty sheet. The type is checked only when the sheet is parsed
    // (StyleSheetContents::ParseAuthorStyleSheet with CSSStyleSheetResource::SheetText, which logs "Refused to
    // apply style…"), after which link_style.cc LinkStyle::NotifyFinished reports a loaded sheet.
    p.unappliedStylesheetFiresLoad = true
    // Observed(chromium): Spec/element-loads/script-status-300-runs-except-in-firefox.cors — a classic script, a
    // stylesheet and a font answered 300 or 399 are used as if 200 (the resource loaders fail from 400); a module
    // script and media fail.
    p.elementsRefusing3xxStatus = [.module, .audio, .video]
    // Source(chromium): browser-compat-data http/headers/Integrity-Policy.json blocked-destinations_style — Chrome
    // no: Integrity-Policy covers scripts only.
    p.integrityPolicyDestinations = [.script]
    return p
  }()

  /// Firefox.
  public static let firefox: BrowserProfile = {
    var p = BrowserProfile.spec
    p.engine = .firefox
    // Observed(firefox): Spec/apis/websocket-insecure-from-https-page.cors — the constructor throws a SecurityError.
    p.webSocketInsecureFromSecureThrows = true
    // Observed(firefox): Spec/apis/websocket-protocol-not-chosen.cors — a 101 naming no subprotocol opens.
    p.webSocketRequiresChosenProtocol = false
    // Observed(firefox): Spec/apis/worker-cross-origin-throws.cors — the constructor does not throw; the worker
    // fires error with no request sent, as the standard's same-origin fetch does.
    // Observed(firefox): Spec/CONFORMANCE.md — the release the conformance runs played (Scripts/browser-versions.txt).
    p.version = "Firefox 153 ESR"
    // Source(firefox): dom/locales/en-US/chrome/security/security.properties — the CORS messages.
    p.consoleDialect = .firefox
    // Source(firefox): netwerk/protocol/http/nsCORSListenerProxy.cpp — max-age clamped to 86400 s while parsing.
    p.maxAgeCap = 86400
    // Source(firefox): netwerk/protocol/http/nsCORSListenerProxy.cpp nsCORSPreflightListener::AddResultToCache —
    // any non-digit → not cached; 0 → not cached.
    p.maxAgeRule = .digitsOrNotCached
    // Source(firefox): netwerk/protocol/http/nsCORSListenerProxy.cpp GetPrefLightCacheKey — the credentials flag
    // is part of the cache key.
    p.credentialedEntriesServeUncredentialed = false
    // Source(firefox): netwerk/protocol/http/nsCORSListenerProxy.cpp CacheEntry::CheckRequest — `*` is stored as a
    // literal token and never matches.
    p.cachedWildcard = .never
    // Source(firefox): netwerk/protocol/http/nsCORSListenerProxy.cpp CacheEntry::CheckRequest — only GET and POST
    // skip the method check, HEAD does not.
    p.headNeedsMethodEntry = true
    // Source(firefox): netwerk/protocol/http/nsCORSListenerProxy.cpp AddResultToCache — an entry is made even when
    // the answer lists nothing, and CacheEntry::CheckRequest skips the method check for GET and POST.
    p.cachesEmptyPreflightResults = true
    // Source(firefox): netwerk/protocol/http/nsCORSListenerProxy.cpp nsCORSPreflightListener — methods are
    // validated and matched before Allow-Headers is parsed.
    p.methodsCheckedBeforeHeadersParsed = true
    // Source(firefox): modules/libpref/init/StaticPrefList.yaml
    // network.cors_preflight.authorization_covered_by_wildcard — true by default, with a warning.
    p.authorizationCoveredByWildcard = true
    // Source(firefox): netwerk/protocol/http/nsCORSListenerProxy.cpp CheckRequestApproved — duplicate ACAO lines →
    // CORSMultipleAllowOriginNotAllowed; one line with a comma just mismatches.
    p.allowOriginClassification = .repeatedLinesFirst
    // Source(firefox): netwerk/protocol/http/nsCORSListenerProxy.cpp — no implied method when a forced
    // preflight's answer lacks Allow-Methods.
    p.forcedPreflightImpliesMethod = false
    // Observed(firefox): Spec/cors-preflight-cache/keyed-by-serialized-origin-after-taint.cors — the preflight to
    // the redirect target carries the requesting principal's origin while the request carries `null` (also the
    // oracle-contract smoke run, preflighted-put-307-cross-origin).
    p.preflightAfterRedirectUsesInitiatorOrigin = true
    // Source(firefox): netwerk/protocol/http/nsCORSListenerProxy.cpp CheckPreflightNeeded (LoadInfo's
    // CorsUnsafeHeaders, kept from the original request) and AsyncOnChannelRedirect (StripRequestBodyHeader,
    // stripAuthHeader); observed: Spec/http-redirect-fetch/json-post-302-preflight-asks-per-engine.cors
    // and the rest of that family. (A PUT redirected within the cross origin is preflighted again: the
    // earlier observation to the contrary met a preflight-cache entry another scenario had left for a shared URL.)
    p.redirectPreflight = .originalUnsafeHeaders
    // Source(firefox): netwerk/protocol/http/nsCORSListenerProxy.cpp UpdateChannel returns before any CORS work for a URL the page’s
    // principal may load, and CheckRequestApproved passes a channel that has not been cross-site: a preflight to
    // the page's own origin is not CORS-checked. Observed: Spec/http-redirect-fetch/firefox-preflight-to-own-origin-not-checked.cors.
    p.skipsPreflightCORSCheckOnOwnOrigin = true
    // Source(firefox): netwerk/protocol/http/nsHttpChannel.cpp — an anonymous request (LOAD_ANONYMOUS: sent
    // without credentials) has the `a,` flag in its cache key. Observed: Spec/http-cache/firefox-keys-anonymous-apart.cors.
    p.httpCacheKey = .partitionAnonymousFlagAndURL
    // Observed(firefox): Spec/http-cache/unsafe-method-not-answered-from-cache.cors — after a PUT answered 200 without
    // CORS headers, the next GET was answered from the cache (run of 2026-12-06).
    p.invalidatesStoredResponseAfterUnsafeMethod = false
    // Source(firefox): dom/fetch/InternalHeaders.cpp GetUnsafeHeaders — no 1024-byte total rule.
    p.safelistedValueTotalLimit = nil
    // Observed(firefox): Spec/cors-safelisted-request-header/accept-with-non-ascii-byte-safelisted.cors — bytes
    // 0x80–0xFF are CORS-unsafe (an Accept with one is preflighted).
    p.nonASCIIIsCORSUnsafeByte = true
    // Observed(firefox): Spec/cors-unsafe-request-header-names/acrh-deduplicated.cors — Access-Control-Request-Headers
    // names a header once per unsafe line.
    p.headerLinesOfOneName = .separateListedPerLine
    // Observed(firefox): Spec/xhr/charset-rewritten-to-utf-8.cors — XHR keeps the quotes of a rewritten charset.
    p.xhrCharsetRewrittenInPlace = true
    // Observed(firefox): Spec/request-constructor/stream-body-forces-preflight.cors — the stream is converted to a
    // string: a 23-byte text/plain;charset=UTF-8 POST with no preflight (browser-compat-data
    // api.Request.Request.request_body_readablestream: Firefox false).
    p.streamRequestBodies = .stringified
    // Observed(firefox): Spec/request-constructor/window-non-null.cors — `window: window` does not throw.
    p.rejectsNonNullWindow = false
    // Observed(firefox): Spec/main-fetch/keepalive-body-limited-to-64-kib.cors — a 65,537-byte keepalive POST was
    // sent and read (Firefox bug 2008613, mdn/content#42958).
    p.keepaliveQuota = nil
    // Observed(firefox): Spec/main-fetch/data-url-is-basic-in-cors-mode.cors — a data: response has Content-Length
    // as well (FetchDriver::OnStartRequest adds it for non-HTTP channels with a known length).
    p.dataURLHasContentLength = true
    // Source(firefox): dom/security/nsMixedContentBlocker.cpp — only https documents restrict mixed content.
    p.onlySecureSchemePagesRestrictMixedContent = true
    // Source(firefox): netwerk/base/LoadInfo.cpp BrowserUpgradeInsecureRequests — mixed images, audio and video are
    // upgraded whatever the host; nsNetUtil.cpp ShouldSecureUpgradeNoHSTS has no IP-address exception
    // (security.mixed_content.upgrade_display_content).
    p.upgradesMixedContentIPAddresses = true
    // Source(firefox): dom/security/nsMixedContentBlocker.cpp AsyncOnChannelRedirect — a redirected image, audio
    // or video channel is upgraded like the first one (NS_ShouldSecureUpgrade runs on the new channel).
    p.upgradesMixedContentOnRedirect = true
    // Source(firefox): netwerk/protocol/http/OpaqueResponseUtils.cpp — ORB with a JavaScript validator; blocked
    // fetch() responses are filtered, not failed (StaticPrefList.yaml
    // browser.opaqueResponseBlocking.filterFetchResponse = 2).
    p.opaqueResponseBlocking = .javaScriptValidator
    // Source(firefox): dom/html/HTMLMediaElement.cpp ChannelLoader opens the channel with
    // LOAD_MEDIA_SNIFFER_OVERRIDES_CONTENT_TYPE | LOAD_CALL_CONTENT_SNIFFERS, so nsMediaSniffer's type replaces any
    // Content-Type; when it matches nothing the Content-Type stays and picks the decoder (or none).
    p.mediaTypeSniffing = .firefox
    // Observed(firefox): Spec/media-sniffing/ — WAVE, MP3 (with and without ID3), FLAC, Ogg, WebM, Matroska and MP4
    // (QuickTime too) play; AIFF, MIDI, AVI and AAC in ADTS (sniffed, but no AAC decoder without a system FFmpeg)
    // fire error whatever the Content-Type (Firefox 153 ESR).
    p.mediaContainersPlayed = [.wave, .mp3, .flac, .ogg, .webm, .matroska, .mp4]
    // Observed(firefox): Spec/elements-details/sandboxed-img-to-own-host-sends-origin-null.cors — an <img>,
    // <script>, <link> or <audio> without crossorigin in <iframe sandbox> sends Origin: null to its own host, a
    // subdomain and another port of it, none to another site (Firefox 153 ESR).
    p.sandboxedElementLoadsSendOriginSameSite = true
    // Source(firefox): modules/libpref/init/StaticPrefList.yaml security.integrity_policy.stylesheet.enabled —
    // off: Integrity-Policy covers scripts only by default.
    p.integrityPolicyDestinations = [.script]
    // Observed(firefox): Spec/element-loads/module-script-served-as-html-with-404-firefox-names-the-type.cors — a
    // module answered 404 or without Access-Control-Allow-Origin, served as text/html, text/plain or untyped, is
    // refused for its type ("Loading module from … was blocked because of a disallowed MIME type"), then the
    // cancelled cross-site channel logs "CORS request did not succeed".
    p.moduleTypeCheckedOnResponseHeaders = true
    // Observed(firefox): Spec/apis/preload-font-without-crossorigin-not-used.cors — the preload of a font without
    // crossorigin is sent with Origin (CORS), and the font's load does not use it (a second request).
    p.preloadsFontsWithCORS = true
    // Observed(firefox): Spec/apis/preload-cors-failure-reaches-fetch.cors — the link fires load after the CORS
    // line; the fetch() that uses the preload rejects without a line of its own.
    p.preloadFiresLoadWhenCORSFails = true
    // Observed(firefox): Spec/apis/preload-script-crossorigin-used-by-import.cors — import() does not use an
    // as=script preload with its key (a second request); its preloads are keyed by script kind too.
    p.scriptPreloadServesModules = false
    // Observed(firefox): Spec/apis/preload-same-origin-not-used-by-fetch-credentials-omit.cors — fetch() with
    // credentials 'omit' uses an as=fetch crossorigin preload (same-origin credentials), to another origin
    // (preload-fetch-crossorigin-not-used-by-fetch-credentials-omit) and to its own: a preload is keyed by its
    // CORS settings (anonymous or use-credentials).
    p.preloadCredentials = .includeOrNot
    return p
  }()

  /// WebKit.
  public static let webkit: BrowserProfile = {
    var p = BrowserProfile.spec
    p.engine = .webkit
    // Observed(webkit): Spec/apis/websocket-protocol-not-chosen.cors — a 101 naming no subprotocol opens.
    p.webSocketRequiresChosenProtocol = false
    // Observed(webkit): Spec/apis/websocket-redirect-fails.cors — the handshake is sent again to the Location.
    p.webSocketFollowsRedirects = true
    // Observed(webkit): Spec/apis/worker-cross-origin-throws.cors — the constructor throws a SecurityError.
    p.workerConstructorRefusesCrossOrigin = true
    // Observed(webkit): Spec/apis/module-worker-served-as-html-fails.cors — a module worker served as text/html
    // runs; a classic worker does not (worker-served-as-html-fails).
    p.workerScriptsNeedingJavaScriptMIME = [.classic]
    // Source(webkit): Source/WebCore/loader/cache/CachedResourceLoader.cpp shouldUpdateCachedResourceWithCurrentRequest
    // (a preloaded script or stylesheet is reused under another mode, its response checked again for the new
    // request; a font as it is) and CachedRawResource.cpp canReuse (a raw resource, as=fetch, only with the same
    // cookies policy and header fields, Origin among them). Observed: Spec/apis/preload-script-crossorigin-not-used-by-plain-script.cors,
    // preload-same-origin-used-by-fetch.cors (a same-origin preload sent Origin, fetch() does not: not reused).
    p.preloadMatching = .webkitResourceTypes
    // Source(webkit): Source/WebCore/loader/cache/CachedRawResource.cpp canReuse — compares allowCookies, not the
    // credentials mode. Observed: Spec/apis/preload-fetch-crossorigin-not-used-by-fetch-credentials-omit.cors (to
    // another origin, 'omit' and 'same-origin' send no cookies: the preload is used).
    p.preloadCredentials = .cookiesSent
    // Observed(webkit): Spec/apis/preload-same-origin-used-by-fetch.cors — a same-origin preload with crossorigin
    // sends Origin (and fetch(), which sends none, then does not use it).
    p.preloadsSendOriginToOwnOrigin = true
    // Observed(webkit): Spec/http-cache/unsafe-method-not-answered-from-cache.cors — after a PUT answered 200 without
    // CORS headers, the next GET was answered from the cache (run of 2026-12-06). WebKit did invalidate after a PUT
    // the CORS check accepted; Chromium and Firefox did not (docs/OBSERVED.md; WebKit's case is not modelled).
    p.invalidatesStoredResponseAfterUnsafeMethod = false
    // Observed(webkit): Spec/CONFORMANCE.md — the release the conformance runs played (Scripts/browser-versions.txt).
    p.version = "WebKitGTK 2.50"
    // Source(webkit): Source/WebKit/NetworkProcess/NetworkLoadChecker.cpp — a cross-origin redirect replaces the
    // origin with SecurityOrigin::createOpaque(), which matches no cache entry of another load. Observed:
    // Spec/cors-preflight-cache/tainted-origin-entry-not-reused-per-engine.cors (redirect-chain generator, seed 11,
    // chain 245).
    p.taintedOriginIsNewOpaqueOrigin = true
    // Source(webkit): Source/WebCore/loader/CrossOriginAccessControl.cpp — the CORS messages.
    p.consoleDialect = .webkit
    // Source(webkit): Source/WebCore/loader/CrossOriginPreflightResultCache.cpp — a 600 s cap.
    p.maxAgeCap = 600
    // Source(webkit): Source/WebCore/loader/CrossOriginPreflightResultCache.cpp — parseInteger<int64_t>, a leading
    // `+` accepted; failure → the 5 s default; negative → already expired.
    p.maxAgeRule = .int64
    // Source(webkit): Source/WebCore/loader/CrossOriginPreflightResultCache.cpp
    // CrossOriginPreflightResultCacheItem::allowsRequest — `*` is judged by the new request's credentials, and
    // covers Authorization (validateCrossOriginHeaders).
    p.cachedWildcard = .uncredentialedRequest
    // Source(webkit): Source/WebCore/loader/CrossOriginPreflightResultCache.cpp appendEntry — the cache maps
    // (session, client origin, URL) to one result, replaced on each preflight; canSkipPreflight removes one
    // that does not allow the request.
    // Observed(webkit): Spec/cors-preflight-cache/failed-preflight-loses-cached-result.cors — the result a
    // credentialed request missed was gone: the next PUT was preflighted again although the cache is kept on failures.
    // (WebKitGTK 2.50.6 also stores the result of a preflight whose methods or headers it then refuses: after a
    // DELETE refused for its method, a PUT the answer allows went out without a preflight. Not modelled.)
    p.keepsOneCachedResultPerURL = true
    // Source(webkit): Source/WebKit/NetworkProcess/NetworkLoadChecker.cpp validateResponse — failures leave the
    // cache alone.
    p.clearsCacheOnNetworkError = false
    // Source(webkit): Source/WebCore/loader/CrossOriginPreflightResultCache.cpp allowsCrossOriginMethod — one
    // result per URL, which lets safelisted methods through.
    p.cachesEmptyPreflightResults = true
    // Source(webkit): Source/WebCore/loader/CrossOriginAccessControl.cpp validatePreflightResponse — the status is
    // checked before the access-control check, and a 3xx is "not successful" like any other (also the
    // oracle-contract smoke run, preflight-redirect-307).
    p.preflightCheckOrder = .statusFirst
    // Source(webkit): Source/WebCore/loader/CrossOriginAccessControl.cpp validateCrossOriginHeaders — `*` covers
    // Authorization, silently.
    p.authorizationCoveredByWildcard = true
    // Source(webkit): Source/WebCore/loader/CrossOriginAccessControl.cpp passesAccessControlCheck — only a comma
    // triggers "more than one origin".
    p.allowOriginClassification = .commaList
    // Observed(webkit): Spec/cors-preflight-fetch/first-disallowed-header-firefox-reports-sorted.cors — X-Zeta of
    // X-Zeta, X-Alpha, and X-Alpha of X-Alpha, X-Zeta: the script's order (CrossOriginAccessControl.cpp
    // validateCrossOriginHeaders).
    p.reportsFirstDisallowedHeaderSorted = false
    // Source(webkit): Source/WebCore/loader/CrossOriginPreflightResultCache.cpp allowsCrossOriginMethod — no
    // implied method for a forced preflight.
    p.forcedPreflightImpliesMethod = false
    // Observed(webkit): Spec/cors-safelisted-request-header/range-capitalized-unit-preflights.cors —
    // `Range: Bytes=…` is safelisted.
    p.rangeUnitCaseInsensitive = true
    // Observed(webkit): Spec/cors-unsafe-request-header-names/two-safelisted-content-type-entries-no-preflight.cors
    // — header lines of one name are combined (HTTPHeaderMap).
    p.headerLinesOfOneName = .combined
    // Observed(webkit): Spec/quirks/chromium/xhr-sync-upload-listeners-no-preflight.cors — a synchronous XHR
    // ignores upload listeners.
    p.uploadListenersForcePreflight = .asyncOnly
    // Observed(webkit): Spec/request-constructor/stream-body-forces-preflight.cors — fetch() rejects with
    // "NotSupportedError: ReadableStream uploading is not supported" and no request goes out
    // (browser-compat-data: Safari false).
    p.streamRequestBodies = .unsupported
    // Observed(webkit): Spec/main-fetch/about-blank-in-no-cors-mode-is-opaque.cors — fetch("about:blank",
    // {mode: "no-cors"}) is a network error with no console message (whatwg/fetch#384).
    p.fetchesAboutURLs = false
    // Observed(webkit): Spec/http-redirect-fetch/location-duplicated-fails.cors — several Location lines are joined
    // and followed.
    p.combinesLocationLines = true
    // Observed(webkit): Spec/http-redirect-fetch/post-rewrite-drops-content-type-and-preflight.cors — Content-Type
    // survives a POST→GET rewrite.
    p.keepsBodyHeadersOnMethodRewrite = true
    // Observed(webkit): Spec/http-redirect-fetch/put-303-becomes-get.cors — Origin is sent again after a
    // same-origin 303. Not for a navigation: Spec/apis/form-post-redirect-303-sends-get-without-origin.cors.
    p.keepsOriginHeaderAcrossRedirects = true
    // Observed(webkit): Spec/http-redirect-fetch/authorization-dropped-hop-preflight-per-engine.cors and its
    // family — a hop that goes cross-origin is preflighted when the original request was not simple, with the
    // original header names (Authorization too, after a redirect removed it) and the current method.
    p.redirectPreflight = .originalRequestNotSimple
    // Observed(webkit): Spec/http-redirect-fetch/empty-location-same-origin.cors — an empty Location fails the load at once.
    p.emptyLocation = .networkError
    // Observed(webkit): Spec/http-redirect-fetch/webkit-redirect-back-to-origin-needs-credentials.cors — same-origin →
    // cross-origin → back to the page's origin, credentials "same-origin": the redirect back is checked as a
    // credentialed response ("Credentials flag is true, but Access-Control-Allow-Credentials is not "true"."),
    // after the next hop's preflight; Spec/http-redirect-fetch/webkit-second-cross-origin-redirect-needs-credentials.cors —
    // so is a redirect from the cross origin onwards to another URL (redirect-chain generator, seed 11).
    p.checksCrossOriginRedirectsAsCredentialed = true
    // Source(webkit): Source/WebKit/NetworkProcess/soup/NetworkDataTaskSoup.cpp shouldRedirectAsGET — a DELETE
    // redirected to another origin becomes GET whatever the status; a DELETE redirected within its origin stays
    // DELETE even on a 301/302. Observed: Spec/http-redirect-fetch/delete-cross-origin-307-becomes-get-in-webkit.cors,
    // delete-same-origin-302-stays-delete.cors (found by the redirect-chain generator, seed 11).
    p.redirectsDELETECrossOriginAsGET = true
    // Source(webkit): Source/WebCore/loader/MixedContentChecker.cpp — only https documents restrict mixed content.
    p.onlySecureSchemePagesRestrictMixedContent = true
    // Observed(webkit): Spec/main-fetch/mixed-content-localhost-image-loaded-over-http-in-webkit.cors — loopback
    // hosts are mixed content (MixedContentChecker.cpp, webkit.org/b/171934), but an image, audio or video
    // request to one loads over http with the warning "This content was not upgraded to HTTPS and must be
    // served from the local host." (the source read earlier, canModifyRequest, suggested an upgrade).
    p.loopbackMixedContent = .mediaLoadsOverHTTP
    // Observed(webkit): Spec/main-fetch/mixed-content-image-redirect-to-http.cors — an image redirected to an http
    // host was fetched over https, with the upgrade warning (WebKitGTK 2.50.6).
    p.upgradesMixedContentOnRedirect = true
    // Source(webkit): LoadableClassicScript.cpp notifyFinished — a script's nosniff check comes before its MIME-type
    // check.
    p.nosniffCheckedBeforeMIMEType = true
    // Observed(webkit): Spec/element-loads/same-origin-img-crossorigin-is-basic.cors — an <img crossorigin>,
    // <link crossorigin>, <script crossorigin> and a module script send Origin to their own origin too, and an
    // <audio crossorigin> (Spec/element-loads/audio-crossorigin-same-origin-sends-no-origin-in-chromium.cors).
    p.elementsSendingOriginToOwnOrigin = Set(ElementKind.allCases)
    // Observed(webkit): Spec/element-loads/font-is-always-cors.cors — fonts go out without Origin, and a
    // cross-origin font without Access-Control-Allow-Origin is used. The source agrees:
    // DocumentFontLoader::cachedFont starts from CachedResourceLoader::defaultCachedResourceOptions(), whose mode
    // is no-cors, and sets no CORS mode for fonts.
    p.fetchesFontsWithoutCORS = true
    // Observed(webkit): Spec/elements-details/video-body-not-media-fires-error.cors — a <video> or <audio> whose body
    // is text is requested twice, the same request each time, and fires error (WebKitGTK 2.50.6).
    p.requestsUndecodableMediaTwice = true
    // Source(webkit): Source/WebCore/html/HTMLMediaElement.cpp sniffForContentType (a MediaResourceSniffer request of
    // bytes 0–1445, read by MIMESniffer.cpp) after the player failed. Observed(webkit):
    // Spec/media-sniffing/aiff-fires-error-webkit-asks-three-times.cors — GStreamer's typefind plays whatever it
    // recognises, whatever the Content-Type; after a failure the second request (Range: bytes=0-1445) is that
    // sniffer's, and when it names a type the player loads the resource a third time.
    p.mediaTypeSniffing = .webkitAfterFailure
    // Observed(webkit): Spec/media-sniffing/ — WAVE, MP3 (with and without ID3), FLAC, Ogg, WebM, Matroska and MP4
    // (QuickTime too) play; AIFF, MIDI and AAC in ADTS fire error whatever the Content-Type (WebKitGTK 2.50.6 with
    // GStreamer 1.22's base, good and ugly plugins: no AIFF or MIDI demuxer, no AAC decoder). A PCM AVI played in 14
    // of 24 plays, under any Content-Type or none, and a 164-byte Ogg Opus failed in 2 of 9 (after a second request,
    // `Range: bytes=1-`): AVI is left out, Ogg kept, and no Spec file pins either.
    p.mediaContainersPlayed = [.wave, .mp3, .flac, .ogg, .webm, .matroska, .mp4]
    // Source(webkit): browser-compat-data http/headers/Integrity-Policy.json blocked-destinations_style — Safari
    // no: Integrity-Policy covers scripts only.
    p.integrityPolicyDestinations = [.script]
    // Observed(webkit): Spec/element-loads/module-script-status-300-fails-except-in-webkit.cors — only a stylesheet
    // fails on 300 or 399; a classic or module script, a font and media are used as if 200.
    p.elementsRefusing3xxStatus = [.style]
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

extension BrowserProfile {
  /// The departure the trace cites for this profile's max-age handling: the quirk whose text states exactly this
  /// cap and this parse rule (nil for the standard's, and for a combination no engine has).
  /// (Inlined: called on a fetch run's profile, which is read in place, the call copied the whole profile first.)
  @inline(__always)
  var maxAgeQuirk: Quirk? {
    switch (maxAgeRule, maxAgeCap) {
    case (.int64, 7200): return .chromiumMaxAge
    case (.digitsOrNotCached, 86400): return .firefoxMaxAge
    case (.int64, 600): return .webkitMaxAge
    default: return nil
    }
  }
}

/// How a redirected request decides whether a hop needs a CORS preflight (see `BrowserProfile.redirectPreflight`).
public enum RedirectPreflightRule: String, Sendable, Hashable, CaseIterable, Codable {
  /// The request as it is now: its current method and header list (fetch.bs #concept-main-fetch step 12).
  case standard
  /// Gecko: on every hop of a request that has gone cross-origin, a preflight when the current method is not
  /// GET, HEAD or POST, when the author's original request had CORS-unsafe headers (even if a redirect removed
  /// them), or when the current `Content-Type` is not safelisted. The preflight asks for the current method and
  /// the original names, less the request-body headers when this hop rewrote the method and less
  /// `Authorization` when this hop crosses origins (nsCORSListenerProxy::CheckPreflightNeeded with
  /// LoadInfo::CorsUnsafeHeaders; AsyncOnChannelRedirect's StripRequestBodyHeader and stripAuthHeader).
  case originalUnsafeHeaders
  /// WebKit: a hop that goes cross-origin is preflighted when the original request needed a preflight (its
  /// method or its headers), asking for the current method and the original unsafe header names, `Authorization`
  /// included after a redirect removed it (observed in WebKitGTK 2.50; NetworkLoadChecker keeps the original
  /// request's headers for the preflight).
  case originalRequestNotSimple
}

/// What a redirect with a present but empty `Location` does (see `BrowserProfile.emptyLocation`).
public enum EmptyLocationRule: String, Sendable, Hashable, CaseIterable, Codable {
  /// The empty string parses as the request's own URL: the request is fetched again until the limit.
  case followed
  /// Not a redirect: the 3xx response is the response (Chromium: net::HttpResponseHeaders::IsRedirect wants a
  /// non-empty Location).
  case notARedirect
  /// A network error at once, before any other request.
  case networkError
}

/// A set of an enumeration's cases kept as bits (a case's number is its bit): a value with no storage of its own,
/// so copying a profile (every oracle line and every scenario run copies one) retains nothing. The profile's `Set`
/// properties read and write these; a set shared by every copy of a built-in profile had its reference count
/// written by every thread that copied the profile, which made `corsim oracle --jobs N` threads wait on one another.
struct CaseBits<Case: CaseIterable & Hashable & RawRepresentable>: Sendable, Hashable {
  private var bits: UInt64 = 0

  /// The case's bit. An enumeration with raw values has no payloads: with 2 to 256 cases it is one byte holding its
  /// case's number, read as such (no list of cases built); otherwise the case's position in `allCases`.
  private static func bit(_ c: Case) -> UInt64 {
    let k = MemoryLayout<Case>.size == 1 ? Int(unsafeBitCast(c, to: UInt8.self)) : Array(Case.allCases).firstIndex(of: c)!
    precondition(k < 64, "CaseBits holds cases numbered below 64")
    return 1 << UInt64(k)
  }

  init(_ cases: some Sequence<Case>) {
    for c in cases { bits |= Self.bit(c) }
  }

  func contains(_ c: Case) -> Bool { bits & Self.bit(c) != 0 }

  var isEmpty: Bool { bits == 0 }

  /// The cases, as a `Set`.
  var set: Set<Case> { Set(Case.allCases.filter(contains)) }
}
