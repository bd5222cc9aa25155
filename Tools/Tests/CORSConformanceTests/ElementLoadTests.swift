import CORSJSON
import CORSScenario
import CORSSimulator
import Foundation
import Testing

@testable import CORSConformance

@Suite struct ElementLoadTests {
  /// The bytes a route is answered with.
  func wireBody(_ route: WireRoute) -> [UInt8] {
    let bytes = WireResponse.route(route, method: "GET")
    let end = Array("\r\n\r\n".utf8)
    guard let i = (0...(bytes.count - end.count)).first(where: { Array(bytes[$0..<$0 + end.count]) == end }) else { return [] }
    return Array(bytes[(i + end.count)...])
  }

  @Test("element steps are played: no skip, their URLs move under the prefix, their attributes reach the page")
  func played() {
    let plan = ConformancePlan(jsonLines: """
      {"id": "e", "page": "https://app.test/", "steps": [{"api": "element", "url": "https://cdn.test/cat.png", "destination": "image", "crossorigin": "use-credentials"}, {"api": "element", "url": "https://cdn.test/lib.js", "destination": "script", "integrity": "sha256-x"}], "server": [{"url": "https://cdn.test/cat.png", "headers": [["Content-Type", "image/png"]]}]}
      """)
    let e = plan.scenarios[0]
    #expect(e.skipReason == nil)
    #expect(plan.playOrder == [0])
    #expect(e.steps[0]["url"] == .string("https://cdn.test/~corsim/0/cat.png"))
    #expect(e.steps[0]["crossorigin"] == .string("use-credentials"))
    #expect(e.steps[1]["integrity"] == .string("sha256-x"))
    #expect(e.element(step: 0) == .image && e.element(step: 1) == .script)
    let html = RunnerPage.html(for: e, settings: HarnessState.PageSettings(), file: false)
    #expect(html.contains("s.api === 'element' ? playElement(s)"))
    #expect(html.contains("getImageData") && html.contains("cssRules") && html.contains("'Script error.'"))
  }

  @Test("a bodiless route that answers an element load gets a minimal resource of its kind, in the format its Content-Type names")
  func substitutedBodies() {
    let plan = ConformancePlan(jsonLines: """
      {"id": "png", "page": "https://app.test/", "steps": [{"api": "element", "url": "https://cdn.test/a", "destination": "image"}], "server": [{"url": "https://cdn.test/a", "headers": [["Content-Type", "image/png"]]}]}
      {"id": "gif", "page": "https://app.test/", "steps": [{"api": "element", "url": "https://cdn.test/a", "destination": "image"}], "server": [{"url": "https://cdn.test/a", "headers": [["Content-Type", "image/gif; charset=x"]]}]}
      {"id": "svg", "page": "https://app.test/", "steps": [{"api": "element", "url": "https://cdn.test/a", "destination": "image"}], "server": [{"url": "https://cdn.test/a", "headers": [["Content-Type", "image/svg+xml"]], "body": "<?xml version=\\"1.0\\"?><svg/>"}]}
      {"id": "script", "page": "https://app.test/", "steps": [{"api": "element", "url": "https://cdn.test/a", "destination": "script"}], "server": [{"url": "https://cdn.test/a", "headers": [["Content-Type", "text/plain"]]}]}
      {"id": "module", "page": "https://app.test/", "steps": [{"api": "element", "url": "https://cdn.test/a", "destination": "script", "module": true}], "server": [{"url": "https://cdn.test/a"}]}
      {"id": "font", "page": "https://app.test/", "steps": [{"api": "element", "url": "https://cdn.test/a", "destination": "font"}], "server": [{"url": "https://cdn.test/a", "headers": [["Content-Type", "font/woff2"]]}]}
      {"id": "video", "page": "https://app.test/", "steps": [{"api": "element", "url": "https://cdn.test/a", "destination": "video"}], "server": [{"url": "https://cdn.test/a", "headers": [["Content-Type", "video/mp4"]]}]}
      {"id": "own", "page": "https://app.test/", "steps": [{"api": "element", "url": "https://cdn.test/a", "destination": "script"}], "server": [{"url": "https://cdn.test/a", "body": "console.log(1);"}]}
      {"id": "fetch", "page": "https://app.test/", "steps": [{"url": "https://cdn.test/a"}], "server": [{"url": "https://cdn.test/a", "headers": [["Content-Type", "image/png"]]}]}
      {"id": "redirect", "page": "https://app.test/", "steps": [{"api": "element", "url": "https://cdn.test/a", "destination": "image"}], "server": [{"url": "https://cdn.test/a", "status": 302, "headers": [["Location", "https://img.test/b"]]}, {"url": "https://img.test/b"}]}
      {"id": "404", "page": "https://app.test/", "steps": [{"api": "element", "url": "https://cdn.test/a", "destination": "image"}], "server": [{"url": "https://cdn.test/a", "status": 404}]}
      {"id": "300", "page": "https://app.test/", "steps": [{"api": "element", "url": "https://cdn.test/a", "destination": "font"}], "server": [{"url": "https://cdn.test/a", "status": 300}]}
      {"id": "304", "page": "https://app.test/", "steps": [{"api": "element", "url": "https://cdn.test/a", "destination": "image"}], "server": [{"url": "https://cdn.test/a", "status": 304}]}
      """)
    #expect(plan.scenarios.allSatisfy { $0.skipReason == nil })
    let body = { (i: Int, r: Int) in self.wireBody(plan.scenarios[i].wireRoutes[r]) }
    #expect(body(0, 0) == ElementBodies.png && Array(body(0, 0).prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
    #expect(Array(body(1, 0).prefix(6)) == Array("GIF89a".utf8) && body(1, 0) == ElementBodies.gif)
    #expect(String(decoding: body(2, 0), as: UTF8.self).contains(#"xmlns="http://www.w3.org/2000/svg""#))
    #expect(String(decoding: body(3, 0), as: UTF8.self).hasSuffix("("))  // a syntax error: its message shows muting
    #expect(body(4, 0) == ElementBodies.module)
    #expect(Array(body(5, 0).prefix(4)) == [0, 1, 0, 0] && body(5, 0).count == 644)
    #expect(Array(body(6, 0).prefix(4)) == Array("RIFF".utf8) && Array(body(6, 0)[8..<12]) == Array("WAVE".utf8))
    #expect(body(7, 0) == Array("console.log(1);".utf8))
    #expect(body(8, 0).isEmpty)  // fetch() and XHR steps get the route as written
    #expect(body(9, 0).isEmpty && body(9, 1) == ElementBodies.png)  // a redirect has no body; its target does
    // An error status or a 3xx that is not followed gets the resource too, so that the event tells whether the
    // engine uses a response of that status (not that nothing decodes); a null body status gets none.
    #expect(body(10, 0) == ElementBodies.png && Array(body(11, 0).prefix(4)) == [0, 1, 0, 0] && body(12, 0).isEmpty)
    // The header lines stay exactly as written.
    #expect(plan.scenarios[1].wireRoutes[0].headerLines.map(\.value) == ["image/gif; charset=x"])
  }

