import CORSImport
import CORSScenario
import CORSSimulator
import Foundation

enum OpenCommand: SessionCommand {
  static let names = ["open", "load"]
  static let synopsis = "open FILE"
  static let help = """
    Replace the session with a scenario file or a HAR file.
      A Spec/ file or one you saved; a HAR (.har, or a file holding a HAR's JSON). `load FILE` does the same:
      `load` followed by an element kind (image, script…) is an element's load, followed by anything else a file.
      `undo` brings the session before it back.
    """
  static let section = CommandSection.evidence
  static func run(_ invocation: Invocation, in session: Session) -> SessionOutput? {
    let argument = invocation.argument
    guard !argument.isEmpty else { return session.failure("usage: open FILE") }
    let note = invocation.name == "load" ? session.style.dim("(`load FILE` is `open FILE`; `load KIND URL` loads an element)") + "\n" : ""
    // The file's text is let go once it is parsed, before the verdicts are decided and reported.
    let document: ScenarioDocument
    switch read(argument, in: session) {
    case .failure(let message): return message
    case .har(let text): return .text(ImportCommand.importHAR(text, name: argument, session, after: note))
    case .scenario(let text):
      do { document = try ScenarioBuilder.parse(text, file: argument) } catch { return session.failure("\(error)") }
    }
    session.replaceDocument(document, by: "\(invocation.name) \(argument)")
    let d = document.scenario
    return .text(session.report(after: note + "opened \(argument): \(d.server.routes.count) route(s), \(d.steps.count) request(s)\n",
                                streams: true))
  }

  private enum Contents {
    case failure(SessionOutput)
    case har(String)
    case scenario(String)
  }

  /// The file's text, and whether it is a HAR (by its name, or JSON inside).
  private static func read(_ argument: String, in session: Session) -> Contents {
    let path = session.resolve(argument)
    guard let data = FileManager.default.contents(atPath: path) else {
      return .failure(session.failure("cannot read \(argument): " + (FileManager.default.fileExists(atPath: path) ? "permission denied or not a file" : "no such file")))
    }
    guard let text = String(data: data, encoding: .utf8) else { return .failure(session.failure("\(argument) is not UTF-8 text")) }
    if argument.lowercased().hasSuffix(".har") || text.drop(while: { $0.isWhitespace }).first == "{" { return .har(text) }
    return .scenario(text)
  }
}

enum ImportCommand: SessionCommand {
  static let names = ["import"]
  static let synopsis = "import har FILE"
  static let help = """
    Evidence from the developer tools becomes the session's scenario:
      a HAR file        import har FILE, or open FILE.har (DevTools › Network › Save all as HAR)
      Copy as cURL      paste the curl command as it is (several lines with \\ work)
      Copy as fetch     paste the fetch("…", {…}) call as it is
      raw HTTP          paste a request (PUT /x HTTP/1.1 and its header lines) or a response
                        (HTTP/1.1 204 No Content and its header lines) after a request
      a console error   explain followed by the message (Chromium, Firefox or WebKit wording)
    """
  static let section = CommandSection.evidence
  static func complete(_ c: CompletionContext) -> [String] { c.preceding.count == 1 ? c.matching(["har"]) : [] }
  static func run(_ invocation: Invocation, in session: Session) -> SessionOutput? {
    let parts = invocation.argument.split(separator: " ", maxSplits: 1).map(String.init)
    guard parts.count == 2, parts[0] == "har" else {
      return session.failure("import har FILE (curl commands and fetch calls are pasted as they are; see `help import`)")
    }
    let path = session.resolve(parts[1])
    guard let data = FileManager.default.contents(atPath: path) else { return session.failure("cannot read \(parts[1])") }
    guard let text = String(data: data, encoding: .utf8) else { return session.failure("\(parts[1]) is not UTF-8 text") }
    return .text(importHAR(text, name: parts[1], session))
  }

  /// Imports a HAR and reports it, after `prefix`.
  static func importHAR(_ text: String, name: String, _ session: Session, after prefix: String = "") -> String {
    let result: HARImport.Result
    do { result = try HARImport.parse(text) } catch { return prefix + session.failure("\(name): \(error.message)").text }
    session.replaceDocument(result.document, by: "import har \(name)")
    // The findings read the verdicts' notes, from their traces, which the report lets go as it prints them.
    let findings = HARFindings.disagreements(result, session: session)
    var out = session.report(after: prefix + result.notes.map { session.style.yellow("note") + " " + $0 + "\n" }.joined(),
                             streams: true)
    out += findings
    return out
  }
}

enum SaveCommand: SessionCommand {
  static let names = ["save", "save!"]
  static let synopsis = "save FILE | save! FILE"
  static let help = """
    Write the session as a scenario file.
      Over an existing file `save` asks first on a terminal and refuses in a pipe; `save! FILE` replaces it. The
      file keeps its permissions, and a symbolic link keeps pointing at it.
    """
  static let section = CommandSection.evidence
  static func run(_ invocation: Invocation, in session: Session) -> SessionOutput? {
    let argument = invocation.argument
    guard !argument.isEmpty else { return session.failure("usage: save FILE") }
    let path = session.resolve(argument)
    let text = ScenarioPrinter.print(session.document)
    var replace = invocation.name == "save!"
    if !replace, case .success(.file) = SafeFile.existing(path) {
      guard let confirm = session.confirm else {
        return session.failure("\(argument) exists; `save! \(argument)` replaces it")
      }
      guard confirm("\(argument) exists. Replace it? [y/N] ") else { return .text("not saved\n") }
      replace = true
    }
    switch SafeFile.write(text, to: path, replace: replace) {
    case .success: return .text("saved to \(argument)\n")
    case .failure(.exists): return session.failure("\(argument) exists; `save! \(argument)` replaces it")
    case .failure(.refused(let why)): return session.failure("cannot save to \(argument): \(why)")
    }
  }
}
