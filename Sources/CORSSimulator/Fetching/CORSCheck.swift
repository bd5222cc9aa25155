/// Why a CORS check failed, with the engine's classification of the Allow-Origin value.
struct CORSCheckFailure {
  var reason: FailureReason
  /// The header value at fault (as received), if any.
  var value: String?
  /// The header at fault.
  var header: HeaderName
  /// The layers that set the lines of that header.
  var setBy: [String]
}

extension FetchRun {
  /// Decides whether a response may be shared with the request's origin. `serializedOrigin` is the
  /// byte-serialized request origin (`null` when opaque or tainted).
  /// Fetch §4.10 CORS check (#concept-cors-check)
  func corsCheck(credentialsMode: CredentialsMode, serializedOrigin: String, _ response: Response) -> CORSCheckFailure? {
    let headers = response.headerList
    let lineCount = headers.count(of: .accessControlAllowOrigin)
    // The layers that set the lines at fault, for the fix (computed only on failure).
    var setBy: [String] { headers.fields(named: .accessControlAllowOrigin).map { $0.setBy ?? Layer.application }.uniqued() }
    // `repeatedLinesFirst`: duplicate Allow-Origin lines are refused before anything else.
    if profile.allowOriginClassification == .repeatedLinesFirst && lineCount > 1 {
      return CORSCheckFailure(reason: .multipleAllowOrigin, value: headers.get(.accessControlAllowOrigin),
                              header: .accessControlAllowOrigin, setBy: setBy)
    }
    // 1. Let origin be the result of getting `Access-Control-Allow-Origin` from response's header list.
    // 2. If origin is null, then return failure. (Null is not `null`.)
    guard let origin = headers.get(.accessControlAllowOrigin) else {
      return CORSCheckFailure(reason: .missingAllowOrigin, value: nil, header: .accessControlAllowOrigin, setBy: [])
    }
    // 3. If request's credentials mode is not "include" and origin is `*`, then return success.
    if credentialsMode != .include && origin == "*" { return nil }
    // 4. If the result of byte-serializing a request origin with request is not origin, then return failure.
    //    (Compared as bytes: the value and the serialization are equal strings stored apart.)
    if !HTTPSyntax.sameBytes(origin, serializedOrigin) {
      return CORSCheckFailure(reason: classifyAllowOrigin(origin, lineCount: lineCount), value: origin,
                              header: .accessControlAllowOrigin, setBy: setBy)
    }
    // 5. If request's credentials mode is not "include", then return success.
    if credentialsMode != .include { return nil }
    // 6. Let credentials be the result of getting `Access-Control-Allow-Credentials`.
    // 7. If credentials is `true`, then return success. 8. Return failure.
    let credentials = headers.get(.accessControlAllowCredentials)
    if credentials == "true" { return nil }
    return CORSCheckFailure(reason: .missingAllowCredentials, value: credentials ?? "",
                            header: .accessControlAllowCredentials,
                            setBy: headers.fields(named: .accessControlAllowCredentials).map { $0.setBy ?? Layer.application }.uniqued())
  }

  /// Names a failing Allow-Origin value the way the engine's console does. The standard has a single
  /// failure here; the distinction only chooses the reason code and the message.
  func classifyAllowOrigin(_ value: String, lineCount: Int) -> FailureReason {
    if value == "*" { return .wildcardWithCredentials }
    switch profile.allowOriginClassification {
    case .mismatch:
      // The standard has one failure here: the value is not the serialized origin
      // (docs/reference/engine-differences.md §6 rows 15–17).
      return .allowOriginMismatch
    case .spaceOrCommaListOrInvalidURL:
      // A space or comma → multiple; "null" → mismatch; not a valid URL → invalid; else mismatch.
      if value.contains(" ") || value.contains(",") { return .multipleAllowOrigin }
      if value == "null" { return .allowOriginMismatch }
      if (try? URLRecord(value)) == nil { return .invalidAllowOrigin }
      return .allowOriginMismatch
    case .repeatedLinesFirst:
      return lineCount > 1 ? .multipleAllowOrigin : .allowOriginMismatch
    case .commaList:
      return value.contains(",") ? .multipleAllowOrigin : .allowOriginMismatch
    }
  }
}

extension Array where Element: Hashable {
  func uniqued() -> [Element] {
    var seen = Set<Element>()
    return filter { seen.insert($0).inserted }
  }
}
