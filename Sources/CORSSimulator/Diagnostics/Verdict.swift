/// A request as it went on the wire.
public struct WireRequest: Sendable, Hashable, Codable {
  /// The method.
  public var method: Method
  /// The URL (fragment removed).
  public var url: URLRecord
  /// The header lines the decision depends on: the author headers (and the body's `Content-Type`), then
  /// `Access-Control-Request-Method`, `Access-Control-Request-Headers` and `Origin`. UA headers such as
  /// `User-Agent`, `Accept` or `Sec-Fetch-*` are left out.
  public var headers: HeaderList
  /// True for a CORS preflight (`OPTIONS`).
  public var isPreflight: Bool
  /// Whether cookies and HTTP authentication were attached. fetch.bs #concept-http-network-or-cache-fetch step 8.3
  public var includesCredentials: Bool
  /// The status the server answered with (nil when no answer: a failed connection).
  public var responseStatus: Int?

  /// Creates a record of a request.
  public init(method: Method, url: URLRecord, headers: HeaderList, isPreflight: Bool, includesCredentials: Bool,
              responseStatus: Int?) {
    self.method = method
    self.url = url
    self.headers = headers
    self.isPreflight = isPreflight
    self.includesCredentials = includesCredentials
    self.responseStatus = responseStatus
  }

  /// The value of the first header line with this name (case-insensitive).
  public func value(of name: HeaderName) -> String? {
    headers.first { $0.name.matches(name) }?.value
  }
}

/// What made the decision go wrong, for messages and fixes.
public struct FailureDetail: Sendable, Hashable, Codable {
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
  /// For `integrity-mismatch`: what the engines compute from the body and print.
  public var integrity: IntegrityCheck? = nil

  /// What an integrity check computed from a response's body (the consoles print it). A class, so that a failure
  /// of any other kind carries one reference, not the record: a verdict is copied whole on its way out (the record
  /// inline cost a simple GET about 85 instructions).
  public final class IntegrityCheck: Sendable, Hashable, Codable {
    /// The strongest algorithm the metadata names (`sha256`, `sha384` or `sha512`); empty when it names none.
    public let algorithm: String
    /// The body's digest under that algorithm, base64; empty when the metadata names no algorithm.
    public let digest: String
    /// The body's length in bytes (0: no body).
    public let bodyLength: Int
    /// The length the response declared: its one `Content-Length` value, else 0.
    public let declaredLength: Int
    /// Whether the response was eligible for integrity validation: CORS or same-origin, not opaque (SRI
    /// #is-response-eligible). Chromium and Firefox name an ineligible one as such instead of its digest.
    public let eligible: Bool

    init(algorithm: String, digest: String, bodyLength: Int, declaredLength: Int, eligible: Bool) {
      self.algorithm = algorithm
      self.digest = digest
      self.bodyLength = bodyLength
      self.declaredLength = declaredLength
      self.eligible = eligible
    }

    public static func == (a: IntegrityCheck, b: IntegrityCheck) -> Bool {
      (a.algorithm, a.digest, a.bodyLength, a.declaredLength, a.eligible)
        == (b.algorithm, b.digest, b.bodyLength, b.declaredLength, b.eligible)
    }

    public func hash(into hasher: inout Hasher) {
      hasher.combine(algorithm)
      hasher.combine(digest)
      hasher.combine(bodyLength)
      hasher.combine(declaredLength)
      hasher.combine(eligible)
    }
  }

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

/// A failed fetch: where it failed, the reason code, and the particulars for messages and fixes.
public struct FetchFailure: Sendable, Hashable, Codable {
  /// The part of the algorithm that decided.
  public var stage: Stage
  /// The reason code.
  public var reason: FailureReason
  /// What was at fault (URLs, origins, the header and value, the layers that set it).
  public var detail: FailureDetail

  /// Creates a failure.
  public init(stage: Stage, reason: FailureReason, detail: FailureDetail) {
    self.stage = stage
    self.reason = reason
    self.detail = detail
  }
}

/// What a script can read of a response it is allowed to read (type `basic` or `cors`).
public struct ReadableResponse: Sendable, Hashable, Codable {
  /// `basic` or `cors`.
  public var type: ResponseType
  /// The status.
  public var status: Int
  /// The response header names script can read, lower-case and sorted.
  public var exposedHeaders: [String]

