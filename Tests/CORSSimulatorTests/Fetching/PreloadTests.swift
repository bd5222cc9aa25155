import Testing
@testable import CORSSimulator

@Suite("<link rel=preload>: html links.html#link-type-preload, #consume-a-preloaded-resource; fetch.bs #concept-fetch step 11")
struct PreloadTests {
  static let data = "https://api.example/data"

  func preload(_ url: String = data, as kind: PreloadDestination = .fetch, crossOrigin: ScriptRequest.CrossOrigin? = nil)
    -> ScriptRequest {
    var r = ScriptRequest(api: .preload, url: url)
    r.preloadAs = kind
    r.crossOrigin = crossOrigin
    return r
  }

  func run(_ profile: BrowserProfile = .spec) throws -> FetchRun {
    let page = try Page("https://app.example/index.html")
    return FetchRun(owning: Simulator(profile: profile, page: page), api: .preload)
  }

  @Test("the request: potential-CORS by crossorigin, destination from as (fetch is '')",
        arguments: [(nil as String?, RequestMode.noCORS, CredentialsMode.include), ("", .cors, .sameOrigin),
                    ("anonymous", .cors, .sameOrigin), ("use-credentials", .cors, .include), ("bogus", .cors, .sameOrigin)])
  func request(crossOrigin: String?, mode: RequestMode, credentials: CredentialsMode) throws {
    for kind in PreloadDestination.allCases {
      let r = try run().constructPreloadRequest(preload(as: kind, crossOrigin: crossOrigin.map { .init(rawValue: $0) }))
      #expect(r.mode == mode && r.credentialsMode == credentials && !r.unsafeRequest)
      #expect(r.destination == kind.destination)
    }
    #expect(PreloadDestination.fetch.destination == .empty)
  }

  @Test("a preload with fetch()'s key answers it: one request; the second request sends nothing", arguments: Engine.allWithSpec)
  func used(engine: Engine) {
    var sim = simulator(.forEngine(engine), routes: [route(url: Self.data, [acao])])
    let link = sim.fetch(preload(crossOrigin: .anonymous))
    #expect(link.outcome == .readable && link.preloadEvent == "load" && link.requests.count == 1)
    #expect(sim.preloads.count == 1)
    let v = sim.fetch(ScriptRequest(url: Self.data))
    #expect(v.outcome == .readable && v.responseType == .cors && v.requests.isEmpty && v.answeredByPreload)
    #expect(v.notes.contains(.preloadUsed))
    #expect(sim.preloads.isEmpty)
    // Used once: the next fetch() goes to the network.
    let again = sim.fetch(ScriptRequest(url: Self.data))
    #expect(again.requests.count == 1 && !again.answeredByPreload)
  }

  @Test("as=fetch without crossorigin is never fetch()'s: two requests; Chromium warns of the credentials mode",
        arguments: Engine.allWithSpec)
  func withoutCrossOrigin(engine: Engine) {
    var sim = simulator(.forEngine(engine), routes: [route(url: Self.data, [acao])])
    let link = sim.fetch(preload())
    #expect(link.outcome == .opaque && link.requests.first?.value(of: "Origin") == nil)
    let v = sim.fetch(ScriptRequest(url: Self.data))
    #expect(v.outcome == .readable && v.requests.count == 1 && !v.answeredByPreload)
    #expect(v.notes.contains(.preloadNotUsed))
    let note = v.trace.first { $0.event == .note(.preloadNotUsed) }?.text ?? ""
    #expect(note.contains("this request's is same-origin and its mode cors; the link for it has crossorigin."), "\(note)")
    let warning = "A preload for 'https://api.example/data' is found, but is not used because the request credentials mode does not match. Consider taking a look at crossorigin attribute."
    #expect(v.consoleWarnings == (engine == .chromium ? [warning] : []))
  }

  @Test("Chromium names the mode when only the mode differs (resource.cc Resource::CanReuse order)")
  func modeMismatchWording() {
    // A same-origin no-cors fetch() (credentials same-origin) against an as=fetch crossorigin preload: the
    // credentials modes agree, the modes do not.
    var sim = simulator(.chromium, routes: [route(url: "https://app.example/d", [])])
    _ = sim.fetch(preload("https://app.example/d", crossOrigin: .anonymous))
    var noCORS = ScriptRequest(url: "https://app.example/d")
    noCORS.mode = .noCORS
    let v = sim.fetch(noCORS)
    #expect(v.requests.count == 1)
    #expect(v.consoleWarnings == ["A preload for 'https://app.example/d' is found, but is not used because the request mode does not match. Consider taking a look at crossorigin attribute."])
  }

