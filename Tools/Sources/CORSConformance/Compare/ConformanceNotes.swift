import CORSJSON
import CORSScenario

/// What has been found out about known disagreements, kept beside the corpus so that the report says why
/// each one is there: JSON lines `{"id", "engines": [engine…] (optional: every engine), "class", "note"}`.
///
/// `class` says whose the difference is: `simulator` (the engine's profile is wrong for that browser),
/// `expectation` (the scenario file expects the wrong thing), `harness` (the harness does not reproduce the
/// scenario faithfully), or anything else a reader should see. A note that matches no disagreement any more
/// is listed as stale, so fixed differences do not keep their notes.
public struct ConformanceNotes: Sendable {
  /// One note.
  public struct Note: Sendable, Hashable {
    public var id: String
    /// The engines it is about; empty: every engine.
    public var engines: [String]
    public var kind: String
    public var text: String

    /// Whether it is about this scenario and engine.
    public func covers(id: String, engine: String) -> Bool {
      self.id == id && (engines.isEmpty || engines.contains(engine))
    }
  }

  /// The notes, in file order.
  public var notes: [Note]

  /// Creates notes.
  public init(notes: [Note] = []) { self.notes = notes }

  /// Reads the JSON lines form; a line that is not a note is an error naming its number.
  public init(jsonLines text: String, name: String) throws {
    var notes: [Note] = []
    for (n, line) in TextLines.split(text).enumerated() {
      if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
      let json: JSONValue
      do { json = try JSONParser.parse(line) } catch { throw ComparisonError("\(name):\(n + 1): not JSON (\(error))") }
      guard case .string(let id)? = json["id"], case .string(let kind)? = json["class"],
            case .string(let text)? = json["note"] else {
        throw ComparisonError("\(name):\(n + 1): a note needs \"id\", \"class\" and \"note\" strings")
      }
      var engines: [String] = []
      if let list = json["engines"] {
        guard case .array(let items) = list else { throw ComparisonError("\(name):\(n + 1): \"engines\" is a list") }
        for case .string(let e) in items { engines.append(e) }
      }
      notes.append(Note(id: id, engines: engines, kind: kind, text: text))
    }
    self.notes = notes
  }

  /// The notes about a scenario in an engine.
  public func notes(id: String, engine: String) -> [Note] { notes.filter { $0.covers(id: id, engine: engine) } }

  /// The notes that match none of the comparison's disagreements.
  public func stale(in comparison: Comparison) -> [Note] {
    notes.filter { n in !comparison.disagreements.contains { n.covers(id: $0.id, engine: $0.engine) } }
  }
}
