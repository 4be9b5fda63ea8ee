import Foundation
import XCTest
@testable import TepatPipeline
import TepatScenario
import TepatScoring

/// A scenario reaches the run, and the defaults agree wherever they are
/// stated: the scenario, its template, and a run with no scenario.
final class ScenarioToRunTests: XCTestCase {
    func testScenarioSettingsReachTheRun() throws {
        let folder = NSTemporaryDirectory() + "tepat-scenario-run-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/other", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        XCTAssertTrue(FileManager.default.createFile(atPath: folder + "/other/survey_2025.csv", contents: Data()))
        let s = try ScenarioParser.parse("""
            seed: 42
            data:
              files:
                survey: other/survey_2025.csv
            scoring:
              poverty_line: 612500
              mpi_cutoff: 0.25
              mpi_weights:
                assets: 0
            assignment:
              enabled: false
            allocation:
              objective: p0
              funder_budgets:
                BAZNAS: 2000000000
            outputs:
              households_scored: false
            """, file: "scenario.yaml", baseDirectory: folder)
        var run = PlanRun(dataDirectory: folder, outputDirectory: folder + "/run")
        try run.apply(s)
        XCTAssertEqual(run.options.povertyLine, 612_500)
        XCTAssertEqual(run.options.seed, 42)
        XCTAssertEqual(run.options.mpi.cutoff, 0.25)
        XCTAssertEqual(run.options.mpi.indicators.first { $0.name == "assets" }?.weight, 0)
        XCTAssertEqual(run.allocation.funderBudgets["BAZNAS"], 2_000_000_000)
        XCTAssertEqual(run.allocation.objective, .headcount)
        XCTAssertEqual(run.filePaths["survey.csv"], folder + "/other/survey_2025.csv")
        XCTAssertFalse(run.writeHouseholds)
        XCTAssertFalse(run.assign)
    }

    /// A run configured from the default scenario is the run configured by
    /// nothing at all, and the template reads back as the default scenario:
    /// no default is stated twice with two values.
    func testDefaultsAgreeAcrossScenarioTemplateAndRun() throws {
        let template = ScenarioWriter.yaml(Scenario(), commented: true)
        XCTAssertEqual(try ScenarioParser.parse(template, file: "scenario.yaml", baseDirectory: "/"), Scenario())
        let plain = PlanRun(dataDirectory: "d", outputDirectory: "o")
        var settled = plain
        try settled.apply(Scenario())
        XCTAssertEqual(RunSettings(settled), RunSettings(plain))
        XCTAssertEqual(settled.options.mpi.cutoff, plain.options.mpi.cutoff)
        XCTAssertEqual(settled.options.mpi.indicators.map(\.weight), plain.options.mpi.indicators.map(\.weight))
    }
}

/// The settings of a run that a scenario sets, comparable.
struct RunSettings: Equatable {
    var povertyLine: Double, seed: UInt64, bootstrap: Int, rankBy: RankBy, method: ScoringMethod
    var weights: CompositeWeights, kecamatanEffects: Bool, ridge: Bool, strata: Stratification, strictCategories: Bool
    var onError: String, writeHouseholds: Bool, dialect: CSVDialect, language: ReportLanguage, assign: Bool, allocate: Bool
    var opdsPerVillage: Int, objective: String, floors: [String: Int64], villageCap: Int64?, exportMPS: String?

    init(_ run: PlanRun) {
        let o = run.options, a = run.allocation
        povertyLine = o.povertyLine; seed = o.seed; bootstrap = o.bootstrap; rankBy = o.rankBy; method = o.method
        weights = o.weights; kecamatanEffects = o.kecamatanEffects; ridge = o.ridge; strata = o.strata
        strictCategories = o.strictCategories; onError = "\(run.onError)"; writeHouseholds = run.writeHouseholds
        dialect = run.dialect; language = run.language; assign = run.assign; allocate = run.allocate
        opdsPerVillage = a.opdsPerVillage; objective = a.objective.rawValue; floors = a.floors; villageCap = a.villageCap
        exportMPS = a.exportMPS
    }
}
