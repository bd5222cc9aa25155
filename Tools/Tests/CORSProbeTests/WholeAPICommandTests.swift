// `corsim audit --openapi … --base …` and `--har …` against a generated API on loopback
// (Tests/Fixtures/servers/generated_api.py), with the CI formats: the whole-API audit as a team runs it in CI.
import Foundation
import Testing

/// The generated API of `n` endpoints, served on loopback while `body` runs; its OpenAPI document in a file.
func withGeneratedAPI<T>(_ n: Int, _ body: (_ port: Int, _ openapi: String) throws -> T) throws -> T {
  let script = packageRoot() + "/Tests/Fixtures/servers/generated_api.py"
  let python = ProcessInfo.processInfo.environment["CORSIM_PYTHON"] ?? "/usr/bin/env"
  let prefix = python == "/usr/bin/env" ? ["python3"] : []
  func process(_ args: [String]) -> Process {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: python)
    p.arguments = prefix + [script] + args
    return p
  }
  let doc = process(["\(n)", "--openapi"])
  let docOut = Pipe()
  doc.standardOutput = docOut
  try doc.run()
  let text = docOut.fileHandleForReading.readDataToEndOfFile()
  doc.waitUntilExit()
  let file = FileManager.default.temporaryDirectory.appendingPathComponent("corsim-generated-\(n)-\(ProcessInfo.processInfo.processIdentifier).yaml")
  try text.write(to: file)
  defer { try? FileManager.default.removeItem(at: file) }
  let server = process(["\(n)"])
  let lifeline = Pipe(), out = Pipe()
  server.standardInput = lifeline
  server.standardOutput = out
  server.standardError = FileHandle.nullDevice
  try server.run()
  defer {
    try? lifeline.fileHandleForWriting.close()
    if server.isRunning { kill(server.processIdentifier, SIGKILL) }
    server.waitUntilExit()
  }
  var line = Data()
  while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line.append(byte) }
  guard let port = Int(String(decoding: line, as: UTF8.self).dropFirst(5)) else { throw ServerError("the generated API did not start") }
  return try body(port, file.path)
}

@Suite("Whole-API audits on the command line: --openapi and --har, grouped by root cause, SARIF and JUnit", .timeLimit(.minutes(4)))
struct WholeAPICommandTests {
  static let allow = ["--allow", "https://app.example.com", "--allow", "https://admin.example.com"]

