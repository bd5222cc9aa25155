import Synchronization

/// A regular expression that could not be compiled for matching origins: the pattern, and what is wrong with it.
public struct OriginPatternError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The pattern as written.
  public var pattern: String
  /// What is wrong, and where (a 1-based character position).
  public var problem: String
  public var description: String { "the regular expression /\(pattern)/: \(problem)" }
}

/// A regular expression of an origin allowlist, compiled once and matched in time linear in the origin's
/// length: a Thompson automaton run as a set of states (Pike's VM), so no pattern backtracks —
/// `/(.*)*x/` against a long origin costs what `/x/` does.
///
/// The syntax is what Python's `re`, JavaScript's `RegExp` and ICU agree on for origin patterns:
/// literals and escaped metacharacters; `.`; classes `[a-z0-9.-]`, `[^…]`, `\d \w \s` and their negations;
/// groups `( )`, `(?: )`, `(?P<name> )`, `(?<name> )`; alternation `|`; the quantifiers `* + ? {n} {n,}
/// {n,m}` (lazy or greedy: a yes/no answer does not care); the anchors `^ $ \A \z \Z` and `\b \B`; the
/// flags `(?i)` (and `(?m)`, `(?s)`, which change nothing for an origin, a single line). What needs
/// backtracking — backreferences, lookahead and lookbehind, atomic groups, possessive quantifiers — is
/// refused with an error naming the pattern, as is a pattern over 1,000 characters or one whose counted
/// repetitions make more than 20,000 states.
public struct OriginPattern: Sendable, Hashable {
  /// The pattern as written.
  public let source: String
  /// Whether letters match either case (flask-cors, a JavaScript `/…/i` literal, `(?i)`).
  public let ignoringCase: Bool
  private let program: [Instruction]
  /// ASCII text, lower-cased, that every string the pattern matches contains (nil: none worth looking for):
  /// a quick test that rules the pattern out for most strings without running it.
  let requiredLiteral: String?

  /// Patterns longer than this are refused.
  public static let maximumLength = 1_000
  /// Automata larger than this are refused (counted repetitions multiply a pattern's states).
  public static let maximumStates = 20_000

  /// Compiles a pattern.
  public init(_ source: String, ignoringCase: Bool = false) throws(OriginPatternError) {
    self.source = source
    var parser = PatternParser(source)
    let scalars = Array(source.unicodeScalars)
    guard scalars.count <= Self.maximumLength else {
      throw OriginPatternError(pattern: String(source.prefix(60)) + "…",
                               problem: "\(scalars.count) characters; at most \(Self.maximumLength)")
    }
    let tree: PatternNode
    do { tree = try parser.parse() } catch { throw OriginPatternError(pattern: source, problem: error.problem) }
    let fold = ignoringCase || parser.ignoringCase
    self.ignoringCase = fold
    var compiler = PatternCompiler(ignoringCase: fold)
    do { try compiler.emit(tree) } catch { throw OriginPatternError(pattern: source, problem: error.problem) }
    compiler.program.append(.match)
    program = compiler.program
    requiredLiteral = PatternLiteral.longestRequired(in: tree)
  }

  public static func == (a: OriginPattern, b: OriginPattern) -> Bool {
    a.source == b.source && a.ignoringCase == b.ignoringCase
  }
  public func hash(into hasher: inout Hasher) {
    hasher.combine(source)
    hasher.combine(ignoringCase)
  }

  /// Whether the pattern matches the whole string, a prefix of it, or somewhere in it.
  public func matches(_ text: String, _ mode: RegexMatch) -> Bool {
    var input = Array(text.unicodeScalars)
    if ignoringCase { for i in input.indices { input[i] = PatternCompiler.fold(input[i]) } }
    var current = StateSet(capacity: program.count)
    var next = StateSet(capacity: program.count)
    // `matched`: the automaton's final state is reached at the position being looked at.
    var matched = false
    add(0, at: 0, input, to: &current, matched: &matched)
    for position in input.indices {
      if matched && mode != .whole { return true }
      if current.isEmpty && mode != .search { return false }
      matched = false
      let c = input[position]
      next.clear()
      for pc in current.members {
        let consumes: Bool
        switch program[pc] {
        case .scalar(let s): consumes = s == c
        case .anyButNewline: consumes = c != "\n"
        case .set(let set): consumes = set.contains(c, ignoringCase: ignoringCase)
        default: consumes = false
        }
        if consumes { add(pc + 1, at: position + 1, input, to: &next, matched: &matched) }
      }
      swap(&current, &next)
      // A search may start anywhere: a new attempt at every position, run alongside the others.
      if mode == .search { add(0, at: position + 1, input, to: &current, matched: &matched) }
    }
    return matched
  }

