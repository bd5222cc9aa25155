import CORSJSON

/// Property-style redirect chains: random scenarios (oracle input lines) of one or two fetches through one to
/// three redirects, for the conformance runner to play, so that a rule of redirect handling nobody wrote down
/// shows up as a disagreement between a real engine and the simulator.
///
/// Each chain varies what the engines' redirect rules turn on (fetch §4.5 HTTP-redirect fetch,
/// #concept-http-redirect-fetch; Gecko nsCORSListenerProxy::AsyncOnChannelRedirect / CheckPreflightNeeded;
/// Chromium CorsURLLoader::FollowRedirect; WebKit NetworkLoadChecker / DocumentThreadableLoader redirect
/// handling): the method (a 301/302 of a POST and a 303 of anything but GET/HEAD rewrite it), the author's
/// request headers (`X-Custom` and `Authorization` are CORS-unsafe; `Authorization` goes on a cross-origin
/// hop; `Content-Type: application/json` goes with the body on a rewrite), the credentials mode, each hop's
/// status and origin (the page's, the API's, a third one: the origin is tainted to `null` once a hop leaves an
/// origin other than the page's), and what each server answers: preflights allow every method and header
/// or leave some out, responses allow the origin the request carries, `*`, the page's origin, `null`, or none.
///
/// Paths are unique per chain (`/chain<n>/…`): the harness prefixes only a scenario's own URLs, not redirect
/// targets, and two chains must not share a preflight-cache entry.
public struct RedirectChains: Sendable {
  /// The seed: the same seed gives the same chains.
  public let seed: UInt64

  /// Creates a generator.
  public init(seed: UInt64) { self.seed = seed }

  /// The page every chain plays from.
  public static let page = "https://app.example/index.html"
  static let pageOrigin = "https://app.example"
  static let origins = [pageOrigin, "https://api.example", "https://other.example"]

  /// Chain `n` (its own random stream, so chain `n` is the same whatever the count).
  public func chain(_ n: Int) -> JSONValue {
    var rng = SplitMix64(seed: seed &+ UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15)
    return RedirectChains.build(n: n, seed: seed, &rng)
  }

  /// The first `count` chains.
  public func chains(_ count: Int) -> [JSONValue] { (0..<max(0, count)).map(chain) }

