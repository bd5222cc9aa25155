/// A media container: what a demuxer finds a body to be.
public enum MediaContainer: String, Sendable, Hashable, CaseIterable {
  case wave, aiff, midi, avi, ogg, mp3, flac, adts, mp4, webm, matroska

  /// The container a MIME type names (its essence; the engines' tables of supported types), nil for any other.
  init?(essence: String?) {
    switch essence {
    case "audio/wav", "audio/wave", "audio/x-wav", "audio/vnd.wave": self = .wave
    case "audio/aiff", "audio/x-aiff": self = .aiff
    case "audio/midi", "audio/x-midi": self = .midi
    case "video/avi", "video/x-msvideo": self = .avi
    case "application/ogg", "audio/ogg", "video/ogg": self = .ogg
    case "audio/mpeg", "audio/mp3": self = .mp3
    case "audio/flac", "audio/x-flac": self = .flac
    case "audio/aac", "audio/aacp": self = .adts
    case "video/mp4", "audio/mp4", "video/quicktime", "video/3gpp", "audio/x-m4a", "video/x-m4v": self = .mp4
    case "video/webm", "audio/webm": self = .webm
    case "video/x-matroska", "audio/x-matroska": self = .matroska
    default: return nil
    }
  }

  /// The container's name in a sentence.
  var displayName: String {
    switch self {
    case .wave: return "WAVE audio"
    case .aiff: return "AIFF audio"
    case .midi: return "MIDI"
    case .avi: return "an AVI file"
    case .ogg: return "an Ogg file"
    case .mp3: return "MP3 audio"
    case .flac: return "FLAC audio"
    case .adts: return "AAC audio (ADTS)"
    case .mp4: return "an MP4 file"
    case .webm: return "a WebM file"
    case .matroska: return "a Matroska file"
    }
  }

  /// The MIME type a server labels this container with.
  var mediaType: String {
    switch self {
    case .wave: return "audio/wav"
    case .aiff: return "audio/aiff"
    case .midi: return "audio/midi"
    case .avi: return "video/x-msvideo"
    case .ogg: return "audio/ogg"
    case .mp3: return "audio/mpeg"
    case .flac: return "audio/flac"
    case .adts: return "audio/aac"
    case .mp4: return "video/mp4"
    case .webm: return "video/webm"
    case .matroska: return "video/x-matroska"
    }
  }

  /// Whether a demuxer chosen for `self` reads a body that is `actual`: the same container, or WebM and Matroska
  /// (one demuxer reads both in every engine).
  func reads(_ actual: MediaContainer) -> Bool {
    self == actual || (self == .webm && actual == .matroska) || (self == .matroska && actual == .webm)
  }

