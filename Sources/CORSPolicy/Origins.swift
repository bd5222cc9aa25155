import CORSSimulator

/// The origins a server means to trust: exact origins and subdomain patterns, as browsers serialize them.
/// Entries written in a form no browser sends (`https://App.example.com`, `https://a.example:443`,
/// `https://a.example/`, a Unicode host) are kept as `unmatchable` and trusted in their serialized form.
public struct Allowlist: Sendable, Hashable {
  /// Trusted origins, serialized.
  public var exact: [String] { didSet { exactSet = Set(exact) } }
  /// Trusted subdomain patterns, as base origins: `https://example.com` stands for `https://*.example.com`.
  public var subdomainBases: [String] { didSet { baseSet = Set(subdomainBases) } }
  // The same, for lookups in constant time (an allowlist of thousands of entries is checked against tens of
  // thousands of origins).
  private var exactSet: Set<String> = []
  private var baseSet: Set<String> = []
  /// Entries no browser ever sends, with the form browsers do send (nil when none).
  public var unmatchable: [(entry: String, serialized: String?)]

  public static func == (a: Allowlist, b: Allowlist) -> Bool {
    a.exact == b.exact && a.subdomainBases == b.subdomainBases && a.unmatchable.map(\.entry) == b.unmatchable.map(\.entry)
  }
  public func hash(into hasher: inout Hasher) { hasher.combine(exact); hasher.combine(subdomainBases) }

  /// Reads entries: origins, and `scheme://*.host` patterns.
  public init(entries: [String]) {
    var exact: [String] = []
    var seen = Set<String>()
    var bases: [String] = []
    unmatchable = []
    for entry in entries {
      if case .subdomains(let base) = OriginRule(policyEntry: entry) {
        bases.append(Allowlist.serialize(base) ?? base)
        continue
      }
      guard let serialized = Allowlist.serialize(entry) else {
        unmatchable.append((entry, nil))
        continue
      }
      if serialized != entry { unmatchable.append((entry, serialized)) }
      if seen.insert(serialized).inserted { exact.append(serialized) }
    }
    self.exact = exact
    self.subdomainBases = bases
    exactSet = seen
    baseSet = Set(bases)
  }

  /// The allowlist a policy's rules mean: exact entries, subdomain patterns, and the literal reading of
  /// globs and regular expressions (`^https://.*\.example\.com$` means `https://*.example.com`).
  /// `*` and `null` add nothing: the audit never counts them as intended.
  public init(policy: CORSPolicy) {
    var entries: [String] = []
    if let fixed = policy.fixedAllowOrigin, fixed != "*", fixed != "null" { entries.append(fixed) }
    for rule in policy.origins {
      switch rule {
      case .any, .null: break
      case .exact(let o, _): entries.append(o)
      case .subdomains(let b): entries.append(OriginRule.subdomainPattern(b))
      case .glob(let g): if let reading = Allowlist.literalReading(glob: g) { entries.append(contentsOf: reading) }
      case .regex(let r, _, _): if let reading = Allowlist.literalReading(regex: r) { entries.append(contentsOf: reading) }
      }
    }
    self.init(entries: entries)
  }

  /// Whether an origin is meant to be trusted.
  public func contains(_ origin: String) -> Bool {
    exactSet.contains(origin) || OriginRule.subdomainBaseCandidates(of: origin).contains {
      baseSet.contains($0) && OriginRule.subdomains(of: $0).matches(origin)
    }
  }

  /// True when nothing is trusted.
  public var isEmpty: Bool { exact.isEmpty && subdomainBases.isEmpty }

  /// Origins that stand for the allowlist in tests: every exact origin, and one subdomain per pattern.
  public var representatives: [String] {
    exact + subdomainBases.map { base in
      guard let r = base.range(of: "://") else { return base }
      return String(base[..<r.upperBound]) + "app." + base[r.upperBound...]
    }
  }

  /// How browsers serialize an origin written by hand (nil: not an origin at all).
  public static func serialize(_ entry: String) -> String? {
    guard let url = try? URLRecord(entry), url.isHTTPScheme, url.host != nil else { return nil }
    return url.origin.serialization
  }

