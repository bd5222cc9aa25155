/// The percent-encode sets the URL parser uses. url.bs #percent-encoded-bytes
enum PercentEncodeSet {
  case c0Control, fragment, query, specialQuery, path, userinfo

  func contains(_ c: Unicode.Scalar) -> Bool {
    let v = c.value
    // The C0 control percent-encode set: C0 controls and all code points greater than U+007E.
    if v <= 0x1F || v > 0x7E { return true }
    switch self {
    case .c0Control:
      return false
    case .fragment:
      return c == " " || c == "\"" || c == "<" || c == ">" || c == "`"
    case .query:
      return c == " " || c == "\"" || c == "#" || c == "<" || c == ">"
    case .specialQuery:
      return c == " " || c == "\"" || c == "#" || c == "<" || c == ">" || c == "'"
    case .path:
      return c == " " || c == "\"" || c == "#" || c == "<" || c == ">" || c == "?" || c == "^" || c == "`"
        || c == "{" || c == "}"
    case .userinfo:
      switch c {
      case " ", "\"", "#", "<", ">", "?", "`", "{", "}", "/", ":", ";", "=", "@", "[", "\\", "]", "^", "|": return true
      default: return false
      }
    }
  }
}

enum PercentEncoding {
  private static let hex: [Character] = Array("0123456789ABCDEF")

  /// UTF-8 percent-encode a code point using a percent-encode set. url.bs #utf-8-percent-encode
  static func append(_ c: Unicode.Scalar, to out: inout String, set: PercentEncodeSet) {
    guard set.contains(c) else {
      out.unicodeScalars.append(c)
      return
    }
    for byte in String(Character(c)).utf8 {
      out.append("%")
      out.append(hex[Int(byte >> 4)])
      out.append(hex[Int(byte & 0xF)])
    }
  }

  /// Percent-decode a string into bytes. url.bs #percent-decode
  static func decode(_ input: String) -> [UInt8] {
    let bytes = Array(input.utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var i = 0
    func hexValue(_ b: UInt8) -> UInt8? {
      switch b {
      case 0x30...0x39: return b - 0x30
      case 0x41...0x46: return b - 0x41 + 10
      case 0x61...0x66: return b - 0x61 + 10
      default: return nil
      }
    }
    while i < bytes.count {
      if bytes[i] == 0x25, i + 2 < bytes.count, let h = hexValue(bytes[i + 1]), let l = hexValue(bytes[i + 2]) {
        out.append(h << 4 | l)
        i += 3
      } else {
        out.append(bytes[i])
        i += 1
      }
    }
    return out
  }
}
