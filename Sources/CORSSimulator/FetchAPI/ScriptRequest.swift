/// What the page's script does: a `fetch(url, init)` call or an `XMLHttpRequest`, with the arguments as the
/// script wrote them. Enumerated options are strings, as in JavaScript, so that a value the IDL does not
/// know produces the browser's own `TypeError` (`webidl-conversion-failed`).
public struct ScriptRequest: Sendable, Hashable {
  /// `fetch` or `xhr`.
  public var api: ScriptAPI
  /// The URL as written (resolved against the page's URL).
  public var url: String
  /// The method (nil: `GET`).
  public var method: String?
  /// The author headers, in order (`init.headers`, or the `setRequestHeader` calls).
  public var headers: [HeaderPair]
  /// `init.mode` (fetch only).
  public var mode: String?
  /// `init.credentials`; for XHR, `include` means `withCredentials = true`.
  public var credentials: String?
  /// `init.redirect` (fetch only).
  public var redirect: String?
  /// `init.cache` (fetch only).
  public var cache: String?
  /// `init.referrer` (fetch only).
  public var referrer: String?
  /// `init.referrerPolicy` (fetch only).
  public var referrerPolicy: String?
  /// `init.integrity` (fetch only).
  public var integrity: String?
  /// `init.keepalive` (fetch only).
  public var keepalive: Bool
  /// `init.duplex` (fetch only; `half` is the only value).
  public var duplex: String?
  /// Whether `init.window` is given and non-null (fetch only).
  public var windowNotNull: Bool
  /// `init.targetAddressSpace` (Chromium's Local Network Access; fetch only).
  public var targetAddressSpace: String?
  /// The body (`init.body`, or `send(body)`).
  public var body: RequestBody?
  /// XHR: listeners registered on `xhr.upload` before `send()`.
  public var uploadListeners: Bool
  /// XHR: `open(method, url, false)`.
  public var synchronous: Bool
  /// XHR: `timeout` (milliseconds) set before `send()`.
  public var timeout: Int
  /// XHR: `responseType` set before `send()`.
  public var responseType: String
  /// For an element load (`api` `.element`): which element.
  public var element: ElementKind?
  /// For an element load: the `crossorigin` attribute as written (nil: absent; `""`: present without a value).
  public var crossOrigin: String?

  /// Creates a script request.
  public init(api: ScriptAPI = .fetch, url: String, method: String? = nil, headers: [HeaderPair] = [],
              mode: String? = nil, credentials: String? = nil, redirect: String? = nil, cache: String? = nil,
              referrer: String? = nil, referrerPolicy: String? = nil, integrity: String? = nil,
              keepalive: Bool = false, duplex: String? = nil, windowNotNull: Bool = false,
              targetAddressSpace: String? = nil, body: RequestBody? = nil, uploadListeners: Bool = false,
              synchronous: Bool = false, timeout: Int = 0, responseType: String = "", element: ElementKind? = nil,
              crossOrigin: String? = nil) {
    self.api = api
    self.url = url
    self.method = method
    self.headers = headers
    self.mode = mode
    self.credentials = credentials
    self.redirect = redirect
    self.cache = cache
    self.referrer = referrer
    self.referrerPolicy = referrerPolicy
    self.integrity = integrity
    self.keepalive = keepalive
    self.duplex = duplex
    self.windowNotNull = windowNotNull
    self.targetAddressSpace = targetAddressSpace
    self.body = body
    self.uploadListeners = uploadListeners
    self.synchronous = synchronous
    self.timeout = timeout
    self.responseType = responseType
    self.element = element
    self.crossOrigin = crossOrigin
  }

  /// An element's load: `<img src=URL crossorigin=…>`, `<script src=URL integrity=…>`…
  public static func load(_ element: ElementKind, _ url: String, crossOrigin: String? = nil,
                          integrity: String? = nil) -> ScriptRequest {
    ScriptRequest(api: .element, url: url, integrity: integrity, element: element, crossOrigin: crossOrigin)
  }
}

/// A header as the script passed it.
public struct HeaderPair: Sendable, Hashable {
  /// The name as written.
  public var name: String
  /// The value as written (before normalization).
  public var value: String

  /// Creates a pair.
  public init(_ name: String, _ value: String) {
    self.name = name
    self.value = value
  }
}
