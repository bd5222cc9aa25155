import CORSJSON
import CORSScenario

/// One request the scripted server received, as it arrived: whether a preflight was sent, and with which
/// `Access-Control-Request-*` values, is read from here, never assumed.
public struct RequestRecord: Sendable, Hashable {
  /// The scenario it belongs to (from its path prefix, else the scenario playing), nil when none was.
  public var scenario: Int?
  /// The step that was playing (0-based), -1 before the first step's mark.
  public var step: Int
  /// The method, as sent.
  public var method: String
  /// The request URL as the scenario writes it: scheme (TLS or not), the Host header, the target with the
  /// scenario prefix removed, serialized by the URL parser.
  public var url: String
  /// The request target exactly as sent.
  public var target: String
  /// Every header line, in order, names as sent.
  public var headers: [(name: String, value: String)]
  /// The body's size in bytes.
  public var bodyLength: Int
  /// Whether it came over TLS.
  public var tls: Bool
  /// Seconds since the server started.
  public var time: Double
  /// Whether the server closed the connection without answering (a route with `networkError`).
  public var unanswered = false

  public static func == (a: RequestRecord, b: RequestRecord) -> Bool {
    a.scenario == b.scenario && a.step == b.step && a.method == b.method && a.url == b.url && a.target == b.target
      && a.headers.elementsEqual(b.headers, by: { $0.name == $1.name && $0.value == $1.value })
      && a.bodyLength == b.bodyLength && a.tls == b.tls && a.time == b.time && a.unanswered == b.unanswered
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(method)
    hasher.combine(url)
    hasher.combine(time)
  }

  /// The log line: `{"scenario", "step", "method", "url", "target", "tls", "bodyLength", "time", "unanswered",
  /// "headers"}`.
  public var json: JSONValue {
    .object([
      ("scenario", scenario.map { .number(Double($0)) } ?? .null),
      ("step", .number(Double(step))),
      ("method", .string(method)),
      ("url", .string(url)),
      ("target", .string(target)),
      ("tls", .bool(tls)),
      ("bodyLength", .number(Double(bodyLength))),
      ("time", .number((time * 1000).rounded() / 1000)),
      ("unanswered", .bool(unanswered)),
      ("headers", .array(headers.map { .array([.string($0.name), .string($0.value)]) })),
    ])
  }
}
