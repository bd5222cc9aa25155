extension Verdict {
  /// `import()` fetches as `<script type=module>` does, and its lines follow the element's.
  /// A preload link's lines are an element's too (its `<link>`).
  var loadsAsElement: Bool { api == .element || api == .dynamicImport || api == .preload }

  /// The console message the engine prints for this failure (nil on success, or where the engine prints
  /// no message of its own). The `spec` profile, which is no browser, gives the standard's reason in words.
  public var consoleMessage: String? {
    // (The failure read where the result holds it: `failure` hands out a copy, its detail's strings retained.)
    switch result {
    case .readable, .opaque: return nil
    case .networkError(let failure), .invalid(let failure): return consoleMessage(of: failure)
    }
  }

  /// `consoleMessage` of this verdict's failure.
  private func consoleMessage(of failure: FetchFailure) -> String? {
    let reason = failure.reason
    if answeredByPreload && consoleDialect != .spec { return preloadedFailureLine(failure) }
    if api.isWorker { return WorkerMessages.message(reason, failure.detail, self) }
    if api.isNavigation || api == .websocket { return WebSocketMessages.message(reason, failure.detail, self) }
    switch consoleDialect {
    case .chromium: return ChromiumMessages.message(reason, failure.detail, self)
    case .firefox: return FirefoxMessages.message(reason, failure.detail, self)
    case .webkit: return WebKitMessages.message(reason, failure.detail, self)
    case .spec: return SpecMessages.message(reason, failure.detail, self)
    }
  }

  /// Every line the engine's console shows for this step, in order (`consoleMessage`, the main CORS line, among
  /// them): warnings of a request that goes on, the engine's lines for a failure, and lines some engines add
  /// after it. Chromium's network entries are shown as DevTools shows them (`GET <url> net::ERR_FAILED`).
  /// Empty for the `spec` profile, which is no browser, and for an exception the script catches.
  public var consoleMessages: [String] { consoleMessages(main: { consoleMessage }) }

  /// `consoleMessage` and `consoleMessages` together, the main line worked out once (the oracle writes both).
  package var consoleLines: (message: String?, messages: [String]) {
    let message = consoleMessage
    return (message, consoleMessages(main: { message }))
  }

  /// `consoleMessages`, with `main` giving `consoleMessage` (called at most once).
  private func consoleMessages(main consoleMessage: () -> String?) -> [String] {
    if consoleDialect == .spec { return [] }
    if api.isWorker { return WorkerMessages.messages(self) }
    if api.isNavigation || api == .websocket { return WebSocketMessages.messages(self) }
    var out = consoleWarnings
    if answeredByPreload, outcome == .networkError {
      if let line = consoleMessage() { out.append(line) }
      return out
    }
    if outcome == .readable && api == .xhr && consoleDialect == .firefox && finalResponseUntypedAndEmpty,
       let last = requests.last(where: { !$0.isPreflight }), last.method.rawValue != "HEAD" {
      // XMLHttpRequestMainThread: a response without a type is parsed as XML; an empty body has no root element.
      out.append("XML Parsing Error: no root element found\nLocation: \(last.url.hrefWithoutFragment)\nLine Number 1, Column 1:")
    }
    let eventSourceStatus = api == .eventSource && reason == .eventSourceStatusNot200
    // An image is shown whatever its status, and the entry is printed all the same (observed,
    // Spec/element-loads/img-*-status-*).
    if consoleDialect == .chromium && (outcome == .readable || outcome == .opaque || eventSourceStatus)
       && (!loadsAsElement || (api == .element && element == .image)),
       let last = requests.last(where: { !$0.isPreflight }), let status = last.responseStatus, status >= 400,
       pageOrigin != "null" || pageURL.scheme == "file" {
      // The network's entry for a response with an error status ("Failed to load resource: the server responded
      // with a status of 404 (Not Found)"), shown as DevTools shows it; a readable or opaque response alike
      // (observed through the DevTools protocol, conformance run of 2026-12-06).
      out.append(sentence("\(last.method.rawValue) \(last.url.hrefWithoutFragment) \(status) (\(ReasonPhrase.of(status)))"))
    }
    if consoleDialect == .webkit && outcome == .invalid, case .invalid(let failure) = result,
       failure.reason == .xhrSyncRestrictions {
      // XMLHttpRequest.cpp: the refusal is logged beside the exception (observed wording, 2026-12-06).
      out.append(failure.detail.parameter == "timeout"
        ? "XMLHttpRequest.timeout cannot be set for synchronous HTTP(S) requests made from the window context."
        : "XMLHttpRequest.responseType cannot be changed for synchronous HTTP(S) requests made from the window context.")
    }
    guard case .networkError(let failure) = result else { return out }
    appendFailureLines(failure, main: consoleMessage, to: &out)
    return out
  }

  /// The lines of a network error, after the warnings (`consoleMessages`).
  private func appendFailureLines(_ failure: FetchFailure, main consoleMessage: () -> String?, to out: inout [String]) {
    let main = consoleMessage()
    if let main { out.append(main) }
    let url = failure.detail.url.hrefWithoutFragment
    switch consoleDialect {
    case .firefox:
      // security.properties CORSDidNotSucceed2: a cross-site channel that is cancelled logs it once more when it
      // stops (nsCORSListenerProxy::CheckRequestApproved sees the failed status): after a redirect response failed
      // its CORS check, and for a network failure of a request that went cross-origin.
      // Observed (conformance run of 2026-11-26): after every failed preflight, and after a failed redirect of a
      // request that went cross-origin.
      let didNotSucceed = FirefoxMessages.message(.requestFailed, failure.detail, self)
      let crossSite = requests.contains { $0.url.origin.serialization != pageOrigin }
      let afterPreflight = failure.stage == .preflight && failure.reason != .requestFailed
      // Not when the redirect was not to be followed (redirect mode "manual" or "error": observed, conformance
      // run of 2026-12-06); a mixed-content refusal of a redirect target counts as a failed redirect (observed).
      let redirected = failure.stage == .redirect
        || (failure.reason == .mixedContentBlocked && failure.detail.url.hrefWithoutFragment != failure.detail.initialURL.hrefWithoutFragment)
      let afterRedirect = redirected && failure.reason != .redirectModeError && crossSite
        && (redirectMode ?? .follow) == .follow
      if api == .eventSource, let main, failure.reason.family == .response {
        // Observed(firefox): a response the EventSource refuses (status, type) is reported twice, when the source
        // fails the connection and again when its channel stops — in 27 of 40 such steps played on 2026-12-06;
        // the others showed one line.
        out.append(main)
      }
      if api == .eventSource && main != nil && failure.reason.isCORS {
        // EventSource.cpp: a failed connection is reported as ConnectionFailure, naming the source's URL, after
        // the CORS line (observed wording, conformance run of 2026-12-06).
        out.append(FirefoxMessages.eventSourceConnectionFailure(failure.detail.initialURL.hrefWithoutFragment))
      }
      // A cross-site module refused for its type: its channel is cancelled, and that is logged too (observed,
      // Spec/element-loads/module-script-served-as-html-with-404-firefox-names-the-type).
      let moduleCancelled = (api == .dynamicImport || (api == .element && element == .module))
        && failure.reason == .moduleNotJavaScript && crossSite
      if !loadsAsElement && failure.stage == .preflight, let status = failure.detail.status, (300...399).contains(status) {
        // A preflight answered with a redirect: the preflight's own channel reports its end between the refusal
        // and the request's line (observed, conformance run of 2026-12-06, in the three scenarios that play it):
        // its 3xx status when the redirect passed the CORS check and was refused as a redirect, a failure with no
        // status when the redirect failed the CORS check (the channel was cancelled).
        if failure.reason == .preflightRedirect, let line = FirefoxMessages.message(.preflightNotOK, failure.detail, self) {
          out.append(line)
        } else if failure.reason.isCORSCheckFailure, let didNotSucceed {
          out.append(didNotSucceed)
        }
      }
      if !loadsAsElement && failure.stage == .preflight && failure.reason == .requestFailed, let main {
        // A preflight that could not connect: its failure, then the request's channel ending the same way (observed,
        // conformance run of 2026-12-06, Spec/cors-preflight-fetch/preflight-connection-failure.cors).
        out.append(main)
      }
      if (!loadsAsElement && (afterPreflight || afterRedirect)) || moduleCancelled, var line = didNotSucceed, line != main {
        if failure.reason == .mixedContentBlocked {
          // It names the URL the load was for, not the refused target (observed, conformance run of 2026-12-06).
          line = line.replacingOccurrences(of: " at \(url). ", with: " at \(failure.detail.initialURL.hrefWithoutFragment). ")
        }
        out.append(line)
      }
    case .webkit:
      // DocumentThreadableLoader / FetchLoader: a load that fails its checks is followed by the API's own line for
      // the URL that failed (observed in the conformance run of 2026-11-26 for every failure but a refused port,
      // CSP, a failed connection, a bad data:/blob: URL, an unsupported stream body and an empty Location).
      // (A switch: a set literal here was built on every failing line.)
      let silent: Bool
      switch failure.reason {
      case .badPort, .cspBlocked, .requestFailed, .dataURLInvalid, .blobInvalid, .streamBodyUnsupported, .aboutNotBlank:
        silent = true
      default: silent = false
      }
      let emptyLocation = failure.reason == .redirectLocationInvalid && (failure.detail.value ?? "x").allSatisfy { $0 == " " }
      let d = failure.detail
      let redirected = d.url.hrefWithoutFragment != d.initialURL.hrefWithoutFragment
      // CachedResourceLoader::requestResource refuses a load it will not start with its own line (observed,
      // conformance run of 2026-12-06): mixed content found before any redirect, a no-cors file: URL, a no-cors
      // request that may not follow redirects.
      if main != nil && !loadsAsElement && ((failure.reason == .mixedContentBlocked && !redirected)
                         || (failure.reason == .unsupportedScheme && d.url.scheme == "file" && requestMode == .noCORS)
                         || failure.reason == .noCORSRedirectMode) {
        out.append("Not allowed to request resource")
      }
      // A request refused by its mode before it left is named once, by the main line.
      let modeRefusal = failure.reason == .disallowedByMode && !redirected
      let silentHere = silent && !(failure.reason == .requestFailed && d.isPreflight)
      if failure.reason == .streamBodyUnsupported, let main, out.last == main {
        out.removeLast()  // the rejection's message, which script catches: no console line (observed)
      }
      // After a redirect refused as mixed content, the line names the URL the load was for (observed).
      let apiURL = failure.reason == .mixedContentBlocked && redirected ? d.initialURL.hrefWithoutFragment : url
      // An EventSource that got a response and refused it names only the type (observed).
      let eventSourceRefusal = failure.reason == .eventSourceNotEventStream || failure.reason == .eventSourceStatusNot200
      if api == .beacon, let main {
        // NavigatorBeacon.cpp: a failed beacon repeats the failure after its own prefix (observed, conformance run
        // of 2026-12-06); the quota's refusal is that line already.
        if failure.reason != .keepaliveQuotaExceeded { out.append("Beacon API cannot load \(url). \(main)") }
      } else if !loadsAsElement && main != nil && !silentHere && !emptyLocation && !modeRefusal && !eventSourceRefusal {
        let name = api == .xhr ? "XMLHttpRequest" : api == .eventSource ? "EventSource" : "Fetch API"
        out.append("\(name) cannot load \(apiURL) due to access control checks.")
      } else if api == .element && element == .image && main != nil
                  && (failure.reason.isCORSCheckFailure || failure.reason == .corpBlocked) {
        out.append("Cannot load image \(url) due to access control checks.")
      } else if api == .element && element == .script && main != nil && failure.reason.isCORSCheckFailure {
        // ScriptElement / LoadableClassicScript: a classic script refused by CORS (observed wording, 2026-12-06).
        out.append("Cross-origin script load denied by Cross-Origin Resource Sharing policy.")
      }
    case .chromium:
      // The network's entry for the failed load, as DevTools shows it (ConsoleViewMessage: method, URL, error),
      // for loads that reached the network (observed through the DevTools protocol, conformance run of 2026-11-26).
      if let line = chromiumNetworkLine(failure) { out.append(line) }
      // An import or an element refused for its status has the network's entry of that status (observed,
      // import-404-rejects, element-loads/*-status-*); a 3xx that is no redirect has none.
      if (failure.reason == .scriptStatusNotOK && api == .dynamicImport) || failure.reason == .elementStatusNotOK,
         let status = failure.detail.status, status >= 400,
         let last = requests.last(where: { !$0.isPreflight }) {
        out.append(sentence("\(last.method.rawValue) \(last.url.hrefWithoutFragment) \(status) (\(ReasonPhrase.of(status)))"))
      }
      // fetch_manager.cc: a CSP refusal is followed by the Fetch API's own line.
      if failure.reason == .cspBlocked && api == .fetch {
        out.append("Fetch API cannot load \(url). Refused to connect because it violates the document's Content Security Policy.")
      }
      if failure.reason == .elementUndecodable, element == .font, let sfnt = failure.detail.parameter, !sfnt.isEmpty {
        // OTS (ots.cc ProcessGeneric) names what it read where the format's tag should be: the first four bytes,
        // big-endian (observed wording, Chromium 156).
        out.append("OTS parsing error: invalid sfntVersion: \(sfnt)")
      }
      if failure.reason == .integrityMismatch && api == .fetch && main != nil {
        out.append("Fetch API cannot load \(url). SRI's integrity checks failed.")
      }
    case .spec:
      break
    }
  }

  /// The line of a request whose failure is a preload's: the preload's step printed the CORS line and the
  /// network's entry. Observed (Spec/apis/preload-cors-failure-reaches-fetch.cors): Chromium and Firefox print
  /// nothing more; WebKit prints the Fetch API's own line (its DocumentThreadableLoader, as after any CORS failure).
  func preloadedFailureLine(_ failure: FetchFailure) -> String? {
    guard consoleDialect == .webkit, !loadsAsElement, failure.reason.isCORSCheckFailure else { return nil }
    let name = api == .xhr ? "XMLHttpRequest" : "Fetch API"
    return "\(name) cannot load \(failure.detail.url.hrefWithoutFragment) due to access control checks."
  }

  /// Chromium's network entry for a failed load (`Failed to load resource: net::ERR_FAILED`), shown as DevTools
  /// shows it: `METHOD URL net::ERR_…` (nil when the load never reached the network stack, or when the main line
  /// already is that entry).
  func chromiumNetworkLine(_ failure: FetchFailure) -> String? {
    let d = failure.detail
    let url = d.url.hrefWithoutFragment
    let method = requests.last(where: { !$0.isPreflight && $0.url.hrefWithoutFragment == url })?.method.rawValue
      ?? requests.last(where: { $0.isPreflight })?.headers.get(.accessControlRequestMethod)
      ?? requests.last?.method.rawValue ?? "GET"
    let error: String
    switch failure.reason {
    case .requestFailed: error = "net::ERR_EMPTY_RESPONSE"  // the connection closed without a byte (the harness's networkError)
    case .blobInvalid: error = "net::ERR_FILE_NOT_FOUND"
    case .dataURLInvalid: error = "net::ERR_INVALID_URL"
    case _ where failure.reason.isCORSCheckFailure || failure.stage == .preflight:
      error = "net::ERR_FAILED"
    case .redirectWithCredentials where d.parameter == FailureParameter.engineOnlyRedirectWithCredentials:
      return nil  // no entry: Blink refused the redirect (see the main line)
    case .redirectWithCredentials:
      error = "net::ERR_FAILED"
    case .redirectBadScheme:  // net_error_list.h UNSAFE_REDIRECT (observed)
      error = "net::ERR_UNSAFE_REDIRECT"
    case .redirectLocationInvalid where d.parameter == FailureParameter.multipleLocations:
      error = "net::ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION"  // net_error_list.h (observed)
    case .redirectLocationInvalid where !(d.value ?? "").allSatisfy({ $0 == " " || $0 == "\t" }):
      error = "net::ERR_INVALID_REDIRECT"  // net_error_list.h: a Location that does not parse (observed)
    case .corpBlocked:
      // net_error_list.h BLOCKED_BY_RESPONSE with the CORP reason (cross_origin_resource_policy.cc; observed).
      if d.parameter == FailureParameter.corpDefaultedByEmbedderPolicy {
        error = "net::ERR_BLOCKED_BY_RESPONSE.NotSameOriginAfterDefaultedToSameOriginByCoep"
      } else {
        error = d.value == "same-site" ? "net::ERR_BLOCKED_BY_RESPONSE.NotSameSite" : "net::ERR_BLOCKED_BY_RESPONSE.NotSameOrigin"
      }
    case .disallowedByMode where d.url.hrefWithoutFragment != d.initialURL.hrefWithoutFragment:
      if api == .fetch { return nil }  // the renderer refused the redirect (the main line)
      error = "net::ERR_FAILED"
    case .unsupportedScheme where d.url.scheme == "file" && pageURL.scheme == "file":
      // A file: page's fetch of a file: URL, refused for its scheme after the CORS line: the network's entry too
      // (observed, conformance run of 2026-12-06, Spec/origin/file-page-fetching-file-url-refused.cors).
      error = "net::ERR_FAILED"
    case .redirectModeError where d.location != nil:
      // The entry is the redirect's target, which was not followed (observed, conformance run of 2026-12-06).
      if pageOrigin == "null" && pageURL.scheme != "file" { return nil }
      return "GET \(d.location!.hrefWithoutFragment) net::ERR_FAILED"
    default:
      return nil
    }
    // A sandboxed frame's entries do not reach the page's console session (observed); a file: page's do, and
    // element loads have theirs too (observed through the DevTools protocol, conformance run of 2026-12-06).
    if pageOrigin == "null" && pageURL.scheme != "file" { return nil }
    return sentence("\(method) \(url) \(error)")
  }

  /// What script sees when the fetch fails: the rejection's error, or the exception thrown.
  public var scriptError: String? {
    switch outcome {
    case .invalid:
      return failure?.detail.value
    case .networkError:
      if api == .xhr { return "error event (status 0)" }
      if api == .eventSource { return "error event (readyState CLOSED)" }
      if api == .beacon {
        return reason == .keepaliveQuotaExceeded ? "sendBeacon returns false" : "none: sendBeacon returned true, and the page never learns"
      }
      if api == .element { return "error event on \(element?.markup ?? "the element")" }
      if api == .dynamicImport { return "the import() promise rejects with a TypeError" }
      if api == .preload { return "error event on <link rel=preload>" }
      if api.isWorker { return "error event on the \(api == .sharedWorker ? "SharedWorker" : "Worker")" }
      if api.isNavigation { return "none: the target shows an error page, and the page's script is not told" }
      if api == .websocket { return "error event, then close (code 1006, wasClean false)" }
      switch consoleDialect {
      case .chromium: return "TypeError: Failed to fetch"
      case .firefox: return "TypeError: NetworkError when attempting to fetch resource."
      case .webkit: return "TypeError: Load failed"
      case .spec: return "TypeError"
      }
    default:
      return nil
    }
  }

  /// Console warnings printed although the request succeeds.
  public var consoleWarnings: [String] {
    var out: [String] = []
    for step in consoleSteps where step.event == .note(.mixedContentUpgraded) {
      switch consoleDialect {
      case .chromium:
        // mixed_content_checker.cc CreateConsoleMessageAboutFetchAutoupgrade; a redirect upgraded on the way is
        // not reported (observed, conformance run of 2026-11-26).
        guard requests.first.map({ $0.url.replacing(scheme: "http").hrefWithoutFragment == step.subject
          || $0.url.hrefWithoutFragment == step.subject }) ?? true else { continue }
        out.append("Mixed Content: The page at '\(pageURL.href)' was loaded over HTTPS, but requested an insecure element '\(step.subject)'. This request was automatically upgraded to HTTPS, For more information see https://blog.chromium.org/2019/10/no-more-mixed-messages-about-https.html")
        if element == .audio || element == .video {
          // mixed_content_checker.cc: upgraded audio and video are still passive mixed content (observed wording).
          // Observed: a <video> is named an "audio file" here too.
          out.append("Mixed Content: The page at '\(pageURL.href)' was loaded over HTTPS, but requested an insecure audio file '\(step.subject)'. This content should also be served over HTTPS.")
        }
      case .firefox:
        // nsNetUtil.cpp ShouldSecureUpgradeNoHSTS logs MixedContentAutoUpgrade, but no such line reached the page's
        // console for upgraded images, audio and video (WebDriver BiDi log.entryAdded, conformance run of
        // 2026-12-06): the console is taken as it was seen.
        break
      case .webkit:
        // MixedContentChecker.cpp logConsoleWarningForUpgrade (observed in Safari 2025)
        out.append("The page at \(pageURL.href) requested insecure content from \(step.subject). This content was automatically upgraded and should be served over HTTPS.")
      case .spec:
        break
      }
    }
    for step in consoleSteps where step.quirk == .chromiumUnappliedStylesheetLoads && consoleDialect == .chromium {
      // css_style_sheet_resource.cc: the same message as when the type blocks the load, although the link fires load.
      let url = requests.last?.url.href ?? step.subject
      out.append(ChromiumMessages.refusedStyle(url, mime: step.subject))
    }
    for step in consoleSteps where step.quirk == .webkitLoopbackMediaOverHTTP && consoleDialect == .webkit {
      // Observed (WebKitGTK 2.50.6): MixedContentChecker's warning for loopback content it does not upgrade.
      out.append("The page at \(pageURL.href) requested insecure content from \(step.subject). This content was not upgraded to HTTPS and must be served from the local host.")
    }
    for step in consoleSteps where step.event == .note(.preloadNotUsed) && consoleDialect == .chromium {
      // resource_fetcher.cc PrintPreloadMismatch, for the MatchStatus Resource::CanReuse returned.
      let why = step.number == PreloadMismatch.credentials.rawValue ? "the request credentials mode" : "the request mode"
      out.append("A preload for '\(step.subject)' is found, but is not used because \(why) does not match. Consider taking a look at crossorigin attribute.")
    }
    for step in consoleSteps where step.event == .note(.authorizationWildcardWarning) {
      let url = failure?.detail.url.href ?? requests.last?.url.href ?? ""
      switch consoleDialect {
      case .firefox:
        // security.properties CORSAllowHeaderFromPreflightDeprecation
        out.append("Cross-Origin Request Warning: The Same Origin Policy will disallow reading the remote resource at \(url) soon. (Reason: When the `Access-Control-Allow-Headers` is `*`, the `Authorization` header is not covered. To include the `Authorization` header, it must be explicitly listed in CORS header `Access-Control-Allow-Headers`).")
      case .chromium:
        // A DevTools issue rather than a console line.
        out.append("[DevTools issue] Authorization will not be covered by the wildcard symbol (*) in CORS `Access-Control-Allow-Headers` handling.")
      default:
        break
      }
    }
    if api == .xhr && (consoleDialect == .chromium || consoleDialect == .webkit) {
      // xml_http_request.cc setRequestHeader, XMLHttpRequest.cpp setRequestHeader: a forbidden name is refused with
      // a console line (observed wording, the same in both).
      for step in consoleSteps where step.event == .note(.headerForbiddenDropped) {
        out.append("Refused to set unsafe header \"\(step.subject)\"")
      }
    }
    return out
  }
}

