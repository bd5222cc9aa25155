import CORSScenario
import CORSSimulator
import Testing

/// The decision points of the Fetch standard's CORS rules (the tables of docs/reference/cors-rules.md §15, one
/// row each) and what in a verdict shows that a scenario reached that point. The test below runs the whole `Spec/`
/// corpus, with traces, in all four profiles and requires every reachable row to be reached by at least one
/// file: the corpus pins every rule, not only the ones someone remembered.
///
/// A few rows cannot arise from what a page does here — `fetch()`, `XMLHttpRequest` and element loads
/// (`load image|script|…`); they say why, and stay out of the count.
enum DecisionPoints {
  enum Evidence {
    /// A failure with this reason code, at one of these stages (any stage when empty).
    case failure(FailureReason, [Stage])
    /// A trace step with this note.
    case traced(TraceNote)
    /// Something more particular.
    case verdict(@Sendable (Verdict) -> Bool)
    /// Cannot happen for a page's fetch() or XHR.
    case unreachable(String)
  }

  static func failure(_ reason: FailureReason, _ stages: Stage...) -> Evidence { .failure(reason, stages) }

  static func traced(_ v: Verdict, _ note: TraceNote) -> Bool {
    v.trace.contains { $0.event == .note(note) }
  }

  /// Index of the first trace step with this note after `start`, if any.
  static func position(_ v: Verdict, _ note: TraceNote, after start: Int = -1) -> Int? {
    v.trace.indices.first { $0 > start && v.trace[$0].event == .note(note) }
  }

  static let allowOriginFamily: [FailureReason] = [.missingAllowOrigin, .multipleAllowOrigin, .invalidAllowOrigin,
                                            .allowOriginMismatch, .wildcardWithCredentials, .missingAllowCredentials]

