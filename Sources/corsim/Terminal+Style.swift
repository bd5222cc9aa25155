import CORSScenario
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum Terminal {
  /// Colour on a terminal, plain text when piped, when NO_COLOR is set (to anything non-empty) or TERM=dumb.
  static func style(fd: Int32 = 1) -> TextStyle {
    if let noColor = getenv("NO_COLOR"), noColor.pointee != 0 { return .plain }
    if let term = getenv("TERM"), String(cString: term) == "dumb" { return .plain }
    return isatty(fd) == 1 ? .ansi : .plain
  }
}
