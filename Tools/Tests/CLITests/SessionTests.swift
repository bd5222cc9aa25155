import CORSScenario
import CORSSession
import CORSSimulator
import CORSText
import Foundation
import Testing

/// Feeds lines to a session and returns everything it printed.
@discardableResult
func feed(_ session: Session, _ lines: [String]) -> String {
  lines.map { session.evaluate($0).textOrQuit }.joined()
}

extension SessionOutput {
  var textOrQuit: String {
    if case .text(let t) = self { return t }
    return "(quit)"
  }
}

/// A command a test adds: it must appear in help, completion and did-you-mean without touching anything else.
enum PingCommand: SessionCommand {
  static let names = ["pingpong"]
  static let synopsis = "pingpong [COUNT]"
  static let help = "Answers pong."
  static let section = CommandSection.session
  static func complete(_ c: CompletionContext) -> [String] { c.matching(["1", "2", "3"]) }
  static func run(_ invocation: Invocation, in session: Session) -> SessionOutput? { .text("pong\n") }
}

@Suite("The session's command registry")
struct CommandRegistryTests {
  @Test("a command added to the registry appears in help, completion and did-you-mean, and runs")
  func newCommand() {
    let session = Session(registry: CommandRegistry(CommandRegistry.standard.commands + [PingCommand.self]))
    #expect(feed(session, ["help"]).contains("pingpong [COUNT]"))
    #expect(feed(session, ["help pingpong"]).contains("Answers pong."))
    #expect(session.completions(line: "ping", cursor: 4) == ["pingpong"])
    #expect(session.completions(line: "pingpong ", cursor: 9) == ["1", "2", "3"])
    #expect(feed(session, ["pingpnog"]).contains("did you mean `pingpong`?"))
    #expect(feed(session, ["pingpong"]) == "pong\n")
    // The standard registry knows nothing of it.
    #expect(!feed(Session(), ["help"]).contains("pingpong"))
  }

  @Test("every command of the language and of the session has help, and help lists them all")
  func helpCoversEverything() {
    let session = Session()
    let overview = feed(session, ["help"])
    for command in CommandRegistry.standard.commands {
      #expect(overview.contains(command.synopsis), "help does not list \(command.names[0])")
      #expect(!command.help.isEmpty)
    }
    for word in ScenarioBuilder.commands {
      #expect(CommandRegistry.standard.names.contains(word), "the language's \(word) has no command type")
    }
  }

