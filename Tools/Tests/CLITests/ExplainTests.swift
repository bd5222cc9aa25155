import CORSScenario
@testable import CORSSession
import CORSSimulator
import Foundation
import Testing

@Suite("explain: a pasted console message back to its engine, its reason and a scenario that prints it")
struct ExplainTests {
  /// The message a template prints with the given slot values, in its engine.
  func message(_ t: ConsoleCatalogue.Template, _ values: [String: String] = [:]) -> String? {
    var all = ConsoleCatalogue.defaults(t.entry)
    // Real-looking values, for the slots the entry leaves to the usual examples.
    for (slot, value) in values where t.entry.defaults[slot] == nil { all[slot] = value }
    all = ConsoleCatalogue.complete(all, captured: Set(values.keys).subtracting(t.entry.defaults.keys), t.entry)
    guard let d = try? ScenarioBuilder.parse(ConsoleCatalogue.fill(t.entry.scenario, all)) else { return nil }
    return ScenarioRunner.run(d.scenario, profile: .forEngine(t.engine)).last?.consoleMessage
  }

  @Test("every template round-trips in chromium, firefox and webkit: print it, paste it, get its reason back")
  func everyTemplate() throws {
    let templates = ConsoleCatalogue.templates
    for engine in ConsoleCatalogue.engines {
      #expect(templates.filter { $0.engine == engine }.count >= 40, "\(engine): \(templates.filter { $0.engine == engine }.count) templates")
    }
    // With the example values, and with real-looking ones.
    let real = ["url": "https://api.example.com/v1/items?id=7",
                "header": "x-csrf-token", "method": "PROPFIND"]
    var missed: [String] = []
    var count = 0
    for t in templates {
      for values in [[:], real] {
        guard let m = message(t, values) else { continue }
        count += 1
        let found = ConsoleCatalogue.explain(m)
        if found?.reasons.contains(t.entry.reason) != true || found?.engines.contains(t.engine) != true {
          missed.append("\(t.engine) \(t.entry.reason.rawValue): \(m) → \(found.map { "\($0.engines) \($0.reasons)" } ?? "nothing")")
        } else if let found, ScenarioRunner.run(found.document.scenario, profile: .forEngine(found.engines[0])).last?.consoleMessage?.trimmingCharacters(in: .whitespacesAndNewlines) != m.trimmingCharacters(in: .whitespacesAndNewlines) {
          missed.append("\(t.engine) \(t.entry.reason.rawValue): the rebuilt scenario prints another message than \(m)")
        }
      }
    }
    #expect(missed.isEmpty, "\(missed.count) of \(count) not explained:\n\(missed.joined(separator: "\n"))")
  }

  @Test("every console message the Spec corpus makes the three engines print is explained back to its reason")
  func specCorpus() throws {
    let files = SpecCorpus.paths(root: repositoryRoot() + "/Spec").compactMap { try? ScenarioFile.load(path: $0) }
    #expect(files.count > 400)
    var seen = Set<String>(), missed: [String] = []
    var reasons: [Engine: Set<FailureReason>] = [:]
    for file in files {
      guard file.document.scenario.page != nil else { continue }
      for engine in ConsoleCatalogue.engines {
        for v in ScenarioRunner.run(file.document.scenario, profile: .forEngine(engine)) {
          guard let m = v.consoleMessage, let reason = v.reason, seen.insert("\(engine)|\(m)").inserted else { continue }
          reasons[engine, default: []].insert(reason)
          let found = ConsoleCatalogue.explain(m)
          if found?.reasons.contains(reason) != true || found?.engines.contains(engine) != true {
            missed.append("\(engine) \(reason.rawValue) (\(file.relativePath)): \(m)")
          }
        }
      }
    }
    #expect(seen.count > 150)
    #expect(missed.isEmpty, "\(missed.count) of \(seen.count) not explained:\n\(missed.joined(separator: "\n"))")
  }

  @Test("a digest no scenario can be rebuilt from: the engine and reason, a stand-in body, and what it prints instead")
  func integrityDigest() {
    let pasted = "Failed to find a valid digest in the 'integrity' attribute for resource 'https://cdn.example.net/hello.txt' with computed SHA-384 integrity 'Ccp+TqpuiunH0mEWcSkYSINkTQffuny/vEyKLgg2DVs+TqpuiunH0mEWcSkYSINk'. The resource has been blocked."
    let found = ConsoleCatalogue.explain(pasted)
    #expect(found?.engines == [.chromium] && found?.reasons == [.integrityMismatch])
    #expect(found?.otherwise?.hasPrefix("digest ") == true, "\(String(describing: found?.otherwise))")
    #expect(found?.scenario.contains("integrity=sha384-") == true, "\(found?.scenario ?? "")")
    // Any other word changed: no match.
    #expect(ConsoleCatalogue.explain(pasted.replacingOccurrences(of: "has been blocked", with: "was blocked")) == nil)
    // WebKit's line has no digest: its scenario prints it exactly, the body as long as the line says.
    let webkit = "Failed integrity metadata check. https://cdn.example.net/hello.txt. Failed integrity metadata check. Content length: 12, Expected content length: 0, Expected metadata: sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="
    let exact = ConsoleCatalogue.explain(webkit)
    #expect(exact?.engines == [.webkit] && exact?.otherwise == nil)
    #expect(exact?.scenario.contains("body=xxxxxxxxxxxx\n") == true, "\(exact?.scenario ?? "")")
  }

  @Test("explain in the session: names the engine and reason, loads the scenario, shows the fix")
  func command() {
    let s = Session()
    let out = feed(s, ["explain Access to fetch at 'https://api.example/items/7' from origin 'https://app.example' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource."])
    #expect(out.contains("chromium: missing-allow-origin"), "\(out)")
    #expect(out.contains("route OPTIONS https://api.example/items/7"), "\(out)")
    #expect(out.contains("fix "), "\(out)")
    #expect(s.document.scenario.steps.count == 1)
    #expect(feed(s, ["explain something else entirely"]).contains("no console message corsim knows"))
  }
}
