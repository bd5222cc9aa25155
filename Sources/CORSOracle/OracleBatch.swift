import Dispatch
import Synchronization

/// Answers a batch of oracle lines on several threads, in input order (`corsim oracle` uses it for the lines
/// already waiting on its standard input).
public enum OracleBatch {
  /// `answer(k)` for every k in 0..<count, in order; on `threads` threads when there is more than one line.
  /// Each thread takes the next line no thread has taken yet (a shared counter), so each answer is written by
  /// exactly one thread and a thread that starts late, or meets slower lines, leaves the rest to the others. (Each
  /// thread used to take every `threads`-th line: a worker woken late left the caller to answer its share after
  /// its own, and two cores answered about 1.4 times as many lines per second as one.)
  ///
  /// Lines are taken a few at a time (`chunk`): one line at a time, the threads wrote neighbouring answers, which
  /// share a cache line, and took turns on the counter for every line.
  public static func answers(count: Int, threads: Int, _ answer: @Sendable (Int) -> String) -> [String] {
    if count <= 1 || threads <= 1 { return (0..<count).map(answer) }
    let slots = ResultSlots(count: count)
    let next = Atomic<Int>(0)
    let threads = min(threads, count)
    // Small enough that the threads finish close together (a batch holds 256 lines), large enough that each
    // thread's answers fill whole cache lines.
    let chunk = max(1, min(8, count / (threads * 4)))
    DispatchQueue.concurrentPerform(iterations: threads) { _ in
      while true {
        let start = next.wrappingAdd(chunk, ordering: .relaxed).oldValue
        if start >= count { break }
        for k in start..<min(start + chunk, count) { slots.set(k, answer(k)) }
      }
    }
    return slots.values
  }
}

extension OracleBatch {
  /// `answers(count:threads:_:)` started on other threads at once: the caller does something else meanwhile
  /// (`corsim oracle` writes the answers before and reads the lines after), then takes the answers with `wait()`,
  /// once.
  public final class Pending: @unchecked Sendable {
    // Written by the answering thread before it signals `done`; read only after `wait` has seen the signal.
    private var answers: [String] = []
    private let done = DispatchSemaphore(value: 0)

    /// Starts answering.
    public init(count: Int, threads: Int, _ answer: @escaping @Sendable (Int) -> String) {
      DispatchQueue.global().async { [self] in
        answers = OracleBatch.answers(count: count, threads: threads, answer)
        done.signal()
      }
    }

    /// The answers, in order, once they are all there (call it once).
    public func wait() -> [String] {
      done.wait()
      return answers
    }
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
