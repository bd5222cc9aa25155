import Synchronization

/// A parsed URL, as the URL Standard defines it. url.bs #concept-url
///
/// Values are immutable; `href` is computed once at parse time because the simulator compares and prints
/// serialized URLs on every hop.
public struct URLRecord: Sendable, Hashable, CustomStringConvertible {
  // One immutable box: copying a URL (which the algorithm does on every hop) is one retain.
  private final class Storage: Sendable {
    let scheme: String
    let username: String
    let password: String
    let host: Host?
    let port: Int?
    let path: URLPath
    let query: String?
    let fragment: String?
    let href: String
    let hrefWithoutFragment: String
    /// The URL's origin, computed once (the algorithm asks for it on every hop, several times).
    let origin: Origin
    /// `hostAddressSpace` once worked out: 0 until then, else 1 loopback, 2 local, 3 public.
    /// Atomic: a record is `Sendable`, and threads that hold the same one may ask for it at once.
    let hostSpace = Atomic<UInt8>(0)

    init(scheme: String, username: String, password: String, host: Host?, port: Int?, path: URLPath,
         query: String?, fragment: String?, href: String? = nil, hrefWithoutFragment: String? = nil) {
      self.scheme = scheme
      self.username = username
      self.password = password
      self.host = host
      self.port = port
      self.path = path
      self.query = query
      self.fragment = fragment
      if let href, let hrefWithoutFragment {
        // The parser's shortcut hands over an input that is already its own serialization.
        self.href = href
        self.hrefWithoutFragment = hrefWithoutFragment
      } else {
        let withoutFragment = URLRecord.serialize(scheme: scheme, username: username, password: password, host: host,
                                                  port: port, path: path, query: query, fragment: nil)
        self.hrefWithoutFragment = withoutFragment
        self.href = fragment.map { withoutFragment + "#" + $0 } ?? withoutFragment
      }
      self.origin = URLRecord.origin(scheme: scheme, host: host, port: port, path: path)
    }
  }

  private let storage: Storage

  /// The address space of the host judged from the URL alone (`AddressSpace.of(host)`, no name declared), worked
  /// out once per record: Chromium's Local Network Access check asks for it on every fetch and every hop (about 350
  /// instructions each time).
  var hostAddressSpace: AddressSpace {
    switch storage.hostSpace.load(ordering: .relaxed) {
    case 1: return .loopback
    case 2: return .local
    case 3: return .public
    default:
      let space = AddressSpace.of(storage.host)
      storage.hostSpace.store(space == .loopback ? 1 : space == .local ? 2 : 3, ordering: .relaxed)
      return space
    }
  }

  /// The scheme, ASCII lower-case.
  public var scheme: String { storage.scheme }
  /// The username, percent-encoded.
  public var username: String { storage.username }
  /// The password, percent-encoded.
  public var password: String { storage.password }
  /// The host, or nil for URLs without one (`data:`, `about:`, `mailto:`…).
  public var host: Host? { storage.host }
  /// The port, or nil when absent or equal to the scheme's default port.
  public var port: Int? { storage.port }
  /// The path: segments for hierarchical URLs, a single string for URLs with an opaque path.
  public var path: URLPath { storage.path }
  /// The query, without the leading `?`.
  public var query: String? { storage.query }
  /// The fragment, without the leading `#`.
  public var fragment: String? { storage.fragment }
  /// The URL serializer's output. url.bs #concept-url-serializer
  public var href: String { storage.href }
  /// The serialization with the fragment excluded, which is what goes on the wire and what routes match.
  public var hrefWithoutFragment: String { storage.hrefWithoutFragment }

  init(scheme: String, username: String, password: String, host: Host?, port: Int?, path: URLPath,
       query: String?, fragment: String?, href: String? = nil, hrefWithoutFragment: String? = nil) {
    storage = Storage(scheme: scheme, username: username, password: password, host: host, port: port, path: path,
                      query: query, fragment: fragment, href: href, hrefWithoutFragment: hrefWithoutFragment)
  }

  /// Parses `input`, optionally against `base`. url.bs #concept-basic-url-parser
  public init(_ input: String, base: URLRecord? = nil) throws(URLParseError) {
    self = try URLParser.parse(input, base: base)
  }

  /// Two URLs are equal when they serialize the same (the URL Standard's equality, fragments included).
  public static func == (a: URLRecord, b: URLRecord) -> Bool { a.storage === b.storage || a.href == b.href }
  public func hash(into hasher: inout Hasher) { hasher.combine(href) }

  /// Whether the two are one record, not only equal (what tests of a shared record look at).
  func isSameRecord(as other: URLRecord) -> Bool { storage === other.storage }

  /// Whether the two records hold the same parts, each of them (not only the same serialization, which is what `==`
  /// compares): one may be kept in place of the other.
  public func isIdentical(to other: URLRecord) -> Bool {
    storage === other.storage
      || (href == other.href && scheme == other.scheme && username == other.username && password == other.password
        && host == other.host && port == other.port && path == other.path && query == other.query
        && fragment == other.fragment)
  }

