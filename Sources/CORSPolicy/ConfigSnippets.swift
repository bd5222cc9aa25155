import CORSJSON

/// Configurations as people paste them from their code: a Django settings excerpt, a Starlette/FastAPI
/// `add_middleware(CORSMiddleware, …)` call, an ASP.NET Core policy builder chain, a Spring
/// `CorsConfiguration` or `CorsRegistry` chain. Each is read into the preset's options: only literals
/// (strings, numbers, booleans, lists of them, and the few library constants named below) — a variable, a
/// function or an expression is refused, naming it.
enum ConfigSnippet {
  // MARK: Python

  /// `NAME = literal` and `name=literal` pairs of a Python excerpt, for the keys asked for; others skipped.
  static func python(_ text: String, keys: [String], context: String) throws(PolicyFileError) -> PolicyValue {
    var lexer = PythonLexer(text)
    let tokens = try lexer.tokens()
    var members: [(String, PolicyValue)] = []
    var i = 0
    while i + 1 < tokens.count {
      guard case .name(let name) = tokens[i], tokens[i + 1] == .symbol("="), keys.contains(name) else { i += 1; continue }
      var j = i + 2
      let value: PolicyValue
      do { value = try pythonValue(tokens, &j) } catch { throw PolicyFileError("\(context): \(name): \(error.message)") }
      members.removeAll { $0.0 == name }
      members.append((name, value))
      i = j
    }
    return .object(members)
  }

  enum PythonToken: Equatable { case name(String), string(String), number(Double), symbol(String) }

  /// A literal, with `+` between lists, `list(…)`/`tuple(…)`/`set(…)` around one, and django-cors-headers'
  /// `default_headers` / `default_methods` (corsheaders/defaults.py).
  static func pythonValue(_ t: [PythonToken], _ i: inout Int) throws(PolicyFileError) -> PolicyValue {
    var value = try pythonTerm(t, &i)
    while i < t.count, t[i] == .symbol("+") {
      i += 1
      let next = try pythonTerm(t, &i)
      guard case .array(let a) = value, case .array(let b) = next else { throw PolicyFileError("only lists can be added") }
      value = .array(a + b)
    }
    return value
  }

  static let djangoDefaults: [String: [String]] = [
    "default_headers": ["accept", "authorization", "content-type", "user-agent", "x-csrftoken", "x-requested-with"],
    "default_methods": ["DELETE", "GET", "OPTIONS", "PATCH", "POST", "PUT"],
  ]

  static func pythonTerm(_ t: [PythonToken], _ i: inout Int) throws(PolicyFileError) -> PolicyValue {
    guard i < t.count else { throw PolicyFileError("a value is missing") }
    let token = t[i]
    i += 1
    switch token {
    case .string(var s):
      // Adjacent literals concatenate.
      while i < t.count, case .string(let more) = t[i] { s += more; i += 1 }
      return .string(s)
    case .number(let n): return .number(n)
    case .name("True"): return .bool(true)
    case .name("False"): return .bool(false)
    case .name("None"): return .null
    // `corsheaders.defaults.default_headers` is `default_headers`.
    case .name(let n) where djangoDefaults[lastPart(n)] != nil: return .array(djangoDefaults[lastPart(n)]!.map { .string($0) })
    case .name(let n) where ["list", "tuple", "set", "sorted"].contains(n):
      guard i < t.count, t[i] == .symbol("(") else { throw PolicyFileError("\(n) without arguments") }
      i += 1
      let inner = try pythonValue(t, &i)
      guard i < t.count, t[i] == .symbol(")") else { throw PolicyFileError("\(n)(…) is not closed") }
      i += 1
      return inner
    case .name(let n) where n == "lambda" || n == "def":
      throw Preset.functionRefused("this setting")
    case .name(let n):
      throw PolicyFileError("`\(n)` is a variable or a call, not a value corsim can read: write the value itself")
    case .symbol(let open) where open == "[" || open == "(" || open == "{":
      let close = open == "[" ? "]" : open == "(" ? ")" : "}"
      var items: [PolicyValue] = []
      while i < t.count, t[i] != .symbol(close) {
        if t[i] == .symbol("*"), i + 1 < t.count, case .name(let n) = t[i + 1], let d = djangoDefaults[lastPart(n)] {
          items += d.map { .string($0) }
          i += 2
        } else {
          items.append(try pythonValue(t, &i))
        }
        if i < t.count, t[i] == .symbol(",") { i += 1 }
      }
      guard i < t.count else { throw PolicyFileError("a `\(open)` is never closed") }
      i += 1
      return .array(items)
    case .symbol("-"):
      guard i < t.count, case .number(let n) = t[i] else { throw PolicyFileError("a `-` not before a number") }
      i += 1
      return .number(-n)
    case .symbol(let s):
      throw PolicyFileError("unexpected `\(s)`")
    }
  }

  static func lastPart(_ dotted: String) -> String { dotted.split(separator: ".").last.map(String.init) ?? dotted }

