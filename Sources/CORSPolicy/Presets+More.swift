import CORSJSON
import CORSSimulator

/// The presets added for the configurations behind most CORS tickets, each read from the project's own
/// source or documentation (cited at each reader):
/// - AWS S3 bucket CORS, JSON (`CORSRules`, or the console's bare list) or XML (`config:`);
/// - Google Cloud Storage bucket CORS JSON (`cors`, or gsutil's bare list);
/// - django-cors-headers 4.9 settings (`CORS_*`, or a settings.py excerpt in `config:`);
/// - Starlette / FastAPI `CORSMiddleware` 1.10 (its keyword arguments, or the `add_middleware(…)` call);
/// - Spring Framework 6 `CorsConfiguration` (its property names, as Spring Cloud Gateway's YAML writes them);
/// - ASP.NET Core (.NET 8) CORS policies (the `CorsPolicyBuilder` method names, or the builder chain);
/// - nginx `add_header` blocks (`config:`), a proxy layer (`NginxLayer`).
extension Preset {
  /// The option names of the added presets.
  var moreOptionNames: [String] {
    switch self {
    case .awsS3: return ["CORSRules", "CorsRules"]
    case .gcs: return ["cors"]
    case .djangoCorsHeaders: return Preset.djangoSettings
    case .starlette: return ["allow_origins", "allow_methods", "allow_headers", "allow_credentials", "allow_origin_regex",
                             "allow_private_network", "expose_headers", "max_age"]
    case .spring: return ["allowedOrigins", "allowedOriginPatterns", "allowedMethods", "allowedHeaders", "exposedHeaders",
                          "allowCredentials", "allowPrivateNetwork", "maxAge", "applyPermitDefaultValues"]
    case .aspnetCore: return ["WithOrigins", "AllowAnyOrigin", "WithMethods", "AllowAnyMethod", "WithHeaders", "AllowAnyHeader",
                              "WithExposedHeaders", "AllowCredentials", "DisallowCredentials", "SetPreflightMaxAge",
                              "SetIsOriginAllowedToAllowWildcardSubdomains"]
    case .nginx: return []
    case .rsCors, .expressCors, .flaskCors, .vapor, .hummingbird: return []
    }
  }

  static let djangoSettings = ["CORS_ALLOWED_ORIGINS", "CORS_ORIGIN_WHITELIST", "CORS_ALLOWED_ORIGIN_REGEXES", "CORS_ORIGIN_REGEX_WHITELIST",
                               "CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL", "CORS_ALLOW_CREDENTIALS", "CORS_ALLOW_HEADERS",
                               "CORS_ALLOW_METHODS", "CORS_EXPOSE_HEADERS", "CORS_PREFLIGHT_MAX_AGE", "CORS_URLS_REGEX",
                               "CORS_ALLOW_PRIVATE_NETWORK"]

  /// The release whose behaviour the preset models.
  public var modelledRelease: String {
    switch self {
    case .rsCors: return "rs/cors \(RsCorsVersion.latest) (version: 1.7.0 … 1.11.1)"
    case .expressCors: return "expressjs/cors 2.8.6"
    case .flaskCors: return "flask-cors 6.0.2"
    case .vapor: return "Vapor 4.122.3"
    case .hummingbird: return "Hummingbird 2.28.1"
    case .awsS3: return "Amazon S3 (documentation, 2025)"
    case .gcs: return "Google Cloud Storage (documentation, 2025)"
    case .djangoCorsHeaders: return "django-cors-headers 4.9.0"
    case .starlette: return "Starlette 1.10.0"
    case .spring: return "Spring Framework 6.2"
    case .aspnetCore: return "ASP.NET Core 8"
    case .nginx: return "nginx 1.22 (ngx_http_headers_module, ngx_http_rewrite_module)"
    }
  }

  /// Options that are functions: a configuration file cannot say what a function decides.
  func refuseFunctions(_ options: PolicyValue) throws(PolicyFileError) {
    let functionKeys: [String]
    switch self {
    case .rsCors: functionKeys = ["AllowOriginFunc", "AllowOriginRequestFunc", "AllowOriginVaryRequestFunc"]
    case .aspnetCore: functionKeys = ["SetIsOriginAllowed"]
    case .spring: functionKeys = ["checkOrigin", "corsConfigurationSource"]
    default: functionKeys = []
    }
    for k in functionKeys where options[k] != nil { throw Preset.functionRefused(k) }
    if self == .expressCors, case .string(let s)? = options["origin"], Preset.looksLikeFunction(s) { throw Preset.functionRefused("origin") }
  }

