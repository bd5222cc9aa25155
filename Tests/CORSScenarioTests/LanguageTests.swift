import CORSSimulator
import Testing
@testable import CORSScenario

@Suite("The scenario language")
struct LanguageTests {
  @Test("a file builds the scenario, its routes, layers, requests and expectations")
  func parse() throws {
    let text = """
      title: two layers set the origin
      page https://app.example
      route OPTIONS https://api.example/data 204
        Access-Control-Allow-Origin: https://app.example
        Access-Control-Allow-Methods: PUT
      route https://api.example/data
        Access-Control-Allow-Origin: https://app.example
      layer nginx on https://api.example/
        add Access-Control-Allow-Origin: *

      fetch PUT https://api.example/data credentials=include body='{"a": 1}'
        X-Token: 1
      expect network-error at preflight: multiple-allow-origin
      expect webkit: network-error at preflight: multiple-allow-origin
      wait 2.5
      xhr https://api.example/data with-credentials
      expect network-error at response: multiple-allow-origin
      sends GET https://api.example/data origin=https://app.example
      """
    let d = try ScenarioBuilder.parse(text, file: "t.cors")
    #expect(d.meta("title") == "two layers set the origin")
    #expect(d.scenario.server.routes.count == 2)
    #expect(d.scenario.server.routes[0].method == "OPTIONS" && d.scenario.server.routes[0].status == 204)
    #expect(d.scenario.server.routes[1].method == nil)
    #expect(d.scenario.server.layers.first?.urlPrefix == "https://api.example/")
    #expect(d.scenario.steps.count == 2)
    #expect(d.scenario.steps[0].request.body?.text == #"{"a": 1}"#)
    #expect(d.scenario.steps[0].request.headers == [("X-Token", "1")])
    #expect(d.scenario.steps[1].after == 2.5)
    #expect(d.scenario.steps[1].request.credentials == "include")
    #expect(d.verdicts[0]?.count == 2)
    #expect(d.wire[1]?.first?.requests.count == 1)
  }

