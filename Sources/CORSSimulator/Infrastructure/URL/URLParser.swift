/// The basic URL parser, without state override (the simulator never runs the URL setters).
/// url.bs #concept-basic-url-parser
enum URLParser {
  private enum State {
    case schemeStart, scheme, noScheme, specialRelativeOrAuthority, pathOrAuthority, relative, relativeSlash,
      specialAuthoritySlashes, specialAuthorityIgnoreSlashes, authority, host, port, file, fileSlash, fileHost,
      pathStart, path, opaquePath, query, fragment
  }

  // Inputs longer than this are refused outright; no browser accepts them either (Chromium's limit is 2 MiB).
  static let maximumLength = 2 * 1024 * 1024

  static func parse(_ rawInput: String, base: URLRecord?, allowFastPath: Bool = true) throws(URLParseError) -> URLRecord {
    if allowFastPath {
      if let fast = parseSimpleHTTP(rawInput) { return fast }
      if let base, let fast = parseSimplePathAbsolute(rawInput, base: base) { return fast }
    }
    func fail(_ problem: String) -> URLParseError { URLParseError(problem: problem, input: rawInput) }
    if rawInput.utf8.count > maximumLength { throw fail("it is longer than 2 MiB") }

    // 1. Remove any leading and trailing C0 control or space; 2–3. remove all ASCII tab or newline.
    var scalars = Array(rawInput.unicodeScalars)
    while let f = scalars.first, f.value <= 0x20 { scalars.removeFirst() }
    while let l = scalars.last, l.value <= 0x20 { scalars.removeLast() }
    scalars.removeAll { $0 == "\t" || $0 == "\n" || $0 == "\r" }
    let input = scalars

    var state = State.schemeStart
    var buffer = ""
    var atSignSeen = false, insideBrackets = false, passwordTokenSeen = false
    var pointer = 0

    // Whether the scheme is special, worked out when the scheme is set (the states ask on nearly every code point).
    var special = false
    var scheme = "" { didSet { special = URLRecord.defaultPort(for: scheme) != nil || scheme == "file" } }
    var username = ""
    var password = ""
    var host: Host? = nil
    var port: Int? = nil
    var segments: [String] = []
    var opaquePath: String? = nil
    var query: String? = nil
    var fragment: String? = nil

    func c(_ i: Int) -> Unicode.Scalar? { i >= 0 && i < input.count ? input[i] : nil }
    func remainingStarts(_ s: String) -> Bool {
      var i = pointer + 1
      for ch in s.unicodeScalars {
        guard c(i) == ch else { return false }
        i += 1
      }
      return true
    }
    func isASCIIAlpha(_ s: Unicode.Scalar?) -> Bool {
      guard let s else { return false }
      return (s.value >= 0x41 && s.value <= 0x5A) || (s.value >= 0x61 && s.value <= 0x7A)
    }
    func isASCIIDigit(_ s: Unicode.Scalar?) -> Bool {
      guard let s else { return false }
      return s.value >= 0x30 && s.value <= 0x39
    }
    // url.bs #windows-drive-letter
    func isWindowsDriveLetter(_ s: String, normalized: Bool = false) -> Bool {
      let u = Array(s.unicodeScalars)
      guard u.count == 2, isASCIIAlpha(u[0]) else { return false }
      return u[1] == ":" || (!normalized && u[1] == "|")
    }
    func startsWithWindowsDriveLetter(at i: Int) -> Bool {
      guard input.count - i >= 2, isASCIIAlpha(c(i)), c(i + 1) == ":" || c(i + 1) == "|" else { return false }
      if input.count - i == 2 { return true }
      switch c(i + 2)! {
      case "/", "\\", "?", "#": return true
      default: return false
      }
    }
    func shortenPath() {
      // url.bs #shorten-a-urls-path
      if scheme == "file", segments.count == 1, isWindowsDriveLetter(segments[0], normalized: true) { return }
      if !segments.isEmpty { segments.removeLast() }
    }
    func isSingleDot(_ s: String) -> Bool { s == "." || s.lowercased() == "%2e" }
    func isDoubleDot(_ s: String) -> Bool {
      switch s.lowercased() {
      case "..", ".%2e", "%2e.", "%2e%2e": return true
      default: return false
      }
    }
    func parseHost(_ text: String, special: Bool) throws(URLParseError) -> Host {
      switch HostParser.parse(text, isOpaque: !special) {
      case .success(let h): return h
      case .failure(let f): throw fail(f.rawValue + " ('\(text)')")
      }
    }

    while true {
      let ch = c(pointer)
      switch state {
      case .schemeStart:
        if isASCIIAlpha(ch) {
          buffer.unicodeScalars.append(Unicode.Scalar(ch!.value | 0x20)!)
          state = .scheme
        } else {
          state = .noScheme
          pointer -= 1
        }
      case .scheme:
        if let x = ch, isASCIIAlpha(x) || isASCIIDigit(x) || x == "+" || x == "-" || x == "." {
          buffer.unicodeScalars.append(x.value >= 0x41 && x.value <= 0x5A ? Unicode.Scalar(x.value | 0x20)! : x)
        } else if ch == ":" {
          scheme = buffer
          buffer = ""
          if scheme == "file" {
            state = .file
          } else if special, let base, base.scheme == scheme {
            state = .specialRelativeOrAuthority
          } else if special {
            state = .specialAuthoritySlashes
          } else if c(pointer + 1) == "/" {
            state = .pathOrAuthority
            pointer += 1
          } else {
            opaquePath = ""
            state = .opaquePath
          }
        } else {
          buffer = ""
          state = .noScheme
          pointer = -1
        }
      case .noScheme:
        guard let base else { throw fail("it is relative and there is no base URL to resolve it against") }
        if case .opaque(let p) = base.path {
          guard ch == "#" else { throw fail("it is relative to a URL with an opaque path ('\(base.href)')") }
          scheme = base.scheme
          opaquePath = p
          query = base.query
          fragment = ""
          state = .fragment
        } else if base.scheme != "file" {
          state = .relative
          pointer -= 1
        } else {
          state = .file
          pointer -= 1
        }
      case .specialRelativeOrAuthority:
        if ch == "/" && c(pointer + 1) == "/" {
          state = .specialAuthorityIgnoreSlashes
          pointer += 1
        } else {
          state = .relative
          pointer -= 1
        }
      case .pathOrAuthority:
        if ch == "/" {
          state = .authority
        } else {
          state = .path
          pointer -= 1
        }
      case .relative:
        let base = base!
        scheme = base.scheme
        if ch == "/" {
          state = .relativeSlash
        } else if special && ch == "\\" {
          state = .relativeSlash
        } else {
          username = base.username; password = base.password; host = base.host; port = base.port
          if case .segments(let s) = base.path { segments = s }
          query = base.query
          if ch == "?" {
            query = ""
            state = .query
          } else if ch == "#" {
            fragment = ""
            state = .fragment
          } else if ch != nil {
            query = nil
            shortenPath()
            state = .path
            pointer -= 1
          }
        }
      case .relativeSlash:
        if special && (ch == "/" || ch == "\\") {
          state = .specialAuthorityIgnoreSlashes
        } else if ch == "/" {
          state = .authority
        } else {
          let base = base!
          username = base.username; password = base.password; host = base.host; port = base.port
          state = .path
          pointer -= 1
        }
      case .specialAuthoritySlashes:
        if ch == "/" && c(pointer + 1) == "/" {
          state = .specialAuthorityIgnoreSlashes
          pointer += 1
        } else {
          state = .specialAuthorityIgnoreSlashes
          pointer -= 1
        }
      case .specialAuthorityIgnoreSlashes:
        if ch != "/" && ch != "\\" {
          state = .authority
          pointer -= 1
        }
      case .authority:
        if ch == "@" {
          if atSignSeen { buffer = "%40" + buffer }
          atSignSeen = true
          for codePoint in buffer.unicodeScalars {
            if codePoint == ":" && !passwordTokenSeen {
              passwordTokenSeen = true
              continue
            }
            if passwordTokenSeen {
              PercentEncoding.append(codePoint, to: &password, set: .userinfo)
            } else {
              PercentEncoding.append(codePoint, to: &username, set: .userinfo)
            }
          }
          buffer = ""
        } else if ch == nil || ch == "/" || ch == "?" || ch == "#" || (special && ch == "\\") {
          if atSignSeen && buffer.isEmpty { throw fail("it has credentials but no host") }
          pointer -= buffer.unicodeScalars.count + 1
          buffer = ""
          state = .host
        } else {
          buffer.unicodeScalars.append(ch!)
        }
      case .host:
        if ch == ":" && !insideBrackets {
          if buffer.isEmpty { throw fail("the host is missing before the port") }
          host = try parseHost(buffer, special: special)
          buffer = ""
          state = .port
        } else if ch == nil || ch == "/" || ch == "?" || ch == "#" || (special && ch == "\\") {
          pointer -= 1
          if special && buffer.isEmpty { throw fail("the host is missing") }
          host = try parseHost(buffer, special: special)
          buffer = ""
          state = .pathStart
        } else {
          if ch == "[" { insideBrackets = true }
          if ch == "]" { insideBrackets = false }
          buffer.unicodeScalars.append(ch!)
        }
      case .port:
        if isASCIIDigit(ch) {
          buffer.unicodeScalars.append(ch!)
          if buffer.utf8.count > 7 { throw fail("the port is out of range") }
        } else if ch == nil || ch == "/" || ch == "?" || ch == "#" || (special && ch == "\\") {
          if !buffer.isEmpty {
            let value = Int(buffer)!
            if value > 65535 { throw fail("the port \(value) is out of range (0–65535)") }
            port = URLRecord.defaultPort(for: scheme) == value ? nil : value
            buffer = ""
          }
          state = .pathStart
          pointer -= 1
        } else {
          throw fail("the port contains '\(ch!)', which is not a digit")
        }
      case .file:
        scheme = "file"
        host = .empty
        if ch == "/" || ch == "\\" {
          state = .fileSlash
        } else if let base, base.scheme == "file" {
          host = base.host
          if case .segments(let s) = base.path { segments = s }
          query = base.query
          if ch == "?" {
            query = ""
            state = .query
          } else if ch == "#" {
            fragment = ""
            state = .fragment
          } else if ch != nil {
            query = nil
            if !startsWithWindowsDriveLetter(at: pointer) { shortenPath() } else { segments = [] }
            state = .path
            pointer -= 1
          }
        } else {
          state = .path
          pointer -= 1
        }
      case .fileSlash:
        if ch == "/" || ch == "\\" {
          state = .fileHost
        } else {
          if let base, base.scheme == "file" {
            host = base.host
            if !startsWithWindowsDriveLetter(at: pointer), case .segments(let s) = base.path, let first = s.first,
               isWindowsDriveLetter(first, normalized: true) {
              segments.append(first)
            }
          }
          state = .path
          pointer -= 1
        }
      case .fileHost:
        if ch == nil || ch == "/" || ch == "\\" || ch == "?" || ch == "#" {
          pointer -= 1
          if isWindowsDriveLetter(buffer) {
            state = .path
          } else if buffer.isEmpty {
            host = .empty
            state = .pathStart
          } else {
            var h = try parseHost(buffer, special: true)
            if h == .domain("localhost") { h = .empty }
            host = h
            buffer = ""
            state = .pathStart
          }
        } else {
          buffer.unicodeScalars.append(ch!)
        }
      case .pathStart:
        if special {
          state = .path
          if ch != "/" && ch != "\\" { pointer -= 1 }
        } else if ch == "?" {
          query = ""
          state = .query
        } else if ch == "#" {
          fragment = ""
          state = .fragment
        } else if ch != nil {
          state = .path
          if ch != "/" { pointer -= 1 }
        }
      case .path:
        let atEnd = ch == nil || ch == "/" || (special && ch == "\\")
        if atEnd || ch == "?" || ch == "#" {
          let slash = ch == "/" || (special && ch == "\\")
          if isDoubleDot(buffer) {
            shortenPath()
            if !slash { segments.append("") }
          } else if isSingleDot(buffer) && !slash {
            segments.append("")
          } else if !isSingleDot(buffer) {
            if scheme == "file", segments.isEmpty, isWindowsDriveLetter(buffer) {
              var u = Array(buffer.unicodeScalars)
              u[1] = ":"
              buffer = String(String.UnicodeScalarView(u))
            }
            segments.append(buffer)
          }
          buffer = ""
          if ch == "?" {
            query = ""
            state = .query
          }
          if ch == "#" {
            fragment = ""
            state = .fragment
          }
        } else {
          PercentEncoding.append(ch!, to: &buffer, set: .path)
        }
      case .opaquePath:
        if ch == "?" {
          query = ""
          state = .query
        } else if ch == "#" {
          fragment = ""
          state = .fragment
        } else if ch == " " {
          let next = c(pointer + 1)
          if next == "?" || next == "#" { opaquePath! += "%20" } else { opaquePath! += " " }
        } else if let x = ch {
          PercentEncoding.append(x, to: &opaquePath!, set: .c0Control)
        }
      case .query:
        if ch == "#" || ch == nil {
          let set: PercentEncodeSet = special ? .specialQuery : .query
          var q = query ?? ""
          for codePoint in buffer.unicodeScalars { PercentEncoding.append(codePoint, to: &q, set: set) }
          query = q
          buffer = ""
          if ch == "#" {
            fragment = ""
            state = .fragment
          }
        } else {
          buffer.unicodeScalars.append(ch!)
        }
      case .fragment:
        if let x = ch {
          var f = fragment ?? ""
          PercentEncoding.append(x, to: &f, set: .fragment)
          fragment = f
        }
      }
      // "If after a run pointer points to the EOF code point, go to the next step."
      if pointer >= input.count { break }
      pointer += 1
    }

    if scheme.isEmpty { throw fail("it has no scheme") }
    let path: URLPath = opaquePath.map { .opaque($0) } ?? .segments(segments)
    return URLRecord(scheme: scheme, username: username, password: password, host: host, port: port, path: path,
                     query: query, fragment: fragment)
  }

