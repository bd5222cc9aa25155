import TerminalTestSupport
import CEditLine
import Testing

@testable import LineEditor

#if canImport(Glibc)
import Glibc
#endif

@Suite("HistoryList: what is worth keeping")
struct HistoryListTests {
  @Test("blank lines and a repeat of the previous line are not kept")
  func blanksAndRepeats() {
    var list = HistoryList()
    let kept = ["fetch https://a", "fetch https://a", "", "  \t ", "route /a", "fetch https://a"].map { list.add($0) }
    #expect(kept == [true, false, false, false, true, true], "only a repeat of the newest line is dropped")
    #expect(list.entries == ["fetch https://a", "route /a", "fetch https://a"])
  }

  @Test("one trailing line break is dropped; other whitespace is kept")
  func lineBreaks() {
    var list = HistoryList()
    list.add("page x\n")
    list.add("page x\r\n")
    list.add("  Origin: y  ")
    #expect(list.entries == ["page x", "  Origin: y  "])
  }

  @Test("only the newest `capacity` lines stay, and lowering the capacity drops the oldest")
  func bounded() {
    var list = HistoryList(capacity: 3, entries: ["1", "2", "3", "4", "5"])
    #expect(list.entries == ["3", "4", "5"])
    list.add("6")
    #expect(list.entries == ["4", "5", "6"])
    list.capacity = 1
    #expect(list.entries == ["6"])
    list.capacity = -4
    #expect(list.capacity == 0)
    #expect(list.entries.isEmpty)
    let keptAtZero = list.add("7")
    #expect(!keptAtZero)
  }
}

@Suite("History file format")
struct HistoryFileFormatTests {
  @Test("entries with backslashes, line breaks, tabs, controls and non-ASCII text survive a round trip")
  func roundTrip() throws {
    let entries = ["plain", #"C:\path\n"#, "two\nlines\r", "\tindented", "bell\u{07}esc\u{1B}[0m", "café ✓ 日本"]
    let text = HistoryFileFormat.encode(entries)
    #expect(text.split(separator: "\n").count == entries.count, "one entry a line")
    #expect(try HistoryFileFormat.decode(Array(text.utf8)).get() == entries)
  }

  @Test("CRLF endings and empty lines are tolerated; a lone backslash is kept")
  func lenient() throws {
    let bytes = Array("a\r\n\r\nb\\q\n\\".utf8)
    #expect(try HistoryFileFormat.decode(bytes).get() == ["a", "b\\q", "\\"])
  }

  @Test("invalid UTF-8 and raw control bytes are damage, with the byte and its offset")
  func damage() {
    #expect(HistoryFileFormat.damage(in: Array("ok\nfine".utf8)) == nil)
    #expect(
      HistoryFileFormat.damage(in: [0x61, 0x0A, 0xC3, 0x28])?.reason
        == "is not UTF-8 text (byte 0xC3 at offset 2)")
    #expect(
      HistoryFileFormat.damage(in: [0x61, 0x62, 0x00])?.reason
        == "contains a control character (byte 0x00 at offset 2)")
  }
}

@Suite("HistoryStore: the file between sessions")
struct HistoryStoreTests {
  let directory = TemporaryDirectory()

  @Test("no file yet: empty history, no problem; saving creates 0700 folders and a 0600 file")
  func firstSave() throws {
    let store = HistoryStore(path: directory.file("state/corsim/history"))
    #expect(store.load() == nil)
    #expect(store.entries.isEmpty)
    store.add("page https://app.example")
    #expect(store.hasUnsavedEntries)
    try store.save()
    #expect(!store.hasUnsavedEntries)
    #expect(directory.read("state/corsim/history") == "page https://app.example\n")
    #expect(directory.mode("state/corsim/history") == 0o600)
    #expect(directory.mode("state/corsim") == 0o700)
    #expect(directory.mode("state") == 0o700)
  }

  @Test("a second session sees the first one's lines; both sessions' lines are kept")
  func twoSessions() throws {
    let path = directory.file("history")
    let first = HistoryStore(path: path)
    let second = HistoryStore(path: path)
    first.load()
    second.load()
    first.add("from first")
    try first.save()
    second.add("from second")
    try second.save()
    let third = HistoryStore(path: path)
    #expect(third.load() == nil)
    #expect(third.entries == ["from first", "from second"])
    #expect(second.entries == ["from second"], "a session keeps its own view")
  }

  @Test("saving keeps the bound and drops a repeat across the file's end")
  func boundedSave() throws {
    directory.write("history", "a\nb\nc\n", mode: 0o600)
    let store = HistoryStore(path: directory.file("history"), capacity: 3)
    store.load()
    store.add("c")
    store.add("d")
    try store.save()
    #expect(directory.read("history") == "b\nc\nd\n")
  }