  /// Creates a readable response.
  public init(type: ResponseType, status: Int, exposedHeaders: [String]) {
    self.type = type
    self.status = status
    self.exposedHeaders = exposedHeaders
  }
}

/// The answer for one request: what the script observes, what went on the wire, and why.
public struct Verdict: Sendable, Hashable, Codable {
  /// What the script observes: a response it can read, an opaque one, a network error or an exception.
  /// A readable or opaque result carries no failure, and a failure carries no response.
  public enum Result: Sendable, Hashable {
    /// Script can read the response.
    case readable(ReadableResponse)
    /// Script gets a response it cannot read: `opaque` or `opaqueredirect` (status 0, no headers, no body).
    case opaque(ResponseType)
    /// The fetch failed: the promise rejects, XHR reports status 0, an element fires `error`.
    indirect case networkError(FetchFailure)
    /// The API threw before any network activity (stage `request`).
    indirect case invalid(FetchFailure)

    /// Readable, opaque, network error or invalid.
    public var outcome: Outcome {
      switch self {
      case .readable: return .readable
      case .opaque: return .opaque
      case .networkError: return .networkError
      case .invalid: return .invalid
      }
    }
  }

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
  /// What the script observes.
  public var result: Result
  /// Every request put on the wire, in order.
  public var requests: [WireRequest]
  /// The steps of the algorithm that ran, each citing its rule.
  public var trace: [TraceStep]
  /// For an element load: the element (its outcome is a `load` or an `error` event; see `elementEvent`).
  public var element: ElementKind? = nil
  /// For an element load that fires `load`: why the element cannot use the resource all the same (Chromium
  /// fires load for a stylesheet that is not text/css, with an empty sheet: `stylesheet-not-css`), else nil.
  /// Set whether or not the trace is recorded.
  public var elementUnusedReason: FailureReason? = nil
  /// The steps the console's warnings come from (a mixed-content upgrade, a forbidden header dropped…), kept
  /// whether or not `trace` is.
  public var consoleSteps: [TraceStep] = []
  /// Whether the final response had no `Content-Type` and an empty body (Firefox's XHR then logs "XML Parsing
  /// Error: no root element found").
  public var finalResponseUntypedAndEmpty = false
  /// The request's mode and redirect mode (nil when no request was constructed): some console lines depend on
  /// them (Firefox logs nothing of its own for a failed no-cors load, nor its closing line after a redirect that
  /// was not to be followed).
  public var requestMode: RequestMode? = nil
  public var redirectMode: RedirectMode? = nil
  /// Whether a preloaded response (`<link rel=preload>`) answered the request: nothing went on the wire for it,
  /// and its failure, if any, is the preload's (the engines print no line of their own for it, or another one).
  public var answeredByPreload = false
  /// For a preload link: whether it fires `load` (see `preloadEvent`).
  public var preloadFiresLoad = false

  /// Readable, opaque, network error or invalid.
  public var outcome: Outcome { result.outcome }

  /// The failure, for a network error or an invalid request (nil otherwise).
  /// (A copy, every string of its detail retained: a reader of one field reads it from `result`, as `stage` does.)
  public var failure: FetchFailure? {
    switch result {
    case .readable, .opaque: return nil
    case .networkError(let f), .invalid(let f): return f
    }
  }

  /// The stage that decided a failure (nil on success). (Read from the result: through `failure`, the whole
  /// failure was copied for it.)
  public var stage: Stage? {
    switch result {
    case .readable, .opaque: return nil
    case .networkError(let f), .invalid(let f): return f.stage
    }
  }
  /// The reason code of a failure (nil on success).
  public var reason: FailureReason? {
    switch result {
    case .readable, .opaque: return nil
    case .networkError(let f), .invalid(let f): return f.reason
    }
  }

  /// The response type script sees (nil when it sees none).
  public var responseType: ResponseType? {
    switch result {
    case .readable(let r): return r.type
    case .opaque(let type): return type
    case .networkError, .invalid: return nil
    }
  }

  /// The status script sees: 0 for an opaque response, nil when it sees no response.
  public var status: Int? {
    switch result {
    case .readable(let r): return r.status
    case .opaque: return 0
    case .networkError, .invalid: return nil
    }
  }

  /// The response header names script can read, lower-case and sorted (nil for failures and opaque responses).
  public var exposedHeaders: [String]? {
    if case .readable(let r) = result { return r.exposedHeaders }
    return nil
  }

