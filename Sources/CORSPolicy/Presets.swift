import CORSSimulator

/// Policies built from the options of the middlewares people deploy, with those middlewares' defaults —
/// insecure ones included — so that a configuration can be pasted as it is.
///
/// Each preset follows the middleware's source, read for this purpose:
/// - rs/cors v1.11.1 (`cors.go`: `New`, `handlePreflight`, `handleActualRequest`, `utils.go` wildcard);
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

  /// The middleware whose semantics the preset's policies follow.
  public var middleware: Middleware {
    switch self {
    case .rsCors: return .rsCors
    case .expressCors: return .expressCors
    case .flaskCors: return .flaskCors
    case .vapor: return .vapor
    case .hummingbird: return .hummingbird
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
    }
  }

  /// The policy the middleware applies with these options (names and values as in the middleware's own
  /// configuration; an empty dictionary gives its defaults).
  public func policy(options: PolicyValue) throws(PolicyFileError) -> CORSPolicy {
    var p = CORSPolicy(middleware: middleware)
    try options.checkKeys(optionNames, context: rawValue)
    switch self {
    case .rsCors:
      let origins = try options.stringList("AllowedOrigins") ?? []
      if origins.isEmpty || origins.contains("*") {
        p.origins = [.any]
      } else {
        p.origins = origins.map { $0.contains("*") ? .glob($0.lowercased()) : .exact($0.lowercased(), ignoringCase: true) }
      }
      p.anyOrigin = .wildcard
      p.methods = .list(try options.stringList("AllowedMethods")?.map { $0.uppercased() } ?? ["GET", "POST", "HEAD"])
      let headers = try options.stringList("AllowedHeaders") ?? ["accept", "content-type", "x-requested-with"]
      p.requestHeaders = headers.contains("*") ? .wildcard : .list(headers.map { $0.lowercased() } + ["origin"])
      p.exposedHeaders = try options.stringList("ExposedHeaders") ?? []
      p.credentials = try options.bool("AllowCredentials") ?? false
      p.maxAge = try options.int("MaxAge")
      p.privateNetwork = try options.bool("AllowPrivateNetwork") ?? false
      p.preflightStatus = try options.int("OptionsSuccessStatus") ?? 204
      p.vary = .always

    case .expressCors:
      switch options["origin"] {
      case nil: p.origins = [.any]; p.anyOrigin = .wildcard
      case .bool(true)?: p.origins = [.any]; p.anyOrigin = .reflect
      case .bool(false)?: p.origins = []
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
