import CORSScenario
import CORSSimulator

// The scenario language's commands, described for help and completion; ScenarioBuilder reads their lines.

enum PageCommand: SessionCommand {
  static let names = ["page"]
  static let synopsis = "page URL [sandboxed]"
  static let help = "The document whose script makes the requests (file:///x.html and data: pages have a null origin)."
  static let section = CommandSection.scenario
  static func complete(_ c: CompletionContext) -> [String] {
    c.preceding.count == 1 ? c.matching(c.session.originsUsed.map { $0 + "/" }) : c.matching(["sandboxed"])
  }
}

enum RouteCommand: SessionCommand {
  static let names = ["route"]
  static let synopsis = "route [METHOD|*] URL [STATUS] [body=TEXT] [by=LAYER] [fail]"
  static let help = """
    What the server answers, then its header lines:
        route OPTIONS https://api.example/data 204
          Access-Control-Allow-Origin: https://app.example
          Access-Control-Allow-Methods: PUT
      An empty line ends the block. A route for the same method and URL replaces the earlier one. A raw response
      pasted after a request (HTTP/1.1 200 OK and its header lines) is a route for that request, and replaces
      an earlier one in the same way.
    """
  static let section = CommandSection.scenario
  static func complete(_ c: CompletionContext) -> [String] {
    switch c.preceding.count {
    case 1: return c.matching(SessionHelp.methods + ["*"] + c.session.requestURLs)
    case 2 where !c.preceding[1].contains(":"): return c.matching(c.session.requestURLs + c.session.routeURLs)
    default: return c.matching(["200", "204", "301", "302", "307", "308", "404", "500", "fail", "body=", "by="])
    }
  }
}

enum LayerCommand: SessionCommand {
  static let names = ["layer"]
  static let synopsis = "layer NAME [on URL-PREFIX] [for METHOD]"
  static let help = """
    A proxy, CDN or gateway in front of the app, then its operations:
        layer nginx
          add Access-Control-Allow-Origin: *
      Operations: add (appends), set (replaces), default (adds if absent), remove NAME. Declaring the same
      layer (name, prefix and method) again replaces it.
    """
  static let section = CommandSection.scenario
  static func complete(_ c: CompletionContext) -> [String] {
    guard c.preceding.count >= 2 else { return c.matching(["nginx", "cdn", "gateway", "proxy"]) }
    if c.preceding.last == "on" { return c.matching(c.session.originsUsed) }
    if c.preceding.last == "for" { return c.matching(SessionHelp.methods) }
    return c.matching(["on", "for"])
  }
}

/// Completion shared by `fetch` and `xhr`: a method, a URL already used, then options and their values.
enum RequestCompletion {
  static func complete(_ c: CompletionContext, options: [String]) -> [String] {
    if let equals = c.current.firstIndex(of: "=") {
      let key = String(c.current[..<equals])
      let values: [String]
      switch key {
      case "mode": values = RequestMode.allCases.filter { $0 != .websocket }.map(\.rawValue)
      case "credentials": values = CredentialsMode.allCases.map(\.rawValue)
      case "redirect": values = RedirectMode.allCases.map(\.rawValue)
      case "cache": values = CacheMode.allCases.map(\.rawValue)
      case "referrer-policy": values = ReferrerPolicy.allCases.map(\.rawValue).filter { !$0.isEmpty }
      case "body-type": values = BodyKind.allCases.map(\.rawValue)
      case "target": values = ["local", "loopback"]
      case "referrer": values = c.session.originsUsed.map { $0 + "/" }
      case "keepalive", "sync", "upload-listeners", "with-credentials": values = ["true", "false"]
      default: values = []
      }
      return c.matching(values.map { key + "=" + $0 })
    }
    let urls = c.session.requestURLs + c.session.routeURLs
    if c.preceding.count == 1 { return c.matching(SessionHelp.methods + urls) }
    if c.preceding.count == 2 && SessionHelp.methods.contains(c.preceding[1]) { return c.matching(urls) }
    // Options that take a value complete to `key=`; flags complete to themselves.
    let flags: Set<String> = ["keepalive", "window", "with-credentials", "upload-listeners", "sync"]
    return c.matching(options.map { flags.contains($0) ? $0 : $0 + "=" })
  }
}

