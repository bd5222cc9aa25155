import CORSJSON
import CORSScenario
import CORSSimulator

/// The common oracle line read straight from its text into the scenario, without a `JSONValue` tree: a page,
/// `fetch()` and XMLHttpRequest steps with their usual options, and routes. Parsing a line into a tree, looking each
/// field up in it and letting the tree go was about half of what answering a line cost.
///
/// It answers nil for anything else — a field it does not read, a value of another kind, anything `OracleInput`
/// would refuse, a syntax error — and the caller then decodes the line the full way (`JSONParser` and
/// `OracleInput.decode`), which gives the exact answer or error. So this reader never words an error and never
/// decides alone what a line means: what it accepts, it must build exactly as `OracleInput.decode` does (tests and
/// the FuzzOracleLine target compare the two on every line the fast reader takes).
enum OracleFastInput {
  /// The scenario of a line, or nil when the line needs the full decoder.
  static func decode(_ line: String) -> OracleScenario? {
    JSONReader.read(line) { reader -> OracleScenario? in
      guard let scenario = topLevel(&reader), reader.atEnd() else { return nil }
      return scenario
    }
  }

  private static let topLevelKeys = JSONKeys(["id", "browser", "page", "sandboxed", "steps", "request", "server"])
  private static let stepKeys = JSONKeys([
    "api", "url", "method", "headers", "mode", "credentials", "redirect", "cache", "body", "after",
  ])
  private static let routeKeys = JSONKeys(["method", "url", "status", "headers", "body", "networkError"])

  /// `{id, browser, page, sandboxed, steps | request, server}`.
  private static func topLevel(_ r: inout JSONReader) -> OracleScenario? {
    guard r.beginObject() else { return nil }
    var seen = Seen()
    var id: JSONValue = .null
    var browserName = "spec"
    var pageText: String? = nil
    var pageURL: URLRecord? = nil
    var sandboxed = false
    var steps: [ScenarioStep]? = nil
    var routes: [Route] = []
    let urls = ThreadURLs.forThisThread()  // (a URL read again, in this line or a recent one, is parsed once)
    var first = true
    while let key = r.nextKey(first: first, among: topLevelKeys) {
      first = false
      switch key {
      case 0:  // id
        guard seen.first(0) else { return nil }
        if !r.null() {
          guard let s = r.string() else { return nil }
          id = .string(s)
        }
      case 1:  // browser
        guard seen.first(1) else { return nil }
        if !r.null() {
          guard let s = r.string() else { return nil }
          browserName = s
        }
      case 2:  // page: the last line's page is taken from the bytes, with no string made for it
        guard seen.first(2), let read = r.withStringBytes({ b in Read(urls.page(b), b) }) else { return nil }
        switch read {
        case .url(let u): pageURL = u
        case .text(let s): pageText = s
        }
      case 3:  // sandboxed
        guard seen.first(3) else { return nil }
        if !r.null() {
          guard let b = r.bool() else { return nil }
          sandboxed = b
        }
      case 4, 5:  // steps, request
        // Either one (both: the full decoder's error).
        guard seen.first(4) else { return nil }
        if key == 5 {
          guard let step = step(&r) else { return nil }
          steps = [step]
        } else {
          guard r.beginArray() else { return nil }
          var list: [ScenarioStep] = []
          var firstItem = true
          while r.nextItem(first: firstItem) {
            firstItem = false
            guard list.count < OracleInput.maximumSteps, let step = step(&r) else { return nil }
            list.append(step)
          }
          guard !r.failed, !list.isEmpty else { return nil }
          steps = list
        }
      case 6:  // server
        guard seen.first(6), r.beginArray() else { return nil }
        routes.reserveCapacity(4)  // (one allocation for the usual few routes)
        var firstItem = true
        while r.nextItem(first: firstItem) {
          firstItem = false
          guard routes.count < OracleInput.maximumRoutes, let route = route(&r, &urls.routeURLs) else { return nil }
          routes.append(route)
        }
        guard !r.failed else { return nil }
      default:
        return nil
      }
    }
    guard !r.failed, let steps, let browser = Engine(rawValue: browserName),
          let pageURL = pageURL ?? pageText.flatMap({ try? urls.parsePage($0) }) else { return nil }
    // Built in one go (a value changed after it is made is copied on its way out). `upgradeInsecureRequests` and
    // `integrityPolicy` keep their defaults, false and nil, as `OracleInput.decode` sets them when the fields are
    // absent.
    var environment = NetworkEnvironment()
    environment.http2 = false
    let scenario = Scenario(id: OracleInput.idText(id), page: Page(url: pageURL, sandboxed: sandboxed),
                            server: Server(routes: routes), environment: environment, steps: steps)
    return OracleScenario(id: id, browser: browser, scenario: scenario)
  }

