/// The history file's text: UTF-8, one entry a line, oldest first. A backslash escapes what could not
/// stand on one line: `\\` for a backslash, `\n`, `\r`, and `\xHH` for any other control character
/// but the tab. Anything else in the file (invalid UTF-8, a raw control byte) means it is damaged.
enum HistoryFileFormat {
  /// The text of a history file holding `entries`.
  static func encode(_ entries: [String]) -> String {
    var text = ""
    for entry in entries {
      for scalar in entry.unicodeScalars {
        switch scalar {
        case "\\": text += "\\\\"
        case "\n": text += "\\n"
        case "\r": text += "\\r"
        case "\t": text.unicodeScalars.append(scalar)
        case _ where scalar.value < 0x20 || scalar.value == 0x7F:
          text += "\\x" + hexByte(UInt8(scalar.value))
        default: text.unicodeScalars.append(scalar)
        }
      }
      text += "\n"
    }
    return text
  }

  /// The entries of a history file, or why the bytes are not one.
  static func decode(_ bytes: [UInt8]) -> Result<[String], HistoryFileDamage> {
    if let damage = damage(in: bytes) { return .failure(damage) }
    var entries: [String] = []
    for rawLine in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
      var line = rawLine[...]
      if line.last == UInt8(ascii: "\r") { line = line.dropLast() }  // a file edited with CRLF endings
      guard !line.isEmpty else { continue }
      entries.append(unescape(String(decoding: line, as: UTF8.self)))
    }
    return .success(entries)
  }

  /// The first thing in `bytes` that a history file cannot hold: invalid UTF-8 or a control byte.
  static func damage(in bytes: [UInt8]) -> HistoryFileDamage? {
    var offset = 0
    var parser = Unicode.UTF8.ForwardParser()
    var iterator = bytes.makeIterator()
    while true {
      switch parser.parseScalar(from: &iterator) {
      case .valid(let encoded):
        if encoded.count == 1 {
          let byte = encoded.first!
          let allowed = byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
          if (byte < 0x20 || byte == 0x7F) && !allowed {
            return HistoryFileDamage(
              reason: "contains a control character (byte 0x\(hexByte(byte)) at offset \(offset))")
          }
        }
        offset += encoded.count
      case .error:
        return HistoryFileDamage(
          reason: "is not UTF-8 text (byte 0x\(hexByte(bytes[offset])) at offset \(offset))")
      case .emptyInput:
        return nil
      }
    }
  }

  private static func unescape(_ line: String) -> String {
    guard line.contains("\\") else { return line }
    var result = String.UnicodeScalarView()
    var scalars = line.unicodeScalars[...]
    while let scalar = scalars.popFirst() {
      guard scalar == "\\", let next = scalars.first else {
        result.append(scalar)
        continue
      }
      switch next {
      case "\\": result.append("\\"); scalars.removeFirst()
      case "n": result.append("\n"); scalars.removeFirst()
      case "r": result.append("\r"); scalars.removeFirst()
      case "x":
        let digits = String(String.UnicodeScalarView(scalars.dropFirst().prefix(2)))
        if digits.count == 2, let value = UInt8(digits, radix: 16) {
          result.append(Unicode.Scalar(value))
          scalars.removeFirst(3)
        } else {
          result.append(scalar)  // not an escape: keep the backslash
        }
      default:
        result.append(scalar)
      }
    }
    return String(result)
  }

  private static func hexByte(_ byte: UInt8) -> String {
    let digits = String(byte, radix: 16, uppercase: true)
    return digits.count == 1 ? "0" + digits : digits
  }
}

/// Why a file's bytes are not a history file ("is not UTF-8 text (byte 0xFF at offset 3)").
struct HistoryFileDamage: Error, Hashable {
  var reason: String
}
