extension FetchRun {
  /// HTTP fetch: the preflight (unless the cache answers), the request, the CORS check, CORP, redirects.
  /// Fetch §4.4 HTTP fetch (#concept-http-fetch)
  func httpFetch(_ request: inout Request, makeCORSPreflight: Bool, unsafeNames: [String],
                 requestHeaders: String = "") throws(NetworkError) -> Response {
    // 4.1 If makeCORSPreflight is true and one of these conditions is true:
    //     ▸ there is no method cache entry match for request's method, and either request's method is not a
    //       CORS-safelisted method or request's use-CORS-preflight flag is set;
    //     ▸ there is at least one unsafe header name without a header-name cache entry match;
    if makeCORSPreflight {
      cache.expire(now: now)
      let q = cacheQuery(&request)
      // Quirk(firefox): HEAD is not skipped by the cached method check (CacheEntry::CheckRequest).
      let methodSkipsCache = Method(request.method).isCORSSafelisted
        && !(profile.headNeedsMethodEntry && request.method == "HEAD")
      // Quirk(chromium, webkit): a tainted origin is a new opaque origin, which no cached result was made for.
      let ownOpaqueOrigin = hasOwnOpaqueOrigin(&request)
      var methodMiss = (ownOpaqueOrigin || cache.methodEntryIndex(request.method, q, cacheRules) == nil)
        && (!methodSkipsCache || request.useCORSPreflight || request.hopForcesPreflight)
      if methodMiss && methodSkipsCache && profile.cachesEmptyPreflightResults && cache.hasResult(q, cacheRules) {
        // Quirk(firefox): a cached result for the URL lets GET and POST through whatever it lists.
        methodMiss = false
      }
      let headerMiss = !unsafeNames.isEmpty && (ownOpaqueOrigin || !cache.hasHeaderEntries(for: unsafeNames, q, cacheRules))
      if methodMiss && unsafeNames.isEmpty && !profile.preflightsSameOriginRedirectTarget && request.urlList.count > 1
        && request.urlList[request.urlList.count - 2].origin.isSameOrigin(request.currentURL.origin) {
        // A profile that does not preflight a redirect within the origin for the method alone (no built-in
        // profile: Firefox's earlier observation met another scenario's cache entry).
        record(TraceStep(.note(.preflightCacheHit), request.currentURL.href, request.method))
      } else if methodMiss || headerMiss {
        if profile.keepsOneCachedResultPerURL {
          // One result per (origin, URL): the result that did not allow this request is erased.
          let removed = cache.clear(key: q.key, serializedOrigin: q.serializedOrigin, url: q.url)
          if removed > 0 { note(.preflightCacheCleared, request.currentURL.href, number: removed) }
        }
        if request.urlList.count > 1 { note(.redirectNeedsPreflight, request.currentURL.href) }
        // 4.1.1–4.1.2 Let preflightResponse be the result of CORS-preflight fetch; a network error is returned.
        try corsPreflightFetch(&request, unsafeNames: unsafeNames, requestHeaders: requestHeaders)
      } else {
        // "This step checks the CORS-preflight cache and if there is no suitable entry it performs a
        // CORS-preflight fetch which, if successful, populates the cache."
        note(.preflightCacheHit, request.currentURL.href, request.method)
      }
    }
    if let redirect = request.pendingCredentialedRedirectCheck {
      // Observed(webkit): a redirect answered by another origin in a chain that began on the page's origin is
      // checked as a credentialed response now, before the next request is sent.
      request.pendingCredentialedRedirectCheck = nil
      let previous = request.urlList[request.urlList.count - 2]
      if let f = corsCheck(credentialsMode: .include, serializedOrigin: request.originSerialization, redirect) {
        record(TraceStep(.failure(f.reason), f.header.rawName, f.value ?? "", number: redirect.status,
                         quirk: .webkitRedirectBackCheckedWithCredentials))
        var detail = failure(request, value: f.value, status: redirect.status, setBy: f.setBy,
                             responseMethod: redirect.routeMethod, headerName: f.header.rawName,
                             location: request.currentURL, url: previous)
        detail.requestOrigin = request.originSerialization
        throw NetworkError(stage: .redirect, reason: f.reason, detail: detail)
      }
    }
    // 4.3 Set response to the result of running HTTP-network-or-cache fetch given fetchParams.
    let response = try httpNetworkOrCacheFetch(&request)
    if request.element == .module, profile.moduleTypeCheckedOnResponseHeaders,
       !(response.isRedirectStatus && response.headerList.contains(.location)) {
      // Quirk(firefox): the module loader refuses a type that is not JavaScript as soon as the headers arrive,
      // before the CORS check and the status (blockIfElementCannotUse: module-not-javascript).
      try blockIfElementCannotUse(&request, response)
    }
    // 4.4 If request's response tainting is "cors" and a CORS check for request and response returns failure,
    // then return a network error. (This runs on redirect responses too, before they are followed.)
    if request.responseTainting == .cors {
      let serialized = request.serializedOrigin
      if let f = corsCheck(credentialsMode: request.credentialsMode, serializedOrigin: serialized, response) {
        // A redirect (a 3xx with a Location) fails at the redirect stage, whatever the redirect mode.
        let stage: Stage = response.isRedirectStatus && response.headerList.contains(.location) ? .redirect : .response
        if response.headerList.contains(.setCookie) && wire.last?.includesCredentials == true {
          note(.cookiesStoredDespiteCORSFailure, request.currentURL.href)
        }
        record(TraceStep(.failure(f.reason), f.header.rawName, f.value ?? "", number: response.status,
                               quirk: f.reason == .multipleAllowOrigin || f.reason == .invalidAllowOrigin
                                 ? .allowOriginClassification : nil))
        throw NetworkError(stage: stage, reason: f.reason,
                           detail: failure(request, value: f.value, status: response.status, setBy: f.setBy,
                                           responseMethod: response.routeMethod, headerName: f.header.rawName,
                                           location: redirectTarget(response, request)))
      }
      checkpoint(.corsCheckPassed, serialized)
    }
    // 5. If either request's response tainting or response's type is "opaque", and the cross-origin resource
    // policy check returns blocked, then return a network error.
    if request.responseTainting == .opaque { try corpCheck(&request, response) }
    // 6. If internalResponse's status is a redirect status: switch on request's redirect mode.
    if response.isRedirectStatus {
      switch request.redirectMode {
      case .error:
        // ▸ "error": Set response to a network error.
        throw NetworkError(stage: .redirect, reason: .redirectModeError,
                           detail: failure(request, status: response.status, location: redirectTarget(response, request)))
      case .manual:
        // ▸ "manual": an opaque-redirect filtered response whose internal response is internalResponse.
        note(.redirectManualOpaque, request.currentURL.href, number: response.status)
        var r = response
        r.isOpaqueRedirect = true
        return r
      case .follow:
        // ▸ "follow": Set response to the result of running HTTP-redirect fetch given fetchParams and response.
        return try httpRedirectFetch(&request, response)
      }
    }
    // 7. Return response.
    return response
  }

