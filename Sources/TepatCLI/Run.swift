import ArgumentParser
import Foundation
import TepatAllocation
import TepatData
import TepatPipeline
import TepatScenario
import TepatScoring
import TepatStore
import TepatVerification

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

                With opds.csv, it assigns OPDs to villages (Satu OPD Satu Desa) by the fit of \
                their pillars to the villages' needs; with funders.csv and programs.csv, it \
                allocates the funds in whole households to a proven optimum (or the best \
                plan with its bound and gap): the largest expected fall in poverty severity \
                under budgets, pillar and area eligibility, per-village shares, program \
                capacity, --floor and --village-cap.

                When households.csv has the registry's desil, it lists the households whose \
                desil and prediction disagree most, for the village meeting to verify \
                (verification.csv and its form; 'tepat verify apply' takes the results back).

                Writes, all at once at the end (a failed run leaves nothing behind):
                  rankings.csv           one row per village, rank 1 = most in need
                  rankings.geojson       the same villages for QGIS (polygons with --boundaries)
                  households_scored.csv  welfare, desil and poverty probability per household
                  pmt_coefficients.csv   the PMT's terms, estimates and standard errors
                  summary.json           inputs with checksums, model fit, overall poverty,
                                         and accuracy when DATA_DIR has truth.csv
                  assignment.csv         OPD–village pairs with their fit and reasons
                  allocation.csv         funder–village–program amounts and households reached
                  villages_after.csv     expected P0/P1/P2 per village before and after
                  funders_summary.csv    budget, allocated and marginal value per funder
                  beneficiaries.csv      the households each program reaches, by id
                  verification.csv       households to verify, with the evidence (with desil)
                  verification_form.csv  the meeting's form, to fill in; .html to print
                  timings.json           seconds per stage, cores, BLAS
                  rejected.csv           rows left out, with --on-error skip

                Same inputs and seed: byte-identical files (timings.json aside).
                """)

        @Argument(help: ArgumentHelp("Directory with households.csv and the other input files.", valueName: "DATA_DIR"))
        var dataDirectory: String

        @Option(help: ArgumentHelp("Run directory to write (replaced if it exists).", valueName: "DIR"))
        var out: String?

        @Option(help: ArgumentHelp("Scenario YAML (default: DATA_DIR/scenario.yaml when it exists). Flags override it; 'tepat scenario init' writes a template.", valueName: "FILE"))
        var scenario: String?

        @Option(name: .customLong("poverty-line"), help: ArgumentHelp("Poverty line, rupiah per capita per month (default \(Int(defaults.scoring.povertyLine))).", valueName: "RP"))
        var povertyLine: Double?

        @Option(name: .customLong("benchmark-p0"), help: ArgumentHelp(
            "Official P0 of the kabupaten/kota (BPS) the villages' P0 is scaled to, as a share or a percentage: 0.0946 or 9.46%. Ranks do not change (unless a village reaches P0 = 1); P0, its interval and poor persons do.",
            valueName: "RATE"))
        var benchmarkP0: String?

        @Option(help: "Random seed of the bootstrap replicates (default \(defaults.seed)).")
        var seed: UInt64?

        @Option(help: "Bootstrap replicates for the rank and P0 intervals; 0: no intervals (default \(defaults.scoring.bootstrap)).")
        var bootstrap: Int?

        @Option(name: .customLong("rank-by"), help: "Order villages by the composite score, expected P0, or expected poor persons (default \(defaults.ranking.rankBy.rawValue)).")
        var rankBy: RankBy?

        @Option(help: "Welfare model: auto (PMT with survey.csv, else asset index), pmt, asset_index (default \(defaults.scoring.method.rawValue)).")
        var method: ScoringMethod?

        @Option(name: .customLong("on-error"), help: "fail: any bad row stops the run; skip: leave bad rows out and list them in rejected.csv (default \(defaults.data.onError.rawValue)).")
        var onError: OnError?

        @Option(help: ArgumentHelp("Codebook for raw exports: a YAML file, or 'pbdt2015'.", valueName: "FILE|pbdt2015"))
        var codebook: String?

        @Option(name: .customLong("csv-dialect"), help: "excel-id: also write ;-separated, comma-decimal copies for Indonesian Excel (default \(defaults.outputs.csvDialect.rawValue)).")
        var csvDialect: CSVDialect?

        @Option(help: "Language of report.html: id (Indonesian) or en (default \(defaults.outputs.language.rawValue)).")
        var lang: ReportLanguage?

        @Flag(name: .customLong("strict-categories"), help: "Stop when households.csv has a category that survey.csv never has, instead of scoring it as the reference level.")
        var strictCategories = false

        @Flag(name: .customLong("kecamatan-effects"), help: "Add kecamatan fixed effects to the PMT.")
        var kecamatanEffects = false

        @Flag(help: "Shrink the model's coefficients by ridge regression, the penalty chosen by 5-fold cross-validation.")
        var ridge = false

        @Option(help: "Separate models per stratum: none, or urban_rural (kelurahan and desa households each get their own PMT and small-area model).")
        var strata: Stratification?

        @Flag(name: .customLong("no-households-output"), help: "Do not write households_scored.csv.")
        var noHouseholdsOutput = false

        @Flag(name: .customLong("no-workbook"), help: "Do not write results.xlsx (the CSVs are written as always).")
        var noWorkbook = false

        @Flag(help: ArgumentHelp(
            "Read households.csv in chunks and keep no household in memory, for inputs larger than memory (all of DTSEN). Needs villages.csv and survey.csv; reads the file twice; gives the same files as a run in memory, without fund allocation or accuracy against truth.csv."))
        var stream = false

        @Flag(name: .customLong("scoring-only"), help: "Score and rank only: no OPD assignment or fund allocation.")
        var scoringOnly = false

        @Option(name: .customLong("floor"), help: ArgumentHelp("Minimum rupiah for every village of an IDM status, e.g. sangat_tertinggal=50000000 (repeatable).", valueName: "STATUS=RP"))
        var floors: [String] = []

        @Option(name: .customLong("village-cap"), help: ArgumentHelp("Maximum rupiah for any one village.", valueName: "RP"))
        var villageCap: Int64?

        @Option(name: .customLong("opds-per-village"), help: "How many OPDs may accompany one village (default \(defaults.assignment.opdsPerVillage)).")
        var opdsPerVillage: Int?

        @Option(name: .customLong("export-mps"), help: ArgumentHelp("Write the fund-allocation program solved here (free MPS, integer columns marked, money in millions of rupiah; minimises the negated objective). Any MIP solver's optimum on it lies between allocation.objective and allocation.bound.", valueName: "FILE"))
        var exportMPS: String?

        @Option(help: ArgumentHelp("Run store (SQLite) that records the run; default $TEPAT_STORE, else ~/.local/share/tepat/runs.sqlite.", valueName: "FILE"))
        var store: String?

        @Flag(name: .customLong("no-store"), help: "Do not record the run in the run store.")
        var noStore = false

        @Option(help: ArgumentHelp("Village polygons (GeoJSON FeatureCollection, a kode_desa property per feature) for the report's maps and rankings.geojson; e.g. ../shared/data/boundaries/desa_35_14.geojson.", valueName: "FILE"))
        var boundaries: String?

        @Flag(name: .customLong("include-names"), help: ArgumentHelp(
            "Put the household head's name and NIK (columns head_name/nama_kepala, head_nik) on the verification form for field use. Only the form carries them; handle it as personal data."))
        var includeNames = false

        @Flag(help: "No progress output.")
        var quiet = false

        func validate() throws {
            if let povertyLine { guard povertyLine > 0, povertyLine.isFinite else { throw ValidationError("--poverty-line must be a positive number of rupiah") } }
            if let bootstrap { guard bootstrap >= 0, bootstrap <= Scenario.maximumBootstrap else { throw ValidationError("--bootstrap must be between 0 and \(Scenario.maximumBootstrap)") } }
            _ = try parsedBenchmark()
            _ = try parsedFloors()
            if let opdsPerVillage { guard opdsPerVillage >= 1 else { throw ValidationError("--opds-per-village must be at least 1") } }
        }

        /// --benchmark-p0 as a share.
        func parsedBenchmark() throws -> Double? {
            guard let benchmarkP0 else { return nil }
            guard let rate = P0Benchmark.rate(benchmarkP0), rate > 0, rate < 1 else {
                throw ValidationError("--benchmark-p0 '\(benchmarkP0)': give the official P0 as a share between 0 and 1 (0.0946) or a percentage (9.46%)")
            }
            return rate
        }

        /// The scenario file named by --scenario, or DATA_DIR/scenario.yaml.
        func loadScenario() throws -> Scenario {
            let implicit = (dataDirectory as NSString).appendingPathComponent("scenario.yaml")
            guard let path = scenario ?? (FileManager.default.fileExists(atPath: implicit) ? implicit : nil) else { return Scenario() }
            do { return try ScenarioParser.load(path: path) } catch let error as ScenarioError {
                throw InputFailure(description: error.description)
            }
        }

        /// Scenario first, then the flags given on the command line.
        func settle(_ run: inout PlanRun) throws {
            var s = try loadScenario()
            if let seed { s.seed = seed }
            if let povertyLine { s.scoring.povertyLine = povertyLine }
            if let bootstrap { s.scoring.bootstrap = bootstrap }
            if let rate = try parsedBenchmark() { s.scoring.benchmarkP0 = rate }
            if let rankBy { s.ranking.rankBy = rankBy }
            if let method { s.scoring.method = method }
            if let onError { s.data.onError = onError }
            if let codebook { s.data.codebook = codebook }
            if let csvDialect { s.outputs.csvDialect = csvDialect }
            if let lang { s.outputs.language = lang }
            if let strata { s.scoring.strata = strata }
            if strictCategories { s.scoring.strictCategories = true }
            if kecamatanEffects { s.scoring.kecamatanEffects = true }
            if ridge { s.scoring.ridge = true }
            if noHouseholdsOutput { s.outputs.householdsScored = false }
            if noWorkbook { s.outputs.workbook = false }
            if scoringOnly { s.assignment.enabled = false; s.allocation.enabled = false }
            for (status, amount) in try parsedFloors() { s.allocation.floors[status] = amount }
            if let villageCap { s.allocation.villageCap = villageCap }
            if let opdsPerVillage { s.assignment.opdsPerVillage = opdsPerVillage }
            if let exportMPS { s.outputs.exportMPS = exportMPS }
            if let boundaries { s.data.boundaries = boundaries }
            try run.apply(s)
            run.includeNames = includeNames
            run.codebook = try loadCodebook(s.data.codebook)
            run.scenarioText = ScenarioWriter.yaml(s, commented: false)
        }

        func run() throws {
            var run = PlanRun(
                dataDirectory: dataDirectory,
                outputDirectory: out ?? "runs/" + URL(fileURLWithPath: dataDirectory).standardizedFileURL.lastPathComponent)
            run.options.threads = ProcessInfo.processInfo.activeProcessorCount
            do {
                try settle(&run)
            } catch let error as ScoringError {
                throw InputFailure(description: "scenario: \(error.description)")
            }
            let runStore = noStore ? nil : try openStore(store)
            if let runStore { run.recorder = { try runStore.record($0, commit: $1) } }
            let log = StageLog(enabled: !quiet)
            run.onStage = { log.begin($0) }
            run.stream = stream
            if stream {
                let progress = Progress(enabled: !quiet, label: "households.csv bytes")
                run.onProgress = { progress.update($0, of: $1) }
            }

            let outcome = try execute(run, log: log)
            if includeNames { warnOfPersonalData(in: outcome.directory) }
            if !quiet { printSummary(outcome) }
        }

        /// Runs, turning each kind of failure into its message and exit status.
        func execute(_ run: PlanRun, log: StageLog) throws -> PlanRun.Outcome {
            defer { log.end() }
            do {
                return try run.execute()
            } catch let error as DataErrors {
                log.end()
                throw fail(with: error.log, context: "in \(dataDirectory); nothing was written (use --on-error skip to leave bad rows out)")
            } catch let error as ScoringError {
                throw InputFailure(description: error.description)
            } catch let error as StreamingError {
                throw InputFailure(description: error.description)
            } catch let error as P0Benchmark.Failure {
                throw InputFailure(description: error.description + "; nothing was written")
            } catch let error as AllocationError {
                log.end()
                printError(error.description)
                printError("Nothing was written.")
                throw ExitCode(1)
            }
        }

        /// --include-names: say so when the forms carry names or NIK, and when
        /// households.csv has neither to carry.
        func warnOfPersonalData(in directory: String) {
            let form = (directory as NSString).appendingPathComponent("verification_form.csv")
            guard let header = try? CSVReader(path: form).header else { return }
            let personal = header.filter { FormExtras.personalColumns.contains($0) }
            if personal.isEmpty {
                printError("note: --include-names: households.csv has no \(FormExtras.personalColumns.joined(separator: ", ")) column, so the forms carry none")
            } else {
                printError("warning: verification_form.csv and verification_form.html in \(directory) hold \(personal.joined(separator: " and ")) (--include-names): share them only with the village meeting, and delete them after")
            }
        }

        /// Notes on the model and the rows left out, then the headline figures.
        func printSummary(_ outcome: PlanRun.Outcome) {
            let result = outcome.result
            for level in result.pooledLevels where level.surveyHouseholds == 0 && level.registryHouseholds > 0 {
                printError("note: \(level.column)=\(level.level) is in households.csv (\(level.registryHouseholds) households) but never in survey.csv; scored as the reference level")
            }
            // A singular or ill-conditioned PMT: name the terms, so a planner can
            // see which indicators the survey cannot tell apart.
            for model in result.models {
                let label = result.models.count > 1 ? " (\(model.name))" : ""
                if !model.pmt.dropped.isEmpty {
                    printError("note: the PMT\(label) dropped \(model.pmt.dropped.joined(separator: ", ")): each is a combination of other terms in survey.csv, so it cannot be valued; see pmt_coefficients.csv")
                }
                if model.pmt.conditionNumber > 1e8 {
                    printError("note: the PMT\(label) is ill-conditioned (condition number \(String(format: "%.3g", model.pmt.conditionNumber))); its least certain terms: \(model.pmt.leastCertainTerms(3).joined(separator: ", "))")
                }
            }
            for note in outcome.notes { printError(note) }
            if !outcome.data.problems.isEmpty {
                printError("note: \(outcome.data.problems.count) rows left out; see rejected.csv")
            }
            let o = result.overall
            print("\(outcome.replacedEarlierRun ? "Replaced" : "Wrote") \(outcome.directory): \(result.villages.count) villages ranked, \(result.householdCount) households scored (\(result.method.rawValue)).")
            print(String(format: "Expected P0 %.1f%%, P1 %.2f%%, P2 %.2f%%; %.0f poor persons. %.2f s.",
                         100 * o.p0, 100 * o.p1, 100 * o.p2, result.overallPoorPersons, outcome.seconds))
            if let plan = outcome.plan, let after = outcome.outcomes {
                print(String(format: "Allocation: Rp %@ of Rp %@ to %d funder-village-program lines; expected P0 %.2f%% → %.2f%%, P2 %.3f%% → %.3f%%.",
                             Rupiah.format(plan.spentByFunder.reduce(0, +)), Rupiah.format(outcome.allocationProblem?.funders.reduce(Int64(0)) { $0 + $1.budget } ?? 0),
                             plan.rows.count, 100 * after.overallBefore.p0, 100 * after.overallAfter.p0, 100 * after.overallBefore.p2, 100 * after.overallAfter.p2))
            }
            if let list = outcome.verification {
                let excluded = list.count(.likelyExcluded), included = list.count(.likelyIncluded)
                print("Verification: \(excluded) household\(excluded == 1 ? "" : "s") likely excluded and \(included) likely included by the registry's desil; see verification.csv.")
            }
            if let a = result.accuracy {
                print(String(format: "Against truth.csv: exclusion error %.1f%%, inclusion error %.1f%%, Spearman(P0) %.3f; 90%% intervals hold the true rank for %.1f%% and the true P0 for %.1f%% of villages.",
                             100 * a.exclusionError, 100 * a.inclusionError, a.spearmanP0, 100 * a.rankIntervalCoverage, 100 * a.p0IntervalCoverage))
            }
            print("Report: \(outcome.directory)/report.html")
        }
    }
}

extension Tepat.Run {
    /// `--floor sangat_tertinggal=50000000` → [status: rupiah].
    func parsedFloors() throws -> [String: Int64] {
        var result: [String: Int64] = [:]
        for floor in floors {
            let parts = floor.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, Schemas.idmStatuses.contains(parts[0]), let amount = Int64(parts[1]), amount >= 0 else {
                throw ValidationError("--floor \(floor): expected STATUS=RUPIAH with STATUS one of \(Schemas.idmStatuses.joined(separator: ", ")), e.g. sangat_tertinggal=50000000")
            }
            result[parts[0]] = amount
        }
        return result
    }
}

/// The defaults the help text states: the scenario's own.
private let defaults = Scenario()

extension RankBy: ExpressibleByArgument {}
extension Stratification: ExpressibleByArgument {}
extension ScoringMethod: ExpressibleByArgument {}
extension OnError: ExpressibleByArgument {}
extension CSVDialect: ExpressibleByArgument {}
extension ReportLanguage: ExpressibleByArgument {}

/// Stage names and timings on a terminal (stderr), silent otherwise.
final class StageLog {
    private let enabled: Bool
    private var started = Date()
    private var open = false
    init(enabled: Bool) { self.enabled = enabled && isatty(2) == 1 }
    func begin(_ stage: String) {
        end()
        started = Date()
        open = true
        if enabled { FileHandle.standardError.write(Data("\(stage) … ".utf8)) }
    }
    func end() {
        guard open else { return }
        open = false
        if enabled { FileHandle.standardError.write(Data(String(format: "%.2f s\n", Date().timeIntervalSince(started)).utf8)) }
    }
}
