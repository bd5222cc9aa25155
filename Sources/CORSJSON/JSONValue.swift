#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A JSON value with its object members in document order.
///
/// corsim reads and writes JSON lines itself rather than through Foundation: the oracle needs the exact
/// position of a syntax error, the order of members, rejection of duplicate keys and a depth limit against
/// hostile input, and it must sustain tens of thousands of lines per second (Foundation's
/// JSONSerialization measured 118k parses/s and 57k small encodes/s here, and reports only a character offset).
public enum JSONValue: Sendable, Hashable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([(String, JSONValue)])

  public static func == (a: JSONValue, b: JSONValue) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.number(let x), .number(let y)): return x == y
    case (.string(let x), .string(let y)): return x == y
    case (.array(let x), .array(let y)): return x == y
    case (.object(let x), .object(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    default: return false
    }
  }

  public func hash(into hasher: inout Hasher) {
    switch self {
    case .null: hasher.combine(0)
    case .bool(let b): hasher.combine(b)
    case .number(let n): hasher.combine(n)
    case .string(let s): hasher.combine(s)
    case .array(let a): hasher.combine(a)
    case .object(let o):
      for (k, v) in o {
        hasher.combine(k)
        hasher.combine(v)
      }
    }
  }

  /// The member with this key, for objects.
  public subscript(key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    // The lengths first: most lookups are for a field the object does not have, and comparing the UTF-8
    // counts (held inline) is cheaper than comparing the strings.
    // By index: a closure over the members would copy each one it looked at (its name and value retained).
    let count = key.utf8.count
    for i in members.indices where members[i].0.utf8.count == count && members[i].0 == key { return members[i].1 }
    return nil
  }

  /// A short name of the value's kind, for error messages.
  public var kindName: String {
    switch self {
    case .null: return "null"
    case .bool: return "a boolean"
    case .number: return "a number"
    case .string: return "a string"
    case .array: return "an array"
    case .object: return "an object"
    }
  }
}

/// A JSON syntax error with its position (1-based line and column, counted in characters).
public struct JSONSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What is wrong.
  public var message: String
  /// 1-based line.
  public var line: Int
  /// 1-based column.
  public var column: Int

  public var description: String { "line \(line), column \(column): \(message)" }
}

/// The bytes of `w` (read little-endian: its first byte lowest) that are below 0x20, `"` or `\`, each marked by its
/// high bit (bytes of 0x80 and above never are): the classic word-at-a-time test for a byte below n
/// (`(x - n·0x01…) & ~x & 0x80…`), for n = 0x20 on `w` and for n = 1 on `w` with each byte xor-ed with the quote and
/// the backslash. A borrow can mark a byte above a marked one too, never below: the lowest mark is exact, and the
/// mask is zero exactly when no byte is one of these. A string's bytes up to the first such byte are the string as
/// written: the writer copies them without escapes and the parser takes them without decoding.
@inline(__always)
private func escapeMarks(_ w: UInt64) -> UInt64 {
  let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
  let control = (w &- ones &* 0x20) & ~w & high
  let q = w ^ (ones &* 0x22), quote = (q &- ones) & ~q & high
  let b = w ^ (ones &* 0x5C), backslash = (b &- ones) & ~b & high
  return control | quote | backslash
}

/// Eight bytes at `p`, the first lowest.
@inline(__always)
private func word(_ p: UnsafePointer<UInt8>) -> UInt64 {
  UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
}