  /// The request's location URL, for messages (nil when absent or unparsable).
  func redirectTarget(_ response: Response, _ request: Request) -> URLRecord? {
    guard response.isRedirectStatus, case .value(let v) = response.headerList.extractSingle(.location) else { return nil }
    return try? URLRecord(v, base: request.currentURL)
  }

  /// The preflight cache fields for a request. fetch.bs #concept-cache-match
  func cacheQuery(_ request: inout Request) -> PreflightCache.Query {
    PreflightCache.Query(key: partitionKey, serializedOrigin: cacheOrigin(&request),
                         url: request.currentURL.hrefWithoutFragment,
                         credentialsInclude: request.credentialsMode == .include)
  }

  /// HTTP-network-or-cache fetch for the actual request: credentials, the `Origin` header, the keepalive
  /// quota, then the network. Fetch §4.6 (#concept-http-network-or-cache-fetch)
  func httpNetworkOrCacheFetch(_ request: inout Request) throws(NetworkError) -> Response {
    // 8.3 includeCredentials: credentials mode "include", or "same-origin" with response tainting "basic".
    var includeCredentials = request.credentialsMode == .include
      || (request.credentialsMode == .sameOrigin && request.responseTainting == .basic)
    // 8.4 If Cross-Origin-Embedder-Policy allows credentials returns false, set includeCredentials to false:
    // COEP credentialless and mode "no-cors" (and the request is not same origin).
    if embedderPolicy == .credentialless && request.mode == .noCORS
      && !request.currentURL.origin.isSameOrigin(request.origin) {
      includeCredentials = false
    }
    if !includeCredentials && request.credentialsMode != .omit {
      note(.credentialsExcluded, request.credentialsMode.rawValue, request.responseTainting.rawValue)
    }
    // 8.10 Keepalive: the body plus in-flight keepalive bodies must stay within 64 KiB.
    if request.keepalive, let quota = profile.keepaliveQuota, let body = request.body, body.length > quota {
      throw NetworkError(stage: .request, reason: .keepaliveQuotaExceeded,
                         detail: failure(request, parameter: String(body.length)))
    }
    var headers: [HeaderField] = []
    headers.reserveCapacity(request.headerList.count + 1)
    let fields = request.headerList.fields
    for i in fields.indices where !(request.acceptFromUA && fields[i].name.isAccept) {
      headers.append(HeaderField(fields[i].name, fields[i].value))
    }
    // 8.12 Append a request `Origin` header for httpRequest.
    if let origin = originHeaderValue(&request) {
      headers.append(HeaderField(.origin, origin))
      originSentOnLastHop = origin
    } else if profile.keepsOriginHeaderAcrossRedirects, request.mode != .navigate, let previous = originSentOnLastHop,
              request.urlList.count > 1,
              request.urlList[request.urlList.count - 2].origin.isSameOrigin(request.currentURL.origin) {
      // Observed(webkit): the previous hop's Origin is sent again after a same-origin redirect.
      headers.append(HeaderField(.origin, previous))
      record(TraceStep(.checkpoint(.requestSent), "Origin", previous, quirk: .webkitKeepsOrigin))
    } else {
      originSentOnLastHop = nil
    }
    // 8.17–8.22 The HTTP cache: a stored response that matches (and is fresh, unless the cache mode takes a
    // stale one) is the response, and nothing goes on the wire (RFC 9111 §4).
    // The key and the header lines are built only when the cache is read or written (most fetches do neither).
    var memoKey: String? = nil
    func cacheKey() -> String {
      if let memoKey { return memoKey }
      let key = httpCacheKey(&request, includeCredentials: includeCredentials)
      memoKey = key
      return key
    }
    let mode = request.cacheMode
    // RFC 9111 §4: a stored response is used only for a request whose method allows it (the responses stored
    // here are GET's, which serve GET and HEAD).
    let cacheable = request.method == "GET" || request.method == "HEAD"
    if cacheable, mode == .default || mode == .forceCache || mode == .onlyIfCached || mode == .noCache,
       !httpCache.holdsNothing,
       let hit = httpCache.lookup(key: cacheKey(), headers: HeaderList(headers), now: now,
                                  allowStale: mode != .default && mode != .noCache),
       mode != .noCache {
      note(.httpCacheHit, request.currentURL.hrefWithoutFragment, hit.url, number: hit.status)
      var cached = Response(status: hit.status, headerList: hit.headers, body: hit.body, urlList: request.urlList,
                            routeMethod: request.method)
      cached.requestIncludesCredentials = includeCredentials
      return cached
    }
    if mode == .onlyIfCached {
      // 8.22.1 "only-if-cached" without a stored response: a network error.
      throw NetworkError(stage: .response, reason: .requestFailed, detail: failure(request, parameter: "only-if-cached"))
    }
    var response = try networkFetch(&request, method: request.method, headers: headers, isPreflight: false,
                                    includeCredentials: includeCredentials, stage: .response)
    response.requestIncludesCredentials = includeCredentials
    // RFC 9111 §4.4: a non-error response to an unsafe method invalidates what is stored for its URL (the engines
    // were seen to keep it: BrowserProfile.invalidatesStoredResponseAfterUnsafeMethod).
    if profile.invalidatesStoredResponseAfterUnsafeMethod, !cacheable, request.method != "OPTIONS",
       request.method != "TRACE", response.status < 400, !httpCache.holdsNothing {
      httpCache.invalidate(key: cacheKey())
    }
    // 8.25 / HTTP-network fetch step 11: store what may be stored (not for "no-store").
    if mode != .noStore,
       let lifetime = HTTPCache.lifetime(method: request.method, status: response.status, headers: response.headerList,
                                         permanentStatusesFreshForever: profile.permanentStatusesFreshForever) {
      httpCache.store(key: cacheKey(), url: request.currentURL.hrefWithoutFragment, requestHeaders: HeaderList(headers),
                      status: response.status, headers: response.headerList, body: response.body, now: now,
                      lifetime: lifetime)
      note(.httpCacheStored, request.currentURL.hrefWithoutFragment, String(Int(min(lifetime, 1e12))))
    }
    return response
  }

