import Testing
@testable import CORSSimulator

/// A server scans a few routes and indexes many (`Server.indexedFrom`): both must answer as the rule says — the
/// first route in order whose URL matches and whose method is the request's or any — before and after routes
/// are added, inserted, replaced and removed across the threshold.
@Suite("Server: the route that answers, scanned or indexed")
struct ServerRouteLookupTests {
  static let methods: [Method?] = [nil, "GET", "PUT", "OPTIONS"]
  static let urls = ["https://api.example/a", "https://api.example/b", "https://api.example/c#frag"]

  /// The rule, written out.
  func expected(_ routes: [Route], _ method: Method, _ url: URLRecord) -> Int? {
    routes.firstIndex { ($0.method == nil || $0.method == method) && $0.url.hrefWithoutFragment == url.hrefWithoutFragment }
  }

  func check(_ server: Server, _ note: String) {
    for method: Method in ["GET", "PUT", "OPTIONS", "DELETE"] {
      for text in Self.urls {
        let url = try! URLRecord(text)
        #expect(server.respond(method: method, url: url).routeIndex == expected(server.routes, method, url),
                "\(note): \(method) \(text) among \(server.routes.count) routes")
      }
    }
  }

  func route(_ k: Int) -> Route {
    // A varied but fixed sequence of methods and URLs, with repeats, so that earlier routes shadow later ones.
    try! Route(method: Self.methods[(k * 7 + 3) % 4], url: Self.urls[(k * 5 + 1) % 3], status: 200 + k)
  }

  @Test("from 0 to 20 routes, built at once or one by one, then inserted, replaced and removed")
  func lookups() throws {
    for n in 0...20 {
      let routes = (0..<n).map(route)
      check(Server(routes: routes), "built with \(n)")
      var grown = Server()
      for r in routes { grown.addRoute(r) }
      check(grown, "grown to \(n)")
      if n > 0 {
        var changed = grown
        changed.insertRoute(route(n + 1), at: n / 2)
        check(changed, "inserted into \(n)")
        changed.replaceRoute(at: 0, with: route(n + 2))
        check(changed, "replaced in \(n + 1)")
        var removed = changed
        while !changed.routes.isEmpty {
          changed.removeRoute(at: changed.routes.count / 2)
          check(changed, "removed down to \(changed.routes.count)")
        }
        // The last one, again and again (a session's undo): its index entries go, the others stand.
        while !removed.routes.isEmpty {
          removed.removeRoute(at: removed.routes.count - 1)
          check(removed, "the last removed, down to \(removed.routes.count)")
          removed.addRoute(route(removed.routes.count + 3))
          check(removed, "one added back, \(removed.routes.count)")
          removed.removeRoute(at: removed.routes.count - 1)
          if !removed.routes.isEmpty { removed.removeRoute(at: removed.routes.count - 1) }
          check(removed, "the last two removed, down to \(removed.routes.count)")
        }
      }
    }
  }
}
