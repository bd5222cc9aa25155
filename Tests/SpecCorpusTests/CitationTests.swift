import Foundation
import Testing

/// Citations must resolve inside the repository or to a public URL. Two kinds are checked over every text file
/// of the repository (both packages, `Spec/`, `docs/`, scripts): no file cites the reference notes that lived
/// outside the repository, and every `….md §N` citation names a Markdown file that exists and a section of it
/// that exists — with its row, step or class when it names one.
enum Citations {
  /// The notes that were never part of the repository, by name. Built from pieces so that this file does not
  /// cite them itself.
  static let absentNotes: [String] = ["fetch-cors", "browsers", "misconfigurations"].map { $0 + ".md" }
  /// How those notes were referred to in prose.
  static let absentPhrase = "the " + "digest"

  /// The citations of absent notes in `text`: each offending name or phrase found (case-sensitive; a longer name
  /// that merely ends like one counts as well, so notes written here must be named differently).
  static func absentCitations(in text: String) -> [String] {
    (absentNotes + [absentPhrase]).filter { text.contains($0) }
  }

  /// Directories that are not the repository's own text: build products, and what `Scripts/fuzz` writes under
  /// Fuzz/ (corpora, seeds, logs, crash artifacts; all git-ignored), which hold arbitrary generated text.
  static let skippedDirectories: Set<String> = [".build", ".git", ".swiftpm", "node_modules",
                                                ".corpus", ".corpus-kept", ".seeds", ".logs", ".artifacts", ".hour"]