  static func looksLikeFunction(_ s: String) -> Bool {
    s.contains("=>") || s.trimmingPrefix(while: { $0 == " " }).hasPrefix("function") || s.contains("->")
  }

  static func functionRefused(_ name: String) -> PolicyFileError {
    PolicyFileError("\(name) is a function: corsim cannot read what a function decides from a configuration. "
                    + "Audit the running server instead (`corsim audit URL --allow ORIGIN`), or test the middleware in-process "
                    + "with an AsyncResponder (docs/AUDIT.md, \"The real middleware, in-process\").")
  }

  /// The added presets' policies (nil for the first five, which `policy(options:)` reads itself).
  func morePolicy(options: PolicyValue) throws(PolicyFileError) -> CORSPolicy? {
    switch self {
    case .rsCors, .expressCors, .flaskCors, .vapor, .hummingbird: return nil
    case .nginx:
      var p = CORSPolicy(middleware: .none)
      p.methods = .list([])
      return p
    case .awsS3: return try Preset.s3Policy(options)
    case .gcs: return try Preset.gcsPolicy(options)
    case .djangoCorsHeaders: return try Preset.djangoPolicy(options)
    case .starlette: return try Preset.starlettePolicy(options)
    case .spring: return try Preset.springPolicy(options)
    case .aspnetCore: return try Preset.aspnetPolicy(options)
    }
  }

  // MARK: Cloud storage

  /// A rule-list policy: the rules, and their origins together (for the audit's literal allowlist).
  static func ruleList(_ middleware: Middleware, _ rules: [CORSPolicy]) -> CORSPolicy {
    var p = CORSPolicy(middleware: middleware)
    p.rules = rules
    for r in rules { for o in r.origins where !p.origins.contains(o) { p.origins.append(o) } }
    p.credentials = rules.contains { r in middleware == .awsS3 && r.origins.contains { $0 != .any } }
    p.methods = .list(rules.flatMap(\.methods.names).reduce(into: []) { if !$0.contains($1) { $0.append($1) } })
    return p
  }

  static func s3Policy(_ options: PolicyValue) throws(PolicyFileError) -> CORSPolicy {
    let list: [PolicyValue]
    switch options {
    case .array(let items): list = items
    case .object:
      try options.checkKeys(["CORSRules", "CorsRules"], context: "aws-s3")
      guard case .array(let items)? = options["CORSRules"] ?? options["CorsRules"] else {
        throw PolicyFileError("aws-s3: expected CORSRules: [ {AllowedOrigins: […], AllowedMethods: […]} … ]")
      }
      list = items
    default: throw PolicyFileError("aws-s3: expected {CORSRules: […]} or a list of rules")
    }
    guard !list.isEmpty, list.count <= 100 else { throw PolicyFileError("aws-s3: a CORS configuration has 1 to 100 rules (found \(list.count))") }
    var rules: [CORSPolicy] = []
    for (i, item) in list.enumerated() {
      do { rules.append(try s3Rule(item)) } catch { throw PolicyFileError("aws-s3 rule \(i + 1): \(error.message)") }
    }
    return ruleList(.awsS3, rules)
  }

  static func s3Rule(_ v: PolicyValue) throws(PolicyFileError) -> CORSPolicy {
    try v.checkKeys(["AllowedOrigins", "AllowedMethods", "AllowedHeaders", "ExposeHeaders", "ExposedHeaders", "MaxAgeSeconds", "MaxAge",
                     "ID", "Id"], context: "aws-s3 rule")
    let origins = try v["AllowedOrigins"]?.stringList() ?? []
    let methods = try v["AllowedMethods"]?.stringList() ?? []
    guard !origins.isEmpty, !methods.isEmpty else { throw PolicyFileError("AllowedOrigins and AllowedMethods are required") }
    for m in methods where !["GET", "PUT", "POST", "DELETE", "HEAD"].contains(m) {
      throw PolicyFileError("Found unsupported HTTP method in CORS config. Unsupported method is \(m) (S3 accepts GET, PUT, POST, DELETE, HEAD)")
    }
    for o in origins where o.filter({ $0 == "*" }).count > 1 {
      throw PolicyFileError("AllowedOrigin '\(o)' can not have more than one wildcard")
    }
    var r = CORSPolicy(middleware: .awsS3)
    r.origins = origins.map { $0 == "*" ? .any : $0.contains("*") ? .glob($0) : .exact($0) }
    r.methods = .list(methods)
    r.requestHeaders = .list(try v["AllowedHeaders"]?.stringList() ?? [])
    r.exposedHeaders = try (v["ExposeHeaders"] ?? v["ExposedHeaders"])?.stringList() ?? []
    r.maxAge = try (v["MaxAgeSeconds"] ?? v["MaxAge"])?.int()
    return r
  }

