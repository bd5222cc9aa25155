/// The steps of main fetch that depend on the request's destination — which fetch() and XHR never reach,
/// because their destination is the empty string — and the element's own processing of the response.
extension FetchRun {
  // MARK: Before the request (main fetch steps 6–7, every hop)

  /// Upgrade a mixed content request to a potentially trustworthy URL, if appropriate: an http image, audio
  /// or video from a page that restricts mixed content becomes https. Fetch §4.1 Main fetch step 6
  /// (#concept-main-fetch); mix #upgrade-algorithm
  ///
  /// The algorithm tests and rewrites "request's URL", the first of the URL list, which an earlier hop has
  /// already made trustworthy (or left to be blocked): read literally, a redirect target is never upgraded. The
  /// engines upgrade every hop (`upgradesMixedContentOnRedirect`), on the current URL.
  func upgradeMixedContent(_ request: inout Request) {
    // 1.4 destination is not "image", "audio" or "video" → unchanged. (1.5, imageset, is not modelled.)
    guard request.destination.isUpgradeable else { return }
    guard request.urlList.count == 1 || profile.upgradesMixedContentOnRedirect else { return }
    let url = request.currentURL
    // 2. Only an http URL is rewritten.
    guard url.scheme == "http" else { return }
    // 1.3 The client does not restrict mixed content → unchanged.
    guard restrictsMixedContent else { return }
    var quirk: Quirk? = nil
    // 1.1 The URL is potentially trustworthy → unchanged. (Where loopback is mixed content, the mixed-content
    // check then blocks it or lets its media load over http: `loopbackMixedContent`.)
    if url.isPotentiallyTrustworthy() { return }
    if url.host?.isIPAddress == true {
      // 1.2 The host is an IP address → unchanged (and then blocked as mixed content).
      // Quirk(firefox): IP addresses are upgraded like any other host.
      guard profile.upgradesMixedContentIPAddresses else { return }
      quirk = .firefoxUpgradesIPMixedContent
    }
    if profile.localNetworkAccess, let domain = url.host?.domain,
       domain.hasSuffix(".local") || domain.hasSuffix(".local.") {
      // Quirk(chromium): a possible Local Network Access request is not upgraded (mixed_content_checker.cc
      // ShouldAutoupgrade); mixed-content blocking exempts it too and the LNA permission decides.
      return
    }
    let upgraded = url.replacing(scheme: "https")
    note(.mixedContentUpgraded, url.href, upgraded.href, quirk: quirk)
    request.urlList[request.urlList.count - 1] = upgraded
  }

  /// Should request be blocked by Integrity Policy? Fetch §4.1 Main fetch step 7 (#concept-main-fetch);
  /// SRI #should-request-be-blocked-by-integrity-policy-section
  func blockIfIntegrityPolicy(_ request: inout Request) throws(NetworkError) {
    guard request.destination != .empty, let header = page.integrityPolicy else { return }
    // 2–3. Integrity metadata that parses to a non-empty set, and mode "cors" or "same-origin" → allowed.
    if IntegrityPolicy.hasMetadata(request.integrity) && (request.mode == .cors || request.mode == .sameOrigin) {
      return
    }
    // 4. request's URL is local (about:, blob:, data:) → allowed.
    switch request.url.scheme {
    case "about", "blob", "data": return
    default: break
    }
    // 5–7. The page's policy; an empty one allows everything.
    let policy = IntegrityPolicy(header: header)
    // 12. Block when the policy's sources contain "inline" and its blocked destinations the request's destination.
    guard policy.sourcesInline, policy.blockedDestinations.contains(request.destination) else { return }
    // Quirk(chromium, firefox, webkit): only scripts can be blocked (see `integrityPolicyDestinations`).
    guard profile.integrityPolicyDestinationsCases.contains(request.destination) else { return }
    throw NetworkError(stage: .request, reason: .integrityPolicyBlocked,
                       detail: failure(request, parameter: request.destination.rawValue, value: header))
  }

  // MARK: After the response

