import CORSSimulator

/// Who a resource is meant to be read by, cross-origin: what the audit judges every answer against.
public enum AuditIntent: String, Sendable, Hashable, CaseIterable, Codable {
  /// Only the allowlist's origins (with or without credentials). An empty allowlist: no cross-origin reader
  /// at all, so any origin that can read is a finding — `*` included.
  case allowlist
  /// Anyone may read without credentials (open data, a public API meant for `*`); the allowlist's origins,
  /// if any, may also read with credentials. Only credentialed reads by others, internal exposure and
  /// availability problems are findings.
  case publicReads = "public"
}

/// A server audited where it runs (`http://127.0.0.1:8080`) but judged as the API it will be
/// (`https://api.example.com`): the engine decides as if the resource lived at the deployed origin — its
/// scheme (mixed content, `Secure` cookies), its address space (public or private), its site — while every
/// request is sent to the served origin. `Location` headers that name the served origin are read as naming
/// the deployed one, so a redirect stays on the deployed API.
public struct DeployedAs: Sendable, Hashable {
  /// The origin the decisions assume.
  public var deployed: Origin
  /// The origin the requests go to.
  public var servedAt: Origin

  /// Maps between the two.
  public init(deployed: Origin, servedAt: Origin) {
    self.deployed = deployed
    self.servedAt = servedAt
  }

  /// Reads `--deployed-as`: an http(s) origin (a path, query or fragment is refused: the resource's path
  /// comes from the URL audited).
  public static func origin(_ text: String) throws(PolicyFileError) -> Origin {
    guard let url = try? URLRecord(text), url.isHTTPScheme, url.host != nil else {
      throw PolicyFileError("deployedAs: '\(text)' is not an http(s) origin such as https://api.example.com")
    }
    guard url.pathString == "/" || url.pathString.isEmpty, url.query == nil, url.fragment == nil, !url.includesCredentials else {
      throw PolicyFileError("deployedAs: '\(text)' has a path, query, fragment or credentials; give only the origin (https://api.example.com)")
    }
    return url.origin
  }

  /// A URL at one origin moved to another, path and query kept.
  static func move(_ url: URLRecord, from: Origin, to: Origin) -> URLRecord {
    guard url.origin.isSameOrigin(from), case .tuple(let scheme, let host, let port) = to else { return url }
    return url.replacing(scheme: scheme, host: host, port: .some(port))
  }

  /// Where a served URL is judged: the same path and query at the deployed origin.
  public func judged(_ url: URLRecord) -> URLRecord { DeployedAs.move(url, from: servedAt, to: deployed) }

  /// The request as it is sent: to the served origin when it was for the deployed one.
  public func toServed(_ request: ServerRequest) -> ServerRequest {
    var r = request
    r.url = DeployedAs.move(request.url, from: deployed, to: servedAt)
    return r
  }

  /// The answer's header lines as the deployed API would send them: a `Location` that names the served origin
  /// names the deployed one.
  public func toDeployed(_ headers: HeaderList) -> HeaderList {
    guard headers.contains(.location) else { return headers }
    return HeaderList(headers.map { field in
      guard field.name == .location, let target = try? URLRecord(field.value), target.origin.isSameOrigin(servedAt) else { return field }
      return HeaderField(field.name, DeployedAs.move(target, from: servedAt, to: deployed).href, setBy: field.setBy)
    })
  }

  /// A server reached at the served origin, answering as the deployed one.
  public func wrap(_ server: AsyncResponder) -> AsyncResponder {
    let map = self
    return AsyncResponder(name: server.name) { request in
      var answer = await server.respond(map.toServed(request))
      answer.headers = map.toDeployed(answer.headers)
      return answer
    }
  }
}

extension PolicyDocument {
  /// The resource as the audit judges it: at `deployedAs` when the document names one.
  public var judgedResource: URLRecord {
    guard let deployed = deployedAs else { return resource }
    return DeployedAs(deployed: deployed.origin, servedAt: resource.origin).judged(resource)
  }

