/// Opaque-response blocking as Chromium and Firefox implement it for the no-cors responses of element loads.
/// ORB is not part of fetch.bs at the pinned snapshot; its algorithm is in annevk/orb (README, "ORB's
/// algorithm") and whatwg/fetch#1442. Each engine implements a subset, read from its source:
///
/// - Chromium (`services/network/orb/orb_impl.cc`): opaque-safelisted types (text/css, image/svg+xml,
///   audio/*, video/*, application/ogg, application/dash+xml, application/vnd.apple.mpegurl, text/vtt) pass;
///   never-sniffed types are blocked; HTML, JSON, XML and text/plain with `nosniff` are blocked; then the first
///   1024 bytes are sniffed: audio, video or image signatures pass, a missing MIME type passes, HTML, XML,
///   JSON and JavaScript parser breakers are blocked, and everything else passes ("fails open"; there is no
///   JavaScript parser). JavaScript MIME types are sniffed like the rest.
/// - Firefox (`OpaqueResponseUtils.cpp`, `HttpBaseChannel.cpp`): JavaScript, text/css and image/svg+xml pass;
///   DASH/HLS/WebVTT types, text/plain with `nosniff`, audio/mpeg, audio/aac, audio/aacp and
///   multipart/x-mixed-replace pass (`mediaExceptionsStrategy` 1); never-sniffed types, 206 with a blocklisted
///   type, and `nosniff` with a blocklisted type are blocked; then content sniffing: an image or media
///   signature passes; after it a media element's response, `nosniff`, a status outside 200–299 and a
///   declared image/audio/video type are blocked, a missing MIME type passes, and the rest goes to a
///   JavaScript validator: it passes only if it parses as JavaScript and not as JSON.
///
/// Both answer a blocked element load with a network error; fetch() keeps an opaque response (Chromium injects
/// an empty one, Firefox filters it), so only element loads are checked here.
///
/// The simulated bodies are text. A route without `body=` stands for a body that is what its Content-Type says
/// (an image/png route sniffs as an image, an application/json route as JSON, and a script requested as a
/// script is JavaScript unless its type says HTML, JSON or XML); `body=` gives the bytes to sniff.
enum OpaqueResponseBlocker {
  /// The decision, with the engine's reason for a block.
  enum Decision: Equatable {
    case allowed
    case blocked(String)
  }

  /// What sniffing can learn from a body.
  struct Body {
    /// The body's bytes, or nil for a route without a body (then the declared type stands for it).
    var bytes: [UInt8]?
    /// The declared MIME type.
    var declared: MIMEType?

    var looksLikeImage: Bool {
      guard let bytes else { return declared?.type == "image" && declared?.essence != "image/svg+xml" }
      return Sniff.isImage(bytes)
    }

    /// Whether the engine's media sniffing table finds audio or video in the body (`sniff`: the table, giving the
    /// MIME type it names; `isMedia`: whether that type counts).
    func looksLikeAudioOrVideo(_ sniff: ([UInt8]) -> String?, _ isMedia: (String) -> Bool) -> Bool {
      guard let bytes else {
        return declared?.type == "audio" || declared?.type == "video" || declared?.essence == "application/ogg"
      }
      return sniff(bytes).map(isMedia) ?? false
    }
  }

  // MARK: Chromium

  static func chromium(mime: MIMEType?, nosniff: Bool, status: Int, body: Body) -> Decision {
    // 3. If mimeType is not failure:
    if let mime {
      let essence = mime.essence
      // 3.i Opaque-safelisted (Chromium: no JavaScript here, which is sniffed below; audio/video and the media
      // manifest types are added).
      if essence == "text/css" || essence == "image/svg+xml" || mime.type == "audio" || mime.type == "video"
        || essence == "application/ogg" || essence == "application/dash+xml"
        || essence == "application/vnd.apple.mpegurl" || essence == "text/vtt" {
        return .allowed
      }
      // 3.ii Never-sniffed → blocked.
      if chromiumNeverSniffed.contains(essence) { return .blocked("never-sniffed MIME type \(essence)") }
      // 3.iv nosniff with HTML, JSON, XML or text/plain → blocked.
      if nosniff && (mime.isHTML || mime.isJSON || mime.isXML || essence == "text/plain"
        || essence == "application/json+protobuf") {
        return .blocked("X-Content-Type-Options: nosniff with \(essence)")
      }
    }
    // 7. Audio or video sniffed → allowed: net::SniffMimeTypeFromLocalData's type, if IsAudioOrVideoMimeType
    // (audio/*, video/*, application/ogg; orb_impl.cc Sniff). 9. Image sniffed → allowed.
    let media = body.looksLikeAudioOrVideo(MediaSniffing.chromium) {
      $0.hasPrefix("audio/") || $0.hasPrefix("video/") || $0 == "application/ogg"
    }
    if media || body.looksLikeImage { return .allowed }
    // 12. mimeType failure → allowed.
    guard let mime else { return .allowed }
    // Chromium's confirmation sniffing instead of a JavaScript parser: HTML, XML, JSON or a parser breaker.
    if let bytes = body.bytes {
      let head = Array(bytes.prefix(1024))
      if Sniff.html(head) { return .blocked("the body sniffs as HTML") }
      if Sniff.xml(head) { return .blocked("the body sniffs as XML") }
      if Sniff.fetchOnlyResource(head) { return .blocked("the body sniffs as JSON or starts with a parser breaker") }
    } else if mime.isHTML || mime.isXML || mime.isJSON {
      return .blocked("the body sniffs as \(mime.isHTML ? "HTML" : mime.isXML ? "XML" : "JSON")")
    }
    // End of the sniffable body: fail open.
    return .allowed
  }