  static func literalReading(glob g: String) -> [String]? {
    guard let r = g.range(of: "://*.") else { return nil }
    let rest = g[r.upperBound...]
    return rest.contains("*") ? nil : [String(g[..<r.lowerBound]) + "://*." + rest]
  }

  /// The allowlist a regular expression was meant to say, when it is simple enough to read.
  static func literalReading(regex r: String) -> [String]? {
    var s = r
    for anchor in ["^", "\\A"] where s.hasPrefix(anchor) { s.removeFirst(anchor.count) }
    for anchor in ["$", "\\z", "\\Z"] where s.hasSuffix(anchor) { s.removeLast(anchor.count) }
    if s.contains("|") { return nil }
    s = s.replacingAll("\\.", with: ".").replacingAll("\\/", with: "/").replacingAll("\\-", with: "-")
    var schemes = ["https://"]
    for (prefix, list) in [("https?://", ["https://", "http://"]), ("https://", ["https://"]), ("http://", ["http://"])] where s.hasPrefix(prefix) {
      schemes = list
      s.removeFirst(prefix.count)
      break
    }
    // The longest literal tail (host characters only) is the domain the expression was about.
    let hostCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:")
    var tail = ""
    for c in s.reversed() {
      guard hostCharacters.contains(c) else { break }
      tail.insert(c, at: tail.startIndex)
    }
    let head = s.dropLast(tail.count)
    guard !tail.isEmpty else { return nil }
    if head.isEmpty { return schemes.map { $0 + tail } }
    let domain = tail.hasPrefix(".") ? String(tail.dropFirst()) : tail
    guard !domain.isEmpty else { return nil }
    return schemes.flatMap { [$0 + "*." + domain] + (tail.hasPrefix(".") ? [] : [$0 + domain]) }
  }
}

/// An origin a page could have that the allowlist does not mean to trust, and why it is worth trying.
public struct AdversarialOrigin: Sendable, Hashable {
  /// The serialized origin (`null` for an opaque one).
  public var origin: String
  /// The misconfiguration class it tests (`MisconfigurationClass.number`).
  public var misconfiguration: Int
  /// How it was made, for reports.
  public var construction: String

  /// Creates one.
  public init(_ origin: String, _ misconfiguration: Int, _ construction: String) {
    self.origin = origin
    self.misconfiguration = misconfiguration
    self.construction = construction
  }
}

/// Generators of adversarial origins around an allowlist: one family per misconfiguration class.
public enum OriginGenerator {
  /// Characters that break naive origin parsers (misconfiguration class 7).
  public static let specialCharacters: [Character] = ["_", "`", "$", "~", "=", "+", "&", "'", "!", ";", ",", "{", "}", "*", "(", ")", "\""]
  /// Shared-hosting and developer sites (class 11).
  public static let sharedHosting = ["https://attacker.github.io", "https://x.pages.dev", "https://whatever.s3.amazonaws.com",
                                     "https://codepen.io", "https://jsfiddle.net", "https://attacker.netlify.app",
                                     "https://attacker.herokuapp.com"]

  /// Allowlists up to this many entries get every pair of entries joined (class 8).
  public static let maximumAllPairs = 16
  /// Beyond that, each entry is joined with this many following entries (in both orders).
  public static let neighboursPerEntry = 3

