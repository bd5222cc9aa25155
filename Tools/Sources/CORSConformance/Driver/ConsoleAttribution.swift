/// A step of a scenario: its position in the input and its index.
public struct StepKey: Sendable, Hashable {
  /// The scenario's position.
  public var scenario: Int
  /// The step's index.
  public var step: Int

  /// Creates a key.
  public init(scenario: Int, step: Int) {
    self.scenario = scenario
    self.step = step
  }
}

/// Assigns an engine's console messages to the steps that caused them. The page runner prints
/// `[corsim] step P K` before each step and `[corsim] end P` after the last, on the same console as the
/// engine's own messages, so a message belongs to the step whose marker came last before it — messages
/// after `end` (late ones) stay with the scenario's last step.
public enum ConsoleAttribution {
  /// The harness's own console lines start with this.
  public static let markerPrefix = "[corsim] "

  /// Messages per step, in order, markers removed.
  public static func attribute(_ texts: [String]) -> [StepKey: [String]] {
    var out: [StepKey: [String]] = [:]
    var current: StepKey?
    for text in texts {
      if text.hasPrefix(markerPrefix) {
        let words = text.dropFirst(markerPrefix.count).split(separator: " ")
        if words.count == 3, words[0] == "step", let p = Int(words[1]), let k = Int(words[2]) {
          current = StepKey(scenario: p, step: k)
        }
        continue
      }
      if let current { out[current, default: []].append(text) }
    }
    return out
  }

  /// Chromium's network entries (the console line of a failed load) start with this.
  public static let networkEntryPrefix = "Failed to load resource: "
  /// Between a network entry's text and its resource URL (the launcher keeps the URL; see `devToolsLine`).
  public static let sourceSeparator = "\u{1F}"

  /// A Chromium network entry as DevTools shows it (ConsoleViewMessage's network request format): the
  /// request's method and URL, then the error (`net::ERR_FAILED`) or the status (`404 (Not Found)`). DevTools
  /// adds the status after the error when a response had arrived (`net::ERR_FAILED 200 (OK)`); that part
  /// is not in the entry and is left out on both sides. nil for any other line.
  public static func devToolsLine(_ text: String, method: (String) -> String) -> String? {
    guard text.hasPrefix(networkEntryPrefix), let sep = text.range(of: sourceSeparator) else { return nil }
    let what = text[text.index(text.startIndex, offsetBy: networkEntryPrefix.count)..<sep.lowerBound]
    let url = String(text[sep.upperBound...])
    let statusPrefix = "the server responded with a status of "
    let tail = what.hasPrefix(statusPrefix) ? what.dropFirst(statusPrefix.count) : what
    return "\(method(url)) \(url) \(tail)"
  }

  /// A network entry other than a failed load's (a WebSocket's handshake failure, whose source is the page) as
  /// DevTools shows it: its text alone. Any other line as it is.
  public static func withoutSource(_ text: String) -> String {
    guard !text.hasPrefix(networkEntryPrefix), let sep = text.range(of: sourceSeparator) else { return text }
    return String(text[..<sep.lowerBound])
  }

  /// Whether a console line (its URLs put back to the scenario's) is the harness's own doing, not the step's:
  /// a load of the harness's marks and reports or of the page's icon, the syntax error of the classic-script
  /// probe body (`ElementBodies`), and WebKit's complaint when the image probe reads a tainted canvas.
  public static func isHarnessNoise(_ text: String) -> Bool {
    text.contains("/__corsim/mark") || text.contains("/__corsim/report") || text.contains("/favicon.ico")
      || probeNoise.contains(text)
  }

  static let probeNoise: Set<String> = [
    "Uncaught SyntaxError: Unexpected end of input",  // Chromium (V8)
    "SyntaxError: expected expression, got end of script",  // Firefox (SpiderMonkey)
    "SyntaxError: Unexpected end of script",  // WebKit (JavaScriptCore)
    "Unable to get image data from canvas because the canvas has been tainted by cross-origin data.",  // WebKit
  ]

  /// The message that explains a failed step: the first one that is not the engine's generic network-error
  /// echo (Chromium's `Failed to load resource`, WebKit's `Fetch API cannot load … due to access control
  /// checks.` / `XMLHttpRequest cannot load …` follow the specific line). When Chromium printed only the network's
  /// entries (`Failed to load resource: the server responded with a status of 404 (Not Found)` for an element or an
  /// import refused for its status), the engine said nothing of its own: no main message (the entries are in
  /// `messages`, as the simulator has them).
  public static func failureMessage(_ messages: [String]) -> String? {
    if messages.allSatisfy({ $0.hasPrefix(networkEntryPrefix) }) { return nil }
    let specific = messages.first { m in
      !m.hasPrefix("Failed to load resource") && !m.hasSuffix("due to access control checks.")
        && !m.hasPrefix("Uncaught") && !m.contains("net::ERR_")
    }
    return specific ?? messages.first
  }
}