  @Test("a route body that no element of its kind can decode is served as written (the simulator predicts the error); WebKit skips PDF-labelled images")
  func undecodable() {
    let plan = ConformancePlan(jsonLines: """
      {"id": "json", "page": "https://app.test/", "steps": [{"api": "element", "url": "https://api.test/me", "destination": "image"}], "server": [{"url": "https://api.test/me", "headers": [["Content-Type", "application/json"]], "body": "{\\"a\\": 1}"}]}
      {"id": "text", "page": "https://app.test/", "steps": [{"api": "element", "url": "https://m.test/v", "destination": "video"}], "server": [{"url": "https://m.test/v", "body": "not a video"}]}
      {"id": "pdf", "page": "https://app.test/", "steps": [{"api": "element", "url": "https://f.test/a.pdf", "destination": "image"}], "server": [{"url": "https://f.test/a.pdf", "headers": [["Content-Type", "application/pdf"]]}]}
      """)
    #expect(plan.scenarios[0].skipReason == nil && plan.scenarios[1].skipReason == nil)
    #expect(plan.scenarios[0].wireRoutes[0].substitutedBody == nil && plan.scenarios[1].wireRoutes[0].substitutedBody == nil)
    // Media bodies are served as written, whether they begin like media or not: the scenario writes the file.
    #expect(ElementBodies.judge(Array("not a video".utf8), for: .video, contentType: nil) == .keep)
    #expect(ElementBodies.judge(Array("ID3 tag".utf8), for: .audio, contentType: "application/json") == .keep)
    #expect(ElementBodies.judge(Array("0000ftypisom".utf8), for: .video, contentType: nil) == .keep)
    #expect(plan.scenarios[2].skipReason == nil)
    #expect(plan.scenarios[2].skipReason(for: .webkit)?.contains("application/pdf") == true)
    #expect(plan.scenarios[2].skipReason(for: .chromium) == nil)
    #expect(ElementBodies.judge(Array("GIF89a-pretend".utf8), for: .image, contentType: "text/html") == .complete(ElementBodies.gif))
    #expect(ElementBodies.judge(Array("{}".utf8), for: .style, contentType: nil) == .keep)
  }

