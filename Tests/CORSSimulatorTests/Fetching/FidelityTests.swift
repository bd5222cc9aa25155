import Testing
@testable import CORSSimulator

private func route(_ url: String, method: Method? = nil, status: Int = 200, _ headers: [(String, String)]) -> Route {
  Route(method: method, url: try! URLRecord(url), status: status, headers: HeaderList(pairs: headers))
}

private func sim(_ profile: BrowserProfile, _ routes: [Route]) -> Simulator {
  Simulator(profile: profile, page: try! Page("https://app.example/index.html"), server: Server(routes: routes))
}

private func verdict(_ profile: BrowserProfile, _ routes: [Route], _ request: ScriptRequest) -> Verdict {
  var s = sim(profile, routes)
  return s.fetch(request)
}

@Suite("The HTTP cache (RFC 9111) as it changes CORS outcomes")
struct HTTPCacheTests {
  @Test("a fresh response answers the next request; nothing is sent, the stored lines are CORS-checked")
  func freshHit() {
    var s = sim(.chromium, [route("https://api.example/d", [("Access-Control-Allow-Origin", "*"), ("Cache-Control", "max-age=60")])])
    _ = s.fetch(ScriptRequest(url: "https://api.example/d", credentials: .omit))
    let second = s.fetch(ScriptRequest(url: "https://api.example/d", credentials: .omit))
    #expect(second.outcome == .readable)
    #expect(second.requests.isEmpty)
    s.advance(by: 61)
    #expect(s.fetch(ScriptRequest(url: "https://api.example/d", credentials: .omit)).requests.count == 1)
  }

