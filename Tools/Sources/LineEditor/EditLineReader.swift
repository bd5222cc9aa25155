import CEditLine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Line editing on a terminal, with libedit: emacs keys (vi keys on request or from `~/.editrc`),
/// history browsed with Up/Down and kept in a file, TAB completion, Ctrl-C to drop the line being
/// edited, Ctrl-D on an empty line to end, Ctrl-Z to suspend.
///
/// Use it only when standard input and output are terminals (``makeStandardInputReader(_:)`` decides).
/// It owns libedit's `EditLine` and `History` and frees them when released; the terminal is in
/// libedit's raw mode only inside `read(prompt:)`.
///
/// ```swift
/// let history = HistoryStore(path: HistoryStore.defaultPath(), capacity: 1000)
/// guard let reader = EditLineReader(LineReaderOptions(history: history, completer: completer)) else { … }
/// while let line = reader.readLine(prompt: "corsim> ") { … }
/// ```
public final class EditLineReader: LineReader {
  private let editLine: OpaquePointer
  private let libeditHistory: OpaquePointer
  private let options: LineReaderOptions
  private let promptText = CString()
  private let rightPromptText = CString()

  /// The session's history (the options' store, or one kept in memory only).
  public let history: HistoryStore

  /// What TAB offers; nil makes TAB insert a tab.
  public var completer: (any Completer)?

  /// When true (the default), each line read is added to the history.
  public var recordsHistory = true

  /// Shown at the right edge of the line being edited ("" for none). Escape sequences are allowed.
  public var rightPrompt = "" {
    didSet { rightPromptText.set(Self.libeditPrompt(rightPrompt)) }
  }

  /// Set by the Ctrl-C function while `el_gets` runs.
  private var interrupted = false
  /// The line and cursor after a TAB that left several candidates: a TAB on the same state lists them.
  private var listingState: ListingState?
  /// The last save failure reported, so that a failing save warns once, not at every line.
  private var reportedSaveProblem: HistoryProblem?
  /// SIGINT's handler before this reader ignored it, restored by deinit.
  private var previousInterruptHandler: (@convention(c) (Int32) -> Void)?
  private var ignoresInterrupts = false

  /// Sets up libedit on standard input, output and error; nil if libedit cannot start.
  /// Loads the options' history (a problem with the file becomes a warning, and an empty history).
  public init?(_ options: LineReaderOptions = LineReaderOptions()) {
    Self.useUTF8Locale()
    guard let editLine = CEditLine_init_stdio(options.programName) else { return nil }
    guard let libeditHistory = CEditLine_history_init() else {
      CEditLine_end(editLine)
      return nil
    }
    self.editLine = editLine
    self.libeditHistory = libeditHistory
    self.options = options
    self.history = options.history ?? HistoryStore(path: nil)
    self.completer = options.completer

    CEditLine_set_clientdata(editLine, Unmanaged.passUnretained(self).toOpaque())
    CEditLine_set_prompt(editLine, { el in EditLineReader.owner(of: el)?.promptText.pointer }, 1)
    CEditLine_set_right_prompt(editLine, { el in EditLineReader.owner(of: el)?.rightPromptText.pointer }, 1)
    // Restore the terminal if a signal ends the process mid-line; follow window size changes.
    CEditLine_set_signal_handling(editLine, 1)
    // Ctrl-C and Ctrl-Z reach the editor as keys (bound below) instead of signals while editing.
    CEditLine_setty(editLine, "-d", "-isig")
    CEditLine_set_history(editLine, libeditHistory)
    CEditLine_history_set_unique(libeditHistory, 1)
    addFunctions()

    CEditLine_set_editor(editLine, EditingMode.emacs.rawValue)
    if let editrc = options.editrc.path(), access(editrc, R_OK) == 0 {
      CEditLine_source(editLine, editrc)
    }
    if let mode = options.editingMode { CEditLine_set_editor(editLine, mode.rawValue) }
    installKeyBindings()

    if options.ignoresInterruptSignal {
      previousInterruptHandler = signal(SIGINT, SIG_IGN)
      ignoresInterrupts = true
    }

    if let problem = history.load() { options.warning(problem.description) }
    mirrorHistory()
  }

