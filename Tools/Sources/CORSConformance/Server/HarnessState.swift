import CORSJSON
import CORSScenario
import CORSSimulator
import NIOConcurrencyHelpers
import struct Foundation.Date


/// What the page runner tells the driver, through the scripted server.
public enum HarnessEvent: Sendable {
  /// A scenario's runner page was served.
  case pageLoaded(Int)
  /// The page reported a scenario's step results (the parsed JSON array, one object per step).
  case report(Int, JSONValue)
}

/// A request as the server's handler hands it over.
public struct IncomingRequest: Sendable {
  /// The method.
  public var method: String
  /// The request target, as sent.
  public var target: String
  /// The header lines, in order.
  public var headers: [(name: String, value: String)]
  /// The body's size.
  public var bodyLength: Int
  /// Whether it came over TLS.
  public var tls: Bool
  /// The port it arrived on (used only when there is no Host header).
  public var localPort: Int

  /// Creates a request.
  public init(method: String, target: String, headers: [(name: String, value: String)], bodyLength: Int = 0,
              tls: Bool = false, localPort: Int) {
    self.method = method
    self.target = target
    self.headers = headers
    self.bodyLength = bodyLength
    self.tls = tls
    self.localPort = localPort
  }
}

/// What the server does with a request.
public enum ServerAnswer: Sendable, Equatable {
  /// Send these bytes, then close the connection.
  case send([UInt8])
  /// Close the connection without answering (a route with `networkError`).
  case close
  /// Send these bytes (a 101 answering a WebSocket handshake), keep the connection a second, then close it.
  case upgrade([UInt8])
}

/// The state the scripted server and the driver share: the plan, which scenario and step are playing, the
/// request log, and the events for the driver. Safe to use from any thread.
public final class HarnessState: Sendable {
  /// The plan being played.
  public let plan: ConformancePlan
  /// Events for the driver, in arrival order.
  public let events: AsyncStream<HarnessEvent>
  private let continuation: AsyncStream<HarnessEvent>.Continuation
  private let box: NIOLockedValueBox<Mutable>
  private let started = Date()

  struct Mutable {
    var playing: Int?
    var step = -1
    var log: [RequestRecord] = []
    var pages = PageSettings()
  }

  /// How runner pages are written for the current engine run.
  public struct PageSettings: Sendable {
    /// The URL each scenario's page goes on to, by position (nil: the last one).
    public var next: [Int: String] = [:]
    /// `http://127.0.0.1:PORT`: where `file:` pages send their marks and reports.
    public var fileControlBase = ""
    /// Milliseconds a step may take inside the page before the page gives up on it.
    public var stepTimeoutMilliseconds = 10_000
    /// The engine run's number: pages send it with their marks and reports, and the server ignores those of
    /// an earlier run's pages.
    public var run = 0
    /// Creates default settings.
    public init() {}
  }

  /// Creates the state for a plan.
  public init(plan: ConformancePlan) {
    self.plan = plan
    (events, continuation) = AsyncStream.makeStream(of: HarnessEvent.self)
    box = NIOLockedValueBox(Mutable())
  }

  /// Sets how pages are written (before an engine run).
  public func configurePages(_ settings: PageSettings) {
    box.withLockedValue { $0.pages = settings }
  }

  /// The page settings in force.
  public var pageSettings: PageSettings { box.withLockedValue { $0.pages } }

  /// Every request logged so far.
  public var log: [RequestRecord] { box.withLockedValue { $0.log } }

  /// Clears the request log and the playing scenario (between engine runs).
  public func resetLog() {
    box.withLockedValue {
      $0.log = []
      $0.playing = nil
      $0.step = -1
    }
  }

  /// Ends the event stream.
  public func finish() { continuation.finish() }

  /// Seconds since the state was made.
  var now: Double { Date().timeIntervalSince(started) }

  /// Answers one request: a harness endpoint under `/__corsim/`, or a scenario route.
  public func answer(_ request: IncomingRequest) -> ServerAnswer {
    let (path, query) = HarnessState.split(request.target)
    if path.hasPrefix("/__corsim/") { return control(path: path, query: query, request: request) }
    return scenarioAnswer(request)
  }

  // MARK: Scenario routes

  func scenarioAnswer(_ request: IncomingRequest) -> ServerAnswer {
    let (position, target) = HarnessState.stripPrefix(request.target)
    let host = request.headers.first { HeaderName($0.name) == HeaderName("host") }?.value
      ?? "127.0.0.1:\(request.localPort)"
    let scheme = request.tls ? "https" : "http"
    let absolute = target.hasPrefix("/") ? "\(scheme)://\(host)\(target)" : target
    let url = try? URLRecord(absolute)
    // A request to a host no scenario names is the browser's own (Chromium asks accounts.google.com, which
    // the host resolver rules send here too): logged, never credited to the scenario playing.
    let foreign = position == nil && url.map { !isScenarioHost($0) } ?? true
    var record: RequestRecord = box.withLockedValue { state in
      let scenario = foreign ? nil : position ?? state.playing
      return RequestRecord(
        scenario: scenario, step: scenario != nil && scenario == state.playing ? state.step : -1,
        method: request.method, url: url?.hrefWithoutFragment ?? absolute, target: request.target,
        headers: request.headers, bodyLength: request.bodyLength, tls: request.tls, time: now)
    }
    var answer = ServerAnswer.send(WireResponse.notFound)
    if let position = record.scenario, position < plan.scenarios.count,
       let scenario = plan.scenarios[position].scenario, let url,
       let index = scenario.server.respond(method: Method(request.method), url: url).routeIndex {
      let route = plan.scenarios[position].wireRoutes[index]
      answer = route.networkFailure ? .close : .send(WireResponse.route(route, method: request.method))
      // A WebSocket handshake answered 101: the route's accept value for the simulator's key becomes the one for
      // the browser's key (RFC 6455 §4.2.2), and the connection stays open a moment for the open event.
      if !route.networkFailure, route.status == 101,
         let key = request.headers.first(where: { HeaderName($0.name) == HeaderName("sec-websocket-key") })?.value {
        var answered = route
        answered.headerLines = WebSocketHandshake.answering(route.headerLines, key: key)
        answer = .upgrade(WireResponse.route(answered, method: request.method))
      }
    }
    record.unanswered = answer == .close
    box.withLockedValue { [record] in $0.log.append(record) }
    return answer
  }

