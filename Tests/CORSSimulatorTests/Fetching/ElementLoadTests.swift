import Testing
@testable import CORSSimulator

func bodyRoute(_ url: String, status: Int = 200, body: String?, _ headers: [(String, String)]) -> Route {
  Route(url: try! URLRecord(url), status: status, headers: HeaderList(pairs: headers), body: body)
}

@Suite("html: create a potential-CORS request (#create-a-potential-cors-request)")
struct PotentialCORSRequestTests {
  @Test("the crossorigin attribute's state: missing, keywords, invalid values", arguments: [
    (nil as String?, CORSSettingsState.noCORS, false), ("", .anonymous, false), ("anonymous", .anonymous, false),
    ("ANONYMOUS", .anonymous, false), ("use-credentials", .useCredentials, false),
    ("Use-Credentials", .useCredentials, false), ("true", .anonymous, true), ("credentials", .anonymous, true),
  ])
  func states(attribute: String?, state: CORSSettingsState, invalid: Bool) {
    let r = CORSSettingsState.of(attribute)
    #expect(r.state == state)
    #expect(r.invalid == invalid)
  }

  @Test("mode and credentials per element and attribute")
  func modes() throws {
    let cases: [(ElementKind, String?, RequestMode, CredentialsMode)] = [
      (.image, nil, .noCORS, .include), (.image, "", .cors, .sameOrigin), (.image, "use-credentials", .cors, .include),
      (.script, nil, .noCORS, .include), (.style, "anonymous", .cors, .sameOrigin), (.video, "x", .cors, .sameOrigin),
      (.module, nil, .cors, .sameOrigin), (.module, "use-credentials", .cors, .include), (.font, nil, .cors, .sameOrigin),
    ]
    for (kind, attribute, mode, credentials) in cases {
      let run = FetchRun(owning: Simulator(profile: .spec, page: try Page("https://app.example/")), api: .element)
      let r = try run.constructElementRequest(.load(kind, "https://cdn.example/x", crossOrigin: attribute.map { .init(rawValue: $0) }))
      #expect(r.mode == mode, "\(kind) \(attribute ?? "absent")")
      #expect(r.credentialsMode == credentials, "\(kind) \(attribute ?? "absent")")
      #expect(r.destination == kind.destination)
      #expect(!r.unsafeRequest)
      #expect(r.headerList.isEmpty)
    }
  }

  @Test("no crossorigin: opaque, no Origin header, cookies attached")
  func noCORS() {
    var sim = simulator(routes: [route(url: "https://cdn.example/cat.png", [("Content-Type", "image/png")])])
    let v = sim.fetch(.load(.image, "https://cdn.example/cat.png"))
    #expect(v.outcome == .opaque)
    #expect(v.elementEvent == "load")
    #expect(v.requests.first?.value(of: "Origin") == nil)
    #expect(v.requests.first?.includesCredentials == true)
  }

  @Test("a URL that does not parse fires error without a request")
  func badURL() {
    var sim = simulator(routes: [])
    let v = sim.fetch(.load(.image, "https://[::1"))
    #expect(v.outcome == .invalid)
    #expect(v.reason == .urlParseFailed)
    #expect(v.requests.isEmpty)
    #expect(v.elementEvent == "error")
    #expect(v.consoleMessage == nil || v.engine == .spec)
  }
}

@Suite("mix #upgrade-algorithm for element loads")
struct MixedContentUpgradeTests {
  let png = [("Content-Type", "image/png")]

  @Test("an http image from an https page is upgraded; a script is blocked")
  func upgrade() {
    var sim = simulator(routes: [route(url: "https://cdn.example/cat.png", png)])
    let image = sim.fetch(.load(.image, "http://cdn.example/cat.png"))
    #expect(image.outcome == .opaque)
    #expect(image.requests.map(\.url.href) == ["https://cdn.example/cat.png"])
    #expect(image.notes.contains(.mixedContentUpgraded))
    let script = sim.fetch(.load(.script, "http://cdn.example/app.js"))
    #expect(script.reason == .mixedContentBlocked)
  }

