import CORSSimulator

/// A problem in scenario text, with its place: file, 1-based line and column.
public struct ScenarioDiagnostic: Error, Sendable, Hashable, CustomStringConvertible {
  /// The file, when the text came from one.
  public var file: String?
  /// 1-based line.
  public var line: Int
  /// 1-based column (0 when the whole line is meant).
  public var column: Int
  /// What is wrong and why, with a hint where one helps.
  public var message: String

  /// Creates a diagnostic.
  public init(file: String? = nil, line: Int, column: Int, message: String) {
    self.file = file
    self.line = line
    self.column = column
    self.message = message
  }

  public var description: String {
    let place = (file.map { $0 + ":" } ?? "") + "\(line)" + (column > 0 ? ":\(column)" : "")
    return "\(place): \(message)"
  }
}

/// A word of a command line: its text (quotes removed, escapes applied) and where it starts.
public struct Token: Sendable, Hashable {
  /// The text.
  public var text: String
  /// 1-based column of its first character.
  public var column: Int
  /// True when the word was (partly) quoted, so `#` or `=` in it are literal.
  public var quoted: Bool
  /// True when the word starts with a quote: it is a value as written (a URL, a method), never an option.
  public var startsQuoted = false
}

extension Token {
  /// An option word: `key=value` split at its first `=`, or `key` alone (value nil). `key=` has the value "".
  var option: (key: String, value: String?) {
    guard let eq = text.firstIndex(of: "=") else { return (text, nil) }
    return (String(text[..<eq]), String(text[text.index(after: eq)...]))
  }
}

/// Splits a command line into words. Words are separated by spaces or tabs; `'…'` quotes literally and
/// `"…"` understands `\"`, `\\`, `\n`, `\r`, `\t` and `\xNN` (two hexadecimal digits: one byte of a body,
/// `BodyBytes`). Quotes may start mid-word (`body='a b'`).
enum Lexer {
  static func words(_ line: Substring, lineNumber: Int, file: String? = nil) throws(ScenarioDiagnostic) -> [Token] {
    var tokens: [Token] = []
    var current = ""
    var start = 0
    var quoted = false
    var startsQuoted = false
    var inWord = false
    var column = 0
    // By scalar, not by Character: a combining mark after a quote or an escape's letter would join it into one
    // Character (`n` + U+0742 is not `n`), and `\n` would read back as `n` (found by FuzzImports).
    var iterator = line.unicodeScalars.makeIterator()
    var pending: Unicode.Scalar? = iterator.next()
    func advance() -> Unicode.Scalar? {
      let c = pending
      pending = iterator.next()
      column += 1
      return c
    }
    while let c = pending {
      if c == " " || c == "\t" {
        _ = advance()
        if inWord {
          tokens.append(Token(text: current, column: start, quoted: quoted, startsQuoted: startsQuoted))
          current = ""
          quoted = false
          inWord = false
        }
        continue
      }
      if !inWord {
        inWord = true
        start = column + 1
        startsQuoted = c == "'" || c == "\""
      }
      if c == "'" || c == "\"" {
        let quoteColumn = column + 1
        _ = advance()
        quoted = true
        var closed = false
        while let d = advance() {
          if d == c { closed = true; break }
          if c == "\"" && d == "\\" {
            guard let e = advance() else { break }
            switch e {
            case "x":
              // `\xNN`: one byte (BodyBytes: ASCII as itself, 0x80–0xFF as the code point that carries it).
              let escapeColumn = column - 1
              guard let high = advance(), let low = advance(), let h = hexValue(high), let l = hexValue(low) else {
                throw ScenarioDiagnostic(file: file, line: lineNumber, column: escapeColumn,
                                         message: "\\x must be followed by two hexadecimal digits (\\x00 to \\xFF: one byte of a body)")
              }
              current.unicodeScalars.append(BodyBytes.scalar(forByte: UInt8(h << 4 | l)))
            case "n": current.append("\n")
            case "r": current.append("\r")
            case "t": current.append("\t")
            default: current.unicodeScalars.append(e)
            }
          } else {
            current.unicodeScalars.append(d)
          }
        }
        if !closed {
          throw ScenarioDiagnostic(file: file, line: lineNumber, column: quoteColumn,
                                   message: "the quote \(c) opened here is never closed")
        }
        continue
      }
      current.unicodeScalars.append(advance()!)
    }
    if inWord { tokens.append(Token(text: current, column: start, quoted: quoted, startsQuoted: startsQuoted)) }
    return tokens
  }

  /// The value of a hexadecimal digit (either case).
  static func hexValue(_ c: Unicode.Scalar) -> Int? {
    switch c.value {
    case 0x30...0x39: return Int(c.value - 0x30)
    case 0x41...0x46: return Int(c.value - 0x41 + 10)
    case 0x61...0x66: return Int(c.value - 0x61 + 10)
    default: return nil
    }
  }

  /// The `\xNN` escape of a code point that is written as one: a control character other than tab, line feed
  /// and carriage return (which have their own), DEL, and a code point that carries a raw byte (BodyBytes).
  static func byteEscape(_ c: Unicode.Scalar) -> String? {
    let byte: UInt8
    if let raw = BodyBytes.rawByte(c) {
      byte = raw
    } else if (c.value < 0x20 && c != "\t" && c != "\n" && c != "\r") || c.value == 0x7F {
      byte = UInt8(c.value)
    } else {
      return nil
    }
    let digits = Array("0123456789ABCDEF")
    return "\\x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xF)])
  }

  /// Quotes a word for printing so that `words` reads it back unchanged.
  static func quote(_ s: String) -> String {
    // By scalar, not by Character: "\r\n" is one Character, equal to neither "\r" nor "\n", and would go out
    // raw, breaking the line (found by FuzzImports: a pasted header name with a CRLF in it saved a file that
    // did not load).
    let special: (Unicode.Scalar) -> Bool = {
      $0 == " " || $0 == "\t" || $0 == "'" || $0 == "\"" || $0 == "\\" || $0 == "\n" || $0 == "\r" || byteEscape($0) != nil
    }
    if !s.isEmpty && !s.unicodeScalars.contains(where: special) {
      return s
    }
    var out = "\""
    for c in s.unicodeScalars {
      switch c {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if let escaped = byteEscape(c) { out += escaped } else { out.unicodeScalars.append(c) }
      }
    }
    return out + "\""
  }
}
