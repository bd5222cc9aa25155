import CORSJSON
import CORSSimulator
import CYaml
import Yams

/// A policy file could not be read: where (a key path such as `frontend[0].method`, empty for the whole
/// file) and what is wrong, in words.
public struct PolicyFileError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The whole message: the key path, then the problem.
  public var message: String
  /// The key path of the offending value (`maxAge`, `options.origins[2]`), empty when the file as a whole is meant.
  public var path: String
  /// Creates an error about the file as a whole (or with the path already in the message).
  public init(_ message: String) {
    self.message = message
    self.path = ""
  }
  /// Creates an error about the value at a key path.
  public init(path: String, _ problem: String) {
    self.path = path
    self.message = path.isEmpty ? problem : "\(path): \(problem)"
  }
  public var description: String { message }

  /// The same error, one level down: `key` (or `[3]`) is put in front of the path.
  func inside(_ key: String) -> PolicyFileError {
    guard !path.isEmpty else { return PolicyFileError(path: key, message) }
    let problem = String(message.dropFirst(path.count + 2))
    return PolicyFileError(path: key + (path.hasPrefix("[") ? "" : ".") + path, problem)
  }
}

/// A value read from a policy file (YAML, or JSON, which YAML 1.2 reads too), members kept in order: the
/// oracle's `JSONValue`.
public typealias PolicyValue = JSONValue

extension JSONValue {
  /// Parses YAML or JSON text. Anchors and aliases are refused before the document is composed: an alias
  /// copies a whole subtree, so a few hundred bytes of nested aliases stand for gigabytes (a "billion
  /// laughs" document).
  public static func parsePolicy(_ text: String) throws(PolicyFileError) -> PolicyValue {
    try YAMLEvents.refuseAnchorsAndAliases(text)
    let node: Node?
    do { node = try Yams.compose(yaml: text) } catch { throw PolicyFileError("not valid YAML or JSON: \(error)") }
    guard let node else {
      throw PolicyFileError("the policy file is empty: write at least `origins:` (the allowlist) or a `preset:` with its `options:` (docs/AUDIT.md)")
    }
    return try PolicyValue(node, path: "")
  }

  init(_ node: Node, path: String) throws(PolicyFileError) {
    switch node {
    case .scalar(let s):
      switch node.tag.rawValue {
      case Tag.Name.null.rawValue: self = .null
      case Tag.Name.bool.rawValue: self = node.bool.map { .bool($0) } ?? .string(s.string)
      case Tag.Name.int.rawValue: self = node.int.map { .number(Double($0)) } ?? .string(s.string)
      default: self = .string(s.string)
      }
    case .sequence(let seq):
      var items: [PolicyValue] = []
      for (i, n) in seq.enumerated() { items.append(try PolicyValue(n, path: path + "[\(i)]")) }
      self = .array(items)
    case .mapping(let map):
      var members: [(String, PolicyValue)] = []
      for (k, v) in map {
        guard let key = k.string else { throw PolicyFileError(path: path, "a key is not a string") }
        members.append((key, try PolicyValue(v, path: path.isEmpty ? key : path + "." + key)))
      }
      self = .object(members)
    case .alias:
      throw PolicyFileError(path: path, "YAML aliases are not supported in policy files")
    }
  }

  var keys: [String] { if case .object(let m) = self { return m.map(\.0) } else { return [] } }

  func checkKeys(_ known: [String], context: String) throws(PolicyFileError) {
    for k in keys where !known.contains(k) {
      throw PolicyFileError(path: k, "unknown \(context) option (known: \(known.joined(separator: ", ")))")
    }
  }

  /// The member `key` read by `read`, nil when absent; an error names the key.
  func member<T>(_ key: String, _ read: (PolicyValue) throws(PolicyFileError) -> T) throws(PolicyFileError) -> T? {
    guard let v = self[key] else { return nil }
    do { return try read(v) } catch { throw error.inside(key) }
  }

  func string(_ key: String) throws(PolicyFileError) -> String? { try member(key) { v throws(PolicyFileError) in try v.string() } }
  func int(_ key: String) throws(PolicyFileError) -> Int? { try member(key) { v throws(PolicyFileError) in try v.int() } }
  func bool(_ key: String) throws(PolicyFileError) -> Bool? { try member(key) { v throws(PolicyFileError) in try v.bool() } }
  func stringList(_ key: String) throws(PolicyFileError) -> [String]? {
    try member(key) { v throws(PolicyFileError) in try v.stringList() }
  }
  func commaList(_ key: String) throws(PolicyFileError) -> [String]? {
    try member(key) { v throws(PolicyFileError) in try v.commaList() }
  }

