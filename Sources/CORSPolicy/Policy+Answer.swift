import CORSSimulator

extension CORSPolicy {
  /// The rule that allows an origin, as the policy's middleware matches it (nil: refused).
  public func rule(allowing origin: String) -> OriginRule? {
    // Quirk(hummingbird): `.originBased` and `.oneOf` never answer `null` (CORSMiddleware.swift value(for:)).
    if middleware == .hummingbird && origin == "null" { return nil }
    return origins.first { $0.matches(origin) }
  }

  /// The `Access-Control-Allow-Origin` value for an origin (nil: not sent).
  public func allowOriginValue(for origin: String) -> String? {
    if let fixed = fixedAllowOrigin { return fixed }
    guard let rule = rule(allowing: origin) else { return nil }
    if case .any = rule, anyOrigin == .wildcard { return "*" }
    return origin
  }

  /// True when the policy answers every origin the same way (a fixed value, or `*` for any origin).
  var isOriginIndependent: Bool {
    if fixedAllowOrigin != nil { return true }
    return origins.count == 1 && origins[0] == .any && anyOrigin == .wildcard
  }

  /// A responder that answers every request for the resource as this policy's middleware would.
  public func responder(name: String = "policy") -> Responder {
    let policy = self
    return Responder(name: name) { policy.answer($0) }
  }