  @Test("another destination, another URL or request headers: not used, and Chromium says nothing")
  func otherKeys() {
    var sim = simulator(.chromium, routes: [route(url: Self.data, [acao])])
    _ = sim.fetch(preload(as: .script, crossOrigin: .anonymous))
    let v = sim.fetch(ScriptRequest(url: Self.data))
    #expect(v.requests.count == 1 && v.consoleWarnings.isEmpty && v.notes.contains(.preloadNotUsed))
    var sim2 = simulator(.chromium, routes: [route(url: Self.data, [acao])])
    _ = sim2.fetch(preload(crossOrigin: .anonymous))
    let other = sim2.fetch(ScriptRequest(url: Self.data + "?x=1"))
    #expect(other.requests.count == 1 && !other.notes.contains(.preloadNotUsed))
    // fetch() with an author header has the unsafe-request flag and a header: step 11 does not look.
    var withHeader = ScriptRequest(url: Self.data)
    withHeader.headers = ["X-Requested-With": "corsim"]
    let headed = sim2.fetch(withHeader)
    #expect(!headed.answeredByPreload && !headed.requests.isEmpty)
  }

  @Test("a preload that fails CORS fails the fetch() that uses it, with no request; its fix is the server's")
  func failureReachesConsumer() {
    var sim = simulator(.chromium, routes: [route(url: Self.data, [])])
    let link = sim.fetch(preload(crossOrigin: .anonymous))
    #expect(link.reason == .missingAllowOrigin && link.preloadEvent == "error")
    #expect(link.consoleMessage == "Access to link element resource at 'https://api.example/data' from origin 'https://app.example' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.")
    let v = sim.fetch(ScriptRequest(url: Self.data))
    #expect(v.reason == .missingAllowOrigin && v.requests.isEmpty && v.answeredByPreload)
    // Chromium and Firefox print nothing for it (the preload's step did); WebKit its Fetch API line.
    #expect(v.consoleMessage == nil && v.consoleMessages.isEmpty)
    #expect(v.scriptError == "TypeError: Failed to fetch")
  }

  @Test("Firefox's link fires load when the CORS check fails; the others' fire error")
  func firefoxLoadEvent() {
    for engine in Engine.allWithSpec {
      var sim = simulator(.forEngine(engine), routes: [route(url: Self.data, [])])
      let link = sim.fetch(preload(crossOrigin: .anonymous))
      #expect(link.outcome == .networkError)
      #expect(link.preloadEvent == (engine == .firefox ? "load" : "error"))
    }
  }

  @Test("WebKit's fetch() after a failed preload prints only its Fetch API line")
  func webkitConsumerLine() {
    var sim = simulator(.webkit, routes: [route(url: Self.data, [])])
    _ = sim.fetch(preload(crossOrigin: .anonymous))
    let v = sim.fetch(ScriptRequest(url: Self.data))
    #expect(v.consoleMessages == ["Fetch API cannot load https://api.example/data due to access control checks."])
  }

  @Test("WebKit uses a preloaded script under another mode, checked again: opaque for <script>, CORS for crossorigin")
  func webkitReuse() {
    let url = "https://cdn.example/lib.js"
    var sim = simulator(.webkit, routes: [route(url: url, [("Content-Type", "text/javascript"), ("Access-Control-Allow-Origin", "*")])])
    _ = sim.fetch(preload(url, as: .script, crossOrigin: .anonymous))
    let plain = sim.fetch(.load(.script, url))
    #expect(plain.outcome == .opaque && plain.requests.isEmpty)
    _ = sim.fetch(preload(url, as: .script))
    let cors = sim.fetch(.load(.script, url, crossOrigin: .anonymous))
    #expect(cors.outcome == .readable && cors.responseType == .cors && cors.requests.isEmpty)
    // Without Access-Control-Allow-Origin the reused response fails the <script crossorigin>'s CORS check.
    var bare = simulator(.webkit, routes: [route(url: url, [("Content-Type", "text/javascript")])])
    _ = bare.fetch(preload(url, as: .script))
    let refused = bare.fetch(.load(.script, url, crossOrigin: .anonymous))
    #expect(refused.reason == .missingAllowOrigin && refused.requests.isEmpty)
    // The standard: not used, a second request.
    var spec = simulator(.spec, routes: [route(url: url, [("Content-Type", "text/javascript"), ("Access-Control-Allow-Origin", "*")])])
    _ = spec.fetch(preload(url, as: .script, crossOrigin: .anonymous))
    #expect(spec.fetch(.load(.script, url)).requests.count == 1)
  }

  @Test("WebKit reuses an as=fetch preload only with the same Origin header: not for a same-origin fetch()")
  func webkitRawOrigin() {
    let url = "https://app.example/api"
    for engine in Engine.allWithSpec {
      var sim = simulator(.forEngine(engine), routes: [route(url: url, [])])
      let link = sim.fetch(preload(url, crossOrigin: .anonymous))
      let sentOrigin = engine == .chromium || engine == .webkit
      #expect((link.requests.first?.value(of: "Origin") != nil) == sentOrigin)
      let v = sim.fetch(ScriptRequest(url: url))
      #expect(v.outcome == .readable && v.responseType == .basic)
      #expect(v.requests.count == (engine == .webkit ? 1 : 0))
    }
  }

