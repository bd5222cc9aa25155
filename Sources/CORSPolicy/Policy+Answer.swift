import CORSSimulator
import Synchronization

extension CORSPolicy {
  /// The rule that allows an origin, as the policy's middleware matches it (nil: refused).
  public func rule(allowing origin: String) -> OriginRule? {
    // Quirk(hummingbird): `.originBased` and `.oneOf` never answer `null` (CORSMiddleware.swift value(for:)).
    if middleware == .hummingbird && origin == "null" { return nil }
    return originIndex.firstMatch(origin).map { origins[$0] }
  }

  /// The origin rules, indexed (built once per value of `origins`).
  var originIndex: OriginRuleIndex { originIndexCache.index(for: origins) }

  /// Checks that every regular expression among the origin rules compiles for the linear-time matcher.
  /// `keyPath` names where the rules came from in a policy file (`origins`: entry k is rule k).
  public func checkPatterns(keyPath: String = "origins") throws(PolicyFileError) {
    for (k, rule) in origins.enumerated() {
      guard case .regex(let pattern, _, let ignoringCase) = rule else { continue }
      if case .failure(let error) = OriginPattern.compiled(pattern, ignoringCase: ignoringCase) {
        throw PolicyFileError(path: keyPath == "origins" ? "origins[\(k)]" : keyPath, error.description)
      }
    }
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
        let headersOK = requestHeaders.allowsAll(requestedHeaders, caseSensitive: false)
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
      let allowsAll = originIndex.containsAny
      let rsOrigin = allowsAll ? "*" : origin
      if request.method == "OPTIONS", let acrm, !acrm.isEmpty {
        add("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
            + (privateNetwork ? ", Access-Control-Request-Private-Network" : ""))
        guard let origin, !origin.isEmpty, rule(allowing: origin) != nil,
              acrm == "OPTIONS" || methods.allows(acrm, caseSensitive: true),
              acrh == nil || requestHeaders == .wildcard
                || requestHeaders.allowsAll(requestedHeaders, caseSensitive: false)
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
      let hasWildcard = originIndex.containsAny
      var originsToSet: [String] = []
      if let origin, !origin.isEmpty {
        if hasWildcard && anyOrigin == .wildcard { originsToSet = ["*"] }
        else if rule(allowing: origin) != nil { originsToSet = [origin] }
      } else if hasWildcard {
        originsToSet = credentials ? [] : ["*"]
      } else {
        originsToSet = originIndex.sortedExactOrigins
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
          let matching = requestHeaders.allowed(requestedHeaders, caseSensitive: false).sorted()
          add("Access-Control-Allow-Headers", matching.joined(separator: ", "))
          if let maxAge { add("Access-Control-Max-Age", String(maxAge)) }
          add("Access-Control-Allow-Methods", serializedMethods)
        }
        let regexLike = originIndex.containsRegex || originIndex.containsAny
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
      // Compiled once (a process-wide cache) and matched in linear time; a pattern the matcher refuses
      // matches nothing (a policy file names it when it is read: `CORSPolicy.checkPatterns`).
      guard case .success(let compiled) = OriginPattern.compiled(pattern, ignoringCase: ignoringCase) else { return false }
      return compiled.matches(origin, match)
    }
  }

  /// The base origins a `.subdomains(of:)` rule would need to match an origin: `https://a.b.example.com`
  /// gives `https://b.example.com`, `https://example.com`, `https://com` (one per dot in the host).
  static func subdomainBaseCandidates(of origin: String) -> [String] {
    guard let r = origin.range(of: "://") else { return [] }
    let scheme = origin[..<r.upperBound]
    let rest = origin[r.upperBound...]
    var out: [String] = []
    var from = rest.startIndex
    while let dot = rest[from...].firstIndex(of: ".") {
      from = rest.index(after: dot)
      out.append(String(scheme) + rest[from...])
    }
    return out
  }
}

/// A policy's origin rules indexed by what they match, so that finding the first rule that allows an origin
/// costs about the same for an allowlist of 1,000 entries as for 3: exact origins and subdomain patterns
/// are looked up, only globs and regular expressions are tried one by one.
struct OriginRuleIndex: Sendable {
  private var rules: [OriginRule] = []
  private var exact: [String: Int] = [:]
  private var exactIgnoringCase: [String: Int] = [:]
  private var subdomainBases: [String: Int] = [:]
  private var any: Int?
  private var null: Int?
  /// Globs and regular expressions without a literal every match contains: tried for every origin.
  private var alwaysTried: [Int] = []
  /// The others, found by the literal they need (most origins contain none of them).
  private var literals = LiteralSearch()
  private var triedInOrder: [Int] = []
  /// Whether a rule is `*`.
  private(set) var containsAny = false
  /// Whether a rule is a regular expression.
  private(set) var containsRegex = false
  /// The exact origins, sorted (flask-cors lists them all when a request has no `Origin`).
  private(set) var sortedExactOrigins: [String] = []

