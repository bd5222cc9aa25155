// README.md's library example ("The library") is the body of `example()` between its markers, under the
// import: it must compile, run and say what its comments say.
import CORSSimulator
import Foundation
import Testing

@Suite("README's library example")
struct ReadmeLibraryExampleTests {
  @Test("it runs and its comments are true")
  func example() throws {
    // README begin
    var sim = Simulator(profile: .firefox, page: try Page("https://app.example"), server: Server(routes: [
      try Route(method: .options, url: "https://api.example/data", status: 204,
                headers: ["Access-Control-Allow-Origin": "https://app.example", "Access-Control-Allow-Methods": "PUT"]),
      try Route(url: "https://api.example/data", headers: ["Access-Control-Allow-Origin": "https://app.example"]),
    ]))
    let put = sim.fetch(ScriptRequest(url: "https://api.example/data", method: .put))
    assert(put.outcome == .readable && put.requests.count == 2)  // the preflight, then the PUT

    sim.advance(by: 3)  // virtual seconds: the preflight cache reads this clock
    let request = ScriptRequest(url: "https://api.example/data", method: .put,
                                headers: ["Content-Type": "application/json"], credentials: .include, body: "{}")
    let withCookies = sim.fetch(request)
    switch withCookies.result {
    case .readable(let response): print(response.status, response.exposedHeaders)
    case .opaque(let type): print(type)
    case .networkError(let failure), .invalid(let failure):
      print(failure.stage, failure.reason)  // preflight missing-allow-credentials
      print(withCookies.consoleMessage ?? "")  // Firefox's own words
      let fix = sim.fixes(for: request)[0]  // complete, applied and checked: every header the preflight lacks
      print(fix.summary)  // … `Access-Control-Allow-Credentials: true`, `Access-Control-Allow-Headers: content-type` …
      print(fix.edits)  // the same as data: .server(ServerEdit(response: OPTIONS https://api.example/data, …)), …
    }
    // README end
    #expect(put.outcome == .readable && put.requests.count == 2)
    #expect(withCookies.stage == .preflight && withCookies.reason == .missingAllowCredentials)
    #expect(withCookies.consoleMessage?.hasPrefix("Cross-Origin Request Blocked") == true)
    let fix = sim.fixes(for: request)[0]
    #expect(fix.side == .server && fix.verifiedIn == [.firefox])
    #expect(fix.summary.contains("`Access-Control-Allow-Credentials: true`, `Access-Control-Allow-Headers: content-type`"))
    let preflight = Fix.Response(method: "OPTIONS", url: "https://api.example/data")
    #expect(fix.serverEdits.contains(Fix.ServerEdit(preflight, .setHeader("Access-Control-Allow-Credentials", "true"))))
    #expect(fix.serverEdits.contains(Fix.ServerEdit(preflight, .setHeader("Access-Control-Allow-Headers", "content-type"))))
    var fixed = sim
    fixed.server = sim.server.applying(fix.serverEdits)
    #expect(fixed.fetch(request).outcome == .readable)
  }

  @Test("README.md shows it verbatim")
  func verbatim() throws {
    var root = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { root.deleteLastPathComponent() }
    let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
    let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
    guard let begin = lines.firstIndex(where: { $0.hasSuffix("// README begin") }),
          let end = lines.firstIndex(where: { $0.hasSuffix("// README end") }) else {
      Issue.record("the markers are missing")
      return
    }
    let body = lines[(begin + 1)..<end].map { $0.hasPrefix("    ") ? $0.dropFirst(4) : $0 }
    let example = "```swift\nimport CORSSimulator\n\n" + body.joined(separator: "\n") + "\n```"
    let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
    #expect(readme.contains(example), "README.md's library example is not this test's, verbatim:\n\(example)")
  }
}
