#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Completes the current word as a file name, shell style: `sc` → `scenarios/`, `scenarios/pre` →
/// `scenarios/preflight.cors`. A leading `~/` stands for the home directory (and stays in the line).
/// Directories complete with a trailing `/` and no blank, so that TAB goes on inside them; names
/// starting with a dot are offered only when the word's last part starts with a dot.
public struct FileNameCompleter: Completer, Sendable {
  /// Where relative names are looked up; nil for the current directory.
  public var baseDirectory: String?
  /// When set, only files with one of these extensions (without the dot) are offered, and directories.
  public var fileExtensions: Set<String>?

  public init(baseDirectory: String? = nil, fileExtensions: Set<String>? = nil) {
    self.baseDirectory = baseDirectory
    self.fileExtensions = fileExtensions
  }

  public func completions(for request: CompletionRequest) -> Completions {
    let word = String(request.currentWord)
    let (typedDirectory, namePrefix) = Self.split(word)
    let directory = resolve(typedDirectory)
    var candidates: [CompletionCandidate] = []
    for entry in Self.entries(of: directory) where entry.name.hasPrefix(namePrefix) {
      if entry.name.hasPrefix("."), !namePrefix.hasPrefix(".") { continue }
      if entry.isDirectory {
        candidates.append(CompletionCandidate(typedDirectory + entry.name + "/", display: entry.name + "/", isFinished: false))
      } else if accepts(entry.name) {
        candidates.append(CompletionCandidate(typedDirectory + entry.name, display: entry.name))
      }
    }
    candidates.sort { $0.text < $1.text }
    return Completions(for: request, candidates: candidates)
  }

  /// `word` split after its last "/": the directory as typed ("" or ending in "/") and the name's start.
  static func split(_ word: String) -> (directory: String, name: String) {
    guard let slash = word.lastIndex(of: "/") else { return ("", word) }
    return (String(word[...slash]), String(word[word.index(after: slash)...]))
  }

  private func resolve(_ typedDirectory: String) -> String {
    var directory = typedDirectory
    if directory == "~/" || directory.hasPrefix("~/"), let home = POSIX.homeDirectory() {
      directory = home + "/" + directory.dropFirst(2)
    }
    if directory.hasPrefix("/") { return directory }
    let base = baseDirectory ?? "."
    return directory.isEmpty ? base : (base.hasSuffix("/") ? base : base + "/") + directory
  }

  private func accepts(_ name: String) -> Bool {
    guard let fileExtensions else { return true }
    guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return false }
    return fileExtensions.contains(String(name[name.index(after: dot)...]))
  }

  struct Entry {
    var name: String
    var isDirectory: Bool
  }

  /// The entries of `directory` but "." and "..", following symbolic links to tell directories.
  static func entries(of directory: String) -> [Entry] {
    guard let stream = opendir(directory) else { return [] }
    defer { closedir(stream) }
    var entries: [Entry] = []
    while let entry = readdir(stream) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
      }
      if name == "." || name == ".." { continue }
      var isDirectory = Int32(entry.pointee.d_type) == DT_DIR
      if Int32(entry.pointee.d_type) == DT_LNK || Int32(entry.pointee.d_type) == DT_UNKNOWN {
        var status = stat()
        let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
        isDirectory = stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
      }
      entries.append(Entry(name: name, isDirectory: isDirectory))
    }
    return entries
  }
}
