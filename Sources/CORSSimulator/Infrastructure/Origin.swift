/// An origin: opaque, or a (scheme, host, port) tuple. html: browsers.html#concept-origin
///
/// Opaque origins compare by identity. Identity `0` stands for "a new opaque origin" (what a `data:` or
/// `file:` URL yields every time its origin is computed) and is never same origin with anything.
public enum Origin: Sendable, Hashable, CustomStringConvertible {
  /// An opaque origin with an identity.
  case opaque(UInt64)
  /// A tuple origin; `port` is nil when it is the scheme's default.
  case tuple(scheme: String, host: Host, port: Int?)

  /// The identity used for "a new opaque origin" that equals nothing.
  public static let fresh: UInt64 = 0

  /// The ASCII serialization of an origin. html: browsers.html#ascii-serialisation-of-an-origin
  public var serialization: String {
    switch self {
    case .opaque: return "null"
    case .tuple(let scheme, let host, let port):
      return HTTPSyntax.schemeHostPort(scheme, host.serialized, port)
    }
  }

  public var description: String { serialization }

  /// True for opaque origins.
  public var isOpaque: Bool {
    if case .opaque = self { return true }
    return false
  }

  /// The scheme of a tuple origin.
  public var scheme: String? {
    if case .tuple(let s, _, _) = self { return s }
    return nil
  }

  /// The host of a tuple origin.
  public var host: Host? {
    if case .tuple(_, let h, _) = self { return h }
    return nil
  }

  /// Same origin. html: browsers.html#same-origin
  public func isSameOrigin(_ other: Origin) -> Bool {
    switch (self, other) {
    case (.opaque(let a), .opaque(let b)): return a != Origin.fresh && a == b
    case (.tuple(let s1, let h1, let p1), .tuple(let s2, let h2, let p2)): return s1 == s2 && h1 == h2 && p1 == p2
    default: return false
    }
  }

  /// Same site, schemeful: same scheme and same registrable domain (or host, when it has none).
  /// html: browsers.html#same-site
  public func isSameSite(_ other: Origin) -> Bool {
    switch (self, other) {
    case (.opaque, .opaque): return isSameOrigin(other)
    case (.tuple(let s1, let h1, _), .tuple(let s2, let h2, _)):
      return s1 == s2 && PublicSuffixList.sameSite(h1, h2)
    default: return false
    }
  }

  /// Schemelessly same site: scheme and port ignored. html: browsers.html#schemelessly-same-site
  public func isSchemelesslySameSite(_ other: Origin) -> Bool {
    switch (self, other) {
    case (.opaque, .opaque): return isSameOrigin(other)
    case (.tuple(_, let h1, _), .tuple(_, let h2, _)):
      return PublicSuffixList.sameSite(h1, h2)
    default: return false
    }
  }

  /// Is origin potentially trustworthy? secure-contexts #is-origin-trustworthy
  ///
  /// `letLocalhostBeLocalhost` is step 4's UA choice (Chromium and Firefox make it; WebKit treats
  /// loopback as trustworthy for secure contexts but not for mixed content — see `MixedContent`).
  public func isPotentiallyTrustworthy(letLocalhostBeLocalhost: Bool = true) -> Bool {
    switch self {
    // 1. If origin is an opaque origin, return "Not Trustworthy".
    case .opaque: return false
    case .tuple(let scheme, let host, _):
      // 3. If origin's scheme is either "https" or "wss", return "Potentially Trustworthy".
      if scheme == "https" || scheme == "wss" { return true }
      // 4. If origin's host matches one of the CIDR notations 127.0.0.0/8 or ::1/128, return "Potentially Trustworthy".
      if host.isLoopbackAddress { return true }
      // 5. If the user agent conforms to "let localhost be localhost" and host is "localhost" or ends in ".localhost".
      if letLocalhostBeLocalhost, host.isLocalhostName { return true }
      // 6. If origin's scheme is "file", return "Potentially Trustworthy".
      if scheme == "file" { return true }
      return false
    }
  }
}

extension Host {
  /// 127.0.0.0/8 or ::1. secure-contexts #is-origin-trustworthy step 4
  public var isLoopbackAddress: Bool {
    switch self {
    case .ipv4(let v): return v >> 24 == 127
    case .ipv6(let a): return a.pieces == [0, 0, 0, 0, 0, 0, 0, 1]
    default: return false
    }
  }

  /// `localhost`, `localhost.`, or a name ending in `.localhost` / `.localhost.`.
  public var isLocalhostName: Bool {
    guard case .domain(let d) = self else { return false }
    return HTTPSyntax.hasSuffix(d, "localhost") || HTTPSyntax.hasSuffix(d, "localhost.")
      ? d == "localhost" || d == "localhost." || HTTPSyntax.hasSuffix(d, ".localhost") || HTTPSyntax.hasSuffix(d, ".localhost.")
      : false
  }
}

extension URLRecord {
  /// Is url potentially trustworthy? secure-contexts #is-url-trustworthy
  public func isPotentiallyTrustworthy(letLocalhostBeLocalhost: Bool = true) -> Bool {
    // (An https or wss URL has an https or wss origin: step 3 below, answered without building the origin.)
    if scheme == "https" || scheme == "wss" { return true }
    // 1. If url is "about:blank" or "about:srcdoc", return "Potentially Trustworthy".
    if scheme == "about", case .opaque(let p) = path, p == "blank" || p == "srcdoc" { return true }
    // 2. If url's scheme is "data", return "Potentially Trustworthy".
    if scheme == "data" { return true }
    if scheme == "file" { return true }
    // 3. Return the result of executing is origin potentially trustworthy on url's origin.
    return origin.isPotentiallyTrustworthy(letLocalhostBeLocalhost: letLocalhostBeLocalhost)
  }
}
