import CORSJSON
import CORSOracle
import CORSScenario
import CORSSimulator
import Foundation
import Testing

/// The package root, found from this file (SwiftPM resources cannot point outside a target).
func packageRoot(_ file: String = #filePath) -> String {
  var url = URL(fileURLWithPath: file)
  for _ in 0..<3 { url.deleteLastPathComponent() }
  return url.path
}

@Suite("Spec/: the executable specification")
struct SpecCorpusTests {
  static let loaded = SpecCorpus.load(root: packageRoot() + "/Spec")
  static let corpus = loaded.files

  /// How many `.cors` files each folder of `Spec/` holds. A file added, moved or removed changes this table in the
  /// same commit (Spec/README.md says so); a loader or a glob that silently finds fewer files fails here.
  static let filesPerFolder: [String: Int] = [
    "apis": 97,
    "cors-check": 32,
    "cors-preflight-cache": 35,
    "cors-preflight-fetch": 53,
    "cors-safelisted-request-header": 34,
    "cors-unsafe-request-header-names": 10,
    "cross-origin-resource-policy": 21,
    "element-loads": 41,
    "elements-details": 26,
    "media-sniffing": 21,
    "filtered-response": 21,
    "fixes": 8,
    "http-cache": 9,
    "http-redirect-fetch": 65,
    "layers": 11,
    "main-fetch": 98,
    "opaque-response-blocking": 12,
    "origin": 36,
    "quirks/chromium": 3,
    "request-constructor": 61,
    "xhr": 22,
  ]

  /// The folder of a path relative to `Spec/`.
  static func folder(_ relativePath: String) -> String {
    (relativePath as NSString).deletingLastPathComponent
  }

  @Test("the corpus was found and every file parses")
  func corpusWasFound() {
    #expect(Self.loaded.errors.isEmpty, "\(Self.loaded.errors.map(\.description).joined(separator: "\n"))")
    let loaded = Dictionary(grouping: Self.corpus, by: { Self.folder($0.relativePath) }).mapValues(\.count)
    for folder in Set(loaded.keys).union(Self.filesPerFolder.keys).sorted() {
      #expect(loaded[folder, default: 0] == Self.filesPerFolder[folder, default: 0],
              "Spec/\(folder): \(loaded[folder, default: 0]) files loaded, the table in SpecCorpusTests says \(Self.filesPerFolder[folder, default: 0])")
    }
    #expect(Self.corpus.count == Self.filesPerFolder.values.reduce(0, +))
  }

  @Test("the loader finds every .cors file below Spec/, whatever its depth")
  func loaderFindsEveryFile() throws {
    let root = packageRoot() + "/Spec"
    let onDisk = try #require(FileManager.default.subpaths(atPath: root)).filter { $0.hasSuffix(".cors") }.sorted()
    #expect(Self.corpus.map(\.relativePath) == onDisk)
    #expect(onDisk.count == Self.filesPerFolder.values.reduce(0, +))
  }

  @Test("every file says what it pins: title, spec and why")
  func headers() {
    for file in Self.corpus {
      for key in ["title", "spec", "why"] {
        #expect(file.document.meta(key)?.isEmpty == false, "\(file.relativePath) has no \(key):")
      }
      #expect(file.document.hasExpectations, "\(file.relativePath) expects nothing")
    }
  }

  @Test("every file reads the same with CRLF line endings and without a final newline")
  func lineEndings() throws {
    for file in Self.corpus {
      let text = try String(contentsOfFile: file.path, encoding: .utf8)
      let crlf = text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
      #expect(try ScenarioBuilder.parse(crlf, file: file.relativePath) == file.document, "\(file.relativePath)")
      let trimmed = String(text.drop { _ in false }.reversed().drop { $0 == "\n" }.reversed())
      #expect(try ScenarioBuilder.parse(trimmed, file: file.relativePath) == file.document, "\(file.relativePath)")
    }
  }

  @Test("each scenario's verdicts match its expectations in all four profiles", arguments: SpecCorpusTests.corpus)
  func scenario(_ file: ScenarioFile) {
    let problems = file.check()
    #expect(problems.isEmpty, "\(problems.map(\.description).joined(separator: "\n"))")
  }
}

