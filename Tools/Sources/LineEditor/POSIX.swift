#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small wrappers over the C library, kept in one place (the module avoids Foundation so that the REPL's
/// first prompt does not wait for it).
enum POSIX {
  /// The text of an errno value, e.g. "Permission denied".
  static func describe(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "error \(code)" }
    return String(cString: text)
  }

  /// The value of an environment variable, or nil when it is not set.
  static func environment(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    return String(cString: value)
  }

  /// Writes every byte of `text` to `fd`, retrying after EINTR and short writes.
  @discardableResult
  static func writeAll(_ fd: Int32, _ text: String) -> Bool {
    var text = text
    return text.withUTF8 { writeAll(fd, UnsafeRawBufferPointer($0)) }
  }

  /// Writes every byte of `bytes` to `fd`, retrying after EINTR and short writes.
  static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
    var offset = 0
    while offset < bytes.count {
      let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
      if written < 0 {
        if errno == EINTR { continue }
        return false
      }
      offset += written
    }
    return true
  }

  /// One read(2) into `buffer`: the byte count, 0 at end of input, -1 with errno set.
  static func readSome(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
    read(fd, buffer.baseAddress, buffer.count)
  }

  /// Reads `fd` to its end, failing with errno, or with EFBIG once more than `limit` bytes came.
  static func readAll(_ fd: Int32, limit: Int) -> Result<[UInt8], Errno> {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        return .failure(Errno(errno))
      }
      if count == 0 { return .success(bytes) }
      bytes.append(contentsOf: chunk[..<count])
      if bytes.count > limit { return .failure(Errno(EFBIG)) }
    }
  }

  /// The home directory: $HOME, else the password database's entry for this user.
  static func homeDirectory() -> String? {
    if let home = environment("HOME"), !home.isEmpty { return home }
    guard let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir else { return nil }
    let home = String(cString: directory)
    return home.isEmpty ? nil : home
  }
}

/// An errno value that can be thrown and printed.
struct Errno: Error, Hashable, CustomStringConvertible {
  var code: Int32
  init(_ code: Int32) { self.code = code }
  var description: String { POSIX.describe(code) }
}
