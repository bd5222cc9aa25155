/// A parsed host. URL Standard §3.1 Host representation (url.bs #concept-host)
public enum Host: Sendable, Hashable {
  /// An ASCII domain, already lower-cased and (for non-ASCII input) converted to punycode.
  case domain(String)
  /// An IPv4 address as a 32-bit number.
  case ipv4(UInt32)
  /// An IPv6 address as eight 16-bit pieces.
  case ipv6(IPv6Address)
  /// The host of a non-special URL: percent-encoded, not interpreted.
  case opaque(String)
  /// The empty host (`file:///`, or non-special URLs such as `x://`).
  case empty

  /// The host serializer. url.bs #concept-host-serializer
  public var serialized: String {
    switch self {
    case .domain(let d): return d
    case .ipv4(let v): return Host.serializeIPv4(v)
    case .ipv6(let a): return "[" + a.serialized + "]"
    case .opaque(let s): return s
    case .empty: return ""
    }
  }

  /// True for IPv4 and IPv6 addresses.
  public var isIPAddress: Bool {
    switch self {
    case .ipv4, .ipv6: return true
    default: return false
    }
  }

  /// The domain, when the host is one.
  public var domain: String? {
    if case .domain(let d) = self { return d }
    return nil
  }

  static func serializeIPv4(_ v: UInt32) -> String {
    "\(v >> 24).\((v >> 16) & 0xFF).\((v >> 8) & 0xFF).\(v & 0xFF)"
  }
}

/// Eight 16-bit pieces. url.bs #concept-ipv6
public struct IPv6Address: Sendable, Hashable {
  /// The pieces, most significant first.
  public var pieces: [UInt16]

  /// Creates an address from exactly eight pieces.
  public init(pieces: [UInt16]) {
    precondition(pieces.count == 8)
    self.pieces = pieces
  }

  /// The IPv6 serializer: lower-case hex, the first longest run (of at least two) of zero pieces
  /// compressed to `::`. url.bs #concept-ipv6-serializer
  public var serialized: String {
    // 1–2. Find the first longest sequence of two or more 0 pieces.
    var compress: Int? = nil
    var bestLength = 1
    var i = 0
    while i < 8 {
      if pieces[i] == 0 {
        var j = i
        while j < 8 && pieces[j] == 0 { j += 1 }
        if j - i > bestLength { bestLength = j - i; compress = i }
        i = j
      } else {
        i += 1
      }
    }
    var out = ""
    var ignore0 = false
    for index in 0..<8 {
      if ignore0 && pieces[index] == 0 { continue }
      ignore0 = false
      if compress == index {
        out += index == 0 ? "::" : ":"
        ignore0 = true
        continue
      }
      out += String(pieces[index], radix: 16)
      if index != 7 { out += ":" }
    }
    return out
  }
}
