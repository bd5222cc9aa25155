/// The lines a user entered, oldest first, with the REPL's rules for what is worth keeping: blank
/// lines are not kept, a line equal to the one before it is not kept again, and only the newest
/// `capacity` lines stay.
public struct HistoryList: Sendable, Hashable {
  /// The default bound on the number of lines kept.
  public static let defaultCapacity = 1000

  /// The lines kept, oldest first.
  public private(set) var entries: [String]

  /// How many lines are kept at most; lowering it drops the oldest lines at once.
  public var capacity: Int {
    didSet {
      if capacity < 0 { capacity = 0 }
      trim()
    }
  }

  public init(capacity: Int = HistoryList.defaultCapacity, entries: some Sequence<String> = []) {
    self.capacity = max(0, capacity)
    self.entries = []
    for entry in entries { add(entry) }
  }

  /// Adds `line` (less one trailing newline) as the newest entry.
  /// - Returns: false when the line was not kept: blank, or equal to the newest entry.
  @discardableResult
  public mutating func add(_ line: String) -> Bool {
    let line = Self.normalized(line)
    guard !Self.isBlank(line), line != entries.last, capacity > 0 else { return false }
    entries.append(line)
    trim()
    return true
  }

  /// Forgets every entry.
  public mutating func removeAll() { entries.removeAll() }

  /// The line without one trailing "\n" or "\r\n".
  static func normalized(_ line: String) -> String {
    var scalars = Substring(line).unicodeScalars
    guard scalars.last == "\n" else { return line }
    scalars.removeLast()
    if scalars.last == "\r" { scalars.removeLast() }
    return String(scalars)
  }

  /// True when the line holds nothing but spaces, tabs and line breaks.
  static func isBlank(_ line: String) -> Bool {
    line.unicodeScalars.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
  }

  private mutating func trim() {
    if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
  }
}
