import CORSSimulator

/// Reads the scenario language line by line — the language of `Spec/` files and of the REPL — and builds
/// a `ScenarioDocument`. Every problem is a `ScenarioDiagnostic` with line and column; a rejected line
/// leaves the document as it was.
///
/// The language (documented in `Spec/README.md`): one command per line; `route`, `fetch`, `xhr`, `layer`
/// and pasted raw HTTP messages open a block whose following lines are header lines (`Name: value`, as
/// pasted) or layer operations; a blank line or the next command closes the block. Lines starting with `#`
/// are comments.
public final class ScenarioBuilder {
  /// The document so far (routes and layers of an open block included).
  public var document: ScenarioDocument {
    // The builder's own arrays, shared rather than copied (a 10,000-step file's are megabytes), and its own server,
    // kept in step with the routes (`server`): a server made anew from every route, for every `fix` or `fixed` line a
    // session checks as it is typed, made those lines cost the session's length each.
    var d = base
    d.scenario.server = server
    d.scenario.steps = steps
    return d
  }

  /// The file name used in diagnostics.
  public let file: String?
  /// What the builder assumed, dropped or replaced, for the user to read (see `takeNotices`).
  public private(set) var notices: [String] = []

  /// Returns the notices gathered so far and forgets them.
  public func takeNotices() -> [String] {
    defer { notices = [] }
    return notices
  }
  private var base: ScenarioDocument
  // Every change to the routes, the layers or a request is recorded for `takeChanges()` (a session re-runs only
  // what a change can affect). Requests change only at the end: appended, the open one edited, or removed.
  private var routes: [Route] = [] { didSet { serverChanged = true } }
  /// The URLs (`Route.matchedHref`) of the routes added, replaced or edited since `takeChanges()`, each noted where
  /// the change is made (`noteRouteChange`); a change of the server that noted none is taken as a change of all.
  private var changedRouteHrefs: Set<String> = []
  private var layersChanged = false
  private func noteRouteChange(_ index: Int) {
    changedRouteHrefs.insert(routes[index].matchedHref)
    changedRoutes.insert(index)
  }
  /// The server of `routes` and `layers` as `server` last made it, and the routes changed in place since (those
  /// added are the ones past its count): a session asks for the server after every change, and making it anew
  /// each time resolved and indexed every route again. Nil when it must be made anew (layers changed, a route
  /// removed).
  private var madeServer: Server?
  private var changedRoutes: Set<Int> = []
  /// The route for each method and URL (a later `route` line for the same pair replaces it), so that a file
  /// of thousands of routes is read in linear time.
  private var routeForKey: [RouteKey: Int] = [:]
  /// How many of the routes `routeForKey` has seen: a builder made from a document indexes its routes only when a
  /// line needs the index (a session that opens a file of 10,000 routes and adds none keeps none).
  private var routesIndexed = 0

  /// Brings `routeForKey` up to date before a line reads it.
  private func indexRoutes() {
    guard routesIndexed < routes.count else { return }
    for i in routesIndexed..<routes.count where routeForKey[RouteKey(routes[i])] == nil {
      routeForKey[RouteKey(routes[i])] = i
    }
    routesIndexed = routes.count
  }

  private struct RouteKey: Hashable {
    var method: Method?
    var href: String
    init(_ route: Route) {
      method = route.method
      href = route.url.hrefWithoutFragment
    }
  }
  private var layers: [Layer] = [] { didSet { serverChanged = true; layersChanged = true; madeServer = nil } }
  /// Where each layer is in `layers`, by what makes a declaration the same layer (a file may declare thousands:
  /// looking through all the earlier ones for each took their square).
  private struct LayerKey: Hashable {
    var name: String
    var urlPrefix: String?
    var method: Method?
    init(_ layer: Layer) {
      name = layer.name
      urlPrefix = layer.urlPrefix
      method = layer.method
    }
  }
  private var layerIndex: [LayerKey: Int] = [:]
  private var steps: [ScenarioStep] = [] { didSet { firstChangedStep = min(firstChangedStep ?? .max, max(0, steps.count - 1)) } }
  private var serverChanged = false
  private var firstChangedStep: Int? = nil
  private var takenPage: Page?
  /// Whether the environment changed since `takeChanges()` (noted where it is changed: comparing it whole at every
  /// change cost its size, and a session of thousands of `address` lines their square).
  private var environmentChanged = false
  private var takenBrowser: Engine?
  private var pendingWait: Double = 0
  private var block: Block? = nil
  private var sawCommand = false
  /// One copy of each header name, value, header block and URL the text repeats (see `SharedValues`).
  private var shared = SharedValues()

  /// Whether the open route block has had a status line (a pasted response starts with one).
  private var blockSawStatusLine = false

  /// The open block's pasted raw request: its step, line, and headers as pasted, turned into a request when the
  /// block closes.
  private var rawRequest: (index: Int, line: Int, draft: RawRequestDraft)? = nil

  struct RawRequestDraft {
    var method: String
    var target: String
    var headers = HeaderList()
  }

  private enum Block {
    case route(Int)
    case layer(Int)
    case request(Int)
  }

  // MARK: Undo (the state a change is taken back to)

  /// Whether each change is recorded for `undo()` (a session's builder; parsing a file needs none).
  public var recordsUndo = false

  /// One change (a command and the lines of its block, or what followed `beginChange()`): the sizes of what it could
  /// only add to, and where what it changed in place starts in `undoSaved`. What is changed in place is saved as it
  /// is changed, once per change: a copy of the routes or requests kept per change would be copied again by the next.
  private struct UndoRecord {
    var routes: Int32, layers: Int32, steps: Int32, metadata: Int32
    var saved: Int32
    var sawCommand: Bool
    var pendingWait: Double
  }
  /// The routes, layers and steps are boxed (`indirect`): unboxed, every saved value, most of them an expectation
  /// count, took the size of a step.
  private enum Saved {
    indirect case route(Int, Route)
    indirect case layer(Int, Layer)
    indirect case step(Int, ScenarioStep)
    case expectations(Int, StepExpectations)
    case page(Page?)
    case addressSpace(String, AddressSpace?)
    case hsts(String, Bool?)
    case localNetworkAccess(Bool)
    case http2(Bool)
    case browser(Engine?)
  }
  private enum SavedKey: Hashable {
    case route(Int), layer(Int), step(Int), expectations(Int), page, addressSpace(String), hsts(String)
    case localNetworkAccess, http2, browser
  }
  /// How many of each kind of line a document expects of one request (`expect`, `sends` and the requests of each,
  /// `says`, `fix`, `fixed`): they are only added to, so their counts are what a change is taken back to (the lines
  /// themselves kept per change would be copied again by the next line).
  private struct StepExpectations {
    var verdicts: Int, messages: Int, fixes: Int, fixed: Int
    var wire: [Int]
  }
  private var undoRecords: [UndoRecord] = []
  private var undoSaved: [Saved] = []
  /// What the last change saved already.
  private var savedKeys: Set<SavedKey> = []

  /// Starts a change that `undo()` takes back whole (`feed` starts one at each command; a caller that changes the
  /// builder through `appendStep` or `setPage` starts its own first).
  public func beginChange() {
    guard recordsUndo else { return }
    undoRecords.append(UndoRecord(routes: Int32(routes.count), layers: Int32(layers.count), steps: Int32(steps.count),
                                  metadata: Int32(base.metadata.count), saved: Int32(undoSaved.count),
                                  sawCommand: sawCommand, pendingWait: pendingWait))
    savedKeys = []
  }

  /// Forgets the change just begun: its line was refused, and has no effect (a command refused after its name was
  /// read does not end the header keys either).
  private func discardChange(sawCommand before: Bool) {
    sawCommand = before
    guard recordsUndo, let r = undoRecords.popLast() else { return }
    undoSaved.removeLast(undoSaved.count - Int(r.saved))
    savedKeys = []
  }

  /// The changes `undo()` can take back.
  public var undoableChanges: Int { undoRecords.count }

  /// Saves what `key` names before the change in progress changes it in place; nothing for what the change added.
  private func keep(_ key: SavedKey) {
    guard let r = undoRecords.last, savedKeys.insert(key).inserted else { return }
    switch key {
    case .route(let i) where i < Int(r.routes): undoSaved.append(.route(i, routes[i]))
    case .layer(let i) where i < Int(r.layers): undoSaved.append(.layer(i, layers[i]))
    case .step(let i) where i < Int(r.steps): undoSaved.append(.step(i, steps[i]))
    case .expectations(let i):
      undoSaved.append(.expectations(i, StepExpectations(
        verdicts: base.verdicts[i]?.count ?? 0, messages: base.messages[i]?.count ?? 0, fixes: base.fixes[i]?.count ?? 0,
        fixed: base.fixed[i]?.count ?? 0, wire: base.wire[i]?.map(\.requests.count) ?? [])))
    case .page: undoSaved.append(.page(base.scenario.page))
    // The environment an entry at a time: a copy of it kept per change would be copied again by the next.
    case .addressSpace(let host): undoSaved.append(.addressSpace(host, base.scenario.environment.addressSpaces[host]))
    case .hsts(let host): undoSaved.append(.hsts(host, base.scenario.environment.hstsHosts[host]))
    case .localNetworkAccess: undoSaved.append(.localNetworkAccess(base.scenario.environment.localNetworkAccessGranted))
    case .http2: undoSaved.append(.http2(base.scenario.environment.http2))
    case .browser: undoSaved.append(.browser(base.browser))
    case .route, .layer, .step: break
    }
  }