  @Test("--openapi --base: every endpoint audited live, findings grouped by root cause, requests counted")
  func openapi() throws {
    try withGeneratedAPI(30) { port, doc in
      let (status, out, err) = try corsim(["audit", "--openapi", doc, "--base", "http://127.0.0.1:\(port)", "--deployed-as", "https://api.example.com",
                                           "--request", "GET credentials", "--concurrency", "8", "--format", "json"] + Self.allow)
      #expect(status == 1, "\(err)")
      let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any], "\(out.prefix(300))")
      #expect((json["requestsSent"] as? Int ?? 0) > 30 * 50)
      let groups = json["groups"] as? [[String: Any]] ?? []
      // Each endpoint is named `METHOD path`.
      func endpoints(_ c: Int) -> [String] {
        groups.filter { $0["class"] as? Int == c && $0["severity"] as? String == "high" }.flatMap { $0["endpoints"] as? [String] ?? [] }
          .map { String($0.split(separator: " ").last ?? "") }
      }
      // i % 10 == 7 reflects any origin; i % 25 == 11 is a prefix test.
      #expect(endpoints(1).sorted() == ["/v1/r17/{id}", "/v1/r27/{id}", "/v1/r7/{id}"], "\(groups)")
      #expect(endpoints(3) == ["/v1/r11/{id}"], "\(groups)")
      // No other endpoint has a finding of medium or worse.
      let serious = Set(groups.filter { ["high", "medium"].contains($0["severity"] as? String) }.flatMap { $0["endpoints"] as? [String] ?? [] }
                          .map { String($0.split(separator: " ").last ?? "") })
      #expect(serious == ["/v1/r7/{id}", "/v1/r17/{id}", "/v1/r27/{id}", "/v1/r11/{id}"], "\(groups)")
    }
  }

  @Test("--format sarif and junit for the same API; the text report says how many endpoints share a cause")
  func formats() throws {
    try withGeneratedAPI(12) { port, doc in
      let base = ["audit", "--openapi", doc, "--base", "http://127.0.0.1:\(port)", "--request", "GET credentials",
                  "--deployed-as", "https://api.example.com"] + Self.allow
      let (s1, sarif, _) = try corsim(base + ["--format", "sarif"])
      #expect(s1 == 1)
      let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
      #expect(log["version"] as? String == "2.1.0")
      let run = try #require((log["runs"] as? [[String: Any]])?.first)
      let results = run["results"] as? [[String: Any]] ?? []
      #expect(results.contains { $0["ruleId"] as? String == "arbitrary-origin-reflected" }, "\(results.prefix(2))")
      #expect(results.contains { $0["ruleId"] as? String == "prefix-match" }, "\(results.prefix(2))")
      let (s2, junit, _) = try corsim(base + ["--format", "junit"])
      #expect(s2 == 1)
      #expect(junit.hasPrefix("<?xml"))
      #expect(junit.contains("<testsuite") && junit.contains("<failure"))
      let (s3, text, _) = try corsim(base)
      #expect(s3 == 1)
      #expect(text.contains("Arbitrary origin reflected") && text.contains("arbitrary-origin-reflected  1 endpoint"), "\(text.prefix(600))")
      #expect(text.contains("over 12 endpoints"), "\(text.suffix(300))")
    }
  }

  @Test("--har: the endpoints the frontend called, with its methods, headers and credentials; the page is the allowlist")
  func har() throws {
    try withGeneratedAPI(20) { port, _ in
      func entry(_ method: String, _ path: String, _ headers: [(String, String)]) -> String {
        let h = ([("Origin", "https://app.example.com")] + headers).map { #"{"name": "\#($0.0)", "value": "\#($0.1)"}"# }.joined(separator: ", ")
        return #"{"request": {"method": "\#(method)", "url": "http://127.0.0.1:\#(port)\#(path)", "headers": [\#(h)]}, "response": {"status": 200, "headers": []}, "_initiator": {"url": "https://app.example.com/"}}"#
      }
      let har = #"{"log": {"version": "1.2", "pages": [{"title": "https://app.example.com/"}], "entries": ["#
        + [entry("GET", "/v1/r7/42", [("Cookie", "sid=1")]), entry("PUT", "/v1/r3/42", [("Content-Type", "application/json"), ("Cookie", "sid=1")]),
           entry("GET", "/v1/r5/42", [])].joined(separator: ", ") + "]}}"
      let file = FileManager.default.temporaryDirectory.appendingPathComponent("corsim-frontend-\(ProcessInfo.processInfo.processIdentifier).har")
      try har.write(to: file, atomically: true, encoding: .utf8)
      defer { try? FileManager.default.removeItem(at: file) }
      let (status, out, err) = try corsim(["audit", "--har", file.path, "--deployed-as", "https://api.example.com", "--format", "json"])
      #expect(status == 1, "\(err)")
      let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any], "\(out.prefix(300)) \(err)")
      let results = json["endpoints"] as? [[String: Any]] ?? []
      #expect(results.count == 3, "\(json.keys)")
      let groups = json["groups"] as? [[String: Any]] ?? []
      let reflecting = groups.filter { $0["class"] as? Int == 1 }.flatMap { $0["endpoints"] as? [String] ?? [] }
      #expect(reflecting == ["GET /v1/r7/42"], "\(groups)")
    }
  }
}