  /// Answers one request: a preflight handled by the middleware, or the application's answer with the
  /// middleware's headers added.
  public func answer(_ request: ServerRequest) -> Route {
    let origin = request.value(of: "Origin")
    var out = HeaderList()
    func add(_ name: String, _ value: String?) { if let value, !value.isEmpty { out.append(HeaderName(name), value) } }
    let acrm = request.value(of: "Access-Control-Request-Method")
    let acrh = request.value(of: "Access-Control-Request-Headers")
    let wantsPrivateNetwork = request.value(of: "Access-Control-Request-Private-Network") == "true"
    let requestedHeaders = acrh.map { $0.split(separator: ",").map { String($0).trimmedOWS } } ?? []
    let app = application
    func appRoute(_ extra: HeaderList) -> Route {
      var headers = app.headers
      for f in extra { headers.append(f) }
      return Route(method: request.method, url: request.url, status: app.status, headers: headers, body: app.body)
    }
    func preflightRoute(_ status: Int) -> Route {
      Route(method: "OPTIONS", url: request.url, status: status, headers: out, body: nil)
    }
    let allowOrigin = origin.flatMap { allowOriginValue(for: $0) }
    let methodList = methods.joined
    let headerList = requestHeaders.joined

    switch middleware {
    case .awsS3, .gcs, .djangoCorsHeaders, .starlette, .spring, .aspnetCore, .none:
      return answerOther(request)
    case .corsim:
      let varies = vary == .always || (vary == .auto && !isOriginIndependent)
      if request.method == "OPTIONS", let origin, let acrm {
        if varies { add("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers") }
        let methodOK = Method(acrm).isCORSSafelisted || methods.allows(acrm, caseSensitive: true)
        let headersOK = requestedHeaders.allSatisfy { requestHeaders.allows($0, caseSensitive: false) }
        guard let allowOrigin, methodOK, headersOK, origin != "" else { return preflightRoute(403) }
        add("Access-Control-Allow-Origin", allowOrigin)
        if credentials { add("Access-Control-Allow-Credentials", "true") }
        add("Access-Control-Allow-Methods", methods == .reflect ? acrm : methodList)
        if !requestedHeaders.isEmpty { add("Access-Control-Allow-Headers", requestHeaders == .reflect ? acrh : headerList) }
        if let maxAge { add("Access-Control-Max-Age", String(maxAge)) }
        if wantsPrivateNetwork && privateNetwork { add("Access-Control-Allow-Private-Network", "true") }
        return preflightRoute(preflightStatus)
      }
      if varies { add("Vary", "Origin") }
      if let allowOrigin, origin != nil {
        add("Access-Control-Allow-Origin", allowOrigin)
        if credentials { add("Access-Control-Allow-Credentials", "true") }
        if !exposedHeaders.isEmpty { add("Access-Control-Expose-Headers", exposedHeaders.joined(separator: ", ")) }
      }
      return appRoute(out)

    case .rsCors:
      if let older = answerRsCorsBefore111(request) { return older }
      // rs/cors v1.11 cors.go handlePreflight / handleActualRequest: methods compared as written.
      let allowsAll = origins.contains(.any)
      let rsOrigin = allowsAll ? "*" : origin
      if request.method == "OPTIONS", let acrm, !acrm.isEmpty {
        add("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
            + (privateNetwork ? ", Access-Control-Request-Private-Network" : ""))
        guard let origin, !origin.isEmpty, rule(allowing: origin) != nil,
              acrm == "OPTIONS" || methods.allows(acrm, caseSensitive: true),
              acrh == nil || requestHeaders == .wildcard
                || requestedHeaders.allSatisfy({ requestHeaders.allows($0, caseSensitive: false) })
        else { return preflightRoute(preflightStatus) }
        add("Access-Control-Allow-Origin", rsOrigin)
        add("Access-Control-Allow-Methods", acrm)
        add("Access-Control-Allow-Headers", acrh)
        if credentials { add("Access-Control-Allow-Credentials", "true") }
        if privateNetwork && wantsPrivateNetwork { add("Access-Control-Allow-Private-Network", "true") }
        if let maxAge, maxAge != 0 { add("Access-Control-Max-Age", maxAge > 0 ? String(maxAge) : "0") }
        return preflightRoute(preflightStatus)
      }
      add("Vary", "Origin")
      if let origin, !origin.isEmpty, rule(allowing: origin) != nil,
         request.method == "OPTIONS" || methods.allows(request.method.rawValue, caseSensitive: true) {
        add("Access-Control-Allow-Origin", rsOrigin)
        if !exposedHeaders.isEmpty { add("Access-Control-Expose-Headers", exposedHeaders.joined(separator: ", ")) }
        if credentials { add("Access-Control-Allow-Credentials", "true") }
      }
      return appRoute(out)

    case .expressCors:
      // expressjs/cors v2.8 lib/index.js configureOrigin and friends.
      func configureOrigin() {
        if let fixed = fixedAllowOrigin {
          add("Access-Control-Allow-Origin", fixed)
          add("Vary", "Origin")
        } else if origins == [.any] && anyOrigin == .wildcard {
          add("Access-Control-Allow-Origin", "*")
        } else {
          if let origin, rule(allowing: origin) != nil { add("Access-Control-Allow-Origin", origin) }
          add("Vary", "Origin")
        }
      }
      configureOrigin()
      if credentials { add("Access-Control-Allow-Credentials", "true") }
      if request.method == "OPTIONS" {
        add("Access-Control-Allow-Methods", methods.joinedWithoutSpace)
        if requestHeaders == .reflect {
          add("Vary", "Access-Control-Request-Headers")
          add("Access-Control-Allow-Headers", acrh)
        } else {
          add("Access-Control-Allow-Headers", requestHeaders.joinedWithoutSpace)
        }
        if let maxAge { add("Access-Control-Max-Age", String(maxAge)) }
        if !exposedHeaders.isEmpty { add("Access-Control-Expose-Headers", exposedHeaders.joined(separator: ",")) }
        add("Content-Length", "0")
        return preflightRoute(preflightStatus)
      }
      if !exposedHeaders.isEmpty { add("Access-Control-Expose-Headers", exposedHeaders.joined(separator: ",")) }
      return appRoute(out)

    case .flaskCors:
      // flask-cors 6.0 core.py get_cors_headers; Flask answers OPTIONS itself (automatic_options) with 200.
      let hasWildcard = origins.contains(.any)
      var originsToSet: [String] = []
      if let origin, !origin.isEmpty {
        if hasWildcard && anyOrigin == .wildcard { originsToSet = ["*"] }
        else if rule(allowing: origin) != nil { originsToSet = [origin] }
      } else if hasWildcard {
        originsToSet = credentials ? [] : ["*"]
      } else {
        originsToSet = origins.compactMap { if case .exact(let o, _) = $0 { return o } else { return nil } }.sorted()
      }
      let isPreflight = request.method == "OPTIONS"
      if !originsToSet.isEmpty {
        // get_cors_headers adds every origin to a MultiDict, then returns `MultiDict(headers.items())`: `items()`
        // yields the first value of each key, so several exact origins and no Origin send only the first.
        out.append(.accessControlAllowOrigin, originsToSet[0])
        if !exposedHeaders.isEmpty { add("Access-Control-Expose-Headers", exposedHeaders.sorted().joined(separator: ", ")) }
        if credentials { add("Access-Control-Allow-Credentials", "true") }
        if wantsPrivateNetwork { add("Access-Control-Allow-Private-Network", privateNetwork ? "true" : "false") }
        // `acl_request_method in options.get("methods")`: a substring test on the serialized list.
        let serializedMethods = methods.sortedJoined.uppercased()
        if isPreflight, let m = acrm?.uppercased(), !m.isEmpty, serializedMethods.contains(m) {
          let matching = requestedHeaders.filter { requestHeaders.allows($0, caseSensitive: false) }.sorted()
          add("Access-Control-Allow-Headers", matching.joined(separator: ", "))
          if let maxAge { add("Access-Control-Max-Age", String(maxAge)) }
          add("Access-Control-Allow-Methods", serializedMethods)
        }
        let regexLike = origins.contains { if case .regex = $0 { return true }; return $0 == .any }
        if vary != .never, originsToSet != ["*"], origins.count > 1 || originsToSet.count > 1 || regexLike {
          add("Vary", "Origin")
        }
      }
      if isPreflight {
        var headers = out
        headers.append(HeaderName("Allow"), methods.sortedJoined.uppercased())
        return Route(method: "OPTIONS", url: request.url, status: 200, headers: headers, body: nil)
      }
      return appRoute(out)

    case .vapor:
      // Vapor 4 CORSMiddleware.respond(to:chainingTo:).
      guard let origin else { return appRoute([]) }
      let isPreflight = request.method == "OPTIONS" && acrm != nil
      let value = fixedAllowOrigin ?? allowOriginValue(for: origin)
      add("Access-Control-Allow-Origin", value)
      add("Access-Control-Allow-Headers", headerList)
      add("Access-Control-Allow-Methods", methodList)
      if !exposedHeaders.isEmpty { add("Access-Control-Expose-Headers", exposedHeaders.joined(separator: ", ")) }
      if let maxAge { add("Access-Control-Max-Age", String(maxAge)) }
      if credentials { add("Access-Control-Allow-Credentials", "true") }
      // Only `.originBased` adds `Vary: origin` (as Vapor writes it).
      if fixedAllowOrigin == nil, origins == [.any], anyOrigin == .reflect, value != nil { add("Vary", "origin") }
      return isPreflight ? preflightRoute(200) : appRoute(out)

    case .hummingbird:
      // Hummingbird 2 CORSMiddleware.handle(_:context:next:).
      guard let origin else { return appRoute([]) }
      // shouldAddToVaryHeader: `.oneOf`, `.originBased` and `.custom`; not `.none` or `.all`.
      let varies = fixedAllowOrigin != nil || (!origins.isEmpty && !(origins == [.any] && anyOrigin == .wildcard))
      if request.method == "OPTIONS" {
        add("Access-Control-Allow-Headers", headerList)
        add("Access-Control-Allow-Methods", methodList)
        add("Access-Control-Allow-Origin", allowOriginValue(for: origin))
        if credentials { add("Access-Control-Allow-Credentials", "true") }
        if let maxAge { add("Access-Control-Max-Age", String(maxAge)) }
        if !exposedHeaders.isEmpty { add("Access-Control-Expose-Headers", exposedHeaders.joined(separator: ", ")) }
        if varies { add("Vary", "Origin") }
        return preflightRoute(204)
      }
      add("Access-Control-Allow-Origin", allowOriginValue(for: origin))
      if credentials { add("Access-Control-Allow-Credentials", "true") }
      if varies { add("Vary", "Origin") }
      return appRoute(out)
    }
  }
}

