import CORSSimulator

/// A request a page's script makes to the resource under audit: method, author headers, body, credentials
/// and mode, typed as a ``ScriptRequest``'s are.
public struct AuditRequest: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The method.
  public var method: Method
  /// The author headers, in order.
  public var headers: HeaderList
  /// `init.credentials`: `.include` sends cookies and HTTP authentication across origins; the default
  /// `.sameOrigin`, like `.omit`, sends none across origins.
  public var credentials: ScriptRequest.Credentials
  /// A string body, if any.
  public var body: String?
  /// `init.mode`: `.cors` (the default), `.noCORS` or `.sameOrigin`.
  public var mode: ScriptRequest.Mode

  /// Creates a request.
  public init(method: Method = .get, headers: HeaderList = [], credentials: ScriptRequest.Credentials = .sameOrigin,
              body: String? = nil, mode: ScriptRequest.Mode = .cors) {
    self.method = method
    self.headers = headers
    self.credentials = credentials
    self.body = body
    self.mode = mode
  }

  /// A GET without credentials.
  public static let get = AuditRequest()
  /// A GET with credentials.
  public static let credentialedGet = AuditRequest(credentials: .include)

  /// Whether cookies and HTTP authentication go with the request (`credentials: 'include'`).
  public var includesCredentials: Bool { credentials == .include }

  /// Reads `{method, headers: {…}, credentials: include|omit|same-origin, body}` from a policy file.
  init(_ v: PolicyValue) throws(PolicyFileError) {
    method = Method(try v.string("method") ?? "GET")
    headers = []
    if case .object(let members)? = v["headers"] {
      for (k, value) in members {
        do { headers.append(HeaderField(HeaderName(k), try value.string())) } catch { throw error.inside(k).inside("headers") }
      }
    } else if v["headers"] != nil {
      throw PolicyFileError(path: "headers", "expected a mapping of names to values")
    }
    let c = try v.string("credentials") ?? "same-origin"
    guard ["include", "omit", "same-origin"].contains(c) else {
      throw PolicyFileError(path: "credentials", "include, omit or same-origin, not '\(c)'")
    }
    credentials = ScriptRequest.Credentials(rawValue: c)
    body = try v.string("body")
    mode = ScriptRequest.Mode(rawValue: try v.string("mode") ?? "cors")
  }

  /// Parses `METHOD [Header: value]… [credentials]`-style command-line shorthand: `PUT`, `GET credentials`,
  /// `POST Content-Type: application/json credentials`.
  public init(shorthand: String) {
    var words = shorthand.split(separator: " ").map(String.init)
    let credentialed = words.last == "credentials" || words.last == "include"
    if credentialed { words.removeLast() }
    credentials = credentialed ? .include : .sameOrigin
    method = Method(words.first.map { $0.uppercased() == $0 ? $0 : $0.uppercased() } ?? "GET")
    if !words.isEmpty { words.removeFirst() }
    headers = []
    var i = 0
    while i < words.count {
      if words[i].hasSuffix(":"), i + 1 < words.count {
        headers.append(HeaderField(HeaderName(String(words[i].dropLast())), words[i + 1]))
        i += 2
      } else {
        i += 1
      }
    }
    body = nil
    mode = .cors
  }

  /// Whether the method carries a body by default (`POST`, `PUT`, `PATCH`, any case).
  private var sendsBody: Bool { ["POST", "PUT", "PATCH"].contains(method.rawValue.uppercased()) }

  /// The script's call for a URL.
  public func scriptRequest(url: String) -> ScriptRequest {
    let needsBody = body == nil && sendsBody
    return ScriptRequest(url: url, method: method, headers: headers, credentials: credentials, mode: mode,
                         body: (body ?? (needsBody ? "{}" : nil)).map { RequestBody(kind: .string, text: $0) })
  }

  /// How the script writes it: `fetch(url, {method: 'PUT', headers: {…}, credentials: 'include'})`.
  public func javaScript(url: String) -> String {
    var options: [String] = []
    if method != .get { options.append("method: '\(method)'") }
    if mode != .cors { options.append("mode: '\(mode)'") }
    if !headers.isEmpty {
      options.append("headers: {" + headers.map { "'\($0.name)': '\($0.value)'" }.joined(separator: ", ") + "}")
    }
    if let body { options.append("body: '\(body)'") } else if sendsBody { options.append("body: '{}'") }
    if credentials != .sameOrigin { options.append("credentials: '\(credentials)'") }
    return "fetch('\(url)'" + (options.isEmpty ? "" : ", {" + options.joined(separator: ", ") + "}") + ")"
  }

  public var description: String {
    ([method.rawValue] + headers.map { "\($0.name): \($0.value)" } + (includesCredentials ? ["credentials"] : [])
      + (mode == .cors ? [] : [mode.rawValue]))
      .joined(separator: " ")
  }

  /// How big the request is, for picking the smallest one that shows a finding.
  public var size: Int {
    (method.isCORSSafelisted ? 0 : 10) + headers.count * 3 + (body == nil ? 0 : 1) + (includesCredentials ? 1 : 0)
      + (mode == .cors ? 0 : 1)
  }

  /// Smaller versions of this request: fewer headers, a safelisted method, no body.
  public var shrunk: [AuditRequest] {
    var out: [AuditRequest] = []
    for i in headers.indices {
      var r = self
      r.headers.remove(at: i)
      out.append(r)
    }
    if method != .get { var r = self; r.method = .get; r.body = nil; out.append(r) }
    if body != nil { var r = self; r.body = nil; out.append(r) }
    return out
  }
}
