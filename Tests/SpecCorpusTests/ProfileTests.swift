import CORSScenario
import CORSSimulator
import Foundation
import Testing

/// A field of `BrowserProfile` and the values the mutation test tries for it.
struct ProfileField: Sendable, CustomStringConvertible {
  let name: String
  /// The profile with this field set to each other value tried, named by that value.
  let variants: @Sendable (BrowserProfile) -> [(value: String, profile: BrowserProfile)]

  var description: String { name }

  init<V: Hashable & Sendable>(_ name: String, _ path: WritableKeyPath<BrowserProfile, V> & Sendable, _ values: [V]) {
    self.name = name
    variants = { profile in
      var tried: [V] = []
      for v in values where v != profile[keyPath: path] && !tried.contains(v) { tried.append(v) }
      return tried.map { v in
        var p = profile
        p[keyPath: path] = v
        return ("\(v)", p)
      }
    }
  }

  static func bool(_ name: String, _ path: WritableKeyPath<BrowserProfile, Bool> & Sendable) -> ProfileField {
    ProfileField(name, path, [false, true])
  }

  static func cases<V: CaseIterable & Hashable & Sendable>(_ name: String,
                                                           _ path: WritableKeyPath<BrowserProfile, V> & Sendable) -> ProfileField {
    ProfileField(name, path, Array(V.allCases))
  }

  /// An open-ended type (a number, a set): nil or none where the type allows it, and every built-in profile's value.
  static func builtIns<V: Hashable & Sendable>(_ name: String, _ path: WritableKeyPath<BrowserProfile, V> & Sendable,
                                               plus extra: [V] = []) -> ProfileField {
    ProfileField(name, path, extra + BrowserProfile.all.map { $0[keyPath: path] })
  }
}

/// The fields of `BrowserProfile`. `fieldsAreListed` keeps this list equal to the struct's stored properties.
enum ProfileFields {
  /// What names a profile and decides nothing: verdicts carry the engine; the version is documentation.
  static let labels = ["engine", "version"]

