/// A document's map of preloaded resources: what `<link rel=preload>` fetched, kept under its preload key until a
/// later request with the same key uses it. html: links.html#map-of-preloaded-resources, #preload-key
///
/// An entry is removed when a request uses it; a new document (another `page`) starts with an empty map.
public struct PreloadStore: Sendable, UndoableCache {
  /// (URL, destination, mode, credentials mode). html: links.html#preload-key
  struct Key: Hashable {
    var url: String
    var destination: RequestDestination
    var mode: RequestMode
    var credentials: CredentialsMode
  }

  /// What the preload's fetch gave: the response main fetch produced, with the tainting and URL list it left on
  /// the request, or its network error. html: links.html#preload-entry (its response)
  struct Entry {
    var key: Key
    /// The link's `as` and `crossorigin` as written (for the trace).
    var preloadAs: PreloadDestination
    var crossOrigin: String?
    var integrity: String
    /// The `Origin` header the preload's request carried (WebKit compares it).
    var sentOrigin: String?
    var result: Result<Stored, NetworkError>
  }

  struct Stored {
    var response: Response
    var tainting: ResponseTainting
    var urlList: [URLRecord]
  }

  private var entries: [Key: Entry] = [:]
  /// The keys stored for each URL, to say why a request with that URL does not use them.
  private var keysByURL: [String: [Key]] = [:]

  /// An empty map.
  public init() {}

  /// How many preloaded responses wait for a request.
  public var count: Int { entries.count }

  /// Whether no preloaded response waits.
  public var isEmpty: Bool { entries.isEmpty }

  // While an undo point is marked (`markUndoPoint`): what the keys changed since held, or, after `removeAll`, the
  // whole map as it was.
  var journal = UndoNotes<Journal>()
  struct Journal: UndoPointNotes {
    var entries = KeyedUndo<Key, Entry>()
    var keysByURL = KeyedUndo<String, [Key]>()
    var whole: Snapshot<PreloadStore>? = nil
  }

  /// Starts noting what the map changes, so that `rollBack` can return it to what it holds now, keeping at most
  /// `limit` points; returns how many it keeps.
  mutating func markUndoPoint(keeping limit: Int) -> Int { journal.push(Journal(), keeping: limit) }

  /// Puts back what the keys a point's notes name held (`UndoableCache.rollBack`).
  mutating func takeBack(_ j: Journal) {
    j.entries.restore(&entries)
    j.keysByURL.restore(&keysByURL)
  }

  /// Notes what a key and its URL's list hold before they change.
  @inline(__always)
  private mutating func noteChange(of key: Key) {
    guard isNoting else { return }
    journal.stack[journal.stack.count - 1].entries.note(key, in: entries)
    journal.stack[journal.stack.count - 1].keysByURL.note(key.url, in: keysByURL)
  }

  /// Empties the map.
  public mutating func removeAll() {
    keepWholeForUndo()
    entries.removeAll()
    keysByURL.removeAll()
  }

  /// html: links.html#link-type-preload — the entry is set in the map under its key (replacing an earlier one).
  mutating func store(_ entry: Entry) {
    noteChange(of: entry.key)
    if entries.updateValue(entry, forKey: entry.key) == nil { keysByURL[entry.key.url, default: []].append(entry.key) }
  }

  /// html: links.html#consume-a-preloaded-resource — the entry stored under the request's key, removed from the
  /// map, when its integrity metadata allows it: the consumer's is empty, or equal to the preload's.
  mutating func consume(_ key: Key, integrity: String) -> Entry? {
    guard let entry = entries[key], integrity.isEmpty || integrity == entry.integrity else { return nil }
    return take(key)
  }

  /// The entries stored for a URL under other keys (a request with that URL that does not use them).
  func others(url: String) -> [Entry] {
    (keysByURL[url] ?? []).compactMap { entries[$0] }
  }

  /// Removes and returns the entry stored under a key.
  mutating func take(_ key: Key) -> Entry? {
    noteChange(of: key)
    guard let entry = entries.removeValue(forKey: key) else { return nil }
    keysByURL[key.url]?.removeAll { $0 == key }
    if keysByURL[key.url]?.isEmpty == true { keysByURL[key.url] = nil }
    return entry
  }
}

/// Which preload a request uses (`BrowserProfile.preloadMatching`).
public enum PreloadMatching: String, Sendable, Hashable, CaseIterable {
  /// The one stored under the request's preload key: URL, destination, mode and credentials mode.
  /// html: links.html#consume-a-preloaded-resource
  case key
  /// WebKit's memory cache: a preload of the URL and destination `script`, `style` or `font` is used whatever its
  /// mode and credentials mode, its response filtered (and CORS-checked) again for the request's mode; one for
  /// `fetch()` (destination '') only under the same key and with the same `Origin` header sent.
  case webkitResourceTypes
}

