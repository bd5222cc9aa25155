extension FetchRun {
  /// `new Request(input, init)` as `fetch(input, init)` runs it: every check that throws before any network
  /// activity. Fetch §5.4 Request class (#dom-request)
  func constructFetchRequest(_ script: ScriptRequest) throws(RequestError) -> Request {
    // Passed on as it is when the engine sees every option it was given (a `let` holding either view copied the
    // request, and so did a view that changed nothing).
    if (!profile.localNetworkAccess && script.targetAddressSpace != nil)
      || (profile.streamRequestBodies == .stringified && (script.duplex != nil || script.body?.kind == .stream)) {
      return try constructFetchRequest(seenByEngine: engineView(script))
    }
    return try constructFetchRequest(seenByEngine: script)
  }

  /// `new Request(input, init)` on the options as the engine sees them (`engineView`).
  private func constructFetchRequest(seenByEngine s: ScriptRequest) throws(RequestError) -> Request {
    // WebIDL conversion happens before the constructor's steps: enumerations must be known strings, header
    // names and values must be ByteStrings (no code point above U+00FF).
    let mode = try idlEnum(RequestMode.self, s.mode, "mode")
    // "websocket" is a request mode of Fetch's model but not a value of the WebIDL enum RequestMode. fetch.bs #requestmode
    if mode == .websocket {
      throw RequestError(reason: .webidlConversionFailed, parameter: "mode: 'websocket'", exception: "TypeError")
    }
    let credentials = try idlEnum(CredentialsMode.self, s.credentials, "credentials")
    let cache = try idlEnum(CacheMode.self, s.cache, "cache")
    let redirect = try idlEnum(RedirectMode.self, s.redirect, "redirect")
    let referrerPolicy = try idlEnum(ReferrerPolicy.self, s.referrerPolicy, "referrerPolicy")
    if let d = s.duplex, d != .half {
      throw RequestError(reason: .webidlConversionFailed, parameter: "duplex: \(d)", exception: "TypeError")
    }
    var targetSpace: AddressSpace? = nil
    if let t = s.targetAddressSpace {
      // Blink's IDL also accepts "private", "unknown" and "public"; only local and loopback declare a target.
      switch t.rawValue {
      case "local", "private": targetSpace = .local
      case "loopback": targetSpace = .loopback
      case "public", "unknown": targetSpace = nil
      default: throw RequestError(reason: .webidlConversionFailed, parameter: "targetAddressSpace: \(t)", exception: "TypeError")
      }
    }
    try checkByteStrings(s.headers)

    // 5.1–5.2 Let parsedURL be the result of parsing input with baseURL; failure → TypeError.
    let parsedURL: URLRecord
    do { parsedURL = try requestURL(s) } catch {
      throw RequestError(reason: .urlParseFailed, parameter: s.url, exception: "TypeError")
    }
    // 5.3 If parsedURL includes credentials, then throw a TypeError.
    if parsedURL.includesCredentials {
      throw RequestError(reason: .urlHasCredentials, parameter: parsedURL.href, exception: "TypeError")
    }
    // 10. If init["window"] exists and is non-null, then throw a TypeError.
    // (Observed(chromium, firefox): `window: window` does not throw; see BrowserProfile.rejectsNonNullWindow.)
    if s.windowNotNull && profile.rejectsNonNullWindow {
      throw RequestError(reason: .windowNotNull, parameter: "window", exception: "TypeError")
    }
    // 14. init["referrer"]: parse it; failure → TypeError; a cross-origin or about:client referrer becomes "client".
    if let referrer = s.referrer, !referrer.isEmpty {
      let parsedReferrer: URLRecord
      do { parsedReferrer = try URLRecord(referrer, base: page.url) } catch {
        throw RequestError(reason: .referrerInvalid, parameter: referrer, exception: "TypeError")
      }
      if parsedReferrer.href == "about:client" || !parsedReferrer.origin.isSameOrigin(pageOrigin) {
        note(.referrerResetToClient, parsedReferrer.href)
      }
    }
    // 16–18. Let mode be init["mode"] or the fallback "cors"; "navigate" → TypeError.
    let requestMode = mode ?? .cors
    if requestMode == .navigate {
      throw RequestError(reason: .modeNavigateForbidden, parameter: "navigate", exception: "TypeError")
    }
    // 21. If cache mode is "only-if-cached" and mode is not "same-origin", then throw a TypeError.
    if cache == .onlyIfCached && requestMode != .sameOrigin {
      throw RequestError(reason: .onlyIfCachedNeedsSameOrigin, parameter: "only-if-cached", exception: "TypeError")
    }
    // 25. init["method"]: not a method or a forbidden method → TypeError; then normalize.
    var method = "GET"
    if let m = s.method?.rawValue {
      guard HTTPSyntax.isToken(m) else { throw RequestError(reason: .methodInvalid, parameter: m, exception: "TypeError") }
      guard !Method.isForbidden(m) else {
        throw RequestError(reason: .methodForbidden, parameter: m, exception: "TypeError")
      }
      method = Method(m).normalized.rawValue
      if method != m { note(.methodNormalized, m, method) }
    }
    // 32. If mode is "no-cors": the method must be CORS-safelisted; the headers guard is "request-no-cors".
    let noCORS = requestMode == .noCORS
    if noCORS && !Method(method).isCORSSafelisted {
      throw RequestError(reason: .noCORSMethodNotSafelisted, parameter: method, exception: "TypeError")
    }
    // 33. Fill this's headers with init["headers"]. fetch.bs #concept-headers-fill, #concept-headers-append
    var headers = AuthorHeaders()
    // Room for the author's lines and the two the request may add (a body's `Content-Type`, the UA's `Accept`).
    headers.reserveCapacity(s.headers.count + 2)
    // (Each line lent from the buffer: a `for` over the lines, or an array subscript, copies each one.)
    try s.headers.fields.withUnsafeBufferPointer { (lines) throws(RequestError) in
      // (The name and value handed on, not the line: a line handed to a call was copied whole, and released after.)
      for i in lines.indices { try appendAuthorHeader(lines[i].name, lines[i].value, to: &headers, noCORSGuard: noCORS) }
    }
    // 35. A body with method GET or HEAD → TypeError.
    if s.body != nil && (method == "GET" || method == "HEAD") {
      throw RequestError(reason: .bodyWithGetOrHead, parameter: method, exception: "TypeError")
    }
    var useCORSPreflight = false
    if let body = s.body {
      // 37.1 Extract the body with keepalive: a ReadableStream with keepalive → TypeError.
      if body.kind == .stream && s.keepalive {
        throw RequestError(reason: .streamBodyInvalid, parameter: "keepalive", exception: "TypeError")
      }
      // 37.4 If type is non-null and the header list does not contain `Content-Type`, append it (through the guard).
      if let type = body.implicitContentType, !headers.contains(.contentType) {
        if !noCORS || Safelists.isNoCORSSafelistedRequestHeader(.contentType, type) {
          headers.append(.contentType, type)
          note(.contentTypeFromBody, "Content-Type", type)
        }
      }
      // 39. A body without a source (a stream): duplex is required, mode must be same-origin or cors, and
      // the use-CORS-preflight flag is set.
      if body.kind == .stream && profile.streamRequestBodies == .unsupported {
        // Observed(webkit): no duplex or mode check here; fetch() rejects the stream itself (stream-body-unsupported).
      } else if body.kind == .stream {
        if s.duplex == nil { throw RequestError(reason: .streamBodyNeedsDuplex, parameter: "duplex", exception: "TypeError") }
        if requestMode != .sameOrigin && requestMode != .cors {
          throw RequestError(reason: .streamBodyNeedsCORS, parameter: requestMode.rawValue, exception: "TypeError")
        }
        useCORSPreflight = true
        note(.forcedPreflightStreamBody)
      }
    }
    var headerList = (consume headers).list  // the request's list alone holds its lines: appending copies nothing
    if profile.headerLinesOfOneName == .combined && headerList.count > 1 { headerList = combinedLines(headerList) }
    var request = Request(method: method, urlList: [parsedURL], headerList: headerList, body: s.body, mode: requestMode,
                          credentialsMode: credentials ?? .sameOrigin, redirectMode: redirect ?? .follow,
                          cacheMode: cache ?? .default, referrerPolicy: referrerPolicy ?? .empty,
                          integrity: s.integrity ?? "", keepalive: s.keepalive, origin: pageOrigin, originSerialization: pageOriginSerialization,
                          unsafeRequest: true, targetAddressSpace: targetSpace)
    request.useCORSPreflight = useCORSPreflight
    appendDefaultAccept(&request)
    return request
  }

  /// Lines of one name merged into the first, values joined by `, ` (an engine's header map).
  func combinedLines(_ list: HeaderList) -> HeaderList {
    // Usually every name is distinct: then the list stands as it was (found without building a second list).
    guard list.repeatsAName else { return list }
    var out = AuthorHeaders()
    var merged = false
    for f in list {
      if out.contains(f.name) { merged = true }
      out.combine(f.name, f.value)
    }
    // Usually every name is distinct: then the list stands as it was.
    guard merged else { return list }
    record(TraceStep(.checkpoint(.requestConstructed), "header lines combined", quirk: .combinedHeaderLines))
    return out.list
  }

  /// The call as an engine's IDL sees it: members its `RequestInit` lacks are ignored, and a body type its
  /// `BodyInit` lacks converts to a string.
  func engineView(_ script: ScriptRequest) -> ScriptRequest {
    var s = script
    // `targetAddressSpace` is Chromium's (Local Network Access); elsewhere it is an unknown member.
    if !profile.localNetworkAccess { s.targetAddressSpace = nil }
    if profile.streamRequestBodies == .stringified {
      // Quirk(firefox): no `duplex` member, and a ReadableStream is not a BodyInit: it converts to the
      // USVString "[object ReadableStream]".
      s.duplex = nil
      if let body = s.body, body.kind == .stream {
        s.body = RequestBody(kind: .string, text: "[object ReadableStream]")
        note(.streamBodyStringified, "ReadableStream", quirk: .firefoxStreamsStringified)
      }
    }
    return s
  }

  /// The fetch preamble: `Accept: */*` when the author set none. Fetch §4 Fetching (#concept-fetch) step 12
  ///
  /// Implementation-defined: the preamble's `Accept-Language` is added below the CORS layer by every engine
  /// (Chromium's network stack, Gecko's and WebKit's HTTP layers), so it is not modelled.
  func appendDefaultAccept(_ request: inout Request) {
    if !request.headerList.contains(.accept) {
      request.headerList.append(.accept, "*/*")
      request.acceptFromUA = true
    }
  }

  /// WebIDL enumeration conversion: a value the enumeration does not list throws a TypeError. WebIDL #es-enumeration
  func idlEnum<T: RawRepresentable>(_: T.Type, _ option: (some ScriptOptionValue)?, _ member: String)
    throws(RequestError) -> T? where T.RawValue == String {
    guard let value = option?.rawValue else { return nil }
    guard let v = T(rawValue: value) else {
      throw RequestError(reason: .webidlConversionFailed, parameter: "\(member): '\(value)'", exception: "TypeError")
    }
    return v
  }

  /// ByteString conversion: a code point above U+00FF in a header name or value throws. WebIDL #es-ByteString
  func checkByteStrings(_ headers: HeaderList) throws(RequestError) {
    // (The lines are read in place, by index: a `for` over them copies each one.)
    let fields = headers.fields
    for i in fields.indices {
      // ASCII text (the usual case) is a ByteString: skip the scalar walk.
      if HTTPSyntax.isASCII(fields[i].name.rawName) && HTTPSyntax.isASCII(fields[i].value) { continue }
      let name = fields[i].name.rawName, value = fields[i].value
      for s in name.unicodeScalars where s.value > 0xFF {
        throw RequestError(reason: .webidlConversionFailed, parameter: name, exception: "TypeError")
      }
      for s in value.unicodeScalars where s.value > 0xFF {
        throw RequestError(reason: .webidlConversionFailed, parameter: "\(name): \(value)", exception: "TypeError")
      }
    }
  }

  /// Headers `append` with guard "request" or "request-no-cors". fetch.bs #concept-headers-append
  func appendAuthorHeader(_ name: HeaderName, _ value: String, to headers: inout AuthorHeaders,
                          noCORSGuard: Bool) throws(RequestError) {
    // 1. Normalize value. 2. If validating (name, value) for headers returns false, then return.
    guard let value = try validateAuthorHeader(name, value, exception: "TypeError") else { return }
    // 3. If guard is "request-no-cors": temporaryValue is the combined value; if (name, temporaryValue) is not
    //    a no-CORS-safelisted request-header, then return.
    if noCORSGuard {
      let temporaryValue = headers.combinedValue(name).map { $0 + ", " + value } ?? value
      if !Safelists.isNoCORSSafelistedRequestHeader(name, temporaryValue) {
        // Range is the privileged no-CORS request-header name: script can never keep it in no-cors mode.
        note(name == .range ? .rangeDroppedNoCORS : .headerDroppedNoCORS, name.rawName, value)
        return
      }
    }
    // 4. Append (name, value) to headers's header list.
    headers.append(name, value)
  }

  /// The checks an author header passes before it joins the list, shared by Headers `append` (fetch.bs
  /// #concept-headers-append steps 1–2, #headers-validate) and XHR's `setRequestHeader()` (xhr.bs
  /// #the-setrequestheader()-method steps 3–5): normalize the value; a name that is not a header name or a
  /// value that is not a header value throws `exception`; a forbidden request-header is dropped (nil).
  /// Answers the value normalized, or nil for a line that is dropped.
  func validateAuthorHeader(_ name: HeaderName, _ value: String, exception: String) throws(RequestError) -> String? {
    let value = HTTPSyntax.normalizeValue(value)
    guard name.isValid else {
      throw RequestError(reason: .headerNameInvalid, parameter: name.rawName, exception: exception)
    }
    guard HTTPSyntax.isValidHeaderValue(value) else {
      throw RequestError(reason: .headerValueInvalid, parameter: name.rawName, exception: exception)
    }
    // Headers' validate step 3 (guard "request"), setRequestHeader step 5: a forbidden request-header is ignored.
    if Safelists.isForbiddenRequestHeader(name, value) {
      note(.headerForbiddenDropped, name.rawName, value)
      return nil
    }
    return value
  }
}