/// The position of the first byte of `p[start..<n]` that is below 0x20, `"` or `\` (`n` when there is none): where
/// a string's plain run ends. Eight bytes at a time, the lowest marked one found from the marks.
@inline(__always)
private func firstMarked(_ p: UnsafePointer<UInt8>, from start: Int, to n: Int) -> Int {
  var k = start
  // Sixteen bytes a turn while they last (one test of the loop for two words), then eight.
  while k &+ 16 <= n {
    let low = escapeMarks(word(p + k)), high = escapeMarks(word(p + (k &+ 8)))
    if low | high != 0 {
      return low != 0 ? k &+ low.trailingZeroBitCount / 8 : k &+ 8 &+ high.trailingZeroBitCount / 8
    }
    k &+= 16
  }
  while k &+ 8 <= n {
    let marks = escapeMarks(word(p + k))
    if marks != 0 { return k &+ marks.trailingZeroBitCount / 8 }
    k &+= 8
  }
  while k < n {
    let b = p[k]
    if b < 0x20 || b == 0x22 || b == 0x5C { return k }
    k += 1
  }
  return n
}

/// A strict RFC 8259 parser over UTF-8 bytes.
public struct JSONParser {
  /// The text's UTF-8 bytes, read in place: valid only while `parse` runs (reading a buffer has no bounds-check
  /// or reference-count traffic of an array held in a property).
  fileprivate let bytes: UnsafeBufferPointer<UInt8>
  fileprivate var i = 0
  private var depth = 0
  /// Deeper nesting than this is refused (no scenario needs more than 5 levels).
  public static let maximumDepth = 64

  fileprivate init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  /// Parses one JSON text; trailing non-whitespace is an error.
  public static func parse(_ text: some StringProtocol) throws(JSONSyntaxError) -> JSONValue {
    var string = String(text)
    let result: Result<JSONValue, JSONSyntaxError> = string.withUTF8 { buffer in
      var p = JSONParser(buffer)
      do throws(JSONSyntaxError) { return .success(try p.parseDocument()) } catch { return .failure(error) }
    }
    return try result.get()
  }

  private mutating func parseDocument() throws(JSONSyntaxError) -> JSONValue {
    skipWhitespace()
    let value = try parseValue()
    skipWhitespace()
    if i < bytes.count { throw error("unexpected '\(describe(bytes[i]))' after the JSON value") }
    return value
  }

  private func error(_ message: String) -> JSONSyntaxError {
    // Count lines and characters (not bytes) up to the error.
    var line = 1, column = 1
    var k = 0
    while k < min(i, bytes.count) {
      if bytes[k] == 0x0A {
        line += 1
        column = 1
      } else if bytes[k] & 0xC0 != 0x80 {
        column += 1
      }
      k += 1
    }
    return JSONSyntaxError(message: message, line: line, column: column)
  }

  private func describe(_ b: UInt8) -> String {
    if b >= 0x20 && b < 0x7F { return String(UnicodeScalar(b)) }
    return "\\u{\(String(b, radix: 16))}"
  }

  @inline(__always)
  fileprivate mutating func skipWhitespace() {
    while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
  }

  /// The position of the first byte from `start` on that is a quote, a backslash or below 0x20 (`bytes.count` when
  /// there is none): where a string's plain run ends. Eight bytes at a time while none of them is one.
  @inline(__always)
  fileprivate func plainRunEnd(from start: Int) -> Int {
    guard let base = bytes.baseAddress else { return start }
    return firstMarked(base, from: start, to: bytes.count)
  }