  /// What the body is, as a demuxer finds it: the container's signature and the structure right after it (a
  /// signature followed by text is no file: every engine fired error for `ID3 …`, `RIFF….WAVE …` and
  /// `….ftypmp42 …` bodies, played 2026-12-06). Nil when it is none of them.
  static func probe(_ b: [UInt8]) -> MediaContainer? {
    let s = Sniff.self
    if s.hasPrefix(b, s.ascii("RIFF")) {
      if s.hasPrefix(b, s.ascii("WAVEfmt "), at: 8) { return .wave }
      if s.hasPrefix(b, s.ascii("AVI LIST"), at: 8) { return .avi }
      return nil
    }
    if s.hasPrefix(b, s.ascii("FORM")) && s.hasPrefix(b, s.ascii("AIFFCOMM"), at: 8) { return .aiff }
    if s.hasPrefix(b, s.ascii("MThd") + [0, 0, 0, 6]) && s.hasPrefix(b, s.ascii("MTrk"), at: 14) { return .midi }
    // An Ogg page: version 0 and the beginning-of-stream flag on the first page.
    if s.hasPrefix(b, s.ascii("OggS") + [0]) && b.count > 5 && b[5] & 0x02 != 0 { return .ogg }
    // FLAC: the STREAMINFO block (type 0, 34 bytes) first.
    if s.hasPrefix(b, s.ascii("fLaC")) && b.count >= 8 && b[4] & 0x7F == 0 && Array(b[5..<8]) == [0, 0, 34] { return .flac }
    if MediaSniffing.id3TagLength(b).map({ MediaSniffing.mp3Frames(b, at: $0) }) == true || MediaSniffing.mp3Frames(b, at: 0) {
      return .mp3
    }
    if MediaSniffing.adtsFrames(b) { return .adts }
    // ISO BMFF: a `ftyp` box whose size leaves room for it, followed by the next box (or the end).
    if s.hasPrefix(b, s.ascii("ftyp"), at: 4) {
      let size = MediaSniffing.bigEndian(b, 0, 4)
      guard size >= 8, size <= b.count else { return nil }
      if size == b.count { return .mp4 }
      guard size + 8 <= b.count else { return nil }
      // The next box: a size that fits (0: to the end, 1: a 64-bit size follows) and a type of letters, digits, spaces.
      let nextSize = MediaSniffing.bigEndian(b, size, 4)
      let letter: (UInt8) -> Bool = { (0x61...0x7A).contains($0) || (0x41...0x5A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x20 }
      guard nextSize <= 1 || (8...(b.count - size)).contains(nextSize) else { return nil }
      return b[(size + 4)..<(size + 8)].allSatisfy(letter) ? .mp4 : nil
    }
    // EBML: the header, then the Segment element.
    if s.hasPrefix(b, [0x1A, 0x45, 0xDF, 0xA3]), let (size, width) = MediaSniffing.ebmlSize(b, at: 4) {
      let end = 4 + width + size
      guard s.hasPrefix(b, [0x18, 0x53, 0x80, 0x67], at: end) else { return nil }
      return MediaSniffing.ebmlDocType(Array(b[(4 + width)..<end])) == Sniff.ascii("webm") ? .webm : .matroska
    }
    return nil
  }
}

/// How a media element finds out what its body is (`BrowserProfile.mediaTypeSniffing`).
public enum MediaTypeSniffing: String, Sendable, Hashable, CaseIterable {
  /// mimesniff's audio or video type pattern matching (mimesniff.bs #matching-an-audio-or-video-type-pattern),
  /// unless the supplied type is XML; when nothing matches, the `Content-Type` (#rules-for-sniffing-audio-and-video-specifically).
  case standard
  /// Firefox's media sniffer table, whatever the `Content-Type` says; when nothing matches, the `Content-Type`.
  case firefox
  /// None: the demuxers probe the bytes and the `Content-Type` is not read.
  case none
  /// The demuxers probe the bytes and the `Content-Type` is not read; when they fail, WebKit's MIME sniffer table
  /// reads the body again and, when it names a type, the player loads the resource once more.
  case webkitAfterFailure
}

/// The engines' tables of audio and video signatures: what each sniffer accepts, as the MIME type it names.
enum MediaSniffing {
  /// mimesniff.bs #matching-an-audio-or-video-type-pattern: AIFF, MP3 with ID3, Ogg, MIDI, AVI, WAVE, then
  /// #signature-for-mp4, #signature-for-webm, #signature-for-mp3-without-id3.
  static func standard(_ b: [UInt8]) -> String? {
    let s = Sniff.self
    if s.hasPrefix(b, s.ascii("FORM")) && s.hasPrefix(b, s.ascii("AIFF"), at: 8) { return "audio/aiff" }
    if s.hasPrefix(b, s.ascii("ID3")) { return "audio/mpeg" }
    if s.hasPrefix(b, s.ascii("OggS") + [0]) { return "application/ogg" }
    if s.hasPrefix(b, s.ascii("MThd") + [0, 0, 0, 6]) { return "audio/midi" }
    if s.hasPrefix(b, s.ascii("RIFF")) && s.hasPrefix(b, s.ascii("AVI "), at: 8) { return "video/avi" }
    if s.hasPrefix(b, s.ascii("RIFF")) && s.hasPrefix(b, s.ascii("WAVE"), at: 8) { return "audio/wave" }
    if mp4Signature(b, brands: { $0.starts(with: Sniff.ascii("mp4")) ? "video/mp4" : nil }) != nil { return "video/mp4" }
    if webmSignature(b) { return "video/webm" }
    // #signature-for-mp3-without-id3, read as the algorithm means it (its text joins the frame-sync test with
    // "and" and swaps the rate tables): a Layer III frame header and a second one a frame later.
    if mp3Frames(b, at: 0) { return "audio/mpeg" }
    return nil
  }

