import CORSScenario
@testable import CORSSession
import CORSSimulator
import Foundation
import Testing

@Suite("The session's fix: the exact lines per response and layer, fix apply, undo, every engine at once")
struct FixCommandTests {
  /// The README's credentialed PUT that nothing answers.
  let start = ["page https://app.example", "fetch PUT https://api.example/items/7 credentials=include",
               "  Content-Type: application/json", ""]

  @Test("the verdict's fix line is the complete fix, and `fix` shows its lines per response")
  func show() {
    let session = Session()
    let verdict = feed(session, start)
    #expect(verdict.contains("fix     Nothing handles the preflight"))
    #expect(verdict.contains("`Access-Control-Allow-Credentials: true`, `Access-Control-Allow-Methods: PUT`"))
    let shown = feed(session, ["fix"])
    #expect(shown.contains("fixes of request 1 (chromium)"))
    #expect(shown.contains("1. [server; checked in chromium]"))
    #expect(shown.contains("OPTIONS https://api.example/items/7 (preflight)  — nothing answers it now: a new response, in app"))
    #expect(shown.contains("     status 204\n     + Access-Control-Allow-Origin: https://app.example\n     + Access-Control-Allow-Credentials: true"))
    #expect(shown.contains("PUT https://api.example/items/7  — nothing answers it now"))
    #expect(shown.contains("request 1: credentials=omit"))
    #expect(shown.contains("`fix apply` makes fix 1's changes"))
  }

  @Test("fix apply makes the changes, reports the verdict that moved, and undo takes them back")
  func applyAndUndo() {
    let session = Session()
    feed(session, start)
    let applied = feed(session, ["fix apply"])
    #expect(applied.contains("applied fix 1 of request 1"))
    #expect(applied.contains("now [1] READABLE cors 200  (was BLOCKED at preflight: missing-allow-origin)"))
    #expect(session.document.scenario.server.routes.count == 2)
    let undone = feed(session, ["undo"])
    #expect(undone.contains("undid `fix apply 1 1`"))
    #expect(undone.contains("now [1] BLOCKED at preflight: missing-allow-origin"))
    #expect(session.document.scenario.server.routes.isEmpty)
    // The page's fix: the request without credentials (and what the server then needs).
    let client = feed(session, ["fix apply 1 2"])
    #expect(client.contains("applied fix 2 of request 1: On the page: send the request without credentials"), "\(client)")
    #expect(session.document.scenario.steps[0].request.credentials == .omit)
    #expect(client.contains("now [1] READABLE cors 200"))
    #expect(feed(session, ["undo"]).contains("undid `fix apply 1 2`"))
    #expect(feed(session, ["fix apply 1 9"]).contains("request 1 has 2 fixes (1–2)"))
  }

  @Test("every earlier request whose verdict the fix moves is reported too")
  func everyMovedVerdict() {
    let session = Session()
    feed(session, ["page https://app.example", "fetch https://api.example/x", "", "fetch https://api.example/x", ""])
    let applied = feed(session, ["fix apply"])
    #expect(applied.contains("now [1] READABLE cors 200") && applied.contains("now [2] READABLE cors 200"))
  }

  @Test("a request that succeeds has nothing to fix; a fix line of the language is an expectation, checked at once")
  func nothingAndLanguage() {
    let session = Session()
    feed(session, ["page https://app.example", "route https://api.example/x", "  Access-Control-Allow-Origin: *", "",
                   "fetch https://api.example/x", ""])
    #expect(feed(session, ["fix"]).contains("request 1 succeeds in chromium: nothing to fix"))
    feed(session, ["fetch https://api.example/y", ""])
    let holds = feed(session, ["fix GET https://api.example/y add 200",
                               "fix GET https://api.example/y set Access-Control-Allow-Origin: https://app.example"])
    #expect(holds.contains("holds for request 2"))
    #expect(feed(session, ["fixed readable cors 200"]).contains("holds for request 2"))
    #expect(feed(session, ["undo"]).contains("undid `fixed readable cors 200`"))
    #expect(feed(session, ["fixed readable cors 204"]).contains("request 2, fixed: status 200, expected 204"))
  }

  @Test("where the engines' fixes differ, `fix` and `compare` show the one for all three; --all-engines applies it")
  func allEngines() {
    let session = Session()
    feed(session, ["page https://app.example", "route OPTIONS https://api.example/x 403", "  Access-Control-Allow-Headers: *", "",
                   "route PUT https://api.example/x", "", "fetch PUT https://api.example/x", "  Authorization: Bearer t", ""])
    let shown = feed(session, ["fix --all-engines"])
    #expect(shown.contains("(Chromium, Firefox and WebKit)") && shown.contains("checked in chromium, firefox, webkit"))
    feed(session, ["fix apply --all-engines"])
    for engine in Engine.allCases {
      #expect(session.verdicts(engine).last?.outcome == .readable, "\(engine)")
    }
  }

  @Test("help lists fix with the inspecting commands; completion offers apply, --all-engines and request numbers")
  func helpAndCompletion() {
    let session = Session()
    #expect(feed(session, ["help fix"]).contains("fix apply [N] [K] [--all-engines]"))
    feed(session, start)
    #expect(session.completions(line: "fix ", cursor: 4) == ["--all-engines", "1", "apply"])
  }
}

@Suite("corsim export --fixed: the fixed scenarios the conformance runner plays")
struct ExportFixedTests {
  @Test("a file whose request fails becomes its fixed scenario (id FILE#fixed-N), readable in every engine; a passing file none")
  func exportFixed() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("corsim-fixed-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try """
      page https://app.example
      route OPTIONS https://api.example/x 401
      route PUT https://api.example/x
        Access-Control-Allow-Origin: https://app.example
      fetch PUT https://api.example/x
        Authorization: Bearer t
      """.write(to: directory.appendingPathComponent("broken.cors"), atomically: true, encoding: .utf8)
    try """
      page https://app.example
      route https://api.example/y
        Access-Control-Allow-Origin: *
      fetch https://api.example/y
      """.write(to: directory.appendingPathComponent("fine.cors"), atomically: true, encoding: .utf8)
    let (status, out, err) = try corsim(["export", "--fixed", directory.path])
    #expect(status == 0, "\(err)")
    let lines = out.split(separator: "\n")
    #expect(lines.count == 1 && lines[0].contains(#""id": "broken#fixed-1""#), "\(out)")
    for engine in Engine.allCases {
      let line = lines[0].replacingOccurrences(of: #""id": "broken#fixed-1""#, with: #""id": 1, "browser": "\#(engine.rawValue)""#)
      let (_, answer, _) = try corsim(["oracle"], input: line + "\n")
      #expect(answer.contains(#""outcome": "readable""#), "\(engine): \(answer)")
    }
  }
}
