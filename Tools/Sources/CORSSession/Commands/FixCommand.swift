import CORSScenario
import CORSSimulator
import CORSText

/// `fix`: the fixes of a request, as the exact header lines per response and layer, and `fix apply`, which
/// makes them in the session (undoable) and shows the verdicts that move.
enum FixCommand: SessionCommand {
  static let names = ["fix"]
  static let synopsis = "fix [N] | fix apply [N] [K] [--all-engines]"
  static let help = """
    The fixes of request N (default: the last), each applied and checked before it is shown: per response and
    layer, the header lines it sends (+) and the ones it replaces (-), then the request's own changes.
        fix                    the fixes for the session's browser, best first (the first server fix keeps the
                               response to the page's origin; a wider one with * says so)
        fix apply              make the first fix's changes to the session's routes and layers (`undo` takes
                               them back), and show every verdict that moves
        fix apply 2 3          the third fix of request 2
        fix --all-engines      the fix that works in Chromium, Firefox and WebKit at once (`fix` shows it too
                               when the engines' own fixes differ); `fix apply --all-engines` makes it
      `fix METHOD URL …` and `fixed …` lines are expectations of a scenario file (Spec/README.md).
    """
  static let section = CommandSection.inspect

  /// `fix`, `fix N`, `fix apply [N] [K]`, each with `--all-engines`; any other `fix` line is the language's.
  static func accepts(_ arguments: [Substring]) -> Bool {
    let words = arguments.filter { $0 != "--all-engines" }
    if words.first == "apply" { return words.count <= 3 && words.dropFirst().allSatisfy { Int($0) != nil } }
    return words.count <= 1 && words.allSatisfy { Int($0) != nil }
  }

  static func complete(_ c: CompletionContext) -> [String] {
    c.matching(["apply", "--all-engines"] + (0..<c.session.builder.stepCount).map { String($0 + 1) })
  }

  static func run(_ invocation: Invocation, in session: Session) -> SessionOutput? {
    var words = invocation.words.map(String.init)
    let allEngines = words.contains("--all-engines")
    words.removeAll { $0 == "--all-engines" }
    let apply = words.first == "apply"
    if apply { words.removeFirst() }
    guard session.builder.page != nil else { return session.failure("no page yet: set one with `page https://…`") }
    let step: Int
    switch session.stepIndex(words.first ?? "") {
    case .failure(let problem): return session.failure(problem.message)
    case .success(let i): step = i
    }
    let engines = allEngines ? "Chromium, Firefox and WebKit" : session.engine.rawValue
    let fixes = allEngines ? session.document.scenario.fixes(forStep: step) : session.fixes(step: step, engine: session.engine)
    guard !fixes.isEmpty else {
      let succeeds = (allEngines ? Engine.allCases : [session.engine]).allSatisfy { session.verdicts($0)[step].failure == nil }
      return .text(succeeds ? "request \(step + 1) succeeds in \(engines): nothing to fix\n"
                            : "no fix found for request \(step + 1) in \(engines)\n")
    }
    if apply { return .text(applying(fixes, words.count > 1 ? Int(words[1])! : nil, step: step, in: session)) }
    let style = session.style
    var out = style.bold("fixes of request \(step + 1)") + style.dim(" (\(engines))") + "\n"
    out += FixText.render(fixes, server: session.builder.server, style: style)
    if !allEngines, let joint = differingEngines(step: step, session) {
      out += style.yellow("the engines' fixes differ") + "; one for Chromium, Firefox and WebKit at once "
        + style.dim("(`fix apply --all-engines`)") + ":\n"
      out += FixText.render(joint, number: 1, server: session.builder.server, style: style)
    }
    if let k = fixes.firstIndex(where: { !$0.edits.isEmpty }) {
      out += style.dim("`fix apply\(allEngines ? " --all-engines" : "")` makes fix \(k + 1)'s changes; `undo` takes them back") + "\n"
    }
    return .text(out)
  }

  /// The joint fix, when the engines' own first fixes are not the same change.
  static func differingEngines(step: Int, _ session: Session) -> Fix? {
    let own = Engine.allCases.map { e in Set(session.fixes(step: step, engine: e).first?.edits ?? []) }
    guard Set(own).count > 1 else { return nil }
    return session.document.scenario.fixes(forStep: step).first { !$0.edits.isEmpty }
  }

  /// `fix apply`: the chosen fix (default: the first with edits) made in the session.
  static func applying(_ fixes: [Fix], _ choice: Int?, step: Int, in session: Session) -> String {
    let index: Int
    if let choice {
      guard fixes.indices.contains(choice - 1) else {
        return session.failure("request \(step + 1) has \(fixes.count) fix\(fixes.count == 1 ? "" : "es") (1–\(fixes.count))").text
      }
      index = choice - 1
    } else {
      guard let first = fixes.firstIndex(where: { !$0.edits.isEmpty }) else {
        return session.failure("nothing to apply: \(fixes[0].summary)").text
      }
      index = first
    }
    let fix = fixes[index]
    guard !fix.edits.isEmpty else { return session.failure("fix \(index + 1) is advice, with nothing to apply").text }
    var d = session.document
    d.scenario = d.scenario.applying(fix)
    return session.style.dim("applied ") + "fix \(index + 1) of request \(step + 1): " + fix.summary + "\n"
      + session.changeDocument(d, by: "fix apply \(step + 1) \(index + 1)")
  }
}

/// `fix …` lines of the scenario language (an expectation of the first fix), told apart from the command by
/// their arguments.
enum FixLineCommand: SessionCommand {
  static let names = ["fix"]
  static let synopsis = "fix [BROWSER…:] METHOD URL [in LAYER] status N|add N|set Name: value|remove Name"
  static let help = """
    An expectation of the last request's first fix, one edit a line (all of them, in any order), checked at once:
        fix OPTIONS https://api.example/x set Access-Control-Allow-Origin: https://app.example
        fix GET https://api.example/x in nginx remove Access-Control-Allow-Origin
        fix request credentials=omit          fix none (advice only)
    """
  static let section = CommandSection.scenario
  static func accepts(_ arguments: [Substring]) -> Bool { !FixCommand.accepts(arguments) }
}

/// `fixed …`: the verdict expected once the first fix is applied.
enum FixedCommand: SessionCommand {
  static let names = ["fixed"]
  static let synopsis = "fixed [BROWSER…:] OUTCOME …"
  static let help = "An expectation of the last request once its first fix is applied (as `expect`), checked at once."
  static let section = CommandSection.scenario
  static func complete(_ c: CompletionContext) -> [String] { ExpectCommand.complete(c) }
}
