import CORSSimulator
import Testing
@testable import CORSScenario

@Suite("Fixes: the applying rule, the words, the language's fix lines, every engine at once")
struct FixTests {
  func scenario(_ text: String) throws -> Scenario { try ScenarioBuilder.parse(text).scenario }
  func edit(_ method: String, _ url: String, _ change: Fix.ServerChange, layer: String = "app") -> Fix.Edit {
    .server(Fix.ServerEdit(Fix.Response(method: method, url: url), layer: layer, change))
  }

  @Test("an edit changes the route that answers: a route for any method is copied for the method, before it")
  func copiesStarRoute() throws {
    let s = try scenario("""
      page https://app.example
      route * https://api.example/x 200
        Access-Control-Allow-Origin: *
      fetch https://api.example/x
      """)
    let fixed = s.applying([edit("OPTIONS", "https://api.example/x", .status(204)),
                            edit("OPTIONS", "https://api.example/x", .setHeader("Access-Control-Allow-Methods", "PUT"))])
    let routes = fixed.server.routes
    #expect(routes.count == 2)
    #expect(routes[0].method == "OPTIONS" && routes[0].status == 204)
    #expect(routes[0].headers.get(.accessControlAllowOrigin) == "*" && routes[0].headers.get(.accessControlAllowMethods) == "PUT")
    #expect(routes[1].method == nil && routes[1].status == 200 && routes[1].headers.get(.accessControlAllowMethods) == nil)
    // After the insertion, an edit of another method still finds the route for any method (not the copy).
    let more = s.applying([edit("OPTIONS", "https://api.example/x", .status(204)),
                           edit("GET", "https://api.example/x", .setHeader("X-Total", "3"))]).server
    #expect(more.routes.map(\.method) == ["OPTIONS", "GET", nil])
    let url = try URLRecord("https://api.example/x")
    let get = more.respond(method: "GET", url: url)
    #expect(get.status == 200 && get.headers.get(HeaderName("X-Total")) == "3" && get.headers.get(.accessControlAllowMethods) == nil)
    #expect(more.respond(method: "OPTIONS", url: url).status == 204)
    #expect(more.respond(method: "PUT", url: url).headers.get(HeaderName("X-Total")) == nil)
  }

  @Test("where no route answers, a new one: status 200 unless the edit sets one, no header lines but the edit's")
  func newRoute() throws {
    let s = try scenario("page https://app.example\nfetch https://api.example/x")
    let a = s.applying([edit("GET", "https://api.example/x", .setHeader("Access-Control-Allow-Origin", "https://app.example"))])
    #expect(a.server.routes.count == 1 && a.server.routes[0].status == 200 && a.server.routes[0].method == "GET")
    #expect(a.server.routes[0].headers.count == 1)
    let b = s.applying([edit("OPTIONS", "https://api.example/x", .addResponse(status: 204))])
    #expect(b.server.routes[0].status == 204 && b.server.routes[0].headers.isEmpty)
  }

  @Test("a header a layer in front sets is changed in that layer, for that response alone")
  func inLayer() throws {
    let s = try scenario("""
      page https://app.example
      route GET https://api.example/data 200
        Access-Control-Allow-Origin: https://app.example
      route GET https://api.example/other 200
      layer nginx
        add Access-Control-Allow-Origin: https://app.example
      fetch https://api.example/data
      """)
    let fixes = s.fixes(forStep: 0, profile: .chromium)
    #expect(fixes.first?.layer == "nginx")
    let fixed = s.applying(fixes[0])
    let data = fixed.server.respond(method: .get, url: try URLRecord("https://api.example/data"))
    #expect(data.headers.fields(named: .accessControlAllowOrigin).map(\.value) == ["https://app.example"])
    #expect(data.headers.fields(named: .accessControlAllowOrigin).map(\.setBy) == ["nginx"])
    // The layer's other responses are as they were.
    let other = fixed.server.respond(method: .get, url: try URLRecord("https://api.example/other"))
    #expect(other.headers.fields(named: .accessControlAllowOrigin).count == 1)
    #expect(fixed.server.layers.count == 2 && fixed.server.layers[1].urlPrefix == "https://api.example/data")
    // It prints and parses back (a session saved after `fix apply`).
    let again = try ScenarioBuilder.parse(ScenarioPrinter.print(ScenarioDocument(scenario: fixed))).scenario
    #expect(ScenarioRunner.run(again, profile: .chromium)[0].outcome == .readable)
  }

