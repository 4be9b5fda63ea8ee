import Benchmark
import BenchmarkSupport
import Foundation
import TepatData
import TepatGenerator

let kabupaten = BenchmarkKabupaten.standard

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = BenchmarkSupport.configuration(maxIterations: 10, maxDuration: 20)

    // rows/s = 300,000 / wall-clock seconds; MB/s = 57.4 / seconds (file size).
    Benchmark("Ingest households.csv 300k rows") { benchmark in
        let path = kabupaten + "/households.csv"
        benchmark.startMeasurement()
        let result = try TableReader.readFile(path: path, schema: Schemas.households)
        precondition(result.table.rowCount == 300_000 && result.problems.isEmpty)
        blackHole(result)
    }

    Benchmark("Ingest households.csv 300k rows, one core") { benchmark in
        let path = kabupaten + "/households.csv"
        benchmark.startMeasurement()
        // As a streamed run reads: ids are checked by a DuplicateFinder there.
        let reader = try TableReader(path: path, schema: Schemas.households, recordIdentifiers: false)
        var rows = 0
        while let chunk = try reader.nextChunk() { rows += chunk.rowCount }
        precondition(rows == 300_000 && reader.problems.isEmpty)
        blackHole(rows)
    }

    Benchmark("Generate kabupaten 300k households") { benchmark in
        let directory = NSTemporaryDirectory() + "tepat-bench-generate"
        var options = GeneratorOptions()
        options.households = 300_000
        options.villages = 400
        options.seed = 2
        benchmark.startMeasurement()
        blackHole(try KabupatenGenerator(options: options).write(to: directory))
        benchmark.stopMeasurement()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
