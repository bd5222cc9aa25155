import LineEditor

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

/// A directory under /tmp, removed with everything in it when the value goes away.
final class TemporaryDirectory {
  let path: String

  init() {
    var template = Array("/tmp/lineeditor-test-XXXXXX".utf8CString)
    path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
  }

  deinit { Self.remove(path) }

  /// `name` inside the directory.
  func file(_ name: String) -> String { path + "/" + name }

  /// Writes `bytes` to `name` with `mode`.
  func write(_ name: String, _ bytes: [UInt8], mode: mode_t = 0o644) {
    let fd = open(file(name), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
    precondition(fd >= 0, "cannot create \(file(name))")
    _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    fchmod(fd, mode)
    close(fd)
  }

  func write(_ name: String, _ text: String, mode: mode_t = 0o644) { write(name, Array(text.utf8), mode: mode) }

  func makeDirectory(_ name: String) { mkdir(file(name), 0o755) }

  /// The contents of `name`, or nil.
  func read(_ name: String) -> String? {
    let fd = open(file(name), O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if count <= 0 { break }
      bytes += chunk[..<count]
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The permission bits of `name` (e.g. 0o600), or nil when it does not exist.
  func mode(_ name: String) -> mode_t? {
    var status = stat()
    guard stat(file(name), &status) == 0 else { return nil }
    return status.st_mode & 0o7777
  }

  func isDirectory(_ name: String) -> Bool {
    var status = stat()
    return stat(file(name), &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
  }

  private static func remove(_ path: String) {
    var status = stat()
    guard lstat(path, &status) == 0 else { return }
    if status.st_mode & S_IFMT == S_IFDIR, let stream = opendir(path) {
      while let entry = readdir(stream) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
          String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        if name != ".", name != ".." { remove(path + "/" + name) }
      }
      closedir(stream)
      rmdir(path)
    } else {
      unlink(path)
    }
  }
}
