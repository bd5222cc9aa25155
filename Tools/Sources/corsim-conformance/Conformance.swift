import ArgumentParser

@main
struct Conformance: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "corsim-conformance",
    abstract: "Plays oracle scenarios in real headless browsers and compares what they did with the simulator.",
    discussion: """
      Install the browsers once with Scripts/install-browsers (Debian: chromium, firefox-esr, WebKitGTK, Xvfb).

        corsim-conformance run --input smoke.jsonl --engines chromium,firefox,webkit --out results.jsonl
        corsim-conformance compare --real results.jsonl --input smoke.jsonl --markdown report.md

      See Scripts/README.md for how the harness works and what it cannot play.
      """,
    subcommands: [RunCommand.self, CompareCommand.self, ChainsCommand.self])
}