  /// Firefox: toolkit/components/mediasniffer/nsMediaSniffer.cpp GetMIMETypeFromContent — sSnifferEntries (Ogg,
  /// WAVE with MP3 data, WAVE, ID3, FLAC, an HLS playlist), MatchesMP4 (box size a multiple of 4 within the body,
  /// `ftyp`, the major or a compatible brand in sFtypEntries), MatchesWebM (nestegg_sniff: an EBML header of a
  /// WebM or Matroska document), MatchesMP3 (mp3sniff.c: two Layer III frame headers a frame apart, after any
  /// ID3 tag), MatchesADTS. The channel's `Content-Type` is replaced by what it returns
  /// (LOAD_MEDIA_SNIFFER_OVERRIDES_CONTENT_TYPE, dom/html/HTMLMediaElement.cpp ChannelLoader).
  static func firefox(_ b: [UInt8]) -> String? {
    let s = Sniff.self
    if s.hasPrefix(b, s.ascii("OggS") + [0]) { return "application/ogg" }
    if s.hasPrefix(b, s.ascii("RIFF")) && s.hasPrefix(b, s.ascii("WAVE"), at: 8) {
      return b.count >= 22 && b[20] == 0x55 && b[21] == 0 ? "audio/mpeg" : "audio/wav"
    }
    if s.hasPrefix(b, s.ascii("ID3")) { return "audio/mpeg" }
    if s.hasPrefix(b, s.ascii("fLaC")) { return "audio/flac" }
    if s.hasPrefix(b, s.ascii("#EXTM3U")) { return "application/vnd.apple.mpegurl" }
    // MatchesMP4 reads the first 512 bytes (MAX_BYTES_SNIFFED) and needs more than 12.
    let head = Array(b.prefix(512))
    if head.count > 12, let type = mp4Signature(head, brands: firefoxBrand) { return type }
    if s.hasPrefix(head, [0x1A, 0x45, 0xDF, 0xA3]), let (size, width) = ebmlSize(head, at: 4), 4 + width + size <= head.count {
      let docType = ebmlDocType(Array(head[(4 + width)..<(4 + width + size)]))
      if docType == Sniff.ascii("webm") || docType == Sniff.ascii("matroska") { return "video/webm" }
    }
    // MAX_BYTES_SNIFFED_MP3: 320 kbit/s * 144 / 32 kHz + 1 + 4 bytes.
    let mp3Head = Array(b.prefix(320 * 144 / 32 + 1 + 4))
    if id3TagLength(mp3Head).map({ mp3Frames(mp3Head, at: $0) }) == true || mp3Frames(mp3Head, at: 0) { return "audio/mpeg" }
    if adtsFrames(Array(b.prefix(8096))) { return "audio/aac" }
    return nil
  }

  /// nsMediaSniffer.cpp sFtypEntries: the type a brand names (`iso` with media.mp4.sniff_iso_brand, on by
  /// default; `crx` names application/octet-stream and `avif` an image: a match all the same, no media).
  static func firefoxBrand(_ brand: ArraySlice<UInt8>) -> String? {
    let text = String(decoding: brand, as: UTF8.self)
    for (prefix, type) in [("mp4", "video/mp4"), ("avc", "video/mp4"), ("3gp4", "video/mp4"), ("3gp", "video/3gpp"),
                           ("M4V", "video/mp4"), ("M4A", "audio/mp4"), ("M4P", "audio/mp4"), ("qt", "video/quicktime"),
                           ("crx", "application/octet-stream"), ("iso", "video/mp4"), ("mmp4", "video/mp4"),
                           ("avif", "image/avif")] where text.hasPrefix(prefix) {
      return type
    }
    return nil
  }

  /// WebKit: Source/WebCore/platform/graphics/MIMESniffer.cpp getMIMETypeFromContent — the standard's table as
  /// written there: AIFF, ID3, Ogg and WAVE match; the MIDI and AVI rows begin `"\0x4D…"`, `"\0x52…"` (a NUL, then
  /// the text `x4D`), so their pattern and mask differ in length and the rows are skipped; matchMP3Header compares
  /// the second byte with 0xE0 exactly, so no frame header matches and MP3 without ID3 is never found;
  /// hasSignatureForMP4 is the standard's. Observed(webkit): a body that begins with the EBML magic is found
  /// whatever its DocType (`matroska` too: a third request, WebKitGTK 2.50.6), where the source reads `webm`.
  static func webkit(_ b: [UInt8]) -> String? {
    let s = Sniff.self
    if s.hasPrefix(b, s.ascii("FORM")) && s.hasPrefix(b, s.ascii("AIFF"), at: 8) { return "audio/aiff" }
    if s.hasPrefix(b, s.ascii("ID3")) { return "audio/mpeg" }
    if s.hasPrefix(b, s.ascii("OggS") + [0]) { return "application/ogg" }
    if s.hasPrefix(b, s.ascii("RIFF")) && s.hasPrefix(b, s.ascii("WAVE"), at: 8) { return "audio/wave" }
    if mp4Signature(b, brands: { $0.starts(with: Sniff.ascii("mp4")) ? "video/mp4" : nil }) != nil { return "video/mp4" }
    if s.hasPrefix(b, [0x1A, 0x45, 0xDF, 0xA3]) { return "video/webm" }
    return nil
  }