  @Test("load KIND URL is an element's load, load FILE opens a file; help says so")
  func loadRule() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corsim-load-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try "page https://app.example\nfetch https://api.example/a\n".write(to: dir.appendingPathComponent("image"), atomically: true, encoding: .utf8)
    let session = Session(workingDirectory: dir.path)
    // The word after `load` decides: an element kind is an element's load, anything else a file.
    #expect(feed(session, ["load image"]).contains("usage: load image|script"))
    #expect(feed(session, ["open image"]).contains("opened image"))
    try "page https://app.example\n".write(to: dir.appendingPathComponent("x.cors"), atomically: true, encoding: .utf8)
    let opened = feed(session, ["load x.cors"])
    #expect(opened.contains("opened x.cors") && opened.contains("`load FILE` is `open FILE`"), "\(opened)")
    let element = feed(session, ["load image https://cdn.example/x.png"])
    #expect(element.contains("[1]") && element.contains("load image"), "\(element)")
    #expect(feed(session, ["help load"]).contains("KIND is one of image"))
  }

  @Test("import URL is import(), import har FILE the HAR import; worker and sharedworker are the constructors")
  func importAndWorkers() {
    let s = Session()
    feed(s, ["page https://app.example/", "route GET https://cdn.example/m.js", "  Content-Type: text/javascript", ""])
    let imported = feed(s, ["import https://cdn.example/m.js"])
    #expect(imported.contains("[1]") && imported.contains("missing-allow-origin"), "\(imported)")
    #expect(feed(s, ["import har /nonexistent/x.har"]).contains("cannot read /nonexistent/x.har"))
    let worker = feed(s, ["worker https://cdn.example/w.js type=module"])
    #expect(worker.contains("[2]") && worker.contains("worker-cross-origin"), "\(worker)")
    #expect(s.document.scenario.steps.map(\.request.api) == [.dynamicImport, .worker])
    #expect(feed(s, ["sharedworker /s.js type=shared"]).contains("type is classic or module"))
  }

  @Test("preload adds a link step; a later fetch() uses it or says why not; help and completion know it")
  func preload() {
    let s = Session()
    feed(s, ["browser chromium", "page https://app.example/", "route GET https://api.example/d",
             "  Access-Control-Allow-Origin: https://app.example", ""])
    let link = feed(s, ["preload https://api.example/d as=fetch"])
    #expect(link.contains("[1]") && link.contains("preload https://api.example/d as=fetch"), "\(link)")
    let fetched = feed(s, ["fetch https://api.example/d", ""])
    #expect(fetched.contains("[2]") && fetched.contains("is found, but is not used because the request credentials mode does not match"), "\(fetched)")
    #expect(feed(s, ["preload https://api.example/d"]).contains("a preload needs as="))
    #expect(feed(s, ["help preload"]).contains("rel=preload"))
    let line = "preload https://api.example/d as=f"
    #expect(s.completions(line: line, cursor: line.count).contains("as=fetch"))
  }

  @Test("navigate, form and websocket are commands: not CORS, said so; a route for a wss: URL answers the handshake")
  func navigationsAndWebSockets() {
    let s = Session()
    feed(s, ["page https://app.example/", "route POST https://bank.example/t", "", "route GET wss://api.example/s 101",
             "  Upgrade: websocket", "  Connection: Upgrade", "  Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", ""])
    let posted = feed(s, ["form POST https://bank.example/t data=a=1"])
    #expect(posted.contains("NAVIGATES") && posted.contains("not subject to CORS"), "\(posted)")
    let opened = feed(s, ["websocket wss://api.example/s"])
    #expect(opened.contains("OPENS") && opened.contains("The server must check the Origin header itself"), "\(opened)")
    #expect(feed(s, ["websocket wss://api.example/s protocols=chat"]).contains("websocket-protocol-mismatch"))
    #expect(s.document.scenario.steps.map(\.request.api) == [.form, .websocket, .websocket])
    #expect(feed(s, ["form PUT https://bank.example/t"]).contains("GET or POST"))
  }
}

@Suite("The session, line by line")
struct SessionBehaviourTests {
  @Test("1: a change that moves several verdicts reports each on its own now line")
  func everyChangeReported() {
    let s = Session()
    feed(s, ["page https://app.example", "fetch https://api.example/a", "", "fetch https://api.example/b", ""])
    let out = feed(s, ["layer cdn", "  add Access-Control-Allow-Origin: *", ""])
    #expect(out.contains("now [1] READABLE"), "\(out)")
    #expect(out.contains("now [2] READABLE"), "\(out)")
    let page = feed(s, ["page https://api.example"])
    #expect(page.contains("now [1] READABLE basic"), "\(page)")
    #expect(page.contains("now [2] READABLE basic"), "\(page)")
  }

  @Test("2: what-if server changes the actual response only, and says which")
  func whatIfExact() {
    let s = Session()
    feed(s, ["page https://app.example", "route OPTIONS https://api.example/x 204",
             "  Access-Control-Allow-Origin: https://app.example", "  Access-Control-Allow-Methods: PUT", "",
             "fetch PUT https://api.example/x", ""])
    let out = feed(s, ["what-if server Access-Control-Allow-Origin: https://app.example"])
    #expect(out.contains("changed the response to PUT https://api.example/x"), "\(out)")
    #expect(out.contains("after   READABLE"), "\(out)")
    #expect(!out.contains("method-not-allowed"), "\(out)")
    let preflight = feed(s, ["what-if preflight -Access-Control-Allow-Methods"])
    #expect(preflight.contains("changed the response to OPTIONS https://api.example/x"), "\(preflight)")
    #expect(preflight.contains("method-not-allowed"), "\(preflight)")
  }

  @Test("3: a second pasted response replaces the first, as a typed route does")
  func pastedResponseReplaces() {
    let s = Session()
    feed(s, ["page https://app.example", "fetch https://api.example/x", "", "HTTP/1.1 200 OK", "Content-Type: text/plain", ""])
    let out = feed(s, ["HTTP/1.1 200 OK", "Access-Control-Allow-Origin: https://app.example", ""])
    #expect(out.contains("replaced the earlier route for GET https://api.example/x"), "\(out)")
    #expect(out.contains("now [1] READABLE cors 200"), "\(out)")
    #expect(s.document.scenario.server.routes.count == 1)
  }