  struct PythonLexer {
    private let chars: [Character]
    private var i = 0
    init(_ text: String) { chars = Array(text) }

    mutating func tokens() throws(PolicyFileError) -> [PythonToken] {
      var out: [PythonToken] = []
      while i < chars.count {
        let c = chars[i]
        if c.isWhitespace || c == "\\" { i += 1; continue }
        if c == "#" { while i < chars.count, chars[i] != "\n" { i += 1 }; continue }
        if c.isLetter || c == "_" {
          var name = ""
          while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" || chars[i] == "." { name.append(chars[i]); i += 1 }
          // A string prefix: r"…", b'…', u"…", f"…" (f-strings interpolate: refused).
          if i < chars.count, chars[i] == "\"" || chars[i] == "'", name.count <= 2, name.lowercased().allSatisfy({ "rbuf".contains($0) }) {
            if name.lowercased().contains("f") { throw PolicyFileError("an f-string interpolates: write the value itself") }
            out.append(.string(try string(raw: name.lowercased().contains("r"))))
            continue
          }
          out.append(.name(name))
          continue
        }
        if c.isNumber {
          var n = ""
          while i < chars.count, chars[i].isNumber || chars[i] == "_" || chars[i] == "." { if chars[i] != "_" { n.append(chars[i]) }; i += 1 }
          guard let v = Double(n) else { throw PolicyFileError("`\(n)` is not a number") }
          out.append(.number(v))
          continue
        }
        if c == "\"" || c == "'" { out.append(.string(try string(raw: false))); continue }
        if c == "=", i + 1 < chars.count, chars[i + 1] == "=" { out.append(.symbol("==")); i += 2; continue }
        out.append(.symbol(String(c)))
        i += 1
      }
      return out
    }

    private mutating func string(raw: Bool) throws(PolicyFileError) -> String {
      let q = chars[i]
      let triple = i + 2 < chars.count && chars[i + 1] == q && chars[i + 2] == q
      i += triple ? 3 : 1
      var s = ""
      while i < chars.count {
        if chars[i] == q && (!triple || (i + 2 < chars.count && chars[i + 1] == q && chars[i + 2] == q)) {
          i += triple ? 3 : 1
          return s
        }
        if chars[i] == "\\", !raw, i + 1 < chars.count {
          i += 1
          switch chars[i] {
          case "n": s.append("\n")
          case "t": s.append("\t")
          default: s.append(chars[i])
          }
        } else {
          s.append(chars[i])
        }
        i += 1
      }
      throw PolicyFileError("a string is never closed")
    }
  }

  // MARK: C#, Java

  /// The calls of a builder chain or setter list: `.WithOrigins("a", "b")`, `setMaxAge(3600L)`,
  /// `SetPreflightMaxAge(TimeSpan.FromMinutes(10))`, with their literal arguments (lists flattened, time spans
  /// in seconds). A lambda among the arguments marks a function.
  static func calls(_ text: String) throws(PolicyFileError) -> [(name: String, args: [PolicyValue], isFunction: Bool)] {
    let chars = Array(text)
    var out: [(String, [PolicyValue], Bool)] = []
    var i = 0
    func skipString(_ q: Character) -> String {
      var s = ""
      i += 1
      while i < chars.count, chars[i] != q {
        if chars[i] == "\\", i + 1 < chars.count { i += 1 }
        s.append(chars[i])
        i += 1
      }
      i += 1
      return s
    }
    while i < chars.count {
      let c = chars[i]
      if c == "\"" { _ = skipString("\""); continue }
      if c == "/" && i + 1 < chars.count && chars[i + 1] == "/" { while i < chars.count, chars[i] != "\n" { i += 1 }; continue }
      guard c.isLetter else { i += 1; continue }
      var name = ""
      while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" { name.append(chars[i]); i += 1 }
      var j = i
      while j < chars.count, chars[j].isWhitespace { j += 1 }
      guard j < chars.count, chars[j] == "(" else { continue }
      // The arguments, to the matching parenthesis.
      var depth = 0
      var k = j
      var inner = ""
      while k < chars.count {
        if chars[k] == "\"" {
          var s = "\""
          k += 1
          while k < chars.count, chars[k] != "\"" { if chars[k] == "\\", k + 1 < chars.count { s.append(chars[k]); k += 1 }; s.append(chars[k]); k += 1 }
          inner += s + "\""
          k += 1
          continue
        }
        if chars[k] == "(" { depth += 1; if depth == 1 { k += 1; continue } }
        if chars[k] == ")" { depth -= 1; if depth == 0 { k += 1; break } }
        inner.append(chars[k])
        k += 1
      }
      let isFunction = inner.contains("=>") || inner.contains("->")
      var args: [PolicyValue] = []
      let a = Array(inner)
      var p = 0
      var unit = 1.0
      while p < a.count {
        if a[p] == "\"" {
          var s = ""
          p += 1
          while p < a.count, a[p] != "\"" { if a[p] == "\\", p + 1 < a.count { p += 1 }; s.append(a[p]); p += 1 }
          p += 1
          args.append(.string(s))
        } else if a[p].isNumber {
          var n = ""
          while p < a.count, a[p].isNumber || a[p] == "." { n.append(a[p]); p += 1 }
          while p < a.count, "LlDdFfMm".contains(a[p]) { p += 1 }
          args.append(.number((Double(n) ?? 0) * unit))
        } else if a[p].isLetter {
          var word = ""
          while p < a.count, a[p].isLetter || a[p].isNumber || a[p] == "." || a[p] == "_" { word.append(a[p]); p += 1 }
          switch word {
          case "true": args.append(.bool(true))
          case "false": args.append(.bool(false))
          case "TimeSpan.FromSeconds", "Duration.ofSeconds": unit = 1
          case "TimeSpan.FromMinutes", "Duration.ofMinutes": unit = 60
          case "TimeSpan.FromHours", "Duration.ofHours": unit = 3600
          case "TimeSpan.FromDays", "Duration.ofDays": unit = 86400
          default: break  // List.of, Arrays.asList, new, HttpMethod.GET…
          }
          if word.hasPrefix("HttpMethod.") || word.hasPrefix("RequestMethod.") { args.append(.string(String(word.split(separator: ".").last!))) }
        } else {
          p += 1
        }
      }
      out.append((name, args, isFunction))
      // Calls inside the arguments are read too (a builder chain inside `AddPolicy("spa", p => p.WithOrigins(…))`).
      i = j + 1
    }
    return out.map { (name: $0.0, args: $0.1, isFunction: $0.2) }
  }

