// The presets held against the software they model: django-cors-headers, Starlette's CORSMiddleware and nginx,
// run for real (Tests/Fixtures/servers/real_middlewares.py) on the same configuration text, asked the same
// requests, compared header by header. Skipped, with what to install, when the software is missing.
import CORSPolicy
import CORSSimulator
import Foundation
import Testing

/// The CORS part of an answer, as compared: the status, every `Access-Control-*` line (lower-case name, value;
/// order aside) and whether `Vary` names `Origin`.
struct CORSAnswer: Equatable, CustomStringConvertible {
  var status: Int
  var lines: [String]
  var variesOnOrigin: Bool

  init(status: Int, headers: [(String, String)]) {
    self.status = status
    lines = headers.filter { $0.0.lowercased().hasPrefix("access-control-") }.map { "\($0.0.lowercased()): \($0.1)" }.sorted()
    variesOnOrigin = headers.contains { $0.0.lowercased() == "vary" && $0.1.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == "origin" } }
  }

  var description: String { "\(status) \(lines)\(variesOnOrigin ? " vary:origin" : "")" }
}

/// Runs the fixture for one middleware; nil (and the reason) when the software is not installed.
func realAnswers(_ kind: String, config: String, requests: [ServerRequest]) throws -> (version: String, answers: [CORSAnswer])? {
  let python = ProcessInfo.processInfo.environment["CORSIM_PYTHON"] ?? "/usr/bin/env"
  let process = Process()
  process.executableURL = URL(fileURLWithPath: python)
  process.arguments = (python == "/usr/bin/env" ? ["python3"] : []) + [packageRoot() + "/Tests/Fixtures/servers/real_middlewares.py", kind]
  let input = Pipe(), output = Pipe()
  process.standardInput = input
  process.standardOutput = output
  process.standardError = FileHandle.nullDevice
  try process.run()
  let job: [String: Any] = [
    "config": config,
    "requests": requests.map { r in
      ["method": r.method.rawValue, "path": r.url.pathAndQuery,
       "headers": Dictionary(r.headers.map { ($0.name.rawName, $0.value) }, uniquingKeysWith: { a, b in a + ", " + b })] as [String: Any]
    },
  ]
  input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: job))
  try input.fileHandleForWriting.close()
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
    throw ServerError("\(kind): the fixture printed no JSON (exit \(process.terminationStatus))")
  }
  if let reason = object["skip"] as? String {
    print("skipped: \(reason)")
    return nil
  }
  guard let version = object["version"] as? String, let answers = object["answers"] as? [[String: Any]] else {
    throw ServerError("\(kind): \(object["error"] ?? object)")
  }
  return (version, answers.map { a in
    CORSAnswer(status: a["status"] as? Int ?? 0,
               headers: (a["headers"] as? [[String]] ?? []).map { ($0[0], $0[1]) })
  })
}

/// What the preset's model answers (as `corsim policy answer` prints it).
func modelAnswer(_ document: PolicyDocument, _ r: ServerRequest) -> CORSAnswer {
  let server = Server(layers: document.layers, responder: Responder(name: "policy") { [answer = document.answerFunction] in answer($0) })
  let response = server.respond(r)
  return CORSAnswer(status: response.status, headers: response.headers.map { ($0.name.rawName, $0.value) })
}

/// The requests asked of every configuration: allowed, refused, prefixed and absent origins; simple and
/// preflighted; a preflight for a method and a header the policy may not grant.
let comparedRequests = [
  "GET https://api.example.com/data Origin: https://app.example.com",
  "GET https://api.example.com/data Origin: https://admin.example.com Cookie: a=1",
  "GET https://api.example.com/data Origin: https://evil.test",
  "GET https://api.example.com/data Origin: https://app.example.com.evil.test",
  "GET https://api.example.com/data Origin: null",
  "GET https://api.example.com/data",
  "PUT https://api.example.com/data Origin: https://app.example.com Content-Type: application/json",
  "OPTIONS https://api.example.com/data Origin: https://app.example.com Access-Control-Request-Method: PUT Access-Control-Request-Headers: content-type",
  "OPTIONS https://api.example.com/data Origin: https://app.example.com Access-Control-Request-Method: DELETE Access-Control-Request-Headers: x-anything",
  "OPTIONS https://api.example.com/data Origin: https://evil.test Access-Control-Request-Method: PUT",
  "OPTIONS https://api.example.com/data Origin: https://app.example.com.evil.test Access-Control-Request-Method: GET",
  "OPTIONS https://api.example.com/data",
]

