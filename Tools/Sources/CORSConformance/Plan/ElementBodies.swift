import CORSScenario
import CORSSimulator
import Foundation

/// The bodies the harness serves for element loads whose route has none.
///
/// A scenario route often has no body: the simulator decides on the status and header lines alone, and
/// does not model whether the bytes decode. A real element does: an `<img>` whose bytes are no image fires
/// `error`, so does a font that does not parse or media with no media in it. So when a route that answers
/// an element load (2xx, not 204/205, with no body or an empty one) has nothing to serve, the harness serves
/// a minimal valid resource of the loading element's kind, in the format the route's `Content-Type` names
/// where there is a choice (a GIF for `image/gif`, an SVG for `image/svg+xml`, else a PNG). The header lines
/// stay exactly as written; only the body is filled in. A route with a body of its own keeps it (an
/// integrity hash is computed over it).
///
/// Classic scripts get a syntax error rather than an empty body: the element still fires `load`, and the
/// message `window.onerror` receives tells a CORS-same-origin script (the SyntaxError) from an opaque one
/// (`Script error.`, muted errors). Module scripts get a comment, stylesheets one rule.
public enum ElementBodies {
  /// A 1×1 transparent PNG.
  static let png = bytes(base64: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
  /// A 1×1 GIF.
  static let gif = bytes(base64: "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
  /// A 1×1 SVG image.
  static let svg = Array(#"<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>"#.utf8)
  /// The classic script body: a syntax error. The element still fires `load`, and the message
  /// `window.onerror` receives tells a CORS-same-origin script (the SyntaxError) from an opaque one
  /// (`Script error.`). Errors thrown at run time would not tell in Firefox, which does not mute them
  /// (whatwg/html#2440); syntax errors are muted in all three engines.
  public static let script = Array("/* corsim-probe: a syntax error */ (".utf8)
  /// The module script body: a module is always CORS, so it only has to run.
  public static let module = Array("/* corsim-probe */".utf8)
  /// The stylesheet body: one rule.
  static let style = Array(".corsim-probe{}".utf8)
  /// A 644-byte TrueType font (family `corsim`, glyphs `.notdef` and `a`; made with fontTools' FontBuilder).
  /// Engines sniff the font format from its first bytes (OTS), whatever the `Content-Type` says (`font/woff2`).
  static let font = bytes(base64: """
    AAEAAAAKAIAAAwAgT1MvMkVARLkAAAEoAAAAYGNtYXAADAC0AAABkAAAADRnbHlmSfZmEAAAAcwAAAAwaGVhZC9jCJwAAACsAAAANmhoZWEF\
    FgEuAAAA5AAAACRobXR4AfQAAAAAAYgAAAAGbG9jYQAYAAwAAAHEAAAABm1heHAABAAGAAABCAAAACBuYW1lBqc4lgAAAfwAAABdcG9zdABI\
    AAAAAAJcAAAAJgABAAAAAQAADCLAwF8PPPUAAwPoAAAAAOcsYuQAAAAA5yxi5AAAAAAB9AH0AAAAAwACAAAAAAAAAAEAAAMg/zgAAAH0AAAA\
    AAH0AAEAAAAAAAAAAAAAAAAAAAABAAEAAAACAAQAAQAAAAAAAgAAAAAAAAAAAAAAAAAAAAAAAwH0AZAABQAEAAAAAAAAAAAAAAAAAAAAAAAA\
    AAAAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAAAAPz8/PwAAAGEAYQMgAAAAAAMgAMgAAAAAAAAAAAAAAAAAAAAgAAAB9AAAAAAAAAAAAAIA\
    AAADAAAAFAADAAEAAAAUAAQAIAAAAAQABAABAAAAYf//AAAAYf///6AAAQAAAAAAAAAMABgAAAABAAAAAAH0AfQAAwAAMREhEQH0AfT+DAAB\
    AAAAAAH0AfQAAwAAMREhEQH0AfT+DAAAAAQANgABAAAAAAABAAYAAAABAAAAAAACAAcABgADAAEECQABAAwADQADAAEECQACAA4AGWNvcnNp\
    bVJlZ3VsYXIAYwBvAHIAcwBpAG0AUgBlAGcAdQBsAGEAcgAAAAACAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAIAAABEAAA=
    """)
  /// A WAV file: 0.1 s of 8-bit mono silence at 8 kHz (RIFF header, `fmt ` and `data` chunks).
  static let wav: [UInt8] = {
    let samples = 800
    func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }
    func le16(_ v: Int) -> [UInt8] { (0..<2).map { UInt8((v >> (8 * $0)) & 0xFF) } }
    var out = Array("RIFF".utf8) + le32(36 + samples) + Array("WAVE".utf8)
    out += Array("fmt ".utf8) + le32(16) + le16(1) + le16(1) + le32(8000) + le32(8000) + le16(1) + le16(8)
    out += Array("data".utf8) + le32(samples) + [UInt8](repeating: 0x80, count: samples)
    return out
  }()

  /// The body for an element of `kind` whose route's `Content-Type` is `contentType` (nil: none).
  public static func body(for kind: ElementKind, contentType: String?) -> [UInt8] {
    let essence = contentType.flatMap { MIMEType.parse($0) }.map(\.essence)
    switch kind {
    case .image:
      if essence == "image/gif" { return gif }
      if essence == "image/svg+xml" { return svg }
      return png
    case .script: return script
    case .module: return module
    case .style: return style
    case .font: return font
    case .audio, .video: return wav
    }
  }

  /// What to do with a route's own body for an element of `kind`.
  public enum Judgement: Sendable, Hashable {
    /// Serve it: it is a script or a stylesheet (which fire `load` even when they do not parse), a font by its
    /// first bytes, or audio or video (always served as written).
    case keep
    /// Serve this whole resource instead: the body begins like an image of that format (GIF, PNG) or is an SVG
    /// for an `image/svg+xml` route, written for sniffing rather than decoding.
    case complete([UInt8])
    /// The body is no resource of that kind at all (what it is not): it is served as written, and the element
    /// fires `error`, which the simulator predicts from the body's leading bytes.
    case undecodable(String)
  }

  /// Judges a route's own, non-empty body for an element of `kind`.
  public static func judge(_ body: [UInt8], for kind: ElementKind, contentType: String?) -> Judgement {
    let essence = contentType.flatMap { MIMEType.parse($0) }.map(\.essence)
    func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
      body.count >= offset + prefix.count && Array(body[offset..<offset + prefix.count]) == prefix
    }
    switch kind {
    case .script, .module, .style:
      return .keep
    case .image:
      if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .complete(gif) }
      if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .complete(png) }
      if essence == "image/svg+xml" || String(decoding: body, as: UTF8.self).contains("<svg") { return .complete(svg) }
      return .undecodable("not an image")
    case .audio, .video:
      // Served as written, byte for byte: what a media element plays is the engine's sniffing table and its
      // demuxers' business (MediaSniffing in the simulator), so a scenario that means a playable file writes
      // the whole file (`\xNN` bytes), and one that begins like media but is not (`ID3 …`, `RIFF….WAVE` and
      // text) fires error in every engine (played 2026-12-06).
      return .keep
    case .font:
      if starts([0, 1, 0, 0]) || starts(Array("OTTO".utf8)) || starts(Array("wOFF".utf8)) || starts(Array("wOF2".utf8))
        || starts(Array("true".utf8)) { return .keep }
      return .undecodable("not a font")
    }
  }

  static func bytes(base64: String) -> [UInt8] { Array(Data(base64Encoded: base64) ?? Data()) }
}
