extension FetchRun {
  /// `xhr.open(method, url, async)`, `setRequestHeader`, `withCredentials` and `send(body)`, as the request
  /// they build. XMLHttpRequest Standard (xhr.bs) #the-open()-method, #the-setrequestheader()-method,
  /// #the-send()-method
  func constructXHRRequest(_ s: ScriptRequest) throws(RequestError) -> Request {
    // WebIDL: setRequestHeader takes ByteStrings.
    try checkByteStrings(s.headers)
    // open() 5–6. If method is not a method → "SyntaxError"; a forbidden method → "SecurityError"; normalize.
    var method = "GET"
    if let m = s.method?.rawValue {
      guard HTTPSyntax.isToken(m) else { throw RequestError(reason: .methodInvalid, parameter: m, exception: "SyntaxError") }
      guard !Method.isForbidden(m) else {
        throw RequestError(reason: .methodForbidden, parameter: m, exception: "SecurityError")
      }
      method = Method(m).normalized.rawValue
      if method != m { note(.methodNormalized, m, method) }
    }
    // open() 8–9. Let parsedURL be the result of encoding-parsing url; failure → "SyntaxError".
    // (Userinfo in the URL is allowed: XHR sets the use-URL-credentials flag instead of throwing.)
    let parsedURL: URLRecord
    do { parsedURL = try requestURL(s) } catch {
      throw RequestError(reason: .urlParseFailed, parameter: s.url, exception: "SyntaxError")
    }
    // open() 10. async false, a Window global, and timeout ≠ 0 or responseType ≠ "" → "InvalidAccessError".
    if s.synchronous && (s.timeout != 0 || !s.responseType.isEmpty) {
      throw RequestError(reason: .xhrSyncRestrictions, parameter: s.timeout != 0 ? "timeout" : "responseType",
                         exception: "InvalidAccessError")
    }
    // setRequestHeader(name, value): normalize; validate (SyntaxError); forbidden → ignore; combine.
    var headers = AuthorHeaders()
    for field in s.headers {
      let name = field.name
      guard let value = try validateAuthorHeader(name, field.value, exception: "SyntaxError") else { continue }
      if headers.contains(name) { note(.xhrHeaderCombined, name.rawName, value) }
      headers.combine(name, value)
    }
    // send() 3. If this's request method is `GET` or `HEAD`, then set body to null.
    var body = s.body
    if let b = body, b.kind == .stream {
      // send() takes a Document or an XMLHttpRequestBodyInit, which has no ReadableStream: WebIDL converts
      // the stream to the USVString "[object ReadableStream]". xhr.bs #the-send()-method
      body = RequestBody(kind: .string, text: "[object ReadableStream]")
      note(.streamBodyStringified, "ReadableStream")
    }
    if body != nil && (method == "GET" || method == "HEAD") {
      note(.xhrBodyIgnored, method)
      body = nil
    }
    // send() 4.4–4.5: an author Content-Type on a string or URLSearchParams body has its charset parameter
    // rewritten to UTF-8 (the body is UTF-8 encoded whatever the author said).
    if let b = body, b.kind == .string || b.kind == .urlSearchParams, let original = headers.combinedValue(.contentType),
       var record = MIMETypeRecord.parse(original),
       let k = record.parameters.firstIndex(where: { $0.name == "charset" }),
       !HTTPSyntax.equalsIgnoringASCIICase(record.parameters[k].value, "UTF-8") {
      record.parameters[k].value = "UTF-8"
      // Quirk(chromium, firefox): the value is swapped inside the author's text, quotes and spacing kept.
      let rewritten = profile.xhrCharsetRewrittenInPlace
        ? (MIMETypeRecord.replacingCharsetValue(in: original, with: "UTF-8") ?? record.serialized) : record.serialized
      headers.set(.contentType, rewritten)
      note(.xhrCharsetRewritten, original, rewritten)
    }
    // send() 4.x: the author's Content-Type is kept; with none, the body's type is used.
    if let b = body, !headers.contains(.contentType), let type = b.implicitContentType {
      headers.append(.contentType, type)
      note(.contentTypeFromBody, "Content-Type", type)
    }
    // send() 5. If one or more event listeners are registered on this's upload object, set this's upload listener flag.
    var useCORSPreflight = false
    if s.uploadListeners {
      switch profile.uploadListenersForcePreflight {
      case .asyncWithBody where body == nil || s.synchronous:
        // Only asynchronous requests with a body get the forced preflight.
        record(TraceStep(.checkpoint(.requestConstructed), "upload listeners ignored", quirk: .chromiumUploadListeners))
      case .asyncOnly where s.synchronous:
        // A synchronous request ignores them.
        record(TraceStep(.checkpoint(.requestConstructed), "upload listeners ignored", quirk: .webkitSyncUploadListeners))
      case .always, .asyncOnly, .asyncWithBody:
        useCORSPreflight = true
        note(.forcedPreflightUploadListeners)
      }
    }
    // send() 7. The request: mode "cors", credentials "include" if withCredentials else "same-origin",
    // redirect always "follow", unsafe-request flag set.
    var request = Request(method: method, urlList: [parsedURL], headerList: headers.list, body: body, mode: .cors,
                          credentialsMode: s.credentials == .include ? .include : .sameOrigin, redirectMode: .follow,
                          cacheMode: .default, referrerPolicy: .empty, integrity: "", keepalive: false,
                          origin: pageOrigin, originSerialization: pageOriginSerialization, unsafeRequest: true)
    request.useCORSPreflight = useCORSPreflight
    // send(): "If this's headers does not contain `Accept`, append (`Accept`, `*/*`)" (via the fetch preamble).
    appendDefaultAccept(&request)
    return request
  }
}