  func string() throws(PolicyFileError) -> String {
    switch self {
    case .string(let s): return s
    case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
    case .bool(let b): return String(b)
    default: throw PolicyFileError(path: "", "expected a string, found \(self.kind)")
    }
  }

  func bool() throws(PolicyFileError) -> Bool {
    switch self {
    case .bool(let b): return b
    case .string("true"), .string("True"): return true
    case .string("false"), .string("False"): return false
    default: throw PolicyFileError(path: "", "expected true or false, found \(self.kind)")
    }
  }

  func int() throws(PolicyFileError) -> Int {
    switch self {
    case .number(let n): if n == n.rounded(), abs(n) < 1e15 { return Int(n) }
    case .string(let s): if let i = Int(s) { return i }
    default: break
    }
    throw PolicyFileError(path: "", "expected a whole number, found \(self.kind)")
  }

  /// A string or a list of strings.
  func stringList() throws(PolicyFileError) -> [String] {
    switch self {
    case .array(let items):
      var out: [String] = []
      for (i, item) in items.enumerated() {
        do { out.append(try item.string()) } catch { throw error.inside("[\(i)]") }
      }
      return out
    default: return [try string()]
    }
  }

  /// A list, or one string of comma-separated items (`'GET,POST'`, as express and flask-cors accept).
  func commaList() throws(PolicyFileError) -> [String] {
    if case .string(let s) = self {
      return s.split(separator: ",").map { String($0).trimmedOWS }.filter { !$0.isEmpty }
    }
    return try stringList()
  }

  var kind: String {
    switch self {
    case .null: return "null"
    case .bool: return "a boolean"
    case .number: return "a number"
    case .string(let s): return "'\(s.count > 60 ? s.prefix(60) + "…" : s)'"
    case .array: return "a list"
    case .object: return "a mapping"
    }
  }
}

/// libyaml's events, read once before Yams composes the document: the only way to see an anchor or an alias
/// before it has been expanded (Yams' `Parser` resolves aliases while it builds its nodes).
enum YAMLEvents {
  static func refuseAnchorsAndAliases(_ text: String) throws(PolicyFileError) {
    var bytes = Array(text.utf8)
    if bytes.isEmpty { return }
    var parser = yaml_parser_t()
    guard yaml_parser_initialize(&parser) == 1 else { return }
    defer { yaml_parser_delete(&parser) }
    var problem: (line: Int, column: Int, what: String)? = nil
    bytes.withUnsafeMutableBufferPointer { buffer in
      yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
      yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
      var event = yaml_event_t()
      // A syntax error stops the scan: Yams reports it with its own words when it composes.
      while yaml_parser_parse(&parser, &event) == 1 {
        defer { yaml_event_delete(&event) }
        let type = event.type
        if type == YAML_STREAM_END_EVENT { return }
        let anchor: UnsafeMutablePointer<yaml_char_t>?
        switch type {
        case YAML_ALIAS_EVENT: anchor = event.data.alias.anchor
        case YAML_SCALAR_EVENT: anchor = event.data.scalar.anchor
        case YAML_SEQUENCE_START_EVENT: anchor = event.data.sequence_start.anchor
        case YAML_MAPPING_START_EVENT: anchor = event.data.mapping_start.anchor
        default: anchor = nil
        }
        guard let anchor else { continue }
        let name = String(cString: anchor)
        problem = (event.start_mark.line + 1, event.start_mark.column + 1,
                   type == YAML_ALIAS_EVENT ? "the alias *\(name)" : "the anchor &\(name)")
        return
      }
    }
    if let problem {
      throw PolicyFileError("line \(problem.line), column \(problem.column): \(problem.what): YAML anchors and aliases are not supported in policy files (write the value out where it is used)")
    }
  }
}

