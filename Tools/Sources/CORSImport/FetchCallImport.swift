import CORSScenario
import CORSJSON
import CORSSimulator

/// "Copy as fetch" from the developer tools: `fetch("url", { … });` (optionally `await`), where the second
/// argument is a JavaScript object literal (quoted or bare keys, '…', "…" or `…` strings, trailing commas).
public enum FetchCallImport {
  /// True when the text starts like a copied fetch call.
  public static func looksLikeFetchCall(_ text: String) -> Bool {
    let t = text.drop { $0 == " " || $0 == "\t" }
    return t.hasPrefix("fetch(") || t.hasPrefix("await fetch(") || t.hasPrefix("fetch (")
  }

  /// True when the parentheses of the call are balanced (the paste is complete).
  public static func isComplete(_ text: String) -> Bool {
    var depth = 0
    var quote: Character? = nil
    var escaped = false
    var opened = false
    for c in text {
      if let q = quote {
        if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == q { quote = nil }
        continue
      }
      switch c {
      case "\"", "'", "`": quote = c
      case "(", "{", "[": depth += 1; opened = true
      case ")", "}", "]": depth -= 1
      default: break
      }
    }
    return opened && depth <= 0 && quote == nil
  }

  /// Parses the call.
  public static func parse(_ text: String) throws(ImportError) -> ImportedRequest {
    var p = JSLiteralParser(text)
    p.skipSpace()
    if p.consumeWord("await") { p.skipSpace() }
    guard p.consumeWord("fetch") else { throw ImportError("a fetch call starts with fetch(") }
    p.skipSpace()
    guard p.consume("(") else { throw ImportError("expected ( after fetch") }
    let urlValue = try p.value()
    guard case .string(let url) = urlValue else { throw ImportError("fetch's first argument must be a URL string") }
    var options: [(String, JSONValue)] = []
    p.skipSpace()
    if p.consume(",") {
      p.skipSpace()
      if !p.peek(")") {
        guard case .object(let o) = try p.value() else { throw ImportError("fetch's second argument must be an object") }
        options = o
      }
    }
    p.skipSpace()
    _ = p.consume(",")
    p.skipSpace()
    guard p.consume(")") else { throw ImportError("expected ) at \(p.position)") }

    var request = ScriptRequest(url: url)
    var headers = HeaderList()
    var notes: [String] = []
    func str(_ v: JSONValue, _ key: String) throws(ImportError) -> String? {
      switch v {
      case .string(let s): return s
      case .null: return nil
      default: throw ImportError("\(key) should be a string")
      }
    }
    for (key, v) in options {
      switch key {
      case "method": request.method = try str(v, key).map { Method($0) }
      case "mode": request.mode = try str(v, key).map { .init(rawValue: $0) }
      case "credentials": request.credentials = try str(v, key).map { .init(rawValue: $0) }
      case "redirect": request.redirect = try str(v, key).map { .init(rawValue: $0) }
      case "cache": request.cache = try str(v, key).map { .init(rawValue: $0) }
      case "referrerPolicy": request.referrerPolicy = try str(v, key).map { .init(rawValue: $0) }
      case "integrity": request.integrity = try str(v, key)
      case "keepalive": request.keepalive = v == .bool(true)
      case "referrer":
        // The developer tools write the page's URL here; it also tells which page made the call.
        if let r = try str(v, key) { headers.append(HeaderField("Referer", r)) }
      case "body":
        if let b = try str(v, key) { request.body = RequestBody(text: b) }
      case "headers":
        guard case .object(let h) = v else { throw ImportError("headers should be an object") }
        for (name, value) in h {
          guard case .string(let s) = value else { throw ImportError("the header \(name) should have a string value") }
          headers.append(HeaderField(HeaderName(name), s))
        }
      default:
        notes.append("ignored the fetch option \(key)")
      }
    }
    return CurlImport.finish(request, headers: headers, cookies: false, notes: notes, source: "fetch call")
  }
}

