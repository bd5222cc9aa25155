import CORSJSON
import CORSOracle
import CORSScenario
@testable import CORSSession
import CORSSimulator
import CORSText
import Foundation
import Testing

/// A scenario file of `steps` requests to distinct URLs: preflighted PUTs, every third one failing (its route sends
/// no Access-Control-Allow-Origin), with values that JSON and XML must escape (quotes, a backslash, `<`, `&`,
/// non-ASCII), in the layout of Scripts/memory-scenarios.
private func longFile(steps: Int) throws -> String {
  var text = "page https://app.example/index.html\n\n"
  for k in 0..<steps {
    let url = "https://api.example/items/\(k)"
    text += "route OPTIONS \(url) 204\n  Access-Control-Allow-Origin: https://app.example\n"
      + "  Access-Control-Allow-Methods: PUT\n  Access-Control-Allow-Headers: x-token\n"
    text += "route PUT \(url) 200\n" + (k % 3 == 2 ? "" : "  Access-Control-Allow-Origin: https://app.example\n")
      + "  X-Note: \"quoted\" \\ <b> & é \(k)\n\n"
    text += "fetch PUT \(url)\n  X-Token: t\n\n"
  }
  let path = FileManager.default.temporaryDirectory.appendingPathComponent("corsim-long-\(UUID().uuidString).cors").path
  try text.write(toFile: path, atomically: true, encoding: .utf8)
  return path
}

@Suite("corsim run --json and corsim export write a long file's line a piece at a time: the same bytes as whole")
struct LongFileOutputTests {
  @Test("run --json: the line written step by step is the oracle's line of all the verdicts")
  func runJSON() throws {
    let path = try longFile(steps: 300)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let (status, out, err) = try corsim(["run", "--json", path])
    #expect(status == 0, "\(err)")
    let scenario = try ScenarioFile.load(path: path).document.scenario
    for engine in [Engine.chromium, .firefox] {
      let expected = OracleOutput.resultLine(id: .string(path), engine: engine,
                                             verdicts: ScenarioRunner.run(scenario, profile: .forEngine(engine), trace: false))
      let got = engine == .chromium ? out : try corsim(["run", "--json", "--browser", engine.rawValue, path]).1
      #expect(expected.utf8.count > 1 << 17, "long enough to be written in several pieces")
      #expect(got == expected + "\n", "\(engine)")
    }
  }

  @Test("export: the line written member by member is the serialization of the whole line")
  func export() throws {
    let path = try longFile(steps: 300)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let (status, out, err) = try corsim(["export", path])
    #expect(status == 0, "\(err)")
    let scenario = try ScenarioFile.load(path: path).document.scenario
    let expected = JSONWriter.serialize(OracleExport.encode(scenario, id: .string(String(path.dropLast(".cors".count)))))
    #expect(expected.utf8.count > 1 << 17, "long enough to be written in several pieces")
    #expect(out == expected + "\n")
    // Two files: two lines, in order.
    let two = try corsim(["export", path, path]).1
    #expect(two == out + out)
  }
}

@Suite("The REPL opening a long file writes its report as it is made")
struct LongFileSessionTests {
  @Test("open: the report goes out through the writer in pieces, in order, the same text as returned whole")
  func openStreams() throws {
    let path = try longFile(steps: 300)
    defer { try? FileManager.default.removeItem(atPath: path) }
    // A block left open before `open`: its verdict comes first, as when the whole text is returned.
    let lines = ["page https://app.example", "route https://api.example/x", "  Access-Control-Allow-Origin: *", "",
                 "fetch https://api.example/x", "  X-Token: t", "open \(path)", "fix 2", "trace 3"]
    let whole = Session()
    let expected = lines.map { whole.evaluate($0).textOrQuit }.joined()
    #expect(expected.contains("opened \(path): 600 route(s), 300 request(s)"))
    let streamed = Session()
    var pieces: [String] = []
    streamed.writer = { pieces.append($0) }
    var got = ""
    for line in lines {
      let before = pieces.count
      let rest = streamed.evaluate(line).textOrQuit
      got += pieces[before...].joined() + rest
    }
    #expect(got == expected)
    #expect(expected.utf8.count > 1 << 17)
    #expect(pieces.count >= 2, "the report of 300 requests is written in pieces")
    #expect(pieces.allSatisfy { $0.utf8.count < 1 << 17 })
    // Several lines at once (a paste): each line's output in order.
    let pasted = Session()
    var pastedPieces: [String] = []
    pasted.writer = { pastedPieces.append($0) }
    let rest = pasted.evaluate(lines.joined(separator: "\n")).textOrQuit
    #expect(pastedPieces.joined() + rest == Session().evaluate(lines.joined(separator: "\n")).textOrQuit)
  }
}

@Suite("The REPL keeps a reported request's trace only until it is printed")
struct SessionTraceTests {
  @Test("after open, the reported requests but the last two hold no trace; trace, notes and run N decide it again")
  func tracesLetGo() throws {
    let path = try longFile(steps: 30)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let session = Session()
    _ = session.evaluate("open \(path)")
    let kept = session.verdicts(.chromium)
    #expect(kept.count == 30)
    #expect(kept.dropLast(2).allSatisfy { $0.trace.isEmpty }, "printed: let go")
    #expect(!kept[29].trace.isEmpty, "the last one printed keeps its trace")
    // What the commands show is what the whole run with traces gives.
    let whole = ScenarioRunner.run(try ScenarioFile.load(path: path).document.scenario, profile: .chromium)
    for i in [0, 2, 17, 29] {
      #expect(!whole[i].trace.isEmpty)
      #expect(session.tracedVerdict(step: i, engine: .chromium) == whole[i])
      #expect(session.evaluate("trace \(i + 1)").textOrQuit == VerdictText.renderTrace(whole[i], style: .plain) + "\n")
    }
    #expect(session.evaluate("notes 3").textOrQuit.contains("no notes") == whole[2].notes.isEmpty)
  }
}