  /// The rows of docs/reference/cors-rules.md §15, in its order.
  static let rows: [(code: String, evidence: Evidence)] = [
    // §15.1 Request construction and API
    ("webidl-conversion-failed", failure(.webidlConversionFailed, .request)),
    ("url-parse-failed", failure(.urlParseFailed, .request)),
    ("url-has-credentials", failure(.urlHasCredentials, .request)),
    ("window-not-null", failure(.windowNotNull, .request)),
    ("referrer-invalid", failure(.referrerInvalid, .request)),
    ("referrer-reset-to-client", .traced(.referrerResetToClient)),
    ("mode-navigate-forbidden", failure(.modeNavigateForbidden, .request)),
    ("only-if-cached-needs-same-origin", failure(.onlyIfCachedNeedsSameOrigin, .request)),
    ("method-invalid", failure(.methodInvalid, .request)),
    ("method-forbidden", failure(.methodForbidden, .request)),
    ("method-normalized", .traced(.methodNormalized)),
    ("no-cors-method-not-safelisted", failure(.noCORSMethodNotSafelisted, .request)),
    ("header-name-invalid", failure(.headerNameInvalid, .request)),
    ("header-value-invalid", failure(.headerValueInvalid, .request)),
    ("header-forbidden-dropped", .traced(.headerForbiddenDropped)),
    ("header-dropped-no-cors", .traced(.headerDroppedNoCORS)),
    ("range-dropped-no-cors", .traced(.rangeDroppedNoCORS)),
    ("headers-immutable", .unreachable(
      "mutating a fetched Response's headers happens after the verdict; the simulator decides what the script can read")),
    ("body-with-get-or-head", failure(.bodyWithGetOrHead, .request)),
    ("stream-body-invalid", failure(.streamBodyInvalid, .request)),
    ("stream-body-needs-duplex", failure(.streamBodyNeedsDuplex, .request)),
    ("stream-body-needs-cors", failure(.streamBodyNeedsCORS, .request)),
    ("body-unusable", .unreachable(
      "needs a Request object whose body was already read passed to fetch(); scenarios describe calls from scratch")),
    ("content-type-from-body", .traced(.contentTypeFromBody)),
    ("xhr-invalid-state", .unreachable(
      "a scenario's XHR calls open, setRequestHeader and send in their one valid order")),
    ("xhr-sync-restrictions", failure(.xhrSyncRestrictions, .request)),
    ("xhr-header-combined", .traced(.xhrHeaderCombined)),
    ("forced-preflight-upload-listeners", .traced(.forcedPreflightUploadListeners)),
    ("forced-preflight-stream-body", .traced(.forcedPreflightStreamBody)),
    ("request-origin-opaque", .traced(.requestOriginOpaque)),
    ("origin-header-null-by-referrer-policy", .traced(.originHeaderNullByReferrerPolicy)),
    ("origin-header-omitted", .traced(.originHeaderOmitted)),
    // §15.2 Pre-network policy checks
    ("local-urls-only", .unreachable(
      "the local-URLs-only flag is set by navigations and service workers, never by fetch() or XHR")),
    ("uir-upgraded", .traced(.uirUpgraded)),
        ("mixed-content-upgraded", .traced(.mixedContentUpgraded)),
    ("bad-port", failure(.badPort, .request)),
    ("mixed-content-blocked", failure(.mixedContentBlocked, .mixedContent)),
    ("csp-blocked", failure(.cspBlocked, .request)),
        ("integrity-policy-blocked", failure(.integrityPolicyBlocked, .request)),
    ("hsts-upgraded", .traced(.hstsUpgraded)),
    ("lna-insecure-context", failure(.lnaInsecureContext, .request)),
    ("lna-permission-denied", failure(.lnaPermissionDenied, .request)),
    ("lna-address-space-mismatch", failure(.lnaAddressSpaceMismatch, .request)),
    // §15.3 Branch selection and scheme fetch
    ("tainting-basic", .traced(.taintingBasic)),
    ("same-origin-mode-violation", failure(.disallowedByMode, .scheme)),
    ("no-cors-redirect-mode-not-follow", failure(.noCORSRedirectMode, .scheme)),
    ("tainting-opaque", .traced(.taintingOpaque)),
    ("cors-scheme-not-supported", .verdict { v in
      v.reason == .unsupportedScheme && traced(v, .taintingCORS) == false && v.failure?.detail.url.scheme != "file"
        && !traced(v, .taintingOpaque)
    }),
    ("tainting-cors", .traced(.taintingCORS)),
    ("cors-simple-request", .traced(.corsSimpleRequest)),
    ("preflight-required-method", .traced(.preflightRequiredMethod)),
    ("preflight-required-headers", .traced(.preflightRequiredHeaders)),
    ("preflight-forced", .traced(.preflightForced)),
    ("preflight-cache-hit", .traced(.preflightCacheHit)),
    ("about-not-blank", failure(.aboutNotBlank, .scheme)),
    ("blob-invalid", failure(.blobInvalid, .scheme)),
    ("blob-range-invalid", .unreachable(
      "needs a live Blob URL and a Range header; the simulator has no blob URL store, so every blob: URL is blob-invalid")),
    ("data-url-invalid", failure(.dataURLInvalid, .scheme)),
    ("file-scheme-unsupported", .verdict { $0.reason == .unsupportedScheme && $0.failure?.detail.url.scheme == "file" }),
    ("scheme-unsupported", .verdict { v in
      v.reason == .unsupportedScheme && v.failure?.detail.url.scheme != "file" && traced(v, .taintingOpaque)
    }),
    ("network-failure", .verdict { $0.reason == .requestFailed && $0.stage != .preflight }),
    ("keepalive-quota-exceeded", failure(.keepaliveQuotaExceeded, .request)),
    ("credentials-excluded", .traced(.credentialsExcluded)),
    // §15.4 Preflight
    ("preflight-network-failure", failure(.requestFailed, .preflight)),
    ("preflight-allow-origin-missing", failure(.missingAllowOrigin, .preflight)),
    ("preflight-allow-origin-multiple", failure(.multipleAllowOrigin, .preflight)),
    ("preflight-allow-origin-mismatch", failure(.allowOriginMismatch, .preflight)),
    ("preflight-wildcard-with-credentials", failure(.wildcardWithCredentials, .preflight)),
    ("preflight-allow-credentials-not-true", failure(.missingAllowCredentials, .preflight)),
    ("preflight-status-not-ok", failure(.preflightNotOK, .preflight)),
    ("preflight-redirect-disallowed", failure(.preflightRedirect, .preflight)),
    ("preflight-allow-methods-invalid", failure(.invalidAllowMethods, .preflight)),
    ("preflight-allow-headers-invalid", failure(.invalidAllowHeaders, .preflight)),
    ("preflight-method-not-allowed", failure(.methodNotAllowed, .preflight)),
    ("preflight-wildcard-ignored-credentials", .traced(.preflightWildcardIgnoredCredentials)),
    ("preflight-authorization-not-allowed", .verdict {
      $0.reason == .authorizationNotCoveredByWildcard
        || ($0.reason == .headerNotAllowed && $0.failure?.detail.parameter?.lowercased() == "authorization")
    }),
    ("preflight-header-not-allowed", failure(.headerNotAllowed, .preflight)),
    ("preflight-max-age-defaulted", .traced(.preflightMaxAgeDefaulted)),
    ("preflight-max-age-capped", .traced(.preflightMaxAgeCapped)),
    ("preflight-cache-stored", .traced(.preflightCacheStored)),
    ("preflight-cache-cleared", .traced(.preflightCacheCleared)),
    // §15.5 Redirects
    ("redirect-cors-check-failed", .verdict { v in v.stage == .redirect && allowOriginFamily.contains { $0 == v.reason } }),
    ("redirect-mode-error", failure(.redirectModeError, .redirect)),
    ("redirect-manual-opaque", .traced(.redirectManualOpaque)),
    ("redirect-no-location", .traced(.redirectNoLocation)),
    ("redirect-location-invalid", failure(.redirectLocationInvalid, .redirect)),
    ("redirect-scheme-not-http", failure(.redirectBadScheme, .redirect)),
    ("redirect-limit-exceeded", failure(.tooManyRedirects, .redirect)),
    ("redirect-credentials-in-url", failure(.redirectWithCredentials, .redirect)),
    ("redirect-body-not-replayable", failure(.redirectBodyNotReplayable, .redirect)),
    ("redirect-method-rewritten", .traced(.redirectMethodRewritten)),
    ("redirect-authorization-dropped", .traced(.redirectAuthorizationDropped)),
    ("redirect-origin-tainted", .traced(.redirectOriginTainted)),
    ("redirect-tainting-upgraded", .verdict { v in
      // Basic on the first hop, then a redirect, then cors or opaque tainting.
      guard let basic = position(v, .taintingBasic), let hop = position(v, .redirectFollowed, after: basic) else { return false }
      return position(v, .taintingCORS, after: hop) != nil || position(v, .taintingOpaque, after: hop) != nil
    }),
    ("redirect-needs-preflight", .traced(.redirectNeedsPreflight)),
    ("redirect-mixed-content", .verdict { $0.reason == .mixedContentBlocked && traced($0, .redirectFollowed) }),
    // §15.6 Response
    ("cors-allow-origin-missing", failure(.missingAllowOrigin, .response)),
    ("cors-allow-origin-multiple", failure(.multipleAllowOrigin, .response)),
    ("cors-allow-origin-mismatch", failure(.allowOriginMismatch, .response)),
    ("cors-wildcard-with-credentials", failure(.wildcardWithCredentials, .response)),
    ("cors-allow-credentials-not-true", failure(.missingAllowCredentials, .response)),
    ("corp-blocked", failure(.corpBlocked, .response)),
        ("orb-blocked", failure(.orbBlocked, .response)),
    ("mixed-content-response-blocked", .unreachable(
      "the response's URL is the request's last URL, already checked before it was fetched; only a service worker can answer with another")),
    ("csp-response-blocked", .unreachable(
      "CSP's response checks concern navigations and workers (frame-ancestors, script hashes); connect-src is checked on every request")),
        ("mime-type-blocked", failure(.mimeTypeBlocked, .response)),
        ("nosniff-blocked", failure(.nosniffBlocked, .response)),
    ("opaque-range-not-requested", .unreachable(
      "needs a service worker answering a request without Range with a ranged opaque response")),
    ("integrity-mismatch", failure(.integrityMismatch, .response)),
    ("filtered-basic", .traced(.filteredBasic)),
    ("filtered-cors", .traced(.filteredCORS)),
    ("expose-headers-wildcard", .traced(.exposeHeadersWildcard)),
    ("expose-headers-invalid", .traced(.exposeHeadersInvalid)),
    ("filtered-opaque", .traced(.filteredOpaque)),
    ("null-body-status", .traced(.nullBodyStatus)),
    ("cookies-stored-despite-cors-failure", .traced(.cookiesStoredDespiteCORSFailure)),
  ]

