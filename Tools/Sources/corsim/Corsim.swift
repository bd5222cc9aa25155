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
    version: versionText,
    subcommands: [ReplCommand.self, RunCommand.self, OracleCommand.self, ExportCommand.self,
                  ProbeCommand.self, AuditCommand.self, PolicyCommand.self],
    defaultSubcommand: ReplCommand.self)

  /// What `corsim --version` prints: the tool's version, then the releases its profiles model (each profile's
  /// `version`, the same text `corsim oracle` and the conformance report name them by).
  static var versionText: String {
    let models = [BrowserProfile.chromium, .firefox, .webkit, .spec].map(\.version).joined(separator: ", ")
    return "corsim \(toolVersion)\nmodels: \(models)"
  }

  /// The tool's version (semantic versioning; no release has been published yet).
  static let toolVersion = "0.1.0"

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
