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
    // 1. Remove any leading and trailing HTTP whitespace from input.
    let trimmed = Substring(HTTPSyntax.normalizeValue(input))
    // 3. Let type be the result of collecting a sequence of code points that are not U+002F (/).
    guard let slash = trimmed.firstIndex(of: "/") else {
      // 5. If position is past the end of input, then return failure.
      return nil
    }
    let type = trimmed[..<slash]
    // 4. If type is the empty string or does not solely contain HTTP token code points, then return failure.
    guard HTTPSyntax.isToken(type) else { return nil }
    // 7. Let subtype be the code points up to U+003B (;); 8. remove trailing HTTP whitespace.
    let afterSlash = trimmed[trimmed.index(after: slash)...]
    var subtype = afterSlash.firstIndex(of: ";").map { afterSlash[..<$0] } ?? afterSlash
    while let last = subtype.utf8.last, HTTPSyntax.isWhitespace(last) { subtype = subtype.dropLast() }
    // 9. If subtype is the empty string or does not solely contain HTTP token code points, then return failure.
    guard HTTPSyntax.isToken(subtype) else { return nil }
    // 10. type and subtype in ASCII lowercase.
    return MIMEType(type: HTTPSyntax.lowercased(type), subtype: HTTPSyntax.lowercased(subtype))
  }
}