  @Test("freshness: max-age, Expires − Date, invalid Expires, no-store, no-cache, non-GET")
  func lifetimes() {
    func life(_ h: [(String, String)], method: String = "GET", status: Int = 200) -> Double? {
      HTTPCache.lifetime(method: method, status: status, headers: HeaderList(pairs: h))
    }
    #expect(life([("Cache-Control", "max-age=600")]) == 600)
    #expect(life([("Date", "Mon, 01 Jan 2035 00:00:00 GMT"), ("Expires", "Mon, 01 Jan 2035 01:00:00 GMT")]) == 3600)
    #expect(life([("Expires", "0")]) == 0)
    #expect(life([("Cache-Control", "no-store, max-age=600")]) == nil)
    #expect(life([("Cache-Control", "no-cache, max-age=600")]) == 0)
    #expect(life([("Cache-Control", "max-age=600")], method: "POST") == nil)
    #expect(life([("Cache-Control", "max-age=600")], status: 302) == nil)
    #expect(life([]) == nil)
    // Lines that name no freshness (the usual response) give none; nor do such lines after the freshness lines.
    #expect(life([("Content-Type", "text/plain"), ("Vary", "Origin")]) == nil)
    #expect(life([("Content-Type", "text/plain"), ("cache-control", "max-age=5")]) == 5)
    #expect(life([("X-Cache", "max-age=5"), ("expires", "0")]) == 0)
    // Chromium's permanent statuses are fresh for ever without a freshness line, and only with the profile's rule;
    // a freshness line still decides when there is one.
    func permanent(_ h: [(String, String)], _ status: Int) -> Double? {
      HTTPCache.lifetime(method: "GET", status: status, headers: HeaderList(pairs: h), permanentStatusesFreshForever: true)
    }
    for status in [300, 301, 308, 410] {
      #expect(permanent([], status) == .greatestFiniteMagnitude, "\(status)")
      #expect(permanent([("Location", "/x")], status) == .greatestFiniteMagnitude, "\(status)")
      #expect(life([("Location", "/x")], status: status) == nil, "\(status)")
      #expect(permanent([("Cache-Control", "max-age=7")], status) == 7, "\(status)")
      #expect(permanent([("Cache-Control", "no-cache")], status) == 0, "\(status)")
      #expect(permanent([("Cache-Control", "no-store")], status) == nil, "\(status)")
    }
    for status in [200, 204, 302, 404] { #expect(permanent([("Location", "/x")], status) == nil, "\(status)") }
    #expect(HTTPDate.seconds("Thu, 01 Jan 1970 00:00:00 GMT") == 0)
    #expect(HTTPDate.seconds("Sun, 06 Nov 1994 08:49:37 GMT") == 784111777)
    #expect(HTTPDate.seconds("Sunday, 06-Nov-94 08:49:37 GMT") == nil)
  }

  @Test("without Vary the no-cors response answers the CORS fetch (and fails it); Vary: Origin keeps them apart")
  func varyOrigin() {
    for (vary, hit) in [(false, true), (true, false)] {
      var h = [("Cache-Control", "max-age=600")]
      if vary { h.append(("Vary", "Origin")) }
      var s = sim(.chromium, [route("https://cdn.example/a.png", h)])
      var image = ScriptRequest(api: .element, url: "https://cdn.example/a.png")
      image.element = .image
      _ = s.fetch(image)
      let v = s.fetch(ScriptRequest(url: "https://cdn.example/a.png"))
      #expect(v.notes.contains(.httpCacheHit) == hit)
      #expect(v.requests.isEmpty == hit)
    }
  }

  @Test("Firefox keys anonymous requests apart; Chromium and WebKit do not")
  func anonymousKey() {
    for (profile, shared) in [(BrowserProfile.chromium, true), (.webkit, true), (.firefox, false)] {
      var s = sim(profile, [route("https://api.example/d", [("Access-Control-Allow-Origin", "https://app.example"),
                                                             ("Access-Control-Allow-Credentials", "true"),
                                                             ("Cache-Control", "max-age=600")])])
      _ = s.fetch(ScriptRequest(url: "https://api.example/d", credentials: .include))
      let v = s.fetch(ScriptRequest(url: "https://api.example/d", credentials: .omit))
      #expect(v.requests.isEmpty == shared, "\(profile.engine)")
    }
  }

  @Test("the failing sequence behind a missing Vary: Origin, and none with it")
  func reuseSequence() throws {
    let page = try URLRecord("https://app.example/")
    var image = ScriptRequest(api: .element, url: "https://api.example/d")
    image.element = .image
    // A server whose answer allows the origin in every case: the hit succeeds, no sequence.
    let allowing = Server(routes: [route("https://api.example/d", [("Access-Control-Allow-Origin", "https://app.example"),
                                                                    ("Cache-Control", "max-age=600")])])
    #expect(Simulator.cacheReuseSequence(profile: .chromium, server: allowing,
                                         steps: [(page, image), (page, ScriptRequest(url: "https://api.example/d"))]) == nil)
    // The server names the origin only when there is one, and says nothing of Vary.
    let responder = Responder(name: "echo") { r in
      var h: [(String, String)] = [("Cache-Control", "max-age=600")]
      if let o = r.headers.get(.origin) { h.append(("Access-Control-Allow-Origin", o)) }
      return Route(url: r.url, headers: HeaderList(pairs: h))
    }
    let sequence = try #require(Simulator.cacheReuseSequence(
      profile: .chromium, server: Server(responder: responder),
      steps: [(page, image), (page, ScriptRequest(url: "https://api.example/d"))]))
    #expect(sequence.alone.outcome == .readable)
    #expect(sequence.lines.last?.contains("answered from the HTTP cache") == true)
    #expect(sequence.lines.last?.hasSuffix("network-error: missing-allow-origin") == true)
    let varied = Responder(name: "echo-vary") { r in
      var h: [(String, String)] = [("Cache-Control", "max-age=600"), ("Vary", "Origin")]
      if let o = r.headers.get(.origin) { h.append(("Access-Control-Allow-Origin", o)) }
      return Route(url: r.url, headers: HeaderList(pairs: h))
    }
    #expect(Simulator.cacheReuseSequence(profile: .chromium, server: Server(responder: varied),
                                         steps: [(page, image), (page, ScriptRequest(url: "https://api.example/d"))]) == nil)
  }
}

