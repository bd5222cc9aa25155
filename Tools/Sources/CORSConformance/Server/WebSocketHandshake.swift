import CORSSimulator
import Crypto
import Foundation

/// The server's side of a WebSocket opening handshake, for routes that answer one with 101.
///
/// A scenario cannot know the browser's `Sec-WebSocket-Key` (16 random bytes per connection), so its route writes
/// the accept value for the key the simulator sends (RFC 6455 §1.3's sample), standing for "computed from the
/// request's key". Here that value is replaced by the one for the browser's key; any other value is sent as
/// written (a server that gets it wrong).
enum WebSocketHandshake {
  /// RFC 6455 §1.3: the GUID appended to the key.
  static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

  /// base64(SHA-1(key + GUID)). RFC 6455 §4.2.2 step 5.4
  static func accept(forKey key: String) -> String {
    Data(Insecure.SHA1.hash(data: Data((key.trimmingWhitespace + guid).utf8))).base64EncodedString()
  }

  /// The route's header lines with the stand-in accept value replaced by the one for `key`.
  static func answering(_ lines: HeaderList, key: String) -> HeaderList {
    var out = HeaderList()
    for line in lines {
      if line.name == "sec-websocket-accept" && line.value == WebSocketSampleKey.acceptValue {
        out.append(HeaderField(line.name, accept(forKey: key)))
      } else {
        out.append(line)
      }
    }
    return out
  }
}