  deinit {
    if history.hasUnsavedEntries { saveHistory() }
    CEditLine_end(editLine)
    CEditLine_history_end(libeditHistory)
    if ignoresInterrupts { signal(SIGINT, previousInterruptHandler) }
  }

  // MARK: Reading

  public func read(prompt: String) -> LineInput {
    promptText.set(Self.libeditPrompt(prompt))
    interrupted = false
    listingState = nil
    // libedit prints the prompt first and switches the terminal to raw mode only when it asks for
    // the first key: keys typed in between were echoed by the terminal (shown twice) and Ctrl-D or
    // Ctrl-C there acted as the terminal's EOF and interrupt. Going raw before el_gets closes that gap.
    CEditLine_prepare_terminal(editLine, 1)
    var count: Int32 = 0
    guard let raw = CEditLine_gets(editLine, &count) else {
      if count < 0, errno == EINTR { return .interrupted }
      POSIX.writeAll(STDOUT_FILENO, "\n")  // leave the shell's prompt on a line of its own
      return .endOfInput
    }
    if interrupted { return .interrupted }
    let line = HistoryList.normalized(String(cString: raw))
    if recordsHistory { addToHistory(line) }
    return .line(line)
  }

  /// The key bindings in force: emacs or vi. Setting it resets the key map to that editor's defaults
  /// (and this reader's TAB, Ctrl-C, Ctrl-D and Ctrl-Z).
  public var editingMode: EditingMode {
    get {
      guard let name = CEditLine_editor(editLine) else { return .emacs }
      return EditingMode(rawValue: String(cString: name)) ?? .emacs
    }
    set {
      CEditLine_set_editor(editLine, newValue.rawValue)
      installKeyBindings()
    }
  }

  /// Runs one editrc(5) command, e.g. `bind ^X ed-redisplay`. Returns false if libedit refused it.
  @discardableResult
  public func runEditorCommand(_ command: String) -> Bool {
    let accepted = CEditLine_parse(editLine, command) == 0
    installKeyBindings()
    return accepted
  }

  // MARK: History

  /// Adds `line` to the history (unless blank or equal to the previous entry) and, with
  /// `.afterEachLine`, saves the file. `read(prompt:)` does this itself when `recordsHistory` is true.
  public func addToHistory(_ line: String) {
    guard history.add(line) else { return }
    CEditLine_history_enter(libeditHistory, history.entries.last!)
    if options.historySaving == .afterEachLine { saveHistory() }
  }

  /// Writes the history file now. A failure is reported once through the options' warning.
  public func saveHistory() {
    do {
      try history.save()
      reportedSaveProblem = nil
    } catch {
      if error != reportedSaveProblem { options.warning(error.description) }
      reportedSaveProblem = error
    }
  }

  /// Reloads the history from its file (for example after the REPL changed the path's contents).
  public func reloadHistory() {
    if let problem = history.load() { options.warning(problem.description) }
    mirrorHistory()
  }

  /// Makes libedit's own list (browsed with Up/Down and searches) equal to the store's.
  private func mirrorHistory() {
    CEditLine_history_clear(libeditHistory)
    CEditLine_history_set_size(libeditHistory, Int32(clamping: max(1, history.capacity)))
    for entry in history.entries { CEditLine_history_enter(libeditHistory, entry) }
  }

  // MARK: Key bindings

  private var functionName: (complete: String, interrupt: String, suspend: String) {
    let name = options.programName
    return ("\(name)-complete", "\(name)-interrupt", "\(name)-suspend")
  }

