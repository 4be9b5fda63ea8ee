// swift-tools-version: 6.1
// Tepat: targeting poverty programs at the right villages and households.
//
// Modules, each importing only those before it (Sources/*/README.md):
//   LinearAlgebra, LinearProgram, NetworkFlow,
//   TepatRandom, Spreadsheet  general tools, nothing of Tepat
//   TepatData        read and validate the input files; CSV and JSON writing
//   TepatGenerator   synthetic kabupaten with truth
//   TepatScoring     PMT, small-area model, FGT, MPI, village ranking
//   TepatAllocation  OPD assignment (a network flow) and fund allocation (a MIP)
//   TepatScenario    a run's settings (YAML) with their defaults
//   TepatReporting   values into files and pages
//   TepatStore       run history (SQLite)
//   TepatVerification the registry verification list, its forms, applying a
//                    meeting's decisions, comparing two registry releases
//   TepatPipeline    the run and its stages, allocation set-up, run comparison
//   TepatDesk        `tepat serve`: the planner's web desk over a JSON API
//   TepatCLI, tepat  the command line
import PackageDescription

let yams = Target.Dependency.product(name: "Yams", package: "Yams")
let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")

/// A library module; its README.md is documentation, not a resource.
func module(_ name: String, _ dependencies: [Target.Dependency] = [], resources: [Resource]? = nil) -> Target {
    .target(name: name, dependencies: dependencies, exclude: ["README.md"], resources: resources)
}

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
        .library(name: "TepatPipeline", targets: ["TepatPipeline"]),
        .library(name: "TepatVerification", targets: ["TepatVerification"]),
        .library(name: "NetworkFlow", targets: ["NetworkFlow"]),
        .library(name: "LinearProgram", targets: ["LinearProgram"]),
        .library(name: "Spreadsheet", targets: ["Spreadsheet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        // System OpenBLAS (CBLAS + Fortran LAPACK) and LAPACKE.
        .systemLibrary(
            name: "CLAPACK",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapack-dev", "liblapacke-dev"])]
        ),
        module("LinearAlgebra", ["CLAPACK"]),
        // System COIN-OR Clp (LP) and Cbc (mixed-integer), through their C interfaces.
        .systemLibrary(
            name: "CCoinOR",
            pkgConfig: "cbc",
            providers: [.apt(["coinor-libclp-dev", "coinor-libcbc-dev"])]
        ),
        module("LinearProgram", ["CCoinOR"]),
        module("NetworkFlow"),
        // System libxlsxwriter (Excel workbooks out) and zlib (workbooks in).
        .systemLibrary(name: "CXlsxWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"])]),
        .systemLibrary(name: "CZlibInflate", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        module("Spreadsheet", ["CXlsxWriter", "CZlibInflate"]),
        module("TepatRandom"),
        module("TepatData", [yams, "Spreadsheet"], resources: [.copy("Codebooks")]),
        module("TepatGenerator", ["TepatData", "TepatRandom"]),
        module("TepatScoring", ["TepatData", "TepatRandom", "LinearAlgebra"]),
        module("TepatAllocation", ["NetworkFlow", "LinearProgram", "TepatData", "TepatScoring"]),
        module("TepatVerification", ["TepatData", "TepatScoring", .product(name: "Crypto", package: "swift-crypto")]),
        module("TepatScenario", ["TepatData", "TepatScoring", "TepatAllocation", "TepatVerification", yams]),
        module("TepatReporting", ["Spreadsheet", "TepatData", "TepatScoring", "TepatAllocation", "TepatScenario", .product(name: "Crypto", package: "swift-crypto")],
               resources: [.copy("Resources")]),
        module("TepatStore", [.product(name: "GRDB", package: "GRDB.swift")]),
        module("TepatPipeline", [
            "LinearAlgebra", "LinearProgram", "TepatData", "TepatScoring", "TepatAllocation", "TepatScenario", "TepatReporting", "TepatStore",
            "TepatVerification",
        ]),
        module("TepatDesk", ["TepatData", "TepatScenario", "TepatPipeline", "TepatStore", .product(name: "Hummingbird", package: "hummingbird"),
                             .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "NIOCore", package: "swift-nio")],
               resources: [.copy("Resources")]),
        module("TepatCLI", [
            "TepatData", "TepatGenerator", "TepatScoring", "TepatAllocation", "TepatScenario", "TepatPipeline", "TepatStore",
            "TepatVerification", "TepatDesk", argumentParser,
        ]),
        .executableTarget(name: "tepat", dependencies: ["TepatCLI", "LinearAlgebra", argumentParser], exclude: ["README.md"]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        // A dense two-phase simplex, the independent check of both flow solvers' optima.
        .target(name: "TestLP", path: "Tests/TestLP"),
        // The random instances are drawn with the scoring module's seeded sampler.
        .testTarget(name: "NetworkFlowTests", dependencies: ["NetworkFlow", "TestLP", "TepatScoring"]),
        // DATA_DIRs as workbooks, for the tests of every reader of .xlsx inputs.
        .target(name: "TestWorkbooks", dependencies: ["Spreadsheet", "TepatData"], path: "Tests/TestWorkbooks"),
        .testTarget(name: "SpreadsheetTests", dependencies: ["Spreadsheet", "CZlibInflate"]),
        .testTarget(name: "TepatDataTests", dependencies: ["TepatData", "TepatRandom", "Spreadsheet"]),
        .testTarget(name: "TepatGeneratorTests", dependencies: ["TepatGenerator", "TepatData"]),
        .testTarget(name: "TepatScoringTests", dependencies: ["TepatScoring", "TepatData", "TepatGenerator", "LinearAlgebra", "TepatRandom"]),
        .testTarget(name: "TepatAllocationTests", dependencies: ["TepatAllocation", "LinearProgram", "NetworkFlow", "TepatScoring", "TepatData", "TepatGenerator"]),
        .testTarget(name: "TepatScenarioTests", dependencies: ["TepatScenario", "TepatScoring", "TepatAllocation", "TepatData"]),
        .testTarget(name: "TepatReportingTests", dependencies: ["TepatReporting", "TepatScenario", "TepatScoring", "TepatData"]),
        .testTarget(name: "TepatStoreTests", dependencies: ["TepatStore"]),
        .testTarget(name: "TepatDeskTests", dependencies: ["TepatDesk", "TepatScenario", "TepatPipeline", "TepatData"]),
        .testTarget(name: "TepatVerificationTests", dependencies: ["TepatVerification", "TepatPipeline", "TepatScoring", "TepatData", "TepatGenerator", "Spreadsheet", "TestWorkbooks"]),
        .testTarget(
            name: "TepatPipelineTests",
            dependencies: ["TepatPipeline", "TepatReporting", "TepatScenario", "TepatScoring", "TepatData", "TepatGenerator", "LinearAlgebra", "TepatRandom", "Spreadsheet", "TestWorkbooks"]
        ),
        // BadInput is the bad-input corpus the tests read from disk, not sources.
        .testTarget(name: "TepatCLITests", dependencies: ["tepat", "TepatCLI", "TepatPipeline", "TepatReporting", "TepatScenario", "TepatData", "TepatStore"], exclude: ["BadInput"]),
    ]
)
