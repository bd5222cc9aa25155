/// A step of the algorithm that has no reason code of its own: the fixed points of every fetch.
public enum Checkpoint: String, Sendable, Hashable, CaseIterable, Codable {
  /// The API built the request.
  case requestConstructed = "request-constructed"
  /// Main fetch ran on a URL (once per hop).
  case mainFetch = "main-fetch"
  /// A preflight went on the wire.
  case preflightSent = "preflight-sent"
  /// The request went on the wire.
  case requestSent = "request-sent"
  /// The server answered.
  case responseReceived = "response-received"
  /// The CORS check passed.
  case corsCheckPassed = "cors-check-passed"
  /// The preflight's answer allowed the request.
  case preflightPassed = "preflight-passed"
  /// The script saw the response.
  case responseDelivered = "response-delivered"
}

/// What a trace step records: the failure that decided the outcome, a note on the way, or a checkpoint.
/// In JSON it is its code alone (the three kinds of code never share a string).
public enum TraceEvent: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The failure that decided the outcome (the verdict's reason).
  case failure(FailureReason)
  /// A change or decision that did not decide the outcome.
  case note(TraceNote)
  /// A fixed point of every fetch.
  case checkpoint(Checkpoint)

  /// The code as it appears in JSON: the reason's, the note's or the checkpoint's raw value.
  public var code: String {
    switch self {
    case .failure(let r): return r.rawValue
    case .note(let n): return n.rawValue
    case .checkpoint(let c): return c.rawValue
    }
  }

  /// The event whose code this is, if any.
  public init?(code: String) {
    if let r = FailureReason(rawValue: code) {
      self = .failure(r)
    } else if let n = TraceNote(rawValue: code) {
      self = .note(n)
    } else if let c = Checkpoint(rawValue: code) {
      self = .checkpoint(c)
    } else {
      return nil
    }
  }

  public var description: String { code }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let code = try container.decode(String.self)
    guard let event = TraceEvent(code: code) else {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(code)' is not a reason, note or checkpoint code")
    }
    self = event
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(code)
  }
}

/// One step of the trace. Its words and citation are built only when read, so recording a step costs no
/// string formatting.
public struct TraceStep: Sendable, Hashable, Codable {
  /// What happened.
  public let event: TraceEvent
  /// The main operand (a URL, a header name, a method…).
  public let subject: String
  /// A second operand (a value, an origin…).
  public let detail: String
  /// A number (a status, seconds…), or -1.
  public let number: Int
  /// Which engine departure applied, when the step follows an engine rather than the standard.
  public let quirk: Quirk?

  enum CodingKeys: String, CodingKey {
    case event = "code", subject, detail, number, quirk
  }

  init(_ event: TraceEvent, _ subject: String = "", _ detail: String = "", number: Int = -1, quirk: Quirk? = nil) {
    self.event = event
    self.subject = subject
    self.detail = detail
    self.number = number
    self.quirk = quirk
  }
}