  /// Adds a state and every state reachable from it without consuming input (the ε-closure); each state
  /// once per position, so the work per character is bounded by the automaton's size.
  private func add(_ start: Int, at position: Int, _ input: [Unicode.Scalar], to set: inout StateSet, matched: inout Bool) {
    var stack = [start]
    while let pc = stack.popLast() {
      guard set.insertClosure(pc) else { continue }
      switch program[pc] {
      case .match: matched = true
      case .jump(let target): stack.append(target)
      case .split(let a, let b):
        stack.append(b)
        stack.append(a)
      case .assert(let assertion):
        if assertion.holds(at: position, in: input) { stack.append(pc + 1) }
      case .scalar, .anyButNewline, .set: set.insert(pc)
      }
    }
  }
}

extension OriginPattern {
  private static let cache = Mutex<[CacheKey: Result<OriginPattern, OriginPatternError>]>([:])
  private struct CacheKey: Hashable { var source: String; var ignoringCase: Bool }

  /// The compiled pattern, from a process-wide cache: a policy's patterns are compiled once, not once per
  /// origin matched.
  public static func compiled(_ source: String, ignoringCase: Bool) -> Result<OriginPattern, OriginPatternError> {
    let key = CacheKey(source: source, ignoringCase: ignoringCase)
    if let known = cache.withLock({ $0[key] }) { return known }
    let result: Result<OriginPattern, OriginPatternError>
    do { result = .success(try OriginPattern(source, ignoringCase: ignoringCase)) } catch { result = .failure(error) }
    cache.withLock { entries in
      // A bound on the cache: a process that reads many policies starts afresh now and then.
      if entries.count >= 4_096 { entries.removeAll(keepingCapacity: true) }
      entries[key] = result
    }
    return result
  }
}

// MARK: The automaton

enum Instruction: Sendable, Hashable {
  case scalar(Unicode.Scalar)
  case anyButNewline
  case set(ScalarSet)
  case split(Int, Int)
  case jump(Int)
  case assert(Assertion)
  case match
}

enum Assertion: Sendable, Hashable {
  case start, end, wordBoundary, notWordBoundary

  func holds(at position: Int, in input: [Unicode.Scalar]) -> Bool {
    switch self {
    case .start: return position == 0
    case .end: return position == input.count
    case .wordBoundary, .notWordBoundary:
      let before = position > 0 && ScalarSet.isWord(input[position - 1])
      let after = position < input.count && ScalarSet.isWord(input[position])
      return (before != after) == (self == .wordBoundary)
    }
  }
}

/// A character class: ranges and the `\d \w \s` families, possibly negated.
struct ScalarSet: Sendable, Hashable {
  enum Item: Sendable, Hashable {
    case range(UInt32, UInt32)
    case digit(Bool), word(Bool), space(Bool)
  }
  var items: [Item] = []
  var negated = false

  static func isWord(_ c: Unicode.Scalar) -> Bool {
    c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
  }
  static func isSpace(_ c: Unicode.Scalar) -> Bool {
    c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0B}" || c == "\u{0C}"
  }

  func contains(_ c: Unicode.Scalar, ignoringCase: Bool) -> Bool {
    var found = containsExactly(c)
    // The input was folded to lower case: an upper-case range must also see the letter's other case.
    if !found && ignoringCase { found = PatternCompiler.otherCases(c).contains { containsExactly($0) } }
    return found != negated
  }

  private func containsExactly(_ c: Unicode.Scalar) -> Bool {
    for item in items {
      switch item {
      case .range(let lo, let hi): if c.value >= lo && c.value <= hi { return true }
      case .digit(let yes): if ("0"..."9").contains(c) == yes { return true }
      case .word(let yes): if ScalarSet.isWord(c) == yes { return true }
      case .space(let yes): if ScalarSet.isSpace(c) == yes { return true }
      }
    }
    return false
  }
}

/// The states to run at one position: a sparse set (insertion, membership and clearing in constant time).
struct StateSet {
  private var dense: [Int]
  private var sparse: [Int]
  private var count = 0
  // States visited by the closure at this position (consuming or not), with a generation mark.
  private var visited: [UInt32]
  private var generation: UInt32 = 1

  init(capacity: Int) {
    dense = Array(repeating: 0, count: capacity)
    sparse = Array(repeating: 0, count: capacity)
    visited = Array(repeating: 0, count: capacity)
  }

