import Foundation
import Testing

@Suite("corsim's exit statuses and files, as its help says")
struct CLIStatusTests {
  @Test("a wrong argument exits 2 in every command, as each help says")
  func usageStatus() throws {
    let cases: [[String]] = [["run"], ["run", "--browser", "netscape", "x.cors"], ["run", "--format", "pdf", "x.cors"],
                             ["oracle", "--jobs", "many"], ["export"], ["probe", "--nope"], ["audit", "--nope"],
                             ["repl", "--browser", "netscape"], ["--definitely-not-an-option"]]
    for arguments in cases {
      let (status, _, err) = try corsim(arguments)
      #expect(status == 2, "\(arguments): \(status) \(err)")
      #expect(err.contains("Error") || err.contains("Usage") || err.contains("error"), "\(arguments): \(err)")
    }
    for help in ["run", "export", "oracle", "probe", "audit", "repl"] {
      let (status, out, _) = try corsim([help, "--help"])
      #expect(status == 0)
      #expect(out.contains("the arguments are wrong"), "\(help) --help does not say 2")
    }
  }

  @Test("--version prints the version and the releases modelled, and exits 0, from the top and from a command")
  func version() throws {
    for arguments in [["--version"], ["oracle", "--version"]] {
      let (status, out, err) = try corsim(arguments)
      #expect(status == 0, "\(arguments): \(status) \(err)")
      let lines = out.split(separator: "\n")
      #expect(lines.first?.starts(with: "corsim ") == true, "\(arguments): \(out)")
      #expect(lines.count == 2 && lines[1].hasPrefix("models: Chromium ") && lines[1].contains(", fetch.bs "),
              "\(arguments): \(out)")
    }
  }

  @Test("a piped session with a rejected line exits 2 and names the line; a broken expectation exits 1")
  func pipedStatus() throws {
    let (bad, out, _) = try corsim([], input: "page https://app.example\nfecth https://api.example/x\n")
    #expect(bad == 2)
    #expect(out.contains("error line 2:"), "\(out)")
    let (mismatch, _, _) = try corsim([], input: "page https://app.example\nfetch https://api.example/x\n\nexpect readable\n")
    #expect(mismatch == 1)
    let (good, _, _) = try corsim([], input: "page https://app.example\nfetch https://api.example/x\n\nexpect network-error at response: missing-allow-origin\n")
    #expect(good == 0)
  }

  @Test("a 10 MB line from a pipe is refused with a message, quickly, and the next line runs")
  func longLine() throws {
    let started = Date()
    let (status, out, _) = try corsim([], input: "page https://a.example/" + String(repeating: "x", count: 10 << 20) + "\nhelp json\n")
    #expect(status == 2)
    #expect(out.contains("error line 1: the line is longer than the limit of 65536 bytes; nothing was run"), "\(out.prefix(300))")
    #expect(out.contains("json on|off"), "the next line ran")
    #expect(Date().timeIntervalSince(started) < 10)
  }

  func tempDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corsim-save-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  @Test("save over a file: refused in a pipe, save! replaces it keeping its mode and its symbolic link")
  func saveSafely() throws {
    let dir = try tempDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let target = dir.appendingPathComponent("real.cors").path
    try "page https://old.example\n".write(toFile: target, atomically: true, encoding: .utf8)
    chmod(target, 0o640)
    let link = dir.appendingPathComponent("link.cors").path
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
    let (refused, out, _) = try corsim([], input: "page https://new.example\nsave \(link)\n")
    #expect(refused == 2)
    #expect(out.contains("exists; `save! \(link)` replaces it"), "\(out)")
    #expect(try String(contentsOfFile: target, encoding: .utf8) == "page https://old.example\n")
    let (forced, out2, _) = try corsim([], input: "page https://new.example\nsave! \(link)\n")
    #expect(forced == 0, "\(out2)")
    #expect(try String(contentsOfFile: target, encoding: .utf8).contains("page https://new.example"))
    #expect((try FileManager.default.destinationOfSymbolicLink(atPath: link)) == target, "the link is still a link")
    let mode = (try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? Int) ?? 0
    #expect(mode == 0o640)
  }

  @Test("save says what is wrong with a directory, a device, a FIFO or a missing folder")
  func saveMessages() throws {
    let dir = try tempDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let fifo = dir.appendingPathComponent("pipe").path
    mkfifo(fifo, 0o644)
    let cases = [(dir.path, "is a directory"), ("/dev/null", "is a device"), (fifo, "is a FIFO"),
                 (dir.path + "/no/such/x.cors", "does not exist")]
    for (path, words) in cases {
      let (status, out, _) = try corsim([], input: "page https://a.example\nsave! \(path)\n")
      #expect(status == 2)
      #expect(out.contains(words) && !out.contains("NSCocoaErrorDomain"), "\(path): \(out)")
    }
  }

  @Test("run --format mermaid writes a sequence diagram per request")
  func mermaid() throws {
    let dir = try tempDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("m.cors").path
    try "page https://app.example\nroute GET https://api.example/x\n  Access-Control-Allow-Origin: *\n\nfetch https://api.example/x credentials=include\n"
      .write(toFile: file, atomically: true, encoding: .utf8)
    let (status, out, _) = try corsim(["run", "--format", "mermaid", file])
    #expect(status == 0)
    #expect(out.contains("sequenceDiagram"))
    #expect(out.contains("participant P as page https://app.example"))
    #expect(out.contains("P->>S1: GET /x Origin: https://app.example"), "\(out)")
    #expect(out.contains("S1-->>P: 200<br/>Access-Control-Allow-Origin: * [app]"), "\(out)")
    #expect(out.contains("Note over P: ✗ BLOCKED at response: wildcard-with-credentials"), "\(out)")
  }
}
