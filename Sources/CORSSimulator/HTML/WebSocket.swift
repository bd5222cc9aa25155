/// The key of the simulated WebSocket handshakes. A browser picks 16 random bytes per connection; the simulator
/// sends RFC 6455 §1.3's sample nonce, so a scenario's route writes `acceptValue` (the accept value for that
/// key) to stand for a server that computes it from the request's key; any other value is a wrong one. The
/// conformance harness answers the browser's real key in its place.
public enum WebSocketSampleKey {
  /// `Sec-WebSocket-Key`: RFC 6455 §1.3's sample nonce.
  public static let key = "dGhlIHNhbXBsZSBub25jZQ=="
  /// base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")) for `key`. RFC 6455 §1.3, §4.2.2 step 5.4
  public static let acceptValue = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
}

extension FetchRun {
  /// `new WebSocket(url, protocols)`, as the handshake request it builds.
  ///
  /// websockets #dom-websocket-websocket — 1–3. url is parsed against the page's base URL; failure throws a
  /// "SyntaxError" DOMException. 4–5. `http` becomes `ws`, `https` becomes `wss`. 6. any other scheme throws
  /// a "SyntaxError". 7. a fragment throws a "SyntaxError". 8–9. a repeated protocol, or one that is not a
  /// token, throws a "SyntaxError".
  /// The engines refuse `ws:` from a secure page in the constructor (`webSocketInsecureFromSecureThrows`); the
  /// standard leaves it to Fetch's mixed-content check, which fails the connection.
  /// websockets #concept-websocket-establish — 1. the request URL has scheme `http` (for `ws`) or `https`.
  /// 2. request: mode "websocket", credentials mode "include", cache mode "no-store", redirect mode "error",
  /// referrer "no-referrer", service-workers mode "none". 3–10. `Upgrade: websocket`, `Connection: Upgrade`,
  /// `Sec-WebSocket-Key`, `Sec-WebSocket-Version: 13`, `Sec-WebSocket-Protocol` (the protocols combined),
  /// `Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits`.
  /// fetch.bs #concept-main-fetch step 12: mode "websocket" is response tainting "basic" — there is no CORS
  /// check; fetch.bs #append-a-request-origin-header step 3: `Origin` is always sent.
  func constructWebSocketRequest(_ s: ScriptRequest) throws(RequestError) -> Request {
    var url: URLRecord
    do { url = try requestURL(s) } catch {
      throw RequestError(reason: .urlParseFailed, parameter: s.url, exception: "SyntaxError")
    }
    if url.scheme == "http" { url = url.replacing(scheme: "ws") }
    if url.scheme == "https" { url = url.replacing(scheme: "wss") }
    guard url.scheme == "ws" || url.scheme == "wss" else {
      throw RequestError(reason: .webSocketSchemeInvalid, parameter: url.href, exception: "SyntaxError")
    }
    guard url.fragment == nil else {
      throw RequestError(reason: .webSocketURLHasFragment, parameter: url.href, exception: "SyntaxError")
    }
    let protocols = s.protocols ?? []
    var seen: Set<String> = []
    for p in protocols where !HTTPSyntax.isToken(p) || !seen.insert(p).inserted {
      throw RequestError(reason: .webSocketProtocolInvalid, parameter: p, exception: "SyntaxError")
    }
    if profile.webSocketInsecureFromSecureThrows, url.scheme == "ws", restrictsMixedContent,
       !url.isPotentiallyTrustworthy() {
      throw RequestError(reason: .webSocketInsecureFromSecure, parameter: url.href, exception: "SecurityError")
    }
    note(.webSocketRequest, url.href, pageOriginSerialization)
    let requestURL = url.replacing(scheme: url.scheme == "ws" ? "http" : "https")
    var headers = HeaderList()
    headers.append(HeaderName("Upgrade"), "websocket")
    headers.append(HeaderName("Connection"), "Upgrade")
    headers.append(HeaderName("Sec-WebSocket-Key"), WebSocketSampleKey.key)
    headers.append(HeaderName("Sec-WebSocket-Version"), "13")
    if !protocols.isEmpty { headers.append(HeaderName("Sec-WebSocket-Protocol"), protocols.joined(separator: ", ")) }
    headers.append(HeaderName("Sec-WebSocket-Extensions"), "permessage-deflate; client_max_window_bits")
    webSocketProtocols = protocols
    return Request(method: "GET", urlList: [requestURL], headerList: headers, body: nil, mode: .websocket,
                   credentialsMode: .include, redirectMode: profile.webSocketFollowsRedirects ? .follow : .error,
                   cacheMode: .noStore, referrerPolicy: .noReferrer,
                   integrity: "", keepalive: false, origin: pageOrigin, originSerialization: pageOriginSerialization,
                   unsafeRequest: false)
  }