  @Test("an IP host is not upgraded except in Firefox", arguments: BrowserProfile.all)
  func ipHost(profile: BrowserProfile) {
    var sim = simulator(profile, routes: [route(url: "https://93.184.216.34/cat.png", png)])
    let v = sim.fetch(.load(.image, "http://93.184.216.34/cat.png"))
    if profile.engine == .firefox {
      #expect(v.outcome == .opaque)
    } else {
      #expect(v.reason == .mixedContentBlocked)
    }
  }

  @Test("an explicit port is kept")
  func port() {
    var sim = simulator(routes: [route(url: "https://cdn.example:8443/cat.png", png)])
    let v = sim.fetch(.load(.video, "http://cdn.example:8443/cat.png"))
    #expect(v.requests.map(\.url.href) == ["https://cdn.example:8443/cat.png"])
  }

  @Test("an http page upgrades nothing")
  func insecurePage() {
    var sim = simulator(page: "http://app.example/", routes: [route(url: "http://cdn.example/cat.png", png)])
    let v = sim.fetch(.load(.image, "http://cdn.example/cat.png"))
    #expect(v.requests.map(\.url.href) == ["http://cdn.example/cat.png"])
  }
}

@Suite("Fetch §2.10 and §3.6.1: blocked due to MIME type, due to nosniff")
struct MIMETypeGateTests {
  func verdict(_ kind: ElementKind, _ headers: [(String, String)], profile: BrowserProfile = .spec) -> Verdict {
    var sim = simulator(profile, routes: [route(url: "https://app.example/x", headers)])
    return sim.fetch(.load(kind, "https://app.example/x"))
  }

  @Test("script-like destinations refuse audio, image, video and text/csv", arguments: [
    "image/png", "audio/mpeg", "video/mp4", "text/csv", "IMAGE/GIF; charset=x",
  ])
  func mimeType(type: String) {
    #expect(verdict(.script, [("Content-Type", type)]).reason == .mimeTypeBlocked)
  }

  @Test("legacy types still run without nosniff", arguments: ["text/plain", "text/html", "application/json", ""])
  func legacy(type: String) {
    let v = verdict(.script, type.isEmpty ? [] : [("Content-Type", type)])
    #expect(v.outcome == .readable)
  }

  @Test("nosniff: a script needs a JavaScript MIME type, a style text/css; images are unaffected")
  func nosniff() {
    let ns = ("X-Content-Type-Options", "NoSniff")
    #expect(verdict(.script, [("Content-Type", "text/plain"), ns]).reason == .nosniffBlocked)
    #expect(verdict(.script, [ns]).reason == .nosniffBlocked)
    #expect(verdict(.script, [("Content-Type", "text/javascript"), ns]).outcome == .readable)
    #expect(verdict(.script, [("Content-Type", "application/x-javascript"), ns]).outcome == .readable)
    #expect(verdict(.style, [("Content-Type", "text/plain"), ns]).reason == .nosniffBlocked)
    #expect(verdict(.image, [("Content-Type", "text/plain"), ns]).outcome == .readable)
    // Only the first value counts.
    #expect(verdict(.script, [("Content-Type", "text/plain"), ("X-Content-Type-Options", "foo, nosniff")]).outcome == .readable)
  }

  @Test("both rules: the standard reports the MIME type first, Chromium and WebKit nosniff", arguments: BrowserProfile.all)
  func order(profile: BrowserProfile) {
    let v = verdict(.script, [("Content-Type", "image/png"), ("X-Content-Type-Options", "nosniff")], profile: profile)
    let expected: FailureReason = profile.engine == .chromium || profile.engine == .webkit ? .nosniffBlocked : .mimeTypeBlocked
    #expect(v.reason == expected)
  }

  @Test("a stylesheet must be text/css; a missing type is accepted")
  func stylesheet() {
    #expect(verdict(.style, [("Content-Type", "text/html")]).reason == .stylesheetNotCSS)
    #expect(verdict(.style, [("Content-Type", "text/css; charset=utf-8")]).outcome == .readable)
    #expect(verdict(.style, []).outcome == .readable)
  }

  @Test("a module script must have a JavaScript MIME type")
  func module() {
    #expect(verdict(.module, [("Content-Type", "text/html")]).reason == .moduleNotJavaScript)
    #expect(verdict(.module, []).reason == .moduleNotJavaScript)
    #expect(verdict(.module, [("Content-Type", "text/javascript")]).outcome == .readable)
  }
}