/// Asks the real software and the preset the same requests; every difference is an issue naming the request.
func compare(_ kind: String, preset: String, config: String, realConfig: String? = nil, extra: String = "") throws {
  let requests = try comparedRequests.map { try ServerRequest(commandLine: $0) }
  guard let real = try realAnswers(kind, config: realConfig ?? config, requests: requests) else { return }
  let indented = config.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
  let document = try PolicyDocument(text: "preset: \(preset)\nresource: https://api.example.com/data\n\(extra)config: |\n\(indented)\n")
  for (i, r) in requests.enumerated() {
    let model = modelAnswer(document, r)
    #expect(model == real.answers[i], "\(real.version): \(comparedRequests[i])\n  real:  \(real.answers[i])\n  model: \(model)")
  }
}

@Suite("Presets against the real software: django-cors-headers, Starlette, nginx")
struct RealMiddlewareTests {
  @Test("django-cors-headers: exact origins, a regex, credentials, extra headers", arguments: [
    """
    CORS_ALLOWED_ORIGINS = ["https://app.example.com", "https://admin.example.com"]
    CORS_ALLOW_CREDENTIALS = True
    """,
    """
    from corsheaders.defaults import default_headers
    CORS_ALLOWED_ORIGIN_REGEXES = [r"^https://\\w+\\.example\\.com"]
    CORS_ALLOW_HEADERS = (*default_headers, "x-trace")
    CORS_ALLOW_METHODS = ["GET", "PUT"]
    CORS_PREFLIGHT_MAX_AGE = 600
    CORS_EXPOSE_HEADERS = ["X-Total"]
    """,
    """
    CORS_ALLOW_ALL_ORIGINS = True
    CORS_ALLOW_CREDENTIALS = True
    """,
  ])
  func django(config: String) throws {
    try compare("django", preset: "django-cors-headers", config: config)
  }

  @Test("Starlette's CORSMiddleware: lists, `*`, a regex, credentials", arguments: [
    #"app.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com", "https://admin.example.com"], allow_credentials=True, allow_methods=["GET", "PUT"], allow_headers=["Content-Type"])"#,
    #"app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["*"], allow_headers=["*"])"#,
    #"app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)"#,
    #"app.add_middleware(CORSMiddleware, allow_origin_regex=r"https://.*\.example\.com", allow_credentials=True, allow_methods=["GET", "PUT"], max_age=60, expose_headers=["X-Total"])"#,
  ])
  func starlette(config: String) throws {
    try compare("starlette", preset: "starlette", config: config)
  }

  @Test("nginx in front of an application: add_header with and without `always`, an `if` block, a map", arguments: [
    (200, """
    server {
      listen 127.0.0.1:@PORT@;
      location /data {
        add_header Access-Control-Allow-Origin $http_origin;
        add_header Access-Control-Allow-Credentials true;
        if ($request_method = 'OPTIONS') {
          add_header Access-Control-Allow-Methods 'GET, PUT';
          add_header Access-Control-Max-Age 600;
          return 204;
        }
        proxy_pass http://127.0.0.1:@UPSTREAM@;
      }
    }
    """),
    (500, """
    server {
      listen 127.0.0.1:@PORT@;
      location /data {
        add_header Access-Control-Allow-Origin https://app.example.com;
        add_header Vary Origin always;
        proxy_pass http://127.0.0.1:@UPSTREAM@;
      }
    }
    """),
    (200, """
    map $http_origin $cors_origin {
      default "";
      "~^https://app\\.example\\.com" $http_origin;
    }
    server {
      listen 127.0.0.1:@PORT@;
      location /data {
        add_header Access-Control-Allow-Origin $cors_origin always;
        add_header Access-Control-Allow-Credentials true always;
        proxy_pass http://127.0.0.1:@UPSTREAM@;
      }
    }
    """),
  ])
  func nginx(upstreamStatus: Int, config: String) throws {
    // The upstream: a second server block that answers every request with the status and no CORS header
    // (the model's application: `response: {status: …}` and no origins).
    let upstream = "\nserver {\n  listen 127.0.0.1:@UPSTREAM@;\n  location / { return \(upstreamStatus) ok; }\n}"
    try compare("nginx", preset: "nginx", config: config, realConfig: config + upstream, extra: "response: {status: \(upstreamStatus)}\n")
  }
}
