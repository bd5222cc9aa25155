import Crypto
import Foundation
import NIOCore
import NIOHPACK
import NIOHTTP2
import NIOPosix
import NIOSSL
import Synchronization
import X509

/// A loopback server that answers each request with exact bytes, whatever HTTP says: a broken or hostile server.
/// It reads a request's head (and the body its `Content-Length` announces), records the head, and writes the
/// reply the script gives for it; then it closes the connection or stalls (keeps it open and says nothing more).
final class RawServer: Sendable {
  enum Then: Sendable {
    /// Close the connection after the bytes.
    case close
    /// Keep the connection open and send nothing more.
    case stall
    /// Keep the connection open and answer its next request.
    case next
  }

  struct Reply: Sendable {
    var bytes: [UInt8]
    var then: Then
    init(_ text: String, then: Then = .close) {
      bytes = Array(text.utf8)
      self.then = then
    }
    /// Nothing at all, the connection kept open.
    static let silence = Reply("", then: .stall)
    /// A valid empty 200 that closes the connection, with extra header lines (`Name: value\r\n` each).
    static func ok(_ headers: String = "") -> Reply { Reply("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\(headers)\r\n") }
  }

  typealias Script = @Sendable (_ head: String, _ index: Int) -> Reply

  /// What the server saw: the request heads, in order, and the connections it accepted.
  final class Log: Sendable {
    struct State {
      var heads: [String] = []
      var connections: [Channel] = []
    }
    let state = Mutex(State())
  }

  let port: Int
  let log = Log()
  let script: Script
  private let listener: Channel

  /// Starts listening on a free loopback port.
  init(_ script: @escaping Script) async throws {
    let log = self.log
    self.script = script
    listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          log.state.withLock { $0.connections.append(channel) }
          try channel.pipeline.syncOperations.addHandler(RawConnection(script: script, log: log))
        }
      }
      .bind(host: "127.0.0.1", port: 0).get()
    port = listener.localAddress?.port ?? 0
  }

  /// The request heads received, in order (request line and header lines, CRLF-separated).
  var heads: [String] { log.state.withLock { $0.heads } }

  /// Closes the listener and every connection still open.
  func stop() async {
    try? await listener.close()
    for c in log.state.withLock({ $0.connections }) { try? await c.close() }
  }

}

/// One connection: reads a request (head and announced body), answers it from the script.
final class RawConnection: ChannelInboundHandler {
  typealias InboundIn = ByteBuffer
  let script: RawServer.Script
  let log: RawServer.Log
  var buffered = ByteBuffer()
  var stalled = false

  init(script: @escaping RawServer.Script, log: RawServer.Log) {
    self.script = script
    self.log = log
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    var chunk = unwrapInboundIn(data)
    buffered.writeBuffer(&chunk)
    while !stalled, let request = takeRequest() {
      let index = log.state.withLock { s in
        s.heads.append(request)
        return s.heads.count - 1
      }
      let reply = script(request, index)
      if !reply.bytes.isEmpty { context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: reply.bytes)), promise: nil) }
      switch reply.then {
      case .close: context.close(promise: nil); return
      case .stall: stalled = true
      case .next: continue
      }
    }
  }

  typealias OutboundOut = ByteBuffer

  /// The next whole request's head, its body consumed; nil until it has all arrived.
  func takeRequest() -> String? {
    let bytes = buffered.readableBytesView
    guard let end = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
    let head = String(decoding: bytes[..<end.lowerBound], as: UTF8.self)
    let length = head.split(separator: "\r\n").compactMap { line -> Int? in
      let parts = line.split(separator: ":", maxSplits: 1)
      guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
      return Int(parts[1].trimmingCharacters(in: .whitespaces))
    }.first ?? 0
    let total = end.upperBound - bytes.startIndex + length
    guard buffered.readableBytes >= total else { return nil }
    buffered.moveReaderIndex(forwardBy: total)
    buffered.discardReadBytes()
    return head
  }
}

/// Runs a body with a raw server, stopping it afterwards.
func withRawServer<T>(_ script: @escaping RawServer.Script, _ body: (RawServer) async throws -> T) async throws -> T {
  let server = try await RawServer(script)
  do {
    let result = try await body(server)
    await server.stop()
    return result
  } catch {
    await server.stop()
    throw error
  }
}

/// A loopback HTTPS server that speaks only HTTP/2 (ALPN `h2`, a self-signed certificate made at run time) and
/// answers every stream with one HEADERS frame holding exactly the `:status` given, and the stream's end.
final class RawH2Server: Sendable {
  let port: Int
  private let listener: Channel

  init(status: String, headers: [(String, String)] = []) async throws {
    let key = P256.Signing.PrivateKey()
    let name = try DistinguishedName { CommonName("corsim hostile h2 server") }
    let now = Date()
    let certificate = try Certificate(
      version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
      notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(86400),
      issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256, extensions: Certificate.Extensions(),
      issuerPrivateKey: .init(key))
    var tls = TLSConfiguration.makeServerConfiguration(
      certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(try certificate.serializeAsPEM().pemString.utf8), format: .pem))],
      privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(key.derRepresentation), format: .der)))
    tls.applicationProtocols = ["h2"]
    let context = try NIOSSLContext(configuration: tls)
    let block = HPACKHeaders([(":status", status)] + headers)
    listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
          _ = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
            mode: .server, connectionConfiguration: .init(), streamConfiguration: .init()
          ) { stream in
            stream.eventLoop.makeCompletedFuture { try stream.pipeline.syncOperations.addHandler(H2Answer(block: block)) }
          }
        }
      }
      .bind(host: "127.0.0.1", port: 0).get()
    port = listener.localAddress?.port ?? 0
  }

  func stop() async { try? await listener.close() }

  /// Answers a stream's request headers with the block, ending the stream.
  final class H2Answer: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias OutboundOut = HTTP2Frame.FramePayload
    let block: HPACKHeaders
    init(block: HPACKHeaders) { self.block = block }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
      guard case .headers = unwrapInboundIn(data) else { return }
      context.writeAndFlush(wrapOutboundOut(.headers(.init(headers: block, endStream: true))), promise: nil)
    }
  }
}