  /// A shortcut for the common case — an absolute `http:` or `https:` URL in printable ASCII with a plain
  /// lower-case domain or a dotted-decimal IPv4 address, an optional port, and a path, query and fragment that need
  /// no percent-encoding and no dot-segment removal — giving exactly what the state machine above gives. Anything
  /// else returns nil and takes the full algorithm. (`URLParserTests` checks the two agree.)
  static func parseSimpleHTTP(_ original: String) -> URLRecord? {
    var input = original
    return input.withUTF8 { bytes -> URLRecord? in
      let n = bytes.count
      var i: Int
      let scheme: String
      if n > 8, bytes[4] == 0x73, bytes[5] == 0x3A, bytes[6] == 0x2F, bytes[7] == 0x2F,
         bytes[0] == 0x68, bytes[1] == 0x74, bytes[2] == 0x74, bytes[3] == 0x70 {
        scheme = "https"; i = 8
      } else if n > 7, bytes[4] == 0x3A, bytes[5] == 0x2F, bytes[6] == 0x2F,
                bytes[0] == 0x68, bytes[1] == 0x74, bytes[2] == 0x74, bytes[3] == 0x70 {
        scheme = "http"; i = 7
      } else {
        return nil
      }
      // Host: lower-case letters, digits, '-' and '.'; not ending in a number (IPv4) or a dot.
      let hostStart = i
      while i < n {
        let b = bytes[i]
        if (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2E { i += 1; continue }
        if b == 0x3A || b == 0x2F || b == 0x3F || b == 0x23 { break }
        return nil
      }
      let hostEnd = i
      guard hostEnd > hostStart else { return nil }
      let last = bytes[hostEnd - 1]
      if last == 0x2E { return nil }
      // A host ending in a number is an IPv4 address (url.bs #concept-host-parser step 6). Four decimal numbers
      // of 0 to 255 without leading zeros are their own serialization (url.bs #concept-ipv4-serializer), the form
      // local servers are usually written in (`http://127.0.0.1:8080`); every other form takes the full algorithm.
      var ipv4: UInt32? = nil
      if last >= 0x30 && last <= 0x39 {
        guard let address = dottedDecimal(bytes, hostStart, hostEnd) else { return nil }
        ipv4 = address
      }
      var labelStart = hostStart
      for k in hostStart..<hostEnd where bytes[k] == 0x2E { labelStart = k + 1 }
      // A last label `0x…` (a hexadecimal IPv4 part, or a failure): the full parser decides.
      if ipv4 == nil, hostEnd - labelStart >= 2, bytes[labelStart] == 0x30, bytes[labelStart + 1] == 0x78 { return nil }
      if bytes[hostStart] == 0x2E || (hostStart..<(hostEnd - 1)).contains(where: { bytes[$0] == 0x2E && bytes[$0 + 1] == 0x2E }) {
        return nil  // empty labels: let the full parser decide
      }
      if hostEnd - hostStart >= 4, (hostStart..<(hostEnd - 3)).contains(where: { bytes[$0] == 0x78 && bytes[$0 + 1] == 0x6E && bytes[$0 + 2] == 0x2D && bytes[$0 + 3] == 0x2D }) {
        return nil  // punycode labels are validated by the full parser
      }
      // Port.
      var port: Int? = nil
      var canonical = true  // whether the input is its own serialization
      if i < n, bytes[i] == 0x3A {
        i += 1
        var value = 0
        var digits = 0
        while i < n, bytes[i] >= 0x30, bytes[i] <= 0x39 {
          value = value * 10 + Int(bytes[i] - 0x30)
          digits += 1
          i += 1
          if digits > 5 { return nil }
        }
        guard digits > 0, value <= 65535 else { return nil }
        if i < n, bytes[i] != 0x2F, bytes[i] != 0x3F, bytes[i] != 0x23 { return nil }
        port = value == (scheme == "https" ? 443 : 80) ? nil : value
        // A default port is dropped; a leading zero ("080") is not written back.
        if port == nil || bytes[i - digits] == 0x30 { canonical = false }
      }
      // Path: printable ASCII outside the path percent-encode set, no '%' or '\', no segment starting with '.'.
      var segments: [String] = []
      if i < n, bytes[i] == 0x2F {
        var segmentStart = i + 1
        i += 1
        if i < n, bytes[i] == 0x2E { return nil }
        while i < n {
          let b = bytes[i]
          if b == 0x3F || b == 0x23 { break }
          if b < 0x21 || b > 0x7E { return nil }
          switch b {
          case 0x22, 0x3C, 0x3E, 0x5E, 0x60, 0x7B, 0x7D, 0x5C: return nil
          case 0x25:
            // `%` is written as it is (it is outside the path percent-encode set, an invalid escape too), but a
            // segment that starts with `%2e` may be a dot segment (`%2e`, `%2e.`, `%2e%2e`): the full algorithm.
            if i == segmentStart, i + 2 < n, bytes[i + 1] == 0x32, bytes[i + 2] | 0x20 == 0x65 { return nil }
          case 0x2F:
            segments.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[segmentStart..<i]), as: UTF8.self))
            segmentStart = i + 1
            if i + 1 < n, bytes[i + 1] == 0x2E { return nil }
          default: break
          }
          i += 1
        }
        segments.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[segmentStart..<i]), as: UTF8.self))
      } else {
        segments = [""]
        canonical = false  // the serialization adds "/"
      }
      // Query: printable ASCII outside the special-query percent-encode set.
      var query: String? = nil
      if i < n, bytes[i] == 0x3F {
        let start = i + 1
        i += 1
        while i < n, bytes[i] != 0x23 {
          let b = bytes[i]
          if b < 0x21 || b > 0x7E || b == 0x22 || b == 0x3C || b == 0x3E || b == 0x27 { return nil }
          i += 1
        }
        query = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
      }
      // Fragment: printable ASCII outside the fragment percent-encode set.
      var fragment: String? = nil
      if i < n, bytes[i] == 0x23 {
        let start = i + 1
        i += 1
        while i < n {
          let b = bytes[i]
          if b < 0x21 || b > 0x7E || b == 0x22 || b == 0x3C || b == 0x3E || b == 0x60 { return nil }
          i += 1
        }
        fragment = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<n]), as: UTF8.self)
      }
      let host: Host = ipv4.map { .ipv4($0) }
        ?? .domain(String(decoding: UnsafeBufferPointer(rebasing: bytes[hostStart..<hostEnd]), as: UTF8.self))
      if canonical {
        let withoutFragment = fragment == nil ? original
          : String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<(n - fragment!.utf8.count - 1)]), as: UTF8.self)
        return URLRecord(scheme: scheme, username: "", password: "", host: host, port: port,
                         path: .segments(segments), query: query, fragment: fragment, href: original,
                         hrefWithoutFragment: withoutFragment)
      }
      return URLRecord(scheme: scheme, username: "", password: "", host: host, port: port,
                       path: .segments(segments), query: query, fragment: fragment)
    }
  }

  /// The shortcut for a path-absolute reference (`/api/data?x=1`) against an `http:` or `https:` base without
  /// credentials: the base's scheme, host and port, then the reference, which the state machine reads as it reads the
  /// same text after an absolute URL's authority (url.bs #relative-state, #relative-slash-state, then the path
  /// state with the base's host and port), so the shortcut for absolute URLs parses it. nil when that one declines,
  /// and for anything else (`//host`, a backslash, a relative path, a base with credentials).
  static func parseSimplePathAbsolute(_ input: String, base: URLRecord) -> URLRecord? {
    guard base.scheme == "http" || base.scheme == "https", base.username.isEmpty, base.password.isEmpty,
          let host = base.host else { return nil }
    let slashThenPath = HTTPSyntax.withBytes(input) { u in
      u.count > 0 && u[0] == 0x2F && (u.count == 1 || (u[1] != 0x2F && u[1] != 0x5C))
    }
    guard slashThenPath else { return nil }
    let authority = HTTPSyntax.schemeHostPort(base.scheme, host.serialized, base.port)
    return parseSimpleHTTP(authority + input)
  }

  /// `bytes[start..<end]` as an IPv4 address when it is written as the IPv4 serializer writes one: four decimal
  /// numbers from 0 to 255, without leading zeros, joined by dots. nil for anything else (the full IPv4 parser
  /// also takes hex, octal and fewer parts, and writes them back in this form).
  private static func dottedDecimal(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt32? {
    var address: UInt32 = 0
    var parts = 0
    var i = start
    while i <= end {
      // One part: 1 to 3 digits up to the next dot or the end.
      var value: UInt32 = 0
      var digits = 0
      while i < end, bytes[i] != 0x2E {
        let b = bytes[i]
        guard b >= 0x30, b <= 0x39, digits < 3 else { return nil }
        if digits == 1 && value == 0 { return nil }  // a leading zero
        value = value * 10 + UInt32(b - 0x30)
        digits += 1
        i += 1
      }
      guard digits > 0, value <= 255, parts < 4 else { return nil }
      address = address << 8 | value
      parts += 1
      i += 1  // past the dot (or past the end)
    }
    return parts == 4 ? address : nil
  }
}
