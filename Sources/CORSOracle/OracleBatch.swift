import Dispatch

/// Answers a batch of oracle lines on several threads, in input order (`corsim oracle` uses it for the lines
/// already waiting on its standard input).
public enum OracleBatch {
  /// `answer(k)` for every k in 0..<count, in order; on `threads` threads when there is more than one line.
  /// Each thread takes every `threads`-th line, so each answer is written by exactly one thread.
  public static func answers(count: Int, threads: Int, _ answer: @Sendable (Int) -> String) -> [String] {
    if count <= 1 || threads <= 1 { return (0..<count).map(answer) }
    let slots = ResultSlots(count: count)
    DispatchQueue.concurrentPerform(iterations: min(threads, count)) { t in
      for k in stride(from: t, to: count, by: threads) { slots.set(k, answer(k)) }
    }
    return slots.values
  }
}

/// One slot per line, written from several threads (each slot by one thread only), read after they finish.
/// The storage is allocated once and never moves: a thread writes its own slot through the buffer, never
/// through a mutating access to a shared `Array` (whose uniqueness check reads the shared buffer, a data race
/// between the writers that ThreadSanitizer reports).
final class ResultSlots: @unchecked Sendable {
  private let slots: UnsafeMutableBufferPointer<String>
  init(count: Int) {
    slots = .allocate(capacity: count)
    slots.initialize(repeating: "")
  }
  deinit {
    slots.deinitialize()
    slots.deallocate()
  }
  func set(_ k: Int, _ value: String) { slots[k] = value }
  var values: [String] { Array(slots) }
}
