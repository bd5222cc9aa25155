import Dispatch
import Synchronization
import Testing
@testable import CORSSimulator

/// The shortcuts a decision takes for speed must answer what the long way answers: each is checked here against
/// the long way, on ordinary and on awkward inputs.
@Suite("Shortcuts answer what the long way answers")
struct ShortcutTests {
  /// `FixPlanner.place` as it was before it skipped the trials the layers prove wrong: every candidate tried.
  static func placeTryingEvery(_ change: Fix.ServerChange, _ response: Fix.Response, _ asked: ServerRequest,
                               _ server: Server, owner: String) -> String {
    guard let (name, wanted) = change.header else { return owner }
    var candidates = [owner]
    for layer in server.layers where layer.operations.contains(where: { $0.headerName == name })
      && !candidates.contains(layer.name) {
      candidates.append(layer.name)
    }
    for layer in candidates {
      let lines = server.applying([Fix.ServerEdit(response, layer: layer, change)], normalized: true).respond(asked).headers.fields(named: name)
      if wanted.map({ lines.count == 1 && lines[0].value == $0 }) ?? lines.isEmpty { return layer }
    }
    return candidates.last!
  }

  @Test("a fix's header change goes to the layer trying every layer would pick, on 3,000 random stacks of layers")
  func placeSkipsOnlyTrialsThatFail() throws {
    var state: UInt64 = 0x5EED_C0A5
    func next(_ n: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(n))
    }
    let url = try URLRecord("https://api.example/x")
    let acao = HeaderName.accessControlAllowOrigin
    let values = ["https://app.example", "*", "https://other.example"]
    // Owners and layers share names; prefixes and methods that match the response, that do not, and the
    // layer a fix scopes to this response (the planner's own, from an earlier round).
    let layerNames = ["app", "proxy", "cdn", "edge"]
    let prefixes: [String?] = [nil, nil, nil, "https://api.example/", "https://other.example/", url.hrefWithoutFragment]
    let methods: [Method?] = [nil, nil, nil, "GET", "PUT"]
    var skippable = 0
    for _ in 0..<3_000 {
      var layers: [Layer] = []
      for _ in 0..<next(8) {
        var ops: [LayerOperation] = []
        for _ in 0..<(1 + next(3)) {
          let name = next(5) == 0 ? HeaderName.vary : acao
          let v = values[next(values.count)]
          switch next(4) {
          case 0: ops.append(.add(name, v))
          case 1: ops.append(.set(name, v))
          case 2: ops.append(.remove(name))
          default: ops.append(.setIfAbsent(name, v))
          }
        }
        layers.append(Layer(name: layerNames[next(layerNames.count)], urlPrefix: prefixes[next(prefixes.count)],
                            method: methods[next(methods.count)], operations: ops))
      }
      let routeLines = HeaderList(pairs: (0..<next(3)).map { _ in ("Access-Control-Allow-Origin", values[next(values.count)]) })
      let owner = layerNames[next(3)]
      let made = Server(routes: [Route(method: next(3) == 0 ? nil : "GET", url: url, headers: routeLines, answeredBy: owner)],
                        layers: layers)
      // Half the time the server a trial of the planner holds: its routes read through until a URL is touched.
      let server = next(2) == 0 ? made.overlay() : made
      let asked = ServerRequest(method: "GET", url: url, headers: [("Origin", "https://app.example")], isPreflight: false,
                                includesCredentials: false)
      let response = Fix.Response(method: "GET", url: url.hrefWithoutFragment)
      // The planner names the application when a responder answered, whoever owns the route.
      let placedBy = next(4) == 0 ? Layer.application : owner
      for change in [Fix.ServerChange.setHeader("Access-Control-Allow-Origin", values[next(values.count)]),
                     .removeHeader("Access-Control-Allow-Origin")] {
        let expected = Self.placeTryingEvery(change, response, asked, server, owner: placedBy)
        #expect(FixPlanner.place(change, response, asked, server, owner: placedBy) == expected, "\(layers) \(change)")
        // Stacks where a later layer certainly spoils the change: the cases the shortcut skips.
        if layers.filter({ $0.urlPrefix == nil && $0.method == nil && $0.operations.contains { $0.headerName == acao } }).count > 1 {
          skippable += 1
        }
      }
    }
    #expect(skippable > 500, "too few stacks where the shortcut applies: \(skippable)")
  }

  @Test("#convert-header-names-to-a-sorted-lowercase-set sorts by bytes",
        arguments: [["x-b", "x-a", "content-type", "x-a"], ["b", "a-", "a"], ["x-trace", "authorization", "x-request-id"],
                    ["a", "a", "a"], ["b", "a", "b", "a", "c", "c"], ["c", "b", "a", "a", "b", "c", "d", "a"],
                    ["x-one-long-header-name", "x-one-long-header-nam", "x-one-long-header-name", "a"],
                    (0..<40).map { "x-name-\(($0 * 7919) % 41)" }])
  func sortedByBytes(names: [String]) {
    let expected = Array(Set(names)).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    #expect(Safelists.sortedLowercaseSet(names) == expected)
    // On ASCII names byte order is String's order too.
    #expect(Safelists.sortedLowercaseSet(names) == Array(Set(names)).sorted())
  }

  @Test("a header name read from bytes is the name made from its string: spelling kept, same lower case and ID",
        arguments: ["Access-Control-Allow-Origin", "access-control-allow-origin", "ACCESS-CONTROL-ALLOW-ORIGIN",
                    "Access-control-allow-origin", "Content-Type", "content-type", "WWW-Authenticate", "Set-Cookie2",
                    "Host", "X-Request-Id", "x-request-id", "", "é-Name", "Content-Typé", "Content-Type ",
                    "Cross-Origin-Resource-Policy", "Access-Control-Allow-Private-Network"])
  func headerNameFromBytes(name: String) {
    var copy = name
    let fromBytes = copy.withUTF8 { HeaderName(utf8: $0) }
    let fromString = HeaderName(name)
    #expect(Array(fromBytes.rawName.utf8) == Array(name.utf8))
    #expect(fromBytes.canonicalName == fromString.canonicalName)
    #expect(fromBytes.wellKnown == fromString.wellKnown)
    #expect(fromBytes == fromString)
  }

  @Test("bytesPrecede is byte order, also past ASCII (where String's order can differ)")
  func bytesPrecede() {
    #expect(HTTPSyntax.bytesPrecede("a", "b"))
    #expect(!HTTPSyntax.bytesPrecede("b", "a"))
    #expect(HTTPSyntax.bytesPrecede("a", "a-"))
    #expect(!HTTPSyntax.bytesPrecede("a", "a"))
    #expect(HTTPSyntax.bytesPrecede("Z", "a"))
    // U+00E9 é (C3 A9) against e + U+0301 (65 CC 81): bytes say "e…" first.
    #expect(HTTPSyntax.bytesPrecede("e\u{301}", "\u{E9}"))
    #expect(!HTTPSyntax.bytesPrecede("\u{E9}", "e\u{301}"))
    // Strings stored in place and on the heap (over 15 bytes), either way round.
    let long = "access-control-request-headers", longer = long + "-x", short = "access-control"
    #expect(HTTPSyntax.bytesPrecede(long, longer) && !HTTPSyntax.bytesPrecede(longer, long))
    #expect(HTTPSyntax.bytesPrecede(short, long) && !HTTPSyntax.bytesPrecede(long, short))
    #expect(!HTTPSyntax.bytesPrecede(long, String(long.utf8.map { Character(Unicode.Scalar($0)) })))
    #expect(HTTPSyntax.bytesPrecede("access-control-allow-headers", "access-control-allow-methods"))
  }

  @Test("Chromium's own safelisted request headers: each name, good and bad values")
  func chromiumSafelist() {
    let cases: [(String, String, Bool)] = [
      ("intervention", "anything", true),
      ("device-memory", "0.5", true), ("device-memory", "x", false), ("device-memory", "1.2.3", false),
      ("dpr", "2", true), ("dpr", "2.", false),
      ("rtt", "150", true), ("rtt", "", false), ("rtt", "1.5", false),
      ("ect", "4g", true), ("ect", "slow-2g", true), ("ect", "5g", false),
      ("width", "640", true), ("width", "-1", false),
      ("viewport-width", "1024", true), ("viewport-width", "wide", false),
      ("downlink", "10.0", true), ("downlink", "fast", false),
      ("save-data", "ON", true), ("save-data", "off", false),
      ("x-request-id", "1", false), ("authorization", "on", false), ("content-type", "text/plain", false),
      ("abc", "1", false), ("", "", false),
    ]
    for (name, value, expected) in cases {
      #expect(ChromiumSafelist.isSafelisted(name, value) == expected, "\(name): \(value)")
    }
  }

  @Test("A URL kept from an earlier request is the URL parsed now, whatever the base")
  func recentURLs() throws {
    var recent = RecentURLs()
    // (`http:x` is relative to an http base and absolute against an https one: never kept.)
    let bases = [try URLRecord("https://app.example/dir/page.html"), try URLRecord("http://app.example/dir/page.html")]
    let texts = ["https://api.example/data", "http://api.example:8080/a/b?q=1#f", "https://API.example/data",
                 "/relative", "http:api.example/x", "https://127.0.0.1/", "https://api.example/%41", "data:,x",
                 " https://api.example/data", "https://api.example/./a", "two"]
    for _ in 0..<3 {  // the first round parses, the later ones find most in the cache
      for base in bases {
        for text in texts {
          let expected = try? URLRecord(text, base: base)
          let got = try? recent.parse(text, base: base)
          #expect(got?.href == expected?.href, "\(text) against \(base.href)")
        }
      }
    }
    // The last four texts are kept: a fifth lets the earliest go.
    var kept = RecentURLs()
    let five = (1...5).map { "https://api.example/\($0)" }
    let records = try five.map { try kept.parse($0, base: nil) }
    for k in 1..<5 { #expect(try kept.parse(five[k], base: nil).isSameRecord(as: records[k]), "\(five[k]) kept") }
    #expect(try !kept.parse(five[0], base: nil).isSameRecord(as: records[0]), "\(five[0]) let go")
    // Now 3, 4, 5 and 1 again are kept, read from their bytes too; 2 went when 1 came back.
    func cached(_ text: String) -> URLRecord? {
      var t = text
      return t.withUTF8 { kept.cached($0) }
    }
    #expect(cached(five[2])?.isSameRecord(as: records[2]) == true && cached(five[4])?.isSameRecord(as: records[4]) == true)
    #expect(cached(five[0]) != nil && cached(five[1]) == nil)
    // A simulator decides a request the same the first time and the tenth (its URL then comes from the cache).
    var sim = Simulator(profile: .chromium, page: try Page("https://app.example/"), server: Server(routes: [
      try Route(url: "https://api.example/data", headers: ["Access-Control-Allow-Origin": "https://app.example"]),
    ]))
    let first = sim.fetch(ScriptRequest(url: "https://api.example/data"))
    for _ in 0..<10 { _ = sim.fetch(ScriptRequest(url: "https://api.example/other")) }
    let again = sim.fetch(ScriptRequest(url: "https://api.example/data"))
    #expect(first == again && first.outcome == .readable)
  }

  @Test("A request for a route's URL, written as it serializes, holds the route's record; any other text is parsed",
        arguments: [2, 12])
  func routeURLShared(routeCount: Int) throws {
    // A few routes are looked at one by one, more through the index (`Server.indexedFrom`).
    var routes = try (0..<routeCount).map { try Route(url: "https://api.example/r\($0)") }
    routes += [try Route(url: "https://api.example/frag#part"), try Route(url: "HTTPS://Api.Example:443/upper"),
               try Route(url: "wss://api.example/socket"), try Route(method: "PUT", url: "https://api.example/r1?q=1")]
    let server = Server(routes: routes)
    let base = try URLRecord("https://app.example/dir/page.html")
    let texts = ["https://api.example/r1", "https://api.example/r1?q=1", "https://api.example/frag#part",
                 "https://api.example/frag", "https://api.example/upper", "HTTPS://Api.Example:443/upper",
                 "wss://api.example/socket", "/r1", "https://api.example/r1#x", "https://api.example/unknown"]
    for text in texts {
      var recent = RecentURLs()
      let got = try recent.parse(text, base: base) { server.routeURL(serializedAs: $0) }
      let parsed = try URLRecord(text, base: base)
      #expect(got.href == parsed.href && got.host == parsed.host && got.port == parsed.port && got.path == parsed.path
              && got.query == parsed.query && got.fragment == parsed.fragment && got.origin == parsed.origin, "\(text)")
      let route = routes.first { $0.url.href == text && $0.url.isHTTPScheme }
      #expect(route.map { got.isSameRecord(as: $0.url) } ?? true, "\(text): not the route's record")
      #expect(route != nil || routes.allSatisfy { !got.isSameRecord(as: $0.url) }, "\(text): a route's record")
      // Asked again (from the memo now): the same text gives the route's record again.
      let again = try recent.parse(text, base: base) { server.routeURL(serializedAs: $0) }
      #expect(again.href == got.href && route.map { again.isSameRecord(as: $0.url) } ?? true, "\(text): asked again")
    }
    // A server made for a fix's trial answers from its base's routes: their records too.
    #expect(server.overlay().routeURL(serializedAs: "https://api.example/r1")?.isSameRecord(as: routes[1].url) == true)
    // And a simulator's request for a route's URL goes on the wire with the route's record.
    var sim = Simulator(profile: .chromium, page: try Page("https://app.example/"), server: server)
    let v = sim.fetch(ScriptRequest(url: "https://api.example/r1"))
    #expect(v.requests.first?.url.isSameRecord(as: routes[1].url) == true)
  }

  @Test("an origin written at once is the origin written piece by piece",
        arguments: [("https", "a.b", nil as Int?), ("http", "app.test", 8080), ("http", "x", 0), ("https", "x", 65535),
                    ("http", "[::1]", 9), ("https", "a-very-long-host-name.example.org", 443), ("ws", "h", 7), ("http", "", 1),
                    ("http", "x", 10), ("http", "x", 99), ("http", "x", 100), ("http", "x", -1), ("http", "x", Int.max),
                    ("http", "x", Int.min)])
  func originText(scheme: String, host: String, port: Int?) {
    let expected = scheme + "://" + host + (port.map { ":" + String($0) } ?? "")
    #expect(HTTPSyntax.schemeHostPort(scheme, host, port) == expected)
  }

  @Test("A header list knows when another shares its lines, and never says so of different lines")
  func sharesLines() {
    let a: HeaderList = [("A", "1"), ("B", "2")]
    var b = a
    #expect(a.sharesLines(with: b))
    b.append("C", "3")
    #expect(!a.sharesLines(with: b))
    let c: HeaderList = [("A", "1"), ("B", "2")]
    #expect(!a.sharesLines(with: c) || a == c)
    #expect(HeaderList().sharesLines(with: HeaderList()))
  }
}

