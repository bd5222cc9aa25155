// swift-tools-version:6.1
// corsim's libraries: the Fetch model, the scenario language, the oracle, server policies and their
// property-based tests. This manifest is what a package that depends on corsim by URL reads, so it holds
// nothing the tools need: the REPL, the live probe, the conformance runner and the benchmarks are a second
// package in Tools/ (Tools/Package.swift), which depends on this one by path.
import PackageDescription

/// swift-http-types, for CORSHTTPTypes alone, and only with the trait that asks for it.
let httpTypes = Target.Dependency.product(name: "HTTPTypes", package: "swift-http-types",
                                          condition: .when(traits: ["HTTPTypesConversions"]))

let package = Package(
  name: "corsim",
  platforms: [.macOS(.v15)],
  products: [
    // The Fetch model: decisions, verdicts, console messages, fixes. Depends on nothing but Foundation.
    .library(name: "CORSSimulator", targets: ["CORSSimulator"]),
    // The scenario language (Spec/ files, sessions) and its runner.
    .library(name: "CORSScenario", targets: ["CORSScenario"]),
    // The oracle's JSON lines: scenarios in, verdicts out.
    .library(name: "CORSOracle", targets: ["CORSOracle"]),
    // Server CORS policies: model, presets, generators, properties, the audit.
    .library(name: "CORSPolicy", targets: ["CORSPolicy"]),
    // Property-based tests of policies in Swift Testing (swift-property-based).
    .library(name: "CORSPropertyTesting", targets: ["CORSPropertyTesting"]),
    // Support shared with the tools: bounded JSON, and verdicts as text for people.
    .library(name: "CORSJSON", targets: ["CORSJSON"]),
    .library(name: "CORSText", targets: ["CORSText"]),
    // Conversions to and from swift-http-types (HTTPRequest, HTTPResponse, HTTPFields).
    .library(name: "CORSHTTPTypes", targets: ["CORSHTTPTypes"]),
  ],
  traits: [
    // On by default; a package that wants only the other products can turn default traits off
    // (`.package(url: …, from: …, traits: [])`) and then resolves no swift-http-types at all.
    .trait(name: "HTTPTypesConversions", description: "CORSHTTPTypes: conversions to and from swift-http-types"),
    .default(enabledTraits: ["HTTPTypesConversions"]),
  ],
  dependencies: [
    // CORSPolicy reads policies from YAML (and JSON, a subset of YAML 1.2).
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    // CORSPropertyTesting: generators and shrinking in Swift Testing.
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    // CORSHTTPTypes only (trait HTTPTypesConversions): the model as HTTPRequest, HTTPResponse and HTTPFields.
    .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    // `swift package generate-documentation`: a command plugin, built only when it is run.
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
  ],
  targets: [
    .target(name: "CORSSimulator"),
    .target(name: "CORSJSON"),
    .target(name: "CORSHTTPTypes", dependencies: ["CORSSimulator", httpTypes]),
    .target(name: "CORSText", dependencies: ["CORSSimulator", "CORSScenario"]),
    .target(name: "CORSScenario", dependencies: ["CORSSimulator"]),
    .target(name: "CORSOracle", dependencies: ["CORSSimulator", "CORSScenario", "CORSJSON"]),
    .target(
      name: "CORSPolicy",
      dependencies: ["CORSSimulator", "CORSJSON", "CORSText", .product(name: "Yams", package: "Yams")]),
    .target(
      name: "CORSPropertyTesting",
      dependencies: ["CORSPolicy", "CORSSimulator", .product(name: "PropertyBased", package: "swift-property-based")]),

    // The documentation's Swift samples (DocC articles, README, docs/): each compiles and runs in a test.
    .testTarget(
      name: "DocumentationTests",
      dependencies: [
        "CORSSimulator", "CORSScenario", "CORSOracle", "CORSJSON", "CORSText", "CORSHTTPTypes", "CORSPolicy", httpTypes,
      ]),
    .testTarget(name: "CORSSimulatorTests", dependencies: ["CORSSimulator"]),
    .testTarget(
      name: "CORSHTTPTypesTests",
      dependencies: ["CORSHTTPTypes", "CORSSimulator", httpTypes]),
    .testTarget(
      name: "CORSScenarioTests",
      dependencies: ["CORSScenario", "CORSSimulator", .product(name: "PropertyBased", package: "swift-property-based")]),
    .testTarget(name: "CORSOracleTests", dependencies: ["CORSOracle", "CORSScenario", "CORSJSON", "CORSSimulator"]),
    .testTarget(name: "SpecCorpusTests", dependencies: ["CORSScenario", "CORSOracle", "CORSJSON", "CORSSimulator", "CORSPolicy"]),
    .testTarget(
      name: "CORSPolicyTests",
      dependencies: [
        "CORSPolicy", "CORSPropertyTesting", "CORSSimulator",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ]),
  ]
)
