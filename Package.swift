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
    .testTarget(name: "CORSScenarioTests", dependencies: ["CORSScenario", "CORSSimulator"]),
    .testTarget(name: "SpecCorpusTests", dependencies: ["CORSScenario", "CORSSimulator"]),
    .testTarget(name: "CLITests", dependencies: ["corsim", "CORSScenario"]),
  ]
)
