import CORSJSON
import CORSOracle
import CORSScenario
import Foundation
import Glibc
import Testing
#if canImport(Glibc)
#endif

/// The built `corsim`.
func corsimBinaryPath() -> String {
  let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("corsim")
  return FileManager.default.fileExists(atPath: binary.path) ? binary.path : packageRootForCLI() + "/.build/debug/corsim"
}

/// Runs the built `corsim` with arguments and standard input; returns (status, stdout, stderr).
func corsim(_ arguments: [String], input: String = "", environment: [String: String] = [:]) throws -> (Int32, String, String) {
  try corsimData(arguments, input: Data(input.utf8), environment: environment)
}

/// Runs the built `corsim` with arguments and standard input as bytes; returns (status, stdout, stderr).
func corsimData(_ arguments: [String], input: Data, environment: [String: String] = [:]) throws -> (Int32, String, String) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: corsimBinaryPath())
  process.arguments = arguments
  var env = ProcessInfo.processInfo.environment
  for (k, v) in environment { env[k] = v }
  process.environment = env
  let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
  process.standardInput = stdin
  process.standardOutput = stdout
  process.standardError = stderr
  try process.run()
  // Feed standard input and drain standard error on their own threads, so that neither a large input nor
  // a chatty child can fill a pipe and stall both processes.
  let writer = Thread {
    stdin.fileHandleForWriting.write(input)
    try? stdin.fileHandleForWriting.close()
  }
  writer.start()
  final class Box: @unchecked Sendable { var data = Data() }
  let errBox = Box()
  let errDone = DispatchSemaphore(value: 0)
  let errReader = Thread {
    errBox.data = stderr.fileHandleForReading.readDataToEndOfFile()
    errDone.signal()
  }
  errReader.start()
  let out = stdout.fileHandleForReading.readDataToEndOfFile()
  errDone.wait()
  let err = errBox.data
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
}

/// The tools package's root (Tools/), found from this file.
func packageRootForCLI(_ file: String = #filePath) -> String {
  var url = URL(fileURLWithPath: file)
  for _ in 0..<3 { url.deleteLastPathComponent() }
  return url.path
}

/// The repository's root (README.md, Spec/, docs/, .ci/), the tools package's parent.
func repositoryRoot(_ file: String = #filePath) -> String {
  URL(fileURLWithPath: packageRootForCLI(file)).deletingLastPathComponent().path
}

@Suite("corsim oracle against what real browsers did (oracle-contract recordings)")
struct OracleContractTests {
  static let fixtures = packageRootForCLI() + "/Tests/Fixtures/oracle-contract"

  /// The fields the recorder's comparer compares: outcome, responseType, status, exposedHeaders, and for each
  /// request on the wire its method, URL, Origin, ACRM and ACRH (the last as a sorted token list).
  static func normalized(_ step: JSONValue) -> String {
    func s(_ v: JSONValue?) -> String { v.map { JSONWriter.serialize($0) } ?? "null" }
    var parts = [s(step["outcome"]), s(step["responseType"]), s(step["status"])]
    if case .array(let names)? = step["exposedHeaders"] {
      parts.append(names.compactMap { if case .string(let n) = $0 { return n.lowercased() } else { return nil } }.sorted().joined(separator: ","))
    } else {
      parts.append("null")
    }
    if case .array(let requests)? = step["requests"] {
      for r in requests {
        var h: [String: [String]] = [:]
        if case .array(let pairs)? = r["headers"] {
          for p in pairs { if case .array(let kv) = p, kv.count == 2, case .string(let k) = kv[0], case .string(let v) = kv[1] { h[k.lowercased(), default: []].append(v) } }
        }
        let acrh = h["access-control-request-headers"].map { $0.joined(separator: ", ").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.sorted().joined(separator: ",") }
        parts.append("\(s(r["method"])) \(s(r["url"])) o=\(h["origin"]?.joined(separator: ", ") ?? "-") m=\(h["access-control-request-method"]?.joined(separator: ", ") ?? "-") h=\(acrh ?? "-")")
      }
    }
    return parts.joined(separator: " | ")
  }

