import Foundation

/// Why a host (and therefore its URL) failed to parse; the URL parser reports it in its error.
public enum HostParseFailure: String, Error, Sendable, Hashable {
  case emptyHost = "the host is empty"
  case forbiddenCodePoint = "the host contains a forbidden code point"
  case invalidIPv6 = "the IPv6 address is not valid"
  case invalidIPv4 = "the host ends in a number but is not a valid IPv4 address"
  case idnaFailure = "the host could not be converted to ASCII (IDNA)"
  case invalidPercentEncoding = "the host's percent-decoded bytes are not UTF-8"
}

/// The host parser. url.bs #concept-host-parser
enum HostParser {
  static func parse(_ input: String, isOpaque: Bool) -> Result<Host, HostParseFailure> {
    // 1. If input starts with U+005B ([), it must end with U+005D (]) and hold an IPv6 address.
    if input.utf8.first == 0x5B {
      let scalars = Array(input.unicodeScalars)
      guard scalars.last == "]", scalars.count >= 2 else { return .failure(.invalidIPv6) }
      guard let address = parseIPv6(Array(scalars[1..<(scalars.count - 1)])) else {
        return .failure(.invalidIPv6)
      }
      return .success(.ipv6(address))
    }
    // 2. If isOpaque, return the result of opaque-host parsing input.
    if isOpaque { return parseOpaque(Array(input.unicodeScalars)) }
    // 3–4. Let domain be the result of running UTF-8 decode without BOM on the percent-decoding of input (the input
    // itself when it holds no `%`: it is a string already).
    let domain: String
    if contains(input, "%") {
      guard let decoded = String(validating: PercentEncoding.decode(input), as: UTF8.self) else {
        return .failure(.invalidPercentEncoding)
      }
      domain = decoded
    } else {
      domain = input
    }
    // 5. Let asciiDomain be the result of running domain to ASCII with domain and false.
    guard let asciiDomain = domainToASCII(domain) else { return .failure(.idnaFailure) }
    if asciiDomain.isEmpty { return .failure(.emptyHost) }
    // 6. If asciiDomain ends in a number, return the result of IPv4 parsing asciiDomain.
    if endsInANumber(asciiDomain) {
      guard let v4 = parseIPv4(asciiDomain) else { return .failure(.invalidIPv4) }
      return .success(.ipv4(v4))
    }
    // 7. Return asciiDomain.
    return .success(.domain(asciiDomain))
  }

  /// Domain to ASCII with beStrict false. url.bs #concept-domain-to-ascii
  ///
  /// ASCII input is ASCII-lower-cased (UTS #46 maps nothing else for it); non-ASCII input goes through
  /// Foundation's UTS #46 processing (ICU `uidna_nameToASCII`, non-transitional, CheckBidi and
  /// CheckJoiners), so `faß.example` becomes `xn--fa-hia.example` as the URL Standard requires.
  static func domainToASCII(_ domain: String) -> String? {
    var result: String
    if HTTPSyntax.isASCII(domain) {
      result = HTTPSyntax.lowercased(domain)
      // Labels that claim to be punycode must decode; hand them to UTS #46 for validation.
      if contains(result, "xn--") {
        guard let checked = foundationToASCII(result) else { return nil }
        result = checked
      }
    } else {
      // A forbidden host code point would end the authority inside Foundation's parser; the URL
      // Standard rejects it anyway (step 3 of domain to ASCII checks forbidden domain code points).
      for s in domain.unicodeScalars where s.value < 0x80 && isForbiddenDomainCodePoint(s) { return nil }
      guard let converted = foundationToASCII(domain) else { return nil }
      result = converted
    }
    // 3. If result contains a forbidden domain code point, domain-invalid-code-point validation error, return failure.
    for s in result.unicodeScalars where isForbiddenDomainCodePoint(s) { return nil }
    return result
  }

  private static func foundationToASCII(_ domain: String) -> String? {
    var components = URLComponents()
    components.scheme = "http"
    components.host = domain
    guard let host = components.url?.host, !host.isEmpty else { return nil }
    // Foundation may percent-encode what ICU refused; such a host is a failure here.
    if contains(host, "%") { return nil }
    return host.lowercased()
  }

  /// Whether `text` holds `needle`'s bytes (byte for byte: Foundation's `contains` compares them as Unicode text,
  /// at many times the cost, for what is here ASCII).
  static func contains(_ text: String, _ needle: StaticString) -> Bool {
    let n = needle.utf8CodeUnitCount
    return HTTPSyntax.withBytes(text) { u in
      guard u.count >= n else { return false }
      let p = needle.utf8Start
      for start in 0...(u.count - n) {
        var k = 0
        while k < n, u[start + k] == p[k] { k += 1 }
        if k == n { return true }
      }
      return false
    }
  }

