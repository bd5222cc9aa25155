import Testing
@testable import CORSSimulator

@Suite("MIME types with parameters (XHR's charset rewrite)")
struct MIMETypeRecordTests {
  @Test("parse keeps the first of each parameter, unquotes values, drops invalid ones (mimesniff #parse-a-mime-type)")
  func parse() throws {
    let r = try #require(MIMETypeRecord.parse(#" Text/Plain ; Charset="latin\"1" ; charset=utf-8; bad name=x; empty=; q=""#))
    #expect(r.type == "text" && r.subtype == "plain")
    #expect(r.parameters.map(\.name) == ["charset", "q"])
    #expect(r.parameters[0].value == #"latin"1"#)
    #expect(r.parameters[1].value == "")
    #expect(MIMETypeRecord.parse("text") == nil)
  }

  @Test("serialize quotes values that are not tokens (mimesniff #serialize-a-mime-type)")
  func serialize() throws {
    var r = try #require(MIMETypeRecord.parse(#"text/plain; charset="latin1"; x="a b""#))
    #expect(r.serialized == #"text/plain;charset=latin1;x="a b""#)
    r.parameters[0].value = "UTF-8"
    #expect(r.serialized == #"text/plain;charset=UTF-8;x="a b""#)
  }

  @Test("in-place replacement keeps quotes and spacing (Blink ReplaceCharsetInMediaType)")
  func inPlace() {
    #expect(MIMETypeRecord.replacingCharsetValue(in: #"text/plain; charset="latin1""#, with: "UTF-8")
            == #"text/plain; charset="UTF-8""#)
    #expect(MIMETypeRecord.replacingCharsetValue(in: "text/plain;CHARSET=latin1 ; a=b", with: "UTF-8")
            == "text/plain;CHARSET=UTF-8 ; a=b")
    #expect(MIMETypeRecord.replacingCharsetValue(in: "text/plain; a=b", with: "UTF-8") == nil)
  }
}