  private mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
    guard i < bytes.count else { throw error("the input ends where a value was expected") }
    switch bytes[i] {
    case UInt8(ascii: "{"): return try parseObject()
    case UInt8(ascii: "["): return try parseArray()
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"): try literal("true"); return .bool(true)
    case UInt8(ascii: "f"): try literal("false"); return .bool(false)
    case UInt8(ascii: "n"): try literal("null"); return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
    default: throw error("unexpected '\(describe(bytes[i]))' where a value was expected")
    }
  }

  fileprivate mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
    let w = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
    for (k, b) in w.enumerated() where i + k >= bytes.count || bytes[i + k] != b {
      throw error("expected '\(word)'")
    }
    i += w.count
  }

  private mutating func enter() throws(JSONSyntaxError) {
    depth += 1
    if depth > JSONParser.maximumDepth { throw error("nesting deeper than \(JSONParser.maximumDepth) levels") }
  }

  private mutating func parseObject() throws(JSONSyntaxError) -> JSONValue {
    try enter()
    i += 1
    var members: [(String, JSONValue)] = []
    var keys = Set<String>()  // used once an object grows large, so duplicate checks stay linear
    skipWhitespace()
    if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
      i += 1
      depth -= 1
      return .object(members)
    }
    while true {
      skipWhitespace()
      guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
        throw error(i < bytes.count ? "expected a member name in double quotes" : "the input ends inside an object")
      }
      let keyStart = i
      let key = try parseString()
      let duplicate: Bool
      if members.count < 16 {
        duplicate = members.indices.contains { members[$0].0 == key }  // by index: no copy of each member
      } else {
        if keys.isEmpty { keys = Set(members.map(\.0)) }
        duplicate = !keys.insert(key).inserted
      }
      if duplicate {
        i = keyStart
        throw error("duplicate member \"\(key)\"")
      }
      skipWhitespace()
      guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':' after the member name") }
      i += 1
      skipWhitespace()
      members.append((key, try parseValue()))
      skipWhitespace()
      guard i < bytes.count else { throw error("the input ends inside an object") }
      if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
      if bytes[i] == UInt8(ascii: "}") { i += 1; break }
      throw error("expected ',' or '}' in an object")
    }
    depth -= 1
    return .object(members)
  }

  private mutating func parseArray() throws(JSONSyntaxError) -> JSONValue {
    try enter()
    i += 1
    var items: [JSONValue] = []
    skipWhitespace()
    if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
      i += 1
      depth -= 1
      return .array(items)
    }
    while true {
      skipWhitespace()
      items.append(try parseValue())
      skipWhitespace()
      guard i < bytes.count else { throw error("the input ends inside an array") }
      if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
      if bytes[i] == UInt8(ascii: "]") { i += 1; break }
      throw error("expected ',' or ']' in an array")
    }
    depth -= 1
    return .array(items)
  }

  fileprivate mutating func parseString() throws(JSONSyntaxError) -> String {
    i += 1
    let start = i
    // Fast path: no escapes.
    i = plainRunEnd(from: start)
    if i < bytes.count, bytes[i] == UInt8(ascii: "\"") {
      // The input came from a String, so it is valid UTF-8 and so is every slice between ASCII quotes.
      let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
      i += 1
      return s
    }
    var out = [UInt8](bytes[start..<i])
    while i < bytes.count {
      let b = bytes[i]
      if b == UInt8(ascii: "\"") {
        i += 1
        guard let s = String(validating: out, as: UTF8.self) else { throw error("the string is not valid UTF-8") }
        return s
      }
      if b < 0x20 { throw error("a control character (U+\(String(format4: b))) must be escaped in a string") }
      if b == UInt8(ascii: "\\") {
        i += 1
        guard i < bytes.count else { break }
        switch bytes[i] {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
          var scalar = try hex4()
          if scalar >= 0xD800 && scalar < 0xDC00 {
            // A high surrogate must be followed by an escaped low surrogate.
            guard i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "\\"), bytes[i + 2] == UInt8(ascii: "u") else {
              throw error("a lone surrogate \\u\(String(scalar, radix: 16)) is not a character")
            }
            i += 2
            let low = try hex4()
            guard low >= 0xDC00 && low < 0xE000 else { throw error("a lone surrogate is not a character") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          } else if scalar >= 0xDC00 && scalar < 0xE000 {
            throw error("a lone surrogate \\u\(String(scalar, radix: 16)) is not a character")
          }
          out.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
        default:
          throw error("'\\\(describe(bytes[i]))' is not a JSON escape")
        }
        i += 1
        continue
      }
      out.append(b)
      i += 1
    }
    throw error("the input ends inside a string")
  }

  private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
    var v: UInt32 = 0
    for _ in 0..<4 {
      i += 1
      guard i < bytes.count else { throw error("the input ends inside a \\u escape") }
      let b = bytes[i]
      let d: UInt32
      switch b {
      case 0x30...0x39: d = UInt32(b - 0x30)
      case 0x41...0x46: d = UInt32(b - 0x41 + 10)
      case 0x61...0x66: d = UInt32(b - 0x61 + 10)
      default: throw error("'\(describe(b))' is not a hex digit in a \\u escape")
      }
      v = v << 4 | d
    }
    return v
  }

  fileprivate mutating func parseNumber() throws(JSONSyntaxError) -> Double {
    let start = i
    if bytes[i] == UInt8(ascii: "-") { i += 1 }
    func digits() -> Int {
      let s = i
      while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
      return i - s
    }
    guard i < bytes.count else { throw error("a number needs digits") }
    if bytes[i] == UInt8(ascii: "0") {
      i += 1
      if i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { throw error("a number cannot have a leading zero") }
    } else if digits() == 0 {
      throw error("a number needs digits")
    }
    if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
      i += 1
      if digits() == 0 { throw error("a number needs digits after '.'") }
    }
    if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
      i += 1
      if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
      if digits() == 0 { throw error("a number needs digits in its exponent") }
    }
    // An integer of at most 15 digits (a status, a count, a time) is exact as a Double: read without a string.
    let negative = bytes[start] == UInt8(ascii: "-")
    let digitsStart = negative ? start + 1 : start
    if i - digitsStart <= 15, !bytes[digitsStart..<i].contains(where: { $0 < 0x30 || $0 > 0x39 }) {
      var value = 0
      for k in digitsStart..<i { value = value * 10 + Int(bytes[k] - 0x30) }
      return negative ? -Double(value) : Double(value)
    }
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
    guard let v = Double(text), v.isFinite else { throw error("the number \(text) is out of range") }
    return v
  }
}

