import CORSJSON
import CORSSimulator

/// One endpoint of an API under audit: a URL and the requests the frontend makes to it.
public struct Endpoint: Sendable, Hashable {
  /// The resource, with its path parameters filled in.
  public var url: URLRecord
  /// The path as the API describes it (`/users/{id}`), or the URL's path.
  public var path: String
  /// The requests made to it: one per operation (method, the headers its parameters and security need,
  /// credentials when it authenticates with a cookie).
  public var requests: [AuditRequest]
  /// Where it was read (`openapi.yaml#/paths/~1users~1{id}`, `frontend.har entry 12`), for reports.
  public var source: String

  /// Creates an endpoint.
  public init(url: URLRecord, path: String, requests: [AuditRequest], source: String) {
    self.url = url
    self.path = path
    self.requests = requests
    self.source = source
  }

  /// `GET PUT /users/{id}`.
  public var label: String { requests.map(\.method.rawValue).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }.joined(separator: " ") + " " + path }

  /// The same endpoint at another origin (`--base`): path and query kept.
  public func rebased(at base: URLRecord) -> Endpoint {
    var e = self
    let basePath = base.pathString.hasSuffix("/") ? String(base.pathString.dropLast()) : base.pathString
    if let moved = try? URLRecord(base.origin.serialization + basePath + url.pathAndQuery) { e.url = moved }
    return e
  }
}

/// Reads the endpoints of an OpenAPI 3 document (YAML or JSON): every path and method, path parameters
/// filled from their examples or defaults, the headers and credentials each operation's parameters,
/// request body and security scheme make the frontend send.
///
/// What is read, per OpenAPI 3.0/3.1: `servers[0].url` (with its variables' defaults) when no base is given;
/// `paths` and each path item's operations (`get`, `put`, `post`, `delete`, `options`, `head`, `patch`,
/// `trace`) with path-level and operation-level `parameters` (an operation's override the path's by name and
/// place); local `$ref`s (`#/components/parameters/…`, `#/components/pathItems/…`,
/// `#/components/securitySchemes/…`, `#/components/requestBodies/…`). A parameter's value is its `example`,
/// the first of its `examples`, its schema's `example`, `examples[0]`, `default` or `enum[0]`, else a value
/// of its type (`1` for integers, a UUID for `format: uuid`, a date for `date`, `example` otherwise).
/// Required query parameters are added; `in: header` parameters become request headers (`X-Api-Key`), and
/// `in: cookie` ones credentials. A request body's first media type becomes `Content-Type`. Security
/// (the operation's, else the document's; the first alternative): `http` bearer or basic, `oauth2` and
/// `openIdConnect` send `Authorization`; `apiKey` in a header sends that header, in a cookie credentials, in
/// the query a query parameter.
public struct OpenAPIDocument: Sendable {
  /// The document's own base URL (`servers[0].url`, variables filled), when it has an absolute one.
  public var serverURL: String?
  /// Every endpoint, in document order.
  public var endpoints: [Endpoint]
  /// What was assumed or skipped.
  public var notes: [String]

  static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

