import CORSJSON
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// A WebSocket to a browser's remote agent on loopback (Firefox's WebDriver BiDi, Chromium's DevTools
/// protocol): opened on `path`, JSON text frames both ways.
enum DevToolsSocket {
  enum Upgrade { case socket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>), refused }

  /// Opens the socket; throws when the agent refuses the upgrade.
  static func open(port: Int, path: String) async throws -> NIOAsyncChannel<WebSocketFrame, WebSocketFrame> {
    let upgrade: EventLoopFuture<Upgrade> = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .connect(host: "127.0.0.1", port: port) { channel in
        channel.eventLoop.makeCompletedFuture {
          let upgrader = NIOTypedWebSocketClientUpgrader<Upgrade>(
            maxFrameSize: 1 << 24,
            upgradePipelineHandler: { channel, _ in
              channel.eventLoop.makeCompletedFuture {
                Upgrade.socket(try NIOAsyncChannel(wrappingChannelSynchronously: channel))
              }
            })
          var headers = HTTPHeaders()
          headers.add(name: "Host", value: "127.0.0.1:\(port)")
          headers.add(name: "Content-Length", value: "0")
          let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)
          let configuration = NIOTypedHTTPClientUpgradeConfiguration(
            upgradeRequestHead: head, upgraders: [upgrader],
            notUpgradingCompletionHandler: { $0.eventLoop.makeCompletedFuture { Upgrade.refused } })
          return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(
            configuration: .init(upgradeConfiguration: configuration))
        }
      }
    guard case .socket(let socket) = try await upgrade.get() else {
      throw LaunchError("the remote agent refused the WebSocket upgrade")
    }
    return socket
  }

  /// Sends one JSON text frame.
  /// Calls `body` with each whole text message (continuation frames joined) parsed as JSON (`.null` when it is
  /// not JSON), until the peer closes the connection: the Chromium DevTools and Firefox WebDriver BiDi clients share it.
  static func forEachMessage(_ inbound: NIOAsyncChannelInboundStream<WebSocketFrame>,
                             _ body: (JSONValue) async throws -> Void) async throws {
    var partial = ByteBuffer()
    for try await frame in inbound {
      switch frame.opcode {
      case .text, .continuation:
        var data = frame.data
        partial.writeBuffer(&data)
        guard frame.fin else { continue }
      case .connectionClose:
        return
      default:
        continue
      }
      let message = (try? JSONParser.parse(String(buffer: partial))) ?? .null
      partial.clear()
      try await body(message)
    }
  }

  static func send(_ text: String, _ outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>) async throws {
    try await outbound.write(WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: ByteBuffer(string: text)))
  }
}
