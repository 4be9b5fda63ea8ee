// swift-tools-version: 6.1
// libFuzzer harnesses for the parsers that take untrusted input: the CSV reader
// (with the households schema's field decoding), the scenario parser and the
// .xlsx reader (zip, sheet XML, the CSV a sheet becomes).
// A package of its own because a harness has no `main` (libFuzzer brings it), so
// it cannot sit in the main build. Run with `scripts/fuzz csv|scenario|xlsx [seconds]`.
import Foundation
import PackageDescription

// SwiftPM names a path dependency after its folder (see Benchmarks/Package.swift).
let tepat = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "TepatFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: "..")],
    targets: [
        .target(name: "FuzzSupport"),
        .executableTarget(
            name: "FuzzCSV",
            dependencies: ["FuzzSupport", .product(name: "TepatData", package: tepat)],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        .executableTarget(
            name: "FuzzXLSX",
            dependencies: ["FuzzSupport", .product(name: "Spreadsheet", package: tepat), .product(name: "TepatData", package: tepat)],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        .executableTarget(
            name: "FuzzScenario",
            dependencies: ["FuzzSupport", .product(name: "TepatScenario", package: tepat)],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ]
)
