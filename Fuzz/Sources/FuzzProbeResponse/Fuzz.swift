import CFuzzerDriver
import CORSSimulator
import NIOCore
import NIOEmbedded
import NIOHTTP1

/// Bytes a server sends to the live probe: read by the HTTP/1 response decoder AsyncHTTPClient installs
/// (NIO's `HTTPResponseDecoder`), then handled as CORSProbe handles an answer — a status outside 100–599
/// is no answer; a final answer's header lines become the simulator's route, and the engines decide on it.
/// Whatever the bytes, this ends in an answer, an error, or no answer: never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProbeResponse(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data else { return 0 }
  let channel = EmbeddedChannel()
  defer { _ = try? channel.finish() }
  do {
    try channel.pipeline.syncOperations.addHTTPClientHandlers()
    // The decoder pairs each response with a request sent before it.
    try channel.writeOutbound(HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/data")))
    try channel.writeOutbound(HTTPClientRequestPart.end(nil))
    var buffer = channel.allocator.buffer(capacity: size)
    buffer.writeBytes(UnsafeBufferPointer(start: data, count: size))
    try channel.writeInbound(buffer)
  } catch {
    return 0
  }
  while let part = try? channel.readInbound(as: HTTPClientResponsePart.self) {
    guard case .head(let head) = part else { continue }
    let code = Int(head.status.code)
    // The probe's rule (CORSProbe's StatusLineGuard): a status outside 100–599 is no answer at all; the
    // client skips informational heads but 101, which ends the exchange with that status.
    guard (100...599).contains(code), code >= 200 || code == 101 else { continue }
    decide(status: code, headers: head.headers.map { ($0.name, $0.value) })
  }
  return 0
}

/// The answer as the simulator's server gives it (CORSProbe's `LiveExchange.route`), played for a credentialed
/// fetch with an author header in every engine.
func decide(status: Int, headers: [(String, String)]) {
  let url = try! URLRecord("https://api.example/data")
  let route = Route(url: url, status: status, headers: HeaderList(headers.map { HeaderField(HeaderName($0.0), $0.1) }))
  let preflight = Route(method: .options, url: url, status: status,
                        headers: HeaderList(headers.map { HeaderField(HeaderName($0.0), $0.1) }))
  for engine in Engine.allCases {
    var sim = Simulator(profile: .forEngine(engine), page: try! Page("https://app.example"), server: Server(routes: [preflight, route]))
    _ = sim.fetch(ScriptRequest(url: url.href, method: .put, headers: ["X-Token": "1"], credentials: .include))
    _ = sim.fetch(ScriptRequest(url: url.href))
  }
}

/// The entry point SwiftPM links (Package.swift): libFuzzer's driver, with this target's test.
@_cdecl("FuzzProbeResponse_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  var (count, vector) = (argc, argv)
  return LLVMFuzzerRunDriver(&count, &vector, fuzzProbeResponse)
}