  /// The HTTP cache key of a request under the profile's rule: the partition key, the engine's flags, the URL.
  func httpCacheKey(_ request: inout Request, includeCredentials: Bool) -> String {
    let url = request.currentURL.onTheWire.hrefWithoutFragment
    switch profile.httpCacheKey {
    case .partitionAndURL: return partitionKey + " " + url
    case .partitionAnonymousFlagAndURL: return partitionKey + (includeCredentials ? " " : " a, ") + url
    }
  }

  /// The value of the `Origin` header, if one is appended. fetch.bs #append-a-request-origin-header
  func originHeaderValue(_ request: inout Request) -> String? {
    // 2. Let serializedOrigin be the result of byte-serializing a request origin with request.
    let serializedOrigin = request.serializedOrigin
    // 3. If request's response tainting is "cors" or request's mode is "websocket", then append (`Origin`,
    // serializedOrigin).
    if request.responseTainting == .cors || request.mode == .websocket { return serializedOrigin }
    // Observed(chromium, webkit): a CORS-mode element request sends Origin to its own origin too.
    if let element = request.element, request.mode == .cors, profile.elementsSendingOriginToOwnOriginCases.contains(element) {
      record(TraceStep(.checkpoint(.requestSent), "Origin", serializedOrigin, quirk: .elementCORSAlwaysSendsOrigin))
      return serializedOrigin
    }
    // Observed(chromium, webkit): a preload link with crossorigin sends Origin to its own origin too.
    if api == .preload, request.mode == .cors, profile.preloadsSendOriginToOwnOrigin {
      record(TraceStep(.checkpoint(.requestSent), "Origin", serializedOrigin, quirk: .preloadCORSAlwaysSendsOrigin))
      return serializedOrigin
    }
    // Observed(chromium, firefox): an element's no-cors request from a sandboxed (opaque-origin) document to a
    // URL same site with the document's URL carries `Origin: null` (its own host, a subdomain, another port),
    // on every hop while each URL so far is same site; a cross-site URL, any hop after one, and a no-cors
    // fetch() get none, as step 4 says. (The URL list is at most 21 URLs long: #concept-http-redirect-fetch step 5.)
    if profile.sandboxedElementLoadsSendOriginSameSite, page.sandboxed, request.element != nil,
       request.mode == .noCORS, request.urlList.allSatisfy({ page.unsandboxedOrigin.isSameSite($0.origin) }) {
      record(TraceStep(.checkpoint(.requestSent), "Origin", serializedOrigin, quirk: .sandboxedElementSameSiteOrigin))
      return serializedOrigin
    }
    // 4. Otherwise, if request's method is neither `GET` nor `HEAD`:
    if request.method != "GET" && request.method != "HEAD" {
      var value = serializedOrigin
      // 4.1 If request's mode is not "cors", then switch on request's referrer policy (main fetch step 8 has
      // replaced "" with the policy container's default, strict-origin-when-cross-origin).
      if request.mode != .cors && profile.originHeaderFollowsReferrerPolicy {
        let policy = request.referrerPolicy == .empty ? .strictOriginWhenCrossOrigin : request.referrerPolicy
        let url = request.currentURL
        switch policy {
        case .noReferrer:
          value = "null"
        case .noReferrerWhenDowngrade, .strictOrigin, .strictOriginWhenCrossOrigin:
          if request.origin.scheme == "https" && url.scheme != "https" { value = "null" }
        case .sameOrigin:
          if !request.origin.isSameOrigin(url.origin) { value = "null" }
        default:
          break
        }
        if value == "null" && serializedOrigin != "null" {
          note(.originHeaderNullByReferrerPolicy, policy.rawValue)
        }
      }
      // 4.2 Append (`Origin`, serializedOrigin) to request's header list.
      return value
    }
    note(.originHeaderOmitted, request.method)
    return nil
  }