  static let behaviour: [ProfileField] = [
    .cases("consoleDialect", \.consoleDialect),
    .builtIns("maxAgeCap", \.maxAgeCap, plus: [nil]),
    .cases("maxAgeRule", \.maxAgeRule),
    .bool("credentialedEntriesServeUncredentialed", \.credentialedEntriesServeUncredentialed),
    .cases("cachedWildcard", \.cachedWildcard),
    .bool("headNeedsMethodEntry", \.headNeedsMethodEntry),
    .bool("keepsOneCachedResultPerURL", \.keepsOneCachedResultPerURL),
    .bool("clearsCacheOnNetworkError", \.clearsCacheOnNetworkError),
    .bool("cachesEmptyPreflightResults", \.cachesEmptyPreflightResults),
    .bool("longURLsNotCached", \.longURLsNotCached),
    .cases("preflightCheckOrder", \.preflightCheckOrder),
    .bool("methodsCheckedBeforeHeadersParsed", \.methodsCheckedBeforeHeadersParsed),
    .bool("authorizationCoveredByWildcard", \.authorizationCoveredByWildcard),
    .cases("allowOriginClassification", \.allowOriginClassification),
    .bool("reportsFirstDisallowedHeaderSorted", \.reportsFirstDisallowedHeaderSorted),
    .bool("forcedPreflightImpliesMethod", \.forcedPreflightImpliesMethod),
    .bool("preflightAfterRedirectUsesInitiatorOrigin", \.preflightAfterRedirectUsesInitiatorOrigin),
    .bool("taintedOriginIsNewOpaqueOrigin", \.taintedOriginIsNewOpaqueOrigin),
    .bool("preflightsSameOriginRedirectTarget", \.preflightsSameOriginRedirectTarget),
    .cases("redirectPreflight", \.redirectPreflight),
    .bool("skipsPreflightCORSCheckOnOwnOrigin", \.skipsPreflightCORSCheckOnOwnOrigin),
    .cases("emptyLocation", \.emptyLocation),
    .bool("checksCrossOriginRedirectsAsCredentialed", \.checksCrossOriginRedirectsAsCredentialed),
    .bool("redirectsDELETECrossOriginAsGET", \.redirectsDELETECrossOriginAsGET),
    .cases("httpCacheKey", \.httpCacheKey),
    .bool("permanentStatusesFreshForever", \.permanentStatusesFreshForever),
    .bool("invalidatesStoredResponseAfterUnsafeMethod", \.invalidatesStoredResponseAfterUnsafeMethod),
    .bool("extraSafelistedRequestHeaders", \.extraSafelistedRequestHeaders),
    .builtIns("safelistedValueTotalLimit", \.safelistedValueTotalLimit, plus: [nil]),
    .bool("nonASCIIIsCORSUnsafeByte", \.nonASCIIIsCORSUnsafeByte),
    .bool("rangeUnitCaseInsensitive", \.rangeUnitCaseInsensitive),
    .cases("headerLinesOfOneName", \.headerLinesOfOneName),
    .cases("uploadListenersForcePreflight", \.uploadListenersForcePreflight),
    .bool("xhrCharsetRewrittenInPlace", \.xhrCharsetRewrittenInPlace),
    .cases("streamRequestBodies", \.streamRequestBodies),
    .bool("rejectsNonNullWindow", \.rejectsNonNullWindow),
    .builtIns("keepaliveQuota", \.keepaliveQuota, plus: [nil]),
    .bool("originHeaderFollowsReferrerPolicy", \.originHeaderFollowsReferrerPolicy),
    .bool("fetchesAboutURLs", \.fetchesAboutURLs),
    .bool("dataURLHasContentLength", \.dataURLHasContentLength),
    .bool("refusesRedirectToURLWithCredentials", \.refusesRedirectToURLWithCredentials),
    .bool("combinesLocationLines", \.combinesLocationLines),
    .bool("keepsBodyHeadersOnMethodRewrite", \.keepsBodyHeadersOnMethodRewrite),
    .bool("keepsOriginHeaderAcrossRedirects", \.keepsOriginHeaderAcrossRedirects),
    .bool("onlySecureSchemePagesRestrictMixedContent", \.onlySecureSchemePagesRestrictMixedContent),
    .cases("loopbackMixedContent", \.loopbackMixedContent),
    .bool("mixedContentOnlyForHTTPFamily", \.mixedContentOnlyForHTTPFamily),
    .bool("upgradesMixedContentIPAddresses", \.upgradesMixedContentIPAddresses),
    .bool("upgradesMixedContentOnRedirect", \.upgradesMixedContentOnRedirect),
    .bool("localNetworkAccess", \.localNetworkAccess),
    .cases("opaqueResponseBlocking", \.opaqueResponseBlocking),
    .bool("nosniffCheckedBeforeMIMEType", \.nosniffCheckedBeforeMIMEType),
    .builtIns("elementsSendingOriginToOwnOrigin", \.elementsSendingOriginToOwnOrigin, plus: [[]]),
    .bool("sandboxedElementLoadsSendOriginSameSite", \.sandboxedElementLoadsSendOriginSameSite),
    .bool("requestsUndecodableMediaTwice", \.requestsUndecodableMediaTwice),
    .cases("mediaTypeSniffing", \.mediaTypeSniffing),
    .builtIns("mediaContainersPlayed", \.mediaContainersPlayed, plus: [[]]),
    .bool("fetchesFontsWithoutCORS", \.fetchesFontsWithoutCORS),
    .bool("unappliedStylesheetFiresLoad", \.unappliedStylesheetFiresLoad),
    .builtIns("integrityPolicyDestinations", \.integrityPolicyDestinations, plus: [[]]),
    .bool("workerConstructorRefusesCrossOrigin", \.workerConstructorRefusesCrossOrigin),
    .bool("webSocketInsecureFromSecureThrows", \.webSocketInsecureFromSecureThrows),
    .bool("webSocketRequiresChosenProtocol", \.webSocketRequiresChosenProtocol),
    .bool("webSocketFollowsRedirects", \.webSocketFollowsRedirects),
    .builtIns("workerScriptsNeedingJavaScriptMIME", \.workerScriptsNeedingJavaScriptMIME, plus: [[]]),
    .builtIns("elementsRefusing3xxStatus", \.elementsRefusing3xxStatus, plus: [[]]),
    .bool("moduleTypeCheckedOnResponseHeaders", \.moduleTypeCheckedOnResponseHeaders),
    .bool("warnsOfUnusedPreload", \.warnsOfUnusedPreload),
    .cases("preloadMatching", \.preloadMatching),
    .bool("preloadsFontsWithCORS", \.preloadsFontsWithCORS),
    .bool("preloadFiresLoadWhenCORSFails", \.preloadFiresLoadWhenCORSFails),
    .bool("scriptPreloadServesModules", \.scriptPreloadServesModules),
    .cases("preloadCredentials", \.preloadCredentials),
    .bool("preloadsSendOriginToOwnOrigin", \.preloadsSendOriginToOwnOrigin),
  ]

