import AsyncHTTPClient
import Foundation
import HTTPTypes

import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The tools package's root (Tools/), from this file's path.
func packageRoot(_ file: String = #filePath) -> String {
  var url = URL(fileURLWithPath: file)
  for _ in 0..<3 { url.deleteLastPathComponent() }
  return url.path
}

/// The repository's root (docs/, Spec/), the tools package's parent.
func repositoryRoot(_ file: String = #filePath) -> String {
  URL(fileURLWithPath: packageRoot(file)).deletingLastPathComponent().path
}

/// The allowlist of every server configuration.
let allowed = ["https://app.example.com", "https://admin.example.com"]

// MARK: flask-cors

/// A Flask app behind flask-cors (Tests/Fixtures/servers/flask_cors_app.py), started on a free loopback port.
final class FlaskServer: @unchecked Sendable {
  let process = Process()
  let port: Int
  /// The app's standard input: it exits when this closes, so a crashed test leaves no server behind.
  let lifeline = Pipe()

  /// The Python that has flask and flask-cors: $CORSIM_PYTHON (set by .ci/run), else python3 on the PATH.
  static let python: String? = {
    let candidates = [ProcessInfo.processInfo.environment["CORSIM_PYTHON"], "/usr/bin/env"].compactMap { $0 }
    for c in candidates {
      let p = Process()
      p.executableURL = URL(fileURLWithPath: c)
      p.arguments = (c == "/usr/bin/env" ? ["python3"] : []) + ["-c", "import flask, flask_cors"]
      p.standardOutput = FileHandle.nullDevice
      p.standardError = FileHandle.nullDevice
      guard (try? p.run()) != nil else { continue }
      p.waitUntilExit()
      if p.terminationStatus == 0 { return c }
    }
    return nil
  }()

  static var available: Bool { python != nil }

  /// Starts the app in a mode (safe, reflect-credentials, null, suffix); waits at most 20 s for its port.
  init(_ mode: String) throws {
    guard let python = FlaskServer.python else { throw ServerError("flask-cors is not installed (run .ci/run, or pip install flask flask-cors)") }
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = (python == "/usr/bin/env" ? ["python3"] : []) + [packageRoot() + "/Tests/Fixtures/servers/flask_cors_app.py", mode]
    let out = Pipe()
    process.standardInput = lifeline
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    // Read "PORT n" with a deadline: a reader thread, and a wait that gives up.
    let line = LineBox()
    let done = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
      var data = Data()
      while let byte = try? out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty {
        if byte == Data("\n".utf8) { break }
        data.append(byte)
      }
      line.value = String(decoding: data, as: UTF8.self)
      done.signal()
    }
    guard done.wait(timeout: .now() + 20) == .success, let v = line.value, v.hasPrefix("PORT "), let p = Int(v.dropFirst(5)) else {
      process.terminate()
      throw ServerError("the flask app (\(mode)) did not report its port within 20 s")
    }
    port = p
  }

  func stop() {
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
  }

  deinit { stop() }

  final class LineBox: @unchecked Sendable { var value: String? }
}

struct ServerError: Error, CustomStringConvertible {
  var description: String
  init(_ d: String) { description = d }
}

/// Runs a body with a flask-cors server in a mode, stopping it afterwards.
func withFlask<T>(_ mode: String, _ body: (Int) async throws -> T) async throws -> T {
  let server = try FlaskServer(mode)
  defer { server.stop() }
  return try await body(server.port)
}

// MARK: Hummingbird

/// Hummingbird configurations: `safe` must yield no finding; the others are known-bad.
enum HummingbirdMode: String, CaseIterable, Sendable {
  case safe
  /// `.originBased` (the default) with credentials: any origin reflected.
  case reflectCredentials = "reflect-credentials"
  /// `.custom("null")`: every answer says `Access-Control-Allow-Origin: null`.
  case null
  /// A guard in front of `.originBased` that lets through origins ending with "example.com".
  case suffix
}

/// The application's own, naive allowlist in front of `.originBased`: an Origin that does not end with the
/// suffix gets its CORS grant removed from the answer.
struct SuffixGuard<Context: RequestContext>: RouterMiddleware {
  let suffix: String
  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
    var response = try await next(request, context)
    if let origin = request.headers[.origin], !origin.hasSuffix(suffix) {
      response.headers[.accessControlAllowOrigin] = nil
      response.headers[.accessControlAllowCredentials] = nil
    }
    return response
  }
}

