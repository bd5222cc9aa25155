// A small program for the pseudo-terminal tests: it reads lines with the reader that
// makeStandardInputReader picks (EditLineReader on a terminal, PipedLineReader otherwise) and echoes
// each one as `got: [<line>]`.
//
// A line starting with `fetch`, `fetch-all` or `route` opens a block: the lines after it are read with
// the continuation prompt until an empty line, then `block: <n> lines` is printed; Ctrl-C in a block
// prints `block cancelled`. `mode vi` / `mode emacs` switch keys, `editrc <command>` runs an editrc
// command (e.g. `editrc bind -v`), `history` lists the history, `quit`
// (or Ctrl-D on an empty line) ends with `bye`.
//
// Options:
//   --history PATH     history file, or `default` for the XDG location
//                      (default: $LINEEDITOR_FIXTURE_HISTORY, else none)
//   --history-size N   history bound (default 1000)
//   --vi | --emacs     editing mode (default: emacs, or what ~/.editrc chooses)
//   --no-editrc        do not read ~/.editrc
//   --piped            read with PipedLineReader even on a terminal
//   --prompt P         primary prompt (default "demo> "); continuation prompt is "...> "
//   --styled-prompt    show the primary prompt in bold (escape sequences in the prompt)
//   --right-prompt R   show R at the right edge while editing
import LineEditor

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

var historyPath = Terminal.environmentValue("LINEEDITOR_FIXTURE_HISTORY")
var historySize = HistoryList.defaultCapacity
var editingMode: EditingMode?
var editrc = EditrcFile.standard
var piped = false
var prompt = "demo> "
var rightPrompt = ""
let continuationPrompt = "...> "

var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
  switch argument {
  case "--history": historyPath = arguments.popFirst()
  case "--history-size": historySize = arguments.popFirst().flatMap { Int($0) } ?? historySize
  case "--vi": editingMode = .vi
  case "--emacs": editingMode = .emacs
  case "--no-editrc": editrc = .none
  case "--piped": piped = true
  case "--prompt": prompt = arguments.popFirst() ?? prompt
  case "--styled-prompt": prompt = "\u{1B}[1mdemo\u{1B}[0m> "
  case "--right-prompt": rightPrompt = arguments.popFirst() ?? ""
  default:
    print("usage: LineEditorFixture [--history PATH] [--history-size N] [--vi|--emacs] [--no-editrc] [--piped]")
    exit(2)
  }
}

let commands = WordCompleter(["fetch", "fetch-all", "route", "page", "browser", "load", "save", "mode", "history", "quit"])
let headers = WordCompleter(
  [
    "Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers",
    "Access-Control-Allow-Credentials", "Access-Control-Expose-Headers", "Access-Control-Max-Age",
    "Origin", "Content-Type",
  ], caseSensitive: false)
let modes = WordCompleter(EditingMode.allCases.map(\.rawValue))
let files = FileNameCompleter()
let completer = ClosureCompleter { request in
  switch request.precedingWords.first {
  case nil: commands.completions(for: request)
  case "load", "save": files.completions(for: request)
  case "mode": modes.completions(for: request)
  default: headers.completions(for: request)
  }
}

if historyPath == "default" { historyPath = HistoryStore.defaultPath(programName: "fixture") }
let history = HistoryStore(path: historyPath, capacity: historySize)
let options = LineReaderOptions(
  programName: "fixture", history: history, completer: completer, editingMode: editingMode, editrc: editrc)
var reader: any LineReader = piped ? PipedLineReader() : makeStandardInputReader(options)
if let editor = reader as? EditLineReader { editor.rightPrompt = rightPrompt }
print("reader: \(reader is EditLineReader ? "editline" : "piped")")

var block: [String]?
loop: while true {
  switch reader.read(prompt: block == nil ? prompt : continuationPrompt) {
  case .endOfInput:
    break loop
  case .interrupted:
    if block != nil { print("block cancelled") }
    block = nil
  case .line(let line):
    print("got: [\(line)]")
    if var lines = block {
      if line.isEmpty {
        print("block: \(lines.count) lines")
        block = nil
      } else {
        lines.append(line)
        block = lines
      }
      continue
    }
    let words = line.split(separator: " ")
    switch words.first {
    case "fetch", "fetch-all", "route": block = [line]
    case "quit": break loop
    case "history": for (number, entry) in history.entries.enumerated() { print("\(number + 1) \(entry)") }
    case "mode":
      if let editor = reader as? EditLineReader, words.count == 2, let mode = EditingMode(rawValue: String(words[1])) {
        editor.editingMode = mode
        print("mode: \(editor.editingMode.rawValue)")
      }
    case "editrc":
      if let editor = reader as? EditLineReader {
        print("editrc: \(editor.runEditorCommand(String(line.dropFirst("editrc ".count))) ? "ok" : "refused")")
      }
    default: break
    }
  }
}
print("bye")