  /// Makes this reader's functions available to bindings (also to the user's editrc).
  private func addFunctions() {
    let names = functionName
    CEditLine_add_function(editLine, names.complete, "Complete the word before the cursor") { el, _ in
      EditLineReader.owner(of: el)?.completeWord() ?? UInt8(CC_ERROR)
    }
    CEditLine_add_function(editLine, names.interrupt, "Drop the line being edited") { el, _ in
      EditLineReader.owner(of: el)?.interruptLine() ?? UInt8(CC_ERROR)
    }
    CEditLine_add_function(editLine, names.suspend, "Suspend the program") { el, _ in
      EditLineReader.owner(of: el)?.suspend() ?? UInt8(CC_ERROR)
    }
  }

  /// TAB completes, the terminal's interrupt key (Ctrl-C) drops the line, its suspend key (Ctrl-Z)
  /// suspends, in every key map; in vi insert mode Ctrl-D deletes like emacs (EOF on an empty line).
  private func installKeyBindings() {
    let names = functionName
    let keys = Self.terminalKeys()
    let vi = editingMode == .vi
    CEditLine_bind(editLine, "^I", names.complete)
    for (key, function) in [(keys.interrupt, names.interrupt), (keys.suspend, names.suspend)] {
      CEditLine_bind(editLine, key, function)
      if vi { CEditLine_bind_alternate(editLine, key, function) }
    }
    if vi { CEditLine_bind(editLine, "^D", "em-delete-or-list") }
  }

  /// The terminal's interrupt and suspend characters in bind(1) notation ("^C", "^Z").
  private static func terminalKeys() -> (interrupt: String, suspend: String) {
    var settings = termios()
    guard tcgetattr(STDIN_FILENO, &settings) == 0 else { return ("^C", "^Z") }
    let characters = withUnsafeBytes(of: settings.c_cc) { Array($0) }
    func key(_ index: Int32, _ fallback: String) -> String {
      let byte = characters[Int(index)]
      switch byte {
      case 0: return fallback  // _POSIX_VDISABLE
      case 1..<32: return "^" + String(UnicodeScalar(byte + 64))
      case 127: return "^?"
      default: return String(UnicodeScalar(byte))
      }
    }
    return (key(VINTR, "^C"), key(VSUSP, "^Z"))
  }

  // MARK: Editor functions (called by libedit while el_gets runs)

  /// Ctrl-C: shows ^C after the line, ends it, and makes `read` answer `.interrupted`.
  private func interruptLine() -> UInt8 {
    interrupted = true
    let (_, after) = lineAroundCursor()
    CEditLine_move_cursor(editLine, Int32(clamping: after.unicodeScalars.count))
    CEditLine_insert(editLine, "^C")
    CEditLine_push(editLine, "\n")  // ed-newline moves below the line and ends el_gets
    return UInt8(CC_REFRESH)
  }

  /// Ctrl-Z: gives the terminal back, stops like any job, and takes the terminal again on `fg`.
  private func suspend() -> UInt8 {
    CEditLine_prepare_terminal(editLine, 0)
    kill(0, SIGTSTP)
    CEditLine_prepare_terminal(editLine, 1)
    return UInt8(CC_REDISPLAY)
  }