/// A policy file: the policy, and what the audit needs to judge it (the resource, the intended allowlist,
/// the frontend's requests, whether the service is internal, the layers in front of it).
///
/// ```yaml
/// resource: https://api.example.com/data
/// origins: [https://app.example.com, "https://*.example.com"]
/// credentials: true
/// methods: [GET, PUT]
/// requestHeaders: [Content-Type]
/// maxAge: 600
/// frontend:
///   - { method: PUT, headers: { Content-Type: application/json }, credentials: include }
/// ```
/// or a middleware's own options: `preset: flask-cors` with `options: { origins: [...], supports_credentials: true }`.
public struct PolicyDocument: Sendable, Hashable {
  /// The policy.
  public var policy: CORSPolicy
  /// The resource the policy guards (default `https://api.example.com/data`).
  public var resource: URLRecord
  /// The intended allowlist (nil: read from the policy's origin rules).
  public var allow: [String]?
  /// The requests the real frontend makes (empty: a credentialed GET when the policy allows credentials,
  /// else a plain GET).
  public var frontend: [AuditRequest]
  /// Whether the service is internal (nil: judged from the resource's host).
  public var isInternal: Bool?
  /// Proxies, CDNs or gateways in front of the application.
  public var layers: [Layer]
  /// The origin the resource will be deployed at (`deployedAs:`): the audit judges it there, while its
  /// answers are the ones given at `resource` (nil: judged where it is).
  public var deployedAs: URLRecord?
  /// `public: true` (anyone may read without credentials) or `false` (only the allowlist); nil: from the rules.
  public var publicReads: Bool?
  /// nginx in front of the application (`proxy: {nginx: …}`, or `preset: nginx` with `config:`).
  public var proxy: NginxLayer?

  static let topKeys = ["resource", "preset", "options", "origins", "anyOrigin", "allowOrigin", "methods", "requestHeaders",
                        "exposedHeaders", "credentials", "maxAge", "privateNetwork", "vary", "preflightStatus", "response",
                        "allow", "frontend", "internal", "layers", "deployedAs", "public", "version", "config", "proxy"]

  /// Reads a policy file's text (YAML or JSON). An error names the key path of the value at fault.
  public init(text: String) throws(PolicyFileError) {
    let root = try PolicyValue.parsePolicy(text)
    guard case .object(let members) = root else {
      if root == .null { throw PolicyFileError("the policy file is empty: write at least `origins:` (the allowlist) or a `preset:` with its `options:` (docs/AUDIT.md)") }
      throw PolicyFileError("a policy file is a mapping of keys to values")
    }
    if members.isEmpty {
      throw PolicyFileError("the policy file has no keys: write at least `origins:` (the allowlist) or a `preset:` with its `options:` (docs/AUDIT.md)")
    }
    try root.checkKeys(Self.topKeys, context: "policy file")
    if let name = try root.string("preset") {
      guard let p = Preset(rawValue: name) else {
        throw PolicyFileError(path: "preset", "unknown preset '\(name)' (known: \(Preset.allCases.map(\.rawValue).joined(separator: ", ")))")
      }
      for key in ["origins", "anyOrigin", "allowOrigin", "methods", "requestHeaders", "exposedHeaders", "credentials", "maxAge",
                  "privateNetwork", "vary", "preflightStatus"] where root[key] != nil {
        throw PolicyFileError(path: key, "belongs in `options:` with the preset's own name for it (\(p.optionNames.joined(separator: ", ")))")
      }
      let options = try PolicyDocument.presetOptions(p, root)
      do { policy = try p.policy(options: options, version: try root.string("version")) } catch { throw error.inside("options") }
      if p == .nginx { proxy = try PolicyDocument.nginx(root["config"]) }
    } else {
      for key in ["options", "config", "version"] where root[key] != nil { throw PolicyFileError(path: key, "`\(key):` needs a `preset:`") }
      policy = try PolicyDocument.nativePolicy(root)
    }
    if let app = try root.member("response", PolicyDocument.application) { policy.application = app }
    let resourceText = try root.string("resource") ?? "https://api.example.com/data"
    do { resource = try URLRecord(resourceText) } catch { throw PolicyFileError(path: "resource", "\(error)") }
    allow = try root.stringList("allow")
    var requests: [AuditRequest] = []
    if case .array(let items)? = root["frontend"] {
      for (i, item) in items.enumerated() {
        do { requests.append(try AuditRequest(item)) } catch { throw error.inside("[\(i)]").inside("frontend") }
      }
    } else if root["frontend"] != nil {
      throw PolicyFileError(path: "frontend", "expected a list of requests")
    }
    frontend = requests
    isInternal = try root.bool("internal")
    layers = try root.member("layers", PolicyDocument.layers) ?? []
    try readDeployment(root)
    try policy.checkPatterns(keyPath: root["preset"] == nil ? "origins" : "options")
  }

  /// Builds a document in Swift.
  public init(policy: CORSPolicy, resource: URLRecord, allow: [String]? = nil, frontend: [AuditRequest] = [],
              isInternal: Bool? = nil, layers: [Layer] = []) {
    self.policy = policy
    self.resource = resource
    self.allow = allow
    self.frontend = frontend
    self.isInternal = isInternal
    self.layers = layers
  }