  @Test("4: Ctrl-C in a block abandons it whole: an existing route stays as it was")
  func cancelBlock() {
    let s = Session()
    feed(s, ["page https://app.example", "route GET https://api.example/x", "  Access-Control-Allow-Origin: *", "",
             "fetch https://api.example/x", ""])
    feed(s, ["route GET https://api.example/x", "  X-Other: 1"])
    let dropped = s.cancelBlock()
    #expect(dropped.contains("dropped the unfinished `route GET https://api.example/x`"), "\(dropped)")
    #expect(s.document.scenario.server.routes.first?.headers.get(.accessControlAllowOrigin) == "*")
    feed(s, ["fetch https://api.example/y"])
    _ = s.cancelBlock()
    #expect(s.document.scenario.steps.count == 1, "the request being typed was not added")
  }

  @Test("6: wire shows every response header line with the layer that set it")
  func wireHeaders() {
    let s = Session()
    feed(s, ["page https://app.example", "route GET https://api.example/x", "  Access-Control-Allow-Origin: https://app.example", "",
             "layer nginx", "  add Access-Control-Allow-Origin: https://app.example", "", "fetch https://api.example/x", ""])
    let out = feed(s, ["wire"])
    #expect(out.contains("Access-Control-Allow-Origin: https://app.example  [app]"), "\(out)")
    #expect(out.contains("Access-Control-Allow-Origin: https://app.example  [nginx]"), "\(out)")
  }

  @Test("7: help import lists the paste formats; the first screen names them; open reads a HAR")
  func importDiscoverable() throws {
    let s = Session()
    let first = feed(s, ["help"])
    #expect(first.contains("Copy as cURL") && first.contains("HAR"), "\(first)")
    let topic = feed(s, ["help import"])
    #expect(topic.contains("Copy as fetch") && topic.contains("raw HTTP") && topic.contains("import har FILE"), "\(topic)")
  }

  @Test("9: run N runs request N, run foo is refused; expect gives feedback; undo names what it undid")
  func smaller() {
    let s = Session()
    feed(s, ["page https://app.example", "fetch https://api.example/a", "", "fetch https://api.example/b", ""])
    let one = feed(s, ["run 1"])
    #expect(one.contains("[1]") && !one.contains("[2]"), "\(one)")
    #expect(feed(s, ["run foo"]).contains("request 'foo' does not exist (1–2)"))
    #expect(feed(s, ["expect network-error at response: missing-allow-origin"]).contains("✓ holds for request 2"))
    #expect(feed(s, ["expect firefox: readable"]).contains("expectation line"))
    #expect(s.failedExpectations == 1)
    feed(s, ["clear"])
    let undo = feed(s, ["undo"])
    #expect(undo.contains("undid `clear` (the session before it is back)"), "\(undo)")
    #expect(s.document.scenario.steps.count == 2)
    #expect(feed(s, ["undo"]).contains("undid `expect firefox: readable`"))
  }

  @Test("9: did-you-mean only within a small distance")
  func suggestions() {
    let s = Session()
    #expect(!feed(s, ["har"]).contains("did you mean"))
    #expect(!feed(s, ["foo=bar"]).contains("did you mean"))
    #expect(feed(s, ["hlep"]).contains("did you mean `help`?"))
    #expect(feed(s, ["pgae https://x.example"]).contains("did you mean `page`?"))
  }

  @Test("9: a layer declared again replaces the earlier one")
  func layerReplaced() {
    let s = Session()
    feed(s, ["page https://app.example", "layer nginx", "  add X-A: 1", ""])
    let out = feed(s, ["layer nginx", "  add X-B: 1", ""])
    #expect(out.contains("replaced the earlier layer nginx"))
    #expect(s.document.scenario.server.layers.count == 1)
  }

  @Test("a line over the limit is refused with a message, and changes nothing")
  func longLine() {
    let s = Session()
    let out = feed(s, ["page https://app.example/" + String(repeating: "a", count: 70_000)])
    #expect(out.contains("longer than the limit of 65536 bytes"), "\(out)")
    #expect(s.document.scenario.page == nil)
  }

