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
    switch name {
    case "content-type":
      // `value` is the parsed essence here: Protected Audience's trusted-signals type is safelisted
      // while feature ProtectedAudienceCorsSafelistKVv2Signals is on (default on).
      return value == "message/ad-auction-trusted-signals-request"
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