/// How an engine compares a preload's credentials mode with the request's (`BrowserProfile.preloadCredentials`).
public enum PreloadCredentials: String, Sendable, Hashable, CaseIterable {
  /// The modes themselves: `omit`, `same-origin` and `include` are three keys. html: links.html#preload-key
  case mode
  /// Whether the mode is `include` (a CORS settings state: Use Credentials or Anonymous): `omit` and `same-origin`
  /// are one.
  case includeOrNot
  /// Whether credentials go with the request to its URL: `include`, or `same-origin` to the page's own origin.
  case cookiesSent
}

/// Why a preload with the request's URL is not used: the first part of its key that differs.
enum PreloadMismatch: Int {
  /// Another destination (`as`).
  case destination = 0
  /// Another credentials mode (Chromium compares it first: resource.cc Resource::CanReuse).
  case credentials = 1
  /// Another mode (`crossorigin` present or not).
  case mode = 2
  /// The request's integrity metadata is not the preload's.
  case integrity = 3
  /// The same key, but another `Origin` header (WebKit's raw resources).
  case origin = 4
  /// The same key, but a module script's fetch and a classic script's preload (Firefox).
  case scriptKind = 5
}

extension FetchRun {
  /// `<link rel=preload href=url as=… crossorigin=…>`, as the request it builds.
  ///
  /// html: links.html#link-type-preload — the link's URL parsed against the document (a failure: no fetch, and no
  /// event; modelled as `url-parse-failed`), the request made by "create a potential-CORS request" given the URL,
  /// the destination translated from `as` (fetch.bs #concept-potential-destination-translate: `fetch` is the empty
  /// string) and the link's CORS settings attribute state (html: urls-and-fetching.html#create-a-potential-cors-request:
  /// No CORS → mode `no-cors`, credentials `include`; Anonymous → `cors`, `same-origin`; Use Credentials → `cors`,
  /// `include`). `as=fetch` gets no exception: without `crossorigin` it is a no-cors request, which `fetch()` (always
  /// `cors`) never uses.
  func constructPreloadRequest(_ s: ScriptRequest) throws(RequestError) -> Request {
    let parsedURL: URLRecord
    do { parsedURL = try requestURL(s) } catch {
      throw RequestError(reason: .urlParseFailed, parameter: s.url, exception: "no request")
    }
    let (state, invalid) = CORSSettingsState.of(s.crossOrigin?.rawValue)
    if invalid, let value = s.crossOrigin { note(.crossOriginInvalidValue, value.rawValue) }
    var mode: RequestMode = state == .noCORS ? .noCORS : .cors
    var credentials: CredentialsMode = state == .anonymous ? .sameOrigin : .include
    let preloadAs = s.preloadAs ?? .fetch
    preloadAttributeKey = PreloadStore.Key(url: parsedURL.href, destination: preloadAs.destination, mode: mode,
                                           credentials: credentials)
    var quirk: Quirk? = nil
    if preloadAs == .font, profile.preloadsFontsWithCORS, mode == .noCORS {
      // Observed(firefox): fetched as a font is, with CORS; the key keeps the attribute's mode and credentials.
      (mode, credentials) = (.cors, .sameOrigin)
      quirk = .firefoxPreloadFontWithCORS
    }
    note(.preloadRequest, preloadAs.rawValue, mode.rawValue + " " + credentials.rawValue, quirk: quirk)
    var request = Request(method: "GET", urlList: [parsedURL], headerList: HeaderList(), body: nil, mode: mode,
                          credentialsMode: credentials, redirectMode: .follow, cacheMode: .default,
                          referrerPolicy: .empty, integrity: "", keepalive: false, origin: pageOrigin,
                          originSerialization: pageOriginSerialization, unsafeRequest: false)
    request.destination = preloadAs.destination
    return request
  }

  /// The preload key of a request. html: links.html#preload-key
  func preloadKey(_ request: Request) -> PreloadStore.Key {
    PreloadStore.Key(url: request.url.href, destination: request.destination, mode: request.mode,
                     credentials: request.credentialsMode)
  }

  /// Keeps what a preload's fetch gave under its key. html: links.html#link-type-preload (processResponse: the
  /// entry's response is the response the fetch delivers, a network error included)
  func storePreload(_ s: ScriptRequest, key: PreloadStore.Key, _ result: Result<PreloadStore.Stored, NetworkError>) {
    let sentOrigin = wire.first.flatMap { $0.headers.get(.origin) }
    preloads.store(PreloadStore.Entry(key: key, preloadAs: s.preloadAs ?? .fetch, crossOrigin: s.crossOrigin?.rawValue,
                                      integrity: "", sentOrigin: sentOrigin, result: result))
  }

