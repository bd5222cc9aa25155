import ArgumentParser
import CORSJSON
import CORSOracle
import CORSScenario
#if canImport(Glibc)
import Glibc
#endif

/// `corsim oracle`: JSON lines in, one result line out per scenario, in order.
struct OracleCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "oracle",
    abstract: "Read scenarios as JSON lines on standard input; write one result line per scenario.",
    discussion: """
      Each input line is a scenario ({"id", "browser", "page", "steps", "server", ...}); each output line is its
      result ({"id", "browser", "steps": [...]}) or {"id", "error"} when the line is not a valid scenario. The
      stream goes on after an error line. Lines already waiting on standard input are answered in parallel,
      and the answers are written in input order; a line is answered as soon as it arrives. See README.md,
      "The oracle".

      Every line gets an answer: a blank line, a line that is not UTF-8 (the answer names the byte offset) and
      a line longer than 8 MiB get an error line.

      Exit status: 0 when every line was answered (error lines included), 1 on an I/O failure (standard
      output closed, for instance), 2 when the arguments are wrong.
      """)

  @Flag(name: .long, help: "Add trace, fix, notCORS and notes to every step (extension fields).")
  var explain = false

  @Option(name: .long, help: "Threads answering lines that are already waiting (default: the number of cores).")
  var jobs: Int?

  /// Lines taken at once from what is already buffered (at most `readAheadBytes` of them, or one long line): enough
  /// to keep every core busy with few pauses between batches, few enough to keep the answers flowing.
  static let batchSize = 1024

  func validate() throws {
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
  }

  func run() throws {
    let oracle = Oracle(explain: explain)
    let threads = jobs ?? System.coreCount
    // The answers' bytes, written as they are (making a `String` of each answer checked its bytes once more).
    var out: [UInt8] = []
    out.reserveCapacity(1 << 16)
    var lines = BoundedLineReader(limit: Oracle.maximumLineLength)
    lines.decodesText = threads == 1
    if threads > 1 {
      try answerInParallel(&lines, threads: threads, oracle: oracle, out: &out)
    } else {
      try answerInTurn(&lines, oracle: oracle, out: &out)
    }
    guard writeAll(out) else { throw ExitCode(1) }
  }

  /// One thread: each batch of the lines waiting is answered, then its answers are written.
  /// (One thread takes the waiting lines in a batch too: a batch of one line made two arrays for each line.)
  private func answerInTurn(_ lines: inout BoundedLineReader, oracle: Oracle, out: inout [UInt8]) throws {
    var lineNumber = 0
    var batch = lines.nextBatch(maximum: Self.batchSize)
    while !batch.isEmpty {
      let first = lineNumber + 1
      lineNumber += batch.count
      Self.append(Self.answer(batch, firstLineNumber: first, oracle: oracle, threads: 1), to: &out)
      // Written now when no further line is waiting (a client may be waiting for these answers before it sends
      // more) or the buffer is large.
      if !lines.hasBufferedLine || out.count > 1 << 15 {
        guard writeAll(out) else { throw ExitCode(1) }
        out.removeAll(keepingCapacity: true)
      }
      batch = lines.nextBatch(maximum: Self.batchSize)
    }
  }

  /// Several threads: a batch is answered on the other threads while this one writes the answers of the batch
  /// before, reads what is waiting and takes the next batch's lines; then this thread answers what is left of the
  /// batch (`OracleBatch.Pending.wait`), and the next batch starts as soon as one ends. `--jobs N` is N threads in
  /// all, this one included.
  /// (When this thread copied out a batch's answers and took the next lines between batches, the answering threads
  /// waited for it: two cores answered 1.0 to 1.3 times as many lines per second as one, where two processes of one
  /// job answer about 1.9 times as many. Reading and writing during the batch, 1.6 to 1.7 times; with this thread
  /// answering too, rather than two more threads beside it, 1.7 to 1.8 times.)
  private func answerInParallel(_ lines: inout BoundedLineReader, threads: Int, oracle: Oracle,
                                out: inout [UInt8]) throws {
    var lineNumber = 0
    func start(_ batch: [BoundedLineReader.Line]) -> OracleBatch.Pending<OracleAnswer>? {
      if batch.isEmpty { return nil }
      let first = lineNumber + 1
      lineNumber += batch.count
      return OracleBatch.Pending(count: batch.count, threads: threads,
                                 Self.answerer(batch, firstLineNumber: first, oracle: oracle))
    }
    var answering = start(lines.nextBatch(maximum: Self.batchSize))
    while let current = answering {
      if !out.isEmpty {
        guard writeAll(out) else { throw ExitCode(1) }
        out.removeAll(keepingCapacity: true)
      }
      lines.readAhead(upTo: Self.readAheadBytes)
      // Only lines already complete are taken here: waiting for more would hold back the answers being made.
      let taken = lines.hasBufferedLine ? lines.nextBatch(maximum: Self.batchSize) : []
      let answers = current.wait()
      answering = start(taken)
      Self.append(answers, to: &out)
      if answering == nil {
        // No line was waiting: the answers go out now (a client may be waiting for them before it sends more),
        // then the next line is waited for.
        guard writeAll(out) else { throw ExitCode(1) }
        out.removeAll(keepingCapacity: true)
        answering = start(lines.nextBatch(maximum: Self.batchSize))
      }
    }
  }

  /// Each answer's bytes and a newline, at the end of `out`.
  private static func append(_ answers: [OracleAnswer], to out: inout [UInt8]) {
    for answer in answers {
      answer.withBytes { out.append(contentsOf: $0) }
      out.append(0x0A)
    }
  }

  /// Bytes read ahead while a batch is answered: room for several batches of the usual lines, and a bound on what
  /// a fast writer can make the oracle hold.
  static let readAheadBytes = 1 << 20

  /// The answers of a batch, in order; in parallel when there is more than one line and more than one thread.
  static func answer(_ batch: [BoundedLineReader.Line], firstLineNumber: Int, oracle: Oracle,
                     threads: Int) -> [OracleAnswer] {
    OracleBatch.answers(count: batch.count, threads: threads,
                        answerer(batch, firstLineNumber: firstLineNumber, oracle: oracle))
  }

  /// The answer of each line of a batch, by its position.
  static func answerer(_ batch: [BoundedLineReader.Line], firstLineNumber: Int,
                       oracle: Oracle) -> @Sendable (Int) -> OracleAnswer {
    { k in
      let lineNumber = firstLineNumber + k
      switch batch[k] {
      case .text(let line):
        return oracle.answerLine(line, lineNumber: lineNumber)
      case .bytes(let line):
        // A line that ends in CRLF is read as the line.
        return oracle.answerLine(utf8: line.last == 0x0D ? line.dropLast() : line[...], lineNumber: lineNumber)
      case .tooLong(let length):
        return OracleAnswer(text: OracleOutput.errorLine(id: .null, message:
          "input line \(lineNumber) is \(length) bytes long; at most \(Oracle.maximumLineLength) bytes per line"))
      }
    }
  }
}

enum System {
  /// The cores this process may use.
  static var coreCount: Int {
    #if canImport(Glibc)
    let n = sysconf(Int32(_SC_NPROCESSORS_ONLN))
    return n > 0 ? n : 1
    #else
    return 1
    #endif
  }
}
