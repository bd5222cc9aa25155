import CORSScenario
import NIOCore
import NIOPosix
import NIOSSL
import Testing

@testable import CORSConformance

/// The same port answers TLS, with the certificate made at run time.
@Suite struct TLSTests {
  /// Collects everything the server sends until it closes.
  final class Collector: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    var bytes: [UInt8] = []
    let done: EventLoopPromise<[UInt8]>
    init(done: EventLoopPromise<[UInt8]>) { self.done = done }
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
      var buffer = unwrapInboundIn(data)
      bytes += buffer.readBytes(length: buffer.readableBytes) ?? []
    }
    func channelInactive(context: ChannelHandlerContext) { done.succeed(bytes) }
    func errorCaught(context: ChannelHandlerContext, error: Error) {
      // The server closes right after its response; an unclean TLS shutdown is expected.
      context.close(promise: nil)
    }
  }

  @Test("a TLS client gets the route's exact bytes on the port that also serves plain HTTP")
  func tlsOnTheSamePort() async throws {
    let plan = ConformancePlan(jsonLines: """
      {"id": "t", "page": "https://app.test:8443/", "steps": [{"url": "https://api.test:8443/d"}], "server": [{"url": "https://api.test:8443/d", "headers": [["Access-Control-Allow-Origin", "*"], ["A", "1"], ["A", "2"]], "body": "tls"}]}
      """)
    let certificate = try TestCertificate(hosts: plan.hostNames)
    #expect(certificate.caPEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
    let state = HarnessState(plan: plan)
    let server = ScriptedServer(state: state, tls: certificate.context)
    let port = try await server.listen(ports: [0])[0]
    var configuration = TLSConfiguration.makeClientConfiguration()
    configuration.certificateVerification = .none
    let context = try NIOSSLContext(configuration: configuration)
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let done = group.next().makePromise(of: [UInt8].self)
    let channel = try await ClientBootstrap(group: group).channelInitializer { channel in
      channel.eventLoop.makeCompletedFuture {
        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: context, serverHostname: "api.test"))
        try channel.pipeline.syncOperations.addHandler(Collector(done: done))
      }
    }.connect(host: "127.0.0.1", port: port).get()
    try await channel.writeAndFlush(ByteBuffer(string: "GET /~corsim/0/d HTTP/1.1\r\nHost: api.test:8443\r\n\r\n")).get()
    let bytes = try await done.futureResult.get()
    #expect(String(decoding: bytes, as: UTF8.self)
            == "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nA: 1\r\nA: 2\r\n\r\ntls")
    #expect(state.log.first?.url == "https://api.test:8443/d" && state.log.first?.tls == true)
    try? await group.shutdownGracefully()
    await server.shutdown()
  }
}
