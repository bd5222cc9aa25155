import CORSPolicy
import CORSSimulator
import Foundation
import Testing

/// The CPU time the calling thread has used: what a comparison of two costs reads, as the tests running beside it
/// on the other cores do not move it (they move wall-clock time, and a loaded CI machine made a ratio fail).
func threadCPUTime() -> Duration {
  var t = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
  return .seconds(Int64(t.tv_sec)) + .nanoseconds(Int64(t.tv_nsec))
}

/// Policy files written to hurt: every one must cost little and fail with a message that says where.
@Suite("Hostile policy files")
struct HostilePolicyTests {
  func message(_ text: String) -> String? {
    do {
      _ = try PolicyDocument(text: text)
      return nil
    } catch {
      return error.message
    }
  }

  /// Nine levels of nine aliases each: 9⁹ strings once expanded.
  static let aliasBomb = """
    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
    h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
    i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
    """

  @Test("an alias bomb is refused before it is expanded, naming the line")
  func aliasBomb() {
    let start = ContinuousClock.now
    let m = message(Self.aliasBomb)
    #expect(ContinuousClock.now - start < .seconds(1))
    #expect(m?.contains("line 1, column 4: the anchor &a: YAML anchors and aliases are not supported") == true, "\(m ?? "accepted")")
  }

  @Test("aliases as mapping keys, merge keys and a lone alias are refused too")
  func aliasesAnywhere() {
    #expect(message("origins: [https://a.example]\nx: &k {a: 1}\n? *k\n: 2")?.contains("the anchor &k") == true)
    #expect(message("base: &b {credentials: true}\n<<: *b")?.contains("anchors and aliases are not supported") == true)
    #expect(message("origins: *nothing")?.contains("not valid YAML") == true || message("origins: *nothing")?.contains("alias") == true)
  }

  @Test("an error names the key path of the value at fault", arguments: [
    ("origins: [https://a.example]\nmaxAge: 1e400", "maxAge: expected a whole number, found '1e400'"),
    ("origins: [https://a.example]\nmaxAge: [1]", "maxAge: expected a whole number, found a list"),
    ("origins: [https://a.example, {x: 1}]", "origins[1]: expected a string, found a mapping"),
    ("origins: [https://a.example]\nfrontend: [{method: GET}, {method: [PUT]}]", "frontend[1].method: expected a string, found a list"),
    ("origins: [https://a.example]\nfrontend: [{headers: {X-A: [1]}}]", "frontend[0].headers.X-A: expected a string, found a list"),
    ("origins: [https://a.example]\nfrontend: [{credentials: always}]", "frontend[0].credentials: include, omit or same-origin"),
    ("origins: [https://a.example]\nlayers: [{name: cdn, add: {Vary: {}}}]", "layers[0].add.Vary: expected a string, found a mapping"),
    ("origins: [https://a.example]\nresponse: {status: 2.5}", "response.status: expected a whole number, found '2.5'"),
    ("preset: flask-cors\noptions: {max_age: 1e400}", "options.max_age: expected a whole number, found '1e400'"),
    ("preset: rs-cors\noptions: {AllowedOrigins: [https://a.example, [x]]}", "options.AllowedOrigins[1]: expected a string, found a list"),
    ("preset: vapor\noptions: {allowedOrigin: {any: [{}]}}", "options.allowedOrigin.any[0]: expected a string"),
    ("preset: hummingbird\noptions: {allowOrigin: 7}", "options.allowOrigin: expected originBased"),
    ("origins: [https://a.example]\nanyOrigin: everything", "anyOrigin: wildcard or reflect"),
  ])
  func keyPaths(text: String, expected: String) {
    let m = message(text)
    #expect(m?.hasPrefix(expected) == true, "\(m ?? "accepted")")
  }

  @Test("an empty policy file is an error, not an audit of an invented resource", arguments: ["", "\n", "# nothing yet\n", "{}", "---\n"])
  func empty(text: String) {
    let m = message(text)
    #expect(m?.contains("origins:") == true, "\(m ?? "accepted")")
  }