  @Test("completion offers the session's origins, methods, true and route URLs")
  func valueCompletion() {
    let s = Session()
    feed(s, ["page https://app.example", "route GET https://api.example/items", "", "fetch https://api.example/items", ""])
    #expect(s.completions(line: "fetch https://api", cursor: 17).contains("https://api.example/items"))
    #expect(s.completions(line: "fetch P", cursor: 7).contains("PUT"))
    feed(s, ["route OPTIONS https://api.example/items 204"])
    #expect(s.completions(line: "  Access-Control-Allow-Origin: https://ap", cursor: 41) == ["https://app.example", "https://api.example"], "the page's origin first")
    #expect(s.completions(line: "  Access-Control-Allow-Credentials: t", cursor: 37) == ["true"])
  }
}

@Suite("The session is incremental")
struct IncrementalSessionTests {
  @Test("a thousand requests cost about ten times a hundred (linear, not quadratic)")
  func linear() {
    func cost(_ n: Int) -> Double {
      let s = Session()
      feed(s, ["page https://app.example", "route GET https://api.example/x", "  Access-Control-Allow-Origin: *", ""])
      let start = DispatchTime.now().uptimeNanoseconds
      for i in 0..<n { _ = s.evaluate("fetch https://api.example/x?\(i)") }
      _ = s.finish()
      return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
    _ = cost(50)
    let small = cost(200), large = cost(2000)
    #expect(large / small < 20, "200: \(small) s, 2000: \(large) s")
  }

  @Test("a route for a URL no request asked for keeps every verdict; one asked for, through a redirect or a preflight, moves it")
  func routesKeepOrMoveVerdicts() {
    let s = Session()
    feed(s, ["page https://app.example", "route GET https://api.example/a 302", "  Access-Control-Allow-Origin: https://app.example",
             "  Location: https://api.example/b", "", "fetch https://api.example/a", "", "fetch PUT https://api.example/p", ""])
    // /c: no request asked for it. The report still says where the last request stands.
    var out = feed(s, ["route GET https://api.example/c", "  Access-Control-Allow-Origin: https://app.example", ""])
    #expect(out.contains("now [2] BLOCKED at preflight: missing-allow-origin  (unchanged)"), "\(out)")
    #expect(!out.contains("now [1]"), "\(out)")
    // /b: asked for by the redirect of request 1.
    out = feed(s, ["route GET https://api.example/b", "  Access-Control-Allow-Origin: https://app.example", ""])
    #expect(out.contains("now [1] READABLE cors 200  (was BLOCKED at response: missing-allow-origin)"), "\(out)")
    // /p: asked for by request 2's preflight; then its PUT, whose URL the preflight asked for too.
    out = feed(s, ["route OPTIONS https://api.example/p 204", "  Access-Control-Allow-Origin: https://app.example",
                   "  Access-Control-Allow-Methods: PUT", ""])
    #expect(out.contains("now [2] BLOCKED at response: missing-allow-origin  (was BLOCKED at preflight: missing-allow-origin)"), "\(out)")
    out = feed(s, ["route PUT https://api.example/p", "  Access-Control-Allow-Origin: https://app.example", ""])
    #expect(out.contains("now [2] READABLE cors 200  (was BLOCKED at response: missing-allow-origin)"), "\(out)")
    // A request after all these is decided with every route added, as a run from scratch decides it.
    out = feed(s, ["fetch https://api.example/c", ""])
    let scratch = ScenarioRunner.run(s.document.scenario, profile: .chromium)
    #expect(scratch.map(\.outcome) == [.readable, .readable, .readable])
    #expect(out.contains("[3] ✓ READABLE"), "\(out)")
  }

  @Test("the verdicts shown are those of a run from scratch (preflight cache and clock carried over)")
  func sameAsRunner() {
    let s = Session()
    let lines = ["page https://app.example", "route OPTIONS https://api.example/x 204", "  Access-Control-Allow-Origin: https://app.example",
                 "  Access-Control-Allow-Methods: PUT", "  Access-Control-Max-Age: 10", "", "route PUT https://api.example/x",
                 "  Access-Control-Allow-Origin: https://app.example", "", "fetch PUT https://api.example/x", "", "wait 5",
                 "fetch PUT https://api.example/x", "", "wait 6", "fetch PUT https://api.example/x", ""]
    let out = feed(s, lines)
    let expected = ScenarioRunner.run(s.document.scenario, profile: .chromium)
    #expect(expected.map { $0.requests.count } == [2, 1, 2])
    for (i, v) in expected.enumerated() {
      #expect(out.contains(VerdictText.render(v, request: s.document.scenario.steps[i].request, style: .plain, index: i + 1)))
    }
  }
}