  /// Opaque-response blocking, for the no-cors responses of element loads in the engines that implement it
  /// (ORB runs in HTTP fetch, on the final response; see `OpaqueResponseBlocker`). ORB #orb-algorithm
  func blockIfOpaqueResponseBlocked(_ request: inout Request, _ response: Response) throws(NetworkError) {
    guard request.responseTainting == .opaque, !response.isOpaqueRedirect else { return }
    let headers = response.headerList
    let mime = headers.extractMIMEType()
    let nosniff = headers.determineNosniff()
    let body = OpaqueResponseBlocker.Body(bytes: response.body.map(BodyBytes.bytes), declared: mime)
    let decision: OpaqueResponseBlocker.Decision
    let quirk: Quirk
    switch profile.opaqueResponseBlocking {
    case .none:
      return
    case .sniffingFailsOpen:
      // ORB v0.2 exempts a response whose URL is same origin with the initiator (orb_impl.cc Init).
      if request.currentURL.origin.isSameOrigin(request.origin) { return }
      decision = OpaqueResponseBlocker.chromium(mime: mime, nosniff: nosniff, status: response.status, body: body)
      quirk = .chromiumORB
    case .javaScriptValidator:
      let media = request.destination == .audio || request.destination == .video
      decision = OpaqueResponseBlocker.firefox(mime: mime, nosniff: nosniff, status: response.status, media: media,
                                               script: request.destination == .script, body: body)
      quirk = .firefoxORB
    }
    guard case .blocked(let why) = decision else { return }
    record(TraceStep(.failure(.orbBlocked), mime?.essence ?? "", why, number: response.status, quirk: quirk))
    throw NetworkError(stage: .response, reason: .orbBlocked,
                       detail: failure(request, parameter: why, value: headers.get(.contentType),
                                       status: response.status, responseMethod: response.routeMethod,
                                       headerName: "Content-Type"))
  }

  /// Should the internal response to request be blocked due to its MIME type, or due to nosniff?
  /// Fetch §4.1 Main fetch step 20 (#concept-main-fetch); #should-response-to-request-be-blocked-due-to-mime-type?
  /// (§2.10), #should-response-to-request-be-blocked-due-to-nosniff? (§3.6.1). (The mixed-content and CSP
  /// response checks of the same step repeat checks already made on every request URL.)
  func blockIfWrongTypeForDestination(_ request: Request, _ response: Response) throws(NetworkError) {
    let destination = request.destination
    guard destination.isScriptLike || destination == .style else { return }
    let headers = response.headerList
    let mime = headers.extractMIMEType()
    // MIME type: a script-like destination and audio/*, image/*, video/* or text/csv.
    let mimeBlocked = destination.isScriptLike && (mime.map { $0.isAudioImageOrVideo || $0.essence == "text/csv" } ?? false)
    // nosniff: a script-like destination without a JavaScript MIME type, or style without text/css.
    let nosniffBlocked = headers.determineNosniff()
      && (destination.isScriptLike ? !(mime?.isJavaScript ?? false) : mime?.essence != "text/css")
    let essence = mime?.essence ?? ""
    func fail(_ reason: FailureReason, quirk: Quirk? = nil) -> NetworkError {
      record(TraceStep(.failure(reason), essence, destination.rawValue, number: response.status, quirk: quirk))
      return NetworkError(stage: .response, reason: reason,
                          detail: failure(request, parameter: essence, value: headers.get(.contentType),
                                          status: response.status, responseMethod: response.routeMethod,
                                          headerName: "Content-Type"))
    }
    if profile.nosniffCheckedBeforeMIMEType && nosniffBlocked {
      // Quirk(chromium, webkit): nosniff is judged first.
      throw fail(.nosniffBlocked, quirk: mimeBlocked ? .nosniffBeforeMIMEType : nil)
    }
    if mimeBlocked { throw fail(.mimeTypeBlocked) }
    if nosniffBlocked { throw fail(.nosniffBlocked) }
  }

