/// A request as it went on the wire.
public struct WireRequest: Sendable, Hashable {
  /// The method.
  public var method: String
  /// The URL (fragment removed).
  public var url: URLRecord
  /// The header lines the decision depends on: the author headers (and the body's `Content-Type`), then
  /// `Access-Control-Request-Method`, `Access-Control-Request-Headers` and `Origin`. UA headers such as
  /// `User-Agent`, `Accept` or `Sec-Fetch-*` are left out.
  public var headers: [HeaderPair]
  /// True for a CORS preflight (`OPTIONS`).
  public var isPreflight: Bool
  /// Whether cookies and HTTP authentication were attached. fetch.bs #concept-http-network-or-cache-fetch step 8.3
  public var includesCredentials: Bool
  /// The status the server answered with (nil when no answer: a failed connection).
  public var responseStatus: Int?

  /// The value of a header line, by name (case-insensitive).
  public func value(of name: String) -> String? {
    headers.first { HTTPSyntax.equalsIgnoringASCIICase($0.name, name) }?.value
  }
}

/// What made the decision go wrong, for messages and fixes.
public struct FailureDetail: Sendable, Hashable {
  /// The URL of the request that failed (Chromium's `{url}`: the last one in the redirect chain).
  public var url: URLRecord
  /// The first URL of the chain.
  public var initialURL: URLRecord
  /// The serialized origin the check compared against (`null` when opaque or redirect-tainted).
  public var requestOrigin: String
  /// The initiator's serialized origin (what Chromium prints).
  public var initiatorOrigin: String
  /// The method, header name or token at fault.
  public var parameter: String?
  /// The header value at fault (as received).
  public var value: String?
  /// The status of the response that failed the check.
  public var status: Int?
  /// True when the failure is on a preflight response.
  public var isPreflight: Bool
  /// The layers that set the header lines at fault.
  public var setBy: [String]
  /// The method and URL of the response that needs fixing, when it is a response.
  public var responseMethod: String?
  /// The header name at fault, on the response.
  public var headerName: String?
  /// For redirects: the location the redirect pointed to.
  public var location: URLRecord?

  /// Creates a detail record.
  public init(url: URLRecord, initialURL: URLRecord, requestOrigin: String, initiatorOrigin: String,
              parameter: String? = nil, value: String? = nil, status: Int? = nil, isPreflight: Bool = false,
              setBy: [String] = [], responseMethod: String? = nil, headerName: String? = nil,
              location: URLRecord? = nil) {
    self.url = url
    self.initialURL = initialURL
    self.requestOrigin = requestOrigin
    self.initiatorOrigin = initiatorOrigin
    self.parameter = parameter
    self.value = value
    self.status = status
    self.isPreflight = isPreflight
    self.setBy = setBy
    self.responseMethod = responseMethod
    self.headerName = headerName
    self.location = location
  }
}

/// The answer for one request: what the script observes, what went on the wire, and why.
public struct Verdict: Sendable, Hashable {
  /// The profile that decided.
  public var engine: Engine
  /// Whose words the console messages, warnings and exceptions are in (the profile's `consoleDialect`).
  public var consoleDialect: ConsoleDialect
  /// The API the script used.
  public var api: ScriptAPI
  /// The page's URL.
  public var pageURL: URLRecord
  /// The page's serialized origin.
  public var pageOrigin: String
  /// Readable, opaque, network error or invalid.
  public var outcome: Outcome
  /// The stage that decided a failure (nil on success).
  public var stage: Stage?
  /// The reason code of a failure (nil on success).
  public var reason: Reason?
  /// The response type script sees (nil when it sees none).
  public var responseType: ResponseType?
  /// The status script sees (nil when it sees no response).
  public var status: Int?
  /// The response header names script can read, lower-case and sorted (nil for failures and opaque responses).
  public var exposedHeaders: [String]?
  /// Every request put on the wire, in order.
  public var requests: [WireRequest]
  /// The steps of the algorithm that ran, each citing its rule.
  public var trace: [TraceStep]
  /// The particulars of a failure.
  public var failure: FailureDetail?
  /// For an element load: the element (its outcome is a `load` or an `error` event; see `elementEvent`).
  public var element: ElementKind? = nil
  /// For an element load that fires `load`: why the element cannot use the resource all the same (Chromium
  /// fires load for a stylesheet that is not text/css, with an empty sheet: `stylesheet-not-css`), else nil.
  /// Set whether or not the trace is recorded.
  public var elementUnusedReason: Reason? = nil

  /// True when the failure is the CORS protocol refusing to share (false for invalid requests, mixed
  /// content, bad ports, `file:` targets and network failures — and for a `file:` page, whose `null` origin
  /// is the real problem).
  public var isCORSProblem: Bool {
    guard let reason, outcome == .networkError else { return false }
    if pageURL.scheme == "file" && reason.isCORSCheckFailure { return false }
    return reason.isCORS
  }

  /// The change-type decisions that fired along the way (header dropped, cache hit, origin tainted…).
  public var notes: [Reason] {
    var seen = Set<Reason>()
    var out: [Reason] = []
    for step in trace {
      if case .decision(let r) = step.event, !r.isFailure, seen.insert(r).inserted { out.append(r) }
    }
    return out
  }
}
