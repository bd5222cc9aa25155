import Benchmark
import CORSOracle
import CORSPolicy
import CORSScenario
import CORSSession
import CORSSimulator

// Decisions per second of the engine, on one core, measured in a release build:
//   swift run --package-path Tools -c release CORSBenchmarks [--filter REGEX]
// Each decision benchmark decides one request from scratch (the preflight cache is emptied first). "with trace"
// rows record the step-by-step trace, as the REPL and `corsim run` do; the others decide what the oracle reports by
// default (outcome, type, status, exposed headers, wire requests, reason). Throughput = 1e9 / time (ns).
//
// The "curve" rows grow one input by tens (1, 10, 100, 1,000, 10,000): a cost that grows faster than the input
// shows as a jump between neighbours. What each should do is said beside it; README.md, "Performance", has the figures.

let page = try! Page("https://app.example/index.html")
let api = try! URLRecord("https://api.example/data")
let acao: (String, String) = ("Access-Control-Allow-Origin", "https://app.example")

let server = Server(routes: [
  Route(method: "OPTIONS", url: api, status: 204, headers: [
    acao, ("Access-Control-Allow-Methods", "GET, PUT, DELETE"),
    ("Access-Control-Allow-Headers", "content-type, x-request-id, x-trace, authorization"),
    ("Access-Control-Max-Age", "600"), ("Vary", "Origin"),
  ]),
  Route(url: api, headers: [acao, ("Content-Type", "application/json"), ("Vary", "Origin"), ("X-Request-Id", "7")]),
  Route(url: try! URLRecord("https://api.example/old"), status: 301,
        headers: [acao, ("Location", "https://api.example/moved")]),
  Route(url: try! URLRecord("https://api.example/moved"), status: 302,
        headers: [acao, ("Location", "https://api.example/data")]),
])

