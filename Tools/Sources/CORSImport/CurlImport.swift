import Foundation
import CORSScenario
import CORSSimulator

/// A request brought in from somewhere else (a `curl` command, a `fetch(...)` call, a HAR entry).
public struct ImportedRequest: Sendable, Hashable {
  /// The page, when the material says where the request came from (its `Origin` or `Referer`).
  public var page: Page?
  /// The request the page's script would make.
  public var request: ScriptRequest
  /// What was assumed or left out.
  public var notes: [String]
}

/// "Copy as cURL" from the developer tools (Chrome, Firefox, Safari; the bash form).
public enum CurlImport {
  /// Options that take a value and do not change the request.
  static let ignoredWithValue: Set<String> = [
    "-o", "--output", "-A", "--user-agent", "-e", "--referer", "--connect-timeout", "-m", "--max-time", "--proxy",
    "-x", "--cacert", "--cert", "--key", "-w", "--write-out", "--retry", "--resolve", "--max-redirs",
  ]

  /// Parses a whole command (continuation lines joined or not).
  public static func parse(_ command: String) throws(ImportError) -> ImportedRequest {
    let words = try ShellWords.split(command)
    guard words.first == "curl" else { throw ImportError("a curl command starts with `curl`") }
    if command.contains("^\"") || command.contains("^\\^") {
      throw ImportError("this looks like \"Copy as cURL (cmd)\"; paste the bash version (\"Copy as cURL (bash)\") instead")
    }
    var url: String? = nil
    var method: String? = nil
    var headers = HeaderList()
    var body: String? = nil
    var cookies = false
    var head = false
    var dataToQuery = false
    var notes: [String] = []
    var i = 1
    func value(_ option: String) throws(ImportError) -> String {
      i += 1
      guard i < words.count else { throw ImportError("curl option \(option) needs a value") }
      return words[i]
    }
    while i < words.count {
      let w = words[i]
      switch w {
      case "-X", "--request": method = try value(w)
      case "-H", "--header":
        let h = try value(w)
        guard let colon = h.firstIndex(of: ":") else { throw ImportError("curl header '\(h)' has no colon") }
        headers.append(HeaderField(HeaderName(String(h[..<colon])),
                                   String(h[h.index(after: colon)...]).trimmingCharacters(in: CharacterSet(charactersIn: " \t"))))
      case "-d", "--data", "--data-raw", "--data-binary", "--data-ascii", "--data-urlencode":
        let d = try value(w)
        body = body.map { $0 + "&" + d } ?? d
      case "-b", "--cookie":
        _ = try value(w)
        cookies = true
      case "-u", "--user":
        let credentials = try value(w)
        headers.append(HeaderField(.authorization, "Basic " + Base64.encode(Array(credentials.utf8))))
        notes.append("curl -u became an Authorization header (a page's script would have to set it itself)")
      case "-I", "--head": head = true
      case "-G", "--get": dataToQuery = true
      case "--url": url = try value(w)
      default:
        if ignoredWithValue.contains(w) {
          _ = try value(w)
        } else if w.hasPrefix("-") {
          // --compressed, -L, -s, -v, -k, --http2…: transport details that do not change the verdict.
        } else if url == nil {
          url = w
        } else {
          notes.append("ignored the extra argument '\(w)'")
        }
      }
      i += 1
    }
    guard let urlText = url else { throw ImportError("the curl command has no URL") }
    var request = ScriptRequest(url: urlText)
    if head { request.method = "HEAD" }
    if let body {
      if dataToQuery {
        request.url += (urlText.contains("?") ? "&" : "?") + body
      } else {
        request.body = RequestBody(text: body)
        if method == nil && !head { request.method = "POST" }
      }
    }
    if let method { request.method = Method(method) }
    return finish(request, headers: headers, cookies: cookies, notes: notes, source: "curl command")
  }