/// The member names a `JSONReader` looks for in one kind of object, prepared once: each name's length and first
/// bytes packed in an integer, so that telling a name read from the text apart from the others is mostly one
/// comparison of integers per name, and only a name that agrees there is compared byte by byte.
public struct JSONKeys: Sendable {
  /// The names, in the order `nextKey` answers positions in.
  public let names: [StaticString]
  /// Each name's length (top byte) and first `signedBytes` bytes.
  let signatures: [UInt64]
  /// How many leading bytes a signature holds: a name no longer is told apart by its signature alone.
  static let signedBytes = 7

  public init(_ names: [StaticString]) {
    self.names = names
    // (Through `withUTF8Buffer`: a name can be a StaticString of one Unicode scalar, which has no `utf8Start`.)
    signatures = names.map { name in name.withUTF8Buffer { JSONKeys.signature($0.baseAddress!, $0.count) } }
  }

  /// The length and first bytes of `n` bytes at `p`.
  @inline(__always)
  static func signature(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
    var v = UInt64(truncatingIfNeeded: min(n, 255)) << 56
    for j in 0..<min(n, signedBytes) { v |= UInt64(p[j]) << (8 * UInt64(j)) }
    return v
  }

  /// The same from `w`, eight bytes that start with the `n` (its first byte lowest).
  @inline(__always)
  static func signature(word w: UInt64, _ n: Int) -> UInt64 {
    let kept = UInt64(min(n, signedBytes)) * 8
    return (w & ((1 << kept) &- 1)) | UInt64(truncatingIfNeeded: min(n, 255)) << 56
  }
}

/// A pull reader over one JSON text, for a decoder that knows the shape it expects and builds its values
/// straight from the text (no `JSONValue` tree in between). It checks the same grammar as `JSONParser` (it runs
/// the same string, number and literal rules) but says nothing about what is wrong: any read that meets something
/// else sets `failed` and answers nil or false. A caller that gets a failure parses the text with
/// `JSONParser.parse`, which finds the problem and words it.
public struct JSONReader {
  private var parser: JSONParser
  /// Set by the first read that met anything it did not expect; later reads fail too.
  public private(set) var failed = false

