/// What the page's script does: a `fetch(url, init)` call, an `XMLHttpRequest`, or an element's load, with the
/// arguments as the script wrote them.
///
/// The common case is one line; the rarer options are properties:
///
/// ```swift
/// var put = ScriptRequest(url: "https://api.example/data", method: .put,
///                         headers: ["Content-Type": "application/json"], credentials: .include, body: "{}")
/// put.redirect = .manual
/// ```
///
/// The enumerated options (``Mode``, ``Credentials``, ``Redirect``…) are typed, with a static member per value
/// the standard knows; each also holds any other string the script might write (`"yes"`), which the engine
/// rejects as the browser's WebIDL conversion does (`webidl-conversion-failed`). Likewise the URL is the text
/// the script passes — resolved against the page's URL, and `url-parse-failed` when it does not parse.
public struct ScriptRequest: Sendable, Hashable, Codable {
  /// `fetch`, `xhr` or `element`.
  public var api: ScriptAPI
  /// The URL as written (resolved against the page's URL).
  public var url: String
  /// The method (nil: `GET`). `open(method, url)` for XHR.
  public var method: Method?
  /// The author headers, in order (`init.headers`, or the `setRequestHeader` calls).
  public var headers: HeaderList
  /// `init.mode` (fetch only; nil: `cors`).
  public var mode: Mode?
  /// `init.credentials` (nil: `same-origin`); for XHR, `.include` means `withCredentials = true`.
  public var credentials: Credentials?
  /// `init.redirect` (fetch only; nil: `follow`).
  public var redirect: Redirect?
  /// `init.cache` (fetch only; nil: `default`).
  public var cache: Cache?
  /// `init.referrer` (fetch only): a URL, `about:client`, or `""` for none.
  public var referrer: String?
  /// `init.referrerPolicy` (fetch only).
  public var referrerPolicy: ReferrerPolicy?
  /// `init.integrity` (fetch), or the element's `integrity` attribute.
  public var integrity: String?
  /// `init.keepalive` (fetch only).
  public var keepalive: Bool = false
  /// `init.duplex` (fetch only; `half` is the only value).
  public var duplex: Duplex?
  /// Whether `init.window` is given and non-null (fetch only).
  public var windowNotNull: Bool = false
  /// `init.targetAddressSpace` (Chromium's Local Network Access; fetch only).
  public var targetAddressSpace: TargetAddressSpace?
  /// The body (`init.body`, or `send(body)`); a string literal is a string body.
  public var body: RequestBody?
  /// XHR: listeners registered on `xhr.upload` before `send()`.
  public var uploadListeners: Bool = false
  /// XHR: `open(method, url, false)`.
  public var synchronous: Bool = false
  /// XHR: `timeout` (milliseconds) set before `send()`.
  public var timeout: Int = 0
  /// XHR: `responseType` set before `send()`.
  public var responseType: String = ""
  /// For an element load (`api` `.element`): which element.
  public var element: ElementKind?
  /// For an element load: the `crossorigin` attribute (nil: absent).
  public var crossOrigin: CrossOrigin?
  /// For `new Worker` and `new SharedWorker`: `{type}` (nil: classic).
  public var workerType: WorkerType?
  /// For a preload link (`api` `.preload`): its `as` attribute (nil: `fetch`). Its `crossorigin` is `crossOrigin`.
  public var preloadAs: PreloadDestination?
  /// For a form submission: the `enctype` attribute (nil: `application/x-www-form-urlencoded`).
  public var enctype: FormEnctype?
  /// For a navigation or a form submission: the target navigable's name (nil: `_self`).
  public var target: String?
  /// For `new WebSocket(url, protocols)`: the subprotocols asked for (nil: none).
  public var protocols: [String]?

}

