extension FetchRun {
  /// CORS-preflight fetch: the OPTIONS request, the checks on its answer, and the cache update.
  /// Fetch §4.8 CORS-preflight fetch (#cors-preflight-fetch-0)
  func corsPreflightFetch(_ request: inout Request, unsafeNames: [String], requestHeaders: String) throws(NetworkError) {
    // 1. Let preflight be a new request: method `OPTIONS`, URL list a clone of request's, mode "cors", response
    //    tainting "cors", credentials mode left at "same-origin" (so includeCredentials is false).
    // 2. Append (`Accept`, `*/*`). 3. Append (`Access-Control-Request-Method`, request's method).
    var headers: [HeaderField] = []
    headers.reserveCapacity(3)
    headers.append(HeaderField(.accessControlRequestMethod, request.method))
    // 4–5. If the CORS-unsafe request-header names are not empty, append them joined by `,`.
    if !unsafeNames.isEmpty {
      headers.append(HeaderField(.accessControlRequestHeaders, requestHeaders))
    }
    // The `Origin` header is appended by HTTP-network-or-cache fetch (response tainting "cors").
    var preflightOrigin = request.serializedOrigin
    if profile.preflightAfterRedirectUsesInitiatorOrigin && preflightOrigin != request.originSerialization {
      // Observed(firefox): the preflight after a tainting redirect carries the initiator's origin.
      preflightOrigin = request.originSerialization
      record(TraceStep(.checkpoint(.preflightSent), "Origin", preflightOrigin, quirk: .firefoxPreflightInitiatorOrigin))
    }
    headers.append(HeaderField(.origin, preflightOrigin))
    // 6. Let response be the result of running HTTP-network-or-cache fetch given preflight (never redirected).
    let response = try networkFetch(&request, method: "OPTIONS", headers: headers, isPreflight: true,
                                    includeCredentials: false, stage: .preflight)

    func fail(_ reason: FailureReason, parameter: String? = nil, value: String? = nil, setBy: [String] = [],
              header: String? = nil, quirk: Quirk? = nil) -> NetworkError {
      record(TraceStep(.failure(reason), parameter ?? header ?? "", value ?? "", number: response.status,
                             quirk: quirk))
      return NetworkError(stage: .preflight, reason: reason,
                          detail: failure(request, parameter: parameter, value: value, status: response.status,
                                          isPreflight: true, setBy: setBy, responseMethod: "OPTIONS", headerName: header))
    }

    // 7. If a CORS check for request and response returns success and response's status is an ok status…
    //    (one condition in the standard; each engine reports one of the two first).
    let isRedirect = response.isRedirectStatus && response.headerList.contains(.location)
    if isRedirect && profile.preflightCheckOrder == .redirectFirst {
      // The redirect fails the preflight before its headers are read.
      throw fail(.preflightRedirect, quirk: .preflightRedirectFirst)
    }
    if profile.preflightCheckOrder == .statusFirst && !response.isOKStatus {
      // The status is checked first, and a 3xx is "not successful" like any other.
      throw fail(.preflightNotOK, quirk: response.isRedirectStatus ? .webkitPreflightRedirectNotOK : .webkitPreflightStatusFirst)
    }
    // The CORS check is done on request rather than preflight, to use the request's credentials mode.
    if profile.skipsPreflightCORSCheckOnOwnOrigin && request.currentURL.origin.isSameOrigin(request.origin) {
      // Source(firefox): the preflight channel to a URL the page's principal may load does no CORS check.
      record(TraceStep(.checkpoint(.corsCheckPassed), preflightOrigin, quirk: .firefoxPreflightToOwnOriginNotChecked))
    } else if let f = corsCheck(credentialsMode: request.credentialsMode, serializedOrigin: preflightOrigin, response) {
      throw fail(f.reason, value: f.value, setBy: f.setBy, header: f.header.rawName,
                 quirk: f.reason == .multipleAllowOrigin || f.reason == .invalidAllowOrigin ? .allowOriginClassification : nil)
    }
    if !response.isOKStatus {
      // A 3xx is not an ok status; preflights are never redirected.
      throw fail(response.isRedirectStatus ? .preflightRedirect : .preflightNotOK)
    }

    let credentialed = request.credentialsMode == .include
    // 7.1 Let methods be the result of extracting header list values given `Access-Control-Allow-Methods`.
    // 7.2 Let headerNames be the result of extracting header list values given `Access-Control-Allow-Headers`.
    let methodsList = response.headerList.extractTokenList(.accessControlAllowMethods)
    let headersList = response.headerList.extractTokenList(.accessControlAllowHeaders)
    func setBy(_ name: HeaderName) -> [String] {
      response.headerList.fields(named: name).map { $0.setBy ?? Layer.application }.uniqued()
    }

    // 7.3 If either methods or headerNames is failure, return a network error.
    //     Quirk(firefox): methods are parsed and matched before Allow-Headers is parsed at all.
    var methods: [String]? = nil
    switch methodsList {
    case .failure(let item, _):
      throw fail(.invalidAllowMethods, parameter: item, value: response.headerList.get(.accessControlAllowMethods),
                 setBy: setBy(.accessControlAllowMethods), header: "Access-Control-Allow-Methods")
    case .values(let v): methods = v
    case .absent: break
    }
    if !profile.methodsCheckedBeforeHeadersParsed, case .failure(let item, _) = headersList {
      throw fail(.invalidAllowHeaders, parameter: item, value: response.headerList.get(.accessControlAllowHeaders),
                 setBy: setBy(.accessControlAllowHeaders), header: "Access-Control-Allow-Headers")
    }
    // 7.4 If methods is null and request's use-CORS-preflight flag is set, methods = « request's method ».
    if methods == nil && request.useCORSPreflight {
      if profile.forcedPreflightImpliesMethod {
        methods = [request.method]
      } else {
        record(TraceStep(.checkpoint(.preflightPassed), "no implied method", quirk: .firefoxNoImpliedMethod))
      }
    }
    // 7.5 If request's method is not in methods, is not a CORS-safelisted method, and (credentials mode is
    //     "include" or methods does not contain `*`), then return a network error.
    let methodList = methods ?? []
    let hasMethodWildcard = methodList.contains("*")
    if !methodList.contains(request.method) && !Method(request.method).isCORSSafelisted {
      if credentialed || !hasMethodWildcard {
        if credentialed && hasMethodWildcard { note(.preflightWildcardIgnoredCredentials, "Access-Control-Allow-Methods") }
        throw fail(.methodNotAllowed, parameter: request.method, value: response.headerList.get(.accessControlAllowMethods),
                   setBy: setBy(.accessControlAllowMethods), header: "Access-Control-Allow-Methods",
                   quirk: profile.methodsCheckedBeforeHeadersParsed ? .firefoxMethodsFirst : nil)
      }
    }
    var headerNames: [String] = []
    switch headersList {
    case .failure(let item, _):
      throw fail(.invalidAllowHeaders, parameter: item, value: response.headerList.get(.accessControlAllowHeaders),
                 setBy: setBy(.accessControlAllowHeaders), header: "Access-Control-Allow-Headers",
                 quirk: .firefoxMethodsFirst)
    case .values(let v): headerNames = v
    case .absent: break
    }
    let allowed = SmallSet(headerNames.map { HTTPSyntax.lowercased($0) })
    let hasHeaderWildcard = allowed.contains("*")
    let allowHeadersValue = response.headerList.get(.accessControlAllowHeaders)
    // 7.6 If a header name is a CORS non-wildcard request-header name (Authorization) and is not listed, fail.
    if request.headerList.contains(.authorization) && !allowed.contains("authorization") {
      if profile.authorizationCoveredByWildcard && hasHeaderWildcard && !credentialed {
        // Quirk: `*` covers Authorization in every engine (whatwg/fetch#1919); Firefox warns, Chromium files
        // a DevTools issue.
        recordForConsole(TraceStep(.note(.authorizationWildcardWarning), "Authorization", quirk: .authorizationWildcard))
      } else if !profile.authorizationCoveredByWildcard {
        let reason: FailureReason = hasHeaderWildcard && !credentialed ? .authorizationNotCoveredByWildcard : .headerNotAllowed
        throw fail(reason, parameter: rawHeaderName("authorization", in: &request), value: allowHeadersValue,
                   setBy: setBy(.accessControlAllowHeaders), header: "Access-Control-Allow-Headers")
      }
    }
    // 7.7 For each unsafeName of the CORS-unsafe request-header names, if it is not listed and (credentials
    //     mode is "include" or headerNames does not contain `*`), return a network error.
    if credentialed && hasHeaderWildcard && unsafeNames.contains(where: { !allowed.contains($0) }) {
      note(.preflightWildcardIgnoredCredentials, "Access-Control-Allow-Headers")
    }
    // (The order only matters when a name is refused: skip computing it when all are listed.)
    let someRefused = unsafeNames.contains { !allowed.contains($0) }
    for name in someRefused ? orderedUnsafeNames(unsafeNames, &request) : [] where !allowed.contains(name) {
      if name == "authorization" && profile.authorizationCoveredByWildcard && hasHeaderWildcard && !credentialed { continue }
      if name == "authorization" && !profile.authorizationCoveredByWildcard { continue }  // decided by 7.6
      if credentialed || !hasHeaderWildcard {
        throw fail(.headerNotAllowed, parameter: rawHeaderName(name, in: &request), value: allowHeadersValue,
                   setBy: setBy(.accessControlAllowHeaders), header: "Access-Control-Allow-Headers",
                   quirk: profile.reportsFirstDisallowedHeaderSorted == BrowserProfile.spec.reportsFirstDisallowedHeaderSorted
                     ? nil : .headerOrder)
      }
    }
    checkpoint(.preflightPassed, request.method, requestHeaders)

    // 7.8–7.10 max-age: extracted, defaulted to 5, capped by the UA.
    let maxAge = preflightMaxAge(response)
    // 7.11–7.15 Create or refresh cache entries.
    guard let seconds = maxAge else {
      note(.preflightNotCached, response.headerList.get(.accessControlMaxAge) ?? "", quirk: maxAgeQuirk)
      return
    }
    if hasOwnOpaqueOrigin(&request) {
      // Quirk(chromium, webkit): kept under this fetch's own opaque origin, the result serves no later fetch.
      note(.preflightNotCached, "an opaque origin of this fetch alone")
      return
    }
    let q = cacheQuery(&request)
    if profile.longURLsNotCached && q.url.utf8.count >= 1024 {
      note(.preflightNotCached, "URL of \(q.url.utf8.count) characters", quirk: .chromiumMaxAge)
      return
    }
    if profile.keepsOneCachedResultPerURL {
      // One result per (origin, URL): the new result replaces what was cached.
      cache.clear(key: q.key, serializedOrigin: q.serializedOrigin, url: q.url)
    }
    cache.reserve((methods?.count ?? 0) + headerNames.count + 1)
    for method in methods ?? [] { cache.store(method: method, q, maxAge: seconds, now: now, cacheRules) }
    for name in headerNames { cache.store(headerName: name, q, maxAge: seconds, now: now, cacheRules) }
    if profile.cachesEmptyPreflightResults { cache.storeResultMarker(q, maxAge: seconds, now: now, cacheRules) }
    record(TraceStep(.note(.preflightCacheStored), q.url, number: seconds < 1e15 ? Int(seconds.rounded()) : Int.max,
                           quirk: profile.keepsOneCachedResultPerURL ? .replacesCache : nil))
  }