  /// Values no scenario can tell apart, each with why. The test fails when one of them becomes distinguishable
  /// (then it belongs to the corpus, not here).
  static let indistinguishable: [String: String] = [
    "webkit.safelistedValueTotalLimit = nil": """
      WebKit combines fetch() header lines of one name (headerLinesOfOneName = .combined), XHR combines \
      setRequestHeader calls, and WebKit safelists only the standard's five names, each value at most 128 bytes: \
      no request of WebKit's reaches 1024 bytes of safelisted values, so no limit can show.
      """,
    "spec.warnsOfUnusedPreload = true": Self.warningOnly,
    "firefox.warnsOfUnusedPreload = true": Self.warningOnly,
    "webkit.warnsOfUnusedPreload = true": Self.warningOnly,
    "webkit.preloadCredentials = includeOrNot": """
      WebKit compares credentials only for as=fetch preloads (CachedRawResource::canReuse), where a same-origin \
      preload with crossorigin always sends Origin and fetch() does not, so it is never reused to the page's own \
      origin whatever the cookies; to another origin, same-origin and omit send no cookies either way. Whether \
      cookies go and whether the mode is include differ only to the page's own origin.
      """,
  ]

  /// Why a console warning an engine does not print cannot be noticed by a Spec file.
  static let warningOnly = """
    a `says` line pins a line the engine prints; none says that an engine prints nothing more, so a warning added     to a step that succeeds breaks no expectation (the conformance comparison, which compares every console line,     notices it: Spec/apis/preload-fetch-without-crossorigin-not-used-by-fetch played in Firefox and WebKit).
    """

  /// The stored properties of `BrowserProfile`, in declaration order. A set of cases is stored as bits in
  /// `nameCases` (`CaseBits`) behind its `name: Set<…>` property: it is named by the property.
  static var storedProperties: [String] {
    Mirror(reflecting: BrowserProfile.spec).children.compactMap(\.label)
      .map { $0.hasSuffix("Cases") ? String($0.dropLast("Cases".count)) : $0 }
  }
}

/// What a mutated profile changed: the first Spec file of the engine whose expectations it breaks.
enum Mutation {
  /// The Spec files in the order they are tried for an engine: files with a line of their own for some engine
  /// first (they pin departures), then the rest.
  static func files(for engine: Engine) -> [ScenarioFile] {
    let corpus = SpecCorpusTests.corpus
    func specific(_ f: ScenarioFile) -> Bool {
      f.document.verdicts.values.contains { $0.contains { $0.browsers != nil } }
        || f.document.wire.values.contains { $0.contains { $0.browsers != nil } }
        || f.document.messages.values.contains { $0.contains { $0.browser == engine } }
    }
    return corpus.filter(specific) + corpus.filter { !specific($0) }
  }

  /// Whether a Spec file's expectations for `engine` fail with this profile.
  static func breaks(_ file: ScenarioFile, _ profile: BrowserProfile, engine: Engine) -> Bool {
    let verdicts = ScenarioRunner.run(file.document.scenario, profile: profile, trace: true)
    return !file.document.mismatches(engine: engine, verdicts: verdicts).isEmpty
  }

  /// The first file (of `files`) that notices the change, if any.
  static func firstBroken(_ files: [ScenarioFile], _ profile: BrowserProfile, engine: Engine) -> ScenarioFile? {
    files.first { breaks($0, profile, engine: engine) }
  }
}

