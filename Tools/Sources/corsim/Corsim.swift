import ArgumentParser
import CORSScenario
import CORSSimulator
import Foundation

@main
struct Corsim: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "corsim",
    abstract: "Decides CORS the way Chromium, Firefox, WebKit or the Fetch standard would.",
    discussion: "Exit status 2 for arguments a command does not accept, in every command.",
    subcommands: [ReplCommand.self, RunCommand.self, OracleCommand.self, ExportCommand.self,
                  ProbeCommand.self, AuditCommand.self, PolicyCommand.self],
    defaultSubcommand: ReplCommand.self)

  /// The exit status of a command line that is wrong (an unknown option, a missing or invalid value): 2, as
  /// every command's help says (and as grep and diff use), not ArgumentParser's 64 (EX_USAGE).
  static let usageStatus: Int32 = 2

  static func main() async {
    // SIGPIPE ignored: writing to a closed pipe is then an error corsim reports (status 1, `writeAll`), not a
    // signal that kills it (status 141).
    signal(SIGPIPE, SIG_IGN)
    do {
      var command = try parseAsRoot()
      if var asyncCommand = command as? AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch {
      if exitCode(for: error) == .validationFailure {
        FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
        Foundation.exit(usageStatus)
      }
      exit(withError: error)
    }
  }
}
