extension FetchRun {
  /// Scheme fetch: about:, blob:, data:, file:, and http(s) through HTTP fetch. Fetch §4.3 (#concept-scheme-fetch)
  func schemeFetch(_ request: inout Request) throws(NetworkError) -> Response {
    let url = request.currentURL
    switch url.scheme {
    case "about" where !profile.fetchesAboutURLs:
      // Quirk(chromium, webkit): about: URLs are not fetched at all.
      record(TraceStep(.failure(.unsupportedScheme), url.href, quirk: .aboutNotFetched))
      throw NetworkError(stage: .scheme, reason: .unsupportedScheme, detail: failure(request, parameter: "about"))
    case "about":
      // about:blank → a response whose header list is `Content-Type: text/html;charset=utf-8`; otherwise a network error.
      guard case .opaque(let p) = url.path, p == "blank" else {
        throw NetworkError(stage: .scheme, reason: .aboutNotBlank, detail: failure(request, parameter: url.href))
      }
      return Response(status: 200, headerList: [("Content-Type", "text/html;charset=utf-8")], body: "",
                      urlList: request.urlList, routeMethod: request.method)
    case "blob":
      // A blob URL entry must exist and the method must be GET. No page in the simulation creates blobs, so
      // every blob: URL is one without an entry (revoked, or created by another document).
      throw NetworkError(stage: .scheme, reason: .blobInvalid, detail: failure(request, parameter: url.href))
    case "data":
      // 1. Let dataURLStruct be the result of running the data: URL processor on url; failure → network error.
      guard let (mime, body, length) = DataURL.process(url) else {
        throw NetworkError(stage: .scheme, reason: .dataURLInvalid, detail: failure(request, parameter: url.href))
      }
      var headers: HeaderList = [("Content-Type", mime)]
      if profile.dataURLHasContentLength && length > 0 {
        // Observed(firefox): the non-HTTP channel's known length becomes a Content-Length line.
        headers.append(HeaderField("Content-Length", String(length)))
        note(.filteredBasic, "Content-Length", String(length), quirk: .firefoxDataURLContentLength)
      }
      return Response(status: 200, headerList: headers, body: body, urlList: request.urlList,
                      routeMethod: request.method)
    case "file":
      // "For now, unfortunate as it is, file: URLs are left as an exercise for the reader. When in doubt,
      // return a network error." Every engine refuses file: fetches from web pages.
      throw NetworkError(stage: .scheme, reason: .unsupportedScheme, detail: failure(request, parameter: "file"))
    case "http", "https":
      // HTTP(S) scheme: return the result of running HTTP fetch given fetchParams.
      return try httpFetch(&request, makeCORSPreflight: false, unsafeNames: [])
    default:
      throw NetworkError(stage: .scheme, reason: .unsupportedScheme, detail: failure(request, parameter: url.scheme))
    }
  }
}

/// The data: URL processor, reduced to what decides success: a comma must exist, and a `;base64` body must
/// decode. Fetch §6 (#data-url-processor)
enum DataURL {
  static func process(_ url: URLRecord) -> (mime: String, body: String, length: Int)? {
    // 2. Let input be the result of running the URL serializer on dataURL with exclude fragment set to true.
    let input = url.hrefWithoutFragment.dropFirst("data:".count)
    // 4–6. Collect up to the first U+002C (,); past the end → failure.
    guard let comma = input.firstIndex(of: ",") else { return nil }
    var mimeType = String(input[..<comma]).trimmingHTTPWhitespace()
    let encodedBody = String(input[input.index(after: comma)...])
    let bodyBytes = PercentEncoding.decode(encodedBody)
    // The body as text, its bytes kept exactly (binary ones as BodyBytes' carriers).
    var body = BodyBytes.text(bodyBytes)
    var length = bodyBytes.count
    // 11. If mimeType ends with U+003B (;) optional spaces and "base64" (ASCII case-insensitive): decode.
    let lower = mimeType.lowercased()
    if lower.hasSuffix("base64") {
      let beforeBase64 = lower.dropLast(6).trimmingTrailingSpaces()
      if beforeBase64.hasSuffix(";") {
        guard let decoded = forgivingBase64Decode(body) else { return nil }
        body = BodyBytes.text(decoded)
        length = decoded.count
        mimeType = String(mimeType.prefix(beforeBase64.count - 1))
      }
    }
    // 12–15. A leading ";" means text/plain; an unparsable type means text/plain;charset=US-ASCII.
    if mimeType.hasPrefix(";") { mimeType = "text/plain" + mimeType }
    let mime = MIMEType.parse(mimeType) != nil ? mimeType : "text/plain;charset=US-ASCII"
    return (mime, body, length)
  }

  /// Forgiving-base64 decode. infra #forgiving-base64-decode
  static func forgivingBase64Decode(_ s: String) -> [UInt8]? {
    // 1. Remove all ASCII whitespace from data.
    var data = Array(s.utf8.filter { !($0 == 0x09 || $0 == 0x0A || $0 == 0x0C || $0 == 0x0D || $0 == 0x20) })
    // 2. If data's code point length divides by 4 leaving no remainder: remove one or two trailing "=".
    if data.count % 4 == 0 {
      if data.last == 0x3D { data.removeLast() }
      if data.last == 0x3D { data.removeLast() }
    }
    // 3. If data's code point length divides by 4 leaving a remainder of 1, return failure.
    if data.count % 4 == 1 { return nil }
    // 4. If data contains a code point that is not in the base64 alphabet, return failure.
    var out: [UInt8] = []
    var buffer: UInt32 = 0
    var bits = 0
    for c in data {
      let v: UInt32
      switch c {
      case 0x41...0x5A: v = UInt32(c - 0x41)
      case 0x61...0x7A: v = UInt32(c - 0x61 + 26)
      case 0x30...0x39: v = UInt32(c - 0x30 + 52)
      case 0x2B: v = 62
      case 0x2F: v = 63
      default: return nil
      }
      buffer = buffer << 6 | v
      bits += 6
      if bits >= 8 {
        bits -= 8
        out.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
      }
    }
    return out
  }
}

extension StringProtocol {
  func trimmingHTTPWhitespace() -> String {
    HTTPSyntax.normalizeValue(String(self))
  }

  func trimmingTrailingSpaces() -> Substring {
    var s = Substring(self)
    while s.last == " " { s = s.dropLast() }
    return s
  }
}
