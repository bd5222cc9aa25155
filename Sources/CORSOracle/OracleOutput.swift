import CORSJSON
import CORSScenario
import CORSSimulator

/// Encodes verdicts in the oracle's result format (a public contract: add fields, never rename them).
///
/// The result is written straight from the verdicts into the output bytes (`writeResult`), with no `JSONValue`
/// tree in between: an oracle line's answer is most of its cost otherwise. The tree forms (`result`, `step`) are
/// read back from the same bytes, so that there is one definition of the fields and their order.
public enum OracleOutput {
  /// One result line: `{"id", "browser", "steps": [...]}`. With `explain`, each step also carries
  /// `trace`, `fix`, `notCORS` and `notes` (extensions, off by default).
  public static func result(id: JSONValue, engine: Engine, verdicts: [Verdict], explain: Bool = false) -> JSONValue {
    var w = JSONWriter()
    writeResult(id: id, engine: engine, verdicts: verdicts, explain: explain, into: &w)
    return tree(w)
  }

  /// One result line, serialized (what `JSONWriter.serialize(result(…))` returns, without building the tree).
  public static func resultLine(id: JSONValue, engine: Engine, verdicts: [Verdict], explain: Bool = false) -> String {
    var w = JSONWriter()
    writeResult(id: id, engine: engine, verdicts: verdicts, explain: explain, into: &w)
    return w.output
  }

  /// An error line: `{"id", "error"}`.
  public static func error(id: JSONValue, message: String) -> JSONValue {
    .object([("id", id), ("error", .string(message))])
  }

  /// One step's verdict.
  public static func step(_ v: Verdict, explain: Bool) -> JSONValue {
    var w = JSONWriter()
    writeStep(v, explain: explain, into: &w)
    return tree(w)
  }

  /// What a writer wrote, read back as a tree (the writer only writes valid JSON).
  private static func tree(_ w: JSONWriter) -> JSONValue {
    (try? JSONParser.parse(w.output)) ?? .null
  }

