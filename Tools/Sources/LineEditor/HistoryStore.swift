#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A session's history and the file that keeps it between sessions.
///
/// `load()` never fails: a missing file is an empty history, and a file that cannot be used (a
/// directory, unreadable, not UTF-8 text…) gives a one-line ``HistoryProblem`` and an empty history,
/// and is left as it is. `save()` writes a temporary file beside it (mode 0600) and renames it over
/// the old one, so the file is either the old one or the complete new one; it also keeps what other
/// sessions saved meanwhile (their lines first, then this session's).
public final class HistoryStore {
  /// The file, or nil for a history that lives only as long as the session.
  public let path: String?

  /// The session's history: what was loaded, then what was added.
  public private(set) var list: HistoryList

  /// Lines added since the last successful save, oldest first.
  private var unsaved: [String] = []

  /// The file sizes that `load()` accepts (a larger file is certainly not a history file).
  static let maximumFileSize = 8 << 20

  /// A history kept in `path` (nil: not kept), holding at most `capacity` lines.
  public init(path: String?, capacity: Int = HistoryList.defaultCapacity) {
    self.path = path
    self.list = HistoryList(capacity: capacity)
  }

  /// The lines, oldest first.
  public var entries: [String] { list.entries }

  /// How many lines are kept at most, in memory and in the file.
  public var capacity: Int {
    get { list.capacity }
    set { list.capacity = newValue }
  }

  /// True when lines were added since the last successful save (and there is a file to save to).
  public var hasUnsavedEntries: Bool { path != nil && !unsaved.isEmpty }

  /// The XDG location of a program's history: `$XDG_STATE_HOME/<program>/history` when
  /// XDG_STATE_HOME is an absolute path, else `~/.local/state/<program>/history`; nil without a home.
  public static func defaultPath(
    programName: String = "corsim",
    environment: (String) -> String? = Terminal.environmentValue
  ) -> String? {
    if let state = environment("XDG_STATE_HOME"), state.hasPrefix("/") {
      return join(state, programName, "history")
    }
    let home: String?
    if let value = environment("HOME"), !value.isEmpty { home = value } else { home = POSIX.homeDirectory() }
    guard let home else { return nil }
    return join(home, ".local/state", programName, "history")
  }

  /// Adds `line` to the history (see ``HistoryList/add(_:)`` for what is not kept).
  /// - Returns: whether the line was kept.
  @discardableResult
  public func add(_ line: String) -> Bool {
    guard list.add(line) else { return false }
    if path != nil {
      unsaved.append(list.entries.last!)
      if unsaved.count > list.capacity { unsaved.removeFirst(unsaved.count - list.capacity) }
    }
    return true
  }

  /// Replaces the history with the file's lines. Restricts the file to mode 0600 if it was wider.
  /// - Returns: what went wrong, if the file could not be used; the history is then empty.
  @discardableResult
  public func load() -> HistoryProblem? {
    list.removeAll()
    unsaved.removeAll()
    guard let path else { return nil }
    switch Self.read(path, restrictingMode: true) {
    case .missing:
      return nil
    case .entries(let entries, let modeProblem):
      list = HistoryList(capacity: list.capacity, entries: entries)
      return modeProblem.map { HistoryProblem(path: path, action: .protect, reason: $0) }
    case .damaged(let damage):
      return HistoryProblem(path: path, action: .loadDamaged, reason: damage.reason)
    case .unusable(let reason):
      return HistoryProblem(path: path, action: .load, reason: reason)
    }
  }

  /// Writes the history file: what it holds now (other sessions may have saved since `load()`), then
  /// this session's unsaved lines, bounded by `capacity`. Creates missing directories (mode 0700).
  /// A damaged file is replaced; a file that cannot be read, or a directory in its place, is not.
  public func save() throws(HistoryProblem) {
    guard let path, !unsaved.isEmpty else { return }
    let target = Self.resolvingSymbolicLink(path)
    let fail = { (reason: String) in HistoryProblem(path: path, action: .save, reason: reason) }
    let existing: [String]
    switch Self.read(target, restrictingMode: false) {
    case .missing, .damaged: existing = []
    case .entries(let entries, _): existing = entries
    case .unusable(let reason): throw fail(reason)
    }
    let merged = HistoryList(capacity: list.capacity, entries: existing + unsaved)
    let directory = Self.directory(of: target)
    if let error = Self.makeDirectories(directory) { throw fail("cannot create \(directory): \(error)") }
    if let error = Self.writeAtomically(HistoryFileFormat.encode(merged.entries), to: target) {
      throw fail(error)
    }
    unsaved.removeAll()
  }

  // MARK: Reading

  enum ReadOutcome {
    case missing
    case entries([String], modeProblem: String?)
    case damaged(HistoryFileDamage)
    case unusable(String)
  }

