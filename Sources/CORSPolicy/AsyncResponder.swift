import CORSSimulator
import Synchronization

/// What a server reached asynchronously answered to one request: a status and header lines, or no answer.
public struct ResponderAnswer: Sendable, Hashable {
  /// The status (nil: no answer).
  public var status: Int?
  /// The header lines, in order, duplicates kept.
  public var headers: HeaderList
  /// Why there is no answer (refused, timed out, an error thrown by the application…).
  public var failure: String?

  /// An answer.
  public init(status: Int, headers: HeaderList) {
    self.status = status
    self.headers = headers
    self.failure = nil
  }

  /// No answer, and why.
  public static func failed(_ why: String) -> ResponderAnswer {
    var a = ResponderAnswer(status: 0, headers: [])
    a.status = nil
    a.failure = why
    return a
  }

  /// True when the server answered.
  public var isAnswered: Bool { status != nil && failure == nil }

  /// The answer as the simulator's server gives it (a failed connection when there is none).
  func route(for request: ServerRequest) -> Route {
    guard let status, isAnswered else { return Route(method: request.method, url: request.url, networkFailure: true) }
    return Route(method: request.method, url: request.url, status: status, headers: headers, body: nil)
  }
}

/// A server that answers asynchronously: a live URL, or an application driven in-process through its
/// framework's testing API (Hummingbird's `app.test(.router)`, Vapor's `app.testing()`), so that the audit and
/// the property tests judge the middleware instance a team ships rather than a model of its options.
///
/// The engine decides synchronously; against an asynchronous server it runs on a recording of it: every
/// request the engine puts on the wire that has no answer yet is answered, for now, with a failed
/// connection and queued; the queued requests are sent, their answers recorded, and the engine runs again,
/// each pass taking every chain one hop further (preflight, actual request, redirect), until nothing is
/// queued. Each distinct request is sent once.
///
/// docs/AUDIT.md ("The real middleware, in-process") shows one over a live URL (`LiveAudit.responder` in
/// CORSProbe) and one over a Hummingbird application driven through HummingbirdTesting, both compiled and run
/// by the tools' tests; `Examples/VaporCORS` does the same with Vapor's testing API.
public struct AsyncResponder: Sendable {
  /// A name for messages.
  public let name: String
  private let answer: @Sendable (ServerRequest) async throws -> ResponderAnswer

  /// Creates a responder from a closure; an error it throws counts as no answer.
  public init(name: String = "server", _ answer: @escaping @Sendable (ServerRequest) async throws -> ResponderAnswer) {
    self.name = name
    self.answer = answer
  }

  /// A synchronous server (a policy, routes, layers) answering asynchronously: for tests of the machinery,
  /// and to run one property test against a model and a real server alike.
  public init(_ server: Server, name: String = "model") {
    self.init(name: name) { request in
      let r = server.respond(request)
      return r.networkFailure ? .failed("connection failed") : ResponderAnswer(status: r.status, headers: r.headers)
    }
  }

  /// Answers one request (an error thrown becomes no answer, naming it).
  public func respond(_ request: ServerRequest) async -> ResponderAnswer {
    do { return try await answer(request) } catch { return .failed("\(name): \(error)") }
  }
}

extension URLRecord {
  /// The path and query, as a request line's target: `/v1/me?x=1`.
  public var pathAndQuery: String {
    pathString + (query.map { "?" + $0 } ?? "")
  }
}

/// The answers an asynchronous server gave so far; a request without one is queued and answered, for now,
/// with a failed connection. Shared by the passes of one audit (and by every trial of a property test).
public final class AnswerRecording: Sendable {
  private struct State {
    var answers: [ServerRequest: ResponderAnswer] = [:]
    var order: [ServerRequest] = []
    var pending: [ServerRequest] = []
    var pendingSet = Set<ServerRequest>()
    var refused = Set<ServerRequest>()
  }
  private let state = Mutex(State())

  /// An empty recording.
  public init() {}

  /// The answer to a request, or a failed connection (and the request is queued).
  public func answer(_ r: ServerRequest) -> Route {
    state.withLock { s in
      if let a = s.answers[r] { return a.route(for: r) }
      if !s.refused.contains(r), s.pendingSet.insert(r).inserted { s.pending.append(r) }
      return Route(method: r.method, url: r.url, networkFailure: true)
    }
  }