  /// Returns a copy with the fragment removed.
  public var withoutFragment: URLRecord {
    fragment == nil ? self : replacing(fragment: .some(nil))
  }

  /// The URL a server sees: no fragment and no username or password (the request target and `Host` carry
  /// neither; credentials become an `Authorization` header, if anything).
  public var onTheWire: URLRecord {
    if !includesCredentials { return withoutFragment }
    return replacing(fragment: .some(nil), clearingCredentials: true)
  }

  /// A special scheme has a default port and a hierarchical path. url.bs #special-scheme
  public var isSpecial: Bool { URLRecord.defaultPort(for: scheme) != nil || scheme == "file" }

  /// True when the URL has a username or a password. url.bs #include-credentials
  public var includesCredentials: Bool { !username.isEmpty || !password.isEmpty }

  /// `http` or `https`. fetch.bs #http-scheme
  public var isHTTPScheme: Bool { scheme == "http" || scheme == "https" }

  /// The port that is used on the wire: the explicit one or the scheme's default.
  public var effectivePort: Int? { port ?? URLRecord.defaultPort(for: scheme) }

  /// The serialized host, or the empty string.
  public var hostString: String { host?.serialized ?? "" }

  /// The path as it is serialized (`/a/b`, or the opaque path).
  public var pathString: String {
    switch path {
    case .opaque(let s): return s
    case .segments(let segments): return segments.isEmpty ? "" : "/" + segments.joined(separator: "/")
    }
  }

  /// The URL's origin. url.bs #concept-url-origin
  public var origin: Origin { storage.origin }

  static func origin(scheme: String, host: Host?, port: Int?, path: URLPath) -> Origin {
    switch scheme {
    case "blob":
      // A blob URL without a blob URL entry: parse its path; http(s) and file results give their origin.
      if case .opaque(let inner) = path, let url = try? URLRecord(inner),
         url.scheme == "http" || url.scheme == "https" {
        return url.origin
      }
      return .opaque(Origin.fresh)
    case "ftp", "http", "https", "ws", "wss":
      return .tuple(scheme: scheme, host: host ?? .empty, port: port)
    default:
      // "file": implementation-defined; when in doubt, a new opaque origin. Everything else: a new opaque origin.
      return .opaque(Origin.fresh)
    }
  }

  /// Returns a copy with some components replaced; the serialization is recomputed.
  public func replacing(scheme: String? = nil, host: Host? = nil, port: Int?? = nil, fragment: String?? = nil,
                        clearingCredentials: Bool = false) -> URLRecord {
    let newScheme = scheme ?? self.scheme
    var newPort = port ?? self.port
    if let p = newPort, URLRecord.defaultPort(for: newScheme) == p { newPort = nil }
    return URLRecord(scheme: newScheme, username: clearingCredentials ? "" : username,
                     password: clearingCredentials ? "" : password, host: host ?? self.host, port: newPort,
                     path: path, query: query, fragment: fragment ?? self.fragment)
  }

  /// Default ports of the special schemes. url.bs #default-port
  public static func defaultPort(for scheme: String) -> Int? {
    switch scheme {
    case "http", "ws": return 80
    case "https", "wss": return 443
    case "ftp": return 21
    default: return nil
    }
  }

  public var description: String { href }

  static func serialize(scheme: String, username: String, password: String, host: Host?, port: Int?,
                        path: URLPath, query: String?, fragment: String?) -> String {
    // 1. Let output be url's scheme and U+003A (:) concatenated.
    var output = scheme + ":"
    // 2. If url's host is non-null: "//", credentials, host, port.
    if let host {
      output += "//"
      if !username.isEmpty || !password.isEmpty {
        output += username
        if !password.isEmpty { output += ":" + password }
        output += "@"
      }
      output += host.serialized
      if let port { output += ":" + String(port) }
    }
    // 3. If host is null, the path is not opaque, has more than one segment and the first is empty: "/.".
    if host == nil, case .segments(let s) = path, s.count > 1, s[0].isEmpty { output += "/." }
    // 4. Append the URL path serializing.
    switch path {
    case .opaque(let s): output += s
    case .segments(let s): for segment in s { output += "/" + segment }
    }
    // 5–6. Query and fragment.
    if let query { output += "?" + query }
    if let fragment { output += "#" + fragment }
    return output
  }
}

/// A URL's path. url.bs #concept-url-path
public enum URLPath: Sendable, Hashable {
  /// An opaque path (`data:text/plain,x`, `mailto:a@b`).
  case opaque(String)
  /// A list of segments (`/a/b` is `["a", "b"]`).
  case segments([String])
}

/// Why a URL failed to parse, with the offending part.
public struct URLParseError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What went wrong, in words.
  public var problem: String
  /// The input that failed.
  public var input: String

  public var description: String { "'\(input)' is not a valid URL: \(problem)" }
}

extension URLRecord: Codable {
  /// Reads a URL from its serialization; one that does not parse is a decoding error.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let href = try container.decode(String.self)
    do { self = try URLRecord(href) } catch {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
    }
  }

  /// Writes the URL as its serialization (`href`).
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(href)
  }
}