  @Test("the words: error responses need the headers only when they are errors; a redirect's Location is named")
  func words() throws {
    for (status, error) in [(200, false), (301, false), (404, true), (500, true)] {
      let s = try scenario("""
        page https://app.example
        route GET https://api.example/x \(status)
          Location: https://api.example/y
        route GET https://api.example/y 200
          Access-Control-Allow-Origin: https://app.example
        fetch https://api.example/x
        """)
      let summary = s.fixes(forStep: 0, profile: .chromium)[0].summary
      #expect(summary.contains("error responses") == error, "\(status): \(summary)")
    }
    let redirected = try scenario("""
      page https://app.example
      route https://api.example/x 301
        Location: https://api.example/x/
      route https://api.example/x/ 200
        Access-Control-Allow-Origin: https://app.example
        Access-Control-Allow-Methods: PUT
      fetch PUT https://api.example/x
      """)
    for engine in Engine.allWithSpec {
      let first = redirected.fixes(forStep: 0, profile: .forEngine(engine))[0]
      #expect(first.edits == [.client(Fix.ClientEdit(step: 0, .url("https://api.example/x/")))], "\(engine)")
      #expect(first.summary.contains("https://api.example/x/"))
    }
  }

  @Test("a tainted origin: no fix allows null; the first stops the redirect, the page's alternative calls the end")
  func tainted() throws {
    let s = try scenario("""
      page https://app.example
      route GET https://a.example/x 302
        Access-Control-Allow-Origin: https://app.example
        Location: https://b.example/y
      route GET https://b.example/y 200
        Access-Control-Allow-Origin: https://app.example
      fetch https://a.example/x
      """)
    let fixes = s.fixes(forStep: 0, profile: .chromium)
    #expect(fixes[0].edits == [.server(Fix.ServerEdit(Fix.Response(method: "GET", url: "https://a.example/x"), .status(200)))])
    #expect(fixes.contains { $0.edits == [.client(Fix.ClientEdit(step: 0, .url("https://b.example/y")))] })
    for fix in fixes {
      for e in fix.serverEdits {
        if case .setHeader(_, let value) = e.change { #expect(value != "null") }
      }
    }
  }

  @Test("two Location lines: the fix keeps the first, not a 200 that still carries both (Chromium and Firefox refuse those)")
  func duplicatedLocation() throws {
    let s = try scenario("""
      page https://app.example
      route GET https://api.example/r 302
        Access-Control-Allow-Origin: https://app.example
        Location: https://api.example/a
        Location: https://api.example/b
      route GET https://api.example/a 200
        Access-Control-Allow-Origin: https://app.example
      fetch https://api.example/r
      """)
    for engine in [Engine.spec, .chromium, .firefox] {
      let first = s.fixes(forStep: 0, profile: .forEngine(engine))[0]
      #expect(first.edits == [edit("GET", "https://api.example/r", .setHeader("Location", "https://api.example/a"))], "\(engine)")
    }
    // The fix for every engine at once keeps one Location too (WebKit joined the two into one URL).
    let joint = s.fixes(forStep: 0)[0]
    #expect(joint.edits == [edit("GET", "https://api.example/r", .setHeader("Location", "https://api.example/a"))])
    let fixed = s.applying(joint)
    #expect(fixed.server.routes[0].headers.fields(named: .location).map(\.value) == ["https://api.example/a"])
    for engine in Engine.allCases { #expect(ScenarioRunner.run(fixed, profile: .forEngine(engine))[0].outcome == .readable) }
  }

  @Test("a sandboxed page: no server fix at all (it would be null or *), the advice is the frame's")
  func sandboxed() throws {
    let s = try scenario("page https://app.example sandboxed\nroute https://api.example/x\n  Access-Control-Allow-Origin: https://app.example\nfetch https://api.example/x")
    let fixes = s.fixes(forStep: 0, profile: .firefox)
    #expect(!fixes.isEmpty && fixes.allSatisfy { $0.side == .client && $0.edits.isEmpty })
    #expect(fixes[0].summary.contains("allow-same-origin"))
  }

  @Test("every engine at once: a fix that works in Chromium, Firefox and WebKit where theirs differ")
  func allEngines() throws {
    // Firefox does not let `*` cover Authorization's warning-free path the same way, and WebKit reports the
    // preflight's status first: each engine's own fix is complete for it; the joint one for all three.
    let s = try scenario("""
      page https://app.example
      route OPTIONS https://api.example/x 403
        Access-Control-Allow-Headers: *
      route PUT https://api.example/x
      fetch PUT https://api.example/x
        Authorization: Bearer t
        X-Trace: 1
      """)
    let joint = s.fixes(forStep: 0)
    #expect(joint.first?.verifiedIn == Engine.allCases)
    for engine in Engine.allCases {
      #expect(ScenarioRunner.run(s.applying(joint[0]), profile: .forEngine(engine))[0].outcome == .readable, "\(engine)")
    }
    // The standard (no `*` for Authorization) needs it listed; a joint fix with the standard lists it.
    let withSpec = s.fixes(forStep: 0, profiles: Engine.allWithSpec.map(BrowserProfile.forEngine))
    #expect(withSpec[0].serverEdits.contains { e in
      if case .setHeader("Access-Control-Allow-Headers", let v) = e.change { return v.contains("authorization") } else { return false }
    })
  }