  /// Who is meant to read: `public: true`, else the allowlist (`allow:`, or the policy's rules read
  /// literally), where a policy whose only rule is `*` means a public resource.
  public var intent: AuditIntent {
    if let publicReads { return publicReads ? .publicReads : .allowlist }
    if allow != nil { return .allowlist }
    let literal = Allowlist(policy: policy)
    let anyOrigin = policy.origins.contains(.any) || policy.fixedAllowOrigin == "*"
    return literal.isEmpty && anyOrigin ? .publicReads : .allowlist
  }
}

extension PolicyDocument {
  /// How the document's server answers one request: the policy, behind the document's proxy when it has one.
  public var answerFunction: @Sendable (ServerRequest) -> Route {
    let policy = policy
    guard let proxy else { return { policy.answer($0) } }
    return { request in proxy.answer(request) { policy.answer($0) } }
  }
}

extension ServerRequest {
  /// Reads a request as a person writes it to hold a model against `curl -si`:
  /// `PUT https://api.example.com/data Origin: https://app.example.com Content-Type: application/json`. A word
  /// ending in `:` starts a header and the words up to the next one are its value. An `OPTIONS` with `Origin`
  /// and `Access-Control-Request-Method` is a preflight; a `Cookie` line means credentials.
  public init(commandLine text: String) throws(PolicyFileError) {
    var words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
    guard words.count >= 2 else {
      throw PolicyFileError("a request is `METHOD URL [Name: value]…`, e.g. 'PUT https://api.example.com/data Origin: https://app.example.com'")
    }
    let method = words.removeFirst()
    guard !method.isEmpty, method.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "!#$%&'*+-.^_`|~".contains($0)) }) else {
      throw PolicyFileError("`\(method)` is not a method")
    }
    let urlText = words.removeFirst()
    guard let url = try? URLRecord(urlText), url.isHTTPScheme else { throw PolicyFileError("`\(urlText)` is not an absolute http(s) URL") }
    var headers = HeaderList()
    var name: String?
    var value: [String] = []
    func flush() throws(PolicyFileError) {
      guard let n = name else {
        if !value.isEmpty { throw PolicyFileError("`\(value.joined(separator: " "))` is not a header: write `Name: value`") }
        return
      }
      headers.append(HeaderField(HeaderName(n), value.joined(separator: " ")))
    }
    for w in words {
      if w.hasSuffix(":"), w.count > 1, w.dropLast().allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_".contains($0)) }) {
        try flush()
        name = String(w.dropLast())
        value = []
      } else {
        value.append(w)
      }
    }
    try flush()
    let preflight = method == "OPTIONS" && headers.contains(.origin) && headers.contains(HeaderName("Access-Control-Request-Method"))
    self.init(method: Method(method), url: url.withoutFragment, headers: headers, isPreflight: preflight,
              includesCredentials: headers.contains(HeaderName("Cookie")))
  }
}

extension Route {
  /// The answer as `curl -si` prints it: the status line, the header lines in order, a blank line, the body.
  public var httpText: String {
    var out = "HTTP/1.1 \(status) \(Route.reasonPhrase(status))\r\n"
    for f in headers { out += "\(f.name.rawName): \(f.value)\r\n" }
    return out + "\r\n" + (body ?? "")
  }

  static func reasonPhrase(_ status: Int) -> String {
    switch status {
    case 200: return "OK"
    case 201: return "Created"
    case 204: return "No Content"
    case 301: return "Moved Permanently"
    case 302: return "Found"
    case 304: return "Not Modified"
    case 307: return "Temporary Redirect"
    case 400: return "Bad Request"
    case 401: return "Unauthorized"
    case 403: return "Forbidden"
    case 404: return "Not Found"
    case 405: return "Method Not Allowed"
    case 500: return "Internal Server Error"
    default: return ""
    }
  }
}