  /// Reads a document. `base` (an http(s) URL) replaces `servers[0].url`; one of the two must give an
  /// absolute URL. `name` is the file's name, for `source`.
  public init(text: String, base: String? = nil, name: String = "openapi") throws(PolicyFileError) {
    let root: JSONValue
    do { root = try JSONValue.parsePolicy(text) } catch { throw PolicyFileError("\(name): \(error.message)") }
    guard case .object = root else { throw PolicyFileError("\(name): an OpenAPI document is a mapping (openapi:, paths:…)") }
    guard case .string(let version)? = root["openapi"], version.hasPrefix("3.") else {
      if root["swagger"] != nil {
        throw PolicyFileError("\(name): a Swagger 2.0 document; corsim reads OpenAPI 3 (convert it, e.g. with swagger2openapi)")
      }
      throw PolicyFileError("\(name): not an OpenAPI 3 document (no `openapi: 3.x`)")
    }
    notes = []
    serverURL = OpenAPIDocument.serverURL(root)
    let baseText = base ?? serverURL
    guard let baseText, let baseURL = try? URLRecord(baseText), baseURL.isHTTPScheme else {
      throw PolicyFileError(base == nil
        ? "\(name): servers[0].url is not an absolute http(s) URL (\(serverURL ?? "none")): give --base https://…"
        : "--base \(base!): not an http(s) URL")
    }
    let basePath = baseURL.pathString.hasSuffix("/") ? String(baseURL.pathString.dropLast()) : baseURL.pathString
    guard case .object(let paths)? = root["paths"] else { throw PolicyFileError("\(name): no `paths:`") }
    var out: [Endpoint] = []
    for (path, rawItem) in paths {
      guard path.hasPrefix("/") else {
        notes.append("paths.\(path): not a path (it does not start with /); skipped")
        continue
      }
      let item = OpenAPIDocument.resolve(rawItem, in: root)
      let shared = OpenAPIDocument.parameters(item["parameters"], in: root)
      var requests: [AuditRequest] = []
      var values: [String: String] = [:]
      var query: [(String, String)] = []
      for method in OpenAPIDocument.methods {
        guard let op = item[method].map({ OpenAPIDocument.resolve($0, in: root) }) else { continue }
        var parameters = shared
        for p in OpenAPIDocument.parameters(op["parameters"], in: root) {
          parameters.removeAll { $0.name == p.name && $0.place == p.place }
          parameters.append(p)
        }
        var request = AuditRequest(method: Method(method.uppercased()))
        for p in parameters {
          switch p.place {
          case "path": if values[p.name] == nil { values[p.name] = p.value }
          case "query": if p.required, !query.contains(where: { $0.0 == p.name }) { query.append((p.name, p.value)) }
          case "header":
            // Headers a browser sets itself, or that the Fetch standard forbids to script, are not the frontend's.
            if !OpenAPIDocument.browserOwned(p.name) { request.headers.append(HeaderField(HeaderName(p.name), p.value)) }
          case "cookie": request.credentials = .include
          default: break
          }
        }
        if let body = op["requestBody"].map({ OpenAPIDocument.resolve($0, in: root) }), case .object(let media)? = body["content"],
           let first = media.first?.0 {
          request.headers.append(HeaderField(.contentType, first.contains("*") ? "application/octet-stream" : first))
          request.body = "{}"
        }
        for need in OpenAPIDocument.security(op["security"] ?? root["security"], in: root) {
          switch need {
          case .header(let n, let v): if !request.headers.contains(HeaderName(n)) { request.headers.append(HeaderField(HeaderName(n), v)) }
          case .cookie: request.credentials = .include
          case .query(let n): if !query.contains(where: { $0.0 == n }) { query.append((n, "key")) }
          }
        }
        requests.append(request)
      }
      guard !requests.isEmpty else { continue }
      let filled = OpenAPIDocument.fill(path, values)
      let q = query.isEmpty ? "" : "?" + query.map { "\(OpenAPIDocument.percentEncode($0.0))=\(OpenAPIDocument.percentEncode($0.1))" }.joined(separator: "&")
      guard let url = try? URLRecord(baseURL.origin.serialization + basePath + filled + q) else {
        notes.append("paths.\(path): \(filled) does not make a URL; skipped")
        continue
      }
      out.append(Endpoint(url: url, path: path, requests: requests,
                          source: "\(name)#/paths/" + path.replacingAll("~", with: "~0").replacingAll("/", with: "~1")))
    }
    endpoints = out
    if out.isEmpty { throw PolicyFileError("\(name): no operation under `paths:`") }
  }

  /// `servers[0].url` with its variables' defaults.
  static func serverURL(_ root: JSONValue) -> String? {
    guard case .array(let servers)? = root["servers"], let first = servers.first, case .string(var url)? = first["url"] else { return nil }
    if case .object(let variables)? = first["variables"] {
      for (name, v) in variables {
        if case .string(let d)? = v["default"] { url = url.replacingAll("{\(name)}", with: d) }
      }
    }
    return url
  }

