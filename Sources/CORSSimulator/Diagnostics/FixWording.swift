/// The words of a fix: why the request failed (from the failure), then what to change (from the edits, so
/// that the sentence and the change cannot disagree); and the advice for failures no edit of the scenario
/// can mend.
enum FixWording {
  /// `why what`: the summary of a fix.
  static func summary(_ edits: [Fix.Edit], failure v: Verdict, widens: Bool, client: Bool) -> String {
    let what = describe(edits, failure: v)
    if widens {
      return "Wider: lets every origin read the response, so only for a public resource fetched without credentials. " + what
    }
    if client { return "On the page: " + what.prefix(1).lowercased() + what.dropFirst() }
    return (why(v).map { $0 + " " } ?? "") + what
  }

  /// The edits in one sentence: per response (and layer), its changes; then the request's.
  static func describe(_ edits: [Fix.Edit], failure v: Verdict) -> String {
    var parts: [String] = []
    let client = edits.compactMap(\.clientEdit)
    if !client.isEmpty {
      parts.append(client.map { request($0.change) }.joined(separator: ", "))
    }
    for (response, layer, changes) in Fix(side: .server, summary: "", edits: edits).serverEditsByResponse {
      let sent = v.requests.last { $0.method.rawValue == response.method && $0.url.hrefWithoutFragment == response.url }
      let preflight = sent?.isPreflight == true
      let name = sentence("\(response.method) \(response.url)")
      let inLayer = layer == Layer.application ? "" : sentence(" in \(layer)")
      var items: [String] = []
      var added: Int? = nil
      var answer: Int? = nil
      for change in changes {
        switch change {
        case .addResponse(let s): added = s
        case .status(let s):
          // A redirect answered where it stands (a 3xx an element refused was not followed: no redirect).
          let followed = !(v.failure?.reason == .elementStatusNotOK && sent == v.requests.last)
          if let was = sent?.responseStatus, (300..<400).contains(was), !(300..<400).contains(s), followed { answer = s }
          else { items.append(sentence("status \(s)")) }
        case .setHeader(let n, let value): items.append(sentence("`\(n): \(value)`"))
        case .removeHeader(let n): items.append(sentence("no `\(n)`"))
        }
      }
      let headers = items.isEmpty ? "" : " and " + items.joined(separator: ", ")
      if let added {
        let unanswered = preflight ? " (the preflight; nothing answers it now)" : " (nothing answers it now)"
        parts.append(sentence("answer \(name)\(unanswered)\(inLayer) with \(added)\(headers)"))
      } else if let answer {
        parts.append(sentence("answer \(name)\(inLayer) itself with \(answer) instead of redirecting\(headers)"))
      } else {
        let listed = items.joined(separator: ", ")
        parts.append(sentence("on the response to \(name)\(preflight ? " (the preflight)" : "")\(inLayer) send \(listed)"))
      }
    }
    if parts.isEmpty { return "" }
    var text = parts[0]
    for (i, part) in parts.enumerated().dropFirst() { text += (i == 1 && !client.isEmpty ? "; then " : "; ") + part }
    text += "."
    return capitalized(text)
  }

  /// `text` with its first character upper-cased. (Every sentence here starts with an ASCII letter: that byte is
  /// changed in place, without the grapheme and case tables `uppercased()` reads.)
  static func capitalized(_ text: String) -> String {
    let first = text.utf8.first ?? 0
    guard first >= 0x61 && first <= 0x7A else { return text.prefix(1).uppercased() + text.dropFirst() }
    var bytes = Array(text.utf8)
    bytes[0] = first - 0x20
    return String(decoding: bytes, as: UTF8.self)
  }

  /// A change to the request, in words.
  static func request(_ change: Fix.ClientChange) -> String {
    switch change {
    case .credentials(let v):
      return v == "omit" ? "send the request without credentials (`credentials: 'omit'`; for XHR, `withCredentials = false`)"
        : "send the request with `credentials: '\(v)'`"
    case .mode(let v): return "send the request with `mode: '\(v)'`"
    case .redirect(let v): return "send the request with `redirect: '\(v)'`"
    case .crossOrigin(let v): return "give the element `crossorigin=\"\(v)\"`"
    case .url(let v): return "request \(v) directly"
    case .scheme(let v): return "request the URL over \(v):"
    case .removeHeader(let n): return "leave the `\(n)` header out of the request"
    }
  }