  var isEmpty: Bool { count == 0 }
  var members: ArraySlice<Int> { dense[0..<count] }

  mutating func clear() {
    count = 0
    generation &+= 1
    if generation == 0 {
      for i in visited.indices { visited[i] = 0 }
      generation = 1
    }
  }

  /// Marks a state as reached by the closure; false if it already was at this position.
  mutating func insertClosure(_ pc: Int) -> Bool {
    if visited[pc] == generation { return false }
    visited[pc] = generation
    return true
  }

  mutating func insert(_ pc: Int) {
    let k = sparse[pc]
    if k < count && dense[k] == pc { return }
    sparse[pc] = count
    dense[count] = pc
    count += 1
  }
}

// MARK: Parsing

struct PatternProblem: Error { var problem: String }

indirect enum PatternNode {
  case empty
  case scalar(Unicode.Scalar)
  case anyButNewline
  case set(ScalarSet)
  case assert(Assertion)
  case concat([PatternNode])
  case alternation([PatternNode])
  case repeated(PatternNode, min: Int, max: Int?)
}

struct PatternParser {
  private let scalars: [Unicode.Scalar]
  private var i = 0
  private(set) var ignoringCase = false
  private var depth = 0

  init(_ source: String) { scalars = Array(source.unicodeScalars) }

  private func fail(_ what: String, at position: Int? = nil) -> PatternProblem {
    PatternProblem(problem: "\(what) (at character \((position ?? i) + 1))")
  }

  mutating func parse() throws(PatternProblem) -> PatternNode {
    let node = try alternation()
    if i < scalars.count { throw fail("an unmatched ')'") }
    return node
  }

  private var peek: Unicode.Scalar? { i < scalars.count ? scalars[i] : nil }

  private mutating func alternation() throws(PatternProblem) -> PatternNode {
    var branches = [try concatenation()]
    while peek == "|" {
      i += 1
      branches.append(try concatenation())
    }
    return branches.count == 1 ? branches[0] : .alternation(branches)
  }

  private mutating func concatenation() throws(PatternProblem) -> PatternNode {
    var items: [PatternNode] = []
    while let c = peek, c != "|", c != ")" {
      guard let atom = try atom() else { continue }
      items.append(try quantified(atom))
    }
    return items.isEmpty ? .empty : items.count == 1 ? items[0] : .concat(items)
  }

  private mutating func quantified(_ atom: PatternNode) throws(PatternProblem) -> PatternNode {
    var node = atom
    while let c = peek {
      let start = i
      var bounds: (Int, Int?)
      switch c {
      case "*": bounds = (0, nil); i += 1
      case "+": bounds = (1, nil); i += 1
      case "?": bounds = (0, 1); i += 1
      case "{":
        guard let counted = countedBounds() else { return node }
        bounds = counted
      default: return node
      }
      if case .assert = node { throw fail("nothing to repeat", at: start) }
      if case .empty = node { throw fail("nothing to repeat", at: start) }
      if case .repeated = node { throw fail("a quantifier after a quantifier", at: start) }
      if peek == "?" { i += 1 } else if peek == "+" { throw fail("possessive quantifiers are not supported") }
      node = .repeated(node, min: bounds.0, max: bounds.1)
    }
    return node
  }

  /// `{n}`, `{n,}`, `{n,m}`; nil (and nothing consumed) when the brace is a literal one.
  private mutating func countedBounds() -> (Int, Int?)? {
    var j = i + 1
    func number() -> Int? {
      var n: Int? = nil
      while j < scalars.count, ("0"..."9").contains(scalars[j]) {
        n = min((n ?? 0) * 10 + Int(scalars[j].value - 48), 100_000)
        j += 1
      }
      return n
    }
    guard let low = number() else { return nil }
    var high: Int? = low
    if j < scalars.count, scalars[j] == "," {
      j += 1
      high = number()
    }
    guard j < scalars.count, scalars[j] == "}" else { return nil }
    if let h = high, h < low { return nil }
    i = j + 1
    return (low, high)
  }

  private mutating func atom() throws(PatternProblem) -> PatternNode? {
    let c = scalars[i]
    let start = i
    i += 1
    switch c {
    case "(": return try group(start)
    case "[": return .set(try characterClass(start))
    case ".": return .anyButNewline
    case "^": return .assert(.start)
    case "$": return .assert(.end)
    case "\\": return try escape(inClass: false).node
    case "*", "+", "?": throw fail("nothing to repeat", at: start)
    default: return .scalar(c)
    }
  }

