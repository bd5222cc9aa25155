/// A JUnit XML report, the format CI systems read test results from (GitLab's `artifacts:reports:junit`,
/// Jenkins, GitHub Actions reporters): `<testsuites>` of `<testsuite>`s of `<testcase>`s, each passing, failing
/// (`<failure>`), in error (`<error>`: it could not be checked) or skipped.
public struct JUnitReport: Sendable {
  /// One test case.
  public struct Case: Sendable {
    /// What a case came to.
    public enum Result: Sendable {
      case passed
      case failed(type: String, message: String, details: String)
      case error(type: String, message: String, details: String)
      case skipped(message: String)
    }
    /// `classname`: where the case belongs (a file, an endpoint).
    public var className: String
    /// `name`.
    public var name: String
    /// The result.
    public var result: Result
    /// Text for `<system-out>` (findings below the failing severity, notes).
    public var output: String?
    /// Seconds.
    public var seconds: Double

    /// A case.
    public init(className: String, name: String, result: Result, output: String? = nil, seconds: Double = 0) {
      self.className = className
      self.name = name
      self.result = result
      self.output = output
      self.seconds = seconds
    }
  }

  /// One suite.
  public struct Suite: Sendable {
    /// `name`.
    public var name: String
    /// The cases.
    public var cases: [Case]
    /// Seconds.
    public var seconds: Double
    /// A suite.
    public init(name: String, cases: [Case], seconds: Double = 0) {
      self.name = name
      self.cases = cases
      self.seconds = seconds
    }
  }

  /// The name of the whole report.
  public var name: String
  /// The suites.
  public var suites: [Suite]

  /// A report.
  public init(name: String, suites: [Suite]) {
    self.name = name
    self.suites = suites
  }

  /// The XML document.
  public var xml: String {
    var out = ""
    write { out += $0 }
    return out
  }

  /// The XML document, handed to `emit` a piece at a time: a case's long output (`corsim run --format junit` of a
  /// file of 10,000 requests) is escaped and handed over in pieces of about 64 KiB rather than copied whole.
  public func write(_ emit: (String) -> Void) {
    func count(_ cases: [Case], _ test: (Case.Result) -> Bool) -> Int { cases.filter { test($0.result) }.count }
    func isFailure(_ r: Case.Result) -> Bool { if case .failed = r { return true } else { return false } }
    func isError(_ r: Case.Result) -> Bool { if case .error = r { return true } else { return false } }
    func isSkipped(_ r: Case.Result) -> Bool { if case .skipped = r { return true } else { return false } }
    let all = suites.flatMap(\.cases)
    var out = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
    out += "<testsuites name=\"\(Self.escape(name))\" tests=\"\(all.count)\" failures=\"\(count(all, isFailure))\" errors=\"\(count(all, isError))\" skipped=\"\(count(all, isSkipped))\" time=\"\(Self.seconds(suites.reduce(0) { $0 + $1.seconds }))\">\n"
    for s in suites {
      out += "  <testsuite name=\"\(Self.escape(s.name))\" tests=\"\(s.cases.count)\" failures=\"\(count(s.cases, isFailure))\" errors=\"\(count(s.cases, isError))\" skipped=\"\(count(s.cases, isSkipped))\" time=\"\(Self.seconds(s.seconds))\">\n"
      for c in s.cases {
        out += "    <testcase classname=\"\(Self.escape(c.className))\" name=\"\(Self.escape(c.name))\" time=\"\(Self.seconds(c.seconds))\""
        let output = c.output.flatMap { $0.isEmpty ? nil : $0 }
        if case .passed = c.result, output == nil {
          out += "/>\n"
          continue
        }
        out += ">\n"
        switch c.result {
        case .passed: break
        case .failed(let type, let message, let details):
          out += "      <failure type=\"\(Self.escape(type))\" message=\"\(Self.escape(message))\">\(Self.escape(details))</failure>\n"
        case .error(let type, let message, let details):
          out += "      <error type=\"\(Self.escape(type))\" message=\"\(Self.escape(message))\">\(Self.escape(details))</error>\n"
        case .skipped(let message):
          out += "      <skipped message=\"\(Self.escape(message))\"/>\n"
        }
        if let output {
          out += "      <system-out>"
          Self.escape(output, into: &out, pieceSize: 1 << 16, emit: emit)
          out += "</system-out>\n"
        }
        out += "    </testcase>\n"
      }
      out += "  </testsuite>\n"
    }
    emit(out + "</testsuites>\n")
  }

  /// Seconds with three decimals: `1.250`.
  static func seconds(_ s: Double) -> String {
    let ms = max(0, Int((s * 1000).rounded()))
    let fraction = String(ms % 1000)
    return "\(ms / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
  }

  /// Text as XML character data or an attribute value: `& < > " '` escaped; characters XML 1.0 cannot hold
  /// (control characters but tab, newline and carriage return) replaced by U+FFFD.
  public static func escape(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    escape(s, into: &out, pieceSize: .max) { _ in }
    return out
  }

  /// `escape(s)` appended to `out`, which is handed to `emit` and emptied whenever it reaches `pieceSize` bytes.
  static func escape(_ s: String, into out: inout String, pieceSize: Int, emit: (String) -> Void) {
    for scalar in s.unicodeScalars {
      if out.utf8.count >= pieceSize {
        emit(out)
        out.removeAll(keepingCapacity: true)
      }
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
      default:
        if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) { out += "\u{FFFD}" } else { out.unicodeScalars.append(scalar) }
      }
    }
  }
}
