// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "corsim",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "CORSSimulator", targets: ["CORSSimulator"]),
    .library(name: "CORSScenario", targets: ["CORSScenario"]),
    .executable(name: "corsim", targets: ["corsim"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
  ],
  targets: [
    // The Fetch model. Depends on nothing but Foundation (used only for IDNA).
    .target(name: "CORSSimulator"),
    // Scenario language, oracle JSON shapes and the runner.
    .target(name: "CORSScenario", dependencies: ["CORSSimulator"]),
    .executableTarget(
      name: "corsim",
      dependencies: [
        "CORSSimulator", "CORSScenario",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .testTarget(name: "CORSSimulatorTests", dependencies: ["CORSSimulator"]),

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
    .testTarget(
      name: "LineEditorTests",
      dependencies: ["LineEditor", "CEditLine", "CPseudoTerminal", "LineEditorFixture"]),
  ]
)
