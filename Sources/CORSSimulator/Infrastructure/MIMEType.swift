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

  static func parse(bytes u: UnsafeBufferPointer<UInt8>) -> MIMEType? {
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
    // 10. type and subtype in ASCII lowercase.
    func lower(_ r: Range<Int>) -> String {
      HTTPSyntax.lowercased(String(decoding: UnsafeBufferPointer(rebasing: u[r]), as: UTF8.self))
    }
    return MIMEType(type: lower(start..<slash), subtype: lower((slash + 1)..<trimmedEnd))
  }
}
