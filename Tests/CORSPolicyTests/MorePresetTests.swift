import Foundation
import CORSJSON
import CORSPolicy
import CORSSimulator
import Testing

/// What a policy file answers to a request written as `corsim policy answer` takes it.
func answer(_ yaml: String, _ request: String) throws -> Route {
  let document = try PolicyDocument(text: yaml)
  let r = try ServerRequest(commandLine: request)
  return Server(layers: document.layers, responder: Responder { document.answerFunction($0) }).respond(r).route(r)
}

extension ServerResponse {
  func route(_ r: ServerRequest) -> Route { Route(method: r.method, url: r.url, status: status, headers: headers, body: body) }
}

func lines(_ route: Route) -> [String] { route.headers.map { "\($0.name.canonicalName): \($0.value)" } }

let preflightPUT = "OPTIONS https://api.example.com/data Origin: https://app.example.com Access-Control-Request-Method: PUT Access-Control-Request-Headers: content-type"
let getFromApp = "GET https://api.example.com/data Origin: https://app.example.com"
let getFromEvil = "GET https://api.example.com/data Origin: https://evil.test"

@Suite("Presets: cloud storage, Python, Spring, ASP.NET Core, nginx; configurations as pasted")
struct MorePresetTests {
  static let s3JSON = """
    preset: aws-s3
    options:
      CORSRules:
        - { AllowedOrigins: [https://app.example.com], AllowedMethods: [GET, PUT], AllowedHeaders: ['content-*'], MaxAgeSeconds: 3000, ExposeHeaders: [ETag] }
        - { AllowedOrigins: ['*'], AllowedMethods: [GET] }
    """
  static let s3XML = """
    preset: aws-s3
    config: |
      <?xml version="1.0" encoding="UTF-8"?>
      <CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
        <CORSRule>
          <AllowedOrigin>https://app.example.com</AllowedOrigin>
          <AllowedMethod>GET</AllowedMethod>
          <AllowedMethod>PUT</AllowedMethod>
          <AllowedHeader>content-*</AllowedHeader>
          <MaxAgeSeconds>3000</MaxAgeSeconds>
          <ExposeHeader>ETag</ExposeHeader>
        </CORSRule>
        <!-- anyone may read -->
        <CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>
      </CORSConfiguration>
    """

