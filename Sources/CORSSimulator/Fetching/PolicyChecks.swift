extension FetchRun {
  /// The 83 bad ports. Fetch §2.9 Port blocking (#bad-port)
  static let badPorts: Set<Int> = [
    0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109,
    110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531,
    532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060,
    5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
  ]

  /// Should request be blocked due to a bad port? Fetch §2.9 (#block-bad-port)
  func blockIfBadPort(_ request: inout Request) throws(NetworkError) {
    let url = request.currentURL
    // 2. If url's scheme is an HTTP(S) scheme and url's port is a bad port, then return blocked.
    if url.isHTTPScheme, let port = url.port, FetchRun.badPorts.contains(port) {
      throw NetworkError(stage: .request, reason: .badPort, detail: failure(request, parameter: String(port)))
    }
  }

  /// Does the page prohibit mixed security contexts? mix #categorize-settings-object
  var restrictsMixedContent: Bool {
    if profile.onlySecureSchemePagesRestrictMixedContent {
      // Quirk(chromium, firefox, webkit): only https documents (or frames inside one) restrict mixed content.
      return page.url.scheme == "https"
    }
    // 1. If settings' origin is a potentially trustworthy origin, then return "Prohibits Mixed Security
    // Contexts". (A sandboxed frame's embedder — its ancestor — is judged by the frame's URL origin.)
    return page.unsandboxedOrigin.isPotentiallyTrustworthy()
  }

  /// Should fetching request be blocked as mixed content? mix #should-block-fetch
  func blockIfMixedContent(_ request: inout Request) throws(NetworkError) {
    guard restrictsMixedContent else { return }
    // A top-level navigation is never mixed content: mix #should-block-fetch step 3 allows a request whose
    // destination is "document" and whose target has no parent (the modelled navigations and forms).
    if request.mode == .navigate { return }
    let url = request.currentURL
    if profile.mixedContentOnlyForHTTPFamily {
      switch url.scheme {
      case "http", "https", "ws", "wss": break
      default: return
      }
    }
    var trustworthy = url.isPotentiallyTrustworthy()
    if trustworthy && profile.loopbackMixedContent != .exempt && url.scheme == "http" {
      if profile.loopbackMixedContent == .mediaLoadsOverHTTP && request.destination.isUpgradeable {
        // A loopback image, audio or video loads over http, with a warning.
        recordForConsole(TraceStep(.checkpoint(.mainFetch), url.href, page.url.href, quirk: .webkitLoopbackMediaOverHTTP))
        return
      }
      // http://localhost and loopback IPs are not exempt.
      trustworthy = false
    }
    if trustworthy { return }
    if profile.localNetworkAccess && url.isHTTPScheme {
      // Quirk(chromium): a request to a private IP literal, a `.local` name, or with a targetAddressSpace is
      // left to the Local Network Access permission instead (mixed_content_checker.cc).
      let target = AddressSpace.of(url.host, resolve: { _ in nil })
      let privateLiteral = (url.host?.isIPAddress ?? false) && target != .public
      let dotLocal = url.host?.domain.map { $0.hasSuffix(".local") || $0.hasSuffix(".local.") } ?? false
      if privateLiteral || dotLocal || request.targetAddressSpace != nil { return }
    }
    let quirk: Quirk? = profile.loopbackMixedContent != .exempt && url.isPotentiallyTrustworthy() ? .webkitLoopbackMixedContent
      : (profile.onlySecureSchemePagesRestrictMixedContent ? .httpsOnlyMixedContent : nil)
    record(TraceStep(.failure(.mixedContentBlocked), url.href, page.url.href, quirk: quirk))
    throw NetworkError(stage: .mixedContent, reason: .mixedContentBlocked, detail: failure(request))
  }

  /// Should request be blocked by Content Security Policy (`connect-src`, falling back to `default-src`)?
  /// CSP §4.1.3, #should-block-request; source lists per CSP §6.7.2 (#match-url-to-source-list)
  func blockIfCSP(_ request: inout Request) throws(NetworkError) {
    // Only connect-src is modelled, the directive of destination "" (fetch, XHR); an element's destination has
    // its own directive (img-src, script-src, style-src, font-src, media-src), which no page sets here.
    // A navigation is governed by navigate-to/form-action, not connect-src (neither is modelled); a WebSocket is
    // connect-src's (CSP #directive-connect-src).
    guard request.destination == .empty, request.mode != .navigate, let sources = page.connectSources else { return }
    let url = request.currentURL
    let redirected = request.urlList.count > 1
    if sources.contains(where: { ContentSecurityPolicy.matches(url, source: $0, page: page, redirected: redirected) }) {
      return
    }
    throw NetworkError(stage: .request, reason: .cspBlocked,
                       detail: failure(request, parameter: sources.joined(separator: " ")))
  }
}