/// A header list being filled by the author, indexed by name so that filling stays linear however many
/// headers a script passes. fetch.bs #concept-headers-fill
struct AuthorHeaders {
  private(set) var list = HeaderList()
  /// canonical name → (the first line's name and position, the combined value so far); built only once the
  /// list is long, so that the usual handful of headers costs no hashing and a hostile thousand stays linear.
  private var index: [String: (name: HeaderName, index: Int, combined: String)]? = nil

  mutating func reserveCapacity(_ n: Int) { list.reserveCapacity(n) }

  private func firstIndex(_ name: HeaderName) -> Int? {
    if let index { return index[name.canonicalName]?.index }
    // By index, reading each line in place (a closure over the lines copied each one it looked at).
    for i in list.fields.indices where list.fields[i].name.matches(name) { return i }
    return nil
  }

  func contains(_ name: HeaderName) -> Bool { firstIndex(name) != nil }

  /// Header list get: the values of every line with the name, joined by `, `. fetch.bs #concept-header-list-get
  func combinedValue(_ name: HeaderName) -> String? {
    if let index { return index[name.canonicalName]?.combined }
    var out: String? = nil
    for f in list where f.name.matches(name) { out = out.map { $0 + ", " + f.value } ?? f.value }
    return out
  }

  private mutating func buildIndexIfLong() {
    guard index == nil, list.count > smallCollectionLimit else { return }
    var built: [String: (name: HeaderName, index: Int, combined: String)] = [:]
    for (i, f) in list.enumerated() {
      if built[f.name.canonicalName] != nil {
        built[f.name.canonicalName]!.combined += ", " + f.value
      } else {
        built[f.name.canonicalName] = (f.name, i, f.value)
      }
    }
    index = built
  }

