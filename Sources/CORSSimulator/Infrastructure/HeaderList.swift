#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A header name: the bytes as written, and their byte-lowercase form, which all comparisons use.
/// fetch.bs #header-name
public struct HeaderName: Sendable, Hashable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
  /// The name as the author or server wrote it.
  public let rawName: String
  /// The byte-lowercased name.
  public let canonicalName: String
  /// A small number for the names the algorithm looks up (0 for every other name), so that comparing two
  /// names is usually an integer comparison rather than a string comparison.
  let wellKnown: UInt8

  /// Creates a name; the canonical form is computed once. A well-known name written in any case shares the
  /// table's lower-case string (no new string for `Access-Control-Allow-Origin` on every line that has it).
  public init(_ rawName: String) {
    self.rawName = rawName
    let (id, canonical) = HeaderName.wellKnownEntry(ignoringCaseOf: rawName)
    if id != 0 {
      self.canonicalName = canonical
      self.wellKnown = id
    } else {
      self.canonicalName = HTTPSyntax.lowercased(rawName)
      self.wellKnown = 0
    }
  }

  /// A name read from UTF-8 bytes (valid UTF-8). A well-known name spelt as the table spells it, in lower case or
  /// with each word capitalized (`Access-Control-Allow-Origin`), takes the table's strings: no string is made.
  package init(utf8 u: UnsafeBufferPointer<UInt8>) {
    // The usual case first: a table spelling, byte for byte (compared a word at a time).
    let length = u.count
    if length <= HeaderName.maximumWellKnownLength, let p = u.baseAddress {
      let (entries, starts) = HeaderName.byLength
      for k in starts[length]..<starts[length + 1] {
        // (Read in place: a copy of the entry would retain its strings.)
        let lower = memcmp(p, entries[k].nameBytes.baseAddress!, length) == 0
        if lower || memcmp(p, entries[k].displayBytes.baseAddress!, length) == 0 {
          self.rawName = lower ? entries[k].name : entries[k].display
          self.canonicalName = entries[k].name
          self.wellKnown = entries[k].id
          return
        }
      }
    }
    if let k = HeaderName.wellKnownIndex(ignoringCaseOf: u) {
      // A well-known name in another mix of cases.
      let entry = HeaderName.byLength.entries[k]
      self.rawName = String(decoding: u, as: UTF8.self)
      self.canonicalName = entry.name
      self.wellKnown = entry.id
    } else {
      let raw = String(decoding: u, as: UTF8.self)
      self.rawName = raw
      self.canonicalName = HTTPSyntax.lowercased(raw)
      self.wellKnown = 0
    }
  }

  init(raw: String, canonical: String) {
    self.rawName = raw
    self.canonicalName = canonical
    self.wellKnown = HeaderName.wellKnownID(canonical)
  }

  /// Byte-case-insensitive equality of names.
  @inline(__always)
  func matches(_ other: HeaderName) -> Bool {
    if wellKnown != 0 || other.wellKnown != 0 { return wellKnown == other.wellKnown }
    return canonicalName == other.canonicalName
  }

  /// Whether this is `Accept` (in any case).
  var isAccept: Bool { wellKnown == 1 }

  /// Cache-Control, Content-Language, Content-Length, Content-Type, Expires, Last-Modified, Pragma.
  /// fetch.bs #cors-safelisted-response-header-name
  var isCORSSafelistedResponseName: Bool {
    switch wellKnown {
    case 4, 22, 23, 24, 25, 26, 3: return true  // content-type, cache-control, content-length, expires, last-modified, pragma, content-language
    default: return false
    }
  }

  /// Set-Cookie or Set-Cookie2. fetch.bs #forbidden-response-header-name
  var isForbiddenResponseName: Bool { wellKnown == 10 || wellKnown == 11 }

  /// One of the names a forbidden request-header is named by whatever its value (fetch.bs #forbidden-request-header
  /// step 1). Each of them is in the table, so a name without an ID is none of them.
  var isForbiddenRequestName: Bool { wellKnown < 64 && HeaderName.forbiddenRequestIDs & (1 << UInt64(wellKnown)) != 0 }

  /// A bit for the ID of each name of the standard's list (`Safelists.forbiddenRequestHeaderNames`), worked out from
  /// the list and the table once.
  private static let forbiddenRequestIDs: UInt64 = {
    var bits: UInt64 = 0
    for (i, name) in wellKnownNames.enumerated() where Safelists.forbiddenRequestHeaderNames.contains(name) {
      precondition(i + 1 < 64, "a forbidden request-header name's ID must fit the mask")
      bits |= 1 << UInt64(i + 1)
    }
    return bits
  }()

  /// The names with an ID, in ID order (ID = index + 1), each with its words capitalized (`Content-Type`), the spelling
  /// most text uses. Both are written out: a name read from a line takes one of these strings, and a string literal is
  /// never counted (a computed string is one object whose count every line holding it changes).
  static let wellKnownSpellings: [(name: String, display: String)] = [
    ("accept", "Accept"), ("accept-language", "Accept-Language"), ("content-language", "Content-Language"),
    ("content-type", "Content-Type"), ("range", "Range"), ("authorization", "Authorization"), ("origin", "Origin"),
    ("location", "Location"), ("vary", "Vary"), ("set-cookie", "Set-Cookie"), ("set-cookie2", "Set-Cookie2"),
    ("access-control-allow-origin", "Access-Control-Allow-Origin"),
    ("access-control-allow-credentials", "Access-Control-Allow-Credentials"),
    ("access-control-allow-methods", "Access-Control-Allow-Methods"),
    ("access-control-allow-headers", "Access-Control-Allow-Headers"),
    ("access-control-max-age", "Access-Control-Max-Age"),
    ("access-control-expose-headers", "Access-Control-Expose-Headers"),
    ("access-control-request-method", "Access-Control-Request-Method"),
    ("access-control-request-headers", "Access-Control-Request-Headers"),
    ("access-control-allow-private-network", "Access-Control-Allow-Private-Network"),
    ("cross-origin-resource-policy", "Cross-Origin-Resource-Policy"), ("cache-control", "Cache-Control"),
    ("content-length", "Content-Length"), ("expires", "Expires"), ("last-modified", "Last-Modified"),
    ("pragma", "Pragma"), ("content-encoding", "Content-Encoding"), ("content-location", "Content-Location"),
    ("cookie", "Cookie"), ("host", "Host"),
    // The rest of the forbidden request-header names (fetch.bs #forbidden-request-header), so that every one of them
    // has an ID and an author header is told forbidden or not by its ID (`isForbiddenRequestName`).
    ("accept-charset", "Accept-Charset"), ("accept-encoding", "Accept-Encoding"), ("connection", "Connection"),
    ("cookie2", "Cookie2"), ("date", "Date"), ("dnt", "Dnt"), ("expect", "Expect"), ("keep-alive", "Keep-Alive"),
    ("referer", "Referer"), ("te", "Te"), ("trailer", "Trailer"), ("transfer-encoding", "Transfer-Encoding"),
    ("upgrade", "Upgrade"), ("via", "Via"),
  ]

  /// The lower-case names, in ID order.
  static let wellKnownNames = wellKnownSpellings.map(\.name)
  /// The capitalized names, in ID order.
  static let wellKnownDisplayNames = wellKnownSpellings.map(\.display)

  /// The well-known names sorted by UTF-8 length, with where each length starts, so that a lookup is a length test
  /// and one or two byte comparisons rather than a hash (a name is built for every header line). Kept in memory that
  /// is never freed and read through plain pointers: a lookup retains nothing. (Shared arrays were retained and
  /// released on every header line, and threads answering oracle lines side by side waited on their counts.)
  // (Written once, by the initializer, and only read after: safe to share between threads.)
  // Each entry also keeps the name with each word capitalized (`Content-Type`), the spelling most text uses, and the
  // bytes of both, which a name read from bytes is compared with.
  nonisolated(unsafe) private static let byLength: (entries: UnsafeBufferPointer<WellKnownEntry>, starts: UnsafeBufferPointer<Int>) = {
    let sorted = wellKnownSpellings.enumerated()
      .map { WellKnownEntry(name: $0.element.name, display: $0.element.display, id: UInt8($0.offset + 1)) }
      .sorted { ($0.name.utf8.count, $0.id) < ($1.name.utf8.count, $1.id) }
    let entries = UnsafeMutableBufferPointer<WellKnownEntry>.allocate(capacity: sorted.count)
    _ = entries.initialize(from: sorted)
    // starts[n] ..< starts[n + 1]: the entries of length n.
    let starts = UnsafeMutableBufferPointer<Int>.allocate(capacity: maximumWellKnownLength + 2)
    for n in 0...(maximumWellKnownLength + 1) { starts[n] = sorted.firstIndex { $0.name.utf8.count >= n } ?? sorted.count }
    return (UnsafeBufferPointer(entries), UnsafeBufferPointer(starts))
  }()

  /// No well-known name is longer (taken from the list, so that a name added to it is found).
  private static let maximumWellKnownLength = wellKnownNames.map(\.utf8.count).max() ?? 0

  /// The ID and lower-case form of a name written in any case, or (0, "").
  static func wellKnownEntry(ignoringCaseOf name: String) -> (UInt8, String) {
    let length = name.utf8.count
    guard length <= maximumWellKnownLength, hasEntries(ofLength: length) else { return (0, "") }
    guard let k = HTTPSyntax.withBytes(name, { wellKnownIndex(ignoringCaseOf: $0) }) else { return (0, "") }
    return (byLength.entries[k].id, byLength.entries[k].name)
  }

  /// Whether some well-known name has this many bytes.
  @inline(__always)
  private static func hasEntries(ofLength length: Int) -> Bool { byLength.starts[length] != byLength.starts[length + 1] }

  /// The table entry of a name written in any case, or nil.
  private static func wellKnownIndex(ignoringCaseOf u: UnsafeBufferPointer<UInt8>) -> Int? {
    let length = u.count
    guard length <= maximumWellKnownLength else { return nil }
    let (entries, starts) = byLength
    for k in starts[length]..<starts[length + 1] {
      // Compared on the bytes, folding the name's ASCII upper case (the table is lower case).
      let e = entries[k].nameBytes
      var same = true
      for j in 0..<length where (u[j] >= 0x41 && u[j] <= 0x5A ? u[j] | 0x20 : u[j]) != e[j] {
        same = false
        break
      }
      if same { return k }
    }
    return nil
  }

  /// A well-known name: its lower-case and capitalized spellings, as strings and as bytes (never freed).
  private struct WellKnownEntry {
    let name: String
    let id: UInt8
    let display: String
    let nameBytes: UnsafeBufferPointer<UInt8>
    let displayBytes: UnsafeBufferPointer<UInt8>

    init(name: String, display: String, id: UInt8) {
      self.name = name
      self.id = id
      self.display = display
      func kept(_ bytes: some Collection<UInt8>) -> UnsafeBufferPointer<UInt8> {
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
        _ = buffer.initialize(from: bytes)
        return UnsafeBufferPointer(buffer)
      }
      self.nameBytes = kept(name.utf8)
      self.displayBytes = kept(display.utf8)
    }
  }

  /// The ID of a lower-case name, or 0.
  @inline(__always)
  static func wellKnownID(_ canonical: String) -> UInt8 {
    let length = canonical.utf8.count
    guard length <= maximumWellKnownLength else { return 0 }
    let (entries, starts) = byLength
    for k in starts[length]..<starts[length + 1] where entries[k].name == canonical { return entries[k].id }
    return 0
  }

  public init(stringLiteral value: String) { self.init(value) }

  public var description: String { rawName }

  /// True when the name matches the `field-name` token production. fetch.bs #header-name
  public var isValid: Bool {
    // A well-known name is one of the table's tokens in some ASCII case: a token too.
    wellKnown != 0 || HTTPSyntax.isToken(rawName)
  }

  public static func == (a: HeaderName, b: HeaderName) -> Bool { a.matches(b) }
  public func hash(into hasher: inout Hasher) { hasher.combine(canonicalName) }

  /// Reads the name as written.
  public init(from decoder: any Decoder) throws {
    self.init(try decoder.singleValueContainer().decode(String.self))
  }

  /// Writes the name as written.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawName)
  }

  /// `Accept`.
  public static let accept = HeaderName(raw: "Accept", canonical: "accept")
  /// `Accept-Language`.
  public static let acceptLanguage = HeaderName(raw: "Accept-Language", canonical: "accept-language")
  /// `Content-Language`.
  public static let contentLanguage = HeaderName(raw: "Content-Language", canonical: "content-language")
  /// `Content-Type`.
  public static let contentType = HeaderName(raw: "Content-Type", canonical: "content-type")
  /// `Range`.
  public static let range = HeaderName(raw: "Range", canonical: "range")
  /// `Authorization`.
  public static let authorization = HeaderName(raw: "Authorization", canonical: "authorization")
  /// `Origin`.
  public static let origin = HeaderName(raw: "Origin", canonical: "origin")
  /// `Location`.
  public static let location = HeaderName(raw: "Location", canonical: "location")
  /// `Vary`.
  public static let vary = HeaderName(raw: "Vary", canonical: "vary")
  /// `Cache-Control`.
  public static let cacheControl = HeaderName(raw: "Cache-Control", canonical: "cache-control")
  /// `Expires`.
  public static let expires = HeaderName(raw: "Expires", canonical: "expires")
  /// `Date`.
  public static let date = HeaderName(raw: "Date", canonical: "date")
  /// `Set-Cookie`.
  public static let setCookie = HeaderName(raw: "Set-Cookie", canonical: "set-cookie")
  /// `Set-Cookie2`.
  public static let setCookie2 = HeaderName(raw: "Set-Cookie2", canonical: "set-cookie2")
  /// `Access-Control-Allow-Origin`.
  public static let accessControlAllowOrigin = HeaderName(
    raw: "Access-Control-Allow-Origin", canonical: "access-control-allow-origin")
  /// `Access-Control-Allow-Credentials`.
  public static let accessControlAllowCredentials = HeaderName(
    raw: "Access-Control-Allow-Credentials", canonical: "access-control-allow-credentials")
  /// `Access-Control-Allow-Methods`.
  public static let accessControlAllowMethods = HeaderName(
    raw: "Access-Control-Allow-Methods", canonical: "access-control-allow-methods")
  /// `Access-Control-Allow-Headers`.
  public static let accessControlAllowHeaders = HeaderName(
    raw: "Access-Control-Allow-Headers", canonical: "access-control-allow-headers")
  /// `Access-Control-Max-Age`.
  public static let accessControlMaxAge = HeaderName(raw: "Access-Control-Max-Age", canonical: "access-control-max-age")
  /// `Access-Control-Expose-Headers`.
  public static let accessControlExposeHeaders = HeaderName(
    raw: "Access-Control-Expose-Headers", canonical: "access-control-expose-headers")
  /// `Access-Control-Request-Method`.
  public static let accessControlRequestMethod = HeaderName(
    raw: "Access-Control-Request-Method", canonical: "access-control-request-method")
  /// `Access-Control-Request-Headers`.
  public static let accessControlRequestHeaders = HeaderName(
    raw: "Access-Control-Request-Headers", canonical: "access-control-request-headers")
  /// `Access-Control-Allow-Private-Network`.
  public static let accessControlAllowPrivateNetwork = HeaderName(
    raw: "Access-Control-Allow-Private-Network", canonical: "access-control-allow-private-network")
  /// `Cross-Origin-Resource-Policy`.
  public static let crossOriginResourcePolicy = HeaderName(
    raw: "Cross-Origin-Resource-Policy", canonical: "cross-origin-resource-policy")
}

