/// The MIME type groups of MIME Sniffing that the response gates read, and the header-list operations that
/// produce their input. mimesniff.bs #mime-type-groups
extension MIMEType {
  /// A JavaScript MIME type: one of the 16 essences. mimesniff.bs #javascript-mime-type
  public var isJavaScript: Bool { MIMEType.javaScriptEssences.contains(essence) }

  static let javaScriptEssences: Set<String> = [
    "application/ecmascript", "application/javascript", "application/x-ecmascript", "application/x-javascript",
    "text/ecmascript", "text/javascript", "text/javascript1.0", "text/javascript1.1", "text/javascript1.2",
    "text/javascript1.3", "text/javascript1.4", "text/javascript1.5", "text/jscript", "text/livescript",
    "text/x-ecmascript", "text/x-javascript",
  ]

  /// An HTML MIME type: `text/html`. mimesniff.bs #html-mime-type
  public var isHTML: Bool { essence == "text/html" }

  /// A JSON MIME type: subtype ending in `+json`, or `application/json` or `text/json`. mimesniff.bs #json-mime-type
  public var isJSON: Bool { subtype.hasSuffix("+json") || essence == "application/json" || essence == "text/json" }

  /// An XML MIME type: subtype ending in `+xml`, or `text/xml` or `application/xml`. mimesniff.bs #xml-mime-type
  public var isXML: Bool { subtype.hasSuffix("+xml") || essence == "text/xml" || essence == "application/xml" }

  /// `audio/*`, `image/*`, `video/*`: the types a script may never be. fetch.bs
  /// #should-response-to-request-be-blocked-due-to-mime-type? step 4
  var isAudioImageOrVideo: Bool { type == "audio" || type == "image" || type == "video" }
}

extension HeaderList {
  /// Extract a MIME type: the last `Content-Type` value that parses and is not `*/*`. Only the essence is
  /// kept (the charset bookkeeping of the algorithm does not change it). fetch.bs #concept-header-extract-mime-type
  func extractMIMEType() -> MIMEType? {
    // 4–5. Let values be the result of getting, decoding, and splitting `Content-Type`; null → failure.
    guard let values = getDecodeSplit(.contentType) else { return nil }
    var mimeType: MIMEType? = nil
    // 6. For each value: parse it; failure or */* → continue; else it becomes mimeType.
    for value in values {
      guard let parsed = MIMEType.parse(value), parsed.essence != "*/*" else { continue }
      mimeType = parsed
    }
    // 7–8. mimeType null → failure; else mimeType.
    return mimeType
  }

  /// Determine nosniff: the first value of `X-Content-Type-Options` (get, decode, and split) is `nosniff`,
  /// ASCII case-insensitively. fetch.bs #determine-nosniff
  func determineNosniff() -> Bool {
    guard let values = getDecodeSplit(HeaderName.xContentTypeOptions), let first = values.first else { return false }
    return HTTPSyntax.equalsIgnoringASCIICase(first, "nosniff")
  }
}

extension HeaderName {
  /// `X-Content-Type-Options`. fetch.bs #http-x-content-type-options
  static let xContentTypeOptions = HeaderName(raw: "X-Content-Type-Options", canonical: "x-content-type-options")
}
