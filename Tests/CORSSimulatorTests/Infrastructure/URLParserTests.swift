import Testing
@testable import CORSSimulator

@Suite("URL Standard: parsing and serializing the URLs that decide an origin")
struct URLParserTests {
  @Test("url.bs #concept-url-origin: origin serializations", arguments: [
    ("HTTPS://Example.COM:443/a?b#c", "https://example.com"),
    ("http://example.com:80/", "http://example.com"),
    ("http://example.com:8080/", "http://example.com:8080"),
    ("https://bücher.example/", "https://xn--bcher-kva.example"),
    ("https://faß.example/", "https://xn--fa-hia.example"),
    ("https://☕.example/", "https://xn--53h.example"),
    ("http://[0:0::1]:3000/", "http://[::1]:3000"),
    ("http://[2001:DB8:0:0:1:0:0:1]/", "http://[2001:db8::1:0:0:1]"),
    ("http://0x7f.1/", "http://127.0.0.1"),
    ("http://2130706433/", "http://127.0.0.1"),
    ("http://127.1/", "http://127.0.0.1"),
    ("http://0177.0.0.1/", "http://127.0.0.1"),
    ("http://example.com./", "http://example.com."),
    ("https://user:pass@api.example/x", "https://api.example"),
    ("file:///x.html", "null"),
    ("data:text/html,hi", "null"),
    ("about:blank", "null"),
    ("blob:https://a.example/3f2a", "https://a.example"),
    ("wss://chat.example:443/", "wss://chat.example"),
  ])
  func originSerialization(input: String, expected: String) throws {
    #expect(try URLRecord(input).origin.serialization == expected)
  }

  @Test("url.bs: hrefs are serialized as the standard says", arguments: [
    ("HTTP://EXAMPLE.com/a/./b/../c?x=1#f", "http://example.com/a/c?x=1#f"),
    ("https://a.example", "https://a.example/"),
    ("https://a.example/a b", "https://a.example/a%20b"),
    ("https://a.example/?q='x'", "https://a.example/?q=%27x%27"),
    ("  https://a.example/\t\n ", "https://a.example/"),
    ("https:\\\\a.example\\p", "https://a.example/p"),
    ("https://a.example:0443/", "https://a.example/"),
    ("http://user@a.example/", "http://user@a.example/"),
  ])
  func hrefs(input: String, expected: String) throws {
    #expect(try URLRecord(input).href == expected)
  }

  @Test("url.bs: inputs that are not URLs fail with a reason", arguments: [
    "not a url", "http://", "https://exa mple.com/", "http://a.example:99999/", "http://[::1/", "http://1.2.3.4.5/",
    "http://example.255/", "http://a.example:8o/", "https://user@/x", "//no-scheme", "http://a%00b/",
  ])
  func failures(input: String) {
    #expect(throws: URLParseError.self) { try URLRecord(input) }
  }

  @Test("url.bs #concept-basic-url-parser: relative references against a base")
  func relative() throws {
    let base = try URLRecord("https://app.example/dir/page.html?q#f")
    #expect(try URLRecord("/data", base: base).href == "https://app.example/data")
    #expect(try URLRecord("data", base: base).href == "https://app.example/dir/data")
    #expect(try URLRecord("?x", base: base).href == "https://app.example/dir/page.html?x")
    #expect(try URLRecord("//api.example/x", base: base).href == "https://api.example/x")
    #expect(try URLRecord("../up", base: base).href == "https://app.example/up")
  }

  @Test("url.bs #ends-in-a-number-checker, the label after the last dot (or before a trailing one)", arguments: [
    ("", false), (".", false), ("a..", false), ("example", false), ("example.", false), ("api.example.com", false),
    ("1.2.3.4", true), ("1.2.3.4.", true), ("1.2.3.4..", false), ("a.09", true), ("a.0x", true), ("a.0X1F", true),
    ("a.0x1g", false), ("a.1a", false), ("0x.a", false), ("a.b1", false), ("a.-1", false), ("7", true), ("a.08", true),
  ] as [(String, Bool)])
  func endsInANumber(host: String, expected: Bool) {
    #expect(HostParser.endsInANumber(host) == expected)
  }

  @Test("secure-contexts #is-origin-trustworthy: https, loopback and localhost are trustworthy")
  func trustworthy() throws {
    for s in ["https://a.example", "http://localhost:3000", "http://127.0.0.1:8080", "http://[::1]/", "http://x.localhost/"] {
      #expect(try URLRecord(s).origin.isPotentiallyTrustworthy(), "\(s)")
    }
    for s in ["http://a.example", "http://192.168.1.1", "http://10.0.0.5"] {
      #expect(try !URLRecord(s).origin.isPotentiallyTrustworthy(), "\(s)")
    }
  }