  /// Takes back the last change: the document is as it was before it (an open block is dropped with it), and
  /// `takeChanges()` says what moved, as after any change. In time in the change's size, not the document's.
  /// False when there is none to take back.
  @discardableResult
  public func undo() -> Bool {
    guard let r = undoRecords.last, routes.count >= Int(r.routes), layers.count >= Int(r.layers),
          steps.count >= Int(r.steps), base.metadata.count >= Int(r.metadata) else { return false }
    undoRecords.removeLast()
    savedKeys = []
    block = nil
    rawRequest = nil
    blockSawStatusLine = false
    // `steps` notes its own changes as made at its end: the first request changed is worked out here instead.
    var firstStep = firstChangedStep
    func stepChanged(_ i: Int) { firstStep = min(firstStep ?? .max, i) }
    // What was changed in place, the latest saved first, so that what each was before the change is put back last.
    while undoSaved.count > Int(r.saved) {
      switch undoSaved.removeLast() {
      case .route(let i, let old):
        noteRouteChange(i)
        routes[i] = old
        noteRouteChange(i)
      case .layer(let i, let old):
        layers[i] = old
      case .step(let i, let old):
        steps[i] = old
        stepChanged(i)
      case .expectations(let i, let old):
        // (A request's lists are never left empty: none is an absent one.)
        func cut<T>(_ list: inout [Int: [T]], to count: Int) {
          guard let n = list[i]?.count, n > count else { return }
          if count == 0 { list[i] = nil } else { list[i]!.removeLast(n - count) }
        }
        cut(&base.verdicts, to: old.verdicts)
        cut(&base.messages, to: old.messages)
        cut(&base.fixes, to: old.fixes)
        cut(&base.fixed, to: old.fixed)
        cut(&base.wire, to: old.wire.count)
        for (k, requests) in old.wire.enumerated() {
          guard let n = base.wire[i]?[safe: k]?.requests.count, n > requests else { continue }
          base.wire[i]![k].requests.removeLast(n - requests)
        }
      case .page(let page):
        base.scenario.page = page
      case .addressSpace(let host, let space):
        environmentChanged = environmentChanged || base.scenario.environment.addressSpaces[host] != space
        base.scenario.environment.addressSpaces[host] = space
      case .hsts(let host, let sub):
        environmentChanged = environmentChanged || base.scenario.environment.hstsHosts[host] != sub
        base.scenario.environment.hstsHosts[host] = sub
      case .localNetworkAccess(let granted):
        environmentChanged = environmentChanged || base.scenario.environment.localNetworkAccessGranted != granted
        base.scenario.environment.localNetworkAccessGranted = granted
      case .http2(let on):
        environmentChanged = environmentChanged || base.scenario.environment.http2 != on
        base.scenario.environment.http2 = on
      case .browser(let browser):
        base.browser = browser
      }
    }
    // What was added, dropped with its place in the indexes.
    let routeCount = Int(r.routes)
    if routes.count > routeCount {
      for i in routeCount..<routes.count {
        let key = RouteKey(routes[i])
        if routeForKey[key] == i { routeForKey[key] = nil }
        changedRouteHrefs.insert(routes[i].matchedHref)
      }
      if var s = madeServer.take() {
        while s.routes.count > routeCount { s.removeRoute(at: s.routes.count - 1) }
        madeServer = s
      }
      changedRoutes = changedRoutes.filter { $0 < routeCount }
      routes.removeLast(routes.count - routeCount)
      routesIndexed = min(routesIndexed, routeCount)
    }
    let layerCount = Int(r.layers)
    if layers.count > layerCount {
      for i in layerCount..<layers.count where layerIndex[LayerKey(layers[i])] == i {
        layerIndex[LayerKey(layers[i])] = nil
      }
      layers.removeLast(layers.count - layerCount)
    }
    if steps.count > Int(r.steps) {
      steps.removeLast(steps.count - Int(r.steps))
      stepChanged(Int(r.steps))
    }
    firstChangedStep = firstStep
    base.metadata.removeLast(base.metadata.count - Int(r.metadata))
    sawCommand = r.sawCommand
    pendingWait = r.pendingWait
    return true
  }

  /// The header keys a file may open with.
  public static let metadataKeys: Set<String> = ["title", "spec", "why", "source", "note", "id"]

  /// The language's commands, for completion and "did you mean" hints.
  public static let commands = [
    "page", "csp", "upgrade-insecure-requests", "coep", "address", "hsts", "lna", "http2", "browser", "route", "layer",
    "fetch", "xhr", "wait", "expect", "sends", "says", "fix", "fixed", "load", "integrity-policy", "eventsource",
    "beacon", "import", "worker", "sharedworker", "preload", "navigate", "form", "websocket",
  ]

  /// Options of `fetch` and `xhr`.
  public static let fetchOptions = [
    "mode", "credentials", "redirect", "cache", "referrer", "referrer-policy", "integrity", "keepalive", "duplex",
    "window", "target", "body", "body-type", "blob-type",
  ]
  /// Options of `eventsource` (`new EventSource(url, {withCredentials})`).
  public static let eventSourceOptions = ["with-credentials", "credentials"]
  /// Options of `beacon` (`navigator.sendBeacon(url, data)`: the data).
  public static let beaconOptions = ["body", "body-type", "blob-type"]
  /// Options of `load` (the element's attributes).
  public static let loadOptions = ["crossorigin", "integrity"]

  /// Options of `preload`.
  public static let preloadOptions = ["as", "crossorigin"]

  /// Options of `xhr`.
  public static let xhrOptions = [
    "credentials", "with-credentials", "body", "body-type", "blob-type", "upload-listeners", "sync", "timeout",
    "response-type",
  ]

  /// Starts from an empty document, or from an existing one (a session adding lines).
  public init(file: String? = nil, document: ScenarioDocument = ScenarioDocument()) {
    self.file = file
    self.base = document
    self.routes = document.scenario.server.routes
    self.layers = document.scenario.server.layers
    for (i, layer) in layers.enumerated() where layerIndex[LayerKey(layer)] == nil { layerIndex[LayerKey(layer)] = i }
    self.steps = document.scenario.steps
    self.sawCommand = !document.scenario.steps.isEmpty || document.scenario.page != nil
    self.takenPage = document.scenario.page
    self.takenBrowser = document.browser
    self.serverChanged = false
    self.layersChanged = false
    self.changedRouteHrefs = []
    self.firstChangedStep = nil
  }

  // MARK: Reading the document piece by piece (each in constant time but `server`)

  /// What changed since the last call: whether anything but the requests did (page, routes, layers,
  /// environment, browser), and the first request that was added, edited or removed.
  public struct Changes: Sendable, Hashable {
    /// The page, the server, the environment or the browser changed: every verdict may have.
    public var world: Bool
    /// The first request added, edited or removed (the ones before it are as they were).
    public var firstStep: Int?
    /// When the only change of the world is to routes (`world` is true then too): their URLs (`Route.matchedHref`).
    /// A verdict whose requests asked for none of them is as it was, as a server answers each request by its
    /// method and URL. Empty for any other change.
    public var routeURLs: Set<String> = []
  }

  /// Returns what changed since the last call and starts recording afresh.
  public func takeChanges() -> Changes {
    let others = takenPage != base.scenario.page || environmentChanged || takenBrowser != base.browser
    let routesOnly = serverChanged && !others && !layersChanged && !changedRouteHrefs.isEmpty
    let changes = Changes(world: serverChanged || others, firstStep: firstChangedStep,
                          routeURLs: routesOnly ? changedRouteHrefs : [])
    serverChanged = false
    layersChanged = false
    changedRouteHrefs = []
    firstChangedStep = nil
    takenPage = base.scenario.page
    environmentChanged = false
    takenBrowser = base.browser
    return changes
  }

  /// The page (nil until set).
  public var page: Page? { base.scenario.page }
  /// The profile the document names, if any.
  public var browser: Engine? { base.browser }
  /// HSTS hosts, address spaces, Local Network Access answers.
  public var environment: NetworkEnvironment { base.scenario.environment }
  /// The server: the routes and layers so far. It is brought up to date with the routes changed since it was last
  /// asked for (in time in their number, not in all the routes'); a caller that keeps it while the builder changes
  /// makes the next change copy it.
  public var server: Server {
    guard var s = madeServer.take(), s.routes.count <= routes.count else {
      let s = Server(routes: routes, layers: layers)
      madeServer = s
      changedRoutes = []
      return s
    }
    // Taken out first, so that the builder's is the only copy and changes in place.
    for i in changedRoutes where i < s.routes.count { s.replaceRoute(at: i, with: routes[i]) }
    for i in s.routes.count..<routes.count { s.addRoute(routes[i]) }
    changedRoutes = []
    madeServer = s
    return s
  }
  /// The number of requests so far.
  public var stepCount: Int { steps.count }
  /// One request.
  public func step(_ index: Int) -> ScenarioStep { steps[index] }
  /// The routes' URLs and the origins the requests name, for completion.
  public var routeURLs: [String] { routes.map { $0.url.hrefWithoutFragment } }

