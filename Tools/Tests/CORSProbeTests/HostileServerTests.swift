import CORSPolicy
import CORSProbe
import CORSJSON
import CORSScenario
import CORSText
import CORSSimulator
import Foundation
import Testing

/// A header's value in a raw request head (the first line with that name), or nil.
func header(_ name: String, in head: String) -> String? {
  for line in head.split(separator: "\r\n").dropFirst() {
    let parts = line.split(separator: ":", maxSplits: 1)
    if parts.count == 2, parts[0].lowercased() == name.lowercased() { return parts[1].trimmingCharacters(in: .whitespaces) }
  }
  return nil
}

/// The request line's method and path.
func requestLine(_ head: String) -> (method: String, path: String) {
  let words = head.prefix { $0 != "\r" }.split(separator: " ")
  return (words.first.map(String.init) ?? "", words.dropFirst().first.map(String.init) ?? "")
}

/// A well-behaved answer for the allowlist: the grant only to allowed origins, `Vary: Origin` always.
func allowlistAnswer(_ head: String) -> RawServer.Reply {
  let origin = header("Origin", in: head) ?? ""
  let grant = allowed.contains(origin)
    ? "Access-Control-Allow-Origin: \(origin)\r\nAccess-Control-Allow-Credentials: true\r\nAccess-Control-Allow-Methods: GET, PUT\r\nAccess-Control-Allow-Headers: content-type\r\n"
    : ""
  return .ok(grant + "Vary: Origin\r\n")
}

/// A status line and what it must give: an answer with that status, or no answer for that reason.
struct StatusLineCase: Sendable, CustomTestStringConvertible {
  var name: String
  var reply: RawServer.Reply
  var status: Int?
  var failure: String?
  /// The body's failure when the status and headers arrived.
  var bodyFailure: String? = nil
  var testDescription: String { name }
}

@Suite("Hostile servers: status lines, cookies across redirects, stalls (probe and audit URL)", .timeLimit(.minutes(2)))
struct HostileServerTests {
  static let app = "https://app.example.com"

  static func limits(_ seconds: Double, verifyTLS: Bool = true) -> ProbeLimits {
    ProbeLimits(connectTimeout: seconds, requestTimeout: seconds, verifyTLS: verifyTLS)
  }

