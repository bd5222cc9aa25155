import NIOCore
import NIOHTTP1
import NIOHTTP2

/// A status line that is not an answer: the code is outside 100–599 (RFC 9110 §15: "All valid status codes are
/// within the range of 100 to 599, inclusive"), or the line could not be parsed at all.
public struct InvalidStatusLine: Error, CustomStringConvertible, Hashable {
  /// The three-digit code, when the line had one.
  public var code: Int?
  public var description: String {
    guard let code else { return "invalid status line" }
    let digits = String(code)
    return "invalid status line: status " + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
  }
}

/// Stands between the response decoder and AsyncHTTPClient's request handler and turns a response head whose
/// status is outside 100–599 into an error, dropping the rest of that message.
///
/// Why: AsyncHTTPClient's `HTTPRequestStateMachine.receivedHTTPResponseHead` ignores every head whose code is
/// below 200 (other than 101) as informational, waiting for the final head. NIO's `HTTPResponseDecoder` treats
/// only 100–199 as informational, so a head with a code below 100 (`HTTP/1.1 000 Zero`, `099`) is a final one
/// to the decoder: its body and end follow, and reach the state machine while it still waits for a head —
/// `receivedHTTPResponseBodyPart` and `receivedHTTPResponseEnd` stop the process there with
/// `preconditionFailure` ("How can we receive a response end, if we haven't a received a head"). The same
/// holds on HTTP/2, where `:status` becomes the same head. The guard answers for every response the client
/// reads, on every connection, at no cost to valid ones.
///
/// Informational heads (100–199) pass: the client skips 100, 102–199 and waits for the final answer (a 100
/// followed by a 200 is the 200); 101 ends the exchange with status 101, as browsers expose it
/// (web-platform-tests fetch/security/1xx-response.any.js).
final class StatusLineGuard: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPClientResponsePart
  typealias InboundOut = HTTPClientResponsePart

  /// The codes a response may have.
  static let valid = 100...599

  /// True once a head was refused: the rest of the connection's input is dropped, and it is closed.
  private var refused = false

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    if refused { return }
    if case .head(let head) = unwrapInboundIn(data), !StatusLineGuard.valid.contains(Int(head.status.code)) {
      refused = true
      context.fireErrorCaught(InvalidStatusLine(code: Int(head.status.code)))
      context.close(promise: nil)
      return
    }
    context.fireChannelRead(data)
  }

  /// Puts a guard after the HTTP/1 response decoder AsyncHTTPClient installed on a new connection.
  /// Fails (and so fails the connection, never the process) if that decoder is not there.
  @Sendable static func installHTTP1(_ channel: Channel) -> EventLoopFuture<Void> {
    channel.eventLoop.submit {
      let pipeline = channel.pipeline.syncOperations
      let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPResponseDecoder>.self)
      try pipeline.addHandler(StatusLineGuard(), position: .after(decoder))
    }
  }

  /// Puts a guard after the HTTP/2-to-HTTP/1 codec of a new HTTP/2 stream.
  @Sendable static func installHTTP2(_ channel: Channel) -> EventLoopFuture<Void> {
    channel.eventLoop.submit {
      let pipeline = channel.pipeline.syncOperations
      let codec = try pipeline.handler(type: HTTP2FramePayloadToHTTP1ClientCodec.self)
      try pipeline.addHandler(StatusLineGuard(), position: .after(codec))
    }
  }
}
