import CORSScenario
import Foundation
import Testing

@testable import CORSSession

/// `undo` takes a command back in the builder (its own size) and decides again only the verdicts it can have moved.
/// These tests hold it to what replaying the session's log from the start gives (`undoReplaysLog`, the way `undo`
/// first worked): the same text, line for line, and the same document.
@Suite("undo taken back in place")
struct UndoTests {
  /// A small deterministic generator (SplitMix64), so that a failure names its seed.
  struct Generator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
  }

  /// What a session is given: a line, or Ctrl-C.
  enum Input { case line(String), cancel }

  /// A random session: routes, requests, pasted messages, layers, expectations, world changes, errors, pastes,
  /// `clear`, Ctrl-C, and `undo`s alone and in runs.
  static func session(seed: UInt64, commands: Int) -> [Input] {
    var g = Generator(state: seed)
    let urls = ["https://api.example/a", "https://api.example/b", "https://cdn.example/c", "https://api.example/a?x=1"]
    let responseHeaders = [
      "Access-Control-Allow-Origin: https://app.example", "Access-Control-Allow-Origin: *",
      "Access-Control-Allow-Methods: PUT, DELETE", "Access-Control-Allow-Headers: x-a",
      "Access-Control-Max-Age: 600", "Access-Control-Allow-Credentials: true", "Location: https://api.example/b",
      "Cache-Control: max-age=600", "Vary: Origin", "Access-Control-Expose-Headers: x-b", "X-B: 1",
    ]
    var out: [Input] = [.line("page https://app.example")]
    var lastRequest = ["fetch PUT https://api.example/a", "  X-A: 1"]
    func block(_ lines: [String]) {
      out += lines.map { .line($0) }
      // A blank line closes the block, or the next command does.
      if g.chance(60) { out.append(.line("")) }
    }
    for _ in 0..<commands {
      switch g.below(30) {
      case 0...5:
        let method = g.pick(["", "GET ", "PUT ", "OPTIONS ", "OPTIONS ", "* "])
        let status = g.pick(["", " 200", " 204", " 301", " 403"])
        block(["route \(method)\(g.pick(urls))\(status)"] + (0..<g.below(4)).map { _ in "  " + g.pick(responseHeaders) })
      case 6...9:
        let method = g.pick(["", "PUT ", "DELETE ", "GET "])
        let options = g.pick(["", " credentials=include", " mode=no-cors", " cache=no-store"])
        lastRequest = ["fetch \(method)\(g.pick(urls))\(options)"] + (0..<g.below(3)).map { _ in "  " + g.pick(["X-A: 1", "Content-Type: application/json", "Accept: text/plain"]) }
        block(lastRequest)
      case 10:
        block(["HTTP/1.1 \(g.pick(["200 OK", "204 No Content"]))"] + (0..<g.below(4)).map { _ in g.pick(responseHeaders) })
      case 11:
        block(["GET /\(g.pick(["a", "b"])) HTTP/1.1", "Host: api.example", g.pick(["Origin: https://app.example", "X-A: 1"])])
      case 12:
        out.append(.line(g.pick(["expect readable", "expect blocked", "expect chromium: readable", "expect firefox: blocked"])))
      case 13:
        out.append(.line(g.pick(["sends GET https://api.example/a", "sends nothing", "sends chromium: OPTIONS https://api.example/b"])))
      case 14:
        out.append(.line(g.pick(["says chromium: nothing to see", "says firefox: CORS"])))
      case 15:
        out.append(.line(g.pick(["fix none", "fix GET https://api.example/a add Access-Control-Allow-Origin: https://app.example"])))
      case 16:
        let prefix = g.pick(["", " on https://api.example/", " for PUT"])
        block(["layer \(g.pick(["cdn", "proxy"]))\(prefix)"] + (0..<g.below(3)).map { _ in "  " + g.pick(["add Access-Control-Allow-Origin: *", "remove Access-Control-Allow-Origin", "set Vary: Origin"]) })
      case 17:
        out.append(.line(g.pick(["wait 601", "wait 5", "browser firefox", "browser chromium", "browser webkit"])))
      case 18:
        out.append(.line(g.pick(["hsts api.example", "address api.example local", "lna granted", "http2 on", "csp 'self' https://api.example", "csp none"])))
      case 19:
        out.append(.line(g.pick(["page https://app.example/other", "page http://app.example", "page https://other.example", "coep require-corp", "upgrade-insecure-requests"])))
      case 20:
        out.append(.line("curl \(g.pick(urls)) -H 'Origin: https://app.example' -H 'X-A: 1'"))
      case 21:
        out.append(.line(g.pick(["fetch", "route GET", "expect nonsense", "wait forever", "title: late"])))
      case 22:
        if g.chance(25) { out.append(.line("clear")) } else { out.append(.cancel) }
      default:
        for _ in 0...(g.chance(30) ? g.below(6) : 0) { out.append(.line("undo")) }
        // The same request again: what the one taken back left in the caches (a preflight's, an HTTP response's)
        // must be gone with it.
        if g.chance(40) { block(lastRequest) }
      }
    }
    // Take back most of it at the end, a change at a time.
    for _ in 0..<(commands / 2) { out.append(.line("undo")) }
    return out
  }

  /// Everything a session printed, its line numbers left out (the log replayed numbers its lines 0, so an old
  /// expectation's line differs there), and its document as a file.
  static func play(_ inputs: [Input], replaysLog: Bool) -> (text: [String], document: String) {
    let s = Session()
    s.confirm = { _ in true }
    s.undoReplaysLog = replaysLog
    var text: [String] = []
    for input in inputs {
      switch input {
      case .line(let line): text.append(s.evaluate(line).textOrQuit)
      case .cancel: text.append(s.cancelBlock())
      }
    }
    text.append(s.finish())
    let numbered = try! NSRegularExpression(pattern: "line [0-9]+")
    let plain = text.map {
      numbered.stringByReplacingMatches(in: $0, range: NSRange($0.startIndex..., in: $0), withTemplate: "line N")
    }
    return (plain, ScenarioPrinter.print(s.document))
  }

  @Test("the text and the document are those of the log replayed, on 300 random sessions")
  func sameAsReplayingTheLog() {
    var undos = 0
    for seed in UInt64(1)...300 {
      let inputs = Self.session(seed: seed, commands: 40)
      undos += inputs.filter { if case .line("undo") = $0 { return true } else { return false } }.count
      let inPlace = Self.play(inputs, replaysLog: false)
      let replayed = Self.play(inputs, replaysLog: true)
      #expect(inPlace.document == replayed.document, "seed \(seed): the documents differ")
      guard let i = inPlace.text.indices.first(where: { inPlace.text[$0] != replayed.text[$0] }) else { continue }
      let line: String
      if case .line(let l) = inputs[min(i, inputs.count - 1)] { line = l } else { line = "(Ctrl-C)" }
      let context = inputs[max(0, i - 12)...min(i, inputs.count - 1)].map { if case .line(let l) = $0 { return l } else { return "(Ctrl-C)" } }
      Issue.record("seed \(seed), input \(i + 1) `\(line)`:\n\(inPlace.text[i])--- replayed:\n\(replayed.text[i])--- after:\n\(context.joined(separator: "\n"))")
    }
    // The sessions do take things back (their end is a run of `undo`s).
    #expect(undos > 6_000)
  }

  @Test("a request taken back takes back what it left in the preflight and HTTP caches, and the clock")
  func takenBackLeavesNothing() {
    let s = Session()
    feed(s, [
      "page https://app.example",
      "route OPTIONS https://api.example/a 204", "  Access-Control-Allow-Origin: https://app.example",
      "  Access-Control-Allow-Methods: PUT", "  Access-Control-Allow-Headers: x-a", "  Access-Control-Max-Age: 600", "",
      "route PUT https://api.example/a", "  Access-Control-Allow-Origin: https://app.example", "",
      "fetch GET https://api.example/b", "",
    ])
    // A request that fills the preflight cache, and the same again, which finds it there.
    #expect(feed(s, ["fetch PUT https://api.example/a", "  X-A: 1", ""]).contains("sent    OPTIONS https://api.example/a"))
    #expect(!feed(s, ["fetch PUT https://api.example/a", "  X-A: 1", ""]).contains("OPTIONS"))
    // Both taken back (the first request stays): the request again sends its preflight, as the first did.
    feed(s, ["undo", "undo"])
    let again = feed(s, ["fetch PUT https://api.example/a", "  X-A: 1", ""])
    #expect(again.contains("sent    OPTIONS https://api.example/a"), "\(again)")
    // A wait taken back: the entry made at 0 s is still fresh at 599 s, which it would not be at 5 + 599 s.
    feed(s, ["wait 5", "undo", "wait 599"])
    let later = feed(s, ["fetch PUT https://api.example/a", "  X-A: 1", ""])
    #expect(!later.contains("OPTIONS"), "\(later)")
    feed(s, ["undo", "wait 602"])
    #expect(feed(s, ["fetch PUT https://api.example/a", "  X-A: 1", ""]).contains("sent    OPTIONS https://api.example/a"))
  }

  @Test("requests added, taken back and others added, over and over: each costs its own decisions, whatever came before",
        arguments: [false, true], [1, 3])
  func addUndoAdd(failing: Bool, depth: Int) {
    // The requests before are preflighted (each leaves entries in the preflight cache); with `failing`, the ones
    // added and taken back fail and have their fixes printed (the replaying simulator goes as far as each).
    func cost(after earlier: Int) -> (decisions: Int, text: String) {
      let s = Session()
      let headers = ["  Access-Control-Allow-Origin: https://app.example", "  Access-Control-Allow-Methods: PUT",
                     "  Access-Control-Max-Age: 600", ""]
      var lines = ["page https://app.example", "route * https://api.example/n"] + headers
      for k in 0..<earlier {
        lines += ["route * https://api.example/r\(k)"] + headers + ["fetch PUT https://api.example/r\(k)", ""]
      }
      feed(s, lines)
      // The first failing request's fixes start the replaying simulator, which runs the requests before it once.
      feed(s, ["fetch \(failing ? "DELETE" : "PUT") https://api.example/n", "", "undo"])
      let before = s.decisionsMade
      var text = ""
      for _ in 0..<20 {
        for _ in 0..<depth { text = feed(s, ["fetch \(failing ? "DELETE" : "PUT") https://api.example/n", ""]) }
        for _ in 0..<depth { _ = s.evaluate("undo") }
      }
      return (s.decisionsMade - before, text)
    }
    let short = cost(after: 5)
    let long = cost(after: 60)
    #expect(short.decisions == long.decisions, "\(short.decisions) decisions after 5 requests, \(long.decisions) after 60")
    #expect(long.decisions > 0)
    #expect(long.text.contains(failing ? "✗" : "✓"), "\(long.text)")
    if failing { #expect(long.text.contains("\n  fix     The preflight response does not allow `DELETE`"), "\(long.text)") }
  }

  @Test("undo takes a command back in the session's builder; a whole document replaced is rebuilt from the log")
  func undoInPlace() {
    // A route, then its request, 200 times, taken back one by one (the benchmark's undo curve times this).
    var lines = ["page https://app.example"]
    for k in 0..<200 {
      lines += ["route GET https://api.example/r\(k)", "  Access-Control-Allow-Origin: https://app.example", "",
                "fetch https://api.example/r\(k)", ""]
    }
    let s = Session()
    for line in lines { _ = s.evaluate(line) }
    let builder = ObjectIdentifier(s.builder)
    #expect(s.builder.undoableChanges == 401)
    var last = ""
    for _ in 0..<400 { last = s.evaluate("undo").textOrQuit }
    #expect(last.contains("undid `route GET https://api.example/r0`"), "\(last)")
    #expect(ObjectIdentifier(s.builder) == builder, "undo made the builder anew")
    #expect(s.document.scenario.steps.isEmpty && s.document.scenario.server.routes.isEmpty)
    // The first request again, after its route is back: decided from the page, as if the others never were.
    #expect(feed(s, ["route GET https://api.example/x", "  Access-Control-Allow-Origin: *", "", "fetch https://api.example/x", ""])
      .contains("[1] ✓ READABLE"))
    // `clear` replaces the document: taking it back brings the session before it (rebuilt from the log).
    _ = s.evaluate("clear!")
    #expect(s.evaluate("undo").textOrQuit.contains("the session before it is back"))
    #expect(s.document.scenario.steps.count == 1)
    #expect(s.builder.undoableChanges == 3)
  }
}
