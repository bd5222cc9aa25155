import CORSScenario
import CORSSession
import CORSSimulator
import Foundation
import Testing

@Suite("The README keeps its promises")
struct DocumentationTests {
  static let readme = (try? String(contentsOfFile: repositoryRoot() + "/README.md", encoding: .utf8)) ?? ""

  /// The README's table of failure codes: each row's code, stages and CORS mark, in the table's order.
  static func failureTable() -> [(code: String, stages: Set<String>, cors: Bool)] {
    guard let start = readme.range(of: "\n## Reason codes\n"),
          let end = readme.range(of: "\nTrace codes", range: start.upperBound..<readme.endIndex) else { return [] }
    return readme[start.upperBound..<end.lowerBound].split(separator: "\n").compactMap { line in
      let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
      guard cells.count == 6, cells[1].hasPrefix("`"), cells[1].hasSuffix("`") else { return nil }
      let stages = Set(cells[2].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
      return (String(cells[1].dropFirst().dropLast()), stages, cells[4] == "✓")
    }
  }

  /// The stages at which each failure code occurs somewhere in the Spec corpus, in any profile.
  static let stagesReached: [FailureReason: Set<String>] = {
    var reached: [FailureReason: Set<String>] = [:]
    for file in SpecCorpus.load(root: repositoryRoot() + "/Spec").files {
      for engine in Engine.allWithSpec {
        for v in ScenarioRunner.run(file.document.scenario, profile: .forEngine(engine), trace: false) {
          if let reason = v.reason, let stage = v.stage { reached[reason, default: []].insert(stage.rawValue) }
        }
      }
    }
    return reached
  }()

  @Test("each failure code has one row in the README's table: its stages are where the Spec corpus reaches it, its CORS mark the engine's")
  func reasonCodes() {
    let table = Self.failureTable()
    #expect(table.count > 50, "the README's table of failure codes was not found")
    #expect(Set(table.map(\.code)).count == table.count, "a code has two rows")
    for row in table {
      guard let reason = FailureReason(rawValue: row.code) else {
        Issue.record("the README's table lists \(row.code), which is not a failure code")
        continue
      }
      #expect(row.cors == reason.isCORS, "\(row.code): the README marks it \(row.cors ? "" : "not ")CORS, the engine does not agree")
      let reached = Self.stagesReached[reason, default: []]
      #expect(!reached.isEmpty, "no Spec file fails with \(row.code)")
      #expect(row.stages == reached, "\(row.code): the README says \(row.stages.sorted()), the Spec corpus reaches it at \(reached.sorted())")
      #expect(row.stages == Set(reason.stages.map(\.rawValue)), "\(row.code): the README says \(row.stages.sorted()), FailureReason.stages \(reason.stages)")
    }
    let documented = Set(table.map(\.code))
    for reason in FailureReason.allCases {
      #expect(documented.contains(reason.rawValue), "the README's table has no row for \(reason.rawValue)")
    }
    // Trace codes and checkpoints are listed in the paragraph after the table.
    let traceList = Self.readme.range(of: "\nTrace codes").map { Self.readme[$0.lowerBound...].prefix { $0 != "#" } } ?? ""
    for note in TraceNote.allCases {
      #expect(traceList.contains("`\(note.rawValue)`"), "the README's list of trace codes lacks \(note.rawValue)")
    }
    for checkpoint in Checkpoint.allCases {
      #expect(traceList.contains("`\(checkpoint.rawValue)`"), "the README does not document \(checkpoint.rawValue)")
    }
  }

  /// The whole test suite: the libraries' package, then the tools'.
  static let testCommand = "swift test && swift test --package-path Tools"

  @Test("the README opens with the command that starts the tool and the test command CI runs")
  func openingCommands() throws {
    let lines = Self.readme.split(separator: "\n").prefix(6).joined(separator: "\n")
    // The first command must work on a fresh Debian machine whose package lists are still empty.
    #expect(lines.contains("apt-get update && apt-get install -y libedit-dev pkg-config && swift run --package-path Tools corsim"))
    #expect(lines.contains(Self.testCommand))
    let ci = try String(contentsOfFile: repositoryRoot() + "/.ci/run", encoding: .utf8)
    #expect(ci.contains("\n" + Self.testCommand + "\n"), ".ci/run must run the README's test command")
  }

  /// The fenced block that follows `heading` in the README.
  static func block(after heading: String) -> [Substring] {
    guard let h = readme.range(of: heading), let open = readme.range(of: "```\n", range: h.upperBound..<readme.endIndex),
          let close = readme.range(of: "\n```", range: open.upperBound..<readme.endIndex) else { return [] }
    return readme[open.upperBound..<close.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
  }

  /// The lines a fresh session prints for the inputs of the README's fenced block after `heading`, and the lines
  /// the README shows; the block's first line is `$ corsim`.
  static func transcript(after heading: String) throws -> (expected: [String], actual: [String]) {
    let lines = Self.block(after: heading)
    #expect(lines.first == "$ corsim", "transcript not found")
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("corsim-doc-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let session = Session(style: .plain, defaultEngine: .chromium, workingDirectory: directory.path)
    var expected: [String] = [], actual: [String] = []
    for line in lines.dropFirst() {
      var input: Substring? = nil
      if line.hasPrefix("corsim> ") { input = line.dropFirst("corsim> ".count) }
      if line.hasPrefix("   ...>") { input = line.dropFirst("   ...>".count).drop { $0 == " " }.isEmpty ? "" : line.dropFirst("   ...> ".count) }
      guard let input else { expected.append(String(line)); continue }
      if case .text(let t) = session.evaluate(String(input)), !t.isEmpty {
        actual += t.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
      }
    }
    return (expected.filter { !$0.isEmpty }, actual)
  }

  @Test("the README's session transcript is what a session prints, line for line")
  func sessionTranscript() throws {
    let (expected, actual) = try Self.transcript(after: "## A session, from the first prompt to a fixed error")
    #expect(expected.count > 20, "transcript not found")
    #expect(actual == expected)
  }

  @Test("the README's explain transcript is what a session prints, line for line")
  func explainTranscript() throws {
    let (expected, actual) = try Self.transcript(after: "A console error pasted after `explain`")
    #expect(expected.count > 10, "transcript not found")
    #expect(actual == expected)
  }
}

@Suite("docs/OBSERVED.md names what exists")
struct ObservedDocumentTests {
  static let root = repositoryRoot()

  /// The table rows of docs/OBSERVED.md, as their cells.
  static func rows() throws -> [[String]] {
    let text = try String(contentsOfFile: root + "/docs/OBSERVED.md", encoding: .utf8)
    return text.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| Engine") }
      .map { line in line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
        .map { $0.trimmingCharacters(in: .whitespaces) } }
  }

  @Test("every row names Spec files that exist, and every profile switch it names is one")
  func rowsPointAtRealThings() throws {
    let rows = try Self.rows()
    #expect(rows.count >= 25, "the tables were not found")
    let profileSource = try String(contentsOfFile: Self.root + "/Sources/CORSSimulator/Browsers/BrowserProfile.swift",
                                   encoding: .utf8)
    for cells in rows {
      #expect(cells.count == 5, "a row of \(cells.count) cells: \(cells)")
      guard cells.count == 5 else { continue }
      // The Spec files: `dir/name` words (a leading "…" abbreviates a sibling of the file before).
      let paths = cells[4].split(whereSeparator: { $0 == "," || $0 == " " })
        .filter { $0.contains("/") && !$0.hasPrefix("…") }
      #expect(!paths.isEmpty, "no Spec file in \(cells[4])")
      for path in paths {
        #expect(FileManager.default.fileExists(atPath: "\(Self.root)/Spec/\(path).cors"), "Spec/\(path).cors does not exist")
      }
      // The switch: a backquoted name (before any ` = `) must be a stored property of BrowserProfile or Page.
      for name in cells[3].split(separator: "`", omittingEmptySubsequences: false).enumerated().filter({ $0.offset % 2 == 1 }).map(\.element) {
        let property = name.split(separator: " ").first.map(String.init) ?? ""
        let bare = property.split(separator: ".").last.map(String.init) ?? property
        if property.hasPrefix("Page.") {
          let page = try String(contentsOfFile: Self.root + "/Sources/CORSSimulator/Simulation/Page.swift", encoding: .utf8)
          let exists = page.contains("var \(bare)")
          #expect(exists, "Page has no \(bare)")
        } else {
          let exists = profileSource.contains("public var \(bare):")
          #expect(exists, "BrowserProfile has no switch \(bare)")
        }
      }
    }
  }
}
