import CORSSimulator
import Testing

@testable import CORSConformance

@Suite struct WireResponseTests {
  @Test("bodiless responses: HEAD, 1xx, 204, 304")
  func bodiless() {
    let route = WireRoute(status: 304, headerLines: [("ETag", "x")], body: "never")
    #expect(WireResponse.route(route, method: "GET") == Array("HTTP/1.1 304 Not Modified\r\nETag: x\r\n\r\n".utf8))
    #expect(!WireResponse.hasBody(status: 200, method: "HEAD"))
    #expect(!WireResponse.hasBody(status: 204, method: "GET"))
    #expect(WireResponse.hasBody(status: 404, method: "POST"))
  }

  @Test("a body's raw-byte code points go out as their bytes, the rest as UTF-8: a media file served byte for byte")
  func rawBytes() {
    // `"\xFF\xFB\x41é"` in a scenario: two raw bytes, an ASCII byte, é as UTF-8; U+0090 is text (UTF-8 too).
    let route = WireRoute(status: 200, headerLines: [], body: "\u{EFFF}\u{EFFB}\u{41}é\u{90}")
    #expect(WireResponse.route(route, method: "GET")
            == Array("HTTP/1.1 200 OK\r\n\r\n".utf8) + [0xFF, 0xFB, 0x41, 0xC3, 0xA9, 0xC2, 0x90])
  }

  @Test("a status without a registered phrase still gets a reason phrase token")
  func phrase() {
    let route = WireRoute(status: 299, headerLines: [])
    #expect(WireResponse.route(route, method: "GET") == Array("HTTP/1.1 299 Status\r\n\r\n".utf8))
  }

  @Test("harness responses are framed by Content-Length and close the connection")
  func harness() {
    let text = String(decoding: WireResponse.harness(contentType: "text/plain", body: Array("hi".utf8)), as: UTF8.self)
    #expect(text == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nCache-Control: no-store\r\n"
            + "Cross-Origin-Resource-Policy: cross-origin\r\nConnection: close\r\n\r\nhi")
  }
}
