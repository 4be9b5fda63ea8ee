// swift-tools-version: 6.1
// Tepat: targeting poverty programs at the right villages and households.
//
// Data flows left to right and no module reaches back:
//   TepatData (read, validate) → TepatScoring → TepatAllocation → TepatReporting
//   → TepatScenario (YAML settings) and TepatStore (run history, SQLite)
// with LinearAlgebra (a thin, checked layer over system BLAS/LAPACK) underneath and
// the `tepat` executable on top.
import PackageDescription

let package = Package(
    name: "Tepat",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tepat", targets: ["tepat"]),
        .library(name: "LinearAlgebra", targets: ["LinearAlgebra"]),
        .library(name: "TepatData", targets: ["TepatData"]),
        .library(name: "TepatGenerator", targets: ["TepatGenerator"]),
        .library(name: "TepatScoring", targets: ["TepatScoring"]),
        .library(name: "TepatAllocation", targets: ["TepatAllocation"]),
        .library(name: "TepatReporting", targets: ["TepatReporting"]),
        .library(name: "TepatScenario", targets: ["TepatScenario"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        // System OpenBLAS (CBLAS + Fortran LAPACK) and LAPACKE.
        .systemLibrary(
            name: "CLAPACK",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapack-dev", "liblapacke-dev"])]
        ),
        .target(name: "LinearAlgebra", dependencies: ["CLAPACK"]),
        .target(
            name: "TepatData",
            dependencies: [.product(name: "Yams", package: "Yams")],
            resources: [.copy("Codebooks")]
        ),
        .target(name: "TepatRandom"),
        .target(name: "TepatGenerator", dependencies: ["TepatData", "TepatRandom"]),
        .target(name: "TepatScoring", dependencies: ["TepatData", "TepatRandom", "LinearAlgebra"]),
        .target(name: "TepatAllocation", dependencies: ["TepatData", "TepatScoring"]),
        .target(
            name: "TepatReporting",
            dependencies: [
                "TepatData", "TepatScoring", "TepatAllocation", "LinearAlgebra",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "TepatScenario",
            dependencies: ["TepatData", "TepatScoring", "TepatAllocation", "TepatReporting", .product(name: "Yams", package: "Yams")]
        ),
        .target(name: "TepatStore", dependencies: ["TepatReporting", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(
            name: "TepatCLI",
            dependencies: [
                "TepatData", "TepatGenerator", "TepatScoring", "TepatAllocation", "TepatReporting", "TepatScenario", "TepatStore", "LinearAlgebra",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "tepat",
            dependencies: ["TepatCLI", "LinearAlgebra", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(name: "TepatDataTests", dependencies: ["TepatData", "TepatRandom"]),
        .testTarget(name: "TepatGeneratorTests", dependencies: ["TepatGenerator", "TepatData"]),
        .testTarget(name: "TepatScoringTests", dependencies: ["TepatScoring", "TepatReporting", "TepatData", "TepatGenerator", "LinearAlgebra", "TepatRandom"]),
        .testTarget(name: "TepatAllocationTests", dependencies: ["TepatAllocation", "TepatScoring", "TepatData", "TepatGenerator"]),
        .testTarget(name: "TepatScenarioTests", dependencies: ["TepatScenario", "TepatReporting", "TepatScoring", "TepatAllocation", "TepatData"]),
        // BadInput is the bad-input corpus the tests read from disk, not sources.
        .testTarget(name: "TepatCLITests", dependencies: ["tepat", "TepatData", "TepatStore"], exclude: ["BadInput"]),
    ]
)
