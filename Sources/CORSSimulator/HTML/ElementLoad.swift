/// A request's destination: what the fetched resource will be used as. fetch.bs #concept-request-destination
/// (the values the modelled loads use; `fetch()` and XHR have the empty string).
public enum RequestDestination: String, Sendable, Hashable, CaseIterable {
  case empty = ""
  case audio, font, image, script, style, video, worker, sharedworker

  /// "script-like": audioworklet, paintworklet, script, serviceworker, sharedworker or worker — of which
  /// `script`, `worker` and `sharedworker` are modelled. fetch.bs #request-destination-script-like
  var isScriptLike: Bool { self == .script || self == .worker || self == .sharedworker }

  /// Image, audio or video: the destinations mixed content upgrades. mix #upgrade-algorithm step 1.4
  var isUpgradeable: Bool { self == .image || self == .audio || self == .video }
}

/// The elements (and the CSS rule) whose subresource loads corsim models, each with the request that HTML or
/// CSS builds for it.
public enum ElementKind: String, Sendable, Hashable, CaseIterable, Codable {
  /// `<img src>`. html: images.html#update-the-image-data
  case image
  /// A classic `<script src>`. html: scripting.html#fetch-a-classic-script
  case script
  /// `<script type=module src>`: always CORS. html: webappapis.html#fetch-a-single-module-script
  case module
  /// `<link rel=stylesheet href>`. html: links.html#link-type-stylesheet
  case style
  /// An `@font-face` `src: url(…)`: always CORS. css-fonts-4 #font-fetching-requirements
  case font
  /// `<audio src>`. html: media.html#concept-media-load-resource
  case audio
  /// `<video src>`. html: media.html#concept-media-load-resource
  case video

  /// The request's destination.
  public var destination: RequestDestination {
    switch self {
    case .image: return .image
    case .script, .module: return .script
    case .style: return .style
    case .font: return .font
    case .audio: return .audio
    case .video: return .video
    }
  }

  /// How the page writes it: `<img>`, `<script type=module>`, `@font-face`…
  public var markup: String {
    switch self {
    case .image: return "<img>"
    case .script: return "<script>"
    case .module: return "<script type=module>"
    case .style: return "<link rel=stylesheet>"
    case .font: return "@font-face"
    case .audio: return "<audio>"
    case .video: return "<video>"
    }
  }

  /// Whether the element has a `crossorigin` attribute (a font's request is always CORS, with no choice).
  public var takesCrossOrigin: Bool { self != .font }

  /// Whether the element has an `integrity` attribute (`<script>` and `<link>` only). SRI #the-integrity-attribute
  public var takesIntegrity: Bool { self == .script || self == .module || self == .style }
}

/// The state of a CORS settings attribute (`crossorigin`). html: urls-and-fetching.html#cors-settings-attributes
public enum CORSSettingsState: String, Sendable, Hashable {
  case noCORS = "No CORS"
  case anonymous = "Anonymous"
  case useCredentials = "Use Credentials"

  /// The state of an attribute value: absent → No CORS (the missing value default); `anonymous` or the empty
  /// string → Anonymous; `use-credentials` → Use Credentials, keywords matched ASCII case-insensitively; any
  /// other value → Anonymous (the invalid value default). The second value says the value was invalid.
  public static func of(_ attribute: String?) -> (state: CORSSettingsState, invalid: Bool) {
    guard let attribute else { return (.noCORS, false) }
    if attribute.isEmpty || HTTPSyntax.equalsIgnoringASCIICase(attribute, "anonymous") { return (.anonymous, false) }
    if HTTPSyntax.equalsIgnoringASCIICase(attribute, "use-credentials") { return (.useCredentials, false) }
    return (.anonymous, true)
  }
}

