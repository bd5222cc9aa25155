import CORSJSON
import CORSScenario
import CORSSimulator

/// Encodes verdicts in the oracle's result format (a public contract: add fields, never rename them).
public enum OracleOutput {
  /// One result line: `{"id", "browser", "steps": [...]}`. With `explain`, each step also carries
  /// `trace`, `fix`, `fixes`, `notCORS` and `notes` (extensions, off by default); `fixes` holds each step's
  /// fixes (`ScenarioRunner.runWithFixes`), and `fix` is the first one's summary.
  public static func result(id: JSONValue, engine: Engine, verdicts: [Verdict], explain: Bool = false,
                            fixes: [[Fix]]? = nil) -> JSONValue {
    .object([
      ("id", id),
      ("browser", .string(engine.rawValue)),
      ("steps", .array(verdicts.indices.map { step(verdicts[$0], explain: explain, fixes: fixes?[$0]) })),
    ])
  }

  /// An error line: `{"id", "error"}`.
  public static func error(id: JSONValue, message: String) -> JSONValue {
    .object([("id", id), ("error", .string(message))])
  }

  /// One step's verdict.
  public static func step(_ v: Verdict, explain: Bool, fixes: [Fix]? = nil) -> JSONValue {
    var members: [(String, JSONValue)] = [
      ("outcome", .string(v.outcome.rawValue)),
      ("responseType", v.responseType.map { .string($0.rawValue) } ?? .null),
      ("status", v.status.map { .number(Double($0)) } ?? .null),
      ("exposedHeaders", v.exposedHeaders.map { .array($0.map { .string($0) }) } ?? .null),
      ("stage", v.stage.map { .string($0.rawValue) } ?? .null),
      ("reason", v.reason.map { .string($0.rawValue) } ?? .null),
      ("message", v.consoleMessage.map { .string($0) } ?? .null),
      ("messages", .array(v.consoleMessages.map { .string($0) })),
      ("requests", .array(v.requests.map(request))),
    ]
    if explain {
      members.append(("notCORS", .bool(v.outcome == .networkError || v.outcome == .invalid ? !v.isCORSProblem : false)))
      members.append(("notes", .array(v.notes.map { .string($0.rawValue) })))
      let fix = fixes.map { $0.first?.summary } ?? v.fix?.summary
      members.append(("fix", fix.map { .string($0) } ?? .null))
      members.append(("fixes", Self.fixes(fixes ?? v.fix.map { [$0] } ?? [])))
      members.append(("trace", .array(v.trace.map { step in
        .object([
          ("code", .string(step.event.code)),
          ("cite", .string(step.citation)),
          ("text", .string(step.text)),
        ])
      })))
    }
    return .object(members)
  }

  /// A request on the wire: method, URL and the decision's headers with lower-case names.
  static func request(_ r: WireRequest) -> JSONValue {
    .object([
      ("method", .string(r.method.rawValue)),
      ("url", .string(r.url.href)),
      ("headers", .array(r.headers.map { .array([.string($0.name.canonicalName), .string($0.value)]) })),
    ])
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
      if explain {
        // Each failing step's fixes, worked out from the state it ran in (the scenario within its wire budget).
        let steps = ScenarioRunner.runWithFixes(decoded.scenario, profile: .forEngine(decoded.browser))
        return JSONWriter.serialize(OracleOutput.result(id: id, engine: decoded.browser, verdicts: steps.map(\.verdict),
                                                        explain: true, fixes: steps.map(\.fixes)))
      }
      return JSONWriter.serialize(OracleOutput.result(id: id, engine: decoded.browser, verdicts: verdicts, explain: explain))
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