  @Test("AWS S3: the first matching rule answers; JSON and XML read the same")
  func s3() throws {
    for yaml in [Self.s3JSON, Self.s3XML] {
      let pre = try answer(yaml, preflightPUT)
      #expect(pre.status == 200)
      #expect(lines(pre) == ["access-control-allow-origin: https://app.example.com", "access-control-allow-credentials: true",
                             "access-control-allow-methods: GET, PUT", "access-control-allow-headers: content-type",
                             "access-control-expose-headers: ETag", "access-control-max-age: 3000",
                             "vary: Origin, Access-Control-Request-Headers, Access-Control-Request-Method"])
      // Another origin: the second rule, `*`, no credentials.
      let get = try answer(yaml, getFromEvil)
      #expect(get.headers.get(.accessControlAllowOrigin) == "*")
      #expect(get.headers.get(.accessControlAllowCredentials) == nil)
      // No rule allows PUT from it: 403, no CORS headers.
      let refused = try answer(yaml, "OPTIONS https://api.example.com/data Origin: https://evil.test Access-Control-Request-Method: PUT")
      #expect(refused.status == 403)
      #expect(!refused.headers.contains(.accessControlAllowOrigin))
    }
    #expect(throws: PolicyFileError.self) { try PolicyDocument(text: "preset: aws-s3\noptions: {CORSRules: [{AllowedOrigins: ['*'], AllowedMethods: [OPTIONS]}]}") }
    #expect(throws: PolicyFileError.self) { try PolicyDocument(text: "preset: aws-s3\nconfig: '<CORSConfiguration><CORSRule><AllowedOrigin>a</AllowedOrigin><Bogus>1</Bogus></CORSRule></CORSConfiguration>'") }
  }

  @Test("S3 echoes an origin with credentials whenever a rule names it: a `*.example.com` rule trusts every subdomain with cookies")
  func s3Audit() throws {
    let report = try audit("preset: aws-s3\noptions: [{AllowedOrigins: ['https://*.example.com'], AllowedMethods: [GET]}]\nallow: [https://app.example.com]")
    #expect(report.findings.contains { $0.misconfiguration.number == 10 && $0.severity == .high }, "\(findings(report))")
  }

  @Test("Google Cloud Storage: the request's Origin echoed, responseHeader allowed and exposed, no credentials")
  func gcs() throws {
    let yaml = "preset: gcs\nconfig: '[{\"origin\": [\"https://app.example.com\"], \"method\": [\"GET\", \"PUT\"], \"responseHeader\": [\"Content-Type\"], \"maxAgeSeconds\": 3600}]'"
    let pre = try answer(yaml, preflightPUT)
    #expect(pre.headers.get(.accessControlAllowOrigin) == "https://app.example.com")
    #expect(pre.headers.get("Access-Control-Allow-Headers") == "content-type")
    #expect(pre.headers.get(.accessControlMaxAge) == "3600")
    #expect(pre.headers.get(.accessControlAllowCredentials) == nil)
    #expect(try answer(yaml, getFromEvil).headers.get(.accessControlAllowOrigin) == nil)
    #expect(try answer(yaml, getFromApp).headers.get("Access-Control-Expose-Headers") == "Content-Type")
  }

  @Test("django-cors-headers: settings as written in settings.py; Vary always; lists on every OPTIONS; checks that stop the server")
  func django() throws {
    let yaml = """
      preset: django-cors-headers
      config: |
        from corsheaders.defaults import default_headers
        DEBUG = False
        CORS_ALLOWED_ORIGINS = [
            "https://app.example.com",  # the SPA
            'https://admin.example.com',
        ]
        CORS_ALLOWED_ORIGIN_REGEXES = [r"^https://\\w+\\.example\\.org"]
        CORS_ALLOW_CREDENTIALS = True
        CORS_ALLOW_HEADERS = (*default_headers, "x-trace")
      """
    let pre = try answer(yaml, preflightPUT)
    #expect(pre.status == 200)
    #expect(pre.headers.get("Access-Control-Allow-Headers") == "accept, authorization, content-type, user-agent, x-csrftoken, x-requested-with, x-trace")
    #expect(pre.headers.get("Access-Control-Allow-Methods") == "DELETE, GET, OPTIONS, PATCH, POST, PUT")
    #expect(pre.headers.get(.accessControlMaxAge) == "86400")
    #expect(try answer(yaml, getFromEvil).headers.get(.vary) == "origin")
    // re.match: anchored at the start only.
    let prefix = try answer(yaml, "GET https://api.example.com/data Origin: https://x.example.org.evil.test")
    #expect(prefix.headers.get(.accessControlAllowOrigin) == "https://x.example.org.evil.test")
    let e014 = "preset: django-cors-headers\nconfig: 'CORS_ALLOWED_ORIGINS = [\"https://app.example.com/\"]'"
    #expect { try PolicyDocument(text: e014) } throws: { ($0 as? PolicyFileError)?.message.contains("corsheaders.E014") == true }
    let variable = "preset: django-cors-headers\nconfig: 'CORS_ALLOWED_ORIGINS = env.list(\"ORIGINS\")'"
    #expect { try PolicyDocument(text: variable) } throws: { ($0 as? PolicyFileError)?.message.contains("is a variable or a call") == true }
  }

  @Test("Starlette: a refused preflight is 400 with the lists; `*` with credentials reflects; the call as pasted")
  func starlette() throws {
    let yaml = """
      preset: starlette
      config: |
        app.add_middleware(
            CORSMiddleware,
            allow_origins=["https://app.example.com"],
            allow_credentials=True,
            allow_methods=["GET", "PUT"],
            allow_headers=["Content-Type"],
        )
      """
    let pre = try answer(yaml, preflightPUT)
    #expect(pre.status == 200)
    #expect(pre.headers.get("Access-Control-Allow-Headers") == "Accept, Accept-Language, Content-Language, Content-Type")
    let refused = try answer(yaml, "OPTIONS https://api.example.com/data Origin: https://evil.test Access-Control-Request-Method: PUT")
    #expect(refused.status == 400)
    #expect(refused.headers.get(.accessControlAllowOrigin) == nil)
    #expect(refused.headers.get("Access-Control-Allow-Methods") == "GET, PUT")
    let reflect = try answer("preset: starlette\noptions: {allow_origins: ['*'], allow_credentials: true}", getFromEvil)
    #expect(reflect.headers.get(.accessControlAllowOrigin) == "https://evil.test")
    #expect(reflect.headers.get(.accessControlAllowCredentials) == "true")
  }

  @Test("Spring: a refused origin gets 403 on actual requests too; patterns; `*` with credentials refused as Spring refuses it")
  func spring() throws {
    let yaml = "preset: spring\noptions: {allowedOriginPatterns: ['https://*.example.com:[*]'], allowedMethods: [GET, PUT], allowedHeaders: ['*'], allowCredentials: true, maxAge: 1800}"
    let pre = try answer(yaml, preflightPUT)
    #expect(pre.status == 200)
    #expect(pre.headers.get("Access-Control-Allow-Methods") == "GET,PUT")
    #expect(pre.headers.get(.accessControlMaxAge) == "1800")
    #expect(pre.headers.fields(named: .vary).map(\.value) == ["Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"])
    let evil = try answer(yaml, getFromEvil)
    #expect(evil.status == 403)
    #expect(try answer(yaml, "GET https://api.example.com/data Origin: https://app.example.com:8443").headers.get(.accessControlAllowOrigin) == "https://app.example.com:8443")
    #expect { try PolicyDocument(text: "preset: spring\noptions: {allowedOrigins: ['*'], allowCredentials: true}") } throws: {
      ($0 as? PolicyFileError)?.message.contains("allowedOrigins cannot contain the special value") == true
    }
    // The CorsRegistry chain as pasted: addMapping starts from the permit defaults.
    let chain = "preset: spring\nconfig: 'registry.addMapping(\"/api/**\").allowedOrigins(\"https://app.example.com\").allowCredentials(true);'"
    let fromChain = try answer(chain, "OPTIONS https://api.example.com/data Origin: https://app.example.com Access-Control-Request-Method: POST")
    #expect(fromChain.headers.get("Access-Control-Allow-Methods") == "GET,HEAD,POST")
    #expect(fromChain.headers.get(.accessControlMaxAge) == "1800")
  }

  @Test("ASP.NET Core: every preflight 204; lists without checks; Vary only for several origins; the builder chain as pasted")
  func aspnet() throws {
    let yaml = """
      preset: aspnetcore
      config: |
        options.AddPolicy("spa", policy => policy
            .WithOrigins("https://App.Example.com", "https://admin.example.com")
            .WithMethods("GET", "PUT")
            .AllowAnyHeader()
            .AllowCredentials()
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10)));
      """
    let pre = try answer(yaml, preflightPUT)
    #expect(pre.status == 204)
    #expect(lines(pre) == ["access-control-allow-origin: https://app.example.com", "access-control-allow-credentials: true",
                           "access-control-allow-headers: content-type", "access-control-allow-methods: GET,PUT",
                           "access-control-max-age: 600", "vary: Origin"])
    let refused = try answer(yaml, "OPTIONS https://api.example.com/data Origin: https://evil.test Access-Control-Request-Method: PUT")
    #expect(refused.status == 204)
    #expect(refused.headers.isEmpty)
    #expect { try PolicyDocument(text: "preset: aspnetcore\nconfig: 'policy.SetIsOriginAllowed(origin => true).AllowCredentials()'") } throws: {
      ($0 as? PolicyFileError)?.message.contains("is a function: corsim cannot read what a function decides") == true
    }
    #expect(throws: PolicyFileError.self) { try PolicyDocument(text: "preset: aspnetcore\noptions: {AllowAnyOrigin: true, AllowCredentials: true}") }
  }

  @Test("nginx: add_header only on 2xx/3xx without `always`; an `if` with add_header drops the location's; both layers' lines are kept")
  func nginx() throws {
    let yaml = """
      resource: https://api.example.com/data
      origins: [https://app.example.com]
      credentials: true
      response: { status: 500 }
      proxy:
        nginx: |
          location / {
            add_header Access-Control-Allow-Origin $http_origin;
            add_header X-Frame-Options DENY always;
            if ($request_method = 'OPTIONS') {
              add_header Access-Control-Allow-Methods 'GET, PUT';
              return 204;
            }
            proxy_pass http://app;
          }
      """
    // The application answers 500: nginx adds only the `always` line; the application's own CORS lines stay.
    let error = try answer(yaml, getFromApp)
    #expect(error.status == 500)
    #expect(error.headers.fields(named: .accessControlAllowOrigin).map { $0.setBy } == ["app"])
    #expect(error.headers.get("X-Frame-Options") == "DENY")
    // The preflight: the `if` block's add_header replaces the location's (no Allow-Origin at all).
    let pre = try answer(yaml, preflightPUT)
    #expect(pre.status == 204)
    #expect(lines(pre) == ["access-control-allow-methods: GET, PUT"])
    // With the application answering 200, nginx's reflected line joins the application's: two values for the
    // frontend (#19), and any origin reads without credentials (#1).
    let report = try audit(yaml.replacingOccurrences(of: "status: 500", with: "status: 200"))
    #expect(report.findings.contains { $0.misconfiguration.number == 19 && $0.severity == .medium }, "\(findings(report))")
    #expect(report.findings.contains { $0.misconfiguration.number == 1 }, "\(findings(report))")
  }

  @Test("nginx map and $http_origin: an unanchored map regex is a prefix match; an empty value adds nothing")
  func nginxMap() throws {
    let yaml = """
      preset: nginx
      config: |
        map $http_origin $cors_origin {
          default "";
          "~^https://app\\.example\\.com" $http_origin;
        }
        server {
          location /data {
            add_header Access-Control-Allow-Origin $cors_origin always;
            add_header Access-Control-Allow-Credentials true always;
          }
        }
      allow: [https://app.example.com]
      """
    #expect(try answer(yaml, getFromEvil).headers.get(.accessControlAllowOrigin) == nil)
    #expect(try answer(yaml, "GET https://api.example.com/data Origin: https://app.example.com.evil.test").headers.get(.accessControlAllowOrigin)
              == "https://app.example.com.evil.test")
    let report = try audit(yaml)
    #expect(report.findings.contains { $0.misconfiguration.number == 3 && $0.severity == .high }, "\(findings(report))")
  }
}

