import ArgumentParser
import CORSConformance
import CORSJSON
import CORSOracle
import CORSScenario
import CORSSimulator
import Foundation

/// `corsim-conformance compare`: real results against simulator results.
struct CompareCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare",
    abstract: "Compare real-browser results with the simulator's, per engine and field; optionally write Markdown.",
    discussion: """
      The simulator side is either --simulator (result lines from `corsim oracle`; a line with browser "spec"
      stands for every engine) or --input (the scenarios; the simulator is run here, once per engine found in
      the real results). Prints per-engine counts and every disagreement; --markdown writes the report
      (browser versions and timing come from REAL.meta.json when it exists, or --meta).

      --notes reads what is known about disagreements (JSON lines {"id", "engines", "class", "note"}) and puts
      each note beside its disagreement in the Markdown.

      Exit status: 0 when everything compared agrees, 1 when something differs, 2 on unreadable input. With
      --min-agreement P: 0 when every engine agrees in at least P % of the scenarios it played, 1 when one
      does not (or played none).
      """)

  @Option(name: .long, help: "Real-browser result lines (from `run`).")
  var real: String

  @Option(name: .long, help: "Simulator result lines (from `corsim oracle`).")
  var simulator: String?

  @Option(name: .long, help: "Scenario lines to run through the simulator here, instead of --simulator.")
  var input: String?

  @Option(name: .long, help: "Write a Markdown report to this file.")
  var markdown: String?

  @Option(name: .long, help: "The run's metadata (default: REAL.meta.json if present).")
  var meta: String?

  @Option(name: .long, help: "Known disagreements explained (JSON lines: id, engines, class, note), for --markdown.")
  var notes: String?

  @Option(name: .long, help: "Pass mark: the percentage of played scenarios that must agree in every engine.")
  var minAgreement: Double?

  func validate() throws {
    if (simulator == nil) == (input == nil) { throw ValidationError("give exactly one of --simulator and --input") }
    if let p = minAgreement, !(0...100).contains(p) { throw ValidationError("--min-agreement is a percentage, 0 to 100") }
  }

  func run() throws {
    let realLines: [JSONValue]
    var simLines: [JSONValue]
    var known: ConformanceNotes?
    do {
      if let notes { known = try ConformanceNotes(jsonLines: try String(contentsOfFile: notes, encoding: .utf8), name: notes) }
      realLines = try Comparison.load(try String(contentsOfFile: real, encoding: .utf8), name: real)
      if let simulator {
        simLines = try Comparison.load(try String(contentsOfFile: simulator, encoding: .utf8), name: simulator)
      } else {
        simLines = try simulate(try String(contentsOfFile: input!, encoding: .utf8), engines: engines(in: realLines))
      }
    } catch {
      FileHandle.standardError.write(Data("corsim-conformance: \(error)\n".utf8))
      throw ExitCode(2)
    }
    let comparison = Comparison(real: realLines, simulator: simLines)
    print(ComparisonText.render(comparison), terminator: "")
    if let markdown {
      let metaPath = meta ?? real + ".meta.json"
      let metadata = (try? String(contentsOfFile: metaPath, encoding: .utf8)).flatMap { try? JSONParser.parse($0) }
        .map(RunMetadata.init(json:))
      let text = MarkdownReport.render(comparison, metadata: metadata, realName: (real as NSString).lastPathComponent,
                                       simulatorName: simulator.map { ($0 as NSString).lastPathComponent }
                                         ?? "the simulator (corsim oracle) on \((input! as NSString).lastPathComponent)",
                                       threshold: minAgreement, notes: known)
      try text.write(toFile: markdown, atomically: true, encoding: .utf8)
    }
    if let minAgreement {
      let below = comparison.engines(below: minAgreement)
      for t in below {
        FileHandle.standardError.write(Data(
          "corsim-conformance: \(t.engine): \(t.agree)/\(t.compared) agree, below \(minAgreement) %\n".utf8))
      }
      if !below.isEmpty { throw ExitCode(1) }
    } else if !comparison.allAgree {
      throw ExitCode(1)
    }
  }

  /// The engines named in the real lines, in order.
  func engines(in lines: [JSONValue]) -> [Engine] {
    var out: [Engine] = []
    for l in lines {
      if case .string(let b)? = l["browser"], let e = Engine(rawValue: b), !out.contains(e) { out.append(e) }
    }
    return out
  }

  /// Runs every scenario through the oracle once per engine.
  func simulate(_ text: String, engines: [Engine]) throws -> [JSONValue] {
    let oracle = Oracle()
    var out: [JSONValue] = []
    for engine in engines {
      for (n, line) in TextLines.split(text).enumerated() {
        guard case .object(var members)? = try? JSONParser.parse(line) else { continue }
        members.removeAll { $0.0 == "browser" }
        members.insert(("browser", .string(engine.rawValue)), at: min(1, members.count))
        out.append(try JSONParser.parse(oracle.answer(line: JSONWriter.serialize(.object(members)), lineNumber: n + 1)))
      }
    }
    return out
  }
}