let simple = ScriptRequest(url: "https://api.example/data")
let preflighted = ScriptRequest(
  url: "https://api.example/data", method: "PUT",
  headers: [("Content-Type", "application/json"), ("X-Request-Id", "42"),
            ("X-Trace", "abc"), ("Authorization", "Bearer t")],
  body: RequestBody(text: #"{"a":1}"#))
let redirected = ScriptRequest(url: "https://api.example/old")

/// Keeps a result alive so that the optimizer cannot drop the work that produced it.
@inline(never)
func consume(_ v: Verdict) {
  if v.requests.count > 1_000_000 { print(v.outcome) }
}

@inline(never)
func consume(_ verdicts: [Verdict]) {
  if verdicts.count > 1_000_000 { print(verdicts.count) }
}

func decide(_ profile: BrowserProfile, _ request: ScriptRequest, trace: Bool = false,
            on server: Server = server) -> () -> Void {
  var sim = Simulator(profile: profile, page: page, server: server)
  sim.recordsTrace = trace
  return {
    sim.clearPreflightCache()
    consume(sim.fetch(request))
  }
}

benchmark("simple GET (chromium)", function: decide(.chromium, simple))
benchmark("simple GET (spec)", function: decide(.spec, simple))
benchmark("simple GET with trace (chromium)", function: decide(.chromium, simple, trace: true))
benchmark("preflighted PUT, 4 author headers (chromium)", function: decide(.chromium, preflighted))
benchmark("preflighted PUT, 4 author headers (firefox)", function: decide(.firefox, preflighted))
benchmark("preflighted PUT with trace (chromium)", function: decide(.chromium, preflighted, trace: true))
benchmark("two-hop redirect (chromium)", function: decide(.chromium, redirected))
benchmark("two-hop redirect (webkit)", function: decide(.webkit, redirected))

// The explained verdict as the REPL and `corsim oracle --explain` show it: the trace recorded, then its text,
// the console message and the fix drawn from it.
func explained(_ profile: BrowserProfile, _ request: ScriptRequest, on server: Server = server) -> () -> Void {
  var sim = Simulator(profile: profile, page: page, server: server)
  sim.recordsTrace = true
  return {
    sim.clearPreflightCache()
    let v = sim.fetch(request)
    var n = v.consoleMessage?.utf8.count ?? 0
    n += v.fix?.summary.utf8.count ?? 0
    for step in v.trace { n += step.text.utf8.count }
    if n == 0 { print("nothing explained") }
  }
}

benchmark("simple GET explained: trace, message, fix (chromium)", function: explained(.chromium, simple))
benchmark("preflighted PUT explained: trace, message, fix (chromium)", function: explained(.chromium, preflighted))

let curve = [1, 10, 100, 1_000, 10_000]

// Curve: author headers. A preflighted GET with N author headers, every one allowed by the preflight and stored
// in the cache. Linear in N.
for n in curve {
  let names = (0..<n).map { "X-Custom-\($0)" }
  let route = Route(url: api, headers: [
    acao, ("Access-Control-Allow-Headers", names.joined(separator: ", ")), ("Access-Control-Max-Age", "600"),
  ])
  let request = ScriptRequest(url: api.href, headers: HeaderList(pairs: names.map { ($0, "v") }))
  benchmark("curve: author headers \(n), preflighted (chromium)",
            function: decide(.chromium, request, on: Server(routes: [route])))
}

// Curve: the fix of author headers the preflight refuses. A preflighted GET with N author headers whose preflight
// allows none, explained: the fix lists every name the request asks for in `Access-Control-Allow-Headers`. Linear in
// N (each name was once looked for in the growing list, quadratic: 3,000 names took 1.5 s).
for n in curve {
  let names = (0..<n).map { "X-Custom-\($0)" }
  let refusing = Server(routes: [Route(url: api, headers: [acao, ("Access-Control-Allow-Headers", "x-other")])])
  let request = ScriptRequest(url: api.href, headers: HeaderList(pairs: names.map { ($0, "v") }))
  benchmark("curve: author headers \(n) refused, explained with the fix (chromium)",
            function: explained(.chromium, request, on: refusing))
}

// Curve: response header lines. A simple GET whose answer has N more lines (exposed by name). Linear in N.
for n in curve {
  let names = (0..<n).map { "X-Line-\($0)" }
  let route = Route(url: api, headers: HeaderList(pairs: [acao, ("Access-Control-Expose-Headers", names.joined(separator: ", "))]
                                                    + names.map { ($0, "v") }))
  benchmark("curve: response lines \(n), simple GET (chromium)", function: decide(.chromium, simple, on: Server(routes: [route])))
}

// Curve: redirect hops (the standard stops at 20). Linear in the hops.
for hops in [0, 5, 20] {
  var routes: [Route] = []
  for k in 0..<hops {
    routes.append(Route(url: try! URLRecord("https://api.example/hop\(k)"), status: 307,
                        headers: [acao, ("Location", "https://api.example/hop\(k + 1)")]))
  }
  routes.append(Route(url: try! URLRecord("https://api.example/hop\(hops)"), headers: [acao]))
  benchmark("curve: redirect hops \(hops) (chromium)",
            function: decide(.chromium, ScriptRequest(url: "https://api.example/hop0"), on: Server(routes: routes)))
}

// Curve: routes. A simple GET for the last of N routes. Flat in N (routes are found by method and URL).
for n in curve {
  let routes = (0..<n).map { k in Route(url: try! URLRecord("https://api.example/r\(k)"), headers: [acao]) }
  benchmark("curve: routes \(n), one simple GET (chromium)",
            function: decide(.chromium, ScriptRequest(url: "https://api.example/r\(n - 1)"), on: Server(routes: routes)))
}

// Curve: steps sharing one preflight cache. N preflighted PUTs to N distinct URLs, each cached for 600 s, run as
// `corsim run` runs a file (one simulator, one cache). Time per scenario; per step it is flat in N. With
// `failing`, the preflights of the odd steps allow no method (the fixes curve below).
func distinctSteps(_ n: Int, failing: Bool = false) -> Scenario {
  let routes = (0..<n).map { k in
    Route(url: try! URLRecord("https://api.example/r\(k)"), headers: failing && k % 2 == 1 ? [acao] : [
      acao, ("Access-Control-Allow-Methods", "PUT"), ("Access-Control-Allow-Headers", "x-token"),
      ("Access-Control-Max-Age", "600"),
    ])
  }
  let steps = (0..<n).map { k in
    ScenarioStep(request: ScriptRequest(url: "https://api.example/r\(k)", method: "PUT", headers: [("X-Token", "t")]))
  }
  return Scenario(page: page, server: Server(routes: routes), steps: steps)
}

/// A curve of whole scenarios run as `corsim run` runs a file: verdicts only, or with the fixes of failing steps.
func scenarioCurve(_ name: (Int) -> String, withFixes: Bool = false, _ make: (Int) -> Scenario) {
  for n in curve {
    let scenario = make(n)
    benchmark(name(n)) {
      if withFixes {
        consume(ScenarioRunner.runWithFixes(scenario, profile: .chromium, trace: false).map(\.verdict))
      } else {
        consume(ScenarioRunner.run(scenario, profile: .chromium, trace: false))
      }
    }
  }
}

scenarioCurve({ "curve: steps \($0) sharing one preflight cache, distinct URLs (chromium; per scenario)" }) { distinctSteps($0) }

// Curve: the same steps as `corsim run` runs them, verdicts and the fixes of failing steps
// (ScenarioRunner.runWithFixes): a copy of the simulator kept before every step made every fetch copy the
// caches, quadratic in N; a replaying simulator rebuilds a failing step's state instead. These steps succeed; the
// curve of failing ones is below.
scenarioCurve({ "curve: steps \($0) with fixes, as corsim run runs them (chromium; per scenario)" }, withFixes: true) {
  distinctSteps($0)
}

// Curves: entries leaving a big preflight cache one partition at a time, run as `corsim run` runs a file (with the
// fixes of failing steps), in Firefox (which keeps one result per URL and clears it when it does not allow a request).
// `cleared`: N preflighted PUTs to distinct URLs, each followed by one to a URL x (cached again) and one to x with a
// header x's preflight does not allow, whose failure clears x's entries. `expiring`: the same N PUTs, each followed
// by a PUT to a URL of its own cached for 1 s and a wait of 2 s, so that one entry expires at each step among the
// thousands that stay. Linear in N: a removal rebuilt the index of every entry (8,000 clears took 354 s); the
// removed entries are now marked gone, found through the index and an expiry heap.
func partitionRemovals(_ n: Int, expiring: Bool) -> Scenario {
  let allow = HeaderList(pairs: [acao, ("Access-Control-Allow-Methods", "PUT"), ("Access-Control-Allow-Headers", "x-a"),
                                 ("Access-Control-Max-Age", "600")])
  var routes = (0..<n).map { k in Route(url: try! URLRecord("https://api.example/r\(k)"), headers: allow) }
  routes.append(Route(url: try! URLRecord("https://api.example/x"), headers: allow))
  routes += (0..<(expiring ? n : 0)).map { k in
    Route(url: try! URLRecord("https://api.example/s\(k)"), headers: [acao, ("Access-Control-Allow-Methods", "PUT"),
                                                                       ("Access-Control-Max-Age", "1")])
  }
  let steps = (0..<n).flatMap { k in
    let put = ScenarioStep(request: ScriptRequest(url: "https://api.example/r\(k)", method: "PUT", headers: [("X-A", "1")]))
    if expiring {
      return [put, ScenarioStep(after: 2, request: ScriptRequest(url: "https://api.example/s\(k)", method: "PUT"))]
    }
    return [put, ScenarioStep(request: ScriptRequest(url: "https://api.example/x", method: "PUT", headers: [("X-A", "1")])),
            ScenarioStep(request: ScriptRequest(url: "https://api.example/x", method: "PUT", headers: [("X-Z", "1")]))]
  }
  return Scenario(page: page, server: Server(routes: routes), steps: steps)
}

for expiring in [false, true] {
  for n in curve {
    let scenario = partitionRemovals(n, expiring: expiring)
    benchmark("curve: steps \(n) over a big preflight cache, one URL's entries \(expiring ? "expiring" : "cleared") at each (firefox, with fixes; per scenario)") {
      consume(ScenarioRunner.runWithFixes(scenario, profile: .firefox, trace: false).map(\.verdict))
    }
  }
}

// Curve: steps sharing one HTTP cache. N GETs to N distinct URLs whose answers are stored (max-age=600), run as
// `corsim run` runs a file. Time per scenario; per step it is flat in N (a lookup reads its own key's entries, and
// the fetch owns the cache it stores into rather than copying it).
func cachedGets(_ n: Int) -> Scenario {
  let routes = (0..<n).map { k in
    Route(method: "GET", url: try! URLRecord("https://api.example/g\(k)"), headers: [acao, ("Cache-Control", "max-age=600")])
  }
  let steps = (0..<n).map { k in ScenarioStep(request: ScriptRequest(url: "https://api.example/g\(k)")) }
  return Scenario(page: page, server: Server(routes: routes), steps: steps)
}

scenarioCurve({ "curve: steps \($0), GETs to distinct URLs stored in the HTTP cache (chromium; per scenario)" }) {
  cachedGets($0)
}

// Curve: N GETs to one URL whose answer varies on `Accept` (`Vary: Accept`, max-age=600), each with its own value, so
// the HTTP cache holds N variants of one URL. Linear in N: the variants were one list, walked at each store and
// lookup (8,000 took 38 s); they are found by their values now.
func varyingGets(_ n: Int) -> Scenario {
  let route = Route(method: "GET", url: try! URLRecord("https://api.example/data"),
                    headers: [("Access-Control-Allow-Origin", "*"), ("Cache-Control", "max-age=600"), ("Vary", "Accept")])
  let steps = (0..<n).map { k in ScenarioStep(request: ScriptRequest(url: "https://api.example/data", headers: [("Accept", "text/v\(k)")])) }
  return Scenario(page: page, server: Server(routes: [route]), steps: steps)
}

scenarioCurve({ "curve: steps \($0), GETs to one URL varying on Accept, stored in the HTTP cache (chromium; per scenario)" }) {
  varyingGets($0)
}

// Curve: the fixes of failing steps. N preflighted PUTs to N distinct URLs, every other one failing (its
// preflight allows no method), as `corsim run` runs them: each failing step's fix is worked out by deciding the
// request again on changed servers, and each trial stores a preflight in a cache the passing steps filled. The trials
// read that cache through an overlay that holds only what they change, so time per step is flat in N.
scenarioCurve({ "curve: steps \($0), every other one failing, with fixes, as corsim run runs them (chromium; per scenario)" },
              withFixes: true) { distinctSteps($0, failing: true) }

// Curve: the scenario language. A file of N routes and N requests read by the builder (as `corsim run` and the
// REPL's `load` read one). Time per file; linear in N.
func scenarioText(_ n: Int) -> String {
  var text = "page https://app.example/index.html\n\n"
  for k in 0..<n {
    text += "route GET https://api.example/r\(k)\n  Access-Control-Allow-Origin: https://app.example\n\n"
  }
  for k in 0..<n { text += "fetch https://api.example/r\(k)\n\n" }
  return text
}

for n in curve {
  let text = scenarioText(n)
  benchmark("curve: scenario file of \(n) routes and \(n) requests, parsed (per file)") {
    let document = try ScenarioBuilder.parse(text)
    if document.scenario.steps.count != n { print("wrong parse") }
  }
}

// Curve: layers. A file of N layers in front of one route, each adding `Access-Control-Allow-Origin` (so the
// answer carries N lines and fails), read and run with the fix of its failing step. Linear in N: each declaration
// was once compared with all earlier ones, and the fix tried its change in each layer through all the others
// (1,000 layers took 3.3 s in a debug build, 10,000 over two minutes).
func layeredText(_ n: Int) -> String {
  var text = "page https://app.example\n\n"
  for k in 0..<n { text += "layer l\(k)\n  add Access-Control-Allow-Origin: https://app.example\n\n" }
  return text + "route GET https://api.example/x\n\nfetch https://api.example/x\n"
}

for n in curve {
  let text = layeredText(n)
  benchmark("curve: scenario file of \(n) layers, parsed and run with fixes (chromium; per file)") {
    let document = try ScenarioBuilder.parse(text)
    consume(ScenarioRunner.runWithFixes(document.scenario, profile: .chromium, trace: false).map(\.verdict))
  }
}

// Curve: the file of N preflighted PUTs that Scripts/memory-scenarios writes for the memory aim (per URL an OPTIONS
// route of four lines and a PUT route, then the request). The builder keeps one copy of each header name, value,
// block of lines and URL the file repeats (looked up in tables as it reads): time per file stays linear in N.
func preflightedText(_ n: Int) -> String {
  var text = "page https://app.example/index.html\n\n"
  for k in 0..<n {
    let url = "https://api.example/items/\(k)"
    text += "route OPTIONS \(url) 204\n  Access-Control-Allow-Origin: https://app.example\n"
      + "  Access-Control-Allow-Methods: PUT\n  Access-Control-Allow-Headers: x-token\n  Access-Control-Max-Age: 600\n"
      + "route PUT \(url) 200\n  Access-Control-Allow-Origin: https://app.example\n\nfetch PUT \(url)\n  X-Token: t\n\n"
  }
  return text
}

for n in curve {
  let text = preflightedText(n)
  benchmark("curve: scenario file of \(n) preflighted PUTs (2 routes each, memory-scenarios), parsed (per file)") {
    let document = try ScenarioBuilder.parse(text)
    if document.scenario.server.routes.count != 2 * n { print("wrong parse") }
  }
}

// Curve: a policy answering a preflight, as `corsim audit` asks a policy file for each attempt. A preflight asking
// for N headers, answered by a policy listing the N, in each way of matching the list the middlewares have
// (CORSPolicy.answer, answerOther). Linear in N (each requested name was once looked for in the policy's list:
// an audit of a policy and a frontend with 500 headers took seconds).
let preflightOfPolicy = { (n: Int) in
  ServerRequest(method: "OPTIONS", url: api,
                headers: [("Origin", "https://app.example"), ("Access-Control-Request-Method", "PUT"),
                          ("Access-Control-Request-Headers", (0..<n).map { "x-custom-\($0)" }.joined(separator: ","))],
                isPreflight: true, includesCredentials: false)
}
for middleware in [Middleware.corsim, .rsCors, .flaskCors, .starlette, .spring] {
  for n in curve {
    let policy = CORSPolicy(origins: [.exact("https://app.example", ignoringCase: false)], methods: .list(["GET", "PUT"]),
                            requestHeaders: .list((0..<n).map { "X-Custom-\($0)" }), middleware: middleware)
    let request = preflightOfPolicy(n)
    benchmark("curve: preflight of \(n) headers answered by a policy listing them (\(middleware.rawValue))") {
      if policy.answer(request).status >= 400 { print("refused") }
    }
  }
}

// URL parsing: a plain URL takes the parser's shortcut (a lower-case domain or a dotted-decimal IPv4 address, a clean
// path); anything else runs the URL Standard's state machine and host parser.
for (label, text) in [("shortcut, domain", "https://api.example/data"), ("shortcut, IPv4", "http://127.0.0.1:8080/data"),
                      ("full parser, upper-case host", "https://API.Example/data"),
                      ("full parser, short IPv4", "http://127.1:8080/data"),
                      ("full parser, space in the path", "https://api.example/a b?q=1")] {
  benchmark("URL parsed, \(label)") {
    if (try? URLRecord(text))?.href.isEmpty != false { print("no URL") }
  }
}
// A path-absolute reference against the page (what `fetch /api/data` asks for): the shortcut too.
benchmark("URL parsed, path-absolute reference against a base") {
  if (try? URLRecord("/api/data?x=1", base: page.url))?.href.isEmpty != false { print("no URL") }
}

// The oracle: one line of the shared contract's smoke set answered (parsed, decided, written), as
// `corsim oracle --jobs 1` does for each line; with and without --explain.
let smokeLine = #"{"id":"bench","browser":"chromium","page":"https://app.example/","steps":[{"url":"https://api.example/data","method":"PUT","headers":[["Content-Type","application/json"],["X-Request-Id","42"]],"body":"{}"}],"server":[{"method":"OPTIONS","url":"https://api.example/data","status":204,"headers":[["Access-Control-Allow-Origin","https://app.example"],["Access-Control-Allow-Methods","PUT"],["Access-Control-Allow-Headers","content-type, x-request-id"]]},{"method":"PUT","url":"https://api.example/data","headers":[["Access-Control-Allow-Origin","https://app.example"]]}]}"#
for explain in [false, true] {
  let oracle = Oracle(explain: explain)
  benchmark("oracle line, preflighted PUT\(explain ? ", --explain" : "") (per line)") {
    if oracle.answer(line: smokeLine, lineNumber: 1).isEmpty { print("no answer") }
  }
}

// The same line with a page policy (`"upgradeInsecureRequests": false`): a field the direct reader leaves to the full
// decoder, so the line is parsed into a JSON tree and decoded from it, as every line was before the direct reader.
let treeLine = smokeLine.replacing(#""page":"#, with: #""upgradeInsecureRequests":false,"page":"#)
benchmark("oracle line, preflighted PUT, read through a JSON tree (per line)") {
  if Oracle().answer(line: treeLine, lineNumber: 1).isEmpty { print("no answer") }
}

// The REPL session: a page and a route, then `commands` requests typed one after the other (each a `fetch`
// line and the empty line that ends its block), every verdict rendered as the terminal shows it. The cost per
// command must stay flat as the session grows (the session is incremental: a request added runs alone).
func session(_ commands: Int) -> () -> Void {
  let lines = ["page https://app.example", "route GET https://api.example/data", "  Access-Control-Allow-Origin: https://app.example", ""]
    + Array(repeating: ["fetch https://api.example/data", ""], count: commands).flatMap { $0 }
  return {
    let s = Session()
    var printed = 0
    for line in lines { if case .text(let t) = s.evaluate(line) { printed += t.utf8.count } }
    if printed == 0 { print("nothing printed") }
  }
}

// Curve: a REPL session built the usual way, a route then the request for it, N times. Linear in N: every route
// once made the session decide every earlier request again, and make its server anew (1,000 pairs took 2.2 s,
// 3,000 took 21 s); a route for a URL no request has asked for now leaves their verdicts as they are. The undone
// curve was square too: each `undo` replayed the session's log and decided every request again (2,000 pairs and
// 2,000 undos took 53 s).
/// A route, then the request for it, `n` times; then, with `undone`, every change taken back with `undo`, one by one
/// (2n undos): each takes back its own command, not the whole session again, so the cost per undo stays flat.
func routeThenRequest(_ n: Int, undone: Bool = false) -> () -> Void {
  let lines = ["page https://app.example"] + (0..<n).flatMap { k in
    ["route GET https://api.example/r\(k)", "  Access-Control-Allow-Origin: https://app.example", "",
     "fetch https://api.example/r\(k)", ""]
  } + Array(repeating: "undo", count: undone ? 2 * n : 0)
  return typed(lines)
}

/// A new session given `lines` one by one, as typed, everything printed counted.
func typed(_ lines: [String]) -> () -> Void {
  return {
    let s = Session()
    var printed = 0
    for line in lines { if case .text(let t) = s.evaluate(line) { printed += t.utf8.count } }
    if printed == 0 { print("nothing printed") }
  }
}

for n in curve {
  benchmark("curve: REPL session of \(n) routes, each then its request (per session)", function: routeThenRequest(n))
}

for n in curve {
  benchmark("curve: REPL session of \(n) routes, each then its request, then all undone (per session)",
            function: routeThenRequest(n, undone: true))
}

// Curve: N requests, each added, taken back with `undo` and added again (trying a request out), each for a URL of its
// own, preflighted (its entries stay in the preflight cache); with `failing`, a method the preflight does not allow,
// the fixes printed each time. Linear in N: the simulator kept no state before its last request, so each `undo` of
// it made the next request run every earlier one again; it now takes back that request's changes alone.
func addUndoAdd(_ n: Int, failing: Bool) -> () -> Void {
  let method = failing ? "DELETE" : "PUT"
  let lines = ["page https://app.example"] + (0..<n).flatMap { k in
    ["route * https://api.example/r\(k)", "  Access-Control-Allow-Origin: https://app.example",
     "  Access-Control-Allow-Methods: PUT", "  Access-Control-Max-Age: 600", "",
     "fetch \(method) https://api.example/r\(k)", "", "undo", "fetch \(method) https://api.example/r\(k)", ""]
  }
  return typed(lines)
}

for failing in [false, true] {
  for n in curve {
    benchmark("curve: REPL session of \(n) requests, each added, undone and added again\(failing ? ", failing" : "") (per session)",
              function: addUndoAdd(n, failing: failing))
  }
}

// Curve: N `says` lines typed after one request, each checked in every profile as it is typed. Linear in N: each
// line checked every `says` line of the request again (5,000 lines took 19 s); it now checks its own.
func saysLines(_ n: Int) -> () -> Void {
  let lines = ["page https://app.example", "fetch https://api.example/data", ""]
    + (0..<n).map { "says chromium: message \($0)" }
  return typed(lines)
}

for n in curve {
  benchmark("curve: REPL session of one request and \(n) says lines, each checked as typed (per session)",
            function: saysLines(n))
}

// Curve: a file of N failing requests, each with a `fix` line, checked against its expectations (what `corsim run`
// does for each file). Linear in N: each fix line worked its request's fixes out from the start of the scenario
// (1,000 took 3.7 s); the steps' fixes now come from one replay, in order.
func fixLinesChecked(_ n: Int) -> () -> Void {
  let text = "page https://app.example\n" + (0..<n).map { "fetch https://api.example/r\($0)\nfix none\n" }.joined()
  let document = try! ScenarioBuilder.parse(text)
  return {
    let verdicts = ScenarioRunner.run(document.scenario, profile: .chromium, trace: false)
    if document.mismatches(engine: .chromium, verdicts: verdicts).count != n { print("unexpected mismatches") }
  }
}

for n in curve {
  benchmark("curve: scenario file of \(n) failing requests with fix lines, checked (chromium; per file)",
            function: fixLinesChecked(n))
}

benchmark("REPL session of 1 command", function: session(1))
benchmark("REPL session of 100 commands", function: session(100))
benchmark("REPL session of 1,000 commands", function: session(1000))

Benchmark.main()
