import Benchmark
import BenchmarkSupport
import Foundation
import TepatData
import TepatGenerator
import TepatReporting

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

    // rows/s = 300,000 / wall-clock seconds: the workbook inflated, its XML
    // scanned into CSV, and that CSV read as households.csv is.
    Benchmark("Ingest households.xlsx 300k rows") { benchmark in
        let workbook = kabupaten + "/../tepat-bench-households-300k.xlsx"
        if !FileManager.default.fileExists(atPath: workbook) {
            try ResultsWorkbook.write(csv: kabupaten + "/households.csv", sheet: "Sheet1", to: workbook)
        }
        benchmark.startMeasurement()
        let inputs = WorkbookInputs()
        let csv = try inputs.convert(workbook, schema: Schemas.households)
        let result = try TableReader.readFile(path: csv, schema: Schemas.households)
        precondition(result.table.rowCount == 300_000 && result.problems.isEmpty)
        blackHole(result)
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
