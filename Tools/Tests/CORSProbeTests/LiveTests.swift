import CORSPolicy
import CORSProbe
import CORSSimulator
import Foundation
import NIOCore
import NIOPosix
import Testing

/// The audit every live test runs: the servers' allowlist, a credentialed GET and a preflighted credentialed PUT.
func liveAudit(_ port: Int, path: String = "/data") async throws -> AuditReport {
  let auditor = Auditor(resource: try URLRecord("http://127.0.0.1:\(port)\(path)"), allowlist: Allowlist(entries: allowed),
                        frontend: [.credentialedGet, AuditRequest(method: .put, headers: ["Content-Type": "application/json"], credentials: .include)])
  return try await LiveAudit(auditor: auditor, limits: ProbeLimits(requestTimeout: 5)).run()
}

func describe(_ report: AuditReport) -> String {
  report.findings.map { "#\($0.misconfiguration.number) \($0.severity.rawValue): \($0.summary)" }.joined(separator: "\n")
}

@Suite("Live audits of flask-cors (Python) on loopback", .enabled(if: FlaskServer.available, "flask-cors is not installed: run .ci/run (it pip-installs flask and flask-cors)"),
       .timeLimit(.minutes(2)))
struct FlaskAuditTests {
  @Test("the safe configuration (explicit allowlist, credentials) yields no finding")
  func safe() async throws {
    let report = try await withFlask("safe") { try await liveAudit($0) }
    #expect(report.findings.isEmpty, "\(describe(report))")
    #expect(report.decisions > 300)
  }

  @Test("known-bad configurations are found", arguments: [
    ("reflect-credentials", 1), ("null", 2), ("suffix", 4),
  ])
  func bad(mode: String, expectedClass: Int) async throws {
    let report = try await withFlask(mode) { try await liveAudit($0) }
    let finding = try #require(report.findings.first { $0.misconfiguration.number == expectedClass }, "\(describe(report))")
    #expect(finding.severity == .high)
    #expect(finding.request == .credentialedGet)
    #expect(!finding.evidence.isEmpty)
    #expect(report.hasFinding(atLeast: .medium))
  }
}

@Suite("Live audits of Hummingbird's CORSMiddleware on loopback", .timeLimit(.minutes(2)))
struct HummingbirdAuditTests {
  @Test("the safe configuration (.oneOf, credentials, Vary on every answer) yields no finding")
  func safe() async throws {
    let report = try await withHummingbird(.safe) { try await liveAudit($0) }
    #expect(report.findings.isEmpty, "\(describe(report))")
  }

  @Test("known-bad configurations are found", arguments: [
    (HummingbirdMode.reflectCredentials, 1), (.null, 2), (.suffix, 4),
  ])
  func bad(mode: HummingbirdMode, expectedClass: Int) async throws {
    let report = try await withHummingbird(mode) { try await liveAudit($0) }
    let finding = try #require(report.findings.first { $0.misconfiguration.number == expectedClass }, "\(describe(report))")
    #expect(finding.severity == .high)
    #expect(report.hasFinding(atLeast: .medium))
  }

  @Test("a proxy adding a second Access-Control-Allow-Origin is found (class 19)")
  func duplicatedByProxy() async throws {
    let report = try await withHummingbird(.safe) { upstream in
      try await withProxy(upstream: upstream) { try await liveAudit($0) }
    }
    let finding = try #require(report.findings.first { $0.misconfiguration.number == 19 }, "\(describe(report))")
    #expect(finding.severity == .medium)
  }
}

@Suite("Live probes", .timeLimit(.minutes(2)))
struct ProbeTests {
  static let app = "https://app.example.com"

  @Test("a preflighted PUT: OPTIONS then PUT, readable (flask-cors)", .enabled(if: FlaskServer.available))
  func preflighted() async throws {
    let result = try await withFlask("safe") { port in
      await Probe(url: try URLRecord("http://127.0.0.1:\(port)/data"), origin: Self.app,
                  request: AuditRequest(method: .put, headers: ["Content-Type": "application/json"], credentials: .include),
                  engine: .chromium).run()
    }
    #expect(result.verdict.outcome == .readable)
    try #require(result.exchanges.map(\.request.method) == ["OPTIONS", "PUT"])
    #expect(result.exchanges[0].request.value(of: "Access-Control-Request-Method") == "PUT")
    #expect(result.exchanges[0].request.value(of: "Access-Control-Request-Headers") == "content-type")
    #expect(result.exchanges[0].sentHeaders.contains { $0.name == "Sec-Fetch-Mode" && $0.value == "cors" })
  }

