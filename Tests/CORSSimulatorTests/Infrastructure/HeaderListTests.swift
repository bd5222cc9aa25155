import Testing
@testable import CORSSimulator

@Suite("Fetch §2.2.2 Headers: header lists and the named header sets")
struct HeaderListTests {
  @Test("identical lists are the same lines as written; == ignores the case of names, as the standard compares them")
  func identical() throws {
    let list = HeaderList([HeaderField("X-Token", "a"), HeaderField("Vary", "Origin", setBy: "cdn")])
    #expect(list.isIdentical(to: HeaderList(list.fields)))
    let lowerCase = HeaderList([HeaderField("x-token", "a"), HeaderField("Vary", "Origin", setBy: "cdn")])
    #expect(list == lowerCase && !list.isIdentical(to: lowerCase))
    #expect(!list.isIdentical(to: HeaderList([HeaderField("X-Token", "a"), HeaderField("Vary", "Origin")])))
    #expect(!list.isIdentical(to: HeaderList([HeaderField("X-Token", "a")])))
    #expect(!list.isIdentical(to: HeaderList([HeaderField("X-Token", "b"), HeaderField("Vary", "Origin", setBy: "cdn")])))
    // URL records: the same parts, parsed twice, are identical; == compares serializations.
    let url = try URLRecord("https://api.example/a?q#f")
    #expect(url.isIdentical(to: try URLRecord("https://API.example/a?q#f")))
    #expect(!url.isIdentical(to: try URLRecord("https://api.example/a?q")))
  }

  @Test("#concept-header-list-get combines lines with \", \"")
  func getCombines() {
    let list: HeaderList = [("A", "1"), ("b", "2"), ("a", "3")]
    #expect(list.get("a") == "1, 3")
    #expect(list.get("c") == nil)
    #expect(list.count(of: "A") == 2)
  }

  @Test("#concept-header-list-get-decode-split keeps quotes and empty items", arguments: [
    ("x,,1", ["x", "", "1"]),
    ("\"1,2\", 3", ["\"1,2\"", "3"]),
    (" a , b ", ["a", "b"]),
    ("", [""]),
  ])
  func decodeSplit(value: String, expected: [String]) {
    #expect(HeaderList.decodeSplit(value) == expected)
  }

  @Test("#extract-header-list-values: token lists, empty elements tolerated, non-tokens fail")
  func extractTokens() {
    #expect(HeaderList(pairs: [("ACAM", "GET,,PUT, ")]).extractTokenList("acam") == .values(["GET", "PUT"]))
    if case .failure(let item, _) = HeaderList(pairs: [("ACAM", "GET POST")]).extractTokenList("acam") {
      #expect(item == "GET POST")
    } else {
      Issue.record("expected failure")
    }
    #expect(HeaderList().extractTokenList("acam") == .absent)
    #expect(HeaderList(pairs: [("M", "1"), ("M", "2")]).extractSingle("m") == .multiple)
  }

  @Test("#forbidden-request-header: names, prefixes and method-override values", arguments: [
    ("Cookie", "a", true), ("sec-fetch-mode", "cors", true), ("Proxy-Authorization", "x", true),
    ("Secret", "x", false), ("Proxyfoo", "x", false), ("X-HTTP-Method-Override", "PUT", false),
    ("X-HTTP-Method-Override", "get, trace", true), ("X-Method-Override", "\"TRACE\"", false),
    ("Access-Control-Request-Headers", "x", true), ("Authorization", "x", false),
    ("DNT", "1", true), ("dnt", "1", true), ("TE", "trailers", true), ("Via", "1.1 proxy", true),
    ("X-HTTP-Method", "TRACE", true), ("x-method-override", "connect", true), ("X-HTTP-Methods", "TRACE", false),
    ("Dnt1", "1", false), ("Tee", "x", false), ("Vias", "x", false), ("Referrer", "x", false),
    ("Content-Type", "x", false),
  ])
  func forbidden(name: String, value: String, expected: Bool) {
    #expect(Safelists.isForbiddenRequestHeader(HeaderName(name), value) == expected)
  }

  @Test("#cors-safelisted-request-header", arguments: [
    ("Accept", "application/json", true), ("Accept", "a\"b", false),
    ("Accept-Language", "en-US,en;q=0.9", true), ("Accept-Language", "en_US", false),
    ("Content-Type", "text/plain", true), ("Content-Type", "TEXT/Plain;charset=UTF-8", true),
    ("Content-Type", "application/json", false), ("Content-Type", "text/plain; charset=\"utf-8\"", false),
    ("Content-Type", "text/plain, text/html", false), ("Content-Type", "multipart/form-data; boundary=a:b", false),
    ("Range", "bytes=0-", true), ("Range", "bytes=0-499", true), ("Range", "bytes=-500", false),
    ("Range", "bytes=500-100", false), ("Range", "bytes = 0-1", false), ("Range", "bytes=0-1, 2-3", false),
    ("X-Custom", "1", false), ("Accept", String(repeating: "a", count: 129), false),
  ])
  func safelisted(name: String, value: String, expected: Bool) {
    #expect(Safelists.isCORSSafelistedRequestHeader(HeaderName(name), value) == expected)
  }

