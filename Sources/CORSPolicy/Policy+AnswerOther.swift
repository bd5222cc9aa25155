import CORSSimulator

extension CORSPolicy {
  /// The answers of the configurations added after the first five middlewares: AWS S3 and Google Cloud
  /// Storage bucket rules, django-cors-headers, Starlette, Spring, ASP.NET Core, and no middleware at all.
  /// Each follows the source or documentation named at its case.
  func answerOther(_ request: ServerRequest) -> Route {
    let origin = request.value(of: "Origin")
    let acrm = request.value(of: "Access-Control-Request-Method")
    let acrh = request.value(of: "Access-Control-Request-Headers")
    let requested = acrh.map { $0.split(separator: ",").map { String($0).trimmedOWS }.filter { !$0.isEmpty } } ?? []
    let wantsPrivateNetwork = request.value(of: "Access-Control-Request-Private-Network") == "true"
    var out = HeaderList()
    func add(_ name: String, _ value: String?) { if let value, !value.isEmpty { out.append(HeaderName(name), value) } }
    let app = application
    func appRoute() -> Route {
      var headers = app.headers
      for f in out { headers.append(f) }
      return Route(method: request.method, url: request.url, status: app.status, headers: headers, body: app.body)
    }
    func own(_ status: Int, body: String? = nil) -> Route {
      Route(method: request.method, url: request.url, status: status, headers: out, body: body)
    }
    let isOptions = request.method == "OPTIONS"

    switch middleware {
    case .none:
      return appRoute()

    case .awsS3:
      // Amazon S3 (PutBucketCors: "the first CORSRule rule that matches the incoming browser request";
      // ManageCorsUsing: one `*` per AllowedOrigin and AllowedHeader; methods GET, PUT, POST, DELETE, HEAD).
      // Header shapes as S3-compatible servers reproduce them (scality/cloudserver corsResponse.js
      // generateCorsResHeaders; ceph/s3-tests test_cors_origin_response): the rule's methods on every
      // answer, the requested headers echoed, `Vary` on answers that carry CORS headers.
      if isOptions {
        guard let origin, !origin.isEmpty, let acrm else { return own(400, body: "Insufficient information. Origin request header needed.") }
        guard let rule = rules.first(where: { $0.s3Allows(origin: origin, method: acrm, headers: requested) }) else {
          return own(403, body: "CORSResponse: This CORS request is not allowed.")
        }
        rule.s3Headers(origin: origin, requested: requested, into: &out)
        return own(200)
      }
      if let origin, !origin.isEmpty,
         let rule = rules.first(where: { $0.s3Allows(origin: origin, method: request.method.rawValue, headers: nil) }) {
        rule.s3Headers(origin: origin, requested: [], into: &out)
      }
      return appRoute()

    case .gcs:
      // Google Cloud Storage (cloud.google.com/storage/docs/cross-origin): the first entry whose `origin`
      // and `method` lists hold the request's; `Access-Control-Allow-Origin` is the request's Origin;
      // `responseHeader` lists both the headers a preflight may ask for and those exposed; no credentials.
      if isOptions, let acrm {
        guard let origin, let rule = rules.first(where: { $0.gcsAllows(origin: origin, method: acrm) }) else { return own(200) }
        add("Access-Control-Allow-Origin", origin)
        add("Access-Control-Allow-Methods", acrm)
        let listed = ListRule.list(rule.exposedHeaders).allowed(requested, caseSensitive: false)
        add("Access-Control-Allow-Headers", listed.joined(separator: ", "))
        if let maxAge = rule.maxAge { add("Access-Control-Max-Age", String(maxAge)) }
        add("Vary", "Origin")
        return own(200)
      }
      if let origin, let rule = rules.first(where: { $0.gcsAllows(origin: origin, method: request.method.rawValue) }) {
        add("Access-Control-Allow-Origin", origin)
        add("Access-Control-Expose-Headers", rule.exposedHeaders.joined(separator: ", "))
        add("Vary", "Origin")
      }
      return appRoute()

    case .djangoCorsHeaders:
      // django-cors-headers 4.9 corsheaders/middleware.py CorsMiddleware: check_preflight,
      // add_response_headers, origin_found_in_white_lists (urlsplit scheme and netloc; regexes are re.match).
      let enabled = pathPattern.map { OriginRule.regex($0, match: .prefix).matches(request.url.pathString) } ?? true
      let preflight = enabled && isOptions && acrm != nil
      guard enabled else { return appRoute() }
      add("Vary", "origin")
      func finish() -> Route {
        if preflight {
          out.append(HeaderName("Content-Length"), "0")
          return own(200)
        }
        return appRoute()
      }
      guard let origin, !origin.isEmpty else { return finish() }
      let anyOrigin = origins.contains(.any)
      guard anyOrigin || rule(allowing: CORSPolicy.djangoNormalized(origin)) != nil else { return finish() }
      add("Access-Control-Allow-Origin", anyOrigin && !credentials ? "*" : origin)
      if credentials { add("Access-Control-Allow-Credentials", "true") }
      add("Access-Control-Expose-Headers", exposedHeaders.joined(separator: ", "))
      if isOptions {
        add("Access-Control-Allow-Headers", requestHeaders.names.joined(separator: ", "))
        add("Access-Control-Allow-Methods", methods.names.joined(separator: ", "))
        if let maxAge, maxAge != 0 { add("Access-Control-Max-Age", String(maxAge)) }
      }
      if privateNetwork && wantsPrivateNetwork { add("Access-Control-Allow-Private-Network", "true") }
      return finish()

    case .starlette:
      // Starlette 1.10 starlette/middleware/cors.py CORSMiddleware: preflight_response, send.
      let anyOrigin = origins.contains(.any)
      let explicit = !anyOrigin || credentials
      let anyHeader = requestHeaders == .wildcard
      let methodNames = methods == .wildcard ? ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "QUERY"] : methods.names
      func allowed(_ o: String) -> Bool { anyOrigin || rule(allowing: o) != nil }
      if let origin, isOptions, let acrm {
        add("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network")
        if !explicit { add("Access-Control-Allow-Origin", "*") }
        add("Access-Control-Allow-Methods", methodNames.joined(separator: ", "))
        add("Access-Control-Max-Age", String(maxAge ?? 600))
        let listed = Set(["Accept", "Accept-Language", "Content-Language", "Content-Type"] + requestHeaders.names).sorted()
        if !anyHeader { add("Access-Control-Allow-Headers", listed.joined(separator: ", ")) }
        if credentials { add("Access-Control-Allow-Credentials", "true") }
        var failures: [String] = []
        if allowed(origin) {
          if explicit { out.set(.accessControlAllowOrigin, origin) }
        } else {
          failures.append("origin")
        }
        if !methodNames.contains(acrm) { failures.append("method") }
        if anyHeader, let acrh {
          out.set(HeaderName("Access-Control-Allow-Headers"), acrh)
        } else if let acrh {
          let lowered = Set(listed.lazy.map { $0.lowercased() })
          if acrh.split(separator: ",", omittingEmptySubsequences: false).contains(where: { !lowered.contains(String($0).lowercased().trimmedOWS) }) {
            failures.append("headers")
          }
        }
        if request.value(of: "Access-Control-Request-Private-Network") != nil {
          if privateNetwork { add("Access-Control-Allow-Private-Network", "true") } else { failures.append("private-network") }
        }
        out.append(.contentType, "text/plain; charset=utf-8")
        return failures.isEmpty ? own(200, body: "OK") : own(400, body: "Disallowed CORS " + failures.joined(separator: ", "))
      }
      var headers = app.headers
      let varyOrigin = { (h: inout HeaderList) in
        let existing = h.fields(named: .vary).map(\.value)
        h.set(.vary, (existing + ["Origin"]).joined(separator: ", "))
      }
      if let origin {
        if anyOrigin { headers.set(.accessControlAllowOrigin, "*") }
        if credentials { headers.set(.accessControlAllowCredentials, "true") }
        if !exposedHeaders.isEmpty { headers.set(HeaderName("Access-Control-Expose-Headers"), exposedHeaders.joined(separator: ", ")) }
        if (anyOrigin && credentials) || (!anyOrigin && allowed(origin)) {
          headers.set(.accessControlAllowOrigin, origin)
        }
      }
      varyOrigin(&headers)
      return Route(method: request.method, url: request.url, status: app.status, headers: headers, body: app.body)

    case .spring:
      // Spring Framework 6 DefaultCorsProcessor.processRequest and handleInternal, CorsConfiguration
      // checkOrigin, checkHttpMethod and checkHeaders.
      for v in ["Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"] { add("Vary", v) }
      guard let origin, !origin.isEmpty, !(request.url.origin.serialization == origin) else { return appRoute() }
      let preflight = isOptions && acrm != nil
      func reject() -> Route { own(403, body: "Invalid CORS request") }
      let trimmed = origin.hasSuffix("/") ? String(origin.dropLast()) : origin
      let allowOrigin: String?
      if origins.contains(.any) { allowOrigin = "*" } else { allowOrigin = rule(allowing: trimmed) != nil ? origin : nil }
      guard let allowOrigin else { return reject() }
      let method = preflight ? acrm! : request.method.rawValue
      let allowMethods: [String]
      if methods == .wildcard { allowMethods = [method] } else if methods.names.contains(method) { allowMethods = methods.names } else { return reject() }
      var allowHeaders: [String] = []
      if preflight, !requested.isEmpty {
        switch requestHeaders {
        case .wildcard, .reflect: allowHeaders = requested
        case .list: allowHeaders = requestHeaders.allowed(requested, caseSensitive: false)
        }
        if allowHeaders.isEmpty { return reject() }
      }
      add("Access-Control-Allow-Origin", allowOrigin)
      if preflight { add("Access-Control-Allow-Methods", allowMethods.joined(separator: ",")) }
      if preflight { add("Access-Control-Allow-Headers", allowHeaders.joined(separator: ", ")) }
      add("Access-Control-Expose-Headers", exposedHeaders.joined(separator: ", "))
      if credentials { add("Access-Control-Allow-Credentials", "true") }
      if privateNetwork && wantsPrivateNetwork { add("Access-Control-Allow-Private-Network", "true") }
      if preflight, let maxAge { add("Access-Control-Max-Age", String(maxAge)) }
      return preflight ? own(200) : appRoute()

    case .aspnetCore:
      // ASP.NET Core (.NET 8) CorsMiddleware.EvaluateAndApplyPolicy (a preflight is answered 204 whatever
      // the policy says) and CorsService.EvaluatePolicy, PopulateResult, ApplyResult (no method or header
      // check: the lists are sent and the browser decides).
      guard let origin, !origin.isEmpty else { return appRoute() }
      let preflight = isOptions && acrm != nil
      let anyOrigin = origins.contains(.any)
      if anyOrigin || rule(allowing: origin) != nil {
        add("Access-Control-Allow-Origin", anyOrigin ? "*" : origin)
        if credentials { add("Access-Control-Allow-Credentials", "true") }
        if preflight {
          add("Access-Control-Allow-Headers", requestHeaders == .wildcard ? requested.joined(separator: ",") : requestHeaders.names.joined(separator: ","))
          add("Access-Control-Allow-Methods", methods == .wildcard ? acrm : methods.names.joined(separator: ","))
          if let maxAge { add("Access-Control-Max-Age", String(maxAge)) }
        } else {
          add("Access-Control-Expose-Headers", exposedHeaders.joined(separator: ","))
        }
        if !anyOrigin && (origins.count > 1 || variesByCustomCheck) { add("Vary", "Origin") }
      }
      return preflight ? own(204) : appRoute()

    case .corsim, .rsCors, .expressCors, .flaskCors, .vapor, .hummingbird:
      return answer(request)
    }
  }

  /// django-cors-headers compares `urlsplit` parts: the scheme (lower-cased by urlsplit) and the netloc as
  /// written; a path or trailing slash is not compared.
  static func djangoNormalized(_ s: String) -> String {
    guard let r = s.range(of: "://") else { return s }
    let scheme = s[..<r.lowerBound].lowercased()
    let rest = s[r.upperBound...]
    let netloc = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
    return scheme + "://" + netloc
  }

  /// An S3 rule allows a request: its method listed, its origin matched (one `*` standing for any
  /// characters), and for a preflight every requested header matched by an AllowedHeader (ignoring case).
  func s3Allows(origin: String, method: String, headers: [String]?) -> Bool {
    guard methods.names.contains(method), origins.contains(where: { $0.s3Matches(origin) }) else { return false }
    guard let headers, !headers.isEmpty else { return true }
    // Names without `*` are looked up in a set; only the patterns are tried one by one (a rule and a preflight
    // may each name thousands of headers).
    let allowed = requestHeaders.names.map { $0.lowercased() }
    let exact = Set(allowed.filter { !$0.contains("*") })
    let patterns = allowed.filter { $0.contains("*") }.map { OriginRule.glob($0) }
    return headers.allSatisfy { h in
      let name = h.lowercased()
      return exact.contains(name) || patterns.contains { $0.matches(name) }
    }
  }

  func s3Headers(origin: String, requested: [String], into out: inout HeaderList) {
    let any = origins.contains(.any)
    out.append(.accessControlAllowOrigin, any ? "*" : origin)
    if !any { out.append(.accessControlAllowCredentials, "true") }
    out.append(HeaderName("Access-Control-Allow-Methods"), methods.names.joined(separator: ", "))
    if !requested.isEmpty { out.append(HeaderName("Access-Control-Allow-Headers"), requested.joined(separator: ", ")) }
    if !exposedHeaders.isEmpty { out.append(HeaderName("Access-Control-Expose-Headers"), exposedHeaders.joined(separator: ", ")) }
    if let maxAge { out.append(.accessControlMaxAge, String(maxAge)) }
    out.append(.vary, "Origin, Access-Control-Request-Headers, Access-Control-Request-Method")
  }

  /// A GCS entry allows a request: its origin listed (or `*`), its method listed (or `*`).
  func gcsAllows(origin: String, method: String) -> Bool {
    (origins.contains(.any) || rule(allowing: origin) != nil) && (methods == .wildcard || methods.names.contains(method))
  }
}

extension OriginRule {
  /// S3's AllowedOrigin match: exact, `*`, or one `*` for any characters, case kept.
  func s3Matches(_ origin: String) -> Bool {
    switch self {
    case .any: return true
    case .exact(let o, _): return o == origin
    case .glob(let g):
      guard let star = g.firstIndex(of: "*") else { return g == origin }
      let prefix = g[..<star], suffix = g[g.index(after: star)...]
      return origin.count >= prefix.count + suffix.count && origin.hasPrefix(prefix) && origin.hasSuffix(suffix)
    default: return matches(origin)
    }
  }
}