@Suite("Opaque-response blocking per engine")
struct ORBTests {
  func verdict(_ profile: BrowserProfile, _ kind: ElementKind = .image, status: Int = 200, body: String?,
               _ headers: [(String, String)]) -> Verdict {
    var sim = simulator(profile, routes: [bodyRoute("https://api.example/r", status: status, body: body, headers)])
    return sim.fetch(.load(kind, "https://api.example/r"))
  }

  @Test("JSON to an <img>: blocked in Chromium and Firefox; in the standard and WebKit it reaches the decoder, which refuses it",
        arguments: BrowserProfile.all)
  func json(profile: BrowserProfile) {
    let v = verdict(profile, body: #"{"user": "ana"}"#, [("Content-Type", "application/json")])
    let blocks = profile.engine == .chromium || profile.engine == .firefox
    #expect(v.reason == (blocks ? .orbBlocked : .elementUndecodable))
  }

  @Test("an image signature passes whatever the label")
  func sniffedImage() {
    for profile in [BrowserProfile.chromium, .firefox] {
      #expect(verdict(profile, body: "GIF89a...", [("Content-Type", "text/html")]).outcome == .opaque)
    }
  }

  @Test("Chromium fails open where Firefox's validator refuses markup-free text that is not JavaScript")
  func failOpen() {
    let headers = [("Content-Type", "text/plain")]
    #expect(verdict(.chromium, .script, body: "hello world", headers).outcome == .opaque)
    // To an <img>, the same text passes Chromium's ORB and fails in the decoder.
    #expect(verdict(.chromium, body: "hello world", headers).reason == .elementUndecodable)
    #expect(verdict(.firefox, body: "<note>hi</note>", headers).reason == .orbBlocked)
    #expect(verdict(.chromium, body: "<!DOCTYPE html><p>", headers).reason == .orbBlocked)
  }

  @Test("fetch() in no-cors mode is never ORB-blocked")
  func fetchUnaffected() {
    for profile in BrowserProfile.all {
      var sim = simulator(profile, routes: [bodyRoute("https://api.example/r", body: "{\"a\": 1}", [("Content-Type", "application/json")])])
      #expect(sim.fetch(ScriptRequest(url: "https://api.example/r", mode: "no-cors")).outcome == .opaque)
    }
  }

  @Test("the sniffers")
  func sniffers() {
    func b(_ s: String) -> [UInt8] { Array(s.utf8) }
    #expect(Sniff.html(b("  <!-- x -->\n<DIV>")))
    #expect(!Sniff.html(b("<!-- x --> var a")))
    #expect(!Sniff.html(b("var a = '<html>'")))
    #expect(Sniff.xml(b("\n<?xml version")))
    #expect(Sniff.fetchOnlyResource(b(")]}'\n[1]")))
    #expect(Sniff.fetchOnlyResource(b(" { \"a\" :")))
    #expect(!Sniff.fetchOnlyResource(b("{a: 1}")))
    #expect(Sniff.isJSON(b(" [1, 2.5e3, \"x\", {\"k\": null}] ")))
    #expect(!Sniff.isJSON(b("callback({\"a\": 1})")))
    #expect(Sniff.isImage(b("GIF87a")) && Sniff.isImage(b("RIFF1234WEBPVP8 ")))
  }

  @Test("BodyBytes: text and bytes are inverse whatever the bytes; a data: URL keeps its binary bytes for the decoder")
  func bodyBytes() {
    // Bytes drawn from the ones that make UTF-8 interesting: ASCII, continuation bytes, lead bytes, the bytes of
    // a carrier code point (EE BE 80 is U+EF80 itself), and bytes that never occur in UTF-8.
    let alphabet: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0xBE, 0xBF, 0xC2, 0xC3, 0xA9, 0xE0, 0xEE, 0xEF, 0xF0, 0x9F, 0xFF]
    var state: UInt64 = 0x2545F4914F6CDD1D
    for _ in 0..<2000 {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      let count = Int(state >> 59)
      var bytes: [UInt8] = []
      for k in 0..<count { bytes.append(alphabet[Int((state >> UInt64(k * 3 % 58)) % UInt64(alphabet.count))]) }
      #expect(BodyBytes.bytes(BodyBytes.text(bytes)) == bytes, "\(bytes)")
    }
    #expect(BodyBytes.text(Array("café".utf8)) == "café")
    // Three MPEG-2 Layer III frames as a data: URL: their FF F3 bytes reach the decoder as they are.
    let frames = Array(repeating: [0xFF, 0xF3, 0x18, 0xC0] + [UInt8](repeating: 0, count: 32), count: 3).flatMap { $0 }
    let url = "data:audio/mpeg;base64," + Base64.encode(frames)
    for profile in BrowserProfile.all {
      var sim = simulator(profile, routes: [])
      #expect(sim.fetch(.load(.audio, url)).outcome == .readable, "\(profile.engine)")
    }
  }

