/// The document whose script makes the requests: its URL decides its origin, secure context and
/// mixed-content policy. html: document-sequences.html#determining-the-origin
public struct Page: Sendable, Hashable {
  /// The page's URL.
  public var url: URLRecord
  /// True for a document in `<iframe sandbox>` without `allow-same-origin` (or under CSP `sandbox`):
  /// its origin is opaque. html: browsers.html#sandboxing
  public var sandboxed: Bool
  /// The page's CSP `connect-src` (or `default-src`) source list, when it has one.
  public var connectSources: [String]?
  /// Whether the page's CSP says `upgrade-insecure-requests`. uir #upgrade-request
  public var upgradeInsecureRequests: Bool
  /// The page's `Cross-Origin-Embedder-Policy`.
  public var embedderPolicy: EmbedderPolicy
  /// The page's IP address space, when it is not derived from its host.
  public var addressSpace: AddressSpace?
  /// The page's `Integrity-Policy` header value (`blocked-destinations=(script)`), when it has one.
  /// SRI #integrity-policy-section
  public var integrityPolicy: String?

  /// Creates a page from its URL.
  public init(url: URLRecord, sandboxed: Bool = false, connectSources: [String]? = nil,
              upgradeInsecureRequests: Bool = false, embedderPolicy: EmbedderPolicy = .unsafeNone,
              addressSpace: AddressSpace? = nil, integrityPolicy: String? = nil) {
    self.url = url
    self.sandboxed = sandboxed
    self.connectSources = connectSources
    self.upgradeInsecureRequests = upgradeInsecureRequests
    self.embedderPolicy = embedderPolicy
    self.addressSpace = addressSpace
    self.integrityPolicy = integrityPolicy
  }

  /// Parses the page URL; an origin such as `https://app.example` is a valid URL too.
  public init(_ url: String, sandboxed: Bool = false) throws(URLParseError) {
    self.init(url: try URLRecord(url), sandboxed: sandboxed)
  }

  /// The identity of this document's opaque origin (stable for the document's lifetime).
  static let documentOpaqueOrigin: UInt64 = 1

  /// The document's origin: opaque when sandboxed, or when its URL has no tuple origin (`file:`, `data:`,
  /// `about:blank` without a creator). html: document-sequences.html#determining-the-origin
  public var origin: Origin {
    if sandboxed { return .opaque(Page.documentOpaqueOrigin) }
    switch url.origin {
    case .opaque: return .opaque(Page.documentOpaqueOrigin)
    case let tuple: return tuple
    }
  }

  /// The origin the page's URL would have without sandboxing (its embedder's, for a sandboxed frame).
  var unsandboxedOrigin: Origin { url.origin }

  /// A secure context: the top-level creation URL is potentially trustworthy.
  /// html: webappapis.html#secure-context
  public var isSecureContext: Bool { url.isPotentiallyTrustworthy() }

  /// The embedder policy in force: a non-secure document's `Cross-Origin-Embedder-Policy` is ignored.
  /// html: browsers.html#obtain-an-embedder-policy ("If environment is a non-secure context, then return
  /// policy", which is still unsafe-none); observed in all three engines (conformance run, x-coep-no-cors).
  public var effectiveEmbedderPolicy: EmbedderPolicy { embedderPolicy(inSecureContext: isSecureContext) }

  /// `effectiveEmbedderPolicy` when whether the page is a secure context is known already.
  func embedderPolicy(inSecureContext secure: Bool) -> EmbedderPolicy { secure ? embedderPolicy : .unsafeNone }

  /// The page's own IP address space: declared, or derived from its host.
  func ipAddressSpace(_ environment: NetworkEnvironment) -> AddressSpace {
    if let addressSpace { return addressSpace }
    // blink-dev (LNA): file: initiators are treated like http://localhost.
    if url.scheme == "file" { return .loopback }
    return AddressSpace.of(url.host, resolve: { environment.addressSpaces[$0] })
  }
}

/// `Cross-Origin-Embedder-Policy` values. html: browsers.html#coep
public enum EmbedderPolicy: String, Sendable, Hashable, CaseIterable {
  case unsafeNone = "unsafe-none"
  case requireCorp = "require-corp"
  case credentialless
}

/// What the browser knows about the network beyond the page: HSTS hosts, the address spaces names resolve
/// to, and the user's answer to Local Network Access prompts.
public struct NetworkEnvironment: Sendable, Hashable {
  /// Known HSTS hosts; the value says whether `includeSubDomains` was asserted.
  public var hstsHosts: [String: Bool]
  /// The address space a host name resolves to (names not listed are public, `localhost` is loopback).
  public var addressSpaces: [String: AddressSpace]
  /// Whether the user grants Chromium's Local Network Access permission when prompted.
  public var localNetworkAccessGranted: Bool
  /// Whether the servers speak HTTP/2 (or QUIC) rather than HTTP/1.1. Only streamed request bodies care
  /// (Chromium sends them over HTTP/2 and QUIC only).
  public var http2: Bool

  /// Creates an environment.
  public init(hstsHosts: [String: Bool] = [:], addressSpaces: [String: AddressSpace] = [:],
              localNetworkAccessGranted: Bool = true, http2: Bool = false) {
    self.hstsHosts = hstsHosts
    self.addressSpaces = addressSpaces
    self.localNetworkAccessGranted = localNetworkAccessGranted
    self.http2 = http2
  }

  /// Known HSTS Host Domain Name Matching: a congruent match, or a superdomain match with includeSubDomains.
  /// RFC 6797 §8.2, fetch.bs #concept-main-fetch step 10
  func isKnownHSTSHost(_ domain: String) -> Bool {
    if hstsHosts.isEmpty { return false }
    if hstsHosts[domain] != nil { return true }
    var rest = Substring(domain)
    while let dot = rest.firstIndex(of: ".") {
      rest = rest[rest.index(after: dot)...]
      if hstsHosts[String(rest)] == true { return true }
    }
    return false
  }
}