  static func read(_ path: String, restrictingMode: Bool) -> ReadOutcome {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
    if fd < 0 {
      let code = errno
      return code == ENOENT ? .missing : .unusable("cannot be read: \(POSIX.describe(code))")
    }
    defer { close(fd) }
    var status = stat()
    guard fstat(fd, &status) == 0 else { return .unusable("cannot be read: \(POSIX.describe(errno))") }
    switch status.st_mode & S_IFMT {
    case S_IFREG: break
    case S_IFDIR: return .unusable("is a directory")
    default: return .unusable("is not a regular file")
    }
    guard Int(status.st_size) <= maximumFileSize else {
      return .damaged(HistoryFileDamage(reason: "is too large to be a history file (\(status.st_size) bytes)"))
    }
    let bytes: [UInt8]
    switch POSIX.readAll(fd, limit: maximumFileSize) {
    case .success(let read): bytes = read
    case .failure(let error): return .unusable("cannot be read: \(error)")
    }
    var modeProblem: String?
    if restrictingMode, status.st_mode & 0o077 != 0, fchmod(fd, 0o600) != 0 {
      modeProblem = POSIX.describe(errno)
    }
    switch HistoryFileFormat.decode(bytes) {
    case .success(let entries): return .entries(entries, modeProblem: modeProblem)
    case .failure(let damage): return .damaged(damage)
    }
  }

  // MARK: Writing

  /// Writes `text` to a new file beside `path` (mode 0600), flushes it to disk and renames it to
  /// `path`. Returns an error message, or nil on success.
  static func writeAtomically(_ text: String, to path: String) -> String? {
    let flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW
    var temporary = ""
    var fd: Int32 = -1
    for attempt in 0..<100 {
      temporary = "\(path).tmp-\(getpid())-\(attempt)"
      fd = open(temporary, flags, 0o600)
      if fd >= 0 || errno != EEXIST { break }
    }
    guard fd >= 0 else { return "cannot create \(temporary): \(POSIX.describe(errno))" }
    var failure: String?
    if fchmod(fd, 0o600) != 0 {
      failure = "cannot set mode 0600 on \(temporary): \(POSIX.describe(errno))"
    } else if !POSIX.writeAll(fd, text) {
      failure = "cannot write \(temporary): \(POSIX.describe(errno))"
    } else if fsync(fd) != 0 {
      failure = "cannot flush \(temporary): \(POSIX.describe(errno))"
    }
    if close(fd) != 0, failure == nil { failure = "cannot write \(temporary): \(POSIX.describe(errno))" }
    if failure == nil, rename(temporary, path) != 0 { failure = POSIX.describe(errno) }
    if failure != nil { unlink(temporary) }
    return failure
  }

  /// Creates `directory` and its missing parents with mode 0700. Returns an error message or nil.
  static func makeDirectories(_ directory: String) -> String? {
    var status = stat()
    if stat(directory, &status) == 0 {
      return status.st_mode & S_IFMT == S_IFDIR ? nil : "\(directory) is not a directory"
    }
    let parent = Self.directory(of: directory)
    if parent != directory, let error = makeDirectories(parent) { return error }
    if mkdir(directory, 0o700) != 0, errno != EEXIST { return POSIX.describe(errno) }
    return nil
  }

  /// The file a symbolic link at `path` points to (so that saving keeps the link), else `path`.
  static func resolvingSymbolicLink(_ path: String) -> String {
    var status = stat()
    guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFLNK,
      let resolved = realpath(path, nil)
    else { return path }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  static func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }

  private static func join(_ parts: String...) -> String {
    parts.dropFirst().reduce(parts[0]) { $0.hasSuffix("/") ? $0 + $1 : $0 + "/" + $1 }
  }
}

/// Why the history file could not be loaded or saved, in one line for a warning.
public struct HistoryProblem: Error, Sendable, Hashable, CustomStringConvertible {
  public enum Action: Sendable, Hashable {
    /// The file could not be read; it is never replaced.
    case load
    /// The file was read but is not a history file; the next save replaces it.
    case loadDamaged
    /// The file could not be restricted to mode 0600.
    case protect
    /// The file could not be written.
    case save
  }

  /// The history file.
  public var path: String
  public var action: Action
  /// What is wrong, e.g. "is a directory" or "is not UTF-8 text (byte 0xFF at offset 0)".
  public var reason: String

  public var description: String {
    switch action {
    case .load:
      "history file \(path) \(reason); going on without saved history"
    case .loadDamaged:
      "history file \(path) \(reason); starting with an empty history (the file stays as it is until new history is saved over it)"
    case .protect:
      "cannot restrict history file \(path) to mode 0600: \(reason)"
    case .save:
      "cannot save history to \(path): \(reason)"
    }
  }
}