  /// A `fetch()` step: `{api: "fetch", url, method, headers, mode, credentials, redirect, cache, body, after}`, or
  /// an XMLHttpRequest's: `{api: "xhr", url, method, headers, credentials, body, after}`.
  private static func step(_ r: inout JSONReader) -> ScenarioStep? {
    guard r.beginObject() else { return nil }
    var seen = Seen()
    var url: String? = nil
    var method: String? = nil
    var headers = HeaderList()
    var mode: String? = nil, credentials: String? = nil, redirect: String? = nil, cache: String? = nil
    var body: String? = nil
    var after = 0.0
    var api = ScriptAPI.fetch
    var first = true
    while let key = r.nextKey(first: first, among: stepKeys) {
      first = false
      guard key >= 0, seen.first(key) else { return nil }
      switch key {
      case 0:  // api
        switch r.string() {
        case "fetch": break
        case "xhr": api = .xhr
        default: return nil
        }
      case 1:  // url
        guard let s = r.string() else { return nil }
        url = s
      case 3:  // headers
        guard let list = headerPairs(&r) else { return nil }
        headers = list
      case 9:  // after
        guard let n = r.number(), n >= 0, n <= 1e9 else { return nil }
        after = n
      default:  // method, mode, credentials, redirect, cache, body: a string or null
        var value: String? = nil
        if !r.null() { guard let s = r.string() else { return nil }; value = s }
        switch key {
        case 2: method = value
        case 4: mode = value
        case 5: credentials = value
        case 6: redirect = value
        case 7: cache = value
        default: body = value
        }
      }
    }
    guard !r.failed, let url else { return nil }
    if api == .xhr {
      // `OracleInput.step` refuses fetch()'s options on an XHR (present, even null), and credentials other than
      // withCredentials' two: its error words it.
      guard !seen.has(4), !seen.has(6), !seen.has(7) else { return nil }
      if let credentials, credentials != "include", credentials != "same-origin" { return nil }
    }
    // What `OracleInput.step` assigns, for a fetch() step without the other fields (the ones left out are the
    // defaults). Built in one go: a request or step changed after it is made is copied on its way out, its strings
    // retained and released once more.
    let requestBody: RequestBody? = body.map {
      var b = RequestBody(text: $0)
      b.blobType = ""
      return b
    }
    return ScenarioStep(after: after, request: ScriptRequest(
      api: api, url: url, method: method.map { Method($0) }, headers: headers,
      credentials: credentials.map { .init(rawValue: $0) }, mode: mode.map { .init(rawValue: $0) },
      redirect: redirect.map { .init(rawValue: $0) }, cache: cache.map { .init(rawValue: $0) }, body: requestBody))
  }

  /// A route: `{method, url, status, headers, body, networkError}` (every field a route has).
  private static func route(_ r: inout JSONReader, _ urls: inout RecentURLs) -> Route? {
    guard r.beginObject() else { return nil }
    var seen = Seen()
    var method = "*"
    var url: String? = nil
    var parsedURL: URLRecord? = nil
    var status = 200
    var headers = HeaderList()
    var body: String? = nil
    var failure = false
    var first = true
    while let key = r.nextKey(first: first, among: routeKeys) {
      first = false
      guard key >= 0, seen.first(key) else { return nil }
      switch key {
      case 0:  // method
        if !r.null() { guard let s = r.string() else { return nil }; method = s }
      case 1:  // url: a URL a recent line's route had is taken from the bytes, with no string made for it
        guard let read = r.withStringBytes({ b in Read(urls.cached(b), b) }) else { return nil }
        switch read {
        case .url(let u): parsedURL = u
        case .text(let s): url = s
        }
      case 2:  // status: 200–599, or 101 (a WebSocket handshake's answer), a whole number
        guard let n = r.number(), n == n.rounded(), n == 101 || (n >= 200 && n <= 599) else { return nil }
        status = Int(n)
      case 3:  // headers: valid names, no CR, LF or NUL, the values trimmed as HTTP field parsing trims them
        guard let lines = headerPairs(&r, asRouteLines: true) else { return nil }
        headers = lines
      case 4:  // body
        if !r.null() { guard let s = r.string() else { return nil }; body = s }
      default:  // networkError
        if !r.null() { guard let b = r.bool() else { return nil }; failure = b }
      }
    }
    guard !r.failed, method == "*" || Method(method).isValid,
          let parsed = parsedURL ?? url.flatMap({ try? urls.parse($0, base: nil) }) else {
      return nil
    }
    return Route(method: method == "*" ? nil : Method(method), url: parsed, status: status, headers: headers,
                 body: body, networkFailure: failure)
  }