/// Chromium's wording. Source: third_party/blink/renderer/platform/loader/cors/cors_error_string.cc,
/// third_party/blink/renderer/core/fetch/fetch_manager.cc, mixed_content_checker.cc; docs/reference/engine-differences.md §5.1.
enum ChromiumMessages {
  /// The schemes listed in "only supported for protocol schemes": url::GetCorsEnabledSchemes() of a stock
  /// Chromium, as its console lists them. Observed (Chromium 156.0.8078.114, a file: page fetching a file: URL,
  /// through the REPL's `play`; Spec/origin/file-page-fetching-file-url-refused.cors).
  static let corsEnabledSchemes = "chrome, chrome-experimental-site-token-provider, chrome-extension, chrome-untrusted, data, http, https, isolated-app"

  /// css_style_sheet_resource.cc: a stylesheet whose type is refused, whether the load fails (nosniff) or the
  /// link fires load with an empty sheet (no nosniff).
  static func refusedStyle(_ url: String, mime: String) -> String {
    "Refused to apply style from '\(url)' because its MIME type ('\(mime)') is not a supported stylesheet MIME type, and strict MIME checking is enabled."
  }

  static func message(_ reason: FailureReason, _ d: FailureDetail, _ v: Verdict) -> String? {
    // The API threw: its exception, not a CORS message.
    if reason.isInvalidRequest { return invalid(reason, d, v) }
    // An EventSource's and a beacon's request is a "resource" (observed, conformance run of 2026-12-06).
    // import() fetches a module script: "script" (observed, Spec/apis/import-cross-origin-needs-allow-origin).
    // A preload link's resource is a "link element resource" (observed, Spec/apis/preload-cors-failure-reaches-fetch).
    let kind = v.api == .element ? v.chromiumResourceKind : v.api == .dynamicImport ? "script"
      : v.api == .preload ? "link element resource"
      : (v.api == .fetch ? "fetch" : v.api == .eventSource || v.api == .beacon ? "resource" : "XMLHttpRequest")
    let isFetch = v.api == .fetch
    let url = d.url.hrefWithoutFragment
    let redirected = d.url.hrefWithoutFragment != d.initialURL.hrefWithoutFragment
      ? "(redirected from '\(d.initialURL.hrefWithoutFragment)') " : ""
    func cors(_ detail: String, preflightPrefix: Bool = false) -> String {
      let prefix = preflightPrefix && d.isPreflight ? "Response to preflight request doesn't pass access control check: " : ""
      return sentence("Access to \(kind) at '\(url)' \(redirected)from origin '\(d.initiatorOrigin)' has been blocked by CORS policy: \(prefix)\(detail)")
    }
    let validValue = isFetch ? " Have the server send the header with a valid value." : ""
    let xhrCredentials = v.api != .xhr ? "" : " The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute."
    switch reason {
    case .missingAllowOrigin:
      return cors("No 'Access-Control-Allow-Origin' header is present on the requested resource.", preflightPrefix: true)
    case .multipleAllowOrigin:
      return cors("The 'Access-Control-Allow-Origin' header contains multiple values '\(d.value ?? "")', but only one is allowed.\(validValue)", preflightPrefix: true)
    case .invalidAllowOrigin:
      return cors("The 'Access-Control-Allow-Origin' header contains the invalid value '\(d.value ?? "")'.\(validValue)", preflightPrefix: true)
    case .allowOriginMismatch:
      return cors("The 'Access-Control-Allow-Origin' header has a value '\(escapedBytes(d.value ?? ""))' that is not equal to the supplied origin.\(validValue)", preflightPrefix: true)
    case .wildcardWithCredentials:
      return cors("The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.\(xhrCredentials)", preflightPrefix: true)
    case .missingAllowCredentials:
      return cors("The value of the 'Access-Control-Allow-Credentials' header in the response is '\(d.value ?? "")' which must be 'true' when the request's credentials mode is 'include'.\(xhrCredentials)", preflightPrefix: true)
    case .preflightNotOK:
      return cors("It does not have HTTP ok status.", preflightPrefix: true)
    case .preflightRedirect:
      return cors("Redirect is not allowed for a preflight request.", preflightPrefix: true)
    case .invalidAllowMethods:
      return cors("Cannot parse Access-Control-Allow-Methods response header field in preflight response.")
    case .invalidAllowHeaders:
      return cors("Cannot parse Access-Control-Allow-Headers response header field in preflight response.")
    case .methodNotAllowed:
      return cors("Method \(d.parameter ?? "") is not allowed by Access-Control-Allow-Methods in preflight response.")
    case .headerNotAllowed, .authorizationNotCoveredByWildcard:
      return cors("Request header field \(lower(d.parameter ?? "")) is not allowed by Access-Control-Allow-Headers in preflight response.")
    case .redirectWithCredentials where d.parameter == FailureParameter.engineOnlyRedirectWithCredentials:
      // A redirect the standard follows (same origin, no CORS) to a URL with credentials: Blink refuses it with no
      // console line and no network entry (observed, conformance run of 2026-12-06,
      // Spec/http-redirect-fetch/location-with-credentials-same-origin-allowed.cors).
      return nil
    case .redirectWithCredentials:
      return cors("Redirect location '' contains a username and password, which is disallowed for cross-origin requests.")
    case .unsupportedScheme:
      // Observed (Chromium 156.0.8078.114, `play` in the REPL): a file: URL from a page that is not file: is refused
      // as a local resource; any other scheme the renderer cannot fetch fails in fetch_manager.cc's scheme fetch
      // ("URL scheme "about" is not supported"), in cors mode too; a file: page fetching file: gets the CORS line.
      if d.url.scheme == "file" && v.pageURL.scheme != "file" { return "Not allowed to load local resource: \(url)" }
      if isFetch && redirected.isEmpty && d.url.scheme != "file" {
        return "Fetch API cannot load \(url). URL scheme \"\(d.url.scheme)\" is not supported."
      }
      return cors("Cross origin requests are only supported for protocol schemes: \(corsEnabledSchemes).")
    case .disallowedByMode:
      if isFetch && redirected.isEmpty {
        return "Fetch API cannot load \(url). Request mode is \"same-origin\" but the URL's origin is not same as the request origin \(d.initiatorOrigin)."
      }
      if isFetch {
        // Redirected away: the renderer refuses the redirect itself (ResourceLoader::WillFollowRedirect, CanRequest)
        // and BaseFetchContext::PrintAccessDeniedMessage logs it, newline included, with no network entry
        // (observed, conformance run of 2026-12-06, Spec/http-redirect-fetch/same-origin-mode-redirected-cross-origin-fails).
        if d.url.scheme == "file" || v.pageURL.scheme == "file" {
          return "Unsafe attempt to load URL \(url) from frame with URL \(v.pageURL.href). 'file:' URLs are treated as unique security origins.\n"
        }
        return "Unsafe attempt to load URL \(url) from frame with URL \(v.pageURL.href). Domains, protocols and ports must match.\n"
      }
      return cors("Cross origin requests are not allowed by request mode.")
    case .noCORSRedirectMode:
      return "Fetch API cannot load \(url). Request mode is \"no-cors\" but the redirect mode is not \"follow\"."
    case .lnaInsecureContext:
      return cors("The request client is not a secure context and the resource is in more-private address space `\(d.parameter ?? "")`.")
    case .lnaPermissionDenied:
      return cors("Permission was denied for this request to access the `\(d.parameter ?? "")` address space.")
    case .lnaAddressSpaceMismatch:
      return cors("Request had a target IP address space of `\(d.parameter ?? "")` yet the resource is in address space `\(d.value ?? "")`.")
    case .mixedContentBlocked:
      let context = v.api == .element ? v.chromiumRequestContextName : (isFetch ? "resource" : "XMLHttpRequest endpoint")
      return "Mixed Content: The page at '\(v.pageURL.href)' was loaded over HTTPS, but requested an insecure \(context) '\(url)'. This request has been blocked; the content must be served over HTTPS."
    case .cspBlocked:
      // Observed (Chromium 156, conformance run of 2026-11-26).
      return "Connecting to '\(url)' violates the following Content Security Policy directive: \"connect-src \(d.parameter ?? "")\". The action has been blocked."
    case .integrityMismatch where d.integrity?.eligible == false:
      // subresource_integrity.cc: a response that is neither CORS nor same-origin (opaque) cannot be checked.
      if v.api == .element {
        return "Subresource Integrity: The resource '\(url)' has an integrity attribute, but the resource requires the request to be CORS enabled to check the integrity, and it is not. The resource has been blocked because the integrity cannot be enforced."
      }
      return "Subresource Integrity: The resource '\(url)' has an integrity attribute, but the response is not eligible for integrity validation."
    case .integrityMismatch:
      // subresource_integrity.cc: the body's digest under the strongest algorithm named (observed wording,
      // Chromium 156, conformance run of 2026-12-06); fetch_manager.cc then adds the Fetch API's line.
      guard let check = d.integrity, !check.digest.isEmpty else { return nil }
      let algorithm = "SHA-" + check.algorithm.dropFirst(3)
      return "Failed to find a valid digest in the 'integrity' attribute for resource '\(url)' with computed \(algorithm) integrity '\(check.digest)'. The resource has been blocked."
    case .badPort:
      return "\(v.requests.last?.method ?? "GET") \(url) net::ERR_UNSAFE_PORT"
    case .tooManyRedirects:
      return "\(v.requests.last?.method ?? "GET") \(url) net::ERR_TOO_MANY_REDIRECTS"
    case .streamBodyNeedsHTTP2:
      return "\(v.requests.last?.method ?? "POST") \(url) net::ERR_H2_OR_QUIC_REQUIRED"
    case .orbBlocked:
      // No line: the console shows no entry for a load ORB blocked (observed through the DevTools protocol for
      // script, image and no-cors loads, conformance run of 2026-12-06; orb_impl.cc injects an empty response).
      return nil
    case .mimeTypeBlocked:  // allowed_by_nosniff.cc MimeTypeAsScript
      return "Refused to execute script from '\(url)' because its MIME type ('\(d.parameter ?? "")') is not executable."
    case .nosniffBlocked where v.element == .style, .stylesheetNotCSS:
      // css_style_sheet_resource.cc (observed wording, with and without nosniff)
      return refusedStyle(url, mime: d.parameter ?? "")
    case .nosniffBlocked where v.element == .module, .moduleNotJavaScript:
      // module_script_fetcher.cc WasModuleLoadSuccessful (observed wording)
      return "Failed to load module script: Expected a JavaScript-or-Wasm module script but the server responded with a MIME type of \"\(d.parameter ?? "")\". Strict MIME type checking is enforced for module scripts per HTML spec."
    case .nosniffBlocked:  // allowed_by_nosniff.cc MimeTypeAsScript
      return "Refused to execute script from '\(url)' because its MIME type ('\(d.parameter ?? "")') is not executable, and strict MIME type checking is enabled."
    case .eventSourceNotEventStream:
      // event_source.cc DidReceiveResponse. Observed(chromium): a response without Content-Type is named
      // "text/plain" (conformance run of 2026-12-06).
      return eventSourceBadType(d.parameter.flatMap { $0.isEmpty ? nil : $0 } ?? "text/plain")
    case .eventSourceStatusNot200:
      // event_source.cc: no line of its own; a 4xx/5xx has the network's entry (`consoleMessages`).
      return nil
    case .elementUndecodable where v.element == .font:
      // css_font_face_src_value / font_resource.cc: a font OTS refuses (observed wording, Chromium 156; images and
      // media that do not decode print nothing).
      return "Failed to decode downloaded font: \(url)"
    default:
      // redirect-mode-error, request-failed and the rest print no CORS line (only the rejection).
      return nil
    }
  }