  /// How request `step` fares against what the document expects of it, for one engine; with a line, only what the
  /// expectation lines on that line say (a session checks each as it is typed). `fixes`, when given, are the
  /// request's fixes in that engine, for `fix` lines (a session works them out from the state the request ran in,
  /// which it keeps; else they are worked out from the start of the scenario).
  public func mismatches(step: Int, engine: Engine, verdict: Verdict, onLine line: Int? = nil,
                         fixes: (() -> [Fix])? = nil, fixedVerdict: ((Fix) -> Verdict?)? = nil) -> [ScenarioDiagnostic] {
    // `fix` and `fixed` lines need the whole scenario (the fixes are worked out on it). `fixedVerdict`, when given,
    // may decide a `fixed` line's request once the fix is applied (nil: the fixed scenario runs from its start).
    if base.fixes[step] != nil || base.fixed[step] != nil,
       line.map({ base.fixLinesAre(on: $0, step: step, engine: engine) }) ?? true {
      let d = document
      return d.mismatches(step: step, engine: engine, verdict: verdict, file: file, onLine: line, fixes: {
        fixes?() ?? d.scenario.fixes(forStep: step, profile: .forEngine(engine))
      }, fixedVerdict: { fix in fixedVerdict?(fix) })
    }
    return base.mismatches(step: step, engine: engine, verdict: verdict, file: file, onLine: line)
  }

  /// Parses a whole text.
  public static func parse(_ text: String, file: String? = nil) throws(ScenarioDiagnostic) -> ScenarioDocument {
    let builder = ScenarioBuilder(file: file)
    var n = 0
    for line in TextLines.split(text) {
      n += 1
      try builder.feed(line, lineNumber: n)
    }
    try builder.finish(lineNumber: n)
    return builder.document
  }

  /// True while a block is open (the REPL shows a continuation prompt).
  public var isInBlock: Bool { block != nil }

  /// More words an unknown command may be a misspelling of (a session adds its own commands).
  public var otherCommands: [String] = []

  /// What kind of block is open: "route", "layer", "request" or nil.
  public var openBlockKind: String? {
    switch block {
    case .route: return "route"
    case .layer: return "layer"
    case .request: return "request"
    case nil: return nil
    }
  }

  /// The index of the request whose block is open, if a request block is open.
  public var openRequestIndex: Int? {
    if case .request(let i) = block { return i }
    return nil
  }

  /// The index of the last request, if any.
  public var lastStepIndex: Int? { steps.isEmpty ? nil : steps.count - 1 }

  func fail(_ line: Int, _ column: Int, _ message: String) -> ScenarioDiagnostic {
    ScenarioDiagnostic(file: file, line: line, column: column, message: message)
  }

  /// Adds a request made elsewhere (an imported curl command or fetch call); returns its index.
  @discardableResult
  public func appendStep(_ step: ScenarioStep) -> Int {
    steps.append(step)
    sawCommand = true
    return steps.count - 1
  }

  /// Sets the page.
  public func setPage(_ page: Page) {
    keep(.page)
    base.scenario.page = page
    sawCommand = true
  }

  /// Closes any open block.
  public func finish(lineNumber: Int) throws(ScenarioDiagnostic) {
    try closeBlock(lineNumber)
  }

  /// Whether the last line fed started a command (rather than belonging to a block, closing one, or being a
  /// comment).
  public private(set) var lastLineStartedCommand = false

  /// Feeds one line. On error the line has no effect (an open block stays open).
  public func feed(_ rawLine: some StringProtocol, lineNumber n: Int) throws(ScenarioDiagnostic) {
    lastLineStartedCommand = false
    var line = Substring(rawLine)
    // Carriage returns at the end are what is left of a line ending (a file converted twice ends its lines with
    // `\r\r\n`), never text: a saved file could not keep them, as its own `\r\n` ends the line before them.
    while line.last == "\r" { line = line.dropLast() }
    let trimmed = line.drop { $0 == " " || $0 == "\t" }
    // A blank line closes a block; a comment is ignored.
    if trimmed.isEmpty {
      try closeBlock(n)
      return
    }
    if trimmed.hasPrefix("#") { return }
    let indent = line.count - trimmed.count

    // Inside a block: header lines, status lines and layer operations belong to it.
    if let block {
      if try feedBlock(block, trimmed, indent: indent, lineNumber: n) { return }
      try closeBlock(n)
    }
    lastLineStartedCommand = true
    let sawCommandBefore = sawCommand
    beginChange()
    do { try feedCommand(line, trimmed, indent: indent, lineNumber: n) } catch {
      discardChange(sawCommand: sawCommandBefore)
      throw error
    }
  }

