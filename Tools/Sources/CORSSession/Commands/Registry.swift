import CORSScenario
import CORSSimulator
import CORSText

/// One command of the session, described once: its names, its synopsis and help, how its arguments complete,
/// and what it does. `help`, completion and "did you mean" are all derived from the registry of these types
/// (as swift-argument-parser derives a tool's help and completion from its subcommand types), so a new command
/// is one new type added to `CommandRegistry.standard`.
///
/// The scenario language's commands (`page`, `route`, `fetch`…) are described here too, for help and
/// completion; their lines are read by `ScenarioBuilder` (`run` returns nil).
public protocol SessionCommand {
  /// The command's names: the first is its own, the others are accepted too.
  static var names: [String] { get }
  /// One line: the command and its arguments, `trace [N]`.
  static var synopsis: String { get }
  /// What `help NAME` prints under the synopsis.
  static var help: String { get }
  /// Where `help` lists it.
  static var section: CommandSection { get }
  /// Whether this command takes a line whose first word is one of its names (two commands may share a name
  /// and be told apart by their arguments: `load image URL` and `load FILE`).
  static func accepts(_ arguments: [Substring]) -> Bool
  /// Completions for the word being typed.
  static func complete(_ context: CompletionContext) -> [String]
  /// Runs it; nil for a line of the scenario language (the session hands it to the scenario builder).
  static func run(_ invocation: Invocation, in session: Session) -> SessionOutput?
}

extension SessionCommand {
  public static func accepts(_ arguments: [Substring]) -> Bool { true }
  public static func complete(_ context: CompletionContext) -> [String] { [] }
  public static func run(_ invocation: Invocation, in session: Session) -> SessionOutput? { nil }
  static var name: String { names[0] }
}

/// Where `help` lists a command.
public enum CommandSection: String, Sendable, CaseIterable {
  case scenario = "The scenario (the language of Spec/ files)"
  case inspect = "Looking at the verdicts"
  case evidence = "Evidence in, files out"
  case session = "The session"
}

/// One use of a session command.
public struct Invocation: Sendable {
  /// The name as typed (`save!` for a forced save).
  public var name: String
  /// The words after the name, as typed.
  public var argument: String
  /// The arguments split at spaces.
  public var words: [Substring] { argument.split(whereSeparator: { $0 == " " || $0 == "\t" }) }
}

/// What completion knows: the words before the cursor, the word being typed, and the session (for values
/// already used in it: origins, route URLs).
public struct CompletionContext {
  /// The words before the one being completed (the first is the command).
  public var preceding: [String]
  /// The word being completed (possibly empty).
  public var current: String
  /// The session.
  public let session: Session

  /// The options that start with the word being typed, sorted, without repeats.
  public func matching(_ options: [String]) -> [String] {
    Array(Set(options.filter { $0.hasPrefix(current) })).sorted()
  }
}

/// The session's commands. `standard` is the REPL's; tests add their own.
public struct CommandRegistry: @unchecked Sendable {  // metatypes, never mutated
  /// The commands, in the order `help` lists them.
  public var commands: [any SessionCommand.Type]

  /// Creates a registry.
  public init(_ commands: [any SessionCommand.Type]) { self.commands = commands }

  /// The REPL's commands.
  public static let standard = CommandRegistry([
    PageCommand.self, RouteCommand.self, LayerCommand.self, FetchCommand.self, XHRCommand.self,
    ElementLoadCommand.self, EventSourceCommand.self, BeaconCommand.self, DynamicImportCommand.self, WorkerCommand.self, NavigateCommand.self, FormCommand.self, WebSocketCommand.self, WaitCommand.self, BrowserCommand.self, CSPCommand.self, IntegrityPolicyCommand.self,
    COEPCommand.self, UpgradeInsecureRequestsCommand.self, AddressCommand.self, HSTSCommand.self, LNACommand.self,
    HTTP2Command.self, ExpectCommand.self, SendsCommand.self, SaysCommand.self, FixLineCommand.self, FixedCommand.self,
    RunCommand.self, TraceCommand.self, WireCommand.self, NotesCommand.self, CompareCommand.self,
    FixCommand.self, WhatIfCommand.self, DiagramCommand.self, ExplainCommand.self, PlayCommand.self,
    OpenCommand.self, SaveCommand.self, ImportCommand.self, ShowCommand.self,
    UndoCommand.self, ClearCommand.self, JSONCommand.self, HelpCommand.self, QuitCommand.self,
  ])

  /// Every name a line may start with.
  public var names: [String] { commands.flatMap { $0.names } }

  /// The names of the commands the session runs itself (not the scenario language's).
  var sessionNames: [String] { commands.filter { $0.section != .scenario }.flatMap { $0.names } }

  /// The command a line starting with `word` belongs to (the first that accepts its arguments).
  public func command(named word: String, arguments: [Substring]) -> (any SessionCommand.Type)? {
    commands.first { $0.names.contains(word) && $0.accepts(arguments) }
  }

  /// The commands with a name.
  func commands(named word: String) -> [any SessionCommand.Type] { commands.filter { $0.names.contains(word) } }

  /// `help`: every command's synopsis, by section, and how to paste evidence.
  func overview(style: TextStyle) -> String {
    var out = style.bold("corsim") + " — may the script read the response? Compose a page, a server and a request:\n\n"
    out += "  page https://app.example\n  route GET https://api.example/data\n"
    out += "    Access-Control-Allow-Origin: https://app.example\n  fetch https://api.example/data credentials=include\n\n"
    out += "The verdict appears when a request block ends (an empty line).\n"
    out += "Paste evidence as it is: a raw HTTP request or response, DevTools' `Copy as cURL` or `Copy as fetch`,\n"
    out += "a HAR file (`open FILE.har`), or a console error after `explain` (`help import`).\n"
    for section in CommandSection.allCases {
      let listed = commands.filter { $0.section == section }
      guard !listed.isEmpty else { continue }
      out += "\n" + style.bold(section.rawValue) + "\n"
      let width = min(34, listed.map { $0.synopsis.count }.max() ?? 0)
      for c in listed {
        let summary = c.help.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        let padding = String(repeating: " ", count: max(1, width - c.synopsis.count + 2))
        out += "  " + c.synopsis + (c.synopsis.count > width ? "\n  " + String(repeating: " ", count: width + 2) : padding) + summary + "\n"
      }
    }
    out += "\n`help NAME` for one command (e.g. help route).\n"
    return out
  }

  /// `help NAME`: the synopsis and help of every command with that name.
  func topic(_ name: String, style: TextStyle) -> String? {
    let found = commands(named: name)
    guard !found.isEmpty else { return nil }
    return found.map { style.bold($0.synopsis) + "\n" + $0.help + "\n" }.joined(separator: "\n")
  }

  /// A close name for a mistyped command, or nil.
  func suggestion(for word: String) -> String? { DidYouMean.suggestion(for: word, among: names) }
}