  /// Header list append: a new line, keeping the case of the first line with that name.
  /// fetch.bs #concept-header-list-append
  mutating func append(_ name: consuming HeaderName, _ value: consuming String) {
    // (The name and value are taken over: the last use of each moves it into the line.)
    if index != nil {
      if let existing = index![name.canonicalName] {
        index![name.canonicalName]!.combined = existing.combined + ", " + value
        list.append(HeaderField(existing.name, value))
      } else {
        index![name.canonicalName] = (copy name, list.count, copy value)
        list.append(HeaderField(name, value))
      }
      return
    }
    if let i = firstIndex(name) {
      list.append(HeaderField(list[i].name, value))
    } else {
      list.append(HeaderField(name, value))
    }
    buildIndexIfLong()
  }

  /// Header list set: the first line with the name takes the value, the others go.
  /// fetch.bs #concept-header-list-set
  mutating func set(_ name: HeaderName, _ value: String) {
    guard contains(name) else { return append(name, value) }
    list.set(name, value)
    var rebuilt = AuthorHeaders()
    for f in list { rebuilt.append(f.name, f.value) }
    self = rebuilt
  }

  /// Header list combine: the value joins the first line's. fetch.bs #concept-header-list-combine
  mutating func combine(_ name: HeaderName, _ value: String) {
    guard let i = firstIndex(name) else { return append(name, value) }
    list.appendToValue(at: i, ", " + value)
    if index != nil { index![name.canonicalName]!.combined += ", " + value }
  }
}