  /// The `Origin` header a GET of `fetch()` or XHR sends: the request's origin when it goes to another origin in
  /// mode cors, else none (fetch.bs #append-a-request-origin-header).
  private func originHeaderOfRawRequest(_ request: Request) -> String? {
    request.mode == .cors && !request.url.origin.isSameOrigin(request.origin) ? request.serializedOrigin : nil
  }

  /// Fetch §4 (#concept-fetch) step 11: a GET to an HTTP(S) URL whose mode is same-origin, cors or no-cors, from a
  /// Window, without the unsafe-request flag or with no header at all, consults the document's preloads ("consume
  /// a preloaded resource" given its URL, destination, mode, credentials mode and integrity metadata). The entry it
  /// finds becomes the preloaded response candidate, which main fetch step 12 takes as the response: no request
  /// goes on the wire. A preload of the same URL under another key is not used, and the request goes to the
  /// network (a second download); that is said in the trace, and in the console of an engine that says it.
  ///
  /// The second value says the response must be filtered again for this request's mode (WebKit's reuse of a
  /// preload made under another mode).
  func consumePreload(_ request: inout Request) -> (PreloadStore.Entry, refilter: Bool)? {
    guard api != .preload, !preloads.isEmpty, request.url.isHTTPScheme, request.method == "GET",
          [.sameOrigin, .cors, .noCORS].contains(request.mode),
          !request.unsafeRequest || request.headerList.isEmpty || (request.acceptFromUA && request.headerList.count == 1)
    else { return nil }  // (The default `Accept` comes at step 13, after this step: the model adds it earlier.)
    let key = preloadKey(request)
    let module = api == .dynamicImport || request.element == .module
    if module, !profile.scriptPreloadServesModules,
       let entry = preloads.others(url: key.url).first(where: { sameKey($0.key, key, request) }) {
      // Observed(firefox): as=script is a classic script's preload; a module script's fetch does not use it.
      note(.preloadNotUsed, key.url, "the engine keeps \(describe(entry)) for a classic script, and this is a module script's fetch",
           number: PreloadMismatch.scriptKind.rawValue, quirk: .firefoxPreloadScriptKind)
      return nil
    }
    switch profile.preloadMatching {
    case .key:
      if let stored = preloads.others(url: key.url).first(where: { sameKey($0.key, key, request) }),
         let entry = preloads.consume(stored.key, integrity: request.integrity) {
        note(.preloadUsed, key.url, describe(entry))
        return (entry, false)
      }
    case .webkitResourceTypes:
      if key.destination == .empty {
        // CachedRawResource::canReuse: the same cookies policy and header fields (Origin among them).
        if let stored = preloads.others(url: key.url).first(where: { sameKey($0.key, key, request) }),
           stored.sentOrigin == originHeaderOfRawRequest(request),
           let entry = preloads.consume(stored.key, integrity: request.integrity) {
          note(.preloadUsed, key.url, describe(entry))
          return (entry, false)
        }
      } else if let stored = preloads.others(url: key.url).first(where: { $0.key.destination == key.destination }),
                request.integrity.isEmpty, let entry = preloads.take(stored.key) {
        // CachedResourceLoader: the preloaded resource is reused under this request's options.
        note(.preloadUsed, key.url, describe(entry) + (stored.key == key ? "" : "; the engine checks its response again for this request's mode \(key.mode.rawValue)"),
             quirk: stored.key == key ? nil : .webkitPreloadReusedAcrossModes)
        return (entry, stored.key != key)
      }
    }
    let others = preloads.others(url: key.url)
    guard !others.isEmpty else { return nil }
    // The one that comes closest: same destination first (an engine's preload key has the URL and the type).
    let entry = others.first { $0.key.destination == key.destination } ?? others[0]
    let mismatch: PreloadMismatch
    let why: String
    if entry.key.destination != key.destination {
      mismatch = .destination
      let wanted = PreloadDestination.allCases.first { $0.destination == key.destination }.map { "; the link for it says as=\($0.rawValue)" } ?? ""
      why = "it is as=\(entry.preloadAs.rawValue) (destination '\(entry.key.destination.rawValue)'), this request's destination is '\(key.destination.rawValue)'\(wanted)"
    } else if !sameCredentials(entry.key.credentials, key.credentials, request) {
      mismatch = .credentials
      why = "its credentials mode is \(entry.key.credentials.rawValue) (\(describe(entry))), this request's is \(key.credentials.rawValue)\(entry.key.mode != key.mode ? " and its mode \(key.mode.rawValue)" : "")\(Self.attributeAdvice(key))"
    } else if entry.key.mode != key.mode {
      mismatch = .mode
      why = "its mode is \(entry.key.mode.rawValue) (\(describe(entry))), this request's is \(key.mode.rawValue)\(Self.attributeAdvice(key))"
    } else if !request.integrity.isEmpty && request.integrity != entry.integrity {
      mismatch = .integrity
      why = "this request's integrity metadata is not the preload's"
    } else {
      // The same key, refused by WebKit's CachedRawResource::canReuse: another Origin header.
      mismatch = .origin
      why = "the engine reuses a preload for fetch() only with the same Origin header: the preload sent \(entry.sentOrigin ?? "none"), this request sends \(originHeaderOfRawRequest(request) ?? "none")"
    }
    if profile.warnsOfUnusedPreload, mismatch == .credentials || mismatch == .mode {
      recordForConsole(TraceStep(.note(.preloadNotUsed), key.url, why, number: mismatch.rawValue))
    } else {
      note(.preloadNotUsed, key.url, why, number: mismatch.rawValue)
    }
    return nil
  }

