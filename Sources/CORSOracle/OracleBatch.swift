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
  ///
  /// (Inlinable, so that a caller's answers are made and moved as their own type: called from another module as a
  /// generic, the function cost about 3,000 instructions a line in thunks and generic copies.)
  @inlinable
  public static func answers<Answer: Sendable>(count: Int, threads: Int,
                                               _ answer: @Sendable (Int) -> Answer) -> [Answer] {
    if count <= 1 || threads <= 1 { return (0..<count).map(answer) }
    let slots = ResultSlots<Answer>(count: count)
    let next = Atomic<Int>(0)
    let threads = min(threads, count)
    // Small enough that the threads finish close together (`corsim oracle`'s batches hold up to 1,024 lines),
    // large enough that each thread's answers fill whole cache lines.
    let chunk = max(1, min(8, count / (threads * 4)))
    DispatchQueue.concurrentPerform(iterations: threads) { _ in
      take(next, count: count, chunk: chunk, into: slots, answer)
    }
    return slots.values
  }

  /// Answers lines, `chunk` at a time, each taken from the shared counter `next`, until no line is left.
  @inlinable
  static func take<Answer>(_ next: borrowing Atomic<Int>, count: Int, chunk: Int, into slots: ResultSlots<Answer>,
                           _ answer: (Int) -> Answer) {
    while true {
      let start = next.wrappingAdd(chunk, ordering: .relaxed).oldValue
      if start >= count { break }
      for k in start..<min(start + chunk, count) { slots.set(k, answer(k)) }
    }
  }
}

extension OracleBatch {
  /// `answers(count:threads:_:)` started at once, the caller taking part when it asks for them: `corsim oracle`
  /// writes the answers of the batch before and reads the lines of the batch after meanwhile, then takes the
  /// answers with `wait()`.
  ///
  /// Of the `threads` threads, all but one start at once; the caller is the last, from its call of `wait()` until no
  /// line is left (one thread, the only one, starts at once, and `wait()` only waits). When every thread started at
  /// once and the caller only waited, `--jobs 2` ran three threads on two cores: the caller's reading and writing
  /// took a core from an answering thread, and the batch's end waited for the thread so delayed.
  public final class Pending<Answer: Sendable>: @unchecked Sendable {
    @usableFromInline let count: Int
    @usableFromInline let chunk: Int
    @usableFromInline let callerAnswers: Bool
    @usableFromInline let answer: @Sendable (Int) -> Answer
    // Each slot is written by the one thread that took its line; all are read after every thread is done.
    @usableFromInline let slots: ResultSlots<Answer>
    // The next line no thread has taken yet (as in `answers(count:threads:_:)`).
    @usableFromInline let next = Atomic<Int>(0)
    // Signalled when the threads started at once are done.
    @usableFromInline let done = DispatchSemaphore(value: 0)

    /// Starts answering.
    @inlinable
    public init(count: Int, threads: Int, _ answer: @escaping @Sendable (Int) -> Answer) {
      self.count = count
      self.answer = answer
      slots = ResultSlots<Answer>(count: count)
      let threads = max(1, min(threads, count))
      chunk = max(1, min(8, count / (threads * 4)))
      callerAnswers = threads > 1
      let started = callerAnswers ? threads - 1 : 1
      if count == 0 {
        done.signal()
        return
      }
      DispatchQueue.global().async { [self] in
        if started == 1 { take() } else { DispatchQueue.concurrentPerform(iterations: started) { _ in take() } }
        done.signal()
      }
    }

    /// Answers lines until no line is left to take.
    @inlinable
    func take() { OracleBatch.take(next, count: count, chunk: chunk, into: slots, answer) }

    /// The answers, in order, once they are all there (at once after the first call). The caller answers the lines
    /// still left first, when there are several threads.
    @inlinable
    public func wait() -> [Answer] {
      if callerAnswers { take() }
      done.wait()
      done.signal()  // (for the next call)
      return slots.values
    }
  }
}

/// One slot per line, written from several threads (each slot by one thread only), read after they finish.
/// The storage is allocated once and never moves: a thread writes its own slot through the buffer, never
/// through a mutating access to a shared `Array` (whose uniqueness check reads the shared buffer, a data race
/// between the writers that ThreadSanitizer reports).
@usableFromInline
final class ResultSlots<Answer>: @unchecked Sendable {
  @usableFromInline let slots: UnsafeMutableBufferPointer<Answer?>
  @inlinable
  init(count: Int) {
    slots = .allocate(capacity: count)
    slots.initialize(repeating: nil)
  }
  deinit {
    slots.deinitialize()
    slots.deallocate()
  }
  @inlinable
  func set(_ k: Int, _ value: Answer) { slots[k] = value }
  /// Every slot's value (each was set, or this traps).
  @inlinable
  var values: [Answer] { slots.map { $0! } }
}
