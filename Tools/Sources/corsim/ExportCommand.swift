import ArgumentParser
import CORSJSON
import CORSOracle
import CORSScenario
import CORSSimulator

/// `corsim export FILE...`: scenario files as oracle input lines.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write scenario files (or folders of them) as oracle input lines, one per file.",
    discussion: """
      The lines are what `corsim oracle` reads, so another tool of the oracle contract (the conformance \
      harness that plays scenarios in real browsers, for one) can play the Spec corpus. A file's id is its \
      `id:` line, or its path below the folder given. Layers in front of the server are flattened into \
      routes that answer every request the scenario makes as the layers would.

      Exit status: 0 when every file was written, 2 when a file cannot be read or parsed, or sets no page or \
      makes no request (the others are still written), or the arguments are wrong; 1 when standard output \
      cannot be written.
      """)

  @Argument(help: "Scenario files or folders (folders are searched for .cors files).")
  var paths: [String]

  @Option(name: .long, help: "Set the browser field of every line (default: leave it out; readers take spec).")
  var browser: Engine?

  @Flag(name: .long, help: """
    Write the fixed scenarios instead: for each request that fails in some engine, the file with the first \
    server fix that works in Chromium, Firefox and WebKit at once applied (id `FILE#fixed-N`, N the request); \
    requests no server fix mends are left out.
    """)
  var fixed = false

  func run() throws {
    var unreadable = 0
    var out = ""
    for root in paths {
      let found = SpecCorpus.paths(root: root)
      if found.isEmpty {
        writeAll("corsim: \(root): no such file, or no .cors files in it\n", to: 2)
        unreadable += 1
      }
      for path in found {
        do {
          // The file's lines as values, its document let go before they are written; each is written a piece
          // at a time: a 10,000-step file holds neither its document nor its line's text beside the values.
          let lines = try self.lines(path: path, root: found.count == 1 && path == root ? nil : root)
          for line in lines {
            try Self.write(line, into: &out)
            out += "\n"
          }
        } catch let error as ScenarioDiagnostic {
          writeAll("\(error)\n", to: 2)
          unreadable += 1
        }
      }
    }
    guard writeAll(out) else { throw ExitCode(1) }
    if unreadable > 0 { throw ExitCode(2) }
  }
}

extension ExportCommand {
  /// The oracle lines of a file, as values (one, or with `fixed` one per fixed request).
  func lines(path: String, root: String?) throws(ScenarioDiagnostic) -> [JSONValue] {
    let file = try ScenarioFile.load(path: path, relativeTo: root)
    // An oracle line needs a page and at least one request: say so rather than write a line the oracle refuses.
    if file.document.scenario.page == nil || file.document.scenario.steps.isEmpty {
      let what = file.document.scenario.page == nil ? "sets no page" : "makes no request"
      throw ScenarioDiagnostic(file: path, line: 0, column: 0, message: "the file \(what): it has no oracle line")
    }
    let id = file.document.meta("id") ?? String(file.relativePath.dropLast(SpecCorpus.fileExtension.count + 1))
    if fixed {
      return Self.fixedScenarios(file.document.scenario).map { n, scenario in
        OracleExport.encode(scenario, id: .string("\(id)#fixed-\(n + 1)"), browser: browser)
      }
    }
    return [OracleExport.encode(file.document.scenario, id: .string(id), browser: browser)]
  }

  /// Appends `value` to `out` as `JSONWriter.serialize` writes it, writing `out` to standard output whenever it
  /// reaches 32 KiB: the members of an object and the elements of an array are serialized one at a time (down to
  /// the elements of the line's `steps` and `server`), so that a long line's text is never held whole.
  static func write(_ value: JSONValue, depth: Int = 0, into out: inout String) throws {
    switch value {
    case .object(let members) where depth < 2:
      out += "{"
      for (k, (key, member)) in members.enumerated() {
        if k > 0 { out += ", " }
        out += JSONWriter.serialize(.string(key))
        out += ": "
        try write(member, depth: depth + 1, into: &out)
      }
      out += "}"
    case .array(let items) where depth < 2:
      out += "["
      for (k, item) in items.enumerated() {
        if k > 0 { out += ", " }
        try write(item, depth: depth + 1, into: &out)
      }
      out += "]"
    default:
      out += JSONWriter.serialize(value)
    }
    if out.utf8.count >= 1 << 15 {
      guard writeAll(out) else { throw ExitCode(1) }
      out.removeAll(keepingCapacity: true)
    }
  }

  /// For each request that fails in one of the three engines, the scenario with the first server fix that works
  /// in all three applied.
  static func fixedScenarios(_ scenario: Scenario) -> [(Int, Scenario)] {
    var out: [(Int, Scenario)] = []
    let failing = Set(Engine.allCases.flatMap { e in
      ScenarioRunner.run(scenario, profile: .forEngine(e), trace: false).enumerated().filter { $0.element.failure != nil }.map(\.offset)
    })
    for step in failing.sorted() {
      guard let fix = scenario.fixes(forStep: step).first(where: { $0.side == .server && !$0.edits.isEmpty }) else { continue }
      out.append((step, scenario.applying(fix)))
    }
    return out
  }
}
