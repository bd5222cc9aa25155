import CORSJSON
import NIOConcurrencyHelpers
import NIOCore
import NIOWebSocket

/// Chromium's console over the DevTools protocol: connects to the browser's endpoint, attaches to the page,
/// enables `Runtime` (console API calls, uncaught exceptions) and `Log` (the browser's own lines: CORS errors,
/// mixed content, the network's `Failed to load resource` entries), then navigates the page to the start URL,
/// so that no console message of the run is missed. Each message's text is handed on as it arrives; a network
/// entry keeps its URL after `ConsoleAttribution.sourceSeparator` (DevTools shows it as `GET <url> net::ERR_…`).
final class ChromiumConsole: Sendable {
  /// Marks the output lines this client injects into the engine's line stream.
  static let linePrefix = "\u{1}cdp "

  private let startURL: String
  private let onText: @Sendable (String) -> Void
  private let connected = NIOLockedValueBox(false)

  init(startURL: String, onText: @escaping @Sendable (String) -> Void) {
    self.startURL = startURL
    self.onText = onText
  }

  /// `DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID` → (PORT, path).
  static func endpoint(_ line: String) -> (port: Int, path: String)? {
    guard let r = line.range(of: "DevTools listening on ws://127.0.0.1:") else { return nil }
    let rest = line[r.upperBound...]
    guard let port = Int(rest.prefix { $0.isNumber }), let slash = rest.firstIndex(of: "/") else { return nil }
    return (port, String(rest[slash...]).trimmingCharacters(in: .whitespaces))
  }

  /// Connects once (later calls are ignored); runs until the browser closes the socket.
  func connect(port: Int, path: String) {
    let first = connected.withLockedValue { c in
      defer { c = true }
      return !c
    }
    guard first else { return }
    Task {
      do { try await session(port: port, path: path) } catch {
        onText("[corsim] harness: DevTools session failed: \(error)")
      }
    }
  }

  /// The console line an event carries, if any.
  static func text(of message: JSONValue) -> String? {
    guard case .string(let method)? = message["method"], let params = message["params"] else { return nil }
    switch method {
    case "Runtime.consoleAPICalled":
      guard case .array(let args)? = params["args"] else { return nil }
      return args.map { arg -> String in
        if case .string(let s)? = arg["value"] { return s }
        if case .number(let n)? = arg["value"] { return n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n) }
        if case .string(let d)? = arg["description"] { return d }
        return ""
      }.joined(separator: " ")
    case "Log.entryAdded":
      guard let entry = params["entry"], case .string(let text)? = entry["text"] else { return nil }
      if case .string("verbose")? = entry["level"] { return nil }
      if case .string("network")? = entry["source"], case .string(let url)? = entry["url"] {
        return text + ConsoleAttribution.sourceSeparator + url
      }
      return text
    case "Runtime.exceptionThrown":
      guard let details = params["exceptionDetails"], case .string(let text)? = details["text"] else { return nil }
      if case .string(let description)? = details["exception"]?["description"] {
        let first = description.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? description
        return text + " " + first
      }
      return text
    default:
      return nil
    }
  }

  private func session(port: Int, path: String) async throws {
    let socket = try await DevToolsSocket.open(port: port, path: path)
    try await socket.executeThenClose { inbound, outbound in
      var nextID = 1
      func send(_ method: String, _ params: JSONValue, session: JSONValue? = nil) async throws -> Int {
        defer { nextID += 1 }
        var members: [(String, JSONValue)] = [("id", .number(Double(nextID))), ("method", .string(method)), ("params", params)]
        if let session { members.append(("sessionId", session)) }
        try await DevToolsSocket.send(JSONWriter.serialize(.object(members)), outbound)
        return nextID
      }
      var waitingFor = try await send("Target.getTargets", .object([]))
      var phase = 0
      var sessionID: JSONValue = .null
      try await DevToolsSocket.forEachMessage(inbound) { message in
        if message["method"] != nil {
          if let text = ChromiumConsole.text(of: message) { onText(text) }
          return
        }
        guard case .number(let id)? = message["id"], Int(exactly: id) == waitingFor else { return }
        if message["error"] != nil { throw LaunchError("DevTools error: \(JSONWriter.serialize(message))") }
        switch phase {
        case 0:
          guard case .array(let targets)? = message["result"]?["targetInfos"],
                let page = targets.first(where: { $0["type"] == .string("page") }), let target = page["targetId"] else {
            throw LaunchError("no page target to attach to")
          }
          waitingFor = try await send("Target.attachToTarget", .object([("targetId", target), ("flatten", .bool(true))]))
        case 1:
          guard let id = message["result"]?["sessionId"] else { throw LaunchError("no DevTools session") }
          sessionID = id
          waitingFor = try await send("Runtime.enable", .object([]), session: sessionID)
        case 2:
          waitingFor = try await send("Log.enable", .object([]), session: sessionID)
        case 3:
          waitingFor = try await send("Page.navigate", .object([("url", .string(startURL))]), session: sessionID)
        default:
          break
        }
        phase += 1
      }
    }
  }
}