  @Test("47 scenarios × 3 engines agree with the recordings")
  func agree() throws {
    let scenarios = try String(contentsOfFile: Self.fixtures + "/smoke.jsonl", encoding: .utf8).split(separator: "\n")
    var input = ""
    for engine in ["chromium", "firefox", "webkit"] {
      for line in scenarios {
        guard case .object(var members) = try JSONParser.parse(line) else { continue }
        members.removeAll { $0.0 == "browser" }
        members.append(("browser", .string(engine)))
        input += JSONWriter.serialize(.object(members)) + "\n"
      }
    }
    let (status, out, err) = try corsim(["oracle"], input: input)
    #expect(status == 0, "\(err)")
    var simulated: [String: JSONValue] = [:]
    for line in out.split(separator: "\n") {
      let v = try JSONParser.parse(line)
      if case .string(let id)? = v["id"], case .string(let b)? = v["browser"] { simulated[id + "/" + b] = v }
    }
    var compared = 0
    for line in try String(contentsOfFile: Self.fixtures + "/smoke-results.jsonl", encoding: .utf8).split(separator: "\n") {
      let real = try JSONParser.parse(line)
      guard case .string(let id)? = real["id"], case .string(let b)? = real["browser"],
            case .array(let realSteps)? = real["steps"] else { continue }
      guard case .array(let simSteps)? = simulated[id + "/" + b]?["steps"] else {
        Issue.record("no simulator result for \(id) in \(b)"); continue
      }
      #expect(realSteps.count == simSteps.count, "\(id) \(b)")
      for (r, s) in zip(realSteps, simSteps) {
        #expect(Self.normalized(r) == Self.normalized(s), "\(id) [\(b)]")
      }
      compared += 1
    }
    #expect(compared == 141)
  }
}

@Suite("corsim oracle on hostile input: an error line per bad line, never a crash, the stream goes on")
struct OracleHostileInputTests {
  static let good = #"{"id":"ok","browser":"chromium","page":"https://app.example/","steps":[{"url":"https://api.example/d"}],"server":[{"url":"https://api.example/d","headers":[["Access-Control-Allow-Origin","*"]]}]}"#

  func outcome(_ answer: JSONValue) -> JSONValue? {
    guard case .array(let steps)? = answer["steps"], let first = steps.first else { return nil }
    return first["outcome"]
  }

  func error(_ answer: JSONValue) -> String? {
    guard case .string(let message)? = answer["error"] else { return nil }
    return message
  }

  func answers(_ input: String) throws -> [JSONValue] {
    let (status, out, err) = try corsim(["oracle"], input: input)
    #expect(status == 0, "stderr: \(err)")
    return try out.split(separator: "\n").map { try JSONParser.parse($0) }
  }

  @Test("deep nesting is refused with a message, and the next line is answered")
  func deepNesting() throws {
    let deep = String(repeating: "[", count: 100_000)
    let result = try answers(deep + "\n" + Self.good + "\n")
    #expect(result.count == 2)
    #expect(error(result[0])?.contains("nest") == true)
    #expect(result[1]["id"] == .string("ok"))
    #expect(outcome(result[1]) == .string("readable"))
  }

  @Test("a line longer than the limit is skipped without being held, and the next line is answered")
  func overlongLine() throws {
    let long = "{\"id\":\"" + String(repeating: "a", count: Oracle.maximumLineLength + 10) + "\"}"
    let result = try answers(long + "\n" + Self.good + "\n")
    #expect(result.count == 2)
    #expect(error(result[0])?.contains("at most \(Oracle.maximumLineLength) bytes") == true)
    #expect(result[1]["id"] == .string("ok"))
  }