  /// What the WebSocket does with the handshake's response. websockets #concept-websocket-establish step 11:
  /// 1. status not 101 → fail the WebSocket connection. 2. protocols asked for and no `Sec-WebSocket-Protocol`
  /// in the response → fail. 3. RFC 6455 §4.1, the client's validation of the server's handshake: `Upgrade`
  /// must be `websocket` (ASCII case-insensitive) (2), `Connection` must hold the token `Upgrade` (3),
  /// `Sec-WebSocket-Accept` must be base64(SHA-1(key + GUID)) (4), a `Sec-WebSocket-Protocol` must be one the
  /// client asked for (6). Failing fires `error`, then `close` (code 1006); no CORS header plays any part.
  func failIfHandshakeInvalid(_ request: Request, _ response: Response) throws(NetworkError) {
    let headers = response.headerList
    let reason: FailureReason
    var parameter: String? = nil
    var headerName: String? = nil
    let offered = headers.get(HeaderName("Sec-WebSocket-Protocol"))
    if response.status != 101 {
      reason = .webSocketStatusNot101
    } else if profile.webSocketRequiresChosenProtocol && !webSocketProtocols.isEmpty && (offered ?? "").isEmpty {
      reason = .webSocketProtocolMismatch
      headerName = "Sec-WebSocket-Protocol"
    } else if headers.get(HeaderName("Upgrade"))?.trimmingHTTPWhitespace().lowercased() != "websocket" {
      reason = .webSocketUpgradeInvalid
      headerName = "Upgrade"
      parameter = headers.get(HeaderName("Upgrade"))
    } else if !(headers.get(HeaderName("Connection")) ?? "").split(separator: ",")
      .contains(where: { $0.trimmingHTTPWhitespace().lowercased() == "upgrade" }) {
      reason = .webSocketUpgradeInvalid
      headerName = "Connection"
      parameter = headers.get(HeaderName("Connection"))
    } else if headers.get(HeaderName("Sec-WebSocket-Accept")) != WebSocketSampleKey.acceptValue {
      reason = .webSocketAcceptInvalid
      headerName = "Sec-WebSocket-Accept"
      parameter = headers.get(HeaderName("Sec-WebSocket-Accept"))
    } else if let offered, !offered.isEmpty, !webSocketProtocols.contains(offered.trimmingHTTPWhitespace()) {
      reason = .webSocketProtocolMismatch
      headerName = "Sec-WebSocket-Protocol"
      parameter = offered
    } else {
      note(.webSocketOpened, request.currentURL.href, offered ?? "")
      return
    }
    recordForConsole(TraceStep(.failure(reason), parameter ?? "", headerName ?? "", number: response.status))
    throw NetworkError(stage: .response, reason: reason,
                       detail: failure(request, parameter: parameter, value: offered, status: response.status,
                                       responseMethod: response.routeMethod, headerName: headerName))
  }
}