  @Test("#cors-unsafe-request-header-names: lower-case, sorted, unique, and the 1024-byte rule")
  func unsafeNames() {
    let list: HeaderList = [("X-B", "1"), ("Content-Type", "application/json"), ("x-a", "2"), ("Accept", "*/*"), ("X-B", "3")]
    #expect(Safelists.corsUnsafeRequestHeaderNames(list) == ["content-type", "x-a", "x-b"])
    var big = HeaderList()
    for _ in 0..<9 { big.append("Accept-Language", String(repeating: "a", count: 120)) }
    #expect(Safelists.corsUnsafeRequestHeaderNames(big) == ["accept-language"])
    #expect(Safelists.corsUnsafeRequestHeaderNames(big, totalLimit: nil) == [])
  }

  @Test("mimesniff #parse-a-mime-type essentials", arguments: [
    ("text/plain", "text/plain"), ("TEXT/PLAIN;x=y", "text/plain"), ("text/plain;", "text/plain"),
    (" text/html ", "text/html"),
  ])
  func mime(value: String, essence: String) {
    #expect(MIMEType.parse(value)?.essence == essence)
  }

  @Test("mimesniff: not MIME types", arguments: ["text", "text/", "text /plain", "text/plain garbage", "/plain"])
  func notMime(value: String) {
    #expect(MIMEType.parse(value) == nil)
  }

  @Test("#concept-method-normalize upper-cases six methods only")
  func normalize() {
    #expect(Method("get").normalized.rawValue == "GET")
    #expect(Method("patch").normalized.rawValue == "patch")
    #expect(Method("Delete").normalized.rawValue == "DELETE")
    #expect(Method("connect").isForbidden)
    #expect(!Method("GET POST").isValid)
  }
}

@Suite("Well-known header names")
struct WellKnownNameTests {
  @Test("the numbered names agree with the standard's lists")
  func agree() {
    for (i, name) in HeaderName.wellKnownNames.enumerated() {
      #expect(HeaderName.wellKnownID(name) == UInt8(i + 1), "\(name)")
      #expect(HeaderName(name.uppercased()).wellKnown == UInt8(i + 1), "\(name)")
    }
    // The capitalized spellings are the names', each word's first letter in upper case, in the same order.
    #expect(HeaderName.wellKnownDisplayNames.count == HeaderName.wellKnownNames.count)
    for (name, display) in zip(HeaderName.wellKnownNames, HeaderName.wellKnownDisplayNames) {
      let words = name.split(separator: "-", omittingEmptySubsequences: false)
      #expect(display == words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: "-"), "\(name)")
      // Read from bytes, each spelling keeps itself as the raw name.
      for spelling in [name, display] {
        var text = spelling
        let read = text.withUTF8 { HeaderName(utf8: $0) }
        #expect(read.rawName == spelling && read.canonicalName == name, "\(spelling)")
      }
    }
    #expect(HeaderName.wellKnownID("content-typ") == 0 && HeaderName.wellKnownID("content-typf") == 0)
    #expect(HeaderName.wellKnownID(String(repeating: "a", count: 200)) == 0)
    for name in HeaderName.wellKnownNames + ["x-custom", "etag", "date"] {
      let h = HeaderName(name)
      #expect(h.isCORSSafelistedResponseName == Safelists.safelistedResponseHeaderNames.contains(name), "\(name)")
      #expect(h.isForbiddenResponseName == Safelists.isForbiddenResponseHeaderName(name), "\(name)")
      #expect(h.isForbiddenRequestName == Safelists.forbiddenRequestHeaderNames.contains(name), "\(name)")
      #expect(h == HeaderName(name.uppercased()))
    }
    // Every forbidden request-header name has an ID: a name without one is told not forbidden by that alone. And
    // a name with an ID is forbidden by its ID or not at all (none of them starts with proxy-, sec- or x-).
    for name in Safelists.forbiddenRequestHeaderNames {
      #expect(HeaderName.wellKnownID(name) != 0 && HeaderName(name).isForbiddenRequestName, "\(name)")
    }
    for name in HeaderName.wellKnownNames {
      let plain = Safelists.forbiddenRequestHeaderNames.contains(name) || name.hasPrefix("proxy-")
        || name.hasPrefix("sec-") || name.hasPrefix("x-")
      #expect(Safelists.isForbiddenRequestHeader(HeaderName(name), "TRACE") == plain, "\(name)")
    }
    #expect(HeaderName("X-A") != HeaderName("X-B"))
    #expect(HeaderName("Accept") != HeaderName("X-Accept"))
  }
}

@Suite("Subresource Integrity digests")
struct IntegrityTests {
  @Test("SHA-2 test vectors (FIPS 180-4 examples, base64)")
  func vectors() {
    #expect(Base64.encode(SHA2.sha256(Array("abc".utf8))) == "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")
    #expect(Base64.encode(SHA2.sha384(Array("abc".utf8))) == "ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn")
    #expect(Base64.encode(SHA2.sha512(Array("abc".utf8))) == "3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw==")
    #expect(Base64.encode(SHA2.sha256([])) == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
  }

  @Test("the strongest algorithm decides")
  func strongest() {
    let sha256 = "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
    #expect(SubresourceIntegrity.matches(body: "abc", metadata: sha256) == true)
    #expect(SubresourceIntegrity.matches(body: "abd", metadata: sha256) == false)
    #expect(SubresourceIntegrity.matches(body: "abc", metadata: sha256 + " sha384-wrong") == false)
    #expect(SubresourceIntegrity.matches(body: "abc", metadata: "md5-xyz") == nil)
  }
}
