import CORSSimulator
import Foundation
import NIOConcurrencyHelpers

/// WebKitGTK (Debian's gir1.2-webkit2-4.1), driven by a small PyGObject host (`host`, below) that shows one
/// `WebKitWebView` in an offscreen window on a private Xvfb display.
///
/// - Host names: WebKitGTK resolves through the system (GIO, glibc), so the host runs in its own mount
///   namespace (`unshare --mount`, which needs root) with a copy of /etc/hosts that maps every scenario
///   host to 127.0.0.1 bind-mounted over /etc/hosts. The machine's own /etc/hosts is never touched.
/// - TLS: the web view's website data manager (a fresh directory per run) has the TLS-errors policy `IGNORE`.
/// - Console: the `enable-write-console-messages-to-stdout` setting makes the web process print
///   `[url:line:col: ]CONSOLE <SOURCE> <LEVEL> text` (WebKitGTK 2.50 prints them on stderr; both streams are
///   read), and `stdbuf -oL` keeps that output line-buffered on a pipe. WebKit prints nothing for an
///   ephemeral session, so the host uses a persistent data manager in a fresh directory.
struct WebKitLauncher: EngineLauncher {
  var engine: Engine { .webkit }

  /// Debian's python3, which has python3-gi (the PATH may lead to another Python).
  static let python = "/usr/bin/python3"

  private let display = NIOLockedValueBox<(ChildProcess, Int)?>(nil)

  func version() -> String {
    let host = FileManager.default.temporaryDirectory.appending(path: "corsim-webkit-host-\(getpid()).py")
    defer { try? FileManager.default.removeItem(at: host) }
    guard (try? WebKitLauncher.host.write(to: host, atomically: true, encoding: .utf8)) != nil,
          let v = captureOutput(WebKitLauncher.python, [host.path, "--version"])
    else { return "not installed (run Scripts/install-browsers)" }
    return v
  }

  func prepare(_ context: LaunchContext) throws {
    guard findExecutable(["Xvfb"]) != nil else { throw LaunchError("Xvfb is not installed (run Scripts/install-browsers)") }
    guard captureOutput(findExecutable(["unshare"]) ?? "/usr/bin/unshare", ["--mount", "--propagation", "private", "true"]) != nil
    else {
      throw LaunchError("`unshare --mount` failed: WebKitGTK needs its own mount namespace (root) to resolve the scenario hosts")
    }
    try FileManager.default.createDirectory(at: context.directory, withIntermediateDirectories: true)
    try WebKitLauncher.host.write(to: context.directory.appending(path: "webkit-host.py"), atomically: true,
                                  encoding: .utf8)
    var hosts = (try? String(contentsOfFile: "/etc/hosts", encoding: .utf8)) ?? "127.0.0.1 localhost\n"
    hosts += "\n# corsim conformance harness (this copy only)\n"
    for chunk in stride(from: 0, to: context.hostNames.count, by: 8) {
      hosts += "127.0.0.1 " + context.hostNames[chunk..<min(chunk + 8, context.hostNames.count)].joined(separator: " ") + "\n"
    }
    try hosts.write(to: context.directory.appending(path: "hosts"), atomically: true, encoding: .utf8)
    try startDisplay()
  }

  /// Starts Xvfb on the first free display number from 90.
  private func startDisplay() throws {
    guard display.withLockedValue({ $0 }) == nil else { return }
    for n in 90..<190 where !FileManager.default.fileExists(atPath: "/tmp/.X\(n)-lock")
      && !FileManager.default.fileExists(atPath: "/tmp/.X11-unix/X\(n)") {
      let xvfb = try ChildProcess(executable: findExecutable(["Xvfb"])!,
                                  arguments: [":\(n)", "-nolisten", "tcp", "-screen", "0", "1280x1024x24", "-noreset"],
                                  onLine: { _, _ in })
      let deadline = Date().addingTimeInterval(10)
      while Date() < deadline, xvfb.isRunning, !FileManager.default.fileExists(atPath: "/tmp/.X11-unix/X\(n)") {
        usleep(50_000)
      }
      if xvfb.isRunning, FileManager.default.fileExists(atPath: "/tmp/.X11-unix/X\(n)") {
        display.withLockedValue { $0 = (xvfb, n) }
        return
      }
      xvfb.stop()
    }
    throw LaunchError("could not start Xvfb")
  }

