import CORSSimulator

/// The options of a script's request, in the order both written forms list them, with the name each form
/// gives them: the scenario language (`fetch … referrer-policy=no-referrer`) and the oracle's JSON
/// (`"referrerPolicy": "no-referrer"`). The printer (`ScenarioPrinter`) and the oracle's export
/// (`OracleExport`) both walk this one table, so that a field added to one is added to the other.
public enum RequestOption: Sendable {
  /// An option with a string value (its raw value for the typed options), absent when nil.
  case text(language: String, json: String, @Sendable (ScriptRequest) -> String?)
  /// A flag, absent when false.
  case flag(language: String, json: String, WritableKeyPath<ScriptRequest, Bool> & Sendable)
  /// The body and its kind (`body`, `body-type`, `blob-type`; `body`, `bodyType`, `blobType`).
  case body
  /// XHR `timeout` in milliseconds, absent when 0.
  case timeout
  /// XHR `responseType`, absent when empty.
  case responseType

  /// Every option of `fetch()` and XHR, in order (the method, URL and headers come before them).
  public static let all: [RequestOption] = [
    .text(language: "mode", json: "mode", { $0.mode?.rawValue }),
    .text(language: "credentials", json: "credentials", { $0.credentials?.rawValue }),
    .text(language: "redirect", json: "redirect", { $0.redirect?.rawValue }),
    .text(language: "cache", json: "cache", { $0.cache?.rawValue }),
    .text(language: "referrer", json: "referrer", { $0.referrer }),
    .text(language: "referrer-policy", json: "referrerPolicy", { $0.referrerPolicy?.rawValue }),
    .text(language: "integrity", json: "integrity", { $0.integrity }),
    .flag(language: "keepalive", json: "keepalive", \.keepalive),
    .text(language: "duplex", json: "duplex", { $0.duplex?.rawValue }),
    .flag(language: "window", json: "window", \.windowNotNull),
    .text(language: "target", json: "targetAddressSpace", { $0.targetAddressSpace?.rawValue }),
    .body,
    .flag(language: "upload-listeners", json: "uploadListeners", \.uploadListeners),
    .flag(language: "sync", json: "sync", \.synchronous),
    .timeout,
    .responseType,
  ]

  /// The names of the flags in the scenario language (a word that is an option even without `=`).
  public static let languageFlags: Set<String> = Set(all.compactMap {
    if case .flag(let name, _, _) = $0 { return name } else { return nil }
  }).union(["with-credentials"])
}
