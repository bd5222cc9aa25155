// The samples in CORSSimulator's doc comments, between `// sample begin` and `// sample end`.
import CORSSimulator
import Testing

@Suite("The doc comments' samples compile and say what their comments say")
struct DocCommentSampleTests {
  @Test("Simulator: one decision")
  func simulator() throws {
    // sample begin
    var sim = Simulator(profile: .chromium, page: try Page("https://app.example"),
                        server: Server(routes: [try Route(url: "https://api.example/data",
                                                          headers: ["Access-Control-Allow-Origin": "*"])]))
    let verdict = sim.fetch(ScriptRequest(url: "https://api.example/data"))
    let outcome = verdict.outcome  // .readable
    // sample end
    #expect(outcome == .readable)
  }

  @Test("Route: a preflight's answer")
  func route() throws {
    // sample begin
    let preflight = try Route(method: .options, url: "https://api.example/data", status: 204,
                              headers: ["Access-Control-Allow-Origin": "https://app.example",
                                        "Access-Control-Allow-Methods": "PUT"])
    // sample end
    #expect(preflight.method == .options && preflight.status == 204 && preflight.headers.count == 2)
  }

  @Test("ScriptRequest: the common options, then the rest as properties")
  func scriptRequest() {
    // sample begin
    var put = ScriptRequest(url: "https://api.example/data", method: .put,
                            headers: ["Content-Type": "application/json"], credentials: .include, body: "{}")
    put.redirect = .manual
    // sample end
    #expect(put.method == .put && put.credentials == .include && put.redirect == .manual)
  }

  @Test("HeaderList: a dictionary literal, or pairs when a name repeats")
  func headerList() {
    // sample begin
    let json: HeaderList = ["Content-Type": "application/json", "X-Request-ID": "7"]
    let twice: HeaderList = [("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Origin", "*")]
    // sample end
    #expect(json.count == 2 && twice.count == 2)
    #expect(twice.get(.accessControlAllowOrigin) == "*, *")
  }
}