  /// Forbidden host code points. url.bs #forbidden-host-code-point
  static func isForbiddenHostCodePoint(_ c: Unicode.Scalar) -> Bool {
    switch c {
    case "\u{0}", "\t", "\n", "\r", " ", "#", "/", ":", "<", ">", "?", "@", "[", "\\", "]", "^", "|": return true
    default: return false
    }
  }

  /// Forbidden domain code points: forbidden host code points, C0 controls, `%` and U+007F.
  /// url.bs #forbidden-domain-code-point
  static func isForbiddenDomainCodePoint(_ c: Unicode.Scalar) -> Bool {
    isForbiddenHostCodePoint(c) || c.value <= 0x1F || c == "%" || c.value == 0x7F
  }

  /// The opaque-host parser. url.bs #concept-opaque-host-parser
  static func parseOpaque(_ input: [Unicode.Scalar]) -> Result<Host, HostParseFailure> {
    // 1. If input contains a forbidden host code point, return failure.
    for c in input where isForbiddenHostCodePoint(c) { return .failure(.forbiddenCodePoint) }
    // 4. Return the result of running UTF-8 percent-encode on input using the C0 control percent-encode set.
    var out = ""
    for c in input { PercentEncoding.append(c, to: &out, set: .c0Control) }
    return .success(out.isEmpty ? .empty : .opaque(out))
  }

  /// The ends-in-a-number checker. url.bs #ends-in-a-number-checker
  static func endsInANumber(_ input: String) -> Bool {
    // A last label that starts with anything but an ASCII digit is neither digits alone nor an IPv4 number (each
    // starts with a digit, `0x` too), so a domain such as `api.example` is answered without splitting it (steps
    // 1–3 below pick the same label: the one after the last dot, or before a single trailing one).
    let startsWithDigit = HTTPSyntax.withBytes(input) { u -> Bool in
      var end = u.count
      if end > 0 && u[end - 1] == 0x2E { end -= 1 }
      var start = end
      while start > 0 && u[start - 1] != 0x2E { start -= 1 }
      return start < end && u[start] >= 0x30 && u[start] <= 0x39
    }
    if !startsWithDigit { return false }
    // 1. Let parts be the result of strictly splitting input on U+002E (.).
    var parts = input.split(separator: ".", omittingEmptySubsequences: false)
    // 2. If the last item in parts is the empty string: if parts's size is 1, return false; remove it.
    if parts.last?.isEmpty == true {
      if parts.count == 1 { return false }
      parts.removeLast()
    }
    // 3. Let last be the last item in parts.
    guard let last = parts.last else { return false }
    // 4. If last is non-empty and contains only ASCII digits, return true.
    if HTTPSyntax.isDigits(last) { return true }
    // 5. If parsing last as an IPv4 number does not return failure, return true.
    return parseIPv4Number(Substring(last)) != nil
  }

  /// The IPv4 number parser. url.bs #ipv4-number-parser
  static func parseIPv4Number(_ input: Substring) -> UInt64? {
    // 1. If input is the empty string, then return failure.
    if input.isEmpty { return nil }
    var text = input
    var radix = 10
    // 3–4. 0x / 0X prefix → R = 16; a leading 0 → R = 8.
    if text.count >= 2, text.hasPrefix("0x") || text.hasPrefix("0X") {
      text = text.dropFirst(2); radix = 16
    } else if text.count >= 2, text.hasPrefix("0") {
      text = text.dropFirst(1); radix = 8
    }
    // 5. If input is the empty string, then return (0, true).
    if text.isEmpty { return 0 }
    // 6. If input contains a code point that is not a radix-R digit, then return failure.
    var value: UInt64 = 0
    for c in text.utf8 {
      let digit: UInt64
      switch c {
      case 0x30...0x39: digit = UInt64(c - 0x30)
      case 0x61...0x66: digit = UInt64(c - 0x61 + 10)
      case 0x41...0x46: digit = UInt64(c - 0x41 + 10)
      default: return nil
      }
      if digit >= UInt64(radix) { return nil }
      // Saturate: anything above 2^32 fails later anyway, and this keeps hostile input from overflowing.
      value = value > (1 << 40) ? value : value * UInt64(radix) + digit
    }
    return value
  }

