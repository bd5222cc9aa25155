import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The scripted server: listens on loopback (127.0.0.1 and ::1) on every port the plan uses, answers plain
/// HTTP and TLS on the same port (the first byte of a connection tells which), and hands every request to
/// `HarnessState.answer`, which logs it and picks the bytes to send.
public final class ScriptedServer: Sendable {
  private let state: HarnessState
  private let tls: NIOSSLContext?
  private let group: MultiThreadedEventLoopGroup
  private let channels: NIOLockedValueBox<[Channel]>

  /// Creates a server; `tls` answers connections that start a TLS handshake (nil: plain HTTP only).
  public init(state: HarnessState, tls: NIOSSLContext?) {
    self.state = state
    self.tls = tls
    self.group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    self.channels = NIOLockedValueBox([])
  }

  /// Binds each port on 127.0.0.1 (required) and ::1 (when the machine has it); port 0 picks a free port.
  /// Returns the bound ports in the order given.
  @discardableResult
  public func listen(ports: [Int]) async throws -> [Int] {
    var bound: [Int] = []
    for port in ports {
      let v4 = try await bootstrap().bind(host: "127.0.0.1", port: port).get()
      let actual = v4.localAddress?.port ?? port
      channels.withLockedValue { $0.append(v4) }
      if let v6 = try? await bootstrap().bind(host: "::1", port: actual).get() {
        channels.withLockedValue { $0.append(v6) }
      }
      bound.append(actual)
    }
    return bound
  }

  private func bootstrap() -> ServerBootstrap {
    let state = self.state
    let tls = self.tls
    return ServerBootstrap(group: group)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .serverChannelOption(.backlog, value: 256)
      .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.addHandler(TLSSniffer(state: state, tls: tls))
        }
      }
  }

  /// Closes the listeners and stops the event loop.
  public func shutdown() async {
    let all = channels.withLockedValue { c in
      defer { c = [] }
      return c
    }
    for channel in all { try? await channel.close() }
    try? await group.shutdownGracefully()
  }
}

/// Looks at a connection's first byte: 0x16 starts a TLS handshake record, anything else is plain HTTP.
/// Then installs the rest of the pipeline and steps aside.
final class TLSSniffer: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = ByteBuffer

  private let state: HarnessState
  private let tls: NIOSSLContext?

  init(state: HarnessState, tls: NIOSSLContext?) {
    self.state = state
    self.tls = tls
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let buffer = unwrapInboundIn(data)
    guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return }
    let isTLS = first == 0x16
    let port = context.channel.localAddress?.port ?? 0
    do {
      let sync = context.pipeline.syncOperations
      if isTLS {
        guard let tls else {
          context.close(promise: nil)
          return
        }
        try sync.addHandler(NIOSSLServerHandler(context: tls), position: .after(self))
        try sync.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)),
                            position: .last)
      } else {
        try sync.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)),
                            position: .after(self))
      }
      try sync.addHandler(ScriptedHTTPHandler(state: state, tls: isTLS, localPort: port), position: .last)
    } catch {
      context.close(promise: nil)
      return
    }
    context.fireChannelRead(data)
    context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
  }
}

/// Collects one request (head, body, end), asks the state for the answer, writes it, closes.
final class ScriptedHTTPHandler: ChannelInboundHandler {
  typealias InboundIn = HTTPServerRequestPart
  typealias OutboundOut = ByteBuffer

  private let state: HarnessState
  private let tls: Bool
  private let localPort: Int
  private var head: HTTPRequestHead?
  private var bodyLength = 0
  private var answered = false

  init(state: HarnessState, tls: Bool, localPort: Int) {
    self.state = state
    self.tls = tls
    self.localPort = localPort
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    switch unwrapInboundIn(data) {
    case .head(let h):
      head = h
      bodyLength = 0
    case .body(let b):
      bodyLength += b.readableBytes
    case .end:
      guard let head, !answered else { return }
      answered = true
      let request = IncomingRequest(
        method: head.method.rawValue, target: head.uri, headers: head.headers.map { ($0.name, $0.value) },
        bodyLength: bodyLength, tls: tls, localPort: localPort)
      let channel = context.channel
      switch state.answer(request) {
      case .close:
        context.close(promise: nil)
      case .send(let bytes):
        context.writeAndFlush(wrapOutboundOut(channel.allocator.buffer(bytes: bytes))).whenComplete { _ in
          channel.close(promise: nil)
        }
      case .upgrade(let bytes):
        // The page closes the socket once open fires; the server never speaks the frame protocol, so it drops
        // the connection a second later.
        context.writeAndFlush(wrapOutboundOut(channel.allocator.buffer(bytes: bytes))).whenComplete { _ in
          channel.eventLoop.scheduleTask(in: .seconds(1)) { channel.close(promise: nil) }
        }
      }
    }
  }

  func errorCaught(context: ChannelHandlerContext, error: Error) {
    context.close(promise: nil)
  }
}
