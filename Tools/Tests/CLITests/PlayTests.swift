import CORSScenario
import CORSSession
import CORSSimulator
import Foundation
import Testing

/// Whether a Chromium is installed here (Scripts/install-browsers).
let chromiumInstalled = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].contains { FileManager.default.isExecutableFile(atPath: $0) }

@Suite("play: the session's scenario in real browsers", .serialized)
struct PlayTests {
  @Test("play chromium runs the scenario in headless Chromium and prints what it did beside the prediction",
        .enabled(if: chromiumInstalled, "Chromium is not installed: Scripts/install-browsers installs it"))
  func realChromium() throws {
    let input = """
      page https://app.example
      route GET https://api.example/x
        Access-Control-Allow-Origin: *

      fetch https://api.example/x credentials=include

      fetch https://api.example/x

      play chromium

      """
    let (status, out, err) = try corsim([], input: input)
    #expect(status == 0, "\(err)")
    #expect(out.contains("chromium  Chromium "), "\(out)")
    #expect(out.contains("[1] = real network-error (GET)   corsim network-error (GET)"), "\(out)")
    #expect(out.contains("[2] = real readable cors 200 (GET)   corsim readable cors 200 (GET)"), "\(out)")
    // Chromium's console line, read by the runner, beside corsim's.
    #expect(out.contains("console = real: Access to fetch at 'https://api.example/x' from origin 'https://app.example' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header"), "\(out)")
  }

  /// A machine without browsers, as the player reports it.
  struct NoBrowsers: ScenarioPlayer {
    func availability() -> [(engine: Engine, available: Bool, detail: String)] {
      [(.chromium, false, "not installed (run Scripts/install-browsers)"), (.firefox, false, "not installed (run Scripts/install-browsers)")]
    }
    func play(_ scenario: Scenario, engines: [Engine]) -> [PlayReport] {
      Issue.record("nothing to play in")
      return []
    }
  }

  @Test("without browsers, play says how to install them")
  func noBrowsers() {
    let s = Session()
    s.player = NoBrowsers()
    let out = feed(s, ["page https://app.example", "fetch https://api.example/x", "", "play"])
    #expect(out.contains("skipped chromium: not installed"), "\(out)")
    #expect(out.contains("install them with Scripts/install-browsers"), "\(out)")
    #expect(feed(s, ["play netscape"]).contains("'netscape' is not a browser to play in"))
  }
}

@Suite("diagram: the exchange as a sequence diagram")
struct DiagramTests {
  @Test("the terminal diagram shows the page, the server, the preflight, the request and the failure")
  func terminal() {
    let s = Session()
    let out = feed(s, ["page https://app.example", "route OPTIONS https://api.example/x 204", "  Access-Control-Allow-Origin: https://app.example",
                       "  Access-Control-Allow-Methods: PUT", "", "route PUT https://api.example/x 302", "  Access-Control-Allow-Origin: https://app.example",
                       "  Location: https://cdn.example/y", "", "fetch PUT https://api.example/x", "", "diagram"])
    let lines = out.split(separator: "\n").map(String.init)
    guard let head = lines.firstIndex(where: { $0.hasPrefix("page https://app.example") }) else {
      Issue.record("no diagram: \(out)")
      return
    }
    #expect(lines[head].contains("https://api.example") && lines[head].contains("https://cdn.example"), "\(lines[head])")
    #expect(out.contains("|- OPTIONS /x (preflight) Origin: https://app.example ---"), "\(out)")
    #expect(out.contains("|< 204 ---"), "\(out)")
    #expect(out.contains("|- OPTIONS /y (preflight) Origin: null ---"), "the redirect's hop to the second server: \(out)")
    #expect(out.contains("Location: https://cdn.example/y [app]"), "\(out)")
    #expect(out.contains("✗ BLOCKED at preflight: missing-allow-origin — Access to fetch at 'https://cdn.example/y'"), "\(out)")
    let mermaid = feed(s, ["diagram 1 mermaid"])
    #expect(mermaid.hasPrefix("sequenceDiagram\n  participant P as page https://app.example\n  participant S1 as https://api.example\n  participant S2 as https://cdn.example\n"), "\(mermaid)")
    #expect(mermaid.contains("  P->>S2: OPTIONS /y (preflight) Origin: null\n  S2-->>P: 404\n"), "\(mermaid)")
    #expect(mermaid.contains("  Note over P: ✗ BLOCKED at preflight: missing-allow-origin"), "\(mermaid)")
  }
}
