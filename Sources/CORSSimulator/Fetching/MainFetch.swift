extension FetchRun {
  /// Fetch: the preamble (request origin from the client), then main fetch. Fetch §4 (#concept-fetch)
  func fetch(_ request: inout Request) throws(NetworkError) -> DeliveredResponse {
    if request.origin.isOpaque { note(.requestOriginOpaque, "null") }
    if profile.streamRequestBodies == .unsupported, request.body?.kind == .stream {
      // Quirk(webkit): no ReadableStream uploads; fetch() rejects before any request.
      record(TraceStep(.failure(.streamBodyUnsupported), "ReadableStream", quirk: .webkitNoStreamUploads))
      throw NetworkError(stage: .request, reason: .streamBodyUnsupported,
                         detail: failure(request, parameter: "ReadableStream"))
    }
    return try mainFetchTopLevel(&request)
  }

  /// Main fetch with recursive false: the checks and branch, then the response's filtering and the
  /// response-side gates. Fetch §4.1 Main fetch (#concept-main-fetch) steps 13–24
  func mainFetchTopLevel(_ request: inout Request) throws(NetworkError) -> DeliveredResponse {
    if profile.redirectPreflight != .standard && request.unsafeRequest {
      // The author's CORS-unsafe names, kept for the engines that decide a redirected hop's preflight from them.
      request.originalUnsafeNames = corsUnsafeNames(request.headerList)
      request.originalHeaderList = request.headerList
    }
    let response: Response
    if let (entry, refilter) = consumePreload(&request) {
      // Main fetch step 12: the preloaded response candidate is the response (its network error included).
      usedPreload = true
      switch entry.result {
      case .failure(let error): throw error
      case .success(let stored):
        request.urlList = stored.urlList
        response = stored.response
        request.responseTainting = refilter ? try taintingForReuse(request, response) : stored.tainting
      }
    } else {
      response = try mainFetch(&request)
    }
    if api == .preload { preloadedResponse = response }
    finalResponseUntypedAndEmpty = !response.headerList.contains(.contentType) && (response.body ?? "").isEmpty
    // Opaque-response blocking (an engine's, for element loads; it belongs to HTTP fetch, on the final response).
    if request.destination != .empty { try blockIfOpaqueResponseBlocked(&request, response) }
    // 14. If response is not a network error and not a filtered response:
    var delivered: DeliveredResponse
    if response.isOpaqueRedirect {
      delivered = DeliveredResponse(type: .opaqueredirect, status: 0, exposedHeaders: nil)
    } else {
      switch request.responseTainting {
      case .basic:
        // Basic filtered response: all headers but Set-Cookie/Set-Cookie2. fetch.bs #concept-filtered-response-basic
        note(.filteredBasic)
        let names = response.headerList.uniqueCanonicalNames.filter { !Safelists.isForbiddenResponseHeaderName($0) }
        delivered = DeliveredResponse(type: .basic, status: response.status, exposedHeaders: names.sorted())
      case .cors:
        // 14.1 Compute the CORS-exposed header-name list, then the CORS filtered response.
        delivered = DeliveredResponse(type: .cors, status: response.status,
                                      exposedHeaders: corsExposedHeaderNames(&request, response))
      case .opaque:
        // Opaque filtered response: status 0, no headers, no body. fetch.bs #concept-filtered-response-opaque
        note(.filteredOpaque)
        delivered = DeliveredResponse(type: .opaque, status: 0, exposedHeaders: nil)
      }
    }
    // 20. Response-side blocking: mixed content and CSP on the response URL repeat the request checks (which
    // already ran on every hop); the MIME-type and nosniff gates only apply to script-like and style
    // destinations, which fetch() and XHR never have (destination "").
    if request.destination != .empty { try blockIfWrongTypeForDestination(request, response) }
    // 22. HEAD, CONNECT or a null body status: the body is dropped.
    if delivered.type != .opaque && delivered.type != .opaqueredirect,
       request.method == "HEAD" || [101, 103, 204, 205, 304].contains(response.status) {
      note(.nullBodyStatus, request.method, number: response.status)
    }
    // 23. Integrity metadata: a null body (opaque) cannot be verified, and a body must match. SRI §3.3.5
    if !request.integrity.isEmpty {
      let bodyIsNull = delivered.type == .opaque || delivered.type == .opaqueredirect
      if bodyIsNull || SubresourceIntegrity.matches(body: response.body ?? "", metadata: request.integrity) == false {
        var detail = failure(request, parameter: request.integrity, status: response.status)
        detail.integrity = integrityCheck(response, metadata: request.integrity, eligible: !bodyIsNull)
        throw NetworkError(stage: .response, reason: .integrityMismatch, detail: detail)
      }
    }
    // import() and a worker run their script only for an ok status (before its type is looked at).
    if api == .dynamicImport || api.isWorker { try blockIfScriptStatusNotOK(request, response) }
    // An element uses only a response with an ok status, whatever it holds (before its type and bytes are judged).
    if let element = request.element { try blockIfElementStatusNotOK(request, response, element) }
    // The element processes what it received (html: a stylesheet's and a module script's type).
    if request.element != nil { try blockIfElementCannotUse(&request, response) }
    // An EventSource announces the connection only for a 200 text/event-stream response. html: #dom-eventsource
    if api == .eventSource { try failIfNotEventStream(request, response) }
    // A worker runs its top-level script only with a JavaScript MIME type. html: #fetch-a-classic-worker-script
    if api.isWorker { try blockIfWorkerScriptNotJavaScript(request, response) }
    // A WebSocket opens only on a valid 101 handshake. websockets #concept-websocket-establish step 11
    if api == .websocket { try failIfHandshakeInvalid(request, response) }
    return delivered
  }

  /// Main fetch, recursive: the checks every hop repeats, then the branch that decides the tainting.
  /// Fetch §4.1 Main fetch (#concept-main-fetch) steps 3–12
  func mainFetch(_ request: inout Request) throws(NetworkError) -> Response {
    checkpoint(.mainFetch, request.currentURL.href, request.method)
    // 3. The local-URLs-only flag is never set for fetch() or XHR requests.
    // 5. Upgrade request to a potentially trustworthy URL, if appropriate. uir #upgrade-request
    if page.upgradeInsecureRequests && request.currentURL.scheme == "http" {
      let upgraded = request.currentURL.replacing(scheme: "https")
      note(.uirUpgraded, request.currentURL.href, upgraded.href)
      request.urlList[request.urlList.count - 1] = upgraded
    }
    // 6. Upgrade a mixed content request: only for destinations image, audio and video — never fetch/XHR.
    if request.destination != .empty { upgradeMixedContent(&request) }
    // 7. Bad port, mixed content, CSP, Integrity Policy. fetch.bs #block-bad-port, mix #should-block-fetch, CSP,
    // SRI #should-request-be-blocked-by-integrity-policy-section
    try blockIfBadPort(&request)
    try blockIfMixedContent(&request)
    try blockIfCSP(&request)
    if request.destination != .empty { try blockIfIntegrityPolicy(&request) }
    // 10. HSTS: an http URL whose domain is a known HSTS host becomes https.
    if request.currentURL.scheme == "http", let domain = request.currentURL.host?.domain,
       !(domain == "localhost" || domain == "localhost." || domain.hasSuffix(".localhost")),
       environment.isKnownHSTSHost(domain) {
      let upgraded = request.currentURL.replacing(scheme: "https")
      note(.hstsUpgraded, request.currentURL.href, upgraded.href)
      request.urlList[request.urlList.count - 1] = upgraded
    }
    // 12. If response is null, then set response to the result of the first matching statement:
    let url = request.currentURL
    // ▸ request's current URL's origin is same origin with request's origin, and tainting is "basic";
    //   or current URL's scheme is "data"; or mode is "navigate" or "websocket":
    if (url.origin.isSameOrigin(request.origin) && request.responseTainting == .basic) || url.scheme == "data"
      || request.mode == .navigate || request.mode == .websocket {
      // 1. Set request's response tainting to "basic". 2. Return the result of running scheme fetch.
      request.responseTainting = .basic
      // A navigation or a WebSocket handshake says so: its origins play no part here.
      let crossOriginMode = request.mode == .navigate || request.mode == .websocket
      note(.taintingBasic, url.href, crossOriginMode ? request.mode.rawValue : "")
      return try schemeFetch(&request)
    }
    // ▸ request's mode is "same-origin": return a network error.
    if request.mode == .sameOrigin {
      throw NetworkError(stage: .scheme, reason: .disallowedByMode, detail: failure(request))
    }
    // ▸ request's mode is "no-cors":
    if request.mode == .noCORS {
      // 1. If request's redirect mode is not "follow", then return a network error.
      if request.redirectMode != .follow {
        throw NetworkError(stage: .scheme, reason: .noCORSRedirectMode,
                           detail: failure(request, parameter: request.redirectMode.rawValue))
      }
      // 2. Set request's response tainting to "opaque". 3. Return the result of running scheme fetch.
      request.responseTainting = .opaque
      note(.taintingOpaque, url.href)
      return try schemeFetch(&request)
    }
    // ▸ request's current URL's scheme is not an HTTP(S) scheme: return a network error.
    if !url.isHTTPScheme {
      throw NetworkError(stage: .scheme, reason: .unsupportedScheme, detail: failure(request, parameter: url.scheme))
    }
    request.responseTainting = .cors
    note(.taintingCORS, url.href)
    // ▸ use-CORS-preflight flag set, or unsafe-request flag set and either the method is not safelisted or the
    //   CORS-unsafe request-header names are not empty:
    // (The first hop's names were already worked out from these very lines when the engine keeps them: reused.)
    var unsafeNames: [String]
    if request.urlList.count == 1, let names = request.originalUnsafeNames,
       let lines = request.originalHeaderList, lines.sharesLines(with: request.headerList) {
      unsafeNames = names
    } else {
      unsafeNames = corsUnsafeNames(request.headerList)
    }
    let methodUnsafe = !Method(request.method).isCORSSafelisted
    var needsPreflight = request.useCORSPreflight || (request.unsafeRequest && (methodUnsafe || !unsafeNames.isEmpty))
    // Whether the names come from the original request (a redirected hop in Firefox or WebKit), not the lines.
    var namesFromOriginal = false
    if request.urlList.count == 1 {
      request.originalNeedsPreflight = needsPreflight
    } else if request.unsafeRequest, let original = request.originalUnsafeNames, profile.redirectPreflight != .standard {
      let standard = needsPreflight
      (needsPreflight, unsafeNames) = redirectedHopPreflight(request, original: original, current: unsafeNames,
                                                             needed: needsPreflight)
      // A preflight the current request alone would not need is not skipped by a cached method entry for a
      // safelisted method (the engine asks its cache for this URL's entry).
      request.hopForcesPreflight = needsPreflight && !standard
      namesFromOriginal = true
    }
    // Once a hop of the chain was preflighted, Firefox and WebKit preflight every later hop (the redirect-chain
    // generator, seed 11, chain 218: a PUT preflighted on its second URL, rewritten to GET by a 303, is
    // preflighted again on its third in both).
    if needsPreflight { request.originalNeedsPreflight = true }
    if needsPreflight {
      // fetch.bs #cors-preflight-fetch-0 step 5.1: the names joined by `,` (no space) — also the trace's detail.
      let comma = UInt8(ascii: ",")
      var requestHeaders = unsafeNames.count == 1 ? unsafeNames[0] : HTTPSyntax.join(unsafeNames, separator: comma)
      if profile.headerLinesOfOneName == .separateListedPerLine && !unsafeNames.isEmpty && !namesFromOriginal {
        // One name per unsafe header line, sorted, repeats kept (`x-token,x-token`).
        let lines = Safelists.corsUnsafeRequestHeaderNames(
          request.headerList, totalLimit: profile.safelistedValueTotalLimit, extra: profile.extraSafelist,
          nonASCIIUnsafe: profile.nonASCIIIsCORSUnsafeByte, rangeUnitCaseInsensitive: profile.rangeUnitCaseInsensitive,
          deduplicated: false)
        if lines.count != unsafeNames.count { requestHeaders = HTTPSyntax.join(lines, separator: comma) }
      }
      if request.useCORSPreflight {
        note(.preflightForced)
      } else if methodUnsafe {
        note(.preflightRequiredMethod, request.method)
      } else {
        note(.preflightRequiredHeaders, requestHeaders)
      }
      // 1. Set tainting to "cors". 2. Let corsWithPreflightResponse be the result of HTTP fetch with makeCORSPreflight.
      do {
        return try httpFetch(&request, makeCORSPreflight: true, unsafeNames: unsafeNames, requestHeaders: requestHeaders)
      } catch {
        // 3. If corsWithPreflightResponse is a network error, then clear cache entries using request.
        //    Quirk(chromium, webkit): not done (see BrowserProfile.clearsCacheOnNetworkError).
        if profile.clearsCacheOnNetworkError { clearCacheEntries(&request) }
        throw error
      }
    }
    // ▸ Otherwise: 1. Set tainting to "cors". 2. Return the result of running HTTP fetch.
    note(.corsSimpleRequest, request.method)
    return try httpFetch(&request, makeCORSPreflight: false, unsafeNames: unsafeNames)
  }

  /// Whether a redirected hop needs a preflight, and the names it asks for, under the profile's
  /// `redirectPreflight` rule (the standard's answer is `needed` with `current`).
  func redirectedHopPreflight(_ request: Request, original: [String], current: [String], needed: Bool)
    -> (Bool, [String]) {
    switch profile.redirectPreflight {
    case .standard:
      return (needed, current)
    case .originalUnsafeHeaders:
      // Source(firefox): nsCORSListenerProxy::CheckPreflightNeeded — the current method, LoadInfo's unsafe header
      // names (the original request's), and the current Content-Type; SetCorsPreflightParameters drops the
      // request-body headers when this hop rewrote the method, and Authorization when it crossed origins.
      var names = original.filter { name in
        !(request.lastHopRewroteMethod && ["content-encoding", "content-language", "content-location", "content-type"].contains(name))
          && !(request.lastHopCrossedOrigins && name == "authorization")
      }
      if current.contains("content-type") && !names.contains("content-type") { names.append("content-type") }
      names.sort()
      // A request preflighted on its first URL is preflighted on every hop: the channel keeps requiring it.
      let needs = request.useCORSPreflight || request.originalNeedsPreflight || !Method(request.method).isCORSSafelisted
        || !original.isEmpty || current.contains("content-type")
      if needs != needed || names != current {
        record(TraceStep(.note(.redirectNeedsPreflight), request.currentURL.href, names.joined(separator: ","),
                         quirk: .firefoxRedirectPreflightFromOriginalHeaders))
      }
      return (needs, names)
    case .originalRequestNotSimple:
      // Observed(webkit): the hop is judged on its current method and the original header names (Authorization
      // still counts after a cross-origin hop removed it), and a request whose first URL was preflighted is
      // preflighted on every hop; the preflight asks for the current method and those names.
      // The request-body headers count as the request now has them (WebKit keeps them on a rewrite).
      var names = original.filter { !["content-encoding", "content-language", "content-location", "content-type"].contains($0) }
      for name in current where !names.contains(name) { names.append(name) }
      names.sort()
      let needs = needed || request.originalNeedsPreflight || !names.isEmpty
      if needs != needed || names != current {
        record(TraceStep(.note(.redirectNeedsPreflight), request.currentURL.href, names.joined(separator: ","),
                         quirk: .webkitRedirectPreflightFromOriginalRequest))
      }
      return (needs, names)
    }
  }

  /// What the engines compute from a body that failed its integrity metadata, for their console lines: its digest
  /// under the strongest algorithm (Chromium and Firefox print it), the body's length and the declared one (WebKit
  /// prints both: SubresourceIntegrity.cpp integrityMismatchDescription). The internal response's body, also when
  /// the response is opaque: WebKit checks the bytes it received (observed, "Content length: 1" for a no-cors body).
  func integrityCheck(_ response: Response, metadata: String, eligible: Bool) -> FailureDetail.IntegrityCheck {
    let body = response.body ?? ""
    let strongest = SubresourceIntegrity.strongestDigest(body: body, metadata: metadata)
    // The one `Content-Length` value, when it is digits; else 0 (observed: a body the server ends by closing the
    // connection is announced with 0 by WebKitGTK, conformance run of 2026-12-06).
    let declared = response.headerList.fields(named: HeaderName("Content-Length")).map(\.value)
    let value = declared.count == 1 ? declared[0].trimmingHTTPWhitespace() : ""
    let length = HTTPSyntax.isDigits(value) ? Int(value) ?? 0 : 0
    return FailureDetail.IntegrityCheck(algorithm: strongest?.algorithm ?? "", digest: strongest?.digest ?? "",
                                        bodyLength: BodyBytes.bytes(body).count, declaredLength: length, eligible: eligible)
  }

  /// The CORS-unsafe request-header names under the profile's safelist rules.
  func corsUnsafeNames(_ headers: HeaderList) -> [String] {
    Safelists.corsUnsafeRequestHeaderNames(headers, totalLimit: profile.safelistedValueTotalLimit,
                                           extra: profile.extraSafelist, nonASCIIUnsafe: profile.nonASCIIIsCORSUnsafeByte,
                                           rangeUnitCaseInsensitive: profile.rangeUnitCaseInsensitive)
  }

  /// The CORS-exposed header-name list and the names a CORS filtered response lets script read.
  /// Fetch §4.1 Main fetch step 14.1 (#concept-main-fetch), #concept-filtered-response-cors
  func corsExposedHeaderNames(_ request: inout Request, _ response: Response) -> [String] {
    // 14.1.1 Let headerNames be the result of extracting header list values given `Access-Control-Expose-Headers`.
    var exposed: [String] = []
    var wildcard = false
    switch response.headerList.extractTokenList(.accessControlExposeHeaders) {
    case .absent:
      break
    case .values(let names):
      // 14.1.2 If credentials mode is not "include" and headerNames contains `*`: every unique header name.
      if request.credentialsMode != .include && names.contains("*") {
        wildcard = true
        note(.exposeHeadersWildcard)
      } else {
        // 14.1.3 Otherwise, the list is headerNames (a `*` then only names a header literally called `*`).
        exposed = names.map { HTTPSyntax.lowercased($0) }
      }
    case .failure(let item, _):
      // Failure: the list stays empty; only the safelisted names are visible.
      note(.exposeHeadersInvalid, item)
    }
    note(.filteredCORS)
    // A CORS filtered response's header list excludes any header whose name is not a CORS-safelisted
    // response-header name given the exposed list; Set-Cookie and Set-Cookie2 are never exposed.
    // Lists are short in practice; hostile ones (thousands of names) stay linear (`SmallSet`).
    let exposedSet = SmallSet(exposed)
    let fields = response.headerList.fields
    var out: [String] = []
    // At most one name per line; usually a few. (A verdict keeps this list: little room left over.)
    out.reserveCapacity(min(fields.count, 4))
    // The names already listed: `out` itself is walked while it is short; a set takes over past that (a response of
    // thousands of exposed lines stays linear). A set beside `out` from the start cost an allocation per response.
    var seen: Set<String>? = nil
    for i in fields.indices {
      // (Read in place: a `for` over the lines copies each one.)
      if fields[i].name.isForbiddenResponseName { continue }
      let name = fields[i].name.canonicalName
      let visible = wildcard || fields[i].name.isCORSSafelistedResponseName || exposedSet.contains(name)
      guard visible else { continue }
      if seen != nil {
        if seen!.insert(name).inserted { out.append(name) }
      } else if !out.contains(name) {
        out.append(name)
        if out.count > smallCollectionLimit { seen = Set(out) }
      }
    }
    if out.count > 1 { out.sort() }  // (in place: `sorted()` made a second list)
    return out
  }

  /// Clear cache entries using request. fetch.bs #concept-cache-clear
  func clearCacheEntries(_ request: inout Request) {
    let removed = cache.clear(key: partitionKey, serializedOrigin: cacheOrigin(&request),
                              url: request.currentURL.hrefWithoutFragment)
    if removed > 0 { note(.preflightCacheCleared, request.currentURL.href, number: removed) }
  }

  /// The byte-serialized origin the preflight cache is keyed by: the request's, `null` once tainted, in
  /// every engine (observed in the conformance run, keyed-by-serialized-origin-after-taint).
  func cacheOrigin(_ request: inout Request) -> String { request.serializedOrigin }

  /// Whether the request's origin is, to the engine, a new opaque origin of this fetch alone (tainted by a
  /// redirect, `BrowserProfile.taintedOriginIsNewOpaqueOrigin`): no preflight result is looked up or kept for it.
  func hasOwnOpaqueOrigin(_ request: inout Request) -> Bool {
    profile.taintedOriginIsNewOpaqueOrigin && request.redirectTaint != .sameOrigin && request.originSerialization != "null"
  }
}