@Suite("A profile's sets of cases, kept as bits")
struct CaseBitsTests {
  @Test("every subset reads back as itself, and contains says what Set says")
  func roundTrip() {
    let all = ElementKind.allCases
    for seed in 0..<64 {
      var picked = Set<ElementKind>()
      for (k, c) in all.enumerated() where (seed * 2654435761 >> k) & 1 == 1 { picked.insert(c) }
      let bits = CaseBits(picked)
      #expect(bits.set == picked)
      #expect(bits.isEmpty == picked.isEmpty)
      for c in all { #expect(bits.contains(c) == picked.contains(c)) }
    }
    #expect(CaseBits(MediaContainer.allCases).set == Set(MediaContainer.allCases))
    #expect(CaseBits([RequestDestination.script]).set == [.script])
  }

  @Test("the profile's Set properties read and write the bits")
  func profileSets() {
    var p = BrowserProfile.chromium
    p.integrityPolicyDestinations = [.style]
    #expect(p.integrityPolicyDestinations == [.style])
    #expect(p.integrityPolicyDestinationsCases.contains(.style) && !p.integrityPolicyDestinationsCases.contains(.script))
    p.elementCORSRequestsAlwaysSendOrigin = true
    #expect(p.elementsSendingOriginToOwnOrigin == Set(ElementKind.allCases))
    #expect(BrowserProfile.spec.workerScriptsNeedingJavaScriptMIME == [.classic, .module])
    #expect(BrowserProfile.spec.mediaContainersPlayed == Set(MediaContainer.allCases))
  }
}

/// The byte-level helpers rewritten for speed, each against a plain statement of what it must answer.
@Suite("Byte-level helpers answer what their plain statements answer")
struct ByteHelperTests {
  /// A small generator, the same on every run.
  struct Seeded {
    var state: UInt64
    mutating func next(_ n: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(n))
    }
  }