extension FetchRun {
  /// The request an element builds, before fetching it: the element's URL attribute parsed against the
  /// document, mode and credentials from its `crossorigin` attribute, its destination, and (for `<script>`
  /// and `<link>`) its `integrity` attribute.
  ///
  /// - classic scripts, images, stylesheets and media: "create a potential-CORS request" —
  ///   no `crossorigin` → mode `no-cors`, credentials `include`; Anonymous → `cors`, `same-origin`;
  ///   Use Credentials → `cors`, `include`. html: urls-and-fetching.html#create-a-potential-cors-request
  /// - module scripts: mode `cors` always, credentials from the attribute ("CORS settings attribute
  ///   credentials mode": `include` for Use Credentials, else `same-origin`). html: #fetch-a-single-module-script
  /// - fonts: "fetch a style resource" with CORS mode `cors`, credentials `same-origin`. css-values-4
  ///   #fetch-a-style-resource step 3, css-fonts-4 #font-fetching-requirements
  ///
  /// The unsafe-request flag is never set, so no element load is ever preflighted; the request carries no
  /// author headers. The `Accept` the engines send for images and styles is CORS-safelisted (fetch.bs
  /// #concept-fetch; docs/reference/cors-rules.md §5.1) and decides nothing, so it is not modelled.
  func constructElementRequest(_ s: ScriptRequest) throws(RequestError) -> Request {
    let kind = s.element ?? .image
    // The URL attribute, encoding-parsed against the document. A failure fires `error` at the element with no
    // request at all (e.g. html: images.html#update-the-image-data step 16; scripting.html#prepare-the-script-element).
    let parsedURL: URLRecord
    do { parsedURL = try requestURL(s) } catch {
      throw RequestError(reason: .urlParseFailed, parameter: s.url, exception: "error event")
    }
    let (state, invalid) = CORSSettingsState.of(kind.takesCrossOrigin ? s.crossOrigin?.rawValue : nil)
    if invalid, let value = s.crossOrigin { note(.crossOriginInvalidValue, value.rawValue) }
    let mode: RequestMode
    let credentials: CredentialsMode
    switch kind {
    case .font where profile.fetchesFontsWithoutCORS:
      // Observed(webkit): fonts are fetched without CORS (no Origin; a cross-origin font without
      // Access-Control-Allow-Origin is used), with credentials as for an image without crossorigin.
      mode = .noCORS
      credentials = .include
    case .font:
      mode = .cors
      credentials = .sameOrigin
    case .module:
      mode = .cors
      credentials = state == .useCredentials ? .include : .sameOrigin
    default:
      // create a potential-CORS request: 3. mode is "no-cors" if corsAttributeState is No CORS, else "cors".
      // 4. credentials mode is "include", or "same-origin" when corsAttributeState is Anonymous.
      mode = state == .noCORS ? .noCORS : .cors
      credentials = state == .anonymous ? .sameOrigin : .include
    }
    note(.elementRequest, kind.markup, mode.rawValue + " " + credentials.rawValue,
         quirk: kind == .font && profile.fetchesFontsWithoutCORS ? .webkitFontsNoCORS : nil)
    var request = Request(method: "GET", urlList: [parsedURL], headerList: HeaderList(), body: nil, mode: mode,
                          credentialsMode: credentials, redirectMode: .follow, cacheMode: .default,
                          referrerPolicy: .empty, integrity: kind.takesIntegrity ? (s.integrity ?? "") : "",
                          keepalive: false, origin: pageOrigin, originSerialization: pageOriginSerialization,
                          unsafeRequest: false)
    request.destination = kind.destination
    request.element = kind
    return request
  }
}

extension Verdict {
  /// For an element load: the event the element fires — `load` when the fetch gives a response (readable or
  /// opaque), `error` for a network error or a URL that does not parse. nil for fetch() and XHR.
  public var elementEvent: String? {
    guard element != nil else { return nil }
    return outcome == .readable || outcome == .opaque ? "load" : "error"
  }

  /// For an element load: what the page can do with what it loaded. A readable (basic or cors) response is
  /// CORS-same-origin; an opaque one is not, which is what taints a canvas, mutes script errors and hides a
  /// stylesheet's rules. html: #cors-same-origin, canvas.html#the-image-argument-is-not-origin-clean,
  /// webappapis.html#muted-errors, cssom-1 #concept-css-style-sheet-origin-clean-flag
  ///
  /// Whether the bytes decode is judged from a `body=`'s leading bytes (`FetchRun.blockIfUndecodable`): an
  /// undecodable image, font or media is a network error with reason `element-undecodable`.
  public var elementEffect: String? {
    guard let element else { return nil }
    let markup = element.markup
    if element == .style, outcome != .networkError, outcome != .invalid, elementUnusedReason == .stylesheetNotCSS {
      return "\(markup) fires load, but its sheet is empty: a stylesheet that is not text/css is not applied"
    }
    switch outcome {
    case .networkError, .invalid:
      return "\(markup) fires error"
    case .readable:
      switch element {
      case .image: return "\(markup) fires load; CORS-same-origin: a canvas it is drawn on stays readable"
      case .script, .module: return "\(markup) fires load and runs; its errors reach window.onerror in full"
      case .style: return "\(markup) fires load and applies; its cssRules are readable"
      case .font: return "\(markup): the font is used"
      case .audio, .video: return "\(markup) plays; CORS-same-origin: a canvas or Web Audio can read it"
      }
    case .opaque:
      switch element {
      case .image: return "\(markup) fires load and shows, but it is opaque: drawing it taints a canvas (getImageData and toDataURL throw SecurityError)"
      case .script, .module: return "\(markup) fires load and runs, but it is opaque: its errors reach window.onerror only as \"Script error.\""
      case .style: return "\(markup) fires load and applies, but it is opaque: reading its cssRules throws SecurityError"
      case .font: return "\(markup): the font is used"
      case .audio, .video: return "\(markup) plays, but it is opaque: a canvas drawing it is tainted, Web Audio hears silence"
      }
    }
  }
}
