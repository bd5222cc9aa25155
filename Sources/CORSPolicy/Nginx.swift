import CORSSimulator

/// nginx in front of an application: the `add_header`, `proxy_hide_header`, `if`, `set`, `map` and `return`
/// directives of a configuration excerpt, applied to the application's answers — the layer behind most
/// "duplicate Access-Control-Allow-Origin" tickets.
///
/// Semantics, from the nginx documentation (nginx.org/en/docs/http/ngx_http_headers_module.html#add_header,
/// ngx_http_proxy_module.html#proxy_hide_header, ngx_http_rewrite_module.html, ngx_http_map_module.html,
/// ngx_http_core_module.html#location):
/// - `add_header NAME VALUE` adds a line to answers with status 200, 201, 204, 206, 301, 302, 303, 304, 307 or
///   308 only, unless `always` is given; a value that is empty once its variables are read adds nothing;
///   the upstream's own lines are kept (so both appear);
/// - `add_header` and `proxy_hide_header` are inherited from the enclosing level only when a level has none of
///   its own — an `if` block with one `add_header` drops every `add_header` of its location;
/// - `if (…)` tests `$var`, `$var = text`, `$var != text`, `$var ~ re`, `$var ~* re`, `!~`, `!~*`; a matching
///   `if` inside a location becomes the request's configuration; `return CODE` answers without the
///   application, and the answer still gets the matching level's `add_header`s;
/// - `set $v value` runs in order; `map $src $dst { default …; "~re" …; "~*re" …; exact … }` is read when used;
/// - variables: `$http_NAME` (a request header, lower case, `-` as `_`), `$request_method`, `$uri`,
///   `$request_uri`, `$args`, `$host`, `$scheme`, and those `set` or `map` define; an unknown one is empty;
/// - the location is chosen as nginx does: `=` exact, then the longest prefix (kept if it is `^~`), then
///   regular expressions (`~`, `~*`) in order, else the longest prefix.
///
/// Not modelled (a note says so when a configuration uses it): the headers-more module, regex captures
/// (`$1`), nested locations, `rewrite`. Blocks nested more than 64 deep are refused with their line.
public struct NginxLayer: Sendable, Hashable {
  /// The configuration text as given.
  public var text: String
  /// What was read but not modelled.
  public var notes: [String]
  let server: Block
  let maps: [String: Map]

  /// A directive: its name and arguments, and its block when it has one.
  struct Directive: Sendable, Hashable {
    var name: String
    var args: [String]
    var block: Block?
  }
  struct Block: Sendable, Hashable {
    var directives: [Directive]
  }
  struct Map: Sendable, Hashable {
    var source: String
    var entries: [(String, String)]
    var fallback: String
    static func == (a: Map, b: Map) -> Bool { a.source == b.source && a.fallback == b.fallback && a.entries.map(\.0) == b.entries.map(\.0) && a.entries.map(\.1) == b.entries.map(\.1) }
    func hash(into h: inout Hasher) { h.combine(source); h.combine(fallback) }
  }

