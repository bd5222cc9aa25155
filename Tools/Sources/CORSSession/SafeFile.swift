#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Writes a file the way a careful editor does: a new file, or one the user agreed to replace, is written
/// beside its target and renamed over it (a crash never leaves half a file), keeping the old file's permission
/// bits; a symbolic link is written through (its target is replaced, the link stays); and every refusal says
/// what is wrong in words (a directory, a device, a FIFO, a missing folder, permission denied).
enum SafeFile {
  enum Problem: Error, Equatable {
    case exists
    case refused(String)
  }

  /// What is at `path` now: nothing, a regular file (with its permission bits), or something that is not
  /// one. Symbolic links are followed.
  enum Existing: Equatable {
    case none
    case file(mode: mode_t)
  }

  static func existing(_ path: String) -> Result<Existing, Problem> {
    var st = stat()
    guard stat(path, &st) == 0 else {
      if errno == ENOENT {
        var l = stat()
        if lstat(path, &l) == 0 { return .failure(.refused("it is a symbolic link to a file that does not exist")) }
        return .success(.none)
      }
      return .failure(.refused(String(cString: strerror(errno)).lowercased()))
    }
    switch st.st_mode & S_IFMT {
    case S_IFREG: return .success(.file(mode: st.st_mode & 0o7777))
    case S_IFDIR: return .failure(.refused("it is a directory: name a file in it (e.g. \(path.hasSuffix("/") ? path : path + "/")session.cors)"))
    case S_IFIFO: return .failure(.refused("it is a FIFO (a named pipe), not a file"))
    case S_IFCHR, S_IFBLK: return .failure(.refused("it is a device (\(path)), not a file"))
    case S_IFSOCK: return .failure(.refused("it is a socket, not a file"))
    default: return .failure(.refused("it is not a regular file"))
    }
  }

  /// Writes `text` to `path`. Without `replace`, an existing file is left alone (`.exists`).
  static func write(_ text: String, to path: String, replace: Bool) -> Result<Void, Problem> {
    let state: Existing
    switch existing(path) {
    case .failure(let p): return .failure(p)
    case .success(let s): state = s
    }
    if case .file = state, !replace { return .failure(.exists) }
    // Through a symbolic link: the file it points at is the one replaced.
    var target = path
    if case .file = state, let resolved = realpath(path, nil) {
      target = String(cString: resolved)
      free(resolved)
    }
    let folder = (target as NSString).deletingLastPathComponent.ifEmpty(".")
    var st = stat()
    guard stat(folder, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else {
      return .failure(.refused("the folder \(folder) does not exist"))
    }
    let temporary = folder + "/.\((target as NSString).lastPathComponent).\(getpid()).tmp"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
    guard fd >= 0 else {
      if errno == EACCES || errno == EPERM || errno == EROFS {
        return .failure(.refused("permission denied: the folder \(folder) is not writable" + (state != .none ? " (the file may be, but it is replaced whole)" : "")))
      }
      return .failure(.refused(String(cString: strerror(errno)).lowercased()))
    }
    var ok = true
    text.utf8.withContiguousStorageIfAvailable { buffer in
      var offset = 0
      while offset < buffer.count {
        let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if n <= 0 { if errno == EINTR { continue }; ok = false; break }
        offset += n
      }
    } ?? { ok = false }()
    if case .file(let mode) = state { fchmod(fd, mode) }
    if fsync(fd) != 0 { ok = false }
    close(fd)
    guard ok, rename(temporary, target) == 0 else {
      let reason = String(cString: strerror(errno)).lowercased()
      unlink(temporary)
      return .failure(.refused(reason))
    }
    return .success(())
  }
}