  @Test("errors point at line and column, and name what is wrong (element attributes too)", arguments: [
    ("page https://a.example\nfetcj https://b.example/", "2:1: unknown command 'fetcj'; did you mean `fetch`?"),
    ("page https://a.example\nfetch https://b.example/ mdoe=cors", "2:26: unknown fetch option 'mdoe'"),
    ("page https://a.example\nroute https://b.example/ 42x", "2:26: unexpected '42x'"),
    ("X-Foo: 1", "1:1: a header line outside a block"),
    ("fetch https://b.example/", "1:1: set the page first"),
    ("page https://a.example\nfetch https://b.example/ body='unclosed", "2:31: the quote ' opened here is never closed"),
    ("page not a url", "1:6: 'not' is not a valid URL"),
    ("page https://a.example\nfetch https://b.example/\nexpect readable cors twohundred", "3:22: 'twohundred' is not a status"),
    ("page https://a.example\nload picture https://b.example/x", "'picture' is not an element to load"),
    ("page https://a.example\nload font https://b.example/x crossorigin", "@font-face has no crossorigin attribute"),
    ("page https://a.example\nload image https://b.example/x integrity=sha256-x", "only <script> and <link rel=stylesheet> have an integrity attribute"),
    ("page https://a.example\nload image https://b.example/x crosorigin", "unknown load option 'crosorigin' (did you mean `crossorigin`?)"),
    ("page https://a.example\nload image", "usage: load image|script|module|style|font|audio|video URL"),
    ("page https://a.example\neventsource", "usage: eventsource URL [with-credentials]"),
    ("page https://a.example\neventsource https://b.example/s with-credential", "unknown eventsource option 'with-credential' (did you mean `with-credentials`?)"),
    ("page https://a.example\neventsource https://b.example/s credentials=omit", "EventSource has withCredentials only"),
    ("page https://a.example\neventsource https://b.example/s with-credentials=yes", "with-credentials is true or false"),
    ("eventsource https://b.example/s", "page"),
    ("page https://a.example\nbeacon", "usage: beacon URL [body=TEXT]"),
    ("page https://a.example\nimport", "usage: import URL"),
    ("page https://a.example\nimport https://b.example/m.js type=module", "unknown import option 'type'"),
    ("page https://a.example\nworker /w.js type=shared", "type is classic or module, not 'shared'"),
    ("page https://a.example\nsharedworker /w.js mode=cors", "unknown sharedworker option 'mode'"),
    ("worker /w.js", "page"),
    ("page https://a.example\npreload", "usage: preload URL as=fetch|script|style|font"),
    ("page https://a.example\npreload /d", "a preload needs as="),
    ("page https://a.example\npreload /d as=image", "as is fetch, script, style, font, not 'image'"),
    ("page https://a.example\npreload /d as=fetch mode=cors", "unknown preload option 'mode'"),
    ("preload /d as=fetch", "page"),
    ("page https://a.example\nfetch /d\nexpect network-error at response: missing-allow-origin fires load", "is for a preload link's event"),
    ("page https://a.example\npreload /d as=fetch\nexpect network-error at response: missing-allow-origin fires soon", "usage: … fires load|error"),
    ("page https://a.example\nform PUT https://b.example/x", "a form's method is GET or POST, not 'PUT'"),
    ("page https://a.example\nform GET https://b.example/x enctype=text/plain", "enctype applies to a POST form only"),
    ("page https://a.example\nform POST https://b.example/x enctype=json", "enctype 'json' is not one of"),
    ("page https://a.example\nnavigate https://b.example/ data=a=1", "unknown navigate option 'data'"),
    ("page https://a.example\nnavigate", "usage: navigate URL [target=NAME]"),
    ("page https://a.example\nwebsocket wss://b.example/s mode=cors", "unknown websocket option 'mode'"),
    ("page https://a.example\nwebsocket wss://b.example/s protocols=", "protocols needs a value"),
    ("websocket wss://b.example/s", "page"),
    ("page https://a.example\nbeacon https://b.example/c mode=cors", "unknown beacon option 'mode'"),
    ("page https://a.example\nbeacon https://b.example/c body-type=json", "body-type 'json' is not one of"),
    ("page https://a.example\nbeacon https://b.example/c body", "option 'body' needs a value"),
  ])
  func errors(text: String, fragment: String) {
    do {
      _ = try ScenarioBuilder.parse(text)
      Issue.record("parsed: \(text)")
    } catch {
      #expect(error.description.contains(fragment), "\(error)")
    }
  }

  @Test("an option word splits at its first `=`: the rest, `=` included, is the value; `key=` is empty, `key` has none")
  func optionWords() throws {
    func option(_ text: String) -> (String, String?) {
      let o = Token(text: text, column: 1, quoted: false).option
      return (o.key, o.value)
    }
    #expect(option("data=a=1") == ("data", "a=1"))
    #expect(option("target=") == ("target", ""))
    #expect(option("with-credentials") == ("with-credentials", nil))
    #expect(option("=x") == ("", "x"))
    let form = try ScenarioBuilder.parse("page https://a.example\nform POST https://b.example/f data=a=1&b==2\n")
    #expect(form.scenario.steps[0].request.body?.text == "a=1&b==2")
    let socket = try ScenarioBuilder.parse("page https://a.example\nwebsocket wss://b.example/s protocols=chat,v=2\n")
    #expect(socket.scenario.steps[0].request.protocols == ["chat", "v=2"])
  }

  @Test("pasted raw HTTP: a request and its response")
  func pasted() throws {
    let text = """
      PUT /items/1 HTTP/1.1
      Host: api.example
      Origin: https://app.example
      Content-Type: application/json
      User-Agent: Mozilla/5.0
      Cookie: session=1

      HTTP/1.1 204 No Content
      Access-Control-Allow-Origin: https://app.example
      Access-Control-Allow-Methods: PUT
      """
    let b = ScenarioBuilder()
    for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() { try b.feed(line, lineNumber: i + 1) }
    try b.finish(lineNumber: 99)
    let d = b.document
    #expect(d.scenario.page?.origin.serialization == "https://app.example")
    let r = d.scenario.steps[0].request
    #expect(r.url == "https://api.example/items/1" && r.method == "PUT" && r.credentials == "include")
    #expect(r.headers == [("Content-Type", "application/json")])
    #expect(d.scenario.server.routes[0].method == "OPTIONS" && d.scenario.server.routes[0].status == 204)
    #expect(b.notices.contains { $0.contains("left out headers the browser adds itself: Host, Origin, User-Agent, Cookie") })
  }

