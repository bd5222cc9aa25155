import CORSSimulator

/// Policies built from the options of the middlewares people deploy, with those middlewares' defaults —
/// insecure ones included — so that a configuration can be pasted as it is.
///
/// Each preset follows the middleware's source, read for this purpose:
/// - rs/cors v1.7.0 to v1.11.1 (`cors.go`: `New`, `handlePreflight`, `handleActualRequest`, `utils.go` wildcard;
///   `version:` chooses the release, see `RsCorsVersion`);
/// - expressjs/cors v2.8.6 (`lib/index.js`: `configureOrigin`, `configureAllowedHeaders`, `cors`);
/// - flask-cors 6.0.2 (`core.py`: `DEFAULT_OPTIONS`, `get_cors_origins`, `get_cors_headers`, `try_match_pattern`);
/// - Vapor 4.122.3 (`Sources/Vapor/Middleware/CORSMiddleware.swift`);
/// - Hummingbird 2.28.1 (`Sources/Hummingbird/Middleware/CORSMiddleware.swift`).
public enum Preset: String, Sendable, Hashable, CaseIterable {
  case rsCors = "rs-cors"
  case expressCors = "express-cors"
  case flaskCors = "flask-cors"
  case vapor
  case hummingbird
  case awsS3 = "aws-s3"
  case gcs
  case djangoCorsHeaders = "django-cors-headers"
  case starlette
  case spring
  case aspnetCore = "aspnetcore"
  /// nginx `add_header` blocks in front of an application without CORS (`config:` holds the block).
  case nginx

  /// The middleware whose semantics the preset's policies follow.
  public var middleware: Middleware {
    switch self {
    case .rsCors: return .rsCors
    case .expressCors: return .expressCors
    case .flaskCors: return .flaskCors
    case .vapor: return .vapor
    case .hummingbird: return .hummingbird
    case .awsS3: return .awsS3
    case .gcs: return .gcs
    case .djangoCorsHeaders: return .djangoCorsHeaders
    case .starlette: return .starlette
    case .spring: return .spring
    case .aspnetCore: return .aspnetCore
    case .nginx: return .none
    }
  }

  /// The option names the preset reads, for messages.
  public var optionNames: [String] {
    switch self {
    case .rsCors: return ["AllowedOrigins", "AllowedMethods", "AllowedHeaders", "ExposedHeaders", "AllowCredentials",
                          "MaxAge", "AllowPrivateNetwork", "OptionsSuccessStatus"]
    case .expressCors: return ["origin", "methods", "allowedHeaders", "headers", "exposedHeaders", "credentials", "maxAge",
                               "optionsSuccessStatus"]
    case .flaskCors: return ["origins", "methods", "allow_headers", "expose_headers", "supports_credentials", "max_age",
                             "send_wildcard", "vary_header", "allow_private_network"]
    case .vapor: return ["allowedOrigin", "allowedMethods", "allowedHeaders", "allowCredentials", "cacheExpiration",
                         "exposedHeaders"]
    case .hummingbird: return ["allowOrigin", "allowHeaders", "allowMethods", "allowCredentials", "exposedHeaders", "maxAge"]
    case .awsS3, .gcs, .djangoCorsHeaders, .starlette, .spring, .aspnetCore, .nginx: return moreOptionNames
    }
  }

  /// The policy the middleware applies with these options (names and values as in the middleware's own
  /// configuration; an empty dictionary gives its defaults).
  public func policy(options: PolicyValue) throws(PolicyFileError) -> CORSPolicy {
    try policy(options: options, version: nil)
  }