@Suite("The README's audit section keeps its promises")
struct ReadmeAuditTests {
  @Test("`corsim policy answer` prints the lines the README shows for its Starlette configuration")
  func policyAnswer() throws {
    let readme = try String(contentsOfFile: repositoryRoot() + "/README.md", encoding: .utf8)
    let block = try #require(readme.components(separatedBy: "$ corsim policy answer api.yaml ").dropFirst().first?
      .components(separatedBy: "\n```").first)
    let request = try #require(block.split(separator: "\n").first).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
    let shown = block.split(separator: "\n").dropFirst().map(String.init).filter { $0 != "…" }
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("corsim-readme-\(ProcessInfo.processInfo.processIdentifier).yaml")
    try """
      preset: starlette
      resource: https://api.example.com/v1/me
      config: |
        app.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"], allow_credentials=True, allow_methods=["GET", "PUT"], allow_headers=["Content-Type"])
      """.write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    #expect(readme.contains(#"`app.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"], allow_credentials=True, allow_methods=["GET", "PUT"], allow_headers=["Content-Type"])`"#))
    let (status, out, err) = try corsim(["policy", "answer", file.path, request])
    #expect(status == 0, "\(err)")
    let printed = out.split(separator: "\n").map(String.init)
    #expect(shown.count >= 7)
    #expect(Array(printed.prefix(shown.count)) == shown, "\(out)")
  }

  @Test("the README documents the intents, --deployed-as, --openapi, --har, SARIF, JUnit and both CI snippets")
  func sections() throws {
    let readme = try String(contentsOfFile: repositoryRoot() + "/README.md", encoding: .utf8)
    for promise in ["`--public`", "--deployed-as https://api.example.com", "--openapi openapi.yaml", "--har frontend.har", "--format sarif",
                    "--format junit", "corsim run --format junit", "upload-sarif", "reports:\n      junit:"] {
      #expect(readme.contains(promise), "README: \(promise)")
    }
    // Every flag the README names is one `corsim audit --help` knows.
    let (_, help, _) = try corsim(["audit", "--help"])
    for flag in ["--public", "--deployed-as", "--openapi", "--har", "--base", "--concurrency", "--rate", "--format"] {
      #expect(help.contains(flag), "audit --help: \(flag)")
    }
  }
}

@Suite("corsim run --format junit: a test case per scenario file")
struct RunJUnitTests {
  @Test("passing files pass, a file whose expectation fails is a failure with the mismatch, an unreadable one an error; exit codes unchanged")
  func junit() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("corsim-junit-\(ProcessInfo.processInfo.processIdentifier)")
    try? FileManager.default.removeItem(at: folder)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let passing = repositoryRoot() + "/Spec/cors-check/allow-credentials-missing-refused.cors"
    let text = try String(contentsOfFile: passing, encoding: .utf8)
    #expect(try corsim(["run", "--format", "junit", passing]).0 == 0)
    // The same file expecting the opposite: the browser refuses this response, the copy says it is read.
    let flipped = text.replacingOccurrences(of: "expect network-error at response: missing-allow-credentials", with: "expect readable cors 200")
    #expect(flipped != text, "the sample has no `expect` line to turn round")
    try flipped.write(to: folder.appendingPathComponent("flipped.cors"), atomically: true, encoding: .utf8)
    let (status, xml, _) = try corsim(["run", "--format", "junit", passing, folder.path, folder.path + "/missing.cors"])
    #expect(status == 2)  // an unreadable path: as without --format
    #expect(xml.hasPrefix("<?xml"))
    #expect(xml.components(separatedBy: "<testcase").count - 1 == 3, "\(xml)")
    #expect(xml.components(separatedBy: "<failure").count - 1 == 1, "\(xml)")
    #expect(xml.components(separatedBy: "<error").count - 1 == 1, "\(xml)")
    #expect(xml.contains("flipped.cors"))
    let (onlyFailing, _, _) = try corsim(["run", "--format", "junit", folder.path])
    #expect(onlyFailing == 1)
  }
}

@Suite("corsim probe --deployed-as: a loopback server judged as the API it will be")
struct ProbeDeployedAsTests {
  @Test("WebKit treats http://127.0.0.1 from an https page as mixed content; deployed as https://api.example.com the read succeeds")
  func webkit() throws {
    try withGeneratedAPI(1) { port, _ in
      let probe = ["probe", "http://127.0.0.1:\(port)/v1/r0/42", "--origin", "https://app.example.com", "--browser", "webkit", "--credentials", "include"]
      let (local, localOut, _) = try corsim(probe)
      #expect(local == 1, "\(localOut)")
      let (deployed, out, err) = try corsim(probe + ["--deployed-as", "https://api.example.com"])
      #expect(deployed == 0, "\(out)\(err)")
      #expect(out.contains("READABLE"), "\(out)")
    }
  }
}
