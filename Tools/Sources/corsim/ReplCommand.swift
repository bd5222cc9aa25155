import ArgumentParser
import CORSScenario
import CORSSession
import CORSSimulator
import LineEditor

/// `corsim` (no arguments) or `corsim repl`: the interactive session.
struct ReplCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "repl",
    abstract: "Start an interactive session (the default when corsim runs without a subcommand).",
    discussion: """
      Type `help` at the prompt. The same command language runs from files (`open FILE`) and pipes
      (`corsim < session.cors`): one command per line, verdicts printed as requests complete.

      Exit status: 0 at the end of the input or on `quit`. Reading a pipe or a file, as `corsim run` does:
      2 when a line was rejected (its error names the line), else 1 when an expectation typed did not hold.
      2 when the arguments are wrong. 1 when standard output cannot be written.
      """)

  @Option(name: .long, help: "The profile verdicts are shown for: spec, chromium, firefox or webkit.")
  var browser: Engine = .chromium

  @Option(name: .long, help: "A scenario file to open first.")
  var load: String?

  @Flag(name: .long, help: "Print verdicts as oracle JSON lines.")
  var json = false

  @Option(name: .long, help: "Key bindings: emacs or vi (default: emacs, or what ~/.editrc says, e.g. `corsim:bind -v`).")
  var keys: EditingMode?

  func run() throws {
    let session = Session(style: Terminal.style(), defaultEngine: browser)
    session.json = json
    session.player = ConformancePlayer()
    let interactive = Terminal.standardInputIsTerminal
    session.showsLineNumbers = !interactive
    // A long report (`open` of a file of thousands of requests) is written as it is made.
    session.writer = { _ = writeAll($0) }
    if let load {
      if case .text(let t) = session.evaluate("open \(load)") { writeAll(t) }
    }
    var reader = makeLineReader(session: session, keys: keys)
    // A pipe's line is bounded as it is read: a hostile one is not held whole.
    (reader as? PipedLineReader)?.maximumLineLength = session.maximumLineLength
    // A block is one history entry (its lines joined by line breaks): Up recalls it whole.
    let editor = reader as? EditLineReader
    editor?.recordsHistory = false
    var entry: [String] = []
    if let editor {
      session.confirm = { question in
        if case .line(let answer) = editor.read(prompt: question) { return ["y", "yes"].contains(answer.lowercased()) }
        return false
      }
    }
    loop: while true {
      let wasInBlock = session.isInBlock
      switch reader.read(prompt: session.prompt) {
      case .line(let line):
        if !wasInBlock { entry = [] }
        entry.append(line)
        let output = session.evaluate(line)
        if !session.isInBlock, let editor {
          while entry.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { entry.removeLast() }
          if !entry.isEmpty { editor.addToHistory(entry.joined(separator: "\n")) }
          entry = []
        }
        switch output {
        case .quit: break loop
        case .text(let t): if !t.isEmpty { writeAll(t.hasSuffix("\n") ? t : t + "\n") }
        }
      case .interrupted:
        // Ctrl-C: the line is dropped, and so is a block or paste in progress; the session stays as it was.
        entry = []
        writeAll(session.cancelBlock())
      case .endOfInput:
        writeAll(session.finish())
        break loop
      }
    }
    if !interactive {
      if session.rejectedLines > 0 { throw ExitCode(2) }
      if session.failedExpectations > 0 { throw ExitCode(1) }
    }
  }
}

extension EditingMode: ExpressibleByArgument {}