  /// True when the failure is the CORS protocol refusing to share (false for invalid requests, mixed
  /// content, bad ports, `file:` targets and network failures — and for a `file:` page, whose `null` origin
  /// is the real problem).
  public var isCORSProblem: Bool {
    guard case .networkError(let failure) = result else { return false }
    if pageURL.scheme == "file" && failure.reason.isCORSCheckFailure { return false }
    return failure.reason.isCORS
  }

  /// The notes that fired along the way (header dropped, cache hit, origin tainted…), each once, in order.
  public var notes: [TraceNote] {
    var out: [TraceNote] = []
    // (The steps read in place, by index: a `for` over them copies each one. The notes already listed are looked
    // through rather than hashed: there are at most as many as TraceNote has cases, so this stays linear in the
    // steps, and a handful is far cheaper to look through than to hash.)
    for i in trace.indices {
      if case .note(let n) = trace[i].event, !out.contains(n) { out.append(n) }
    }
    return out
  }
}

extension Verdict {
  /// Creates a verdict (in the words of `consoleDialect`, by default the engine's built-in profile's).
  // (In an extension, so that the struct keeps its synthesized memberwise initializer, which the simulator uses:
  // it builds the verdict in place, where an initializer that assigns the fields one by one built it in memory and
  // copied it out, every field retained and released once more.)
  public init(engine: Engine, consoleDialect: ConsoleDialect? = nil, api: ScriptAPI, pageURL: URLRecord,
              pageOrigin: String, result: Result, requests: [WireRequest] = [], trace: [TraceStep] = [],
              element: ElementKind? = nil, elementUnusedReason: FailureReason? = nil) {
    self.init(engine: engine, consoleDialect: consoleDialect ?? BrowserProfile.forEngine(engine).consoleDialect,
              api: api, pageURL: pageURL, pageOrigin: pageOrigin, result: result, requests: requests, trace: trace,
              element: element, elementUnusedReason: elementUnusedReason, consoleSteps: [])
  }
}

extension ConsoleDialect: Codable {}

extension Verdict.Result: Codable {
  enum CodingKeys: String, CodingKey {
    case outcome, responseType, status, exposedHeaders, stage, reason, detail
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let outcome = try c.decode(Outcome.self, forKey: .outcome)
    switch outcome {
    case .readable:
      self = .readable(ReadableResponse(type: try c.decode(ResponseType.self, forKey: .responseType),
                                        status: try c.decode(Int.self, forKey: .status),
                                        exposedHeaders: try c.decode([String].self, forKey: .exposedHeaders)))
    case .opaque:
      self = .opaque(try c.decode(ResponseType.self, forKey: .responseType))
    case .networkError, .invalid:
      let failure = FetchFailure(stage: try c.decode(Stage.self, forKey: .stage),
                                 reason: try c.decode(FailureReason.self, forKey: .reason),
                                 detail: try c.decode(FailureDetail.self, forKey: .detail))
      self = outcome == .invalid ? .invalid(failure) : .networkError(failure)
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .readable(let r):
      try c.encode(Outcome.readable, forKey: .outcome)
      try c.encode(r.type, forKey: .responseType)
      try c.encode(r.status, forKey: .status)
      try c.encode(r.exposedHeaders, forKey: .exposedHeaders)
    case .opaque(let type):
      try c.encode(Outcome.opaque, forKey: .outcome)
      try c.encode(type, forKey: .responseType)
    case .networkError(let f), .invalid(let f):
      try c.encode(self.outcome, forKey: .outcome)
      try c.encode(f.stage, forKey: .stage)
      try c.encode(f.reason, forKey: .reason)
      try c.encode(f.detail, forKey: .detail)
    }
  }
}

/// Values of `FailureDetail.parameter` that tell apart two cases of one failure reason.
public enum FailureParameter {
  /// redirect-location-invalid: the redirect had more than one `Location` line.
  public static let multipleLocations = "Location (more than one line)"
  /// corp-blocked: the response had no valid policy and the page's embedder policy supplied `same-origin`.
  public static let corpDefaultedByEmbedderPolicy = "Cross-Origin-Embedder-Policy"
  /// redirect-with-credentials: only the engine refuses it (Chromium refuses any redirect to a URL with
  /// credentials); the standard's rule, a CORS request leaving its origin or a CORS-tainted response, does not apply.
  public static let engineOnlyRedirectWithCredentials = "engine only"
}