enum FetchCommand: SessionCommand {
  static let names = ["fetch"]
  static let synopsis = "fetch [METHOD] URL [option=value …]"
  static let help = """
    A fetch() call, then its headers as lines:
        fetch PUT https://api.example/data credentials=include
          Content-Type: application/json
      Options: mode= credentials= redirect= cache= referrer= referrer-policy= integrity= keepalive body=
      body-type= blob-type= duplex=half window target=local|loopback. The verdict shows when the block ends.
    """
  static let section = CommandSection.scenario
  static func complete(_ c: CompletionContext) -> [String] { RequestCompletion.complete(c, options: ScenarioBuilder.fetchOptions) }
}

enum XHRCommand: SessionCommand {
  static let names = ["xhr"]
  static let synopsis = "xhr [METHOD] URL [option …]"
  static let help = "An XMLHttpRequest, then setRequestHeader lines. Options: with-credentials upload-listeners body= sync timeout=MS response-type=."
  static let section = CommandSection.scenario
  static func complete(_ c: CompletionContext) -> [String] { RequestCompletion.complete(c, options: ScenarioBuilder.xhrOptions) }
}

enum ElementLoadCommand: SessionCommand {
  static let names = ["load"]
  static let synopsis = "load KIND URL [crossorigin[=…]] [integrity=…]"
  static let help = """
    An element's load. KIND is one of \(ElementKind.allCases.map(\.rawValue).joined(separator: ", ")):
      <img>, <script>, <script type=module>, <link rel=stylesheet>, @font-face, <audio>, <video>. The verdict says
      whether it fires load or error, and whether what it loaded is opaque (a tainted canvas, muted script errors,
      unreadable cssRules). `load` followed by anything but an element kind opens a file (see `open`).
    """
  static let section = CommandSection.scenario
  /// `load KIND …` is an element's load; `load FILE` is `open FILE`.
  static func accepts(_ arguments: [Substring]) -> Bool {
    arguments.first.map { ElementKind(rawValue: String($0)) != nil } ?? false
  }
  static func complete(_ c: CompletionContext) -> [String] {
    switch c.preceding.count {
    case 1: return c.matching(ElementKind.allCases.map(\.rawValue))
    case 2: return c.matching(c.session.routeURLs)
    default:
      if c.current.hasPrefix("crossorigin=") { return c.matching(["crossorigin=anonymous", "crossorigin=use-credentials"]) }
      return c.matching(["crossorigin", "crossorigin=", "integrity="])
    }
  }
}

enum EventSourceCommand: SessionCommand {
  static let names = ["eventsource"]
  static let synopsis = "eventsource URL [with-credentials]"
  static let help = """
    new EventSource(URL, {withCredentials}): a CORS GET (credentials same-origin, or include with
      with-credentials) that is never preflighted. The verdict says whether it fires open or error: CORS, and then
      a 200 response of type text/event-stream.
    """
  static let section = CommandSection.scenario
  static func complete(_ c: CompletionContext) -> [String] {
    c.preceding.count == 1 ? c.matching(c.session.routeURLs) : c.matching(ScenarioBuilder.eventSourceOptions)
  }
}

enum BeaconCommand: SessionCommand {
  static let names = ["beacon"]
  static let synopsis = "beacon URL [body=TEXT] [body-type=KIND] [blob-type=TYPE]"
  static let help = """
    navigator.sendBeacon(URL, data): a keepalive POST with credentials. no-cors (sent whatever the server says)
      unless the data's type is not a CORS-safelisted Content-Type (a Blob of application/json): then cors, and
      preflighted. The page never sees the response: the verdict says whether the request goes out.
    """
  static let section = CommandSection.scenario
  static func complete(_ c: CompletionContext) -> [String] {
    if c.preceding.count == 1 { return c.matching(c.session.routeURLs) }
    if c.current.hasPrefix("body-type=") { return c.matching(BodyKind.allCases.map { "body-type=" + $0.rawValue }) }
    return c.matching(ScenarioBuilder.beaconOptions.map { $0 + "=" })
  }
}

