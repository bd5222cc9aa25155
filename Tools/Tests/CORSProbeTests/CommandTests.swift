import Foundation
import Testing

/// Runs the built `corsim`; returns (status, stdout, stderr). Gives up after 60 s.
func corsim(_ arguments: [String]) throws -> (Int32, String, String) {
  let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("corsim")
  let process = Process()
  process.executableURL = FileManager.default.fileExists(atPath: beside.path) ? beside : URL(fileURLWithPath: packageRoot() + "/.build/debug/corsim")
  process.arguments = arguments
  process.environment = ProcessInfo.processInfo.environment.merging(["NO_COLOR": "1"]) { $1 }
  let out = Pipe(), err = Pipe()
  process.standardOutput = out
  process.standardError = err
  try process.run()
  let killer = DispatchWorkItem { if process.isRunning { process.terminate() } }
  DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: killer)
  let o = out.fileHandleForReading.readDataToEndOfFile()
  let e = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  killer.cancel()
  return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

/// `corsim(_:)` off the cooperative thread pool, for async tests: a pool thread blocked on the child process
/// would slow every other test running meanwhile.
func corsimAsync(_ arguments: [String]) async throws -> (Int32, String, String) {
  try await withCheckedThrowingContinuation { c in
    DispatchQueue.global().async { c.resume(with: Result { try corsim(arguments) }) }
  }
}

@Suite("corsim audit and corsim probe (the built binary)", .timeLimit(.minutes(2)))
struct CommandTests {
  static let examples = repositoryRoot() + "/docs/examples"

  @Test("audit --policy: exit 0 for a correct policy, 1 for findings at --fail-on, 2 for an unreadable policy")
  func offlineExitCodes() throws {
    #expect(try corsim(["audit", "--policy", Self.examples + "/safe.yaml"]).0 == 0)
    let (status, out, _) = try corsim(["audit", "--policy", Self.examples + "/flask-api.yaml"])
    #expect(status == 1)
    #expect(out.contains("#3 Prefix match"))
    #expect(out.contains("fix "))
    #expect(try corsim(["audit", "--policy", Self.examples + "/flask-api.yaml", "--fail-on", "high"]).0 == 1)
    let bad = FileManager.default.temporaryDirectory.appendingPathComponent("corsim-bad-policy.yaml")
    try "preset: django\n".write(to: bad, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: bad) }
    let (badStatus, _, badErr) = try corsim(["audit", "--policy", bad.path])
    #expect(badStatus == 2)
    #expect(badErr.contains("unknown preset 'django'"))
  }

  @Test("a low finding does not fail the default --fail-on medium, and fails --fail-on low")
  func failOn() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("corsim-vary-policy.yaml")
    try "preset: vapor\noptions: {allowedOrigin: {any: [https://app.example.com]}}\n".write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    #expect(try corsim(["audit", "--policy", file.path]).0 == 0)
    #expect(try corsim(["audit", "--policy", file.path, "--fail-on", "low"]).0 == 1)
  }

  @Test("audit --help and probe --help document the exit codes (4: inconclusive) and where --cookie goes")
  func help() throws {
    // The help is wrapped at the terminal's width: compare with the lines joined.
    let (_, out, _) = try corsim(["audit", "--help"])
    let audit = out.split(separator: "\n").joined(separator: " ")
    #expect(audit.contains("Exit status: 0 when no finding reaches --fail-on"))
    #expect(audit.contains("3 when the server cannot be reached; 4 when a live audit is inconclusive: no finding reaches --fail-on, but some requests got no answer"))
    let (_, help, _) = try corsim(["probe", "--help"])
    let probe = help.split(separator: "\n").joined(separator: " ")
    #expect(probe.contains("Exit status: 0 when script can read the response"))
    #expect(probe.contains("4 when a request got no answer"))
    #expect(probe.contains("--cookie is sent only to the probed URL's origin (scheme, host and port)"))
  }

  @Test("live: audit URL --allow finds flask-cors's reflection (JSON), probe prints the verdict and the exchanges",
        .enabled(if: FlaskServer.available, "flask-cors is not installed: run .ci/run"))
  func live() async throws {
    try await withFlask("reflect-credentials") { port in
      let url = "http://127.0.0.1:\(port)/data"
      let (status, out, err) = try corsim(["audit", url, "--allow", "https://app.example.com", "--json"])
      #expect(status == 1, "\(err)")
      #expect(out.contains(#""code": "arbitrary-origin-reflected""#))
      let (probeStatus, probe, _) = try corsim(["probe", url, "--origin", "https://evil.test", "--credentials", "include"])
      #expect(probeStatus == 0)
      #expect(probe.contains("✓ READABLE"))
      #expect(probe.contains("live    GET \(url) → 200; Vary: Origin; Access-Control-Allow-Origin: https://evil.test"))
      let (jsonStatus, json, _) = try corsim(["probe", url, "--origin", "https://app.example.com", "--method", "PUT",
                                              "--header", "Content-Type: application/json", "--json", "--browser", "firefox"])
      #expect(jsonStatus == 0)
      #expect(json.contains(#""browser": "firefox""#) && json.contains(#""exchanges": [{"method": "OPTIONS""#))
    }
    let closed = try await closedPort()
    #expect(try corsim(["audit", "http://127.0.0.1:\(closed)/data", "--allow", "https://app.example.com", "--timeout", "2"]).0 == 3)
  }
}
