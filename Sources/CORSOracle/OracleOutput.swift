import CORSJSON
import CORSScenario
import CORSSimulator

/// Encodes verdicts in the oracle's result format (a public contract: add fields, never rename them).
/// Each line is written straight from the verdicts into one `JSONWriter` (no `JSONValue` tree is built: the
/// oracle writes one line per scenario, and the tree cost as much as the writing); `result` gives the same
/// line as a `JSONValue` for callers that add members to it.
public enum OracleOutput {
  /// One result line: `{"id", "browser", "steps": [...]}`. With `explain`, each step also carries
  /// `notCORS`, `notes`, `fix`, `fixes` and `trace` (extensions, off by default); `fixes` holds each step's
  /// fixes (`ScenarioRunner.runWithFixes`), and `fix` is the first one's summary.
  public static func resultLine(id: JSONValue, engine: Engine, verdicts: [Verdict], explain: Bool = false,
                                fixes: [[Fix]]? = nil) -> String {
    resultWriter(id: id, engine: engine, verdicts: verdicts, explain: explain, fixes: fixes).output
  }

  /// `resultLine`, written.
  static func resultWriter(id: JSONValue, engine: Engine, verdicts: [Verdict], explain: Bool = false,
                           fixes: [[Fix]]? = nil) -> JSONWriter {
    var w = JSONWriter()
    w.writeRaw(#"{"id": "#)
    w.write(id)
    w.writeRaw(#", "browser": "#, string: engine.rawValue)
    w.writeRaw(#", "steps": ["#)
    for k in verdicts.indices {
      if k > 0 { w.writeRaw(", ") }
      step(verdicts[k], explain: explain, fixes: fixes?[k], into: &w)
    }
    w.writeRaw("]}")
    return w
  }

  /// `resultLine` as a `JSONValue` (the same members in the same order).
  public static func result(id: JSONValue, engine: Engine, verdicts: [Verdict], explain: Bool = false,
                            fixes: [[Fix]]? = nil) -> JSONValue {
    parsed(resultLine(id: id, engine: engine, verdicts: verdicts, explain: explain, fixes: fixes))
  }

  /// An error line: `{"id", "error"}`.
  public static func errorLine(id: JSONValue, message: String) -> String {
    errorWriter(id: id, message: message).output
  }

  /// `errorLine`, written.
  static func errorWriter(id: JSONValue, message: String) -> JSONWriter {
    var w = JSONWriter()
    w.writeRaw(#"{"id": "#)
    w.write(id)
    w.writeRaw(#", "error": "#)
    w.writeString(message)
    w.writeRaw("}")
    return w
  }

  /// The writer's own output read back (it is always JSON).
  static func parsed(_ text: String) -> JSONValue {
    do { return try JSONParser.parse(text) } catch { preconditionFailure("the oracle wrote JSON that does not parse: \(error)") }
  }

  /// One step's verdict.
  static func step(_ v: Verdict, explain: Bool, fixes: [Fix]?, into w: inout JSONWriter) {
    // (Each member's name and value in one write.)
    w.writeRaw(#"{"outcome": "#, string: v.outcome.rawValue)
    w.writeRaw(#", "responseType": "#, string: v.responseType?.rawValue)
    w.writeRaw(#", "status": "#, integer: v.status)
    w.writeRaw(#", "exposedHeaders": "#, strings: v.exposedHeaders)
    w.writeRaw(#", "stage": "#, string: v.stage?.rawValue)
    w.writeRaw(#", "reason": "#, string: v.reason?.rawValue)
    let console = v.consoleLines
    w.writeRaw(#", "message": "#, string: console.message)
    w.writeRaw(#", "messages": "#, strings: console.messages)
    w.writeRaw(#", "requests": ["#)
    for (k, r) in v.requests.enumerated() {
      if k > 0 { w.writeRaw(", ") }
      request(r, into: &w)
    }
    w.writeRaw("]")
    if let event = v.preloadEvent {
      // A preload link: the event it fires (Firefox's fires load when the CORS check fails).
      w.writeRaw(#", "event": "#)
      w.writeString(event)
    }
    if explain {
      w.writeRaw(#", "notCORS": "#)
      w.writeBool(v.outcome == .networkError || v.outcome == .invalid ? !v.isCORSProblem : false)
      w.writeRaw(#", "notes": "#)
      w.writeStrings(v.notes.lazy.map(\.rawValue))
      w.writeRaw(#", "fix": "#, string: fixes.map { $0.first?.summary } ?? v.fix?.summary)
      w.writeRaw(#", "fixes": "#)
      Self.fixes(fixes ?? v.fix.map { [$0] } ?? [], into: &w)
      w.writeRaw(#", "trace": ["#)
      for (k, step) in v.trace.enumerated() {
        w.writeRaw(k > 0 ? #", {"code": "# : #"{"code": "#, string: step.event.code)
        w.writeRaw(#", "cite": "#, string: step.citation)
        w.writeRaw(#", "text": "#, string: step.text)
        w.writeRaw("}")
      }
      w.writeRaw("]")
    }
    w.writeRaw("}")
  }

  /// A request on the wire: method, URL and the decision's headers with lower-case names.
  static func request(_ r: WireRequest, into w: inout JSONWriter) {
    w.writeRaw(#"{"method": "#, string: r.method.rawValue)
    w.writeRaw(#", "url": "#, string: r.url.href)
    w.writeRaw(#", "headers": ["#)
    // (The lines read in place, by index: a `for` over them copies each one, its strings retained and released.)
    let fields = r.headers.fields
    for k in fields.indices {
      w.writePair(fields[k].name.canonicalName, fields[k].value, after: k > 0 ? ", " : "")
    }
    w.writeRaw("]}")
  }
}

/// The oracle: JSON lines in, one result line out per input line, in order.
public struct Oracle: Sendable {
  /// Whether to add `trace`, `fix`, `fixes`, `notCORS` and `notes` to each step.
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
    answerWriter(line: line, lineNumber: lineNumber).output
  }

  /// `answer(line:lineNumber:)`, written.
  func answerWriter(line: some StringProtocol, lineNumber: Int) -> JSONWriter {
    if line.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
      return OracleOutput.errorWriter(id: .null, message: "input line \(lineNumber): a blank line, not a scenario")
    }
    if line.utf8.count > Oracle.maximumLineLength {
      return OracleOutput.errorWriter(id: .null, message:
        "input line \(lineNumber) is \(line.utf8.count) bytes long; at most \(Oracle.maximumLineLength) bytes per line")
    }
    // The usual line is read straight into its scenario; anything else (and every error) the full way: parsed
    // into a tree, then decoded.
    let id: JSONValue
    let decoded: OracleScenario
    // (`String(line)` of a line that is a `String` already made a new one, validating every byte again.)
    if let fast = OracleInput.decodeWithoutTree(line as? String ?? String(line)) {
      id = fast.id
      decoded = fast
    } else {
      let json: JSONValue
      do { json = try JSONParser.parse(line) } catch {
        return OracleOutput.errorWriter(id: .null, message: "input line \(lineNumber) is not valid JSON: \(error)")
      }
      id = json["id"] ?? .null
      do { decoded = try OracleInput.decode(json) } catch {
        return OracleOutput.errorWriter(id: id, message: "input line \(lineNumber): \(error)")
      }
    }
    let browser = decoded.browser
    func overBudget(_ step: Int) -> JSONWriter {
      OracleOutput.errorWriter(id: id, message:
        "input line \(lineNumber): steps[\(step)]: the requests put more than \(Oracle.maximumWireLines) lines on the wire "
        + "(requests and their header lines; redirects and preflights repeat them); at most \(Oracle.maximumWireLines) per scenario")
    }
    if explain {
      let (verdicts, exceededAt) = ScenarioRunner.run(decoded.scenario, profile: .forEngine(browser), trace: true,
                                                      wireLineBudget: Oracle.maximumWireLines)
      if let step = exceededAt { return overBudget(step) }
      // Each failing step's fixes, worked out from the state it ran in (the scenario within its wire budget; the
      // verdicts are those just decided, with their traces, not decided a second time).
      let fixes = ScenarioRunner.fixes(decoded.scenario, profile: .forEngine(browser), verdicts: verdicts)
      return OracleOutput.resultWriter(id: id, engine: browser, verdicts: verdicts, explain: true, fixes: fixes)
    }
    // (Without `explain` the scenario is not needed after the run: it is handed over, and its steps moved out.)
    let (verdicts, exceededAt) = ScenarioRunner.run(taking: (consume decoded).scenario, profile: .forEngine(browser),
                                                    trace: false, wireLineBudget: Oracle.maximumWireLines)
    if let step = exceededAt { return overBudget(step) }
    return OracleOutput.resultWriter(id: id, engine: browser, verdicts: verdicts, explain: false)
  }

  /// Answers one input line as it came, in bytes: a line that is not UTF-8 is answered with an error that
  /// says where (a byte offset from the start of the line, 0-based), never read with the bad bytes replaced.
  public func answer(utf8 line: some Collection<UInt8>, lineNumber: Int) -> String {
    answerWriter(utf8: line, lineNumber: lineNumber).output
  }

  /// `answer(utf8:lineNumber:)` as UTF-8 bytes, for a caller that writes them out: no `String` is made (making one
  /// reads every byte of the answer again to check it, a tenth of an explained line's cost).
  public func answerBytes(utf8 line: some Collection<UInt8>, lineNumber: Int) -> [UInt8] {
    answerWriter(utf8: line, lineNumber: lineNumber).outputBytes
  }

  /// `answer(line:lineNumber:)` as the bytes the answer was written into, for a caller that copies them out (to the
  /// buffer it writes from): neither a `String` nor an array is made of them.
  public func answerLine(_ line: String, lineNumber: Int) -> OracleAnswer {
    OracleAnswer(answerWriter(line: line, lineNumber: lineNumber))
  }

  /// `answer(utf8:lineNumber:)` as `answerLine(_:lineNumber:)` gives it.
  public func answerLine(utf8 line: some Collection<UInt8>, lineNumber: Int) -> OracleAnswer {
    OracleAnswer(answerWriter(utf8: line, lineNumber: lineNumber))
  }

  /// `answer(utf8:lineNumber:)`, written.
  func answerWriter(utf8 line: some Collection<UInt8>, lineNumber: Int) -> JSONWriter {
    // (Read in place when the bytes are contiguous, an array's slice for `corsim oracle`: validating them through
    // the collection's iterator cost about as much again.)
    let text: String? = switch line.withContiguousStorageIfAvailable({ Oracle.text(ofLine: $0) }) {
    case .some(let validated): validated
    case .none: String(validating: line, as: UTF8.self)
    }
    if let text { return answerWriter(line: text, lineNumber: lineNumber) }
    let (offset, byte) = Oracle.firstInvalidUTF8(line)
    return OracleOutput.errorWriter(id: .null, message:
      "input line \(lineNumber) is not UTF-8: byte offset \(offset) (0x\(String(byte, radix: 16, uppercase: true)))"
      + " does not start or continue a UTF-8 sequence")
  }

  /// The text of a line's bytes, nil when they are not UTF-8 (`answer(utf8:lineNumber:)` then says where they go
  /// wrong). ASCII, the usual line, is checked a word at a time and needs no further check.
  public static func text(ofLine bytes: UnsafeBufferPointer<UInt8>) -> String? {
    bytes.isASCII ? String(decoding: bytes, as: UTF8.self) : String(validating: bytes, as: UTF8.self)
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

/// One answer line's UTF-8 bytes (without the line break), read in place by `withBytes`: a thread that answers a line
/// hands this to the thread that writes the answers out, which copies the bytes once, into its output buffer.
public struct OracleAnswer: @unchecked Sendable {
  // (Sendable: the writer's buffer is this answer's alone, and nothing writes to it after the answer is made; the
  // receiving thread only reads it.)
  private let writer: JSONWriter?
  private let text: [UInt8]

  fileprivate init(_ writer: JSONWriter) {
    self.writer = writer
    self.text = []
  }

  /// An answer given as its text (a line the caller words itself).
  public init(text: String) {
    self.writer = nil
    self.text = Array(text.utf8)
  }

  /// Runs `body` over the answer's bytes (valid only inside `body`).
  public func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
    if let writer { return try writer.withOutputBytes(body) }
    return try text.withUnsafeBufferPointer(body)
  }

  /// The answer's bytes, copied.
  public var bytes: [UInt8] { withBytes { Array($0) } }
}