  /// The XML form (`<CORSConfiguration><CORSRule><AllowedOrigin>…`), as PutBucketCors takes it.
  static func s3XML(_ text: String) throws(PolicyFileError) -> PolicyValue {
    var rules: [PolicyValue] = []
    let names = ["AllowedOrigin": "AllowedOrigins", "AllowedMethod": "AllowedMethods", "AllowedHeader": "AllowedHeaders",
                 "ExposeHeader": "ExposeHeaders", "MaxAgeSeconds": "MaxAgeSeconds", "ID": "ID"]
    var scanner = XMLScanner(text)
    guard scanner.find(open: "CORSConfiguration") else { throw PolicyFileError("aws-s3 config: no <CORSConfiguration> element") }
    while let rule = try scanner.element(named: "CORSRule", before: "CORSConfiguration") {
      var members: [(String, PolicyValue)] = []
      var inner = XMLScanner(rule)
      while let (tag, value) = try inner.nextLeaf() {
        guard let key = names[tag] else {
          throw PolicyFileError("aws-s3 config: unknown element <\(tag)> in <CORSRule> (known: \(names.keys.sorted().joined(separator: ", ")))")
        }
        if key == "MaxAgeSeconds" || key == "ID" {
          members.append((key, .string(value)))
        } else if let i = members.firstIndex(where: { $0.0 == key }), case .array(var items) = members[i].1 {
          items.append(.string(value))
          members[i].1 = .array(items)
        } else {
          members.append((key, .array([.string(value)])))
        }
      }
      rules.append(.object(members))
    }
    return .object([("CORSRules", .array(rules))])
  }

  static func gcsPolicy(_ options: PolicyValue) throws(PolicyFileError) -> CORSPolicy {
    let list: [PolicyValue]
    switch options {
    case .array(let items): list = items
    case .object:
      try options.checkKeys(["cors"], context: "gcs")
      guard case .array(let items)? = options["cors"] else { throw PolicyFileError("gcs: expected cors: [ {origin: […], method: […]} … ]") }
      list = items
    default: throw PolicyFileError("gcs: expected {cors: […]} or a list of entries")
    }
    var rules: [CORSPolicy] = []
    for (i, item) in list.enumerated() {
      do {
        try item.checkKeys(["origin", "method", "responseHeader", "maxAgeSeconds"], context: "gcs entry")
        var r = CORSPolicy(middleware: .gcs)
        r.origins = (try item["origin"]?.stringList() ?? []).map { $0 == "*" ? .any : .exact($0) }
        let methods = try item["method"]?.stringList() ?? []
        r.methods = methods.contains("*") ? .wildcard : .list(methods)
        r.exposedHeaders = try item["responseHeader"]?.stringList() ?? []
        r.maxAge = try item["maxAgeSeconds"]?.int()
        rules.append(r)
      } catch {
        throw PolicyFileError("gcs entry \(i + 1): \(error.message)")
      }
    }
    return ruleList(.gcs, rules)
  }

  // MARK: Python frameworks

