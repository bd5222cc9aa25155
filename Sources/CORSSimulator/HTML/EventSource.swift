extension FetchRun {
  /// `new EventSource(url, {withCredentials})`, as the request it builds. html: server-sent-events.html#dom-eventsource
  ///
  /// 3–5. url is encoding-parsed against the settings object; failure → "SyntaxError" (thrown by the constructor).
  /// 7–8. corsAttributeState is Anonymous, or Use Credentials when withCredentials is true.
  /// 10. request = create a potential-CORS request (url, destination "", corsAttributeState): mode `cors`,
  ///     credentials `same-origin` (Anonymous) or `include` (Use Credentials).
  ///     html: urls-and-fetching.html#create-a-potential-cors-request
  /// 12. `Accept: text/event-stream` is set (a CORS-safelisted header: no preflight).
  /// 13. cache mode `no-store`. 14. initiator type "other".
  /// Redirects are followed (redirect mode `follow`); no author headers, no body, method GET.
  func constructEventSourceRequest(_ s: ScriptRequest) throws(RequestError) -> Request {
    let parsedURL: URLRecord
    do { parsedURL = try requestURL(s) } catch {
      throw RequestError(reason: .urlParseFailed, parameter: s.url, exception: "SyntaxError")
    }
    let credentials: CredentialsMode = s.credentials == .include ? .include : .sameOrigin
    note(.eventSourceRequest, s.credentials == .include ? "true" : "false", "cors " + credentials.rawValue)
    var headers = HeaderList()
    headers.append(.accept, "text/event-stream")
    return Request(method: "GET", urlList: [parsedURL], headerList: headers, body: nil, mode: .cors,
                   credentialsMode: credentials, redirectMode: .follow, cacheMode: .noStore, referrerPolicy: .empty,
                   integrity: "", keepalive: false, origin: pageOrigin, originSerialization: pageOriginSerialization,
                   unsafeRequest: false)
  }

  /// What the EventSource does with the response fetch handed it (html: server-sent-events.html#dom-eventsource,
  /// step 15's processEventSourceEndOfBody / processResponse): a network error fails the connection (a CORS
  /// failure is one); otherwise "if res's status is not 200, or if res's `Content-Type` is not
  /// `text/event-stream`, then fail the connection" (an `error` event, readyState CLOSED, no reconnection).
  /// Otherwise the connection is announced (an `open` event). The type is compared by its essence (parameters
  /// such as `charset` are allowed).
  func failIfNotEventStream(_ request: Request, _ response: Response) throws(NetworkError) {
    let headers = response.headerList
    let essence = headers.extractMIMEType()?.essence ?? ""
    let reason: FailureReason
    if response.status != 200 {
      reason = .eventSourceStatusNot200
    } else if essence != "text/event-stream" {
      reason = .eventSourceNotEventStream
    } else {
      return
    }
    recordForConsole(TraceStep(.failure(reason), essence, "", number: response.status))
    throw NetworkError(stage: .response, reason: reason,
                       detail: failure(request, parameter: essence, value: headers.get(.contentType),
                                       status: response.status, responseMethod: response.routeMethod,
                                       headerName: "Content-Type"))
  }
}

extension Verdict {
  /// For an EventSource: the event it fires — `open` when the connection is announced, `error` (readyState
  /// CLOSED: the connection failed) otherwise. nil for other APIs. html: server-sent-events.html#dom-eventsource
  public var eventSourceEvent: String? {
    guard api == .eventSource else { return nil }
    return outcome == .readable ? "open" : "error"
  }
}