  static func reached(_ evidence: Evidence, by v: Verdict) -> Bool {
    switch evidence {
    case .failure(let reason, let stages):
      return v.reason == reason && (stages.isEmpty || stages.contains { $0 == v.stage })
    case .traced(let note): return traced(v, note)
    case .verdict(let predicate): return predicate(v)
    case .unreachable: return false
    }
  }
}

@Suite("Spec/ reaches every decision point of the standard")
struct DecisionPointTests {
  /// The rows of the tables of docs/reference/cors-rules.md §15: (decision point, stage, "in a verdict").
  static func documentedRows() -> [(code: String, stage: String, shownBy: String)] {
    guard let text = try? String(contentsOfFile: packageRoot() + "/docs/reference/cors-rules.md", encoding: .utf8),
          let start = text.range(of: "\n## 15. "), let end = text.range(of: "\n## 16. ") else { return [] }
    return text[start.upperBound..<end.lowerBound].split(separator: "\n").compactMap { line in
      let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
      guard cells.count == 8, cells[1].hasPrefix("`"), cells[1].hasSuffix("`") else { return nil }
      return (String(cells[1].dropFirst().dropLast()), cells[2], cells[6])
    }
  }

  @Test("the table is the one in docs/reference/cors-rules.md §15: the same 116 rows, in order, each shown as documented")
  func table() {
    #expect(DecisionPoints.rows.count == 116)
    #expect(Set(DecisionPoints.rows.map(\.code)).count == DecisionPoints.rows.count)
    let documented = Self.documentedRows()
    #expect(documented.map(\.code) == DecisionPoints.rows.map(\.code))
    for ((code, evidence), row) in zip(DecisionPoints.rows, documented) {
      switch evidence {
      case .failure(let reason, let stages):
        #expect(row.shownBy.contains("`\(reason.rawValue)`"), "\(code): the notes show it by \(row.shownBy)")
        #expect(stages.map(\.rawValue) == [row.stage], "\(code): stage \(row.stage) in the notes")
      case .traced(let reason):
        #expect(row.shownBy == "trace `\(reason.rawValue)`", "\(code): the notes show it by \(row.shownBy)")
      case .verdict:
        #expect(!row.shownBy.hasPrefix("—") && (FailureReason.allCases.map(\.rawValue) + TraceNote.allCases.map(\.rawValue))
                  .contains { row.shownBy.contains("`\($0)`") },
                "\(code): the notes show it by \(row.shownBy)")
      case .unreachable:
        #expect(row.shownBy.hasPrefix("—"), "\(code) is unreachable, the notes say \(row.shownBy)")
      }
    }
  }

  @Test("every reachable decision point is reached by some Spec file in some profile")
  func coverage() {
    var verdicts: [Verdict] = []
    for file in SpecCorpusTests.corpus {
      for engine in Engine.allWithSpec {
        verdicts += ScenarioRunner.run(file.document.scenario, profile: .forEngine(engine), trace: true)
      }
    }
    var missing: [String] = []
    for (code, evidence) in DecisionPoints.rows {
      if case .unreachable = evidence { continue }
      if !verdicts.contains(where: { DecisionPoints.reached(evidence, by: $0) }) { missing.append(code) }
    }
    #expect(missing.isEmpty, "no Spec file reaches: \(missing.joined(separator: ", "))")
  }

  @Test("every failure reason code is reached by some Spec file")
  func failureCodes() {
    var reasons = Set<FailureReason>()
    for file in SpecCorpusTests.corpus {
      for engine in Engine.allWithSpec {
        for v in ScenarioRunner.run(file.document.scenario, profile: .forEngine(engine), trace: false) {
          if let r = v.reason { reasons.insert(r) }
        }
      }
    }
    let missing = FailureReason.allCases.filter { !reasons.contains($0) }.map(\.rawValue)
    #expect(missing.isEmpty, "no Spec file fails with: \(missing.joined(separator: ", "))")
  }
}