  /// Chromium: net/base/mime_sniffer.cc SniffMimeTypeFromLocalData, its audio and video rows (kMagicNumbers:
  /// `ID3`, the EBML magic; kExtraMagicNumbers: `RIFF....WAVEfmt `, `RIFF....AVI LIST`, `OggS\0`, MPEG video, any
  /// MPEG audio frame sync `FF E0/E0`, `....ftyp3g`, `....ftypavcl`, `....ftyp`, `....moov`, FLV, `fLaC`,
  /// `#!AMR\n`), which ORB's step 7 reads (services/network/orb/orb_impl.cc Sniff, IsAudioOrVideoMimeType).
  static func chromium(_ b: [UInt8]) -> String? {
    let s = Sniff.self
    if s.hasPrefix(b, s.ascii("ID3")) { return "audio/mpeg" }
    if s.hasPrefix(b, [0x1A, 0x45, 0xDF, 0xA3]) { return "video/webm" }
    if s.hasPrefix(b, s.ascii("RIFF")) && s.hasPrefix(b, s.ascii("WAVEfmt "), at: 8) { return "audio/wav" }
    if s.hasPrefix(b, s.ascii("RIFF")) && s.hasPrefix(b, s.ascii("AVI LIST"), at: 8) { return "video/avi" }
    if s.hasPrefix(b, s.ascii("OggS") + [0]) { return "audio/ogg" }
    if b.count >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 1 && b[3] & 0xF0 == 0xB0 { return "video/mpeg" }
    if b.count >= 2 && b[0] == 0xFF && b[1] & 0xE0 == 0xE0 { return "audio/mpeg" }
    if s.hasPrefix(b, s.ascii("ftyp"), at: 4) { return "video/mp4" }
    if s.hasPrefix(b, s.ascii("moov"), at: 4) { return "video/quicktime" }
    if s.hasPrefix(b, s.ascii("FLV")) { return "video/x-flv" }
    if s.hasPrefix(b, s.ascii("fLaC")) { return "audio/x-flac" }
    if s.hasPrefix(b, s.ascii("#!AMR\n")) { return "audio/amr" }
    return nil
  }

  // MARK: The signatures the tables share

  static func bigEndian(_ b: [UInt8], _ offset: Int, _ count: Int) -> Int {
    b[offset..<(offset + count)].reduce(0) { $0 << 8 | Int($1) }
  }

  /// mimesniff.bs #signature-for-mp4 (nsMediaSniffer.cpp MatchesMP4 alike): at least 12 bytes, a box size that
  /// is a multiple of 4 and within the body, `ftyp`, then the major brand (bytes 8–11) and the compatible
  /// brands from byte 16 to the box's end; `brands` names the type a brand stands for.
  static func mp4Signature(_ b: [UInt8], brands: (ArraySlice<UInt8>) -> String?) -> String? {
    guard b.count >= 12 else { return nil }
    let size = bigEndian(b, 0, 4)
    guard size % 4 == 0, size <= b.count, Sniff.hasPrefix(b, Sniff.ascii("ftyp"), at: 4) else { return nil }
    if let type = brands(b[8..<12]) { return type }
    var read = 16
    while read + 4 <= size {
      if let type = brands(b[read..<(read + 4)]) { return type }
      read += 4
    }
    return nil
  }

  /// mimesniff.bs #signature-for-webm: the EBML magic, then within the first 38 bytes a DocType element
  /// (0x42 0x82) whose value, after any 0x00 padding, begins `webm`.
  static func webmSignature(_ b: [UInt8]) -> Bool {
    guard Sniff.hasPrefix(b, [0x1A, 0x45, 0xDF, 0xA3]) else { return false }
    var i = 4
    while i + 1 < b.count && i < 38 {
      if b[i] == 0x42 && b[i + 1] == 0x82, let (_, width) = ebmlSize(b, at: i + 2) {
        var j = i + 2 + width
        while j < b.count && b[j] == 0 { j += 1 }
        if Sniff.hasPrefix(b, Sniff.ascii("webm"), at: j) { return true }
      }
      i += 1
    }
    return false
  }

