import CORSImport
import CORSScenario
import CORSSimulator
import CORSText

enum ShowCommand: SessionCommand {
  static let names = ["show"]
  static let synopsis = "show"
  static let help = "The session as scenario text (what save writes)."
  static let section = CommandSection.evidence
  static func run(_ invocation: Invocation, in session: Session) -> SessionOutput? {
    .text(ScenarioPrinter.print(session.document))
  }
}

enum UndoCommand: SessionCommand {
  static let names = ["undo"]
  static let synopsis = "undo"
  static let help = "Take back the last change (a command and its block, a paste, an open, an import or a clear) and say which."
  static let section = CommandSection.session
  static func run(_ invocation: Invocation, in session: Session) -> SessionOutput? {
    guard invocation.argument.isEmpty else { return session.failure("undo takes no argument") }
    return .text(session.undo())
  }
}

enum ClearCommand: SessionCommand {
  static let names = ["clear"]
  static let synopsis = "clear [requests|routes|layers]"
  static let help = "Start again: all of it, or one part. `undo` brings it back."
  static let section = CommandSection.session
  static func complete(_ c: CompletionContext) -> [String] { c.matching(["requests", "routes", "layers"]) }
  static func run(_ invocation: Invocation, in session: Session) -> SessionOutput? {
    var d = session.document
    switch invocation.argument {
    case "": d = ScenarioDocument()
    case "requests": d.scenario.steps = []; d.verdicts = [:]; d.wire = [:]; d.messages = [:]
    case "routes": d.scenario.server = Server(routes: [], layers: d.scenario.server.layers)
    case "layers": d.scenario.server = Server(routes: d.scenario.server.routes, layers: [])
    default: return session.failure("clear what? `clear`, `clear requests`, `clear routes` or `clear layers`")
    }
    session.replaceDocument(d, by: "clear" + (invocation.argument.isEmpty ? "" : " " + invocation.argument))
    return .text("cleared\n" + session.report())
  }
}

enum JSONCommand: SessionCommand {
  static let names = ["json"]
  static let synopsis = "json on|off"
  static let help = "Print verdicts as oracle JSON lines."
  static let section = CommandSection.session
  static func complete(_ c: CompletionContext) -> [String] { c.matching(["on", "off"]) }
  static func run(_ invocation: Invocation, in session: Session) -> SessionOutput? {
    switch invocation.argument {
    case "on", "": session.json = true
    case "off": session.json = false
    default: return session.failure("json on|off")
    }
    return .text("json \(session.json ? "on" : "off")\n")
  }
}

enum HelpCommand: SessionCommand {
  static let names = ["help"]
  static let synopsis = "help [NAME]"
  static let help = "Every command, or one in detail."
  static let section = CommandSection.session
  static func complete(_ c: CompletionContext) -> [String] { c.matching(c.session.registry.names) }
  static func run(_ invocation: Invocation, in session: Session) -> SessionOutput? {
    let topic = invocation.argument
    if topic.isEmpty { return .text(session.registry.overview(style: session.style)) }
    if let text = session.registry.topic(topic, style: session.style) { return .text(text) }
    let hint = session.registry.suggestion(for: topic).map { "did you mean `help \($0)`? " } ?? ""
    return session.failure("no help for '\(topic)'; \(hint)`help` lists every command")
  }
}

enum QuitCommand: SessionCommand {
  static let names = ["quit", "exit"]
  static let synopsis = "quit"
  static let help = "Leave (Ctrl-D too)."
  static let section = CommandSection.session
  static func run(_ invocation: Invocation, in session: Session) -> SessionOutput? { .quit }
}

/// What a HAR recorded beside what the simulation decides: where they disagree is a finding.
enum HARFindings {
  static func disagreements(_ result: HARImport.Result, session: Session) -> String {
    let verdicts = session.verdicts(session.engine)
    var out = ""
    for (i, recorded) in result.recorded.enumerated() where i < verdicts.count {
      let v = verdicts[i]
      let simulatedFailure = v.outcome == .networkError || v.outcome == .invalid
      let said = recorded.failed ? "failed (status \(recorded.status)\(recorded.error.map { ", " + $0 } ?? ""))" : "answered \(recorded.status)"
      if recorded.failed != simulatedFailure {
        out += session.style.yellow("disagrees") + " [\(i + 1)] the browser recorded: \(said); corsim decides \(Session.short(v)). "
        out += "That difference is a finding: an extension, a proxy, a cache, a response the HAR does not hold, or a gap in the model.\n"
      } else if recorded.failed && v.notes.contains(.routeNotFound) {
        out += session.style.yellow("note") + " [\(i + 1)] the browser recorded: \(said); the HAR holds no response for it, so the verdict rests on a 404 assumed here — paste the real response to be sure.\n"
      }
    }
    return out
  }
}
