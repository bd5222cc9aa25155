import CORSSimulator

/// A problem with pasted or imported material.
public struct ImportError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What is wrong, and where.
  public var message: String
  public var description: String { message }
  /// Creates an error with its message.
  public init(_ message: String) { self.message = message }
}

/// Raw HTTP messages as people paste them from the developer tools, a proxy or `curl -v`.
public enum RawHTTP {
  /// `METHOD SP request-target SP HTTP/x.y` → (method, target). RFC 9112 §3
  static func requestLine(_ line: Substring) -> (method: String, target: String)? {
    let parts = line.split(separator: " ", omittingEmptySubsequences: true)
    guard parts.count == 3, parts[2].hasPrefix("HTTP/"), Method(String(parts[0])).isValid,
          parts[0].allSatisfy({ $0.isUppercase || $0 == "-" }) else { return nil }
    return (String(parts[0]), String(parts[1]))
  }

  /// `HTTP/x.y SP 3DIGIT [SP reason]` → status. RFC 9112 §4
  static func statusLine(_ line: Substring) -> Int? {
    let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
    guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), parts[1].count == 3, let status = Int(parts[1]),
          (200...599).contains(status) || status == 101 else { return nil }
    return status
  }

  /// Headers the browser adds itself: a pasted request's copies of them are dropped (the simulator adds
  /// what the browser would), with a note.
  public static func isBrowserAdded(_ name: HeaderName, _ value: String) -> Bool {
    if Safelists.isForbiddenRequestHeader(name, value) { return true }
    switch name.canonicalName {
    case "user-agent", "accept-language", "priority", "upgrade-insecure-requests": return true
    case "cache-control", "pragma": return value.lowercased() == "no-cache"
    default: return false
    }
  }

  /// Turns a pasted request into the script request that would produce it.
  static func makeRequest(_ raw: ScenarioBuilder.RawRequestDraft, page: Page?) throws(ImportError)
    -> (ScriptRequest, Page?, [String]) {
    var notes: [String] = []
    let headers = raw.headers
    func value(_ name: HeaderName) -> String? { headers.first { $0.name == name }?.value }
    // The URL: an absolute target, or Host + target.
    var urlText = raw.target
    if !raw.target.contains("://") {
      guard let host = value("Host") else {
        throw ImportError("the pasted request has no Host header and its target '\(raw.target)' is not a full URL")
      }
      var scheme = "https"
      if host.hasSuffix(":80") { scheme = "http" }
      if let origin = value("Origin"), origin.hasPrefix("http://"),
         host.hasPrefix("localhost") || host.hasPrefix("127.") || host.hasPrefix("[") {
        scheme = "http"
      }
      urlText = "\(scheme)://\(host)\(raw.target)"
      notes.append("assumed \(scheme)://\(host) for the pasted request (write its URL in full to change that)")
    }
    var newPage: Page? = nil
    if page == nil, let origin = value("Origin"), origin != "null" {
      newPage = try? Page(origin)
      if newPage != nil { notes.append("the page is \(origin), from the pasted Origin header") }
    }
    var request = ScriptRequest(url: urlText, method: Method(raw.method))
    // A pasted preflight stands for the request it announces.
    if raw.method == "OPTIONS", let announced = value("Access-Control-Request-Method") {
      request.method = Method(announced)
      let names = (value("Access-Control-Request-Headers") ?? "").split(separator: ",")
        .map { String($0).trimmingCharacters(in: " ") }.filter { !$0.isEmpty }
      request.headers = HeaderList(names.map { name in
        HeaderField(HeaderName(name), HeaderName(name) == .contentType ? "application/json" : "1")
      })
      notes.append("the pasted request is a preflight: simulating the \(announced) request it announces"
        + (names.isEmpty ? "" : " with \(names.joined(separator: ", ")) (placeholder values)"))
      if value("Cookie") != nil { request.credentials = .include }
      return (request, newPage, notes)
    }
    var dropped: [String] = []
    for h in headers {
      if isBrowserAdded(h.name, h.value) {
        dropped.append(h.name.rawName)
        continue
      }
      request.headers.append(h)
    }
    if !dropped.isEmpty { notes.append("left out headers the browser adds itself: \(dropped.joined(separator: ", "))") }
    if value("Cookie") != nil {
      request.credentials = .include
      notes.append("the pasted request carries cookies: credentials=include")
    }
    if let mode = value("Sec-Fetch-Mode"), mode == "no-cors" || mode == "same-origin" { request.mode = .init(rawValue: mode) }
    return (request, newPage, notes)
  }
}
