// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "corsim",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "CORSSimulator", targets: ["CORSSimulator"]),
    .library(name: "CORSScenario", targets: ["CORSScenario"]),
    .executable(name: "corsim", targets: ["corsim"]),
    .executable(name: "corsim-conformance", targets: ["corsim-conformance"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/google/swift-benchmark", from: "0.1.2"),
    // The conformance harness: a scripted HTTP/HTTPS server and a certificate made at run time.
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
  ],
  targets: [
    // The Fetch model. Depends on nothing but Foundation (used only for IDNA).
    .target(name: "CORSSimulator"),
    // Scenario language, oracle JSON shapes and the runner.
    .target(name: "CORSScenario", dependencies: ["CORSSimulator"]),
    .executableTarget(
      name: "corsim",
      dependencies: [
        "CORSSimulator", "CORSScenario", "LineEditor",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    // Decisions per second: swift run -c release CORSBenchmarks
    .executableTarget(
      name: "CORSBenchmarks",
      dependencies: ["CORSSimulator", .product(name: "Benchmark", package: "swift-benchmark")],
      path: "Benchmarks/CORSBenchmarks"),
    .testTarget(name: "CORSSimulatorTests", dependencies: ["CORSSimulator"]),
    .testTarget(name: "CORSScenarioTests", dependencies: ["CORSScenario", "CORSSimulator"]),
    .testTarget(name: "SpecCorpusTests", dependencies: ["CORSScenario", "CORSSimulator"]),
    .testTarget(name: "CLITests", dependencies: ["corsim", "CORSScenario", "TerminalTestSupport"]),

    // libedit, found with pkg-config; CI installs it with `apt-get install libedit-dev`.
    .systemLibrary(
      name: "CLibEdit",
      pkgConfig: "libedit",
      providers: [.apt(["libedit-dev"]), .brew(["libedit"])]),
    // Non-variadic C doors into libedit (Swift cannot call el_set, el_get or history).
    .target(name: "CEditLine", dependencies: ["CLibEdit"]),
    // The REPL's line editing: LineReader, EditLineReader (TTY), PipedLineReader, history, completion.
    .target(name: "LineEditor", dependencies: ["CEditLine"]),
    // Drives an EditLineReader for the pseudo-terminal tests (not a declared product).
    .executableTarget(name: "LineEditorFixture", dependencies: ["LineEditor"]),
    // Test support: a child process on a pseudo-terminal.
    .target(name: "CPseudoTerminal", path: "Tests/CPseudoTerminal"),
    // Test support: PseudoTerminal and TemporaryDirectory, for the line editor's and the REPL's tests.
    .target(
      name: "TerminalTestSupport", dependencies: ["CEditLine", "CPseudoTerminal", "LineEditor"],
      path: "Tests/TerminalTestSupport"),
    .testTarget(
      name: "LineEditorTests",
      dependencies: ["LineEditor", "CEditLine", "CPseudoTerminal", "LineEditorFixture", "TerminalTestSupport"]),
    // The conformance harness: plays oracle scenarios in real headless browsers against a scripted server
    // and compares what they did with the simulator.
    .target(
      name: "CORSConformance",
      dependencies: [
        "CORSSimulator", "CORSScenario",
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        .product(name: "NIOWebSocket", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "X509", package: "swift-certificates"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "SwiftASN1", package: "swift-asn1"),
      ]),
    .executableTarget(
      name: "corsim-conformance",
      dependencies: [
        "CORSConformance", "CORSScenario",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .testTarget(
      name: "CORSConformanceTests",
      dependencies: [
        "CORSConformance", "CORSScenario", "CORSSimulator",
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
      ]),
  ]
)
