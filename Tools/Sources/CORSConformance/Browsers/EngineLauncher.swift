import CORSSimulator
import Foundation

/// What the driver needs to know to run one scenario walk in a real engine.
public struct LaunchContext: Sendable {
  /// A directory of this engine's own (profile, host script, hosts file).
  public var directory: URL
  /// The domain names every scenario uses; the engine must resolve them to 127.0.0.1.
  public var hostNames: [String]
  /// The run's certificate, for the engines that must be told to trust it.
  public var certificate: TestCertificate
}

/// Starts one real engine, headless, on a URL, and reads its console.
public protocol EngineLauncher: Sendable {
  /// The engine.
  var engine: Engine { get }
  /// The exact version (`Chromium 156.0.8078.79`…), or why it is not available.
  func version() -> String
  /// Sets up what every launch shares (profile, certificate store, display). Called once per run.
  func prepare(_ context: LaunchContext) throws
  /// Starts the engine showing `url`. Output lines go to `onLine`; `onExit` fires when it ends.
  func launch(url: String, _ context: LaunchContext, onLine: @escaping @Sendable (String, Bool) -> Void,
              onExit: @escaping @Sendable () -> Void) throws -> ChildProcess
  /// The console message an output line carries, if it is one.
  func consoleText(line: String, isError: Bool) -> String?
  /// Stops what `prepare` started.
  func tearDown()
}

extension EngineLauncher {
  public func tearDown() {}
}

/// Why an engine cannot run.
public struct LaunchError: Error, CustomStringConvertible, Sendable {
  /// What went wrong.
  public var description: String
  init(_ description: String) { self.description = description }
}

/// The launcher for an engine.
public func launcher(for engine: Engine) throws -> any EngineLauncher {
  switch engine {
  case .chromium: return ChromiumLauncher()
  case .firefox: return FirefoxLauncher()
  case .webkit: return WebKitLauncher()
  case .spec: throw LaunchError("spec is the simulator's own profile, not a browser")
  }
}
