import CORSJSON
import CORSScenario
import CORSSimulator
import Foundation
import NIOConcurrencyHelpers

/// Settings of a run.
public struct RunOptions: Sendable {
  /// Seconds a scenario may take (on top of its `after` pauses) before the browser is restarted on the next.
  public var scenarioTimeout: Double = 20
  /// Extra seconds the first scenario after a (re)start gets for the browser to come up.
  public var launchAllowance: Double = 30
  /// Where profiles, file pages and host scripts go.
  public var workDirectory: URL
  /// Print progress to standard error.
  public var verbose = false
  /// After this many scenarios in a row time out or lose the browser, the engine's walk stops.
  public var maximumFailuresInARow = 5

  /// Creates options.
  public init(workDirectory: URL) { self.workDirectory = workDirectory }
}

/// What one engine did with the whole plan.
public struct EngineRun: Sendable {
  /// The engine.
  public var engine: Engine
  /// Its exact version.
  public var version: String
  /// One result line per scenario, in input order.
  public var results: [JSONValue]
  /// Wall-clock seconds for the whole walk, browser start-ups included.
  public var seconds: Double
  /// Seconds per played scenario (from its page request, or the previous report, to its report), by position.
  public var scenarioSeconds: [Int: Double]
  /// How often the browser had to be restarted (a scenario timed out or the browser died).
  public var restarts: Int
  /// Every request the server received during the walk.
  public var log: [RequestRecord]
  /// The engine's output lines, as read (for evidence).
  public var output: [String]
}

/// Walks a plan through one engine at a time: starts the browser on the first page, follows the pages'
/// reports, restarts the browser on the next scenario when one hangs or the browser dies, and assembles
/// the results.
public final class ConformanceDriver: Sendable {
  /// The plan and the server's state.
  public let state: HarnessState
  /// The run's certificate.
  public let certificate: TestCertificate
  /// Options.
  public let options: RunOptions
  private let driverEvents: AsyncStream<DriverEvent>
  private let sink: AsyncStream<DriverEvent>.Continuation
  private let pump: NIOLockedValueBox<[Task<Void, Never>]>
  // Launch generations and runs are numbered across engine runs, so that a late event of an earlier
  // browser or page is never taken for the current one's.
  private let counters = NIOLockedValueBox((launches: 0, runs: 0))

  enum DriverEvent: Sendable {
    case harness(HarnessEvent)
    case tick
    case exited(Int)
  }

  /// Creates a driver; `controlPort` is the server's port for `file:` pages.
  public init(state: HarnessState, certificate: TestCertificate, options: RunOptions, controlPort: Int) {
    self.state = state
    self.certificate = certificate
    self.options = options
    (driverEvents, sink) = AsyncStream.makeStream(of: DriverEvent.self)
    let sink = self.sink
    let forward = Task {
      for await event in state.events { sink.yield(.harness(event)) }
    }
    let ticker = Task {
      while !Task.isCancelled {
        try? await Task.sleep(for: .milliseconds(200))
        sink.yield(.tick)
      }
    }
    pump = NIOLockedValueBox([forward, ticker])
    var settings = state.pageSettings
    settings.fileControlBase = "http://127.0.0.1:\(controlPort)"
    state.configurePages(settings)
  }

  /// Stops the driver's background tasks.
  public func close() {
    for task in pump.withLockedValue({ $0 }) { task.cancel() }
    sink.finish()
  }

  var plan: ConformancePlan { state.plan }

  /// The URL a scenario's page is opened at: the runner under its page's origin, or its file.
  func runnerURL(_ position: Int, fileDirectory: URL) -> String {
    let page = plan.scenarios[position].page!
    if page.scheme == "file" { return fileDirectory.appending(path: "\(position)/\(fileName(page))").absoluteString }
    let port = page.port.map { ":\($0)" } ?? ""
    return "\(page.scheme)://\(page.hostString)\(port)/__corsim/page/\(position)"
  }

  func fileName(_ page: URLRecord) -> String {
    if case .segments(let s) = page.path, let last = s.last, !last.isEmpty, !last.contains("%") { return last }
    return "index.html"
  }

