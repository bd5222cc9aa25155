#if canImport(Glibc)
import Glibc
#endif

/// A directory under /tmp, removed with everything in it when the value goes away.
public final class TemporaryDirectory {
  public let path: String

  public init() {
    var template = Array("/tmp/lineeditor-test-XXXXXX".utf8CString)
    path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
  }

  deinit { Self.remove(path) }

  /// `name` inside the directory.
  public func file(_ name: String) -> String { path + "/" + name }

  /// Writes `bytes` to `name` with `mode`.
  public func write(_ name: String, _ bytes: [UInt8], mode: mode_t = 0o644) {
    let fd = open(file(name), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
    precondition(fd >= 0, "cannot create \(file(name))")
    _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    fchmod(fd, mode)
    close(fd)
  }

  public func write(_ name: String, _ text: String, mode: mode_t = 0o644) { write(name, Array(text.utf8), mode: mode) }

  public func makeDirectory(_ name: String) { mkdir(file(name), 0o755) }

  /// The contents of `name`, or nil.
  public func read(_ name: String) -> String? {
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
  public func mode(_ name: String) -> mode_t? {
    var status = stat()
    guard stat(file(name), &status) == 0 else { return nil }
    return status.st_mode & 0o7777
  }

  public func isDirectory(_ name: String) -> Bool {
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
