import Benchmark
import BenchmarkSupport
import Foundation
import TepatPipeline

/// `tepat run` end to end (B = 200), with every stage's wall time as its own
/// metric (the stage clock of timings.json: read, encode, pmt, predict+bootstrap,
/// aggregate, assignment, allocation setup/solve/replicates/report, write), at several
/// sizes so BENCHMARKS.md can state how each stage grows. The kabupaten size
/// always runs; larger ones when TEPAT_BENCH_SIZES lists them (e.g.
/// "100000,300000,1000000,3000000"), since a province takes a minute to make.
/// The survey is 1% of households (200 to 5,000) in villages of 10, or
/// TEPAT_BENCH_SURVEY villages × households per village ("375x40": 15,000).
func surveyDesign(households: Int) -> (villages: Int, perVillage: Int) {
    let given = (ProcessInfo.processInfo.environment["TEPAT_BENCH_SURVEY"] ?? "").split(separator: "x").compactMap { Int($0) }
    return given.count == 2 ? (given[0], given[1]) : (min(5_000, max(200, households / 100)) / 10, 10)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = BenchmarkSupport.configuration(maxIterations: 5)
    let sizes = (ProcessInfo.processInfo.environment["TEPAT_BENCH_SIZES"] ?? "300000")
        .split(separator: ",").compactMap { Int($0) }
    let stageNames = ["read", "encode", "context", "pmt", "predict+bootstrap", "aggregate", "bootstrap", "assignment",
                      "allocation_setup", "allocation_solve", "allocation_replicates", "allocation_report", "write"]
    let metrics: [BenchmarkMetric] = [.wallClock, .peakMemoryResident, .mallocCountTotal]
        + stageNames.map { .custom("stage " + $0 + " (ms)", useScalingFactor: false) }
    @Sendable func recordStages(_ outcome: PlanRun.Outcome, in benchmark: Benchmark) {
        for (name, seconds) in outcome.stages where stageNames.contains(name) {
            benchmark.measurement(.custom("stage " + name + " (ms)", useScalingFactor: false), Int((seconds * 1_000).rounded()))
        }
    }
    for households in sizes {
        // A kabupaten has ~750 households a village; a province ~4,000 villages.
        let villages = max(50, min(4_000, households / 750))
        let survey = surveyDesign(households: households)
        let data = BenchmarkKabupaten.directory(households: households, villages: villages, seed: 1,
                                                surveyVillages: survey.villages, surveyPerVillage: survey.perVillage)
        Benchmark("Run stages \(households) households \(villages) villages", configuration: .init(metrics: metrics)) { benchmark in
            var run = PlanRun(dataDirectory: data, outputDirectory: NSTemporaryDirectory() + "tepat-bench-stages-\(households)")
            run.options.threads = ProcessInfo.processInfo.activeProcessorCount
            run.writeHouseholds = households <= 300_000
            benchmark.startMeasurement()
            let outcome = try run.execute()
            benchmark.stopMeasurement()
            recordStages(outcome, in: benchmark)
        }
        // The same run with --stream: memory must not grow with households
        // (no fund allocation in this mode; households_scored.csv always written).
        Benchmark("Run streamed \(households) households \(villages) villages", configuration: .init(metrics: metrics)) { benchmark in
            var run = PlanRun(dataDirectory: data, outputDirectory: NSTemporaryDirectory() + "tepat-bench-streamed-\(households)")
            run.options.threads = ProcessInfo.processInfo.activeProcessorCount
            run.stream = true
            benchmark.startMeasurement()
            let outcome = try run.execute()
            benchmark.stopMeasurement()
            recordStages(outcome, in: benchmark)
        }
    }
}