  static func djangoPolicy(_ o: PolicyValue) throws(PolicyFileError) -> CORSPolicy {
    try o.checkKeys(djangoSettings, context: "django-cors-headers")
    var p = CORSPolicy(middleware: .djangoCorsHeaders)
    // corsheaders/conf.py: each setting falls back to its old name, then to the default.
    func setting(_ name: String, _ old: String? = nil) -> PolicyValue? { o[name] ?? old.flatMap { o[$0] } }
    let allowAll = try setting("CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL")?.bool() ?? false
    let exact = try setting("CORS_ALLOWED_ORIGINS", "CORS_ORIGIN_WHITELIST")?.stringList() ?? []
    // corsheaders/checks.py: E013 (no scheme or netloc), E014 (a path, query or fragment) stop the server.
    for origin in exact where origin != "null" && origin != "file://" {
      let n = CORSPolicy.djangoNormalized(origin)
      guard origin.contains("://"), !n.hasSuffix("://") else {
        throw PolicyFileError("corsheaders.E013: Origin '\(origin)' in CORS_ALLOWED_ORIGINS is missing scheme or netloc")
      }
      if n != origin { throw PolicyFileError("corsheaders.E014: Origin '\(origin)' in CORS_ALLOWED_ORIGINS should not have path") }
    }
    let regexes = try setting("CORS_ALLOWED_ORIGIN_REGEXES", "CORS_ORIGIN_REGEX_WHITELIST")?.stringList() ?? []
    p.origins = (allowAll ? [.any] : []) + exact.map { $0 == "null" ? .null : .exact(CORSPolicy.djangoNormalized($0)) }
      + regexes.map { .regex($0, match: .prefix) }
    p.credentials = try o["CORS_ALLOW_CREDENTIALS"]?.bool() ?? false
    p.requestHeaders = .list(try o["CORS_ALLOW_HEADERS"]?.stringList() ?? ["accept", "authorization", "content-type", "user-agent", "x-csrftoken", "x-requested-with"])
    p.methods = .list(try o["CORS_ALLOW_METHODS"]?.stringList() ?? ["DELETE", "GET", "OPTIONS", "PATCH", "POST", "PUT"])
    p.exposedHeaders = try o["CORS_EXPOSE_HEADERS"]?.stringList() ?? []
    let maxAge = try o["CORS_PREFLIGHT_MAX_AGE"]?.int() ?? 86400
    guard maxAge >= 0 else { throw PolicyFileError("corsheaders.E004: CORS_PREFLIGHT_MAX_AGE should be an integer greater than or equal to zero.") }
    p.maxAge = maxAge
    p.pathPattern = try o["CORS_URLS_REGEX"]?.string()
    p.privateNetwork = try o["CORS_ALLOW_PRIVATE_NETWORK"]?.bool() ?? false
    p.preflightStatus = 200
    return p
  }

  static func starlettePolicy(_ o: PolicyValue) throws(PolicyFileError) -> CORSPolicy {
    try o.checkKeys(Preset.starlette.moreOptionNames, context: "starlette")
    var p = CORSPolicy(middleware: .starlette)
    let origins = try o["allow_origins"]?.stringList() ?? []
    p.origins = origins.contains("*") ? [.any] : origins.map { .exact($0) }
    if let regex = try o["allow_origin_regex"]?.string() { p.origins.append(.regex(regex, match: .whole)) }
    let methods = try o["allow_methods"]?.stringList() ?? ["GET"]
    p.methods = methods.contains("*") ? .wildcard : .list(methods)
    let headers = try o["allow_headers"]?.stringList() ?? []
    p.requestHeaders = headers.contains("*") ? .wildcard : .list(headers)
    p.credentials = try o["allow_credentials"]?.bool() ?? false
    p.privateNetwork = try o["allow_private_network"]?.bool() ?? false
    p.exposedHeaders = try o["expose_headers"]?.stringList() ?? []
    p.maxAge = try o["max_age"]?.int() ?? 600
    return p
  }

  // MARK: Spring, ASP.NET Core

  static func springPolicy(_ o: PolicyValue) throws(PolicyFileError) -> CORSPolicy {
    try o.checkKeys(Preset.spring.moreOptionNames, context: "spring")
    var p = CORSPolicy(middleware: .spring)
    let permit = try o["applyPermitDefaultValues"]?.bool() ?? false
    var origins = try o["allowedOrigins"]?.commaList()
    let patterns = try o["allowedOriginPatterns"]?.commaList() ?? []
    if permit && origins == nil && patterns.isEmpty { origins = ["*"] }
    p.credentials = try o["allowCredentials"]?.bool() ?? false
    if p.credentials, origins?.contains("*") == true {
      throw PolicyFileError("When allowCredentials is true, allowedOrigins cannot contain the special value \"*\" since that cannot be set on the \"Access-Control-Allow-Origin\" response header. To allow credentials to a set of origins, list them explicitly or consider using \"allowedOriginPatterns\" instead. (Spring CorsConfiguration.validateAllowCredentials)")
    }
    p.origins = (origins ?? []).map { $0 == "*" ? .any : .exact($0.hasSuffix("/") ? String($0.dropLast()) : $0, ignoringCase: true) }
      + patterns.map { $0 == "*" ? .any : .regex(springPattern($0), match: .whole) }
    if patterns.contains("*") { p.origins.removeAll { $0 == .any }; p.origins.append(.regex(".*", match: .whole)) }
    let methods = try o["allowedMethods"]?.commaList() ?? (permit ? ["GET", "HEAD", "POST"] : ["GET", "HEAD"])
    p.methods = methods.contains("*") ? .wildcard : .list(methods.map { $0.uppercased() })
    let headers = try o["allowedHeaders"]?.commaList() ?? (permit ? ["*"] : [])
    p.requestHeaders = headers.contains("*") ? .wildcard : .list(headers)
    p.exposedHeaders = try o["exposedHeaders"]?.commaList() ?? []
    p.privateNetwork = try o["allowPrivateNetwork"]?.bool() ?? false
    p.maxAge = try o["maxAge"]?.int() ?? (permit ? 1800 : nil)
    p.preflightStatus = 200
    return p
  }

