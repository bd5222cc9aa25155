/// The part of a parsed MIME type that CORS needs. mimesniff.bs #mime-type
public struct MIMEType: Sendable, Hashable {
  /// The type, ASCII lower-case.
  public var type: String
  /// The subtype, ASCII lower-case.
  public var subtype: String
  /// `type/subtype`. mimesniff.bs #mime-type-essence
  public var essence: String { type + "/" + subtype }

  /// Parse a MIME type; parameters are parsed leniently and never cause failure, so only the essence is
  /// kept. mimesniff.bs #parse-a-mime-type
  public static func parse(_ input: String) -> MIMEType? {
    HTTPSyntax.withBytes(input) { parse(bytes: $0) }
  }

  /// Whether the value parses as a MIME type whose essence is `application/x-www-form-urlencoded`,
  /// `multipart/form-data` or `text/plain` (the CORS-safelisted Content-Types), without building strings.
  static func essenceIsSafelisted(_ input: String) -> Bool {
    HTTPSyntax.withBytes(input) { u in
      guard let (type, subtype) = essenceRanges(u) else { return false }
      func equals(_ r: Range<Int>, _ literal: StaticString) -> Bool {
        guard r.count == literal.utf8CodeUnitCount else { return false }
        let l = literal.utf8Start
        for (k, i) in r.enumerated() where (u[i] >= 0x41 && u[i] <= 0x5A ? u[i] | 0x20 : u[i]) != l[k] { return false }
        return true
      }
      return (equals(type, "application") && equals(subtype, "x-www-form-urlencoded"))
        || (equals(type, "multipart") && equals(subtype, "form-data"))
        || (equals(type, "text") && equals(subtype, "plain"))
    }
  }

  /// The byte ranges of type and subtype when the essence is valid (steps 1–9 of parse a MIME type).
  static func essenceRanges(_ u: UnsafeBufferPointer<UInt8>) -> (Range<Int>, Range<Int>)? {
    // 1. Remove any leading and trailing HTTP whitespace from input.
    var start = 0, end = u.count
    while start < end, HTTPSyntax.isWhitespace(u[start]) { start += 1 }
    while end > start, HTTPSyntax.isWhitespace(u[end - 1]) { end -= 1 }
    // 3. Let type be the result of collecting a sequence of code points that are not U+002F (/).
    var slash = start
    while slash < end, u[slash] != 0x2F { slash += 1 }
    // 4. If type is the empty string or does not solely contain HTTP token code points, return failure.
    // 5. If position is past the end of input, then return failure.
    guard slash < end, slash > start, u[start..<slash].allSatisfy(HTTPSyntax.isTokenByte) else { return nil }
    // 7. Let subtype be the code points up to U+003B (;); 8. remove trailing HTTP whitespace from it.
    var subtypeEnd = slash + 1
    while subtypeEnd < end, u[subtypeEnd] != 0x3B { subtypeEnd += 1 }
    var trimmedEnd = subtypeEnd
    while trimmedEnd > slash + 1, HTTPSyntax.isWhitespace(u[trimmedEnd - 1]) { trimmedEnd -= 1 }
    // 9. If subtype is the empty string or does not solely contain HTTP token code points, return failure.
    guard trimmedEnd > slash + 1, u[(slash + 1)..<trimmedEnd].allSatisfy(HTTPSyntax.isTokenByte) else { return nil }
    return (start..<slash, (slash + 1)..<trimmedEnd)
  }

  static func parse(bytes u: UnsafeBufferPointer<UInt8>) -> MIMEType? {
    guard let (type, subtype) = essenceRanges(u) else { return nil }
    // 10. type and subtype in ASCII lowercase.
    func lower(_ r: Range<Int>) -> String {
      HTTPSyntax.lowercased(String(decoding: UnsafeBufferPointer(rebasing: u[r]), as: UTF8.self))
    }
    return MIMEType(type: lower(type), subtype: lower(subtype))
  }
}

/// A MIME type with its parameters, for the places that rewrite one (XHR's charset). mimesniff.bs #mime-type
struct MIMETypeRecord: Sendable, Hashable {
  var type: String
  var subtype: String
  /// Name (lower-case) and value, in order, first occurrence of each name only.
  var parameters: [(name: String, value: String)]

  static func == (a: MIMETypeRecord, b: MIMETypeRecord) -> Bool {
    a.type == b.type && a.subtype == b.subtype && a.parameters.elementsEqual(b.parameters) { $0 == $1 }
  }

  func hash(into hasher: inout Hasher) {
    hasher.combine(type)
    hasher.combine(subtype)
    for p in parameters { hasher.combine(p.name); hasher.combine(p.value) }
  }

