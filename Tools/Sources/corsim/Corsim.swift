import ArgumentParser
import CORSScenario
import CORSSimulator
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The entry point: SIGPIPE ignored, so that writing to a closed pipe is an error corsim reports (status 1),
/// not a signal that kills it (status 141).
@main
enum CorsimMain {
  static func main() async {
    signal(SIGPIPE, SIG_IGN)
    await Corsim.main()
  }
}

struct Corsim: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "corsim",
    abstract: "Decides CORS the way Chromium, Firefox, WebKit or the Fetch standard would.",
    subcommands: [ReplCommand.self, RunCommand.self, OracleCommand.self, ExportCommand.self,
                  ProbeCommand.self, AuditCommand.self],
    defaultSubcommand: ReplCommand.self)
}