  /// Spring's `OriginPattern.initPattern`: the declared pattern quoted, `*` for any characters, and a port
  /// list `:[8080,8081]` or `:[*]`.
  static func springPattern(_ declared: String) -> String {
    var value = declared.hasSuffix("/") ? String(declared.dropLast()) : declared
    var ports: String? = nil
    if value.hasSuffix("]"), let open = value.range(of: ":[", options: .backwards) {
      ports = String(value[open.upperBound..<value.index(before: value.endIndex)])
      value = String(value[..<open.lowerBound])
    }
    var out = ""
    for c in value {
      if c == "*" { out += ".*" } else if "\\^$.|?+()[]{}".contains(c) { out += "\\" + String(c) } else { out.append(c) }
    }
    if let ports { out += ports == "*" ? "(:\\d+)?" : ":(" + ports.replacingAll(",", with: "|") + ")" }
    return out
  }

  static func aspnetPolicy(_ o: PolicyValue) throws(PolicyFileError) -> CORSPolicy {
    try o.checkKeys(Preset.aspnetCore.moreOptionNames, context: "aspnetcore")
    var p = CORSPolicy(middleware: .aspnetCore)
    let anyOrigin = try o["AllowAnyOrigin"]?.bool() ?? false
    let allow = try o["AllowCredentials"]?.bool() ?? false
    let disallow = try o["DisallowCredentials"]?.bool() ?? false
    p.credentials = allow && !disallow
    if anyOrigin && p.credentials {
      throw PolicyFileError("The CORS protocol does not allow specifying a wildcard (any) origin and credentials at the same time. Configure the CORS policy by listing individual origins if credentials needs to be supported. (ASP.NET Core CorsPolicyBuilder.Build)")
    }
    let wildcardSubdomains = try o["SetIsOriginAllowedToAllowWildcardSubdomains"]?.bool() ?? false
    // CorsPolicyBuilder.GetNormalizedOrigin: lower case (punycode for an IDN host); nothing else changes.
    let origins = (try o["WithOrigins"]?.stringList() ?? []).map { $0.lowercased() }
    p.origins = anyOrigin ? [.any] : origins.map { entry in
      if wildcardSubdomains, let r = entry.range(of: "://*.") {
        return .subdomains(of: String(entry[..<r.lowerBound]) + "://" + entry[r.upperBound...])
      }
      return .exact(entry)
    }
    p.variesByCustomCheck = wildcardSubdomains
    p.methods = (try o["AllowAnyMethod"]?.bool() ?? false) ? .wildcard : .list(try o["WithMethods"]?.stringList() ?? [])
    p.requestHeaders = (try o["AllowAnyHeader"]?.bool() ?? false) ? .wildcard : .list(try o["WithHeaders"]?.stringList() ?? [])
    p.exposedHeaders = try o["WithExposedHeaders"]?.stringList() ?? []
    p.maxAge = try o["SetPreflightMaxAge"]?.int()
    p.preflightStatus = 204
    return p
  }
}

/// A small reader for the flat XML of an S3 CORS configuration: elements, text and the five predefined
/// entities; comments and the XML declaration skipped.
struct XMLScanner {
  private let scalars: [Character]
  private var i = 0

  init(_ text: String) { scalars = Array(text) }

  private mutating func skipMarkup() {
    while i < scalars.count {
      if match("<?") { skip(past: "?>"); continue }
      if match("<!--") { skip(past: "-->"); continue }
      if scalars[i].isWhitespace { i += 1; continue }
      return
    }
  }