@Suite("BrowserProfile: every field and every quirk is pinned by a Spec file")
struct ProfileMutationTests {
  @Test("the field list is the struct's stored properties, and the profiles' values stay within it")
  func fieldsAreListed() {
    let listed = ProfileFields.labels + ProfileFields.behaviour.map(\.name)
    #expect(listed.sorted() == ProfileFields.storedProperties.sorted(),
            "not listed: \(Set(ProfileFields.storedProperties).subtracting(listed).sorted()); not a field: \(Set(listed).subtracting(ProfileFields.storedProperties).sorted())")
    #expect(Set(listed).count == listed.count)
  }

  /// For each field of the profile, every other value must break some Spec file of that engine.
  @Test("each field of each built-in profile, set to each other value, breaks a Spec file of that engine",
        arguments: Engine.allWithSpec)
  func mutations(_ engine: Engine) {
    let profile = BrowserProfile.forEngine(engine)
    let clock = ContinuousClock()
    let start = clock.now
    let files = Mutation.files(for: profile.engine)
    var unnoticed: [String] = []
    var stale: [String] = []
    var tried = 0
    for field in ProfileFields.behaviour {
      for (value, mutated) in field.variants(profile) {
        tried += 1
        let key = "\(profile.engine.rawValue).\(field.name) = \(value)"
        let noticed = Mutation.firstBroken(files, mutated, engine: profile.engine) != nil
        switch (noticed, ProfileFields.indistinguishable[key]) {
        case (false, nil): unnoticed.append(key)
        case (true, .some): stale.append(key + " [" + (Mutation.firstBroken(files, mutated, engine: profile.engine).map { "\($0)" } ?? "") + "]")
        default: break
        }
      }
    }
    #expect(unnoticed.isEmpty, "no Spec file tells these apart: \(unnoticed.joined(separator: "; "))")
    #expect(stale.isEmpty, "listed as indistinguishable, but a Spec file tells them apart: \(stale.joined(separator: "; "))")
    print("mutation test, \(profile.engine.rawValue): \(tried) mutations in \(clock.now - start)")
  }

  @Test("the engine and the version are labels: changing them changes no verdict, message or trace",
        arguments: Engine.allWithSpec)
  func labels(_ engine: Engine) {
    let profile = BrowserProfile.forEngine(engine)
    var relabelled = profile
    relabelled.engine = Engine.allWithSpec.first { $0 != profile.engine }!
    relabelled.version = "another release"
    func summary(_ v: Verdict) -> String {
      "\(v.outcome) \(String(describing: v.stage)) \(String(describing: v.reason)) \(String(describing: v.responseType)) "
        + "\(String(describing: v.status)) \(String(describing: v.exposedHeaders)) \(v.requests) "
        + "\(String(describing: v.consoleMessage)) \(v.consoleWarnings) \(String(describing: v.scriptError)) "
        + v.trace.map { "\($0.event.code) \($0.citation) \($0.text)" }.joined(separator: "|")
    }
    for file in SpecCorpusTests.corpus {
      let original = ScenarioRunner.run(file.document.scenario, profile: profile, trace: true)
      let other = ScenarioRunner.run(file.document.scenario, profile: relabelled, trace: true)
      #expect(original.map(summary) == other.map(summary), "\(file.relativePath)")
      #expect(other.allSatisfy { $0.engine == relabelled.engine })
    }
  }

  @Test("every Quirk the trace can cite is cited by some Spec file in some built-in profile")
  func quirksAreReached() {
    var cited = Set<Quirk>()
    for profile in BrowserProfile.all {
      for file in SpecCorpusTests.corpus {
        for v in ScenarioRunner.run(file.document.scenario, profile: profile, trace: true) {
          for step in v.trace { if let q = step.quirk { cited.insert(q) } }
        }
      }
    }
    let missing = Quirk.allCases.filter { !cited.contains($0) }.map { "\($0)" }
    #expect(missing.isEmpty, "no Spec file reaches: \(missing.joined(separator: ", "))")
  }
}

/// The evidence beside each departure in `BrowserProfile.swift`, read from the source.
enum ProfileSource {
  struct Assignment {
    var engine: Engine
    var field: String
    var line: Int
    /// The comment lines right above the assignment.
    var comments: [String]
    /// The evidence tags among them: (kind, text after the colon).
    var evidence: [(kind: String, text: String)] {
      comments.compactMap { c in
        for kind in ["Source", "Observed", "Unverified"] where c.hasPrefix("\(kind)(\(engine.rawValue)):") {
          return (kind, String(c.dropFirst(kind.count + engine.rawValue.count + 3)).trimmingCharacters(in: .whitespaces))
        }
        return nil
      }
    }
  }

