extension FetchRun {
  /// `import(url)` called from the page's classic script, as the request it builds.
  ///
  /// html: webappapis.html#hostloadimportedmodule — the referrer is the page's classic script, whose fetch options
  /// are the default classic script fetch options (credentials mode "same-origin": an inline script without
  /// `crossorigin`); the specifier is resolved against the page's URL (a failure rejects the promise with a
  /// TypeError, webappapis.html#resolve-a-module-specifier); then "fetch a single imported script".
  /// html: webappapis.html#fetch-a-single-module-script — request: URL, mode "cors", destination "script",
  /// credentials mode from the options ("same-origin"), no integrity. The module is run only when the response
  /// is a JavaScript MIME type (otherwise the promise rejects). The request is the one `<script type=module>`
  /// without `crossorigin` makes, so the module checks of an element load apply to it.
  func constructImportRequest(_ s: ScriptRequest) throws(RequestError) -> Request {
    let parsedURL: URLRecord
    do { parsedURL = try requestURL(s) } catch {
      throw RequestError(reason: .urlParseFailed, parameter: s.url, exception: "TypeError")
    }
    note(.importRequest, parsedURL.href, "cors same-origin")
    var request = Request(method: "GET", urlList: [parsedURL], headerList: HeaderList(), body: nil, mode: .cors,
                          credentialsMode: .sameOrigin, redirectMode: .follow, cacheMode: .default,
                          referrerPolicy: .empty, integrity: "", keepalive: false, origin: pageOrigin,
                          originSerialization: pageOriginSerialization, unsafeRequest: false)
    request.destination = .script
    request.element = .module
    return request
  }

  /// `new Worker(url, {type})` and `new SharedWorker(url, {type})`, as the request the worker's top-level
  /// script fetch builds.
  ///
  /// html: workers.html#dom-worker steps 3–5 (#dom-sharedworker likewise): url is encoding-parsed against the
  /// page; failure throws a "SyntaxError" DOMException.
  /// The standard then runs the worker, whose fetch fails for another origin (below). The engines refuse earlier:
  /// the constructor throws a "SecurityError" DOMException for an http(s) URL of another origin
  /// (`workerConstructorRefusesCrossOrigin`; Observed in the three engines, Spec/apis/worker-cross-origin-throws).
  /// html: workers.html#fetch-a-classic-worker-script — request: mode "same-origin", credentials mode
  /// "same-origin", destination "worker" or "sharedworker", parser metadata "not parser-inserted".
  /// html: webappapis.html#fetch-a-single-module-script — for a module worker's top-level script the mode is
  /// "same-origin" too ("If destination is "worker", "sharedworker", or "serviceworker" and isTopLevel is true,
  /// then set request's mode to "same-origin"") and the credentials mode is WorkerOptions.credentials
  /// ("same-origin" by default; only the default is modelled).
  /// With mode "same-origin", a redirect to another origin is a network error (fetch.bs #main-fetch step 12).
  func constructWorkerRequest(_ s: ScriptRequest) throws(RequestError) -> Request {
    let parsedURL: URLRecord
    do { parsedURL = try requestURL(s) } catch {
      throw RequestError(reason: .urlParseFailed, parameter: s.url, exception: "SyntaxError")
    }
    if profile.workerConstructorRefusesCrossOrigin, parsedURL.isHTTPScheme, !parsedURL.origin.isSameOrigin(pageOrigin) {
      throw RequestError(reason: .workerCrossOrigin, parameter: parsedURL.href, exception: "SecurityError")
    }
    let type = s.workerType ?? .classic
    workerType = type
    note(.workerRequest, api == .sharedWorker ? "SharedWorker" : "Worker", type.rawValue)
    var request = Request(method: "GET", urlList: [parsedURL], headerList: HeaderList(), body: nil, mode: .sameOrigin,
                          credentialsMode: .sameOrigin, redirectMode: .follow, cacheMode: .default,
                          referrerPolicy: .empty, integrity: "", keepalive: false, origin: pageOrigin,
                          originSerialization: pageOriginSerialization, unsafeRequest: false)
    request.destination = api == .sharedWorker ? .sharedworker : .worker
    return request
  }

  /// A script fetched by `import()` or for a worker runs only for an ok status: html:
  /// webappapis.html#fetch-a-single-module-script ("If any of the following are true: bodyBytes is null or failure;
  /// or response's status is not an ok status, then set moduleMap[(url, moduleType)] to null, run onComplete given
  /// null"), workers.html#fetch-a-classic-worker-script (the same step). Checked before the MIME type.
  func blockIfScriptStatusNotOK(_ request: Request, _ response: Response) throws(NetworkError) {
    guard !(200...299).contains(response.status) else { return }
    record(TraceStep(.failure(.scriptStatusNotOK), "", "", number: response.status))
    throw NetworkError(stage: .response, reason: .scriptStatusNotOK,
                       detail: failure(request, status: response.status, responseMethod: response.routeMethod))
  }