  @Test("a preflight the server refuses: blocked at the preflight (Hummingbird, DELETE not allowed)")
  func refusedPreflight() async throws {
    let result = try await withHummingbird(.safe) { port in
      await Probe(url: try URLRecord("http://127.0.0.1:\(port)/data"), origin: Self.app,
                  request: AuditRequest(method: "DELETE"), engine: .firefox).run()
    }
    #expect(result.verdict.outcome == .networkError)
    #expect(result.verdict.reason == .methodNotAllowed)
    #expect(result.exchanges.map(\.request.method) == ["OPTIONS"])
  }

  @Test("a redirect is followed by the engine, not the client", arguments: [Engine.chromium, .firefox])
  func redirect(engine: Engine) async throws {
    let result = try await withHummingbird(.safe) { port in
      await Probe(url: try URLRecord("http://127.0.0.1:\(port)/redirect"), origin: Self.app, engine: engine).run()
    }
    try #require(result.exchanges.map(\.status) == [302, 200])
    #expect(result.exchanges[1].request.url.pathString == "/data")
    #expect(result.verdict.requests.count == 2)
    #expect(result.verdict.outcome == .readable)
  }

  @Test("a cross-origin redirect taints the origin: the next hop sends Origin: null and is refused")
  func crossOriginRedirect() async throws {
    let result = try await withHummingbird(.safe) { port in
      await Probe(url: try URLRecord("http://127.0.0.1:\(port)/cross-redirect"), origin: Self.app, engine: .chromium).run()
    }
    try #require(result.exchanges.map(\.status) == [307, 200])
    #expect(result.exchanges[0].request.value(of: "Origin") == Self.app)
    #expect(result.exchanges[1].request.url.hostString == "localhost")
    #expect(result.exchanges[1].request.value(of: "Origin") == "null")
    #expect(result.verdict.outcome == .networkError)
  }

  @Test("duplicate Access-Control-Allow-Origin added by a proxy layer is refused")
  func duplicateHeaders() async throws {
    let result = try await withHummingbird(.safe) { upstream in
      try await withProxy(upstream: upstream) { port in
        await Probe(url: try URLRecord("http://127.0.0.1:\(port)/data"), origin: Self.app, engine: .chromium).run()
      }
    }
    #expect(result.exchanges.first?.headers.count(of: .accessControlAllowOrigin) == 2)
    #expect(result.verdict.outcome == .networkError)
    #expect(result.verdict.reason == .multipleAllowOrigin)
  }

  @Test("a server slower than the time-out: a failed connection, within the time-out")
  func timeout() async throws {
    let result = try await withHummingbird(.safe) { port in
      await Probe(url: try URLRecord("http://127.0.0.1:\(port)/slow"), origin: Self.app,
                  limits: ProbeLimits(connectTimeout: 1, requestTimeout: 1)).run()
    }
    #expect(result.verdict.outcome == .networkError)
    #expect(result.verdict.reason == .requestFailed)
    #expect(result.notes.contains { $0.contains("timed out") }, "\(result.notes)")
    // Bounded by the 1 s time-out, not by the server (which waits 15 s before answering), with room for a
    // loaded machine.
    #expect(result.seconds < 10)
  }

  @Test("an oversized body is cut at the limit; the verdict stands on the headers", .enabled(if: FlaskServer.available))
  func oversized() async throws {
    let result = try await withFlask("safe") { port in
      await Probe(url: try URLRecord("http://127.0.0.1:\(port)/big"), origin: Self.app,
                  limits: ProbeLimits(requestTimeout: 60, maxBodyBytes: 100_000)).run()
    }
    #expect(result.verdict.outcome == .readable)
    #expect(result.exchanges.first?.truncated == true)
    #expect(result.exchanges.first?.bodyBytes == 100_000)
    #expect(result.notes.contains { $0.contains("longer than 100000 bytes") })
  }

  @Test("an unreachable server: the probe reports a failed connection; a live audit throws")
  func unreachable() async throws {
    let port = try await closedPort()
    let result = await Probe(url: try URLRecord("http://127.0.0.1:\(port)/data"), origin: Self.app,
                             limits: ProbeLimits(connectTimeout: 1, requestTimeout: 2)).run()
    #expect(result.verdict.reason == .requestFailed)
    await #expect(throws: LiveAudit.Unreachable.self) { try await liveAudit(port) }
  }
}

/// A loopback port that was free a moment ago and has nothing listening on it now.
func closedPort() async throws -> Int {
  let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
  let port = channel.localAddress?.port ?? 9
  try await channel.close()
  return port
}