  /// HTTP-network fetch against the simulated server, after Chromium's Local Network Access check.
  /// Fetch §4.7 (#concept-http-network-fetch)
  func networkFetch(_ request: inout Request, method: String, headers: [HeaderField], isPreflight: Bool,
                    includeCredentials: Bool, stage: Stage) throws(NetworkError) -> Response {
    let url = request.currentURL
    try localNetworkAccessCheck(&request, isPreflight: isPreflight)
    if !isPreflight, profile.streamRequestBodies == .needsHTTP2, !environment.http2, request.body?.kind == .stream {
      // Quirk(chromium): a streamed upload needs HTTP/2 or QUIC; on HTTP/1.1 the request is never sent.
      record(TraceStep(.failure(.streamBodyNeedsHTTP2), url.hrefWithoutFragment, quirk: .chromiumStreamsNeedHTTP2))
      throw NetworkError(stage: .request, reason: .streamBodyNeedsHTTP2,
                         detail: failure(request, parameter: "HTTP/1.1", responseMethod: method))
    }
    let target = url.onTheWire
    let lines = HeaderList(headers)
    // (The request is built before the server is read: built within the call, the server was copied first.)
    let asked = ServerRequest(method: Method(method), url: target, headers: lines, isPreflight: isPreflight,
                              includesCredentials: includeCredentials)
    let answer = server.respond(asked)
    if isPreflight && wire.isEmpty { wire.reserveCapacity(2) }  // the preflight and its request: one allocation
    wire.append(WireRequest(method: Method(method), url: target, headers: lines, isPreflight: isPreflight,
                            includesCredentials: includeCredentials,
                            responseStatus: answer.networkFailure ? nil : answer.status))
    checkpoint(isPreflight ? .preflightSent : .requestSent, method, url.hrefWithoutFragment)
    if answer.networkFailure {
      // A failed connection is found by the network fetch (fetch.bs #concept-http-network-fetch; docs/reference/cors-rules.md §15.3, network-failure at `scheme`).
      throw NetworkError(stage: isPreflight ? .preflight : .scheme, reason: .requestFailed,
                         detail: failure(request, isPreflight: isPreflight, responseMethod: method))
    }
    // A 101 Switching Protocols answers only a WebSocket handshake; any other request cannot go on with the
    // connection (fetch.bs #concept-http-network-fetch: the response is not an HTTP response the request can use).
    if answer.status == 101 && request.mode != .websocket {
      throw NetworkError(stage: isPreflight ? .preflight : .scheme, reason: .requestFailed,
                         detail: failure(request, status: 101, isPreflight: isPreflight, responseMethod: method))
    }
    if answer.routeIndex == nil && !answer.answeredByResponder { note(.routeNotFound, method, url.hrefWithoutFragment, number: 404) }
    checkpoint(.responseReceived, method, url.hrefWithoutFragment, number: answer.status)
    return Response(status: answer.status, headerList: answer.headers, body: answer.body, urlList: request.urlList,
                    routeMethod: method)
  }

