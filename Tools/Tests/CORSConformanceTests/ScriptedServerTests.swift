import CORSScenario
import Testing

@testable import CORSConformance

/// The scripted server on an ephemeral port, spoken to over a raw socket.
@Suite(.serialized) struct ScriptedServerTests {
  static let scenarios = """
    {"id": "dup", "page": "http://app.test:8080/index.html", "steps": [{"url": "http://api.test:8080/data"}, {"url": "http://api.test:8080/data", "method": "PUT"}], "server": [{"method": "OPTIONS", "url": "http://api.test:8080/data", "status": 204, "headers": [["Access-Control-Allow-Origin", "http://app.test:8080"], ["Access-Control-Allow-Methods", "PUT"]]}, {"method": "*", "url": "http://api.test:8080/data", "status": 200, "headers": [["Access-Control-Allow-Origin", "http://app.test:8080"], ["X-Dup", "1"], ["x-dup", "2"], ["X-Odd", "caf\\u00e9  "]], "body": "ok"}, {"method": "*", "url": "http://api.test:8080/fail", "networkError": true}, {"method": "*", "url": "http://api.test:8080/chunked", "headers": [["Transfer-Encoding", "chunked"]], "body": "hello"}]}
    {"id": "second", "page": "http://app.test:8080/index.html", "steps": [{"url": "http://api.test:8080/other"}], "server": [{"method": "*", "url": "http://api.test:8080/other", "status": 418, "headers": []}]}
    """

  /// Starts a server for the plan on a free port and runs `body` with the port.
  func withServer(_ body: (HarnessState, Int) async throws -> Void) async throws {
    let state = HarnessState(plan: ConformancePlan(jsonLines: Self.scenarios))
    let server = ScriptedServer(state: state, tls: nil)
    let ports = try await server.listen(ports: [0])
    do { try await body(state, ports[0]) } catch {
      await server.shutdown()
      throw error
    }
    await server.shutdown()
  }

  @Test("a route's header lines go out exactly: order, duplicates, case, odd bytes, nothing added")
  func exactBytes() async throws {
    try await withServer { _, port in
      let response = try RawHTTP.exchange(port: port, "GET /~corsim/0/data HTTP/1.1\r\nHost: api.test:8080\r\nOrigin: http://app.test:8080\r\n\r\n")
      let expected = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: http://app.test:8080\r\nX-Dup: 1\r\nx-dup: 2\r\nX-Odd: café  \r\n\r\nok"
      #expect(response == Array(expected.utf8))
    }
  }

  @Test("routes match by method: OPTIONS gets the preflight route, with no body after 204")
  func methodMatching() async throws {
    try await withServer { _, port in
      let response = try RawHTTP.exchange(port: port, "OPTIONS /~corsim/0/data HTTP/1.1\r\nHost: api.test:8080\r\nAccess-Control-Request-Method: PUT\r\n\r\n")
      #expect(RawHTTP.text(response) == "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: http://app.test:8080\r\nAccess-Control-Allow-Methods: PUT\r\n\r\n")
    }
  }

  @Test("HEAD gets the route's header lines and no body")
  func head() async throws {
    try await withServer { _, port in
      let response = try RawHTTP.exchange(port: port, "HEAD /~corsim/0/data HTTP/1.1\r\nHost: api.test:8080\r\n\r\n")
      #expect(RawHTTP.text(response).hasSuffix("X-Odd: café  \r\n\r\n"))
    }
  }

  @Test("no matching route: 404 with no header lines at all")
  func notFound() async throws {
    try await withServer { _, port in
      let response = try RawHTTP.exchange(port: port, "GET /~corsim/0/nothing HTTP/1.1\r\nHost: api.test:8080\r\n\r\n")
      #expect(RawHTTP.text(response) == "HTTP/1.1 404 Not Found\r\n\r\n")
    }
  }

  @Test("a networkError route closes the connection without a byte")
  func networkError() async throws {
    try await withServer { _, port in
      let response = try RawHTTP.exchange(port: port, "GET /~corsim/0/fail HTTP/1.1\r\nHost: api.test:8080\r\n\r\n")
      #expect(response.isEmpty)
    }
  }

