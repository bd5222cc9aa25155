import CORSSimulator

/// A server's CORS policy, declared: which origins may read, with which methods and headers, with or without
/// credentials. It answers any request the way a middleware in front of the application would
/// (`answer(_:)`), so the simulator can be run against it and the audit can search it for misconfigurations.
///
/// `middleware` says whose semantics the answers follow: corsim's own strict reading, or one of the
/// middlewares people deploy (rs/cors, expressjs/cors, flask-cors, Vapor, Hummingbird), down to their
/// insecure defaults. `Preset` builds such a policy from a middleware's own option names.
///
/// ```swift
/// let policy = CORSPolicy(origins: [.exact("https://app.example.com"), .subdomains(of: "https://example.com")],
///                         methods: .list(["GET", "PUT"]), requestHeaders: .list(["Content-Type"]),
///                         credentials: true, maxAge: 600)
/// let server = Server(responder: policy.responder())
/// ```
public struct CORSPolicy: Sendable, Hashable {
  /// The origins allowed, matched in order (empty: none).
  public var origins: [OriginRule] { didSet { originIndexCache = OriginIndexCache() } }
  /// The rules indexed for lookup, built when first needed.
  var originIndexCache = OriginIndexCache()
  /// What `Access-Control-Allow-Origin` says when an `.any` rule matched.
  public var anyOrigin: AnyOriginAnswer
  /// A value sent as `Access-Control-Allow-Origin` whatever the request's origin (express `origin: 'https://…'`,
  /// Vapor and Hummingbird `.custom`); `origins` is then ignored.
  public var fixedAllowOrigin: String?
  /// The methods allowed (`Access-Control-Allow-Methods`).
  public var methods: ListRule
  /// The request headers allowed (`Access-Control-Allow-Headers`).
  public var requestHeaders: ListRule
  /// The response headers exposed to script (`Access-Control-Expose-Headers`).
  public var exposedHeaders: [String]
  /// Whether `Access-Control-Allow-Credentials: true` is sent.
  public var credentials: Bool
  /// `Access-Control-Max-Age` on preflight answers (nil: not sent).
  public var maxAge: Int?
  /// Whether `Access-Control-Allow-Private-Network: true` answers a preflight that asks for it.
  public var privateNetwork: Bool
  /// When `Vary: Origin` is sent.
  public var vary: VaryRule
  /// The status of a preflight answer.
  public var preflightStatus: Int
  /// Whose semantics the answers follow.
  public var middleware: Middleware
  /// What the application answers to the actual request (status, header lines, body).
  public var application: ApplicationResponse
  /// The rules of a rule-list configuration (AWS S3, Google Cloud Storage), in order: the first that allows
  /// the request answers it. Empty for the other middlewares.
  public var rules: [CORSPolicy] = []
  /// The middleware version whose behaviour is modelled, when the preset models several (rs/cors `1.7.0`…
  /// `1.11.1`); nil: the preset's default.
  public var middlewareVersion: String? = nil
  /// Only requests whose path this regular expression matches at its start get CORS headers
  /// (django-cors-headers `CORS_URLS_REGEX`); nil: every path.
  public var pathPattern: String? = nil
  /// Origins allowed by subdomain wildcard in an exact list (ASP.NET Core
  /// `SetIsOriginAllowedToAllowWildcardSubdomains`), or a custom origin check that makes answers vary.
  public var variesByCustomCheck = false

  /// Creates a policy; the defaults allow nothing.
  public init(origins: [OriginRule] = [], anyOrigin: AnyOriginAnswer = .wildcard,
              fixedAllowOrigin: String? = nil, methods: ListRule = .list(["GET", "HEAD", "POST"]),
              requestHeaders: ListRule = .list([]), exposedHeaders: [String] = [], credentials: Bool = false,
              maxAge: Int? = nil, privateNetwork: Bool = false, vary: VaryRule = .auto, preflightStatus: Int = 204,
              middleware: Middleware = .corsim, application: ApplicationResponse = ApplicationResponse()) {
    self.origins = origins
    self.anyOrigin = anyOrigin
    self.fixedAllowOrigin = fixedAllowOrigin
    self.methods = methods
    self.requestHeaders = requestHeaders
    self.exposedHeaders = exposedHeaders
    self.credentials = credentials
    self.maxAge = maxAge
    self.privateNetwork = privateNetwork
    self.vary = vary
    self.preflightStatus = preflightStatus
    self.middleware = middleware
    self.application = application
  }
}

/// One entry of an origin allowlist.
public enum OriginRule: Sendable, Hashable, CustomStringConvertible {
  /// Any origin (`*`): answered as `anyOrigin` says.
  case any
  /// One origin, compared with the `Origin` header byte for byte (or ignoring ASCII case, as some
  /// middlewares do, when `ignoringCase`).
  case exact(String, ignoringCase: Bool = false)
  /// Every subdomain of an origin's host, at any depth, with its scheme and port: `https://*.example.com`.
  /// Label boundaries are respected (`evilexample.com` does not match); the bare host does not match.
  case subdomains(of: String)
  /// A glob with one `*` that stands for any characters (rs/cors): `https://*.example.com` also matches
  /// `https://evil.com/.example.com`-like strings, `h*` matches nearly everything.
  case glob(String)
  /// A regular expression, matched as the middleware matches it.
  case regex(String, match: RegexMatch = .whole, ignoringCase: Bool = false)
  /// The literal `null` origin.
  case null