@Suite("Console lines per step (Verdict.consoleMessages)")
struct ConsoleLinesTests {
  @Test("Firefox adds CORSDidNotSucceed after a redirect response failed its CORS check; WebKit the API's line")
  func secondLines() {
    let routes = [route("https://api.example/r", status: 302, [("Access-Control-Allow-Origin", "https://evil.example"),
                                                                ("Location", "https://api.example/d")])]
    let f = verdict(.firefox, routes, ScriptRequest(url: "https://api.example/r"))
    #expect(f.consoleMessages.count == 2)
    #expect(f.consoleMessages.last == "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example/r. (Reason: CORS request did not succeed). Status code: (null).")
    let w = verdict(.webkit, routes, ScriptRequest(url: "https://api.example/r"))
    #expect(w.consoleMessages == [w.consoleMessage!, "Fetch API cannot load https://api.example/r due to access control checks."])
    let c = verdict(.chromium, routes, ScriptRequest(url: "https://api.example/r"))
    // Chromium's network entry for the failed load follows its CORS line, as DevTools shows it.
    #expect(c.consoleMessages == [c.consoleMessage!, "GET https://api.example/r net::ERR_FAILED"])
    #expect(verdict(.spec, routes, ScriptRequest(url: "https://api.example/r")).consoleMessages.isEmpty)
  }
}

@Suite("Chromium's network entries as DevTools shows them (Verdict.consoleMessages)")
struct ChromiumNetworkEntryTests {
  @Test("an element load that fails its CORS check is followed by its network entry, as fetch is")
  func elementEntry() {
    var s = sim(.chromium, [route("https://cdn.example/cat.png", [])])
    let v = s.fetch(.load(.image, "https://cdn.example/cat.png", crossOrigin: .anonymous))
    #expect(v.outcome == .networkError)
    #expect(v.consoleMessages == [v.consoleMessage!, "GET https://cdn.example/cat.png net::ERR_FAILED"])
  }

  @Test("a readable or opaque response with an error status gets its entry with the reason phrase; 2xx none")
  func statusEntries() {
    let allowed = verdict(.chromium, [route("https://api.example/d", status: 404, [("Access-Control-Allow-Origin", "*")])],
                          ScriptRequest(url: "https://api.example/d"))
    #expect(allowed.outcome == .readable)
    #expect(allowed.consoleMessages == ["GET https://api.example/d 404 (Not Found)"])
    let opaque = verdict(.chromium, [route("https://api.example/d", status: 500, [])],
                         ScriptRequest(url: "https://api.example/d", mode: .noCORS))
    #expect(opaque.outcome == .opaque)
    #expect(opaque.consoleMessages == ["GET https://api.example/d 500 (Internal Server Error)"])
    #expect(verdict(.chromium, [route("https://api.example/d", [("Access-Control-Allow-Origin", "*")])],
                    ScriptRequest(url: "https://api.example/d")).consoleMessages.isEmpty)
    #expect(verdict(.firefox, [route("https://api.example/d", status: 404, [("Access-Control-Allow-Origin", "*")])],
                    ScriptRequest(url: "https://api.example/d")).consoleMessages.isEmpty)
  }

  @Test("redirect failures name net's error: two Location lines, a Location that does not parse, a non-HTTP scheme")
  func redirectErrors() {
    func lines(_ locations: [String]) -> [String] {
      verdict(.chromium, [route("https://api.example/r", status: 302,
                                [("Access-Control-Allow-Origin", "*")] + locations.map { ("Location", $0) })],
              ScriptRequest(url: "https://api.example/r")).consoleMessages
    }
    #expect(lines(["/a", "/b"]) == ["GET https://api.example/r net::ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION"])
    #expect(lines(["https://exa mple/"]) == ["GET https://api.example/r net::ERR_INVALID_REDIRECT"])
    #expect(lines(["ftp://files.example/x"]).last == "GET https://api.example/r net::ERR_UNSAFE_REDIRECT")
  }

  @Test("a CORP refusal names the policy that refused: same-origin, same-site")
  func corpEntries() {
    func line(_ policy: String) -> String? {
      verdict(.chromium, [route("https://cdn.other/p.png", [("Cross-Origin-Resource-Policy", policy)])],
              ScriptRequest(url: "https://cdn.other/p.png", mode: .noCORS)).consoleMessages.last
    }
    #expect(line("same-origin") == "GET https://cdn.other/p.png net::ERR_BLOCKED_BY_RESPONSE.NotSameOrigin")
    #expect(line("same-site") == "GET https://cdn.other/p.png net::ERR_BLOCKED_BY_RESPONSE.NotSameSite")
  }

  @Test("a load ORB blocked shows no line")
  func orbSilent() {
    var s = sim(.chromium, [Route(url: try! URLRecord("https://api.example/me"),
                                  headers: HeaderList(pairs: [("Content-Type", "application/json")]), body: "{\"a\": 1}")])
    let v = s.fetch(.load(.image, "https://api.example/me"))
    #expect(v.reason == .orbBlocked)
    #expect(v.consoleMessages.isEmpty)
  }
}

