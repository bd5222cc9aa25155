import TerminalTestSupport
import Testing

@testable import LineEditor

#if canImport(Glibc)
import Glibc
#endif

@Suite("PipedLineReader")
struct PipedLineReaderTests {
  /// Every line `reader` gives until the end of input.
  static func drain(_ reader: some LineReader) -> [String] {
    var reader = reader
    var lines: [String] = []
    while let line = reader.readLine(prompt: "> ") { lines.append(line) }
    return lines
  }

  @Test("lines come in order; CRLF, empty lines and a last line without a break are handled")
  func lines() {
    let reader = PipedLineReader(text: "fetch https://a\r\n  Origin: x\n\nroute /b")
    #expect(Self.drain(reader) == ["fetch https://a", "  Origin: x", "", "route /b"])
    #expect(reader.read(prompt: "") == .endOfInput, "the end stays the end")
  }

  @Test("no input at all, and a single line break")
  func emptyInputs() {
    #expect(Self.drain(PipedLineReader(text: "")) == [])
    #expect(Self.drain(PipedLineReader(text: "\n")) == [""])
    #expect(Self.drain(PipedLineReader(lines: ["a", "b"])) == ["a", "b"])
  }

  @Test("bytes that are not UTF-8 become U+FFFD instead of ending the input")
  func invalidUTF8() {
    let pipe = Pipe()
    pipe.write([0x61, 0xFF, 0x62, 0x0A, 0x63, 0x0A])
    pipe.closeWriting()
    #expect(Self.drain(PipedLineReader(fileDescriptor: pipe.readEnd)) == ["a\u{FFFD}b", "c"])
  }

  @Test("from a pipe, lines longer than a read and split across reads arrive whole")
  func fromPipe() {
    let pipe = Pipe()
    let long = String(repeating: "x", count: 200_000)
    let writer = Thread { [pipe] in
      pipe.write(Array("first\n\(long)\nla".utf8))
      pipe.write(Array("st\n".utf8))
      pipe.closeWriting()
    }
    writer.start()
    let lines = Self.drain(PipedLineReader(fileDescriptor: pipe.readEnd))
    writer.join()
    #expect(lines == ["first", long, "last"])
  }

  @Test("prompts go to the prompt output when one is given, and nowhere otherwise")
  func prompts() {
    let input = Pipe()
    input.write(Array("a\nb\n".utf8))
    input.closeWriting()
    let prompts = Pipe()
    let reader = PipedLineReader(fileDescriptor: input.readEnd, promptOutput: prompts.writeEnd)
    #expect(reader.read(prompt: "corsim> ") == .line("a"))
    #expect(reader.read(prompt: "...> ") == .line("b"))
    #expect(reader.read(prompt: "corsim> ") == .endOfInput)
    prompts.closeWriting()
    #expect(String(decoding: prompts.readAll(), as: UTF8.self) == "corsim> ...> corsim> ")
  }
}

/// A pipe whose ends close when it goes away.
final class Pipe: @unchecked Sendable {
  let readEnd: Int32
  private(set) var writeEnd: Int32

  init() {
    var ends: [Int32] = [0, 0]
    precondition(pipe(&ends) == 0)
    readEnd = ends[0]
    writeEnd = ends[1]
  }

  deinit {
    close(readEnd)
    closeWriting()
  }

  func write(_ bytes: [UInt8]) {
    var offset = 0
    while offset < bytes.count {
      let count = bytes[offset...].withUnsafeBytes { Glibc.write(writeEnd, $0.baseAddress, $0.count) }
      guard count > 0 else { return }
      offset += count
    }
  }

  func closeWriting() {
    if writeEnd >= 0 { close(writeEnd) }
    writeEnd = -1
  }

  func readAll() -> [UInt8] {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = chunk.withUnsafeMutableBytes { Glibc.read(readEnd, $0.baseAddress, $0.count) }
      if count <= 0 { return bytes }
      bytes += chunk[..<count]
    }
  }
}

/// A POSIX thread running a closure (the tests avoid Foundation, like the module).
final class Thread: @unchecked Sendable {
  private let body: @Sendable () -> Void
  private var thread = pthread_t()

  init(_ body: @escaping @Sendable () -> Void) { self.body = body }

  func start() {
    let context = Unmanaged.passRetained(self).toOpaque()
    pthread_create(
      &thread, nil,
      { context in
        let this = Unmanaged<Thread>.fromOpaque(context!).takeRetainedValue()
        this.body()
        return nil
      }, context)
  }

  func join() { pthread_join(thread, nil) }
}
