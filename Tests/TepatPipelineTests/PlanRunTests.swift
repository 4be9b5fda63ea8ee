import Foundation
import XCTest
@testable import LinearAlgebra
@testable import TepatData
@testable import TepatGenerator
@testable import TepatPipeline
@testable import TepatReporting
import TepatScenario
@testable import TepatScoring

/// Whole runs on generated kabupaten: the files of Docs/outputs.md, determinism,
/// no personal data out, nothing half-written, honest intervals.
final class PlanRunTests: XCTestCase {
    static let generated = generatedKabupaten("scoring-tests", households: 24_000, villages: 120, seed: 5, survey: 1_200)

    override class func tearDown() {
        try? FileManager.default.removeItem(atPath: generated)
        super.tearDown()
    }

    func scratch() -> String {
        let dir = NSTemporaryDirectory() + "tepat-run-\(UUID().uuidString)"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    func run(_ out: String, threads: Int = 2, bootstrap: Int = 100) throws -> PlanRun.Outcome {
        var run = PlanRun(dataDirectory: Self.generated, outputDirectory: out)
        run.options.threads = threads
        run.options.bootstrap = bootstrap
        return try run.execute()
    }

    func testRunWritesTheContractFiles() throws {
        let out = scratch()
        let outcome = try run(out)
        for file in ["rankings.csv", "households_scored.csv", "pmt_coefficients.csv", "summary.json", "timings.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/" + file), file)
        }
        let rankings = try String(contentsOfFile: out + "/rankings.csv", encoding: .utf8)
        let header = rankings.prefix { $0 != "\n" }
        XCTAssertTrue(header.hasPrefix("rank,kode_desa,nama_desa,nama_kecamatan,households,persons,p0,p1,p2,poor_persons,poor_households,rank_lo,rank_hi,p0_lo,p0_hi,share_desil_1_4,mpi_h,mpi_a,mpi_m0,score,top_deprivations,need_housing,need_environment,need_education,need_health,need_economy,need_social"), String(header))
        XCTAssertEqual(rankings.split(separator: "\n").count, 121)
        let households = try String(contentsOfFile: out + "/households_scored.csv", encoding: .utf8)
        XCTAssertTrue(households.hasPrefix("household_id,kode_desa,welfare_pc,desil,p_poor,log_welfare_mean,log_welfare_sd\n"))
        // p_poor follows from the published predictive distribution: Φ((ln z − mean)/sd),
        // to the 6 decimals p_poor is written with.
        let lnz = log(outcome.result.options.povertyLine)
        for line in households.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            let p = Double(f[4])!, mean = Double(f[5])!, sd = Double(f[6])!
            XCTAssertEqual(0.5 * erfc(-(lnz - mean) / sd / 2.0.squareRoot()), p, accuracy: 6e-7, String(line))
            XCTAssertEqual(Double(f[2])!, exp(mean), accuracy: 0.5 + 1e-9 * exp(mean), "welfare_pc is e^mean, in whole rupiah")
        }
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as! [String: Any]
        for key in ["version", "seed", "inputs", "pmt", "overall", "accuracy"] { XCTAssertNotNil(summary[key], key) }
        let pmt = summary["pmt"] as! [String: Any]
        for key in ["n", "p", "rank", "r2", "adj_r2", "sigma", "dropped"] { XCTAssertNotNil(pmt[key], key) }
        let accuracy = summary["accuracy"] as! [String: Any]
        for key in ["inclusion_error", "exclusion_error", "coverage", "leakage", "targeting_differential", "cgh", "spearman_p0", "rank_interval_coverage"] {
            XCTAssertNotNil(accuracy[key], key)
        }
        // Every village is ranked once, ranks 1…V, and each interval holds its rank.
        let r = outcome.result.ranking
        XCTAssertEqual(Set(r.rank), Set(1...120))
        for v in 0..<120 {
            XCTAssertLessThanOrEqual(r.rankLow[v], r.rankHigh[v])
            XCTAssertLessThanOrEqual(r.p0Low[v], r.p0High[v])
        }
    }

    /// Same inputs and seed: byte-identical files (timings.json aside), whatever
    /// the number of worker threads.
    func testSameSeedGivesIdenticalFilesAcrossWorkerThreads() throws {
        let a = scratch(), b = scratch()
        _ = try run(a, threads: 2)
        _ = try run(b, threads: 1)
        for file in ["rankings.csv", "households_scored.csv", "pmt_coefficients.csv", "summary.json",
                     "assignment.csv", "allocation.csv", "villages_after.csv", "funders_summary.csv", "report.html", "results.xlsx"] {
            if file.hasSuffix(".xlsx") {
                XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: a + "/" + file)), try Data(contentsOf: URL(fileURLWithPath: b + "/" + file)), file)
                continue
            }
            let left = try String(contentsOfFile: a + "/" + file, encoding: .utf8)
            let right = try String(contentsOfFile: b + "/" + file, encoding: .utf8)
            if left != right {
                let difference = zip(left.split(separator: "\n"), right.split(separator: "\n")).first { $0 != $1 }
                XCTFail("\(file) differs: \(difference.map { "\($0.0) ≠ \($0.1)" } ?? "in length")")
            }
        }
    }

    /// OpenBLAS rounds differently with different thread splits, so a run pins
    /// BLAS to one thread while it works (timings.json says so) and gives the
    /// caller's setting back: the files cannot depend on OPENBLAS_NUM_THREADS.
    func testRunPinsBLASToOneThreadAndRestoresIt() throws {
        let original = BLAS.threadCount
        BLAS.setThreadCount(2)
        defer { BLAS.setThreadCount(original) }
        let before = BLAS.threadCount
        let out = scratch()
        _ = try run(out, bootstrap: 10)
        let timings = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/timings.json"))) as! [String: Any]
        XCTAssertEqual(timings["blas_threads"] as? Int, 1)
        XCTAssertEqual(BLAS.threadCount, before)
    }

    /// No NIK of households.csv appears in any output file.
    func testNoNIKReachesAnOutput() throws {
        let out = scratch()
        _ = try run(out, bootstrap: 10)
        let households = try TableReader(path: Self.generated + "/households.csv", schema: Schemas.households).readAll()
        XCTAssertEqual(households.rowCount, 24_000)
        // The reader never stores NIKs, so take them from the file text.
        let text = try String(contentsOfFile: Self.generated + "/households.csv", encoding: .utf8)
        let niks = Set(text.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[2]) })
        XCTAssertEqual(niks.first?.count, 16)
        for file in try FileManager.default.contentsOfDirectory(atPath: out) {
            let content = file.hasSuffix(".xlsx") ? try workbookText(out + "/" + file) : try String(contentsOfFile: out + "/" + file, encoding: .utf8)
            // NIKs are 16 digits: scan every run of 16 digits in the file.
            var digits = ""
            for ch in content {
                if ch.isASCII && ch.isNumber { digits.append(ch); continue }
                if digits.count >= 16 {
                    for start in 0...(digits.count - 16) {
                        let window = String(digits.dropFirst(start).prefix(16))
                        XCTAssertFalse(niks.contains(window), "\(file) contains a NIK")
                    }
                }
                digits = ""
            }
        }
    }

    func testFailedRunLeavesNothing() throws {
        let data = scratch()
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        try "household_id,kode_desa\nA,35.14.01.2001\n".write(toFile: data + "/households.csv", atomically: true, encoding: .utf8)
        let out = scratch()
        var run = PlanRun(dataDirectory: data, outputDirectory: out)
        run.options.bootstrap = 10
        XCTAssertThrowsError(try run.execute())
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        let parent = (out as NSString).deletingLastPathComponent
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: parent).filter { $0.contains((out as NSString).lastPathComponent) }
        XCTAssertEqual(leftovers, [])
    }

    /// On generated data with a village effect the indicators cannot see, the
    /// 90% intervals must hold the truth for most villages (this small kabupaten:
    /// 120 villages of 200 households; at least 80% for both, over 0.75 Spearman).
    func testIntervalsAreCalibratedOnGeneratedData() throws {
        let outcome = try run(scratch(), bootstrap: 200)
        let a = try XCTUnwrap(outcome.result.accuracy)
        XCTAssertGreaterThanOrEqual(a.rankIntervalCoverage, 0.80)
        XCTAssertGreaterThanOrEqual(a.p0IntervalCoverage, 0.80)
        XCTAssertGreaterThan(a.spearmanP0, 0.75)
        XCTAssertLessThan(a.exclusionError, 0.4)
        XCTAssertEqual(outcome.result.overall.p0, a.trueP0, accuracy: 0.03, "expected headcount close to the true one")
    }

    func testAssetIndexWithoutSurvey() throws {
        let data = scratch()
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        for file in ["households.csv", "villages.csv", "truth.csv"] {
            try FileManager.default.copyItem(atPath: Self.generated + "/" + file, toPath: data + "/" + file)
        }
        var run = PlanRun(dataDirectory: data, outputDirectory: scratch())
        run.options.bootstrap = 20
        let outcome = try run.execute()
        XCTAssertEqual(outcome.result.method, .assetIndex)
        XCTAssertNil(outcome.result.pmt)
        XCTAssertEqual(outcome.result.overall.p0, 0.12, accuracy: 0.01, "the assumed headcount")
        XCTAssertGreaterThan(try XCTUnwrap(outcome.result.accuracy).spearmanP0, 0.5)
    }
}