  /// Runs `body` with a reader over the text's bytes (valid only inside `body`).
  public static func read<R>(_ text: String, _ body: (inout JSONReader) -> R) -> R {
    var string = text
    return string.withUTF8 { buffer in
      var reader = JSONReader(parser: JSONParser(buffer))
      return body(&reader)
    }
  }

  private mutating func fail() { failed = true }

  /// The next non-space byte, not consumed. (Inlined: it is read two or three times per member.)
  @inline(__always)
  private mutating func peek() -> UInt8? {
    parser.skipWhitespace()
    return parser.i < parser.bytes.count ? parser.bytes[parser.i] : nil
  }

  /// Consumes `{`.
  public mutating func beginObject() -> Bool {
    guard !failed, peek() == UInt8(ascii: "{") else { fail(); return false }
    parser.i += 1
    return true
  }

  /// The position in `names` of the next member's name (-1 for any other name), its `:` consumed (the reader then
  /// stands at the value); nil after the object's `}` (consumed) or on a failure. `first` is true for the read
  /// right after `beginObject`. The name's bytes are compared with each of `names` (a name with an escape is
  /// decoded first): no string is made for it.
  public mutating func nextKey(first: Bool, among names: [StaticString]) -> Int? {
    nextKey(first: first, among: JSONKeys(names))
  }

  /// `nextKey(first:among:)` over names prepared once (`JSONKeys`): each is first told apart by its length and
  /// first bytes, one comparison of integers.
  public mutating func nextKey(first: Bool, among keys: JSONKeys) -> Int? {
    let names = keys.names
    guard !failed, let b = peek() else { fail(); return nil }
    if b == UInt8(ascii: "}") {
      parser.i += 1
      return nil
    }
    if !first {
      guard b == UInt8(ascii: ",") else { fail(); return nil }
      parser.i += 1
    }
    guard peek() == UInt8(ascii: "\"") else { fail(); return nil }
    let bytes = parser.bytes
    let start = parser.i + 1
    let end = parser.plainRunEnd(from: start)
    var found = -1
    if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
      // No escape: the bytes are the name. (Length and first byte first: most names differ there.)
      let n = end - start
      let key = bytes.baseAddress! + start
      let signature = start + 8 <= bytes.count ? JSONKeys.signature(word: word(key), n) : JSONKeys.signature(key, n)
      // (Read through a buffer: no bounds check per name.)
      found = keys.signatures.withUnsafeBufferPointer { signatures in
        for k in signatures.indices where signatures[k] == signature {
          if n <= JSONKeys.signedBytes
            || names[k].withUTF8Buffer({ $0.count == n && memcmp($0.baseAddress!, key, n) == 0 }) {
            return k
          }
        }
        return -1
      }
      parser.i = end + 1
    } else {
      guard let key = try? parser.parseString() else { fail(); return nil }
      for (k, name) in names.enumerated() where key == name.description {
        found = k
        break
      }
    }
    guard peek() == UInt8(ascii: ":") else { fail(); return nil }
    parser.i += 1
    return found
  }

  /// Consumes `[`.
  public mutating func beginArray() -> Bool {
    guard !failed, peek() == UInt8(ascii: "[") else { fail(); return false }
    parser.i += 1
    return true
  }

  /// True when another item follows (the reader then stands at it); false after the array's `]` (consumed) or on
  /// a failure. `first` is true for the read right after `beginArray`.
  public mutating func nextItem(first: Bool) -> Bool {
    guard !failed, let b = peek() else { fail(); return false }
    if b == UInt8(ascii: "]") {
      parser.i += 1
      return false
    }
    if first { return true }
    guard b == UInt8(ascii: ",") else { fail(); return false }
    parser.i += 1
    // A value must follow the comma (`[1,]` is not JSON).
    guard let next = peek(), next != UInt8(ascii: "]") else { fail(); return false }
    return true
  }

  /// A string value.
  public mutating func string() -> String? {
    guard !failed, peek() == UInt8(ascii: "\""), let s = try? parser.parseString() else { fail(); return nil }
    return s
  }

  /// A string value handed to `body` as UTF-8 bytes, with no `String` made for it when it has no escapes (the bytes
  /// are then the line's own, valid only inside `body`). Nil, with `body` not called, when no string stands next.
  public mutating func withStringBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
    guard !failed, peek() == UInt8(ascii: "\"") else { fail(); return nil }
    let bytes = parser.bytes
    let start = parser.i + 1
    let end = parser.plainRunEnd(from: start)
    if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
      parser.i = end + 1
      return body(UnsafeBufferPointer(rebasing: bytes[start..<end]))
    }
    // Escapes (or an error): the string parser's own rules and errors.
    guard var s = try? parser.parseString() else { fail(); return nil }
    return s.withUTF8(body)
  }

  /// A number value.
  public mutating func number() -> Double? {
    guard !failed, let b = peek(), b == UInt8(ascii: "-") || (b >= 0x30 && b <= 0x39),
          let n = try? parser.parseNumber() else { fail(); return nil }
    return n
  }

  /// A `true` or `false` value.
  public mutating func bool() -> Bool? {
    guard !failed, let b = peek() else { fail(); return nil }
    if b == UInt8(ascii: "t"), (try? parser.literal("true")) != nil { return true }
    if b == UInt8(ascii: "f"), (try? parser.literal("false")) != nil { return false }
    fail()
    return nil
  }

  /// Consumes a `null` value and answers true when one stands next; false (nothing consumed) otherwise.
  public mutating func null() -> Bool {
    guard !failed, peek() == UInt8(ascii: "n") else { return false }
    if (try? parser.literal("null")) == nil { fail(); return false }
    return true
  }

  /// True when nothing but white space is left.
  public mutating func atEnd() -> Bool { !failed && peek() == nil }
}