  @Test("a rejected line leaves the document as it was")
  func rejectedLine() throws {
    let b = ScenarioBuilder()
    try b.feed("page https://a.example", lineNumber: 1)
    let before = b.document
    #expect(throws: ScenarioDiagnostic.self) { try b.feed("route BAD METHOD https://x/", lineNumber: 2) }
    #expect(b.document == before)
  }
}

@Suite("The scenario language: element loads")
struct ElementLanguageTests {
  @Test("load builds an element request; integrity-policy sets the page's header; the printer writes them back")
  func roundTrip() throws {
    let text = """
      page https://app.example/
      integrity-policy blocked-destinations=(script style)

      load image https://cdn.example/cat.png
      load image https://cdn.example/cat.png crossorigin
      load module https://cdn.example/app.mjs crossorigin=use-credentials
      load script https://cdn.example/lib.js crossorigin=anonymous integrity=sha384-abc
      load font https://cdn.example/inter.woff2
      expect network-error at response: missing-allow-origin
      """
    let d = try ScenarioBuilder.parse(text)
    let steps = d.scenario.steps.map(\.request)
    #expect(d.scenario.page?.integrityPolicy == "blocked-destinations=(script style)")
    #expect(steps.map(\.api) == Array(repeating: .element, count: 5))
    #expect(steps.map(\.element) == [.image, .image, .module, .script, .font])
    #expect(steps.map(\.crossOrigin) == [nil, "", "use-credentials", "anonymous", nil])
    #expect(steps[3].integrity == "sha384-abc")
    #expect(d.verdicts[4]?.first?.reason == .missingAllowOrigin)
    let printed = ScenarioPrinter.print(d)
    #expect(printed.contains("load image https://cdn.example/cat.png crossorigin\n"))
    #expect(try ScenarioBuilder.parse(printed).scenario == d.scenario)
  }

  @Test("eventsource builds an EventSource; the printer writes it back")
  func eventSource() throws {
    let text = """
      page https://app.example/
      route https://api.example/s
        Content-Type: text/event-stream
        Access-Control-Allow-Origin: *
      eventsource https://api.example/s
      eventsource https://api.example/s with-credentials
      expect network-error at response: wildcard-with-credentials
      eventsource /s credentials=same-origin
      """
    let d = try ScenarioBuilder.parse(text)
    let steps = d.scenario.steps.map(\.request)
    #expect(steps.map(\.api) == [.eventSource, .eventSource, .eventSource])
    #expect(steps.map(\.credentials) == [nil, .include, .sameOrigin])
    #expect(d.verdicts[0] == nil)
    #expect(d.verdicts[1]?.first?.reason == .wildcardWithCredentials)
    let printed = ScenarioPrinter.print(d)
    #expect(printed.contains("eventsource https://api.example/s with-credentials\n"))
    #expect(try ScenarioBuilder.parse(printed).scenario == d.scenario)
  }

  @Test("import, worker and sharedworker build their calls; the printer writes them back")
  func importAndWorkers() throws {
    let text = """
      page https://app.example/
      import https://cdn.example/m.js
      expect network-error at response: missing-allow-origin
      worker /w.js type=module
      sharedworker https://cdn.example/s.js
      expect chromium: invalid at request: worker-cross-origin
      """
    let d = try ScenarioBuilder.parse(text)
    let steps = d.scenario.steps.map(\.request)
    #expect(steps.map(\.api) == [.dynamicImport, .worker, .sharedWorker])
    #expect(steps.map(\.workerType) == [nil, .module, nil])
    let printed = ScenarioPrinter.print(d)
    #expect(printed.contains("import https://cdn.example/m.js\n") && printed.contains("worker /w.js type=module\n"))
    #expect(try ScenarioBuilder.parse(printed).scenario == d.scenario)
  }