  /// Reads a configuration excerpt: directives, `location` blocks, a `server` block, `map` blocks.
  public init(_ text: String) throws(PolicyFileError) {
    self.text = text
    var parser = NginxParser(text)
    let top = try parser.block(closedBy: nil)
    var notes: [String] = []
    var maps: [String: Map] = [:]
    var serverBlock: Block?
    var rest: [Directive] = []
    func collect(_ block: Block) throws(PolicyFileError) {
      for d in block.directives {
        switch d.name {
        case "http": if let b = d.block { try collect(b) }
        case "server": if serverBlock == nil { serverBlock = d.block }
        case "map":
          guard d.args.count == 2, let b = d.block else { throw PolicyFileError("nginx: map needs a source and a variable: map $http_origin $cors { … }") }
          var entries: [(String, String)] = []
          var fallback = ""
          for e in b.directives {
            let value = e.args.first ?? ""
            if e.name == "default" { fallback = value } else if e.name != "hostnames" { entries.append((e.name, value)) }
          }
          maps[String(d.args[1].dropFirst())] = Map(source: d.args[0], entries: entries, fallback: fallback)
        default: rest.append(d)
        }
      }
    }
    try collect(top)
    server = serverBlock ?? Block(directives: rest)
    self.maps = maps
    func scan(_ b: Block) {
      for d in b.directives {
        if ["more_set_headers", "more_clear_headers", "rewrite", "add_trailer"].contains(d.name) {
          notes.append("nginx: `\(d.name)` is not modelled (headers-more or rewrite): its effect is left out")
        }
        if d.args.contains(where: { $0.contains("$1") || $0.contains("$2") }) {
          notes.append("nginx: regular expression captures ($1…) are not modelled: they read as empty")
        }
        if let inner = d.block { scan(inner) }
      }
    }
    scan(server)
    self.notes = Array(Set(notes)).sorted()
  }

  public static func == (a: NginxLayer, b: NginxLayer) -> Bool { a.text == b.text }
  public func hash(into hasher: inout Hasher) { hasher.combine(text) }

  /// The statuses `add_header` applies to without `always`.
  static let headerStatuses: Set<Int> = [200, 201, 204, 206, 301, 302, 303, 304, 307, 308]

  /// Answers a request: nginx's own answer when a `return` runs, else the upstream's with the layer's changes.
  public func answer(_ request: ServerRequest, upstream: (ServerRequest) -> Route) -> Route {
    var variables: [String: String] = [:]
    let location = chooseLocation(request.url.pathString)
    // The levels from the server down: server, location, then each matching `if`.
    var levels: [Block] = [server]
    if let location { levels.append(location) }
    var returned: Int? = nil
    // Rewrite-phase directives of the innermost level run in order; an `if` that matches is entered.
    func run(_ block: Block) {
      for d in block.directives {
        guard returned == nil else { return }
        switch d.name {
        case "set" where d.args.count >= 2:
          variables[String(d.args[0].dropFirst())] = interpolate(d.args[1], request, variables)
        case "if":
          if let b = d.block, condition(d.args.first ?? "", request, variables) {
            levels.append(b)
            run(b)
          }
        case "return":
          returned = Int(d.args.first ?? "") ?? 444
        default: break
        }
      }
    }
    run(server)
    if let location, returned == nil { run(location) }
    // The effective add_header and proxy_hide_header lists: the innermost level that has any.
    func effective(_ name: String) -> [Directive] {
      for level in levels.reversed() {
        let found = level.directives.filter { $0.name == name }
        if !found.isEmpty { return found }
      }
      return []
    }
    var route: Route
    if let returned {
      route = Route(method: request.method, url: request.url, status: returned, headers: [], body: nil, answeredBy: "nginx")
    } else {
      route = upstream(request)
      let hidden = effective("proxy_hide_header").compactMap(\.args.first).map { HeaderName($0) }
      var kept = HeaderList()
      for field in route.headers where !hidden.contains(where: { $0 == field.name }) {
        kept.append(HeaderField(field.name, field.value, setBy: field.setBy ?? route.answeredBy))
      }
      route.headers = kept
    }
    if route.networkFailure { return route }
    for d in effective("add_header") where d.args.count >= 2 {
      let always = d.args.count >= 3 && d.args[2] == "always"
      guard always || NginxLayer.headerStatuses.contains(route.status) else { continue }
      let value = interpolate(d.args[1], request, variables)
      guard !value.isEmpty else { continue }
      route.headers.append(HeaderField(HeaderName(d.args[0]), value, setBy: "nginx"))
    }
    return route
  }

