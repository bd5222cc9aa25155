extension FetchRun {
  /// `navigator.sendBeacon(url, data)`, as the request it builds. Beacon (w3c/beacon) #sec-sendBeacon-method
  ///
  /// 3. url is parsed against the API base URL: failure, or a scheme other than http(s), throws a TypeError.
  /// 4–5. headerList is empty; corsMode is "no-cors".
  /// 6.1 data is extracted with keepalive set (a ReadableStream throws a TypeError, fetch.bs
  ///     #concept-bodyinit-extract). 6.3 A type that is not a CORS-safelisted `Content-Type` value makes corsMode
  ///     "cors"; the type is appended as `Content-Type`.
  /// 7.1 The request: method POST, keepalive, credentials "include", initiator type "beacon".
  ///
  /// The Beacon text sets no unsafe-request flag, so a "cors" beacon would go out without a preflight; the
  /// engines preflight it (a `Content-Type` that is not safelisted), as web-platform-tests
  /// beacon/beacon-preflight-failure.sub.window.js expects, and so does this model.
  func constructBeaconRequest(_ script: ScriptRequest) throws(RequestError) -> Request {
    // Observed(firefox): the data converts as fetch()'s body does (a ReadableStream is sent as the string
    // "[object ReadableStream]"; conformance run of 2026-12-06, Spec/apis/beacon-stream-throws).
    let s = profile.streamRequestBodies == .stringified ? engineView(script) : script
    let parsedURL: URLRecord
    do { parsedURL = try requestURL(s) } catch {
      throw RequestError(reason: .urlParseFailed, parameter: s.url, exception: "TypeError")
    }
    guard parsedURL.isHTTPScheme else {
      throw RequestError(reason: .beaconURLNotHTTP, parameter: s.url, exception: "TypeError")
    }
    var headers = HeaderList()
    var mode = RequestMode.noCORS
    if let body = s.body {
      if body.kind == .stream {
        throw RequestError(reason: .streamBodyInvalid, parameter: "keepalive", exception: "TypeError")
      }
      if let type = body.implicitContentType {
        if !Safelists.isCORSSafelistedRequestHeader(.contentType, type) { mode = .cors }
        headers.append(.contentType, type)
        note(.contentTypeFromBody, "Content-Type", type)
      }
    }
    note(.beaconRequest, s.body?.implicitContentType ?? "", mode.rawValue)
    return Request(method: "POST", urlList: [parsedURL], headerList: headers, body: s.body, mode: mode,
                   credentialsMode: .include, redirectMode: .follow, cacheMode: .default, referrerPolicy: .empty,
                   integrity: "", keepalive: true, origin: pageOrigin, originSerialization: pageOriginSerialization,
                   unsafeRequest: true)
  }

  /// Beacon #sec-sendBeacon-method step 6.2: data over the keepalive quota (64 KiB in flight) makes sendBeacon
  /// return false; nothing is sent. The profile's `keepaliveQuota`: Observed(firefox): no quota, a 65,537-byte
  /// beacon is sent and sendBeacon returns true (conformance run of 2026-12-06, as for fetch() keepalive).
  func beaconOverQuota(_ request: Request) -> FetchFailure? {
    guard let quota = profile.keepaliveQuota, let body = request.body, body.length > quota else { return nil }
    record(TraceStep(.failure(.keepaliveQuotaExceeded), String(body.length), "sendBeacon"))
    return FetchFailure(stage: .request, reason: .keepaliveQuotaExceeded,
                        detail: failure(request, parameter: String(body.length)))
  }
}

extension Verdict {
  /// For a beacon: what `navigator.sendBeacon` returns — `true` (the request is queued: whatever the server
  /// answers, the page never sees it), `false` (over the keepalive quota: nothing sent), or nil when it throws
  /// and for other APIs. Beacon #sec-sendBeacon-method
  public var beaconReturns: Bool? {
    guard api == .beacon, outcome != .invalid else { return nil }
    return reason != .keepaliveQuotaExceeded
  }
}