  @Test("the media sniffing tables: the standard's, Firefox's, WebKit's and Chromium's differ where the engines do")
  func mediaTables() {
    func b(_ s: String) -> [UInt8] { Array(s.utf8) }
    let be32: (Int) -> [UInt8] = { v in (0..<4).map { UInt8((v >> (24 - 8 * $0)) & 0xFF) } }
    func ftyp(_ brands: [String], size: Int? = nil) -> [UInt8] {
      let payload = b(brands[0]) + [0, 0, 2, 0] + brands.dropFirst().flatMap(b)
      let whole = be32(size ?? 8 + payload.count) + b("ftyp") + payload
      return whole + [UInt8](repeating: 0, count: max(0, (size ?? 0) - whole.count))
    }
    // MP4: the standard and WebKit want an `mp4` brand; Firefox takes `iso…` and `qt`; a box size that is no
    // multiple of 4 fails both.
    #expect(MediaSniffing.standard(ftyp(["isom", "mp41"])) == "video/mp4")
    #expect(MediaSniffing.standard(ftyp(["isom", "iso2"])) == nil && MediaSniffing.webkit(ftyp(["isom", "iso2"])) == nil)
    #expect(MediaSniffing.firefox(ftyp(["isom", "iso2"])) == "video/mp4")
    #expect(MediaSniffing.firefox(ftyp(["qt  "])) == "video/quicktime" && MediaSniffing.standard(ftyp(["qt  "])) == nil)
    #expect(MediaSniffing.firefox(ftyp(["dash"])) == nil)
    #expect(MediaSniffing.firefox(ftyp(["isom", "mp41"], size: 22)) == nil && MediaSniffing.standard(ftyp(["isom", "mp41"], size: 22)) == nil)
    // EBML: the standard wants DocType webm, Firefox takes matroska too, WebKit any EBML header.
    let mkv: [UInt8] = [0x1A, 0x45, 0xDF, 0xA3, 0x8B, 0x42, 0x82, 0x88] + b("matroska") + [0x18, 0x53, 0x80, 0x67, 0x80]
    #expect(MediaSniffing.standard(mkv) == nil && MediaSniffing.firefox(mkv) == "video/webm" && MediaSniffing.webkit(mkv) == "video/webm")
    #expect(MediaContainer.probe(mkv) == .matroska)
    // MIDI and MP3 frames: in the standard's table, not in WebKit's (its rows are broken); FLAC only in Firefox's.
    let frames = Array(repeating: [0xFF, 0xF3, 0x18, 0xC0] + [UInt8](repeating: 0, count: 32), count: 3).flatMap { $0 }
    #expect(MediaSniffing.standard(frames) == "audio/mpeg" && MediaSniffing.firefox(frames) == "audio/mpeg")
    #expect(MediaSniffing.webkit(frames) == nil && MediaSniffing.chromium(frames) == "audio/mpeg")
    #expect(MediaSniffing.standard(b("MThd") + [0, 0, 0, 6]) == "audio/midi" && MediaSniffing.webkit(b("MThd") + [0, 0, 0, 6]) == nil)
    #expect(MediaSniffing.firefox(b("fLaC")) == "audio/flac" && MediaSniffing.standard(b("fLaC")) == nil)
    #expect(MediaSniffing.chromium(b("FORM1234AIFF")) == nil && MediaSniffing.webkit(b("FORM1234AIFF")) == "audio/aiff")
    // The probe: a signature followed by text is no file; ID3 then frames is MP3; one frame alone is not.
    #expect(MediaContainer.probe(b("ID3\u{4}\0\0\0\0\0\0 not audio")) == nil)
    #expect(MediaContainer.probe(b("ID3") + [4, 0, 0, 0, 0, 0, 0] + frames) == .mp3)
    #expect(MediaContainer.probe(Array(frames.prefix(36))) == nil)
    #expect(MediaContainer.probe(b("RIFF") + [0, 0, 0, 0] + b("WAVEfmt ")) == .wave && MediaContainer.probe(b("RIFF0000WAVE text")) == nil)
  }
}

