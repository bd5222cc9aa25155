import CORSScenario
import CORSSession
import LineEditor

/// The REPL's line reader: libedit on a terminal (editing, history, completion), plain lines from a pipe.
func makeLineReader(session: Session, keys: EditingMode? = nil) -> any LineReader {
  let history = HistoryStore(path: HistoryStore.defaultPath(programName: "corsim"), capacity: 1000)
  let files = FileNameCompleter(fileExtensions: ["cors", "har", "txt"])
  let completer = ClosureCompleter { request in
    // File names after open, save and import har; everything else from the session's commands (after `load`,
    // the element kinds: `load FILE` works, `open FILE` completes).
    let words = request.precedingWords.map(String.init)
    if words.count == 1 && ["open", "save", "save!"].contains(words[0]) || (words.first == "import" && words.count >= 2) {
      return files.completions(for: request)
    }
    let offset = request.line.distance(from: request.line.startIndex, to: request.cursor)
    let candidates = session.completions(line: request.line, cursor: offset)
    return Completions(for: request, candidates: candidates.map { c in
      // A header name ends with ':' and an option with '=': let the user go on typing after them.
      CompletionCandidate(c, isFinished: !(c.hasSuffix("=") || c.hasSuffix(":")))
    })
  }
  let options = LineReaderOptions(programName: "corsim", history: history, completer: completer, editingMode: keys)
  return makeStandardInputReader(options)
}