  /// The policy the middleware applies with these options, as the given release of the middleware behaves
  /// (`version:` in a policy file; nil: the release the preset names). Only rs/cors has several.
  public func policy(options: PolicyValue, version: String?) throws(PolicyFileError) -> CORSPolicy {
    if version != nil && self != .rsCors {
      throw PolicyFileError("version: the \(rawValue) preset models one release (\(modelledRelease)); `version:` chooses among rs/cors releases only")
    }
    var p = CORSPolicy(middleware: middleware)
    try refuseFunctions(options)
    if let more = try morePolicy(options: options) { return more }
    try options.checkKeys(optionNames, context: rawValue)
    switch self {
    case .rsCors:
      let v = try version.map { (t: String) throws(PolicyFileError) in try RsCorsVersion(t) } ?? .latest
      p.middlewareVersion = v.description
      if v < RsCorsVersion(8, 1), options["OptionsSuccessStatus"] != nil {
        throw PolicyFileError("OptionsSuccessStatus: rs/cors \(v) has no such option (it appeared in 1.8.1)")
      }
      if v < RsCorsVersion(8, 3), options["AllowPrivateNetwork"] != nil {
        throw PolicyFileError("AllowPrivateNetwork: rs/cors \(v) has no such option (it appeared in 1.8.3)")
      }
      let origins = try options.stringList("AllowedOrigins") ?? []
      if origins.isEmpty || origins.contains("*") {
        p.origins = [.any]
      } else {
        p.origins = origins.map { $0.contains("*") ? .glob($0.lowercased()) : .exact($0.lowercased(), ignoringCase: true) }
      }
      p.anyOrigin = .wildcard
      // Before 1.10 the methods are upper-cased (New: convert(options.AllowedMethods, strings.ToUpper)).
      let configuredMethods = try options.stringList("AllowedMethods")
      p.methods = .list(configuredMethods.map { v < RsCorsVersion(10, 0) ? $0.map { $0.uppercased() } : $0 } ?? ["GET", "POST", "HEAD"])
      let configuredHeaders = try options.stringList("AllowedHeaders")
      if configuredHeaders?.contains("*") == true {
        p.requestHeaders = .wildcard
      } else if v >= RsCorsVersion(11, 0) {
        p.requestHeaders = .list((configuredHeaders ?? ["accept", "content-type", "x-requested-with"]).map { $0.lowercased() })
      } else if v >= RsCorsVersion(10, 0) {
        p.requestHeaders = .list(configuredHeaders ?? ["Accept", "Content-Type", "X-Requested-With"])
      } else {
        // "Origin is always appended as some browsers will always request for this header at preflight".
        p.requestHeaders = .list(configuredHeaders.map { $0 + ["Origin"] } ?? ["Origin", "Accept", "Content-Type", "X-Requested-With"])
      }
      p.exposedHeaders = try options.stringList("ExposedHeaders") ?? []
      p.credentials = try options.bool("AllowCredentials") ?? false
      p.maxAge = try options.int("MaxAge")
      p.privateNetwork = try options.bool("AllowPrivateNetwork") ?? false
      p.preflightStatus = try options.int("OptionsSuccessStatus") ?? (v < RsCorsVersion(8, 0) ? 200 : 204)
      p.vary = .always

    case .expressCors:
      switch options["origin"] {
      case nil: p.origins = [.any]; p.anyOrigin = .wildcard
      case .bool(true)?: p.origins = [.any]; p.anyOrigin = .reflect
      // `origin: false` turns the middleware off (lib/index.js: no origin callback, `next()`): no CORS
      // header on any answer, and express answers OPTIONS itself.
      case .bool(false)?: p.origins = []; p.middleware = .none
      case .string(let s)?:
        if s == "*" { p.origins = [.any]; p.anyOrigin = .wildcard } else if let r = Preset.jsRegex(s) { p.origins = [r] } else { p.fixedAllowOrigin = s }
      case .some:
        p.origins = (try options.stringList("origin") ?? []).map { Preset.jsRegex($0) ?? .exact($0) }
      }
      p.methods = .list(try options.commaList("methods") ?? ["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"])
      if let h = try options.commaList("allowedHeaders") {
        p.requestHeaders = .list(h)
      } else if let h = try options.commaList("headers") {
        p.requestHeaders = .list(h)
      } else {
        p.requestHeaders = .reflect
      }
      p.exposedHeaders = try options.commaList("exposedHeaders") ?? []
      p.credentials = try options.bool("credentials") ?? false
      p.maxAge = try options.int("maxAge")
      p.preflightStatus = try options.int("optionsSuccessStatus") ?? 204

    case .flaskCors:
      let origins = try options.stringList("origins") ?? ["*"]
      p.origins = origins.map { o in
        if o == "*" || o == ".*" { return .any }
        return Preset.probablyRegex(o) ? .regex(o, match: .prefix, ignoringCase: true) : .exact(o, ignoringCase: true)
      }
      p.anyOrigin = (try options.bool("send_wildcard") ?? false) ? .wildcard : .reflect
      p.methods = .list(try options.commaList("methods")?.map { $0.uppercased() } ?? ["GET", "HEAD", "POST", "OPTIONS", "PUT", "PATCH", "DELETE"])
      let headers = try options.commaList("allow_headers") ?? ["*"]
      p.requestHeaders = headers.contains("*") ? .reflect : .list(headers)
      p.exposedHeaders = try options.commaList("expose_headers") ?? []
      p.credentials = try options.bool("supports_credentials") ?? false
      p.maxAge = try options.int("max_age")
      p.vary = (try options.bool("vary_header") ?? true) ? .auto : .never
      p.privateNetwork = try options.bool("allow_private_network") ?? false
      p.preflightStatus = 200
      if origins.contains("*") && p.credentials && p.anyOrigin == .wildcard {
        throw PolicyFileError("flask-cors refuses supports_credentials with origins '*' and send_wildcard (ValueError)")
      }

    case .vapor:
      try Preset.swiftOrigin(options, key: "allowedOrigin", listKey: "any", into: &p)
      p.methods = .list(try options.stringList("allowedMethods") ?? ["GET", "POST", "PUT", "OPTIONS", "DELETE", "PATCH"])
      p.requestHeaders = .list(try options.stringList("allowedHeaders") ?? ["Accept", "Authorization", "Content-Type", "Origin", "X-Requested-With"])
      p.credentials = try options.bool("allowCredentials") ?? false
      p.maxAge = options["cacheExpiration"] == .null ? nil : try options.int("cacheExpiration") ?? 600
      p.exposedHeaders = try options.stringList("exposedHeaders") ?? []
      p.preflightStatus = 200

    case .hummingbird:
      try Preset.swiftOrigin(options, key: "allowOrigin", listKey: "oneOf", into: &p)
      p.requestHeaders = .list(try options.stringList("allowHeaders")?.map { $0.lowercased() } ?? ["accept", "authorization", "content-type", "origin"])
      p.methods = .list(try options.stringList("allowMethods") ?? ["GET", "POST", "HEAD", "OPTIONS"])
      p.credentials = try options.bool("allowCredentials") ?? false
      p.exposedHeaders = try options.stringList("exposedHeaders") ?? []
      p.maxAge = try options.int("maxAge")
    case .awsS3, .gcs, .djangoCorsHeaders, .starlette, .spring, .aspnetCore, .nginx:
      break  // morePolicy answered
    }
    return p
  }