  /// Every adversarial origin for an allowlist: the classes' inputs (docs/reference/misconfiguration-classes.md), not trusted by
  /// the allowlist, deduplicated (first class wins). `randomCount` random `https://…com` origins are drawn from
  /// `seed` (class 1).
  public static func adversarial(around allowlist: Allowlist, randomCount: Int = 3, seed: UInt64 = 0x5EED) -> [AdversarialOrigin] {
    var out: [AdversarialOrigin] = []
    var seen = Set<String>()
    func add(_ o: String, _ k: Int, _ why: String) {
      guard !allowlist.contains(o), seen.insert(o).inserted else { return }
      out.append(AdversarialOrigin(o, k, why))
    }
    // 1. Arbitrary origins.
    add("https://evil.test", 1, "an unrelated origin")
    add("http://evil.test", 1, "an unrelated http origin")
    var rng = SplitMix64(seed: seed)
    for _ in 0..<randomCount {
      let label = String((0..<6).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement(using: &rng)! })
      add("https://\(label).com", 1, "a random origin")
    }
    // 2. The opaque origin of sandboxed frames, data: and file: documents.
    add("null", 2, "a sandboxed iframe (Origin: null)")
    let seeds = allowlist.exact.compactMap(Seed.init) + allowlist.subdomainBases.compactMap { Seed($0, pattern: true) }
    for s in seeds {
      let reg = s.registrable
      // 11. Another site on the shared-hosting platform a trusted entry lives on: a test of the platform's
      // suffix (`endswith(".vercel.app")`) lets every site there through.
      if let suffix = PublicSuffixList.publicSuffix(of: s.host), PublicSuffixList.sharedHosting.contains(suffix) {
        add(s.origin(host: "attacker." + suffix), 11, "another site on \(suffix), where anyone can publish")
      }
      // 3. Prefix match: the trusted host followed by an attacker's domain.
      add(s.origin(host: s.host + ".evil.test"), 3, "the trusted host as a prefix")
      add(s.origin(host: reg + ".evil.test"), 3, "the trusted domain as a prefix")
      // 4. Suffix match: the attacker's name glued in front.
      add(s.origin(host: "evil" + reg), 4, "the trusted domain as a suffix")
      add(s.origin(host: "evil-" + reg), 4, "the trusted domain as a suffix after a hyphen")
      if s.host != reg { add(s.origin(host: "evil" + s.host), 4, "the trusted host as a suffix") }
      // 5. Unescaped dots: each dot replaced by a letter.
      for (i, c) in s.host.enumerated() where c == "." {
        var h = Array(s.host)
        h[i] = "x"
        add(s.origin(host: String(h)), 5, "a dot replaced by a letter")
      }
      // 6. Substring matches.
      if reg.count > 3 {
        add(s.origin(host: String(reg.dropLast())), 6, "the trusted domain, one letter short")
        add(s.origin(host: String(reg.dropFirst())), 6, "the trusted domain without its first letter")
      }
      add(s.origin(host: s.host + ".br"), 6, "the trusted host with another top-level domain appended")
      // A search inside the trusted string (or the allowlist joined into one) finds the origin cut short.
      if !s.pattern, s.host.count > 3 { add(s.origin(host: String(s.host.dropLast())), 6, "the trusted host, one letter short") }
      // 7. Characters that confuse origin parsers, between the trusted host and an attacker's domain.
      for c in specialCharacters { add(s.origin(host: s.host + String(c) + ".evil.test"), 7, "the trusted host, then '\(c)'") }
      // 9. The http version of an https origin.
      if s.scheme == "https" {
        add("http://" + s.hostAndPort, 9, "the http version of a trusted https origin")
        add("http://evil." + reg + s.portSuffix, 9, "an http subdomain of the trusted domain")
      }
      // 10. Subdomains, deeper subdomains, the bare domain.
      add(s.origin(host: "evil." + reg), 10, "another subdomain of the trusted domain")
      add(s.origin(host: "a.b." + reg), 10, "a deeper subdomain")
      if s.host != reg || s.pattern { add(s.origin(host: reg), 10, "the bare registrable domain") }
      // 13. Serialization variants: another port; an IDN look-alike (browsers send its punycode).
      add("\(s.scheme)://\(s.host):8443", 13, "the trusted host on another port")
      if let lookalike = s.homograph { add(lookalike, 13, "an IDN look-alike of the trusted host") }
    }
    // 8. Cross-allowlist concatenations: every pair of a short allowlist; for a long one, each entry with its
    // next few neighbours (a pattern that joins entries shows with any pair, and all pairs would make the
    // set grow with the square of the list).
    func join(_ a: Seed, _ b: Seed) {
      let firstLabel = a.host.split(separator: ".").first.map(String.init) ?? a.host
      add(b.origin(host: firstLabel + b.host), 8, "pieces of two trusted origins joined")
      add(b.origin(host: a.host + b.host), 8, "two trusted hosts joined")
      add(a.scheme + "://" + b.host + a.portSuffix, 8, "one trusted origin's scheme and port with another's host")
    }
    if seeds.count <= maximumAllPairs {
      for a in seeds { for b in seeds where a != b { join(a, b) } }
    } else {
      for (i, a) in seeds.enumerated() {
        for step in 1...neighboursPerEntry {
          let b = seeds[(i + step) % seeds.count]
          if a != b { join(a, b); join(b, a) }
        }
      }
    }
    // 11. Shared hosting and developer sites.
    for o in sharedHosting { add(o, 11, "a shared-hosting or developer site anyone can publish on") }
    return out
  }

  /// A parsed allowlist origin the generators start from.
  struct Seed: Hashable {
    var scheme: String
    var host: String
    var port: Int?
    var pattern = false

    init?(_ origin: String) { self.init(origin, pattern: false) }
    init?(_ origin: String, pattern: Bool) {
      guard let url = try? URLRecord(origin), url.isHTTPScheme, case .domain(let d)? = url.host else { return nil }
      scheme = url.scheme
      host = d
      port = url.port
      self.pattern = pattern
    }
    var portSuffix: String { port.map { ":\($0)" } ?? "" }
    var hostAndPort: String { host + portSuffix }
    var registrable: String {
      guard let url = try? URLRecord("\(scheme)://\(host)/"), let h = url.host else { return host }
      return PublicSuffixList.registrableDomain(of: h) ?? host
    }
    func origin(host h: String) -> String { "\(scheme)://\(h)\(portSuffix)" }
    /// The host with its first Latin `a`, `e` or `o` swapped for the Cyrillic look-alike, serialized.
    var homograph: String? {
      let swaps: [Character: Character] = ["a": "\u{0430}", "e": "\u{0435}", "o": "\u{043E}"]
      guard let i = host.firstIndex(where: { swaps[$0] != nil }) else { return nil }
      var h = host
      h.replaceSubrange(i...i, with: String(swaps[host[i]]!))
      return Allowlist.serialize("\(scheme)://\(h)\(portSuffix)")
    }
  }
}

