import CORSSimulator
import Foundation

/// Chromium (Debian's `chromium`), `--headless`, one fresh profile per run.
///
/// - Host names: `--host-resolver-rules` maps every name but `localhost` to 127.0.0.1.
/// - TLS: `--ignore-certificate-errors-spki-list` with the run's server key, so the certificate counts as valid.
/// - Console: the DevTools protocol (`ChromiumConsole`): Chromium starts on `about:blank` with its remote
///   debugging port on a free port, the client attaches to the page, enables `Runtime` and `Log` and only then
///   navigates to the start URL. `--enable-logging=stderr` still prints console messages to the output file,
///   but it leaves out the network's entries (`Failed to load resource: net::ERR_FAILED`), so the run reads the
///   protocol's events instead.
/// - HTTPS Upgrades are off: Chromium would otherwise load an `http:` page of a registrable host
///   (`http://app.example.com`) over TLS, since the scripted server answers TLS on port 443 too.
/// - Root: Chromium's sandbox refuses to run as root, hence `--no-sandbox` (it changes no network behaviour).
struct ChromiumLauncher: EngineLauncher {
  var engine: Engine { .chromium }

  var executable: String? { findExecutable(["chromium", "chromium-browser", "google-chrome"]) }

  func version() -> String {
    guard let executable else { return "not installed (run Scripts/install-browsers)" }
    return captureOutput(executable, ["--version"]) ?? "unknown"
  }

  func prepare(_ context: LaunchContext) throws {
    guard executable != nil else { throw LaunchError("chromium is not installed (run Scripts/install-browsers)") }
    try FileManager.default.createDirectory(at: context.directory.appending(path: "profile"),
                                            withIntermediateDirectories: true)
  }

  func arguments(url: String, _ context: LaunchContext) -> [String] {
    [
      "--headless", "--no-sandbox",
      "--user-data-dir=\(context.directory.appending(path: "profile").path)",
      "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps",
      "--disable-breakpad", "--password-store=basic", "--use-mock-keychain",
      "--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable,HttpsFirstModeV2ForTypicallySecureUsers",
      "--host-resolver-rules=MAP * 127.0.0.1, EXCLUDE localhost",
      "--ignore-certificate-errors-spki-list=\(context.certificate.serverSPKIHash)",
      "--enable-logging=stderr", "--v=0", "--remote-debugging-port=0",
      "about:blank",
    ]
  }

  func launch(url: String, _ context: LaunchContext, onLine: @escaping @Sendable (String, Bool) -> Void,
              onExit: @escaping @Sendable () -> Void) throws -> ChildProcess {
    guard let executable else { throw LaunchError("chromium is not installed") }
    let console = ChromiumConsole(startURL: url, onText: { onLine(ChromiumConsole.linePrefix + $0, false) })
    return try ChildProcess(executable: executable, arguments: arguments(url: url, context),
                            onLine: { line, isError in
                              if isError, let e = ChromiumConsole.endpoint(line) { console.connect(port: e.port, path: e.path) }
                              onLine(line, isError)
                            },
                            onExit: onExit)
  }

  /// `[…:INFO:CONSOLE:3] "text", source: http://… (3)` → `text`. A network entry (`Failed to load resource: …`,
  /// whose source is the resource's URL) keeps its source after `ConsoleAttribution.sourceSeparator`, so that
  /// the result can show it as DevTools does (`GET <url> net::ERR_FAILED`).
  func consoleText(line: String, isError: Bool) -> String? {
    if line.hasPrefix(ChromiumConsole.linePrefix) { return String(line.dropFirst(ChromiumConsole.linePrefix.count)) }
    return nil
  }

  /// `[…:INFO:CONSOLE:3] "text", source: http://… (3)` → `text` (the `--enable-logging` form, which the run no
  /// longer reads: see `ChromiumConsole`).
  func loggedConsoleText(line: String, isError: Bool) -> String? {
    guard isError, let tag = line.range(of: ":CONSOLE"), let open = line.range(of: "] \"", range: tag.upperBound..<line.endIndex),
          let close = line.range(of: "\", source: ", options: .backwards), close.lowerBound >= open.upperBound
    else { return nil }
    let text = String(line[open.upperBound..<close.lowerBound])
    if text.hasPrefix(ConsoleAttribution.networkEntryPrefix) {
      var source = line[close.upperBound...]
      if let paren = source.range(of: " (", options: .backwards) { source = source[..<paren.lowerBound] }
      return text + ConsoleAttribution.sourceSeparator + source
    }
    return text
  }
}
