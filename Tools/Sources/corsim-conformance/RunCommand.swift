import ArgumentParser
import CORSConformance
import CORSJSON
import CORSScenario
import CORSSimulator
import Foundation

/// `corsim-conformance run`: the scenarios of a JSONL file, in each engine, to result lines.
struct RunCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Play a JSONL file of oracle scenarios in real headless engines; write their results as JSONL.",
    discussion: """
      Starts the scripted server on 127.0.0.1/::1 on every port the scenarios use (each port answers HTTP and
      HTTPS), then walks all scenarios in one browser session per engine, one engine after the other. Writes
      one result line per scenario and engine to --out (the format of Tools/Tests/Fixtures/oracle-contract/smoke-results.jsonl),
      versions and timing to OUT.meta.json, and, with --log, every request the server received.

      Exit status: 0 when every engine ran (scenarios may still be skipped), 1 when an engine could not start
      or the server could not listen.
      """)

  @Option(name: .long, help: "The scenarios: JSON lines in the oracle's input format.")
  var input: String

  @Option(name: .long, help: "Engines to run, comma-separated: chromium, firefox, webkit.")
  var engines = "chromium,firefox,webkit"

  @Option(name: .long, help: "Where to write the result lines.")
  var out: String

  @Option(name: .long, help: "Also write every request the server received (JSON lines) to this file.")
  var log: String?

  @Option(name: .long, help: "Work directory for profiles, file pages and browser output (default: a new one under /tmp).")
  var work: String?

  @Option(name: .long, help: "Seconds one scenario may take, besides its `after` pauses, before the browser is restarted.")
  var scenarioTimeout: Double = 20

  @Option(name: .long, help: "Seconds of `after` pauses a scenario may wait for real; longer ones are skipped.")
  var maxPause: Double = ConformancePlan.defaultMaximumPause

  @Flag(name: .long, help: "Print each scenario as it finishes.")
  var verbose = false

  func validate() throws {
    for name in engineList where Engine(rawValue: name) == nil || name == "spec" {
      throw ValidationError("'\(name)' is not an engine; use chromium, firefox, webkit")
    }
    if scenarioTimeout <= 0 { throw ValidationError("--scenario-timeout must be positive") }
    if maxPause < 0 { throw ValidationError("--max-pause must not be negative") }
  }

  var engineList: [String] { engines.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }

  func run() async throws {
    let text = try String(contentsOfFile: input, encoding: .utf8)
    let plan = ConformancePlan(jsonLines: text, maximumPause: maxPause)
    let date = ISO8601DateFormatter().string(from: Date())
    let workDirectory = URL(fileURLWithPath: work ?? NSTemporaryDirectory() + "corsim-conformance-\(getpid())")
    try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)

    let certificate = try TestCertificate(hosts: plan.hostNames)
    let state = HarnessState(plan: plan)
    let server = ScriptedServer(state: state, tls: certificate.context)
    let bound: [Int]
    do { bound = try await server.listen(ports: plan.ports + [0]) } catch {
      FileHandle.standardError.write(Data("corsim-conformance: cannot listen on ports \(plan.ports): \(error)\n".utf8))
      throw ExitCode(1)
    }
    var options = RunOptions(workDirectory: workDirectory)
    options.scenarioTimeout = scenarioTimeout
    options.verbose = verbose
    let driver = ConformanceDriver(state: state, certificate: certificate, options: options, controlPort: bound.last!)
    note("\(plan.scenarios.count) scenarios, \(plan.playOrder.count) playable; ports \(plan.ports); work \(workDirectory.path)")

    var lines = ""
    var logLines = ""
    var summaries: [RunMetadata.EngineSummary] = []
    var failed = false
    for name in engineList {
      let engine = Engine(rawValue: name)!
      do {
        let result = try await driver.run(try launcher(for: engine))
        for line in result.results { lines += JSONWriter.serialize(line) + "\n" }
        for record in result.log {
          logLines += JSONWriter.serialize(.object([("browser", .string(name))] + members(record.json))) + "\n"
        }
        try result.output.joined(separator: "\n").write(
          to: workDirectory.appending(path: "\(name)/output.txt"), atomically: true, encoding: .utf8)
        let times = plan.scenarios.compactMap { s in result.scenarioSeconds[s.position].map { (idText(s.id), $0) } }
        summaries.append(.init(engine: name, version: result.version, seconds: result.seconds,
                               restarts: result.restarts, scenarioSeconds: times))
        let skipped = result.results.filter { $0["skipped"] != nil }.count
        note("\(name): \(result.version); \(result.results.count - skipped) played, \(skipped) skipped, "
             + "\(String(format: "%.1f", result.seconds)) s, \(result.restarts) restarts")
      } catch {
        FileHandle.standardError.write(Data("corsim-conformance: \(name): \(error)\n".utf8))
        failed = true
      }
    }
    driver.close()
    await server.shutdown()
    state.finish()

    try lines.write(toFile: out, atomically: true, encoding: .utf8)
    let metadata = RunMetadata(input: (input as NSString).lastPathComponent, date: date, engines: summaries,
                               machine: RunMetadata.thisMachine())
    try (JSONWriter.serialize(metadata.json) + "\n").write(toFile: out + ".meta.json", atomically: true, encoding: .utf8)
    if let log { try logLines.write(toFile: log, atomically: true, encoding: .utf8) }
    if failed { throw ExitCode(1) }
  }

  func members(_ v: JSONValue) -> [(String, JSONValue)] {
    if case .object(let m) = v { return m }
    return []
  }

  func idText(_ id: JSONValue) -> String {
    if case .string(let s) = id { return s }
    return JSONWriter.serialize(id)
  }

  func note(_ s: String) { FileHandle.standardError.write(Data("corsim-conformance: \(s)\n".utf8)) }
}