  /// TAB: see ``Completer``. A TAB with only blanks before the cursor, or while pasted text is still
  /// arriving, inserts a tab: it belongs to the text.
  private func completeWord() -> UInt8 {
    let (before, after) = lineAroundCursor()
    let onlyBlanks = before.allSatisfy(CompletionRequest.isBlank)
    guard let completer, !onlyBlanks, CEditLine_pending_input(STDIN_FILENO) == 0 else {
      listingState = nil
      CEditLine_insert(editLine, "\t")
      return UInt8(CC_REFRESH)
    }
    let line = before + after
    let request = CompletionRequest(line: line, cursor: line.utf8.index(line.startIndex, offsetBy: before.utf8.count))
    let completions = completer.completions(for: request)
    let state = ListingState(line: line, cursor: before.utf8.count)
    let ambiguous = completions.candidates.count > 1
    switch CompletionEngine.action(for: completions, in: request, listIfStuck: listingState == state) {
    case .beep:
      listingState = ambiguous ? state : nil
      return UInt8(CC_ERROR)
    case .replace(let range, let text):
      replace(range, in: request, with: text)
      let (newBefore, newAfter) = lineAroundCursor()
      listingState = ambiguous ? ListingState(line: newBefore + newAfter, cursor: newBefore.utf8.count) : nil
      return UInt8(CC_REFRESH)
    case .list(let items):
      let width = Terminal.columns(of: STDOUT_FILENO) ?? Int(CEditLine_columns(editLine))
      CEditLine_write(editLine, "\n" + ColumnLayout.render(items, width: width > 0 ? width : 80))
      listingState = state
      return UInt8(CC_REDISPLAY)
    }
  }

  /// Replaces `range` of the request's line with `text` in libedit's buffer, leaving the cursor after it.
  private func replace(_ range: Range<String.Index>, in request: CompletionRequest, with text: String) {
    let line = request.line
    let move =
      range.upperBound >= request.cursor
      ? line.unicodeScalars[request.cursor..<range.upperBound].count
      : -line.unicodeScalars[range.upperBound..<request.cursor].count
    CEditLine_move_cursor(editLine, Int32(clamping: move))
    CEditLine_delete_before_cursor(editLine, Int32(clamping: line.unicodeScalars[range].count))
    CEditLine_insert(editLine, text)
  }

  /// The line being edited, split at the cursor.
  private func lineAroundCursor() -> (before: String, after: String) {
    let info = CEditLine_line(editLine).pointee
    guard let buffer = info.buffer, let cursor = info.cursor, let end = info.lastchar else { return ("", "") }
    func text(_ from: UnsafePointer<CChar>, _ to: UnsafePointer<CChar>) -> String {
      let bytes = UnsafeRawBufferPointer(start: from, count: max(0, to - from))
      return String(decoding: bytes, as: UTF8.self)
    }
    return (text(buffer, cursor), text(cursor, end))
  }

  private struct ListingState: Equatable {
    var line: String
    var cursor: Int
  }

  // MARK: Plumbing

  /// The reader whose client data libedit hands back to a callback.
  private static func owner(of el: OpaquePointer?) -> EditLineReader? {
    guard let el, let data = CEditLine_clientdata(el) else { return nil }
    return Unmanaged<EditLineReader>.fromOpaque(data).takeUnretainedValue()
  }

  /// `prompt` with each escape sequence between \u{1} markers, so that libedit counts no width for it.
  static func libeditPrompt(_ prompt: String) -> String {
    var result = String.UnicodeScalarView()
    for piece in EscapeScanner.pieces(of: prompt) {
      switch piece {
      case .text(let scalars): result.append(contentsOf: scalars.filter { $0 != "\u{1}" })
      case .escape(let scalars):
        result.append("\u{1}")
        result.append(contentsOf: scalars)
        result.append("\u{1}")
      }
    }
    return String(result)
  }

  /// libedit decodes input with the C library's multibyte functions, so it needs a UTF-8 LC_CTYPE:
  /// the environment's when it is one, else C.UTF-8. Done once per process.
  private static let utf8Locale: Void = {
    setlocale(LC_CTYPE, "")
    if let codeset = nl_langinfo(nl_item(CODESET)), String(cString: codeset) == "UTF-8" { return }
    setlocale(LC_CTYPE, "C.UTF-8")
  }()

  private static func useUTF8Locale() { _ = utf8Locale }
}

/// A C string that stays valid until the next `set`, for libedit's prompt callbacks.
private final class CString {
  private(set) var pointer: UnsafeMutablePointer<CChar>

  init() { pointer = strdup("")! }

  func set(_ text: String) {
    let old = pointer
    pointer = strdup(text)!
    free(old)
  }

  deinit { free(pointer) }
}