  /// nginx's location choice for a path (nil: none, the server level answers).
  func chooseLocation(_ path: String) -> Block? {
    var longest: (Int, Bool, Block)? = nil
    var regexes: [(String, Bool, Block)] = []
    for d in server.directives where d.name == "location" {
      guard let block = d.block, let first = d.args.first else { continue }
      switch first {
      case "=": if d.args.count > 1, d.args[1] == path { return block }
      case "^~", "~", "~*":
        guard d.args.count > 1 else { continue }
        if first == "^~" {
          if path.hasPrefix(d.args[1]), d.args[1].count > (longest?.0 ?? -1) { longest = (d.args[1].count, true, block) }
        } else {
          regexes.append((d.args[1], first == "~*", block))
        }
      default:
        if path.hasPrefix(first), first.count > (longest?.0 ?? -1) { longest = (first.count, false, block) }
      }
    }
    if let l = longest, l.1 { return l.2 }
    for (pattern, ignoringCase, block) in regexes where OriginRule.regex(pattern, match: .search, ignoringCase: ignoringCase).matches(path) {
      return block
    }
    return longest?.2
  }

  func variable(_ name: String, _ request: ServerRequest, _ set: [String: String]) -> String {
    if let v = set[name] { return v }
    if let map = maps[name] {
      let source = interpolate(map.source, request, set)
      for (key, value) in map.entries {
        let matched: Bool
        if key.hasPrefix("~*") {
          matched = OriginRule.regex(String(key.dropFirst(2)), match: .search, ignoringCase: true).matches(source)
        } else if key.hasPrefix("~") {
          matched = OriginRule.regex(String(key.dropFirst()), match: .search).matches(source)
        } else {
          matched = key == source
        }
        if matched { return interpolate(value, request, set) }
      }
      return interpolate(map.fallback, request, set)
    }
    if name.hasPrefix("http_") {
      let header = String(name.dropFirst(5)).replacingAll("_", with: "-")
      return request.headers.fields(named: HeaderName(header)).map(\.value).joined(separator: ", ")
    }
    switch name {
    case "request_method": return request.method.rawValue
    case "uri": return request.url.pathString
    case "request_uri": return request.url.pathAndQuery
    case "args", "query_string": return request.url.query ?? ""
    case "host": return request.url.hostString
    case "scheme": return request.url.scheme
    default: return ""
    }
  }

  /// A value with its `$name` and `${name}` variables read.
  func interpolate(_ value: String, _ request: ServerRequest, _ set: [String: String]) -> String {
    guard value.contains("$") else { return value }
    var out = ""
    var rest = Substring(value)
    while let dollar = rest.firstIndex(of: "$") {
      out += rest[..<dollar]
      var after = rest[rest.index(after: dollar)...]
      var name = ""
      if after.first == "{", let close = after.firstIndex(of: "}") {
        name = String(after[after.index(after: after.startIndex)..<close])
        after = after[after.index(after: close)...]
      } else {
        name = String(after.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
        after = after.dropFirst(name.count)
      }
      out += name.isEmpty ? "$" : variable(name, request, set)
      rest = after
    }
    return out + rest
  }

  /// An `if` condition (the text between its parentheses).
  func condition(_ text: String, _ request: ServerRequest, _ set: [String: String]) -> Bool {
    let words = NginxParser.words(text)
    guard let first = words.first else { return false }
    let subject = interpolate(first, request, set)
    guard words.count >= 3 else { return !subject.isEmpty && subject != "0" }
    let op = words[1], operand = words[2]
    switch op {
    case "=": return subject == interpolate(operand, request, set)
    case "!=": return subject != interpolate(operand, request, set)
    case "~", "~*", "!~", "!~*":
      let m = OriginRule.regex(operand, match: .search, ignoringCase: op.hasSuffix("*")).matches(subject)
      return op.hasPrefix("!") ? !m : m
    default: return false
    }
  }
}

/// The tokens and blocks of an nginx configuration: words, quoted strings, `;`, `{`, `}`, and an `if`'s
/// parenthesised condition as one token.
struct NginxParser {
  private let chars: [Character]
  private var i = 0
  private var line = 1
  private var depth = 0
  /// Deeper nesting than this is refused: a real configuration nests a few levels (`http`, `server`, `location`,
  /// `if`), and every level is a call here and in the code that reads the blocks (100,000 levels overflowed the
  /// stack).
  static let maximumDepth = 64