  /// The IPv4 parser. url.bs #concept-ipv4-parser
  static func parseIPv4(_ input: String) -> UInt32? {
    // 1. Let parts be the result of strictly splitting input on U+002E (.).
    var parts = input.split(separator: ".", omittingEmptySubsequences: false)
    // 2. If the last item in parts is the empty string, remove it (if there is more than one part).
    if parts.last?.isEmpty == true, parts.count > 1 { parts.removeLast() }
    // 3. If parts's size is greater than 4, return failure.
    if parts.count > 4 { return nil }
    // 4–5. Parse each part as an IPv4 number.
    var numbers: [UInt64] = []
    for part in parts {
      guard let n = parseIPv4Number(part) else { return nil }
      numbers.append(n)
    }
    // 7. If any but the last item in numbers is greater than 255, return failure.
    for n in numbers.dropLast() where n > 255 { return nil }
    // 8. If the last item is greater than or equal to 256^(5 − numbers's size), return failure.
    let limit: UInt64 = 1 << (8 * UInt64(5 - numbers.count))
    guard let last = numbers.last, last < limit else { return nil }
    // 9–11. ipv4 = last, plus each earlier number × 256^(3 − counter).
    var ipv4 = last
    for (counter, n) in numbers.dropLast().enumerated() {
      ipv4 += n << (8 * UInt64(3 - counter))
    }
    return UInt32(truncatingIfNeeded: ipv4)
  }

  /// The IPv6 parser. url.bs #concept-ipv6-parser
  static func parseIPv6(_ input: [Unicode.Scalar]) -> IPv6Address? {
    var address = [UInt16](repeating: 0, count: 8)
    var pieceIndex = 0
    var compress: Int? = nil
    var pointer = 0
    func c(_ i: Int) -> Unicode.Scalar? { i < input.count ? input[i] : nil }
    func hexValue(_ s: Unicode.Scalar?) -> UInt32? {
      guard let s else { return nil }
      switch s.value {
      case 0x30...0x39: return s.value - 0x30
      case 0x61...0x66: return s.value - 0x61 + 10
      case 0x41...0x46: return s.value - 0x41 + 10
      default: return nil
      }
    }
    // 5. If c is U+003A (:), the remaining must start with "::".
    if c(pointer) == ":" {
      guard c(pointer + 1) == ":" else { return nil }
      pointer += 2
      pieceIndex += 1
      compress = pieceIndex
    }
    // 6. While c is not the EOF code point:
    while c(pointer) != nil {
      if pieceIndex == 8 { return nil }
      if c(pointer) == ":" {
        if compress != nil { return nil }
        pointer += 1
        pieceIndex += 1
        compress = pieceIndex
        continue
      }
      var value: UInt32 = 0
      var length = 0
      while length < 4, let h = hexValue(c(pointer)) {
        value = value * 0x10 + h
        pointer += 1
        length += 1
      }
      if c(pointer) == "." {
        // IPv4 in IPv6.
        if length == 0 { return nil }
        pointer -= length
        if pieceIndex > 6 { return nil }
        var numbersSeen = 0
        while let ch = c(pointer) {
          var ipv4Piece: UInt32? = nil
          if numbersSeen > 0 {
            if ch == "." && numbersSeen < 4 { pointer += 1 } else { return nil }
          }
          guard let first = c(pointer), first.value >= 0x30, first.value <= 0x39 else { return nil }
          while let d = c(pointer), d.value >= 0x30, d.value <= 0x39 {
            let number = d.value - 0x30
            if ipv4Piece == nil { ipv4Piece = number } else if ipv4Piece == 0 { return nil } else { ipv4Piece = ipv4Piece! * 10 + number }
            if ipv4Piece! > 255 { return nil }
            pointer += 1
          }
          address[pieceIndex] = address[pieceIndex] &* 0x100 &+ UInt16(ipv4Piece!)
          numbersSeen += 1
          if numbersSeen == 2 || numbersSeen == 4 { pieceIndex += 1 }
        }
        if numbersSeen != 4 { return nil }
        break
      } else if c(pointer) == ":" {
        pointer += 1
        if c(pointer) == nil { return nil }
      } else if c(pointer) != nil {
        return nil
      }
      address[pieceIndex] = UInt16(value)
      pieceIndex += 1
    }
    // 7. If compress is non-null, swap the pieces after it to the end.
    if let compressAt = compress {
      var swaps = pieceIndex - compressAt
      pieceIndex = 7
      while pieceIndex != 0 && swaps > 0 {
        address.swapAt(pieceIndex, compressAt + swaps - 1)
        pieceIndex -= 1
        swaps -= 1
      }
    } else if pieceIndex != 8 {
      // 8. Otherwise, if compress is null and pieceIndex is not 8, return failure.
      return nil
    }
    return IPv6Address(pieces: address)
  }
}