/// Source-expression matching for `connect-src`. CSP Level 3 §6.7.2
enum ContentSecurityPolicy {
  static func matches(_ url: URLRecord, source raw: String, page: Page, redirected: Bool) -> Bool {
    let expression = raw.lowercased()
    switch expression {
    case "'none'":
      return false
    case "*":
      // A lone `*` matches network schemes (and the page's own scheme), not data:, blob: or filesystem:.
      return ["http", "https", "ws", "wss", "ftp"].contains(url.scheme) || url.scheme == page.url.scheme
    case "'self'":
      guard case .tuple(let pScheme, let pHost, _) = page.url.origin, url.host == pHost else { return false }
      if url.origin.isSameOrigin(page.url.origin) { return true }
      // An insecure page's 'self' also matches its secure upgrade on the default ports.
      return pScheme == "http" && (url.scheme == "https" || url.scheme == "wss")
        && (url.port == nil || url.port == page.url.port)
    default:
      break
    }
    // scheme-source: "https:".
    if expression.hasSuffix(":"), !expression.contains("/") {
      return schemeMatches(String(expression.dropLast()), url.scheme)
    }
    // host-source: [scheme "://"] host [":" port] [path]
    var rest = Substring(expression)
    var scheme: String? = nil
    if let r = rest.range(of: "://") {
      scheme = String(rest[..<r.lowerBound])
      rest = rest[r.upperBound...]
    }
    var path = ""
    if let slash = rest.firstIndex(of: "/") {
      path = String(rest[slash...])
      rest = rest[..<slash]
    }
    var portPart: String? = nil
    if let colon = rest.lastIndex(of: ":") {
      portPart = String(rest[rest.index(after: colon)...])
      rest = rest[..<colon]
    }
    let hostPattern = String(rest)
    guard let urlHost = url.host?.serialized else { return false }
    if let scheme {
      guard schemeMatches(scheme, url.scheme) else { return false }
    } else {
      guard schemeMatches(page.url.scheme, url.scheme) else { return false }
    }
    // host-part matching: "*" or "*.example.com" (subdomains only) or an exact host.
    if hostPattern == "*" {
      // matches any host
    } else if hostPattern.hasPrefix("*.") {
      guard urlHost.hasSuffix(String(hostPattern.dropFirst(1))) else { return false }
    } else if hostPattern != urlHost {
      return false
    }
    // port-part matching: "*", an explicit port, or the scheme's default.
    let urlPort = url.effectivePort
    if let p = portPart, p != "*" {
      guard let n = Int(p), n == urlPort || (n == 80 && urlPort == 443 && (scheme ?? "http") == "http") else {
        return false
      }
    } else if portPart == nil {
      guard url.port == nil || url.port == URLRecord.defaultPort(for: url.scheme) else { return false }
    }
    // path-part matching is skipped after a redirect (CSP §6.7.2.10 step 8).
    if !path.isEmpty && !redirected {
      let urlPath = url.pathString.isEmpty ? "/" : url.pathString
      return path.hasSuffix("/") ? urlPath.hasPrefix(path) : urlPath == path
    }
    return true
  }

  /// scheme-part matching: `http` also admits `https`, `ws` admits `wss` and the http schemes.
  static func schemeMatches(_ expression: String, _ scheme: String) -> Bool {
    if expression == scheme { return true }
    switch expression {
    case "http": return scheme == "https"
    case "ws": return scheme == "wss" || scheme == "http" || scheme == "https"
    case "wss": return scheme == "https"
    default: return false
    }
  }
}