  /// An ASP.NET Core builder chain as the aspnetcore preset's options (the builder's method names).
  static func aspnet(_ text: String) throws(PolicyFileError) -> PolicyValue {
    var members: [(String, PolicyValue)] = []
    func set(_ k: String, _ v: PolicyValue) { members.removeAll { $0.0 == k }; members.append((k, v)) }
    for call in try calls(text) {
      if call.name == "SetIsOriginAllowed" { throw Preset.functionRefused(call.name) }
      switch call.name {
      case "WithOrigins", "WithMethods", "WithHeaders", "WithExposedHeaders":
        let previous: [PolicyValue] = { if case .array(let a)? = members.first(where: { $0.0 == call.name })?.1 { return a } else { return [] } }()
        set(call.name, .array(previous + call.args))
      case "AllowAnyOrigin", "AllowAnyMethod", "AllowAnyHeader", "AllowCredentials", "DisallowCredentials",
           "SetIsOriginAllowedToAllowWildcardSubdomains":
        set(call.name, .bool(true))
      case "SetPreflightMaxAge": set(call.name, call.args.first ?? .null)
      default: break
      }
    }
    return .object(members)
  }

  /// A Spring `CorsConfiguration` (setters, adders) or `CorsRegistry` chain (`addMapping(…).allowedOrigins(…)`,
  /// which starts from `applyPermitDefaultValues`) as the spring preset's options.
  static func spring(_ text: String) throws(PolicyFileError) -> PolicyValue {
    var members: [(String, PolicyValue)] = []
    func append(_ k: String, _ v: [PolicyValue]) {
      let previous: [PolicyValue] = { if case .array(let a)? = members.first(where: { $0.0 == k })?.1 { return a } else { return [] } }()
      members.removeAll { $0.0 == k }
      members.append((k, .array(previous + v)))
    }
    func set(_ k: String, _ v: PolicyValue) { members.removeAll { $0.0 == k }; members.append((k, v)) }
    let names: [String: String] = [
      "setAllowedOrigins": "allowedOrigins", "addAllowedOrigin": "allowedOrigins", "allowedOrigins": "allowedOrigins",
      "setAllowedOriginPatterns": "allowedOriginPatterns", "addAllowedOriginPattern": "allowedOriginPatterns",
      "allowedOriginPatterns": "allowedOriginPatterns",
      "setAllowedMethods": "allowedMethods", "addAllowedMethod": "allowedMethods", "allowedMethods": "allowedMethods",
      "setAllowedHeaders": "allowedHeaders", "addAllowedHeader": "allowedHeaders", "allowedHeaders": "allowedHeaders",
      "setExposedHeaders": "exposedHeaders", "addExposedHeader": "exposedHeaders", "exposedHeaders": "exposedHeaders",
    ]
    for call in try calls(text) {
      if let key = names[call.name] {
        if call.isFunction { throw Preset.functionRefused(call.name) }
        append(key, call.args)
        continue
      }
      switch call.name {
      case "setAllowCredentials", "allowCredentials": set("allowCredentials", call.args.first ?? .bool(true))
      case "setAllowPrivateNetwork", "allowPrivateNetwork": set("allowPrivateNetwork", call.args.first ?? .bool(true))
      case "setMaxAge", "maxAge": set("maxAge", call.args.first ?? .null)
      case "addMapping", "applyPermitDefaultValues": set("applyPermitDefaultValues", .bool(true))
      default: break
      }
    }
    return .object(members)
  }
}
