import Testing
@testable import CORSJSON

@Suite("JSON lines: strict parsing with positions, compact writing")
struct JSONTests {
  @Test("round trip keeps member order and escapes")
  func roundTrip() throws {
    let text = #"{"b": 1, "a": [true, null, "x\"\n\u00e9"], "c": -1.5}"#
    let v = try JSONParser.parse(text)
    #expect(JSONWriter.serialize(v) == #"{"b": 1, "a": [true, null, "x\"\né"], "c": -1.5}"#)
  }

  @Test("a string is escaped as JSON requires wherever its special bytes fall, eight bytes at a time or not")
  func escapesAtEveryPosition() throws {
    // What JSON requires, one byte at a time: the reference the writer's word-at-a-time scan must agree with.
    func reference(_ s: String) -> String {
      var out: [UInt8] = [0x22]
      for b in s.utf8 {
        switch b {
        case 0x22: out += Array("\\\"".utf8)
        case 0x5C: out += Array("\\\\".utf8)
        case 0x0A: out += Array("\\n".utf8)
        case 0x0D: out += Array("\\r".utf8)
        case 0x09: out += Array("\\t".utf8)
        case ..<0x20: out += Array(("\\u00" + (b < 0x10 ? "0" : "") + String(b, radix: 16)).utf8)
        default: out.append(b)
        }
      }
      return String(decoding: out + [0x22], as: UTF8.self)
    }
    // Every special byte, and bytes next to them that a word test could mistake (0x1F/0x20, 0x21/0x23, 0x5B/0x5D,
    // 0x7F, 0x80 and above in é), at each position of strings from 0 to 39 bytes (the first and second word of a
    // sixteen-byte turn, two turns, and the words and bytes after them).
    let specials: [String] = ["\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1}", "\u{1F}", "\u{7F}", " ", "!", "#", "[", "]", "é"]
    var checked = 0
    for length in 0..<40 {
      for special in specials {
        for position in 0...length {
          let s = String(repeating: "a", count: position) + special + String(repeating: "b", count: length - position)
          var w = JSONWriter()
          w.writeString(s)
          #expect(w.output == reference(s), "\(Array(s.utf8))")
          #expect(try JSONParser.parse(w.output) == .string(s))
          checked += 1
        }
      }
    }
    #expect(checked == 15 * 820)
  }

  @Test("a number is read as Double(text) reads it, the integers read without a string included",
        arguments: ["0", "-0", "7", "204", "-42", "999999999999999", "-999999999999999", "1000000000000000",
                    "9007199254740993", "123456789012345678901234567890", "1.5", "-0.0", "2.04e2", "1E2", "5e-324",
                    "0.1", "101"])
  func numbers(text: String) throws {
    guard case .number(let n) = try JSONParser.parse(text), let expected = Double(text) else {
      Issue.record("\(text) did not parse as a number")
      return
    }
    // Bit for bit: the sign of zero as well.
    #expect(n.bitPattern == expected.bitPattern, "\(text)")
    var read: Double? = nil
    JSONReader.read(text) { r in read = r.number() }
    #expect(read?.bitPattern == expected.bitPattern, "\(text)")
  }