@Suite("Firefox's console as played: what it leaves out, what it says instead")
struct FirefoxConsoleAsPlayedTests {
  @Test("a failed no-cors load logs nothing; the same load in cors mode logs CORSDidNotSucceed")
  func noCORSFailureSilent() {
    let routes = [Route(url: try! URLRecord("https://api.example/p"), networkFailure: true)]
    let quiet = verdict(.firefox, routes, ScriptRequest(url: "https://api.example/p", mode: .noCORS))
    #expect(quiet.reason == .requestFailed)
    #expect(quiet.consoleMessage == nil)
    #expect(quiet.consoleMessages.isEmpty)
    #expect(verdict(.firefox, routes, ScriptRequest(url: "https://api.example/p")).consoleMessage?
      .contains("(Reason: CORS request did not succeed)") == true)
  }

  @Test("no closing CORSDidNotSucceed after a refused redirect that was not to be followed")
  func manualRedirect() {
    let routes = [route("https://api.example/r", status: 302, [("Location", "https://api.example/d")])]
    var manual = ScriptRequest(url: "https://api.example/r")
    manual.redirect = .manual
    let v = verdict(.firefox, routes, manual)
    #expect(v.reason == .missingAllowOrigin)
    #expect(v.consoleMessages == [v.consoleMessage!])
    #expect(verdict(.firefox, routes, ScriptRequest(url: "https://api.example/r")).consoleMessages.count == 2)
  }

  @Test("about: and another origin's blob: URL are a Security Error; another scheme in no-cors mode says nothing")
  func securityErrors() {
    let about = verdict(.firefox, [], ScriptRequest(url: "about:config", mode: .noCORS))
    #expect(about.consoleMessage == "Security Error: Content at https://app.example/index.html may not load or link to about:config.")
    let blob = verdict(.firefox, [], ScriptRequest(url: "blob:https://other.example/3f2a9c10-0000-4000-8000-000000000000"))
    #expect(blob.consoleMessage == "Security Error: Content at https://app.example/index.html may not load data from blob:https://other.example/3f2a9c10-0000-4000-8000-000000000000.")
    var httpPage = Simulator(profile: .firefox, page: try! Page("http://app.example/index.html"), server: Server(routes: []))
    let ftp = httpPage.fetch(ScriptRequest(url: "ftp://files.example/readme.txt", mode: .noCORS))
    #expect(ftp.reason == .unsupportedScheme)
    #expect(ftp.consoleMessages.isEmpty)
  }
}