  static let chromiumNeverSniffed: Set<String> = [
    "application/gzip", "application/x-gzip", "application/x-protobuf", "application/zip", "text/event-stream",
    "application/msexcel", "application/mspowerpoint", "application/msword", "application/msword-template",
    "application/pdf", "application/vnd.ces-quickpoint", "application/vnd.ces-quicksheet",
    "application/vnd.ces-quickword", "application/vnd.ms-excel", "application/vnd.ms-excel.sheet.macroenabled.12",
    "application/vnd.ms-powerpoint", "application/vnd.ms-powerpoint.presentation.macroenabled.12",
    "application/vnd.ms-word", "application/vnd.ms-word.document.12",
    "application/vnd.ms-word.document.macroenabled.12", "application/vnd.msword",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.openxmlformats-officedocument.presentationml.template",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template",
    "application/vnd.presentation-openxml", "application/vnd.presentation-openxmlm",
    "application/vnd.spreadsheet-openxml", "application/vnd.wordprocessing-openxml", "text/csv",
    "multipart/signed", "multipart/byteranges",
  ]

  // MARK: Firefox

  static func firefox(mime: MIMEType?, nosniff: Bool, status: Int, media: Bool, script: Bool, body: Body) -> Decision {
    if let mime {
      let essence = mime.essence
      // Opaque-safelisted: text/css, image/svg+xml, JavaScript MIME types.
      if essence == "text/css" || essence == "image/svg+xml" || mime.isJavaScript { return .allowed }
      // Allowed "in a spec breaking way": DASH/HLS/WebVTT, text/plain with nosniff, and the media exceptions
      // of browser.opaqueResponseBlocking.mediaExceptionsStrategy = 1.
      if ["application/dash+xml", "application/vnd.apple.mpegurl", "audio/mpegurl", "text/vtt", "audio/mpeg",
          "audio/aac", "audio/aacp", "multipart/x-mixed-replace"].contains(essence)
        || (essence == "text/plain" && nosniff) {
        return .allowed
      }
      let blocklisted = mime.isHTML || mime.isJSON || mime.isXML
      if firefoxNeverSniffed.contains(essence) {
        return .blocked("mimeType is an opaque-blocklisted-never-sniffed MIME type")
      }
      if status == 206 && blocklisted {
        return .blocked("response's status is 206 and mimeType is an opaque-blocklisted MIME type")
      }
      if nosniff && blocklisted {
        return .blocked("nosniff is true and mimeType is an opaque-blocklisted MIME type or its essence is 'text/plain'")
      }
    }
    // Content sniffing: a match of nsMediaSniffer's table passes, whatever type it names (its scope exit calls
    // DisableIsOpaqueResponseAllowedAfterSniffCheck(SnifferType::Media) on every match); an image signature passes.
    if body.looksLikeAudioOrVideo(MediaSniffing.firefox, { _ in true }) || (!media && body.looksLikeImage) { return .allowed }
    // After sniffing.
    if media { return .blocked("after sniff: media request") }
    if nosniff { return .blocked("after sniff: nosniff is true") }
    if status < 200 || status > 299 { return .blocked("after sniff: status code is not in allowed range") }
    guard let mime else { return .allowed }
    if mime.isAudioImageOrVideo {
      return .blocked("after sniff: content-type declares image/video/audio, but sniffing fails")
    }
    // The JavaScript validator: parses as JavaScript and not as JSON.
    let isJavaScript: Bool
    if let bytes = body.bytes {
      isJavaScript = Sniff.probablyJavaScript(bytes) && !Sniff.isJSON(bytes)
    } else {
      // No body given: a script request is taken to get a script unless its type says markup or JSON.
      isJavaScript = mime.isJavaScript || (script && !(mime.isHTML || mime.isJSON || mime.isXML))
    }
    return isJavaScript ? .allowed : .blocked("Javascript validation failed")
  }