  /// Parse a MIME type, parameters included. mimesniff.bs #parse-a-mime-type
  static func parse(_ input: String) -> MIMETypeRecord? {
    guard let essence = MIMEType.parse(input) else { return nil }
    // The essence is valid: the parameters start at the first `;` (types and subtypes are tokens).
    func isHTTPWhitespace(_ s: Unicode.Scalar) -> Bool { s == "\t" || s == "\n" || s == "\r" || s == " " }
    // 1. Remove leading and trailing HTTP whitespace.
    let u = Array(input.unicodeScalars)
    var start = 0, end = u.count
    while start < end, isHTTPWhitespace(u[start]) { start += 1 }
    while end > start, isHTTPWhitespace(u[end - 1]) { end -= 1 }
    var p = start
    while p < end, u[p] != ";" { p += 1 }
    func isToken(_ s: Unicode.Scalar) -> Bool { s.value < 0x80 && HTTPSyntax.isTokenByte(UInt8(s.value)) }
    func isQuotedStringToken(_ s: Unicode.Scalar) -> Bool {
      s == "\t" || (s.value >= 0x20 && s.value <= 0x7E) || (s.value >= 0x80 && s.value <= 0xFF)
    }
    var parameters: [(name: String, value: String)] = []
    // 11. While position is not past the end of input:
    while p < end {
      // 11.1 Advance position by 1 (past `;`); 11.2 collect HTTP whitespace.
      p += 1
      while p < end, isHTTPWhitespace(u[p]) { p += 1 }
      // 11.3–11.4 parameterName: code points up to `;` or `=`, ASCII lower-cased.
      var name = ""
      while p < end, u[p] != ";", u[p] != "=" { name.unicodeScalars.append(u[p]); p += 1 }
      name = HTTPSyntax.lowercased(name)
      // 11.5 If position is not past the end: `;` → continue; otherwise advance past `=`.
      if p < end {
        if u[p] == ";" { continue }
        p += 1
      }
      // 11.6 If position is past the end of input, then break.
      if p >= end { break }
      var value = ""
      if u[p] == "\"" {
        // 11.8 Collect an HTTP quoted string (extract-value), then skip to the next `;`.
        p += 1
        while p < end {
          while p < end, u[p] != "\"", u[p] != "\\" { value.unicodeScalars.append(u[p]); p += 1 }
          if p >= end { break }
          let quoteOrBackslash = u[p]
          p += 1
          if quoteOrBackslash == "\\" {
            if p >= end { value.unicodeScalars.append("\\"); break }
            value.unicodeScalars.append(u[p])
            p += 1
          } else {
            break
          }
        }
        while p < end, u[p] != ";" { p += 1 }
      } else {
        // 11.9 Collect up to `;`, remove trailing HTTP whitespace; an empty value is skipped.
        while p < end, u[p] != ";" { value.unicodeScalars.append(u[p]); p += 1 }
        while let last = value.unicodeScalars.last, isHTTPWhitespace(last) { value.unicodeScalars.removeLast() }
        if value.isEmpty { continue }
      }
      // 11.10 Keep a valid parameter whose name is new.
      if !name.isEmpty, name.unicodeScalars.allSatisfy(isToken), value.unicodeScalars.allSatisfy(isQuotedStringToken),
         !parameters.contains(where: { $0.name == name }) {
        parameters.append((name, value))
      }
    }
    return MIMETypeRecord(type: essence.type, subtype: essence.subtype, parameters: parameters)
  }

  /// The text with the first `charset` parameter's value replaced, everything else (quotes, spacing, case of
  /// the rest) kept, as Blink's ReplaceCharsetInMediaType and Gecko's XHR do. Nil when there is no charset.
  static func replacingCharsetValue(in text: String, with value: String) -> String? {
    let u = Array(text.utf8)
    var i = 0
    // Skip the essence, then walk `;`-separated parameters.
    while i < u.count, u[i] != 0x3B { i += 1 }
    while i < u.count {
      i += 1  // past `;`
      while i < u.count, u[i] == 0x20 || u[i] == 0x09 { i += 1 }
      let nameStart = i
      while i < u.count, u[i] != 0x3D, u[i] != 0x3B { i += 1 }
      let name = HTTPSyntax.trimTabOrSpace(Substring(String(decoding: u[nameStart..<i], as: UTF8.self)))
      guard i < u.count, u[i] == 0x3D else { continue }
      i += 1  // past `=`
      var valueStart = i, valueEnd: Int
      if i < u.count, u[i] == 0x22 {
        valueStart = i + 1
        var j = valueStart
        while j < u.count, u[j] != 0x22 { j += u[j] == 0x5C ? 2 : 1 }
        valueEnd = min(j, u.count)
        i = valueEnd
        while i < u.count, u[i] != 0x3B { i += 1 }
      } else {
        while i < u.count, u[i] != 0x3B { i += 1 }
        valueEnd = i
        while valueEnd > valueStart, u[valueEnd - 1] == 0x20 || u[valueEnd - 1] == 0x09 { valueEnd -= 1 }
      }
      if HTTPSyntax.equalsIgnoringASCIICase(name, "charset") {
        return String(decoding: u[..<valueStart], as: UTF8.self) + value + String(decoding: u[valueEnd...], as: UTF8.self)
      }
    }
    return nil
  }

  /// Serialize a MIME type. mimesniff.bs #serialize-a-mime-type
  var serialized: String {
    var out = type + "/" + subtype
    for (name, value) in parameters {
      out += ";" + name + "="
      let isToken = !value.isEmpty && value.unicodeScalars.allSatisfy { $0.value < 0x80 && HTTPSyntax.isTokenByte(UInt8($0.value)) }
      if isToken {
        out += value
      } else {
        var quoted = "\""
        for s in value.unicodeScalars {
          if s == "\"" || s == "\\" { quoted += "\\" }
          quoted.unicodeScalars.append(s)
        }
        out += quoted + "\""
      }
    }
    return out
  }
}
