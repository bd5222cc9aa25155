/// A set that is a plain array while it holds a handful of elements — the usual header list, where hashing
/// costs more than a few comparisons — and a hash set once it outgrows `smallCollectionLimit`, so that a hostile
/// list of thousands of names stays linear.
struct SmallSet<Element: Hashable> {
  private var list: [Element] = []
  private var set: Set<Element>? = nil

  /// Creates an empty set.
  init() {}

  /// Creates a set of these elements (repeats allowed).
  init(_ elements: [Element]) {
    if elements.count > smallCollectionLimit { set = Set(elements) } else { list = elements }
  }

  /// Whether the element is in the set.
  func contains(_ element: Element) -> Bool { set?.contains(element) ?? list.contains(element) }

  /// Adds the element; true when it was not there yet.
  @discardableResult
  mutating func insert(_ element: Element) -> Bool {
    if set != nil { return set!.insert(element).inserted }
    if list.contains(element) { return false }
    list.append(element)
    if list.count > smallCollectionLimit {
      set = Set(list)
      list = []
    }
    return true
  }
}

/// How many elements a list is searched by walking it before an index or a hash set takes over (`SmallSet`,
/// `AuthorHeaders`, the sorted-lowercase set of header names).
let smallCollectionLimit = 16