/// Adds `Vary: Origin` to every answer (Hummingbird's CORSMiddleware omits it when the request has no Origin).
struct VaryOrigin<Context: RequestContext>: RouterMiddleware {
  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
    var response = try await next(request, context)
    if !response.headers[values: .vary].contains(where: { $0.lowercased().contains("origin") }) {
      response.headers[values: .vary].append("Origin")
    }
    return response
  }
}

func hummingbirdApp(_ mode: HummingbirdMode) -> some ApplicationProtocol {
  let router = Router()
  switch mode {
  case .safe:
    router.add(middleware: VaryOrigin())
    router.add(middleware: CORSMiddleware(allowOrigin: .oneOf(allowed[0], allowed[1]), allowHeaders: [.contentType],
                                          allowMethods: [.get, .put], allowCredentials: true, maxAge: .seconds(600)))
  case .reflectCredentials:
    router.add(middleware: CORSMiddleware(allowOrigin: .originBased, allowCredentials: true))
  case .null:
    router.add(middleware: CORSMiddleware(allowOrigin: .custom("null"), allowCredentials: true))
  case .suffix:
    router.add(middleware: SuffixGuard(suffix: "example.com"))
    router.add(middleware: CORSMiddleware(allowOrigin: .originBased, allowHeaders: [.contentType], allowMethods: [.get, .put],
                                          allowCredentials: true, maxAge: .seconds(600)))
  }
  router.get("data") { _, _ in Response(status: .ok, headers: [.contentType: "application/json"],
                                         body: .init(byteBuffer: ByteBuffer(string: #"{"user":"alice"}"#))) }
  router.put("data") { _, _ in Response(status: .ok, headers: [.contentType: "application/json"],
                                         body: .init(byteBuffer: ByteBuffer(string: #"{"saved":true}"#))) }
  router.get("redirect") { _, _ in Response(status: .found, headers: [.location: "/data"]) }
  // To the same server under another name (127.0.0.1 → localhost): another origin.
  router.get("cross-redirect") { request, _ in
    let port = request.head.authority?.split(separator: ":").last.map(String.init) ?? "80"
    return Response(status: .temporaryRedirect, headers: [.location: "http://localhost:\(port)/data"])
  }
  router.get("big") { _, _ in
    Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: .init { writer in
      let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 65536)
      for _ in 0..<128 { try await writer.write(chunk) }
      try await writer.finish(nil)
    })
  }
  router.get("slow") { _, _ -> String in
    // Longer than any time-out the tests set, so that an answer within the time-out shows the time-out held.
    try await Task.sleep(for: .seconds(15))
    return "slow"
  }
  return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
}

/// Runs a body with a Hummingbird server in a mode on a free loopback port.
func withHummingbird<T: Sendable>(_ mode: HummingbirdMode, _ body: @Sendable @escaping (Int) async throws -> T) async throws -> T {
  try await hummingbirdApp(mode).test(.live) { client in try await body(client.port!) }
}

/// A proxy in front of another server that adds a second `Access-Control-Allow-Origin: *` to every answer
/// (a layer that also "handles CORS").
struct AddingProxy<Context: RequestContext>: RouterMiddleware {
  let upstream: Int
  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
    var outgoing = HTTPClientRequest(url: "http://127.0.0.1:\(upstream)\(request.uri.path)")
    outgoing.method = .init(rawValue: request.method.rawValue)
    for field in request.headers { outgoing.headers.add(name: field.name.rawName, value: field.value) }
    let answer = try await HTTPClient.shared.execute(outgoing, timeout: .seconds(5))
    let body = try await answer.body.collect(upTo: 1 << 20)
    var headers = HTTPFields()
    for (name, value) in answer.headers where name.lowercased() != "content-length" && name.lowercased() != "connection" {
      if let n = HTTPField.Name(name) { headers.append(HTTPField(name: n, value: value)) }
    }
    headers.append(HTTPField(name: .accessControlAllowOrigin, value: "*"))
    return Response(status: .init(code: Int(answer.status.code)), headers: headers, body: .init(byteBuffer: body))
  }
}

/// Runs a body with the adding proxy in front of a port.
func withProxy<T: Sendable>(upstream: Int, _ body: @Sendable @escaping (Int) async throws -> T) async throws -> T {
  let router = Router()
  router.add(middleware: AddingProxy(upstream: upstream))
  router.get("**") { _, _ in "unreachable" }
  let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
  return try await app.test(.live) { client in try await body(client.port!) }
}