  @Test("Integrity-Policy becomes a header line of the runner page; a file: page cannot have one")
  func integrityPolicy() {
    let plan = ConformancePlan(jsonLines: """
      {"id": "p", "page": "https://app.test/", "integrityPolicy": "blocked-destinations=(script)", "steps": [{"api": "element", "url": "https://app.test/a.js", "destination": "script"}]}
      {"id": "f", "page": "file:///x.html", "integrityPolicy": "blocked-destinations=(script)", "steps": [{"api": "element", "url": "https://app.test/a.js", "destination": "script"}]}
      """)
    #expect(plan.scenarios[0].pageHeaders.map { "\($0.name): \($0.value)" } == ["Integrity-Policy: blocked-destinations=(script)"])
    #expect(plan.scenarios[1].skipReason == "a file: page cannot be given an Integrity-Policy header")
  }

  @Test("element results: the event, opaque or not where the page could tell, never status or header names")
  func assemble() {
    let plan = ConformancePlan(jsonLines: """
      {"id": "x", "page": "https://app.test/", "steps": [{"api": "element", "url": "https://cdn.test/a", "destination": "image"}, {"api": "element", "url": "https://app.test/b", "destination": "style", "crossorigin": ""}, {"api": "element", "url": "https://cdn.test/c", "destination": "video"}, {"api": "element", "url": "https://cdn.test/d", "destination": "font"}]}
      """)
    let a = ResultAssembler(plan: plan, engine: .firefox, runnerURLs: [:])
    let report = try! JSONParser.parse("""
      [{"outcome": "opaque"}, {"outcome": "readable"}, {"outcome": "load"}, {"outcome": "network-error", "error": "error event"}]
      """)
    let line = a.result(0, report: report, log: [], console: [:])
    guard case .array(let steps)? = line["steps"] else {
      Issue.record("no steps: \(JSONWriter.serialize(line))")
      return
    }
    #expect(steps.map { $0["responseType"] } == [.string("opaque"), .string("basic"), .null, .null])
    #expect(steps.map { $0["element"] } == [.string("image"), .string("style"), .string("video"), .string("font")])
    #expect(steps.allSatisfy { $0["status"] == .null && $0["exposedHeaders"] == .null })
    #expect(steps[2]["outcome"] == .string("load"))
  }

  @Test("element steps compare the event, the response type when seen, and the requests; never status or header names")
  func compare() throws {
    func line(_ text: String) throws -> [JSONValue] { try Comparison.load(text, name: "test") }
    let real = try line("""
      {"id": "a", "browser": "webkit", "steps": [{"outcome": "readable", "responseType": "cors", "status": null, "exposedHeaders": null, "element": "image", "requests": []}]}
      {"id": "b", "browser": "webkit", "steps": [{"outcome": "load", "responseType": null, "status": null, "exposedHeaders": null, "element": "video", "requests": []}]}
      {"id": "c", "browser": "webkit", "steps": [{"outcome": "opaque", "responseType": "opaque", "status": null, "exposedHeaders": null, "element": "image", "requests": []}]}
      {"id": "d", "browser": "webkit", "steps": [{"outcome": "load", "responseType": null, "status": null, "exposedHeaders": null, "element": "font", "requests": []}]}
      """)
    let sim = try line("""
      {"id": "a", "steps": [{"outcome": "readable", "responseType": "cors", "status": 200, "exposedHeaders": ["content-type"], "requests": []}]}
      {"id": "b", "steps": [{"outcome": "opaque", "responseType": "opaque", "status": 0, "exposedHeaders": null, "requests": []}]}
      {"id": "c", "steps": [{"outcome": "readable", "responseType": "cors", "status": 200, "exposedHeaders": [], "requests": []}]}
      {"id": "d", "steps": [{"outcome": "network-error", "responseType": null, "status": null, "exposedHeaders": null, "requests": []}]}
      """)
    let c = Comparison(real: real, simulator: sim)
    #expect(c.tallies[0].agree == 2 && c.tallies[0].disagree == 2)
    #expect(c.differences.map { "\($0.id) \($0.field)" } == ["c responseType", "d outcome"])
    // Without the element field a step is compared in full.
    let fetch = try line(#"{"id": "a", "browser": "webkit", "steps": [{"outcome": "readable", "responseType": "cors", "status": null, "exposedHeaders": null, "requests": []}]}"#)
    #expect(Comparison(real: fetch, simulator: sim).differences.map(\.field) == ["status", "exposedHeaders"])
  }
}
