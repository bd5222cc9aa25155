import CORSSimulator
import Foundation

/// Firefox (Debian's `firefox-esr`), `--headless`, one fresh profile per run.
///
/// - Host names: `network.dns.native-is-localhost` answers every lookup with localhost and TRR is off, so
///   no name query leaves the machine.
/// - TLS: the run's CA is imported into the profile's own certificate store with `certutil` (libnss3-tools).
/// - Console: `devtools.console.stdout.content` would print `console.log` calls (the harness's markers) but
///   not the network's CORS errors, which Firefox reports only through its console service. So Firefox
///   starts on `about:blank` with its remote agent on a free port, `FirefoxConsole` subscribes to WebDriver
///   BiDi `log.entryAdded` (console calls and console-service errors, in one ordered stream) and only then
///   navigates to the first scenario.
/// - Everything that would phone home (updates, telemetry, safe browsing, captive portal, remote settings)
///   and HTTPS-First (which would retry `http:` pages over TLS) is switched off.
struct FirefoxLauncher: EngineLauncher {
  var engine: Engine { .firefox }

  var executable: String? { findExecutable(["firefox-esr", "firefox"]) }

  func version() -> String {
    guard let executable else { return "not installed (run Scripts/install-browsers)" }
    return captureOutput(executable, ["--version"]) ?? "unknown"
  }

  static let preferences: [(String, String)] = [
    ("network.dns.native-is-localhost", "true"),
    ("network.trr.mode", "5"),
    ("network.dns.native_https_query", "false"),
    ("network.dns.disablePrefetch", "true"),
    ("network.prefetch-next", "false"),
    ("network.http.speculative-parallel-limit", "0"),
    ("network.proxy.type", "0"),
    ("network.captive-portal-service.enabled", "false"),
    ("network.connectivity-service.enabled", "false"),
    ("dom.security.https_first", "false"),
    ("dom.security.https_first_schemeless", "false"),
    ("dom.security.https_only_mode", "false"),
    ("browser.shell.checkDefaultBrowser", "false"),
    ("browser.startup.homepage_override.mstone", "\"ignore\""),
    ("browser.startup.page", "0"),
    ("browser.aboutwelcome.enabled", "false"),
    ("browser.newtabpage.enabled", "false"),
    ("browser.sessionstore.resume_from_crash", "false"),
    ("browser.tabs.warnOnClose", "false"),
    ("browser.safebrowsing.malware.enabled", "false"),
    ("browser.safebrowsing.phishing.enabled", "false"),
    ("browser.safebrowsing.downloads.enabled", "false"),
    ("browser.safebrowsing.blockedURIs.enabled", "false"),
    ("datareporting.policy.dataSubmissionEnabled", "false"),
    ("datareporting.healthreport.uploadEnabled", "false"),
    ("toolkit.telemetry.enabled", "false"),
    ("toolkit.telemetry.reportingpolicy.firstRun", "false"),
    ("app.update.disabledForTesting", "true"),
    ("app.normandy.enabled", "false"),
    ("extensions.update.enabled", "false"),
    ("services.settings.server", "\"data:,#remote-settings-off\""),
    // The remote agent's "recommended preferences" would change behaviour under test (one of them turns
    // security.fileuri.strict_origin_policy off); the harness only uses it to read the console.
    ("remote.prefs.recommended", "false"),
  ]

  func prepare(_ context: LaunchContext) throws {
    guard executable != nil else { throw LaunchError("firefox-esr is not installed (run Scripts/install-browsers)") }
    guard let certutil = findExecutable(["certutil"]) else {
      throw LaunchError("certutil is not installed (libnss3-tools; run Scripts/install-browsers)")
    }
    let profile = context.directory.appending(path: "profile")
    try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
    let prefs = FirefoxLauncher.preferences.map { "user_pref(\"\($0.0)\", \($0.1));" }.joined(separator: "\n")
    try (prefs + "\n").write(to: profile.appending(path: "user.js"), atomically: true, encoding: .utf8)
    let ca = context.directory.appending(path: "harness-ca.pem")
    try context.certificate.caPEM.write(to: ca, atomically: true, encoding: .utf8)
    let db = "sql:" + profile.path
    guard captureOutput(certutil, ["-N", "-d", db, "--empty-password"]) != nil,
          captureOutput(certutil, ["-A", "-n", "corsim-harness-ca", "-t", "C,,", "-i", ca.path, "-d", db]) != nil
    else { throw LaunchError("certutil could not import the harness CA into the Firefox profile") }
  }

  func launch(url: String, _ context: LaunchContext, onLine: @escaping @Sendable (String, Bool) -> Void,
              onExit: @escaping @Sendable () -> Void) throws -> ChildProcess {
    guard let executable else { throw LaunchError("firefox-esr is not installed") }
    var environment = ProcessInfo.processInfo.environment
    environment["MOZ_CRASHREPORTER_DISABLE"] = "1"
    environment.removeValue(forKey: "DISPLAY")
    let console = FirefoxConsole(startURL: url, onText: { onLine(FirefoxConsole.linePrefix + $0, false) })
    return try ChildProcess(
      executable: executable,
      arguments: ["--headless", "--no-remote", "--profile", context.directory.appending(path: "profile").path,
                  "--remote-debugging-port=0", "about:blank"],
      environment: environment,
      onLine: { line, isError in
        if isError, let port = FirefoxConsole.listeningPort(line) { console.connect(port: port) }
        onLine(line, isError)
      },
      onExit: onExit)
  }

  /// `console.log: "text"` (stdout) → `text`; BiDi entries arrive already as text (`FirefoxConsole`).
  func consoleText(line: String, isError: Bool) -> String? {
    if line.hasPrefix(FirefoxConsole.linePrefix) { return String(line.dropFirst(FirefoxConsole.linePrefix.count)) }
    return nil
  }
}
