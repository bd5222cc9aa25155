/// A change that makes a failed request succeed, as data: which side changes (the server or the page's
/// script), where (the layer: the application, a proxy, a CDN), and the edits themselves. The one-line
/// `summary` is written from the edits (`FixWording`), so the advice printed and the change applied never
/// disagree.
///
/// Fixes come from ``Simulator/fixes(for:step:)`` (and `Scenario.fixes(forStep:profile:)` in CORSScenario),
/// which apply each fix and decide the request again before offering it: `verifiedIn` lists the engines in
/// which the request, so changed, succeeds. The first server fix never lets more than the page's origin read
/// the response; a fix that does (`*`) says so in `widensAccess` and comes after it.
public struct Fix: Sendable, Hashable {
  /// Who makes the change.
  public enum Side: String, Sendable, Hashable, Codable {
    /// The server: its responses (the application, or a layer in front of it).
    case server
    /// The page: its script's request (and, for a client fix, whatever the server must answer to it).
    case client
  }

  /// A response, named by the request it answers.
  public struct Response: Sendable, Hashable, Codable {
    /// The method of the request (`OPTIONS` for a preflight).
    public var method: String
    /// Its URL, without fragment.
    public var url: String

    /// Names a response.
    public init(method: String, url: String) {
      self.method = method
      self.url = url
    }
  }

  /// What a server edit does to its response.
  public enum ServerChange: Sendable, Hashable {
    /// Sets the status.
    case status(Int)
    /// Sets a header: every line of that name is replaced by this one.
    case setHeader(String, String)
    /// Removes every line of that name.
    case removeHeader(String)
    /// Adds a response where none answers (the application had no handler), with this status.
    case addResponse(status: Int)
  }

  /// One change to one response of the server.
  public struct ServerEdit: Sendable, Hashable {
    /// The response changed.
    public var response: Response
    /// Where the change is made: `app` (the route itself, or the layer that answers it), or the name of a
    /// layer in front of it whose lines would otherwise override the route's.
    public var layer: String
    /// The change.
    public var change: ServerChange

    /// Creates a server edit.
    public init(_ response: Response, layer: String = Layer.application, _ change: ServerChange) {
      self.response = response
      self.layer = layer
      self.change = change
    }
  }

  /// What a client edit changes in the script's request.
  public enum ClientChange: Sendable, Hashable {
    /// `credentials` (fetch), `withCredentials` (XHR: `include` or not).
    case credentials(String)
    /// `mode` (fetch).
    case mode(String)
    /// `redirect` (fetch).
    case redirect(String)
    /// The element's `crossorigin` attribute.
    case crossOrigin(String)
    /// The whole URL (the final URL of a redirect chain, or a redirect's target).
    case url(String)
    /// The URL's scheme (`https` for mixed content).
    case scheme(String)
    /// An author header left out of the request.
    case removeHeader(String)
  }

  /// One change to one request of the page's script.
  public struct ClientEdit: Sendable, Hashable {
    /// The request's index among the scenario's steps (0 for the first).
    public var step: Int
    /// The change.
    public var change: ClientChange

    /// Creates a client edit.
    public init(step: Int, _ change: ClientChange) {
      self.step = step
      self.change = change
    }
  }

  /// One edit: to a response of the server, or to a request of the page.
  public enum Edit: Sendable, Hashable {
    /// A change to a response.
    case server(ServerEdit)
    /// A change to the script's request.
    case client(ClientEdit)

    /// The server edit, if this is one.
    public var serverEdit: ServerEdit? { if case .server(let e) = self { return e } else { return nil } }
    /// The client edit, if this is one.
    public var clientEdit: ClientEdit? { if case .client(let e) = self { return e } else { return nil } }
  }

  /// Who makes the change: `server` when every edit is the server's, `client` when the page's request
  /// changes (possibly with server edits it then needs).
  public var side: Side
  /// The layer all the server edits are made in (`app`, `nginx`…); nil for a fix with no server edit or
  /// with edits in several layers (each edit names its own).
  public var layer: String?
  /// One line for people, written from the edits.
  public var summary: String
  /// The edits, in the order they are applied. Empty for advice that no edit of the scenario expresses
  /// (serve the page over http, pick another port).
  public var edits: [Edit]
  /// True when the failure is not the CORS protocol refusing to share (mixed content, a blocked port, an
  /// invalid call…): no CORS header helps.
  public var notCORS: Bool
  /// True when the fix lets every origin read the response (`Access-Control-Allow-Origin: *`): only for a
  /// public resource fetched without credentials. The first server fix never does.
  public var widensAccess: Bool
  /// The engines in which the fix was applied and the request decided again, and succeeded. Empty for
  /// advice without edits, and for `Verdict.fix` (which sees the failure alone).
  public var verifiedIn: [Engine]

  /// Creates a fix.
  public init(side: Side, layer: String? = nil, summary: String, edits: [Edit] = [], notCORS: Bool = false,
              widensAccess: Bool = false, verifiedIn: [Engine] = []) {
    self.side = side
    self.layer = layer
    self.summary = summary
    self.edits = edits
    self.notCORS = notCORS
    self.widensAccess = widensAccess
    self.verifiedIn = verifiedIn
  }

  /// The server edits, in order.
  public var serverEdits: [ServerEdit] { edits.compactMap(\.serverEdit) }
  /// The client edits, in order.
  public var clientEdits: [ClientEdit] { edits.compactMap(\.clientEdit) }

  /// The server edits grouped by the response and layer they change, in the order each response is first
  /// edited (what a person changes in one place).
  public var serverEditsByResponse: [(response: Response, layer: String, changes: [ServerChange])] {
    var groups: [(response: Response, layer: String, changes: [ServerChange])] = []
    for e in serverEdits {
      if let i = groups.firstIndex(where: { $0.response == e.response && $0.layer == e.layer }) {
        groups[i].changes.append(e.change)
      } else {
        groups.append((e.response, e.layer, [e.change]))
      }
    }
    return groups
  }
}

