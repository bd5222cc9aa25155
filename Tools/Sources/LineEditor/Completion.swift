/// What the user asked to complete: the whole line and where the cursor is.
public struct CompletionRequest: Sendable, Hashable {
  /// The line being edited.
  public let line: String
  /// The cursor's position in `line`.
  public let cursor: String.Index

  public init(line: String, cursor: String.Index) {
    self.line = line
    self.cursor = cursor
  }

  /// A request with the cursor `offset` characters into the line (clamped to the line).
  public init(line: String, cursorOffset offset: Int) {
    self.line = line
    self.cursor = line.index(line.startIndex, offsetBy: max(0, offset), limitedBy: line.endIndex) ?? line.endIndex
  }

  /// A request with the cursor at the end of the line.
  public init(line: String) { self.init(line: line, cursor: line.endIndex) }

  /// The text before the cursor.
  public var textBeforeCursor: Substring { line[..<cursor] }

  /// Where the word being completed stands: from after the last blank before the cursor up to the
  /// cursor (empty right after a blank).
  public var currentWordRange: Range<String.Index> {
    let before = textBeforeCursor
    let start = before.lastIndex(where: Self.isBlank).map { line.index(after: $0) } ?? line.startIndex
    return start..<cursor
  }

  /// The word being completed (see ``currentWordRange``).
  public var currentWord: Substring { line[currentWordRange] }

  /// The blank-separated words before the word being completed, e.g. `["load"]` in `load sce|`.
  public var precedingWords: [Substring] {
    line[..<currentWordRange.lowerBound].split(whereSeparator: Self.isBlank)
  }

  static func isBlank(_ character: Character) -> Bool { character == " " || character == "\t" }
}

/// One way to complete a word.
public struct CompletionCandidate: Sendable, Hashable, ExpressibleByStringLiteral {
  /// The text that replaces the word being completed.
  public var text: String
  /// How the candidate is shown in a listing (a file's name without its directory, say).
  public var display: String
  /// When this is the only candidate, whether it is finished: a blank is then added after it. False
  /// for a directory, whose completion goes on inside it.
  public var isFinished: Bool

  public init(_ text: String, display: String? = nil, isFinished: Bool = true) {
    self.text = text
    self.display = display ?? text
    self.isFinished = isFinished
  }

  public init(stringLiteral text: String) { self.init(text) }
}

/// A completer's answer: the candidates, and which part of the line they replace.
public struct Completions: Sendable, Hashable {
  /// The part of the request's line that a candidate replaces (usually the current word).
  public var range: Range<String.Index>
  /// The candidates, in the order to list them.
  public var candidates: [CompletionCandidate]

  public init(replacing range: Range<String.Index>, candidates: [CompletionCandidate]) {
    self.range = range
    self.candidates = candidates
  }

  /// Candidates that replace the request's current word.
  public init(for request: CompletionRequest, candidates: [CompletionCandidate]) {
    self.init(replacing: request.currentWordRange, candidates: candidates)
  }

  /// No candidate (the terminal beeps).
  public static func none(for request: CompletionRequest) -> Completions {
    Completions(for: request, candidates: [])
  }
}

/// Offers candidates for the word at the cursor when the user presses TAB.
///
/// The reader inserts the only candidate (and a blank after a finished one), or else the longest
/// prefix that all candidates share; a second TAB with nothing gained lists the candidates in columns.
public protocol Completer {
  func completions(for request: CompletionRequest) -> Completions
}

/// A completer made of a closure, for example one that picks another completer by the line's first
/// word:
///
/// ```swift
/// let commands = WordCompleter(["load", "save", "fetch", "route"])
/// let files = FileNameCompleter()
/// reader.completer = ClosureCompleter { request in
///   switch request.precedingWords.first {
///   case nil: commands.completions(for: request)
///   case "load", "save": files.completions(for: request)
///   default: .none(for: request)
///   }
/// }
/// ```
public struct ClosureCompleter: Completer {
  private let body: (CompletionRequest) -> Completions

  public init(_ body: @escaping (CompletionRequest) -> Completions) { self.body = body }

  public func completions(for request: CompletionRequest) -> Completions { body(request) }
}

/// Completes the current word from a fixed vocabulary, by prefix.
public struct WordCompleter: Completer, Sendable {
  /// The vocabulary, in listing order.
  public var words: [String]
  /// When false, `access-control-allow-o` completes to `Access-Control-Allow-Origin`.
  public var isCaseSensitive: Bool

  public init(_ words: [String], caseSensitive: Bool = true) {
    self.words = words
    self.isCaseSensitive = caseSensitive
  }

  public func completions(for request: CompletionRequest) -> Completions {
    let word = String(request.currentWord)
    let matches = words.filter { Self.hasPrefix($0, word, caseSensitive: isCaseSensitive) }
    return Completions(for: request, candidates: matches.map { CompletionCandidate($0) })
  }

  static func hasPrefix(_ text: String, _ prefix: String, caseSensitive: Bool) -> Bool {
    caseSensitive ? text.hasPrefix(prefix) : text.lowercased().hasPrefix(prefix.lowercased())
  }
}

/// What pressing TAB does to the line.
enum CompletionAction: Equatable {
  /// Nothing to do: beep.
  case beep
  /// Replace `range` of the line with `text`.
  case replace(Range<String.Index>, with: String)
  /// Show these candidates, sorted, under the line.
  case list([String])
}

enum CompletionEngine {
  /// Decides what TAB does with `completions`: insert the only candidate (with a blank after it when
  /// it is finished and no blank follows), else the longest common prefix when it adds something,
  /// else list the candidates if `listIfStuck` (a second TAB), else beep.
  static func action(
    for completions: Completions, in request: CompletionRequest, listIfStuck: Bool
  ) -> CompletionAction {
    let candidates = completions.candidates
    let typed = request.line[completions.range]
    switch candidates.count {
    case 0:
      return .beep
    case 1:
      let only = candidates[0]
      let blankFollows = request.line[completions.range.upperBound...].first.map(CompletionRequest.isBlank) ?? false
      let text = only.isFinished && !blankFollows ? only.text + " " : only.text
      return text == typed ? .beep : .replace(completions.range, with: text)
    default:
      let prefix = longestCommonPrefix(candidates.map(\.text))
      if prefix.count > typed.count {
        return .replace(completions.range, with: prefix)
      }
      return listIfStuck ? .list(listing(candidates)) : .beep
    }
  }

  /// The candidates' display strings, sorted, each once.
  static func listing(_ candidates: [CompletionCandidate]) -> [String] {
    var seen = Set<String>()
    return candidates.map(\.display).filter { seen.insert($0).inserted }.sorted()
  }

  /// The longest string that every one of `strings` starts with (by Character).
  static func longestCommonPrefix(_ strings: [String]) -> String {
    guard var prefix = strings.first.map({ $0[...] }) else { return "" }
    for string in strings.dropFirst() {
      prefix = prefix.commonPrefix(with: string)
      if prefix.isEmpty { break }
    }
    return String(prefix)
  }
}

extension Substring {
  fileprivate func commonPrefix(with other: String) -> Substring {
    var end = startIndex
    var otherIndex = other.startIndex
    while end < endIndex, otherIndex < other.endIndex, self[end] == other[otherIndex] {
      formIndex(after: &end)
      other.formIndex(after: &otherIndex)
    }
    return self[..<end]
  }
}