  /// A local `$ref` resolved (a few levels deep, so a cycle ends); anything else as it is.
  static func resolve(_ value: JSONValue, in root: JSONValue) -> JSONValue {
    var v = value
    for _ in 0..<8 {
      guard case .string(let ref)? = v["$ref"], ref.hasPrefix("#/") else { return v }
      var target: JSONValue? = root
      for part in ref.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
        let key = String(part).replacingAll("~1", with: "/").replacingAll("~0", with: "~")
        target = target?[key]
      }
      guard let found = target else { return v }
      v = found
    }
    return v
  }

  struct Parameter {
    var name: String
    var place: String
    var required: Bool
    var value: String
  }

  static func parameters(_ list: JSONValue?, in root: JSONValue) -> [Parameter] {
    guard case .array(let items)? = list else { return [] }
    return items.compactMap { raw in
      let p = resolve(raw, in: root)
      guard case .string(let name)? = p["name"], case .string(let place)? = p["in"] else { return nil }
      let required: Bool = { if case .bool(let b)? = p["required"] { return b } else { return place == "path" } }()
      return Parameter(name: name, place: place, required: required, value: exampleValue(p, in: root))
    }
  }

  /// A parameter's value: its example, its schema's example, default or first enum value, else one of its type.
  static func exampleValue(_ p: JSONValue, in root: JSONValue) -> String {
    func text(_ v: JSONValue?) -> String? {
      switch v {
      case .string(let s)?: return s
      case .number(let n)?: return n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
      case .bool(let b)?: return String(b)
      default: return nil
      }
    }
    if let e = text(p["example"]) { return e }
    if case .object(let examples)? = p["examples"], let first = examples.first {
      if let e = text(resolve(first.1, in: root)["value"]) { return e }
    }
    let schema = p["schema"].map { resolve($0, in: root) }
    if let e = text(schema?["example"]) { return e }
    if case .array(let list)? = schema?["examples"], let e = text(list.first) { return e }
    if let e = text(schema?["default"]) { return e }
    if case .array(let list)? = schema?["enum"], let e = text(list.first) { return e }
    let type: String? = {
      switch schema?["type"] {
      case .string(let t)?: return t
      case .array(let ts)?: return ts.compactMap { if case .string(let t) = $0, t != "null" { return t } else { return nil } }.first
      default: return nil
      }
    }()
    let format: String? = { if case .string(let f)? = schema?["format"] { return f } else { return nil } }()
    switch (type, format) {
    case ("integer", _), ("number", _): return "1"
    case ("boolean", _): return "true"
    case (_, "uuid"?): return "3fa85f64-5717-4562-b3fc-2c963f66afa6"
    case (_, "date"?): return "2024-01-01"
    case (_, "date-time"?): return "2024-01-01T00:00:00Z"
    case (_, "email"?): return "user@example.com"
    default: return "example"
    }
  }

  enum SecurityNeed { case header(String, String), cookie, query(String) }

  /// What the first security requirement makes the frontend send.
  static func security(_ value: JSONValue?, in root: JSONValue) -> [SecurityNeed] {
    guard case .array(let alternatives)? = value, let first = alternatives.first, case .object(let schemes) = first else { return [] }
    var out: [SecurityNeed] = []
    for (name, _) in schemes {
      let scheme = resolve(root["components"]?["securitySchemes"]?[name] ?? .null, in: root)
      guard case .string(let type)? = scheme["type"] else { continue }
      switch type.lowercased() {
      case "http":
        let kind: String = { if case .string(let s)? = scheme["scheme"] { return s.lowercased() } else { return "bearer" } }()
        out.append(.header("Authorization", kind == "basic" ? "Basic dXNlcjpwYXNz" : "Bearer token"))
      case "oauth2", "openidconnect":
        out.append(.header("Authorization", "Bearer token"))
      case "apikey":
        guard case .string(let keyName)? = scheme["name"], case .string(let place)? = scheme["in"] else { continue }
        switch place {
        case "header": if !browserOwned(keyName) { out.append(.header(keyName, "key")) }
        case "cookie": out.append(.cookie)
        case "query": out.append(.query(keyName))
        default: break
        }
      default: break  // mutualTLS: the browser's business
      }
    }
    return out
  }

  /// Header names the browser sets itself (the Fetch standard's forbidden request-header names, and the
  /// headers every request carries anyway): never part of what the frontend's script sends.
  static func browserOwned(_ name: String) -> Bool {
    let n = name.lowercased()
    if n.hasPrefix("sec-") || n.hasPrefix("proxy-") { return true }
    return ["accept-charset", "accept-encoding", "access-control-request-headers", "access-control-request-method",
            "connection", "content-length", "cookie", "cookie2", "date", "dnt", "expect", "host", "keep-alive", "origin",
            "referer", "set-cookie", "te", "trailer", "transfer-encoding", "upgrade", "via", "user-agent"].contains(n)
  }

  /// `/users/{id}` with `id` filled (a missing value becomes `1`), each value percent-encoded.
  static func fill(_ path: String, _ values: [String: String]) -> String {
    var out = ""
    var rest = Substring(path)
    while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
      out += rest[..<open]
      let name = String(rest[rest.index(after: open)..<close])
      out += percentEncode(values[name] ?? "1")
      rest = rest[rest.index(after: close)...]
    }
    return out + rest
  }

  /// Percent-encodes what is not unreserved (RFC 3986 §2.3).
  static func percentEncode(_ s: String) -> String {
    var out = ""
    for byte in s.utf8 {
      let c = Character(Unicode.Scalar(byte))
      if c.isASCII && (c.isLetter || c.isNumber || "-._~".contains(c)) { out.append(c) } else { out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(2) }
    }
    return out
  }
}

extension String {
  func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