  /// The order in which an engine walks the unsafe names when it reports the first one not allowed.
  func orderedUnsafeNames(_ unsafeNames: [String], _ request: inout Request) -> [String] {
    // The standard walks the sorted list it computed (fetch.bs #cors-preflight-fetch-0 step 7.7).
    if profile.reportsFirstDisallowedHeaderSorted { return unsafeNames }
    // Quirk(chromium): request order (preflight_result.cc EnsureAllowedCrossOriginHeaders).
    var out: [String] = []
    out.reserveCapacity(unsafeNames.count)
    let wanted = SmallSet(unsafeNames)
    var seen = SmallSet<String>()
    let fields = request.headerList.fields
    for i in fields.indices where wanted.contains(fields[i].name.canonicalName) && seen.insert(fields[i].name.canonicalName) {
      out.append(fields[i].name.canonicalName)
    }
    // Names asked for that the request no longer has (a redirected hop judged on the original request's names,
    // `BrowserProfile.redirectPreflight`: Authorization after a cross-origin hop removed it) are checked too.
    for name in unsafeNames where seen.insert(name) { out.append(name) }
    return out
  }

  /// The header name as the script wrote it.
  func rawHeaderName(_ canonical: String, in request: inout Request) -> String {
    request.headerList.first { $0.name.canonicalName == canonical }?.name.rawName
      ?? request.originalHeaderList?.first { $0.name.canonicalName == canonical }?.name.rawName ?? canonical
  }

