import CORSSimulator

/// The rs/cors releases whose behaviour differs, read from each tag's cors.go (github.com/rs/cors):
///
/// | since | change |
/// |---|---|
/// | 1.7.0 | a granted preflight answers 200; `Vary` as three lines; `MaxAge` ≤ 0 sends nothing; methods upper-cased; headers compared canonically (`Content-Type`), `Origin` always allowed, requested headers echoed canonical |
/// | 1.8.0 | preflights answer 204 |
/// | 1.8.1 | `OptionsSuccessStatus` |
/// | 1.8.3 | `AllowPrivateNetwork` |
/// | 1.10.0 | one `Vary` line on preflights; a negative `MaxAge` sends `0`; methods compared as written; `Origin` no longer added to the allowed headers |
/// | 1.11.0 | headers compared lower-cased as a sorted set, requested headers echoed as sent |
///
/// Debian 12 ships 1.7.0 (golang-github-rs-cors-dev); 1.11.1 is the newest. The preset models 1.11.1 unless
/// the policy file says `version:`.
public struct RsCorsVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The minor and patch numbers (the major is 1).
  public var minor: Int
  public var patch: Int

  /// The releases modelled, oldest first.
  public static let known: [RsCorsVersion] = [
    .init(7, 0), .init(8, 0), .init(8, 1), .init(8, 2), .init(8, 3), .init(9, 0), .init(10, 0), .init(10, 1), .init(11, 0), .init(11, 1),
  ]
  /// The default: the newest.
  public static let latest = RsCorsVersion(11, 1)

  init(_ minor: Int, _ patch: Int) {
    self.minor = minor
    self.patch = patch
  }

  /// Reads `1.7.0`, `v1.7.0` or `1.7` (the newest patch of that minor release).
  public init(_ text: String) throws(PolicyFileError) {
    let parts = (text.hasPrefix("v") ? String(text.dropFirst()) : text).split(separator: ".").map { Int($0) }
    let known = RsCorsVersion.known.map(\.description).joined(separator: ", ")
    guard parts.count >= 2, parts.count <= 3, parts.allSatisfy({ $0 != nil }), parts[0] == 1 else {
      throw PolicyFileError("version: '\(text)' is not an rs/cors version (modelled: \(known))")
    }
    let minor = parts[1]!
    let candidates = RsCorsVersion.known.filter { $0.minor == minor && (parts.count == 2 || $0.patch == parts[2]!) }
    guard let v = candidates.last else {
      throw PolicyFileError("version: rs/cors \(text) is not modelled (modelled: \(known))")
    }
    self = v
  }

  public var description: String { "1.\(minor).\(patch)" }
  public static func < (a: RsCorsVersion, b: RsCorsVersion) -> Bool { (a.minor, a.patch) < (b.minor, b.patch) }

  /// Go's `http.CanonicalHeaderKey`: upper case at the start and after `-`, lower case elsewhere.
  static func canonical(_ name: String) -> String {
    var out = ""
    var upper = true
    for c in name {
      out += upper ? c.uppercased() : c.lowercased()
      upper = c == "-"
    }
    return out
  }

  /// rs/cors ≤ 1.9 `parseHeaderList`: split on spaces and commas, keep letters, digits, `-` and `_`, canonical
  /// case (upper after `-` and `_`).
  static func parseHeaderList(_ list: String) -> [String] {
    var out: [String] = []
    var current = ""
    var upper = true
    for c in list {
      if c == " " || c == "," {
        if !current.isEmpty { out.append(current) }
        current = ""
        upper = true
        continue
      }
      guard c.isASCII, c.isLetter || c.isNumber || c == "-" || c == "_" else { continue }
      current += upper ? c.uppercased() : c.lowercased()
      upper = c == "-" || c == "_"
    }
    if !current.isEmpty { out.append(current) }
    return out
  }
}

extension CORSPolicy {
  /// The rs/cors release modelled (nil for other middlewares).
  var rsCorsVersion: RsCorsVersion? {
    guard middleware == .rsCors else { return nil }
    return middlewareVersion.flatMap { try? RsCorsVersion($0) } ?? .latest
  }

  /// rs/cors before 1.11 (cors.go `handlePreflight`, `handleActualRequest` at each tag); nil for 1.11, which
  /// `answer` models.
  func answerRsCorsBefore111(_ request: ServerRequest) -> Route? {
    guard let v = rsCorsVersion, v < RsCorsVersion(11, 0) else { return nil }
    let origin = request.value(of: "Origin")
    var out = HeaderList()
    func add(_ name: String, _ value: String) { out.append(HeaderName(name), value) }
    let allowsAll = origins.contains(.any)
    let before110 = v < RsCorsVersion(10, 0)
    func methodAllowed(_ m: String) -> Bool {
      let method = before110 ? m.uppercased() : m
      return method == "OPTIONS" || methods.names.contains(method)
    }
    func originAllowed(_ o: String?) -> Bool { o.map { !$0.isEmpty && rule(allowing: $0) != nil } ?? false }
    if request.method == "OPTIONS", let acrm = request.value(of: "Access-Control-Request-Method"), !acrm.isEmpty {
      if before110 {
        for name in ["Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"] { add("Vary", name) }
      } else {
        add("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
            + (privateNetwork ? ", Access-Control-Request-Private-Network" : ""))
      }
      let status = v < RsCorsVersion(8, 0) ? 200 : preflightStatus
      let done = Route(method: request.method, url: request.url, status: status, headers: out, body: nil)
      guard originAllowed(origin), methodAllowed(acrm) else { return done }
      let raw = request.value(of: "Access-Control-Request-Headers") ?? ""
      let parsed = before110 ? RsCorsVersion.parseHeaderList(raw)
        : raw.split(separator: ",").map { RsCorsVersion.canonical(String($0).trimmedOWS) }.filter { !$0.isEmpty }
      let allowed = requestHeaders.names.map(RsCorsVersion.canonical)
      guard requestHeaders == .wildcard || parsed.allSatisfy({ allowed.contains($0) }) else { return done }
      add("Access-Control-Allow-Origin", allowsAll ? "*" : origin!)
      add("Access-Control-Allow-Methods", before110 ? acrm.uppercased() : acrm)
      if !parsed.isEmpty {
        // 1.10 echoes the request's value when canonical case changed nothing.
        let unchanged = !before110 && parsed == raw.split(separator: ",").map { String($0).trimmedOWS }
        add("Access-Control-Allow-Headers", unchanged ? raw : parsed.joined(separator: ", "))
      }
      if credentials { add("Access-Control-Allow-Credentials", "true") }
      if v >= RsCorsVersion(8, 3), privateNetwork, request.value(of: "Access-Control-Request-Private-Network") == "true" {
        add("Access-Control-Allow-Private-Network", "true")
      }
      if let maxAge, maxAge > 0 { add("Access-Control-Max-Age", String(maxAge)) } else if let maxAge, maxAge < 0, !before110 { add("Access-Control-Max-Age", "0") }
      return Route(method: request.method, url: request.url, status: status, headers: out, body: nil)
    }
    add("Vary", "Origin")
    if originAllowed(origin), methodAllowed(request.method.rawValue) {
      add("Access-Control-Allow-Origin", allowsAll ? "*" : origin!)
      if !exposedHeaders.isEmpty { add("Access-Control-Expose-Headers", exposedHeaders.map(RsCorsVersion.canonical).joined(separator: ", ")) }
      if credentials { add("Access-Control-Allow-Credentials", "true") }
    }
    var headers = application.headers
    for f in out { headers.append(f) }
    return Route(method: request.method, url: request.url, status: application.status, headers: headers, body: application.body)
  }
}