  static let path = packageRoot() + "/Sources/CORSSimulator/Browsers/BrowserProfile.swift"

  /// Every `p.field = value` of the built-in profiles, with the comments above it.
  static func assignments() throws -> [Assignment] {
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
      .map(String.init)
    var out: [Assignment] = []
    var engine: Engine? = nil
    var comments: [String] = []
    for (n, raw) in lines.enumerated() {
      let line = raw.trimmingCharacters(in: .whitespaces)
      if line.hasPrefix("public static let "), let e = Engine.allWithSpec.first(where: { line.hasPrefix("public static let \($0.rawValue): BrowserProfile = {") }) {
        engine = e
      } else if line == "}()" {
        engine = nil
      }
      guard let engine else { continue }
      if line.hasPrefix("//") {
        comments.append(line.dropFirst(2).trimmingCharacters(in: .whitespaces))
      } else if line.hasPrefix("p."), let eq = line.range(of: " = ") {
        out.append(Assignment(engine: engine, field: String(line[line.index(line.startIndex, offsetBy: 2)..<eq.lowerBound]),
                              line: n + 1, comments: comments))
        comments = []
      } else {
        comments = []
      }
    }
    return out
  }

  /// `Spec/…` paths named in a text.
  static func specPaths(in text: String) -> [String] {
    text.split(whereSeparator: { $0 == " " || $0 == "(" || $0 == ")" || $0 == "," || $0 == ";" })
      .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ".—")) }
      .filter { $0.hasPrefix("Spec/") }
  }
}

@Suite("BrowserProfile: each departure cites its evidence")
struct ProfileEvidenceTests {
  @Test("every field says what the standard does, on a Standard: line")
  func standardLines() throws {
    let source = try String(contentsOfFile: ProfileSource.path, encoding: .utf8)
    let lines = source.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    for field in ProfileFields.storedProperties {
      guard let i = lines.firstIndex(where: { $0.hasPrefix("public var \(field):") }) else {
        Issue.record("no declaration of \(field)")
        continue
      }
      var j = i - 1
      var documented = false
      while j >= 0 && lines[j].hasPrefix("///") {
        if lines[j].hasPrefix("/// Standard: ") { documented = true }
        j -= 1
      }
      #expect(documented, "\(field) has no `/// Standard:` line")
    }
  }

  @Test("every departure of a built-in profile has a Source, Observed or Unverified line for its engine")
  func everyAssignmentCitesEvidence() throws {
    let assignments = try ProfileSource.assignments()
    #expect(assignments.count > 60, "the profiles were not found in \(ProfileSource.path)")
    let fields = Set(ProfileFields.storedProperties)
    var seen = Set<String>()
    for a in assignments {
      let place = "BrowserProfile.swift:\(a.line) \(a.engine.rawValue).\(a.field)"
      #expect(fields.contains(a.field), "\(place): not a field")
      #expect(seen.insert("\(a.engine).\(a.field)").inserted, "\(place): set twice")
      if a.field == "engine" { continue }
      #expect(!a.evidence.isEmpty, "\(place): no Source(\(a.engine.rawValue)), Observed(…) or Unverified(…) line above it")
      for (kind, text) in a.evidence {
        switch kind {
        case "Source":
          let cites = text.split(separator: " ").contains { word in
            [".cc", ".cpp", ".h", ".mm", ".yaml", ".json", ".properties", ".msg"].contains { word.hasSuffix($0) }
          }
          #expect(cites, "\(place): a Source line names no source file: \(text)")
        case "Observed":
          let paths = ProfileSource.specPaths(in: text)
          #expect(!paths.isEmpty, "\(place): an Observed line names no Spec file: \(text)")
          for path in paths {
            #expect(FileManager.default.fileExists(atPath: packageRoot() + "/" + path), "\(place): \(path) does not exist")
          }
        default:
          #expect(!text.isEmpty, "\(place): an Unverified line says nothing")
        }
      }
    }
  }

