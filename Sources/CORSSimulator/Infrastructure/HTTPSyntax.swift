#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level HTTP grammar used throughout the model. fetch.bs #terminology-http, RFC 9110 §5.6.2
enum HTTPSyntax {
  /// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
  /// (A bit per byte below 0x80, in two words: one test and a shift rather than a chain of comparisons.)
  @inline(__always)
  static func isTokenByte(_ b: UInt8) -> Bool {
    // Bits 0x21 0x23–0x27 0x2A 0x2B 0x2D 0x2E 0x30–0x39; then 0x41–0x5A 0x5E–0x60 0x61–0x7A 0x7C 0x7E.
    let low: UInt64 = 0x03FF_6CFA_0000_0000
    let high: UInt64 = 0x57FF_FFFF_C7FF_FFFE
    if b < 0x40 { return (low >> UInt64(b)) & 1 != 0 }
    if b < 0x80 { return (high >> UInt64(b &- 0x40)) & 1 != 0 }
    return false
  }

  /// Runs `body` over the string's UTF-8 bytes without copying them (native strings are contiguous).
  @inline(__always)
  static func withBytes<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if let r = s.utf8.withContiguousStorageIfAvailable(body) { return r }
    var copy = s
    return copy.withUTF8(body)
  }

  /// Whether two strings have the same bytes (a byte sequence is compared, as the standard's byte-case-sensitive
  /// comparisons ask): the lengths first, then the bytes where they are. Two equal strings stored apart (a header's
  /// value and a serialized origin) took the standard library's general comparison, about 100 instructions.
  @inline(__always)
  static func sameBytes(_ a: String, _ b: String) -> Bool {
    a.utf8.count == b.utf8.count && withBytes(b) { a.hasUTF8($0) }
  }

  /// Lends `body` the decimal digits of `n`, with a `-` when it is negative (as `String(n)` writes them), written in a
  /// buffer on the stack: for a writer that copies them on, with no string made of them.
  @inline(__always)
  static func withDecimal<R>(_ n: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    // Room for 20 digits and a sign, written from the end.
    var room: (UInt64, UInt64, UInt64) = (0, 0, 0)
    return withUnsafeMutableBytes(of: &room) { raw in
      var start = raw.count
      var rest = n.magnitude
      repeat {
        start -= 1
        raw[start] = 0x30 + UInt8(truncatingIfNeeded: rest % 10)
        rest /= 10
      } while rest > 0
      if n < 0 {
        start -= 1
        raw[start] = UInt8(ascii: "-")
      }
      return body(UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self) + start,
                                      count: raw.count - start))
    }
  }

  /// `1*DIGIT` (RFC 5234 DIGIT: the ASCII digits), as a header value's or a host label's text.
  static func isDigits(_ s: some StringProtocol) -> Bool {
    !s.isEmpty && s.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
  }

  /// Whether every byte is below 0x80.
  static func isASCII(_ s: String) -> Bool {
    withBytes(s) { allASCII($0) }
  }

  /// Whether every byte is below 0x80: eight bytes at a time, their high bits gathered and tested once.
  static func allASCII(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let p = b.baseAddress else { return true }
    var high: UInt64 = 0
    var k = 0
    while k + 8 <= b.count {
      high |= UnsafeRawPointer(p + k).loadUnaligned(as: UInt64.self)
      k += 8
    }
    while k < b.count {
      high |= UInt64(p[k])
      k += 1
    }
    return high & 0x8080_8080_8080_8080 == 0
  }

  /// `items` joined by the byte `separator`, built in one buffer of the right size (each item's bytes copied whole).
  static func join(_ items: [String], separator: UInt8) -> String {
    if items.isEmpty { return "" }
    if items.count == 1 { return items[0] }
    var total = items.count - 1
    for item in items { total += item.utf8.count }
    return String(unsafeUninitializedCapacity: total) { out in
      let base = out.baseAddress!
      var i = 0
      for k in items.indices {
        if k > 0 { base[i] = separator; i += 1 }
        i += withBytes(items[k]) { b in
          if let from = b.baseAddress { (base + i).update(from: from, count: b.count) }
          return b.count
        }
      }
      return i
    }
  }

  /// A non-empty sequence of tchar.
  static func isToken(_ s: String) -> Bool {
    withBytes(s) { b in !b.isEmpty && b.allSatisfy(isTokenByte) }
  }

  /// A non-empty sequence of tchar.
  static func isToken(_ s: some StringProtocol) -> Bool {
    var any = false
    for b in s.utf8 {
      guard isTokenByte(b) else { return false }
      any = true
    }
    return any
  }

  /// HTTP tab or space byte. fetch.bs #http-tab-or-space-byte
  @inline(__always)
  static func isTabOrSpace(_ b: UInt8) -> Bool { b == 0x09 || b == 0x20 }

  /// HTTP whitespace byte: tab, LF, CR, space. fetch.bs #http-whitespace-byte
  @inline(__always)
  static func isWhitespace(_ b: UInt8) -> Bool { b == 0x09 || b == 0x0A || b == 0x0D || b == 0x20 }

  /// Strips leading and trailing HTTP whitespace bytes. fetch.bs #concept-header-value-normalize
  static func normalizeValue(_ s: String) -> String {
    let (start, end, count) = withBytes(s) { b -> (Int, Int, Int) in
      var start = 0, end = b.count
      while start < end, isWhitespace(b[start]) { start += 1 }
      while end > start, isWhitespace(b[end - 1]) { end -= 1 }
      return (start, end, b.count)
    }
    if start == 0 && end == count { return s }
    return withBytes(s) { b in String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self) }
  }

  /// Strips leading and trailing HTTP tab-or-space bytes (what HTTP field parsing removes on the wire).
  static func trimTabOrSpace(_ s: Substring) -> Substring {
    let u = s.utf8
    guard let first = u.firstIndex(where: { !isTabOrSpace($0) }) else { return s[s.endIndex...] }
    let last = u.lastIndex(where: { !isTabOrSpace($0) })!
    return s[first...last]
  }

  /// A header value has no leading or trailing tab/space, and no NUL, LF or CR. fetch.bs #header-value
  static func isValidHeaderValue(_ s: String) -> Bool {
    withBytes(s) { u in
      if let f = u.first, isTabOrSpace(f) { return false }
      if let l = u.last, isTabOrSpace(l) { return false }
      for b in u where b == 0x00 || b == 0x0A || b == 0x0D { return false }
      return true
    }
  }

  /// ASCII case-insensitive equality without allocating.
  @inline(__always)
  static func equalsIgnoringASCIICase(_ a: some StringProtocol, _ b: some StringProtocol) -> Bool {
    let x = a.utf8, y = b.utf8
    guard x.count == y.count else { return false }
    var i = y.makeIterator()
    for c in x {
      let d = i.next()!
      if c == d { continue }
      let lc = (c >= 0x41 && c <= 0x5A) ? c | 0x20 : c
      let ld = (d >= 0x41 && d <= 0x5A) ? d | 0x20 : d
      if lc != ld { return false }
    }
    return true
  }

  /// Byte-lowercase (ASCII only). fetch.bs #byte-lowercase
  static func lowercased(_ s: String) -> String {
    let needs = withBytes(s) { b in b.contains { $0 >= 0x41 && $0 <= 0x5A } }
    if !needs { return s }
    return withBytes(s) { b in
      String(unsafeUninitializedCapacity: b.count) { out in
        for i in 0..<b.count { out[i] = (b[i] >= 0x41 && b[i] <= 0x5A) ? b[i] | 0x20 : b[i] }
        return b.count
      }
    }
  }

  static func lowercased(_ s: some StringProtocol) -> String {
    var needs = false
    for b in s.utf8 where b >= 0x41 && b <= 0x5A { needs = true; break }
    if !needs { return String(s) }
    let utf8 = s.utf8
    return String(unsafeUninitializedCapacity: utf8.count) { buffer in
      var i = 0
      for b in utf8 {
        buffer[i] = (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
        i += 1
      }
      return i
    }
  }

  /// `scheme://host` or `scheme://host:port`, written into one string at once (a chain of `+` or of appends built
  /// or grew a string per piece, and printing the port went through `description`).
  static func schemeHostPort(_ scheme: String, _ host: String, _ port: Int?) -> String {
    guard let port else { return schemeHostPort(scheme, host, digits: nil) }
    return withDecimal(port) { schemeHostPort(scheme, host, digits: $0) }
  }

  /// `scheme://host`, then `:` and the port's digits when there are some.
  private static func schemeHostPort(_ scheme: String, _ host: String, digits: UnsafeBufferPointer<UInt8>?) -> String {
    var scheme = scheme, host = host
    let total = scheme.utf8.count + 3 + host.utf8.count + (digits.map { 1 + $0.count } ?? 0)
    return String(unsafeUninitializedCapacity: total) { out in
      var i = 0
      scheme.withUTF8 { for b in $0 { out[i] = b; i += 1 } }
      out[i] = 0x3A; out[i + 1] = 0x2F; out[i + 2] = 0x2F
      i += 3
      host.withUTF8 { for b in $0 { out[i] = b; i += 1 } }
      if let digits {
        out[i] = 0x3A
        i += 1
        for b in digits { out[i] = b; i += 1 }
      }
      return i
    }
  }

  /// Whether `a`'s bytes are less than `b`'s (the byte order "sorted" means for header names, fetch.bs
  /// #convert-header-names-to-a-sorted-lowercase-set): a plain byte comparison, without the Unicode ordering of
  /// String's `<` (the same order for ASCII, at a fraction of the cost).
  static func bytesPrecede(_ a: String, _ b: String) -> Bool {
    // (Read in place: a native or small string's bytes are contiguous. Copies of the strings, to call `withUTF8`,
    // cost their retains and releases on every comparison of a sort.)
    if let answer = a.utf8.withContiguousStorageIfAvailable({ x in
      b.utf8.withContiguousStorageIfAvailable { y in bytesPrecede(x, y) }
    }), let answer { return answer }
    var a = a, b = b
    return a.withUTF8 { x in b.withUTF8 { y in bytesPrecede(x, y) } }
  }

  /// Whether the bytes `x` sort before the bytes `y` (bytewise, a prefix first).
  @inline(__always)
  static func bytesPrecede(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
    let n = Swift.min(x.count, y.count)
    for k in 0..<n where x[k] != y[k] { return x[k] < y[k] }
    return x.count < y.count
  }

  /// Whether `s` ends with the ASCII `suffix`, comparing bytes.
  @inline(__always)
  static func hasSuffix(_ s: String, _ suffix: StaticString) -> Bool {
    let n = suffix.utf8CodeUnitCount
    let p = suffix.utf8Start
    // The string's bytes in one piece (a native or small string): compared in place, the last byte first.
    if let answer = s.utf8.withContiguousStorageIfAvailable({ b -> Bool in
      guard b.count >= n else { return false }
      let offset = b.count - n
      var k = n - 1
      while k >= 0 {
        if b[offset + k] != p[k] { return false }
        k -= 1
      }
      return true
    }) {
      return answer
    }
    let u = s.utf8
    guard u.count >= n else { return false }
    var i = u.index(u.endIndex, offsetBy: -n)
    for k in 0..<n {
      if u[i] != p[k] { return false }
      i = u.index(after: i)
    }
    return true
  }

  /// Byte-uppercase (ASCII only). fetch.bs #byte-uppercase
  static func uppercased(_ s: some StringProtocol) -> String {
    String(decoding: s.utf8.map { ($0 >= 0x61 && $0 <= 0x7A) ? $0 - 0x20 : $0 }, as: UTF8.self)
  }
}

extension UnsafeBufferPointer<UInt8> {
  /// Whether every byte is below 0x80 (`HTTPSyntax.allASCII`: for a reader that checks a line's bytes before it makes
  /// a string of them).
  package var isASCII: Bool { HTTPSyntax.allASCII(self) }
}

extension String {
  /// Whether the string's UTF-8 is `bytes`, compared whole: for a reader that holds a text's bytes and looks for a
  /// string it kept, without making a string of them.
  package func hasUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    HTTPSyntax.withBytes(self) { b in
      guard b.count == bytes.count else { return false }
      guard let p = b.baseAddress, let q = bytes.baseAddress else { return b.count == 0 }
      return memcmp(p, q, b.count) == 0
    }
  }
}