  @Test("binary garbage, invalid UTF-8, an empty object and a blank line each get a precise error")
  func garbage() throws {
    let lines = ["\u{0}\u{1}\u{FFFD}garbage", "{}", "[1,2", #"{"id":"x","page":"https://a.example/","steps":"nope"}"#]
    let result = try answers(lines.joined(separator: "\n") + "\n\r\n" + Self.good + "\n")
    #expect(result.count == 6, "every line is answered, the blank one too")
    for line in result.prefix(5) { #expect(error(line)?.isEmpty == false) }
    #expect(result[3]["id"] == .string("x"), "the id is echoed when it could be read")
    #expect(error(result[3])?.contains("steps") == true)
    #expect(error(result[4]) == "input line 5: a blank line, not a scenario")
    #expect(outcome(result[5]) == .string("readable"))
  }

  @Test("a line that is not UTF-8 is answered with the offset of the bad byte, not read with replacements")
  func invalidUTF8() throws {
    var input = Data(#"{"id":"x","page":"https://a.example/","request":{"url":"https://b.example/\#u{FF}"}}"#.utf8)
    input.append(contentsOf: [0x0A])
    input.append(contentsOf: Array(#"{"id":"y","page":"https://a.example/","request":{"url":"https://b.example/"#.utf8) + [0xC3, 0x28] + Array("\"}}\n".utf8))
    input.append(contentsOf: Array((Self.good + "\n").utf8))
    let (status, out, _) = try corsimData(["oracle"], input: input)
    #expect(status == 0)
    let result = try out.split(separator: "\n").map { try JSONParser.parse($0) }
    #expect(result.count == 3)
    #expect(result[0]["id"] == .string("x"), "U+00FF written as UTF-8 is fine")
    #expect(result[1]["id"] == .null)
    #expect(error(result[1]) == "input line 2 is not UTF-8: byte offset 74 (0xC3) does not start or continue a UTF-8 sequence")
    #expect(outcome(result[2]) == .string("readable"))
  }

  @Test("a line ending in CRLF, ASCII or not, UTF-8 or not, last without a newline, is answered as the line itself")
  func crlfLines() throws {
    let ascii = Array(Self.good.utf8)
    let accented = Array(#"{"id":"é","page":"https://a.example/","request":{"url":"https://b.example/ü"}}"#.utf8)
    let invalid = Array(#"{"id":"z","page":"https://a.example/","request":{"url":"https://b.example/"#.utf8) + [0xC3, 0x28]
      + Array("\"}}".utf8)
    for jobs in ["1", "2"] {
      var plain: [UInt8] = [], crlf: [UInt8] = []
      for line in [ascii, accented, invalid, accented + [0xE9], ascii] {
        plain += line + [0x0A]
        crlf += line + [0x0D, 0x0A]
      }
      // The last line without its line break, with a CR and without.
      plain += accented
      crlf += accented + [0x0D]
      let (status1, expected, _) = try corsimData(["oracle", "--jobs", jobs], input: Data(plain))
      let (status2, got, _) = try corsimData(["oracle", "--jobs", jobs], input: Data(crlf))
      #expect(status1 == 0 && status2 == 0)
      #expect(got == expected, "--jobs \(jobs)")
      let result = try got.split(separator: "\n").map { try JSONParser.parse($0) }
      #expect(result.count == 6)
      #expect(result[1]["id"] == .string("é"))
      #expect(error(result[2]) == "input line 3 is not UTF-8: byte offset 74 (0xC3) does not start or continue a UTF-8 sequence")
      #expect(error(result[3])?.contains("is not UTF-8") == true, "a lone 0xE9 at the end, before the CR")
    }
  }

  @Test("a closed standard output ends corsim with status 1 (an I/O failure), not with SIGPIPE")
  func closedOutput() throws {
    for arguments in [["oracle"], ["oracle", "--jobs", "1"], ["export", repositoryRoot() + "/Spec"]] {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: corsimBinaryPath())
      process.arguments = arguments
      let stdin = Pipe(), stdout = Pipe()
      process.standardInput = stdin
      process.standardOutput = stdout
      process.standardError = FileHandle.nullDevice
      // The reader goes away before corsim writes.
      try stdout.fileHandleForReading.close()
      try process.run()
      let line = Data((Self.good + "\n").utf8)
      for _ in 0..<64 { try? stdin.fileHandleForWriting.write(contentsOf: line) }
      try? stdin.fileHandleForWriting.close()
      process.waitUntilExit()
      #expect(process.terminationReason == .exit, "\(arguments): killed by signal \(process.terminationStatus)")
      #expect(process.terminationStatus == 1, "\(arguments)")
    }
  }

  @Test("thousands of routes and header lines are answered in bounded time; more than the limit is refused")
  func manyRoutes() throws {
    let route = #"{"url":"https://api.example/r%d","headers":[["X-A","1"],["Access-Control-Allow-Origin","*"]]}"#
    func scenario(_ count: Int) -> String {
      let routes = (0..<count).map { route.replacingOccurrences(of: "%d", with: String($0)) }.joined(separator: ",")
      return #"{"id":"many","page":"https://app.example/","steps":[{"url":"https://api.example/r7"}],"server":["# + routes + "]}"
    }
    let started = Date()
    let result = try answers(scenario(OracleInput.maximumRoutes) + "\n" + scenario(OracleInput.maximumRoutes + 1) + "\n")
    #expect(Date().timeIntervalSince(started) < 20)
    #expect(outcome(result[0]) == .string("readable"))
    #expect(error(result[1])?.contains("at most \(OracleInput.maximumRoutes)") == true)
  }
}

@Suite("corsim oracle as a coprocess: each line is answered as soon as it arrives")
struct OracleStreamingTests {
  /// Reads one line from a pipe within `seconds`, or nil.
  func readLine(_ handle: FileHandle, within seconds: Double) -> String? {
    var data = Data()
    let fd = handle.fileDescriptor
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
      var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      if poll(&p, 1, 50) > 0 {
        var byte: UInt8 = 0
        if read(fd, &byte, 1) != 1 { return nil }
        if byte == 0x0A { return String(decoding: data, as: UTF8.self) }
        data.append(byte)
      }
    }
    return nil
  }

  @Test("one line in, its answer out, while the input stays open; then the next (one thread or several)",
        arguments: [[], ["--jobs", "1"], ["--jobs", "3"]])
  func coprocess(jobs: [String]) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: REPLTerminalTests.binary)
    process.arguments = ["oracle"] + jobs
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    defer { if process.isRunning { process.terminate() } }
    for k in 1...3 {
      let line = OracleHostileInputTests.good.replacingOccurrences(of: #""id":"ok""#, with: #""id":"n\#(k)""#)
      input.fileHandleForWriting.write(Data((line + "\n").utf8))
      let answer = readLine(output.fileHandleForReading, within: 10)
      #expect(answer?.contains(#""id": "n\#(k)""#) == true, "answer \(k): \(answer ?? "none")")
    }
    // Several lines in one write, the last one waited for: every answer comes, in order, before the input ends.
    let burst = (4...9).map { k in
      OracleHostileInputTests.good.replacingOccurrences(of: #""id":"ok""#, with: #""id":"n\#(k)""#)
    }
    input.fileHandleForWriting.write(Data((burst.joined(separator: "\n") + "\n").utf8))
    for k in 4...9 {
      let answer = readLine(output.fileHandleForReading, within: 10)
      #expect(answer?.contains(#""id": "n\#(k)""#) == true, "answer \(k): \(answer ?? "none")")
    }
    try input.fileHandleForWriting.close()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
  }

  @Test("many lines at once come back complete and in order, with one thread or several")
  func ordered() throws {
    // Several batches (of at most 1,024 lines each), read ahead while the one before is answered.
    let lines = (0..<3_000).map { k in
      OracleHostileInputTests.good.replacingOccurrences(of: #""id":"ok""#, with: #""id":\#(k)"#)
    }
    let input = lines.joined(separator: "\n") + "\n"
    for jobs in ["1", "2", "4"] {
      let (status, out, _) = try corsim(["oracle", "--jobs", jobs], input: input)
      #expect(status == 0)
      let ids = try out.split(separator: "\n").map { line -> JSONValue? in try JSONParser.parse(line)["id"] }
      #expect(ids == (0..<3_000).map { JSONValue.number(Double($0)) }, "--jobs \(jobs)")
    }
  }
}

@Suite("corsim run: verdicts, expectations and exit codes")
final class RunCommandTests {
  /// The files a test wrote, removed when it ends (each test has its own instance).
  private var written: [String] = []
  deinit { for path in written { try? FileManager.default.removeItem(atPath: path) } }

  func write(_ text: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("corsim-\(UUID().uuidString).cors").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    written.append(path)
    return path
  }

  @Test("a scenario saved by a Windows editor (CRLF, no final newline) runs, exports and loads as with LF")
  func crlf() throws {
    let lines = ["title: crlf", "page https://app.example", "route https://api.example/x", "  Access-Control-Allow-Origin: *", "",
                 "fetch https://api.example/x", "expect readable cors 200"]
    let lf = try write(lines.joined(separator: "\n") + "\n")
    let crlf = try write(lines.joined(separator: "\r\n"))
    let (status, out, err) = try corsim(["run", crlf])
    #expect(status == 0, "\(out)\(err)")
    #expect(out.contains("READABLE") && out.contains("0 with mismatches"))
    let exported = try corsim(["export", crlf]).1, expected = try corsim(["export", lf]).1
    #expect(exported.replacingOccurrences(of: URL(fileURLWithPath: crlf).deletingPathExtension().lastPathComponent, with: "F")
              == expected.replacingOccurrences(of: URL(fileURLWithPath: lf).deletingPathExtension().lastPathComponent, with: "F"))
    let repl = try corsim(["repl"], input: "load \(crlf)\r\n")
    #expect(repl.1.contains("1 route(s), 1 request(s)"), "\(repl.1)\(repl.2)")
  }

  @Test("export refuses a file without a page or without a request (its line would be refused by the oracle)")
  func exportNeedsPageAndRequest() throws {
    let noRequest = try write("page https://app.example\nroute https://api.example/x\n")
    let noPage = try write("route https://api.example/x\n")
    let good = try write("page https://app.example\nfetch https://api.example/x\n")
    let (status, out, err) = try corsim(["export", noRequest, noPage, good])
    #expect(status == 2)
    #expect(err.contains("the file makes no request: it has no oracle line"), "\(err)")
    #expect(err.contains("the file sets no page: it has no oracle line"), "\(err)")
    let lines = out.split(separator: "\n")
    #expect(lines.count == 1)
    let answer = try corsim(["oracle"], input: String(lines[0]) + "\n").1
    #expect(answer.contains("\"steps\""), "\(answer)")
  }

  @Test("a file whose expectations hold exits 0; plain text when piped")
  func pass() throws {
    let path = try write("""
      title: t
      page https://app.example
      route https://api.example/data
        Access-Control-Allow-Origin: *
      fetch https://api.example/data
      expect readable cors 200 exposes nothing
      """)
    let (status, out, _) = try corsim(["run", path])
    #expect(status == 0)
    #expect(out.contains("✓ READABLE"))
    #expect(!out.contains("\u{1B}["), "no colour when piped")
  }

  @Test("a mismatch exits 1 and says where")
  func mismatch() throws {
    let path = try write("""
      page https://app.example
      fetch https://api.example/data
      expect readable cors 200
      """)
    let (status, out, _) = try corsim(["run", path])
    #expect(status == 1)
    #expect(out.contains(":3: chromium, request 1: outcome network-error, expected readable"))
  }

  @Test("an unparsable file exits 2 with line and column")
  func unparsable() throws {
    let path = try write("page https://app.example\nfetch https://x.example/ mode=\"cors")
    let (status, _, err) = try corsim(["run", path])
    #expect(status == 2)
    #expect(err.contains(":2:31: the quote \" opened here is never closed"))
  }

  @Test("--json prints oracle result lines")
  func json() throws {
    let path = try write("page https://app.example\nfetch https://api.example/data\n")
    let (_, out, _) = try corsim(["run", "--json", "--browser", "webkit", path])
    let v = try JSONParser.parse(out.split(separator: "\n")[0])
    #expect(v["browser"] == .string("webkit"))
  }
}