  @Test("many refused headers: the fix keeps the listed names as written and adds each other name once")
  func manyRefusedHeaders() throws {
    // 500 author headers; the preflight lists one of them in another case, and `*` that credentials do not honour.
    let names = (0..<500).map { "X-H\($0)" }
    let s = try scenario("""
      page https://app.example
      route OPTIONS https://api.example/x 204
        Access-Control-Allow-Origin: https://app.example
        Access-Control-Allow-Credentials: true
        Access-Control-Allow-Methods: PUT
        Access-Control-Allow-Headers: X-H7, *
      route PUT https://api.example/x
        Access-Control-Allow-Origin: https://app.example
        Access-Control-Allow-Credentials: true
      fetch PUT https://api.example/x credentials=include
      \(names.map { "  \($0): v" }.joined(separator: "\n"))
      """)
    let fixes = s.fixes(forStep: 0)
    let allowHeaders = fixes.first?.serverEdits.compactMap { e -> String? in
      if case .setHeader("Access-Control-Allow-Headers", let v) = e.change { return v } else { return nil }
    }
    // The request asks in lower case, sorted (Fetch #cors-unsafe-request-header-names); x-h7 is listed already.
    let added = names.map { $0.lowercased() }.filter { $0 != "x-h7" }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    #expect(allowHeaders == [(["X-H7", "*"] + added).joined(separator: ", ")])
    #expect(ScenarioRunner.run(s.applying(fixes[0]), profile: .chromium)[0].outcome == .readable)
  }

  @Test("fix and fixed lines: parsed, printed back, and checked against the fixes worked out")
  func language() throws {
    let text = """
      page https://app.example/index.html

      route GET https://api.example/old 301
        Location: https://api.example/new

      route GET https://api.example/new 200
        Access-Control-Allow-Origin: https://app.example

      fetch https://api.example/old
      expect network-error at redirect: missing-allow-origin
      fix GET https://api.example/old set Access-Control-Allow-Origin: https://app.example
      fixed readable cors 200
      """
    let d = try ScenarioBuilder.parse(text)
    #expect(d.fixes[0]?.count == 1 && d.fixed[0]?.count == 1)
    #expect(try ScenarioBuilder.parse(ScenarioPrinter.print(d)) == d)
    for engine in Engine.allWithSpec {
      #expect(d.mismatches(engine: engine, verdicts: ScenarioRunner.run(d.scenario, profile: .forEngine(engine))).isEmpty)
    }
    // A wrong edit, a missing one, and a wrong verdict after the fix are each reported on their line.
    let wrong = try ScenarioBuilder.parse(text.replacingOccurrences(of: "set Access-Control-Allow-Origin: https://app.example",
                                                                   with: "set Access-Control-Allow-Origin: *"))
    let problems = wrong.mismatches(engine: .chromium, verdicts: ScenarioRunner.run(wrong.scenario, profile: .chromium))
    #expect(problems.count == 1 && problems[0].line == 11 && problems[0].message.contains("the first fix is [GET https://api.example/old set Access-Control-Allow-Origin: https://app.example]"))
    let extra = try ScenarioBuilder.parse(text + "\nfix GET https://api.example/new status 204")
    #expect(!extra.mismatches(engine: .firefox, verdicts: ScenarioRunner.run(extra.scenario, profile: .firefox)).isEmpty)
    let after = try ScenarioBuilder.parse(text.replacingOccurrences(of: "fixed readable cors 200", with: "fixed readable cors 204"))
    let afterProblems = after.mismatches(engine: .webkit, verdicts: ScenarioRunner.run(after.scenario, profile: .webkit))
    #expect(afterProblems.map(\.line) == [12] && afterProblems[0].message.contains("fixed: status 200, expected 204"))
  }

