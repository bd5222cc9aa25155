/// Where a fix goes.
public enum FixTarget: String, Sendable, Hashable, Codable {
  /// The response to the actual request (or a redirect on the way).
  case response
  /// The response to the preflight (`OPTIONS`).
  case preflightResponse = "preflight-response"
  /// The script's request.
  case request
  /// The page (its URL, scheme or policies).
  case page
  /// The server's deployment (ports, TLS, network).
  case server
}

/// A concrete change that makes the request succeed: which header, on which response, set by which layer.
public struct Fix: Sendable, Hashable, Codable {
  /// One or two sentences for people.
  public var summary: String
  /// Where the change goes.
  public var target: FixTarget
  /// The header to add or change, if the fix is a header.
  public var header: String?
  /// Its value.
  public var value: String?
  /// The layers that set the offending lines (the place to edit), when known.
  public var layers: [String]

  /// Creates a fix.
  public init(summary: String, target: FixTarget, header: String? = nil, value: String? = nil, layers: [String] = []) {
    self.summary = summary
    self.target = target
    self.header = header
    self.value = value
    self.layers = layers
  }
}

extension Verdict {
  /// What fixes this failure (nil on success).
  public var fix: Fix? {
    guard let failure else { return nil }
    let reason = failure.reason, d = failure.detail
    let origin = d.requestOrigin
    let method = d.isPreflight ? "OPTIONS" : (d.responseMethod ?? requests.last?.method.rawValue ?? "GET")
    let responseName = d.isPreflight ? "the preflight response (OPTIONS \(d.url.hrefWithoutFragment))"
      : "the response to \(method) \(d.url.hrefWithoutFragment)"
    let target: FixTarget = d.isPreflight ? .preflightResponse : .response
    // Name the layers only when something other than the application itself is involved.
    let by = d.setBy.isEmpty || d.setBy == [Layer.application] ? "" : " (set by \(d.setBy.joined(separator: " and ")))"
    // The origin is null: say why, because that is usually the real fix.
    var nullOriginNote = ""
    if origin == "null" && reason.isCORSCheckFailure {
      if pageURL.scheme == "file" {
        return Fix(summary: "Not a CORS problem at heart: the page is a file:// document, whose origin is opaque (`null`). Serve the page over http(s) (for example `python3 -m http.server`) and allow that origin.",
                   target: .page, header: nil, value: nil, layers: [])
      } else if pageOrigin == "null" {
        nullOriginNote = " The page's origin is opaque (a sandboxed frame or a data: document), so it sends `Origin: null`; allowing `null` also allows every other sandboxed page, so prefer giving the frame `allow-same-origin` or using `*` without credentials."
      } else {
        nullOriginNote = " The request crossed origins through a redirect, so its origin is now `null`: point the page at the final URL to avoid the redirect, or answer `*` (without credentials)."
      }
    }
    func header(_ s: String, _ name: String, _ value: String?, layers: [String] = d.setBy) -> Fix {
      Fix(summary: s + nullOriginNote, target: target, header: name, value: value, layers: layers)
    }
    // The API threw: the fix is in the call.
    func thrown(_ advice: String) -> Fix {
      Fix(summary: "Not CORS: the call throws before any request (\(reason.rawValue), '\(d.parameter ?? "")'). " + advice,
          target: .request, header: nil, value: nil, layers: [])
    }
    switch reason {
    case .missingAllowOrigin:
      let allow = origin == "null" ? "*" : origin
      if d.isPreflight, d.status == 404 || d.status == 405 {
        let announced = requests.first { $0.isPreflight }
        var needs = "`Access-Control-Allow-Origin: \(allow)`"
        if let m = announced?.value(of: "Access-Control-Request-Method"), !Method(m).isCORSSafelisted {
          needs += ", `Access-Control-Allow-Methods: \(m)`"
        }
        if let h = announced?.value(of: "Access-Control-Request-Headers") {
          needs += ", `Access-Control-Allow-Headers: \(h.split(separator: ",").joined(separator: ", "))`"
        }
        return header("Nothing handles the preflight: OPTIONS \(d.url.hrefWithoutFragment) answered \(d.status!). Answer OPTIONS with 204 and \(needs).", "Access-Control-Allow-Origin", allow, layers: [])
      }
      return header("Send `Access-Control-Allow-Origin: \(allow)` on \(responseName)\(d.status.map { " (status \($0): error responses need it too)" } ?? "").", "Access-Control-Allow-Origin", allow, layers: [])
    case .multipleAllowOrigin:
      let lines = d.setBy.count > 1
        ? " Several layers set it\(by): keep it in exactly one of them and remove it from the others."
        : d.setBy.count == 1 ? " It is set by \(d.setBy[0]); make it send one value." : ""
      return header("Access-Control-Allow-Origin on \(responseName) carries several values ('\(d.value ?? "")'); send exactly one: `\(origin)`.\(lines)", "Access-Control-Allow-Origin", origin)
    case .invalidAllowOrigin, .allowOriginMismatch:
      return header("Access-Control-Allow-Origin on \(responseName) is '\(d.value ?? "")'\(by) but the request's origin is `\(origin)`: send exactly `\(origin)` (same scheme, host and port, no trailing slash or path).", "Access-Control-Allow-Origin", origin)
    case .wildcardWithCredentials:
      return header("The request includes credentials, so `Access-Control-Allow-Origin: *`\(by) is refused on \(responseName): echo the origin `\(origin)` (with `Vary: Origin` and `Access-Control-Allow-Credentials: true`), or send the request without credentials if it needs no cookies.", "Access-Control-Allow-Origin", origin)
    case .missingAllowCredentials:
      return header("The request includes credentials: send `Access-Control-Allow-Credentials: true` (exactly, lower-case) on \(responseName)\(d.value.map { $0.isEmpty ? "" : " instead of '\($0)'" } ?? "")\(by).", "Access-Control-Allow-Credentials", "true")
    case .preflightNotOK:
      return Fix(summary: "The preflight OPTIONS \(d.url.hrefWithoutFragment) answered \(d.status.map(String.init) ?? "?"): answer OPTIONS with 204 (or 200) and the CORS headers, before any authentication or routing that rejects it.", target: .preflightResponse, header: nil, value: nil, layers: d.setBy)
    case .preflightRedirect:
      return Fix(summary: "The preflight was redirected (status \(d.status.map(String.init) ?? "3xx")): preflights never follow redirects. Request the final URL directly (scheme, host, trailing slash), or make OPTIONS answer without redirecting.", target: .preflightResponse, header: nil, value: nil, layers: [])
    case .invalidAllowMethods:
      return header("`Access-Control-Allow-Methods: \(d.value ?? "")`\(by) on \(responseName) contains '\(d.parameter ?? "")', which is not a method: list method tokens separated by commas, e.g. `GET, POST, \(requests.last(where: { !$0.isPreflight })?.method ?? "PUT")`.", "Access-Control-Allow-Methods", nil)
    case .invalidAllowHeaders:
      return header("`Access-Control-Allow-Headers: \(d.value ?? "")`\(by) on \(responseName) contains '\(d.parameter ?? "")', which is not a header name: list names separated by commas.", "Access-Control-Allow-Headers", nil)
    case .methodNotAllowed:
      let m = d.parameter ?? ""
      let listed = d.value.map { " (now '\($0)')" } ?? ""
      return header("Add `\(m)` to `Access-Control-Allow-Methods` on \(responseName)\(listed)\(by). Methods are case-sensitive, and `*` only counts without credentials.", "Access-Control-Allow-Methods", m)
    case .headerNotAllowed:
      let h = d.parameter ?? ""
      return header("Add `\(h)` to `Access-Control-Allow-Headers` on \(responseName)\(d.value.map { " (now '\($0)')" } ?? "")\(by), or stop sending that header.", "Access-Control-Allow-Headers", h)
    case .authorizationNotCoveredByWildcard:
      return header("List `Authorization` by name in `Access-Control-Allow-Headers` on \(responseName): `*` never covers it in the standard.", "Access-Control-Allow-Headers", "Authorization")
    case .redirectWithCredentials:
      return Fix(summary: "The redirect's Location has a username or password: redirect to a URL without userinfo.", target: .response, header: "Location", value: nil, layers: [])
    case .redirectBadScheme:
      return Fix(summary: "The redirect points to a \(d.parameter ?? "non-http") URL: redirect to an http(s) URL.", target: .response, header: "Location", value: nil, layers: [])
    case .redirectLocationInvalid:
      return Fix(summary: "The redirect needs exactly one valid Location header.", target: .response, header: "Location", value: nil, layers: [])
    case .tooManyRedirects:
      return Fix(summary: "The redirects loop (more than 20): break the loop on the server.", target: .server, header: nil, value: nil, layers: [])
    case .redirectModeError:
      return Fix(summary: "The request says redirect: 'error' and got a \(d.status.map(String.init) ?? "redirect"): request the final URL, or allow redirects.", target: .request, header: nil, value: nil, layers: [])
    case .redirectBodyNotReplayable:
      return Fix(summary: "A streamed body cannot follow a 307/308: send the body as a string or Blob, or request the final URL.", target: .request, header: nil, value: nil, layers: [])
    case .disallowedByMode:
      return Fix(summary: "mode: 'same-origin' forbids cross-origin URLs: use mode 'cors' (the default) and let the server allow `\(d.initiatorOrigin)`.", target: .request, header: nil, value: nil, layers: [])
    case .noCORSRedirectMode:
      return Fix(summary: "mode: 'no-cors' needs redirect: 'follow'.", target: .request, header: nil, value: nil, layers: [])
    case .unsupportedScheme:
      return Fix(summary: "Not a CORS header problem: \(d.url.scheme): URLs cannot be fetched from a web page across origins. Serve the resource (and the page) over http(s).", target: .page, header: nil, value: nil, layers: [])
    case .mixedContentBlocked:
      return Fix(summary: "Not CORS: an https page cannot fetch http:// URLs (mixed content). Serve \(d.url.origin.serialization) over https\(d.url.host?.isLoopbackAddress == true || d.url.host?.isLocalhostName == true ? ", or serve the page over http while developing" : "").", target: .server, header: nil, value: nil, layers: [])
    case .badPort:
      return Fix(summary: "Not CORS: browsers never connect to port \(d.parameter ?? "?"). Serve the API on another port.", target: .server, header: nil, value: nil, layers: [])
    case .cspBlocked:
      return Fix(summary: "Not CORS: the page's Content-Security-Policy connect-src (\(d.parameter ?? "")) does not allow \(d.url.origin.serialization). Add it to connect-src.", target: .page, header: "Content-Security-Policy", value: nil, layers: [])
    case .lnaInsecureContext:
      return Fix(summary: "Chromium's Local Network Access: a non-secure page cannot reach the \(d.parameter ?? "private") address space. Serve the page over https.", target: .page, header: nil, value: nil, layers: [])
    case .lnaPermissionDenied:
      return Fix(summary: "Chromium's Local Network Access: the user must allow the page to reach the \(d.parameter ?? "private") network (site settings), or the page must be served from that network.", target: .page, header: nil, value: nil, layers: [])
    case .lnaAddressSpaceMismatch:
      return Fix(summary: "targetAddressSpace '\(d.parameter ?? "")' does not match where the server is (\(d.value ?? "")): fix or drop the option.", target: .request, header: nil, value: nil, layers: [])
    case .requestFailed:
      return Fix(summary: "The server could not be reached (DNS, connection or TLS). Check that it is running and reachable; the browser reports this like a CORS failure.", target: .server, header: nil, value: nil, layers: [])
    case .keepaliveQuotaExceeded:
      return Fix(summary: "keepalive requests may carry at most 64 KiB: send less, or drop keepalive.", target: .request, header: nil, value: nil, layers: [])
    case .corpBlocked:
      return Fix(summary: "Cross-Origin-Resource-Policy '\(d.value ?? "")' forbids this no-cors load: send `Cross-Origin-Resource-Policy: cross-origin` on the response, or fetch it with CORS.", target: .response, header: "Cross-Origin-Resource-Policy", value: "cross-origin", layers: [])
    case .integrityMismatch:
      return Fix(summary: "Integrity needs a readable body: fetch the resource in mode 'cors' (with the server allowing it) instead of 'no-cors'.", target: .request, header: nil, value: nil, layers: [])
    case .streamBodyUnsupported:
      return Fix(summary: "Not CORS: this browser cannot upload a ReadableStream. Collect the data first and send it as a Blob, an ArrayBuffer or a string.", target: .request, header: nil, value: nil, layers: [])
    case .streamBodyNeedsHTTP2:
      return Fix(summary: "Not CORS: Chromium streams request bodies only over HTTP/2 or QUIC. Serve \(d.url.origin.serialization) over HTTP/2 (it needs TLS), or send a Blob, an ArrayBuffer or a string instead.", target: .server, header: nil, value: nil, layers: [])
    case .orbBlocked:
      return Fix(summary: "Not CORS headers: opaque-response blocking keeps this no-cors response (\(d.value.map { "Content-Type '\($0)'" } ?? "no Content-Type")) from the element, because it looks like data rather than an image, media, a script or a stylesheet. Serve the resource with its real type (image/png, video/mp4, text/javascript…) and body, or load it with `crossorigin` and `Access-Control-Allow-Origin` on the response.", target: .response, header: "Content-Type", value: nil, layers: [])
    case .mimeTypeBlocked:
      return Fix(summary: "Not CORS: a script is never run from a '\(d.parameter ?? "")' response. Point the <script> at the JavaScript file, or serve it as `Content-Type: text/javascript`.", target: .response, header: "Content-Type", value: "text/javascript", layers: [])
    case .nosniffBlocked:
      let type = element == .style ? "text/css" : "text/javascript"
      return Fix(summary: "Not CORS: `X-Content-Type-Options: nosniff` makes the type binding, and '\(d.parameter ?? "")' is not \(element == .style ? "text/css" : "a JavaScript MIME type"). Serve it as `Content-Type: \(type)` (or check that the URL is right: an HTML error page has the wrong type too).", target: .response, header: "Content-Type", value: type, layers: [])
    case .stylesheetNotCSS:
      return Fix(summary: "Not CORS: a stylesheet is applied only when it is served as `Content-Type: text/css`, and this one is '\(d.parameter ?? "")' — often the URL is wrong and the server answers with an HTML page. Fix the URL or the server's type.", target: .response, header: "Content-Type", value: "text/css", layers: [])
    case .moduleNotJavaScript:
      return Fix(summary: "Not CORS: a module script runs only with a JavaScript MIME type, and this one is '\(d.parameter ?? "")' — typically a missing chunk answered by an SPA fallback's index.html. Serve the file as `Content-Type: text/javascript`, and make missing files 404.", target: .response, header: "Content-Type", value: "text/javascript", layers: [])
    case .integrityPolicyBlocked:
      return Fix(summary: "Not CORS: the page's Integrity-Policy (\(d.value ?? "")) requires integrity metadata on \(d.parameter ?? "script") loads fetched with CORS. Add `integrity=\"sha384-…\"` and `crossorigin` to the element (the server must then send `Access-Control-Allow-Origin`), or relax the policy.", target: .request, header: nil, value: nil, layers: [])
    case .aboutNotBlank, .blobInvalid, .dataURLInvalid:
      return Fix(summary: "The URL \(d.url.href) cannot be fetched: \(reason == .dataURLInvalid ? "fix the data: URL" : "use a URL that exists").", target: .request, header: nil, value: nil, layers: [])
    case .bodyWithGetOrHead: return thrown("Send the data in the query string, or use POST.")
    case .methodForbidden: return thrown("CONNECT, TRACE and TRACK cannot be sent from a page.")
    case .methodInvalid: return thrown("Use a method token such as GET or PUT.")
    case .urlHasCredentials: return thrown("Remove the user:password@ part; send credentials in a header instead.")
    case .urlParseFailed: return thrown("Fix the URL.")
    case .noCORSMethodNotSafelisted: return thrown("mode 'no-cors' allows GET, HEAD and POST only; use mode 'cors'.")
    case .headerNameInvalid, .headerValueInvalid:
      return thrown("Header names are tokens; values cannot contain CR, LF or NUL.")
    case .webidlConversionFailed:
      return thrown("Use one of the option's allowed values, and only Latin-1 characters in headers.")
    case .modeNavigateForbidden: return thrown("Use mode 'cors', 'no-cors' or 'same-origin'.")
    case .onlyIfCachedNeedsSameOrigin: return thrown("Use mode 'same-origin' with cache 'only-if-cached'.")
    case .streamBodyNeedsDuplex: return thrown("Pass duplex: 'half'.")
    case .streamBodyNeedsCORS: return thrown("Use mode 'cors' for a streamed body.")
    case .xhrSyncRestrictions: return thrown("Use an asynchronous request.")
    case .windowNotNull, .referrerInvalid, .streamBodyInvalid: return thrown("")
    }
  }
}