@Suite("Preset fidelity: versions, turned-off middlewares, what the real middleware sends")
struct PresetFidelityTests {
  @Test("expressjs/cors `origin: false` sends no CORS header at all; express answers OPTIONS itself")
  func expressOff() throws {
    let yaml = "preset: express-cors\noptions: {origin: false, credentials: true, methods: [GET, PUT]}"
    let pre = try answer(yaml, preflightPUT)
    #expect(!pre.headers.contains { $0.name.canonicalName.hasPrefix("access-control-") })
    #expect(!(try answer(yaml, getFromApp)).headers.contains { $0.name.canonicalName.hasPrefix("access-control-") })
  }

  @Test("flask-cors with several exact origins and no Origin sends one Access-Control-Allow-Origin, the first sorted")
  func flaskNoOrigin() throws {
    let yaml = "preset: flask-cors\noptions: {origins: [https://b.example.com, https://a.example.com]}"
    let r = try answer(yaml, "GET https://api.example.com/data")
    #expect(r.headers.fields(named: .accessControlAllowOrigin).map(\.value) == ["https://a.example.com"])
    #expect(r.headers.get(.vary) == "Origin")
  }

  @Test("rs/cors releases: 1.7 answers 200 with three Vary lines and canonical headers; 1.10 sends MaxAge 0 for a negative one; 1.11 echoes as sent")
  func rsCorsVersions() throws {
    func policy(_ version: String?) -> String {
      "preset: rs-cors\n" + (version.map { "version: '\($0)'\n" } ?? "")
        + "options: {AllowedOrigins: [https://app.example.com], AllowedMethods: [GET, PUT], AllowedHeaders: [Content-Type], MaxAge: -1}"
    }
    let v17 = try answer(policy("1.7.0"), preflightPUT)
    #expect(v17.status == 200)
    #expect(v17.headers.fields(named: .vary).map(\.value) == ["Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"])
    #expect(v17.headers.get("Access-Control-Allow-Headers") == "Content-Type")
    #expect(v17.headers.get(.accessControlMaxAge) == nil)
    let v110 = try answer(policy("1.10"), preflightPUT)
    #expect(v110.status == 204)
    #expect(v110.headers.get(.accessControlMaxAge) == "0")
    #expect(v110.headers.fields(named: .vary).count == 1)
    let v111 = try answer(policy(nil), preflightPUT)
    #expect(v111.headers.get("Access-Control-Allow-Headers") == "content-type")
    #expect(v111.headers.get(.accessControlMaxAge) == "0")
    // `put` is not `PUT` from 1.10 on; 1.7 upper-cases both sides.
    let lower = "OPTIONS https://api.example.com/data Origin: https://app.example.com Access-Control-Request-Method: put"
    #expect(try answer(policy("1.7.0"), lower).headers.get(.accessControlAllowOrigin) == "https://app.example.com")
    #expect(try answer(policy(nil), lower).headers.get(.accessControlAllowOrigin) == nil)
    #expect { try PolicyDocument(text: policy("1.6.0")) } throws: { ($0 as? PolicyFileError)?.message.contains("not modelled") == true }
    #expect { try PolicyDocument(text: "preset: rs-cors\nversion: '1.7.0'\noptions: {OptionsSuccessStatus: 200}") } throws: {
      ($0 as? PolicyFileError)?.message.contains("appeared in 1.8.1") == true
    }
    #expect(throws: PolicyFileError.self) { try PolicyDocument(text: "preset: vapor\nversion: '4.0'") }
  }

  @Test("function options are refused plainly, pointing to the live audit and the in-process test", arguments: [
    "preset: rs-cors\noptions: {AllowOriginFunc: 'func(o string) bool { return true }'}",
    "preset: express-cors\noptions: {origin: '(origin, cb) => cb(null, true)'}",
    "preset: aspnetcore\noptions: {SetIsOriginAllowed: 'origin => true'}",
  ])
  func functions(yaml: String) {
    #expect { try PolicyDocument(text: yaml) } throws: { error in
      let m = (error as? PolicyFileError)?.message ?? ""
      return m.contains("is a function") && m.contains("corsim audit URL") && m.contains("in-process")
    }
  }
}

@Suite("corsim policy answer: the request line")
struct RequestLineTests {
  @Test("METHOD URL Name: value…, values of several words, preflight and credentials told from the headers")
  func parse() throws {
    let r = try ServerRequest(commandLine: "OPTIONS https://api.example.com/data?x=1 Origin: https://app.example.com Access-Control-Request-Method: PUT Cookie: a=1; b=2")
    #expect(r.method == "OPTIONS")
    #expect(r.url.href == "https://api.example.com/data?x=1")
    #expect(r.isPreflight && r.includesCredentials)
    #expect(r.value(of: "Cookie") == "a=1; b=2")
    #expect(throws: PolicyFileError.self) { try ServerRequest(commandLine: "GET") }
    #expect(throws: PolicyFileError.self) { try ServerRequest(commandLine: "GET /relative") }
    #expect(throws: PolicyFileError.self) { try ServerRequest(commandLine: "GET https://a.example stray words") }
    let route = try answer("origins: [https://app.example.com]", getFromApp)
    #expect(route.httpText.hasPrefix("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"))
  }
}
