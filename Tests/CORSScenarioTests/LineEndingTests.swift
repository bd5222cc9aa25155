import CORSScenario
import CORSSimulator
import Testing

@Suite("Line endings: CRLF, LF and a last line without a newline read alike")
struct LineEndingTests {
  @Test("TextLines splits on \\n and \\r\\n, keeps a lone \\r, and has no empty last line", arguments: [
    ("a\nb\n", ["a", "b"]),
    ("a\r\nb\r\n", ["a", "b"]),
    ("a\r\nb", ["a", "b"]),
    ("a\n\r\nb", ["a", "", "b"]),
    ("a\rb\n", ["a\rb"]),
    ("\r\n", [""]),
    ("", []),
    ("é\r\n👍🏽\n", ["é", "👍🏽"]),
  ])
  func split(text: String, lines: [String]) {
    #expect(TextLines.split(text).map(String.init) == lines)
  }

  static let scenario = """
    title: a Windows editor saved this
    page https://app.example
    route OPTIONS https://api.example/data 204
      Access-Control-Allow-Origin: https://app.example
      Access-Control-Allow-Methods: PUT
      Access-Control-Allow-Headers: X-Token

    route https://api.example/data
      Access-Control-Allow-Origin: https://app.example

    fetch PUT https://api.example/data
      X-Token: 1
    expect readable cors 200
    """

  @Test("a scenario saved with CRLF, or without a final newline, is the same document")
  func crlfScenario() throws {
    let lf = try ScenarioBuilder.parse(Self.scenario + "\n")
    let crlf = try ScenarioBuilder.parse(Self.scenario.replacingAll("\n", with: "\r\n") + "\r\n")
    let bare = try ScenarioBuilder.parse(Self.scenario)
    #expect(lf.scenario.server.routes.count == 2)
    #expect(lf.scenario.steps.first?.request.headers == HeaderList([HeaderField("X-Token", "1")]))
    #expect(crlf == lf)
    #expect(bare == lf)
    #expect(ScenarioRunner.run(crlf.scenario, profile: .chromium).first?.outcome == .readable)
  }
}

extension String {
  func replacingAll(_ target: String, with replacement: String) -> String {
    split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
  }
}