  /// Every regular file of the repository under `root`, as paths relative to it.
  static func repositoryFiles(root: String) -> [String] {
    var files: [String] = []
    guard let walker = FileManager.default.enumerator(atPath: root) else { return files }
    while let relative = walker.nextObject() as? String {
      let name = (relative as NSString).lastPathComponent
      var isDirectory: ObjCBool = false
      _ = FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory)
      if isDirectory.boolValue {
        // `.build-*` and `.build_*` too, as .gitignore says: second build folders, and the venv CI makes for the
        // live tests (whose packages are other projects' text).
        if skippedDirectories.contains(name) || name.hasPrefix(".build-") || name.hasPrefix(".build_") {
          walker.skipDescendants()
        }
        continue
      }
      files.append(relative)
    }
    return files.sorted()
  }

  /// The text of a file, or nil for a file that is not UTF-8 text.
  static func text(_ path: String) -> String? {
    guard let data = FileManager.default.contents(atPath: path), !data.contains(0) else { return nil }
    return String(data: data, encoding: .utf8)
  }

  // MARK: Sections of Markdown notes

  /// What a Markdown note offers to cite: its numbered sections, and inside each section the labels of its
  /// table rows (first cell) and of its numbered list items.
  struct Note {
    var sections: Set<String> = []
    var rows: [String: Set<String>] = [:]
    var items: [String: Set<String>] = [:]

    init(_ text: String) {
      var current = ""
      for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        if let number = Note.heading(line) {
          current = number
          sections.insert(number)
        } else if line.hasPrefix("|") {
          let cell = line.dropFirst().prefix { $0 != "|" }.trimmingCharacters(in: .whitespaces)
          if !cell.isEmpty { rows[current, default: []].insert(cell) }
        } else {
          let trimmed = line.drop { $0 == " " }
          let digits = trimmed.prefix { $0.isNumber }
          if !digits.isEmpty, trimmed.dropFirst(digits.count).hasPrefix(". ") {
            items[current, default: []].insert(String(digits))
          }
        }
      }
    }

    /// The number of a heading such as `## 6. The CORS check` or `#### 5.1.2 Details`.
    static func heading(_ line: Substring) -> String? {
      let hashes = line.prefix { $0 == "#" }.count
      guard (2...4).contains(hashes), line.dropFirst(hashes).hasPrefix(" ") else { return nil }
      let rest = line.dropFirst(hashes + 1)
      var number = String(rest.prefix { $0.isNumber || $0 == "." })
      while number.hasSuffix(".") { number.removeLast() }
      return number.first?.isNumber == true ? number : nil
    }
  }

  /// One cited place: a section, and optionally a row (`row 15`, `rows 15–17`, `class 2`) or a numbered item
  /// (`step 4`, `rule 3`, `item 7`, `trace 2`).
  struct Place: Equatable {
    var section: String?
    var rows: [String] = []
    var items: [String] = []
  }

  static var qualifierPattern: Regex<(Substring, Substring, Substring, Substring?)> { /^\ (row|rows|step|steps|rule|item|trace|class) ([0-9a-z]+)(?:[–-]([0-9a-z]+))?/ }

  /// The places a citation names, read from the text right after `file.md`: `§6 step 4, §7.3 and §8`, or
  /// `class 18`.
  static func places(after tail: Substring) -> [Place] {
    var rest = tail
    var places: [Place] = []
    if let m = rest.prefixMatch(of: /\ class\ (\d+)/) {
      return [Place(section: nil, rows: [String(m.1)])]
    }
    while let m = rest.prefixMatch(of: /(?:,| and|, and)? ?§(\d+(?:\.\d+)*)/) {
      var place = Place(section: String(m.1))
      rest = rest[m.range.upperBound...]
      if let q = rest.prefixMatch(of: qualifierPattern) {
        let labels = [String(q.2)] + (q.3.map { [String($0)] } ?? [])
        if q.1.hasPrefix("row") || q.1 == "class" { place.rows = labels } else { place.items = labels }
        rest = rest[q.range.upperBound...]
      }
      places.append(place)
    }
    return places
  }

  /// The citations in `content`: each `name.md` followed (after an optional backtick) by ` §` or ` class `, with
  /// the text that follows it. (A plain scan: regular expressions over every file are slow in debug builds.)
  static func citations(in content: String) -> [(file: String, tail: Substring)] {
    var found: [(file: String, tail: Substring)] = []
    var from = content.startIndex
    while let md = content.range(of: ".md", range: from..<content.endIndex) {
      from = md.upperBound
      var tail = content[md.upperBound...]
      if tail.first == "`" { tail = tail.dropFirst() }
      guard tail.hasPrefix(" §") || tail.hasPrefix(" class ") else { continue }
      var start = md.lowerBound
      while start > content.startIndex {
        let previous = content.index(before: start)
        let c = content[previous]
        guard c.isASCII, c.isLetter || c.isNumber || "_./-".contains(c) else { break }
        start = previous
      }
      if start < md.lowerBound { found.append((String(content[start..<md.upperBound]), tail.prefix(400))) }
    }
    return found
  }

  /// The citations in `content` (of the file at `path`, relative to `root`) that do not resolve, described.
  static func unresolved(in content: String, path: String, root: String, notes: inout [String: Note?]) -> [String] {
    var problems: [String] = []
    let directory = (path as NSString).deletingLastPathComponent
    for (cited, tail) in citations(in: content) {
      let candidates = cited.hasPrefix("docs/") ? [cited] : [directory + "/" + cited, cited]
      guard let target = candidates.first(where: { FileManager.default.fileExists(atPath: root + "/" + $0) }) else {
        problems.append("\(path): \(cited) does not exist")
        continue
      }
      let key = (target as NSString).standardizingPath
      if notes[key] == nil { notes[key] = text(root + "/" + key).map(Note.init) }
      guard let note = notes[key] ?? nil else { continue }
      for place in places(after: tail) {
        let section = place.section ?? ""
        if let s = place.section, !note.sections.contains(s) {
          problems.append("\(path): \(cited) has no §\(s)")
          continue
        }
        for row in place.rows where !(note.rows[section]?.contains(row) ?? false) {
          problems.append("\(path): \(cited) \(place.section.map { "§\($0) " } ?? "")has no row \(row)")
        }
        for item in place.items where !(note.items[section]?.contains(item) ?? false) {
          problems.append("\(path): \(cited) §\(section) has no numbered item \(item)")
        }
      }
    }
    return problems
  }
}

