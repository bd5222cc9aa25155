import Testing
@testable import CORSSimulator

@Suite("import() and workers: html webappapis.html#fetch-a-single-module-script, workers.html#fetch-a-classic-worker-script")
struct WorkerAndImportTests {
  static let cdn = "https://cdn.example/chunk.js"

  func load(_ api: ScriptAPI, _ url: String, module: Bool = false) -> ScriptRequest {
    var r = ScriptRequest(api: api, url: url)
    if module { r.workerType = .module }
    return r
  }

  func run(_ api: ScriptAPI) throws -> FetchRun {
    let page = try Page("https://app.example/index.html")
    return FetchRun(owning: Simulator(profile: .spec, page: page), api: api)
  }

  @Test("import() builds a module script request: cors, credentials same-origin, destination script")
  func importRequest() throws {
    let r = try run(.dynamicImport).constructImportRequest(load(.dynamicImport, Self.cdn))
    #expect(r.mode == .cors && r.credentialsMode == .sameOrigin && r.destination == .script && !r.unsafeRequest)
  }

  @Test("a worker builds a same-origin request, destination worker or sharedworker, module or classic",
        arguments: [(ScriptAPI.worker, false, RequestDestination.worker), (.worker, true, .worker), (.sharedWorker, false, .sharedworker)])
  func workerRequest(api: ScriptAPI, module: Bool, destination: RequestDestination) throws {
    let r = try run(api).constructWorkerRequest(load(api, "/w.js", module: module))
    #expect(r.mode == .sameOrigin && r.credentialsMode == .sameOrigin && r.destination == destination)
  }

  @Test("import() across origins needs Access-Control-Allow-Origin; * is enough (no credentials)", arguments: Engine.allWithSpec)
  func importCORS(engine: Engine) {
    var bare = simulator(.forEngine(engine), routes: [route(url: Self.cdn, [("Content-Type", "text/javascript")])])
    let refused = bare.fetch(load(.dynamicImport, Self.cdn))
    #expect(refused.reason == .missingAllowOrigin)
    #expect(refused.scriptLoadEvent == "rejected")
    var star = simulator(.forEngine(engine), routes: [
      route(url: Self.cdn, [("Content-Type", "text/javascript"), ("Access-Control-Allow-Origin", "*")]),
    ])
    let ran = star.fetch(load(.dynamicImport, Self.cdn))
    #expect(ran.outcome == .readable && ran.scriptLoadEvent == "fulfilled")
    #expect(ran.requests.first?.value(of: "Origin") == "https://app.example")
  }

  @Test("import() of text/html rejects (module-not-javascript), with the module script's line; WebKit prints none")
  func importMIME() {
    let url = "https://app.example/chunk.js"
    func lines(_ engine: Engine) -> [String] {
      var sim = simulator(.forEngine(engine), routes: [route(url: url, [("Content-Type", "text/html")])])
      let v = sim.fetch(load(.dynamicImport, url))
      #expect(v.reason == .moduleNotJavaScript)
      return v.consoleMessages
    }
    #expect(lines(.chromium) == [#"Failed to load module script: Expected a JavaScript-or-Wasm module script but the server responded with a MIME type of "text/html". Strict MIME type checking is enforced for module scripts per HTML spec."#])
    #expect(lines(.firefox) == ["Loading module from “https://app.example/chunk.js” was blocked because of a disallowed MIME type (“text/html”)."])
    #expect(lines(.webkit) == [])
  }