  /// Plays every playable scenario in `launcher`'s engine.
  public func run(_ launcher: any EngineLauncher) async throws -> EngineRun {
    let engine = launcher.engine
    let started = Date()
    let directory = options.workDirectory.appending(path: engine.rawValue)
    try? FileManager.default.removeItem(at: directory)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let context = LaunchContext(directory: directory, hostNames: plan.hostNames, certificate: certificate)
    let version = launcher.version()
    try launcher.prepare(context)
    defer { launcher.tearDown() }

    // Pages and the walk from one to the next.
    let order = plan.playOrder(for: engine)
    let files = directory.appending(path: "files")
    var urls: [Int: String] = [:]
    for p in order { urls[p] = runnerURL(p, fileDirectory: files) }
    var settings = state.pageSettings
    settings.next = [:]
    // A scenario after which the browser restarts ends on its own page; the driver opens the next one.
    for (j, p) in order.enumerated() where j + 1 < order.count && !plan.scenarios[p].freshBrowserAfter {
      settings.next[p] = urls[order[j + 1]]
    }
    settings.stepTimeoutMilliseconds = Int(options.scenarioTimeout * 1000 / 2)
    settings.run = counters.withLockedValue { c in
      c.runs += 1
      return c.runs
    }
    state.configurePages(settings)
    state.resetLog()
    for p in order where plan.scenarios[p].page?.scheme == "file" {
      let file = files.appending(path: "\(p)/\(fileName(plan.scenarios[p].page!))")
      try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
      try RunnerPage.html(for: plan.scenarios[p], settings: settings, file: true)
        .write(to: file, atomically: true, encoding: .utf8)
    }

    let output = NIOLockedValueBox<[String]>([])
    let console = NIOLockedValueBox<[String]>([])
    var browser: ChildProcess?
    defer { browser?.stop() }
    var generation = 0
    let counters = self.counters
    var restarts = 0
    var reports: [Int: JSONValue] = [:]
    var failures: [Int: String] = [:]
    var seconds: [Int: Double] = [:]
    let sink = self.sink

    func start(_ position: Int) throws {
      generation = counters.withLockedValue { c in
        c.launches += 1
        return c.launches
      }
      let g = generation
      browser = try launcher.launch(
        url: urls[position]!, context,
        onLine: { line, isError in
          output.withLockedValue { $0.append((isError ? "E " : "O ") + line) }
          if let text = launcher.consoleText(line: line, isError: isError) { console.withLockedValue { $0.append(text) } }
        },
        onExit: { sink.yield(.exited(g)) })
    }

    func budget(_ position: Int, fresh: Bool) -> Double {
      let pauses = plan.scenarios[position].scenario?.steps.reduce(0) { $0 + $1.after } ?? 0
      return options.scenarioTimeout + pauses + (fresh ? options.launchAllowance : 0)
    }

    var index = 0
    var mark = Date()
    var deadline = Date()
    if !order.isEmpty {
      try start(order[0])
      deadline = Date().addingTimeInterval(budget(order[0], fresh: true))
    }
    func progress(_ text: String) {
      if options.verbose { FileHandle.standardError.write(Data("[\(engine.rawValue)] \(text)\n".utf8)) }
    }
    var failedInARow = 0
    func advance(restart: Bool, failed: Bool) throws {
      index += 1
      mark = Date()
      failedInARow = failed ? failedInARow + 1 : 0
      if failedInARow >= options.maximumFailuresInARow {
        // Something systematic (the browser cannot start, cannot reach the server…): stop this engine
        // instead of waiting out every remaining scenario.
        for p in order[index...] where failures[p] == nil {
          failures[p] = "not played: the \(options.maximumFailuresInARow) scenarios before it failed in a row"
        }
        index = order.count
      }
      guard index < order.count else { return }
      if restart {
        browser?.stop()
        if failed { restarts += 1 }
        try start(order[index])
      }
      deadline = Date().addingTimeInterval(budget(order[index], fresh: restart))
    }

    var events = driverEvents.makeAsyncIterator()
    while index < order.count, let event = await events.next() {
      let current = order[index]
      switch event {
      case .harness(.pageLoaded(let p)):
        if p == current, seconds[p] == nil { mark = Date() }
      case .harness(.report(let p, let steps)):
        guard reports[p] == nil, failures[p] == nil else { break }
        reports[p] = steps
        seconds[p] = Date().timeIntervalSince(mark)
        progress("\(index + 1)/\(order.count) \(JSONWriter.serialize(plan.scenarios[p].id)) \(String(format: "%.2f", seconds[p]!)) s")
        if p == current { try advance(restart: plan.scenarios[p].freshBrowserAfter, failed: false) }
      case .tick:
        if Date() > deadline {
          failures[current] = "timed out after \(String(format: "%.1f", budget(current, fresh: false))) s; the browser was restarted"
          progress("\(index + 1)/\(order.count) \(JSONWriter.serialize(plan.scenarios[current].id)) timed out")
          try advance(restart: true, failed: true)
        }
      case .exited(let g):
        if g == generation {
          failures[current] = "the browser exited while playing it; it was restarted"
          progress("browser exited during \(JSONWriter.serialize(plan.scenarios[current].id))")
          try advance(restart: true, failed: true)
        }
      }
    }
    // Let the last console lines arrive before stopping the browser.
    try? await Task.sleep(for: .milliseconds(500))
    generation = 0
    browser?.stop()

    let log = state.log
    let attributed = ConsoleAttribution.attribute(console.withLockedValue { $0 })
    let assembler = ResultAssembler(plan: plan, engine: engine, runnerURLs: urls)
    var results: [JSONValue] = []
    for planned in plan.scenarios {
      let p = planned.position
      if let why = planned.skipReason(for: engine) {
        results.append(assembler.skipped(p, why))
      } else if let report = reports[p] {
        results.append(assembler.result(p, report: report, log: log, console: attributed))
      } else {
        results.append(assembler.skipped(p, failures[p] ?? "not played"))
      }
    }
    return EngineRun(engine: engine, version: version, results: results, seconds: Date().timeIntervalSince(started),
                     scenarioSeconds: seconds, restarts: restarts, log: log, output: output.withLockedValue { $0 })
  }
}