  /// Takes the queued requests, in the order they were asked for.
  public func takePending() -> [ServerRequest] {
    state.withLock { s in
      defer { s.pending = []; s.pendingSet = [] }
      return s.pending
    }
  }

  /// Records an answer.
  public func record(_ request: ServerRequest, _ answer: ResponderAnswer) {
    state.withLock { s in
      if s.answers.updateValue(answer, forKey: request) == nil { s.order.append(request) }
    }
  }

  /// Leaves a request unsent for good: it stays a failed connection.
  public func refuse(_ r: ServerRequest) { _ = state.withLock { $0.refused.insert(r) } }

  /// Every request recorded with its answer, in the order first recorded.
  public var exchanges: [(request: ServerRequest, answer: ResponderAnswer)] {
    state.withLock { s in s.order.compactMap { r in s.answers[r].map { (r, $0) } } }
  }

  /// How many requests have an answer recorded (answered or failed).
  public var count: Int { state.withLock { $0.order.count } }
}

/// Requests in flight at once, and requests started per second, across everything that shares the gate
/// (every endpoint of a whole-API audit): `--concurrency` and `--rate`.
public actor RequestGate {
  /// The most requests in flight at once.
  public let concurrency: Int
  /// The most requests started per second (nil: no limit).
  public let rate: Double?
  private var inFlight = 0
  private var waiting: [CheckedContinuation<Void, Never>] = []
  private var nextStart: ContinuousClock.Instant = .now
  /// Requests started so far.
  public private(set) var started = 0

  /// A gate.
  public init(concurrency: Int = 8, rate: Double? = nil) {
    self.concurrency = max(1, concurrency)
    self.rate = rate.flatMap { $0 > 0 ? $0 : nil }
  }

  /// Waits for a slot, and for the rate's next start time.
  public func enter() async {
    if inFlight >= concurrency {
      await withCheckedContinuation { waiting.append($0) }
    } else {
      inFlight += 1
    }
    if let rate {
      let now = ContinuousClock.now
      let start = max(now, nextStart)
      nextStart = start + .nanoseconds(Int64(1e9 / rate))
      if start > now { try? await Task.sleep(until: start, clock: .continuous) }
    }
    started += 1
  }

  /// Gives a slot back.
  public func leave() {
    if waiting.isEmpty {
      inFlight -= 1
    } else {
      waiting.removeFirst().resume()
    }
  }

  /// Runs one request through the gate.
  public nonisolated func pass<T: Sendable>(_ body: @Sendable () async -> T) async -> T {
    await enter()
    let result = await body()
    await leave()
    return result
  }
}

/// Runs a synchronous computation over an asynchronous server until it needs no answer it has not got:
/// run, send what it queued (through the gate), record, run again — at most `maxPasses` times.
public struct AsyncSettler: Sendable {
  /// The server.
  public var responder: AsyncResponder
  /// The recording shared by the runs.
  public var recording: AnswerRecording
  /// In-flight and rate limits.
  public var gate: RequestGate
  /// The most passes (each takes every chain one hop further).
  public var maxPasses: Int

  /// A settler.
  public init(responder: AsyncResponder, recording: AnswerRecording = AnswerRecording(), gate: RequestGate = RequestGate(),
              maxPasses: Int = 24) {
    self.responder = responder
    self.recording = recording
    self.gate = gate
    self.maxPasses = maxPasses
  }

  /// Sends requests through the gate, concurrently, and records their answers; returns how many were sent.
  @discardableResult
  public func send(_ requests: [ServerRequest]) async -> Int {
    let responder = responder, gate = gate, recording = recording
    await withTaskGroup(of: Void.self) { group in
      for r in requests {
        group.addTask {
          let answer = await gate.pass { await responder.respond(r) }
          recording.record(r, answer)
        }
      }
    }
    return requests.count
  }

  /// Runs `compute` until nothing is queued (or the passes run out); the last result, and how many requests
  /// were sent. Requests still queued after the last pass are refused (they stay failed connections).
  public func settle<T>(_ compute: () -> T) async -> (result: T, sent: Int, unsent: [ServerRequest]) {
    var result = compute()
    var sent = 0
    for _ in 0..<maxPasses {
      let pending = recording.takePending()
      if pending.isEmpty { return (result, sent, []) }
      sent += await send(pending)
      result = compute()
    }
    let unsent = recording.takePending()
    for r in unsent { recording.refuse(r) }
    return (unsent.isEmpty ? result : compute(), sent, unsent)
  }
}