/// One header line. `setBy` names the layer (application, proxy, CDN…) that put it there, when known.
public struct HeaderField: Sendable, Hashable, Codable {
  /// The header's name.
  public var name: HeaderName
  /// The header's value, as bytes on the wire (HTTP's own leading/trailing whitespace removed).
  public var value: String
  /// The layer that set this line, for verdicts that must say where a fix goes.
  public var setBy: String?
}

extension HeaderField {
  /// Creates a header line.
  // (Written as a call of the synthesized memberwise initializer, which an extension keeps: a line built by an
  // initializer that assigns its fields one by one was copied into an array and the original destroyed on every
  // `append`, its four strings retained and released; the memberwise one is built in place.)
  public init(_ name: HeaderName, _ value: String, setBy: String? = nil) {
    self.init(name: name, value: value, setBy: setBy)
  }
}

/// An ordered list of header lines: duplicates kept, names compared byte-case-insensitively, values
/// untouched. fetch.bs #concept-header-list
///
/// The one header type of the API: a script's headers, a route's, the lines on the wire. Write it as a
/// dictionary literal when names are distinct, as a list of pairs when a name repeats:
///
/// ```swift
/// let json: HeaderList = ["Content-Type": "application/json", "X-Request-ID": "7"]
/// let twice: HeaderList = [("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Origin", "*")]
/// ```
public struct HeaderList: Sendable, Hashable, Codable, RandomAccessCollection, ExpressibleByArrayLiteral,
  ExpressibleByDictionaryLiteral {
  /// The lines, in order.
  public private(set) var fields: [HeaderField]

  /// Creates a list from lines.
  public init(_ fields: [HeaderField] = []) { self.fields = fields }

  /// Whether two lines have the same name (byte-case-insensitively). A few lines are compared pairwise; more are
  /// looked up in a set of names, so a hostile list stays linear.
  var repeatsAName: Bool {
    if fields.count <= smallCollectionLimit {
      for i in fields.indices {
        for j in fields.indices.prefix(i) where fields[j].name.matches(fields[i].name) { return true }
      }
      return false
    }
    var seen = Set<String>(minimumCapacity: fields.count)
    for i in fields.indices where !seen.insert(fields[i].name.canonicalName).inserted { return true }
    return false
  }

  /// Whether this list and `other` hold the same lines byte for byte: each name as written, its value and the layer
  /// that set it. (`==` compares names as the standard does, ignoring their case; a list kept in place of another
  /// must also print as the other does.)
  public func isIdentical(to other: HeaderList) -> Bool {
    fields.count == other.fields.count && zip(fields, other.fields).allSatisfy {
      $0.name.rawName == $1.name.rawName && $0.value == $1.value && $0.setBy == $1.setBy
    }
  }

  /// Whether this list and `other` are the same lines because they share one buffer (no line was changed in either
  /// since one was copied from the other): a constant-time test that never compares lines, so `false` only means
  /// "not known to be the same".
  func sharesLines(with other: HeaderList) -> Bool {
    fields.count == other.fields.count
      && fields.withUnsafeBufferPointer { a in other.fields.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress } }
  }

  /// Creates a list from (name, value) pairs, in order.
  public init(pairs: [(String, String)]) { self.fields = pairs.map { HeaderField(HeaderName($0.0), $0.1) } }

  /// Lines from (name, value) pairs, in order, repeated names kept.
  public init(arrayLiteral elements: (String, String)...) { self.init(pairs: elements) }

  /// Lines from a dictionary literal, in the order written.
  public init(dictionaryLiteral elements: (HeaderName, String)...) {
    self.fields = elements.map { HeaderField($0.0, $0.1) }
  }

  /// Reads the lines: `[{"name": …, "value": …, "setBy": …}]`.
  public init(from decoder: any Decoder) throws {
    self.fields = try decoder.singleValueContainer().decode([HeaderField].self)
  }

  /// Writes the lines: `[{"name": …, "value": …, "setBy": …}]` (`setBy` only when known).
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(fields)
  }

  /// The combined value of the lines with this name (nil when there is none); setting replaces them all
  /// with one line (nil removes them). fetch.bs #concept-header-list-get, #concept-header-list-set
  public subscript(name: HeaderName) -> String? {
    get { get(name) }
    set {
      if let newValue { set(name, newValue) } else { delete(name) }
    }
  }

  /// The position of the first line.
  public var startIndex: Int { fields.startIndex }
  /// The position after the last line.
  public var endIndex: Int { fields.endIndex }
  /// The line at a position.
  public subscript(position: Int) -> HeaderField { fields[position] }

  /// fetch.bs #header-list-contains
  public func contains(_ name: HeaderName) -> Bool {
    firstIndex(of: name) != nil
  }

  /// Whether a line carries either name: `contains(a) || contains(b)` in one walk of the lines.
  func contains(_ a: HeaderName, or b: HeaderName) -> Bool {
    var i = 0
    while i < fields.count {
      if fields[i].name.matches(a) || fields[i].name.matches(b) { return true }
      i += 1
    }
    return false
  }

  /// The position of the first line with this name. The lines are read in place: iterating them by value (a
  /// `for` loop or a closure) copies each line, three strings retained and released, for every line looked at.
  @inline(__always)
  func firstIndex(of name: HeaderName, from start: Int = 0) -> Int? {
    var i = start
    while i < fields.count {
      if fields[i].name.matches(name) { return i }
      i += 1
    }
    return nil
  }

  /// How many lines carry this name.
  public func count(of name: HeaderName) -> Int {
    var n = 0
    var i = firstIndex(of: name)
    while let k = i { n += 1; i = firstIndex(of: name, from: k + 1) }
    return n
  }

  /// The lines that carry this name, in order.
  public func fields(named name: HeaderName) -> [HeaderField] {
    fields.filter { $0.name.matches(name) }
  }

  /// Null if absent, else all values joined with `, `. fetch.bs #concept-header-list-get
  public func get(_ name: HeaderName) -> String? {
    guard let first = firstIndex(of: name) else { return nil }
    var result = fields[first].value
    var i = firstIndex(of: name, from: first + 1)
    while let k = i {
      result += ", " + fields[k].value
      i = firstIndex(of: name, from: k + 1)
    }
    return result
  }

  /// Get, decode, and split: split on commas outside double-quoted strings, trim tab/space around each
  /// item, keep empty items. fetch.bs #concept-header-list-get-decode-split
  public func getDecodeSplit(_ name: HeaderName) -> [String]? {
    guard let value = get(name) else { return nil }
    return HeaderList.decodeSplit(value)
  }

  /// The "get, decode, and split" value splitter. fetch.bs #header-value-get-decode-and-split
  static func decodeSplit(_ value: String) -> [String] {
    var values: [String] = []
    var temporary = ""
    var iterator = value.unicodeScalars.makeIterator()
    var pending = iterator.next()
    while true {
      // Collect a sequence of code points that are not " or ,.
      while let c = pending, c != "\"", c != "," {
        temporary.unicodeScalars.append(c)
        pending = iterator.next()
      }
      if pending == "\"" {
        // Collect an HTTP quoted string, extract-value false: the quotes are kept.
        temporary.unicodeScalars.append("\"")
        pending = iterator.next()
        while let c = pending {
          temporary.unicodeScalars.append(c)
          pending = iterator.next()
          if c == "\\" {
            if let escaped = pending {
              temporary.unicodeScalars.append(escaped)
              pending = iterator.next()
            }
          } else if c == "\"" {
            break
          }
        }
        if pending != nil && pending != "," { continue }
      }
      values.append(String(HTTPSyntax.trimTabOrSpace(Substring(temporary))))
      temporary = ""
      if pending == nil { return values }
      // pending is ",": skip it.
      pending = iterator.next()
    }
  }

  /// Appends a line. fetch.bs #concept-header-list-append (the name keeps the case of an existing line).
  /// (The name, value and layer are taken over, `consuming`: a caller's temporaries move into the line rather than
  /// being copied into it and then freed.)
  public mutating func append(_ name: consuming HeaderName, _ value: consuming String, setBy: consuming String? = nil) {
    if let existing = firstIndex(of: name) {
      fields.append(HeaderField(fields[existing].name, value, setBy: setBy))
    } else {
      fields.append(HeaderField(name, value, setBy: setBy))
    }
  }

  /// Appends a line as is (taken over: a temporary line moves in).
  public mutating func append(_ field: consuming HeaderField) { fields.append(field) }

  /// Makes room for at least this many lines.
  public mutating func reserveCapacity(_ n: Int) { fields.reserveCapacity(n) }

  /// Removes the line at a position.
  @discardableResult
  public mutating func remove(at index: Int) -> HeaderField { fields.remove(at: index) }

  /// Removes every line with this name. fetch.bs #concept-header-list-delete
  public mutating func delete(_ name: HeaderName) {
    fields.removeAll { $0.name.matches(name) }
  }

  /// Replaces the first line's value and removes the others, or appends. fetch.bs #concept-header-list-set
  public mutating func set(_ name: HeaderName, _ value: String, setBy: String? = nil) {
    guard let first = firstIndex(of: name) else {
      fields.append(HeaderField(name, value, setBy: setBy))
      return
    }
    fields[first].value = value
    fields[first].setBy = setBy
    var i = fields.count - 1
    while i > first {
      if fields[i].name.matches(name) { fields.remove(at: i) }
      i -= 1
    }
  }

  /// Appends `, value` to the first line with this name, or appends a line. fetch.bs #concept-header-list-combine
  public mutating func combine(_ name: HeaderName, _ value: String) {
    if let first = firstIndex(of: name) {
      fields[first].value += ", " + value
    } else {
      fields.append(HeaderField(name, value))
    }
  }

  /// Appends text to the value of the line at `index` (combine, when the position is known).
  mutating func appendToValue(at index: Int, _ text: String) { fields[index].value += text }

  /// Unique lower-case names, in first-seen order.
  public var uniqueCanonicalNames: [String] {
    var out: [String] = []
    out.reserveCapacity(fields.count)
    var seen = SmallSet<String>()
    for f in fields where seen.insert(f.name.canonicalName) { out.append(f.name.canonicalName) }
    return out
  }

  /// Extract header list values for a header whose ABNF is a comma list of tokens (`#method`, `#field-name`).
  /// fetch.bs #extract-header-list-values
  public func extractTokenList(_ name: HeaderName) -> TokenListExtraction {
    // 1. If list does not contain name, then return null.
    var any = false
    var values: [String] = []
    // 4. For each header header whose name is name: parse the value; failure → return failure.
    var next = firstIndex(of: name)
    while let k = next {
      next = firstIndex(of: name, from: k + 1)
      if !any { values.reserveCapacity(8) }
      any = true
      // The #rule: items separated by commas with optional whitespace; empty items are allowed
      // ("GET,,PUT", a trailing comma); every other item must be a token.
      // (The line read in place: a copy of it retains and releases its strings.)
      let bad: String? = HTTPSyntax.withBytes(fields[k].value) { u -> String? in
        // (One pass over the bytes; each item is checked before a string is made of it.)
        let n = u.count
        var a = 0
        while a <= n {
          var b = a
          while b < n, u[b] != 0x2C { b += 1 }
          let next = b + 1
          while a < b, HTTPSyntax.isTabOrSpace(u[a]) { a += 1 }
          while a < b, HTTPSyntax.isTabOrSpace(u[b - 1]) { b -= 1 }
          if a < b {
            var token = true
            for k in a..<b where !HTTPSyntax.isTokenByte(u[k]) {
              token = false
              break
            }
            let item = String(decoding: UnsafeBufferPointer(rebasing: u[a..<b]), as: UTF8.self)
            if !token { return item }
            values.append(item)
          }
          a = next
        }
        return nil
      }
      if let bad { return .failure(invalidItem: bad, line: fields[k]) }
    }
    return any ? .values(values) : .absent
  }

  /// Extract header list values for a single-valued header: null when absent, failure when it appears on
  /// more than one line. fetch.bs #extract-header-list-values step 2
  public func extractSingle(_ name: HeaderName) -> SingleValueExtraction {
    guard let first = firstIndex(of: name) else { return .absent }
    if firstIndex(of: name, from: first + 1) != nil { return .multiple }
    return .value(fields[first].value)
  }
}

/// The result of extracting a comma-separated token list.
public enum TokenListExtraction: Sendable, Hashable {
  /// The header is absent (null).
  case absent
  /// The values, in order, empty elements dropped.
  case values([String])
  /// An element is not a token.
  case failure(invalidItem: String, line: HeaderField)
}

/// The result of extracting a single-valued header.
public enum SingleValueExtraction: Sendable, Hashable {
  case absent
  case multiple
  case value(String)
}