  /// `[[name, value], …]`, at most `OracleInput.maximumHeaders` lines. A route's lines (`asRouteLines`) are checked
  /// as they are read: a valid name, no CR, LF or NUL in the value, which is trimmed as HTTP field parsing trims it.
  private static func headerPairs(_ r: inout JSONReader, asRouteLines: Bool = false) -> HeaderList? {
    guard r.beginArray() else { return nil }
    var list = HeaderList()
    list.reserveCapacity(8)  // one allocation for the usual handful (growing from empty took three or four)
    var first = true
    while r.nextItem(first: first) {
      first = false
      guard list.count < OracleInput.maximumHeaders, r.beginArray(), r.nextItem(first: true),
            let name = r.withStringBytes({ HeaderName(utf8: $0) }),
            r.nextItem(first: false), var value = r.string(), !r.nextItem(first: false), !r.failed else { return nil }
      if asRouteLines {
        // (Checked here, on the line's own strings: read back from the list, each was copied first.)
        guard name.isValid, !OracleInput.containsLineBreakOrNUL(value) else { return nil }
        if OracleInput.hasSpaceOrTabAtAnEnd(value) { value = value.trimmingCharacters(in: " \t") }
      }
      list.append(HeaderField(name, value))
    }
    return r.failed ? nil : list
  }

  /// A URL field read: the record kept for its text, or the text (`RecentURLs.cached`, `ThreadURLs.page`).
  private enum Read {
    case url(URLRecord)
    case text(String)

    /// The record when there is one, else the text of `bytes`.
    init(_ kept: URLRecord?, _ bytes: UnsafeBufferPointer<UInt8>) {
      if let kept { self = .url(kept) } else { self = .text(String(decoding: bytes, as: UTF8.self)) }
    }
  }

  /// The fields an object has had so far (a repeated name is a syntax error: the full decoder words it).
  private struct Seen {
    private var bits: UInt32 = 0
    /// Whether field `k` was there.
    func has(_ k: Int) -> Bool { bits & (1 << UInt32(k)) != 0 }

    /// Records field `k`; false when it was already there.
    mutating func first(_ k: Int) -> Bool {
      let bit: UInt32 = 1 << UInt32(k)
      if bits & bit != 0 { return false }
      bits |= bit
      return true
    }
  }
}

/// The URLs the last oracle lines read on this thread, parsed: the last page (a client's lines mostly name one page,
/// and parsing it again was about 2 % of a line) and the last few routes' (a client's lines mostly ask one API, and
/// parsing a route's URL was about 3 % of a line). Kept per thread (`--jobs N` answers lines on N threads), so nothing
/// is shared or locked; a URL record is a value, and parsing a text without a base always gives the same one, so a
/// line gets the record parsing would give it.
final class ThreadURLs {
  private var pageText = ""
  private var pageURL: URLRecord? = nil
  /// The routes' URLs (only those without a base: a route's URL is absolute).
  var routeURLs = RecentURLs()

  /// The last page's record when `text` (UTF-8 bytes) is its text, else nil.
  func page(_ text: UnsafeBufferPointer<UInt8>) -> URLRecord? {
    guard let pageURL, pageText.hasUTF8(text) else { return nil }
    return pageURL
  }

  /// `text` parsed as the page's URL, without a base (url.bs #concept-url-parser), or the error the parser gives.
  func parsePage(_ text: String) throws(URLParseError) -> URLRecord {
    if let pageURL, pageText == text { return pageURL }
    let url = try URLRecord(text)
    pageText = text
    pageURL = url
    return url
  }

  /// This thread's memo, made on its first line and released when the thread ends.
  static func forThisThread() -> ThreadURLs { perThread.value }

  private static let perThread = PerThread { ThreadURLs() }
}