  @Test("a string's bytes are the bytes of the string read, with escapes or without; anything else is refused",
        arguments: [#""Content-Type""#, #"  "é \"x\" \u00e9 \ud83d\ude00""#, #""""#, #""tab\tnewline\n""#, #""a\u0000b""#,
                    "12", "null", #""unterminated"#, #""bad \q escape""#, "\"raw\u{1}control\""])
  func stringBytes(text: String) {
    var expected: String? = nil
    JSONReader.read(text) { r in expected = r.string() }
    var bytes: [UInt8]? = nil
    var failed = false
    JSONReader.read(text) { r in
      bytes = r.withStringBytes { Array($0) }
      failed = r.failed
    }
    #expect(bytes == expected.map { Array($0.utf8) })
    #expect(failed == (expected == nil))
  }

  @Test("a string is read whole wherever an escape, a control byte or its end falls, eight bytes at a time or not")
  func stringsAtEveryPosition() throws {
    for length in 0..<40 {
      let plain = String((0..<length).map { Character(Unicode.Scalar(UInt8(0x61 + $0 % 26))) })
      #expect(try JSONParser.parse("\"\(plain)\"") == .string(plain))
      #expect(try JSONParser.parse("\"\(plain)é\"") == .string(plain + "é"))
      #expect(throws: JSONSyntaxError.self) { try JSONParser.parse("\"\(plain)") }
      for at in 0...length {
        let head = String(plain.prefix(at)), tail = String(plain.dropFirst(at))
        #expect(try JSONParser.parse("\"\(head)\\n\(tail)\"") == .string(head + "\n" + tail))
        #expect(try JSONParser.parse("\"\(head)\\\"\(tail)\"") == .string(head + "\"" + tail))
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse("\"\(head)\u{1}\(tail)\"") }
        var bytes: [UInt8]? = nil
        JSONReader.read("\"\(head)\\t\(tail)\"") { r in bytes = r.withStringBytes { Array($0) } }
        #expect(bytes == Array((head + "\t" + tail).utf8))
      }
    }
  }

  @Test("a member's name is found among the names looked for as comparing the decoded name with each finds it")
  func memberNames() {
    let names: [StaticString] = ["url", "urls", "", "access-control-a", "access-control-b", "access-c", "accessx",
                                 "é-name", "method", "networkError", "a-name-of-more-than-seven-bytes"]
    let keys = JSONKeys(names)
    let written = names.map { $0.description } + ["access-control-", "access-control-c", "Url", "ur", "urlx", "x",
                                                  "access-", "a-name-of-more-than-seven-bytez", "\\u0075rl"]
    for name in written {
      // The decoded name, compared with each: what the reader must answer.
      let decoded = name == "\\u0075rl" ? "url" : name
      let expected = names.firstIndex { $0.description == decoded } ?? -1
      var found: Int?? = nil
      JSONReader.read("{\"\(name)\": 1}") { r in
        guard r.beginObject() else { return }
        found = r.nextKey(first: true, among: keys)
      }
      #expect(found == .some(expected), "\(name)")
      JSONReader.read("{\"\(name)\": 1}") { r in
        guard r.beginObject() else { return }
        found = r.nextKey(first: true, among: names)
      }
      #expect(found == .some(expected), "\(name)")
    }
    // A name made as a Unicode scalar literal (a StaticString without a pointer to its bytes) is found too.
    func scalar<T: ExpressibleByUnicodeScalarLiteral>(_: T.Type) -> T { "u" }
    let u = scalar(StaticString.self)
    for keys in [JSONKeys([u, "url"]), JSONKeys(["url", u])] {
      var found: [Int?] = []
      JSONReader.read(#"{"u": 1, "url": 2, "x": 3}"#) { r in
        guard r.beginObject() else { return }
        var first = true
        while let k = r.nextKey(first: first, among: keys) {
          found.append(k)
          first = false
          _ = r.number()
        }
      }
      #expect(found == [keys.names[0].description == "u" ? 0 : 1, keys.names[0].description == "u" ? 1 : 0, -1])
    }
  }

  @Test("a document streamed with the raw, string, boolean and string-array writers is the value's serialization")
  func streamed() throws {
    let odd = "q\"b\\n\n\t\r\u{1}\u{1F}é"
    var w = JSONWriter()
    w.writeRaw(#"{"a": "#)
    w.writeString(odd)
    w.writeRaw(#", "b": "#)
    w.writeString(nil as String?)
    w.writeRaw(#", "c": "#)
    w.writeBool(false)
    w.writeRaw(#", "d": "#)
    w.writeStrings(["x", "\u{7F}\"", ""])
    w.writeRaw(#", "e": "#)
    w.writeStrings([String]())
    w.writeRaw("}")
    let value = JSONValue.object([
      ("a", .string(odd)), ("b", .null), ("c", .bool(false)),
      ("d", .array([.string("x"), .string("\u{7F}\""), .string("")])), ("e", .array([])),
    ])
    #expect(w.output == JSONWriter.serialize(value))
    #expect(w.output == #"{"a": "q\"b\\n\n\t\r\u0001\u001fé", "b": null, "c": false, "d": ["x", "\#u{7F}\"", ""], "e": []}"#)
  }

  @Test("a member written in one call (its name, then a string, integer, string array or pair) is the two writes")
  func memberWrites() throws {
    let odd = "q\"b\\n\n\t\r\u{1}\u{1F}é"
    let strings: [String?] = [nil, "", "x", odd, String(repeating: "long ", count: 40), "🎉"]
    let integers: [Int?] = [nil, 0, 7, -1, 404, 1_000_000, Int(Int32.max), -99_999_999_999_999, 999_999_999_999_999]
    let arrays: [[String]?] = [nil, [], [""], ["a", odd], strings.compactMap { $0 }]
    var fused = JSONWriter(), plain = JSONWriter()
    for (k, s) in strings.enumerated() {
      fused.writeRaw(k == 0 ? "[" : ", ", string: s)
      plain.writeRaw(k == 0 ? "[" : ", ")
      plain.writeString(s)
    }
    for n in integers {
      fused.writeRaw(", ", integer: n)
      plain.writeRaw(", ")
      if let n { plain.writeNumber(Double(n)) } else { plain.writeRaw("null") }
    }
    for a in arrays {
      fused.writeRaw(", ", strings: a)
      plain.writeRaw(", ")
      if let a { plain.writeStrings(a) } else { plain.writeRaw("null") }
    }
    fused.writeRaw(#", {"p": ["#)
    plain.writeRaw(#", {"p": ["#)
    for (k, (a, b)) in [("origin", "https://app.example"), (odd, ""), ("", odd)].enumerated() {
      fused.writePair(a, b, after: k > 0 ? ", " : "")
      plain.writeRaw(k > 0 ? ", " : "")
      plain.writeStrings([a, b])
    }
    fused.writeRaw("]}]")
    plain.writeRaw("]}]")
    #expect(fused.output == plain.output)
    // And it is JSON, read back to the same items.
    let back = try JSONParser.parse(fused.output)
    #expect(JSONWriter.serialize(back) == fused.output)
  }

  @Test("an integer is written as String(Int64) writes it, without making the string; other numbers as before")
  func integersWritten() {
    var values: [Double] = [0, -0.0, 1, -1, 9, 10, 11, 99, 100, 404, -404, 1e14, -1e14, 999_999_999_999_999,
                            -999_999_999_999_999, 1.5, -2.25, 1e15, 1e300, 0.1]
    var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
    for _ in 0..<2_000 {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let digits = Int(seed >> 60)  // 0…15 digits
      var magnitude: Int64 = 1
      for _ in 0..<digits { magnitude *= 10 }
      let v = Int64(truncatingIfNeeded: seed >> 8) % max(magnitude, 1)
      values.append(Double(seed & 1 == 0 ? v : -v))
    }
    for n in values {
      var w = JSONWriter()
      w.writeNumber(n)
      let expected = n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
      #expect(w.output == expected, "\(n)")
    }
  }

  @Test("a copied writer writes on its own; a document grows past the first buffer whole, in order")
  func copiesAndGrowth() throws {
    var w = JSONWriter()
    w.writeRaw("[")
    w.writeString("shared")
    var copy = w  // shares the bytes until one of the two writes
    w.writeRaw(", 1]")
    copy.writeRaw(", ")
    copy.writeBool(true)
    copy.writeRaw("]")
    #expect(w.output == #"["shared", 1]"#)
    #expect(copy.output == #"["shared", true]"#)
    // Items of every length, so that the buffer grows (from 1,024 bytes) in the middle of a string, an escape and
    // a number: the result is the tree's serialization, byte for byte.
    var items: [JSONValue] = []
    var big = JSONWriter()
    big.writeRaw("[")
    for k in 0..<3_000 {
      if k > 0 { big.writeRaw(", ") }
      if k % 3 == 0 {
        big.writeNumber(Double(k * 7919))
        items.append(.number(Double(k * 7919)))
      } else {
        let s = String(repeating: "é\\x\"", count: k % 37) + String(k)
        big.writeString(s)
        items.append(.string(s))
      }
    }
    big.writeRaw("]")
    #expect(big.output == JSONWriter.serialize(.array(items)))
    #expect(try JSONParser.parse(big.output) == .array(items))
  }

  @Test("syntax errors say where", arguments: [
    (#"{"a": 1,}"#, "line 1, column 9"),
    ("{\"a\":\n 1 2}", "line 2, column 4"),
    (#"{"a": tru}"#, "line 1, column 7"),
    (#"{"a": 1, "a": 2}"#, "duplicate member"),
    (#"["\ud800"]"#, "lone surrogate"),
    ("[01]", "leading zero"),
    (#"{"a": 1} x"#, "after the JSON value"),
  ])
  func errors(text: String, fragment: String) {
    do {
      _ = try JSONParser.parse(text)
      Issue.record("\(text) parsed")
    } catch {
      #expect(error.description.contains(fragment), "\(error)")
    }
  }

  @Test("deep nesting is refused, not a stack overflow")
  func depth() {
    let deep = String(repeating: "[", count: 100_000)
    #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(deep) }
  }
}