  /// Shared by the importers: keeps the author headers, derives page, mode and credentials from the rest.
  static func finish(_ r: ScriptRequest, headers: HeaderList, cookies: Bool, notes: [String], source: String) -> ImportedRequest {
    var request = r
    var notes = notes
    var dropped: [String] = []
    var page: Page? = nil
    func value(_ name: HeaderName) -> String? { headers.first { $0.name == name }?.value }
    if let origin = value("Origin"), origin != "null", let p = try? Page(origin) {
      page = p
    } else if let referrer = value("Referer"), let url = try? URLRecord(referrer), url.isHTTPScheme {
      page = Page(url: url.withoutFragment)
    }
    for h in headers {
      if RawHTTP.isBrowserAdded(h.name, h.value) { dropped.append(h.name.rawName); continue }
      request.headers.append(h)
    }
    if !dropped.isEmpty { notes.append("left out headers the browser adds itself: \(dropped.joined(separator: ", "))") }
    if cookies || value("Cookie") != nil {
      request.credentials = .include
      notes.append("the \(source) sends cookies: credentials=include")
    }
    if let mode = value("Sec-Fetch-Mode"), mode == "no-cors" || mode == "same-origin" { request.mode = .init(rawValue: mode) }
    if page == nil { notes.append("the \(source) does not say which page sent it (no Origin or Referer): set one with `page URL`") }
    return ImportedRequest(page: page, request: request, notes: notes)
  }
}

/// Splits a shell command into words as bash does for the quoting the developer tools produce: '…', "…",
/// $'…' (ANSI-C escapes), backslash escapes and backslash-newline continuations.
enum ShellWords {
  static func split(_ s: String) throws(ImportError) -> [String] {
    var words: [String] = []
    var current = ""
    var inWord = false
    // A Windows paste ends its lines with "\r\n", one Character: read it as "\n" (a lone "\r" goes).
    let chars: [Character] = s.compactMap { $0 == "\r\n" ? "\n" : $0 == "\r" ? nil : $0 }
    var i = 0
    func hexValue(_ c: Character) -> UInt32? { c.hexDigitValue.map(UInt32.init) }
    while i < chars.count {
      let c = chars[i]
      switch c {
      case " ", "\t", "\n":
        if inWord { words.append(current); current = ""; inWord = false }
        i += 1
      case "\\":
        // A backslash-newline continues the line; otherwise the next character is literal.
        if i + 1 < chars.count, chars[i + 1] == "\n" { i += 2; continue }
        if i + 1 < chars.count { current.append(chars[i + 1]); inWord = true }
        i += 2
      case "'":
        inWord = true
        i += 1
        while i < chars.count, chars[i] != "'" { current.append(chars[i]); i += 1 }
        guard i < chars.count else { throw ImportError("a single quote in the curl command is never closed") }
        i += 1
      case "\"":
        inWord = true
        i += 1
        while i < chars.count, chars[i] != "\"" {
          if chars[i] == "\\", i + 1 < chars.count, "\"\\$`\n".contains(chars[i + 1]) {
            if chars[i + 1] != "\n" { current.append(chars[i + 1]) }
            i += 2
          } else {
            current.append(chars[i])
            i += 1
          }
        }
        guard i < chars.count else { throw ImportError("a double quote in the curl command is never closed") }
        i += 1
      case "$" where i + 1 < chars.count && chars[i + 1] == "'":
        // ANSI-C quoting: $'…' with \n, \t, \\, \', \", \xHH, \uHHHH.
        inWord = true
        i += 2
        while i < chars.count, chars[i] != "'" {
          if chars[i] == "\\", i + 1 < chars.count {
            let e = chars[i + 1]
            i += 2
            switch e {
            case "n": current.append("\n")
            case "t": current.append("\t")
            case "r": current.append("\r")
            case "x", "u":
              var v: UInt32 = 0
              var n = 0
              while n < (e == "x" ? 2 : 4), i < chars.count, let d = hexValue(chars[i]) { v = v * 16 + d; i += 1; n += 1 }
              if let scalar = Unicode.Scalar(v) { current.unicodeScalars.append(scalar) }
            default: current.append(e)
            }
          } else {
            current.append(chars[i])
            i += 1
          }
        }
        guard i < chars.count else { throw ImportError("a $'…' quote in the curl command is never closed") }
        i += 1
      default:
        inWord = true
        current.append(c)
        i += 1
      }
    }
    if inWord { words.append(current) }
    return words
  }
}
