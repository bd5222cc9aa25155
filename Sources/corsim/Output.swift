#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes text to a file descriptor, retrying partial writes; false when the descriptor is closed.
@discardableResult
func writeAll(_ text: String, to fd: Int32 = 1) -> Bool {
  var text = text
  return text.withUTF8 { buffer in
    var offset = 0
    while offset < buffer.count {
      let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
      if n < 0 {
        if errno == EINTR { continue }
        return false
      }
      offset += n
    }
    return true
  }
}
