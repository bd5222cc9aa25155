import CORSSimulator

/// A request a page's script makes to the resource under audit: method, author headers, body and whether
/// credentials (cookies, HTTP authentication) are included.
public struct AuditRequest: Sendable, Hashable, CustomStringConvertible {
  /// The method.
  public var method: String
  /// The author headers, in order.
  public var headers: [HeaderPair]
  /// `credentials: 'include'` (else `'omit'`… strictly, the default `'same-origin'`, which sends none across origins).
  public var credentials: Bool
  /// A string body, if any.
  public var body: String?
  /// `init.mode`: `cors` (the default), `no-cors` or `same-origin`.
  public var mode: String

  /// Creates a request.
  public init(method: String = "GET", headers: [HeaderPair] = [], credentials: Bool = false, body: String? = nil,
              mode: String = "cors") {
    self.method = method
    self.headers = headers
    self.credentials = credentials
    self.body = body
    self.mode = mode
  }

  /// A GET without credentials.
  public static let get = AuditRequest()
  /// A GET with credentials.
  public static let credentialedGet = AuditRequest(credentials: true)

  /// Reads `{method, headers: {…}, credentials: include|omit|same-origin, body}` from a policy file.
  init(_ v: PolicyValue) throws(PolicyFileError) {
    method = try v.string("method") ?? "GET"
    headers = []
    if case .object(let members)? = v["headers"] {
      for (k, value) in members {
        do { headers.append(HeaderPair(k, try value.string())) } catch { throw error.inside(k).inside("headers") }
      }
    } else if v["headers"] != nil {
      throw PolicyFileError(path: "headers", "expected a mapping of names to values")
    }
    let c = try v.string("credentials") ?? "same-origin"
    guard ["include", "omit", "same-origin"].contains(c) else {
      throw PolicyFileError(path: "credentials", "include, omit or same-origin, not '\(c)'")
    }
    credentials = c == "include"
    body = try v.string("body")
    mode = try v.string("mode") ?? "cors"
  }

  /// Parses `METHOD [Header: value]… [credentials]`-style command-line shorthand: `PUT`, `GET credentials`,
  /// `POST Content-Type: application/json credentials`.
  public init(shorthand: String) {
    var words = shorthand.split(separator: " ").map(String.init)
    credentials = words.last == "credentials" || words.last == "include"
    if credentials { words.removeLast() }
    method = words.first.map { $0.uppercased() == $0 ? $0 : $0.uppercased() } ?? "GET"
    if !words.isEmpty { words.removeFirst() }
    headers = []
    var i = 0
    while i < words.count {
      if words[i].hasSuffix(":"), i + 1 < words.count {
        headers.append(HeaderPair(String(words[i].dropLast()), words[i + 1]))
        i += 2
      } else {
        i += 1
      }
    }
    body = nil
    mode = "cors"
  }

  /// The script's call for a URL.
  public func scriptRequest(url: String) -> ScriptRequest {
    let needsBody = body == nil && ["POST", "PUT", "PATCH"].contains(method.uppercased())
    return ScriptRequest(api: .fetch, url: url, method: method, headers: headers, mode: mode,
                         credentials: credentials ? "include" : "same-origin",
                         body: (body ?? (needsBody ? "{}" : nil)).map { RequestBody(kind: .string, text: $0) })
  }

  /// How the script writes it: `fetch(url, {method: 'PUT', headers: {…}, credentials: 'include'})`.
  public func javaScript(url: String) -> String {
    var options: [String] = []
    if method != "GET" { options.append("method: '\(method)'") }
    if mode != "cors" { options.append("mode: '\(mode)'") }
    if !headers.isEmpty {
      options.append("headers: {" + headers.map { "'\($0.name)': '\($0.value)'" }.joined(separator: ", ") + "}")
    }
    if let body { options.append("body: '\(body)'") } else if ["POST", "PUT", "PATCH"].contains(method.uppercased()) { options.append("body: '{}'") }
    if credentials { options.append("credentials: 'include'") }
    return "fetch('\(url)'" + (options.isEmpty ? "" : ", {" + options.joined(separator: ", ") + "}") + ")"
  }

  public var description: String {
    ([method] + headers.map { "\($0.name): \($0.value)" } + (credentials ? ["credentials"] : []) + (mode == "cors" ? [] : [mode]))
      .joined(separator: " ")
  }

  /// How big the request is, for picking the smallest one that shows a finding.
  public var size: Int {
    (Method(method).isCORSSafelisted ? 0 : 10) + headers.count * 3 + (body == nil ? 0 : 1) + (credentials ? 1 : 0) + (mode == "cors" ? 0 : 1)
  }

  /// Smaller versions of this request: fewer headers, a safelisted method, no body.
  public var shrunk: [AuditRequest] {
    var out: [AuditRequest] = []
    for i in headers.indices {
      var r = self
      r.headers.remove(at: i)
      out.append(r)
    }
    if method != "GET" { var r = self; r.method = "GET"; r.body = nil; out.append(r) }
    if body != nil { var r = self; r.body = nil; out.append(r) }
    return out
  }
}
