extension FetchRun {
  /// HTTP-redirect fetch: checks on the location, the request's rewrite, and main fetch again.
  /// Fetch §4.5 HTTP-redirect fetch (#concept-http-redirect-fetch)
  func httpRedirectFetch(_ request: inout Request, _ response: Response) throws(NetworkError) -> Response {
    // 3. Let locationURL be internalResponse's location URL given request's current URL's fragment.
    //    (#concept-response-location-url: `Location` extracted as a single value, parsed against the response URL.)
    let locationURL: URLRecord
    var location = response.headerList.extractSingle(.location)
    if profile.combinesLocationLines, case .multiple = location, let combined = response.headerList.get(.location) {
      // Quirk(webkit): the lines are one combined value, parsed as a URL like any other.
      record(TraceStep(.checkpoint(.responseReceived), "Location", combined, quirk: .webkitCombinedLocation))
      location = .value(combined)
    }
    switch location {
    case .absent:
      // 4. If locationURL is null, then return response.
      note(.redirectNoLocation, request.currentURL.href, number: response.status)
      return response
    case .multiple:
      // 5. If locationURL is failure, then return a network error.
      throw NetworkError(stage: .redirect, reason: .redirectLocationInvalid,
                         detail: failure(request, parameter: FailureParameter.multipleLocations,
                                         value: response.headerList.get(.location),
                                         status: response.status, responseMethod: response.routeMethod,
                                         headerName: "Location"))
    case .value(let value) where profile.emptyLocation != .followed && value.allSatisfy({ $0 == " " || $0 == "\t" }):
      if profile.emptyLocation == .notARedirect {
        // Quirk(chromium): an empty Location makes no redirect; the 3xx is the response.
        record(TraceStep(.note(.redirectNoLocation), request.currentURL.href, number: response.status,
                         quirk: .chromiumEmptyLocationNotARedirect))
        return response
      }
      // Observed(webkit): the load fails at once.
      record(TraceStep(.failure(.redirectLocationInvalid), "Location", value, number: response.status,
                       quirk: .webkitEmptyLocationFails))
      throw NetworkError(stage: .redirect, reason: .redirectLocationInvalid,
                         detail: failure(request, parameter: "Location", value: value, status: response.status,
                                         responseMethod: response.routeMethod, headerName: "Location"))
    case .value(let value):
      do {
        var parsed = try URLRecord(value, base: request.currentURL)
        // A location URL without a fragment inherits the request's current URL's fragment.
        if parsed.fragment == nil, let fragment = request.currentURL.fragment {
          parsed = parsed.replacing(fragment: .some(fragment))
        }
        locationURL = parsed
      } catch {
        throw NetworkError(stage: .redirect, reason: .redirectLocationInvalid,
                           detail: failure(request, parameter: "Location", value: value, status: response.status,
                                           responseMethod: response.routeMethod, headerName: "Location"))
      }
    }
    // 6. If locationURL's scheme is not an HTTP(S) scheme, then return a network error.
    guard locationURL.isHTTPScheme else {
      throw NetworkError(stage: .redirect, reason: .redirectBadScheme,
                         detail: failure(request, parameter: locationURL.scheme, status: response.status,
                                         location: locationURL))
    }
    // 7. If request's redirect count is 20, then return a network error. 8. Increase it by 1.
    if request.redirectCount == 20 {
      throw NetworkError(stage: .redirect, reason: .tooManyRedirects,
                         detail: failure(request, parameter: "20", status: response.status, location: locationURL))
    }
    request.redirectCount += 1
    // 9. Mode "cors", locationURL includes credentials, and request's origin is not same origin with
    //    locationURL's origin → network error.
    // 10. Response tainting "cors" and locationURL includes credentials → network error.
    //     Quirk(chromium): any redirect to a URL with credentials fails.
    if locationURL.includesCredentials {
      let standardRefuses = (request.mode == .cors && !request.origin.isSameOrigin(locationURL.origin))
        || request.responseTainting == .cors
      if standardRefuses || profile.refusesRedirectToURLWithCredentials {
        throw NetworkError(stage: .redirect, reason: .redirectWithCredentials,
                           detail: failure(request, parameter: standardRefuses ? nil : FailureParameter.engineOnlyRedirectWithCredentials,
                                           status: response.status, location: locationURL))
      }
    }
    // 11. Status not 303, a non-null body, and no source (a stream) → network error.
    if response.status != 303, let body = request.body, body.kind == .stream {
      throw NetworkError(stage: .redirect, reason: .redirectBodyNotReplayable,
                         detail: failure(request, status: response.status, location: locationURL))
    }
    // 12. 301/302 with POST, or 303 with a method other than GET/HEAD: method becomes GET, body null,
    //     request-body-header names deleted.
    request.lastHopRewroteMethod = false
    request.lastHopCrossedOrigins = !request.currentURL.origin.isSameOrigin(locationURL.origin)
    if profile.checksCrossOriginRedirectsAsCredentialed && request.credentialsMode == .sameOrigin
      && request.responseTainting == .cors && request.url.origin.isSameOrigin(request.origin)
      && !request.currentURL.origin.isSameOrigin(request.origin) {
      // Observed(webkit): a chain that began on the page's origin, redirected by another origin (onwards or back):
      // this redirect response is checked again as a credentialed one before the next request (after its preflight).
      request.pendingCredentialedRedirectCheck = response
    }
    // Quirk(webkit): NetworkDataTaskSoup.cpp shouldRedirectAsGET — a DELETE sent to another origin becomes GET.
    let deleteRewritten = profile.redirectsDELETECrossOriginAsGET && request.method == "DELETE"
      && request.lastHopCrossedOrigins
    if ((response.status == 301 || response.status == 302) && request.method == "POST")
      || (response.status == 303 && request.method != "GET" && request.method != "HEAD") || deleteRewritten {
      request.lastHopRewroteMethod = true
      note(.redirectMethodRewritten, request.method, "GET", number: response.status)
      request.method = "GET"
      request.body = nil
      if profile.keepsBodyHeadersOnMethodRewrite {
        // Observed(webkit): the request-body headers stay (a non-safelisted Content-Type then needs a preflight).
        record(TraceStep(.checkpoint(.mainFetch), "request-body headers kept", quirk: .webkitKeepsBodyHeaders))
      } else {
        for name in ["Content-Encoding", "Content-Language", "Content-Location", "Content-Type"] {
          request.headerList.delete(HeaderName(name))
        }
      }
    }
    // 13. If request's current URL's origin is not same origin with locationURL's origin, delete the CORS
    //     non-wildcard request-header names (Authorization).
    //     (Every engine does, Chromium 156 included: observed in the conformance run.)
    if !request.currentURL.origin.isSameOrigin(locationURL.origin) && request.headerList.contains(.authorization) {
      request.headerList.delete(.authorization)
      note(.redirectAuthorizationDropped, request.currentURL.href, locationURL.href)
    }
    let wasTainted = request.serializedOrigin == "null"
    // 18. Append locationURL to request's URL list.
    request.appendURL(locationURL)
    note(.redirectFollowed, request.urlList[request.urlList.count - 2].href, locationURL.href, number: response.status)
    if !wasTainted && request.serializedOrigin == "null" {
      note(.redirectOriginTainted, request.urlList[request.urlList.count - 2].href, locationURL.href)
    }
    // 22. Return the result of running main fetch given fetchParams and recursive (true).
    return try mainFetch(&request)
  }
}