  var maxAgeQuirk: Quirk? { profile.maxAgeQuirk }

  /// The preflight result's lifetime in seconds, or nil when the engine does not cache it.
  /// Fetch §4.8 steps 7.8–7.10 (#cors-preflight-fetch-0); engine rules in `MaxAgeRule`.
  func preflightMaxAge(_ response: Response) -> Double? {
    let cap = profile.maxAgeCap
    func capped(_ v: Int64) -> Double {
      if let cap, v > Int64(cap) {
        note(.preflightMaxAgeCapped, String(v), String(cap), number: cap, quirk: maxAgeQuirk)
        return Double(cap)
      }
      return Double(v)
    }
    func defaulted(_ why: String) -> Double {
      note(.preflightMaxAgeDefaulted, why, number: 5, quirk: maxAgeQuirk)
      return 5
    }
    switch profile.maxAgeRule {
    case .deltaSeconds:
      // 7.8 Extract `Access-Control-Max-Age` (delta-seconds, single-valued). 7.9 Failure or null → 5.
      switch response.headerList.extractSingle(.accessControlMaxAge) {
      case .absent: return defaulted("absent")
      case .multiple: return defaulted("several header lines")
      case .value(let v):
        guard let n = digitsOnly(v) else { return defaulted(v) }
        return capped(n)
      }
    case .int64:
      // On the combined value: an optional `+` or `-`, then digits; anything else (or overflow) → 5.
      guard let raw = response.headerList.get(.accessControlMaxAge) else { return defaulted("absent") }
      guard let n = signedInteger(raw) else { return defaulted(raw) }
      if n < 0 { return 0 }  // negative → 0: stored, expired at once.
      return capped(n)
    case .digitsOrNotCached:
      // Every character must be a digit; anything else is not cached at all. Absent → 5. `0` → not cached.
      guard let raw = response.headerList.get(.accessControlMaxAge), !raw.isEmpty else { return defaulted("absent") }
      guard let n = digitsOnly(raw) else { return nil }
      if n == 0 { return nil }
      return capped(n)
    }
  }

