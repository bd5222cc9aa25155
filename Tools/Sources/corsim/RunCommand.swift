import ArgumentParser
import CORSJSON
import CORSOracle
import CORSScenario
import CORSSession
import CORSSimulator
import CORSText
import LineEditor

/// `corsim run FILE...`: run scenario files, print their verdicts, check their expectations.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run scenario files (or folders of them), print the verdicts and check their expectations.",
    discussion: """
      Each file is written in the scenario language (see Spec/README.md). Verdicts are printed for the file's
      `browser` (or --browser, default chromium); `expect`, `sends` and `says` lines are checked in every
      profile they name.

      --format mermaid writes each request's exchange as a Mermaid sequence diagram instead (the REPL's
      `diagram`), for issue trackers and docs. --format junit writes a JUnit XML report for CI: one test case
      per file, failing with its mismatches, in error when it cannot be read.

      Exit status: 0 when every expectation holds, 1 when one does not (or standard output cannot be written),
      2 when a file cannot be read or parsed or the arguments are wrong.
      """)

  @Argument(help: "Scenario files or folders (folders are searched for .cors files).")
  var paths: [String]

  @Option(name: .long, help: "The profile whose verdicts are printed: spec, chromium, firefox or webkit.")
  var browser: Engine?

  @Flag(name: .long, help: "Print oracle-format JSON lines instead of text.")
  var json = false

  @Option(name: .long, help: "text (the default), json (as --json), mermaid (a sequence diagram per request) or junit (JUnit XML).")
  var format: OutputFormat = .text

  enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, mermaid, junit
  }

  @Flag(name: .long, help: "Print only failures and the summary.")
  var quiet = false

  func run() throws {
    let style = Terminal.style()
    var files: [ScenarioFile] = []
    var unreadable = 0
    let junit = format == .junit && !self.json
    var cases: [JUnitReport.Case] = []
    for path in paths {
      let found = SpecCorpus.paths(root: path)
      if found.isEmpty {
        writeAll("corsim: \(path): no such file, or no .cors files in it\n", to: 2)
        unreadable += 1
        cases.append(JUnitReport.Case(className: "corsim run", name: path,
                                      result: .error(type: "unreadable", message: "no such file, or no .cors files in it", details: path)))
      }
      for p in found {
        do { files.append(try ScenarioFile.load(path: p)) } catch {
          writeAll("\(error)\n", to: 2)
          unreadable += 1
          cases.append(JUnitReport.Case(className: "corsim run", name: p, result: .error(type: "unreadable", message: "\(error)", details: "\(error)")))
        }
      }
    }
    let json = self.json || format == .json
    let mermaid = format == .mermaid && !self.json
    var mismatched = 0
    for file in files {
      let engine = browser ?? file.document.browser ?? .chromium
      let start = ContinuousClock.now
      // Each form decides the steps itself and lets go of the verdicts before the expectations are checked (which
      // decides them again, per engine), so that a long file holds one set of traced verdicts at a time.
      if junit {
        var output = ""
        let steps = file.document.scenario.steps
        ScenarioRunner.forEachStep(file.document.scenario, profile: .forEngine(engine)) { i, verdict in
          if i > 0 { output += "\n" }
          output += VerdictText.render(verdict, request: steps[i].request, style: TextStyle(color: false))
          return true
        }
        let problems = file.check()
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let details = problems.map(\.description).joined(separator: "\n")
        cases.append(JUnitReport.Case(
          className: "corsim run." + engine.rawValue, name: file.relativePath,
          result: problems.isEmpty ? .passed : .failed(type: "mismatch", message: problems[0].description, details: details),
          output: output, seconds: seconds))
        if !problems.isEmpty { mismatched += 1 }
        continue
      }
      if mermaid {
        var out = ""
        let steps = file.document.scenario.steps
        // One diagram per step, written as it comes (the verdicts are not kept: no trace, it draws the wire).
        ScenarioRunner.forEachStep(file.document.scenario, profile: .forEngine(engine), trace: false) { i, v in
          let request = steps[i].request
          out += "%% \(file.relativePath) [\(i + 1)] \(VerdictText.requestLine(request))\n"
          out += SequenceDiagram(v, request: request, server: file.document.scenario.server).mermaid() + "\n"
          if out.utf8.count >= 1 << 16 {
            writeAll(out)
            out = ""
          }
          return true
        }
        writeAll(out)
      } else if json {
        let id: JSONValue = .string(file.document.meta("id") ?? file.relativePath)
        // The oracle's line, which carries no trace: none is recorded. It is written step by step as the verdicts
        // come, in pieces of about 64 KiB: a long file holds neither all its verdicts nor the whole line.
        var line = OracleLineWriter(id: id, engine: engine)
        ScenarioRunner.forEachStep(file.document.scenario, profile: .forEngine(engine), trace: false) { _, verdict in
          line.append(verdict)
          if line.pending.utf8.count >= 1 << 16 { writeAll(line.take()) }
          return true
        }
        writeAll(line.finish())
      } else if !quiet {
        var out = style.bold(file.relativePath) + (file.document.meta("title").map { style.dim("  " + $0) } ?? "") + "\n"
        // The fix line is each failing request's first fix, worked out from the state it ran in (one run gives
        // both: the verdicts, traced, and the fixes). Each step is printed as it comes and let go, the text
        // written out in pieces of about 64 KiB: a long file holds one traced verdict at a time.
        let steps = file.document.scenario.steps
        ScenarioRunner.forEachStepWithFixes(file.document.scenario, profile: .forEngine(engine), trace: true) { i, verdict, fixes in
          out += VerdictText.render(verdict, request: steps[i].request, style: style,
                                    index: steps.count > 1 ? i + 1 : nil, fixes: fixes) + "\n"
          if out.utf8.count >= 1 << 16 {
            writeAll(out)
            out = ""
          }
        }
        writeAll(out)
      }
      let problems = file.check()
      if !problems.isEmpty {
        mismatched += 1
        writeAll(problems.map { style.red("mismatch ") + $0.description }.joined(separator: "\n") + "\n", to: json || mermaid ? 2 : 1)
      }
    }
    if junit {
      // Written a piece at a time: a long file's output is not copied whole into the report's text.
      JUnitReport(name: "corsim run", suites: [JUnitReport.Suite(name: "corsim run", cases: cases,
                                                                 seconds: cases.reduce(0) { $0 + $1.seconds })]).write { _ = writeAll($0) }
    }
    if !json && !mermaid && !junit {
      let summary = "\(files.count) file\(files.count == 1 ? "" : "s"), \(mismatched) with mismatches"
        + (unreadable > 0 ? ", \(unreadable) unreadable" : "")
      writeAll((mismatched == 0 && unreadable == 0 ? style.green(summary) : style.red(summary)) + "\n")
    }
    if unreadable > 0 { throw ExitCode(2) }
    if mismatched > 0 { throw ExitCode(1) }
  }
}