  mutating func readDeployment(_ root: PolicyValue) throws(PolicyFileError) {
    if let text = try root["deployedAs"]?.string() {
      let origin = try DeployedAs.origin(text)
      deployedAs = try? URLRecord(origin.serialization)
    }
    publicReads = try root["public"]?.bool()
    if let p = root["proxy"] {
      guard case .object(let members) = p, members.count == 1, members[0].0 == "nginx" else {
        throw PolicyFileError("proxy: expected {nginx: |  …the add_header block…}")
      }
      guard proxy == nil else { throw PolicyFileError("proxy: `preset: nginx` already is the proxy") }
      proxy = try PolicyDocument.nginx(members[0].1)
    }
  }

  static func nativePolicy(_ root: PolicyValue) throws(PolicyFileError) -> CORSPolicy {
    var p = CORSPolicy()
    if let o = try root.stringList("origins") { p.origins = o.map(OriginRule.init(policyEntry:)) }
    if let a = try root.string("anyOrigin") {
      guard let v = AnyOriginAnswer(rawValue: a) else { throw PolicyFileError(path: "anyOrigin", "wildcard or reflect, not '\(a)'") }
      p.anyOrigin = v
    }
    p.fixedAllowOrigin = try root.string("allowOrigin")
    if let m = try root.member("methods", listRule) { p.methods = m }
    if let h = try root.member("requestHeaders", listRule) { p.requestHeaders = h }
    p.exposedHeaders = try root.commaList("exposedHeaders") ?? []
    p.credentials = try root.bool("credentials") ?? false
    p.maxAge = try root.int("maxAge")
    p.privateNetwork = try root.bool("privateNetwork") ?? false
    if let v = try root.string("vary") {
      guard let rule = VaryRule(rawValue: v) else { throw PolicyFileError(path: "vary", "auto, always or never, not '\(v)'") }
      p.vary = rule
    }
    p.preflightStatus = try root.int("preflightStatus") ?? 204
    return p
  }

  static func listRule(_ v: PolicyValue) throws(PolicyFileError) -> ListRule {
    if case .string("*") = v { return .wildcard }
    if case .string("reflect") = v { return .reflect }
    return .list(try v.commaList())
  }

  static func application(_ v: PolicyValue) throws(PolicyFileError) -> ApplicationResponse {
    var app = ApplicationResponse()
    if let s = try v.int("status") { app.status = s }
    if case .object(let members)? = v["headers"] {
      var headers = HeaderList()
      for (k, value) in members {
        do { headers.append(HeaderField(HeaderName(k), try value.string())) } catch { throw error.inside(k).inside("headers") }
      }
      app.headers = headers
    }
    if let b = try v.string("body") { app.body = b }
    return app
  }

  static func layers(_ v: PolicyValue) throws(PolicyFileError) -> [Layer] {
    guard case .array(let items) = v else { throw PolicyFileError(path: "", "expected a list") }
    var out: [Layer] = []
    for (i, item) in items.enumerated() {
      do { out.append(try layer(item)) } catch { throw error.inside("[\(i)]") }
    }
    return out
  }

  static func layer(_ item: PolicyValue) throws(PolicyFileError) -> Layer {
    let name = try item.string("name") ?? "proxy"
    var ops: [LayerOperation] = []
    for (key, make) in [("add", LayerOperation.add), ("set", LayerOperation.set), ("setIfAbsent", LayerOperation.setIfAbsent)] {
      if case .object(let members)? = item[key] {
        for (h, value) in members {
          do { ops.append(make(HeaderName(h), try value.string())) } catch { throw error.inside(h).inside(key) }
        }
      }
    }
    for h in try item.stringList("remove") ?? [] { ops.append(.remove(HeaderName(h))) }
    return Layer(name: name, urlPrefix: try item.string("urlPrefix"), method: (try item.string("method")).map { Method($0) },
                 operations: ops)
  }
}

extension OriginRule {
  /// Reads an allowlist entry as written in a corsim policy file: `*`, `null`, an origin, a subdomain
  /// pattern `https://*.example.com`, a glob with one `*`, or a regular expression `/…/` (whole match).
  public init(policyEntry s: String) {
    if s == "*" { self = .any; return }
    if s == "null" { self = .null; return }
    if s.hasPrefix("/"), s.hasSuffix("/"), s.count > 2 { self = .regex(String(s.dropFirst().dropLast()), match: .whole); return }
    if let r = s.range(of: "://*.") {
      let rest = s[r.upperBound...]
      if !rest.contains("*") { self = .subdomains(of: String(s[..<r.lowerBound]) + "://" + rest); return }
    }
    self = s.contains("*") ? .glob(s) : .exact(s)
  }
}
