import CORSSimulator
import Testing
@testable import CORSScenario

/// Where a string's bytes are stored (nil for a small string, held inline): two strings at the same address are
/// one copy.
private func storage(_ s: String) -> UnsafeRawPointer? {
  s.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
}

/// Where a header list's lines are stored.
private func storage(_ h: HeaderList) -> UnsafeRawPointer? {
  h.fields.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
}

@Suite("A parsed file keeps one copy of what it repeats (the memory of a 10,000-step file)")
struct SharedValuesTests {
  // Two URLs, each with an OPTIONS route and a PUT route; the PUT routes' blocks are the same lines, and so are
  // the requests' (as a generated file of thousands of steps writes them: Scripts/memory-scenarios).
  let document = try! ScenarioBuilder.parse("page https://app.example/index.html\n\n" + (0..<2).map { k in
    """
    route OPTIONS https://api.example/items/0000\(k) 204
      Access-Control-Allow-Origin: https://app.example
      Access-Control-Allow-Methods: PUT
      Access-Control-Allow-Headers: x-token
    route PUT https://api.example/items/0000\(k) 200
      Access-Control-Allow-Origin: https://app.example

    fetch PUT https://api.example/items/0000\(k)
      X-Token: a-token-long-enough-to-be-stored-apart


    """
  }.joined())

  @Test("a block of header lines written again is stored once: routes' and requests' alike")
  func headerBlocks() {
    let routes = document.scenario.server.routes
    #expect(routes.count == 4)
    #expect(storage(routes[1].headers) != nil)
    #expect(storage(routes[1].headers) == storage(routes[3].headers), "the two PUT routes' blocks")
    #expect(storage(routes[0].headers) == storage(routes[2].headers), "the two OPTIONS routes' blocks")
    let steps = document.scenario.steps
    #expect(storage(steps[0].request.headers) == storage(steps[1].request.headers))
  }

  @Test("a header name and a value written again are one copy, in different blocks")
  func namesAndValues() {
    let options = document.scenario.server.routes[0].headers, put = document.scenario.server.routes[1].headers
    #expect(options[0].name.rawName == "Access-Control-Allow-Origin")
    #expect(storage(options[0].name.rawName) != nil)
    #expect(storage(options[0].name.rawName) == storage(put[0].name.rawName))
    #expect(storage(options[0].name.canonicalName) == storage(put[0].name.canonicalName))
    #expect(storage(options[0].value) == storage(put[0].value))
  }

  @Test("the routes for one URL share its record, and a request for it shares its text")
  func urls() {
    let routes = document.scenario.server.routes
    #expect(storage(routes[0].url.href) != nil)
    #expect(storage(routes[0].url.href) == storage(routes[1].url.href))
    #expect(storage(routes[0].url.href) != storage(routes[2].url.href))
    #expect(storage(document.scenario.steps[1].request.url) == storage(routes[2].url.href))
  }

  @Test("what is shared is only what is the same byte for byte: a name's case, a value, a URL's parts")
  func onlyTheSame() throws {
    let d = try ScenarioBuilder.parse("""
      page https://app.example/index.html
      route GET https://api.example/a
        Access-Control-Allow-Origin: https://app.example
      route GET https://api.example/b
        access-control-allow-origin: https://app.example
      route GET https://api.example/c
        Access-Control-Allow-Origin: https://app.example/
      route GET https://api.example/a?
        Access-Control-Allow-Origin: https://app.example
      """)
    let routes = d.scenario.server.routes
    #expect(routes.map { $0.headers[0].name.rawName } == ["Access-Control-Allow-Origin", "access-control-allow-origin",
                                                          "Access-Control-Allow-Origin", "Access-Control-Allow-Origin"])
    #expect(routes.map { $0.headers[0].value } == ["https://app.example", "https://app.example", "https://app.example/",
                                                   "https://app.example"])
    #expect(storage(routes[0].headers) != storage(routes[1].headers))
    #expect(storage(routes[0].headers) != storage(routes[2].headers))
    #expect(storage(routes[0].headers) == storage(routes[3].headers))
    #expect(routes[3].url.href == "https://api.example/a?" && routes[3].url.query == "")
    #expect(routes[0].url.query == nil)
    // The file prints back as written.
    let again = try ScenarioBuilder.parse(ScenarioPrinter.print(d))
    #expect(again.scenario == d.scenario)
    #expect(again.scenario.server.routes.map { $0.headers[0].name.rawName } == routes.map { $0.headers[0].name.rawName })
  }

  @Test("sharing a closed block's lines is no change a session re-runs anything for")
  func noChange() throws {
    let builder = ScenarioBuilder()
    for (n, line) in ["page https://app.example", "route GET https://api.example/a", "  Access-Control-Allow-Origin: *", "",
                      "fetch https://api.example/a", "  X-Token: t"].enumerated() {
      try builder.feed(line, lineNumber: n + 1)
    }
    _ = builder.takeChanges()
    try builder.feed("route GET https://api.example/b", lineNumber: 7)  // closes the request's block
    #expect(builder.takeChanges() == ScenarioBuilder.Changes(world: true, firstStep: nil, routeURLs: ["https://api.example/b"]),
            "the route, not the request")
    try builder.feed("  Access-Control-Allow-Origin: *", lineNumber: 8)
    _ = builder.takeChanges()
    try builder.feed("", lineNumber: 9)  // closes the route's block: its lines are those of the first route
    #expect(builder.takeChanges() == ScenarioBuilder.Changes(world: false, firstStep: nil))
    #expect(storage(builder.server.routes[0].headers) == storage(builder.server.routes[1].headers))
  }

  @Test("a route written again replaces the earlier one; the block the earlier one shared stays with the other route")
  func replaced() throws {
    let builder = ScenarioBuilder()
    let lines = [
      "page https://app.example", "route GET https://api.example/a", "  Access-Control-Allow-Origin: *", "",
      "route GET https://api.example/b", "  Access-Control-Allow-Origin: *", "",
      "route GET https://api.example/a", "  Access-Control-Allow-Origin: *", "  X-Extra: 1", "",
    ]
    for (n, line) in lines.enumerated() { try builder.feed(line, lineNumber: n + 1) }
    try builder.finish(lineNumber: lines.count)
    let routes = builder.document.scenario.server.routes
    #expect(routes.map(\.url.href) == ["https://api.example/a", "https://api.example/b"])
    #expect(routes.map(\.headers.count) == [2, 1])
    #expect(routes[1].headers[0].value == "*")
  }
}