  private mutating func group(_ start: Int) throws(PatternProblem) -> PatternNode? {
    depth += 1
    defer { depth -= 1 }
    if depth > 100 { throw fail("groups nested more than 100 deep", at: start) }
    if peek == "?" {
      i += 1
      guard let kind = peek else { throw fail("an unterminated group", at: start) }
      switch kind {
      case ":": i += 1
      case "P", "<":
        if kind == "<", i + 1 < scalars.count, scalars[i + 1] == "=" || scalars[i + 1] == "!" {
          throw fail("lookbehind needs backtracking; origin patterns do not support it", at: start)
        }
        if kind == "P" {
          i += 1
          guard peek == "<" else { throw fail("backreferences (?P=…) are not supported", at: start) }
        }
        // A named group: the name does not matter.
        while let n = peek, n != ">" { i += 1 }
        guard peek == ">" else { throw fail("an unterminated group name", at: start) }
        i += 1
      case "=", "!": throw fail("lookahead needs backtracking; origin patterns do not support it", at: start)
      case ">": throw fail("atomic groups are not supported", at: start)
      default:
        // Inline flags: (?i), (?m), (?s), alone or scoped (?i:…).
        var flags: [Unicode.Scalar] = []
        while let f = peek, f != ")", f != ":" {
          guard f == "i" || f == "m" || f == "s" else { throw fail("the flag '\(f)' is not supported (only i, m, s)", at: i) }
          flags.append(f)
          i += 1
        }
        if flags.contains("i") { ignoringCase = true }
        guard let end = peek else { throw fail("an unterminated group", at: start) }
        i += 1
        if end == ")" { return nil }
      }
    }
    let inner = try alternation()
    guard peek == ")" else { throw fail("a '(' that is never closed", at: start) }
    i += 1
    // Wrapped, so that a quantifier after the group applies to the group (`(a*)*`).
    return .concat([inner])
  }

  private mutating func characterClass(_ start: Int) throws(PatternProblem) -> ScalarSet {
    var set = ScalarSet()
    if peek == "^" {
      set.negated = true
      i += 1
    }
    var first = true
    while true {
      guard let c = peek else { throw fail("a '[' that is never closed", at: start) }
      if c == "]" && !first {
        i += 1
        return set
      }
      first = false
      i += 1
      let low: Unicode.Scalar
      if c == "\\" {
        let e = try escape(inClass: true)
        guard let s = e.scalar else {
          if case .set(let inner)? = e.node { set.items += inner.items }
          continue
        }
        low = s
      } else {
        low = c
      }
      // A range `a-z` (a '-' first, last or after a range is literal).
      if peek == "-", i + 1 < scalars.count, scalars[i + 1] != "]" {
        i += 1
        var high = scalars[i]
        i += 1
        if high == "\\" {
          guard let s = try escape(inClass: true).scalar else { throw fail("a class escape cannot end a range") }
          high = s
        }
        guard low.value <= high.value else { throw fail("the range \(low)-\(high) is out of order") }
        set.items.append(.range(low.value, high.value))
        continue
      }
      set.items.append(.range(low.value, low.value))
    }
  }

  /// After a backslash: a scalar, a class, or an assertion.
  private mutating func escape(inClass: Bool) throws(PatternProblem) -> (node: PatternNode?, scalar: Unicode.Scalar?) {
    guard let c = peek else { throw fail("a pattern cannot end with a backslash") }
    i += 1
    func set(_ item: ScalarSet.Item) -> (PatternNode?, Unicode.Scalar?) { (.set(ScalarSet(items: [item])), nil) }
    switch c {
    case "d": return set(.digit(true))
    case "D": return set(.digit(false))
    case "w": return set(.word(true))
    case "W": return set(.word(false))
    case "s": return set(.space(true))
    case "S": return set(.space(false))
    case "n": return (.scalar("\n"), "\n")
    case "r": return (.scalar("\r"), "\r")
    case "t": return (.scalar("\t"), "\t")
    case "f": return (.scalar("\u{0C}"), "\u{0C}")
    case "v": return (.scalar("\u{0B}"), "\u{0B}")
    case "0": return (.scalar("\0"), "\0")
    case "x", "u":
      let digits = c == "x" ? 2 : 4
      guard i + digits <= scalars.count, let v = UInt32(String(String.UnicodeScalarView(scalars[i..<(i + digits)])), radix: 16),
            let s = Unicode.Scalar(v) else { throw fail("\\\(c) needs \(digits) hexadecimal digits") }
      i += digits
      return (.scalar(s), s)
    case "b" where !inClass: return (.assert(.wordBoundary), nil)
    case "b": return (.scalar("\u{08}"), "\u{08}")
    case "B" where !inClass: return (.assert(.notWordBoundary), nil)
    case "A" where !inClass: return (.assert(.start), nil)
    case "z", "Z": if !inClass { return (.assert(.end), nil) }
    case "1"..."9": throw fail("backreferences need backtracking; origin patterns do not support them", at: i - 2)
    default: break
    }
    if c.properties.isAlphabetic || ("0"..."9").contains(c) {
      throw fail("the escape \\\(c) is not supported", at: i - 2)
    }
    return (.scalar(c), c)
  }
}