  /// The line Chromium (event_source.cc) and WebKit (EventSource.cpp) print for an EventSource response of
  /// another type (observed wording, the same in both; conformance run of 2026-12-06).
  static func eventSourceBadType(_ mime: String) -> String {
    "EventSource's response has a MIME type (\"\(mime)\") that is not \"text/event-stream\". Aborting the connection."
  }

  /// A RequestInit member WebIDL could not convert (bindings' generated dictionary code: "Failed to read the 'X'
  /// property from 'RequestInit': …", observed through `new Request` with Chromium 156); `p` is `member: 'value'`,
  /// or a header for a non-Latin-1 ByteString.
  static func idlConversion(_ p: String) -> String {
    let prefix = "TypeError: Failed to construct 'Request': Failed to read the "
    let types = ["mode": "RequestMode", "credentials": "RequestCredentials", "cache": "RequestCache",
                 "redirect": "RequestRedirect", "referrerPolicy": "ReferrerPolicy", "duplex": "RequestDuplex",
                 "priority": "RequestPriority", "targetAddressSpace": "IPAddressSpace"]
    if let colon = p.firstIndex(of: ":"), let type = types[String(p[..<colon])] {
      var value = p[p.index(after: colon)...].drop { $0 == " " }
      if value.hasPrefix("'") && value.hasSuffix("'") && value.count >= 2 { value = value.dropFirst().dropLast() }
      return prefix + "'\(p[..<colon])' property from 'RequestInit': The provided value '\(value)' is not a valid enum value of type \(type)."
    }
    return prefix + "'headers' property from 'RequestInit': String contains non ISO-8859-1 code point."
  }