  @Test("an nginx configuration nested 100,000 blocks deep is refused with its line; 64 levels are read")
  func nginxNesting() throws {
    func policy(_ levels: Int, _ block: String) -> String {
      "resource: https://api.example.com/data\npreset: nginx\nconfig: |\n  server {\n"
        + String(repeating: "  \(block) {\n", count: levels) + "  add_header Access-Control-Allow-Origin * always;\n"
        + String(repeating: "  }\n", count: levels) + "  }\n"
    }
    // Every level was a call, in the parser and in each reader of the blocks: the stack overflowed.
    for block in ["location /data", "if ($http_origin)"] {
      let deep = message(policy(100_000, block))
      #expect(deep?.contains("nested deeper than 64 levels") == true, "\(deep ?? "no error")")
      #expect(deep?.contains("line 65") == true, "\(deep ?? "no error")")
    }
    // The server block and 63 levels inside it: the limit, still read.
    #expect(message(policy(63, "location /data")) == nil)
    #expect(message(policy(64, "location /data"))?.contains("nested deeper") == true)
  }

  @Test("a pattern that backtracks catastrophically elsewhere costs microseconds here")
  func catastrophicPattern() throws {
    let document = try PolicyDocument(text: "origins: ['/(.*)*x/']\ncredentials: true")
    let start = ContinuousClock.now
    let long = "https://" + String(repeating: "a", count: 5_000) + ".example"
    #expect(document.policy.rule(allowing: long) == nil)
    #expect(document.policy.rule(allowing: "https://a.x") != nil)
    _ = Auditor(document: document).audit(document)
    #expect(ContinuousClock.now - start < .seconds(10))
  }

  @Test("a pattern that needs backtracking is refused with its key and the pattern", arguments: [
    ("origins: [https://a.example, '/^(a)\\1$/']", "origins[1]: the regular expression /^(a)\\1$/: backreferences"),
    ("origins: ['/^(?=https).*$/']", "origins[0]: the regular expression /^(?=https).*$/: lookahead"),
    ("origins: ['/^(?<!x)a$/']", "origins[0]: the regular expression /^(?<!x)a$/: lookbehind"),
    ("origins: ['/a++/']", "origins[0]: the regular expression /a++/: possessive"),
    ("origins: ['/(a/']", "origins[0]: the regular expression /(a/: a '(' that is never closed"),
    ("origins: ['/*a/']", "origins[0]: the regular expression /*a/: nothing to repeat"),
    ("origins: ['/(a{1000}){1000}/']", "more than 20000 states"),
    ("preset: express-cors\noptions: {origin: ['/x(?!y)/']}", "options: the regular expression /x(?!y)/: lookahead"),
  ])
  func refusedPatterns(text: String, expected: String) {
    let m = message(text)
    #expect(m?.contains(expected) == true, "\(m ?? "accepted")")
  }

  @Test("an allowlist of 1,000 origins makes an adversarial set that grows linearly with it")
  func adversarialSetIsLinear() {
    func count(_ n: Int) -> Int {
      let entries = (0..<n).map { "https://app\($0).example\($0 % 7).com" }
      return OriginGenerator.adversarial(around: Allowlist(entries: entries)).count
    }
    let small = count(100), large = count(1_000)
    #expect(large < 12 * small, "100 entries: \(small) origins; 1,000 entries: \(large)")
    #expect(large < 60 * 1_000)
  }

  @Test("an allowlist of regular expressions four times longer costs about four times as much to audit")
  func regexAllowlistIsLinear() throws {
    func time(_ n: Int) throws -> Duration {
      let entries = (0..<n).map { "'/^https://app\($0)\\.example\($0 % 7)\\.com$/'" }.joined(separator: ", ")
      let document = try PolicyDocument(text: "origins: [\(entries)]\ncredentials: true")
      let origins = OriginGenerator.adversarial(around: Allowlist(policy: document.policy)).map(\.origin)
      #expect(origins.count > 30 * n)
      let start = threadCPUTime()
      for origin in origins { _ = document.policy.rule(allowing: origin) }
      return threadCPUTime() - start
    }
    let small = try time(100), large = try time(400)
    #expect(large < small * 8, "100 patterns: \(small); 400 patterns: \(large)")
  }