@Suite("WebKit's console as played: the lines around the main one")
struct WebKitConsoleAsPlayedTests {
  @Test("a load refused before it starts gets 'Not allowed to request resource' between the main line and the API's")
  func notAllowedToRequest() {
    let mixed = verdict(.webkit, [], ScriptRequest(url: "http://api.example/data"))
    #expect(mixed.reason == .mixedContentBlocked)
    #expect(mixed.consoleMessages == [mixed.consoleMessage!, "Not allowed to request resource",
                                      "Fetch API cannot load http://api.example/data due to access control checks."])
    var noCORS = ScriptRequest(url: "https://api.example/pixel.png", mode: .noCORS)
    noCORS.redirect = .manual
    let redirectMode = verdict(.webkit, [], noCORS)
    #expect(redirectMode.consoleMessages == ["No-Cors mode requires follow redirect mode", "Not allowed to request resource",
                                             "Fetch API cannot load https://api.example/pixel.png due to access control checks."])
  }

  @Test("schemes by mode: file: and ftp: in no-cors mode have lines of their own; in cors mode the HTTP-only line")
  func schemes() {
    #expect(verdict(.webkit, [], ScriptRequest(url: "file:///etc/hosts")).consoleMessage
      == "Cross origin requests are only supported for HTTP.")
    #expect(verdict(.webkit, [], ScriptRequest(url: "file:///etc/hosts", mode: .noCORS)).consoleMessage
      == "Not allowed to load local resource: file:///etc/hosts")
    var httpPage = Simulator(profile: .webkit, page: try! Page("http://app.example/index.html"), server: Server(routes: []))
    #expect(httpPage.fetch(ScriptRequest(url: "ftp://files.example/readme.txt", mode: .noCORS)).consoleMessage
      == "FTP URLs are disabled")
  }

  @Test("a same-origin-mode refusal is one line; a classic script refused by CORS gets the script's line")
  func modeAndScript() {
    let mode = verdict(.webkit, [], ScriptRequest(url: "https://api.example/data", mode: .sameOrigin))
    #expect(mode.consoleMessages == ["Fetch API cannot load https://api.example/data."])
    var s = sim(.webkit, [route("https://cdn.example/lib.js", [])])
    let script = s.fetch(.load(.script, "https://cdn.example/lib.js", crossOrigin: .anonymous))
    #expect(script.consoleMessages.last == "Cross-origin script load denied by Cross-Origin Resource Sharing policy.")
  }

  @Test("XHR: a refused header and a synchronous request's restrictions are logged")
  func xhrLines() {
    var forbidden = ScriptRequest(api: .xhr, url: "https://api.example/d", headers: ["Referer": "x"])
    forbidden.credentials = nil
    let v = verdict(.webkit, [route("https://api.example/d", [("Access-Control-Allow-Origin", "*")])], forbidden)
    #expect(v.consoleMessages == ["Refused to set unsafe header \"Referer\""])
    var sync = ScriptRequest(api: .xhr, url: "https://api.example/d")
    sync.synchronous = true
    sync.timeout = 5
    let t = verdict(.webkit, [], sync)
    #expect(t.outcome == .invalid)
    #expect(t.consoleMessages == ["XMLHttpRequest.timeout cannot be set for synchronous HTTP(S) requests made from the window context."])
  }
}

@Suite("Console lines around redirects, as played")
struct RedirectConsoleAsPlayedTests {
  @Test("WebKit prints the redirect target without its credentials first, with them second")
  func webkitCredentials() {
    let v = verdict(.webkit, [route("https://api.example/r", status: 302, [("Access-Control-Allow-Origin", "*"),
                                                                           ("Location", "https://user:secret@other.example/d")])],
                    ScriptRequest(url: "https://api.example/r"))
    #expect(v.consoleMessage == "Cross-origin redirection to https://other.example/d denied by Cross-Origin Resource Sharing policy: redirection URL https://user:secret@other.example/d has credentials")
  }

  @Test("Chromium's entry for redirect mode error names the target; Firefox's closing line after a mixed-content redirect the first URL")
  func targets() {
    var noFollow = ScriptRequest(url: "https://api.example/r")
    noFollow.redirect = .error
    let routes = [route("https://api.example/r", status: 302, [("Access-Control-Allow-Origin", "*"), ("Location", "https://other.example/d")])]
    #expect(verdict(.chromium, routes, noFollow).consoleMessages.last == "GET https://other.example/d net::ERR_FAILED")
    let mixed = verdict(.firefox, [route("https://api.example/r", status: 302, [("Access-Control-Allow-Origin", "*"), ("Location", "http://api.example/d")])],
                        ScriptRequest(url: "https://api.example/r"))
    #expect(mixed.reason == .mixedContentBlocked)
    #expect(mixed.consoleMessages.last?.contains("remote resource at https://api.example/r. (Reason: CORS request did not succeed)") == true)
  }

  @Test("WebKit: an element refused as mixed content gets no 'Not allowed to request resource'")
  func webkitElementMixed() {
    var s = sim(.webkit, [])
    let v = s.fetch(.load(.script, "http://cdn.example/lib.js"))
    #expect(v.reason == .mixedContentBlocked)
    #expect(!v.consoleMessages.contains("Not allowed to request resource"))
  }
}

@Suite("Subresource integrity failures as each console prints them")
struct IntegrityMessageTests {
  static let metadata = "sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ= sha512-AAAA sha384-BBBB"