  static let firefoxNeverSniffed: Set<String> = [
    "application/gzip", "application/x-gzip", "application/msexcel", "application/mspowerpoint",
    "application/msword", "application/msword-template", "application/pdf", "application/vnd.ces-quickpoint",
    "application/vnd.ces-quicksheet", "application/vnd.ces-quickword", "application/vnd.ms-excel",
    "application/vnd.ms-excel.sheet.macroenabled.12", "application/vnd.ms-powerpoint",
    "application/vnd.ms-powerpoint.presentation.macroenabled.12", "application/vnd.ms-word",
    "application/vnd.ms-word.document.12", "application/vnd.ms-word.document.macroenabled.12",
    "application/vnd.msword", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.openxmlformats-officedocument.presentationml.template",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template",
    "application/vnd.presentation-openxml", "application/vnd.presentation-openxmlm",
    "application/vnd.spreadsheet-openxml", "application/vnd.wordprocessing-openxml", "application/x-protobuf",
    "application/x-protobuffer", "application/zip", "multipart/byteranges", "multipart/signed",
    "text/event-stream", "text/csv",
  ]
}

/// The byte sniffers ORB needs, written from the patterns they look for (mimesniff.bs image patterns; Chromium's
/// CORB confirmation sniffers; the audio and video tables are `MediaSniffing`'s). Bodies are text whose `\xNN`
/// escapes write binary bytes (`BodyBytes`).
enum Sniff {
  static func hasPrefix(_ b: [UInt8], _ p: [UInt8], at offset: Int = 0) -> Bool {
    b.count >= offset + p.count && Array(b[offset..<(offset + p.count)]) == p
  }

  static func ascii(_ s: String) -> [UInt8] { Array(s.utf8) }

  /// mimesniff.bs #image-type-pattern-matching-algorithm (ICO, CUR, BMP, GIF, WebP, PNG, JPEG).
  static func isImage(_ b: [UInt8]) -> Bool {
    hasPrefix(b, [0, 0, 1, 0]) || hasPrefix(b, [0, 0, 2, 0]) || hasPrefix(b, ascii("BM"))
      || hasPrefix(b, ascii("GIF87a")) || hasPrefix(b, ascii("GIF89a"))
      || (hasPrefix(b, ascii("RIFF")) && hasPrefix(b, ascii("WEBPVP"), at: 8))
      || hasPrefix(b, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) || hasPrefix(b, [0xFF, 0xD8, 0xFF])
  }