  /// `1*DIGIT`, saturating at Int64.max.
  func digitsOnly(_ s: String) -> Int64? {
    guard !s.isEmpty else { return nil }
    var v: Int64 = 0
    for b in s.utf8 {
      guard b >= 0x30 && b <= 0x39 else { return nil }
      let (m, o1) = v.multipliedReportingOverflow(by: 10)
      let (a, o2) = m.addingReportingOverflow(Int64(b - 0x30))
      v = (o1 || o2) ? Int64.max : a
    }
    return v
  }

  /// An optional sign and digits; nil on anything else or on overflow. (Read as bytes: `+` and `-` compared as
  /// Characters cost hundreds of instructions a value.)
  func signedInteger(_ s: String) -> Int64? {
    HTTPSyntax.withBytes(s) { u -> Int64? in
      var p = 0
      var negative = false
      if p < u.count, u[p] == UInt8(ascii: "+") { p += 1 } else if p < u.count, u[p] == UInt8(ascii: "-") {
        negative = true
        p += 1
      }
      guard p < u.count else { return nil }
      var v: Int64 = 0
      while p < u.count {
        let b = u[p]
        guard b >= 0x30 && b <= 0x39 else { return nil }
        let (m, o1) = v.multipliedReportingOverflow(by: 10)
        let (a, o2) = m.addingReportingOverflow(Int64(b - 0x30))
        if o1 || o2 { return nil }
        v = a
        p += 1
      }
      return negative ? -v : v
    }
  }
}