  /// Cross-origin resource policy check. Fetch §3.7 (#cross-origin-resource-policy-internal-check)
  func corpCheck(_ request: inout Request, _ response: Response) throws(NetworkError) {
    let origin = request.origin
    let responseOrigin = request.currentURL.origin
    // Same origin: always allowed (the check is for cross-origin no-cors responses).
    if origin.isSameOrigin(responseOrigin) { return }
    // 4. Let policy be the result of getting `Cross-Origin-Resource-Policy` from response's header list.
    var policy = response.headerList.get(.crossOriginResourcePolicy)
    // 5. If policy is neither `same-origin`, `same-site`, nor `cross-origin`, then set policy to null.
    if policy != "same-origin" && policy != "same-site" && policy != "cross-origin" { policy = nil }
    // 6. If policy is null, then switch on embedderPolicyValue.
    let defaulted = policy == nil
    if policy == nil {
      switch embedderPolicy {
      case .unsafeNone: return
      case .requireCorp: policy = "same-origin"
      case .credentialless:
        // "same-origin" when the response's request-includes-credentials is true (false when COEP
        // credentialless kept the credentials off a cross-origin no-cors request).
        if response.requestIncludesCredentials { policy = "same-origin" } else { return }
      }
    }
    switch policy {
    case "cross-origin":
      return
    case "same-origin":
      break
    default:
      // same-site: schemelessly same site, and a secure response is never same-site to an insecure page.
      if origin.isSchemelesslySameSite(responseOrigin) && (origin.scheme == "https" || responseOrigin.scheme != "https") {
        return
      }
    }
    throw NetworkError(stage: .response, reason: .corpBlocked,
                       detail: failure(request, parameter: defaulted ? FailureParameter.corpDefaultedByEmbedderPolicy : nil,
                                       value: policy, status: response.status,
                                       responseMethod: response.routeMethod, headerName: "Cross-Origin-Resource-Policy"))
  }

