import ArgumentParser
import CORSConformance
import CORSJSON
import Foundation

/// `corsim-conformance chains`: random redirect chains as oracle input lines, for `run` and `compare`.
struct ChainsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "chains",
    abstract: "Write N random redirect chains (oracle scenarios) for a seed: hops, statuses, methods, origins, credentials.",
    discussion: """
      The same seed gives the same chains, and chain k is the same whatever N. Play and compare them:

        corsim-conformance chains --count 300 --seed 1 --out chains.jsonl
        corsim-conformance run --input chains.jsonl --out real.jsonl
        corsim-conformance compare --real real.jsonl --input chains.jsonl

      Scripts/redirect-chains does all three. Every disagreement is a redirect rule the simulator lacks (or a
      harness limit): write it down as a Spec file.
      """)

  @Option(name: .long, help: "How many chains.")
  var count = 300

  @Option(name: .long, help: "The seed (a non-negative integer).")
  var seed: UInt64 = 1

  @Option(name: .long, help: "Where to write them (default: standard output).")
  var out: String?

  func validate() throws {
    if count < 1 || count > 100_000 { throw ValidationError("--count must be between 1 and 100000") }
  }

  func run() throws {
    var text = ""
    for line in RedirectChains(seed: seed).chains(count) { text += JSONWriter.serialize(line) + "\n" }
    if let out {
      do { try text.write(toFile: out, atomically: true, encoding: .utf8) } catch {
        throw ValidationError("cannot write \(out): \(error.localizedDescription)")
      }
    } else {
      print(text, terminator: "")
    }
  }
}
