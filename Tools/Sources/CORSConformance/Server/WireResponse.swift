import CORSSimulator

/// The bytes of an HTTP/1.1 response, written by hand so that nothing is added or rewritten: swift-nio's
/// response encoder would add `transfer-encoding: chunked` or `content-length`, and HTTP libraries
/// normalise names and merge duplicates.
///
/// Framing: a scenario's response carries exactly its route's header lines, so its body is delimited by the
/// server closing the connection (RFC 9112 §6.3, rule 8), which every browser reads. The server closes the
/// connection after every response, bodiless ones (HEAD, 1xx, 204, 304) included, so no connection is
/// reused across requests. When a route lists `Transfer-Encoding: chunked` itself, the body is sent as one
/// chunk so that the bytes still parse. When a route lists one `Content-Length` line with a number, the
/// body is made that long (the route's body cut, or padded with spaces): scenarios write the header for
/// what script may read, not to test truncated bodies, and a body shorter than its `Content-Length` is a
/// network error in Firefox (NS_ERROR_NET_PARTIAL_TRANSFER) where Chromium and WebKit deliver it. A route
/// that answers an element load with no body of its own gets the plan's substitute (`ElementBodies`).
public enum WireResponse {
  /// A scenario route's response: status line, the header lines in order, the blank line, the body.
  public static func route(_ route: WireRoute, method: String) -> [UInt8] {
    var out = statusLine(route.status)
    for line in route.headerLines { out += Array("\(line.name): \(line.value)\r\n".utf8) }
    out += Array("\r\n".utf8)
    guard hasBody(status: route.status, method: method) else { return out }
    let chunked = route.headerLines.contains { $0.name == "transfer-encoding" && $0.value.lowercased().contains("chunked") }
    var body = route.substitutedBody ?? BodyBytes.bytes(route.body ?? "")
    if !chunked, let length = declaredLength(route.headerLines), length <= 1 << 24 {
      body = Array(body.prefix(length)) + Array(repeating: UInt8(ascii: " "), count: max(0, length - body.count))
    }
    guard !body.isEmpty else { return out }
    if chunked {
      out += Array(String(body.count, radix: 16).utf8) + Array("\r\n".utf8)
      out += body + Array("\r\n0\r\n\r\n".utf8)
    } else {
      out += body
    }
    return out
  }

  /// The length a single `Content-Length` line declares (digits only, spaces around allowed), else nil.
  static func declaredLength(_ lines: HeaderList) -> Int? {
    let values = lines.filter { $0.name == "content-length" }.map { $0.value.trimmingWhitespace }
    guard values.count == 1, let v = values.first, !v.isEmpty, v.count <= 9, v.allSatisfy({ $0.isASCII && $0.isNumber })
    else { return nil }
    return Int(v)
  }

  /// The answer when no route matches: 404 with no header lines at all.
  public static let notFound: [UInt8] = Array("HTTP/1.1 404 Not Found\r\n\r\n".utf8)

  /// A response of the harness's own (runner pages, control endpoints): framed with Content-Length and
  /// `Connection: close`.
  public static func harness(status: Int = 200, contentType: String, body: [UInt8], extraHeaders: HeaderList = [])
    -> [UInt8] {
    var out = statusLine(status)
    var lines: HeaderList = [
      ("Content-Type", contentType),
      ("Content-Length", String(body.count)),
      ("Cache-Control", "no-store"),
      ("Cross-Origin-Resource-Policy", "cross-origin"),
      ("Connection", "close"),
    ]
    for line in extraHeaders { lines.append(line) }
    for line in lines { out += Array("\(line.name): \(line.value)\r\n".utf8) }
    out += Array("\r\n".utf8)
    return out + body
  }

  /// Whether a response to this method with this status has a body (RFC 9110 §6.4.1).
  static func hasBody(status: Int, method: String) -> Bool {
    !(method == "HEAD" || (100..<200).contains(status) || status == 204 || status == 304)
  }

  static func statusLine(_ status: Int) -> [UInt8] {
    Array("HTTP/1.1 \(status) \(reasonPhrase(status))\r\n".utf8)
  }

  /// The RFC 9110 reason phrases (`ReasonPhrase`, which the simulator's console lines use too).
  static func reasonPhrase(_ status: Int) -> String { ReasonPhrase.of(status) }
}
