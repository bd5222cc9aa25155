import CORSScenario
import CORSSimulator
import CORSText
import Foundation

enum ExplainCommand: SessionCommand {
  static let names = ["explain"]
  static let synopsis = "explain MESSAGE"
  static let help = """
    A pasted console error back to its engine, its reason and the smallest scenario that prints it.
      Paste the message after `explain` (Chromium, Firefox or WebKit wording, URLs and all): the scenario that
      prints exactly that message becomes the session's, with its verdict and fix (`undo` brings the previous back):
        explain Access to fetch at 'https://api.example/x' from origin 'https://app.example' has been blocked …
    """
  static let section = CommandSection.evidence
  static func run(_ invocation: Invocation, in session: Session) -> SessionOutput? {
    let message = invocation.argument
    guard !message.isEmpty else { return session.failure("usage: explain MESSAGE (paste the console error after `explain`)") }
    guard let found = ConsoleCatalogue.explain(message) else {
      return session.failure("no console message corsim knows matches this one exactly (\(ConsoleCatalogue.entries.count) templates tried, "
        + "for chromium, firefox and webkit); check that it is one whole line as the console printed it")
    }
    let engines = found.engines.map(\.rawValue).joined(separator: " or ")
    var out = session.style.bold("\(engines): \(found.reasons.map(\.rawValue).joined(separator: " or "))") + "\n"
    if found.reasons.count > 1 {
      out += "(the engine prints the same words for each of these; the scenario below shows the first)\n"
    }
    if let otherwise = found.otherwise {
      // A digest of a body the message does not show: no scenario prints it; this one prints its own body's.
      out += "the smallest scenario that prints this message, but for its own body's \(otherwise):\n"
    } else {
      out += "the smallest scenario that prints exactly this message:\n"
    }
    out += found.scenario.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
    if found.scenario.contains(ConsoleCatalogue.unnamedPageHost) {
      out += session.style.dim("(the message does not name the page: \(ConsoleCatalogue.unnamedPageHost) stands for yours; `page URL` sets it)") + "\n"
    }
    var d = found.document
    d.browser = found.engines[0]
    session.replaceDocument(d, by: "explain")
    return .text(out + session.report())
  }
}