  /// Exceptions thrown by the Request constructor and by XMLHttpRequest (observed wording where the smoke run
  /// captured it; otherwise Blink's request.cc / xml_http_request.cc strings).
  static func invalid(_ reason: FailureReason, _ d: FailureDetail, _ v: Verdict) -> String? {
    let p = d.parameter ?? ""
    // An element whose URL does not parse fires error without any message.
    if v.api == .element { return nil }
    if v.api == .beacon {
      // navigator_beacon.cc (observed wording, conformance run of 2026-12-06).
      let prefix = "TypeError: Failed to execute 'sendBeacon' on 'Navigator': "
      switch reason {
      case .urlParseFailed: return prefix + "The URL argument is ill-formed or unsupported."
      case .beaconURLNotHTTP: return prefix + "Beacons are only supported over HTTP(S)."
      case .streamBodyInvalid: return prefix + "sendBeacon cannot have a ReadableStream body."
      default: return nil
      }
    }
    if v.api == .eventSource {
      // event_source.cc Create (observed wording, conformance run of 2026-12-06).
      return reason == .urlParseFailed ? "SyntaxError: Failed to construct 'EventSource': Cannot open an EventSource to '\(p)'. The URL is invalid." : nil
    }
    if v.api == .xhr {
      switch reason {
      case .methodForbidden: return "SecurityError: Failed to execute 'open' on 'XMLHttpRequest': '\(p)' HTTP method is unsupported."
      case .methodInvalid: return "SyntaxError: Failed to execute 'open' on 'XMLHttpRequest': '\(p)' is not a valid HTTP method."
      case .urlParseFailed: return "SyntaxError: Failed to execute 'open' on 'XMLHttpRequest': Invalid URL"
      case .headerNameInvalid: return "SyntaxError: Failed to execute 'setRequestHeader' on 'XMLHttpRequest': '\(p)' is not a valid HTTP header field name."
      case .headerValueInvalid: return "SyntaxError: Failed to execute 'setRequestHeader' on 'XMLHttpRequest': The header value for '\(p)' is not a valid HTTP header field value."
      case .xhrSyncRestrictions:
        return p == "timeout"
          ? "InvalidAccessError: Failed to execute 'open' on 'XMLHttpRequest': Synchronous requests must not set a timeout."
          : "InvalidAccessError: Failed to execute 'open' on 'XMLHttpRequest': Synchronous requests from a document must not set a response type."
      case .webidlConversionFailed: return "TypeError: Failed to execute 'setRequestHeader' on 'XMLHttpRequest': String contains non ISO-8859-1 code point."
      default: return nil
      }
    }
    let prefix = "TypeError: Failed to construct 'Request': "
    switch reason {
    case .bodyWithGetOrHead: return prefix + "Request with GET/HEAD method cannot have body."
    case .methodForbidden: return prefix + "'\(p)' HTTP method is unsupported."
    case .methodInvalid: return prefix + "'\(p)' is not a valid HTTP method."
    case .urlParseFailed: return prefix + "Failed to parse URL from \(p)"
    case .urlHasCredentials: return prefix + "Request cannot be constructed from a URL that includes credentials: \(p)"
    case .noCORSMethodNotSafelisted: return prefix + "'\(p)' is unsupported in no-cors mode."
    case .headerNameInvalid: return prefix + "Invalid name"
    case .headerValueInvalid: return prefix + "Invalid value"
    case .modeNavigateForbidden: return prefix + "Cannot construct a Request with a RequestInit whose mode member is set as 'navigate'."
    case .onlyIfCachedNeedsSameOrigin: return prefix + "'only-if-cached' can be set only with 'same-origin' mode"
    case .webidlConversionFailed: return idlConversion(p)
    case .windowNotNull: return prefix + "The 'window' member of RequestInit must be null."
    case .referrerInvalid: return prefix + "Referrer '\(p)' is not a valid URL."
    case .streamBodyNeedsDuplex: return prefix + "The duplex member must be specified for a request with a streaming body"
    case .streamBodyNeedsCORS: return prefix + "If request is made from ReadableStream, mode should be \"same-origin\" or \"cors\""
    case .streamBodyInvalid: return prefix + "keepalive cannot be set with a ReadableStream body"
    default: return nil
    }
  }

