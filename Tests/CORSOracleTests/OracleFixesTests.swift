import CORSJSON
import CORSScenario
import CORSSimulator
import Foundation
import Testing
@testable import CORSOracle

@Suite("corsim oracle --explain: the fixes member")
struct OracleFixesTests {
  /// The README's credentialed PUT that nothing answers.
  let line = #"{"id": "put", "browser": "chromium", "page": "https://app.example", "request": {"method": "PUT", "url": "https://api.example/items/7", "credentials": "include", "headers": [["Content-Type", "application/json"]]}}"#

  @Test("each failing step carries its fixes, the first a complete server fix in the issue's shape; fix is its summary")
  func shape() throws {
    let r = try JSONParser.parse(Oracle(explain: true).answer(line: line, lineNumber: 1))
    guard case .array(let steps) = r["steps"], case .array(let fixes)? = steps[0]["fixes"] else {
      Issue.record("no fixes in \(r)"); return
    }
    let first = fixes[0]
    #expect(first["side"] == .string("server") && first["layer"] == .string("app"))
    #expect(steps[0]["fix"] == first["summary"])
    guard case .array(let edits)? = first["edits"] else { Issue.record("no edits"); return }
    let preflight: JSONValue = .object([("method", .string("OPTIONS")), ("url", .string("https://api.example/items/7"))])
    #expect(edits.first == .object([("response", preflight), ("layer", .string("app")),
                                    ("addResponse", .object([("status", .number(204))]))]))
    #expect(edits.contains(.object([("response", preflight), ("layer", .string("app")),
                                    ("setHeader", .array([.string("Access-Control-Allow-Credentials"), .string("true")]))])))
    #expect(first["verifiedIn"] == .array([.string("chromium")]))
    // A client fix: the request without credentials, in the issue's `{"step", "set"}` shape.
    #expect(fixes.contains { fix in
      guard case .array(let e)? = fix["edits"] else { return false }
      return fix["side"] == .string("client")
        && e.first == .object([("step", .number(0)), ("set", .object([("credentials", .string("omit"))]))])
    })
  }

  @Test("the JSON is Fix's Codable form: a tool decodes it with JSONDecoder and gets the library's fixes")
  func codable() throws {
    let answer = Oracle(explain: true).answer(line: line, lineNumber: 1)
    struct Line: Decodable { struct Step: Decodable { var fixes: [Fix] }; var steps: [Step] }
    let decoded = try JSONDecoder().decode(Line.self, from: Data(answer.utf8))
    let scenario = try OracleInput.decode(try JSONParser.parse(line)).scenario
    let fixes = scenario.fixes(forStep: 0, profile: .chromium)
    #expect(decoded.steps[0].fixes == fixes)
    // And the encoder writes what the oracle writes.
    let encoded = try JSONParser.parse(String(decoding: try JSONEncoder().encode(fixes), as: UTF8.self))
    #expect(Self.sorted(encoded) == Self.sorted(OracleOutput.fixes(fixes)))
  }

  @Test("a step that succeeds has no fixes; without --explain there is no fixes member")
  func success() throws {
    let ok = #"{"id": 1, "page": "https://app.example", "request": {"url": "https://api.example/x"}, "server": [{"url": "https://api.example/x", "headers": [["Access-Control-Allow-Origin", "*"]]}]}"#
    let r = try JSONParser.parse(Oracle(explain: true).answer(line: ok, lineNumber: 1))
    guard case .array(let steps) = r["steps"] else { Issue.record("no steps"); return }
    #expect(steps[0]["fixes"] == .array([]) && steps[0]["fix"] == .null)
    let plain = try JSONParser.parse(Oracle().answer(line: line, lineNumber: 1))
    guard case .array(let plainSteps) = plain["steps"] else { Issue.record("no steps"); return }
    #expect(plainSteps[0]["fixes"] == nil)
  }

  @Test("the README's example: the scenario's fixes are the JSON shown, and the line with the first applied by the rule is readable")
  func readmeExample() throws {
    var root = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { root.deleteLastPathComponent() }
    let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
    guard let section = readme.range(of: "A PUT whose preflight an authentication layer answers 401:") else {
      Issue.record("the README's example of fixes was not found"); return
    }
    let text = readme[section.upperBound...]
    // The three blocks that follow: the failing line, its fixes, the fixed line and its answer.
    let blocks = text.components(separatedBy: "```").enumerated().filter { $0.offset % 2 == 1 }.prefix(3).map(\.element)
    func input(_ block: String) -> String {
      let line = block.split(separator: "\n").first { $0.hasPrefix("$ echo '") }!
      return String(line.dropFirst("$ echo '".count).prefix { $0 != "'" })
    }
    let failing = input(blocks[0])
    let shown = try JSONParser.parse(String(blocks[1].dropFirst("json".count)))
    let answer = try JSONParser.parse(Oracle(explain: true).answer(line: failing, lineNumber: 1))
    guard case .array(let steps) = answer["steps"], let fixes = steps[0]["fixes"] else { Issue.record("no fixes"); return }
    #expect(Self.sorted(fixes) == Self.sorted(shown))
    // The fixed line is the failing one with the first fix applied by `Scenario.applying`, and it is readable.
    let fixedLine = input(blocks[2])
    let scenario = try OracleInput.decode(try JSONParser.parse(failing)).scenario
    let fix = scenario.fixes(forStep: 0, profile: .chromium)[0]
    let fixed = try OracleInput.decode(try JSONParser.parse(fixedLine)).scenario
    #expect(fixed.server.routes == scenario.applying(fix).server.routes)
    let printed = blocks[2].split(separator: "\n").last { $0.hasPrefix("{") }.map(String.init) ?? ""
    #expect(Oracle().answer(line: fixedLine, lineNumber: 1) == printed)
    #expect(printed.contains(#""outcome": "readable""#))
  }

  /// Objects with their members sorted (JSONEncoder does not keep the order of keys).
  static func sorted(_ v: JSONValue) -> JSONValue {
    switch v {
    case .object(let m): return .object(m.map { ($0.0, sorted($0.1)) }.sorted { $0.0 < $1.0 })
    case .array(let a): return .array(a.map(sorted))
    default: return v
    }
  }
}