  static func isWhitespace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }

  static func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }

  /// Chromium's SniffForHTML: after whitespace and complete HTML comments, one of `<!doctype html`, `<script`,
  /// `<html`, `<head`, `<iframe`, `<h1`, `<div`, `<font`, `<table`, `<a`, `<style`, `<title`, `<b`, `<p`,
  /// ASCII case-insensitively (a `<!--` alone is not HTML: it is valid JavaScript too).
  static func html(_ b: [UInt8]) -> Bool {
    let signatures = ["<!doctype html", "<script", "<html", "<head", "<iframe", "<h1", "<div", "<font", "<table",
                      "<a", "<style", "<title", "<b", "<p"].map(ascii)
    var i = 0
    while i < b.count {
      while i < b.count, isWhitespace(b[i]) { i += 1 }
      let rest = b[i...]
      for s in signatures where rest.count >= s.count && zip(rest.prefix(s.count), s).allSatisfy({ lower($0) == $1 }) {
        return true
      }
      // Skip a complete `<!-- … -->` comment and the rest of its line; anything else decides "not HTML".
      guard hasPrefix(Array(rest), ascii("<!--")) else { return false }
      guard let end = find(b, ascii("-->"), from: i + 4) else { return false }
      var j = end + 3
      while j < b.count, b[j] != 0x0A, b[j] != 0x0D { j += 1 }
      if j >= b.count { return false }
      i = j
    }
    return false
  }

  static func find(_ b: [UInt8], _ needle: [UInt8], from start: Int) -> Int? {
    guard needle.count <= b.count else { return nil }
    var i = start
    while i + needle.count <= b.count {
      if Array(b[i..<(i + needle.count)]) == needle { return i }
      i += 1
    }
    return nil
  }

  /// Chromium's SniffForXML: `<?xml` after whitespace.
  static func xml(_ b: [UInt8]) -> Bool {
    hasPrefix(Array(b.drop(while: isWhitespace)), ascii("<?xml"))
  }

  /// Chromium's SniffForFetchOnlyResource: a JavaScript parser breaker (`)]}'`, `{}&&`, `{} &&`, `for(;;);`,
  /// `while(1);`, `for (;;);`, `while (1);`) or the start of a JSON object: `{`, a string, `:` (whitespace
  /// allowed between them).
  static func fetchOnlyResource(_ b: [UInt8]) -> Bool {
    for breaker in [")]}'", "{}&&", "{} &&", "for(;;);", "while(1);", "for (;;);", "while (1);"] where hasPrefix(b, ascii(breaker)) {
      return true
    }
    var state = 0  // 0 start, 1 after {, 2 in string, 3 escape, 4 after string
    for c in b {
      if state != 2 && state != 3 && isWhitespace(c) { continue }
      switch state {
      case 0: if c == 0x7B { state = 1 } else { return false }
      case 1: if c == 0x22 { state = 2 } else { return false }
      case 2: if c == 0x22 { state = 4 } else if c == 0x5C { state = 3 }
      case 3: state = 2
      default: return c == 0x3A
      }
    }
    return false
  }

  /// Whether the body is JSON (RFC 8259: one value, whitespace around it).
  static func isJSON(_ b: [UInt8]) -> Bool {
    var p = JSONScan(bytes: b)
    p.skipWhitespace()
    guard p.value() else { return false }
    p.skipWhitespace()
    return p.index == b.count
  }

  /// An approximation of Firefox's JavaScript validator, which parses the whole body: empty and whitespace
  /// bodies are (empty) scripts; markup (`<` other than an HTML-like `<!--` comment) and parser breakers are
  /// not JavaScript; anything else is taken to be JavaScript. JSON is told apart by `isJSON`.
  static func probablyJavaScript(_ b: [UInt8]) -> Bool {
    let rest = Array(b.drop(while: isWhitespace))
    if rest.isEmpty { return true }
    if rest[0] == 0x3C && !hasPrefix(rest, ascii("<!--")) { return false }
    if hasPrefix(rest, ascii(")]}'")) { return false }
    return true
  }

  /// A small recursive-descent JSON recognizer.
  struct JSONScan {
    let bytes: [UInt8]
    var index = 0

    mutating func skipWhitespace() { while index < bytes.count, Sniff.isWhitespace(bytes[index]) { index += 1 } }

    mutating func literal(_ s: String) -> Bool {
      let l = Array(s.utf8)
      guard Sniff.hasPrefix(Array(bytes[index...]), l) else { return false }
      index += l.count
      return true
    }

    mutating func value(depth: Int = 0) -> Bool {
      guard index < bytes.count, depth < 64 else { return false }
      switch bytes[index] {
      case 0x7B: return object(depth)
      case 0x5B: return array(depth)
      case 0x22: return string()
      case 0x74: return literal("true")
      case 0x66: return literal("false")
      case 0x6E: return literal("null")
      default: return number()
      }
    }

    mutating func object(_ depth: Int) -> Bool {
      index += 1
      skipWhitespace()
      if index < bytes.count, bytes[index] == 0x7D { index += 1; return true }
      while true {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == 0x22, string() else { return false }
        skipWhitespace()
        guard index < bytes.count, bytes[index] == 0x3A else { return false }
        index += 1
        skipWhitespace()
        guard value(depth: depth + 1) else { return false }
        skipWhitespace()
        guard index < bytes.count else { return false }
        if bytes[index] == 0x2C { index += 1; continue }
        if bytes[index] == 0x7D { index += 1; return true }
        return false
      }
    }

    mutating func array(_ depth: Int) -> Bool {
      index += 1
      skipWhitespace()
      if index < bytes.count, bytes[index] == 0x5D { index += 1; return true }
      while true {
        skipWhitespace()
        guard value(depth: depth + 1) else { return false }
        skipWhitespace()
        guard index < bytes.count else { return false }
        if bytes[index] == 0x2C { index += 1; continue }
        if bytes[index] == 0x5D { index += 1; return true }
        return false
      }
    }

    mutating func string() -> Bool {
      index += 1
      while index < bytes.count {
        let c = bytes[index]
        if c == 0x22 { index += 1; return true }
        if c < 0x20 { return false }
        index += c == 0x5C ? 2 : 1
      }
      return false
    }

    mutating func number() -> Bool {
      let start = index
      if index < bytes.count, bytes[index] == 0x2D { index += 1 }
      guard index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 else { return false }
      if bytes[index] == 0x30 { index += 1 } else { while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 } }
      if index < bytes.count, bytes[index] == 0x2E {
        index += 1
        guard index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 else { return false }
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
      }
      if index < bytes.count, bytes[index] == 0x65 || bytes[index] == 0x45 {
        index += 1
        if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D { index += 1 }
        guard index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 else { return false }
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
      }
      return index > start
    }
  }
}