@Suite("SRI: Integrity-Policy (#should-request-be-blocked-by-integrity-policy-section)")
struct IntegrityPolicyTests {
  @Test("parsing the header")
  func parse() {
    let p = IntegrityPolicy(header: "blocked-destinations=(script style), endpoints=(e1)")
    #expect(p.sourcesInline && p.blockedDestinations == [.script, .style])
    #expect(!IntegrityPolicy(header: "blocked-destinations=(script), sources=()").sourcesInline)
    #expect(IntegrityPolicy(header: "blocked-destinations=(image)").blockedDestinations.isEmpty)
    #expect(IntegrityPolicy(header: "blocked-destinations=script").blockedDestinations.isEmpty)
    #expect(IntegrityPolicy.hasMetadata("sha384-abc?x sha1-zz"))
    #expect(!IntegrityPolicy.hasMetadata("md5-abc"))
  }

  @Test("a script needs integrity and CORS; style only in the standard")
  func block() {
    var page = try! Page("https://app.example/")
    page.integrityPolicy = "blocked-destinations=(script style)"
    for profile in BrowserProfile.all {
      var sim = Simulator(profile: profile, page: page,
                          server: Server(routes: [route(url: "https://app.example/x", [("Content-Type", "text/css")])]))
      #expect(sim.fetch(.load(.script, "https://app.example/x")).reason == .integrityPolicyBlocked)
      #expect(sim.fetch(.load(.script, "https://app.example/x", integrity: "sha256-x")).reason == .integrityPolicyBlocked)
      #expect(sim.fetch(.load(.script, "data:text/javascript,1")).reason != .integrityPolicyBlocked)
      let style = sim.fetch(.load(.style, "https://app.example/x"))
      #expect(style.reason == (profile.engine == .spec ? .integrityPolicyBlocked : nil))
    }
  }
}

@Suite("html: links.html#link-type-stylesheet, a stylesheet that is not text/css")
struct UnappliedStylesheetTests {
  @Test("Chromium fires load with an empty sheet, with or without the trace; the others fire error",
        arguments: [true, false])
  func perEngine(tracing: Bool) {
    for profile in [BrowserProfile.spec, .chromium, .firefox, .webkit] {
      var sim = simulator(profile, routes: [route(url: "https://app.example/site.css", [("Content-Type", "text/html")])])
      sim.recordsTrace = tracing
      let v = sim.fetch(.load(.style, "https://app.example/site.css"))
      if profile.engine == .chromium {
        #expect(v.outcome == .readable)
        #expect(v.elementEvent == "load")
        #expect(v.elementUnusedReason == .stylesheetNotCSS)
        #expect(v.elementEffect?.contains("its sheet is empty") == true, "\(v.elementEffect ?? "nil")")
        // The console's lines do not depend on whether the trace is kept.
        #expect(v.consoleWarnings.contains { $0.hasPrefix("Refused to apply style") })
      } else {
        #expect(v.outcome == .networkError, "\(profile.engine)")
        #expect(v.reason == .stylesheetNotCSS)
        #expect(v.elementUnusedReason == nil)
      }
    }
  }

  @Test("with nosniff Chromium's load fails: error, not an empty sheet")
  func nosniff() {
    var sim = simulator(.chromium, routes: [route(url: "https://app.example/site.css",
                                                  [("Content-Type", "text/plain"), ("X-Content-Type-Options", "nosniff")])])
    let v = sim.fetch(.load(.style, "https://app.example/site.css"))
    #expect(v.outcome == .networkError)
    #expect(v.reason == .nosniffBlocked)
    #expect(v.elementUnusedReason == nil)
  }
}

