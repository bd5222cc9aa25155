/// The bytes of a body written as text.
///
/// Bodies are text (a scenario's `body=`, the oracle's `"body"`), sent as UTF-8. A byte that is no UTF-8 text
/// of its own — 0x80 to 0xFF, which binary signatures need (an MP3 frame begins `FF FB`, a PNG `89 50 4E 47`) —
/// is carried by one code point of the Private Use Area, U+EF80 to U+EFFF (the code point U+EF00 plus the
/// byte, the mapping of MirBSD's OPTU-8), and stands for that single byte. The scenario language writes such a
/// byte `\x80`…`\xFF` inside `"…"` quotes; `\x00`…`\x7F` write the ASCII code point itself, which is its own
/// UTF-8 byte.
public enum BodyBytes {
  /// The first code point of the range that carries raw bytes (U+EF80 carries 0x80).
  static let base: UInt32 = 0xEF00

  /// The code point that writes `byte` into text: the byte itself when it is ASCII, else U+EF00 + byte.
  public static func scalar(forByte byte: UInt8) -> Unicode.Scalar {
    Unicode.Scalar(byte < 0x80 ? UInt32(byte) : base + UInt32(byte))!
  }

  /// The raw byte a code point carries (0x80–0xFF), or nil when it is ordinary text.
  public static func rawByte(_ scalar: Unicode.Scalar) -> UInt8? {
    scalar.value >= base + 0x80 && scalar.value <= base + 0xFF ? UInt8(scalar.value - base) : nil
  }

  /// The text that stands for `bytes` (the inverse of `bytes(_:)`): UTF-8 decoded, each byte that is not part of a
  /// valid sequence carried by its code point, and so are the bytes of a valid sequence that would itself read as a
  /// carrier (U+EF80…U+EFFF), so that `bytes(text(b)) == b` for any `b`. Linear in the bytes.
  public static func text(_ bytes: [UInt8]) -> String {
    var out = String.UnicodeScalarView()
    var parser = Unicode.UTF8.ForwardParser()
    var iterator = bytes.makeIterator()
    var offset = 0
    func raw(_ count: Int) {
      for k in offset..<(offset + count) { out.append(scalar(forByte: bytes[k])) }
      offset += count
    }
    while true {
      switch parser.parseScalar(from: &iterator) {
      case .valid(let encoded):
        let decoded = Unicode.UTF8.decode(encoded)
        if rawByte(decoded) != nil {
          raw(encoded.count)
        } else {
          out.append(decoded)
          offset += encoded.count
        }
      case .error(let length):
        raw(length)
      case .emptyInput:
        return String(out)
      }
    }
  }

  /// The bytes a text body stands for: UTF-8, each raw-byte code point replaced by its byte. Linear in the text.
  public static func bytes(_ text: String) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      if let byte = rawByte(scalar) {
        out.append(byte)
      } else {
        out.append(contentsOf: UTF8.encode(scalar)!)
      }
    }
    return out
  }
}