  /// Why the request failed, in a sentence (nil when the edits say it all).
  static func why(_ v: Verdict) -> String? {
    guard let failure = v.failure else { return nil }
    let d = failure.detail
    let last = v.requests.last
    let origin = last?.value(of: .origin) ?? d.requestOrigin
    let response = last.map { "the response to \($0.method) \($0.url.hrefWithoutFragment)" } ?? "the response"
    let status = d.status.map { $0 >= 400 ? " (status \($0): error responses need CORS headers too)" : "" } ?? ""
    let layers = d.setBy.isEmpty || d.setBy == [Layer.application] ? "" : " (set by \(d.setBy.joined(separator: " and ")))"
    if origin == "null" && failure.reason.isCORSCheckFailure && v.pageOrigin != "null" {
      return "A redirect crossed origins on the way, so the request's origin became `null`; allowing `null` would let any sandboxed page or data: document read the response, so stop the cross-origin redirect instead."
    }
    if origin == "null" && failure.reason.isCORSCheckFailure {
      return "The page's origin is opaque (a sandboxed frame or a data: document), so it sends `Origin: null`; allowing `null` would allow every other opaque origin too."
    }
    // A preflight answered with anything but a 2xx: that is the first thing to mend, whatever the engine
    // reported first.
    if let last, last.isPreflight, let s = last.responseStatus, !(200..<300).contains(s) {
      let preflight = "The preflight OPTIONS \(last.url.hrefWithoutFragment)"
      switch s {
      case 404, 405: return "Nothing handles the preflight: OPTIONS \(last.url.hrefWithoutFragment) answered \(s)."
      case 401, 403: return "\(preflight) answered \(s): browsers send it without cookies or `Authorization`, so answer OPTIONS before authentication, with a 2xx status."
      case 300..<400: return "\(preflight) was redirected (\(s)), and preflights never follow redirects."
      default: return "\(preflight) answered \(s), and a preflight needs a 2xx status."
      }
    }
    switch failure.reason {
    case .missingAllowOrigin:
      return "No `Access-Control-Allow-Origin` on \(response)\(status)."
    case .multipleAllowOrigin:
      return "`Access-Control-Allow-Origin` on \(response) carries several values ('\(d.value ?? "")')\(layers); it must be exactly one origin."
    case .invalidAllowOrigin, .allowOriginMismatch:
      return "`Access-Control-Allow-Origin` on \(response) is '\(d.value ?? "")'\(layers), not the request's origin `\(origin)` (same scheme, host and port, no path or trailing slash)."
    case .wildcardWithCredentials:
      return "The request includes credentials, so `Access-Control-Allow-Origin: *`\(layers) is refused on \(response): it must name the origin (a server that allows several echoes the one in `Origin` when it is on its list, with `Vary: Origin`)."
    case .missingAllowCredentials:
      let now = d.value.map { $0.isEmpty ? "" : " (it sends '\($0)')" } ?? ""
      return "The request includes credentials, so \(response) must send `Access-Control-Allow-Credentials: true`, exactly\(now)\(layers)."
    case .invalidAllowMethods:
      return "`Access-Control-Allow-Methods: \(d.value ?? "")`\(layers) contains '\(d.parameter ?? "")', which is not a method."
    case .methodNotAllowed:
      return "The preflight response does not allow `\(d.parameter ?? "")`\(d.value.map { " (it lists '\($0)')" } ?? "") — methods are case-sensitive, and `*` counts only without credentials."
    case .invalidAllowHeaders:
      return "`Access-Control-Allow-Headers: \(d.value ?? "")`\(layers) contains '\(d.parameter ?? "")', which is not a header name."
    case .headerNotAllowed:
      return "The preflight response does not allow the request header `\(d.parameter ?? "")`\(d.value.map { " (it lists '\($0)')" } ?? "")."
    case .authorizationNotCoveredByWildcard:
      return "`Access-Control-Allow-Headers: *` does not cover `Authorization` in the standard: it must be listed by name."
    case .redirectWithCredentials:
      return "The redirect's Location has a username or password."
    case .redirectBadScheme:
      return "The redirect from \(d.url.hrefWithoutFragment) points to a \(d.parameter ?? "non-http") URL, which a fetch never follows."
    case .redirectLocationInvalid:
      return "The redirect from \(d.url.hrefWithoutFragment) has no single valid Location ('\(d.value ?? "")')."
    case .tooManyRedirects:
      return "The redirects loop: the 21st ends the fetch."
    case .corpBlocked:
      return "`Cross-Origin-Resource-Policy: \(d.value ?? "")` on \(response) forbids this no-cors load (the response stays opaque either way)."
    case .orbBlocked:
      return "Not CORS headers: opaque-response blocking keeps this no-cors response (\(d.value.map { "Content-Type '\($0)'" } ?? "no Content-Type")) from the element, because it looks like data."
    case .mimeTypeBlocked:
      return "Not CORS: a script is never run from a '\(d.parameter ?? "")' response."
    case .nosniffBlocked:
      return "Not CORS: `X-Content-Type-Options: nosniff` makes the type binding, and '\(d.parameter ?? "")' is not right for a \(v.element == .style ? "stylesheet" : "script")."
    case .stylesheetNotCSS:
      return "Not CORS: a stylesheet is applied only when served as `text/css`, and this one is '\(d.parameter ?? "")' (often a wrong URL answered by an HTML page)."
    case .elementUndecodable where v.element == .audio || v.element == .video:
      // The only edit planned for media is the Content-Type that names the body's container (FixPlanner).
      return "Not CORS: the body is media, but this browser's sniffing does not recognise it, so its Content-Type (\(d.value.map { "'\($0)'" } ?? "none")) picks the decoder, and names none that plays it."
    case .elementUndecodable:
      return "Not CORS: the fetch succeeded, but the body is not \(kindOfResource(v.element)) the element can decode (often a wrong URL answered by an HTML page or a JSON error): serve the resource itself."
    case .eventSourceStatusNot200:
      return "Not CORS: an EventSource opens only on a 200 response, and this one is \(d.status.map(String.init) ?? "?") (the connection fails and is not retried)."
    case .eventSourceNotEventStream:
      return "Not CORS: an EventSource opens only on `Content-Type: text/event-stream`, and this one is '\(d.parameter ?? "")' (the connection fails and is not retried)."
    case .moduleNotJavaScript:
      return "Not CORS: a module script runs only with a JavaScript MIME type, and this one is '\(d.parameter ?? "")' (often a missing chunk answered by an SPA's index.html)."
    case .disallowedByMode where v.api.isWorker:
      return "Not CORS: a worker's script is fetched with mode same-origin, so no CORS header lets it come from another origin (\(d.url.origin.serialization))."
    case .scriptStatusNotOK:
      return "Not CORS: a script runs only from a response with an ok status (200–299), and this one is \(d.status.map(String.init) ?? "?") (often a wrong path)."
    case .elementStatusNotOK:
      return "Not CORS: an element uses a response only when its status is ok (200–299), and this one is \(d.status.map(String.init) ?? "?"): the \(v.element?.markup ?? "element") fires error whatever the body holds (often a wrong path, or a file missing after a deploy)."
    case .workerScriptNotJavaScript:
      return "Not CORS: a worker's script runs only with a JavaScript MIME type, and this one is '\(d.parameter ?? "")'."
    case .workerCrossOrigin:
      return "Not CORS: a worker's script must come from the page's origin, whatever CORS headers it has; serve it (or a same-origin script that imports it) from \(v.pageOrigin)."
    case .webSocketStatusNot101:
      return "Not CORS: WebSocket has no CORS, and no Access-Control-* header changes this. The server answered the handshake \(d.status.map(String.init) ?? "?") instead of 101: it must accept the upgrade\(d.status == 403 ? " (a 403 is often its own Origin check refusing \(v.pageOrigin): add that origin to the server's list)" : ""). The server must check the Origin header itself."
    case .webSocketUpgradeInvalid, .webSocketAcceptInvalid:
      return "Not CORS: WebSocket has no CORS. The server's 101 answer is not a valid handshake (it needs Upgrade: websocket, Connection: Upgrade and the Sec-WebSocket-Accept computed from the request's key): use a WebSocket library, and check that no proxy strips the upgrade."
    case .webSocketProtocolMismatch:
      return "Not CORS: the page asked for subprotocols \(v.requests.first?.headers.get(HeaderName("Sec-WebSocket-Protocol")).map { "(\($0)) " } ?? "")and the server must choose one of them in Sec-WebSocket-Protocol."
    case .webSocketInsecureFromSecure:
      return "Not CORS: an https page cannot open a ws:// WebSocket (mixed content); use wss://."
    case .webSocketSchemeInvalid, .webSocketURLHasFragment, .webSocketProtocolInvalid:
      return "Not CORS: new WebSocket takes a ws:, wss:, http: or https: URL without a fragment, and distinct token subprotocols."
    case .mixedContentBlocked where v.api == .websocket:
      return "Not CORS: an https page cannot open a ws:// WebSocket (mixed content); use wss://."
    case .disallowedByMode:
      return "`mode: 'same-origin'` forbids cross-origin URLs."
    case .noCORSRedirectMode:
      return "`mode: 'no-cors'` needs `redirect: 'follow'`."
    case .redirectModeError:
      return "The request says `redirect: 'error'` and got a \(d.status.map(String.init) ?? "redirect")."
    case .mixedContentBlocked:
      return "Not CORS: an https page cannot fetch http:// URLs (mixed content)."
    case .integrityMismatch where d.integrity?.eligible == false:
      return "Integrity needs a readable body, and a no-cors response is opaque."
    case .integrityMismatch:
      return "The body does not match the integrity metadata."
    default:
      return nil
    }
  }

  /// A fix with no edit: what to do when nothing in the scenario can be edited to mend the failure (an
  /// invalid call, a blocked port, a `file:` page…). nil for failures whose fixes are all edits.
  /// What an element decodes, in words: "an image", "audio or video", "a font", "a script", "a stylesheet".
  static func kindOfResource(_ element: ElementKind?) -> String {
    switch element {
    case .image: return "an image"
    case .audio, .video: return "audio or video"
    case .font: return "a font"
    case .style: return "a stylesheet"
    default: return "a script"
    }
  }

  static func advice(_ v: Verdict) -> Fix? {
    guard let failure = v.failure else { return nil }
    let d = failure.detail
    let reason = failure.reason
    let notCORS = !v.isCORSProblem
    func client(_ s: String) -> Fix { Fix(side: .client, summary: s, notCORS: notCORS) }
    func server(_ s: String) -> Fix { Fix(side: .server, summary: s, notCORS: notCORS) }
    func thrown(_ advice: String) -> Fix {
      client("Not CORS: the call throws before any request (\(reason.rawValue), '\(d.parameter ?? "")'). " + advice)
    }
    if reason.isCORSCheckFailure && (d.requestOrigin == "null" || v.pageURL.scheme == "file") {
      if v.pageURL.scheme == "file" {
        return client("Not a CORS problem at heart: the page is a file:// document, whose origin is opaque (`null`). Serve the page over http(s) (for example `python3 -m http.server`) and allow that origin.")
      }
      if v.pageOrigin == "null" {
        return client("The page's origin is opaque (a sandboxed frame or a data: document), so it sends `Origin: null`: give the frame `allow-same-origin` (or serve the page from its own origin), and allow that origin. Allowing `null` would allow every other sandboxed page too, and `*` every page.")
      }
      return nil
    }
    switch reason {
    case .unsupportedScheme:
      return client("Not a CORS header problem: \(d.url.scheme): URLs cannot be fetched from a web page across origins. Serve the resource (and the page) over http(s).")
    case .mixedContentBlocked:
      return client("Not CORS: an https page cannot fetch http:// URLs (mixed content). Serve \(d.url.origin.serialization) over https\(d.url.host?.isLoopbackAddress == true || d.url.host?.isLocalhostName == true ? ", or serve the page over http while developing" : "").")
    case .badPort:
      return client("Not CORS: browsers never connect to port \(d.parameter ?? "?"). Serve the API on another port and request that one.")
    case .cspBlocked:
      return client("Not CORS: the page's Content-Security-Policy connect-src (\(d.parameter ?? "")) does not allow \(d.url.origin.serialization). Add it to connect-src.")
    case .lnaInsecureContext:
      return client("Chromium's Local Network Access: a non-secure page cannot reach the \(d.parameter ?? "private") address space. Serve the page over https.")
    case .lnaPermissionDenied:
      return client("Chromium's Local Network Access: the user must allow the page to reach the \(d.parameter ?? "private") network (site settings), or the page must be served from that network.")
    case .lnaAddressSpaceMismatch:
      return client("targetAddressSpace '\(d.parameter ?? "")' does not match where the server is (\(d.value ?? "")): fix or drop the option.")
    case .requestFailed:
      return server("Not CORS: the server could not be reached (DNS, connection or TLS). Check that it is running and reachable; the browser reports this like a CORS failure.")
    case .keepaliveQuotaExceeded:
      return client("Not CORS: keepalive requests may carry at most 64 KiB: send less, or drop keepalive.")
    case .streamBodyUnsupported:
      return client("Not CORS: this browser cannot upload a ReadableStream. Collect the data first and send it as a Blob, an ArrayBuffer or a string.")
    case .streamBodyNeedsHTTP2:
      return client("Not CORS: Chromium streams request bodies only over HTTP/2 or QUIC. Serve \(d.url.origin.serialization) over HTTP/2 (it needs TLS), or send a Blob, an ArrayBuffer or a string instead.")
    case .redirectBodyNotReplayable:
      return client("Not CORS: a streamed body cannot follow a 307/308. Send the body as a string or Blob, or request the final URL.")
    case .integrityPolicyBlocked:
      return client("Not CORS: the page's Integrity-Policy (\(d.value ?? "")) requires integrity metadata on \(d.parameter ?? "script") loads fetched with CORS. Add `integrity=\"sha384-…\"` and `crossorigin` to the element (the server must then send `Access-Control-Allow-Origin`), or relax the policy.")
    case .integrityMismatch where d.integrity?.eligible == false:
      // An opaque response (SRI #is-response-eligible): its body cannot be checked whatever the metadata says.
      return client("Integrity needs a readable body, and a no-cors response is opaque: fetch it in mode 'cors' (the server must then send `Access-Control-Allow-Origin`), and check the integrity metadata against the file.")
    case .integrityMismatch:
      // The hash of what was served, under the strongest algorithm the metadata names: the one the check compares.
      let served = d.integrity.flatMap { $0.digest.isEmpty ? nil : "`\($0.algorithm)-\($0.digest)`" } ?? "the hash of the file actually served"
      return client("Not CORS: the body does not match the integrity metadata ('\(d.parameter ?? "")'): put \(served) in `integrity` if the file served is the one you trust, or serve the file the hash was computed from.")
    case .elementUndecodable where d.parameter.flatMap(MediaContainer.init(rawValue:)) != nil:
      // Media in a container this engine does not play (the parameter names it): no header helps either.
      let name = d.parameter.flatMap(MediaContainer.init(rawValue:))!.displayName
      return server("Not CORS: \(d.url.hrefWithoutFragment) answers with \(name), which this browser does not play: serve it in a format it plays (WAVE, MP3, Ogg, WebM and MP4 play in every engine).")
    case .elementUndecodable:
      // No header makes bytes decode: the resource itself has to be served (html: images.html#update-the-image-data,
      // media.html#concept-media-load-resource).
      return server("Not CORS: \(d.url.hrefWithoutFragment) answers with a body that is not \(kindOfResource(v.element)) (an error page, JSON, a placeholder): serve the resource itself there, or point the element at the URL that has it.")
    case .orbBlocked where [.image, .audio, .video, .font].contains(v.element):
      // Only when no header change helps (the planner found no server fix): for an element that decodes, the
      // body is then no resource of its kind (a Content-Type change would have passed ORB).
      return server("Not CORS: opaque-response blocking refuses this no-cors response, and its body is not \(kindOfResource(v.element)) either, so no header change helps: serve the resource itself at \(d.url.hrefWithoutFragment).")
    case .aboutNotBlank, .blobInvalid, .dataURLInvalid:
      return client("Not CORS: the URL \(d.url.href) cannot be fetched: \(reason == .dataURLInvalid ? "fix the data: URL" : "use a URL that exists").")
    case .bodyWithGetOrHead: return thrown("Send the data in the query string, or use POST.")
    case .methodForbidden: return thrown("CONNECT, TRACE and TRACK cannot be sent from a page.")
    case .methodInvalid: return thrown("Use a method token such as GET or PUT.")
    case .urlHasCredentials: return thrown("Remove the user:password@ part; send credentials in a header instead.")
    case .urlParseFailed: return thrown("Fix the URL.")
    case .webSocketSchemeInvalid, .webSocketURLHasFragment:
      return thrown("A WebSocket URL is ws:, wss:, http: or https:, without a fragment.")
    case .webSocketProtocolInvalid: return thrown("Give each subprotocol once, as a token (letters, digits, !#$%&'*+-.^_`|~).")
    case .webSocketInsecureFromSecure: return thrown("An https page opens wss:// WebSockets only.")
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
    case .beaconURLNotHTTP: return thrown("sendBeacon sends to http and https URLs only.")
    case .windowNotNull: return thrown("Pass `window: null`, or leave it out.")
    case .referrerInvalid: return thrown("Pass a URL that parses, `about:client` or the empty string.")
    case .streamBodyInvalid: return thrown("A streamed body cannot be sent with keepalive.")
    default:
      return nil
    }
  }
}