  static let statusLines: [StatusLineCase] = [
    StatusLineCase(name: "000 then close", reply: .init("HTTP/1.1 000 Zero\r\n\r\n"), failure: "invalid status line: status 000"),
    StatusLineCase(name: "099 with a body", reply: .init("HTTP/1.1 099 X\r\nContent-Length: 5\r\n\r\nhello"), failure: "invalid status line: status 099"),
    StatusLineCase(name: "600", reply: .init("HTTP/1.1 600 X\r\nContent-Length: 0\r\n\r\n"), failure: "invalid status line: status 600"),
    StatusLineCase(name: "abc", reply: .init("abc\r\n\r\n"), failure: "invalid status line"),
    StatusLineCase(name: "99999", reply: .init("HTTP/1.1 99999 X\r\n\r\n"), failure: "invalid status line"),
    StatusLineCase(name: "1000", reply: .init("HTTP/1.1 1000 X\r\n\r\n"), failure: "invalid status line"),
    StatusLineCase(name: "100 Continue then close", reply: .init("HTTP/1.1 100 Continue\r\n\r\n"), failure: "the connection closed before an answer"),
    StatusLineCase(name: "100 Continue then nothing", reply: .init("HTTP/1.1 100 Continue\r\n\r\n", then: .stall), failure: "timed out after 3.0 s"),
    StatusLineCase(name: "200 then a body that stops", reply: .init(
      "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nAccess-Control-Allow-Origin: *\r\n\r\nabc", then: .stall), status: 200,
      bodyFailure: "timed out after 3.0 s"),
    StatusLineCase(name: "101 Switching then close", reply: .init("HTTP/1.1 101 Switching\r\n\r\n"), status: 101),
    StatusLineCase(name: "100 Continue then 200", reply: .init(
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\nAccess-Control-Allow-Origin: *\r\nConnection: close\r\n\r\nok"), status: 200),
  ]

  @Test("a status line gives an answer with its status, or no answer and a failed connection; never a crash",
        arguments: statusLines)
  func statusLine(_ c: StatusLineCase) async throws {
    let result = try await withRawServer({ _, _ in c.reply }) { server in
      await Probe(url: try URLRecord("http://127.0.0.1:\(server.port)/data"), origin: Self.app, limits: Self.limits(3)).run()
    }
    let e = try #require(result.exchanges.first)
    #expect(result.exchanges.count == 1)
    #expect(e.status == c.status)
    // A hang detector, not a stopwatch: alone each case takes 3 s at most, but with the whole tools suite running
    // beside it (browsers started by PlayTests, servers, subprocesses) one case took 23 s twice in a row.
    #expect(result.seconds < 60, "bounded by the 3 s time-outs, with room for a loaded machine")
    if let failure = c.failure {
      #expect(e.failure?.hasPrefix(failure) == true, "\(e.failure ?? "no failure")")
      #expect(result.verdict.reason == .requestFailed)
      #expect(result.unanswered == 1 && result.isInconclusive)
    } else {
      #expect(e.failure == nil)
      #expect(e.bodyFailure == c.bodyFailure, "\(e.bodyFailure ?? "the body was read")")
      #expect(!result.isInconclusive)
      #expect(result.verdict.outcome == (c.status == 200 ? .readable : .networkError))
    }
  }

  @Test("000 on a kept-alive connection after a valid preflight: the guard holds for every response")
  func keptAlive() async throws {
    let (result, connections) = try await withRawServer({ head, _ in
      requestLine(head).method == "OPTIONS"
        ? .init("HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: \(Self.app)\r\nAccess-Control-Allow-Methods: PUT\r\nAccess-Control-Allow-Headers: content-type\r\n\r\n", then: .next)
        : .init("HTTP/1.1 000 Zero\r\n\r\n")
    }) { server in
      let r = await Probe(url: try URLRecord("http://127.0.0.1:\(server.port)/data"), origin: Self.app,
                          request: AuditRequest(method: .put, headers: ["Content-Type": "application/json"]),
                          limits: Self.limits(5)).run()
      return (r, server.log.state.withLock { $0.connections.count })
    }
    try #require(result.exchanges.map(\.request.method) == ["OPTIONS", "PUT"])
    #expect(result.exchanges[0].status == 204)
    #expect(result.exchanges[1].failure == "invalid status line: status 000")
    #expect(connections == 1)
  }

  @Test("HTTP/2: :status 000 is no answer, :status 200 an answer (the guard is on every stream)")
  func http2() async throws {
    for (status, expected) in [("000", nil), ("200", 200)] as [(String, Int?)] {
      let server = try await RawH2Server(status: status, headers: [("access-control-allow-origin", "*")])
      let result = await Probe(url: try URLRecord("https://127.0.0.1:\(server.port)/data"), origin: Self.app,
                               limits: Self.limits(5, verifyTLS: false)).run()
      await server.stop()
      let e = try #require(result.exchanges.first)
      #expect(e.status == expected, "\(e.failure ?? "")")
      if expected == nil {
        #expect(e.failure == "invalid status line: status 000")
      } else {
        #expect(result.verdict.outcome == .readable)
      }
    }
  }

  @Test("--cookie goes to the probed origin only: not to another origin a 307 names, still to the same origin")
  func cookieStaysHome() async throws {
    try await withRawServer({ _, _ in allowlistAnswer("Origin: \(Self.app)") }) { other in
      let grant = "Access-Control-Allow-Origin: \(Self.app)\r\nAccess-Control-Allow-Credentials: true\r\n"
      try await withRawServer({ head, _ in
        switch requestLine(head).path {
        case "/away": return .init("HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:\(other.port)/data\r\n\(grant)Content-Length: 0\r\nConnection: close\r\n\r\n")
        case "/home": return .init("HTTP/1.1 307 Temporary Redirect\r\nLocation: /data\r\n\(grant)Content-Length: 0\r\nConnection: close\r\n\r\n")
        default: return .ok(grant)
        }
      }) { home in
        for path in ["/away", "/home"] {
          let result = await Probe(url: try URLRecord("http://127.0.0.1:\(home.port)\(path)"), origin: Self.app,
                                   request: .credentialedGet, limits: Self.limits(5), cookie: "session=secret").run()
          try #require(result.exchanges.map(\.status) == [307, 200])
          #expect(result.exchanges.allSatisfy { $0.request.includesCredentials })
          let cookies = result.exchanges.map { $0.sentHeaders.first { $0.name == "Cookie" }?.value }
          #expect(cookies == ["session=secret", path == "/home" ? "session=secret" : nil])
        }
        #expect(home.heads.allSatisfy { header("Cookie", in: $0) == "session=secret" })
        #expect(home.heads.count == 3)
        try #require(other.heads.count == 1)
        #expect(header("Cookie", in: other.heads[0]) == nil)
        #expect(header("Origin", in: other.heads[0]) == "null")
      }
    }
  }

  @Test("a server that answers 3 requests then stalls: the audit is inconclusive, never 'no findings'")
  func stallingAudit() async throws {
    let report = try await withRawServer({ head, index in index < 3 ? allowlistAnswer(head) : .silence }) { server in
      let auditor = Auditor(resource: try URLRecord("http://127.0.0.1:\(server.port)/data"), allowlist: Allowlist(entries: allowed),
                            frontend: [.credentialedGet])
      // 32 in flight on 32 connections: each pass costs one time-out.
      var limits = Self.limits(2)
      limits.concurrency = 32
      return try await LiveAudit(auditor: auditor, limits: limits).run()
    }
    let sent = try #require(report.requestsSent)
    #expect(sent > 20)
    #expect(report.unanswered.count == sent - 3)
    #expect(report.unanswered.allSatisfy { $0.reason == "timed out after 2.0 s" })
    #expect(report.isInconclusive)
    #expect(report.findings.isEmpty, "\(describe(report))")
    let text = report.text(style: TextStyle(color: false))
    #expect(!text.contains("no findings"))
    #expect(text.contains("? inconclusive: \(sent - 3) of \(sent) live requests got no answer"))
    #expect(text.contains("no answer \(sent - 3) × timed out after 2.0 s, e.g. GET http://127.0.0.1:"))
    let json = JSONWriter.serialize(report.json)
    #expect(json.contains(#""requestsUnanswered": \#(sent - 3)"#) && json.contains(#""inconclusive": true"#))
  }

  @Test("findings from the answers stand when others are missing; the report says answers are missing")
  func findingsAndMissingAnswers() async throws {
    // Reflects any origin with credentials on GET; closes the connection on a preflight without a word.
    let report = try await withRawServer({ head, _ in
      guard requestLine(head).method == "GET" else { return .init("") }
      let origin = header("Origin", in: head) ?? "null"
      return .ok("Access-Control-Allow-Origin: \(origin)\r\nAccess-Control-Allow-Credentials: true\r\nVary: Origin\r\n")
    }) { server in
      let auditor = Auditor(resource: try URLRecord("http://127.0.0.1:\(server.port)/data"), allowlist: Allowlist(entries: allowed),
                            frontend: [.credentialedGet, AuditRequest(method: .put, headers: ["Content-Type": "application/json"], credentials: .include)])
      return try await LiveAudit(auditor: auditor, limits: Self.limits(5)).run()
    }
    #expect(report.findings.contains { $0.misconfiguration.number == 1 }, "\(describe(report))")
    #expect(report.isInconclusive)
    #expect(report.unanswered.allSatisfy { $0.method == "OPTIONS" && $0.reason == "the connection closed before an answer" })
    let text = report.text(style: TextStyle(color: false))
    #expect(text.contains("live requests got no answer: the findings below stand, others may be hidden"))
  }

  @Test("a redirect loop past the limits: the requests not sent count as unanswered (probe and audit)")
  func redirectLoop() async throws {
    let loop: RawServer.Script = { head, index in
      let origin = header("Origin", in: head) ?? "*"
      return .init("HTTP/1.1 302 Found\r\nLocation: /hop\(index)\r\nAccess-Control-Allow-Origin: \(origin)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    }
    let probe = try await withRawServer(loop) { server in
      var limits = Self.limits(5)
      limits.maxRedirects = 1
      return await Probe(url: try URLRecord("http://127.0.0.1:\(server.port)/data"), origin: Self.app, limits: limits).run()
    }
    #expect(probe.exchanges.map(\.status) == [302])
    #expect(probe.unanswered == 1 && probe.isInconclusive)
    #expect(probe.notes.contains { $0.hasPrefix("redirect limit (1) reached") })
    let report = try await withRawServer(loop) { server in
      let auditor = Auditor(resource: try URLRecord("http://127.0.0.1:\(server.port)/data"), allowlist: Allowlist(entries: [Self.app]),
                            frontend: [.get], engines: [.chromium])
      var limits = Self.limits(5)
      limits.maxRedirects = 0
      return try await LiveAudit(auditor: auditor, limits: limits).run()
    }
    #expect(!report.unanswered.isEmpty)
    #expect(report.unanswered.allSatisfy { $0.reason == "not sent: the audit stops after 4 hops" })
    #expect(report.isInconclusive)
  }

  @Test("the binary: a 000 server gives probe exit 4 and audit exit 3; a server that stops answering gives audit exit 4")
  func binary() async throws {
    try await withRawServer({ _, _ in .init("HTTP/1.1 000 Zero\r\n\r\n") }) { server in
      let (status, out, err) = try await corsimAsync(["probe", "http://127.0.0.1:\(server.port)/data", "--origin", Self.app, "--timeout", "5"])
      #expect(status == 4, "\(err)")
      #expect(out.contains("→ no answer (invalid status line: status 000)"))
      #expect(out.contains("? inconclusive: 1 request got no answer"))
      // The first request gets no answer: the server is unreachable (3), not a crash.
      let (audit, _, auditErr) = try await corsimAsync(["audit", "http://127.0.0.1:\(server.port)/data", "--allow", Self.app, "--timeout", "5"])
      #expect(audit == 3)
      #expect(auditErr.contains("cannot reach the server: invalid status line: status 000"))
    }
    // Answers 3 requests, then closes every connection without a word (the stall itself is stallingAudit's).
    try await withRawServer({ head, index in index < 3 ? allowlistAnswer(head) : .init("") }) { server in
      let url = "http://127.0.0.1:\(server.port)/data"
      let (status, out, err) = try await corsimAsync(["audit", url, "--allow", Self.app, "--request", "GET credentials", "--timeout", "5"])
      #expect(status == 4, "\(err)")
      #expect(out.contains("? inconclusive: "))
      #expect(out.contains(" × the connection closed before an answer, e.g. GET \(url) [Origin: "))
      #expect(!out.contains("no findings"))
    }
    try await withRawServer({ head, index in index < 3 ? allowlistAnswer(head) : .init("HTTP/1.1 000 Zero\r\n\r\n") }) { server in
      let url = "http://127.0.0.1:\(server.port)/data"
      let (status, out, _) = try await corsimAsync(["audit", url, "--allow", Self.app, "--request", "GET credentials", "--json", "--timeout", "5"])
      #expect(status == 4)
      #expect(out.contains(#""inconclusive": true"#) && out.contains(#""reason": "invalid status line: status 000""#))
    }
  }
}