  /// Writes one result line.
  public static func writeResult(id: JSONValue, engine: Engine, verdicts: [Verdict], explain: Bool,
                                 into w: inout JSONWriter) {
    w.writeRaw(#"{"id": "#)
    w.write(id)
    w.writeRaw(#", "browser": "#)
    w.writeString(engine.rawValue)
    w.writeRaw(#", "steps": ["#)
    for (k, v) in verdicts.enumerated() {
      if k > 0 { w.writeRaw(", ") }
      writeStep(v, explain: explain, into: &w)
    }
    w.writeRaw("]}")
  }

  /// Writes one step's verdict: outcome, responseType, status, exposedHeaders, stage, reason, message, requests;
  /// with `explain`, then notCORS, notes, fix and trace.
  public static func writeStep(_ v: Verdict, explain: Bool, into w: inout JSONWriter) {
    w.writeRaw(#"{"outcome": "#)
    w.writeString(v.outcome.rawValue)
    w.writeRaw(#", "responseType": "#)
    if let t = v.responseType { w.writeString(t.rawValue) } else { w.writeNull() }
    w.writeRaw(#", "status": "#)
    if let s = v.status { w.writeInteger(s) } else { w.writeNull() }
    w.writeRaw(#", "exposedHeaders": "#)
    if let names = v.exposedHeaders { writeStrings(names, into: &w) } else { w.writeNull() }
    w.writeRaw(#", "stage": "#)
    if let s = v.stage { w.writeString(s.rawValue) } else { w.writeNull() }
    w.writeRaw(#", "reason": "#)
    if let r = v.reason { w.writeString(r.rawValue) } else { w.writeNull() }
    w.writeRaw(#", "message": "#)
    if let m = v.consoleMessage { w.writeString(m) } else { w.writeNull() }
    w.writeRaw(#", "requests": ["#)
    for (k, r) in v.requests.enumerated() {
      if k > 0 { w.writeRaw(", ") }
      writeRequest(r, into: &w)
    }
    w.writeRaw("]")
    if explain {
      w.writeRaw(#", "notCORS": "#)
      w.writeBool(v.outcome == .networkError || v.outcome == .invalid ? !v.isCORSProblem : false)
      w.writeRaw(#", "notes": "#)
      writeStrings(v.notes.map(\.rawValue), into: &w)
      w.writeRaw(#", "fix": "#)
      if let fix = v.fix { w.writeString(fix.summary) } else { w.writeNull() }
      w.writeRaw(#", "trace": ["#)
      for (k, step) in v.trace.enumerated() {
        if k > 0 { w.writeRaw(", ") }
        w.writeRaw(#"{"code": "#)
        w.writeString(step.event.code)
        w.writeRaw(#", "cite": "#)
        w.writeString(step.citation)
        w.writeRaw(#", "text": "#)
        w.writeString(step.text)
        w.writeRaw("}")
      }
      w.writeRaw("]")
    }
    w.writeRaw("}")
  }

  /// A request on the wire: method, URL and the decision's headers with lower-case names.
  static func writeRequest(_ r: WireRequest, into w: inout JSONWriter) {
    w.writeRaw(#"{"method": "#)
    w.writeString(r.method.rawValue)
    w.writeRaw(#", "url": "#)
    w.writeString(r.url.href)
    w.writeRaw(#", "headers": ["#)
    for (k, f) in r.headers.enumerated() {
      w.writeRaw(k > 0 ? ", [" : "[")
      w.writeString(f.name.canonicalName)
      w.writeRaw(", ")
      w.writeString(f.value)
      w.writeRaw("]")
    }
    w.writeRaw("]}")
  }

  static func writeStrings(_ strings: [String], into w: inout JSONWriter) {
    w.writeRaw("[")
    for (k, s) in strings.enumerated() {
      if k > 0 { w.writeRaw(", ") }
      w.writeString(s)
    }
    w.writeRaw("]")
  }
}

/// The oracle: JSON lines in, one result line out per input line, in order.
public struct Oracle: Sendable {
  /// Whether to add `trace`, `fix`, `notCORS` and `notes` to each step.
  public var explain: Bool

  /// Creates an oracle.
  public init(explain: Bool = false) { self.explain = explain }

  /// Lines longer than this are refused without being parsed.
  public static let maximumLineLength = 8 << 20

  /// The most lines a scenario's requests may put on the wire (each request and each of its header lines):
  /// it bounds the work and the answer of a line whose requests are repeated by redirects and preflights.
  public static let maximumWireLines = 500_000

  /// Answers one input line (1-based `lineNumber` for messages): a result, or an error line. Every line is
  /// answered, a blank one too (`{"id": null, "error": "input line N: a blank line, not a scenario"}`), so
  /// that a client that sends a line and waits for its answer never waits forever.
  public func answer(line: some StringProtocol, lineNumber: Int) -> String {
    if line.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
      return JSONWriter.serialize(OracleOutput.error(id: .null, message: "input line \(lineNumber): a blank line, not a scenario"))
    }
    if line.utf8.count > Oracle.maximumLineLength {
      return JSONWriter.serialize(OracleOutput.error(id: .null, message:
        "input line \(lineNumber) is \(line.utf8.count) bytes long; at most \(Oracle.maximumLineLength) bytes per line"))
    }
    let json: JSONValue
    do { json = try JSONParser.parse(line) } catch {
      return JSONWriter.serialize(OracleOutput.error(id: .null, message: "input line \(lineNumber) is not valid JSON: \(error)"))
    }
    let id = json["id"] ?? .null
    do {
      let decoded = try OracleInput.decode(json)
      let (verdicts, exceededAt) = ScenarioRunner.run(decoded.scenario, profile: .forEngine(decoded.browser), trace: explain,
                                                      wireLineBudget: Oracle.maximumWireLines)
      if let step = exceededAt {
        return JSONWriter.serialize(OracleOutput.error(id: id, message:
          "input line \(lineNumber): steps[\(step)]: the requests put more than \(Oracle.maximumWireLines) lines on the wire "
          + "(requests and their header lines; redirects and preflights repeat them); at most \(Oracle.maximumWireLines) per scenario"))
      }
      return OracleOutput.resultLine(id: id, engine: decoded.browser, verdicts: verdicts, explain: explain)
    } catch {
      return JSONWriter.serialize(OracleOutput.error(id: id, message: "input line \(lineNumber): \(error)"))
    }
  }

  /// Answers one input line as it came, in bytes: a line that is not UTF-8 is answered with an error that
  /// says where (a byte offset from the start of the line, 0-based), never read with the bad bytes replaced.
  public func answer(utf8 line: some Collection<UInt8>, lineNumber: Int) -> String {
    if let text = String(validating: line, as: UTF8.self) { return answer(line: text, lineNumber: lineNumber) }
    let (offset, byte) = Oracle.firstInvalidUTF8(line)
    return JSONWriter.serialize(OracleOutput.error(id: .null, message:
      "input line \(lineNumber) is not UTF-8: byte offset \(offset) (0x\(String(byte, radix: 16, uppercase: true)))"
      + " does not start or continue a UTF-8 sequence"))
  }

  /// Where the first malformed UTF-8 sequence starts, and its first byte.
  static func firstInvalidUTF8(_ bytes: some Collection<UInt8>) -> (offset: Int, byte: UInt8) {
    var parser = Unicode.UTF8.ForwardParser()
    var iterator = bytes.makeIterator()
    var offset = 0
    let all = Array(bytes)
    while true {
      switch parser.parseScalar(from: &iterator) {
      case .valid(let encoded): offset += encoded.count
      case .error:
        // The bytes from `offset` on do not form a scalar.
        return (offset, all[offset])
      case .emptyInput: return (all.count, 0)
      }
    }
  }
}
