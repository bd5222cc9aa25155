#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one read brought.
public enum LineInput: Sendable, Hashable {
  /// A line, without its line break.
  case line(String)
  /// The user pressed Ctrl-C: the line being edited was dropped (a REPL abandons a pending block).
  case interrupted
  /// End of input: Ctrl-D on an empty line, the end of a pipe or file, or a terminal that went away.
  case endOfInput
}

/// Where the REPL's lines come from.
///
/// ```swift
/// var reader = makeStandardInputReader(options)
/// while let line = reader.readLine(prompt: pending.isEmpty ? "corsim> " : "...> ") {
///   print(session.evaluate(line))
/// }
/// // nil: Ctrl-D on an empty line, or the end of piped input.
/// ```
public protocol LineReader {
  /// Reads one line after showing `prompt` (if the reader shows prompts).
  mutating func read(prompt: String) -> LineInput

  /// Reads one line; nil at the end of input. Ctrl-C drops the line being edited and asks again with
  /// the same prompt.
  mutating func readLine(prompt: String) -> String?
}

extension LineReader {
  public mutating func readLine(prompt: String) -> String? {
    while true {
      switch read(prompt: prompt) {
      case .line(let line): return line
      case .interrupted: continue
      case .endOfInput: return nil
      }
    }
  }
}

/// How to set up the reader for standard input.
public struct LineReaderOptions {
  /// Used in warnings ("corsim: warning: …") and to select `.editrc` lines ("corsim:bind -v").
  public var programName: String
  /// The session's history (shared by the reader and the REPL); nil for none. Only an interactive
  /// reader records and browses history: scripts piped in are not remembered.
  public var history: HistoryStore?
  /// When to write the history file.
  public var historySaving: HistorySaving
  /// What TAB offers; nil inserts a tab.
  public var completer: (any Completer)?
  /// emacs or vi keys; nil keeps emacs unless the user's editrc chose vi.
  public var editingMode: EditingMode?
  /// Which editrc file to run at start-up.
  public var editrc: EditrcFile
  /// Receives each warning, one line without a line break. The default writes
  /// "<programName>: warning: <text>" to standard error.
  public var warn: ((String) -> Void)?
  /// While an editing reader exists, SIGINT is ignored outside line editing too: a Ctrl-C typed
  /// while the REPL evaluates a line (or typed ahead) must not end the session. Inside editing,
  /// Ctrl-C is a key that drops the line either way.
  public var ignoresInterruptSignal: Bool

  public init(
    programName: String = "corsim",
    history: HistoryStore? = nil,
    historySaving: HistorySaving = .afterEachLine,
    completer: (any Completer)? = nil,
    editingMode: EditingMode? = nil,
    editrc: EditrcFile = .standard,
    warn: ((String) -> Void)? = nil,
    ignoresInterruptSignal: Bool = true
  ) {
    self.programName = programName
    self.history = history
    self.historySaving = historySaving
    self.completer = completer
    self.editingMode = editingMode
    self.editrc = editrc
    self.warn = warn
    self.ignoresInterruptSignal = ignoresInterruptSignal
  }

  /// Sends `text` to `warn`, or writes it to standard error.
  func warning(_ text: String) {
    if let warn {
      warn(text)
    } else {
      POSIX.writeAll(STDERR_FILENO, "\(programName): warning: \(text)\n")
    }
  }
}

/// When the history file is written.
public enum HistorySaving: Sendable, Hashable {
  /// After every line that was added: nothing is lost if the process is killed.
  case afterEachLine
  /// Only by `saveHistory()` and when the reader goes away.
  case onClose
}

/// The key bindings.
public enum EditingMode: String, Sendable, Hashable, CaseIterable {
  case emacs
  case vi
}

/// The libedit start-up file (editrc(5)), where users choose vi keys or bind their own.
public enum EditrcFile: Sendable, Hashable {
  /// `$EDITRC` if set, else `~/.editrc`, as libedit's own programs do.
  case standard
  /// This file.
  case file(String)
  /// None.
  case none

  /// The file to read, or nil.
  func path(environment: (String) -> String? = Terminal.environmentValue) -> String? {
    switch self {
    case .none: return nil
    case .file(let path): return path
    case .standard:
      if let path = environment("EDITRC"), !path.isEmpty { return path }
      guard let home = environment("HOME") ?? POSIX.homeDirectory() else { return nil }
      return home.hasSuffix("/") ? home + ".editrc" : home + "/.editrc"
    }
  }
}

/// The reader for this process's standard input: an ``EditLineReader`` when a person is at a terminal
/// (``Terminal/isInteractive(environment:)``), else a ``PipedLineReader`` (showing prompts only if
/// standard input is still a terminal, as with TERM=dumb).
public func makeStandardInputReader(_ options: LineReaderOptions = LineReaderOptions()) -> any LineReader {
  if Terminal.isInteractive(), let reader = EditLineReader(options) {
    return reader
  }
  let promptOutput: Int32? =
    Terminal.standardInputIsTerminal
    ? (Terminal.standardOutputIsTerminal ? STDOUT_FILENO : STDERR_FILENO) : nil
  return PipedLineReader(fileDescriptor: STDIN_FILENO, promptOutput: promptOutput)
}