extension ScriptRequest {
  /// A `fetch(url, {method, headers, credentials, mode, body})` call (or, with `api: .xhr`, an
  /// `XMLHttpRequest` with `withCredentials` for `.include`). Every other option is a property.
  // (In an extension, calling the synthesized memberwise initializer: a request built by assigning its fields one
  // by one was built in memory and then copied, every field retained and released once more.)
  public init(api: ScriptAPI = .fetch, url: String, method: Method? = nil, headers: HeaderList = [],
              credentials: Credentials? = nil, mode: Mode? = nil, body: RequestBody? = nil) {
    self.init(api: api, url: url, method: method, headers: headers, mode: mode, credentials: credentials, body: body,
              responseType: "")
  }

  /// A `fetch()` call with its redirect and cache modes too: for a reader that has them all at once (the oracle's),
  /// which builds the request in one go (one that is changed after it is made is copied on its way out).
  package init(api: ScriptAPI, url: String, method: Method?, headers: HeaderList, credentials: Credentials?,
               mode: Mode?, redirect: Redirect?, cache: Cache?, body: RequestBody?) {
    self.init(api: api, url: url, method: method, headers: headers, mode: mode, credentials: credentials,
              redirect: redirect, cache: cache, body: body, responseType: "")
  }

  /// An element's load: `<img src=URL crossorigin=…>`, `<script src=URL integrity=…>`…
  public static func load(_ element: ElementKind, _ url: String, crossOrigin: CrossOrigin? = nil,
                          integrity: String? = nil) -> ScriptRequest {
    var r = ScriptRequest(api: .element, url: url)
    r.element = element
    r.crossOrigin = crossOrigin
    r.integrity = integrity
    return r
  }
}

/// A value of one of the script's enumerated options, as written: one of the standard's values (the static
/// members) or any other string, which the engine judges as the browser's WebIDL conversion would.
public protocol ScriptOptionValue: RawRepresentable<String>, Sendable, Hashable, Codable, CustomStringConvertible,
  ExpressibleByStringLiteral {
  /// Wraps a value as written, valid or not.
  init(rawValue: String)
}

extension ScriptOptionValue {
  public init(stringLiteral value: String) { self.init(rawValue: value) }
  public var description: String { rawValue }
}

extension ScriptRequest {
  /// `init.mode`: WebIDL `RequestMode`. fetch.bs #requestmode
  public struct Mode: ScriptOptionValue {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    /// `same-origin`.
    public static let sameOrigin = Mode(RequestMode.sameOrigin)
    /// `no-cors`.
    public static let noCORS = Mode(RequestMode.noCORS)
    /// `cors` (the default).
    public static let cors = Mode(RequestMode.cors)
    /// `navigate` (a valid value that `fetch()` refuses: `mode-navigate-forbidden`).
    public static let navigate = Mode(RequestMode.navigate)
    /// The option for a request mode.
    public init(_ mode: RequestMode) { self.rawValue = mode.rawValue }
  }

  /// `init.credentials`: WebIDL `RequestCredentials`. fetch.bs #requestcredentials
  public struct Credentials: ScriptOptionValue {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    /// `omit`.
    public static let omit = Credentials(CredentialsMode.omit)
    /// `same-origin` (the default).
    public static let sameOrigin = Credentials(CredentialsMode.sameOrigin)
    /// `include`.
    public static let include = Credentials(CredentialsMode.include)
    /// The option for a credentials mode.
    public init(_ mode: CredentialsMode) { self.rawValue = mode.rawValue }
  }

  /// `init.redirect`: WebIDL `RequestRedirect`. fetch.bs #requestredirect
  public struct Redirect: ScriptOptionValue {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    /// `follow` (the default).
    public static let follow = Redirect(RedirectMode.follow)
    /// `error`.
    public static let error = Redirect(RedirectMode.error)
    /// `manual`.
    public static let manual = Redirect(RedirectMode.manual)
    /// The option for a redirect mode.
    public init(_ mode: RedirectMode) { self.rawValue = mode.rawValue }
  }