  @Test("html #same-site: schemeful same site uses registrable domains")
  func sameSite() throws {
    let app = try URLRecord("https://app.example.com").origin
    #expect(app.isSameSite(try URLRecord("https://api.example.com:8443").origin))
    #expect(!app.isSameSite(try URLRecord("http://api.example.com").origin))
    #expect(!app.isSameSite(try URLRecord("https://example.org").origin))
    #expect(!(try URLRecord("https://a.github.io").origin.isSameSite(try URLRecord("https://b.github.io").origin)))
    #expect(try URLRecord("https://a.b.co.uk").origin.isSameSite(try URLRecord("https://c.b.co.uk").origin))
  }

  @Test("Hostile input: very long and odd URLs are refused or parsed, quickly, never crash")
  func hostile() throws {
    let clock = ContinuousClock()
    let elapsed = try clock.measure {
      // No scheme and no base (url.bs #concept-basic-url-parser, "missing-scheme-non-relative-URL").
      #expect(throws: (any Error).self) { try URLRecord(String(repeating: "a", count: 100_000)) }
      // A host that ends in a number is IPv4, and 5,000 nines overflow it (url.bs #concept-ipv4-parser).
      #expect(throws: (any Error).self) { try URLRecord("http://" + String(repeating: "9", count: 5000)) }
      // Not an IPv6 address (url.bs #concept-ipv6-parser).
      #expect(throws: (any Error).self) { try URLRecord("http://[" + String(repeating: ":", count: 5000) + "]/") }
      // Ends in a number, so IPv4, with 3,000 parts: more than four.
      #expect(throws: (any Error).self) { try URLRecord("http://" + String(repeating: "1.", count: 3000)) }
      // NUL is a forbidden host code point.
      #expect(throws: (any Error).self) { try URLRecord("https://\u{0}\u{FFFF}\u{10FFFF}/") }
      // Long but valid: a 100,000-character path is kept whole.
      let long = try URLRecord("https://a.example/" + String(repeating: "a", count: 100_000))
      #expect(long.href.count == "https://a.example/".count + 100_000)
    }
    #expect(elapsed < .seconds(5), "took \(elapsed)")
  }
}

@Suite("The URL parser's shortcut for plain http(s) URLs agrees with the full algorithm")
struct URLFastPathTests {
  static let inputs: [String] = {
    let hosts = ["api.example", "a-b.example.com", "localhost", "x", "api.example.", "1.2.3.4", "a.0x1", "xn--bcher-kva.example",
                 "API.example", "a..b", "192.168.0.1", "example.255", "ex%41mple.com", "a.b.c.d.e",
                 // IPv4: the dotted-decimal form the shortcut takes, and the forms it leaves to the full parser.
                 "127.0.0.1", "0.0.0.0", "255.255.255.255", "10.0.0.10", "100.64.1.199", "256.0.0.1", "1.2.3.256",
                 "01.2.3.4", "1.2.3.04", "1.2.3.00", "1.2.3", "1.2.3.4.5", "1.2.3.4.", "127.1", "0x7f.0.0.1", "1..2.3",
                 ".1.2.3.4", "1.2.3.4a", "a.1.2.3", "1234.1.1.1", "4294967295", "1.2.3.1000"]
    let ports = ["", ":80", ":443", ":8080", ":0", ":65535", ":65536", ":", ":080", ":8o"]
    let paths = ["", "/", "/data", "/a/b/", "/a/./b", "/a/../b", "/./x", "/a%2e/b", "/a b", "/a\"b", "/ä", "/a^b", "/x{y}",
                 "//double", "/a\\b", "/.hidden", "/a/...",
                 // Percent signs: escapes kept as written, invalid ones too, and the escaped dot segments.
                 "/a%20b", "/%41", "/users/a%2Fb/x", "/a%zz", "/%", "/a/%", "/%2", "/%2e", "/%2E", "/a/%2e%2e/b", "/%2e./b",
                 "/.%2e/b", "/a/%2e", "/a%2e", "/%2ex", "/%2f", "/a/b%2e%2e"]
    let queries = ["", "?", "?x=1", "?a='b'", "?a<b", "?q=%20", "?#"]
    let fragments = ["", "#", "#f", "#a b", "#a`b", "#x\"y"]
    var out: [String] = []
    for scheme in ["http://", "https://", "HTTP://", "ftp://"] {
      for host in hosts { for port in ports { out.append(scheme + host + port + "/p") } }
      for path in paths { for query in queries { for fragment in fragments { out.append(scheme + "api.example" + path + query + fragment) } } }
    }
    return out
  }()

