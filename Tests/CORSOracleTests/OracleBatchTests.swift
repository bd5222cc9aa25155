import CORSJSON
import Dispatch
import CORSOracle
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The parallel oracle: Scripts/tsan-oracle runs this suite under ThreadSanitizer (CI calls it), so that a
/// data race between the threads that write the answers fails the build.
@Suite("Answers computed on several threads")
struct OracleBatchTests {
  static let good = #"{"id": %d, "browser": "firefox", "page": "https://app.example", "steps": [{"url": "https://api.example/x", "method": "PUT", "headers": [["X-A", "1"]]}], "server": [{"method": "OPTIONS", "url": "https://api.example/x", "headers": [["Access-Control-Allow-Origin", "*"], ["Access-Control-Allow-Methods", "PUT"], ["Access-Control-Allow-Headers", "x-a"]]}, {"url": "https://api.example/x", "headers": [["Access-Control-Allow-Origin", "*"]]}]}"#

  @Test("answers on 1, 2 and 4 threads are the same, in input order", arguments: [1, 2, 4])
  func sameAnswers(threads: Int) throws {
    let lines = (0..<800).map { k in k % 7 == 3 ? "{\"id\": \(k), bad" : Self.good.replacingOccurrences(of: "%d", with: String(k)) }
    let oracle = Oracle(explain: threads == 4)
    let expected = lines.indices.map { oracle.answer(line: lines[$0], lineNumber: $0 + 1) }
    for _ in 0..<2 {
      let got = OracleBatch.answers(count: lines.count, threads: threads) { oracle.answer(line: lines[$0], lineNumber: $0 + 1) }
      #expect(got == expected)
    }
    #expect(try JSONParser.parse(expected[1])["id"] == .number(1))
  }

  @Test("answers started in the background are the same, and come while the caller works", arguments: [1, 2, 4])
  func pending(threads: Int) throws {
    let lines = (0..<500).map { Self.good.replacingOccurrences(of: "%d", with: String($0)) }
    let oracle = Oracle()
    let expected = lines.indices.map { oracle.answer(line: lines[$0], lineNumber: $0 + 1) }
    // Batches one after another, each started before the one before it is taken, as `corsim oracle` does.
    var previous: OracleBatch.Pending<String>? = nil
    var got: [String] = []
    for start in stride(from: 0, to: lines.count, by: 100) {
      let pending = OracleBatch.Pending<String>(count: 100, threads: threads) { oracle.answer(line: lines[start + $0], lineNumber: start + $0 + 1) }
      if let previous { got += previous.wait() }
      previous = pending
    }
    got += previous?.wait() ?? []
    #expect(got == expected)
    // Taken again, the answers come at once, the same.
    #expect(previous?.wait() == Array(expected.suffix(100)))
  }

  @Test("with several threads, the caller is one of them once it waits; with one, it only waits", arguments: [1, 2, 3])
  func callerAnswers(threads: Int) {
    // Each answer names the thread that made it. With several threads, neither side can take every line, however
    // the threads are scheduled (the test runs beside others that keep the shared threads busy): the caller's lines
    // wait until a thread started at once has taken one, and that thread's lines wait until the caller has answered
    // one. (Latches: a waiter signals again, so that every later wait passes at once; after a timeout too, so that a
    // broken build fails within seconds instead of hanging the run.)
    let caller = pthread_self()
    let started = DispatchSemaphore(value: 0), callerAnswered = DispatchSemaphore(value: 0)
    let latched = threads > 1
    let pending = OracleBatch.Pending<Bool>(count: 120, threads: threads) { _ in
      let byCaller = pthread_equal(pthread_self(), caller) != 0
      if latched && byCaller {
        _ = started.wait(timeout: .now() + 10)
        started.signal()
        callerAnswered.signal()
      } else if latched {
        started.signal()
        _ = callerAnswered.wait(timeout: .now() + 10)
        callerAnswered.signal()
      }
      return byCaller
    }
    let byCaller = pending.wait().filter { $0 }.count
    if threads == 1 {
      #expect(byCaller == 0)
    } else {
      // The threads started at once answer too: the caller does not answer everything.
      #expect(byCaller > 0 && byCaller < 120, "\(byCaller) of 120 lines answered by the caller")
    }
  }

  @Test("answers written on other threads and read in place on this one, as corsim oracle reads them, are the answers",
        arguments: [1, 2, 4])
  func answersReadInPlace(threads: Int) {
    let lines = (0..<600).map { k in k % 5 == 2 ? "{\"id\": \(k), bad" : Self.good.replacingOccurrences(of: "%d", with: String(k)) }
    let oracle = Oracle(explain: threads == 2)
    let expected = lines.indices.map { Array(oracle.answer(line: lines[$0], lineNumber: $0 + 1).utf8) }
    // Started in the background, taken while the next batch is answered; each answer's bytes copied out here.
    var out: [[UInt8]] = []
    var previous: OracleBatch.Pending<OracleAnswer>? = nil
    for start in stride(from: 0, to: lines.count, by: 150) {
      let pending = OracleBatch.Pending<OracleAnswer>(count: 150, threads: threads) {
        oracle.answerLine(lines[start + $0], lineNumber: start + $0 + 1)
      }
      for answer in previous?.wait() ?? [] { out.append(answer.withBytes { Array($0) }) }
      previous = pending
    }
    for answer in previous?.wait() ?? [] { out.append(answer.withBytes { Array($0) }) }
    #expect(out == expected)
  }
}

extension String {
  func replacingOccurrences(of target: String, with replacement: String) -> String {
    split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
  }
}
