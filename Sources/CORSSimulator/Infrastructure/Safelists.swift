/// The named header sets of the Fetch standard, and the CORS-safelisted request-header rules.
public enum Safelists {
  /// The 21 forbidden request-header names. fetch.bs #forbidden-request-header step 1
  static let forbiddenRequestHeaderNames: Set<String> = [
    "accept-charset", "accept-encoding", "access-control-request-headers", "access-control-request-method",
    "connection", "content-length", "cookie", "cookie2", "date", "dnt", "expect", "host", "keep-alive", "origin",
    "referer", "set-cookie", "te", "trailer", "transfer-encoding", "upgrade", "via",
  ]

  /// Is (name, value) a forbidden request-header? fetch.bs #forbidden-request-header
  public static func isForbiddenRequestHeader(_ name: HeaderName, _ value: String) -> Bool {
    // 1. If name is a byte-case-insensitive match for one of the listed names, return true.
    //    (Every listed name has a well-known ID: told by the ID, without hashing the name.)
    if name.isForbiddenRequestName { return true }
    if name.wellKnown != 0 { return false }  // no other well-known name starts with proxy-, sec- or x-
    let n = name.canonicalName
    let (first, length) = HTTPSyntax.withBytes(n) { b in (b.first ?? 0, b.count) }
    // 2. If name when byte-lowercased starts with `proxy-` or `sec-`, then return true.
    if (first == 0x70 && n.hasPrefix("proxy-")) || (first == 0x73 && n.hasPrefix("sec-")) { return true }
    // 3. X-HTTP-Method, X-HTTP-Method-Override, X-Method-Override: forbidden if a split value is a forbidden method.
    //    (Names of other lengths are not compared: most author headers start with x-.)
    if first == 0x78, (length == 13 && n == "x-http-method") || (length == 22 && n == "x-http-method-override")
      || (length == 17 && n == "x-method-override") {
      for item in HeaderList.decodeSplit(value) where Method.isForbidden(item) { return true }
    }
    return false
  }

  /// `Set-Cookie` and `Set-Cookie2`. fetch.bs #forbidden-response-header-name
  public static func isForbiddenResponseHeaderName(_ canonical: String) -> Bool {
    canonical == "set-cookie" || canonical == "set-cookie2"
  }

  /// Content-Encoding, Content-Language, Content-Location, Content-Type. fetch.bs #request-body-header-name
  public static func isRequestBodyHeaderName(_ canonical: String) -> Bool {
    canonical == "content-encoding" || canonical == "content-language" || canonical == "content-location"
      || canonical == "content-type"
  }

  /// The seven CORS-safelisted response-header names. fetch.bs #cors-safelisted-response-header-name
  public static let safelistedResponseHeaderNames: Set<String> = [
    "cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma",
  ]

  /// One of the seven names, lower-case. fetch.bs #cors-safelisted-response-header-name
  static func isSafelistedResponseHeaderName(_ canonical: String) -> Bool {
    switch canonical {
    case "cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma":
      return true
    default:
      return false
    }
  }

  /// A CORS-unsafe request-header byte. fetch.bs #cors-unsafe-request-header-byte
  @inline(__always)
  static func isCORSUnsafeRequestHeaderByte(_ b: UInt8) -> Bool {
    switch b {
    case 0x09: return false
    case 0x00...0x1F, 0x22, 0x28, 0x29, 0x3A, 0x3C, 0x3E, 0x3F, 0x40, 0x5B, 0x5C, 0x5D, 0x7B, 0x7D, 0x7F: return true
    default: return false
    }
  }

  /// Whether any byte a request header value stands for satisfies `predicate`. The value's code points
  /// are at most U+00FF (a ByteString, checked by the API layer) and stand for Latin-1 bytes.
  @inline(__always)
  static func anyRequestValueByte(_ value: String, _ predicate: (UInt8) -> Bool) -> Bool {
    let (asciiHit, ascii) = HTTPSyntax.withBytes(value) { bytes -> (Bool, Bool) in
      var allASCII = true
      for b in bytes {
        if b >= 0x80 { allASCII = false } else if predicate(b) { return (true, allASCII) }
      }
      return (false, allASCII)
    }
    if asciiHit { return true }
    if ascii { return false }
    // Non-ASCII code points (U+0080–U+00FF) are bytes 0x80–0xFF.
    for s in value.unicodeScalars where s.value >= 0x80 {
      if predicate(UInt8(truncatingIfNeeded: s.value)) { return true }
    }
    return false
  }

  /// The length in bytes of a request header value (a ByteString: one byte per code point).
  static func requestValueLength(_ value: String) -> Int {
    // ASCII strings have as many UTF-8 bytes as code points.
    let ascii = HTTPSyntax.isASCII(value)
    return ascii ? value.utf8.count : value.unicodeScalars.count
  }

