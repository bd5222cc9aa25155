#if !HTTPTypesConversions
#error("CORSHTTPTypes needs corsim's trait HTTPTypesConversions (on by default): .package(url: …, traits: [\"HTTPTypesConversions\"])")
#else
import CORSSimulator
import HTTPTypes

// Conversions between corsim's model and swift-http-types, for code that already speaks `HTTPRequest`,
// `HTTPResponse` and `HTTPFields` (a server framework's middleware, an HTTP client). They live in their own
// product so that `CORSSimulator` depends on nothing.
//
// What does not fit is said, not guessed: `HTTPFields` accepts only valid field names, so a header list with
// an invalid name (which a script may pass, to see the browser's TypeError) does not convert.

extension HeaderList {
  /// The lines of `fields`, in order, names as written.
  public init(_ fields: HTTPFields) {
    self.init(fields.map { HeaderField(HeaderName($0.name.rawName), $0.value) })
  }
}

/// A header line that `HTTPFields` cannot hold: its name is not a token.
public struct HeaderConversionError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The line's position in the list.
  public var index: Int
  /// The name as written.
  public var name: String

  /// Creates an error for the line at `index`.
  public init(index: Int, name: String) {
    self.index = index
    self.name = name
  }

  public var description: String { "header line \(index + 1): '\(name)' is not a valid field name (a token)" }
}

extension HTTPFields {
  /// The lines of `headers`, in order; a line whose name is not a token cannot be an `HTTPField`.
  /// (`HTTPField` makes a value with a CR, LF or NUL legal by replacing those bytes with spaces.)
  public init(_ headers: HeaderList) throws(HeaderConversionError) {
    self.init()
    for (index, field) in headers.enumerated() {
      guard let name = HTTPField.Name(field.name.rawName) else {
        throw HeaderConversionError(index: index, name: field.name.rawName)
      }
      append(HTTPField(name: name, value: field.value))
    }
  }
}

extension ScriptRequest {
  /// The `fetch()` a script would make for `request`: its method, its URL (scheme, authority and path; a
  /// request without scheme and authority is a URL relative to the page), its header fields as author headers.
  /// The engine judges them as the browser would: `Host`, `Cookie` and the other forbidden request-headers are
  /// dropped (`header-forbidden-dropped`). Credentials, mode and body are the script's to say: set them.
  public init(_ request: HTTPRequest, credentials: Credentials? = nil, mode: Mode? = nil, body: RequestBody? = nil) {
    var url = request.path ?? "/"
    if let authority = request.authority { url = "//" + authority + url }
    if let scheme = request.scheme { url = scheme + ":" + url }
    self.init(url: url, method: Method(request.method.rawValue), headers: HeaderList(request.headerFields),
              credentials: credentials, mode: mode, body: body)
  }
}

extension Route {
  /// The route that answers `method` (nil: any) at `url` with `response`'s status and header fields.
  public init(_ response: HTTPResponse, url: String, method: Method? = nil, body: String? = nil)
    throws(URLParseError) {
    try self.init(method: method, url: url, status: response.status.code, headers: HeaderList(response.headerFields),
                  body: body)
  }
}

extension HTTPRequest {
  /// The request as it reaches the server (a responder's view), with the URL's scheme, authority and path.
  /// Nil when the method is not a token or a line's name is not a field name (neither happens for what the
  /// engine puts on the wire: it refuses both before any request).
  public init?(_ request: ServerRequest) {
    guard let method = HTTPRequest.Method(request.method.rawValue),
          let fields = try? HTTPFields(request.headers) else { return nil }
    self.init(method, request.url, fields)
  }

  /// A request the engine put on the wire, as `HTTPRequest` (see `init(_: ServerRequest)`).
  public init?(_ request: WireRequest) {
    guard let method = HTTPRequest.Method(request.method.rawValue),
          let fields = try? HTTPFields(request.headers) else { return nil }
    self.init(method, request.url, fields)
  }

  init(_ method: Method, _ url: URLRecord, _ headerFields: HTTPFields) {
    let wire = url.onTheWire
    let authority = wire.host.map { $0.serialized + (wire.port.map { ":\($0)" } ?? "") }
    self.init(method: method, scheme: wire.scheme, authority: authority,
              path: wire.pathString + (wire.query.map { "?" + $0 } ?? ""), headerFields: headerFields)
  }
}

extension HTTPResponse {
  /// A route's status and header lines, as `HTTPResponse` (throws for a line whose name is not a token).
  public init(_ route: Route) throws(HeaderConversionError) {
    self.init(status: HTTPResponse.Status(code: route.status), headerFields: try HTTPFields(route.headers))
  }
}

extension Responder {
  /// A responder written against swift-http-types: it sees each request as `HTTPRequest` and answers with an
  /// `HTTPResponse` (and an optional body), or nil to let the routes answer.
  public init(name: String = "responder", http answer: @escaping @Sendable (HTTPRequest) -> (HTTPResponse, String?)?) {
    self.init(name: name) { request in
      guard let http = HTTPRequest(request), let (response, body) = answer(http) else { return nil }
      return Route(method: request.method, url: request.url, status: response.status.code,
                   headers: HeaderList(response.headerFields), body: body)
    }
  }
}
#endif
