import LineEditor
import TerminalTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Starts the LineEditorFixture program (built beside the test bundle) on a pseudo-terminal.
enum Fixture {
  /// $LINEEDITOR_FIXTURE, else `LineEditorFixture` in the folder of the running test executable.
  static let path: String = {
    if let path = Terminal.environmentValue("LINEEDITOR_FIXTURE") { return path }
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    let executable = length > 0 ? String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
    let folder = executable.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
    return folder + "/LineEditorFixture"
  }()

  /// A fresh environment: HOME is `home` (so no real ~/.editrc or history is touched), TERM=xterm,
  /// a UTF-8 locale; `extra` is added last.
  static func environment(home: String, _ extra: [String: String] = [:]) -> [String: String] {
    var environment = [
      "HOME": home, "TERM": "xterm", "LANG": "C.UTF-8",
      "PATH": Terminal.environmentValue("PATH") ?? "/usr/bin:/bin",
    ]
    environment.merge(extra) { $1 }
    return environment
  }

  /// The fixture on an 80 × 24 pseudo-terminal, once it shows its first prompt.
  static func start(
    _ arguments: [String] = [], home: String, environment extra: [String: String] = [:],
    waitFor firstPrompt: String? = "demo> "
  ) throws -> PseudoTerminal {
    let terminal = try PseudoTerminal(path, arguments, environment: environment(home: home, extra))
    if let firstPrompt { try terminal.expect(firstPrompt) }
    return terminal
  }
}