  /// A line that starts a command (`feed`, once the block open before it is closed).
  private func feedCommand(_ line: Substring, _ trimmed: Substring, indent: Int, lineNumber n: Int) throws(ScenarioDiagnostic) {
    // Pasted raw HTTP: a status line opens a response, a request line opens a request.
    if trimmed.hasPrefix("HTTP/") {
      try openRawResponse(trimmed, indent: indent, lineNumber: n)
      return
    }
    if let raw = RawHTTP.requestLine(trimmed) {
      try requirePage(n, for: "a pasted request", allowMissing: true)
      steps.append(ScenarioStep(after: pendingWait, request: ScriptRequest(url: raw.target)))
      rawRequest = (steps.count - 1, n, RawRequestDraft(method: raw.method, target: raw.target))
      pendingWait = 0
      self.block = .request(steps.count - 1)
      return
    }

    // `says BROWSER: text` keeps its text as written (quotes and all).
    if trimmed.hasPrefix("says ") || trimmed.hasPrefix("says\t") {
      sawCommand = true
      try parseSays(trimmed, indent: indent, lineNumber: n)
      return
    }
    // `csp 'self' https://api.example`: CSP source expressions keep their quotes.
    if trimmed.hasPrefix("csp ") || trimmed.hasPrefix("csp\t") {
      sawCommand = true
      try requirePage(n, for: "csp")
      // CSP3 #parse-serialized-policy splits a directive's value on ASCII whitespace.
      let sources = trimmed.dropFirst(4).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\u{0C}" })
        .map(String.init)
      if sources.isEmpty { throw fail(n, indent + 1, "usage: csp SOURCE... (connect-src sources, e.g. 'self' https://api.example), or csp none") }
      keep(.page)
      base.scenario.page!.connectSources = sources == ["none"] ? nil : sources
      return
    }
    // `integrity-policy blocked-destinations=(script)`: the header value as written.
    if trimmed.hasPrefix("integrity-policy ") || trimmed.hasPrefix("integrity-policy\t") {
      sawCommand = true
      try requirePage(n, for: "integrity-policy")
      // A header value is trimmed of HTTP whitespace, carriage returns included (Fetch #concept-header-value-normalize).
      let value = trimmed.dropFirst("integrity-policy".count).trimmingCharacters(in: " \t\r")
      if value.isEmpty {
        throw fail(n, indent + 1, "usage: integrity-policy HEADER-VALUE (e.g. blocked-destinations=(script)), or integrity-policy none")
      }
      keep(.page)
      base.scenario.page!.integrityPolicy = value == "none" ? nil : value
      return
    }
    // Header keys: `title: …` before the first command, taken as written (no quoting rules).
    if !sawCommand, let colon = trimmed.firstIndex(of: ":"), !trimmed[..<colon].contains(" "),
       ScenarioBuilder.metadataKeys.contains(trimmed[..<colon].lowercased()) {
      let value = trimmed[trimmed.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
      base.metadata.append((trimmed[..<colon].lowercased(), String(value)))
      return
    }
    let words = try Lexer.words(trimmed, lineNumber: n, file: file)
    guard let first = words.first else { return }
    let command = first.text
    let args = Array(words.dropFirst())

    // Header keys: `title: …` before the first command.
    if command.hasSuffix(":"), !first.quoted {
      let key = String(command.dropLast()).lowercased()
      if ScenarioBuilder.metadataKeys.contains(key) && !sawCommand {
        let value = trimmed.dropFirst(command.count).drop { $0 == " " || $0 == "\t" }
        base.metadata.append((key, String(value)))
        return
      }
      if HeaderName(String(command.dropLast())).isValid {
        throw fail(n, indent + 1, "a header line outside a block: put it under a `route`, `fetch` or `xhr` line (or paste a whole HTTP message)")
      }
    }
    sawCommand = true
    try execute(command, args, words: words, trimmed: trimmed, indent: indent, lineNumber: n)
  }

  private func requirePage(_ n: Int, for what: String, allowMissing: Bool = false) throws(ScenarioDiagnostic) {
    if base.scenario.page == nil && !allowMissing {
      throw fail(n, 1, "set the page first (`page https://app.example`) before \(what)")
    }
  }

  // MARK: Commands

  private func execute(_ command: String, _ args: [Token], words: [Token], trimmed: Substring, indent: Int,
                       lineNumber n: Int) throws(ScenarioDiagnostic) {
    func need(_ count: Int, _ usage: String) throws(ScenarioDiagnostic) {
      if args.count < count { throw fail(n, indent + 1, "usage: \(usage)") }
    }
    switch command {
    case "page":
      try need(1, "page URL [sandboxed]")
      var page: Page
      do { page = try Page(args[0].text) } catch { throw fail(n, args[0].column + indent, error.description) }
      for extra in args.dropFirst() {
        guard extra.text == "sandboxed" else {
          throw fail(n, extra.column + indent, "unknown page option '\(extra.text)' (only `sandboxed`)")
        }
        page.sandboxed = true
      }
      if let old = base.scenario.page {
        page.connectSources = old.connectSources
        page.upgradeInsecureRequests = old.upgradeInsecureRequests
        page.embedderPolicy = old.embedderPolicy
        page.addressSpace = old.addressSpace
        page.integrityPolicy = old.integrityPolicy
      }
      keep(.page)
      base.scenario.page = page
    case "upgrade-insecure-requests":
      try requirePage(n, for: "upgrade-insecure-requests")
      keep(.page)
      base.scenario.page!.upgradeInsecureRequests = !(args.first?.text == "off")
    case "coep":
      try requirePage(n, for: "coep")
      try need(1, "coep unsafe-none|require-corp|credentialless")
      guard let p = EmbedderPolicy(rawValue: args[0].text) else {
        throw fail(n, args[0].column + indent, "'\(args[0].text)' is not one of unsafe-none, require-corp, credentialless")
      }
      keep(.page)
      base.scenario.page!.embedderPolicy = p
    case "address":
      try need(2, "address HOST public|local|loopback")
      guard let space = AddressSpace(rawValue: args[1].text) else {
        throw fail(n, args[1].column + indent, "'\(args[1].text)' is not one of public, local, loopback")
      }
      let host = args[0].text.lowercased()
      guard base.scenario.environment.addressSpaces[host] != space else { break }
      keep(.addressSpace(host))
      base.scenario.environment.addressSpaces[host] = space
      environmentChanged = true
    case "hsts":
      try need(1, "hsts HOST [includeSubDomains]")
      let sub = args.dropFirst().contains { $0.text.lowercased() == "includesubdomains" }
      let host = args[0].text.lowercased()
      guard base.scenario.environment.hstsHosts[host] != sub else { break }
      keep(.hsts(host))
      base.scenario.environment.hstsHosts[host] = sub
      environmentChanged = true
    case "lna":
      try need(1, "lna granted|denied")
      guard args[0].text == "granted" || args[0].text == "denied" else {
        throw fail(n, args[0].column + indent, "'\(args[0].text)' is not granted or denied")
      }
      let granted = args[0].text == "granted"
      guard base.scenario.environment.localNetworkAccessGranted != granted else { break }
      keep(.localNetworkAccess)
      base.scenario.environment.localNetworkAccessGranted = granted
      environmentChanged = true
    case "http2":
      // `http2` or `http2 on|off`: whether the servers speak HTTP/2 (only streamed uploads care).
      if let a = args.first, a.text != "on" && a.text != "off" {
        throw fail(n, a.column + indent, "'\(a.text)' is not on or off")
      }
      let on = args.first?.text != "off"
      guard base.scenario.environment.http2 != on else { break }
      keep(.http2)
      base.scenario.environment.http2 = on
      environmentChanged = true
    case "browser":
      try need(1, "browser spec|chromium|firefox|webkit")
      guard let e = Engine(rawValue: args[0].text.lowercased()) else {
        throw fail(n, args[0].column + indent, "'\(args[0].text)' is not one of spec, chromium, firefox, webkit")
      }
      keep(.browser)
      base.browser = e
    case "route":
      try openRoute(args, indent: indent, lineNumber: n)
    case "layer":
      try need(1, "layer NAME [on URL-PREFIX] [for METHOD]")
      var layer = Layer(name: args[0].text, operations: [])
      var i = 1
      while i < args.count {
        let word = args[i].text
        guard i + 1 < args.count, word == "on" || word == "for" else {
          throw fail(n, args[i].column + indent, "expected `on URL-PREFIX` or `for METHOD`, found '\(word)'")
        }
        if word == "on" {
          layer.urlPrefix = args[i + 1].text
        } else {
          // Only a method token ever goes out (a request with another method is refused before it is sent).
          let method = Method(args[i + 1].text)
          guard method.isValid else {
            throw fail(n, args[i + 1].column + indent, "'\(args[i + 1].text)' is not a method (a token)")
          }
          layer.method = method
        }
        i += 2
      }
      // The same layer (name, prefix and method) declared again replaces the earlier declaration.
      if let existing = layerIndex[LayerKey(layer)] {
        keep(.layer(existing))
        layers[existing] = layer
        notices.append("replaced the earlier layer \(layer.name)")
        block = .layer(existing)
      } else {
        layerIndex[LayerKey(layer)] = layers.count
        layers.append(layer)
        block = .layer(layers.count - 1)
      }
    case "fetch", "xhr":
      try openRequest(command == "fetch" ? .fetch : .xhr, args, indent: indent, lineNumber: n)
    case "load":
      try addElementLoad(args, indent: indent, lineNumber: n)
    case "eventsource":
      try addEventSource(args, indent: indent, lineNumber: n)
    case "beacon":
      try addBeacon(args, indent: indent, lineNumber: n)
    case "import":
      try addScriptLoad(.dynamicImport, args, indent: indent, lineNumber: n)
    case "worker":
      try addScriptLoad(.worker, args, indent: indent, lineNumber: n)
    case "sharedworker":
      try addScriptLoad(.sharedWorker, args, indent: indent, lineNumber: n)
    case "preload":
      try addPreload(args, indent: indent, lineNumber: n)
    case "navigate", "form":
      try addNavigation(command == "form" ? .form : .navigate, args, indent: indent, lineNumber: n)
    case "websocket":
      try addWebSocket(args, indent: indent, lineNumber: n)
    case "integrity-policy":
      throw fail(n, indent + 1, "usage: integrity-policy HEADER-VALUE (e.g. blocked-destinations=(script)), or integrity-policy none")
    case "wait", "after":
      try need(1, "wait SECONDS")
      guard let s = Double(args[0].text.hasSuffix("s") ? String(args[0].text.dropLast()) : args[0].text), s >= 0,
            s.isFinite, s <= 1e9 else {
        throw fail(n, args[0].column + indent, "'\(args[0].text)' is not a number of seconds")
      }
      pendingWait += s
    case "expect":
      try parseExpect(args, indent: indent, lineNumber: n)
    case "fixed":
      try parseExpect(args, indent: indent, lineNumber: n, fixed: true)
    case "fix":
      try parseFix(args, line: trimmed, indent: indent, lineNumber: n)
    case "sends":
      try parseSends(args, indent: indent, lineNumber: n)
    default:
      let hint = DidYouMean.suggestion(for: command, among: ScenarioBuilder.commands + otherCommands).map { "; did you mean `\($0)`?" } ?? ""
      throw fail(n, indent + 1, "unknown command '\(command)'\(hint)")
    }
  }

  private func looksLikeURL(_ s: String) -> Bool { s.contains(":") || s.hasPrefix("/") || s.hasPrefix("?") || s.hasPrefix(".") }

  /// `body-type=` and `blob-type=` of a `fetch`, `xhr` or `beacon` line: a body (empty unless `body=` gave one) of
  /// that kind; a Blob type alone makes it a Blob.
  static func applyBody(kind: BodyKind?, blobType: String?, to r: inout ScriptRequest) {
    guard kind != nil || blobType != nil else { return }
    var body = r.body ?? RequestBody(text: "")
    if let kind { body.kind = kind }
    if let blobType {
      body.blobType = blobType
      if kind == nil { body.kind = .blob }
    }
    r.body = body
  }

  /// Whether a word of a `fetch` or `xhr` line is an option: a flag, or `name=…` whose name is made of
  /// letters and hyphens (so a URL with a query, `https://a/x?y=1`, is not one); never a quoted word.
  static func isRequestOption(_ t: Token) -> Bool {
    if t.startsQuoted { return false }
    if RequestOption.languageFlags.contains(t.text) { return true }
    guard let equals = t.text.firstIndex(of: "=") else { return false }
    let name = t.text[..<equals]
    return !name.isEmpty && name.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || $0 == "-" }
  }

  private func openRoute(_ args: [Token], indent: Int, lineNumber n: Int) throws(ScenarioDiagnostic) {
    guard !args.isEmpty else { throw fail(n, indent + 1, "usage: route [METHOD|*] URL [STATUS] [body=TEXT] [by=LAYER] [fail]") }
    // The words before the first option (a status, fail, body=…, by=…) are the method, if two, and the URL.
    func isOption(_ t: Token) -> Bool {
      if t.startsQuoted { return false }
      return (t.text.utf8.count == 3 && Int(t.text) != nil) || t.text == "fail" || t.text.hasPrefix("body=") || t.text.hasPrefix("by=")
    }
    var i = 0
    var method: String? = nil
    // A first word that looks like a URL is the URL (then the next one is misplaced), unless it is quoted.
    if args.count > 1 && !isOption(args[1]) && (!looksLikeURL(args[0].text) || args[0].startsQuoted) {
      if args[0].text != "*" || args[0].startsQuoted {
        guard Method(args[0].text).isValid else {
          throw fail(n, args[0].column + indent, "'\(args[0].text)' is not a method (a token) or *")
        }
        method = args[0].text
      }
      i = 1
    }
    let urlToken = args[i]
    let parsed: URLRecord
    do { parsed = try URLRecord(urlToken.text, base: base.scenario.page?.url) } catch {
      throw fail(n, urlToken.column + indent, error.description)
    }
    var route = Route(method: method.map { Method($0) }, url: shared.url(parsed))
    for t in args[(i + 1)...] {
      if let status = Int(t.text), t.text.count == 3, !t.startsQuoted {
        // 101 is the one informational status a route may answer: a WebSocket handshake's.
        guard (200...599).contains(status) || status == 101 else {
          throw fail(n, t.column + indent, "status \(status) is not a final response status (200–599) or 101 (a WebSocket handshake)")
        }
        route.status = status
      } else if t.text == "fail" {
        route.networkFailure = true
      } else if t.text.hasPrefix("body=") {
        route.body = String(t.text.dropFirst(5))
      } else if t.text.hasPrefix("by=") {
        route.answeredBy = String(t.text.dropFirst(3))
      } else {
        throw fail(n, t.column + indent, "unexpected '\(t.text)' on a route line; expected a status (e.g. 204), body=TEXT, by=LAYER or fail")
      }
    }
    // A route for the same method and URL replaces the earlier one (first match wins, so an added duplicate
    // would never answer).
    indexRoutes()
    if let existing = routeForKey[RouteKey(route)] {
      keep(.route(existing))
      routes[existing] = route
      noteRouteChange(existing)
      notices.append("replaced the earlier route for \(route.method?.rawValue ?? "*") \(route.url.hrefWithoutFragment)")
      block = .route(existing)
    } else {
      routes.append(route)
      noteRouteChange(routes.count - 1)
      routeForKey[RouteKey(route)] = routes.count - 1
      routesIndexed = routes.count
      block = .route(routes.count - 1)
    }
    blockSawStatusLine = false
  }