  @Test("import() refused by CORS: Chromium names a script, WebKit adds no Fetch API line")
  func importLines() {
    func lines(_ engine: Engine) -> [String] {
      var sim = simulator(.forEngine(engine), routes: [route(url: Self.cdn, [("Content-Type", "text/javascript")])])
      return sim.fetch(load(.dynamicImport, Self.cdn)).consoleMessages
    }
    #expect(lines(.chromium) == [
      "Access to script at 'https://cdn.example/chunk.js' from origin 'https://app.example' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
      "GET https://cdn.example/chunk.js net::ERR_FAILED",
    ])
    #expect(lines(.webkit) == ["Origin https://app.example is not allowed by Access-Control-Allow-Origin. Status code: 200"])
  }

  @Test("a worker of another origin: Chromium and WebKit throw SecurityError, Firefox and the standard fail the same-origin fetch; nothing is sent",
        arguments: Engine.allWithSpec)
  func crossOrigin(engine: Engine) {
    let url = "https://cdn.example/w.js"
    for api in [ScriptAPI.worker, .sharedWorker] {
      var sim = simulator(.forEngine(engine), routes: [
        route(url: url, [("Content-Type", "text/javascript"), ("Access-Control-Allow-Origin", "*")]),
      ])
      let v = sim.fetch(load(api, url))
      #expect(v.requests.isEmpty)
      if engine == .chromium || engine == .webkit {
        #expect(v.outcome == .invalid && v.reason == .workerCrossOrigin && v.scriptLoadEvent == "throws")
      } else {
        #expect(v.outcome == .networkError && v.reason == .disallowedByMode && v.scriptLoadEvent == "error")
      }
    }
  }

  @Test("the constructor's exception and the refusal's line, per engine")
  func crossOriginLines() {
    let url = "https://cdn.example/w.js"
    func line(_ engine: Engine, _ api: ScriptAPI) -> String? {
      var sim = simulator(.forEngine(engine), routes: [])
      return sim.fetch(load(api, url)).consoleMessage
    }
    #expect(line(.chromium, .worker) == "SecurityError: Failed to construct 'Worker': Script at 'https://cdn.example/w.js' cannot be accessed from origin 'https://app.example'.")
    #expect(line(.chromium, .sharedWorker) == "SecurityError: Failed to construct 'SharedWorker': Script at 'https://cdn.example/w.js' cannot be accessed from origin 'https://app.example'.")
    #expect(line(.webkit, .worker) == "SecurityError: The operation is insecure.")
    #expect(line(.webkit, .sharedWorker) == "SecurityError: URL of the shared worker is cross-origin")
    #expect(line(.firefox, .worker) == "Security Error: Content at https://app.example/index.html may not load data from https://cdn.example/w.js.")
    #expect(line(.firefox, .sharedWorker) == nil)
  }

  @Test("a same-origin script redirected to another origin fails in every engine (mode same-origin), with each engine's lines",
        arguments: Engine.allWithSpec)
  func redirect(engine: Engine) {
    var sim = simulator(.forEngine(engine), routes: [
      route(url: "https://app.example/w.js", status: 302, [("Location", "https://cdn.example/w.js")]),
      route(url: "https://cdn.example/w.js", [("Content-Type", "text/javascript"), ("Access-Control-Allow-Origin", "*")]),
    ])
    let v = sim.fetch(load(.worker, "/w.js"))
    #expect(v.reason == .disallowedByMode)
    #expect(v.requests.count == 1)
    switch engine {
    case .chromium: #expect(v.consoleMessages == [])
    case .firefox: #expect(v.consoleMessages == [
      "Security Error: Content at https://app.example/index.html may not load data from https://cdn.example/w.js.",
      "Loading Worker from “https://app.example/w.js” was blocked because of a disallowed MIME type (“”).",
    ])
    case .webkit: #expect(v.consoleMessages == [
      "Unsafe attempt to load URL https://cdn.example/w.js from origin https://app.example. Domains, protocols and ports must match.",
      "Cannot load https://cdn.example/w.js due to access control checks.",
    ])
    case .spec: #expect(v.consoleMessages == [])
    }
  }

  @Test("a worker script served as text/html: the standard and Firefox refuse both kinds, Chromium only modules, WebKit only classic",
        arguments: Engine.allWithSpec)
  func mime(engine: Engine) {
    let url = "https://app.example/w.js"
    func outcome(module: Bool) -> FailureReason? {
      var sim = simulator(.forEngine(engine), routes: [route(url: url, [("Content-Type", "text/html")])])
      return sim.fetch(load(.worker, url, module: module)).reason
    }
    let refused: (classic: Bool, module: Bool) = switch engine {
    case .spec, .firefox: (true, true)
    case .chromium: (false, true)
    case .webkit: (true, false)
    }
    #expect((outcome(module: false) == .workerScriptNotJavaScript) == refused.classic)
    #expect((outcome(module: true) == .workerScriptNotJavaScript) == refused.module)
    var js = simulator(.forEngine(engine), routes: [route(url: url, [("Content-Type", "text/javascript; charset=utf-8")])])
    let ok = js.fetch(load(.sharedWorker, url))
    #expect(ok.outcome == .readable && ok.scriptLoadEvent == "runs")
  }

  @Test("a script answered 404 is not run, even as text/javascript: checked before its type; each engine's lines",
        arguments: Engine.allWithSpec)
  func statusNotOK(engine: Engine) {
    let url = "https://app.example/s.js"
    func verdict(_ api: ScriptAPI) -> Verdict {
      var sim = simulator(.forEngine(engine), routes: [route(url: url, status: 404, [("Content-Type", "text/html")])])
      return sim.fetch(load(api, url))
    }
    for api in [ScriptAPI.worker, .sharedWorker] {
      #expect(verdict(api).reason == .scriptStatusNotOK)
    }
    // Firefox's module loader refuses the type as soon as the headers arrive, before the status (observed,
    // Spec/apis/import-404-served-as-html-firefox-names-the-type).
    #expect(verdict(.dynamicImport).reason == (engine == .firefox ? .moduleNotJavaScript : .scriptStatusNotOK))
    #expect(verdict(.sharedWorker).consoleMessages == (engine == .chromium ? ["Failed to fetch a worker script."] : []))
    #expect(verdict(.worker).consoleMessages == [])
    #expect(verdict(.dynamicImport).consoleMessages == (engine == .chromium ? ["GET https://app.example/s.js 404 (Not Found)"]
      : engine == .firefox ? ["Loading module from “https://app.example/s.js” was blocked because of a disallowed MIME type (“text/html”)."]
      : []))
  }
}
