import CORSSimulator

/// One copy of each value a scenario text repeats, for the builder to store instead of a fresh copy per line.
///
/// A long file says the same things again and again: the same header names, the same `Access-Control-Allow-Origin`
/// value, the same block of header lines under every route, the same URL for an `OPTIONS` route and the route beside
/// it. Parsed line by line, each repetition was its own allocation (a header name is two strings, a URL a record of
/// a dozen fields), and a 10,000-step file held tens of megabytes of copies. Values are immutable (a change copies),
/// so sharing them changes nothing that can be seen; only what is kept shrinks. The tables hold each distinct value
/// once, so they grow with the text's distinct values, never faster than the text.
struct SharedValues {
  private var names: [String: HeaderName] = [:]
  private var texts: Set<String> = []
  private var urls: [String: URLRecord] = [:]
  private var headerLists: Set<ExactHeaders> = []

  /// The header name written `raw` (one per spelling: names that differ in case stay apart, as written).
  mutating func name(_ raw: String) -> HeaderName {
    if let known = names[raw] { return known }
    let name = HeaderName(raw)
    names[name.rawName] = name
    return name
  }

  /// The copy of a header value (or other short text) already kept, else `text` itself, kept from now on.
  mutating func text(_ text: String) -> String {
    texts.insert(text).memberAfterInsert
  }

  /// The URL already kept that is the same record as `url` (every component equal, not only the serialization),
  /// else `url`, kept from now on.
  mutating func url(_ url: URLRecord) -> URLRecord {
    if let known = urls[url.href], known.isIdentical(to: url) { return known }
    urls[url.href] = url
    return url
  }

  /// The text of a request's URL as written: the serialization of a route's URL when it is the same text (the
  /// common case: a request for a route written beside it), else `text` (a request's URL is not kept for others).
  func requestURL(_ text: String) -> String {
    urls.index(forKey: text).map { urls[$0].key } ?? text
  }

  /// The header list already kept with exactly the same lines (names as written, values, setters), else `list`,
  /// kept from now on.
  mutating func headers(_ list: HeaderList) -> HeaderList {
    if list.isEmpty { return list }
    return headerLists.insert(ExactHeaders(list: list)).memberAfterInsert.list
  }

  /// A header list compared byte for byte (`HeaderList`'s own equality ignores the case of names, which a route
  /// writes out as it was written).
  private struct ExactHeaders: Hashable {
    var list: HeaderList

    static func == (a: ExactHeaders, b: ExactHeaders) -> Bool { a.list.isIdentical(to: b.list) }

    func hash(into hasher: inout Hasher) {
      hasher.combine(list.count)
      for field in list {
        hasher.combine(field.name.rawName)
        hasher.combine(field.value)
        hasher.combine(field.setBy)
      }
    }
  }
}