  private func match(_ s: String) -> Bool {
    var j = i
    for c in s {
      guard j < scalars.count, scalars[j] == c else { return false }
      j += 1
    }
    return true
  }

  private mutating func skip(past s: String) {
    while i < scalars.count && !match(s) { i += 1 }
    i = min(scalars.count, i + s.count)
  }

  /// Moves past the opening tag `<name …>`; false when there is none.
  mutating func find(open name: String) -> Bool {
    while i < scalars.count {
      if match("<" + name) {
        skip(past: ">")
        return true
      }
      i += 1
    }
    return false
  }

  /// The next element's tag name, or nil at a closing tag or the end.
  private mutating func openTag() throws(PolicyFileError) -> String? {
    skipMarkup()
    guard i < scalars.count, scalars[i] == "<", !match("</") else { return nil }
    i += 1
    var name = ""
    while i < scalars.count, scalars[i] != ">", !scalars[i].isWhitespace, scalars[i] != "/" { name.append(scalars[i]); i += 1 }
    skip(past: ">")
    return name
  }

  /// The raw content of the next `<name>…</name>` element, or nil at `</parent>` or the end.
  mutating func element(named name: String, before parent: String) throws(PolicyFileError) -> String? {
    guard let tag = try openTag() else { return nil }
    guard tag == name else { throw PolicyFileError("aws-s3 config: expected <\(name)> in <\(parent)>, found <\(tag)>") }
    let start = i
    while i < scalars.count && !match("</" + name) { i += 1 }
    guard i < scalars.count else { throw PolicyFileError("aws-s3 config: <\(name)> is never closed") }
    let content = String(scalars[start..<i])
    skip(past: ">")
    return content
  }

  /// The next leaf element's name and text, or nil at the end.
  mutating func nextLeaf() throws(PolicyFileError) -> (String, String)? {
    guard let tag = try openTag() else { return nil }
    var text = ""
    while i < scalars.count && !match("</") { text.append(scalars[i]); i += 1 }
    guard match("</" + tag) else { throw PolicyFileError("aws-s3 config: <\(tag)> is never closed") }
    skip(past: ">")
    return (tag, XMLScanner.unescape(text.trimmingPrefix(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed().map(String.init).joined()))
  }

  static func unescape(_ s: String) -> String {
    s.replacingAll("&lt;", with: "<").replacingAll("&gt;", with: ">").replacingAll("&quot;", with: "\"")
      .replacingAll("&apos;", with: "'").replacingAll("&amp;", with: "&")
  }
}

extension PolicyDocument {
  /// A preset's options: `options:` (the project's own names), or `config:` — the configuration as pasted
  /// (S3 XML or JSON, GCS JSON, a Django settings excerpt, a Starlette call, an ASP.NET Core or Spring chain).
  static func presetOptions(_ preset: Preset, _ root: PolicyValue) throws(PolicyFileError) -> PolicyValue {
    guard let config = root["config"] else { return root["options"] ?? .object([]) }
    if root["options"] != nil { throw PolicyFileError("give the \(preset.rawValue) configuration once: `options:` or `config:`, not both") }
    let text = try config.string()
    switch preset {
    case .awsS3:
      let trimmed = text.trimmingPrefix(while: \.isWhitespace)
      return trimmed.hasPrefix("<") ? try Preset.s3XML(text) : try JSONValue.parsePolicy(text)
    case .gcs: return try JSONValue.parsePolicy(text)
    case .djangoCorsHeaders: return try ConfigSnippet.python(text, keys: Preset.djangoSettings, context: "django-cors-headers settings")
    case .starlette: return try ConfigSnippet.python(text, keys: Preset.starlette.moreOptionNames, context: "CORSMiddleware")
    case .aspnetCore: return try ConfigSnippet.aspnet(text)
    case .spring: return try ConfigSnippet.spring(text)
    case .nginx: return .object([])
    case .rsCors, .expressCors, .flaskCors, .vapor, .hummingbird:
      throw PolicyFileError("`config:` is for the presets whose configuration is not YAML-shaped; \(preset.rawValue) takes `options:`")
    }
  }

  static func nginx(_ value: PolicyValue?) throws(PolicyFileError) -> NginxLayer {
    guard let value else { throw PolicyFileError("preset: nginx needs `config:` with the add_header block") }
    return try NginxLayer(try value.string())
  }
}