extension OriginRule {
  /// Whether the rule matches an `Origin` header value.
  public func matches(_ origin: String) -> Bool {
    switch self {
    case .any: return true
    case .null: return origin == "null"
    case .exact(let o, let ignoringCase): return ignoringCase ? o.lowercased() == origin.lowercased() : o == origin
    case .subdomains(let base):
      guard let r = base.range(of: "://") else { return false }
      let scheme = base[..<r.upperBound]
      let hostAndPort = base[r.upperBound...]
      guard origin.hasPrefix(scheme), origin.hasSuffix("." + hostAndPort) else { return false }
      let labels = origin.dropFirst(scheme.count).dropLast(hostAndPort.count + 1)
      return !labels.isEmpty && labels.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
        !label.isEmpty && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
      }
    case .glob(let g):
      // rs/cors: lower-cased, one `*`, prefix and suffix (wildcard.match).
      let lowered = origin.lowercased(), pattern = g.lowercased()
      guard let star = pattern.firstIndex(of: "*") else { return lowered == pattern }
      let prefix = pattern[..<star], suffix = pattern[pattern.index(after: star)...]
      return lowered.count >= prefix.count + suffix.count && lowered.hasPrefix(prefix) && lowered.hasSuffix(suffix)
    case .regex(let pattern, let match, let ignoringCase):
      guard var regex = try? Regex(pattern) else { return false }
      if ignoringCase { regex = regex.ignoresCase() }
      switch match {
      case .whole: return (try? regex.wholeMatch(in: origin)) != nil
      case .prefix: return (try? regex.prefixMatch(in: origin)) != nil
      case .search: return (try? regex.firstMatch(in: origin)) != nil
      }
    }
  }
}

extension ListRule {
  var names: [String] { if case .list(let l) = self { return l } else { return [] } }
  /// The list as `Access-Control-Allow-*` sends it: `a, b` (`*` for the wildcard, nil when reflected).
  var joined: String? {
    switch self {
    case .list(let l): return l.joined(separator: ", ")
    case .wildcard: return "*"
    case .reflect: return nil
    }
  }
  var joinedWithoutSpace: String? {
    switch self {
    case .list(let l): return l.joined(separator: ",")
    case .wildcard: return "*"
    case .reflect: return nil
    }
  }
  var sortedJoined: String {
    switch self {
    case .list(let l): return l.sorted().joined(separator: ", ")
    case .wildcard, .reflect: return "*"
    }
  }
}

extension String {
  var trimmedOWS: String {
    let set: Set<Character> = [" ", "\t"]
    var s = Substring(self)
    while let f = s.first, set.contains(f) { s.removeFirst() }
    while let l = s.last, set.contains(l) { s.removeLast() }
    return String(s)
  }
}