  @Test("shortcut and state machine give the same record for every input")
  func agree() {
    var shortcutTaken = 0
    for input in Self.inputs {
      let slow = try? URLParser.parse(input, base: nil, allowFastPath: false)
      guard let fast = URLParser.parseSimpleHTTP(input) else { continue }
      shortcutTaken += 1
      #expect(fast == slow, "\(input): \(fast.href) vs \(slow?.href ?? "failure")")
    }
    #expect(shortcutTaken > 100, "the shortcut should serve the plain inputs")
  }

  @Test("a path-absolute reference against an http(s) base: the shortcut gives what the state machine gives")
  func pathAbsolute() throws {
    let bases = ["https://app.example/index.html", "http://127.0.0.1:8080/a/b?q#f", "https://app.example:8443/",
                 "http://app.example:80/x", "https://user:pw@app.example/", "https://user@app.example/", "http://[::1]:8080/",
                 "https://xn--bcher-kva.example/", "file:///x.html", "ws://app.example/", "https://app.example./"]
    let inputs = ["/data", "/a/b?x=1#f", "/", "/?", "/#", "//other.example/x", "/\\x", "/./x", "/a/../b", "/a%20b", "/%2e/x",
                  "/a b", "/ä", "/a\tb", "/x ", "data", "?q", "#f", "", "/a?b c", "/a#b`c", "/A/B?Q#F", "/a/.../b", "/.x"]
    var taken = 0
    for b in bases {
      let base = try URLRecord(b)
      for input in inputs {
        let slow = try? URLParser.parse(input, base: base, allowFastPath: false)
        let fast = try? URLParser.parse(input, base: base)
        #expect(fast == slow, "\(input) against \(b): \(fast?.href ?? "failure") vs \(slow?.href ?? "failure")")
        // Field by field too (records are equal when their hrefs are).
        if let fast, let slow {
          #expect(fast.scheme == slow.scheme && fast.username == slow.username && fast.password == slow.password
            && fast.host == slow.host && fast.port == slow.port && fast.path == slow.path && fast.query == slow.query
            && fast.fragment == slow.fragment && fast.hrefWithoutFragment == slow.hrefWithoutFragment
            && fast.origin == slow.origin, "\(input) against \(b)")
        }
        if URLParser.parseSimplePathAbsolute(input, base: base) != nil { taken += 1 }
      }
    }
    #expect(taken >= 28, "the shortcut should serve the plain references")
    #expect(URLParser.parseSimplePathAbsolute("/data?x=1", base: try URLRecord("http://127.0.0.1:8080/"))?.href
      == "http://127.0.0.1:8080/data?x=1")
  }

  @Test("the shortcut takes a dotted-decimal IPv4 host (every other form of address goes to the state machine) and a percent escape in a path")
  func ipv4() {
    #expect(URLParser.parseSimpleHTTP("http://127.0.0.1:8080/data")?.host == .ipv4(0x7F00_0001))
    #expect(URLParser.parseSimpleHTTP("https://255.255.255.255/")?.host == .ipv4(0xFFFF_FFFF))
    // A percent escape in the path is written as it is: the shortcut takes it.
    #expect(URLParser.parseSimpleHTTP("https://api.example/users/a%20b")?.href == "https://api.example/users/a%20b")
    for other in ["http://127.1/", "http://0x7f.0.0.1/", "http://01.2.3.4/", "http://1.2.3.4./", "http://256.1.1.1/"] {
      #expect(URLParser.parseSimpleHTTP(other) == nil, "\(other)")
    }
  }
}

@Suite("url.bs #host-public-suffix with the trimmed list")
struct PublicSuffixTests {
  @Test("public suffixes and registrable domains", arguments: [
    ("api.example.com", "com", "example.com"), ("a.b.co.uk", "co.uk", "b.co.uk"), ("co.uk", "co.uk", nil),
    ("github.io", "github.io", nil), ("me.github.io", "github.io", "me.github.io"), ("x.y.up.railway.app", "up.railway.app", "y.up.railway.app"),
    ("localhost", "localhost", nil), ("example.com.", "com.", "example.com."),
  ] as [(String, String, String?)])
  func suffixes(host: String, suffix: String, registrable: String?) {
    #expect(PublicSuffixList.publicSuffix(of: host) == suffix)
    #expect(PublicSuffixList.registrableDomain(of: .domain(host)) == registrable)
  }

  @Test("a host with very many labels is cheap")
  func manyLabels() {
    let host = String(repeating: "a.", count: 200_000) + "com"
    #expect(PublicSuffixList.registrableDomain(of: .domain(host)) == "a.com")
  }
}
