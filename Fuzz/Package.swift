// swift-tools-version:6.1
// libFuzzer targets, one per parser that reads what a stranger may write: an oracle line, the scenario
// language (parse, print, parse again), pasted requests and HAR files, policy files, and the HTTP response
// parsing and handling of the live probe. Built with the sanitizers by Scripts/fuzz:
//
//   swift build --package-path Fuzz -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
//
// SwiftPM links an executable's entry point under the name `<target>_main` (and makes `main` an alias of it,
// so that libFuzzer's own `main` is not linked): each target defines that function and hands over to
// libFuzzer's driver (`LLVMFuzzerRunDriver`, declared by CFuzzerDriver).
//
// Each target checks properties as it goes (an answer is JSON, a printed scenario reads back the same…)
// and stops with a fatal error when one fails, so that libFuzzer keeps the input as a crash.
import PackageDescription

let package = Package(
  name: "corsim-fuzz",
  platforms: [.macOS(.v15)],
  dependencies: [
    .package(name: "corsim", path: ".."),
    .package(name: "corsim-tools", path: "../Tools"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
  ],
  targets: [
    // Declares libFuzzer's driver, which each target's entry point calls (`entry` at the end of each target).
    .target(name: "CFuzzerDriver"),
    .executableTarget(
      name: "FuzzOracleLine",
      dependencies: [
        "CFuzzerDriver", .product(name: "CORSOracle", package: "corsim"), .product(name: "CORSJSON", package: "corsim"),
      ]),
    .executableTarget(
      name: "FuzzScenario",
      dependencies: [
        "CFuzzerDriver",
        .product(name: "CORSScenario", package: "corsim"), .product(name: "CORSOracle", package: "corsim"),
        .product(name: "CORSJSON", package: "corsim"), .product(name: "CORSSimulator", package: "corsim"),
      ]),
    .executableTarget(
      name: "FuzzImports",
      dependencies: [
        "CFuzzerDriver",
        .product(name: "CORSImport", package: "corsim-tools"), .product(name: "CORSScenario", package: "corsim"),
        .product(name: "CORSSimulator", package: "corsim"),
      ]),
    .executableTarget(
      name: "FuzzPolicy",
      dependencies: [
        "CFuzzerDriver",
        .product(name: "CORSPolicy", package: "corsim"), .product(name: "CORSSimulator", package: "corsim"),
        .product(name: "CORSText", package: "corsim"),
      ]),
    .executableTarget(
      name: "FuzzProbeResponse",
      dependencies: [
        "CFuzzerDriver",
        .product(name: "CORSSimulator", package: "corsim"),
        .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOEmbedded", package: "swift-nio"),
      ]),
  ]
)
