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
    // Server CORS policies: model, presets, generators, properties, audit.
    .library(name: "CORSPolicy", targets: ["CORSPolicy"]),
    // Live probing of a real server with the exact requests a browser sends.
    .library(name: "CORSProbe", targets: ["CORSProbe"]),
    // Swift Testing integration (generators and shrinking from swift-property-based).
    .library(name: "CORSPropertyTesting", targets: ["CORSPropertyTesting"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/google/swift-benchmark", from: "0.1.2"),
    // The conformance harness: a scripted HTTP/HTTPS server and a certificate made at run time;
    // CORSProbe's HTTP client rides on the same NIO.
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    // CORSProbe guards AsyncHTTPClient's HTTP/2 streams too (StatusLineGuard).
    .package(url: "https://github.com/apple/swift-nio-http2", from: "1.46.0"),
    .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    // CORSPolicy reads policies from YAML (and JSON, a subset of YAML 1.2).
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    // CORSProbe's HTTP client.
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    // CORSPropertyTesting: generators and shrinking in Swift Testing.
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    // Tests only: a real server with Hummingbird's CORSMiddleware.
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
  ],
  targets: [
    // The Fetch model. Depends on nothing but Foundation (used only for IDNA).
    .target(name: "CORSSimulator"),
    // Scenario language, oracle JSON shapes and the runner.
    .target(name: "CORSScenario", dependencies: ["CORSSimulator"]),
    .executableTarget(
      name: "corsim",
      dependencies: [
        "CORSSimulator", "CORSScenario", "LineEditor", "CORSPolicy", "CORSProbe",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    // Server policies: the policy model and its presets, origin and request generators, properties, the audit.
    .target(
      name: "CORSPolicy",
      dependencies: ["CORSSimulator", "CORSScenario", .product(name: "Yams", package: "Yams")]),
    // Live probe and live audit: the engine's requests sent with AsyncHTTPClient, its answers fed back.
    .target(
      name: "CORSProbe",
      dependencies: [
        "CORSSimulator", "CORSScenario", "CORSPolicy",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOHTTP2", package: "swift-nio-http2"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
      ]),
    // Property-based tests of policies in Swift Testing (a separate product: the core keeps no test dependency).
    .target(
      name: "CORSPropertyTesting",
      dependencies: ["CORSPolicy", "CORSSimulator", .product(name: "PropertyBased", package: "swift-property-based")]),
    // Decisions per second: swift run -c release CORSBenchmarks
    .executableTarget(
      name: "CORSBenchmarks",
      dependencies: ["CORSSimulator", .product(name: "Benchmark", package: "swift-benchmark")],
      path: "Benchmarks/CORSBenchmarks"),
    .testTarget(name: "CORSSimulatorTests", dependencies: ["CORSSimulator"]),
    .testTarget(name: "CORSScenarioTests", dependencies: ["CORSScenario", "CORSSimulator"]),
    .testTarget(name: "SpecCorpusTests", dependencies: ["CORSScenario", "CORSSimulator"]),
    .testTarget(name: "CLITests", dependencies: ["corsim", "CORSScenario", "TerminalTestSupport"]),
    .testTarget(
      name: "CORSPolicyTests",
      dependencies: [
        "CORSPolicy", "CORSPropertyTesting", "CORSSimulator",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ]),
    // Live tests: real servers on loopback (flask-cors, Hummingbird's CORSMiddleware, raw hostile servers),
    // probed and audited.
    .testTarget(
      name: "CORSProbeTests",
      dependencies: [
        "CORSProbe", "CORSPolicy", "CORSScenario", "CORSSimulator", "corsim",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOHTTP2", package: "swift-nio-http2"),
        .product(name: "NIOHPACK", package: "swift-nio-http2"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "X509", package: "swift-certificates"),
        .product(name: "Crypto", package: "swift-crypto"),
      ]),

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