  func message(_ profile: BrowserProfile, headers: [(String, String)], body: String?) -> String? {
    let r = Route(url: try! URLRecord("https://cdn.example/x.js"), headers: HeaderList(pairs: [("Access-Control-Allow-Origin", "*")] + headers), body: body)
    var request = ScriptRequest(url: "https://cdn.example/x.js")
    request.integrity = Self.metadata
    let v = verdict(profile, [r], request)
    #expect(v.failure?.reason == .integrityMismatch)
    return v.consoleMessage
  }

  @Test("Chromium and Firefox name the strongest algorithm of the metadata and the body's digest under it")
  func strongestDigest() {
    // sha512 is the strongest named: its digest of "hello, world", base64 (`openssl dgst -sha512 -binary | base64`).
    let digest = "hxAznctoFNDZ0ikO9CIoXJMitxY5Ufmgyo+IPTMFKG9EE5qjdISOQXT1qtpmMCfkVIY3ttGYlK7E+2xGoTn7+Q=="
    #expect(message(.chromium, headers: [], body: "hello, world") == "Failed to find a valid digest in the 'integrity' attribute for resource 'https://cdn.example/x.js' with computed SHA-512 integrity '\(digest)'. The resource has been blocked.")
    #expect(message(.firefox, headers: [], body: "hello, world") == "None of the “sha512” hashes in the integrity attribute match the content of the subresource at “https://cdn.example/x.js”. The computed hash is “\(digest)”.")
  }

  @Test("the fix names the hash of the body served, and with it as the metadata the same fetch succeeds; same-origin too")
  func fixApplied() {
    for (page, url) in [("https://app.example/index.html", "https://cdn.example/x.js"),
                        ("https://app.example/index.html", "https://app.example/x.js")] {
      for profile in [BrowserProfile.chromium, .firefox, .webkit, .spec] {
        let r = Route(url: try! URLRecord(url), headers: HeaderList(pairs: [("Access-Control-Allow-Origin", "*")]), body: "hello, world")
        var s = Simulator(profile: profile, page: try! Page(page), server: Server(routes: [r]))
        var request = ScriptRequest(url: url)
        request.integrity = Self.metadata
        let failed = s.fetch(request)
        #expect(failed.failure?.reason == .integrityMismatch)
        let summary = failed.fix?.summary ?? ""
        // The advised metadata, between backticks: `sha512-…`.
        guard let start = summary.range(of: "`sha"), let end = summary[start.upperBound...].firstIndex(of: "`") else {
          Issue.record("\(profile.engine) \(url): no hash in the fix: \(summary)")
          continue
        }
        request.integrity = String(summary[summary.index(after: start.lowerBound)..<end])
        #expect(s.fetch(request).outcome == .readable, "\(profile.engine) \(url): \(summary)")
      }
    }
  }

  @Test("WebKit prints the body's length and the one Content-Length the response declared, else 0")
  func webKitLengths() {
    let prefix = "Failed integrity metadata check. https://cdn.example/x.js. Failed integrity metadata check. Content length: "
    let suffix = ", Expected metadata: \(Self.metadata)"
    #expect(message(.webkit, headers: [], body: "hello, world") == prefix + "12, Expected content length: 0" + suffix)
    #expect(message(.webkit, headers: [("Content-Length", " 12 ")], body: "hello, world") == prefix + "12, Expected content length: 12" + suffix)
    // Two lines, or a value that is not digits: no length declared.
    #expect(message(.webkit, headers: [("Content-Length", "12"), ("Content-Length", "12")], body: "hello, world") == prefix + "12, Expected content length: 0" + suffix)
    #expect(message(.webkit, headers: [("Content-Length", "+12")], body: "hello, world") == prefix + "12, Expected content length: 0" + suffix)
    #expect(message(.webkit, headers: [], body: nil) == prefix + "(no content), Expected content length: 0" + suffix)
  }
}

@Suite("A redirect to a URL with a username and password, in Chromium's console")
struct RedirectCredentialsMessageTests {
  func consoleLines(_ location: String) -> (Verdict, [String]) {
    let routes = [route("https://app.example/r", status: 302, [("Location", location), ("Access-Control-Allow-Origin", "*")]),
                  route("https://app.example/data", [])]
    let v = verdict(.chromium, routes, ScriptRequest(url: "https://app.example/r"))
    return (v, v.consoleMessages)
  }