  /// The entry as written in a policy file.
  public var description: String {
    switch self {
    case .any: return "*"
    case .exact(let o, _): return o
    case .subdomains(let o): return OriginRule.subdomainPattern(o)
    case .glob(let g): return g
    case .regex(let r, let m, _): return "/\(r)/ (\(m.rawValue))"
    case .null: return "null"
    }
  }

  static func subdomainPattern(_ origin: String) -> String {
    guard let r = origin.range(of: "://") else { return "*." + origin }
    return String(origin[..<r.upperBound]) + "*." + origin[r.upperBound...]
  }
}

/// How a regular expression is matched against the `Origin` header.
public enum RegexMatch: String, Sendable, Hashable, CaseIterable {
  /// The whole value must match (Python `re.fullmatch`, an anchored expression).
  case whole
  /// A match at the start is enough (Python `re.match`, flask-cors): the end is not anchored.
  case prefix
  /// A match anywhere is enough (JavaScript `RegExp.test`, expressjs/cors).
  case search
}

/// What `Access-Control-Allow-Origin` says when a policy allows any origin.
public enum AnyOriginAnswer: String, Sendable, Hashable, CaseIterable {
  /// `*` (which browsers refuse for credentialed requests).
  case wildcard
  /// The request's `Origin`, echoed: any origin, credentials included.
  case reflect
}

/// Methods or request headers allowed.
public enum ListRule: Sendable, Hashable {
  /// Exactly these (sent as a comma-separated list).
  case list([String])
  /// Whatever the preflight asks for, echoed back.
  case reflect
  /// `*` (covers every method or header for requests without credentials).
  case wildcard

  /// Whether a name is allowed (case-insensitive for header names, exact for methods when `caseSensitive`).
  func allows(_ name: String, caseSensitive: Bool) -> Bool {
    switch self {
    case .reflect, .wildcard: return true
    case .list(let names):
      return names.contains { caseSensitive ? $0 == name : $0.lowercased() == name.lowercased() }
    }
  }

  /// The names of `requested` the rule allows, in their order. The list is looked up in a set, built once: a
  /// policy and a preflight may each name thousands of headers, and asking `allows` for each would take their
  /// product.
  func allowed(_ requested: [String], caseSensitive: Bool) -> [String] {
    switch self {
    case .reflect, .wildcard: return requested
    case .list(let names):
      let key: (String) -> String = { caseSensitive ? $0 : $0.lowercased() }
      let set = Set(names.lazy.map(key))
      return requested.filter { set.contains(key($0)) }
    }
  }

  /// Whether the rule allows every name of `requested`.
  func allowsAll(_ requested: [String], caseSensitive: Bool) -> Bool {
    allowed(requested, caseSensitive: caseSensitive).count == requested.count
  }
}

/// When a policy sends `Vary: Origin`.
public enum VaryRule: String, Sendable, Hashable, CaseIterable {
  /// Whenever the answer depends on the `Origin` header (every answer but a fixed `*`).
  case auto
  /// On every answer.
  case always
  /// Never.
  case never
}

/// The middleware whose semantics a policy follows.
public enum Middleware: String, Sendable, Hashable, CaseIterable {
  /// corsim's strict reading of the standard: preflights are `OPTIONS` with `Origin` and
  /// `Access-Control-Request-Method`; refused preflights get no CORS headers; methods and headers are
  /// checked on the preflight.
  case corsim
  /// github.com/rs/cors (Go) v1.11.
  case rsCors = "rs-cors"
  /// expressjs/cors (Node.js) v2.8.
  case expressCors = "express-cors"
  /// flask-cors (Python) v6.0.
  case flaskCors = "flask-cors"
  /// Vapor's `CORSMiddleware` v4.
  case vapor
  /// Hummingbird's `CORSMiddleware` v2.
  case hummingbird
  /// Amazon S3 bucket CORS: rules matched in order.
  case awsS3 = "aws-s3"
  /// Google Cloud Storage bucket CORS: rules matched in order.
  case gcs
  /// django-cors-headers (Python) v4.
  case djangoCorsHeaders = "django-cors-headers"
  /// Starlette's `CORSMiddleware` (FastAPI's) v1.
  case starlette
  /// Spring Framework's `DefaultCorsProcessor` with a `CorsConfiguration` v6.
  case spring
  /// ASP.NET Core's `CorsMiddleware` and `CorsService` (.NET 8).
  case aspnetCore = "aspnetcore"
  /// No CORS middleware: the application answers every request itself, `OPTIONS` included (what a proxy
  /// in front of it, such as nginx, adds is all the CORS there is).
  case none
}

/// What the application behind the middleware answers to an actual request.
public struct ApplicationResponse: Sendable, Hashable {
  /// The status.
  public var status: Int
  /// The header lines the application sets itself.
  public var headers: HeaderList
  /// The body.
  public var body: String?

  /// Creates an answer.
  public init(status: Int = 200, headers: HeaderList = ["Content-Type": "application/json"],
              body: String? = "{\"user\":\"alice\",\"token\":\"secret\"}") {
    self.status = status
    self.headers = headers
    self.body = body
  }
}