  /// A worker's top-level script runs only with a JavaScript MIME type: html: workers.html#fetch-a-classic-worker-script
  /// ("if … response's URL's scheme is an HTTP(S) scheme and the result of extracting a MIME type from
  /// response's header list is not a JavaScript MIME type, then run onComplete given null"); a module worker's
  /// script likewise (webappapis.html#fetch-a-single-module-script). The worker fires `error`.
  func blockIfWorkerScriptNotJavaScript(_ request: Request, _ response: Response) throws(NetworkError) {
    let headers = response.headerList
    let mime = headers.extractMIMEType()
    if mime?.isJavaScript == true || !request.currentURL.isHTTPScheme { return }
    guard profile.workerScriptsNeedingJavaScriptMIMECases.contains(workerType) else { return }
    let essence = mime?.essence ?? ""
    record(TraceStep(.failure(.workerScriptNotJavaScript), essence, "", number: response.status))
    throw NetworkError(stage: .response, reason: .workerScriptNotJavaScript,
                       detail: failure(request, parameter: essence, value: headers.get(.contentType),
                                       status: response.status, responseMethod: response.routeMethod,
                                       headerName: "Content-Type"))
  }
}

extension Verdict {
  /// For `import()`: what the promise does — `fulfilled` (the module ran) or `rejected` (a TypeError); for
  /// a worker: `runs` or `error` (the `error` event at the Worker), `throws` when the constructor throws.
  /// nil for other APIs.
  public var scriptLoadEvent: String? {
    switch api {
    case .dynamicImport: return outcome == .readable ? "fulfilled" : "rejected"
    case .worker, .sharedWorker:
      if outcome == .invalid { return "throws" }
      return outcome == .readable ? "runs" : "error"
    default: return nil
    }
  }
}

/// The console lines of `new Worker` and `new SharedWorker` per engine (observed wording, conformance run of
/// 2026-12-06: Spec/apis/*worker*). A worker's fetch is same-origin, so no CORS line is ever printed: the lines
/// are the constructor's exception, the refusal of another origin, and the MIME type check.
enum WorkerMessages {
  static func name(_ v: Verdict) -> String { v.api == .sharedWorker ? "SharedWorker" : "Worker" }

  /// The main line (`consoleMessage`).
  static func message(_ reason: FailureReason, _ d: FailureDetail, _ v: Verdict) -> String? {
    let url = d.url.hrefWithoutFragment
    // Firefox runs a SharedWorker's loading out of the page: the page's console shows none of its lines
    // (Spec/apis/sharedworker-*: the refusal of another origin, of a redirect, of a MIME type).
    if v.consoleDialect == .firefox && v.api == .sharedWorker { return nil }
    switch (v.consoleDialect, reason) {
    case (.chromium, .workerCrossOrigin):
      return "SecurityError: Failed to construct '\(name(v))': Script at '\(d.parameter ?? url)' cannot be accessed from origin '\(v.pageOrigin)'."
    case (.webkit, .workerCrossOrigin):
      return v.api == .sharedWorker ? "SecurityError: URL of the shared worker is cross-origin" : "SecurityError: The operation is insecure."
    case (_, .urlParseFailed), (_, .workerCrossOrigin):
      return nil  // not played
    case (.chromium, .workerScriptNotJavaScript):
      // Only a module worker is checked (`workerScriptsNeedingJavaScriptMIME`); worded unlike <script type=module>.
      return "Failed to load module script: The server responded with a non-JavaScript MIME type of \"\(d.parameter ?? "")\". Strict MIME type checking is enforced for module scripts per HTML spec."
    case (.firefox, .workerScriptNotJavaScript):
      return "Loading Worker from “\(url)” was blocked because of a disallowed MIME type (“\(d.parameter ?? "")”)."
    case (.webkit, .workerScriptNotJavaScript):
      return nil  // the worker fires error without a line
    case (.chromium, .scriptStatusNotOK):
      // A SharedWorker's failed fetch has a line of its own; a Worker's none (observed, sharedworker-404-fails).
      return v.api == .sharedWorker ? "Failed to fetch a worker script." : nil
    case (_, .scriptStatusNotOK):
      return nil  // no line (observed)
    case (.chromium, .disallowedByMode):
      return nil  // a redirect to another origin: no line, not even the network's entry
    case (.firefox, .disallowedByMode):
      return "Security Error: Content at \(v.pageURL.href) may not load data from \(url)."
    case (.webkit, .disallowedByMode):
      return "Unsafe attempt to load URL \(url) from origin \(d.initiatorOrigin). Domains, protocols and ports must match."
    case (.chromium, _): return ChromiumMessages.message(reason, d, v)
    case (.firefox, _): return FirefoxMessages.message(reason, d, v)
    case (.webkit, _): return WebKitMessages.message(reason, d, v)
    case (.spec, _): return SpecMessages.message(reason, d, v)
    }
  }

  /// Every line (`consoleMessages`): the main line, then Firefox's MIME line for the empty response a refused
  /// redirect leaves, or WebKit's access-control line after the refusal of a redirect.
  static func messages(_ v: Verdict) -> [String] {
    guard v.outcome == .networkError, let failure = v.failure else { return [] }
    var out: [String] = []
    if let main = v.consoleMessage { out.append(main) }
    let d = failure.detail
    let redirected = d.url.hrefWithoutFragment != d.initialURL.hrefWithoutFragment
    if failure.reason == .disallowedByMode && redirected {
      switch v.consoleDialect {
      case .firefox where v.api == .worker:
        out.append("Loading Worker from “\(d.initialURL.hrefWithoutFragment)” was blocked because of a disallowed MIME type (“”).")
      case .webkit:
        out.append("Cannot load \(d.url.hrefWithoutFragment) due to access control checks.")
      default:
        break
      }
    }
    return out
  }
}