  private func openRequest(_ api: ScriptAPI, _ args: [Token], indent: Int, lineNumber n: Int) throws(ScenarioDiagnostic) {
    let command = api == .fetch ? "fetch" : "xhr"
    guard !args.isEmpty else { throw fail(n, indent + 1, "usage: \(command) [METHOD] URL [option=value …]") }
    try requirePage(n, for: "a request")
    // `fetch [METHOD] URL [option…]`: the words before the first option are the method, if two, and the URL.
    // An option is a flag or `name=value` with a plain name; a quoted word never is (`fetch GET "a=b"`).
    let positional = args.prefix { !ScenarioBuilder.isRequestOption($0) }.count
    guard positional > 0 else { throw fail(n, args[0].column + indent, "usage: \(command) [METHOD] URL [option=value …]: the URL comes before the options") }
    var i = 0
    var method: String? = nil
    if positional > 1 {
      method = args[0].text
      i = 1
    }
    var r = ScriptRequest(api: api, url: args[i].text, method: method.map { Method($0) })
    let allowed = api == .fetch ? ScenarioBuilder.fetchOptions : ScenarioBuilder.xhrOptions
    var bodyKind: BodyKind? = nil
    var blobType: String? = nil
    for t in args[(i + 1)...] {
      let (key, value) = t.option
      guard allowed.contains(key) else {
        let hint = ScenarioBuilder.didYouMean(key, among: allowed)
        throw fail(n, t.column + indent, "unknown \(command) option '\(key)'\(hint); options: \(allowed.joined(separator: ", "))")
      }
      func val() throws(ScenarioDiagnostic) -> String {
        guard let value else { throw fail(n, t.column + indent, "option '\(key)' needs a value: \(key)=…") }
        return value
      }
      switch key {
      case "mode": r.mode = .init(rawValue: try val())
      case "credentials": r.credentials = .init(rawValue: try val())
      case "with-credentials": r.credentials = value == "false" ? .sameOrigin : .include
      case "redirect": r.redirect = .init(rawValue: try val())
      case "cache": r.cache = .init(rawValue: try val())
      case "referrer": r.referrer = try val()
      case "referrer-policy": r.referrerPolicy = .init(rawValue: try val())
      case "integrity": r.integrity = try val()
      case "keepalive": r.keepalive = value != "false"
      case "duplex": r.duplex = .init(rawValue: try val())
      case "window": r.windowNotNull = value != "null"
      case "target": r.targetAddressSpace = .init(rawValue: try val())
      case "body": r.body = RequestBody(text: try val())
      case "body-type":
        let v = try val()
        guard let k = BodyKind(rawValue: v) else {
          throw fail(n, t.column + indent, "body-type '\(v)' is not one of \(BodyKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        bodyKind = k
      case "blob-type": blobType = try val()
      case "upload-listeners": r.uploadListeners = value != "false"
      case "sync": r.synchronous = value != "false"
      case "timeout":
        guard let ms = Int(try val()), ms >= 0 else { throw fail(n, t.column + indent, "timeout needs milliseconds") }
        r.timeout = ms
      case "response-type": r.responseType = try val()
      default: break
      }
    }
    Self.applyBody(kind: bodyKind, blobType: blobType, to: &r)
    if api == .xhr, let c = r.credentials, c != .include, c != .sameOrigin {
      throw fail(n, indent + 1, "XMLHttpRequest has withCredentials only: credentials=include or credentials=same-origin")
    }
    addStep(r, line: n)
    block = .request(steps.count - 1)
  }

  /// `load KIND URL [crossorigin[=VALUE]] [integrity=METADATA]`: an element's subresource load.
  private func addElementLoad(_ args: [Token], indent: Int, lineNumber n: Int) throws(ScenarioDiagnostic) {
    let kinds = ElementKind.allCases.map(\.rawValue).joined(separator: "|")
    let usage = "usage: load \(kinds) URL [crossorigin[=anonymous|use-credentials]] [integrity=METADATA]"
    guard args.count >= 2 else { throw fail(n, indent + 1, usage) }
    try requirePage(n, for: "a load")
    guard let kind = ElementKind(rawValue: args[0].text) else {
      throw fail(n, args[0].column + indent, "'\(args[0].text)' is not an element to load (\(kinds))")
    }
    var r = ScriptRequest.load(kind, args[1].text)
    for t in args.dropFirst(2) {
      let (key, value) = t.option
      switch key {
      case "crossorigin":
        guard kind.takesCrossOrigin else {
          throw fail(n, t.column + indent, "a font is always fetched with CORS: @font-face has no crossorigin attribute")
        }
        r.crossOrigin = .init(rawValue: value ?? "")
      case "integrity":
        guard kind.takesIntegrity else {
          throw fail(n, t.column + indent, "only <script> and <link rel=stylesheet> have an integrity attribute")
        }
        guard let value else { throw fail(n, t.column + indent, "option 'integrity' needs a value: integrity=…") }
        r.integrity = value
      default:
        let options = ScenarioBuilder.loadOptions
        let hint = ScenarioBuilder.didYouMean(key, among: options)
        throw fail(n, t.column + indent, "unknown load option '\(key)'\(hint); options: \(options.joined(separator: ", "))")
      }
    }
    addStep(r, line: n)
  }

  /// `preload URL as=fetch|script|style|font [crossorigin[=VALUE]]`: `<link rel=preload href=URL as=… crossorigin=…>`,
  /// whose response a later step with the same URL, destination, mode and credentials mode uses.
  private func addPreload(_ args: [Token], indent: Int, lineNumber n: Int) throws(ScenarioDiagnostic) {
    let kinds = PreloadDestination.allCases.map(\.rawValue).joined(separator: "|")
    let usage = "usage: preload URL as=\(kinds) [crossorigin[=anonymous|use-credentials]]"
    var r = try startCall(.preload, args, usage: usage, for: "a preload link", indent: indent, lineNumber: n)
    var sawAs = false
    for t in args.dropFirst() {
      let (key, value) = t.option
      switch key {
      case "as":
        guard let value, let kind = PreloadDestination(rawValue: value) else {
          throw fail(n, t.column + indent, "as is \(kinds.replacingOccurrences(of: "|", with: ", ")), not '\(value ?? "")'")
        }
        r.preloadAs = kind
        sawAs = true
      case "crossorigin":
        r.crossOrigin = .init(rawValue: value ?? "")
      default:
        let options = ScenarioBuilder.preloadOptions
        let hint = ScenarioBuilder.didYouMean(key, among: options)
        throw fail(n, t.column + indent, "unknown preload option '\(key)'\(hint); \(usage)")
      }
    }
    // A preload link without a valid `as` fetches nothing (html: links.html#link-type-preload).
    guard sawAs else { throw fail(n, indent + 1, "a preload needs as=…: without it the link fetches nothing; \(usage)") }
    addStep(r, line: n)
  }

  /// `eventsource URL [with-credentials]`: `new EventSource(URL, {withCredentials: true})`.
  private func addEventSource(_ args: [Token], indent: Int, lineNumber n: Int) throws(ScenarioDiagnostic) {
    let usage = "usage: eventsource URL [with-credentials]"
    var r = try startCall(.eventSource, args, usage: usage, for: "an EventSource", indent: indent, lineNumber: n)
    for t in args.dropFirst() {
      let (key, value) = t.option
      switch key {
      case "with-credentials":
        guard value == nil || value == "true" || value == "false" else {
          throw fail(n, t.column + indent, "with-credentials is true or false, not '\(value ?? "")'")
        }
        r.credentials = value == "false" ? .sameOrigin : .include
      case "credentials":
        guard value == "include" || value == "same-origin" else {
          throw fail(n, t.column + indent, "EventSource has withCredentials only: credentials=include or credentials=same-origin")
        }
        r.credentials = .init(rawValue: value!)
      default:
        let options = ScenarioBuilder.eventSourceOptions
        let hint = ScenarioBuilder.didYouMean(key, among: options)
        throw fail(n, t.column + indent, "unknown eventsource option '\(key)'\(hint); \(usage)")
      }
    }
    addStep(r, line: n)
  }

  /// `import URL` (`import(URL)` from the page's script), `worker URL [type=classic|module]` (`new Worker`),
  /// `sharedworker URL [type=classic|module]` (`new SharedWorker`).
  private func addScriptLoad(_ api: ScriptAPI, _ args: [Token], indent: Int, lineNumber n: Int) throws(ScenarioDiagnostic) {
    let usage = api == .dynamicImport ? "usage: import URL" : "usage: \(api.rawValue) URL [type=classic|module]"
    guard !args.isEmpty else { throw fail(n, indent + 1, usage) }
    try requirePage(n, for: api == .dynamicImport ? "import()" : "a worker")
    var r = ScriptRequest(api: api, url: args[0].text)
    for t in args.dropFirst() {
      let (key, value) = t.option
      guard api.isWorker, key == "type" else {
        throw fail(n, t.column + indent, "unknown \(api.rawValue) option '\(key)'; \(usage)")
      }
      guard let value, let type = WorkerType(rawValue: value) else {
        throw fail(n, t.column + indent, "type is classic or module, not '\(value ?? "")'")
      }
      r.workerType = type
    }
    addStep(r, line: n)
  }

  /// ` (did you mean `NAME`?)` for an unknown option close to one of `options`, or nothing.
  static func didYouMean(_ key: String, among options: [String]) -> String {
    DidYouMean.suggestion(for: key, among: options).map { " (did you mean `\($0)`?)" } ?? ""
  }

  /// The start of an API call's line: its URL is there, and so is a page. `for` names the call in the error.
  private func startCall(_ api: ScriptAPI, _ args: [Token], usage: String, for what: String, indent: Int,
                         lineNumber n: Int) throws(ScenarioDiagnostic) -> ScriptRequest {
    guard !args.isEmpty else { throw fail(n, indent + 1, usage) }
    try requirePage(n, for: what)
    return ScriptRequest(api: api, url: args[0].text)
  }

  /// A request of the script, after the `wait` before it.
  private func addStep(_ r: ScriptRequest, line n: Int) {
    var r = r
    r.url = shared.requestURL(r.url)
    steps.append(ScenarioStep(after: pendingWait, request: r))
    pendingWait = 0
  }

  /// `navigate URL [target=NAME]` (a navigation of the page or a frame), `form [GET|POST] URL [enctype=TYPE]
  /// [target=NAME] [data=NAME=VALUE&…]` (a form submitted; `data` is the form's entry list, urlencoded).
  private func addNavigation(_ api: ScriptAPI, _ args: [Token], indent: Int, lineNumber n: Int) throws(ScenarioDiagnostic) {
    let usage = api == .form
      ? "usage: form [GET|POST] URL [enctype=\(FormEnctype.allCases.map(\.rawValue).joined(separator: "|"))] [target=NAME] [data=NAME=VALUE&…]"
      : "usage: navigate URL [target=NAME]"
    let words = args.prefix { !ScenarioBuilder.isRequestOption($0) }
    guard !words.isEmpty, words.count <= (api == .form ? 2 : 1) else { throw fail(n, indent + 1, usage) }
    try requirePage(n, for: api == .form ? "a form" : "a navigation")
    var r = ScriptRequest(api: api, url: words.last!.text)
    if words.count == 2 {
      let m = words.first!.text.uppercased()
      guard m == "GET" || m == "POST" else {
        throw fail(n, words.first!.column + indent, "a form's method is GET or POST, not '\(words.first!.text)' (HTML has no other: any other value submits as GET)")
      }
      r.method = Method(rawValue: m)
    } else if api == .form {
      r.method = .get
    }
    let allowed = api == .form ? ["enctype", "target", "data"] : ["target"]
    for t in args.dropFirst(words.count) {
      let (key, option) = t.option
      guard allowed.contains(key) else {
        let hint = ScenarioBuilder.didYouMean(key, among: allowed)
        throw fail(n, t.column + indent, "unknown \(api.rawValue) option '\(key)'\(hint); \(usage)")
      }
      guard let value = option else { throw fail(n, t.column + indent, "option '\(key)' needs a value: \(key)=…") }
      switch key {
      case "enctype":
        guard let e = FormEnctype(rawValue: value.lowercased()) else {
          throw fail(n, t.column + indent, "enctype '\(value)' is not one of \(FormEnctype.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        r.enctype = e
      case "target":
        guard !value.isEmpty else { throw fail(n, t.column + indent, "target needs a name: _self, _blank, _parent, _top or a frame's name") }
        r.target = value
      default:
        r.body = RequestBody(text: value)
      }
    }
    if r.enctype != nil && r.method != .post {
      throw fail(n, indent + 1, "enctype applies to a POST form only (a GET form puts its data in the URL)")
    }
    addStep(r, line: n)
  }

  /// `websocket URL [protocols=NAME,NAME…]`: `new WebSocket(URL, protocols)`.
  private func addWebSocket(_ args: [Token], indent: Int, lineNumber n: Int) throws(ScenarioDiagnostic) {
    let usage = "usage: websocket URL [protocols=NAME,NAME…]"
    var r = try startCall(.websocket, args, usage: usage, for: "a WebSocket", indent: indent, lineNumber: n)
    for t in args.dropFirst() {
      let (key, value) = t.option
      guard key == "protocols" else {
        throw fail(n, t.column + indent, "unknown websocket option '\(key)'; \(usage)")
      }
      guard let value, !value.isEmpty else { throw fail(n, t.column + indent, "protocols needs a value: protocols=chat,v2") }
      r.protocols = value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
    addStep(r, line: n)
  }

  /// `beacon URL [body=TEXT] [body-type=KIND] [blob-type=TYPE]`: `navigator.sendBeacon(URL, data)`.
  private func addBeacon(_ args: [Token], indent: Int, lineNumber n: Int) throws(ScenarioDiagnostic) {
    let usage = "usage: beacon URL [body=TEXT] [body-type=\(BodyKind.allCases.map(\.rawValue).joined(separator: "|"))] [blob-type=TYPE]"
    var r = try startCall(.beacon, args, usage: usage, for: "a beacon", indent: indent, lineNumber: n)
    var kind: BodyKind? = nil
    var blobType: String? = nil
    for t in args.dropFirst() {
      let (key, option) = t.option
      guard ScenarioBuilder.beaconOptions.contains(key) else {
        let hint = ScenarioBuilder.didYouMean(key, among: ScenarioBuilder.beaconOptions)
        throw fail(n, t.column + indent, "unknown beacon option '\(key)'\(hint); \(usage)")
      }
      guard let value = option else { throw fail(n, t.column + indent, "option '\(key)' needs a value: \(key)=…") }
      switch key {
      case "body": r.body = RequestBody(text: value)
      case "body-type":
        guard let k = BodyKind(rawValue: value) else {
          throw fail(n, t.column + indent, "body-type '\(value)' is not one of \(BodyKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        kind = k
      default: blobType = value
      }
    }
    Self.applyBody(kind: kind, blobType: blobType, to: &r)
    addStep(r, line: n)
  }

  private func openRawResponse(_ line: Substring, indent: Int, lineNumber n: Int) throws(ScenarioDiagnostic) {
    guard let status = RawHTTP.statusLine(line) else {
      throw fail(n, indent + 1, "'\(line)' is not an HTTP status line (HTTP/1.1 200 OK)")
    }
    guard let last = steps.last else {
      throw fail(n, indent + 1, "a pasted response needs a request before it (a `fetch` line or a pasted request), or a `route` line above it")
    }
    let url: URLRecord
    do { url = try URLRecord(last.request.url, base: base.scenario.page?.url) } catch {
      throw fail(n, indent + 1, "the request this response answers has no usable URL: \(error.description)")
    }
    // Which request does it answer? Decided when the block closes (a preflight answer lists Allow-Methods,
    // Allow-Headers or Max-Age).
    // The request goes out with its method normalized (`get` as `GET`, fetch.bs #concept-method-normalize); a
    // method that is not a token never goes out at all.
    let method = last.request.method ?? .get
    guard method.isValid else {
      throw fail(n, indent + 1, "the request this response answers has the method '\(method.rawValue)', which is not a token: no response comes back")
    }
    let route = Route(method: method.normalized, url: url.withoutFragment, status: status)
    // The routes before it are indexed, it is not (yet): it answers once its block closes.
    indexRoutes()
    routes.append(route)
    noteRouteChange(routes.count - 1)
    routesIndexed = routes.count
    block = .route(routes.count - 1)
    blockSawStatusLine = true
  }

  // MARK: Blocks

  /// Returns true when the line belongs to the open block.
  private func feedBlock(_ block: Block, _ line: Substring, indent: Int, lineNumber n: Int) throws(ScenarioDiagnostic) -> Bool {
    switch block {
    case .route(let index):
      if line.hasPrefix("header ") || line.hasPrefix("header\t") {
        // `header NAME VALUE`: a line the `Name: value` form cannot write (a name that starts with `#`).
        let words = try Lexer.words(line, lineNumber: n, file: file)
        guard words.count == 3 else { throw fail(n, indent + 1, "usage: header NAME VALUE (quote them when they contain spaces)") }
        guard HeaderName(words[1].text).isValid else {
          throw fail(n, indent + words[1].column, "'\(words[1].text)' is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)")
        }
        guard !words[2].text.unicodeScalars.contains(where: { $0 == "\0" || $0 == "\r" || $0 == "\n" }) else {
          throw fail(n, indent + words[2].column, "a response header value cannot contain CR, LF or NUL")
        }
        keep(.route(index))
        routes[index].headers.append(HeaderField(shared.name(words[1].text), shared.text(words[2].text)))
        noteRouteChange(index)
        return true
      }
      if line.hasPrefix("HTTP/") {
        guard !blockSawStatusLine, routes[index].headers.isEmpty, let status = RawHTTP.statusLine(line) else {
          return false
        }
        keep(.route(index))
        routes[index].status = status
        noteRouteChange(index)
        blockSawStatusLine = true
        return true
      }
      guard let (name, value) = try headerLine(line, indent: indent, lineNumber: n) else { return false }
      keep(.route(index))
      routes[index].headers.append(HeaderField(shared.name(name), shared.text(value)))
      noteRouteChange(index)
      return true
    case .request(let index):
      if line.hasPrefix("header ") || line.hasPrefix("header\t") {
        // `header NAME VALUE`: any name and value, even invalid ones (to see the browser's TypeError).
        let words = try Lexer.words(line, lineNumber: n, file: file)
        guard words.count == 3 else { throw fail(n, indent + 1, "usage: header NAME VALUE (quote them when they contain spaces)") }
        keep(.step(index))
        steps[index].request.headers.append(HeaderField(shared.name(words[1].text), shared.text(words[2].text)))
        return true
      }
      guard let (name, value) = try headerLine(line, indent: indent, lineNumber: n, request: true) else { return false }
      if rawRequest?.index == index {
        rawRequest!.draft.headers.append(HeaderField(shared.name(name), shared.text(value)))
      } else {
        keep(.step(index))
        steps[index].request.headers.append(HeaderField(shared.name(name), shared.text(value)))
      }
      return true
    case .layer(let index):
      let words = try Lexer.words(line, lineNumber: n, file: file)
      guard let op = words.first?.text, ["add", "set", "remove", "default"].contains(op) else { return false }
      let rest = line.dropFirst(op.count).drop { $0 == " " || $0 == "\t" }
      if op == "remove" {
        let name = rest.trimmingCharacters(in: " \t:")
        guard HeaderName(name).isValid else { throw fail(n, indent + 1, "usage: remove HEADER-NAME") }
        keep(.layer(index))
        layers[index].operations.append(.remove(HeaderName(name)))
        return true
      }
      guard let (name, value) = try headerLine(rest, indent: indent + op.count + 1, lineNumber: n) else {
        throw fail(n, indent + op.count + 2, "usage: \(op) Header-Name: value")
      }
      let h = HeaderName(name)
      keep(.layer(index))
      switch op {
      case "add": layers[index].operations.append(.add(h, value))
      case "set": layers[index].operations.append(.set(h, value))
      default: layers[index].operations.append(.setIfAbsent(h, value))
      }
      return true
    }
  }

  /// `Name: value` → (name, value with HTTP whitespace trimmed); nil when the line is not a header line.
  private func headerLine(_ line: Substring, indent: Int, lineNumber n: Int, request: Bool = false) throws(ScenarioDiagnostic) -> (String, String)? {
    guard let colon = line.firstIndex(of: ":") else { return nil }
    let name = line[..<colon]
    // A word followed by a space is a command, not a header name.
    guard !name.isEmpty, !name.contains(" "), !name.contains("\t") else { return nil }
    guard HeaderName(String(name)).isValid else {
      if ScenarioBuilder.commands.contains(String(name)) { return nil }
      throw fail(n, indent + 1, "'\(name)' is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)")
    }
    let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: " \t")
    // A server cannot send CR or NUL in a field value (a lone CR inside a line of the file); a script's header
    // may hold them (the browser refuses it with a TypeError).
    if !request, value.unicodeScalars.contains(where: { $0 == "\0" || $0 == "\r" }) {
      throw fail(n, indent + name.count + 2, "a response header value cannot contain CR or NUL")
    }
    return (String(name), value)
  }

  private func closeBlock(_ n: Int) throws(ScenarioDiagnostic) {
    guard let open = block else { return }
    block = nil
    shareHeaders(of: open)
    switch open {
    case .route(let index):
      // A pasted response (not a `route` line, which says its method) answers the preflight when it carries
      // preflight-only headers.
      let route = routes[index]
      indexRoutes()
      guard blockSawStatusLine, route.method != nil, routeForKey[RouteKey(route)] != index else { break }
      let h = route.headers
      let preflightish = h.contains(.accessControlAllowMethods) || h.contains(.accessControlAllowHeaders)
        || h.contains(.accessControlMaxAge)
      if preflightish {
        keep(.route(index))
        routes[index].method = "OPTIONS"
        noteRouteChange(index)
      }
      // The pasted response answers its request from now on, as a `route` line for it would: it replaces an
      // earlier route for the same method and URL (which would otherwise answer first).
      let key = RouteKey(routes[index])
      if let earlier = routeForKey[key], earlier != index {
        keep(.route(earlier))
        routes[earlier] = routes[index]
        noteRouteChange(earlier)
        routes.remove(at: index)
        madeServer = nil
        routesIndexed = routes.count
        notices.append("replaced the earlier route for \(key.method ?? "*") \(key.href)")
      } else {
        routeForKey[key] = index
      }
    case .request(let index):
      guard let (rawIndex, line, raw) = rawRequest, rawIndex == index else { return }
      rawRequest = nil
      let made: (ScriptRequest, Page?, [String])
      do { made = try RawHTTP.makeRequest(raw, page: base.scenario.page) } catch {
        steps.remove(at: index)
        throw fail(line, 0, error.message)
      }
      // A request needs its page: the session's, or the one its Origin header names.
      if base.scenario.page == nil && made.1 == nil {
        steps.remove(at: index)
        throw fail(line, 0, "set the page first (`page https://app.example`): the pasted request has no Origin header to say which page sent it")
      }
      keep(.step(index))
      steps[index].request = made.0
      if base.scenario.page == nil, let page = made.1 {
        keep(.page)
        base.scenario.page = page
      }
      notices.append(contentsOf: made.2)
    case .layer:
      break
    }
  }

  /// Stores the header lines of a closed route or request block as the same lines seen before, if any (see
  /// `SharedValues`). The lines are as they were: this is not a change a session re-runs anything for.
  private func shareHeaders(of block: Block) {
    let recorded = (serverChanged, firstChangedStep)
    defer { (serverChanged, firstChangedStep) = recorded }
    switch block {
    case .route(let index):
      keep(.route(index))
      routes[index].headers = shared.headers(routes[index].headers)
    case .request(let index) where rawRequest?.index != index:
      keep(.step(index))
      steps[index].request.headers = shared.headers(steps[index].request.headers)
    case .request, .layer:
      break
    }
  }

  // MARK: Expectations

  /// `[BROWSER… :]` at the start of an expectation; returns the browsers and the remaining words.
  private func browserPrefix(_ args: [Token], indent: Int, lineNumber n: Int) throws(ScenarioDiagnostic) -> ([Engine]?, ArraySlice<Token>) {
    // The prefix is there when every word up to the first one ending in ':' names a browser.
    guard let k = args.prefix(5).firstIndex(where: { $0.text.hasSuffix(":") }) else { return (nil, args[...]) }
    var engines: [Engine] = []
    for u in args[...k] {
      for name in u.text.split(whereSeparator: { $0 == "," || $0 == ":" }) where !name.isEmpty {
        guard let e = Engine(rawValue: String(name)) else {
          // `expect network-error at preflight: …` has a colon but no browser list.
          if k > 0 && u.text != args[k].text { return (nil, args[...]) }
          if Stage(rawValue: String(name)) != nil { return (nil, args[...]) }
          throw fail(n, u.column + indent, "'\(name)' is not a browser (spec, chromium, firefox, webkit)")
        }
        engines.append(e)
      }
    }
    return (engines, args[(k + 1)...])
  }

  private func parseExpect(_ args: [Token], indent: Int, lineNumber n: Int, fixed: Bool = false) throws(ScenarioDiagnostic) {
    let command = fixed ? "fixed" : "expect"
    guard let step = steps.indices.last else { throw fail(n, indent + 1, "`\(command)` follows the request it is about") }
    let usage = "usage: \(command) [BROWSER…:] readable|opaque TYPE STATUS [exposes NAME, …|nothing] | \(command) [BROWSER…:] network-error|invalid at STAGE: REASON [fires load|error]"
    var (browsers, rest) = try browserPrefix(args, indent: indent, lineNumber: n)
    guard let o = rest.first else { throw fail(n, indent + 1, usage) }
    guard let outcome = Outcome(rawValue: o.text) else {
      throw fail(n, o.column + indent, "'\(o.text)' is not an outcome (readable, opaque, network-error, invalid)")
    }
    rest = rest.dropFirst()
    var e = VerdictExpectation(browsers: browsers, outcome: outcome, line: n)
    switch outcome {
    case .readable, .opaque:
      if let t = rest.first, t.text != "exposes" {
        guard let type = ResponseType(rawValue: t.text) else {
          throw fail(n, t.column + indent, "'\(t.text)' is not a response type (basic, cors, opaque, opaqueredirect)")
        }
        e.responseType = type
        rest = rest.dropFirst()
        if let s = rest.first, s.text != "exposes" {
          guard let status = Int(s.text) else { throw fail(n, s.column + indent, "'\(s.text)' is not a status") }
          e.status = status
          rest = rest.dropFirst()
        }
      }
      if let x = rest.first {
        guard x.text == "exposes", rest.count > 1 else { throw fail(n, x.column + indent, usage) }
        let names = rest.dropFirst().map(\.text).joined(separator: " ")
        let exposed = names == "nothing" ? [] : names.split(separator: ",").map { $0.trimmingCharacters(in: " ").lowercased() }
        // Each is a header name, a token (what a verdict's exposed names are: fetch.bs #header-name,
        // #cors-safelisted-response-header-name), so a name with a space, a control character or a parenthesis
        // could never match: it is a mistake to point at, and it could not be saved as written (a saved line is
        // split at its spaces again).
        if let bad = exposed.first(where: { !HeaderName($0).isValid }) {
          throw fail(n, rest[rest.startIndex + 1].column + indent,
                     "'\(bad)' is not a header name (a token); the names after `exposes` are separated by commas")
        }
        e.exposed = exposed.sorted()
      }
    case .networkError, .invalid:
      guard let at = rest.first, at.text == "at", rest.count >= 3 else { throw fail(n, (rest.first?.column ?? 0) + indent, usage) }
      let stageText = String(rest[rest.startIndex + 1].text.dropLast(rest[rest.startIndex + 1].text.hasSuffix(":") ? 1 : 0))
      guard let stage = Stage(rawValue: stageText) else {
        throw fail(n, rest[rest.startIndex + 1].column + indent,
                   "'\(stageText)' is not a stage (\(Stage.allCases.map(\.rawValue).joined(separator: ", ")))")
      }
      let reasonToken = rest[rest.startIndex + 2]
      guard let reason = FailureReason(rawValue: reasonToken.text) else {
        throw fail(n, reasonToken.column + indent, "'\(reasonToken.text)' is not a failure reason code (see README, Reason codes)")
      }
      e.stage = stage
      e.reason = reason
      var tail = rest.dropFirst(3)
      if let fires = tail.first, fires.text == "fires" {
        // A preload link's event (Firefox's fires load when the CORS check fails).
        guard steps[step].request.api == .preload else {
          throw fail(n, fires.column + indent, "`fires load|error` is for a preload link's event")
        }
        guard let event = tail.dropFirst().first, event.text == "load" || event.text == "error" else {
          throw fail(n, fires.column + indent, "usage: … fires load|error")
        }
        e.event = event.text
        tail = tail.dropFirst(2)
      }
      if let extra = tail.first { throw fail(n, extra.column + indent, "unexpected words after the reason") }
    }
    if let bs = browsers, bs.isEmpty { browsers = nil }
    if ((fixed ? base.fixed : base.verdicts)[step] ?? []).contains(where: { $0.browsers == e.browsers || ($0.browsers ?? []).contains(where: { (e.browsers ?? []).contains($0) }) }) {
      throw fail(n, indent + 1, "request \(step + 1) already has \(fixed ? "a `fixed` line" : "an expectation") for \(e.browsers.map { $0.map(\.rawValue).joined(separator: ", ") } ?? "every browser")")
    }
    keep(.expectations(step))
    if fixed { base.fixed[step, default: []].append(e) } else { base.verdicts[step, default: []].append(e) }
  }

  /// `fix [BROWSER…:] METHOD URL [in LAYER] status N|add N|set Name: value|remove Name`,
  /// `fix [BROWSER…:] request credentials=…|mode=…|redirect=…|crossorigin=…|url=…|scheme=…|remove Name`, or
  /// `fix [BROWSER…:] none`: one edit of the first fix expected for the request the line follows.
  private func parseFix(_ args: [Token], line: Substring, indent: Int, lineNumber n: Int) throws(ScenarioDiagnostic) {
    guard let step = steps.indices.last else { throw fail(n, indent + 1, "`fix` follows the request it is about") }
    let usage = "usage: fix [BROWSER…:] METHOD URL [in LAYER] status N|add N|set Name: value|remove Name, fix [BROWSER…:] request KEY=VALUE|remove Name, or fix none"
    var (browsers, rest) = try browserPrefix(args, indent: indent, lineNumber: n)
    if let bs = browsers, bs.isEmpty { browsers = nil }
    guard let first = rest.first else { throw fail(n, indent + 1, usage) }
    let words = Array(rest)
    func at(_ k: Int) -> Token? { words.indices.contains(k) ? words[k] : nil }
    var edit: Fix.Edit? = nil
    if first.text == "none" {
      guard words.count == 1 else { throw fail(n, words[1].column + indent, "nothing follows `none`") }
    } else if first.text == "request" {
      guard let kv = at(1) else { throw fail(n, indent + 1, usage) }
      if kv.text == "remove" {
        guard let name = at(2), words.count == 3 else { throw fail(n, kv.column + indent, "usage: fix request remove Header-Name") }
        edit = .client(Fix.ClientEdit(step: step, .removeHeader(name.text)))
      } else {
        let parts = kv.text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, words.count == 2 else { throw fail(n, kv.column + indent, usage) }
        let change: Fix.ClientChange
        switch parts[0] {
        case "credentials": change = .credentials(parts[1])
        case "mode": change = .mode(parts[1])
        case "redirect": change = .redirect(parts[1])
        case "crossorigin": change = .crossOrigin(parts[1])
        case "url": change = .url(parts[1])
        case "scheme": change = .scheme(parts[1])
        default: throw fail(n, kv.column + indent, "unknown request field '\(parts[0])' (credentials, mode, redirect, crossorigin, url, scheme)")
        }
        edit = .client(Fix.ClientEdit(step: step, change))
      }
    } else {
      guard let urlToken = at(1) else { throw fail(n, indent + 1, usage) }
      var k = 2
      guard Method(first.text).isValid else { throw fail(n, first.column + indent, "'\(first.text)' is not a method") }
      let url: URLRecord
      do { url = try URLRecord(urlToken.text, base: base.scenario.page?.url) } catch {
        throw fail(n, urlToken.column + indent, error.description)
      }
      var layer = Layer.application
      if at(k)?.text == "in", let name = at(k + 1) {
        layer = name.text
        k += 2
      }
      guard let action = at(k) else { throw fail(n, indent + 1, usage) }
      let change: Fix.ServerChange
      switch action.text {
      case "status", "add":
        guard let s = at(k + 1), let status = Int(s.text), (100...599).contains(status), words.count == k + 2 else {
          throw fail(n, (at(k + 1)?.column ?? action.column) + indent, "`\(action.text)` takes a status (100–599)")
        }
        change = action.text == "add" ? .addResponse(status: status) : .status(status)
      case "remove":
        guard let name = at(k + 1), words.count == k + 2 else { throw fail(n, action.column + indent, "usage: … remove Header-Name") }
        change = .removeHeader(name.text)
      case "set":
        guard let nameToken = at(k + 1), nameToken.text.hasSuffix(":"), let valueToken = at(k + 2) else {
          throw fail(n, action.column + indent, "usage: … set Header-Name: value")
        }
        // The value as written, to the end of the line.
        let value = String(line.dropFirst(valueToken.column - 1)).trimmingCharacters(in: " \t")
        change = .setHeader(String(nameToken.text.dropLast()), value)
      default:
        throw fail(n, action.column + indent, "'\(action.text)' is not a change (status, add, set, remove)")
      }
      edit = .server(Fix.ServerEdit(Fix.Response(method: first.text, url: url.hrefWithoutFragment), layer: layer, change))
    }
    keep(.expectations(step))
    base.fixes[step, default: []].append(FixExpectation(browsers: browsers, edit: edit, line: n))
  }

  private func parseSends(_ args: [Token], indent: Int, lineNumber n: Int) throws(ScenarioDiagnostic) {
    guard let step = steps.indices.last else { throw fail(n, indent + 1, "`sends` follows the request it is about") }
    let (browsers, rest) = try browserPrefix(args, indent: indent, lineNumber: n)
    let nothing = rest.count == 1 && rest.first?.text == "nothing" && rest.first?.startsQuoted == false
    var r: ExpectedRequest? = nil
    if !nothing {
      guard rest.count >= 2 else { throw fail(n, indent + 1, "usage: sends [BROWSER…:] METHOD URL [origin=…] [acrm=…] [acrh=…] | sends nothing") }
      var request = ExpectedRequest(method: rest[rest.startIndex].text, url: rest[rest.startIndex + 1].text)
      do { request.url = try URLRecord(request.url).href } catch {
        throw fail(n, rest[rest.startIndex + 1].column + indent, error.description)
      }
      for t in rest.dropFirst(2) {
        let (key, option) = t.option
        guard let value = option else { throw fail(n, t.column + indent, "expected origin=…, acrm=… or acrh=…, found '\(t.text)'") }
        switch key {
        case "origin": request.origin = value
        case "acrm": request.acrm = value
        case "acrh": request.acrh = value
        default: throw fail(n, t.column + indent, "unknown key '\(key)' (origin, acrm, acrh)")
        }
      }
      r = request
    }
    // The request's wire lines are changed in place (a copy of them per `sends` line cost their square).
    keep(.expectations(step))
    var index = base.wire[step]?.firstIndex { $0.browsers == browsers }
    if index == nil {
      base.wire[step, default: []].append(WireExpectation(browsers: browsers, requests: [], line: n))
      index = base.wire[step]!.count - 1
    }
    if let r { base.wire[step]![index!].requests.append(r) }
  }

  private func parseSays(_ line: Substring, indent: Int, lineNumber n: Int) throws(ScenarioDiagnostic) {
    guard let step = steps.indices.last else { throw fail(n, indent + 1, "`says` follows the request it is about") }
    let rest = line.dropFirst(4).drop { $0 == " " }
    guard let colon = rest.firstIndex(of: ":"), let engine = Engine(rawValue: String(rest[..<colon])) else {
      throw fail(n, indent + 6, "usage: says BROWSER: the console message, exactly")
    }
    let text = rest[rest.index(after: colon)...].drop { $0 == " " }
    keep(.expectations(step))
    base.messages[step, default: []].append(MessageExpectation(browser: engine, text: String(text), line: n))
  }
}

extension Array {
  subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