  @Test("the Spec file an Observed line names is one that notices the value")
  func observedFilesPinTheirField() throws {
    let byName = Dictionary(uniqueKeysWithValues: ProfileFields.behaviour.map { ($0.name, $0) })
    let corpus = Dictionary(uniqueKeysWithValues: SpecCorpusTests.corpus.map { ("Spec/" + $0.relativePath, $0) })
    for a in try ProfileSource.assignments() {
      guard let field = byName[a.field] else { continue }
      let profile = BrowserProfile.forEngine(a.engine)
      for (kind, text) in a.evidence where kind == "Observed" {
        for path in ProfileSource.specPaths(in: text) where path.hasSuffix(".cors") {
          guard let file = corpus[path] else { Issue.record("\(path) is not in the corpus"); continue }
          let noticed = field.variants(profile).contains { Mutation.breaks(file, $0.profile, engine: a.engine) }
          #expect(noticed, "\(path) does not notice \(a.engine.rawValue).\(a.field) changing")
        }
      }
    }
  }

  @Test("each profile's version is the release the conformance runs played")
  func versions() throws {
    let played = try String(contentsOfFile: packageRoot() + "/Scripts/browser-versions.txt", encoding: .utf8)
    for profile in BrowserProfile.all where profile.engine != .spec {
      guard let line = played.split(separator: "\n").first(where: { $0.hasPrefix("\(profile.engine.rawValue): ") }) else {
        Issue.record("Scripts/browser-versions.txt has no \(profile.engine.rawValue) line")
        continue
      }
      // "Chromium 156" against "chromium: Chromium 156.0.8078.79 …": the number is a prefix of the release played.
      let number = profile.version.split(separator: " ").first { $0.first?.isNumber == true } ?? ""
      let release = line.split(separator: " ").first { $0.first?.isNumber == true } ?? ""
      #expect(!number.isEmpty && release.hasPrefix(number + ".") || release == number,
              "\(profile.engine.rawValue) models \(profile.version), the runs played \(line)")
    }
    #expect(BrowserProfile.spec.version.contains(FetchStandard.fetchCommit))
  }
}

@Suite("BrowserProfile: a custom profile is a copy with fields changed")
struct CustomProfileTests {
  static let scenario = """
    page https://app.example/index.html
    route OPTIONS https://api.example/data 204
      Access-Control-Allow-Origin: https://app.example
      Access-Control-Allow-Methods: PUT
      Access-Control-Max-Age: 8000
    route PUT https://api.example/data 200
    fetch PUT https://api.example/data
    wait 4000
    fetch PUT https://api.example/data
    """

  @Test("the README's new release: the changed cap and dialect apply, the citation of Chromium's cap does not")
  func readmeExample() throws {
    // README.md, "Where the engines depart from the standard".
    // sample begin
    var p = BrowserProfile.chromium
    p.version = "Chromium 157"
    p.maxAgeCap = 3600
    p.consoleDialect = .chromium        // whose words the console messages and exceptions are in
    // sample end
    let document = try ScenarioBuilder.parse(Self.scenario, file: "custom")
    let stock = ScenarioRunner.run(document.scenario, profile: .chromium)
    let custom = ScenarioRunner.run(document.scenario, profile: p)
    // Chromium caps 8000 s at 7200: the second PUT is served from the cache; the custom cap of 3600 s has expired.
    #expect(stock[1].requests.map(\.method) == ["PUT"])
    #expect(custom[1].requests.map(\.method) == ["OPTIONS", "PUT"])
    // Both fail on the PUT's missing Allow-Origin, in Chromium's words.
    #expect(custom[1].consoleMessage == stock[1].consoleMessage)
    #expect(custom[1].consoleMessage?.hasPrefix("Access to fetch at") == true)
    // The trace cites Chromium's 7200 s cap for the stock profile only.
    let capCitations = custom[0].trace.filter { $0.quirk == .chromiumMaxAge }
    #expect(capCitations.isEmpty)
    #expect(stock[0].trace.contains { $0.quirk == .chromiumMaxAge })
    p.consoleDialect = .firefox
    let firefoxWords = ScenarioRunner.run(document.scenario, profile: p)
    #expect(firefoxWords[1].consoleMessage?.hasPrefix("Cross-Origin Request Blocked") == true)
    #expect(firefoxWords[1].engine == .chromium)
  }
}