  /// What the element does with the response it was handed: a stylesheet is applied only as `text/css`, a
  /// module script runs only with a JavaScript MIME type. Both fire `error` otherwise. html:
  /// links.html#link-type-stylesheet ("If the resource's Content-Type metadata is not text/css, then set
  /// success to false"); webappapis.html#fetch-a-single-module-script (a MIME type that is neither JavaScript
  /// nor JSON-with-type-json gives a null module script)
  func blockIfElementCannotUse(_ request: inout Request, _ response: Response) throws(NetworkError) {
    guard let element = request.element else { return }
    if element == .image || element == .audio || element == .video || element == .font {
      try blockIfUndecodable(request, response, element)
      return
    }
    guard element == .style || element == .module else { return }
    let headers = response.headerList
    let mime = headers.extractMIMEType()
    let reason: FailureReason
    switch element {
    case .style:
      // A response without a Content-Type is treated as text/css (every engine; no-quirks documents only are
      // modelled, so any other type fails).
      guard let mime, mime.essence != "text/css" else { return }
      reason = .stylesheetNotCSS
    default:
      if mime?.isJavaScript == true { return }
      reason = .moduleNotJavaScript
    }
    let essence = mime?.essence ?? ""
    if reason == .stylesheetNotCSS && profile.unappliedStylesheetFiresLoad {
      // Quirk(chromium): the sheet is not applied, but the link fires load (its sheet is empty).
      recordForConsole(TraceStep(.failure(reason), essence, element.markup, number: response.status,
                       quirk: .chromiumUnappliedStylesheetLoads))
      elementUnusedReason = reason
      return
    }
    record(TraceStep(.failure(reason), essence, element.markup, number: response.status))
    throw NetworkError(stage: .response, reason: reason,
                       detail: failure(request, parameter: essence, value: headers.get(.contentType),
                                       status: response.status, responseMethod: response.routeMethod,
                                       headerName: "Content-Type"))
  }
}

extension FetchRun {
  /// An element's response whose status is not an ok status (200–299) is not used: the element fires `error`,
  /// even for a body it could run, apply or decode. HTML says so for scripts (webappapis.html#fetch-a-classic-script
  /// and #fetch-a-single-module-script: "response's status is not an ok status … run onComplete given null") and
  /// stylesheets (links.html#link-type-stylesheet, "process the linked resource": not ok → success false); for
  /// media and fonts the engines do the same. Observed in Chromium 156, Firefox 153 ESR and WebKitGTK 2.50.6
  /// (conformance run of 2026-12-06, Spec/element-loads/*-status-*): 404 and 500 fire error for every element but
  /// `<img>`, same-origin, no-cors and CORS alike; an image answered 404, 500 or 300 is decoded and shown in every
  /// engine; 203 loads; a 3xx that is not followed fails only for `elementsRefusing3xxStatus`. An opaque
  /// response's own status counts (the engine knows it; script does not).
  func blockIfElementStatusNotOK(_ request: Request, _ response: Response, _ element: ElementKind) throws(NetworkError) {
    guard element != .image, !(200...299).contains(response.status) else { return }
    if response.status < 400 && !profile.elementsRefusing3xxStatusCases.contains(element) { return }
    record(TraceStep(.failure(.elementStatusNotOK), element.markup, "", number: response.status))
    throw NetworkError(stage: .response, reason: .elementStatusNotOK,
                       detail: failure(request, parameter: element.markup, status: response.status,
                                       responseMethod: response.routeMethod))
  }

