/// A request's mode. fetch.bs #concept-request-mode
public enum RequestMode: String, Sendable, Hashable, CaseIterable, Codable {
  case sameOrigin = "same-origin"
  case noCORS = "no-cors"
  case cors
  case navigate
  /// The WebSocket handshake's mode: no CORS check, `Origin` always sent. fetch.bs #concept-request-mode,
  /// websockets #concept-websocket-establish. Not a `RequestMode` of WebIDL: `fetch(url, {mode: "websocket"})`
  /// throws a TypeError.
  case websocket
}

/// A request's credentials mode. fetch.bs #concept-request-credentials-mode
public enum CredentialsMode: String, Sendable, Hashable, CaseIterable, Codable {
  case omit
  case sameOrigin = "same-origin"
  case include
}

/// A request's redirect mode. fetch.bs #concept-request-redirect-mode
public enum RedirectMode: String, Sendable, Hashable, CaseIterable, Codable {
  case follow, error, manual
}

/// A request's cache mode. fetch.bs #concept-request-cache-mode
public enum CacheMode: String, Sendable, Hashable, CaseIterable, Codable {
  case `default`
  case noStore = "no-store"
  case reload
  case noCache = "no-cache"
  case forceCache = "force-cache"
  case onlyIfCached = "only-if-cached"
}

/// A referrer policy. referrer-policy #referrer-policies
public enum ReferrerPolicy: String, Sendable, Hashable, CaseIterable, Codable {
  case empty = ""
  case noReferrer = "no-referrer"
  case noReferrerWhenDowngrade = "no-referrer-when-downgrade"
  case sameOrigin = "same-origin"
  case origin
  case strictOrigin = "strict-origin"
  case originWhenCrossOrigin = "origin-when-cross-origin"
  case strictOriginWhenCrossOrigin = "strict-origin-when-cross-origin"
  case unsafeURL = "unsafe-url"
}

/// A request's response tainting. fetch.bs #concept-request-response-tainting
public enum ResponseTainting: String, Sendable, Hashable, CaseIterable, Codable {
  case basic, cors, opaque
}

/// A response's type as script sees it. fetch.bs #concept-response-type
public enum ResponseType: String, Sendable, Hashable, CaseIterable, Codable {
  case basic, cors, `default`, error, opaque, opaqueredirect
}

/// The API the script used.
public enum ScriptAPI: String, Sendable, Hashable, CaseIterable, Codable {
  /// `fetch(url, init)`. fetch.bs #dom-global-fetch
  case fetch
  /// `XMLHttpRequest` (always asynchronous unless `sync` is set). xhr.bs
  case xhr
  /// A subresource an element loads: `<img>`, `<script>`, `<link rel=stylesheet>`, an `@font-face` source,
  /// `<audio>`, `<video>` (`ScriptRequest.element` says which). The page observes a `load` or an
  /// `error` event rather than a response. html: urls-and-fetching.html#create-a-potential-cors-request
  case element
  /// `new EventSource(url, {withCredentials})`: a GET with `Accept: text/event-stream`, CORS always
  /// (`ScriptRequest.credentials` `.include` is `withCredentials: true`). The page observes `open` or `error`.
  /// html: server-sent-events.html#dom-eventsource
  case eventSource = "eventsource"
  /// `navigator.sendBeacon(url, data)`: a POST with credentials `include` and keepalive, `no-cors` unless the
  /// body's type is not a CORS-safelisted `Content-Type` (then `cors`, preflighted). The page sees only the
  /// returned boolean, never the response. Beacon (w3c/beacon) #sec-sendBeacon-method
  case beacon
  /// `import(url)` from the page's classic script: a module script fetch — mode `cors` always, credentials
  /// `same-origin` (the default script fetch options), destination `script`, a JavaScript MIME type required.
  /// The page observes the promise: fulfilled, or rejected with a TypeError. html: webappapis.html#hostloadimportedmodule,
  /// #fetch-a-single-module-script
  case dynamicImport = "import"
  /// `new Worker(url)` or `new Worker(url, {type: "module"})` (`ScriptRequest.workerType`): the top-level script
  /// is fetched with mode `same-origin`, destination `worker`; it must be a JavaScript MIME type. Only http(s)
  /// URLs are modelled (not `data:` or `blob:`). html: workers.html#dom-worker, #fetch-a-classic-worker-script,
  /// webappapis.html#fetch-a-single-module-script
  case worker
  /// `new SharedWorker(url)`: as `worker`, with destination `sharedworker`. html: workers.html#dom-sharedworker
  case sharedWorker = "sharedworker"

  /// A navigation of the page (or of a frame) to a URL: `location.href = url`, a link followed, an iframe's
  /// `src`. A GET with mode `navigate`, credentials `include`; no CORS check: the response becomes the new
  /// document, which the page's script never reads. html: browsing-the-web.html#navigate,
  /// #create-navigation-params-by-fetching
  case navigate
  /// A `<form>` submitted (`ScriptRequest.method` GET or POST, `enctype`, `target`): a navigation whose request
  /// carries the form data, in the URL's query (GET) or as the body (POST). Never preflighted, never CORS-checked.
  /// html: form-control-infrastructure.html#form-submission-algorithm
  case form
  /// `new WebSocket(url, protocols)`: the opening handshake, a GET with mode `websocket`, credentials
  /// `include`, `Origin` always; no CORS check. It opens when the server answers 101 with the right
  /// `Sec-WebSocket-Accept`. websockets #dom-websocket-websocket, #concept-websocket-establish
  case websocket

  /// `new Worker` or `new SharedWorker`.
  public var isWorker: Bool { self == .worker || self == .sharedWorker }
  /// A navigation or a form submission: the response is a document, not something script reads.
  public var isNavigation: Bool { self == .navigate || self == .form }
}

