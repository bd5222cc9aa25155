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
    // Most names are none of these: the length picks the one or few names to compare (a name of another length is
    // none of them), so a name costs at most three string comparisons.
    // (Protected Audience's `message/ad-auction-trusted-signals-request` Content-Type is not safelisted in a
    // stock Chromium 156: the conformance run saw a preflight. No Content-Type is listed here.)
    switch name.utf8.count {
    case 12:
      return name == "intervention"
    case 13:
      return name == "device-memory" && isDecimal(value)
    case 3:
      if name == "dpr" { return isDecimal(value) }
      if name == "rtt" { return HTTPSyntax.isDigits(value) }
      if name == "ect" { return value == "slow-2g" || value == "2g" || value == "3g" || value == "4g" }
      return false
    case 5:
      return name == "width" && HTTPSyntax.isDigits(value)
    case 14:
      return name == "viewport-width" && HTTPSyntax.isDigits(value)
    case 8:
      return name == "downlink" && isDecimal(value)
    case 9:
      return name == "save-data" && HTTPSyntax.equalsIgnoringASCIICase(value, "on")
    default:
      return false
    }
  }

  /// `1*DIGIT [ "." 1*DIGIT ]`
  static func isDecimal(_ value: String) -> Bool {
    let parts = value.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count <= 2 else { return false }
    return parts.allSatisfy { HTTPSyntax.isDigits($0) }
  }
}