  /// Is (name, value) a CORS-safelisted request-header? fetch.bs #cors-safelisted-request-header
  ///
  /// `extra` lets a browser profile add its own safelisted names (Chromium's client hints).
  /// `nonASCIIUnsafe` and `rangeUnitCaseInsensitive` are engine departures (Firefox, WebKit).
  public static func isCORSSafelistedRequestHeader(_ name: HeaderName, _ value: String,
                                                   extra: ((String, String) -> Bool)? = nil,
                                                   nonASCIIUnsafe: Bool = false,
                                                   rangeUnitCaseInsensitive: Bool = false) -> Bool {
    @inline(__always)
    func unsafeByte(_ b: UInt8) -> Bool { (nonASCIIUnsafe && b >= 0x80) || isCORSUnsafeRequestHeaderByte(b) }
    // A name that is none of the five (and not the profile's own) is never safelisted: answer before
    // measuring the value (step 1 could only say false as well).
    if name.wellKnown == 0 || name.wellKnown > 5 {
      guard let extra else { return false }
      if requestValueLength(value) > 128 { return false }
      return extra(name.canonicalName, value)
    }
    // 1. If value's length is greater than 128, then return false.
    if requestValueLength(value) > 128 { return false }
    // 2. Byte-lowercase name and switch on the result:
    // The five names have well-known IDs: accept 1, accept-language 2, content-language 3, content-type 4, range 5.
    switch name.wellKnown {
    case 1:  // accept
      // If value contains a CORS-unsafe request-header byte, then return false.
      return !anyRequestValueByte(value, unsafeByte)
    case 2, 3:  // accept-language, content-language
      // If value contains a byte that is not 0-9, A-Z, a-z, 0x20, 0x2A, 0x2C, 0x2D, 0x2E, 0x3B or 0x3D, return false.
      return !anyRequestValueByte(value) { b in
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x20, 0x2A, 0x2C, 0x2D, 0x2E, 0x3B, 0x3D: return false
        default: return true
        }
      }
    case 4:  // content-type
      // 1. If value contains a CORS-unsafe request-header byte, then return false.
      if anyRequestValueByte(value, unsafeByte) { return false }
      // 2–3. Let mimeType be the result of parsing the result of isomorphic decoding value; failure → false.
      // 4. If mimeType's essence is not one of the three, then return false.
      //    (The three are compared on the bytes, without building the essence. No engine's own list names a
      //    Content-Type: Chromium 156's has none, so `extra` is not asked here.)
      return MIMEType.essenceIsSafelisted(value)
    case 5:  // range
      // 1. Let rangeValue be the result of parsing a single range header value given value and false.
      // 2. If rangeValue is failure, then return false.
      // 3. If rangeValue[0] is null, then return false (suffix ranges are not safelisted).
      guard let range = parseSingleRangeHeaderValue(value, allowWhitespace: false,
                                                    unitCaseInsensitive: rangeUnitCaseInsensitive),
            range.start != nil else {
        return false
      }
      return true
    default:
      return extra?(name.canonicalName, value) ?? false
    }
  }

  /// Parse a single range header value. fetch.bs #simple-range-header-value
  static func parseSingleRangeHeaderValue(_ value: String, allowWhitespace: Bool,
                                          unitCaseInsensitive: Bool = false) -> (start: UInt64?, end: UInt64?)? {
    let bytes = Array(value.utf8)
    var p = 0
    func skipWhitespace() { if allowWhitespace { while p < bytes.count, HTTPSyntax.isTabOrSpace(bytes[p]) { p += 1 } } }
    func digits() -> UInt64?? {
      let start = p
      var v: UInt64 = 0
      while p < bytes.count, bytes[p] >= 0x30, bytes[p] <= 0x39 {
        let (m, o1) = v.multipliedReportingOverflow(by: 10)
        let (a, o2) = m.addingReportingOverflow(UInt64(bytes[p] - 0x30))
        if o1 || o2 { return .none }
        v = a
        p += 1
      }
      return p == start ? .some(nil) : .some(v)
    }
    // 3. If the code point substring from position to position + 5 is not "bytes", then return failure.
    //    (Quirk(webkit): the unit is matched case-insensitively, so `Bytes=0-1` is safelisted.)
    guard bytes.count >= 5 else { return nil }
    let unit = unitCaseInsensitive ? bytes[0..<5].map { $0 | 0x20 } : Array(bytes[0..<5])
    guard unit == Array("bytes".utf8) else { return nil }
    p = 5
    // 4–6. Optional whitespace, then "=", then optional whitespace.
    skipWhitespace()
    guard p < bytes.count, bytes[p] == 0x3D else { return nil }
    p += 1
    skipWhitespace()
    // 7–9. Collect ASCII digits as the start.
    guard let start = digits() else { return nil }
    // 10. If the code point at position is not "-", then return failure.
    guard p < bytes.count, bytes[p] == 0x2D else { return nil }
    p += 1
    skipWhitespace()
    // 12–14. Collect ASCII digits as the end.
    guard let end = digits() else { return nil }
    // 15. If position is not past the end of input, then return failure.
    guard p == bytes.count else { return nil }
    // 16. If rangeEnd and rangeStart are both null, return failure.
    if start == nil && end == nil { return nil }
    // 17. If rangeStart and rangeEnd are numbers and rangeStart is greater than rangeEnd, return failure.
    if let s = start, let e = end, s > e { return nil }
    return (start, end)
  }

  /// The CORS-unsafe request-header names of a header list, lower-case, unique and sorted.
  /// fetch.bs #cors-unsafe-request-header-names
  ///
  /// `totalLimit` is the 1024-byte rule's limit (nil where an engine does not apply it).
  public static func corsUnsafeRequestHeaderNames(_ headers: HeaderList, totalLimit: Int? = 1024,
                                                  extra: ((String, String) -> Bool)? = nil,
                                                  nonASCIIUnsafe: Bool = false,
                                                  rangeUnitCaseInsensitive: Bool = false,
                                                  deduplicated: Bool = true) -> [String] {
    // (The lines are read in place, by index: iterating them by value copies each one.)
    let fields = headers.fields
    func safelisted(_ i: Int) -> Bool {
      isCORSSafelistedRequestHeader(fields[i].name, fields[i].value, extra: extra, nonASCIIUnsafe: nonASCIIUnsafe,
                                    rangeUnitCaseInsensitive: rangeUnitCaseInsensitive)
    }
    // 1. Let unsafeNames, potentiallyUnsafeNames be empty lists; 2. safelistValueSize 0.
    var unsafeNames: [String] = []
    var safelistValueSize = 0
    // 4. For each header of headers:
    for i in fields.indices {
      if !safelisted(i) {
        // 1. If header is not a CORS-safelisted request-header, then append header's name to unsafeNames.
        if unsafeNames.isEmpty { unsafeNames.reserveCapacity(fields.count) }
        unsafeNames.append(fields[i].name.canonicalName)
      } else {
        // 2. Otherwise, append header's name to potentiallyUnsafeNames and increase safelistValueSize.
        //    (potentiallyUnsafeNames is only read when the total is over the limit: collected then, below.)
        safelistValueSize += requestValueLength(fields[i].value)
      }
    }
    // 5. If safelistValueSize is greater than 1024, then append each of potentiallyUnsafeNames to unsafeNames.
    if let limit = totalLimit, safelistValueSize > limit {
      for i in fields.indices where safelisted(i) {
        unsafeNames.append(fields[i].name.canonicalName)
      }
    }
    // 6. Return the result of convert header names to a sorted-lowercase set with unsafeNames.
    //    (`deduplicated: false`: sorted, one name per unsafe line — Firefox's Access-Control-Request-Headers.)
    if !deduplicated { return unsafeNames.sorted(by: HTTPSyntax.bytesPrecede) }
    return sortedLowercaseSet(consume unsafeNames)  // handed over: sorted in its own buffer, not a copy
  }

  /// Convert header names to a sorted-lowercase set. fetch.bs #convert-header-names-to-a-sorted-lowercase-set
  static func sortedLowercaseSet(_ names: consuming [String]) -> [String] {
    if names.count <= 1 { return names }
    if names.count <= smallCollectionLimit {
      // Few names: insertion sort and drop repeats in place (one buffer, no second array; the caller's own when it
      // hands the names over).
      // (The names are moved within the buffer, by swapping: assigning one slot from another retained and released
      // each string it moved.)
      var a = consume names
      let w = a.withUnsafeMutableBufferPointer { b -> Int in
        for i in 1..<b.count {
          var j = i
          while j > 0 && HTTPSyntax.bytesPrecede(b[j], b[j - 1]) {
            b.swapAt(j, j - 1)
            j -= 1
          }
        }
        var w = 1
        for r in 1..<b.count where b[r] != b[w - 1] {
          if r != w { b.swapAt(w, r) }
          w += 1
        }
        return w
      }
      a.removeLast(a.count - w)
      return a
    }
    let sorted = names.sorted(by: HTTPSyntax.bytesPrecede)
    var unique: [String] = [sorted[0]]
    unique.reserveCapacity(sorted.count)
    for name in sorted.dropFirst() where name != unique[unique.count - 1] { unique.append(name) }
    return unique
  }

  /// A no-CORS-safelisted request-header: one of Accept, Accept-Language, Content-Language, Content-Type
  /// that is also CORS-safelisted. fetch.bs #no-cors-safelisted-request-header
  public static func isNoCORSSafelistedRequestHeader(_ name: HeaderName, _ value: String) -> Bool {
    switch name.canonicalName {
    case "accept", "accept-language", "content-language", "content-type":
      return isCORSSafelistedRequestHeader(name, value)
    default:
      return false
    }
  }
}
