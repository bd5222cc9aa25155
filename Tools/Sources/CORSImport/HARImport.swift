import Foundation
import CORSScenario
import CORSJSON
import CORSSimulator

/// A HAR file exported from the developer tools ("Save all as HAR"): every cross-origin request in it is
/// matched with its preflight and judged. The responses recorded in the file become the server's routes,
/// so the verdicts are what the browser decided from what the server really sent.
public enum HARImport {
  /// What an import produced.
  public struct Result: Sendable {
    /// The scenario: the page, one route per recorded response, one step per cross-origin request.
    public var document: ScenarioDocument
    /// What was assumed or skipped.
    public var notes: [String]
    /// What the browser recorded for each request of the scenario (same order as its steps).
    public var recorded: [Recorded] = []
  }

  /// The outcome a HAR entry recorded: its status (0 when the browser got or kept no response) and the
  /// network error Chromium notes in `_error` (`net::ERR_FAILED` for a CORS failure).
  public struct Recorded: Sendable, Hashable {
    /// The entry's number in the file (from 1).
    public var entry: Int
    /// The status recorded (0: none).
    public var status: Int
    /// `_error`, when present.
    public var error: String?
    /// True when the request failed in the browser.
    public var failed: Bool { status == 0 || error != nil }
  }

  /// Reads HAR text (JSON, HAR 1.2: `log.entries[]`).
  public static func parse(_ text: String) throws(ImportError) -> Result {
    let json: JSONValue
    do { json = try JSONParser.parse(text) } catch {
      throw ImportError("the HAR file is not JSON: \(error)")
    }
    guard case .array(let entries)? = json["log"]?["entries"] else {
      throw ImportError("the HAR file has no log.entries (is it a HAR export?)")
    }
    var notes: [String] = []
    // The page: the first page's title when it is a URL (Chrome, Firefox), else the first document.
    var page: Page? = nil
    if case .array(let pages)? = json["log"]?["pages"], let first = pages.first, case .string(let title)? = first["title"],
       let url = try? URLRecord(title), url.isHTTPScheme {
      page = Page(url: url.withoutFragment)
    }
    var routes: [Route] = []
    // The method and URL of every route, so that the first recorded answer wins in constant time per entry.
    var routeKeys = Set<String>()
    var steps: [ScenarioStep] = []
    var recorded: [Recorded] = []
    var skipped = 0
    var droppedLines = 0
    for (k, entry) in entries.enumerated() {
      guard case .object = entry, let request = entry["request"], let response = entry["response"],
            case .string(let method)? = request["method"], case .string(let urlText)? = request["url"],
            let url = try? URLRecord(urlText) else {
        notes.append("entry \(k + 1) has no request method and URL; skipped")
        continue
      }
      guard Method(method).isValid else {
        notes.append("entry \(k + 1): '\(method)' is not a method (a token); skipped")
        continue
      }
      let requestHeaders = pairs(request["headers"])
      let responseHeaders = pairs(response["headers"])
      let resourceType: String? = { if case .string(let t)? = entry["_resourceType"] { return t } else { return nil } }()
      if page == nil, resourceType == "document" || (requestHeaders.contains { $0.name == "Sec-Fetch-Dest" && $0.value == "document" }) {
        page = Page(url: url.withoutFragment)
      }
      // The recorded answer becomes a route (the first one for a method and URL wins).
      var status = 0
      // A status that is not a whole number in range (1e300, 200.5, a fuzzer's 2077…71) is no status.
      if case .number(let n)? = response["status"], let s = Int(exactly: n) { status = s }
      // A WebSocket's handshake (Chromium's `_resourceType` `websocket`, or a ws:/wss: URL): its 101 is a route too.
      let webSocket = resourceType == "websocket" || url.scheme == "ws" || url.scheme == "wss"
      if (200...599).contains(status) || (webSocket && status == 101) {
        if routeKeys.insert(method + " " + url.hrefWithoutFragment).inserted {
          // A line no server can send (a name that is not a token, CR, LF or NUL in the value) is left out.
          let lines = responseHeaders.filter {
            $0.name.isValid && !$0.value.unicodeScalars.contains { $0 == "\r" || $0 == "\n" || $0 == "\0" }
          }
          droppedLines += responseHeaders.count - lines.count
          var headers = HeaderList(lines.map {
            HeaderField($0.name, $0.value.trimmingCharacters(in: CharacterSet(charactersIn: " \t")))
          })
          if webSocket && status == 101 && headers.contains(HeaderName("Sec-WebSocket-Accept")) && entry["_error"] == nil {
            // The recorded accept answered the browser's own key, and the browser took it: here it stands for a
            // correct one, the value for the key corsim sends (RFC 6455 §1.3).
            headers.set(HeaderName("Sec-WebSocket-Accept"), WebSocketSampleKey.acceptValue)
            notes.append("\(url.hrefWithoutFragment): the recorded Sec-WebSocket-Accept answered the browser's key; it is replaced by the value for the key corsim sends")
          }
          routes.append(Route(method: Method(method), url: url.withoutFragment, status: status, headers: headers))
        }
      } else if method != "OPTIONS" {
        let error: String? = { if case .string(let e)? = entry["_error"] { return e } else { return nil } }()
        notes.append("\(method) \(url.hrefWithoutFragment): the HAR recorded no response (status \(status)\(error.map { ", " + $0 } ?? "")): the browser failed it or kept no response; without it the server here answers 404 with no headers — add the real response with `route` or a pasted one")
      }
      // A preflight is evidence, not a request of the script.
      let isPreflight = method == "OPTIONS" && requestHeaders.contains(.accessControlRequestMethod)
      if isPreflight || resourceType == "preflight" { continue }
      // Requests of the script: fetch/XHR, or anything the browser sent in CORS mode.
      let corsMode = requestHeaders.contains { $0.name == "Sec-Fetch-Mode" && $0.value == "cors" }
      let byScript = resourceType == "fetch" || resourceType == "xhr" || resourceType == "eventsource"
        || resourceType == "ping" || webSocket || corsMode
        || requestHeaders.contains(.origin)
      guard byScript else { skipped += 1; continue }
      // The page from the initiator (Chromium's `_initiator.url`), when nothing else named it.
      if page == nil, case .string(let initiator)? = entry["_initiator"]?["url"], let u = try? URLRecord(initiator), u.isHTTPScheme {
        page = Page(url: u.withoutFragment)
      }
      if let page, url.origin.isSameOrigin(page.origin) { skipped += 1; continue }
      var script = ScriptRequest(api: resourceType == "xhr" ? .xhr : .fetch, url: url.hrefWithoutFragment,
                                 method: Method(method))
      if case .string(let text)? = request["postData"]?["text"], !text.isEmpty { script.body = RequestBody(text: text) }
      // DevTools lists the cookies it sent in `request.cookies` (and may leave the Cookie line out).
      let sentCookies: Bool = { if case .array(let c)? = request["cookies"] { return !c.isEmpty } else { return false } }()
      let imported = CurlImport.finish(script, headers: requestHeaders, cookies: sentCookies, notes: [], source: "HAR entry \(k + 1)")
      notes += imported.notes.filter { $0.contains("sends cookies") }
      script = imported.request
      if script.api == .xhr && script.credentials != nil && script.credentials != .include { script.credentials = nil }
      if resourceType == "ping", method == "POST" {
        // Chromium's `_resourceType` for navigator.sendBeacon: the URL and the data are all the page gave; the
        // data's type is taken from the Content-Type it sent (a Blob of that type, or the string it stands for).
        let data = script.body
        let type = requestHeaders.get(.contentType)
        script = ScriptRequest(api: .beacon, url: url.hrefWithoutFragment)
        if let data {
          if let type, !type.lowercased().hasPrefix("text/plain") { script.body = RequestBody(kind: .blob, text: data.text, blobType: type) }
          else { script.body = RequestBody(text: data.text) }
        }
      }
      if resourceType == "eventsource" {
        // Chromium's `_resourceType` for an EventSource: the URL and whether credentials went (withCredentials)
        // are all the page chose; its Accept and the other lines are the browser's.
        let credentialed = script.credentials == .include
        script = ScriptRequest(api: .eventSource, url: url.hrefWithoutFragment)
        if credentialed { script.credentials = .include }
      }
      if webSocket {
        // `new WebSocket(url, protocols)`: the URL and the subprotocols asked for are all the page chose; the
        // Upgrade, Key and Version lines are the browser's. Not CORS at all (websockets #concept-websocket-establish).
        script = ScriptRequest(api: .websocket, url: url.hrefWithoutFragment)
        if let asked = requestHeaders.get(HeaderName("Sec-WebSocket-Protocol")) {
          script.protocols = asked.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
      }
      if page == nil { page = imported.page }
      steps.append(ScenarioStep(request: script))
      let error: String? = { if case .string(let e)? = entry["_error"], !e.isEmpty { return e } else { return nil } }()
      recorded.append(Recorded(entry: k + 1, status: status, error: error))
    }
    guard let page else {
      throw ImportError("the HAR file does not say which page made the requests (no page title, document or Origin)")
    }
    if steps.isEmpty {
      throw ImportError("the HAR file has no cross-origin fetch, XHR or WebSocket request from \(page.url.href) (\(skipped) other entr\(skipped == 1 ? "y" : "ies"))")
    }
    notes.insert("imported \(steps.count) cross-origin request(s) from \(page.origin.serialization), \(routes.count) recorded response(s)", at: 0)
    if droppedLines > 0 {
      notes.append("left out \(droppedLines) recorded response header line(s) no server can send (a name that is not a token, or CR, LF or NUL in the value)")
    }
    if skipped > 0 { notes.append("\(skipped) same-origin or non-script entr\(skipped == 1 ? "y was" : "ies were") left out") }
    let scenario = Scenario(id: "har", page: page, server: Server(routes: routes), steps: steps)
    return Result(document: ScenarioDocument(scenario: scenario), notes: notes, recorded: recorded)
  }

  /// `[{"name", "value"}…]` → pairs, skipping malformed items and HTTP/2 pseudo-headers.
  static func pairs(_ v: JSONValue?) -> HeaderList {
    guard case .array(let items)? = v else { return [] }
    return HeaderList(items.compactMap { item in
      guard case .string(let name)? = item["name"], case .string(let value)? = item["value"], !name.hasPrefix(":") else {
        return nil
      }
      return HeaderField(HeaderName(name), value)
    })
  }
}