  /// Vapor's `AllowOriginSetting` and Hummingbird's `AllowOriginExtended`: `originBased` (the default),
  /// `all`, `none`, a list (`any:` / `oneOf:`) or `custom:`.
  static func swiftOrigin(_ options: PolicyValue, key: String, listKey: String, into p: inout CORSPolicy) throws(PolicyFileError) {
    switch options[key] {
    case nil, .string("originBased")?: p.origins = [.any]; p.anyOrigin = .reflect
    case .string("all")?: p.origins = [.any]; p.anyOrigin = .wildcard
    case .string("none")?: p.origins = []
    case .object(let members)? where members.count == 1 && members[0].0 == listKey:
      do { p.origins = try members[0].1.stringList().map { .exact($0) } } catch { throw error.inside(listKey).inside(key) }
    case .object(let members)? where members.count == 1 && members[0].0 == "custom":
      do { p.fixedAllowOrigin = try members[0].1.string() } catch { throw error.inside("custom").inside(key) }
    default:
      throw PolicyFileError(path: key, "expected originBased, all, none, {\(listKey): [...]} or {custom: \"...\"}")
    }
  }

  /// A JavaScript regular expression literal written as a string: `/\.example\.com$/` or `/…/i`.
  static func jsRegex(_ s: String) -> OriginRule? {
    guard s.hasPrefix("/"), s.count >= 2, let close = s.lastIndex(of: "/"), close != s.startIndex else { return nil }
    let body = String(s[s.index(after: s.startIndex)..<close])
    let flags = s[s.index(after: close)...]
    return .regex(body, match: .search, ignoringCase: flags.contains("i"))
  }

  /// flask-cors `probably_regex`: any of `*\]?$^[]()` makes a string a regular expression.
  static func probablyRegex(_ s: String) -> Bool { s.contains { "*\\]?$^[()".contains($0) } }
}