extension String {
  fileprivate init(format4 b: UInt8) {
    let h = String(b, radix: 16, uppercase: true)
    self = String(repeating: "0", count: 4 - h.count) + h
  }
}

/// Writes compact JSON with the members in the order given.
public struct JSONWriter {
  // UTF-8 bytes in a buffer of the writer's own (appending bytes is much cheaper than appending Strings, and
  // copying them into a plain buffer cheaper than `Array.append(contentsOf:)`, about 90 instructions a call).
  private var bytes = JSONBytes(capacity: 1024)

  /// The output so far.
  public var output: String { bytes.string }

  /// The output so far, as UTF-8 bytes (no `String` made: making one checks every byte again).
  public var outputBytes: [UInt8] { bytes.array }

  /// Runs `body` over the output so far, read in place (no copy made; the bytes are valid only inside `body`).
  public func withOutputBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
    try bytes.withBytes(body)
  }

  /// An empty writer.
  public init() {}

  private mutating func raw(_ s: StaticString) { put(s.utf8Start, s.utf8CodeUnitCount) }

  private mutating func put(_ b: UInt8) {
    unique()
    bytes.append(b)
  }

  private mutating func put(_ p: UnsafePointer<UInt8>, _ n: Int) {
    unique()
    bytes.append(p, n)
  }

  /// Makes the buffer this writer's alone before a write (a copied writer shares it until one of them writes).
  @inline(__always)
  private mutating func unique() {
    if !isKnownUniquelyReferenced(&bytes) { bytes = bytes.copy() }
  }

  /// Appends JSON text as it is, unchecked (punctuation and member names known when the program is written,
  /// for a writer that streams a document without building its `JSONValue`).
  public mutating func writeRaw(_ s: StaticString) { raw(s) }

  /// Appends a string, or `null` for nil.
  public mutating func writeString(_ s: String?) {
    if let s { writeString(s) } else { raw("null") }
  }

  /// Appends a boolean.
  public mutating func writeBool(_ b: Bool) { if b { raw("true") } else { raw("false") } }

  /// Appends an array of strings (read in place, by index).
  public mutating func writeStrings(_ items: [String]) {
    unique()
    strings(items)
  }

  /// `writeStrings` on a buffer already this writer's own.
  private mutating func strings(_ items: [String]) {
    bytes.append(0x5B)
    for i in items.indices {
      if i > 0 { bytes.append(StaticString(", ").utf8Start, 2) }
      quoted(items[i])
    }
    bytes.append(0x5D)
  }

  /// Appends a sequence of strings as an array. (Inlinable, so that the caller iterates its own sequence's type:
  /// through the protocol's witnesses, from another module, a lazy map of a few notes cost 8,000 instructions.)
  @inlinable
  public mutating func writeStrings(_ items: some Sequence<String>) {
    writeRaw("[")
    var first = true
    for item in items {
      if !first { writeRaw(", ") }
      first = false
      writeString(item)
    }
    writeRaw("]")
  }

  /// Appends a value.
  public mutating func write(_ value: JSONValue) {
    switch value {
    case .null: raw("null")
    case .bool(let b): writeBool(b)
    case .number(let n): writeNumber(n)
    case .string(let s): writeString(s)
    case .array(let items):
      put(0x5B)
      for (k, item) in items.enumerated() {
        if k > 0 { raw(", ") }
        write(item)
      }
      put(0x5D)
    case .object(let members):
      put(0x7B)
      for (k, (key, v)) in members.enumerated() {
        if k > 0 { raw(", ") }
        writeString(key)
        raw(": ")
        write(v)
      }
      put(0x7D)
    }
  }

  /// Appends a number: integers without a fraction.
  public mutating func writeNumber(_ n: Double) {
    if n == n.rounded() && abs(n) < 1e15 {
      unique()
      integer(Int64(n))
      return
    }
    var text = String(n)
    text.withUTF8 { u in
      if let base = u.baseAddress { put(base, u.count) }
    }
  }

  /// The decimal digits of an integer, with a `-` when it is negative (as `String(n)` writes it, without making
  /// the string).
  private mutating func integer(_ n: Int64) {
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for 20 digits and a sign, from the end
    var v = n.magnitude
    withUnsafeMutableBytes(of: &digits) { buffer in
      let end = buffer.count
      var k = end
      repeat {
        k -= 1
        buffer[k] = UInt8(truncatingIfNeeded: v % 10) + 0x30
        v /= 10
      } while v != 0
      if n < 0 {
        k -= 1
        buffer[k] = 0x2D
      }
      bytes.append(buffer.baseAddress!.assumingMemoryBound(to: UInt8.self) + k, end - k)
    }
  }

  /// Appends JSON text as it is, unchecked (as `writeRaw`), then a string or `null` for nil: a member's name and
  /// its value in one write.
  public mutating func writeRaw(_ s: StaticString, string value: String?) {
    unique()
    bytes.append(s.utf8Start, s.utf8CodeUnitCount)
    if let value { quoted(value) } else { bytes.append(StaticString("null").utf8Start, 4) }
  }

  /// Appends JSON text as it is, unchecked (as `writeRaw`), then an integer or `null` for nil.
  public mutating func writeRaw(_ s: StaticString, integer value: Int?) {
    unique()
    bytes.append(s.utf8Start, s.utf8CodeUnitCount)
    if let value { integer(Int64(value)) } else { bytes.append(StaticString("null").utf8Start, 4) }
  }

  /// Appends JSON text as it is, unchecked (as `writeRaw`), then an array of strings or `null` for nil.
  public mutating func writeRaw(_ s: StaticString, strings items: [String]?) {
    unique()
    bytes.append(s.utf8Start, s.utf8CodeUnitCount)
    if let items { strings(items) } else { bytes.append(StaticString("null").utf8Start, 4) }
  }

  /// Appends a two-string array, `["a", "b"]`, after `separator` (JSON text as it is, unchecked).
  public mutating func writePair(_ a: String, _ b: String, after separator: StaticString) {
    unique()
    bytes.append(separator.utf8Start, separator.utf8CodeUnitCount)
    bytes.append(0x5B)
    quoted(a)
    bytes.append(StaticString(", ").utf8Start, 2)
    quoted(b)
    bytes.append(0x5D)
  }

  /// Appends a string with the escapes JSON requires (non-ASCII is written as is).
  public mutating func writeString(_ s: String) {
    unique()
    quoted(s)
  }

  /// A string between quotes, with the escapes JSON requires, on a buffer already this writer's own.
  private mutating func quoted(_ s: String) {
    // (Read in place: a native string's bytes are contiguous. Only a string of another kind is copied first.)
    if s.utf8.withContiguousStorageIfAvailable({ quoted($0) }) == nil {
      var copy = s
      copy.withUTF8 { quoted($0) }
    }
  }

  /// The bytes of a string between quotes, with the escapes JSON requires, each plain run copied whole, on a buffer
  /// already this writer's own.
  private mutating func quoted(_ u: UnsafeBufferPointer<UInt8>) {
    bytes.append(0x22)
    if let base = u.baseAddress {
      let n = u.count
      var start = 0  // the first byte not yet written
      while true {
        let k = firstMarked(base, from: start, to: n)
        bytes.append(base + start, k - start)
        if k == n { break }
        escape(base[k])
        start = k + 1
      }
    }
    bytes.append(0x22)
  }

  /// The escape of a byte JSON does not allow in a string as it is.
  private mutating func escape(_ b: UInt8) {
    switch b {
    case 0x22: raw("\\\"")
    case 0x5C: raw("\\\\")
    case 0x0A: raw("\\n")
    case 0x0D: raw("\\r")
    case 0x09: raw("\\t")
    default:
      raw("\\u00")
      let hex: StaticString = "0123456789abcdef"
      put(hex.utf8Start[Int(b >> 4)])
      put(hex.utf8Start[Int(b & 0xF)])
    }
  }

  /// The serialization of one value.
  public static func serialize(_ value: JSONValue) -> String {
    var w = JSONWriter()
    w.write(value)
    return w.output
  }
}