extension PlanRunTests {
    /// Separate urban (kelurahan) and rural models: both fitted, every household
    /// scored by its own stratum's model, coefficients of both written.
    func testUrbanRuralStrata() throws {
        let out = scratch()
        var run = PlanRun(dataDirectory: Self.generated, outputDirectory: out)
        run.options.strata = .urbanRural
        run.options.bootstrap = 20
        run.allocate = false
        run.assign = false
        let outcome = try run.execute()
        XCTAssertEqual(outcome.result.models.map(\.name), ["urban", "rural"])
        let surveyRows = try TableReader(path: Self.generated + "/survey.csv", schema: Schemas.survey).readAll().rowCount
        XCTAssertEqual(outcome.result.models.reduce(0) { $0 + $1.pmt.n }, surveyRows)
        let coefficients = try String(contentsOfFile: out + "/pmt_coefficients.csv", encoding: .utf8)
        XCTAssertTrue(coefficients.contains(",urban\n") && coefficients.contains(",rural\n"))
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as! [String: Any]
        let pmt = summary["pmt"] as! [String: Any]
        XCTAssertEqual(pmt["n"] as? Int, surveyRows)
        XCTAssertNotNil((pmt["strata"] as? [String: Any])?["urban"])
        XCTAssertFalse(outcome.result.households.logMean.contains { !$0.isFinite })
    }

