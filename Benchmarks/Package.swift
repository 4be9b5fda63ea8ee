// swift-tools-version: 6.1
// Tepat's benchmarks, a package of their own so the main build does not pull in
// ordo-one/benchmark. Run from this folder: `swift package benchmark`.
import Foundation
import PackageDescription

// SwiftPM names a path dependency after its folder, which differs between
// checkouts (a CI clone, a developer's work tree), so derive it.
let tepat = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent

/// A benchmark executable in Benchmarks/NAME on the shared support, using these
/// products of Tepat.
func benchmark(_ name: String, using products: [String]) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["BenchmarkSupport", .product(name: "Benchmark", package: "benchmark")]
            + products.map { .product(name: $0, package: tepat) },
        path: "Benchmarks/" + name,
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}

let package = Package(
    name: "TepatBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .target(
            name: "BenchmarkSupport",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "TepatGenerator", package: tepat),
            ],
            path: "Support"
        ),
        benchmark("Stages", using: ["TepatPipeline"]),
        benchmark("Ingest", using: ["TepatData", "TepatGenerator", "TepatReporting"]),
        benchmark("Scoring", using: ["TepatData", "TepatGenerator", "TepatScoring", "TepatAllocation", "TepatPipeline"]),
        benchmark("Kernels", using: ["LinearAlgebra"]),
    ]
)