@Suite("html: what an element can decode, from a body's leading bytes")
struct ElementDecodingTests {
  @Test("images: mimesniff's signatures whatever the type; SVG only under image/svg+xml")
  func images() {
    let png = MIMEType.parse("image/png"), svg = MIMEType.parse("image/svg+xml")
    #expect(ElementDecoding.isImage(Array("GIF89a…".utf8), declared: MIMEType.parse("text/plain")))
    #expect(ElementDecoding.isImage([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0], declared: nil))
    #expect(!ElementDecoding.isImage(Array("not an image".utf8), declared: png))
    #expect(ElementDecoding.isImage(Array("<svg xmlns='http://www.w3.org/2000/svg'/>".utf8), declared: svg))
    #expect(!ElementDecoding.isImage(Array("<svg xmlns='http://www.w3.org/2000/svg'/>".utf8), declared: png))
  }

  @Test("media and fonts")
  func mediaAndFonts() {
    let frames = Array(repeating: [0xFF, 0xF3, 0x18, 0xC0] + [UInt8](repeating: 0, count: 32), count: 3).flatMap { $0 }
    let plain = MIMEType.parse("text/plain"), mp4 = MIMEType.parse("video/mp4"), xml = MIMEType.parse("application/xml")
    for profile in BrowserProfile.all {
      #expect(ElementDecoding.isMedia(Array("ID3".utf8) + [4, 0, 0, 0, 0, 0, 0] + frames, declared: plain, profile: profile))
      #expect(!ElementDecoding.isMedia(Array("ID3 and text".utf8), declared: plain, profile: profile))
      #expect(!ElementDecoding.isMedia(Array("not audio".utf8), declared: nil, profile: profile))
    }
    // An MP4 whose only brand is `dash`: in no sniffing table, so the standard and Firefox go by the Content-Type;
    // Chromium's and WebKit's demuxers probe it whatever the type.
    let dash = [0, 0, 0, 16] + Array("ftypdash".utf8) + [0, 0, 2, 0] + [0, 0, 0, 8] + Array("moov".utf8)
    for profile in [BrowserProfile.spec, .firefox] {
      #expect(!ElementDecoding.isMedia(dash, declared: plain, profile: profile))
      #expect(ElementDecoding.isMedia(dash, declared: mp4, profile: profile))
    }
    #expect(ElementDecoding.isMedia(dash, declared: plain, profile: .chromium) && ElementDecoding.isMedia(dash, declared: plain, profile: .webkit))
    // The standard does not sniff under an XML type; Firefox's sniffer replaces any type.
    let wave = Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WAVEfmt ".utf8)
    #expect(!ElementDecoding.isMedia(wave, declared: xml, profile: .spec) && ElementDecoding.isMedia(wave, declared: xml, profile: .firefox))
    #expect(ElementDecoding.isFont(Array("wOF2…".utf8)) && ElementDecoding.isFont([0, 1, 0, 0, 9]))
    #expect(!ElementDecoding.isFont(Array("not a font".utf8)))
  }

  @Test("an undecodable body fires error after a successful fetch; a route without a body stands for the resource")
  func verdicts() throws {
    func run(_ kind: ElementKind, _ body: String?, _ type: String, profile: BrowserProfile = .spec) throws -> Verdict {
      var sim = Simulator(profile: profile, page: try Page("https://app.example/"),
                          server: Server(routes: [bodyRoute("https://app.example/r", body: body, [("Content-Type", type)])]))
      return sim.fetch(.load(kind, "https://app.example/r"))
    }
    let image = try run(.image, "not an image", "image/png")
    #expect(image.reason == .elementUndecodable && image.elementEvent == "error")
    #expect(try run(.image, nil, "image/png").outcome == .readable)
    #expect(try run(.script, "this is ( not javascript", "text/javascript").outcome == .readable)
    #expect(try run(.style, "}{ not css", "text/css").outcome == .readable)
    // WebKit asks for undecodable media twice; Chromium once.
    #expect(try run(.video, "not video", "video/mp4", profile: .webkit).requests.count == 2)
    #expect(try run(.video, "not video", "video/mp4", profile: .chromium).requests.count == 1)
  }
}