extension Engine: @retroactive ExpressibleByArgument {}

/// The oracle's result line of one scenario (`OracleOutput.resultLine`) written a step at a time: each verdict's
/// part is that of a one-step line, so that the steps need not all be decided before the line is begun.
struct OracleLineWriter {
  /// The text written since the last `take`.
  private(set) var pending: String
  private let id: JSONValue
  private let engine: Engine
  /// How much of a one-step line comes before its step: `{"id": …, "browser": …, "steps": [`.
  private let headLength: Int
  private var steps = 0

  init(id: JSONValue, engine: Engine) {
    self.id = id
    self.engine = engine
    let empty = OracleOutput.resultLine(id: id, engine: engine, verdicts: [])
    pending = String(empty.dropLast(2))  // `]}`
    headLength = pending.utf8.count
  }

  /// Adds a step.
  mutating func append(_ verdict: Verdict) {
    let one = OracleOutput.resultLine(id: id, engine: engine, verdicts: [verdict])
    if steps > 0 { pending += ", " }
    pending += Substring(one.utf8.dropFirst(headLength).dropLast(2))
    steps += 1
  }

  /// Returns the text written since the last call and forgets it.
  mutating func take() -> String {
    defer { pending = "" }
    return pending
  }

  /// The rest of the line, closed, with its line break.
  mutating func finish() -> String { take() + "]}\n" }
}
