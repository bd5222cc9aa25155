/// The Fetch standard's request, with the fields CORS reads. fetch.bs #concept-request
///
/// The steps of a fetch hold it `inout`, and the steps on the way of every fetch that only read it take it `inout`
/// too (`blockIfBadPort(&request)`): a request read out of an `inout` to be passed by value is copied whole, 284
/// bytes, at each such call. Swift 6.3 makes that copy for a `borrowing` parameter too; `inout` passes the address.
/// (Ten such copies were about 4 % of a simple GET's instructions; docs/SWIFT-COPIES.md shows the copy in a small
/// program.)
struct Request {
  var method: String
  var urlList: [URLRecord]
  var headerList: HeaderList
  var body: RequestBody?
  var mode: RequestMode
  var credentialsMode: CredentialsMode
  var redirectMode: RedirectMode
  var cacheMode: CacheMode
  var referrerPolicy: ReferrerPolicy
  var integrity: String
  var keepalive: Bool
  var origin: Origin
  /// The serialization of `origin`, computed once.
  var originSerialization: String
  var responseTainting: ResponseTainting = .basic
  var unsafeRequest: Bool
  var useCORSPreflight: Bool = false
  var redirectCount: Int = 0
  var targetAddressSpace: AddressSpace?
  /// True when `Accept: */*` was appended by the fetch preamble rather than by the author.
  var acceptFromUA: Bool = false
  /// What the response will be used as: the empty string for fetch() and XHR. fetch.bs #concept-request-destination
  var destination: RequestDestination = .empty
  /// The element that made the request, for an element load.
  var element: ElementKind? = nil
  /// The CORS-unsafe request-header names of the request as the author made it (before any redirect), and
  /// whether it, or any hop of it so far, was preflighted: Gecko and WebKit decide a redirected hop's preflight from them
  /// (`BrowserProfile.redirectPreflight`).
  var originalUnsafeNames: [String]? = nil
  /// The header list the author made, kept with `originalUnsafeNames` (for the names as written in messages).
  var originalHeaderList: HeaderList? = nil
  var originalNeedsPreflight = false
  /// Whether the last redirect rewrote the method to GET, and whether it crossed origins.
  var lastHopRewroteMethod = false
  var lastHopCrossedOrigins = false
  /// Whether this hop is preflighted on the original request's account (see `BrowserProfile.redirectPreflight`).
  var hopForcesPreflight = false
  /// A redirect response WebKit checks again as credentialed before the next request
  /// (`BrowserProfile.checksCrossOriginRedirectsAsCredentialed`).
  var pendingCredentialedRedirectCheck: Response? = nil

  /// fetch.bs #concept-request-current-url
  var currentURL: URLRecord { urlList[urlList.count - 1] }
  var url: URLRecord { urlList[0] }

  /// The redirect-taint, kept up to date as the URL list grows (see `appendURL`).
  private(set) var redirectTaint: RedirectTaint = .sameOrigin
  /// The redirect-taint of the URL list without its last URL. Only the last URL may still be replaced (by an
  /// upgrade, main fetch steps 5 and 10), so the walk below is resumed from here rather than redone per hop.
  private(set) var redirectTaintBeforeCurrentURL: RedirectTaint = .sameOrigin

  /// Appends a URL to the URL list (HTTP-redirect fetch step 18) and updates the redirect-taint: the same
  /// result as walking the whole list (fetch.bs #concept-request-tainted-origin), in one step per hop.
  mutating func appendURL(_ url: URLRecord) {
    let n = urlList.count
    // The current URL stops being the last one: its pair with the URL before it is final now.
    if n >= 2 {
      redirectTaintBeforeCurrentURL = Self.redirectTaintStep(redirectTaintBeforeCurrentURL, lastURL: urlList[n - 2],
                                                             url: urlList[n - 1], origin: origin)
    }
    urlList.append(url)
    redirectTaint = Self.redirectTaintStep(redirectTaintBeforeCurrentURL, lastURL: urlList[n - 1], url: url,
                                           origin: origin)
  }

  /// A request's redirect-taint, one URL of the walk at a time. fetch.bs #concept-request-tainted-origin
  /// 1. Assert: request's origin is not "client". 2. Let lastURL be null. 3. Let taint be "same-origin".
  /// 4. For each url of request's URL list (4.1: the first URL only sets lastURL, step 4.4):
  /// (Static, given the request's origin: a method of the request called from `appendURL` copied the whole request.)
  static func redirectTaintStep(_ taint: RedirectTaint, lastURL last: URLRecord, url: URLRecord,
                                origin: Origin) -> RedirectTaint {
    // (A "cross-site" taint was returned at once: nothing after it changes it.)
    if taint == .crossSite { return .crossSite }
    let lastOrigin = last.origin, urlOrigin = url.origin
    // 4.2 If url's origin is not same site with lastURL's origin and request's origin is not same site
    // with lastURL's origin, then return "cross-site".
    if !urlOrigin.isSameSite(lastOrigin) && !origin.isSameSite(lastOrigin) { return .crossSite }
    // 4.3 If url's origin is not same origin with lastURL's origin and request's origin is not same
    // origin with lastURL's origin, then set taint to "same-site".
    if !urlOrigin.isSameOrigin(lastOrigin) && !origin.isSameOrigin(lastOrigin) { return .sameSite }
    // 4.4 Set lastURL to url (the caller's next step). 5. Return taint.
    return taint
  }

  /// Serializing a request origin: `null` unless the redirect-taint is "same-origin".
  /// fetch.bs #serializing-a-request-origin
  var serializedOrigin: String {
    if redirectTaint != .sameOrigin { return "null" }
    return originSerialization
  }
}

/// fetch.bs #concept-request-tainted-origin
enum RedirectTaint {
  case sameOrigin, sameSite, crossSite
}

/// A response as the network produced it (the internal response). fetch.bs #concept-response
struct Response {
  var status: Int
  var headerList: HeaderList
  var body: String?
  var urlList: [URLRecord]
  var routeMethod: String
  /// Set when the response is already a filtered opaque-redirect response.
  var isOpaqueRedirect: Bool = false
  /// Whether the request that produced it included credentials. fetch.bs #response-request-includes-credentials
  var requestIncludesCredentials: Bool = false

  /// fetch.bs #redirect-status
  var isRedirectStatus: Bool { [301, 302, 303, 307, 308].contains(status) }
  /// fetch.bs #ok-status
  var isOKStatus: Bool { status >= 200 && status <= 299 }
}

/// A network error, with what the verdict needs to explain it. "return a network error" in the standard.
struct NetworkError: Error {
  var stage: Stage
  var reason: FailureReason
  var detail: FailureDetail
}

/// An exception thrown by the API before any fetch (outcome `invalid`).
struct RequestError: Error {
  var reason: FailureReason
  /// The offending argument (a method, header name, URL…).
  var parameter: String
  /// The DOMException or TypeError name the engine throws.
  var exception: String
}
