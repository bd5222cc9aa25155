import CORSScenario
import CORSSimulator

/// The REPL's completion vocabularies.
enum SessionHelp {
  /// Header names offered by completion: the CORS ones first.
  static let headerNames = [
    "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers", "Access-Control-Expose-Headers", "Access-Control-Max-Age", "Vary",
    "Access-Control-Request-Method", "Access-Control-Request-Headers", "Origin", "Authorization", "Content-Type",
    "Accept", "Accept-Language", "Content-Language", "Range", "Cookie", "Set-Cookie", "Location", "Cache-Control",
    "Cross-Origin-Resource-Policy", "Content-Length", "X-Requested-With", "X-CSRF-Token", "X-API-Key",
  ]

  /// Methods offered by completion.
  static let methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

  /// Values offered after a header name: the session's origins, methods, `true`, the common types.
  static func headerValues(_ name: String, session: Session) -> [String] {
    switch HeaderName(name).canonicalName {
    case "access-control-allow-origin": return session.originsUsed + ["*", "null"]
    case "origin": return session.originsUsed
    case "access-control-allow-credentials": return ["true"]
    case "access-control-allow-methods", "access-control-request-method": return methods + ["*"]
    case "access-control-allow-headers", "access-control-expose-headers", "access-control-request-headers":
      return ["content-type", "authorization", "x-requested-with", "*"]
    case "access-control-max-age": return ["0", "600", "7200", "86400"]
    case "vary": return ["Origin"]
    case "content-type": return ["application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "text/css", "text/javascript"]
    case "location": return session.requestURLs + session.routeURLs
    case "cross-origin-resource-policy": return ["same-origin", "same-site", "cross-origin"]
    default: return []
    }
  }
}