  static func build(n: Int, seed: UInt64, _ rng: inout SplitMix64) -> JSONValue {
    let method = rng.pick(["GET", "GET", "POST", "POST", "PUT", "DELETE", "HEAD"])
    var headers: [(String, String)] = []
    if rng.chance(0.35) { headers.append(("X-Custom", "1")) }
    if rng.chance(0.3) { headers.append(("Authorization", "Bearer t")) }
    let hasBody = method != "GET" && method != "HEAD"
    if hasBody {
      switch rng.below(3) {
      case 0: headers.append(("Content-Type", "application/json"))
      case 1: headers.append(("Content-Type", "text/plain"))
      default: break
      }
    }
    let credentials = rng.pick(["same-origin", "same-origin", "include", "omit"])
    // The hops: the first URL, then each redirect's target.
    let hopCount = 1 + rng.below(3)
    var urls: [String] = []
    var statuses: [Int] = []
    for k in 0...hopCount {
      // The first URL leaves the page's origin more often than not; later hops go anywhere.
      let origin = k == 0 ? rng.pick([origins[0], origins[1], origins[1]]) : rng.pick(origins)
      urls.append("\(origin)/chain\(n)/\(k)")
      if k < hopCount { statuses.append(rng.pick([301, 302, 303, 307, 308])) }
    }
    // What the request carries at each hop, as a simple walk of the standard: the method, whether the origin
    // is tainted (#concept-http-redirect-fetch step 14) and whether a response on that URL needs CORS at all.
    var currentMethod = method
    var tainted = false
    var crossed = false
    var routes: [JSONValue] = []
    for k in 0...hopCount {
      let url = urls[k]
      let origin = originOf(url)
      if origin != pageOrigin { crossed = true }
      let expectedOrigin = tainted ? "null" : pageOrigin
      let credentialed = credentials == "include"
      // The preflight's answer, when one is asked for.
      if crossed || rng.chance(0.2) {
        var pre: [(String, String)] = []
        pre.append(("Access-Control-Allow-Origin", allowOrigin(&rng, expected: expectedOrigin, credentialed: credentialed)))
        if credentialed { pre.append(("Access-Control-Allow-Credentials", "true")) }
        if rng.chance(0.85) { pre.append(("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, HEAD")) }
        if rng.chance(0.8) {
          pre.append(("Access-Control-Allow-Headers", rng.chance(0.8) ? "X-Custom, Authorization, Content-Type" : "X-Custom, Content-Type"))
        }
        routes.append(route("OPTIONS", url, status: rng.chance(0.93) ? 204 : 403, headers: pre))
      }
      var lines: [(String, String)] = [("Access-Control-Allow-Origin", allowOrigin(&rng, expected: expectedOrigin, credentialed: credentialed))]
      if credentialed && rng.chance(0.9) { lines.append(("Access-Control-Allow-Credentials", "true")) }
      if k < hopCount {
        let status = statuses[k]
        lines.append(("Location", urls[k + 1]))
        routes.append(route("*", url, status: status, headers: lines))
        if ((status == 301 || status == 302) && currentMethod == "POST")
          || (status == 303 && currentMethod != "GET" && currentMethod != "HEAD") {
          currentMethod = "GET"
        }
        let next = urls[k + 1]
        let nextOrigin = originOf(next)
        if nextOrigin != origin && origin != pageOrigin { tainted = true }
      } else {
        lines.append(("Content-Type", "text/plain"))
        routes.append(route("*", url, status: 200, headers: lines, body: "ok"))
      }
    }
    var step: [(String, JSONValue)] = [("url", .string(urls[0]))]
    if method != "GET" { step.append(("method", .string(method))) }
    if !headers.isEmpty {
      step.append(("headers", .array(headers.map { .array([.string($0.0), .string($0.1)]) })))
    }
    if hasBody { step.append(("body", .string("x"))) }
    if credentials != "same-origin" { step.append(("credentials", .string(credentials))) }
    var steps: [JSONValue] = [.object(step)]
    // A second, identical fetch now and then: what the preflight cache kept from the chain.
    if rng.chance(0.15) { steps.append(.object(step)) }
    return .object([
      ("id", .string("chain-\(seed)-\(n)")),
      ("page", .string(page)),
      ("steps", .array(steps)),
      ("server", .array(routes)),
    ])
  }

  /// The serialized origin of an `https://host/…` URL this generator made.
  static func originOf(_ url: String) -> String {
    guard let r = url.range(of: "://") else { return url }
    return String(url[..<r.upperBound]) + url[r.upperBound...].prefix { $0 != "/" }
  }

  static func allowOrigin(_ rng: inout SplitMix64, expected: String, credentialed: Bool) -> String {
    if rng.chance(0.75) { return expected }
    return rng.pick(["*", pageOrigin, "null", "https://api.example"])
  }

  static func route(_ method: String, _ url: String, status: Int, headers: [(String, String)], body: String? = nil)
    -> JSONValue {
    var members: [(String, JSONValue)] = [
      ("method", .string(method)), ("url", .string(url)), ("status", .number(Double(status))),
      ("headers", .array(headers.map { .array([.string($0.0), .string($0.1)]) })),
    ]
    if let body { members.append(("body", .string(body))) }
    return .object(members)
  }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a small, fast generator whose stream depends only on the seed.
public struct SplitMix64: Sendable {
  var state: UInt64

  /// Creates a generator.
  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A number in 0..<n (n > 0).
  public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

  /// True with probability p.
  public mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }

  /// One element of a non-empty array.
  public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