    /// The replicate predictor draws each household's welfare from the
    /// model's parameters given the survey (`ModelPosterior`): over its
    /// replicates, a village's P0 centres on the point estimate (correlation
    /// across villages above 0.95, mean gap below 0.02) and moves from one
    /// replicate to the next.
    func testTheReplicatePredictorCentresOnThePointEstimates() throws {
        let data = try DataDirectory.load(Self.generated)
        let villages = VillageList(villages: data.villages, households: data.households)
        let registry = HouseholdColumns(data.households, villageIndex: villages.index)
        var options = ScoringOptions()
        options.bootstrap = 12
        let welfare = try Scorer.pmtWelfare(survey: SurveyDesign(data.survey!, villageIndex: villages.index), registry: registry,
                                            villages: villages, options: options, clock: StageClock())
        let predictor = try XCTUnwrap(welfare.replicates)
        XCTAssertEqual(predictor.count, 12)
        let drawn = try predictor.predict(registry, households: Array(0..<registry.count), replicates: 0..<12)
        let lnz = log(options.povertyLine), v = villages.count
        var persons = [Double](repeating: 0, count: v), point = persons
        for i in 0..<registry.count {
            persons[Int(registry.village[i])] += registry.members[i]
            point[Int(registry.village[i])] += registry.members[i] * welfare.pass.fgt.p0[i]
        }
        func p0(_ b: Int) -> [Double] {
            let sd = drawn.sd(b)
            var poor = [Double](repeating: 0, count: v)
            for i in 0..<registry.count {
                poor[Int(registry.village[i])] += registry.members[i] * Normal.cdf((lnz - drawn.mean[b][i]) / sd[i])
            }
            return zip(poor, persons).map { $1 > 0 ? $0 / $1 : 0 }
        }
        let replicates = (0..<12).map(p0)
        let populated = (0..<v).filter { persons[$0] > 0 }
        let estimate = populated.map { point[$0] / persons[$0] }
        let mean = populated.map { k in replicates.reduce(0) { $0 + $1[k] } / 12 }
        func correlation(_ x: [Double], _ y: [Double]) -> Double {
            let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
            let xy = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
            let xx = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }, yy = y.reduce(0) { $0 + ($1 - my) * ($1 - my) }
            return xy / (xx * yy).squareRoot()
        }
        XCTAssertGreaterThan(correlation(estimate, mean), 0.95)
        XCTAssertLessThan(zip(estimate, mean).reduce(0) { $0 + abs($1.0 - $1.1) } / Double(populated.count), 0.02)
        for b in 1..<12 { XCTAssertNotEqual(replicates[b], replicates[0], "replicate \(b) repeats replicate 0") }
    }
}
