import ArgumentParser
import Foundation
import LinearAlgebra
import TepatData
import TepatReporting
import TepatScoring

extension Tepat {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Score households and rank villages; write a run directory.",
            discussion: """
                Fits the proxy-means test (weighted least squares of log consumption per \
                capita on survey.csv), the small-area model (nested errors with village \
                effects), predicts welfare and poverty probabilities for every household, and \
                ranks villages with 90% intervals from bootstrap replicates. Without \
                survey.csv, households are ordered by an asset index instead.

                Writes, all at once at the end (a failed run leaves nothing behind):
                  rankings.csv           one row per village, rank 1 = most in need
                  households_scored.csv  welfare, desil and poverty probability per household
                  pmt_coefficients.csv   the PMT's terms, estimates and standard errors
                  summary.json           inputs with checksums, model fit, overall poverty,
                                         and accuracy when DATA_DIR has truth.csv
                  timings.json           seconds per stage, cores, BLAS
                  rejected.csv           rows left out, with --on-error skip

                Same inputs and seed: byte-identical files (timings.json aside).
                """)

        @Argument(help: ArgumentHelp("Directory with households.csv and the other input files.", valueName: "DATA_DIR"))
        var dataDirectory: String

        @Option(help: ArgumentHelp("Run directory to write (replaced if it exists).", valueName: "DIR"))
        var out: String?

        @Option(name: .customLong("poverty-line"), help: ArgumentHelp("Poverty line, rupiah per capita per month.", valueName: "RP"))
        var povertyLine: Double = 550_000

        @Option(help: "Random seed of the bootstrap replicates.")
        var seed: UInt64 = 1

        @Option(help: "Bootstrap replicates for the rank and P0 intervals (0: no intervals).")
        var bootstrap: Int = 200

        @Option(name: .customLong("rank-by"), help: "Order villages by the composite score, expected P0, or expected poor persons.")
        var rankBy: RankBy = .score

        @Option(help: "Welfare model: auto (PMT with survey.csv, else asset index), pmt, asset_index.")
        var method: ScoringMethod = .automatic

        @Option(name: .customLong("on-error"), help: "fail: any bad row stops the run; skip: leave bad rows out and list them in rejected.csv.")
        var onError: OnError = .fail

        @Option(help: ArgumentHelp("Codebook for raw exports: a YAML file, or 'pbdt2015'.", valueName: "FILE|pbdt2015"))
        var codebook: String?

        @Option(name: .customLong("csv-dialect"), help: "Also write ;-separated, comma-decimal copies for Indonesian Excel (excel-id).")
        var csvDialect: CSVDialect = .standard

        @Flag(name: .customLong("strict-categories"), help: "Stop when households.csv has a category that survey.csv never has, instead of scoring it as the reference level.")
        var strictCategories = false

        @Flag(name: .customLong("kecamatan-effects"), help: "Add kecamatan fixed effects to the PMT.")
        var kecamatanEffects = false

        @Flag(name: .customLong("no-households-output"), help: "Do not write households_scored.csv.")
        var noHouseholdsOutput = false

        @Flag(help: "No progress output.")
        var quiet = false

        func validate() throws {
            guard povertyLine > 0, povertyLine.isFinite else { throw ValidationError("--poverty-line must be a positive number of rupiah") }
            guard bootstrap >= 0, bootstrap <= 10_000 else { throw ValidationError("--bootstrap must be between 0 and 10000") }
        }

        func run() throws {
            let started = Date()
            let log = StageLog(enabled: !quiet)
            let outPath = out ?? "runs/" + URL(fileURLWithPath: dataDirectory).standardizedFileURL.lastPathComponent
            let book = try loadCodebook(codebook)
            let clock = StageClock()

            log.begin("read")
            let data: DataSet
            do {
                data = try DataDirectory.load(dataDirectory, codebook: book, onError: onError)
            } catch let error as DataErrors {
                throw fail(with: error.log, context: "in \(dataDirectory); nothing was written (use --on-error skip to leave bad rows out)")
            }
            clock.lap("read")
            log.end()

            var options = ScoringOptions()
            options.povertyLine = povertyLine
            options.seed = seed
            options.bootstrap = bootstrap
            options.rankBy = rankBy
            options.method = method
            options.strictCategories = strictCategories
            options.kecamatanEffects = kecamatanEffects
            options.threads = ProcessInfo.processInfo.activeProcessorCount
            log.begin("score")
            let result: ScoringResult
            do {
                result = try Scorer.score(data, options: options, clock: clock)
            } catch let error as ScoringError {
                throw InputFailure(description: error.description)
            }
            log.end()
            for level in result.pooledLevels where level.surveyHouseholds == 0 && level.registryHouseholds > 0 && !quiet {
                printError("note: \(level.column)=\(level.level) is in households.csv (\(level.registryHouseholds) households) but not in survey.csv; scored as the reference level")
            }

            log.begin("write")
            let directory = try RunDirectory(path: outPath)
            try ScoringOutputs.writeRankings(result, to: directory.file("rankings.csv"))
            if !noHouseholdsOutput {
                try ScoringOutputs.writeHouseholds(result, households: data.households, to: directory.file("households_scored.csv"))
            }
            if let pmt = result.pmt { try ScoringOutputs.writeCoefficients(pmt, to: directory.file("pmt_coefficients.csv")) }
            if csvDialect == .excelID {
                try ScoringOutputs.writeRankings(result, to: directory.file("rankings.excel-id.csv"), dialect: .excelID)
            }
            if !data.problems.isEmpty { try writeRejected(data.problems, to: directory.file("rejected.csv")) }
            var checksums: [String: String] = [:]
            for file in data.files { checksums[file.name] = try RunSummary.sha256(path: file.path) }
            var summary: [(String, JSON)] = [
                ("version", .string(RunSummary.version)), ("seed", .integer(Int(seed))),
                ("inputs", RunSummary.inputs(data.files, checksums: checksums)),
            ]
            summary += RunSummary.scoring(result)
            try directory.write("summary.json", JSON.object(summary).text() + "\n")
            clock.lap("write")
            log.end()
            try directory.write("timings.json", RunSummary.timings(clock.laps, total: Date().timeIntervalSince(started)).text() + "\n")
            let replaced = try directory.commit()

            if !quiet {
                let o = result.overall
                print("\(replaced ? "Replaced" : "Wrote") \(directory.path): \(result.villages.count) villages ranked, \(data.households.rowCount) households scored (\(result.method.rawValue)).")
                print(String(format: "Expected P0 %.1f%%, P1 %.2f%%, P2 %.2f%%; %.0f poor persons. Total %.2f s.",
                             100 * o.p0, 100 * o.p1, 100 * o.p2, result.overallPoorPersons, Date().timeIntervalSince(started)))
                if let a = result.accuracy {
                    print(String(format: "Against truth.csv: exclusion error %.1f%%, inclusion error %.1f%%, Spearman(P0) %.3f, rank intervals hold the true rank for %.1f%% of villages.",
                                 100 * a.exclusionError, 100 * a.inclusionError, a.spearmanP0, 100 * a.rankIntervalCoverage))
                }
            }
        }

        func writeRejected(_ problems: ProblemLog, to path: String) throws {
            let w = try CSVWriter(path: path, header: ["file", "line", "column", "value", "reason"])
            for p in problems.problems {
                w.text(p.file); w.integer(p.line); w.text(p.column ?? ""); w.text(p.value ?? ""); w.text(p.message)
                try w.endRow()
            }
            try w.close()
        }
    }
}

extension RankBy: ExpressibleByArgument {}
extension ScoringMethod: ExpressibleByArgument {}
extension OnError: ExpressibleByArgument {}
extension CSVDialect: ExpressibleByArgument {}

/// Stage names and timings on a terminal (stderr), silent otherwise.
final class StageLog {
    private let enabled: Bool
    private var started = Date()
    init(enabled: Bool) { self.enabled = enabled && isatty(2) == 1 }
    func begin(_ stage: String) {
        started = Date()
        if enabled { FileHandle.standardError.write(Data("\(stage) … ".utf8)) }
    }
    func end() {
        if enabled { FileHandle.standardError.write(Data(String(format: "%.2f s\n", Date().timeIntervalSince(started)).utf8)) }
    }
}
