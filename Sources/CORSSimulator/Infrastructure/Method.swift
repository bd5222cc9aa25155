/// An HTTP request method: a token, case-sensitive after normalization. fetch.bs #concept-method
///
/// Any string can be a `Method` — the script may write `"get"`, `"TRACE"` or `"a b"`, and the engine judges it
/// (normalized, `method-forbidden`, `method-invalid`) as the browser would. ``isValid`` says whether it is a token.
public struct Method: Sendable, Hashable, Codable, CustomStringConvertible, ExpressibleByStringLiteral,
  RawRepresentable {
  /// The method's bytes, exactly as they go on the wire.
  public let rawValue: String

  /// Wraps a method without normalizing it.
  public init(_ rawValue: String) { self.rawValue = rawValue }
  /// Wraps a method without normalizing it.
  public init(rawValue: String) { self.rawValue = rawValue }
  public init(stringLiteral value: String) { self.rawValue = value }

  /// The `GET` method.
  public static let get: Method = "GET"
  /// The `HEAD` method.
  public static let head: Method = "HEAD"
  /// The `POST` method.
  public static let post: Method = "POST"
  /// The `PUT` method.
  public static let put: Method = "PUT"
  /// The `DELETE` method.
  public static let delete: Method = "DELETE"
  /// The `OPTIONS` method.
  public static let options: Method = "OPTIONS"
  /// The `PATCH` method (not normalized: `patch` stays lower-case).
  public static let patch: Method = "PATCH"

  public var description: String { rawValue }

  /// A method is a byte sequence that matches the method token production. fetch.bs #concept-method
  public var isValid: Bool { HTTPSyntax.isToken(rawValue) }

  /// `CONNECT`, `TRACE` or `TRACK`, byte-case-insensitively. fetch.bs #forbidden-method
  public var isForbidden: Bool {
    Method.isForbidden(rawValue)
  }

  static func isForbidden(_ s: some StringProtocol) -> Bool {
    HTTPSyntax.equalsIgnoringASCIICase(s, "CONNECT") || HTTPSyntax.equalsIgnoringASCIICase(s, "TRACE")
      || HTTPSyntax.equalsIgnoringASCIICase(s, "TRACK")
  }

  /// `GET`, `HEAD` or `POST`, byte-exact. fetch.bs #cors-safelisted-method
  public var isCORSSafelisted: Bool { rawValue == "GET" || rawValue == "HEAD" || rawValue == "POST" }

  /// Byte-uppercases DELETE, GET, HEAD, OPTIONS, POST and PUT; every other method keeps its case.
  /// fetch.bs #concept-method-normalize
  public var normalized: Method {
    // Already upper-case (the usual case): nothing to do, and no list to walk.
    switch rawValue {
    case "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS": return self
    default: break
    }
    for m in Method.normalizedNames where HTTPSyntax.equalsIgnoringASCIICase(rawValue, m) {
      return Method(m)
    }
    return self
  }

  static let normalizedNames = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]
}