  @Test("a route that lists Transfer-Encoding: chunked gets its body as one chunk")
  func chunked() async throws {
    try await withServer { _, port in
      let response = try RawHTTP.exchange(port: port, "GET /~corsim/0/chunked HTTP/1.1\r\nHost: api.test:8080\r\n\r\n")
      #expect(RawHTTP.text(response) == "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
    }
  }

  @Test("the log keeps every request as sent, under the scenario's own URL and the step that was marked")
  func requestLog() async throws {
    try await withServer { state, port in
      var settings = state.pageSettings
      settings.run = 7
      state.configurePages(settings)
      _ = try RawHTTP.exchange(port: port, "GET /__corsim/mark?run=7&i=0&k=1 HTTP/1.1\r\nHost: app.test:8080\r\n\r\n")
      _ = try RawHTTP.exchange(port: port, "PUT /~corsim/0/data?q=1 HTTP/1.1\r\nHost: api.test:8080\r\nOrigin: http://app.test:8080\r\nX-A: 1\r\nx-a: 2\r\nContent-Length: 3\r\n\r\nabc")
      // Redirect targets arrive without a prefix: they belong to the scenario playing (a host no scenario
      // names would not: that is the browser's own request).
      _ = try RawHTTP.exchange(port: port, "GET /elsewhere HTTP/1.1\r\nHost: api.test:8081\r\n\r\n")
      let log = state.log
      #expect(log.count == 2)
      #expect(log[0].scenario == 0 && log[0].step == 1)
      #expect(log[0].method == "PUT")
      #expect(log[0].url == "http://api.test:8080/data?q=1")
      #expect(log[0].target == "/~corsim/0/data?q=1")
      #expect(log[0].headers.map(\.name) == ["Host", "Origin", "X-A", "x-a", "Content-Length"])
      #expect(log[0].headers.map(\.value) == ["api.test:8080", "http://app.test:8080", "1", "2", "3"])
      #expect(log[0].bodyLength == 3)
      #expect(log[1].url == "http://api.test:8081/elsewhere" && log[1].scenario == 0 && log[1].step == 1)
    }
  }

  @Test("marks and reports of an earlier run's page are ignored")
  func staleRun() async throws {
    try await withServer { state, port in
      var settings = state.pageSettings
      settings.run = 2
      state.configurePages(settings)
      _ = try RawHTTP.exchange(port: port, "GET /__corsim/mark?run=1&i=1&k=0 HTTP/1.1\r\nHost: app.test:8080\r\n\r\n")
      _ = try RawHTTP.exchange(port: port, "GET /~corsim/1/other HTTP/1.1\r\nHost: api.test:8080\r\n\r\n")
      #expect(state.log.first?.step == -1)
    }
  }

  @Test("a report becomes an event with the parsed steps")
  func report() async throws {
    try await withServer { state, port in
      let r = "%5B%7B%22outcome%22%3A%22readable%22%7D%5D"  // [{"outcome":"readable"}]
      let response = try RawHTTP.exchange(port: port, "GET /__corsim/report?run=0&i=1&r=\(r) HTTP/1.1\r\nHost: app.test:8080\r\n\r\n")
      #expect(RawHTTP.text(response).hasPrefix("HTTP/1.1 200 OK\r\nContent-Type: image/gif\r\n"))
      var events = state.events.makeAsyncIterator()
      guard case .report(let p, let steps)? = await events.next() else {
        Issue.record("no report event")
        return
      }
      #expect(p == 1)
      #expect(steps == .array([.object([("outcome", .string("readable"))])]))
    }
  }

  @Test("the runner page is served under the page's origin with the scenario's steps")
  func runnerPage() async throws {
    try await withServer { _, port in
      let page = RawHTTP.text(try RawHTTP.exchange(port: port, "GET /__corsim/page/1 HTTP/1.1\r\nHost: app.test:8080\r\n\r\n"))
      #expect(page.hasPrefix("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"))
      #expect(page.contains("http://api.test:8080/~corsim/1/other"))
    }
  }
}