enum DynamicImportCommand: SessionCommand {
  static let names = ["import"]
  static let synopsis = "import URL"
  static let help = """
    import(URL) from the page's script: a module script fetch, always CORS (credentials same-origin), that needs a
      JavaScript MIME type. The verdict says whether the promise fulfils or rejects. (`import har FILE` imports a HAR.)
    """
  static let section = CommandSection.scenario
  /// `import URL` is `import(URL)`; `import har FILE` is the HAR import.
  static func accepts(_ arguments: [Substring]) -> Bool { arguments.count == 1 && arguments[0] != "har" }
  static func complete(_ c: CompletionContext) -> [String] {
    c.preceding.count == 1 ? c.matching(c.session.routeURLs) : []
  }
}

enum WorkerCommand: SessionCommand {
  static let names = ["worker", "sharedworker"]
  static let synopsis = "worker|sharedworker URL [type=module]"
  static let help = """
    new Worker(URL, {type}) or new SharedWorker(URL, {type}): the script is fetched with mode same-origin, so
      another origin (even by a redirect) fails whatever its CORS headers; Chromium and WebKit throw a
      SecurityError from the constructor. The verdict says whether the worker runs, fires error or throws.
    """
  static let section = CommandSection.scenario
  static func complete(_ c: CompletionContext) -> [String] {
    c.preceding.count == 1 ? c.matching(c.session.routeURLs) : c.matching(["type=classic", "type=module"])
  }
}

enum NavigateCommand: SessionCommand {
  static let names = ["navigate"]
  static let synopsis = "navigate URL [target=NAME]"
  static let help = """
    A navigation to URL (a link, location.href, an iframe's src): not subject to CORS. The response becomes the new
      document whatever its headers; GET sends no Origin. The verdict shows what went on the wire.
    """
  static let section = CommandSection.scenario
  static func complete(_ c: CompletionContext) -> [String] {
    c.preceding.count == 1 ? c.matching(c.session.routeURLs) : c.matching(["target=_self", "target=_blank", "target=_top"])
  }
}

enum FormCommand: SessionCommand {
  static let names = ["form"]
  static let synopsis = "form [GET|POST] URL [enctype=TYPE] [target=NAME] [data=NAME=VALUE&…]"
  static let help = """
    A <form> submitted to URL: a navigation, never preflighted, never CORS-checked. A POST carries Origin (the
      page's origin, even to another site); a GET puts data in the URL's query. enctype is
      application/x-www-form-urlencoded (default), multipart/form-data or text/plain.
    """
  static let section = CommandSection.scenario
  static func complete(_ c: CompletionContext) -> [String] {
    if c.preceding.count == 1 { return c.matching(["GET", "POST"] + c.session.routeURLs) }
    return c.matching(FormEnctype.allCases.map { "enctype=" + $0.rawValue } + ["target=_blank", "data="])
  }
}

enum WebSocketCommand: SessionCommand {
  static let names = ["websocket"]
  static let synopsis = "websocket URL [protocols=NAME,NAME…]"
  static let help = """
    new WebSocket(URL, protocols): the handshake is a GET with Origin and cookies, and no CORS check. It opens on a
      101 with Upgrade, Connection and Sec-WebSocket-Accept (a route writes s3pPLMBiTxaQ9kYGzzhZRbK+xOo=, the
      value for the key corsim sends); anything else fails. The server must check Origin itself.
    """
  static let section = CommandSection.scenario
  static func complete(_ c: CompletionContext) -> [String] {
    c.preceding.count == 1 ? c.matching(c.session.routeURLs.map { $0.replacingOccurrences(of: "https://", with: "wss://") })
      : c.matching(["protocols="])
  }
}

enum WaitCommand: SessionCommand {
  static let names = ["wait"]
  static let synopsis = "wait SECONDS"
  static let help = "Advance the virtual clock before the next request (the preflight cache reads it)."
  static let section = CommandSection.scenario
}

enum BrowserCommand: SessionCommand {
  static let names = ["browser"]
  static let synopsis = "browser spec|chromium|firefox|webkit"
  static let help = "The profile verdicts are shown for."
  static let section = CommandSection.scenario
  static func complete(_ c: CompletionContext) -> [String] { c.matching(Engine.allWithSpec.map(\.rawValue)) }
}

enum CSPCommand: SessionCommand {
  static let names = ["csp"]
  static let synopsis = "csp SOURCE…"
  static let help = "The page's Content-Security-Policy connect-src (csp none removes it)."
  static let section = CommandSection.scenario
  static func complete(_ c: CompletionContext) -> [String] { c.matching(["'self'", "none"] + c.session.originsUsed) }
}