/// The engine departures a trace step can cite; raw values are their evidence. Each is cited by some Spec file
/// in some built-in profile (`ProfileMutationTests`).
public enum Quirk: String, Sendable, Hashable, CaseIterable, Codable {
  case chromiumMaxAge = "Quirk(chromium): max-age capped at 7200 s, junk → 5 s, negative → 0 (services/network/cors/preflight_result.cc)"
  case firefoxMaxAge = "Quirk(firefox): max-age capped at 86400 s; anything but digits, or 0, is not cached (nsCORSListenerProxy.cpp)"
  case webkitMaxAge = "Quirk(webkit): max-age capped at 600 s; `+` accepted, negative expires at once (CrossOriginPreflightResultCache.cpp)"
  case replacesCache = "Quirk(chromium, webkit): one cached result per (origin, URL), replaced by each preflight (preflight_cache.cc, CrossOriginPreflightResultCache.cpp)"
  case authorizationWildcard = "Quirk(chromium, firefox, webkit): `Access-Control-Allow-Headers: *` covers Authorization (features.cc CorsNonWildcardRequestHeadersSupport off; Firefox pref network.cors_preflight.authorization_covered_by_wildcard; WebKit validateCrossOriginHeaders; whatwg/fetch#1919)"
  case webkitPreflightStatusFirst = "Quirk(webkit): the preflight status is checked before its CORS check (NetworkCORSPreflightChecker, validatePreflightResponse)"
  case preflightRedirectFirst = "Quirk(chromium): a redirected preflight fails as a redirect before any header is checked (preflight_controller.cc); Firefox runs its CORS check on the redirect first (nsCORSListenerProxy::AsyncOnChannelRedirect), then refuses it (CORSExternalRedirectNotAllowed)"
  case webkitPreflightRedirectNotOK = "Observed(webkit): a 3xx preflight is reported as not successful, with its status (oracle-contract smoke run)"
  case firefoxMethodsFirst = "Quirk(firefox): Access-Control-Allow-Methods is checked before Access-Control-Allow-Headers is parsed (nsCORSPreflightListener)"
  case firefoxNoImpliedMethod = "Quirk(firefox): a forced preflight without Access-Control-Allow-Methods does not allow the request's own method (nsCORSListenerProxy.cpp)"
  case firefoxPreflightInitiatorOrigin = "Observed(firefox): the preflight after a tainting redirect carries the initiator's origin (oracle-contract smoke run)"
  case httpsOnlyMixedContent = "Quirk(chromium, firefox, webkit): only https pages restrict mixed content (mixed_content_checker.cc, nsMixedContentBlocker.cpp, MixedContentChecker.cpp)"
  case webkitLoopbackMixedContent = "Quirk(webkit): http://localhost and loopback addresses are mixed content (MixedContentChecker.cpp, webkit.org/b/171934)"
  case chromiumStreamsNeedHTTP2 = "Quirk(chromium): streamed request bodies need HTTP/2 or QUIC (net::ERR_H2_OR_QUIC_REQUIRED; observed in the conformance run)"
  case webkitNoStreamUploads = "Quirk(webkit): no ReadableStream uploads, fetch() rejects with NotSupportedError (BCD: Safari false; observed in the conformance run)"
  case firefoxStreamsStringified = "Quirk(firefox): no ReadableStream request bodies, the stream converts to '[object ReadableStream]' (BCD: Firefox false; observed in the conformance run)"
  case firefoxDataURLContentLength = "Observed(firefox): data: responses carry Content-Length (FetchDriver, non-HTTP channels; conformance run)"
  case webkitSyncUploadListeners = "Observed(webkit): a synchronous XHR ignores upload listeners (conformance run, xhr-sync-upload-listeners-no-preflight)"
  case webkitCombinedLocation = "Observed(webkit): several Location lines are combined into one value and followed (conformance run, location-duplicated-fails)"
  case webkitKeepsBodyHeaders = "Observed(webkit): Content-Type and the other request-body headers survive a POST→GET rewrite (conformance run, post-rewrite-drops-content-type-and-preflight)"
  case webkitKeepsOrigin = "Observed(webkit): the Origin sent on a hop is sent again after a same-origin redirect (conformance run, put-303-becomes-get)"
  case combinedHeaderLines = "Observed(chromium, webkit): fetch() header lines of one name reach the CORS checks combined (HTTPHeaderMap; conformance run, two-safelisted-content-type-entries-no-preflight)"
  case firefoxRedirectPreflightFromOriginalHeaders = "Source(firefox): nsCORSListenerProxy::CheckPreflightNeeded — a redirected hop is preflighted for the original request's unsafe header names, less those this hop removed"
  case webkitRedirectPreflightFromOriginalRequest = "Observed(webkit): a redirected hop is preflighted for the original request's unsafe header names and the current method (conformance run, http-redirect-fetch/webkit-*)"
  case firefoxPreflightToOwnOriginNotChecked = "Source(firefox): nsCORSListenerProxy::UpdateChannel — a preflight to the page's own origin is not CORS-checked"
  case chromiumEmptyLocationNotARedirect = "Source(chromium): net/http/http_response_headers.cc IsRedirect — an empty Location is no redirect"
  case webkitEmptyLocationFails = "Observed(webkit): a redirect with an empty Location fails the load (conformance run, empty-location-*)"
  case webkitRedirectBackCheckedWithCredentials = "Observed(webkit): a redirect back to the page's origin is CORS-checked as credentialed (conformance run, webkit-redirect-back-to-origin-needs-credentials)"
  case aboutNotFetched = "Quirk(chromium, webkit): about: URLs are not fetched (Blink fetch_manager.cc PerformSchemeFetch kCorsDisabledScheme; WebKit observed in the conformance run)"
  case chromiumLNA = "Quirk(chromium): Local Network Access (WICG/local-network-access; features.cc LocalNetworkAccessChecks, M142+)"
  case chromiumUploadListeners = "Quirk(chromium): upload listeners force a preflight only when the request has a body (xml_http_request.cc)"
  case allowOriginClassification = "Engine wording: how the failing Access-Control-Allow-Origin value is classified (cors.cc CheckAccess, nsCORSListenerProxy.cpp, CrossOriginAccessControl.cpp)"
  case headerOrder = "Engine order: which disallowed header is reported first"
  case firefoxUpgradesIPMixedContent = "Quirk(firefox): mixed images, audio and video are upgraded even when the host is an IP address (LoadInfo.cpp BrowserUpgradeInsecureRequests; nsNetUtil.cpp ShouldSecureUpgradeNoHSTS has no IP exception)"
  case chromiumORB = "Quirk(chromium): opaque-response blocking v0.2 — never-sniffed types, nosniff HTML/JSON/XML/text/plain, and bodies sniffed as HTML, XML or JSON are blocked, the rest fails open; element loads get a network error (services/network/orb/orb_impl.cc, orb_sniffers.cc)"
  case firefoxORB = "Quirk(firefox): opaque-response blocking with a JavaScript validator — a body that is not an image or media and does not parse as JavaScript (or parses as JSON) is blocked (netwerk/protocol/http/OpaqueResponseUtils.cpp, HttpBaseChannel.cpp)"
  case webkitLoopbackMediaOverHTTP = "Observed(webkit): http loopback images, audio and video are mixed content, neither upgraded nor blocked: they load over http with a warning (WebKitGTK 2.50, element conformance run, mixed-content-localhost-image-loaded-over-http-in-webkit)"
  case elementCORSAlwaysSendsOrigin = "Observed(chromium, webkit): a CORS-mode element request (crossorigin, module script, Chromium's fonts) carries Origin to its own origin too, where fetch() and XHR send none (conformance run, same-origin-img-crossorigin-is-basic)"
  case preloadCORSAlwaysSendsOrigin = "Observed(chromium, webkit): a preload link with crossorigin carries Origin to its own origin too, as their CORS-mode element requests do (conformance run, preload-same-origin-used-by-fetch)"
  case sandboxedElementSameSiteOrigin = "Observed(chromium, firefox): an element's no-cors request from a sandboxed document to a URL same site with the document's URL carries Origin: null, where the standard sends none for GET (conformance run, sandboxed-img-to-own-host-sends-origin-null)"
  case webkitUndecodableMediaRequestedTwice = "Observed(webkit): an <audio> or <video> whose body is no media is requested a second time before it fires error (conformance run, video-body-not-media-fires-error)"
  case webkitSniffedMediaRequestedAgain = "Observed(webkit): after the media player failed, WebKit's MIME sniffer read the body again and named a type, so the player requests the resource a third time (HTMLMediaElement.cpp sniffForContentType, MIMESniffer.cpp; conformance run, aiff-fires-error-webkit-asks-three-times)"
  case webkitFontsNoCORS = "Observed(webkit): fonts are fetched without CORS: no Origin, and a cross-origin font without Access-Control-Allow-Origin is used (conformance run, font-is-always-cors)"
  case chromiumUnappliedStylesheetLoads = "Quirk(chromium): a stylesheet that is not text/css fires load with an empty sheet and a console message, not error (link_style.cc LinkStyle::NotifyFinished; observed, stylesheet-served-as-html-not-applied)"
  case webkitPreloadReusedAcrossModes = "Quirk(webkit): a preloaded script, stylesheet or font is used by a request of another mode or credentials mode, its response checked again for that mode, with no second request (CachedResourceLoader.cpp shouldUpdateCachedResourceWithCurrentRequest; observed, preload-script-crossorigin-not-used-by-plain-script)"
  case firefoxPreloadScriptKind = "Observed(firefox): an as=script preload serves classic scripts only: import() of the same URL, under the same key, is requested again (conformance run, preload-script-crossorigin-used-by-import)"
  case firefoxPreloadFontWithCORS = "Observed(firefox): a font preload is fetched with CORS whatever its crossorigin attribute; its key keeps the attribute's mode (conformance run, preload-font-without-crossorigin-not-used)"
  case nosniffBeforeMIMEType = "Quirk(chromium, webkit): a script's nosniff check comes before the MIME-type block list (allowed_by_nosniff.cc MimeTypeAsScript; LoadableClassicScript.cpp notifyFinished)"
}