// MARK: - Codable, in the shape `corsim oracle --explain` writes

extension Fix: Codable {
  enum CodingKeys: String, CodingKey { case side, layer, summary, edits, notCORS, widensAccess, verifiedIn }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    side = try c.decode(Side.self, forKey: .side)
    layer = try c.decodeIfPresent(String.self, forKey: .layer)
    summary = try c.decode(String.self, forKey: .summary)
    edits = try c.decode([Edit].self, forKey: .edits)
    notCORS = try c.decodeIfPresent(Bool.self, forKey: .notCORS) ?? false
    widensAccess = try c.decodeIfPresent(Bool.self, forKey: .widensAccess) ?? false
    verifiedIn = try c.decodeIfPresent([Engine].self, forKey: .verifiedIn) ?? []
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(side, forKey: .side)
    try c.encodeIfPresent(layer, forKey: .layer)
    try c.encode(summary, forKey: .summary)
    try c.encode(edits, forKey: .edits)
    try c.encode(notCORS, forKey: .notCORS)
    try c.encode(widensAccess, forKey: .widensAccess)
    try c.encode(verifiedIn, forKey: .verifiedIn)
  }
}

extension Fix.Edit: Codable {
  enum CodingKeys: String, CodingKey { case response, layer, status, setHeader, removeHeader, addResponse, step, set }
  enum AddKeys: String, CodingKey { case status }
  enum SetKeys: String, CodingKey { case credentials, mode, redirect, crossorigin, url, scheme }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    if let step = try c.decodeIfPresent(Int.self, forKey: .step) {
      if let name = try c.decodeIfPresent(String.self, forKey: .removeHeader) {
        self = .client(Fix.ClientEdit(step: step, .removeHeader(name)))
        return
      }
      let set = try c.nestedContainer(keyedBy: SetKeys.self, forKey: .set)
      guard let key = set.allKeys.first, set.allKeys.count == 1 else {
        throw DecodingError.dataCorruptedError(forKey: .set, in: c, debugDescription: "`set` holds exactly one field")
      }
      let value = try set.decode(String.self, forKey: key)
      let change: Fix.ClientChange
      switch key {
      case .credentials: change = .credentials(value)
      case .mode: change = .mode(value)
      case .redirect: change = .redirect(value)
      case .crossorigin: change = .crossOrigin(value)
      case .url: change = .url(value)
      case .scheme: change = .scheme(value)
      }
      self = .client(Fix.ClientEdit(step: step, change))
      return
    }
    let response = try c.decode(Fix.Response.self, forKey: .response)
    let layer = try c.decodeIfPresent(String.self, forKey: .layer) ?? Layer.application
    let change: Fix.ServerChange
    if let status = try c.decodeIfPresent(Int.self, forKey: .status) {
      change = .status(status)
    } else if let pair = try c.decodeIfPresent([String].self, forKey: .setHeader) {
      guard pair.count == 2 else {
        throw DecodingError.dataCorruptedError(forKey: .setHeader, in: c, debugDescription: "`setHeader` is [name, value]")
      }
      change = .setHeader(pair[0], pair[1])
    } else if let name = try c.decodeIfPresent(String.self, forKey: .removeHeader) {
      change = .removeHeader(name)
    } else if c.contains(.addResponse) {
      let add = try c.nestedContainer(keyedBy: AddKeys.self, forKey: .addResponse)
      change = .addResponse(status: try add.decode(Int.self, forKey: .status))
    } else {
      throw DecodingError.dataCorruptedError(forKey: .response, in: c, debugDescription:
        "a server edit has one of `status`, `setHeader`, `removeHeader`, `addResponse`")
    }
    self = .server(Fix.ServerEdit(response, layer: layer, change))
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .server(let e):
      try c.encode(e.response, forKey: .response)
      try c.encode(e.layer, forKey: .layer)
      switch e.change {
      case .status(let s): try c.encode(s, forKey: .status)
      case .setHeader(let name, let value): try c.encode([name, value], forKey: .setHeader)
      case .removeHeader(let name): try c.encode(name, forKey: .removeHeader)
      case .addResponse(let status):
        var add = c.nestedContainer(keyedBy: AddKeys.self, forKey: .addResponse)
        try add.encode(status, forKey: .status)
      }
    case .client(let e):
      try c.encode(e.step, forKey: .step)
      if case .removeHeader(let name) = e.change {
        try c.encode(name, forKey: .removeHeader)
        return
      }
      var set = c.nestedContainer(keyedBy: SetKeys.self, forKey: .set)
      switch e.change {
      case .credentials(let v): try set.encode(v, forKey: .credentials)
      case .mode(let v): try set.encode(v, forKey: .mode)
      case .redirect(let v): try set.encode(v, forKey: .redirect)
      case .crossOrigin(let v): try set.encode(v, forKey: .crossorigin)
      case .url(let v): try set.encode(v, forKey: .url)
      case .scheme(let v): try set.encode(v, forKey: .scheme)
      case .removeHeader: break
      }
    }
  }
}

extension Verdict {
  /// The advice this failure alone calls for (nil on success): the changes to the response at fault, or
  /// to the request, that the failure's details name — not verified (`verifiedIn` is empty), and not the
  /// whole story when more than one thing is wrong. ``Simulator/fixes(for:step:)`` and
  /// `Scenario.fixes(forStep:profile:)` give complete fixes, each applied and checked.
  public var fix: Fix? {
    guard failure != nil else { return nil }
    return FixPlanner.unverified(self)
  }
}
