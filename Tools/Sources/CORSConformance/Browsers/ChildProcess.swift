import Foundation
import NIOConcurrencyHelpers

/// A process the driver started, its standard output and error read line by line. Stopping it stops its
/// descendants too (browsers start helper processes), each by its own process id.
public final class ChildProcess: Sendable {
  private let process: Process
  /// The process id.
  public let pid: Int32

  /// Starts `executable` with `arguments`; every output line goes to `onLine` (with `true` for stderr).
  /// `onExit` is called once when the process ends.
  init(executable: String, arguments: [String], environment: [String: String]? = nil,
       onLine: @escaping @Sendable (String, Bool) -> Void, onExit: @escaping @Sendable () -> Void = {}) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    process.standardInput = FileHandle.nullDevice
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    for (pipe, isError) in [(out, false), (err, true)] {
      let lines = LineSplitter { onLine($0, isError) }
      pipe.fileHandleForReading.readabilityHandler = { handle in
        let data = handle.availableData
        if data.isEmpty {
          handle.readabilityHandler = nil
          lines.finish()
        } else {
          lines.append(data)
        }
      }
    }
    process.terminationHandler = { _ in onExit() }
    try process.run()
    self.process = process
    self.pid = process.processIdentifier
  }

  /// Whether the process is still running.
  public var isRunning: Bool { process.isRunning }

  /// Stops the process and its descendants: SIGTERM to the process first, so that it can close its helpers
  /// (which then flush their output), then, after half of `grace` seconds, SIGTERM to the helpers still
  /// running, and SIGKILL to whatever is left when `grace` runs out.
  /// Does nothing once the process has ended (its id may belong to another process by then).
  public func stop(grace: Double = 3) {
    guard process.isRunning else { return }
    let family = ChildProcess.descendants(of: pid) + [pid]
    kill(pid, SIGTERM)
    func wait(until deadline: Date) {
      while Date() < deadline, family.contains(where: ChildProcess.isAlive) { usleep(50_000) }
    }
    wait(until: Date().addingTimeInterval(grace / 2))
    for p in family where ChildProcess.isAlive(p) { kill(p, SIGTERM) }
    wait(until: Date().addingTimeInterval(grace / 2))
    for p in family where ChildProcess.isAlive(p) { kill(p, SIGKILL) }
    process.waitUntilExit()
  }

  /// Waits for the process to end by itself.
  func wait() { process.waitUntilExit() }

  /// The process's exit status (after it ended).
  var exitStatus: Int32 { process.terminationStatus }

  static func isAlive(_ pid: Int32) -> Bool {
    // A zombie has exited: its state letter in /proc/PID/stat is Z.
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return false }
    let state = stat[stat.index(close, offsetBy: 2)...].prefix(1)
    return state != "Z" && state != "X"
  }

  /// Every descendant of `pid`, deepest first, read from /proc.
  static func descendants(of pid: Int32) -> [Int32] {
    var children: [Int32: [Int32]] = [:]
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    for entry in entries {
      guard let p = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(p)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")") else { continue }
      // After "pid (comm) ": state, then the parent's pid.
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      if fields.count > 1, let parent = Int32(fields[1]) { children[parent, default: []].append(p) }
    }
    var out: [Int32] = []
    func visit(_ p: Int32) {
      for c in children[p] ?? [] {
        visit(c)
        out.append(c)
      }
    }
    visit(pid)
    return out
  }
}

/// Splits a byte stream into lines (LF or CRLF), across reads.
final class LineSplitter: Sendable {
  private let pending = NIOLockedValueBox<[UInt8]>([])
  private let onLine: @Sendable (String) -> Void

  init(onLine: @escaping @Sendable (String) -> Void) { self.onLine = onLine }

  func append(_ data: Data) {
    let lines: [String] = pending.withLockedValue { buffer in
      buffer.append(contentsOf: data)
      var out: [String] = []
      var start = 0
      for (i, b) in buffer.enumerated() where b == 0x0A {
        var end = i
        if end > start, buffer[end - 1] == 0x0D { end -= 1 }
        out.append(String(decoding: buffer[start..<end], as: UTF8.self))
        start = i + 1
      }
      buffer.removeFirst(start)
      return out
    }
    for line in lines { onLine(line) }
  }

  func finish() {
    let rest = pending.withLockedValue { b in
      defer { b = [] }
      return b
    }
    if !rest.isEmpty { onLine(String(decoding: rest, as: UTF8.self)) }
  }
}

/// Runs a command to its end and returns its standard output (for `--version` queries).
func captureOutput(_ executable: String, _ arguments: [String]) -> String? {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  let out = Pipe()
  process.standardOutput = out
  process.standardError = FileHandle.nullDevice
  process.standardInput = FileHandle.nullDevice
  guard (try? process.run()) != nil else { return nil }
  let data = out.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  guard process.terminationStatus == 0 else { return nil }
  return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

/// The first of `names` found on PATH (or as an absolute path).
func findExecutable(_ names: [String]) -> String? {
  let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
  for name in names {
    if name.hasPrefix("/") {
      if FileManager.default.isExecutableFile(atPath: name) { return name }
      continue
    }
    for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
      return "\(dir)/\(name)"
    }
  }
  return nil
}