@Suite("Citations resolve inside the repository")
struct CitationTests {
  static let root = packageRoot()
  static let files = Citations.repositoryFiles(root: root)

  @Test("the scan covers both packages, the corpus and the notes")
  func scanCoversTheRepository() {
    for path in ["README.md", "Package.swift", "Tools/Package.swift", "Spec/README.md",
                 "docs/reference/cors-rules.md", "Sources/CORSSimulator/FetchStandard.swift"] {
      #expect(Self.files.contains(path), "\(path) not scanned")
    }
    #expect(!Self.files.contains { $0.hasPrefix(".build/") || $0.hasPrefix(".build-") || $0.hasPrefix(".git/") })
    #expect(Self.files.filter { $0.hasSuffix(".cors") }.count == SpecCorpusTests.corpus.count)
  }

  @Test("the detector finds a citation of a note that is not in the repository")
  func detectorWorks() {
    #expect(Citations.absentCitations(in: "source: " + Citations.absentNotes[0] + " §6").count == 1)
    #expect(Citations.absentCitations(in: "see " + Citations.absentPhrase + " §15").count == 1)
    #expect(Citations.absentCitations(in: "source: docs/reference/cors-rules.md §6 step 4").isEmpty)
  }

  @Test("no file cites notes that are not in the repository")
  func noAbsentNotes() {
    for path in Self.files {
      guard let text = Citations.text(Self.root + "/" + path) else { continue }
      let found = Citations.absentCitations(in: text)
      #expect(found.isEmpty, "\(path) cites \(found.joined(separator: ", "))")
    }
  }

  @Test("a citation is read with its chain of sections, rows and items")
  func citationParsing() {
    let places = Citations.places(after: " §6 step 4, §5.3 row b and §6 rows 15–17; §9")
    #expect(places == [Citations.Place(section: "6", items: ["4"]), Citations.Place(section: "5.3", rows: ["b"]),
                       Citations.Place(section: "6", rows: ["15", "17"])])
    #expect(Citations.places(after: " class 18 (errors)") == [Citations.Place(section: nil, rows: ["18"])])
    // Built from pieces, so that the scan of this very file does not meet them.
    let section = "§", md = ".md"
    let found = Citations.citations(in: "see `docs/reference/cors-rules.md` §6, docs/AUDIT.md and x" + md + " class 2; y.md")
    #expect(found.map(\.file) == ["docs/reference/cors-rules.md", "x.md"])
    var notes: [String: Citations.Note?] = [:]
    let bad = Citations.unresolved(in: "docs/reference/cors-rules" + md + " \(section)99, docs/reference/cors-rules" + md
                                     + " \(section)6 step 40, docs/reference/engine-differences" + md + " \(section)6 row 400, "
                                     + "docs/nowhere" + md + " \(section)1",
                                   path: "Spec/x.cors", root: Self.root, notes: &notes)
    #expect(bad.count == 4, "\(bad)")
    let good = Citations.unresolved(in: "docs/reference/cors-rules.md §6 step 4 and §5.3 row b; "
                                      + "docs/reference/misconfiguration-classes.md class 18",
                                    path: "Spec/x.cors", root: Self.root, notes: &notes)
    #expect(good.isEmpty, "\(good)")
  }

  @Test("every `….md §N` citation names a file and a section that exist")
  func citationsResolve() {
    var notes: [String: Citations.Note?] = [:]
    var problems: [String] = []
    var count = 0
    for path in Self.files {
      guard let text = Citations.text(Self.root + "/" + path) else { continue }
      count += Citations.citations(in: text).count
      problems += Citations.unresolved(in: text, path: path, root: Self.root, notes: &notes)
    }
    #expect(count > 400, "only \(count) citations found: the pattern no longer matches them")
    #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
  }
}
