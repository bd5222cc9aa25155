import ArgumentParser
import CORSJSON
import CORSPolicy
import CORSSimulator
import Foundation

/// `corsim policy answer FILE 'PUT https://api… Origin: …'`: what a policy file's model answers to one request,
/// printed as `curl -si` prints a real server's, to hold the one against the other.
struct PolicyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "policy",
    abstract: "Work with policy files: print what a policy answers to a request.",
    subcommands: [PolicyAnswerCommand.self])
}

struct PolicyAnswerCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "answer",
    abstract: "Print what a policy file answers to one request, as `curl -si` prints a server's answer.",
    discussion: """
      The request is `METHOD URL` followed by header lines written `Name: value` (one argument, or several):
        corsim policy answer api.yaml 'OPTIONS https://api.example.com/data Origin: https://app.example.com \
      Access-Control-Request-Method: PUT Access-Control-Request-Headers: content-type'
      Compare with `curl -si -X OPTIONS https://api.example.com/data -H 'Origin: …' -H …` against your own server:
      the model's preset semantics (down to the middleware version it names) should give the same status and
      CORS lines. An OPTIONS with Origin and Access-Control-Request-Method is a preflight; a Cookie line means
      credentials. --layers names the layer that set each line (app, nginx…).

      Exit status: 0 when answered, 2 when the file or the request cannot be read.
      """)

  @Argument(help: "A policy file (YAML or JSON).")
  var file: String

  @Argument(parsing: .remaining, help: "The request: METHOD URL [Name: value]…")
  var request: [String] = []

  @Flag(name: .long, help: "Name the layer that set each header line.")
  var layers = false

  @Flag(name: .long, help: "Print the answer as JSON: status, headers (name, value, setBy), body.")
  var json = false

  func run() throws {
    let text: String
    do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
      writeAll("corsim: \(file): cannot read: \(error.localizedDescription)\n", to: 2)
      throw ExitCode(2)
    }
    let document: PolicyDocument
    let parsed: ServerRequest
    do {
      document = try PolicyDocument(text: text)
      parsed = try ServerRequest(commandLine: request.joined(separator: " "))
    } catch {
      writeAll("corsim: \(error)\n", to: 2)
      throw ExitCode(2)
    }
    let server = Server(layers: document.layers, responder: Responder(name: "policy") { [answer = document.answerFunction] in answer($0) })
    let answer = server.respond(parsed)
    var route = Route(method: parsed.method, url: parsed.url, status: answer.status, headers: answer.headers, body: answer.body)
    route.networkFailure = answer.networkFailure
    if json {
      writeAll(JSONWriter.serialize(.object([
        ("status", .number(Double(route.status))),
        ("headers", .array(route.headers.map { .object([("name", .string($0.name.rawName)), ("value", .string($0.value)),
                                                        ("setBy", .string($0.setBy ?? Layer.application))]) })),
        ("body", route.body.map { .string($0) } ?? .null),
      ])) + "\n")
      return
    }
    var out = route.httpText.replacingOccurrences(of: "\r\n", with: "\n")
    if layers {
      out = "HTTP/1.1 \(route.status)\n" + route.headers.map { "\($0.name.rawName): \($0.value)    [\($0.setBy ?? Layer.application)]" }
        .joined(separator: "\n") + "\n\n" + (route.body ?? "")
    }
    writeAll(out.hasSuffix("\n") ? out : out + "\n")
  }
}