enum IntegrityPolicyCommand: SessionCommand {
  static let names = ["integrity-policy"]
  static let synopsis = "integrity-policy HEADER-VALUE"
  static let help = "The page's Integrity-Policy (blocked-destinations=(script)); integrity-policy none removes it."
  static let section = CommandSection.scenario
  static func complete(_ c: CompletionContext) -> [String] {
    c.matching(["blocked-destinations=(script)", "blocked-destinations=(script style)", "none"])
  }
}

enum COEPCommand: SessionCommand {
  static let names = ["coep"]
  static let synopsis = "coep unsafe-none|require-corp|credentialless"
  static let help = "The page's Cross-Origin-Embedder-Policy."
  static let section = CommandSection.scenario
  static func complete(_ c: CompletionContext) -> [String] { c.matching(EmbedderPolicy.allCases.map(\.rawValue)) }
}

enum UpgradeInsecureRequestsCommand: SessionCommand {
  static let names = ["upgrade-insecure-requests"]
  static let synopsis = "upgrade-insecure-requests [off]"
  static let help = "The page's CSP upgrade-insecure-requests."
  static let section = CommandSection.scenario
  static func complete(_ c: CompletionContext) -> [String] { c.matching(["off"]) }
}

enum AddressCommand: SessionCommand {
  static let names = ["address"]
  static let synopsis = "address HOST public|local|loopback"
  static let help = "Where a host name resolves (Chromium's Local Network Access)."
  static let section = CommandSection.scenario
  static func complete(_ c: CompletionContext) -> [String] {
    c.preceding.count == 2 ? c.matching(AddressSpace.allCases.map(\.rawValue)) : []
  }
}

enum HSTSCommand: SessionCommand {
  static let names = ["hsts"]
  static let synopsis = "hsts HOST [includeSubDomains]"
  static let help = "A known HSTS host."
  static let section = CommandSection.scenario
  static func complete(_ c: CompletionContext) -> [String] { c.preceding.count == 2 ? c.matching(["includeSubDomains"]) : [] }
}

enum LNACommand: SessionCommand {
  static let names = ["lna"]
  static let synopsis = "lna granted|denied"
  static let help = "The user's answer to Chromium's Local Network Access prompt."
  static let section = CommandSection.scenario
  static func complete(_ c: CompletionContext) -> [String] { c.matching(["granted", "denied"]) }
}

enum HTTP2Command: SessionCommand {
  static let names = ["http2"]
  static let synopsis = "http2 [on|off]"
  static let help = "The servers speak HTTP/2 (default HTTP/1.1); Chromium streams request bodies only over HTTP/2."
  static let section = CommandSection.scenario
  static func complete(_ c: CompletionContext) -> [String] { c.matching(["on", "off"]) }
}

enum ExpectCommand: SessionCommand {
  static let names = ["expect"]
  static let synopsis = "expect [BROWSER…:] OUTCOME …"
  static let help = """
    An expectation of the last request, checked at once and by `corsim run`:
        expect readable cors 200 [exposes NAME, …|nothing]
        expect firefox: network-error at preflight: method-not-allowed
    """
  static let section = CommandSection.scenario
  static func complete(_ c: CompletionContext) -> [String] {
    c.matching(Outcome.allCases.map(\.rawValue) + Engine.allWithSpec.map { $0.rawValue + ":" } + ["at", "exposes"]
               + Stage.allCases.map { $0.rawValue + ":" } + FailureReason.allCases.map(\.rawValue))
  }
}

enum SendsCommand: SessionCommand {
  static let names = ["sends"]
  static let synopsis = "sends [BROWSER…:] METHOD URL [origin=…] [acrm=…] [acrh=…] | sends nothing"
  static let help = "An expectation of what the last request puts on the wire, checked at once."
  static let section = CommandSection.scenario
}

enum SaysCommand: SessionCommand {
  static let names = ["says"]
  static let synopsis = "says BROWSER: MESSAGE"
  static let help = "An expectation of the console message, exactly, checked at once."
  static let section = CommandSection.scenario
  static func complete(_ c: CompletionContext) -> [String] { c.matching(Engine.allWithSpec.map { $0.rawValue + ":" }) }
}