/// Which origins a browser can actually send.
public enum OriginFeasibility {
  /// Whether a page in this engine can have this origin, serialized exactly so (`null` always: a sandboxed
  /// frame). Browsers never send userinfo, paths, upper-case hosts or default ports, so such strings fail;
  /// the host must survive the engine's host parser unchanged.
  ///
  /// Implementation-defined: Firefox and WebKit are taken to follow the URL standard's forbidden code points
  /// (so `` ` ``, `$`, `{`, `_`… pass); Chromium's host canonicalizer also escapes `*` and space
  /// (url/url_canon_host.cc kHostCharLookup, "still non-compliant to the URL Standard", crbug.com/1416013),
  /// so an origin with them cannot be sent from Chromium. Whether a name resolves is the attacker's business
  /// (their DNS server can answer any label).
  public static func canSend(_ origin: String, engine: Engine) -> Bool {
    if origin == "null" { return true }
    guard let url = try? URLRecord(origin + "/"), url.isHTTPScheme, url.origin.serialization == origin,
          url.pathString == "/" else { return false }
    if engine == .chromium, case .domain(let d)? = url.host, d.contains("*") || d.contains(" ") { return false }
    return true
  }

  /// The engines among `engines` that can send the origin.
  public static func engines(sending origin: String, among engines: [Engine]) -> [Engine] {
    engines.filter { canSend(origin, engine: $0) }
  }
}

/// A small deterministic generator (SplitMix64), so that audits are reproducible.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  private var state: UInt64
  /// Creates a generator from a seed.
  public init(seed: UInt64) { state = seed }
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

extension String {
  func replacingAll(_ target: String, with replacement: String) -> String {
    guard !target.isEmpty else { return self }
    var out = ""
    var rest = Substring(self)
    while let r = rest.range(of: target) {
      out += rest[..<r.lowerBound]
      out += replacement
      rest = rest[r.upperBound...]
    }
    return out + rest
  }
}
