extension BrowserProfile {
  /// The extra safelist of the profile, as the `extra` hook of `Safelists.isCORSSafelistedRequestHeader`.
  var extraSafelist: ((String, String) -> Bool)? {
    extraSafelistedRequestHeaders ? { ChromiumSafelist.isSafelisted($0, $1) } : nil
  }
}

/// Quirk(chromium): request headers Chromium safelists beyond the standard's five
/// (`services/network/public/cpp/cors/cors.cc`, IsCorsSafelistedHeader).
enum ChromiumSafelist {
  static func isSafelisted(_ name: String, _ value: String) -> Bool {
    // Most names are none of these: rule them out by length before comparing strings.
    switch name.utf8.count {
    case 3, 5, 8, 9, 12, 13, 14: break
    default: return false
    }
    switch name {
    // (Protected Audience's `message/ad-auction-trusted-signals-request` Content-Type is not safelisted in a
    // stock Chromium 156: the conformance run saw a preflight.)
    case "intervention":
      return true
    case "device-memory", "dpr":
      return isDecimal(value)
    case "width", "viewport-width", "rtt":
      return !value.isEmpty && value.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    case "downlink":
      return isDecimal(value)
    case "ect":
      return value == "slow-2g" || value == "2g" || value == "3g" || value == "4g"
    case "save-data":
      return HTTPSyntax.equalsIgnoringASCIICase(value, "on")
    default:
      return false
    }
  }

  /// `1*DIGIT [ "." 1*DIGIT ]`
  static func isDecimal(_ value: String) -> Bool {
    let parts = value.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count <= 2 else { return false }
    return parts.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
  }
}