  @Test("the first matching rule of a long allowlist is found by lookup, as the in-order scan would find it")
  func indexedRules() {
    var rules: [OriginRule] = (0..<2_000).map { .exact("https://a\($0).example") }
    rules.insert(.regex(#"^https://a1\d*\.example$"#), at: 1_500)
    rules.append(.subdomains(of: "https://example"))
    rules.append(.exact("HTTPS://A7.EXAMPLE", ignoringCase: true))
    let policy = CORSPolicy(origins: rules)
    for origin in ["https://a7.example", "https://a1999.example", "https://a10.example", "https://a19999.example",
                   "https://x.example", "https://A7.example", "https://evil.test", "null"] {
      #expect(policy.rule(allowing: origin) == rules.first { $0.matches(origin) }, "\(origin)")
    }
    // Regular expressions and globs are found by the literal they need; those without one are always tried.
    let patterned = CORSPolicy(origins: [
      .regex(#"^https://a(1|2)\.example$"#), .glob("https://*.cdn.example"), .regex(#".*"#, match: .search),
      .regex(#"^https://A7\.EXAMPLE$"#, ignoringCase: true), .glob("*"), .exact("https://a1.example"),
      .regex(#"(?i)^https://\x61pp\.test$"#), .regex("(unclosed"), .glob("HTTPS://X.CDN.EXAMPLE*"),
    ])
    for origin in ["https://a1.example", "https://a7.example", "https://x.cdn.example", "https://APP.test", "https://\u{212A}.cdn.example",
                   "https://évil.example", "null", "https://x.cdn.example.evil"] {
      #expect(patterned.rule(allowing: origin) == patterned.origins.first { $0.matches(origin) }, "\(origin)")
      var withoutCatchAll = patterned
      withoutCatchAll.origins.removeAll { $0 == .regex(#".*"#, match: .search) || $0 == .glob("*") }
      #expect(withoutCatchAll.rule(allowing: origin) == withoutCatchAll.origins.first { $0.matches(origin) }, "\(origin)")
    }
    var edited = policy
    edited.origins.removeAll()
    #expect(edited.rule(allowing: "https://a7.example") == nil)
    #expect(policy.rule(allowing: "https://a7.example") == .exact("https://a7.example"))
  }
}

/// The linear-time matcher against Swift's backtracking `Regex` on small random patterns and strings, where
/// backtracking is cheap: both must say the same for whole, prefix and search matches.
@Suite("Origin patterns")
struct OriginPatternTests {
  struct Generator {
    var rng = SplitMix64(seed: 0xC0_75)
    let letters: [String] = ["a", "b", "A", ".", "-", ":", "/"]

    mutating func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }

    mutating func pattern(depth: Int = 0) -> String {
      var out = ""
      for _ in 0..<(1 + Int(rng.next() % 3)) {
        var atom: String
        switch rng.next() % (depth < 2 ? 9 : 6) {
        case 0: atom = "."
        case 1: atom = pick(["[ab]", "[^a]", "[a-b.]", "[-A]", "\\w", "\\W", "\\d", "[\\w:]"])
        case 2: atom = pick(["\\.", "\\/", "\\-", "\\b", "\\B"])
        case 6: atom = "(" + pattern(depth: depth + 1) + ")"
        case 7: atom = "(?:" + pattern(depth: depth + 1) + "|" + pattern(depth: depth + 1) + ")"
        case 8: atom = "(" + pattern(depth: depth + 1) + ")"
        default: atom = pick(["a", "b", "A", ":", "/"])
        }
        if rng.next() % 2 == 0 && !atom.hasPrefix("\\b") && !atom.hasPrefix("\\B") { atom += pick(["*", "+", "?", "{0,2}", "{1,3}", "{2}", "*?", "+?", "{1,}"]) }
        out += atom
      }
      if rng.next() % 5 == 0 { out += "|" + pick(["a", "b+", "^A", "b$"]) }
      return out
    }

    mutating func text() -> String {
      (0..<Int(rng.next() % 9)).map { _ in pick(letters) }.joined()
    }
  }

  @Test("the same answers as Swift's Regex on 4,000 random cases")
  func differential() throws {
    var g = Generator()
    var compared = 0
    for _ in 0..<400 {
      var source = g.pattern()
      if g.rng.next() % 4 == 0 { source = "^" + source }
      if g.rng.next() % 4 == 0 { source += "$" }
      let ignoringCase = g.rng.next() % 3 == 0
      let mine = try OriginPattern(source, ignoringCase: ignoringCase)
      // `\b` as Python and JavaScript read it (Swift's default follows Unicode's word boundaries).
      var reference = try Regex(source).wordBoundaryKind(.simple)
      if ignoringCase { reference = reference.ignoresCase() }
      for _ in 0..<10 {
        let t = g.text()
        #expect(mine.matches(t, .whole) == ((try? reference.wholeMatch(in: t)) != nil), "/\(source)/ whole \(t)")
        #expect(mine.matches(t, .prefix) == ((try? reference.prefixMatch(in: t)) != nil), "/\(source)/ prefix \(t)")
        #expect(mine.matches(t, .search) == ((try? reference.firstMatch(in: t)) != nil), "/\(source)/ search \(t)")
        compared += 1
      }
    }
    #expect(compared == 4_000)
  }

  @Test("anchors, boundaries, classes, counted repetitions, flags", arguments: [
    (#"^https://(www\.)?example\.com$"#, "https://www.example.com", RegexMatch.whole, true),
    (#"^https://(www\.)?example\.com$"#, "https://wwwxexample.com", .whole, false),
    (#"example\.com$"#, "https://evil-example.com", .search, true),
    (#"\bexample\.com$"#, "https://evil-example.com", .search, true),
    (#"\bexample\.com$"#, "https://evilexample.com", .search, false),
    (#"\Bexample"#, "https://evilexample.com", .search, true),
    (#"https://[a-z0-9-]{1,63}\.example\.com"#, "https://app-1.example.com.evil", .prefix, true),
    (#"https://[a-z0-9-]{1,3}\.example\.com"#, "https://long.example.com", .prefix, false),
    (#"(?i)^HTTPS://APP\.EXAMPLE$"#, "https://app.example", .whole, true),
    (#"^https://\x61pp\u002Eexample$"#, "https://app.example", .whole, true),
    (#"^(?P<sub>[^.]+)\.example$"#, "a.b.example", .whole, false),
    (#"^[\d]+$"#, "2024", .whole, true),
    (#"a{,2}"#, "a{,2}", .whole, true),
    (#"()*a"#, "a", .whole, true),
    (#"(a*)*b"#, String(repeating: "a", count: 20_000), .search, false),
  ])
  func semantics(pattern: String, text: String, mode: RegexMatch, expected: Bool) throws {
    #expect(try OriginPattern(pattern).matches(text, mode) == expected)
  }

  @Test("nested quantifiers over a long origin stay linear: four times the text, about four times the time")
  func linear() throws {
    let pattern = try OriginPattern(#"^(a|aa|a?)*(.*)*(b+)+$"#)
    func time(_ n: Int) -> Duration {
      let text = String(repeating: "a", count: n) + "c"
      let start = threadCPUTime()
      #expect(!pattern.matches(text, .whole))
      return threadCPUTime() - start
    }
    let small = time(20_000), large = time(80_000)
    #expect(large < small * 8, "20,000 characters: \(small); 80,000: \(large)")
  }
}
