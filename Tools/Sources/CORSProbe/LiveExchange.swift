import AsyncHTTPClient
import CORSPolicy
import CORSSimulator
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// The bounds of live probing: how long to wait, how much to read, how many redirects to follow, whether
/// to verify TLS.
public struct ProbeLimits: Sendable, Hashable {
  /// Seconds to wait for a connection.
  public var connectTimeout: Double
  /// Seconds to wait for a whole answer (headers and body).
  public var requestTimeout: Double
  /// The largest body read, in bytes; the rest is not read (CORS decisions depend on headers alone).
  public var maxBodyBytes: Int
  /// The most redirects followed for one request (browsers stop at 20).
  public var maxRedirects: Int
  /// Whether TLS certificates are verified.
  public var verifyTLS: Bool
  /// How many requests are in flight at once during an audit.
  public var concurrency: Int
  /// The most requests started per second (nil: as fast as the concurrency allows).
  public var rate: Double?

  /// Creates limits.
  public init(connectTimeout: Double = 5, requestTimeout: Double = 10, maxBodyBytes: Int = 1 << 20, maxRedirects: Int = 20,
              verifyTLS: Bool = true, concurrency: Int = 8, rate: Double? = nil) {
    self.rate = rate
    self.connectTimeout = connectTimeout
    self.requestTimeout = requestTimeout
    self.maxBodyBytes = maxBodyBytes
    self.maxRedirects = maxRedirects
    self.verifyTLS = verifyTLS
    self.concurrency = concurrency
  }
}

/// One request sent to the real server and what came back.
public struct LiveExchange: Sendable, Hashable {
  /// The request, as the engine put it on the wire (the decision's headers).
  public var request: ServerRequest
  /// The header lines actually sent, including those a browser adds itself (`Accept`, `Sec-Fetch-*`…).
  public var sentHeaders: HeaderList
  /// The status (nil: no answer).
  public var status: Int?
  /// The answer's header lines, in order, duplicates kept.
  public var headers: HeaderList
  /// How many body bytes were read.
  public var bodyBytes: Int
  /// True when the body was longer than the limit and reading stopped.
  public var truncated: Bool
  /// Why there is no answer (timeout, refused, TLS…).
  public var failure: String?
  /// Why the body was not read to its end although the status and headers arrived (a stalled or broken
  /// body). The answer still counts: a browser decides CORS on the headers, before the body.
  public var bodyFailure: String? = nil
  /// Seconds from sending to the end of the answer.
  public var seconds: Double

  /// True when the server answered: a status and no failure (an answer cut short by a failure is none).
  public var isAnswered: Bool { status != nil && failure == nil }

  /// The answer as an asynchronous server's: a status and header lines, or why there is none.
  public var answer: ResponderAnswer {
    guard let status, isAnswered else { return .failed(failure ?? "no answer") }
    return ResponderAnswer(status: status, headers: headers)
  }
}

/// A `Cookie` header value and the one origin it is sent to.
///
/// A browser sends a cookie only to the site it belongs to: to a request whose host the cookie's domain
/// matches (RFC 6265 §5.4 step 1), never to another site a redirect names. corsim is stricter, for simplicity
/// and safety: the cookie goes to its exact origin (scheme, host and port) and nowhere else.
public struct LiveCookie: Sendable, Hashable {
  /// The `Cookie` header value.
  public var value: String
  /// The origin it belongs to.
  public var origin: Origin

  /// Creates a cookie for an origin.
  public init(_ value: String, origin: Origin) {
    self.value = value
    self.origin = origin
  }
}

/// Sends requests with AsyncHTTPClient, with redirects left to corsim (the client never follows them).
public final class LiveClient: Sendable {
  let client: HTTPClient
  /// The limits.
  public let limits: ProbeLimits
  /// A `Cookie` sent with credentialed requests to its own origin (nil: none).
  public let cookie: LiveCookie?
  /// The `User-Agent` sent.
  public let userAgent: String

  /// Creates a client; call `shutdown()` when done.
  public init(limits: ProbeLimits, cookie: LiveCookie? = nil, userAgent: String = "corsim-probe/1") {
    self.limits = limits
    self.cookie = cookie
    self.userAgent = userAgent
    var configuration = HTTPClient.Configuration(
      certificateVerification: limits.verifyTLS ? .fullVerification : .none,
      redirectConfiguration: .disallow,
      timeout: .init(connect: .milliseconds(Int64(limits.connectTimeout * 1000)), read: .milliseconds(Int64(limits.requestTimeout * 1000))))
    configuration.decompression = .disabled
    // One connection per request in flight (the pool's own limit, 8, would queue the rest).
    configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(8, limits.concurrency)
    // A status outside 100–599 is refused before the client's state machine sees it (StatusLineGuard).
    configuration.http1_1ConnectionDebugInitializer = StatusLineGuard.installHTTP1
    configuration.http2StreamChannelDebugInitializer = StatusLineGuard.installHTTP2
    client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
  }