  @Test("the check of one line says what the whole check says on that line, for every kind of line and engine")
  func oneLine() throws {
    // Every expectation wrong somewhere (and some right), so that each line has something to say in some engine.
    let d = try ScenarioBuilder.parse("""
      page https://app.example/index.html
      route GET https://api.example/old 301
        Location: https://api.example/new

      route GET https://api.example/new 200
      fetch https://api.example/old
      expect readable cors 200
      expect webkit: network-error at redirect: missing-allow-origin
      sends GET https://api.example/old
      sends GET https://api.example/new
      sends chromium: nothing
      says chromium: not what it says
      says firefox: nor this
      says chromium: nor this either
      fix GET https://api.example/new set Access-Control-Allow-Origin: *
      fix GET https://api.example/old status 200
      fixed readable cors 204
      """)
    for engine in Engine.allWithSpec {
      let v = ScenarioRunner.run(d.scenario, profile: .forEngine(engine))[0]
      let all = d.mismatches(step: 0, engine: engine, verdict: v)
      #expect(!all.isEmpty)
      for line in 0...18 {
        let one = d.mismatches(step: 0, engine: engine, verdict: v, onLine: line)
        #expect(one == all.filter { $0.line == line }, "\(engine), line \(line)")
      }
    }
  }

  @Test("fix lines checked step after step by one replay say what each step's fixes worked out alone say")
  func fixesInOneReplay() throws {
    // Requests that fail in several ways, with preflights cached between them, each with a fix line (right, wrong or
    // `none`) and some with a fixed line.
    var text = """
      page https://app.example/index.html
      route OPTIONS https://api.example/p 204
        Access-Control-Allow-Origin: https://app.example
        Access-Control-Allow-Methods: PUT
        Access-Control-Max-Age: 600

      route https://api.example/p
      route https://api.example/ok
        Access-Control-Allow-Origin: *

      """
    for k in 0..<24 {
      switch k % 4 {
      case 0: text += "fetch PUT https://api.example/p\nfix PUT https://api.example/p set Access-Control-Allow-Origin: https://app.example\n"
      case 1: text += "fetch https://api.example/p\nfix none\nfixed readable cors 200\n"
      case 2: text += "fetch https://api.example/ok\nfix none\n"
      default: text += "wait 300\nfetch PUT https://api.example/p\n  X-A: 1\nfix none\nfixed blocked\n"
      }
    }
    let d = try ScenarioBuilder.parse(text.replacingOccurrences(of: "fixed blocked", with: "fixed readable cors 200"))
    for engine in Engine.allWithSpec {
      let verdicts = ScenarioRunner.run(d.scenario, profile: .forEngine(engine))
      let inOne = d.mismatches(engine: engine, verdicts: verdicts)
      let alone = verdicts.indices.flatMap { d.mismatches(step: $0, engine: engine, verdict: verdicts[$0]) }
      #expect(inOne == alone, "\(engine)")
      #expect(!inOne.isEmpty)
    }
  }