  /// Whether the element can decode the body it received, judged from the body's leading bytes: an image
  /// element fires `error` when the image cannot be decoded (html: images.html#update-the-image-data, "the
  /// image data … is corrupted in some fatal way … fire an event named error"), a media element runs the
  /// "media data cannot be fetched / is in an unsupported format" steps that fire `error` (html:
  /// media.html#concept-media-load-resource), a font that does not parse is not used (css-fonts-4
  /// #font-fetching-requirements; the element conformance run shows error). A script fires `load` whatever it
  /// holds (a syntax error is reported, not a load failure: html: webappapis.html#creating-a-classic-script),
  /// and a stylesheet parses any text, so neither is judged here.
  ///
  /// Only a route with `body=` is judged: a route without one stands for a body that is what the element
  /// expects (the conformance runner serves a minimal valid resource of the element's kind for it).
  func blockIfUndecodable(_ request: Request, _ response: Response, _ element: ElementKind) throws(NetworkError) {
    guard let text = response.body, !text.isEmpty else { return }
    let bytes = BodyBytes.bytes(text)
    let mime = response.headerList.extractMIMEType()
    let decodable: Bool
    switch element {
    case .image: decodable = ElementDecoding.isImage(bytes, declared: mime)
    case .audio, .video: decodable = ElementDecoding.isMedia(bytes, declared: mime, profile: profile)
    default: decodable = ElementDecoding.isFont(bytes)
    }
    guard !decodable else { return }
    let essence = mime?.essence ?? ""
    record(TraceStep(.failure(.elementUndecodable), essence, element.markup, number: response.status))
    if profile.requestsUndecodableMediaTwice, element == .audio || element == .video,
       let last = wire.last(where: { !$0.isPreflight }) {
      // Observed(webkit): the media player asks for the resource a second time, with the same request, before it
      // gives up (WebKitGTK 2.50.6, element conformance run).
      wire.append(last)
      record(TraceStep(.checkpoint(.requestSent), last.method.rawValue, last.url.hrefWithoutFragment,
                       quirk: .webkitUndecodableMediaRequestedTwice))
    }
    if profile.mediaTypeSniffing == .webkitAfterFailure, element == .audio || element == .video,
       MediaSniffing.webkit(bytes) != nil, let last = wire.last(where: { !$0.isPreflight }) {
      // Source(webkit): HTMLMediaElement.cpp — the sniffer named a type, so the player loads the resource again
      // with it (and fails again: the bytes are what the demuxers already refused).
      wire.append(last)
      record(TraceStep(.checkpoint(.requestSent), last.method.rawValue, last.url.hrefWithoutFragment,
                       quirk: .webkitSniffedMediaRequestedAgain))
    }
    // The parameter: for a font, its first four bytes read as a big-endian number, which is where a font's format
    // tag (sfntVersion) stands ("" when the body is shorter); for media that is a container this engine does not
    // play, the container (`MediaContainer`'s raw value); for the others, the element.
    let parameter: String
    switch element {
    case .font: parameter = bytes.count < 4 ? "" : String(bytes.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
    case .audio, .video:
      let container = MediaContainer.probe(bytes)
      parameter = container.map { profile.mediaContainersPlayedCases.contains($0) ? element.markup : $0.rawValue } ?? element.markup
    default: parameter = element.markup
    }
    throw NetworkError(stage: .response, reason: .elementUndecodable,
                       detail: failure(request, parameter: parameter, value: response.headerList.get(.contentType),
                                       status: response.status, responseMethod: response.routeMethod,
                                       headerName: "Content-Type"))
  }
}

/// What the elements decode, from a body's leading bytes.
enum ElementDecoding {
  /// An image: one of mimesniff's image signatures (mimesniff.bs #matching-an-image-type-pattern), whatever the
  /// Content-Type says (engines sniff images), or an SVG document under `image/svg+xml` (SVG is never sniffed:
  /// mimesniff.bs #rules-for-sniffing-images-specifically uses only the image type patterns).
  static func isImage(_ bytes: [UInt8], declared: MIMEType?) -> Bool {
    if Sniff.isImage(bytes) { return true }
    return declared?.essence == "image/svg+xml" && Sniff.find(bytes, Sniff.ascii("<svg"), from: 0) != nil
  }

  /// Audio or video the element plays: the body is a container the engine plays (`MediaContainer.probe`), and the
  /// demuxer the element picks reads it. The standard and Firefox pick by their sniffing table, else by the
  /// Content-Type (mimesniff.bs #rules-for-sniffing-audio-and-video-specifically: the sniffed type, or the supplied
  /// one when no pattern matches or it is an XML MIME type); Chromium and WebKit let the demuxers probe the bytes.
  static func isMedia(_ bytes: [UInt8], declared: MIMEType?, profile: BrowserProfile) -> Bool {
    guard let actual = MediaContainer.probe(bytes), profile.mediaContainersPlayedCases.contains(actual) else { return false }
    let sniffed: String?
    switch profile.mediaTypeSniffing {
    case .none, .webkitAfterFailure: return true
    case .standard: sniffed = declared?.isXML == true ? nil : MediaSniffing.standard(bytes)
    case .firefox: sniffed = MediaSniffing.firefox(bytes)
    }
    return MediaContainer(essence: sniffed ?? declared?.essence)?.reads(actual) ?? false
  }