/// The console lines of `new WebSocket` per engine, and of navigations (which print none of their own: a
/// navigation's response is the new document, never a CORS matter). A WebSocket's handshake is not CORS, so no
/// engine prints a CORS line for it: the lines are the constructor's exception and the handshake's failure.
enum WebSocketMessages {
  /// The WebSocket URL a failure is about: the socket's own (WebKit names it after following a redirect too),
  /// the request URL with its scheme back to ws or wss.
  static func webSocketURL(_ d: FailureDetail) -> String {
    let url = d.initialURL
    if url.scheme == "https" { return url.replacing(scheme: "wss").hrefWithoutFragment }
    if url.scheme == "http" { return url.replacing(scheme: "ws").hrefWithoutFragment }
    return url.hrefWithoutFragment
  }

  /// Every line (`consoleMessages`): the main line of a failed connection; for a constructor's exception, which
  /// the page catches, only what the engine prints besides (observed, conformance run of 2026-12-06).
  static func messages(_ v: Verdict) -> [String] {
    guard let failure = v.failure else { return [] }
    guard v.outcome == .invalid else { return v.consoleMessage.map { [$0] } ?? [] }
    let url = failure.detail.parameter ?? ""
    switch (v.consoleDialect, failure.reason) {
    case (.chromium, .webSocketInsecureFromSecure):
      // mixed_content_checker.cc, beside the exception.
      return ["Mixed Content: The page at '\(v.pageURL.href)' was loaded over HTTPS, but attempted to connect to the insecure WebSocket endpoint '\(url)'. This request has been blocked; this endpoint must be available over WSS."]
    case (.webkit, .webSocketSchemeInvalid):
      return ["Wrong url scheme for WebSocket \(url)"]  // WebSocket.cpp
    case (.webkit, .webSocketURLHasFragment):
      return ["URL has fragment component \(url)"]  // WebSocket.cpp
    case (.webkit, .webSocketProtocolInvalid) where HTTPSyntax.isToken(url):
      return ["WebSocket protocols contain duplicates: '\(url)'"]  // WebSocket.cpp (observed)
    default:
      return []
    }
  }

