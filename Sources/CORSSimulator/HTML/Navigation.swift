extension FetchRun {
  /// A navigation (`location.href = url`, a followed link, an iframe's `src`) or a form submission, as the
  /// request it builds. Neither is a CORS request: whatever the origins, the response becomes the new document
  /// in the target navigable, and the page's script never reads it.
  ///
  /// html: browsing-the-web.html#navigate — the URL is parsed against the page (failure: nothing is fetched;
  /// `location.href` throws a "SyntaxError" DOMException, a form does nothing); documentResource is null (GET) or a
  /// POST resource (a form with method POST).
  /// html: browsing-the-web.html#create-navigation-params-by-fetching — request: method GET, or POST with the
  /// resource's request body and `Content-Type`; mode "navigate", credentials mode "include", redirect mode
  /// "manual" (the navigation follows redirects itself, running the same checks per hop: modelled as
  /// "follow"), destination "document", referrer policy the page's (strict-origin-when-cross-origin by
  /// default), no author headers.
  /// html: form-control-infrastructure.html#form-submission-algorithm — GET: "mutate action URL" (the query is
  /// replaced by the entry list, urlencoded); POST: "submit as entity body" with the enctype's `Content-Type`.
  /// fetch.bs #concept-main-fetch step 12: mode "navigate" is response tainting "basic", no CORS check;
  /// fetch.bs #append-a-request-origin-header: `Origin` only when the method is neither GET nor HEAD.
  func constructNavigationRequest(_ s: ScriptRequest) throws(RequestError) -> Request {
    var parsedURL: URLRecord
    do { parsedURL = try requestURL(s) } catch {
      throw RequestError(reason: .urlParseFailed, parameter: s.url, exception: "SyntaxError")
    }
    let post = api == .form && s.method?.normalized == .post
    let data = s.body?.text ?? ""
    var headers = HeaderList()
    var body: RequestBody? = nil
    if api == .form && !post {
      // Mutate action URL: the query becomes the urlencoded entry list (the empty string for no entries).
      let withoutQuery = parsedURL.query.map { String(parsedURL.hrefWithoutFragment.dropLast($0.utf8.count + 1)) }
        ?? parsedURL.hrefWithoutFragment
      do { parsedURL = try URLRecord(withoutQuery + "?" + data) } catch {
        throw RequestError(reason: .urlParseFailed, parameter: s.url, exception: "SyntaxError")
      }
    } else if post {
      let enctype = s.enctype ?? .urlencoded
      // multipart/form-data names the boundary the user agent picked. html: #multipart/form-data-encoding-algorithm
      headers.append(.contentType, enctype == .multipart ? "multipart/form-data; boundary=----corsim" : enctype.rawValue)
      body = RequestBody(kind: .string, text: data)
    }
    let target = s.target ?? "_self"
    if api == .form {
      note(.formSubmission, post ? "POST" : "GET", target)
    } else {
      note(.navigationRequest, parsedURL.hrefWithoutFragment, target)
    }
    return Request(method: post ? "POST" : "GET", urlList: [parsedURL], headerList: headers, body: body,
                   mode: .navigate, credentialsMode: .include, redirectMode: .follow, cacheMode: .default,
                   referrerPolicy: .empty, integrity: "", keepalive: false, origin: pageOrigin,
                   originSerialization: pageOriginSerialization, unsafeRequest: false)
  }
}

extension Verdict {
  /// What the page sees of a navigation or a form submission: `navigates` (the target shows the response, whatever
  /// its status or headers: the new document, which no script of the page reads), `error page` (the fetch
  /// failed), `throws`; for a WebSocket the event it fires: `open`, `error` (then `close`), `throws`.
  /// nil for other APIs.
  public var pageEvent: String? {
    switch api {
    case .navigate, .form:
      if outcome == .invalid { return "throws" }
      return outcome == .networkError ? "error page" : "navigates"
    case .websocket:
      if outcome == .invalid { return "throws" }
      return outcome == .readable ? "open" : "error"
    default:
      return nil
    }
  }
}