/// The bytes a `JSONWriter` has written: a buffer that grows by doubling. (A class, so that it is freed with the
/// last writer holding it; a writer copies it before writing to one it shares.)
final class JSONBytes {
  private var base: UnsafeMutablePointer<UInt8>
  private var count = 0
  private var capacity: Int

  init(capacity: Int) {
    self.capacity = max(capacity, 16)
    base = .allocate(capacity: self.capacity)
  }

  deinit { base.deallocate() }

  /// A buffer of its own with the same bytes.
  func copy() -> JSONBytes {
    let other = JSONBytes(capacity: capacity)
    other.base.initialize(from: base, count: count)
    other.count = count
    return other
  }

  @inline(__always)
  func append(_ b: UInt8) {
    if count == capacity { grow(toHold: count + 1) }
    base[count] = b
    count += 1
  }

  @inline(__always)
  func append(_ p: UnsafePointer<UInt8>, _ n: Int) {
    if n > capacity - count { grow(toHold: count + n) }
    (base + count).initialize(from: p, count: n)
    count += n
  }

  @inline(never)
  private func grow(toHold needed: Int) {
    var size = capacity
    while size < needed { size *= 2 }
    let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
    bigger.moveInitialize(from: base, count: count)
    base.deallocate()
    base = bigger
    capacity = size
  }

  /// The bytes.
  var array: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

  /// `body` over the bytes, in place.
  func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
    try body(UnsafeBufferPointer(start: base, count: count))
  }

  /// The bytes as a string (they are valid UTF-8: every write is a string's bytes or ASCII).
  var string: String { String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self) }
}
