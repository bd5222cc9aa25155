import CORSConformance
import CORSJSON
import CORSOracle
import CORSScenario
import CORSSession
import CORSSimulator
import Foundation

/// `play` in the REPL: the session's scenario exported as an oracle line (`OracleExport`), played by the
/// conformance runner's driver (`corsim-conformance run`'s machinery: the scripted server on loopback and the
/// headless engines), and compared with the simulator field by field (`Comparison`).
struct ConformancePlayer: ScenarioPlayer {
  func availability() -> [(engine: Engine, available: Bool, detail: String)] {
    [Engine.chromium, .firefox, .webkit].map { engine in
      guard let l = try? launcher(for: engine) else { return (engine, false, "no launcher") }
      let version = l.version()
      return (engine, !version.hasPrefix("not installed"), version)
    }
  }

  func play(_ scenario: Scenario, engines: [Engine]) -> [PlayReport] {
    final class Box: @unchecked Sendable { var reports: [PlayReport] = [] }
    let box = Box()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
      box.reports = await Self.play(scenario, engines: engines)
      done.signal()
    }
    done.wait()
    return box.reports
  }

  static func play(_ scenario: Scenario, engines: [Engine]) async -> [PlayReport] {
    let line = JSONWriter.serialize(OracleExport.encode(scenario, id: .string("session")))
    let plan = ConformancePlan(jsonLines: line)
    let work = URL(fileURLWithPath: NSTemporaryDirectory() + "corsim-play-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    defer { try? FileManager.default.removeItem(at: work) }
    func failed(_ why: String) -> [PlayReport] { engines.map { PlayReport(engine: $0, version: "", steps: [], problem: why) } }
    guard plan.playOrder.count == 1 else { return failed("the runner cannot play this scenario (\(plan.scenarios.first?.skipReason ?? "no page it can serve"))") }
    do {
      try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
      let certificate = try TestCertificate(hosts: plan.hostNames)
      let state = HarnessState(plan: plan)
      let server = ScriptedServer(state: state, tls: certificate.context)
      let bound = try await server.listen(ports: plan.ports + [0])
      var options = RunOptions(workDirectory: work)
      options.scenarioTimeout = 20
      let driver = ConformanceDriver(state: state, certificate: certificate, options: options, controlPort: bound.last!)
      var reports: [PlayReport] = []
      for engine in engines {
        do {
          let run = try await driver.run(try launcher(for: engine))
          reports.append(report(engine, run, line: line))
        } catch {
          reports.append(PlayReport(engine: engine, version: "", steps: [], problem: "\(error)"))
        }
      }
      driver.close()
      await server.shutdown()
      state.finish()
      return reports
    } catch {
      return failed("the scripted server could not start: \(error)")
    }
  }

  /// The real result line beside the simulator's for the same exported line.
  static func report(_ engine: Engine, _ run: EngineRun, line: String) -> PlayReport {
    guard let real = run.results.first else { return PlayReport(engine: engine, version: run.version, steps: [], problem: "no result") }
    if case .string(let why)? = real["skipped"] { return PlayReport(engine: engine, version: run.version, steps: [], problem: "skipped: \(why)") }
    guard case .object(var members)? = try? JSONParser.parse(line) else { return PlayReport(engine: engine, version: run.version, steps: []) }
    members.removeAll { $0.0 == "browser" }
    members.insert(("browser", .string(engine.rawValue)), at: min(1, members.count))
    guard let predicted = try? JSONParser.parse(Oracle().answer(line: JSONWriter.serialize(.object(members)), lineNumber: 1)) else {
      return PlayReport(engine: engine, version: run.version, steps: [], problem: "the simulator gave no answer")
    }
    let differences = Comparison.diff(real, predicted)
    guard case .array(let realSteps)? = real["steps"], case .array(let simSteps)? = predicted["steps"] else {
      return PlayReport(engine: engine, version: run.version, steps: [],
                        problem: differences.map { "\($0.1): real \($0.2), corsim \($0.3)" }.joined(separator: "; "))
    }
    var steps: [PlayReport.Step] = []
    for k in 0..<max(realSteps.count, simSteps.count) {
      let fields = differences.filter { $0.0 == k }.map(\.1)
      func message(_ steps: [JSONValue]) -> String? {
        guard k < steps.count, case .string(let m)? = steps[k]["message"] else { return nil }
        return m
      }
      steps.append(PlayReport.Step(real: k < realSteps.count ? summary(realSteps[k]) : "—",
                                   predicted: k < simSteps.count ? summary(simSteps[k]) : "—", differences: fields,
                                   messages: (message(realSteps), message(simSteps))))
    }
    return PlayReport(engine: engine, version: run.version, steps: steps)
  }

  /// `readable cors 200 (GET)`: the outcome, type, status and the methods on the wire.
  static func summary(_ step: JSONValue) -> String {
    func s(_ v: JSONValue?) -> String? {
      switch v {
      case .string(let t)?: return t
      case .number(let n)?: return Int(exactly: n).map(String.init) ?? String(n)
      default: return nil
      }
    }
    var parts = [s(step["outcome"]) ?? "?"]
    if let t = s(step["responseType"]) { parts.append(t) }
    if let st = s(step["status"]) { parts.append(st) }
    if case .array(let requests)? = step["requests"] {
      parts.append("(" + requests.compactMap { s($0["method"]) }.joined(separator: "+") + ")")
    }
    return parts.joined(separator: " ")
  }
}
