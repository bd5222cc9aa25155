import CORSHTTPTypes
import CORSSimulator
import HTTPTypes
import Testing

@Suite("CORSHTTPTypes: the model as swift-http-types")
struct HTTPTypesConversionTests {
  @Test("HeaderList and HTTPFields convert both ways: order, repeats and names as written kept")
  func fields() throws {
    let fields: HTTPFields = [.contentType: "text/plain", .vary: "Origin", .vary: "Accept"]
    let list = HeaderList(fields)
    #expect(list.map(\.name.rawName) == ["Content-Type", "Vary", "Vary"])
    #expect(list.get("vary") == "Origin, Accept")
    #expect(try HTTPFields(list) == fields)
    let lower: HeaderList = [("x-token", "1")]
    #expect(try HTTPFields(lower).first?.name.rawName == "x-token")
  }

  @Test("a name that is not a token does not become an HTTPField, and the error says which line")
  func invalidName() {
    let list: HeaderList = [("X-Ok", "1"), ("Bad Name", "2")]
    #expect(throws: HeaderConversionError(index: 1, name: "Bad Name")) { try HTTPFields(list) }
  }

  @Test("an HTTPRequest becomes the script's fetch, which the engine judges like any other")
  func scriptRequest() throws {
    let http = HTTPRequest(method: .put, scheme: "https", authority: "api.example", path: "/data?x=1",
                           headerFields: [.contentType: "application/json", .cookie: "a=b"])
    let request = ScriptRequest(http, credentials: .include, body: "{}")
    #expect(request.url == "https://api.example/data?x=1")
    #expect(request.method == .put && request.credentials == .include)
    var sim = Simulator(page: try Page("https://app.example"), server: Server(routes: [
      try Route(HTTPResponse(status: .noContent, headerFields: [
        .accessControlAllowOrigin: "https://app.example", .accessControlAllowMethods: "PUT",
        .accessControlAllowHeaders: "content-type", .accessControlAllowCredentials: "true",
      ]), url: "https://api.example/data?x=1", method: .options),
      try Route(HTTPResponse(status: .ok, headerFields: [
        .accessControlAllowOrigin: "https://app.example", .accessControlAllowCredentials: "true",
      ]), url: "https://api.example/data?x=1"),
    ]))
    let v = sim.fetch(request)
    #expect(v.outcome == .readable)
    #expect(v.notes.contains(.headerForbiddenDropped))  // Cookie: the script cannot set it
    #expect(v.requests.map(\.method) == [.options, .put])
    let relative = ScriptRequest(HTTPRequest(method: .get, scheme: nil, authority: nil, path: "/here"))
    #expect(relative.url == "/here")
  }

  @Test("what went on the wire, and a route, as HTTPRequest and HTTPResponse")
  func wire() throws {
    var sim = Simulator(page: try Page("https://app.example"), server: Server(routes: [
      try Route(url: "https://api.example:8443/a%20b?q#f", headers: ["Access-Control-Allow-Origin": "*"]),
    ]))
    let v = sim.fetch(ScriptRequest(url: "https://api.example:8443/a%20b?q#f"))
    let sent = try #require(HTTPRequest(v.requests[0]))
    #expect(sent.method == .get && sent.scheme == "https" && sent.authority == "api.example:8443")
    #expect(sent.path == "/a%20b?q")
    #expect(sent.headerFields[.origin] == "https://app.example")
    let response = try HTTPResponse(sim.server.routes[0])
    #expect(response.status == .ok && response.headerFields[.accessControlAllowOrigin] == "*")
  }

  @Test("a responder written against HTTPRequest and HTTPResponse answers the simulator")
  func responder() throws {
    let echo = Responder(name: "echo") { (request: HTTPRequest) -> (HTTPResponse, String?)? in
      guard let origin = request.headerFields[.origin] else { return nil }
      return (HTTPResponse(status: .ok, headerFields: [.accessControlAllowOrigin: origin]), "hello")
    }
    var sim = Simulator(page: try Page("https://app.example"), server: Server(responder: echo))
    let v = sim.fetch(ScriptRequest(url: "https://api.example/data"))
    #expect(v.outcome == .readable)
    let same = sim.fetch(ScriptRequest(url: "https://app.example/data"))  // no Origin: the routes answer (404)
    #expect(same.status == 404)
  }
}
