import Benchmark
import CORSSession
import CORSSimulator

// Decisions per second of the engine, on one core, measured in a release build:
//   swift run -c release CORSBenchmarks
// Each benchmark decides one request from scratch (the preflight cache is emptied first), with the
// verdict's trace recorded as in the REPL and `corsim run`; the "without trace" rows show what the oracle
// pays by default. Throughput = 1e9 / time (ns).

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

func decide(_ profile: BrowserProfile, _ request: ScriptRequest, trace: Bool = true) -> () -> Void {
  var sim = Simulator(profile: profile, page: page, server: server)
  sim.recordsTrace = trace
  return {
    sim.clearPreflightCache()
    consume(sim.fetch(request))
  }
}

benchmark("simple GET (chromium)", function: decide(.chromium, simple))
benchmark("simple GET (spec)", function: decide(.spec, simple))
benchmark("simple GET without trace (chromium)", function: decide(.chromium, simple, trace: false))
benchmark("preflighted PUT, 4 author headers (chromium)", function: decide(.chromium, preflighted))
benchmark("preflighted PUT, 4 author headers (firefox)", function: decide(.firefox, preflighted))
benchmark("preflighted PUT without trace (chromium)", function: decide(.chromium, preflighted, trace: false))
benchmark("two-hop redirect (chromium)", function: decide(.chromium, redirected))
benchmark("two-hop redirect (webkit)", function: decide(.webkit, redirected))

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

benchmark("REPL session of 1 command", function: session(1))
benchmark("REPL session of 100 commands", function: session(100))
benchmark("REPL session of 1,000 commands", function: session(1000))

Benchmark.main()