  @Test("a wider file is restricted to 0600 on load")
  func restrictsMode() {
    directory.write("history", "x\n", mode: 0o664)
    let store = HistoryStore(path: directory.file("history"))
    #expect(store.load() == nil)
    #expect(directory.mode("history") == 0o600)
    #expect(store.entries == ["x"])
  }

  @Test("a damaged file: a one-line problem, an empty history, the file untouched until a save")
  func damagedFile() throws {
    let garbage: [UInt8] = (0..<512).map { UInt8(truncatingIfNeeded: $0 &* 151 &+ 7) }
    directory.write("history", garbage, mode: 0o600)
    let store = HistoryStore(path: directory.file("history"))
    let problem = try #require(store.load())
    #expect(problem.action == .loadDamaged)
    #expect(problem.description.hasPrefix("history file \(directory.file("history")) "))
    #expect(!problem.description.contains("\n"))
    #expect(store.entries.isEmpty)
    #expect(directory.read("history").map { Array($0.utf8) } == String(decoding: garbage, as: UTF8.self).utf8.map { $0 })
    store.add("new")
    try store.save()
    #expect(directory.read("history") == "new\n")
  }

  @Test("a directory in the file's place: a problem on load, and saving fails without touching it")
  func directoryInPlace() throws {
    directory.makeDirectory("history")
    let store = HistoryStore(path: directory.file("history"))
    #expect(store.load() == HistoryProblem(path: directory.file("history"), action: .load, reason: "is a directory"))
    store.add("line")
    #expect(throws: HistoryProblem(path: directory.file("history"), action: .save, reason: "is a directory")) {
      try store.save()
    }
    #expect(directory.isDirectory("history"))
    #expect(store.hasUnsavedEntries, "nothing was saved")
  }

  @Test("saving through a symbolic link keeps the link")
  func symbolicLink() throws {
    directory.write("real-history", "old\n", mode: 0o600)
    symlink(directory.file("real-history"), directory.file("history"))
    let store = HistoryStore(path: directory.file("history"))
    store.load()
    store.add("new")
    try store.save()
    var status = stat()
    #expect(lstat(directory.file("history"), &status) == 0 && status.st_mode & S_IFMT == S_IFLNK)
    #expect(directory.read("real-history") == "old\nnew\n")
  }

  @Test("no path: history in memory only, saving does nothing")
  func inMemory() throws {
    let store = HistoryStore(path: nil)
    #expect(store.load() == nil)
    store.add("x")
    #expect(!store.hasUnsavedEntries)
    try store.save()
    #expect(store.entries == ["x"])
  }

  @Test("XDG: $XDG_STATE_HOME when absolute, else ~/.local/state")
  func defaultPath() {
    func path(_ environment: [String: String]) -> String? {
      HistoryStore.defaultPath(programName: "corsim") { environment[$0] }
    }
    #expect(path(["XDG_STATE_HOME": "/state", "HOME": "/home/u"]) == "/state/corsim/history")
    #expect(path(["XDG_STATE_HOME": "/state/", "HOME": "/home/u"]) == "/state/corsim/history")
    #expect(path(["XDG_STATE_HOME": "relative/state", "HOME": "/home/u"]) == "/home/u/.local/state/corsim/history")
    #expect(path(["XDG_STATE_HOME": "", "HOME": "/home/u"]) == "/home/u/.local/state/corsim/history")
  }
}

@Suite("CEditLine history wrappers")
struct CEditLineHistoryTests {
  @Test("enter, count, entry, unique, size, clear, and libedit's own save and load")
  func wrappers() throws {
    let directory = TemporaryDirectory()
    let history = try #require(CEditLine_history_init())
    defer { CEditLine_history_end(history) }
    #expect(CEditLine_history_set_unique(history, 1) == 0)
    #expect(CEditLine_history_set_size(history, 2) == 0)
    for line in ["one", "two", "two", "three"] { CEditLine_history_enter(history, line) }
    #expect(CEditLine_history_count(history) == 2)
    #expect(CEditLine_history_entry(history, 0).map { String(cString: $0) } == "three")
    #expect(CEditLine_history_entry(history, 1).map { String(cString: $0) } == "two")
    #expect(CEditLine_history_entry(history, 2) == nil)
    #expect(CEditLine_history_save(history, directory.file("libedit-history")) == 2)
    #expect(CEditLine_history_clear(history) == 0)
    #expect(CEditLine_history_count(history) == 0)
    #expect(CEditLine_history_load(history, directory.file("libedit-history")) == 2)
    #expect(CEditLine_history_entry(history, 0).map { String(cString: $0) } == "three")
  }
}