  /// `init.cache`: WebIDL `RequestCache`. fetch.bs #requestcache
  public struct Cache: ScriptOptionValue {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    /// `default`.
    public static let `default` = Cache(CacheMode.default)
    /// `no-store`.
    public static let noStore = Cache(CacheMode.noStore)
    /// `reload`.
    public static let reload = Cache(CacheMode.reload)
    /// `no-cache`.
    public static let noCache = Cache(CacheMode.noCache)
    /// `force-cache`.
    public static let forceCache = Cache(CacheMode.forceCache)
    /// `only-if-cached` (with mode `same-origin` only).
    public static let onlyIfCached = Cache(CacheMode.onlyIfCached)
    /// The option for a cache mode.
    public init(_ mode: CacheMode) { self.rawValue = mode.rawValue }
  }

  /// `init.referrerPolicy`: WebIDL `ReferrerPolicy` (`""` included). referrer-policy #referrer-policies
  public struct ReferrerPolicy: ScriptOptionValue {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    /// The option for a referrer policy (`.noReferrer`, `.unsafeURL`…).
    public init(_ policy: CORSSimulator.ReferrerPolicy) { self.rawValue = policy.rawValue }
  }

  /// `init.duplex`: WebIDL `RequestDuplex`, whose only value is `half`. fetch.bs #enumdef-requestduplex
  public struct Duplex: ScriptOptionValue {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    /// `half`.
    public static let half: Duplex = "half"
  }

  /// `init.targetAddressSpace`: Blink's `IPAddressSpace` IDL enum (Local Network Access), which also knows
  /// `private`, `public` and `unknown`; only `local` (or `private`) and `loopback` declare a target.
  public struct TargetAddressSpace: ScriptOptionValue {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    /// `loopback`.
    public static let loopback: TargetAddressSpace = "loopback"
    /// `local`.
    public static let local: TargetAddressSpace = "local"
    /// `private` (an older name of `local`).
    public static let `private`: TargetAddressSpace = "private"
    /// `public`.
    public static let `public`: TargetAddressSpace = "public"
    /// `unknown`.
    public static let unknown: TargetAddressSpace = "unknown"
  }

  /// An element's `crossorigin` attribute as written: `anonymous`, `use-credentials`, `""` (present without a
  /// value: anonymous), or any other text, which means anonymous too. html: urls-and-fetching.html#cors-settings-attributes
  public struct CrossOrigin: ScriptOptionValue {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    /// `crossorigin=anonymous`.
    public static let anonymous: CrossOrigin = "anonymous"
    /// `crossorigin=use-credentials`.
    public static let useCredentials: CrossOrigin = "use-credentials"
  }
}

extension ScriptRequest.ReferrerPolicy {
  /// `""`: the policy container's default.
  public static let empty = Self(CORSSimulator.ReferrerPolicy.empty)
  /// `no-referrer`.
  public static let noReferrer = Self(CORSSimulator.ReferrerPolicy.noReferrer)
  /// `no-referrer-when-downgrade`.
  public static let noReferrerWhenDowngrade = Self(CORSSimulator.ReferrerPolicy.noReferrerWhenDowngrade)
  /// `same-origin`.
  public static let sameOrigin = Self(CORSSimulator.ReferrerPolicy.sameOrigin)
  /// `origin`.
  public static let origin = Self(CORSSimulator.ReferrerPolicy.origin)
  /// `strict-origin`.
  public static let strictOrigin = Self(CORSSimulator.ReferrerPolicy.strictOrigin)
  /// `origin-when-cross-origin`.
  public static let originWhenCrossOrigin = Self(CORSSimulator.ReferrerPolicy.originWhenCrossOrigin)
  /// `strict-origin-when-cross-origin`.
  public static let strictOriginWhenCrossOrigin = Self(CORSSimulator.ReferrerPolicy.strictOriginWhenCrossOrigin)
  /// `unsafe-url`.
  public static let unsafeURL = Self(CORSSimulator.ReferrerPolicy.unsafeURL)
}
