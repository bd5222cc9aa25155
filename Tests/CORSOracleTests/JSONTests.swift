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