  init(_ text: String) { chars = Array(text) }

  mutating func block(closedBy close: Character?) throws(PolicyFileError) -> NginxLayer.Block {
    var directives: [NginxLayer.Directive] = []
    var words: [String] = []
    while true {
      skipSpaceAndComments()
      guard i < chars.count else {
        if close != nil { throw PolicyFileError("nginx: line \(line): a `{` is never closed") }
        if !words.isEmpty { throw PolicyFileError("nginx: line \(line): `\(words.joined(separator: " "))` needs a `;`") }
        return NginxLayer.Block(directives: directives)
      }
      let c = chars[i]
      switch c {
      case ";":
        i += 1
        if let name = words.first { directives.append(.init(name: name, args: Array(words.dropFirst()), block: nil)) }
        words = []
      case "{":
        i += 1
        guard let name = words.first else { throw PolicyFileError("nginx: line \(line): a block without a directive") }
        guard depth < Self.maximumDepth else {
          throw PolicyFileError("nginx: line \(line): blocks nested deeper than \(Self.maximumDepth) levels")
        }
        depth += 1
        let inner = try block(closedBy: "}")
        depth -= 1
        directives.append(.init(name: name, args: Array(words.dropFirst()), block: inner))
        words = []
      case "}":
        guard close == "}" else { throw PolicyFileError("nginx: line \(line): an unexpected `}`") }
        i += 1
        if !words.isEmpty { throw PolicyFileError("nginx: line \(line): `\(words.joined(separator: " "))` needs a `;`") }
        return NginxLayer.Block(directives: directives)
      case "(" where words.first == "if":
        var depth = 0
        var text = ""
        while i < chars.count {
          let ch = chars[i]
          if ch == "(" { depth += 1; if depth == 1 { i += 1; continue } }
          if ch == ")" { depth -= 1; if depth == 0 { i += 1; break } }
          if ch == "\n" { line += 1 }
          text.append(ch)
          i += 1
        }
        words.append(text)
      case "\"", "'":
        words.append(try quoted(c))
      default:
        var w = ""
        while i < chars.count, !chars[i].isWhitespace, !";{}".contains(chars[i]) {
          if chars[i] == "\\", i + 1 < chars.count { i += 1 }
          w.append(chars[i])
          i += 1
        }
        words.append(w)
      }
    }
  }

  private mutating func quoted(_ q: Character) throws(PolicyFileError) -> String {
    i += 1
    var s = ""
    while i < chars.count, chars[i] != q {
      if chars[i] == "\\", i + 1 < chars.count { i += 1 }
      if chars[i] == "\n" { line += 1 }
      s.append(chars[i])
      i += 1
    }
    guard i < chars.count else { throw PolicyFileError("nginx: line \(line): a quoted string is never closed") }
    i += 1
    return s
  }

  private mutating func skipSpaceAndComments() {
    while i < chars.count {
      if chars[i] == "\n" { line += 1; i += 1 } else if chars[i].isWhitespace { i += 1 } else if chars[i] == "#" {
        while i < chars.count, chars[i] != "\n" { i += 1 }
      } else { return }
    }
  }

  /// The words of an `if` condition: `$http_origin ~* "^https://"` → three words.
  static func words(_ text: String) -> [String] {
    var out: [String] = []
    var current = ""
    var quote: Character? = nil
    for c in text {
      if let q = quote {
        if c == q { quote = nil; out.append(current); current = "" } else { current.append(c) }
      } else if c == "\"" || c == "'" {
        quote = c
      } else if c.isWhitespace {
        if !current.isEmpty { out.append(current); current = "" }
      } else {
        current.append(c)
      }
    }
    if !current.isEmpty { out.append(current) }
    return out
  }
}
