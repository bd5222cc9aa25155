import CORSScenario
import CORSSimulator
import CORSText

/// Plays a scenario in real browsers: what each engine did, step by step, beside what corsim predicts.
public protocol ScenarioPlayer {
  /// The engines installed here, and for each one that is not, why.
  func availability() -> [(engine: Engine, available: Bool, detail: String)]
  /// Plays `scenario` in `engines`; one report per engine.
  func play(_ scenario: Scenario, engines: [Engine]) -> [PlayReport]
}

/// What one real engine did with the session's scenario.
public struct PlayReport: Sendable {
  /// One request's outcome, real and predicted.
  public struct Step: Sendable {
    /// `READABLE cors 200`, `BLOCKED`…, as the real browser reported it (or why it was not played).
    public var real: String
    /// The same for corsim's prediction.
    public var predicted: String
    /// The fields that differ (outcome, status, requests…); empty when they agree.
    public var differences: [String]
    /// The console message the browser printed (Chromium and Firefox expose it), and corsim's.
    public var messages: (real: String?, predicted: String?)
    /// Creates a step.
    public init(real: String, predicted: String, differences: [String], messages: (real: String?, predicted: String?) = (nil, nil)) {
      self.real = real
      self.predicted = predicted
      self.differences = differences
      self.messages = messages
    }
  }
  /// The engine.
  public var engine: Engine
  /// Its version (`Chromium 156…`).
  public var version: String
  /// Each request, or empty when the engine could not play it.
  public var steps: [Step]
  /// Why the engine could not play it, if it could not.
  public var problem: String?
  /// Creates a report.
  public init(engine: Engine, version: String, steps: [Step], problem: String? = nil) {
    self.engine = engine
    self.version = version
    self.steps = steps
    self.problem = problem
  }
}

enum PlayCommand: SessionCommand {
  static let names = ["play"]
  static let synopsis = "play [chromium|firefox|webkit…]"
  static let help = """
    The session's scenario in the real browsers installed here, beside corsim's verdicts.
      Headless Chromium, Firefox and WebKitGTK against a scripted server on loopback (the conformance runner's
      machinery): per engine, what the browser did and printed beside what corsim predicted, differences marked.
      Without browsers it says how to install them (Scripts/install-browsers). A few seconds per engine.
    """
  static let section = CommandSection.inspect
  static func complete(_ c: CompletionContext) -> [String] { c.matching(ConsoleCatalogue.engines.map(\.rawValue)) }
  static func run(_ invocation: Invocation, in session: Session) -> SessionOutput? {
    guard let player = session.player else { return session.failure("this corsim cannot play scenarios in browsers") }
    guard let page = session.builder.page, session.builder.stepCount > 0 else {
      return session.failure("play needs a page and a request first")
    }
    var wanted: [Engine] = []
    for word in invocation.words {
      guard let e = Engine(rawValue: String(word)), ConsoleCatalogue.engines.contains(e) else {
        return session.failure("'\(word)' is not a browser to play in (chromium, firefox, webkit)")
      }
      wanted.append(e)
    }
    let style = session.style
    let installed = player.availability()
    var out = ""
    let usable = installed.filter { $0.available && (wanted.isEmpty || wanted.contains($0.engine)) }.map(\.engine)
    for missing in installed where !missing.available && (wanted.isEmpty || wanted.contains(missing.engine)) {
      out += style.yellow("skipped") + " \(missing.engine.rawValue): \(missing.detail)\n"
    }
    guard !usable.isEmpty else {
      return .text(out + "no browser to play in: install them with Scripts/install-browsers (Chromium, Firefox ESR and WebKitGTK from Debian's packages)\n")
    }
    var scenario = session.document.scenario
    scenario.page = page
    for report in player.play(scenario, engines: usable) {
      out += style.bold("\(report.engine.rawValue)") + style.dim("  \(report.version)") + "\n"
      if let problem = report.problem { out += "  " + style.yellow("not played") + ": \(problem)\n"; continue }
      for (i, step) in report.steps.enumerated() {
        let mark = step.differences.isEmpty ? style.green("=") : style.red("≠")
        out += "  [\(i + 1)] \(mark) real \(step.real)   corsim \(step.predicted)"
        out += step.differences.isEmpty ? "\n" : style.red("  differs: " + step.differences.joined(separator: ", ")) + "\n"
        // The console's words, where the browser let the runner read them: measured, not assumed.
        if let real = step.messages.real {
          let same = real == step.messages.predicted
          out += "      console " + (same ? style.green("=") : style.red("≠")) + " real: \(real)\n"
          if !same { out += "                corsim: \(step.messages.predicted ?? "(none)")\n" }
        }
      }
    }
    return .text(out)
  }
}