  func launch(url: String, _ context: LaunchContext, onLine: @escaping @Sendable (String, Bool) -> Void,
              onExit: @escaping @Sendable () -> Void) throws -> ChildProcess {
    guard let n = display.withLockedValue({ $0?.1 }) else { throw LaunchError("no Xvfb display") }
    var environment = ProcessInfo.processInfo.environment
    environment["DISPLAY"] = ":\(n)"
    environment["NO_AT_BRIDGE"] = "1"
    environment["GDK_BACKEND"] = "x11"
    let host = context.directory.appending(path: "webkit-host.py").path
    let hostsFile = context.directory.appending(path: "hosts").path
    return try ChildProcess(
      executable: findExecutable(["unshare"]) ?? "/usr/bin/unshare",
      arguments: ["--mount", "--propagation", "private", "--", "/bin/sh", "-c",
                  #"mount --bind "$1" /etc/hosts && shift && exec "$@""#, "sh", hostsFile,
                  "stdbuf", "-oL", "-eL", WebKitLauncher.python, host, url,
                  context.directory.appending(path: "website-data").path],
      environment: environment, onLine: onLine, onExit: onExit)
  }

  /// `http://…:2:12: CONSOLE LOG text`, `CONSOLE SECURITY ERROR text` → the text.
  func consoleText(line: String, isError: Bool) -> String? {
    let start: String.Index
    if line.hasPrefix("CONSOLE ") {
      start = line.index(line.startIndex, offsetBy: 8)
    } else if let r = line.range(of: ": CONSOLE ") {
      start = r.upperBound
    } else {
      return nil
    }
    var words = line[start...].split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
    let levels: Set<Substring> = ["LOG", "ERROR", "WARN", "WARNING", "INFO", "DEBUG"]
    if let first = words.first, levels.contains(first) {
      // CONSOLE LEVEL text (console API calls)
      return words.count > 1 ? String(line[words[1].startIndex...]) : ""
    }
    guard words.count == 3, levels.contains(words[1]) else { return nil }
    words.removeFirst(2)
    return String(words[0])
  }

  func tearDown() {
    let x = display.withLockedValue { d in
      defer { d = nil }
      return d
    }
    x?.0.stop()
  }

  /// The PyGObject host: `webkit-host.py URL DIR` shows URL with its website data in DIR;
  /// `webkit-host.py --version` prints the version.
  static let host = #"""
    import sys
    import gi
    gi.require_version("Gtk", "3.0")
    gi.require_version("WebKit2", "4.1")
    from gi.repository import Gtk, WebKit2

    if sys.argv[1] == "--version":
        print("WebKitGTK %d.%d.%d" % (WebKit2.get_major_version(), WebKit2.get_minor_version(),
                                      WebKit2.get_micro_version()))
        sys.exit(0)

    # Not ephemeral: WebKit does not write console messages of ephemeral sessions. A fresh directory per run
    # keeps one run's state (HSTS, caches) from the next.
    manager = WebKit2.WebsiteDataManager(base_data_directory=sys.argv[2] + "/data",
                                         base_cache_directory=sys.argv[2] + "/cache")
    manager.set_tls_errors_policy(WebKit2.TLSErrorsPolicy.IGNORE)
    context = WebKit2.WebContext.new_with_website_data_manager(manager)
    view = WebKit2.WebView.new_with_context(context)
    view.get_settings().set_enable_write_console_messages_to_stdout(True)
    view.connect("web-process-terminated", lambda *args: Gtk.main_quit())
    # A window on the Xvfb display, not an OffscreenWindow: WebKit starts no media load in a page that is
    # not in a visible window (Page::canStartMedia), so <audio> and <video> would never fire an event.
    window = Gtk.Window()
    window.add(view)
    window.show_all()
    view.load_uri(sys.argv[1])
    Gtk.main()
    """#
}