  @Test("within the page's origin only Chromium refuses it, and prints nothing; leaving it, the CORS line and the entry")
  func sameOriginSilent() {
    let (same, sameLines) = consoleLines("https://user:secret@app.example/data")
    #expect(same.failure?.reason == .redirectWithCredentials)
    #expect(sameLines.isEmpty, "\(sameLines)")
    let (cross, crossLines) = consoleLines("https://user:secret@api.example/data")
    #expect(cross.failure?.reason == .redirectWithCredentials)
    #expect(crossLines.first?.hasSuffix("Redirect location '' contains a username and password, which is disallowed for cross-origin requests.") == true, "\(crossLines)")
    #expect(crossLines.contains("GET https://app.example/r net::ERR_FAILED"), "\(crossLines)")
  }
}

@Suite("Firefox's console after a preflight that was redirected or could not connect")
struct FirefoxPreflightLinesTests {
  func lines(_ preflight: Route) -> [String] {
    var request = ScriptRequest(url: "https://api.example/data")
    request.method = "PUT"
    return verdict(.firefox, [preflight], request).consoleMessages
  }
  static let blocked = "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example/data. (Reason: "
  static let didNotSucceed = blocked + "CORS request did not succeed). Status code: (null)."

  @Test("a redirect that passed the CORS check: the refusal, the preflight's 3xx, the request's failure")
  func redirectAllowed() {
    let preflight = route("https://api.example/data", method: "OPTIONS", status: 307,
                          [("Access-Control-Allow-Origin", "https://app.example"), ("Location", "https://api.example/other")])
    #expect(lines(preflight) == [Self.blocked + "CORS request external redirect not allowed).",
                                 Self.blocked + "CORS preflight response did not succeed). Status code: 307.", Self.didNotSucceed])
  }

  @Test("a redirect that failed the CORS check: the refusal, then the failure twice; a failed connection: twice")
  func redirectRefusedAndConnectionFailure() {
    let preflight = route("https://api.example/data", method: "OPTIONS", status: 301, [("Location", "https://api.example/data/")])
    #expect(lines(preflight) == [Self.blocked + "CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 301.",
                                 Self.didNotSucceed, Self.didNotSucceed])
    let failing = Route(method: "OPTIONS", url: try! URLRecord("https://api.example/data"), networkFailure: true)
    #expect(lines(failing) == [Self.didNotSucceed, Self.didNotSucceed])
  }
}

@Suite("Chromium's network entry for a file: page's fetch of a file: URL")
struct FilePageNetworkEntryTests {
  @Test("the CORS line about schemes, then the entry; an http: page's fetch of a file: URL has neither")
  func filePage() {
    func lines(page: String) -> [String] {
      var s = Simulator(profile: .chromium, page: try! Page(page), server: Server(routes: []))
      return s.fetch(ScriptRequest(url: "file:///etc/hosts")).consoleMessages
    }
    let fromFile = lines(page: "file:///tmp/site/index.html")
    #expect(fromFile.count == 2 && fromFile.last == "GET file:///etc/hosts net::ERR_FAILED", "\(fromFile)")
    #expect(lines(page: "https://app.example/index.html") == ["Not allowed to load local resource: file:///etc/hosts"])
  }
}

@Suite("Chromium's line for a same-origin fetch redirected to another origin")
struct SameOriginModeRedirectMessageTests {
  @Test("Blink's access-denied line, its newline kept, and no network entry")
  func accessDenied() {
    let routes = [route("https://app.example/r", status: 302, [("Location", "https://api.example/data")]),
                  route("https://api.example/data", [("Access-Control-Allow-Origin", "*")])]
    var request = ScriptRequest(url: "https://app.example/r")
    request.mode = .sameOrigin
    let v = verdict(.chromium, routes, request)
    #expect(v.failure?.reason == .disallowedByMode)
    #expect(v.consoleMessages == ["Unsafe attempt to load URL https://api.example/data from frame with URL https://app.example/index.html. Domains, protocols and ports must match.\n"])
  }
}