  /// Whether a URL's host is one the scenarios use: a name of the plan, or an IP address (loopback: the
  /// plan skips every other).
  func isScenarioHost(_ url: URLRecord) -> Bool {
    guard case .domain(let name)? = url.host else { return true }
    return plan.hostNames.contains(name.lowercased())
  }

  /// Splits `/~corsim/N/rest` into N and `/rest`; other targets are returned as they are.
  static func stripPrefix(_ target: String) -> (Int?, String) {
    let marker = "/~corsim/"
    guard target.hasPrefix(marker) else { return (nil, target) }
    let rest = target.dropFirst(marker.count)
    let digits = rest.prefix { $0.isASCII && $0.isNumber }
    guard let n = Int(digits) else { return (nil, target) }
    let remainder = rest.dropFirst(digits.count)
    guard remainder.isEmpty || remainder.first == "/" || remainder.first == "?" else { return (nil, target) }
    return (n, remainder.first == "/" ? String(remainder) : "/" + remainder)
  }

  // MARK: Harness endpoints

  func control(path: String, query: [String: String], request: IncomingRequest) -> ServerAnswer {
    let parts = path.split(separator: "/")  // ["__corsim", "page", "3"]
    let position = parts.count > 2 ? Int(parts[2]) : query["i"].flatMap { Int($0) }
    switch parts.count > 1 ? String(parts[1]) : "" {
    case "page":
      guard let position, position < plan.scenarios.count else { break }
      box.withLockedValue {
        $0.playing = position
        $0.step = -1
      }
      continuation.yield(.pageLoaded(position))
      let html = RunnerPage.html(for: plan.scenarios[position], settings: pageSettings, file: false)
      return .send(WireResponse.harness(contentType: "text/html; charset=utf-8", body: Array(html.utf8),
                                        extraHeaders: plan.scenarios[position].pageHeaders))
    case "frame":
      guard let position, position < plan.scenarios.count else { break }
      return .send(WireResponse.harness(contentType: "text/html; charset=utf-8", body: Array(RunnerPage.frame.utf8),
                                        extraHeaders: plan.scenarios[position].pageHeaders))
    case "mark":
      guard let position, let k = query["k"].flatMap({ Int($0) }) else { break }
      guard query["run"] == String(pageSettings.run) else { return .send(HarnessState.pixel) }
      box.withLockedValue {
        $0.playing = position
        $0.step = k
      }
      return .send(HarnessState.pixel)
    case "report":
      guard let position, let text = query["r"] else { break }
      guard query["run"] == String(pageSettings.run) else { return .send(HarnessState.pixel) }
      let steps = (try? JSONParser.parse(text)) ?? .array([])
      continuation.yield(.report(position, steps))
      return .send(HarnessState.pixel)
    case "next":
      guard let target = query["to"] else { break }
      return .send(WireResponse.harness(contentType: "text/html; charset=utf-8", body: Array(RunnerPage.relay(to: target).utf8)))
    case "done":
      return .send(WireResponse.harness(contentType: "text/html; charset=utf-8", body: Array("<!doctype html>done".utf8)))
    default:
      break
    }
    return .send(WireResponse.harness(status: 404, contentType: "text/plain", body: Array("no such endpoint".utf8)))
  }

  /// A 1×1 transparent GIF: marks and reports are image loads, which neither CORS, `connect-src` nor
  /// mixed-content blocking (same-origin or loopback) get in the way of.
  static let pixel = WireResponse.harness(contentType: "image/gif", body: [
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF,
    0xFF, 0x21, 0xF9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
    0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
  ])

  /// Splits a target into its path and its decoded query parameters.
  static func split(_ target: String) -> (String, [String: String]) {
    guard let q = target.firstIndex(of: "?") else { return (target, [:]) }
    var query: [String: String] = [:]
    for pair in target[target.index(after: q)...].split(separator: "&") {
      let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      query[formDecode(kv[0])] = kv.count > 1 ? formDecode(kv[1]) : ""
    }
    return (String(target[..<q]), query)
  }

  /// `application/x-www-form-urlencoded` decoding: `+` is a space, `%XX` a byte.
  static func formDecode(_ s: Substring) -> String {
    var bytes: [UInt8] = []
    var i = s.utf8.startIndex
    let u = s.utf8
    while i < u.endIndex {
      let b = u[i]
      if b == UInt8(ascii: "+") {
        bytes.append(0x20)
      } else if b == UInt8(ascii: "%"), let h = u.index(i, offsetBy: 2, limitedBy: u.endIndex), h < u.endIndex,
                let v = UInt8(String(decoding: u[u.index(after: i)...h], as: UTF8.self), radix: 16) {
        bytes.append(v)
        i = h
      } else {
        bytes.append(b)
      }
      i = u.index(after: i)
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