  /// A header value as Chromium's console prints it: each byte above 0x7F as `\u00XX` (observed: `bücher` →
  /// `b\u00C3\u00BCcher`, the UTF-8 bytes taken one by one).
  static func escapedBytes(_ s: String) -> String {
    var out = ""
    for byte in s.utf8 {
      if byte < 0x80 { out.unicodeScalars.append(Unicode.Scalar(byte)) } else {
        let hex = String(byte, radix: 16, uppercase: true)
        out += "\\u00" + (hex.count == 1 ? "0" + hex : hex)
      }
    }
    return out
  }

  static func lower(_ s: String) -> String {
    String(decoding: s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
  }
}

/// Firefox's wording. Source: dom/locales/en-US/chrome/security/security.properties (keys named beside each
/// line), dom/bindings/Errors.msg; docs/reference/engine-differences.md §5.2.
enum FirefoxMessages {
  /// EventSource.cpp ConnectionFailure: dom.properties connectionFailure, with the source's URL (observed wording,
  /// conformance run of 2026-12-06).
  static func eventSourceConnectionFailure(_ url: String) -> String {
    "Firefox can’t establish a connection to the server at \(url)."
  }

  static func message(_ reason: FailureReason, _ d: FailureDetail, _ v: Verdict) -> String? {
    // The API threw: its exception, not a CORS message.
    if reason.isInvalidRequest { return invalid(reason, d, v) }
    let url = d.url.hrefWithoutFragment
    func blocked(_ why: String) -> String {
      sentence("Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at \(url). (Reason: \(why)).")
    }
    switch reason {
    case .eventSourceNotEventStream, .eventSourceStatusNot200:
      // EventSource.cpp: a response it refuses is reported as ConnectionFailure (observed wording, 2026-12-06).
      return eventSourceConnectionFailure(d.initialURL.hrefWithoutFragment)
    case .missingAllowOrigin:  // CORSMissingAllowOrigin2
      return sentence("Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at \(url). (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: \(d.status.map(String.init) ?? "(null)").")
    case .multipleAllowOrigin:  // CORSMultipleAllowOriginNotAllowed
      return blocked("Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed")
    case .allowOriginMismatch, .invalidAllowOrigin:  // CORSAllowOriginNotMatchingOrigin
      return blocked("CORS header ‘Access-Control-Allow-Origin’ does not match ‘\(d.value ?? "")’")
    case .wildcardWithCredentials:  // CORSNotSupportingCredentials (the URL is quoted in this one only)
      return "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ‘\(url)’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’)."
    case .missingAllowCredentials:  // CORSMissingAllowCredentials
      return blocked("expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’")
    case .preflightNotOK:  // CORSPreflightDidNotSucceed3
      return "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at \(url). (Reason: CORS preflight response did not succeed). Status code: \(d.status.map(String.init) ?? "(null)")."
    case .preflightRedirect:  // CORSExternalRedirectNotAllowed
      return blocked("CORS request external redirect not allowed")
    case .invalidAllowMethods:  // CORSInvalidAllowMethod
      return blocked("invalid token ‘\(d.parameter ?? "")’ in CORS header ‘Access-Control-Allow-Methods’")
    case .invalidAllowHeaders:  // CORSInvalidAllowHeader
      return blocked("invalid token ‘\(d.parameter ?? "")’ in CORS header ‘Access-Control-Allow-Headers’")
    case .methodNotAllowed:  // CORSMethodNotFound
      return blocked("Did not find method in CORS header ‘Access-Control-Allow-Methods’")
    case .headerNotAllowed, .authorizationNotCoveredByWildcard:  // CORSMissingAllowHeaderFromPreflight2
      return blocked("header ‘\(ChromiumMessages.lower(d.parameter ?? ""))’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response")
    case .unsupportedScheme:
      if d.url.scheme == "file" && v.pageURL.scheme != "file" {
        return "Security Error: Content at \(v.pageURL.href) may not load or link to \(url)."
      }
      if d.url.scheme == "blob" {
        // nsScriptSecurityManager CheckSameOriginURI: another origin's blob: URL (observed, conformance run of 2026-12-06).
        return "Security Error: Content at \(v.pageURL.href) may not load data from \(url)."
      }
      // A no-cors load of another scheme fails without a line (observed, conformance run of 2026-12-06).
      if v.requestMode == .noCORS { return nil }
      return blocked("CORS request not http")  // CORSRequestNotHttp
    case _ where reason == .aboutNotBlank || (reason == .mixedContentBlocked && d.url.scheme == "about"):
      // CheckLoadURIWithPrincipal refuses about: URLs before mixed content is looked at (observed, conformance run
      // of 2026-12-06).
      return "Security Error: Content at \(v.pageURL.href) may not load or link to \(url)."
    case .requestFailed:  // CORSDidNotSucceed2, logged without a status
      // A failed no-cors load logs nothing (observed, conformance run of 2026-12-06).
      if v.requestMode == .noCORS { return nil }
      return "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at \(url). (Reason: CORS request did not succeed). Status code: (null)."
    case .disallowedByMode:
      return "Security Error: Content at \(v.pageURL.href) may not load data from \(url)."
    case .mixedContentBlocked where v.element == .image || v.element == .audio || v.element == .video:
      return "Blocked loading mixed display content “\(url)”"  // BlockMixedDisplayContent
    case .mixedContentBlocked:  // BlockMixedActiveContent
      return "Blocked loading mixed active content “\(url)”"
    case .orbBlocked:  // necko.properties ResourceBlockedORB, reason from HttpBaseChannel / OpaqueResponseUtils
      return "The resource at “\(url)” was blocked by OpaqueResponseBlocking. Reason: “\(d.parameter ?? "")”."
    case .mimeTypeBlocked:  // BlockScriptWithWrongMimeType2
      return "Script from “\(url)” was blocked because of a disallowed MIME type (“\(d.parameter ?? "")”)."
    case .nosniffBlocked where v.element == .module, .moduleNotJavaScript:  // BlockModuleWithWrongMimeType
      return "Loading module from “\(url)” was blocked because of a disallowed MIME type (“\(d.parameter ?? "")”)."
    case .nosniffBlocked:  // MimeTypeMismatch2
      return "The resource from “\(url)” was blocked due to MIME type (“\(d.parameter ?? "")”) mismatch (X-Content-Type-Options: nosniff)."
    case .stylesheetNotCSS:  // css.properties MimeNotCss (observed wording)
      return "The stylesheet \(url) was not loaded because its MIME type, “\(d.parameter ?? "")”, is not “text/css”."
    case .integrityPolicyBlocked:  // IntegrityPolicyEnforceBlockResource (observed wording, Firefox 153)
      return "The page’s settings blocked a script at \(url) from being loaded because it is missing integrity metadata."
    case .corpBlocked:  // necko.properties CORPBlocked
      return "The resource at “\(url)” was blocked due to its Cross-Origin-Resource-Policy header (or lack thereof). See https://developer.mozilla.org/docs/Web/HTTP/Cross-Origin_Resource_Policy_(CORP)#"
    case .integrityMismatch where d.integrity?.eligible == false:  // security.properties IneligibleResource (opaque)
      return "“\(url)” is not eligible for integrity checks since it’s neither CORS-enabled nor same-origin."
    case .integrityMismatch:  // security.properties IntegrityMismatch2 (observed wording, Firefox 153)
      guard let check = d.integrity, !check.digest.isEmpty else { return nil }
      return "None of the “\(check.algorithm)” hashes in the integrity attribute match the content of the subresource at “\(url)”. The computed hash is “\(check.digest)”."
    case .cspBlocked:
      return "Content-Security-Policy: The page’s settings blocked the loading of a resource (connect-src) at \(url) because it violates the following directive: “connect-src \(d.parameter ?? "")”"
    default:
      // Redirects with credentials, bad schemes, too many redirects: no CORS console message.
      return nil
    }
  }

