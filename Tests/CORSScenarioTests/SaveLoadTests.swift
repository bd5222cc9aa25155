import CORSSimulator
import PropertyBased
import Testing
@testable import CORSScenario

/// `save` then `load` (print, then parse) gives the same scenario and the same verdicts.
@Suite("Saving and loading again gives the same scenario")
struct SaveLoadTests {
  func verdicts(_ d: ScenarioDocument) -> [[String]] {
    Engine.allCases.map { engine in
      ScenarioRunner.run(d.scenario, profile: .forEngine(engine), trace: false).map {
        "\($0.outcome) \($0.stage.map { "\($0)" } ?? "-") \($0.reason?.rawValue ?? "-") \($0.status ?? -1) \($0.requests.count)"
      }
    }
  }

  func expectRoundTrip(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ScenarioDocument {
    let d = try ScenarioBuilder.parse(text)
    #expect(d.roundTripProblem() == nil, "\(d.roundTripProblem() ?? "")\n\(ScenarioPrinter.print(d))", sourceLocation: sourceLocation)
    let again = try ScenarioBuilder.parse(ScenarioPrinter.print(d))
    #expect(verdicts(again) == verdicts(d), sourceLocation: sourceLocation)
    return again
  }

  @Test("a sends line keeps the quotes its values need")
  func quotedSends() throws {
    let d = try expectRoundTrip("""
      page https://app.example
      fetch https://api.example/x
      sends GET https://api.example/x origin="https://a b"
      sends chromium: GET https://api.example/x origin="" acrh='x, y'
      """)
    #expect(d.wire[0]?.first?.requests.first?.origin == "https://a b")
    #expect(d.wire[0]?.last?.requests.first?.origin == "")
  }

  @Test("a route, then a pasted response for the same request: the pasted one answers, before and after saving")
  func pastedResponseReplacesRoute() throws {
    let text = """
      page https://app.example
      route GET https://api.example/data
        Access-Control-Allow-Origin: *

      fetch https://api.example/data
      HTTP/1.1 200 OK
      Content-Type: text/plain

      """
    let builder = ScenarioBuilder()
    for (n, line) in TextLines.split(text).enumerated() { try builder.feed(line, lineNumber: n + 1) }
    try builder.finish(lineNumber: 99)
    #expect(builder.takeNotices().contains("replaced the earlier route for GET https://api.example/data"))
    let d = try expectRoundTrip(text)
    #expect(d.scenario.server.routes.count == 1)
    #expect(verdicts(d)[1] == ["networkError response missing-allow-origin -1 1"])
  }

  @Test("requests whose words look like options, odd header names and values, XHR credentials, body kinds", arguments: [
    "page https://app.example\nfetch GET \"a=b\" mode=cors\nfetch \"keepalive\"\nfetch \"x=1\" \"y=2\"",
    "page https://app.example\nfetch https://api.example/x?a=b&c=d credentials=include\n  header \"#x\" \"1\"\n  header X-A \" v \"",
    "page https://app.example\nxhr https://api.example/x credentials=same-origin\nxhr https://api.example/y with-credentials",
    "page https://app.example\nfetch POST https://api.example/x body='a=b' body-type=string blob-type=text/plain",
    "page https://app.example\nfetch POST https://api.example/x body='' blob-type=text/plain",
    "page https://app.example\nroute \".X\" https://api.example/x\n  header \"#x\" \"1\"\nroute \"*\" https://api.example/y 204\nroute https://api.example/z fail",
    "page https://app.example\nlayer \"edge cdn\" on \"https://api.example/a b\" for PUT\n  add Vary: Origin\naddress \"a b\" local\nhsts \"x y\" includeSubDomains",
    "title: x\nwhy:   spaced\n\npage https://app.example\nfetch https://api.example/x\nsends \"nothing\" https://api.example/x\nsends firefox: nothing\nexpect chromium firefox: network-error at response: missing-allow-origin",
  ])
  func oddWords(text: String) throws {
    _ = try expectRoundTrip(text)
  }

  @Test("a request header whose name or value holds a CRLF (as a paste can) is saved quoted and loads back (found by FuzzImports)")
  func crlfInRequestHeader() throws {
    var d = ScenarioDocument()
    var request = ScriptRequest(url: "https://api.example/items/7", method: .put)
    request.headers.append(HeaderField(HeaderName("Accept-gen\r\nt"), "a\r\nb"))
    request.headers.append(HeaderField("X-Ok", "1"))
    d.scenario = Scenario(page: Page(url: try URLRecord("https://app.example/")), steps: [ScenarioStep(request: request)])
    #expect(Lexer.quote("a\r\nb") == #""a\r\nb""#)
    #expect(d.roundTripProblem() == nil, "\(d.roundTripProblem() ?? "")\n\(ScenarioPrinter.print(d))")
    let again = try ScenarioBuilder.parse(ScenarioPrinter.print(d))
    #expect(again.scenario.steps.first?.request.headers == request.headers)
  }

  @Test("a body's bytes: `\\xNN` in double quotes is one byte, printed back the same way, and the route serves those bytes")
  func byteEscapes() throws {
    let text = "page https://app.example/\nroute https://app.example/a.mp3 body=\"\\xFF\\xf3\\x18\\xC0ID3\\x00\\x7f\\x41\"\n"
    let d = try ScenarioBuilder.parse(text)
    let body = try #require(d.scenario.server.routes.first?.body)
    #expect(BodyBytes.bytes(body) == [0xFF, 0xF3, 0x18, 0xC0, 0x49, 0x44, 0x33, 0x00, 0x7F, 0x41])
    #expect(d.roundTripProblem() == nil)
    // Control characters, DEL and raw bytes are written as escapes; \x41 is plain A.
    #expect(ScenarioPrinter.print(d).contains(#"body="\xFF\xF3\x18\xC0ID3\x00\x7FA""#), "\(ScenarioPrinter.print(d))")
    // Outside double quotes nothing is an escape; a bad escape is an error at its place.
    #expect(try ScenarioBuilder.parse("page https://app.example/\nroute https://app.example/a body='\\xFF'\n")
      .scenario.server.routes.first?.body == "\\xFF")
    #expect {
      try ScenarioBuilder.parse("page https://app.example/\nroute https://app.example/a body=\"ab\\xG1\"\n")
    } throws: { error in
      let e = error as? ScenarioDiagnostic
      return e?.line == 2 && e?.column == 37 && e?.message.contains("two hexadecimal digits") == true
    }
  }

  @Test("a combining mark after an escape or a quote stays where it was (found by FuzzImports: `\\n` + U+0742 read back as `n`)")
  func combiningMarks() throws {
    var d = ScenarioDocument()
    var request = ScriptRequest(url: "accellntple/items/7?@htt\n\u{0742}@htt")
    request.headers.append(HeaderField("X-A", "\u{0301}starts with a mark \"\u{0301}"))
    d.scenario = Scenario(page: Page(url: try URLRecord("https://app.example/")), steps: [ScenarioStep(request: request)])
    #expect(d.roundTripProblem() == nil, "\(d.roundTripProblem() ?? "")\n\(ScenarioPrinter.print(d))")
    let again = try ScenarioBuilder.parse(ScenarioPrinter.print(d))
    #expect(again.scenario.steps.first?.request.url.unicodeScalars.elementsEqual(request.url.unicodeScalars) == true)
    #expect(again.scenario.steps.first?.request.headers == request.headers)
  }

  @Test("a lone CR inside a response header line is refused, as a server cannot send it (found by FuzzScenario)")
  func carriageReturnInRouteHeader() {
    #expect(throws: ScenarioDiagnostic.self) {
      try ScenarioBuilder.parse("page https://app.example\nroute https://api.example/x\n  Access-Control-Allow-Origin: *\rx\n")
    }
    #expect(throws: ScenarioDiagnostic.self) {
      try ScenarioBuilder.parse("page https://app.example\nlayer cdn\n  add Vary: a\rb\n")
    }
    // A script's header may hold one: the browser refuses the request, and the file says so faithfully.
    #expect((try? expectRoundTrip("page https://app.example\nfetch https://api.example/x\n  X-A: a\rb\n")) != nil)
  }

  @Test("carriage returns before a line's end are not text: a file converted twice (`\\r\\r\\n`) reads as it was (found by FuzzScenario)")
  func carriageReturnsAtLineEnd() throws {
    let text = """
      title: CR debris\r\r\r
      why: a CR then a space\r \r\r

      page https://app.example/\r\r
      csp https://api.example\r \u{0C}'self'\r\r
      integrity-policy blocked-destinations=(script)\r \r
      route GET https://api.example/x\r\r
        Access-Control-Allow-Origin: *\r\r

      fetch https://api.example/x\r\r
      expect readable cors 200\r\r
      says chromium: text\r\r\r
      """
    for ending in ["\n", "\r\n"] {
      let d = try expectRoundTrip(text.replacingAll("\n", with: ending) + ending)
      #expect(d.metadata.map(\.value) == ["CR debris", "a CR then a space\r "])
      #expect(d.scenario.page?.connectSources == ["https://api.example", "'self'"])
      #expect(d.scenario.page?.integrityPolicy == "blocked-destinations=(script)")
      #expect(d.messages[0]?.map(\.text) == ["text"])
      #expect(d.verdicts[0]?.count == 1)
    }
  }

  @Test("the names after `exposes` are header names; anything else is refused where it starts (found by FuzzScenario)")
  func exposedNamesAreHeaderNames() throws {
    let head = "page https://app.example\nroute GET https://api.example/x\n  Access-Control-Allow-Origin: *\n\nfetch https://api.example/x\n"
    // A quoted item kept its inner spaces ("so  x-a"), which a saved line, split at spaces again, lost.
    for bad in [#"so " X-A ,, X-B ,""#, "a\u{0}b", "x-a, (x-b)", "x-a, , x-b", "'x a'"] {
      #expect(throws: ScenarioDiagnostic.self, "\(bad)") {
        try ScenarioBuilder.parse(head + "expect readable cors 200 exposes \(bad)\n")
      }
    }
    do {
      _ = try ScenarioBuilder.parse(head + #"expect readable cors 200 exposes so " X-A ,, X-B ,""# + "\n")
    } catch {
      #expect(error.line == 6 && error.column == 34, "\(error)")
      #expect(error.message.contains("'so  x-a' is not a header name"), "\(error)")
    }
    // Names as people write them: any case, spaces around commas, empty items between commas.
    let d = try expectRoundTrip(head + "expect readable cors 200 exposes X-B ,x-a,, Content-Type\n")
    #expect(d.verdicts[0]?.first?.exposed == ["content-type", "x-a", "x-b"])
  }

  @Test("a header named `nothing`, alone after `exposes`, stays a name once saved, not the empty list (found by FuzzScenario)")
  func exposedHeaderNamedNothing() throws {
    let head = "page https://app.example\nroute GET https://api.example/x\n  Access-Control-Allow-Origin: *\n\nfetch https://api.example/x\n"
    for written in ["nothing,", "Nothing", "NOTHING ,"] {
      let d = try expectRoundTrip(head + "expect readable cors 200 exposes \(written)\n")
      #expect(d.verdicts[0]?.first?.exposed == ["nothing"], "\(written)")
    }
    let d = try expectRoundTrip(head + "expect readable cors 200 exposes nothing\n")
    #expect(d.verdicts[0]?.first?.exposed == [])
  }

  @Test("a layer for a method that is not a token is refused (found by FuzzScenario: its export was a route the oracle refused)")
  func layerMethodIsAToken() {
    #expect(throws: ScenarioDiagnostic.self) { try ScenarioBuilder.parse("page https://app.example\nlayer cdn for \"GET X\"\n  add Vary: Origin\n") }
    #expect(throws: ScenarioDiagnostic.self) { try ScenarioBuilder.parse("page https://app.example\nlayer cdn for OP\u{0}TIONS\n") }
    #expect((try? ScenarioBuilder.parse("page https://app.example\nlayer cdn for OPTIONS\n  add Vary: Origin\n")) != nil)
  }

  @Test("fix and fixed lines that move to other line numbers when saved are the same lines (found by FuzzScenario)")
  func fixLinesMove() throws {
    // Blank lines the printer does not keep move every later line up; a line's number is not its content.
    let d = try expectRoundTrip("""
      page https://app.example/index.html
      route GET https://api.example/x 500



      fetch https://api.example/x
      fix GET https://api.example/x status 200
      fix GET https://api.example/x set Access-Control-Allow-Origin: https://app.example
      fixed readable cors 200
      """)
    #expect(d.fixes[0]?.count == 2)
    #expect(d.fixed[0]?.count == 1)
  }

  @Test("every Spec file: load, save, load gives the same scenario")
  func specCorpus() throws {
    let (files, errors) = SpecCorpus.load(root: packageRootForScenarioTests() + "/Spec")
    #expect(errors.isEmpty)
    #expect(files.count > 400)
    for file in files {
      #expect(file.document.roundTripProblem() == nil, "\(file.relativePath): \(file.document.roundTripProblem() ?? "")")
    }
  }

  /// Lines a session might be fed, each picked and filled from one number.
  static func line(_ v: Int) -> String {
    let urls = ["https://api.example/data", "https://api.example/a?b=c", "/relative", "https://api.example/data#f"]
    let url = urls[(v / 16) % urls.count]
    let methods = ["GET", "PUT", "OPTIONS", "*", "X=Y"]
    let method = methods[(v / 64) % methods.count]
    switch v % 16 {
    case 0: return v % 3 == 0 ? "page https://app.example sandboxed" : "page https://app.example"
    case 1: return "route \(method == "X=Y" ? "" : method) \(url.hasPrefix("/") ? "https://api.example" + url : url) \([200, 204, 302, 404][(v / 320) % 4])"
    case 2: return ["  Access-Control-Allow-Origin: *", "  Access-Control-Allow-Origin: https://app.example",
                    "  Access-Control-Allow-Methods: PUT", "  Access-Control-Allow-Headers: x-a", "  Location: /data",
                    "  header \"#x\" \"1\"", "  Vary: Origin", "  Access-Control-Allow-Credentials: true"][(v / 16) % 8]
    case 3: return "HTTP/1.1 \([200, 204, 403][(v / 16) % 3]) OK"
    case 4: return "fetch \(method == "*" ? "" : "\"\(method)\"") \"\(url)\" " + ["", "credentials=include", "mode=no-cors", "body='a=b'",
                   "keepalive", "redirect=manual", "body=x body-type=blob blob-type=text/plain"][(v / 320) % 7]
    case 5: return "xhr \(url) " + ["", "with-credentials", "credentials=same-origin", "sync", "timeout=5 response-type=json"][(v / 64) % 5]
    case 6: return ["  X-A: 1", "  Content-Type: application/json", "  header X-B \" two \"", "  header \"#c\" d"][(v / 16) % 4]
    case 7: return ["expect readable cors 200", "expect network-error at preflight: missing-allow-origin",
                    "expect chromium: opaque opaque 0 exposes nothing", "expect readable basic 200 exposes content-type, x-a"][(v / 16) % 4]
    case 8: return ["sends GET https://api.example/data origin=\"https://a b\"", "sends nothing", "sends webkit: OPTIONS https://api.example/data acrm=PUT acrh='x-a, x-b'"][(v / 16) % 3]
    case 9: return "says chromium: \(["Access to fetch", "  spaced  ", "x: y"][(v / 16) % 3])"
    case 10: return ["layer cdn on https://api.example/", "layer \"a b\" for PUT", "  add Vary: Origin", "  set Access-Control-Allow-Origin: *", "  remove Vary", "  default X-A: 1"][(v / 16) % 6]
    case 11: return "wait \(["2.5", "1", "0.001", "7200s"][(v / 16) % 4])"
    case 12: return "load \(["image", "script", "style", "font"][(v / 16) % 4]) \(url) " + ["", "crossorigin", "crossorigin=use-credentials", "integrity=sha256-x"][(v / 64) % 4]
    case 13: return ["PUT /items/1 HTTP/1.1", "Host: api.example", "Origin: https://app.example", "GET https://api.example/data HTTP/1.1"][(v / 16) % 4]
    case 14: return ["csp 'self' https://api.example", "coep require-corp", "address api.example local", "hsts api.example includeSubDomains",
                     "lna denied", "http2", "browser firefox", "integrity-policy blocked-destinations=(script)", "upgrade-insecure-requests"][(v / 16) % 9]
    default: return ""
    }
  }

  @Test("generated sessions: lines fed one by one (rejected ones skipped, as the REPL does), saved, loaded", .shrinking)
  func generatedSessions() async {
    await propertyCheck(count: 300, input: Gen.int(in: 0...100_000).array(of: 1...24)) { numbers in
      let builder = ScenarioBuilder()
      for (n, v) in numbers.enumerated() { try? builder.feed(Self.line(v), lineNumber: n + 1) }
      try? builder.finish(lineNumber: numbers.count + 1)
      let d = builder.document
      let problem = d.roundTripProblem()
      #expect(problem == nil, "\(problem ?? "")\n--- fed:\n\(numbers.map(Self.line).joined(separator: "\n"))\n--- saved:\n\(ScenarioPrinter.print(d))")
      if problem == nil, let again = try? ScenarioBuilder.parse(ScenarioPrinter.print(d)) {
        #expect(verdicts(again) == verdicts(d))
      }
    }
  }
}

/// The package root, found from this file.
func packageRootForScenarioTests(_ file: String = #filePath) -> String {
  var parts = file.split(separator: "/", omittingEmptySubsequences: false)
  parts.removeLast(3)
  return parts.joined(separator: "/")
}