  /// The main line (`consoleMessage`).
  static func message(_ reason: FailureReason, _ d: FailureDetail, _ v: Verdict) -> String? {
    if v.api.isNavigation { return v.consoleDialect == .spec ? SpecMessages.message(reason, d, v) : nil }
    let ws = webSocketURL(d)
    switch (v.consoleDialect, reason) {
    case (.spec, _):
      return SpecMessages.message(reason, d, v)
    case (.chromium, .webSocketStatusNot101):
      // websocket_stream.cc / websocket_basic_handshake_stream.cc: "Unexpected response code: N".
      return "WebSocket connection to '\(ws)' failed: Error during WebSocket handshake: Unexpected response code: \(d.status ?? 0)"
    case (.chromium, .redirectModeError):
      // A redirect is one more status that is not 101 (observed).
      return "WebSocket connection to '\(ws)' failed: Error during WebSocket handshake: Unexpected response code: \(d.status ?? 0)"
    case (.chromium, .webSocketAcceptInvalid):
      return d.parameter == nil
        ? "WebSocket connection to '\(ws)' failed: Error during WebSocket handshake: 'Sec-WebSocket-Accept' header is missing"
        : "WebSocket connection to '\(ws)' failed: Error during WebSocket handshake: Incorrect 'Sec-WebSocket-Accept' header value"
    case (.chromium, .webSocketUpgradeInvalid):
      let name = d.headerName ?? "Upgrade"
      if d.parameter == nil { return "WebSocket connection to '\(ws)' failed: Error during WebSocket handshake: '\(name)' header is missing" }
      return name == "Upgrade"
        ? "WebSocket connection to '\(ws)' failed: Error during WebSocket handshake: 'Upgrade' header value is not 'WebSocket': \(d.parameter ?? "")"
        : "WebSocket connection to '\(ws)' failed: Error during WebSocket handshake: 'Connection' header value must contain 'Upgrade'"
    case (.chromium, .webSocketProtocolMismatch):
      return d.parameter == nil
        ? "WebSocket connection to '\(ws)' failed: Error during WebSocket handshake: Sent non-empty 'Sec-WebSocket-Protocol' header but no response was received"
        : "WebSocket connection to '\(ws)' failed: Error during WebSocket handshake: 'Sec-WebSocket-Protocol' header value '\(d.parameter ?? "")' in response does not match any of sent values"
    case (.chromium, .webSocketInsecureFromSecure):
      return "SecurityError: Failed to construct 'WebSocket': An insecure WebSocket connection may not be initiated from a page loaded over HTTPS."
    case (.chromium, .webSocketSchemeInvalid):
      let scheme = (try? URLRecord(d.parameter ?? ""))?.scheme ?? ""
      return "SyntaxError: Failed to construct 'WebSocket': The URL's scheme must be either 'http', 'https', 'ws', or 'wss'. '\(scheme)' is not allowed."
    case (.chromium, .webSocketURLHasFragment):
      let fragment = (try? URLRecord(d.parameter ?? ""))?.fragment ?? ""
      return "SyntaxError: Failed to construct 'WebSocket': The URL contains a fragment identifier ('\(fragment)'). Fragment identifiers are not allowed in WebSocket URLs."
    case (.chromium, .webSocketProtocolInvalid) where HTTPSyntax.isToken(d.parameter ?? ""):
      return "SyntaxError: Failed to construct 'WebSocket': The subprotocol '\(d.parameter ?? "")' is duplicated."  // observed
    case (.firefox, .webSocketSchemeInvalid), (.firefox, .webSocketURLHasFragment), (.firefox, .webSocketProtocolInvalid):
      return "SyntaxError: An invalid or illegal string was specified"
    case (.firefox, .webSocketInsecureFromSecure):
      return "SecurityError: The operation is insecure."
    case (.webkit, .webSocketSchemeInvalid), (.webkit, .webSocketURLHasFragment), (.webkit, .webSocketProtocolInvalid):
      return "SyntaxError: The string did not match the expected pattern."
    case (.webkit, .mixedContentBlocked):
      // MixedContentChecker.cpp, with the WebSocket's URL (observed).
      return "[blocked] The page at \(v.pageURL.href) requested insecure content from \(ws). This content was blocked and must be served over HTTPS."
    case (.firefox, .webSocketStatusNot101), (.firefox, .webSocketAcceptInvalid), (.firefox, .webSocketUpgradeInvalid),
         (.firefox, .webSocketProtocolMismatch), (.firefox, .requestFailed), (.firefox, .redirectModeError):
      // dom/locales/en-US/chrome/dom/dom.properties: connectionFailure.
      return "Firefox can’t establish a connection to the server at \(ws)."
    case (.webkit, .webSocketStatusNot101), (.webkit, .redirectModeError):
      // WebSocketHandshake.cpp: any status but 101 (observed for 200 and 403).
      return "WebSocket connection to '\(ws)' failed: The server did not accept the WebSocket handshake."
    case (.webkit, .webSocketAcceptInvalid):
      // WebSocketHandshake.cpp: a missing key is an incorrect one (observed).
      return "WebSocket connection to '\(ws)' failed: Server returned incorrect “Sec-WebSocket-Accept” key"
    case (.webkit, .webSocketProtocolMismatch) where d.parameter != nil:
      return "WebSocket connection to '\(ws)' failed: Server requested unsupported protocol"  // observed
    case (.webkit, .webSocketUpgradeInvalid) where d.headerName == "Upgrade" && d.parameter == nil:
      return "WebSocket connection to '\(ws)' failed: Server ignored WebSocket handshake"  // observed
    case (_, .webSocketSchemeInvalid), (_, .webSocketURLHasFragment), (_, .webSocketProtocolInvalid),
         (_, .webSocketInsecureFromSecure), (_, .urlParseFailed):
      return nil  // the exception only (not played)
    case (.chromium, _), (.firefox, _), (.webkit, _):
      return nil  // not played
    }
  }
}