  /// Quirk(chromium): Local Network Access. A request to a more private address space than the page's needs
  /// a secure context and the user's permission; a declared targetAddressSpace must match.
  /// WICG/local-network-access #integration-with-fetch; services/network/local_network_access_checker.cc
  func localNetworkAccessCheck(_ request: inout Request, isPreflight: Bool) throws(NetworkError) {
    guard profile.localNetworkAccess else { return }
    let url = request.currentURL
    let spaces = environment.addressSpaces
    // (With no name declared, the record's own answer: `AddressSpace.of` with a resolver that finds nothing.)
    let resourceSpace = spaces.isEmpty ? url.hostAddressSpace : AddressSpace.of(url.host, resolve: { spaces[$0] })
    // A declared target address space that does not match the resolved one is a hard failure.
    if let target = request.targetAddressSpace, target != resourceSpace {
      throw NetworkError(stage: .request, reason: .lnaAddressSpaceMismatch,
                         detail: failure(request, parameter: target.rawValue, value: resourceSpace.rawValue))
    }
    // A local network request: the resource is in a more private address space than the client.
    if resourceSpace == .public { return }
    let clientSpace = page.ipAddressSpace(environment)
    guard resourceSpace < clientSpace else { return }
    // Same-origin requests from a potentially trustworthy origin are exempt.
    if url.origin.isSameOrigin(request.origin) && request.origin.isPotentiallyTrustworthy() { return }
    // The permission is asked once per fetch; the preflight and the request share it.
    if localNetworkAccessPrompted { return }
    if !pageIsSecureContext {
      throw NetworkError(stage: .request, reason: .lnaInsecureContext,
                         detail: failure(request, parameter: resourceSpace.rawValue))
    }
    guard environment.localNetworkAccessGranted else {
      throw NetworkError(stage: .request, reason: .lnaPermissionDenied,
                         detail: failure(request, parameter: resourceSpace.rawValue))
    }
    localNetworkAccessPrompted = true
    record(TraceStep(.note(.lnaPermissionPrompt), resourceSpace.rawValue, clientSpace.rawValue,
                           quirk: .chromiumLNA))
  }
}
