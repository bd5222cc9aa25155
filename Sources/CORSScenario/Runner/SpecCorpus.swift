import CORSSimulator
import Foundation

/// A scenario file: where it is, and what it says.
public struct ScenarioFile: Sendable, Hashable, CustomStringConvertible {
  /// The path as given or found.
  public var path: String
  /// The path relative to the corpus root (for names).
  public var relativePath: String
  /// The parsed document.
  public var document: ScenarioDocument

  public var description: String { relativePath }

  /// Reads and parses a file.
  public static func load(path: String, relativeTo root: String? = nil) throws(ScenarioDiagnostic) -> ScenarioFile {
    let text: String
    do {
      let data = try Data(contentsOf: URL(fileURLWithPath: path))
      guard let decoded = String(data: data, encoding: .utf8) else {
        throw ScenarioDiagnostic(file: path, line: 0, column: 0, message: "the file is not UTF-8 text")
      }
      text = decoded
    } catch let d as ScenarioDiagnostic {
      throw d
    } catch {
      throw ScenarioDiagnostic(file: path, line: 0, column: 0, message: "cannot read the file: \(error.localizedDescription)")
    }
    var relative = path
    if let root, path.hasPrefix(root) { relative = String(path.dropFirst(root.count).drop { $0 == "/" }) }
    let document = try ScenarioBuilder.parse(text, file: relative)
    return ScenarioFile(path: path, relativePath: relative, document: document)
  }

  /// Runs the scenario in every profile and compares with its expectations; empty when all agree.
  public func check() -> [ScenarioDiagnostic] {
    var problems: [ScenarioDiagnostic] = []
    if document.scenario.page == nil {
      return [ScenarioDiagnostic(file: relativePath, line: 0, column: 0, message: "the file sets no page")]
    }
    if document.scenario.steps.isEmpty {
      return [ScenarioDiagnostic(file: relativePath, line: 0, column: 0, message: "the file makes no request")]
    }
    for engine in Engine.allWithSpec {
      // Without the trace: every expectation reads the outcome, the wire or the console lines, which a verdict
      // keeps either way (`Verdict.consoleSteps`). Each verdict is compared as it comes and let go: a long file
      // holds one at a time.
      // The fixes `fix` lines are checked against come from one replay of the steps, in order.
      var replay = document.scenario.page.map { FixReplay(document.scenario, page: $0, profile: .forEngine(engine)) }
      ScenarioRunner.forEachStep(document.scenario, profile: .forEngine(engine), trace: false) { i, verdict in
        problems += document.mismatches(step: i, engine: engine, verdict: verdict, file: relativePath, onLine: nil,
                                        fixes: { replay?.fixes(ofStep: i) ?? [] },
                                        fixedVerdict: { fix in replay?.fixedVerdict(ofStep: i, applying: fix) })
        return true
      }
    }
    return problems
  }
}

/// The `Spec/` corpus: every `.cors` file below a folder, in path order.
public enum SpecCorpus {
  /// The file extension of scenario files.
  public static let fileExtension = "cors"

  /// Finds the scenario files below `root` (or `root` itself when it is a file).
  public static func paths(root: String) -> [String] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) else { return [] }
    if !isDirectory.boolValue { return [root] }
    guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
    var out: [String] = []
    while let item = walker.nextObject() as? String {
      if item.hasSuffix("." + fileExtension) { out.append((root.hasSuffix("/") ? String(root.dropLast()) : root) + "/" + item) }
    }
    return out.sorted()
  }

  /// Loads every file; parse failures are returned beside the files that loaded.
  public static func load(root: String) -> (files: [ScenarioFile], errors: [ScenarioDiagnostic]) {
    var files: [ScenarioFile] = []
    var errors: [ScenarioDiagnostic] = []
    for path in paths(root: root) {
      do { files.append(try ScenarioFile.load(path: path, relativeTo: root)) } catch { errors.append(error) }
    }
    return (files, errors)
  }
}
