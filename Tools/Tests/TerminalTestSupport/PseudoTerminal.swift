import CEditLine
import CPseudoTerminal
import LineEditor

#if canImport(Glibc)
import Glibc
#endif

/// A program running on a pseudo-terminal, as if a person sat at it: the test writes keystrokes to the
/// master side and reads what the program shows. Every wait has a deadline (a test never hangs); the
/// process is killed when the value goes away.
///
/// The child is started with posix_spawn (no Swift code runs between fork and exec; see
/// CPseudoTerminal): POSIX_SPAWN_SETSID makes it a session leader, and opening the slave as its
/// standard input then makes that slave its controlling terminal, so Ctrl-C and Ctrl-Z behave as on a
/// real terminal.
public final class PseudoTerminal {
  public struct Failure: Error, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }
  }

  public let pid: pid_t
  private let master: Int32
  private var output: [UInt8] = []
  /// How much of `screenText` (in UTF-8 bytes) earlier `expect` calls consumed.
  private var consumed = 0
  private var exitStatus: Int32?

  /// Starts `executable` with `arguments` on a new pseudo-terminal of `rows` × `columns`.
  public init(
    _ executable: String, _ arguments: [String] = [], environment: [String: String],
    rows: UInt16 = 24, columns: UInt16 = 80
  ) throws {
    var name = [CChar](repeating: 0, count: 128)
    let master = CPseudoTerminal_open(&name, name.count)
    guard master >= 0 else {
      throw Failure(description: "cannot open a pseudo-terminal: \(String(cString: strerror(errno)))")
    }
    _ = CEditLine_set_window_size(master, rows, columns)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    var pid: pid_t = 0
    let result = CPseudoTerminal_spawn(&pid, executable, argv, envp, name)
    guard result == 0 else {
      close(master)
      throw Failure(description: "cannot start \(executable): \(String(cString: strerror(result)))")
    }
    self.pid = pid
    self.master = master
  }

  deinit {
    if exitStatus == nil {
      kill(pid, SIGKILL)
      var status: Int32 = 0
      waitpid(pid, &status, 0)
    }
    close(master)
  }

  /// Everything the program showed so far, as text, without escape sequences, carriage returns,
  /// backspaces and bells.
  public var screenText: String {
    let text = Terminal.strippingEscapes(String(decoding: output, as: UTF8.self))
    return String(text.unicodeScalars.filter { $0 != "\r" && $0 != "\u{07}" && $0 != "\u{08}" }.map(Character.init))
  }

  /// The raw bytes the program wrote, escape sequences and all.
  public var rawOutput: [UInt8] { output }

  /// True when the terminal is in non-canonical mode without echo, as libedit sets it for editing.
  public var isInRawMode: Bool {
    var settings = termios()
    guard tcgetattr(master, &settings) == 0 else { return false }
    return settings.c_lflag & tcflag_t(ICANON | ECHO) == 0
  }

  /// Types `keys` (all at once, as a paste would arrive). Unless `evenIfCooked`, first waits (up to
  /// 5 s) for the terminal to be in raw mode, that is for the line editor to be reading.
  public func send(_ keys: String, evenIfCooked: Bool = false) {
    var bytes = Array(keys.utf8)[...]
    let deadline = Deadline(seconds: 5)
    while !evenIfCooked, !isInRawMode, !deadline.hasPassed, exitStatus == nil { drain(waitingUpTo: 1) }
    while !bytes.isEmpty, !deadline.hasPassed {
      let written = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
      if written > 0 {
        bytes = bytes.dropFirst(written)
      } else {
        drain(waitingUpTo: 10)  // the program is not reading: let its output through
      }
    }
  }

  /// Waits until `text` appears after what earlier calls consumed; returns the text up to and
  /// including it, and consumes it.
  @discardableResult
  public func expect(_ text: String, timeout: Double = 10) throws -> String {
    let deadline = Deadline(seconds: timeout)
    while true {
      let screen = screenText
      let start = screen.utf8.index(screen.startIndex, offsetBy: min(consumed, screen.utf8.count))
      if let found = screen[start...].firstRange(of: text) {
        consumed = screen.utf8.distance(from: screen.startIndex, to: found.upperBound)
        return String(screen[start..<found.upperBound])
      }
      if deadline.hasPassed || (exitStatus != nil && !drain(waitingUpTo: 0)) {
        throw Failure(description: "did not see \(text.debugDescription) within \(timeout) s; the screen so far:\n\(screen)")
      }
      drain(waitingUpTo: 50)
    }
  }

  /// Types `keys`, then waits until `text` shows (see `send` and `expect`).
  @discardableResult
  public func type(_ keys: String, thenSee text: String, timeout: Double = 10) throws -> String {
    send(keys)
    return try expect(text, timeout: timeout)
  }

  /// Waits for the program to end and returns its exit status (128 + n after signal n).
  @discardableResult
  public func waitForExit(timeout: Double = 10) throws -> Int32 {
    let deadline = Deadline(seconds: timeout)
    while exitStatus == nil {
      drain(waitingUpTo: 20)
      reap()
      if exitStatus == nil, deadline.hasPassed {
        throw Failure(description: "the program did not end within \(timeout) s; the screen:\n\(screenText)")
      }
    }
    while drain(waitingUpTo: 0) {}
    return exitStatus!
  }

  /// Reads what is available, waiting up to `milliseconds` for something. False when nothing came.
  @discardableResult
  private func drain(waitingUpTo milliseconds: Int32) -> Bool {
    var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
    guard poll(&descriptor, 1, milliseconds) > 0 else {
      reap()
      return false
    }
    var chunk = [UInt8](repeating: 0, count: 4096)
    var got = false
    while true {
      let count = chunk.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
      if count > 0 {
        output.append(contentsOf: chunk[..<count])
        got = true
        continue
      }
      if count < 0, errno == EINTR { continue }
      break  // EAGAIN: nothing more now; EIO: the child closed the terminal
    }
    if !got { reap() }
    return got
  }

  private func reap() {
    guard exitStatus == nil else { return }
    var status: Int32 = 0
    if waitpid(pid, &status, WNOHANG) == pid {
      let signal = status & 0x7F
      exitStatus = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }
  }
}

/// A point in time on the monotonic clock.
public struct Deadline {
  private let end: UInt64

  public init(seconds: Double) { end = Self.now() + UInt64(seconds * 1_000_000_000) }

  public var hasPassed: Bool { Self.now() >= end }

  public static func now() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
  }
}