  /// An EBML variable-size integer at `offset`: its value and its width in bytes (nil when it does not fit).
  static func ebmlSize(_ b: [UInt8], at offset: Int) -> (Int, Int)? {
    guard offset < b.count, b[offset] != 0 else { return nil }
    let width = b[offset].leadingZeroBitCount + 1
    guard offset + width <= b.count else { return nil }
    var value = Int(b[offset]) & (0xFF >> width)
    for k in 1..<width { value = value << 8 | Int(b[offset + k]) }
    return (value, width)
  }

  /// The DocType (0x42 0x82) of an EBML header's payload, nil when it has none.
  static func ebmlDocType(_ header: [UInt8]) -> [UInt8]? {
    var i = 0
    while i < header.count {
      // Element IDs here are one or two bytes (0x42xx, 0xEC padding).
      let idWidth = header[i] & 0x80 != 0 ? 1 : 2
      guard let (size, width) = ebmlSize(header, at: i + idWidth) else { return nil }
      let start = i + idWidth + width
      guard start + size <= header.count else { return nil }
      if idWidth == 2 && header[i] == 0x42 && header[i + 1] == 0x82 { return Array(header[start..<(start + size)]) }
      i = start + size
    }
    return nil
  }

  /// The length of an ID3v2 tag at the start (10-byte header plus its syncsafe size), nil when there is none
  /// (mp3sniff.c is_id3, id3_framesize).
  static func id3TagLength(_ b: [UInt8]) -> Int? {
    guard b.count >= 10, Sniff.hasPrefix(b, Sniff.ascii("ID3")), b[3] != 0xFF, b[4] != 0xFF,
          b[6] & 0x80 == 0, b[7] & 0x80 == 0, b[8] & 0x80 == 0 else { return nil }
    return 10 + (Int(b[6]) << 21 | Int(b[7]) << 14 | Int(b[8]) << 7 | Int(b[9]))
  }

  /// The length of the MPEG audio Layer III frame whose header is at `offset`, nil when there is none
  /// (mp3sniff.c is_mp3, mp3_parse, mp3_framesize: version 1 scales by 144, versions 2 and 2.5 by 72).
  static func mp3FrameLength(_ b: [UInt8], at offset: Int) -> Int? {
    guard offset >= 0, offset + 4 <= b.count, b[offset] == 0xFF, b[offset + 1] & 0xE0 == 0xE0 else { return nil }
    let version = Int(b[offset + 1] & 0x18) >> 3
    let layer = Int(b[offset + 1] & 0x06) >> 1
    let bitrateIndex = Int(b[offset + 2] & 0xF0) >> 4
    let rateIndex = Int(b[offset + 2] & 0x0C) >> 2
    guard layer == 1, bitrateIndex != 15, rateIndex != 3 else { return nil }
    // Version bits: 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5 (1 is reserved; mp3sniff.c reads it as MPEG-1's tables).
    let v1 = [0, 32000, 40000, 48000, 56000, 64000, 80000, 96000, 112000, 128000, 160000, 192000, 224000, 256000, 320000]
    let v2 = [0, 8000, 16000, 24000, 32000, 40000, 48000, 56000, 64000, 80000, 96000, 112000, 128000, 144000, 160000]
    let odd = version & 1 != 0
    let bitrate = odd ? v1[bitrateIndex] : v2[bitrateIndex]
    let frequency = [44100, 48000, 32000][rateIndex] >> (version == 2 ? 1 : version == 0 ? 2 : 0)
    let length = bitrate * (odd ? 144 : 72) / frequency + (Int(b[offset + 2] & 0x02) >> 1)
    return length >= 4 ? length : nil
  }

  /// Two Layer III frame headers a frame apart from `offset`, with room for the second header (mp3sniff.c
  /// mp3_sniff: `skip + 4 >= avail` fails).
  static func mp3Frames(_ b: [UInt8], at offset: Int) -> Bool {
    guard let length = mp3FrameLength(b, at: offset), offset + length + 4 < b.count else { return false }
    return mp3FrameLength(b, at: offset + length) != nil
  }

  /// Two ADTS headers (a 12-bit sync, layer 0) a frame apart, the frame length from bits 30–42 of the first.
  static func adtsFrames(_ b: [UInt8]) -> Bool {
    func header(_ i: Int) -> Int? {
      guard i + 7 <= b.count, b[i] == 0xFF, b[i + 1] & 0xF6 == 0xF0 else { return nil }
      let length = (Int(b[i + 3] & 0x03) << 11) | (Int(b[i + 4]) << 3) | (Int(b[i + 5]) >> 5)
      return length >= 7 ? length : nil
    }
    guard let first = header(0) else { return false }
    return header(first) != nil
  }
}