  @Test("Firefox fetches a font preload with CORS whatever crossorigin says, and the font does not use it")
  func firefoxFont() {
    let url = "https://cdn.example/f.ttf"
    var sim = simulator(.firefox, routes: [route(url: url, [("Access-Control-Allow-Origin", "*")])])
    let link = sim.fetch(preload(url, as: .font))
    #expect(link.outcome == .readable && link.requests.first?.value(of: "Origin") == "https://app.example")
    let font = sim.fetch(.load(.font, url))
    #expect(font.requests.count == 1)
  }

  @Test("import() uses an as=script crossorigin preload, except in Firefox, which keeps it for a classic script")
  func importAndScriptKind() {
    let url = "https://cdn.example/chunk.js"
    for engine in Engine.allWithSpec {
      var sim = simulator(.forEngine(engine), routes: [route(url: url, [("Content-Type", "text/javascript"), ("Access-Control-Allow-Origin", "*")])])
      _ = sim.fetch(preload(url, as: .script, crossOrigin: .anonymous))
      let v = sim.fetch(ScriptRequest(api: .dynamicImport, url: url))
      #expect(v.outcome == .readable)
      #expect(v.requests.count == (engine == .firefox ? 1 : 0), "\(engine)")
      #expect(v.notes.contains(engine == .firefox ? .preloadNotUsed : .preloadUsed))
    }
  }

  @Test("XMLHttpRequest without withCredentials has fetch()'s key: it uses an as=fetch crossorigin preload")
  func xhr() {
    for engine in Engine.allWithSpec {
      var sim = simulator(.forEngine(engine), routes: [route(url: Self.data, [acao])])
      _ = sim.fetch(preload(crossOrigin: .anonymous))
      let v = sim.fetch(ScriptRequest(api: .xhr, url: Self.data))
      #expect(v.outcome == .readable && v.requests.isEmpty && v.answeredByPreload)
    }
  }

  @Test("WebKit says why a same-key as=fetch preload is not used: another Origin header")
  func webkitOriginNote() {
    let url = "https://app.example/api"
    var sim = simulator(.webkit, routes: [route(url: url, [])])
    _ = sim.fetch(preload(url, crossOrigin: .anonymous))
    let v = sim.fetch(ScriptRequest(url: url))
    let note = v.trace.first { $0.event == .note(.preloadNotUsed) }
    #expect(note?.text.contains("the preload sent https://app.example, this request sends none") == true, "\(String(describing: note?.text))")
  }

  @Test("credentials 'omit' against an as=fetch crossorigin preload: Chromium apart, Firefox one, WebKit by cookies sent")
  func credentialsOmit() {
    func requests(_ engine: Engine, _ url: String) -> Int {
      var sim = simulator(.forEngine(engine), routes: [route(url: url, [acao])])
      _ = sim.fetch(preload(url, crossOrigin: .anonymous))
      var omit = ScriptRequest(url: url)
      omit.credentials = .omit
      return sim.fetch(omit).requests.count
    }
    let cross = Self.data, own = "https://app.example/d"
    #expect(requests(.spec, cross) == 1 && requests(.chromium, cross) == 1)
    #expect(requests(.firefox, cross) == 0 && requests(.firefox, own) == 0)
    #expect(requests(.webkit, cross) == 0 && requests(.webkit, own) == 1)
    var cookies = BrowserProfile.spec
    cookies.preloadCredentials = .cookiesSent
    var sim = Simulator(profile: cookies, page: try! Page("https://app.example/"), server: Server(routes: [route(url: own, [])]))
    _ = sim.fetch(preload(own, crossOrigin: .anonymous))
    var omit = ScriptRequest(url: own)
    omit.credentials = .omit
    #expect(sim.fetch(omit).requests.count == 1)  // to its own origin same-origin sends cookies, omit does not
  }

  @Test("a new page starts with no preloads; the fix planner's trials see none")
  func newDocument() throws {
    var sim = simulator(routes: [route(url: Self.data, [acao])])
    _ = sim.fetch(preload(crossOrigin: .anonymous))
    #expect(sim.preloads.count == 1)
    #expect(sim.forTrials().preloads.isEmpty)
    sim.page = try Page("https://app.example/other.html")
    #expect(sim.preloads.isEmpty)
  }

  @Test("a consumer with integrity metadata uses a preload only with the same metadata")
  func integrity() {
    let url = "https://cdn.example/lib.js"
    var sim = simulator(routes: [route(url: url, [("Content-Type", "text/javascript")])])
    _ = sim.fetch(preload(url, as: .script))
    let v = sim.fetch(.load(.script, url, integrity: "sha256-AAAA"))
    #expect(!v.answeredByPreload && v.requests.count == 1)
  }
}
