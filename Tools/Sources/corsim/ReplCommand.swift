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
      Type `help` at the prompt. The same command language runs from files (`load FILE`) and pipes
      (`corsim < session.cors`): one command per line, verdicts printed as requests complete.

      Exit status: 0 at the end of the input or on `quit`.
      """)

  @Option(name: .long, help: "The profile verdicts are shown for: spec, chromium, firefox or webkit.")
  var browser: Engine = .chromium

  @Option(name: .long, help: "A scenario file to load first.")
  var load: String?

  @Flag(name: .long, help: "Print verdicts as oracle JSON lines.")
  var json = false

  @Option(name: .long, help: "Key bindings: emacs or vi (default: emacs, or what ~/.editrc says, e.g. `corsim:bind -v`).")
  var keys: EditingMode?

  func run() throws {
    let session = Session(style: Terminal.style(), defaultEngine: browser)
    session.json = json
    if let load {
      if case .text(let t) = session.evaluate("load \(load)") { writeAll(t) }
    }
    var reader = makeLineReader(session: session, keys: keys)
    loop: while true {
      switch reader.read(prompt: session.prompt) {
      case .line(let line):
        switch session.evaluate(line) {
        case .quit: break loop
        case .text(let t): if !t.isEmpty { writeAll(t.hasSuffix("\n") ? t : t + "\n") }
        }
      case .interrupted:
        // Ctrl-C: the line is dropped, and so is a block or paste in progress; the session stays.
        writeAll(session.cancelBlock())
      case .endOfInput:
        writeAll(session.finish())
        break loop
      }
    }
  }
}

extension EditingMode: ExpressibleByArgument {}