  @Test("isTokenByte is RFC 9110's tchar, for every byte")
  func tokenBytes() {
    let tchar = Set("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
    for b in 0...255 { #expect(HTTPSyntax.isTokenByte(UInt8(b)) == tchar.contains(UInt8(b)), "byte \(b)") }
  }

  /// #extract-header-list-values for a `#token` list, as the standard says it: split on commas, strip spaces and
  /// tabs, drop empty items; the first item that is not a token fails.
  static func plainTokenList(_ values: [String]) -> TokenListExtraction {
    var out: [String] = []
    for value in values {
      for piece in value.split(separator: ",", omittingEmptySubsequences: false) {
        var item = Substring(piece)
        while let f = item.utf8.first, f == 0x20 || f == 0x09 { item = item.dropFirst() }
        while let l = item.utf8.last, l == 0x20 || l == 0x09 { item = item.dropLast() }
        if item.isEmpty { continue }
        if !item.utf8.allSatisfy(HTTPSyntax.isTokenByte) {
          return .failure(invalidItem: String(item), line: HeaderField("x", value))
        }
        out.append(String(item))
      }
    }
    return values.isEmpty ? .absent : .values(out)
  }

  @Test("a token list is read as its plain statement reads it, on 5,000 random values of one to three lines")
  func tokenLists() {
    var g = Seeded(state: 0x70CE_115E)
    let pieces = ["GET", "PUT", "x-trace", "content-type", ",", ",", " ", "\t", "", "a b", "é", "\"q\"", "*", "X_1"]
    for _ in 0..<5_000 {
      let lines = (0..<(1 + g.next(3))).map { _ in (0..<g.next(7)).map { _ in pieces[g.next(pieces.count)] }.joined() }
      let list = HeaderList(pairs: lines.map { ("Access-Control-Allow-Methods", $0) })
      let got = list.extractTokenList(.accessControlAllowMethods)
      switch (got, Self.plainTokenList(lines)) {
      case (.values(let a), .values(let b)): #expect(a == b, "\(lines)")
      case (.failure(let a, _), .failure(let b, _)): #expect(a == b, "\(lines)")
      default: Issue.record("\(lines): \(got)")
      }
    }
  }

  @Test("join is joined(separator:), for none, one and several items, also past ASCII")
  func join() {
    for items in [[], ["a"], ["authorization", "x-request-id", "x-trace"], ["", ""], ["é", "x", "\u{1F600}z"],
                  (0..<300).map { "x-\($0)" }] {
      #expect(HTTPSyntax.join(items, separator: UInt8(ascii: ",")) == items.joined(separator: ","))
    }
  }

  @Test("hasUTF8 is == on the bytes' string: empty, equal, a byte apart, a prefix, past ASCII, made from a slice")
  func hasUTF8() {
    let texts = ["", "a", "https://api.example/d", "https://api.example/e", "https://api.example/",
                 "https://api.example/dd", "é", "e\u{301}", String("xhttps://api.example/d".dropFirst())]
    for s in texts {
      for t in texts {
        var bytes = t
        #expect(bytes.withUTF8 { s.hasUTF8($0) } == (Array(s.utf8) == Array(t.utf8)), "\(s) / \(t)")
      }
    }
  }

  @Test("sameBytes compares bytes: equal strings stored apart, small and heap strings, a byte apart, lengths apart")
  func sameBytes() {
    let base = "https://app.example"
    // The same text built at run time (a string stored apart from the literal), a longer one, and bridged slices.
    let built = ["https://", "app", ".example"].joined()
    let texts = ["", "*", "null", "true", "True", base, built, base + "/", "https://app.example:443", "https://app.exampl",
                 "https://app.examplf", "https://APP.example", String("xhttps://app.example".dropFirst()),
                 "é", "e\u{301}", "\u{212A}", "K", String(repeating: "a", count: 15), String(repeating: "a", count: 16)]
    for a in texts {
      for b in texts {
        #expect(HTTPSyntax.sameBytes(a, b) == (Array(a.utf8) == Array(b.utf8)), "\(a) / \(b)")
      }
    }
    // Canonically equivalent is not the same bytes (`==` says equal; the standard compares byte sequences).
    #expect("\u{212A}" == "K" && !HTTPSyntax.sameBytes("\u{212A}", "K"))
    #expect("é" == "e\u{301}" && !HTTPSyntax.sameBytes("é", "e\u{301}"))
  }

  @Test("contains(_:or:) is contains(a) || contains(b), on 2,000 random lists of well-known and other names in any case")
  func containsEither() {
    var g = Seeded(state: 0xCAC4E)
    let names = ["Cache-Control", "cache-control", "EXPIRES", "Expires", "Date", "Vary", "X-Cache", "x-expires", "Age"]
    for _ in 0..<2_000 {
      let list = HeaderList(pairs: (0..<g.next(5)).map { _ in (names[g.next(names.count)], "v") })
      for (a, b) in [(HeaderName.cacheControl, HeaderName.expires), (.expires, .cacheControl), (.vary, "x-cache"),
                     ("age", .date)] {
        #expect(list.contains(a, or: b) == (list.contains(a) || list.contains(b)), "\(list.fields) \(a) \(b)")
      }
    }
  }

  @Test("a URL's host address space, kept in its record, is AddressSpace.of(host), read once or many times, on threads")
  func hostAddressSpace() throws {
    let urls = ["https://api.example/", "http://localhost:8080/", "http://a.localhost/", "http://LOCALHOST./x",
                "http://printer.local/", "http://printer.local./", "http://127.0.0.1/", "http://10.1.2.3/",
                "http://172.16.0.1/", "http://172.32.0.1/", "http://192.168.1.1/", "http://169.254.0.9/",
                "http://100.64.0.1/", "http://8.8.8.8/", "http://0.0.0.0/", "http://[::1]/", "http://[::]/",
                "http://[fc00::1]/", "http://[fe80::1]/", "http://[::ffff:192.168.0.1]/", "http://[2001:db8::1]/",
                "http://[2606:4700::1]/", "file:///etc/hosts", "data:text/plain,x", "blob:https://app.example/1",
                "https://xn--caf-dma.example/"]
    for text in urls {
      let url = try URLRecord(text)
      let expected = AddressSpace.of(url.host)
      #expect(url.hostAddressSpace == expected, "\(text)")
      #expect(url.hostAddressSpace == expected, "\(text), read again")
      // A copy shares the record, and so what it kept.
      let copy = url
      #expect(copy.hostAddressSpace == expected, "\(text), a copy")
    }
    // One record read first on several threads at once (`--jobs N` shares kept URLs): each reads the same answer.
    let shared = try URLRecord("http://192.168.0.7/")
    let answers = Mutex<[AddressSpace]>([])
    DispatchQueue.concurrentPerform(iterations: 8) { _ in
      let space = shared.hostAddressSpace
      answers.withLock { $0.append(space) }
    }
    #expect(answers.withLock { $0 } == Array(repeating: .local, count: 8))
  }

  @Test("a fix's sentence is capitalized as uppercased() capitalizes its first character, ASCII or not")
  func capitalizedSentences() {
    for text in ["answer GET https://api.example/ with 204.", "on the response to x send `a: b`.", "Already.", "",
                 "éclair first.", "ßharp.", "1 first.", "a", "\u{1F600} first."] {
      #expect(FixWording.capitalized(text) == text.prefix(1).uppercased() + text.dropFirst(), "\(text)")
    }
  }

  @Test("an Access-Control-Max-Age integer: an optional sign, then digits; anything else or overflow is nil")
  func signedIntegers() throws {
    let run = FetchRun(owning: Simulator(profile: .chromium, page: try Page("https://app.example/")), api: .fetch)
    let cases: [(String, Int64?)] = [
      ("600", 600), ("+600", 600), ("-1", -1), ("0", 0), ("007", 7), ("", nil), ("+", nil), ("-", nil), ("+-5", nil),
      ("5 ", nil), (" 5", nil), ("5s", nil), ("9223372036854775807", Int64.max), ("9223372036854775808", nil),
      ("-9223372036854775807", -Int64.max), ("+\u{301}5", nil), ("٣", nil), ("99999999999999999999", nil),
    ]
    for (text, expected) in cases { #expect(run.signedInteger(text) == expected, "\(text)") }
  }
}

@Suite("A step's citation is found by its anchor's length")
struct CitationLookupTests {
  @Test("every anchor of the table cites its citation; another anchor, or another standard's, is cited as written")
  func citations() {
    var seen = 0
    for (anchor, citation) in TraceStep.citations {
      #expect(TraceStep.cite(anchor) == citation, "\(anchor)")
      #expect(citation.hasSuffix("(\(anchor))"))
      seen += 1
    }
    #expect(seen == 37)
    // The anchors the steps cite: each is in the table, or is cited without a section.
    let anchors = Checkpoint.allCases.map(\.anchor) + TraceNote.allCases.map(\.anchor)
      + FailureReason.allCases.map(\.anchor)
    for anchor in anchors where anchor.hasPrefix("#") {
      let cited = TraceStep.cite(anchor)
      #expect(cited == "Fetch (\(anchor))" || TraceStep.citations.contains { $0.key == anchor && $0.value == cited })
    }
    #expect(TraceStep.cite("#no-such-anchor") == "Fetch (#no-such-anchor)")
    #expect(TraceStep.cite("#concept-cors-chec") == "Fetch (#concept-cors-chec)")
    #expect(TraceStep.cite("mix #should-block-fetch") == "mix #should-block-fetch")
    #expect(TraceStep.cite("") == "")
    #expect(TraceStep.cite(String(repeating: "#x", count: 200)).hasPrefix("Fetch (#x"))
  }
}