// MARK: What every match contains

enum PatternLiteral {
  /// The longest run of ASCII literals that any match must contain, lower-cased (at least 3 characters).
  static func longestRequired(in node: PatternNode) -> String? {
    var best = ""
    var run = ""
    func end() {
      if run.utf8.count > best.utf8.count { best = run }
      run = ""
    }
    // The items a match goes through in order, whatever the groups.
    func walk(_ node: PatternNode) {
      switch node {
      case .scalar(let c) where c.isASCII:
        run.unicodeScalars.append(("A"..."Z").contains(c) ? Unicode.Scalar(c.value + 32)! : c)
      case .assert, .empty: break  // consumes nothing: the literals on either side are adjacent
      case .concat(let items): for item in items { walk(item) }
      case .repeated(let inner, let min, _) where min >= 1:
        // The first copy is required: its literals count, then the run ends (what follows may repeat).
        walk(inner)
        end()
      default: end()
      }
    }
    walk(node)
    end()
    return best.utf8.count >= 3 ? best : nil
  }
}

// MARK: Compiling

struct PatternCompiler {
  let ignoringCase: Bool
  var program: [Instruction] = []

  static func fold(_ c: Unicode.Scalar) -> Unicode.Scalar {
    if c.isASCII { return ("A"..."Z").contains(c) ? Unicode.Scalar(c.value + 32)! : c }
    let lower = c.properties.lowercaseMapping.unicodeScalars
    return lower.count == 1 ? lower.first! : c
  }

  static func otherCases(_ c: Unicode.Scalar) -> [Unicode.Scalar] {
    if c.isASCII { return ("a"..."z").contains(c) ? [Unicode.Scalar(c.value - 32)!] : [] }
    return [c.properties.uppercaseMapping, c.properties.titlecaseMapping].compactMap {
      $0.unicodeScalars.count == 1 ? $0.unicodeScalars.first : nil
    }
  }

  private mutating func append(_ instruction: Instruction) throws(PatternProblem) {
    guard program.count < OriginPattern.maximumStates else {
      throw PatternProblem(problem: "its repetitions make more than \(OriginPattern.maximumStates) states")
    }
    program.append(instruction)
  }

  mutating func emit(_ node: PatternNode) throws(PatternProblem) {
    switch node {
    case .empty: break
    case .scalar(let s): try append(.scalar(ignoringCase ? Self.fold(s) : s))
    case .anyButNewline: try append(.anyButNewline)
    case .set(let set): try append(.set(set))
    case .assert(let a): try append(.assert(a))
    case .concat(let items): for item in items { try emit(item) }
    case .alternation(let branches):
      // split L1, next; L1: branch; jump end; next: split L2, … — the last branch without a split.
      var jumps: [Int] = []
      for (k, branch) in branches.enumerated() {
        if k < branches.count - 1 {
          let split = program.count
          try append(.split(split + 1, -1))
          try emit(branch)
          jumps.append(program.count)
          try append(.jump(-1))
          program[split] = .split(split + 1, program.count)
        } else {
          try emit(branch)
        }
      }
      for j in jumps { program[j] = .jump(program.count) }
    case .repeated(let inner, let min, let max):
      for _ in 0..<min { try emit(inner) }
      if let max {
        // Up to max − min optional copies: split over each.
        var splits: [Int] = []
        for _ in min..<max {
          splits.append(program.count)
          try append(.split(program.count + 1, -1))
          try emit(inner)
        }
        for s in splits { program[s] = .split(s + 1, program.count) }
      } else {
        // L: split body, end; body; jump L.
        let loop = program.count
        try append(.split(loop + 1, -1))
        try emit(inner)
        try append(.jump(loop))
        program[loop] = .split(loop + 1, program.count)
      }
    }
  }
}