  @Test("preload builds a link step (as, crossorigin, fires); the printer writes it back")
  func preload() throws {
    let text = """
      page https://app.example/
      preload https://api.example/d as=fetch crossorigin
      expect network-error at response: missing-allow-origin fires error
      expect firefox: network-error at response: missing-allow-origin fires load
      preload /f.ttf as=font crossorigin=use-credentials
      preload /s.css as=style
      fetch https://api.example/d
      """
    let d = try ScenarioBuilder.parse(text)
    let steps = d.scenario.steps.map(\.request)
    #expect(steps.map(\.api) == [.preload, .preload, .preload, .fetch])
    #expect(steps.map(\.preloadAs) == [.fetch, .font, .style, nil])
    #expect(steps.map { $0.crossOrigin?.rawValue } == ["", "use-credentials", nil, nil])
    #expect(d.verdicts[0]?.map(\.event) == ["error", "load"])
    let printed = ScenarioPrinter.print(d)
    #expect(printed.contains("preload https://api.example/d as=fetch crossorigin\n"))
    #expect(printed.contains("missing-allow-origin fires load\n"))
    #expect(printed.contains("preload /s.css as=style\n"))
    let again = try ScenarioBuilder.parse(printed)
    #expect(again.scenario == d.scenario && again.verdicts[0]?.map(\.event) == ["error", "load"])
  }

  @Test("navigate, form and websocket build their calls; the printer writes them back")
  func navigationsAndWebSockets() throws {
    let text = """
      page https://app.example/
      navigate https://other.example/ target=_blank
      form POST https://bank.example/transfer enctype=text/plain data='{"a":1}='
      form https://search.example/find data=q=cors
      websocket wss://api.example/socket protocols=chat,v2
      expect network-error at response: websocket-status-not-101
      """
    let d = try ScenarioBuilder.parse(text)
    let steps = d.scenario.steps.map(\.request)
    #expect(steps.map(\.api) == [.navigate, .form, .form, .websocket])
    #expect(steps[0].target == "_blank" && steps[1].method == .post && steps[1].enctype == .textPlain)
    #expect(steps[1].body?.text == #"{"a":1}="# && steps[2].method == .get && steps[2].body?.text == "q=cors")
    #expect(steps[3].protocols == ["chat", "v2"])
    let printed = ScenarioPrinter.print(d)
    #expect(printed.contains("form POST https://bank.example/transfer enctype=text/plain"), "\(printed)")
    #expect(printed.contains("websocket wss://api.example/socket protocols=chat,v2\n"), "\(printed)")
    #expect(try ScenarioBuilder.parse(printed).scenario == d.scenario)
  }

  @Test("a route may answer 101 (a WebSocket handshake), no other 1xx status")
  func switchingProtocols() throws {
    let ok = try ScenarioBuilder.parse("page https://a.example\nroute GET https://b.example/s 101\n  Upgrade: websocket\n")
    #expect(ok.scenario.server.routes.first?.status == 101)
    #expect(throws: ScenarioDiagnostic.self) { try ScenarioBuilder.parse("page https://a.example\nroute GET https://b.example/s 102\n") }
  }

  @Test("beacon builds a sendBeacon call with its data; the printer writes it back")
  func beacon() throws {
    let text = """
      page https://app.example/
      beacon https://stats.example/c
      beacon https://stats.example/c body=hello
      beacon https://stats.example/c body='{"a":1}' blob-type=application/json
      expect network-error at preflight: missing-allow-origin
      beacon https://stats.example/c body=a=1 body-type=urlsearchparams
      """
    let d = try ScenarioBuilder.parse(text)
    let steps = d.scenario.steps.map(\.request)
    #expect(steps.map(\.api) == Array(repeating: .beacon, count: 4))
    #expect(steps.map { $0.body?.kind } == [nil, .string, .blob, .urlSearchParams])
    #expect(steps[2].body?.blobType == "application/json")
    #expect(d.verdicts[2]?.first?.reason == .missingAllowOrigin)
    let printed = ScenarioPrinter.print(d)
    #expect(printed.contains(#"beacon https://stats.example/c body="{\"a\":1}" blob-type=application/json"# + "\n"))
    #expect(try ScenarioBuilder.parse(printed).scenario == d.scenario)
  }
}