  @Test("a fixed line decided from the replay gives what running the fixed scenario gives, and the replay declines what it cannot know")
  func fixedFromReplay() throws {
    // Requests to URLs of their own (the replay can decide their fixed verdict), requests to URLs asked before (it
    // cannot: the fix may change an earlier request), redirects into URLs asked before, credentialed requests whose
    // fix is on the request, waits across cached preflights; every one with a fixed line, right or wrong.
    var text = "page https://app.example/index.html\n"
    var requests = ""
    for k in 0..<40 {
      let url = "https://api.example/r\(k)"
      switch k % 5 {
      case 0:
        text += "route GET \(url)\n\n"
        requests += "fetch \(url)\nfixed readable cors 200\n"
      case 1:
        text += "route OPTIONS \(url) 204\n  Access-Control-Allow-Origin: https://app.example\n  Access-Control-Max-Age: 600\n\n"
        text += "route PUT \(url)\n  Access-Control-Allow-Origin: https://app.example\n\n"
        requests += "fetch PUT \(url)\n\(k % 10 == 1 ? "fixed readable cors 200" : "fixed opaque opaque 0")\n"
      case 2:
        text += "route GET \(url) 307\n  Location: https://api.example/r\(k - 2)\n\n"
        requests += "fetch \(url)\nfixed readable cors 200\n"
      case 3:
        text += "route GET \(url)\n  Access-Control-Allow-Origin: *\n\n"
        requests += "fetch \(url) credentials=include\nfixed readable cors 200\n"
      default:
        // (Within the max-age for half of them: fixed, the earlier request's preflight is cached and this one's is not
        // sent, which a replay of the unfixed requests would not know.)
        requests += "wait \(k % 10 == 4 ? 300 : 700)\nfetch PUT https://api.example/r\(k - 3)\nfixed readable cors 200\n"
      }
    }
    let d = try ScenarioBuilder.parse(text + requests)
    var decided = 0, declined = 0
    for engine in Engine.allWithSpec {
      let profile = BrowserProfile.forEngine(engine)
      let verdicts = ScenarioRunner.run(d.scenario, profile: profile, trace: false)
      var replay = FixReplay(d.scenario, page: d.scenario.page!, profile: profile)
      for i in verdicts.indices where verdicts[i].failure != nil {
        guard let fix = replay.fixes(ofStep: i).first else { continue }
        guard let quick = replay.fixedVerdict(ofStep: i, applying: fix) else {
          declined += 1
          continue
        }
        decided += 1
        var long: Verdict? = nil
        ScenarioRunner.forEachStep(d.scenario.applying(fix), profile: profile, trace: false) { k, v in
          if k == i { long = v }
          return k < i
        }
        let described = { (v: Verdict?) in
          v.map { "\($0.outcome) \($0.responseType?.rawValue ?? "-") \($0.status ?? -1) \($0.exposedHeaders ?? []) \($0.stage.map { "\($0)" } ?? "-") \($0.reason?.rawValue ?? "-") \($0.requests.map { "\($0.method.rawValue) \($0.url.href) \($0.headers.map { "\($0.name.canonicalName)=\($0.value)" })" })" }
        }
        #expect(described(quick) == described(long), "\(engine), request \(i + 1): \(fix.summary)")
      }
      // The whole check says the same either way, and finds the wrong fixed lines.
      let quickly = d.mismatches(engine: engine, verdicts: verdicts, file: nil, fixedFromReplay: true)
      #expect(quickly == d.mismatches(engine: engine, verdicts: verdicts, file: nil, fixedFromReplay: false), "\(engine)")
      if engine != .spec { #expect(!quickly.isEmpty, "\(engine)") }
    }
    #expect(decided >= 40 && declined >= 10, "decided \(decided), declined \(declined)")

    // A server with layers: a fix may go in a layer scoped to a prefix of URLs asked before, so the replay declines.
    let layered = try ScenarioBuilder.parse("""
      page https://app.example/index.html
      layer cdn
      route GET https://api.example/a

      fetch https://api.example/a
      fixed readable cors 200
      """)
    var replay = FixReplay(layered.scenario, page: layered.scenario.page!, profile: .chromium)
    let fix = try #require(replay.fixes(ofStep: 0).first)
    #expect(replay.fixedVerdict(ofStep: 0, applying: fix) == nil)
  }

  @Test("fix lines refuse what they cannot mean", arguments: [
    ("fix GET https://api.example/x frobnicate 3", "'frobnicate' is not a change"),
    ("fix GET https://api.example/x status 42", "takes a status"),
    ("fix request colour=blue", "unknown request field 'colour'"),
    ("fix none more", "nothing follows `none`"),
    ("fix GET https://api.example/x set NoColon value", "usage: … set Header-Name: value"),
  ])
  func errors(line: String, message: String) {
    #expect(throws: ScenarioDiagnostic.self) { try ScenarioBuilder.parse("page https://app.example\nfetch https://api.example/x\n" + line) }
    do { _ = try ScenarioBuilder.parse("page https://app.example\nfetch https://api.example/x\n" + line) } catch {
      #expect(error.message.contains(message), "\(error.message)")
    }
  }
}
