// swift-tools-version:6.1
// corsim's tools: the command-line tool and its REPL, the live probe, the conformance runner against real
// browsers, and the benchmarks. A package of its own so that depending on the libraries (the root
// Package.swift) pulls in none of what these need (SwiftNIO, TLS, AsyncHTTPClient, libedit…).
//
//   swift run --package-path Tools corsim        the REPL
//   swift test --package-path Tools              the tools' tests
import PackageDescription

let package = Package(
  name: "corsim-tools",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "corsim", targets: ["corsim"]),
    .executable(name: "corsim-conformance", targets: ["corsim-conformance"]),
    // Live probing of a real server with the exact requests a browser sends.
    .library(name: "CORSProbe", targets: ["CORSProbe"]),
    // HAR files, `Copy as cURL` and `Copy as fetch` pastes (a product for the fuzz targets in Fuzz/).
    .library(name: "CORSImport", targets: ["CORSImport"]),
  ],
  dependencies: [
    // The libraries, from the repository's root.
    .package(name: "corsim", path: ".."),
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
    // CORSProbe's HTTP client.
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    // Tests only: a real server with Hummingbird's CORSMiddleware.
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
  ],
  targets: [
    // Pastes and files from the developer tools: HAR, `Copy as cURL`, `Copy as fetch`.
    .target(
      name: "CORSImport",
      dependencies: [
        .product(name: "CORSSimulator", package: "corsim"), .product(name: "CORSScenario", package: "corsim"),
        .product(name: "CORSJSON", package: "corsim"),
      ]),
    // The REPL's logic: a session is lines in, text out (the terminal, pipes and tests drive the same code).
    .target(
      name: "CORSSession",
      dependencies: [
        "CORSImport",
        .product(name: "CORSSimulator", package: "corsim"), .product(name: "CORSScenario", package: "corsim"),
        .product(name: "CORSOracle", package: "corsim"), .product(name: "CORSJSON", package: "corsim"),
        .product(name: "CORSText", package: "corsim"),
      ]),
    .executableTarget(
      name: "corsim",
      dependencies: [
        "CORSSession", "CORSImport", "LineEditor", "CORSProbe", "CORSConformance",
        .product(name: "CORSSimulator", package: "corsim"), .product(name: "CORSScenario", package: "corsim"),
        .product(name: "CORSOracle", package: "corsim"), .product(name: "CORSJSON", package: "corsim"),
        .product(name: "CORSText", package: "corsim"), .product(name: "CORSPolicy", package: "corsim"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    // Live probe and live audit: the engine's requests sent with AsyncHTTPClient, its answers fed back.
    .target(
      name: "CORSProbe",
      dependencies: [
        .product(name: "CORSSimulator", package: "corsim"), .product(name: "CORSPolicy", package: "corsim"),
        .product(name: "CORSText", package: "corsim"), .product(name: "CORSJSON", package: "corsim"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOHTTP2", package: "swift-nio-http2"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
      ]),
    // Decisions per second, the scaling curves, oracle lines and the REPL session's cost per command: swift run --package-path Tools -c release CORSBenchmarks
    .executableTarget(
      name: "CORSBenchmarks",
      dependencies: [
        "CORSSession",
        .product(name: "CORSSimulator", package: "corsim"), .product(name: "CORSScenario", package: "corsim"),
        .product(name: "CORSOracle", package: "corsim"), .product(name: "CORSPolicy", package: "corsim"),
        .product(name: "Benchmark", package: "swift-benchmark"),
      ],
      path: "Benchmarks/CORSBenchmarks"),

    // libedit, found with pkg-config; `apt-get install libedit-dev pkg-config` provides both.
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

    // The conformance harness: plays oracle scenarios in real headless browsers against a scripted server
    // and compares what they did with the simulator.
    .target(
      name: "CORSConformance",
      dependencies: [
        .product(name: "CORSSimulator", package: "corsim"), .product(name: "CORSScenario", package: "corsim"),
        .product(name: "CORSOracle", package: "corsim"), .product(name: "CORSJSON", package: "corsim"),
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
        "CORSConformance",
        .product(name: "CORSScenario", package: "corsim"), .product(name: "CORSOracle", package: "corsim"),
        .product(name: "CORSJSON", package: "corsim"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),

    // Test support: a child process on a pseudo-terminal.
    .target(name: "CPseudoTerminal", path: "Tests/CPseudoTerminal"),
    // Test support: PseudoTerminal and TemporaryDirectory, for the line editor's and the REPL's tests.
    .target(
      name: "TerminalTestSupport", dependencies: ["CEditLine", "CPseudoTerminal", "LineEditor"],
      path: "Tests/TerminalTestSupport"),
    .testTarget(
      name: "CORSImportTests",
      dependencies: [
        "CORSImport", "CORSSession", .product(name: "CORSSimulator", package: "corsim"),
        .product(name: "CORSScenario", package: "corsim"),
      ]),
    .testTarget(
      name: "CLITests",
      dependencies: [
        "corsim", "CORSSession", "TerminalTestSupport", "LineEditor",
        .product(name: "CORSScenario", package: "corsim"), .product(name: "CORSOracle", package: "corsim"),
        .product(name: "CORSJSON", package: "corsim"), .product(name: "CORSText", package: "corsim"),
        .product(name: "CORSSimulator", package: "corsim"),
      ]),
    .testTarget(
      name: "LineEditorTests",
      dependencies: ["LineEditor", "CEditLine", "CPseudoTerminal", "LineEditorFixture", "TerminalTestSupport"]),
    // Live tests: real servers on loopback (flask-cors, Hummingbird's CORSMiddleware, raw hostile servers),
    // probed and audited; Hummingbird applications driven in-process through HummingbirdTesting.
    .testTarget(
      name: "CORSProbeTests",
      dependencies: [
        "CORSProbe", "corsim",
        .product(name: "CORSPolicy", package: "corsim"), .product(name: "CORSSimulator", package: "corsim"),
        .product(name: "CORSScenario", package: "corsim"), .product(name: "CORSJSON", package: "corsim"),
        .product(name: "CORSText", package: "corsim"), .product(name: "CORSPropertyTesting", package: "corsim"),
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
    .testTarget(
      name: "CORSConformanceTests",
      dependencies: [
        "CORSConformance",
        .product(name: "CORSScenario", package: "corsim"), .product(name: "CORSOracle", package: "corsim"),
        .product(name: "CORSJSON", package: "corsim"), .product(name: "CORSSimulator", package: "corsim"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
      ]),
  ]
)