  /// A font: TrueType (00 01 00 00, `true`), OpenType (`OTTO`), a collection (`ttcf`), WOFF or WOFF2
  /// (mimesniff.bs #matching-a-font-type-pattern, with WOFF2 and `true`, which OTS accepts).
  static func isFont(_ bytes: [UInt8]) -> Bool {
    Sniff.hasPrefix(bytes, [0, 1, 0, 0]) || ["OTTO", "ttcf", "wOFF", "wOF2", "true"].contains { Sniff.hasPrefix(bytes, Sniff.ascii($0)) }
  }
}

/// A parsed `Integrity-Policy` header. SRI #processing-an-integrity-policy
struct IntegrityPolicy {
  /// `inline` is in the policy's sources (the default when `sources` is absent).
  var sourcesInline: Bool
  /// The destinations whose requests need integrity metadata (script and style are the only ones defined).
  var blockedDestinations: Set<RequestDestination>

  /// Processing an integrity policy, from the header's value: a structured-field dictionary whose members are
  /// inner lists of tokens (`blocked-destinations=(script style), sources=(inline)`). A value that does not
  /// parse gives the empty policy.
  init(header: String) {
    sourcesInline = false
    blockedDestinations = []
    guard let members = IntegrityPolicy.dictionary(header) else { return }
    // 3. sources absent, or containing inline → inline.
    if let sources = members["sources"] { sourcesInline = sources.contains("inline") } else { sourcesInline = true }
    // 4. blocked-destinations: script and style.
    for token in members["blocked-destinations"] ?? [] {
      if token == "script" { blockedDestinations.insert(.script) }
      if token == "style" { blockedDestinations.insert(.style) }
    }
  }

  /// A structured-field dictionary of inner lists of tokens (RFC 9651 §4.2.2), just enough for this header:
  /// members separated by commas, `key=(item item)`; nil when a member is malformed.
  static func dictionary(_ value: String) -> [String: [String]]? {
    var out: [String: [String]] = [:]
    var rest = Substring(value)
    while true {
      rest = rest.drop { $0 == " " || $0 == "\t" }
      if rest.isEmpty { return out }
      guard let eq = rest.firstIndex(of: "=") else {
        // A bare key is boolean true, not an inner list.
        let key = String(HTTPSyntax.trimTabOrSpace(rest.prefix { $0 != "," }))
        guard isKey(key) else { return nil }
        out[key] = []
        rest = rest.drop { $0 != "," }.dropFirst()
        continue
      }
      let key = String(rest[..<eq])
      guard isKey(key) else { return nil }
      rest = rest[rest.index(after: eq)...]
      guard rest.first == "(", let close = rest.firstIndex(of: ")") else { return nil }
      let items = rest[rest.index(after: rest.startIndex)..<close].split(separator: " ").map(String.init)
      out[key] = items
      rest = rest[rest.index(after: close)...].drop { $0 == " " || $0 == "\t" }
      if rest.isEmpty { return out }
      guard rest.first == "," else { return nil }
      rest = rest.dropFirst()
    }
  }

  /// An sf-key: a lower-case letter or `*`, then lower-case letters, digits, `_`, `-`, `.`, `*`.
  static func isKey(_ key: String) -> Bool {
    guard let first = key.unicodeScalars.first, ("a"..."z").contains(first) || first == "*" else { return false }
    return key.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || "_-.*".unicodeScalars.contains($0) }
  }

  /// Whether integrity metadata parses to a non-empty set: some `sha256-`, `sha384-` or `sha512-` expression
  /// (options after `?` ignored). SRI #parse-metadata
  static func hasMetadata(_ metadata: String) -> Bool {
    metadata.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).contains { token in
      let expression = token.split(separator: "?", maxSplits: 1)[0]
      guard let dash = expression.firstIndex(of: "-") else { return false }
      return ["sha256", "sha384", "sha512"].contains(expression[..<dash].lowercased())
    }
  }
}
