// swift-tools-version:6.1
// An example: a Vapor application's own CORSMiddleware, audited and property-tested in-process with corsim
// (docs/AUDIT.md, "The real middleware, in-process"). A package of its own, so that Vapor's build weighs only on
// those who run it: `swift test --package-path Examples/VaporCORS` (CI runs it when CORSIM_VAPOR=1).
import PackageDescription

let package = Package(
  name: "VaporCORS",
  platforms: [.macOS(.v13)],
  dependencies: [
    .package(name: "corsim", path: "../.."),
    .package(url: "https://github.com/vapor/vapor", from: "4.122.3"),
  ],
  targets: [
    .target(name: "App", dependencies: [.product(name: "Vapor", package: "vapor")]),
    .testTarget(
      name: "AppCORSTests",
      dependencies: [
        "App",
        .product(name: "VaporTesting", package: "vapor"),
        .product(name: "CORSPolicy", package: "corsim"),
        .product(name: "CORSPropertyTesting", package: "corsim"),
      ]),
  ]
)
