import Benchmark
import BenchmarkSupport
import Foundation
import TepatAllocation
import TepatData
import TepatGenerator
import TepatPipeline
import TepatScoring

let kabupaten = BenchmarkKabupaten.standard

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = BenchmarkSupport.configuration(maxIterations: 8, maxDuration: 30)

    // `tepat run --scoring-only`: read, PMT, small-area model, prediction,
    // B = 200 replicates, aggregation, all scoring files.
    Benchmark("Scoring run 300k households B=200") { benchmark in
        var run = PlanRun(dataDirectory: kabupaten, outputDirectory: NSTemporaryDirectory() + "tepat-bench-run")
        run.options.threads = ProcessInfo.processInfo.activeProcessorCount
        run.allocate = false
        run.assign = false
        benchmark.startMeasurement()
        blackHole(try run.execute())
    }

    // `tepat run` end to end: scoring, OPD assignment and fund allocation.
    Benchmark("Full run 300k households B=200") { benchmark in
        var run = PlanRun(dataDirectory: kabupaten, outputDirectory: NSTemporaryDirectory() + "tepat-bench-run-full")
        run.options.threads = ProcessInfo.processInfo.activeProcessorCount
        benchmark.startMeasurement()
        blackHole(try run.execute())
    }

    // Scoring alone, data already in memory.
    let data = try! DataDirectory.load(kabupaten)
    var options = ScoringOptions()
    options.bootstrap = 0
    let scored = try! Scorer.score(data, options: options)
    let problem = try! AllocationStage.allocationProblem(
        funders: data.funders!, programs: data.programs!, result: scored, options: AllocationOptions())
    let assignment = try! AllocationStage.assignmentProblem(opds: data.opds!, result: scored, options: AllocationOptions())

    // The fund allocation solve alone: 400 villages, 10 funders, 8 programs:
    // 14,859 arcs carrying 518,256 household segments (529,915 arcs with one
    // per household, as the MPS export writes it).
    Benchmark("Allocation solve 400 villages 10 funders") { benchmark in
        benchmark.startMeasurement()
        blackHole(try problem.solve())
    }

    Benchmark("OPD assignment 40 OPDs 400 villages") { benchmark in
        benchmark.startMeasurement()
        blackHole(assignment.solve())
    }

    Benchmark("Score in memory 300k households B=200") { benchmark in
        var options = ScoringOptions()
        options.threads = ProcessInfo.processInfo.activeProcessorCount
        benchmark.startMeasurement()
        blackHole(try Scorer.score(data, options: options))
    }
}