  static func invalid(_ reason: FailureReason, _ d: FailureDetail, _ v: Verdict) -> String? {
    let p = d.parameter ?? ""
    // An element whose URL does not parse fires error without any message.
    if v.api == .element { return nil }
    if v.api == .beacon {
      // Navigator.cpp SendBeaconInternal (observed wording, conformance run of 2026-12-06).
      switch reason {
      case .urlParseFailed: return "TypeError: Navigator.sendBeacon: \(p) is not a valid URL."
      case .beaconURLNotHTTP: return "TypeError: Navigator.sendBeacon: Beacon URL \(p) must be either http:// or https://."
      default: return nil
      }
    }
    // EventSource.cpp Init: the URL does not parse (observed wording, conformance run of 2026-12-06).
    if v.api == .eventSource { return reason == .urlParseFailed ? "SyntaxError: An invalid or illegal string was specified" : nil }
    if v.api == .xhr {
      switch reason {
      case .methodForbidden: return "SecurityError: The operation is insecure."
      case .methodInvalid, .headerNameInvalid, .headerValueInvalid, .urlParseFailed:
        return "SyntaxError: An invalid or illegal string was specified"
      case .xhrSyncRestrictions: return "InvalidAccessError: A parameter or an operation is not supported by the underlying object"
      case .webidlConversionFailed: return "TypeError: Cannot convert string to ByteString because the character at index 0 has value above 255."
      default: return nil
      }
    }
    let prefix = "TypeError: Request constructor: "
    switch reason {
    case .bodyWithGetOrHead: return prefix + "HEAD or GET Request cannot have a body."
    case .methodForbidden, .methodInvalid: return prefix + "Invalid request method \(p)."
    case .urlParseFailed: return prefix + "\(p) is not a valid URL."
    case .urlHasCredentials: return prefix + "\(p) is an url with embedded credentials."
    case .noCORSMethodNotSafelisted: return prefix + "Invalid request method \(p)."
    case .headerNameInvalid: return prefix + "\(p) is an invalid header name."
    case .headerValueInvalid: return prefix + "Invalid header value for \(p)."
    case .modeNavigateForbidden: return prefix + "Invalid request mode navigate."
    case .onlyIfCachedNeedsSameOrigin: return prefix + "only-if-cached cache mode requires same-origin request mode."
    case .webidlConversionFailed: return prefix + "\(p) is not a valid value for this enumeration."
    default: return "TypeError: Request constructor: \(reason.rawValue)"
    }
  }
}

/// WebKit's wording. Source: Source/WebCore/loader/CrossOriginAccessControl.cpp, ThreadableLoader.cpp,
/// NetworkLoadChecker.cpp, MixedContentChecker.cpp; docs/reference/engine-differences.md §5.3.
enum WebKitMessages {
  static func message(_ reason: FailureReason, _ d: FailureDetail, _ v: Verdict) -> String? {
    // The API threw: its exception, not a CORS message.
    if reason.isInvalidRequest { return invalid(reason, d, v) }
    let url = d.url.hrefWithoutFragment
    // The access-control reason; a redirect response failing it is wrapped in the redirection sentence.
    func access(_ text: String) -> String {
      if v.stage == .redirect, let location = d.location {
        return "Cross-origin redirection to \(location.hrefWithoutFragment) denied by Cross-Origin Resource Sharing policy: \(text)"
      }
      return text
    }
    let status = d.status.map(String.init) ?? "0"
    switch reason {
    case .missingAllowOrigin, .allowOriginMismatch, .invalidAllowOrigin:
      return access(sentence("Origin \(d.requestOrigin) is not allowed by Access-Control-Allow-Origin. Status code: \(status)"))
    case .multipleAllowOrigin:
      return access("Access-Control-Allow-Origin cannot contain more than one origin.")
    case .wildcardWithCredentials:
      return access("Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true.")
    case .missingAllowCredentials:
      return access("Credentials flag is true, but Access-Control-Allow-Credentials is not \"true\".")
    case .preflightNotOK:
      return "Preflight response is not successful. Status code: \(status)"
    case .preflightRedirect:
      return "Preflight response is not successful"
    case .invalidAllowMethods:
      return "Header Access-Control-Allow-Methods has an invalid value: \(d.value ?? "")"
    case .invalidAllowHeaders:
      return "Header Access-Control-Allow-Headers has an invalid value: \(d.value ?? "")"
    case .methodNotAllowed:
      return "Method \(d.parameter ?? "") is not allowed by Access-Control-Allow-Methods."
    case .headerNotAllowed, .authorizationNotCoveredByWildcard:
      return "Request header field \(d.parameter ?? "") is not allowed by Access-Control-Allow-Headers."
    case .disallowedByMode where d.url.hrefWithoutFragment != d.initialURL.hrefWithoutFragment:
      // Observed (conformance run of 2026-11-26): a same-origin request redirected to another origin.
      return "Unsafe attempt to load URL \(url) from origin \(d.initiatorOrigin). Domains, protocols and ports must match."
    case .disallowedByMode:
      return "\(v.api == .fetch ? "Fetch API" : "XMLHttpRequest") cannot load \(url)."
    case .badPort:  // observed wording (conformance run of 2026-11-26)
      return "Not allowed to use restricted network port \(d.url.port.map(String.init) ?? ""): \(url)"
    case .eventSourceNotEventStream:
      // EventSource.cpp responseIsValid. Observed(webkit): a response without Content-Type is named
      // "application/octet-stream" (conformance run of 2026-12-06).
      return ChromiumMessages.eventSourceBadType(d.parameter.flatMap { $0.isEmpty ? nil : $0 } ?? "application/octet-stream")
    case .eventSourceStatusNot200:  // no line (observed)
      return nil
    case .corpBlocked:  // CrossOriginAccessControl.cpp validateCrossOriginResourcePolicy (observed wording)
      return "Cancelled load to \(url) because it violates the resource's Cross-Origin-Resource-Policy response header."
    case .unsupportedScheme:
      // Observed (conformance runs of 2026-11-26 and 2026-12-06): in no-cors mode a file: URL is "not allowed to
      // load", an about: URL fails without a line, an ftp: URL is "disabled"; in cors mode each is the
      // access-control refusal of a non-HTTP scheme.
      let noCORS = v.requestMode == .noCORS
      if d.url.scheme == "file" && v.pageURL.scheme != "file" && noCORS { return "Not allowed to load local resource: \(url)" }
      if d.url.scheme == "about" && noCORS { return nil }
      if d.url.scheme == "ftp" && noCORS { return "FTP URLs are disabled" }
      return "Cross origin requests are only supported for HTTP."
    case .noCORSRedirectMode:  // FetchLoader / CachedResourceLoader (observed wording, conformance run of 2026-12-06)
      return "No-Cors mode requires follow redirect mode"
    case .dataURLInvalid:  // observed wording (conformance run of 2026-12-06): no "due to access control checks"
      return "\(v.api == .xhr ? "XMLHttpRequest" : "Fetch API") cannot load \(url)."
    case .requestFailed where d.isPreflight:  // observed wording (conformance run of 2026-12-06)
      return "Connection terminated unexpectedly"
    case .redirectLocationInvalid where d.parameter != FailureParameter.multipleLocations
      && !(d.value ?? "").allSatisfy({ $0 == " " || $0 == "\t" }):
      // A Location that does not parse is taken as a URL of no CORS scheme (observed, conformance run of 2026-12-06).
      return "Cross-origin redirection to \(d.value ?? "") denied by Cross-Origin Resource Sharing policy: not allowed to follow a cross-origin CORS redirection with non CORS scheme"
    case .redirectBadScheme:
      return "Cross-origin redirection to \(d.location?.hrefWithoutFragment ?? "") denied by Cross-Origin Resource Sharing policy: not allowed to follow a cross-origin CORS redirection with non CORS scheme"
    case .redirectWithCredentials:
      // The first URL is printed without its credentials, the second with them (observed, conformance run of
      // 2026-12-06).
      let target = d.location?.hrefWithoutFragment ?? ""
      let shown = d.location?.replacing(clearingCredentials: true).hrefWithoutFragment ?? ""
      return "Cross-origin redirection to \(shown) denied by Cross-Origin Resource Sharing policy: redirection URL \(target) has credentials"
    case .redirectModeError:
      return "Not allowed to follow a redirection while loading \(url)"
    case .tooManyRedirects:
      return "Load cannot follow more than 20 redirections"
    case .integrityMismatch:
      // SubresourceIntegrity.cpp integrityMismatchDescription: the URL, the body's length ("(no content)" for none),
      // the length the response declared, the metadata as written; after the Fetch API's own prefix
      // (FetchResponse.cpp), or the script element's (LoadableClassicScript.cpp). Observed wording, WebKitGTK 2.50,
      // conformance run of 2026-12-06; other elements unobserved.
      guard let check = d.integrity else { return nil }
      let length = check.bodyLength == 0 ? "(no content)" : String(check.bodyLength)
      let description = "\(url). Failed integrity metadata check. Content length: \(length), Expected content length: \(check.declaredLength), Expected metadata: \(d.parameter ?? "")"
      switch v.api {
      case .fetch: return "Failed integrity metadata check. " + description
      case .element where v.element == .script: return "Cannot load script " + description
      default: return nil
      }
    case .mixedContentBlocked where d.url.scheme == "about":
      return nil  // observed: no line (conformance run of 2026-12-06)
    case .mixedContentBlocked:
      // Observed (oracle-contract smoke run, conformance run of 2026-12-06): for a loopback target the sentence
      // stops after "must", with no space. WebKit's MixedContentChecker.cpp (logWarning) ends its "blocked and must"
      // with " be served over HTTPS.\n" only while upgrading localhost is enabled; here it is disabled, so "\n".
      if d.url.isPotentiallyTrustworthy() {
        return "[blocked] The page at \(v.pageURL.href) requested insecure content from \(url). This content was blocked and must"
      }
      return "[blocked] The page at \(v.pageURL.href) requested insecure content from \(url). This content was blocked and must be served over HTTPS."
    case .cspBlocked:
      return "Refused to connect to \(url) because it does not appear in the connect-src directive of the Content Security Policy."
    case .mimeTypeBlocked:  // LoadableClassicScript.cpp notifyFinished
      return "Refused to execute \(url) as script because \(d.parameter ?? "") is not a script MIME type."
    case .nosniffBlocked where v.element == .style, .stylesheetNotCSS:
      // StyleSheetContents.cpp: a no-quirks document reports the strict-mode reason first.
      return "Did not parse stylesheet at '\(url)' because non CSS MIME types are not allowed in strict mode."
    case .moduleNotJavaScript where v.api == .dynamicImport:
      // The element's line is its error event's message; import()'s rejection, caught by the page, prints none
      // (observed, Spec/apis/import-served-as-html-rejects).
      return nil
    case .nosniffBlocked where v.element == .module, .moduleNotJavaScript:  // observed wording
      // A response without a Content-Type is named text/plain, WebKit's default MIME type for an HTTP response
      // (observed, conformance run of 2026-12-06: a module served with no Content-Type).
      let named = (d.parameter ?? "").isEmpty ? "text/plain" : d.parameter!
      return "TypeError: '\(named)' is not a valid JavaScript MIME type."
    case .nosniffBlocked:  // LoadableClassicScript.cpp notifyFinished
      return "Refused to execute \(url) as script because \"X-Content-Type-Options: nosniff\" was given and its Content-Type is not a script MIME type."
    case .keepaliveQuotaExceeded where v.api == .beacon:
      // NavigatorBeacon.cpp logs the refusal in its own words (observed, conformance run of 2026-12-06).
      return "Beacon API cannot load \(url). Reached maximum amount of queued data of 64Kb for keepalive requests"
    case .keepaliveQuotaExceeded:
      // Observed (conformance run, keepalive-body-limited-to-64-kib).
      return "Reached maximum amount of queued data of 64Kb for keepalive requests"
    case .streamBodyUnsupported:
      // The rejection's message (FetchRequest / FetchBody: "ReadableStream uploading is not supported").
      return "NotSupportedError: ReadableStream uploading is not supported"
    default:
      return nil
    }
  }