  /// Closes the client's connections.
  public func shutdown() async { try? await client.shutdown() }

  /// The header lines a browser sends with a request, besides those the decision depends on.
  func browserHeaders(_ r: ServerRequest, origin: String?) -> [HeaderField] {
    var out: [HeaderField] = []
    if !r.headers.contains(.accept) { out.append(HeaderField(.accept, "*/*")) }
    out.append(HeaderField("User-Agent", userAgent))
    out.append(HeaderField("Sec-Fetch-Mode", "cors"))
    out.append(HeaderField("Sec-Fetch-Dest", "empty"))
    if let origin, let page = try? URLRecord(origin + "/") {
      let site = page.origin.isSameOrigin(r.url.origin) ? "same-origin" : page.origin.isSameSite(r.url.origin) ? "same-site" : "cross-site"
      out.append(HeaderField("Sec-Fetch-Site", site))
    } else {
      out.append(HeaderField("Sec-Fetch-Site", "cross-site"))
    }
    // The cookie goes to its own origin only, never to the other origin a redirect names (LiveCookie).
    if r.includesCredentials, let cookie, r.url.origin.isSameOrigin(cookie.origin) { out.append(HeaderField("Cookie", cookie.value)) }
    return out
  }

  /// Sends one request and reads its answer within the limits; failures become exchanges without a status.
  public func send(_ r: ServerRequest, body: String? = nil) async -> LiveExchange {
    let start = ContinuousClock.now
    func seconds() -> Double {
      let d = ContinuousClock.now - start
      return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
    let headers = HeaderList(r.headers.fields + browserHeaders(r, origin: r.value(of: .origin)))
    var exchange = LiveExchange(request: r, sentHeaders: headers, status: nil, headers: [], bodyBytes: 0, truncated: false,
                                failure: nil, seconds: 0)
    var request = HTTPClientRequest(url: r.url.hrefWithoutFragment)
    request.method = HTTPMethod(rawValue: r.method.rawValue)
    for h in headers { request.headers.add(name: h.name.rawName, value: h.value) }
    if let body, !r.isPreflight, r.method != .get, r.method != .head {
      request.body = .bytes(ByteBuffer(string: body))
    }
    let deadline = TimeAmount.milliseconds(Int64(limits.requestTimeout * 1000))
    let response: HTTPClientResponse
    do {
      response = try await client.execute(request, timeout: deadline)
    } catch {
      exchange.failure = LiveClient.describe(error, limits: limits, beforeHead: true)
      exchange.seconds = seconds()
      return exchange
    }
    exchange.status = Int(response.status.code)
    exchange.headers = HeaderList(response.headers.map { HeaderField(HeaderName($0.name), $0.value) })
    // The body gets a time-out of its own, from the head's arrival: a server that dribbles bytes never trips
    // the client's idle read time-out.
    let headArrived = ContinuousClock.now
    func bodySeconds() -> Double {
      let d = ContinuousClock.now - headArrived
      return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
    do {
      var iterator = response.body.makeAsyncIterator()
      while let chunk = try await iterator.next() {
        exchange.bodyBytes += chunk.readableBytes
        if exchange.bodyBytes > limits.maxBodyBytes {
          exchange.truncated = true
          exchange.bodyBytes = limits.maxBodyBytes
          break
        }
        // A body that outlasts the time-out stops being read, whether this check or the client's read
        // time-out (below) notices first; the status and headers stand.
        if bodySeconds() > limits.requestTimeout {
          exchange.bodyFailure = "timed out after \(limits.requestTimeout) s"
          break
        }
      }
    } catch {
      exchange.bodyFailure = LiveClient.describe(error, limits: limits, beforeHead: false)
    }
    exchange.seconds = seconds()
    return exchange
  }

  /// Why there is no answer, in a few words. `beforeHead`: the error came before the status line was read.
  static func describe(_ error: Error, limits: ProbeLimits, beforeHead: Bool) -> String {
    if let e = error as? HTTPClientError {
      switch e {
      case .deadlineExceeded, .readTimeout: return "timed out after \(limits.requestTimeout) s"
      case .connectTimeout: return "no connection within \(limits.connectTimeout) s"
      case .remoteConnectionClosed: return "the connection closed" + (beforeHead ? " before an answer" : "")
      case .getConnectionFromPoolTimeout: return "no connection within \(limits.connectTimeout) s (all busy)"
      default: return "\(e)"
      }
    }
    // Before the head, the parser fails on the status line: not `HTTP/1.x` (`abc`), or a code that is not
    // three digits (`99999`, `1000`).
    if beforeHead, let e = error as? HTTPParserError, [.invalidStatus, .invalidConstant, .invalidVersion].contains(e) {
      return InvalidStatusLine(code: nil).description
    }
    if error is NIOSSLError { return "TLS: \(error)" }
    return "\(error)"
  }
}