@Suite("corsim export: a scenario file as an oracle line plays the same")
struct OracleExportTests {
  /// What the oracle contract compares, and the failing step.
  static func summary(_ v: Verdict) -> String {
    let wire = v.requests.map { r in
      "\(r.method) \(r.url.href) " + r.headers.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
    }
    return "\(v.outcome) \(v.stage.map { "\($0)" } ?? "-") \(v.reason?.rawValue ?? "-") \(v.responseType.map { "\($0)" } ?? "-") "
      + "\(v.status ?? -1) \(v.exposedHeaders ?? []) [\(wire.joined(separator: " | "))]"
  }

  @Test("every Spec file round-trips through its oracle line with the same verdicts in every profile",
        arguments: SpecCorpusTests.corpus)
  func roundTrip(_ file: ScenarioFile) throws {
    let line = JSONWriter.serialize(OracleExport.encode(file.document.scenario, id: .string(file.relativePath)))
    let decoded = try OracleInput.decode(try JSONParser.parse(line))
    #expect(decoded.id == .string(file.relativePath))
    for engine in Engine.allWithSpec {
      let original = ScenarioRunner.run(file.document.scenario, profile: .forEngine(engine), trace: false)
      let replayed = ScenarioRunner.run(decoded.scenario, profile: .forEngine(engine), trace: false)
      #expect(original.map(Self.summary) == replayed.map(Self.summary), "\(engine)")
    }
  }

  @Test("layers are flattened: method-scoped layers, and 404s that a layer decorates")
  func layers() throws {
    let document = try ScenarioBuilder.parse("""
      page https://app.example
      route https://api.example/data
        Access-Control-Allow-Origin: https://app.example
      layer cdn for OPTIONS
        add Access-Control-Allow-Methods: PUT
      layer proxy
        add Access-Control-Allow-Origin: *
      fetch PUT https://api.example/data
      fetch https://api.example/missing
      """, file: "t")
    let json = OracleExport.encode(document.scenario, id: .string("t"))
    let decoded = try OracleInput.decode(try JSONParser.parse(JSONWriter.serialize(json)))
    #expect(decoded.scenario.server.layers.isEmpty)
    for engine in Engine.allWithSpec {
      let original = ScenarioRunner.run(document.scenario, profile: .forEngine(engine), trace: false)
      let replayed = ScenarioRunner.run(decoded.scenario, profile: .forEngine(engine), trace: false)
      #expect(original.map(Self.summary) == replayed.map(Self.summary))
    }
    // The duplicate ACAO (app + proxy) survives flattening: the request fails as it does behind the layers.
    let verdicts = ScenarioRunner.run(decoded.scenario, profile: .chromium, trace: false)
    #expect(verdicts[0].reason == .multipleAllowOrigin)
    guard case .array(let routes)? = json["server"] else { Issue.record("no server"); return }
    #expect(routes.contains { $0["url"] == .string("https://api.example/missing") && $0["status"] == .number(404) })
  }
}

@Suite("corsim oracle: each answer line is written straight from the verdicts")
struct OracleLineWriterTests {
  @Test("every Spec file's --explain answer, in every profile, is the JSON writer's own form of that JSON, byte for byte",
        arguments: SpecCorpusTests.corpus)
  func canonical(_ file: ScenarioFile) throws {
    for engine in Engine.allWithSpec {
      let steps = ScenarioRunner.runWithFixes(file.document.scenario, profile: .forEngine(engine))
      let line = OracleOutput.resultLine(id: .string(file.relativePath), engine: engine, verdicts: steps.map(\.verdict),
                                         explain: true, fixes: steps.map(\.fixes))
      // Parsed and written again through a JSONValue: the same members, order, spacing, escapes and numbers.
      #expect(JSONWriter.serialize(try JSONParser.parse(line)) == line, "\(engine)")
    }
  }
}