  init(_ rules: [OriginRule]) {
    self.rules = rules
    for (k, rule) in rules.enumerated() {
      switch rule {
      case .any:
        if any == nil { any = k }
        containsAny = true
      case .null: if null == nil { null = k }
      case .exact(let o, let ignoringCase):
        if ignoringCase {
          if exactIgnoringCase[o.lowercased()] == nil { exactIgnoringCase[o.lowercased()] = k }
        } else if exact[o] == nil {
          exact[o] = k
        }
        sortedExactOrigins.append(o)
      case .subdomains(let base): if subdomainBases[base] == nil { subdomainBases[base] = k }
      case .glob(let g):
        triedInOrder.append(k)
        // rs/cors: the lower-cased origin starts with the part before `*` and ends with the part after it.
        let pattern = g.lowercased()
        let parts = pattern.split(separator: "*", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let longest = parts.max { $0.utf8.count < $1.utf8.count } ?? ""
        if longest.utf8.count >= 3, longest.utf8.allSatisfy({ $0 < 0x80 }) { literals.add(longest, k) } else { alwaysTried.append(k) }
      case .regex(let pattern, _, let ignoringCase):
        containsRegex = true
        // A pattern that does not compile matches nothing: it is never tried.
        guard case .success(let compiled) = OriginPattern.compiled(pattern, ignoringCase: ignoringCase) else { continue }
        triedInOrder.append(k)
        if let literal = compiled.requiredLiteral { literals.add(literal, k) } else { alwaysTried.append(k) }
      }
    }
    literals.finish()
    sortedExactOrigins.sort()
  }

  /// The index of the first rule that matches the origin, as `rules.firstIndex { $0.matches(origin) }`.
  func firstMatch(_ origin: String) -> Int? {
    var best = any ?? Int.max
    if origin == "null", let k = null { best = min(best, k) }
    if let k = exact[origin] { best = min(best, k) }
    if !exactIgnoringCase.isEmpty, let k = exactIgnoringCase[origin.lowercased()] { best = min(best, k) }
    if !subdomainBases.isEmpty {
      for base in OriginRule.subdomainBaseCandidates(of: origin) {
        if let k = subdomainBases[base], k < best, rules[k].matches(origin) { best = k }
      }
    }
    // The globs and regular expressions that can match, in order: those whose literal the origin contains and
    // those without one. (Literals are ASCII compared without case; an origin with other characters, whose
    // case folding could make ASCII, tries them all.)
    let candidates: [Int]
    let bytes = Array(origin.utf8)
    if triedInOrder.isEmpty {
      candidates = []
    } else if bytes.allSatisfy({ $0 < 0x80 }) {
      candidates = (literals.rules(containedIn: bytes) + alwaysTried).sorted()
    } else {
      candidates = triedInOrder
    }
    for k in candidates {
      if k >= best { break }
      if rules[k].matches(origin) {
        best = k
        break
      }
    }
    return best == Int.max ? nil : best
  }
}

/// Finds which of many ASCII literals a string contains, in one pass over the string (Aho and Corasick's
/// automaton: a trie of the literals with, at each node, where to go on when the next byte does not follow).
/// Literals and the text are compared without ASCII case.
struct LiteralSearch: Sendable {
  private var next: [[UInt8: Int]] = [[:]]
  private var fallback: [Int] = [0]
  /// The rules whose literal ends at each node.
  private var ending: [[Int]] = [[]]
  /// The nearest node down the fallback chain that ends literals (-1: none).
  private var endingLink: [Int] = [-1]

  static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

  mutating func add(_ literal: String, _ rule: Int) {
    var node = 0
    for b in literal.utf8 {
      let c = Self.lower(b)
      if let n = next[node][c] {
        node = n
      } else {
        next.append([:])
        fallback.append(0)
        ending.append([])
        endingLink.append(-1)
        next[node][c] = next.count - 1
        node = next.count - 1
      }
    }
    ending[node].append(rule)
  }

  /// Computes the fallbacks, breadth first (a node's fallback is shallower than the node).
  mutating func finish() {
    var queue = Array(next[0].values)
    var head = 0
    while head < queue.count {
      let node = queue[head]
      head += 1
      for (c, child) in next[node] {
        var f = fallback[node]
        while f != 0 && next[f][c] == nil { f = fallback[f] }
        let target = next[f][c] ?? 0
        fallback[child] = target == child ? 0 : target
        endingLink[child] = ending[fallback[child]].isEmpty ? endingLink[fallback[child]] : fallback[child]
        queue.append(child)
      }
    }
  }

  /// The rules whose literal occurs in the bytes (each once, in no order).
  func rules(containedIn bytes: [UInt8]) -> [Int] {
    guard next.count > 1 else { return [] }
    var found: [Int] = []
    var reported = Set<Int>()  // nodes whose literals (and those down their chain) are already found
    var node = 0
    for b in bytes {
      let c = Self.lower(b)
      while node != 0 && next[node][c] == nil { node = fallback[node] }
      node = next[node][c] ?? 0
      var n = ending[node].isEmpty ? endingLink[node] : node
      while n > 0, reported.insert(n).inserted {
        found += ending[n]
        n = endingLink[n]
      }
    }
    return found
  }
}

/// Where a policy keeps its origin index: shared by copies of a policy until its `origins` change, and
/// left out of equality and hashing (it is derived from `origins`).
struct OriginIndexCache: Sendable, Hashable {
  private final class Box: Sendable {
    let index = Mutex<OriginRuleIndex?>(nil)
  }
  private let box = Box()

  func index(for rules: [OriginRule]) -> OriginRuleIndex {
    box.index.withLock { cached in
      if let cached { return cached }
      let built = OriginRuleIndex(rules)
      cached = built
      return built
    }
  }

  static func == (a: OriginIndexCache, b: OriginIndexCache) -> Bool { true }
  func hash(into hasher: inout Hasher) {}
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
