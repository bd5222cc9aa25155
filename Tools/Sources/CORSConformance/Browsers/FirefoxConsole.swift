import CORSJSON
import CORSScenario
import NIOConcurrencyHelpers
import NIOCore
import NIOWebSocket

/// Firefox's console over WebDriver BiDi: connects to the remote agent, subscribes to `log.entryAdded`,
/// then navigates the first tab to the start URL, so that no console message of the run is missed.
/// Each entry's text is handed on as it arrives.
final class FirefoxConsole: Sendable {
  /// Marks the output lines this client injects into the engine's line stream.
  static let linePrefix = "\u{1}bidi "

  private let startURL: String
  private let onText: @Sendable (String) -> Void
  private let connected = NIOLockedValueBox(false)

  init(startURL: String, onText: @escaping @Sendable (String) -> Void) {
    self.startURL = startURL
    self.onText = onText
  }

  /// `WebDriver BiDi listening on ws://127.0.0.1:PORT` → PORT.
  static func listeningPort(_ line: String) -> Int? {
    guard let r = line.range(of: "WebDriver BiDi listening on ws://127.0.0.1:") else { return nil }
    return Int(line[r.upperBound...].prefix { $0.isNumber })
  }

  /// Connects once (later calls are ignored); runs until the browser closes the socket.
  func connect(port: Int) {
    let first = connected.withLockedValue { c in
      defer { c = true }
      return !c
    }
    guard first else { return }
    Task {
      do { try await session(port: port) } catch {
        onText("[corsim] harness: WebDriver BiDi session failed: \(error)")
      }
    }
  }

  private func session(port: Int) async throws {
    let socket = try await DevToolsSocket.open(port: port, path: "/session")
    try await socket.executeThenClose { inbound, outbound in
      var nextID = 1
      func send(_ method: String, _ params: JSONValue) async throws -> Int {
        defer { nextID += 1 }
        let text = JSONWriter.serialize(.object([("id", .number(Double(nextID))), ("method", .string(method)),
                                                 ("params", params)]))
        try await DevToolsSocket.send(text, outbound)
        return nextID
      }
      var waitingFor = try await send("session.new", .object([("capabilities", .object([]))]))
      var phase = 0
      try await DevToolsSocket.forEachMessage(inbound) { message in
        if case .string("event")? = message["type"], case .string("log.entryAdded")? = message["method"],
           case .string(let text)? = message["params"]?["text"] {
          onText(text)
          return
        }
        guard case .number(let id)? = message["id"], Int(exactly: id) == waitingFor else { return }
        if case .string("error")? = message["type"] {
          throw LaunchError("BiDi error: \(JSONWriter.serialize(message))")
        }
        switch phase {
        case 0:
          waitingFor = try await send("session.subscribe", .object([("events", .array([.string("log.entryAdded")]))]))
        case 1:
          waitingFor = try await send("browsingContext.getTree", .object([]))
        case 2:
          guard case .array(let contexts)? = message["result"]?["contexts"], let context = contexts.first?["context"] else {
            throw LaunchError("no browsing context to navigate")
          }
          waitingFor = try await send("browsingContext.navigate", .object([
            ("context", context), ("url", .string(startURL)), ("wait", .string("none")),
          ]))
        default:
          break
        }
        phase += 1
      }
    }
  }
}
