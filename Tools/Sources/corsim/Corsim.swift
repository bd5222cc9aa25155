import ArgumentParser
import CORSScenario
import CORSSimulator

@main
struct Corsim: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "corsim",
    abstract: "Decides CORS the way Chromium, Firefox, WebKit or the Fetch standard would.",
    subcommands: [ReplCommand.self, RunCommand.self, OracleCommand.self, ExportCommand.self,
                  ProbeCommand.self, AuditCommand.self],
    defaultSubcommand: ReplCommand.self)
}