/// Reads the JavaScript literals a copied fetch call uses, into JSON values.
struct JSLiteralParser {
  private let chars: [Character]
  private(set) var position = 0

  init(_ text: String) { chars = Array(text) }

  mutating func skipSpace() {
    while position < chars.count, chars[position].isWhitespace { position += 1 }
  }

  func peek(_ c: Character) -> Bool { position < chars.count && chars[position] == c }

  mutating func consume(_ c: Character) -> Bool {
    if peek(c) { position += 1; return true }
    return false
  }

  mutating func consumeWord(_ w: String) -> Bool {
    let word = Array(w)
    guard position + word.count <= chars.count, Array(chars[position..<(position + word.count)]) == word else { return false }
    position += word.count
    return true
  }

  mutating func value(depth: Int = 0) throws(ImportError) -> JSONValue {
    skipSpace()
    guard depth < 32 else { throw ImportError("the fetch call nests too deeply") }
    guard position < chars.count else { throw ImportError("the fetch call ends too early") }
    let c = chars[position]
    switch c {
    case "\"", "'", "`": return .string(try string())
    case "{":
      position += 1
      var members: [(String, JSONValue)] = []
      while true {
        skipSpace()
        if consume("}") { return .object(members) }
        let key: String
        if peek("\"") || peek("'") || peek("`") {
          key = try string()
        } else {
          var k = ""
          while position < chars.count, chars[position].isLetter || chars[position].isNumber || chars[position] == "_" || chars[position] == "$" {
            k.append(chars[position]); position += 1
          }
          guard !k.isEmpty else { throw ImportError("expected a key at character \(position + 1) of the fetch call") }
          key = k
        }
        skipSpace()
        guard consume(":") else { throw ImportError("expected : after \(key) in the fetch call") }
        members.append((key, try value(depth: depth + 1)))
        skipSpace()
        if consume(",") { continue }
        guard consume("}") else { throw ImportError("expected , or } at character \(position + 1) of the fetch call") }
        return .object(members)
      }
    case "[":
      position += 1
      var items: [JSONValue] = []
      while true {
        skipSpace()
        if consume("]") { return .array(items) }
        items.append(try value(depth: depth + 1))
        skipSpace()
        if consume(",") { continue }
        guard consume("]") else { throw ImportError("expected , or ] at character \(position + 1) of the fetch call") }
        return .array(items)
      }
    default:
      if consumeWord("null") || consumeWord("undefined") { return .null }
      if consumeWord("true") { return .bool(true) }
      if consumeWord("false") { return .bool(false) }
      var number = ""
      while position < chars.count, "+-.eE0123456789".contains(chars[position]) { number.append(chars[position]); position += 1 }
      if let n = Double(number) { return .number(n) }
      throw ImportError("unexpected '\(c)' at character \(position + 1) of the fetch call (only literals can be read)")
    }
  }

  mutating func string() throws(ImportError) -> String {
    let quote = chars[position]
    position += 1
    var out = ""
    while position < chars.count, chars[position] != quote {
      var c = chars[position]
      if c == "\\", position + 1 < chars.count {
        position += 1
        c = chars[position]
        switch c {
        case "n": out.append("\n")
        case "t": out.append("\t")
        case "r": out.append("\r")
        case "u":
          let hex = String(chars[(position + 1)..<min(position + 5, chars.count)])
          if let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v) {
            out.unicodeScalars.append(scalar)
            position += 4
          }
        default: out.append(c)
        }
      } else {
        if quote == "`" && c == "$" && position + 1 < chars.count && chars[position + 1] == "{" {
          throw ImportError("a template string with ${…} cannot be read; paste the call with plain strings")
        }
        out.append(c)
      }
      position += 1
    }
    guard position < chars.count else { throw ImportError("a string in the fetch call is never closed") }
    position += 1
    return out
  }
}
