import CORSJSON
import CORSSimulator
import Yams

/// A policy file could not be read: what is wrong, in words.
public struct PolicyFileError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The message.
  public var message: String
  /// Creates an error.
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// A value read from a policy file (YAML, or JSON, which YAML 1.2 reads too), members kept in order: the
/// oracle's `JSONValue`.
public typealias PolicyValue = JSONValue

extension JSONValue {
  /// Parses YAML or JSON text.
  public static func parsePolicy(_ text: String) throws(PolicyFileError) -> PolicyValue {
    let node: Node?
    do { node = try Yams.compose(yaml: text) } catch { throw PolicyFileError("not valid YAML or JSON: \(error)") }
    guard let node else { return .object([]) }
    return try PolicyValue(node)
  }

  init(_ node: Node) throws(PolicyFileError) {
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
      for n in seq { items.append(try PolicyValue(n)) }
      self = .array(items)
    case .mapping(let map):
      var members: [(String, PolicyValue)] = []
      for (k, v) in map {
        guard let key = k.string else { throw PolicyFileError("a key is not a string") }
        members.append((key, try PolicyValue(v)))
      }
      self = .object(members)
    case .alias:
      throw PolicyFileError("YAML aliases are not supported in policy files")
    }
  }

  var keys: [String] { if case .object(let m) = self { return m.map(\.0) } else { return [] } }

  func checkKeys(_ known: [String], context: String) throws(PolicyFileError) {
    for k in keys where !known.contains(k) {
      throw PolicyFileError("\(context): unknown option '\(k)' (known: \(known.joined(separator: ", ")))")
    }
  }

  func string() throws(PolicyFileError) -> String {
    switch self {
    case .string(let s): return s
    case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
    case .bool(let b): return String(b)
    default: throw PolicyFileError("expected a string, found \(self.kind)")
    }
  }

  func bool() throws(PolicyFileError) -> Bool {
    switch self {
    case .bool(let b): return b
    case .string("true"), .string("True"): return true
    case .string("false"), .string("False"): return false
    default: throw PolicyFileError("expected true or false, found \(self.kind)")
    }
  }

  func int() throws(PolicyFileError) -> Int {
    switch self {
    case .number(let n): if n == n.rounded(), abs(n) < 1e15 { return Int(n) }
    case .string(let s): if let i = Int(s) { return i }
    default: break
    }
    throw PolicyFileError("expected a whole number, found \(self.kind)")
  }

  /// A string or a list of strings.
  func stringList() throws(PolicyFileError) -> [String] {
    switch self {
    case .array(let items):
      var out: [String] = []
      for i in items { out.append(try i.string()) }
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
    case .string(let s): return "'\(s)'"
    case .array: return "a list"
    case .object: return "a mapping"
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

  /// Reads a policy file's text (YAML or JSON).
  public init(text: String) throws(PolicyFileError) {
    let root = try PolicyValue.parsePolicy(text)
    guard case .object = root else { throw PolicyFileError("a policy file is a mapping of keys to values") }
    try root.checkKeys(Self.topKeys, context: "policy file")
    if let preset = root["preset"] {
      let name = try preset.string()
      guard let p = Preset(rawValue: name) ?? (name == "corsim" ? nil : nil) else {
        throw PolicyFileError("unknown preset '\(name)' (known: \(Preset.allCases.map(\.rawValue).joined(separator: ", ")))")
      }
      for key in ["origins", "anyOrigin", "allowOrigin", "methods", "requestHeaders", "exposedHeaders", "credentials", "maxAge",
                  "privateNetwork", "vary", "preflightStatus"] where root[key] != nil {
        throw PolicyFileError("'\(key)' belongs in `options:` with the preset's own name for it (\(p.optionNames.joined(separator: ", ")))")
      }
      let options = try PolicyDocument.presetOptions(p, root)
      do { policy = try p.policy(options: options, version: try root["version"]?.string()) } catch { throw PolicyFileError("\(name) options: \(error.message)") }
      if p == .nginx { proxy = try PolicyDocument.nginx(root["config"]) }
    } else {
      for key in ["options", "config", "version"] where root[key] != nil { throw PolicyFileError("`\(key):` needs a `preset:`") }
      policy = try PolicyDocument.nativePolicy(root)
    }
    if let r = root["response"] { policy.application = try PolicyDocument.application(r) }
    let resourceText = try root["resource"]?.string() ?? "https://api.example.com/data"
    do { resource = try URLRecord(resourceText) } catch { throw PolicyFileError("resource: \(error)") }
    allow = try root["allow"]?.stringList()
    var requests: [AuditRequest] = []
    if case .array(let items)? = root["frontend"] {
      for (i, item) in items.enumerated() {
        do { requests.append(try AuditRequest(item)) } catch { throw PolicyFileError("frontend[\(i)]: \(error.message)") }
      }
    } else if root["frontend"] != nil {
      throw PolicyFileError("frontend: expected a list of requests")
    }
    frontend = requests
    isInternal = try root["internal"]?.bool()
    layers = try PolicyDocument.layers(root["layers"])
    try readDeployment(root)
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
    if let o = root["origins"] { p.origins = try o.stringList().map(OriginRule.init(policyEntry:)) }
    if let a = root["anyOrigin"] {
      guard let v = AnyOriginAnswer(rawValue: try a.string()) else { throw PolicyFileError("anyOrigin: wildcard or reflect") }
      p.anyOrigin = v
    }
    p.fixedAllowOrigin = try root["allowOrigin"]?.string()
    if let m = root["methods"] { p.methods = try listRule(m) }
    if let h = root["requestHeaders"] { p.requestHeaders = try listRule(h) }
    p.exposedHeaders = try root["exposedHeaders"]?.commaList() ?? []
    p.credentials = try root["credentials"]?.bool() ?? false
    p.maxAge = try root["maxAge"]?.int()
    p.privateNetwork = try root["privateNetwork"]?.bool() ?? false
    if let v = root["vary"] {
      guard let rule = VaryRule(rawValue: try v.string()) else { throw PolicyFileError("vary: auto, always or never") }
      p.vary = rule
    }
    p.preflightStatus = try root["preflightStatus"]?.int() ?? 204
    return p
  }

  static func listRule(_ v: PolicyValue) throws(PolicyFileError) -> ListRule {
    if case .string("*") = v { return .wildcard }
    if case .string("reflect") = v { return .reflect }
    return .list(try v.commaList())
  }

  static func application(_ v: PolicyValue) throws(PolicyFileError) -> ApplicationResponse {
    var app = ApplicationResponse()
    if let s = v["status"] { app.status = try s.int() }
    if case .object(let members)? = v["headers"] {
      var headers = HeaderList()
      for (k, value) in members { headers.append(HeaderField(HeaderName(k), try value.string())) }
      app.headers = headers
    }
    if let b = v["body"] { app.body = try b.string() }
    return app
  }

  static func layers(_ v: PolicyValue?) throws(PolicyFileError) -> [Layer] {
    guard let v else { return [] }
    guard case .array(let items) = v else { throw PolicyFileError("layers: expected a list") }
    var out: [Layer] = []
    for item in items {
      let name = try item["name"]?.string() ?? "proxy"
      var ops: [LayerOperation] = []
      for (key, make) in [("add", LayerOperation.add), ("set", LayerOperation.set), ("setIfAbsent", LayerOperation.setIfAbsent)] {
        if case .object(let members)? = item[key] {
          for (h, value) in members { ops.append(make(HeaderName(h), try value.string())) }
        }
      }
      for h in try item["remove"]?.stringList() ?? [] { ops.append(.remove(HeaderName(h))) }
      out.append(Layer(name: name, urlPrefix: try item["urlPrefix"]?.string(), method: (try item["method"]?.string()).map { Method($0) },
                       operations: ops))
    }
    return out
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
