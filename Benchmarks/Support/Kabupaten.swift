import Benchmark
import Foundation
import TepatGenerator

/// Generated kabupaten the benchmarks read, made once per machine and kept in
/// the temporary folder (generation is itself benchmarked separately).
public enum BenchmarkKabupaten {
    /// 300,000 households in 400 villages, seed 1, with a survey of 3,000
    /// households in 300 villages: the README's figures.
    public static let standard = directory(households: 300_000, villages: 400, seed: 1, surveyVillages: 300)

    public static func directory(households: Int, villages: Int, seed: UInt64, surveyVillages: Int? = nil,
                                 surveyPerVillage: Int = SurveySample.defaultPerVillage) -> String {
        let survey = surveyVillages.map { "-survey\($0)x\(surveyPerVillage)" } ?? ""
        let directory = NSTemporaryDirectory() + "tepat-bench-kabupaten-\(households)-\(villages)-\(seed)\(survey)"
        if !FileManager.default.fileExists(atPath: directory + "/truth.csv") {
            var options = GeneratorOptions()
            options.households = households
            options.villages = villages
            options.seed = seed
            options.surveyVillages = surveyVillages
            options.surveyPerVillage = surveyPerVillage
            _ = try! KabupatenGenerator(options: options).write(to: directory)
        }
        return directory
    }
}

/// Settings every Tepat benchmark shares.
public enum BenchmarkSupport {
    /// The configuration every Tepat benchmark starts from: wall and CPU time,
    /// peak memory and allocations, one warm-up, and a bounded run.
    public static func configuration(maxIterations: Int, maxDuration: Int = 30) -> Benchmark.Configuration {
        .init(
            metrics: [.wallClock, .cpuTotal, .peakMemoryResident, .mallocCountTotal],
            timeUnits: .milliseconds,
            warmupIterations: 1,
            maxDuration: .seconds(maxDuration),
            maxIterations: maxIterations
        )
    }
}