  static func invalid(_ reason: FailureReason, _ d: FailureDetail, _ v: Verdict) -> String? {
    let p = d.parameter ?? ""
    // An element whose URL does not parse fires error without any message.
    if v.api == .element { return nil }
    if v.api == .beacon {
      // NavigatorBeacon.cpp (observed wording, conformance run of 2026-12-06).
      switch reason {
      case .urlParseFailed: return "TypeError: This URL is invalid"
      case .beaconURLNotHTTP: return "TypeError: Beacons can only be sent over HTTP(S)"
      case .streamBodyInvalid: return "TypeError: Beacons cannot send ReadableStream body"
      default: return nil
      }
    }
    // EventSource::create: the URL does not parse (observed wording, conformance run of 2026-12-06).
    if v.api == .eventSource { return reason == .urlParseFailed ? "SyntaxError: The string did not match the expected pattern." : nil }
    if v.api == .xhr {
      switch reason {
      case .methodForbidden: return "SecurityError: The operation is insecure."
      case .methodInvalid, .headerNameInvalid, .headerValueInvalid, .urlParseFailed:
        return "SyntaxError: The string did not match the expected pattern."
      case .xhrSyncRestrictions: return "InvalidAccessError: The object does not support the operation or argument."
      default: return "TypeError: Type error"
      }
    }
    switch reason {
    case .bodyWithGetOrHead: return "TypeError: Request has method '\(p)' and cannot have a body"
    case .methodForbidden: return "TypeError: Method is forbidden."
    case .methodInvalid: return "TypeError: Method is not a valid HTTP token."
    case .urlParseFailed, .urlHasCredentials: return "TypeError: URL is not valid or contains user credentials."
    case .noCORSMethodNotSafelisted: return "TypeError: Method must be GET, POST or HEAD in no-cors mode."
    case .headerNameInvalid: return "TypeError: Invalid header name: '\(p)'"
    case .headerValueInvalid: return "TypeError: Header '\(p)' has invalid value"
    case .modeNavigateForbidden: return "TypeError: Request constructor does not accept navigate fetch mode."
    case .onlyIfCachedNeedsSameOrigin: return "TypeError: only-if-cached cache option requires fetch mode to be same-origin."
    default: return "TypeError: Type error"
    }
  }
}

/// The standard's own words, for the `spec` profile (no browser prints these).
enum SpecMessages {
  static func message(_ reason: FailureReason, _ d: FailureDetail, _ v: Verdict) -> String? {
    let url = d.url.hrefWithoutFragment
    let on = d.isPreflight ? "the preflight response (OPTIONS \(url))" : "the response from \(url)"
    switch reason {
    case .missingAllowOrigin: return "CORS check failed: \(on) has no Access-Control-Allow-Origin header."
    case .multipleAllowOrigin: return "CORS check failed: Access-Control-Allow-Origin on \(on) is '\(d.value ?? "")', several values, which never equals the origin '\(d.requestOrigin)'."
    case .allowOriginMismatch, .invalidAllowOrigin: return "CORS check failed: Access-Control-Allow-Origin on \(on) is '\(d.value ?? "")', not the request's origin '\(d.requestOrigin)'."
    case .wildcardWithCredentials: return "CORS check failed: Access-Control-Allow-Origin on \(on) is '*', which does not allow credentialed requests."
    case .missingAllowCredentials: return "CORS check failed: the request includes credentials and Access-Control-Allow-Credentials on \(on) is '\(d.value ?? "")', not 'true'."
    case .preflightNotOK: return "CORS-preflight fetch failed: \(on) has status \(d.status.map(String.init) ?? "?"), not an ok status (200–299)."
    case .preflightRedirect: return "CORS-preflight fetch failed: \(on) is a redirect (\(d.status.map(String.init) ?? "3xx")); preflights are never redirected."
    case .invalidAllowMethods: return "CORS-preflight fetch failed: Access-Control-Allow-Methods contains '\(d.parameter ?? "")', which is not a method token."
    case .invalidAllowHeaders: return "CORS-preflight fetch failed: Access-Control-Allow-Headers contains '\(d.parameter ?? "")', which is not a header name."
    case .methodNotAllowed: return "CORS-preflight fetch failed: method \(d.parameter ?? "") is not in Access-Control-Allow-Methods."
    case .headerNotAllowed: return "CORS-preflight fetch failed: request header \(ChromiumMessages.lower(d.parameter ?? "")) is not in Access-Control-Allow-Headers."
    case .authorizationNotCoveredByWildcard: return "CORS-preflight fetch failed: Authorization must be listed in Access-Control-Allow-Headers; '*' does not cover it."
    case .mimeTypeBlocked: return "Blocked due to its MIME type: a script cannot be '\(d.parameter ?? "")' (\(url))."
    case .nosniffBlocked: return "Blocked due to nosniff: '\(d.parameter ?? "")' is not \(v.element == .style ? "text/css" : "a JavaScript MIME type") (\(url))."
    case .stylesheetNotCSS: return "The stylesheet at \(url) is '\(d.parameter ?? "")', not text/css: not applied."
    case .scriptStatusNotOK: return "The script at \(url) has status \(d.status.map(String.init) ?? "?"), not an ok status: not run."
    case .elementStatusNotOK: return "The \(v.element?.markup ?? "element") at \(url) has status \(d.status.map(String.init) ?? "?"), not an ok status: it fires error."
    case .workerScriptNotJavaScript: return "The worker script at \(url) is '\(d.parameter ?? "")', not a JavaScript MIME type: the worker fires error."
    case .workerCrossOrigin: return "The worker script \(url) is not of the page's origin: the constructor throws a SecurityError."
    case .moduleNotJavaScript: return "The module script at \(url) is '\(d.parameter ?? "")', not a JavaScript MIME type: not run."
    case .eventSourceStatusNot200: return "The EventSource's response from \(url) has status \(d.status.map(String.init) ?? "?"), not 200: the connection fails."
    case .eventSourceNotEventStream: return "The EventSource's response from \(url) is '\(d.parameter ?? "")', not text/event-stream: the connection fails."
    case .integrityPolicyBlocked: return "Blocked by the page's Integrity-Policy: \(url) has no integrity metadata or is not fetched with CORS."
    case .webSocketStatusNot101: return "The WebSocket handshake to \(url) was answered \(d.status.map(String.init) ?? "?"), not 101: the connection fails (WebSocket has no CORS)."
    case .webSocketUpgradeInvalid: return "The WebSocket handshake's 101 response from \(url) has \(d.headerName ?? "Upgrade") '\(d.parameter ?? "")': the connection fails."
    case .webSocketAcceptInvalid: return "The WebSocket handshake's 101 response from \(url) has Sec-WebSocket-Accept '\(d.parameter ?? "")', not the key's: the connection fails."
    case .webSocketProtocolMismatch: return "The WebSocket handshake's response from \(url) chose the subprotocol '\(d.parameter ?? "")', not one asked for: the connection fails."
    case .webSocketSchemeInvalid, .webSocketURLHasFragment, .webSocketProtocolInvalid:
      return "new WebSocket throws a SyntaxError for \(d.parameter ?? url)."
    case .webSocketInsecureFromSecure: return "new WebSocket throws a SecurityError: \(d.parameter ?? url) is insecure and the page is not."
    default:
      return "\(reason.rawValue): \(url)"
    }
  }
}

extension Verdict {
  /// Chromium's name for an element's resource in CORS messages (`Resource::ResourceTypeToString`, lower-cased;
  /// third_party/blink/renderer/platform/loader/fetch/resource.cc; docs/reference/engine-differences.md §5.1.1).
  var chromiumResourceKind: String {
    switch element ?? .image {
    case .image: return "image"
    case .script, .module: return "script"
    case .style: return "CSS stylesheet"
    case .font: return "font"
    case .audio: return "audio"
    case .video: return "video"
    }
  }

  /// Chromium's request context in mixed-content messages (mixed_content_checker.cc RequestContextName).
  var chromiumRequestContextName: String {
    switch element ?? .image {
    case .image: return "image"
    case .script, .module: return "script"
    case .style: return "stylesheet"
    case .font: return "font"
    case .audio: return "audio file"
    case .video: return "video"
    }
  }
}