  /// The tainting of a preloaded response reused under this request's mode (WebKit): basic to the request's own
  /// origin, opaque for no-cors, else cors once the CORS check passes on the stored response (fetch.bs
  /// #concept-main-fetch step 12, #concept-cors-check), which a failure makes a network error.
  func taintingForReuse(_ request: Request, _ response: Response) throws(NetworkError) -> ResponseTainting {
    if request.currentURL.origin.isSameOrigin(request.origin) { return .basic }
    if request.mode == .noCORS { return .opaque }
    if let f = corsCheck(credentialsMode: request.credentialsMode, serializedOrigin: request.serializedOrigin, response) {
      record(TraceStep(.failure(f.reason), f.header.rawName, f.value ?? "", number: response.status))
      throw NetworkError(stage: .response, reason: f.reason,
                         detail: failure(request, value: f.value, status: response.status, setBy: f.setBy,
                                         responseMethod: response.routeMethod, headerName: f.header.rawName))
    }
    return .cors
  }

  /// Whether a stored preload key is the request's, credentials compared as the engine compares them.
  func sameKey(_ stored: PreloadStore.Key, _ key: PreloadStore.Key, _ request: Request) -> Bool {
    stored.url == key.url && stored.destination == key.destination && stored.mode == key.mode
      && sameCredentials(stored.credentials, key.credentials, request)
  }

  /// Whether two credentials modes count as the same for a preload (`BrowserProfile.preloadCredentials`).
  func sameCredentials(_ a: CredentialsMode, _ b: CredentialsMode, _ request: Request) -> Bool {
    switch profile.preloadCredentials {
    case .mode: return a == b
    case .includeOrNot: return (a == .include) == (b == .include)
    case .cookiesSent:
      let sameOrigin = request.url.origin.isSameOrigin(request.origin)
      func sent(_ m: CredentialsMode) -> Bool { m == .include || (m == .sameOrigin && sameOrigin) }
      return sent(a) == sent(b)
    }
  }

  /// The link's `crossorigin` that gives a request's mode and credentials mode (html:
  /// urls-and-fetching.html#create-a-potential-cors-request), as advice; none gives `omit`.
  static func attributeAdvice(_ key: PreloadStore.Key) -> String {
    switch (key.mode, key.credentials) {
    case (.noCORS, .include): return "; the link for it has no crossorigin"
    case (.cors, .sameOrigin): return "; the link for it has crossorigin"
    case (.cors, .include): return "; the link for it has crossorigin=use-credentials"
    default: return "; no crossorigin value gives a link these modes"
    }
  }

  /// `as=fetch crossorigin=use-credentials`, as the link was written.
  private func describe(_ entry: PreloadStore.Entry) -> String {
    var text = "as=\(entry.preloadAs.rawValue)"
    if let c = entry.crossOrigin { text += c.isEmpty ? " crossorigin" : " crossorigin=\(c)" } else { text += ", no crossorigin" }
    return text
  }
}

extension Verdict {
  /// For a preload link: the event it fires — `load` when its fetch gives a response (readable or opaque),
  /// `error` for a network error (html: links.html#link-type-preload; Firefox fires `load` when the CORS check
  /// fails: `BrowserProfile.preloadFiresLoadWhenCORSFails`). nil for other APIs.
  public var preloadEvent: String? {
    guard api == .preload else { return nil }
    return preloadFiresLoad ? "load" : "error"
  }
}