/// A form's `enctype`: how a POST submission encodes its entry list, and the `Content-Type` it sends.
/// html: form-control-infrastructure.html#attr-fs-enctype (an invalid value is the default, urlencoded)
public enum FormEnctype: String, Sendable, Hashable, CaseIterable, Codable {
  case urlencoded = "application/x-www-form-urlencoded"
  case multipart = "multipart/form-data"
  case textPlain = "text/plain"
}

/// `WorkerOptions.type`: how a worker's top-level script is fetched and run. html: workers.html#workertype
public enum WorkerType: String, Sendable, Hashable, CaseIterable, Codable {
  /// A classic script ("fetch a classic worker script"): the default.
  case classic
  /// A module script ("fetch a module worker script graph").
  case module
}

/// What kind of body the script passed; decides the implicit `Content-Type` and replayability.
/// fetch.bs #concept-bodyinit-extract
public enum BodyKind: String, Sendable, Hashable, CaseIterable, Codable {
  /// A string: `text/plain;charset=UTF-8`.
  case string
  /// `URLSearchParams`: `application/x-www-form-urlencoded;charset=UTF-8`.
  case urlSearchParams = "urlsearchparams"
  /// `FormData`: `multipart/form-data; boundary=…`.
  case formData = "formdata"
  /// A `Blob` with a type (possibly empty).
  case blob
  /// An `ArrayBuffer` or typed array: no type.
  case arrayBuffer = "arraybuffer"
  /// A `ReadableStream`: no type, not replayable, forces a preflight.
  case stream
}

/// A body the script passed.
public struct RequestBody: Sendable, Hashable, Codable, ExpressibleByStringLiteral {
  /// The body's kind.
  public var kind: BodyKind
  /// Its text (for a stream, what it will yield).
  public var text: String
  /// The blob's `type`, for `.blob` bodies.
  public var blobType: String

  /// Creates a body.
  public init(kind: BodyKind = .string, text: String, blobType: String = "") {
    self.kind = kind
    self.text = text
    self.blobType = blobType
  }

  /// A string body (`text/plain;charset=UTF-8`).
  public init(stringLiteral text: String) { self.init(kind: .string, text: text) }

  /// The length in bytes.
  public var length: Int { text.utf8.count }

  /// The type extract a body yields, if any. fetch.bs #concept-bodyinit-extract
  var implicitContentType: String? {
    switch kind {
    case .string: return "text/plain;charset=UTF-8"
    case .urlSearchParams: return "application/x-www-form-urlencoded;charset=UTF-8"
    case .formData: return "multipart/form-data; boundary=----corsimFormBoundary"
    case .blob: return blobType.isEmpty ? nil : blobType
    case .arrayBuffer, .stream: return nil
    }
  }
}

/// IP address spaces for Local Network Access, most private first. lna #ip-address-space-section
public enum AddressSpace: String, Sendable, Hashable, CaseIterable, Comparable, Codable {
  case loopback, local, `public`

  private var rank: Int {
    switch self {
    case .loopback: return 0
    case .local: return 1
    case .public: return 2
    }
  }

  /// More private spaces order first: loopback < local < public.
  public static func < (a: AddressSpace, b: AddressSpace) -> Bool { a.rank < b.rank }

  /// The address space a host is in, judged from the URL alone: IP literals by the LNA table, `localhost`
  /// names as loopback, `.local` names as local, other names as given by `resolve` or public.
  public static func of(_ host: Host?, resolve: (String) -> AddressSpace? = { _ in nil }) -> AddressSpace {
    guard let host else { return .public }
    switch host {
    case .ipv4(let v):
      return ofIPv4(v)
    case .ipv6(let a):
      let p = a.pieces
      if p == [0, 0, 0, 0, 0, 0, 0, 1] || p == [0, 0, 0, 0, 0, 0, 0, 0] { return .loopback }
      // ::ffff:0:0/96 maps to the embedded IPv4 address.
      if p[0...4].allSatisfy({ $0 == 0 }) && p[5] == 0xFFFF { return ofIPv4(UInt32(p[6]) << 16 | UInt32(p[7])) }
      if p[0] & 0xFE00 == 0xFC00 { return .local }  // fc00::/7
      if p[0] & 0xFFC0 == 0xFE80 || p[0] & 0xFFC0 == 0xFEC0 { return .local }  // fe80::/10, fec0::/10
      if p[0] == 0x2001 && p[1] == 0x0DB8 { return .local }  // 2001:db8::/32
      if p[0] & 0xFFF0 == 0x3FF0 { return .local }  // 3fff::/20
      return .public
    case .domain(let d):
      if host.isLocalhostName { return .loopback }
      if let declared = resolve(d) { return declared }
      if HTTPSyntax.hasSuffix(d, ".local") || HTTPSyntax.hasSuffix(d, ".local.") { return .local }
      return .public
    case .opaque, .empty:
      return .public
    }
  }

  static func ofIPv4(_ v: UInt32) -> AddressSpace {
    let a = v >> 24, b = (v >> 16) & 0xFF
    if a == 127 || v == 0 { return .loopback }  // 127.0.0.0/8, 0.0.0.0/32
    if a == 10 || a == 0 { return .local }  // 10.0.0.0/8, 0.0.0.0/8
    if a == 100 && (b & 0xC0) == 64 { return .local }  // 100.64.0.0/10
    if a == 172 && (b & 0xF0) == 16 { return .local }  // 172.16.0.0/12
    if a == 192 && b == 168 { return .local }  // 192.168.0.0/16
    if a == 169 && b == 254 { return .local }  // 169.254.0.0/16
    return .public
  }
}
