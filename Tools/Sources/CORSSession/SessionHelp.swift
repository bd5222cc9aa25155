import CORSScenario
import CORSSimulator
import CORSText

/// The REPL's help texts and completion vocabularies.
enum SessionHelp {
  /// Header names offered by completion: the CORS ones first.
  static let headerNames = [
    "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers", "Access-Control-Expose-Headers", "Access-Control-Max-Age", "Vary",
    "Access-Control-Request-Method", "Access-Control-Request-Headers", "Origin", "Authorization", "Content-Type",
    "Accept", "Accept-Language", "Content-Language", "Range", "Cookie", "Set-Cookie", "Location", "Cache-Control",
    "Cross-Origin-Resource-Policy", "Content-Length", "X-Requested-With", "X-CSRF-Token", "X-API-Key",
  ]

  /// Methods offered by completion.
  static let methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

  static let topics: [String: String] = [
    "page": "page URL [sandboxed] — the document whose script makes the requests (file:///x.html and data: pages have a null origin)",
    "route": """
      route [METHOD|*] URL [STATUS] [body=TEXT] [by=LAYER] [fail] — what the server answers, then header lines:
          route OPTIONS https://api.example/data 204
            Access-Control-Allow-Origin: https://app.example
            Access-Control-Allow-Methods: PUT
        An empty line ends the block. Pasting a raw response (HTTP/1.1 200 OK + headers) after a request works too.
      """,
    "layer": """
      layer NAME [on URL-PREFIX] [for METHOD] — a proxy, CDN or gateway in front of the app, then operations:
          layer nginx
            add Access-Control-Allow-Origin: *
        Operations: add (appends), set (replaces), default (adds if absent), remove NAME.
      """,
    "fetch": """
      fetch [METHOD] URL [option=value …] — a fetch() call, then its headers as lines:
          fetch PUT https://api.example/data credentials=include
            Content-Type: application/json
        Options: mode= credentials= redirect= cache= referrer= referrer-policy= integrity= keepalive body=
        body-type= blob-type= duplex=half window target=local|loopback. The verdict shows when the block ends.
      """,
    "xhr": "xhr [METHOD] URL [with-credentials] [upload-listeners] [body=…] [sync] [timeout=MS] [response-type=…] — an XMLHttpRequest, then setRequestHeader lines",
    "wait": "wait SECONDS — advance the virtual clock before the next request (the preflight cache reads it)",
    "browser": "browser spec|chromium|firefox|webkit — the profile verdicts are shown for",
    "compare": "compare [N] — request N (default: the last) in all four profiles side by side; differences are highlighted",
    "trace": "trace [N] — every step of the algorithm for request N, each with its rule",
    "wire": "wire [N] — the requests that went on the wire for request N, with their headers",
    "notes": "notes [N] — the changes along the way (headers dropped, cache hits, origin tainted…)",
    "what-if": """
      what-if CHANGE — change one thing in a copy and see the last verdict move:
          what-if credentials=include        what-if mode=no-cors        what-if browser firefox
          what-if header X-Token: 1          what-if header -X-Token     what-if method PUT
          what-if server Access-Control-Allow-Origin: *                 what-if server -Vary
          what-if preflight Access-Control-Allow-Headers: x-token       what-if preflight 204
          what-if page https://other.example                            what-if crossorigin=anonymous (an element)
      """,
    "load": """
      load FILE — replace the session with a scenario file (a Spec/ file, or one you saved)
      load image|script|module|style|font|audio|video URL [crossorigin[=anonymous|use-credentials]] [integrity=…]
          — an element's load: <img>, <script>, <script type=module>, <link rel=stylesheet>, @font-face, <audio>,
            <video>. The verdict says whether it fires load or error, and whether what it loaded is opaque
            (a tainted canvas, muted script errors, unreadable cssRules).
      """,
    "integrity-policy": "integrity-policy HEADER-VALUE — the page's Integrity-Policy (blocked-destinations=(script)); integrity-policy none removes it",
    "save": "save FILE — write the session as a scenario file",
    "undo": "undo — take back the last command",
    "clear": "clear [requests|routes|layers] — start again (all of it, or one part)",
    "json": "json on|off — print verdicts as oracle JSON lines",
    "expect": "expect [BROWSER…:] readable TYPE STATUS [exposes …] | network-error at STAGE: REASON — an expectation (Spec/ files)",
    "run": "run — the verdicts of every request again",
    "show": "show — the session as scenario text (what save writes)",
    "csp": "csp SOURCE… — the page's Content-Security-Policy connect-src",
    "address": "address HOST public|local|loopback — where a host name resolves (Chromium's Local Network Access)",
    "hsts": "hsts HOST [includeSubDomains] — a known HSTS host",
    "lna": "lna granted|denied — the user's answer to Chromium's Local Network Access prompt",
    "http2": "http2 [on|off] — the servers speak HTTP/2 (default HTTP/1.1); Chromium streams request bodies only over HTTP/2",
  ]

  static func text(_ topic: String, style: TextStyle) -> String {
    if !topic.isEmpty {
      guard let t = topics[topic] else {
        return style.red("error") + " no help for '\(topic)'; topics: \(topics.keys.sorted().joined(separator: ", "))\n"
      }
      return t + "\n"
    }
    return """
      \(style.bold("corsim")) — may the script read the response? Compose a page, a server and a request:

        page https://app.example
        route GET https://api.example/data
          Access-Control-Allow-Origin: https://app.example
        fetch https://api.example/data credentials=include

      The verdict appears when a request block ends (an empty line). Then ask:
        trace    every step, with its rule        wire     what went on the wire
        compare  the four browsers side by side   what-if  change one thing and see
        run      all verdicts again               show     the session as text

      Paste raw HTTP requests or responses as they are. Files: load FILE, save FILE. Elements: load image URL
      [crossorigin] (also script, module, style, font, audio, video). Also: browser, wait, layer, csp, address,
      hsts, lna, http2, integrity-policy, undo, clear, json on|off, quit. `help TOPIC` for details (e.g. help route).

      """
  }
}
