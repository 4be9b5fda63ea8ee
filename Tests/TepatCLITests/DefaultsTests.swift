import Foundation
import XCTest
@testable import TepatCLI
import TepatPipeline
import TepatScenario

/// The command line states the scenario's defaults and, given no flags and no
/// scenario file, configures the run a default scenario does.
final class DefaultsTests: XCTestCase {
    func testHelpStatesTheScenarioDefaults() throws {
        // Help text wraps: compare with every run of white space as one space.
        let help = try runTepat(["run", "--help"]).out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let d = Scenario()
        for stated in ["default \(Int(d.scoring.povertyLine))", "default \(d.seed)", "default \(d.scoring.bootstrap)",
                       "default \(d.ranking.rankBy.rawValue)", "default \(d.scoring.method.rawValue)",
                       "default \(d.data.onError.rawValue)", "default \(d.outputs.language.rawValue)",
                       "default \(d.assignment.opdsPerVillage)"] {
            XCTAssertTrue(help.contains(stated), "tepat run --help does not say '\(stated)'")
        }
    }

    func testNoFlagsConfigureTheDefaultScenario() throws {
        let folder = NSTemporaryDirectory() + "tepat-defaults-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let command = try Tepat.Run.parse([folder])
        var fromCLI = PlanRun(dataDirectory: folder, outputDirectory: folder + "/run")
        try command.settle(&fromCLI)
        var fromScenario = PlanRun(dataDirectory: folder, outputDirectory: folder + "/run")
        try fromScenario.apply(Scenario())
        let a = fromCLI, b = fromScenario
        XCTAssertEqual(a.options.povertyLine, b.options.povertyLine)
        XCTAssertEqual(a.options.seed, b.options.seed)
        XCTAssertEqual(a.options.bootstrap, b.options.bootstrap)
        XCTAssertEqual(a.options.rankBy, b.options.rankBy)
        XCTAssertEqual(a.options.method, b.options.method)
        XCTAssertEqual(a.options.weights, b.options.weights)
        XCTAssertEqual(a.options.strata, b.options.strata)
        XCTAssertEqual(a.options.mpi.cutoff, b.options.mpi.cutoff)
        XCTAssertEqual(a.onError, b.onError)
        XCTAssertEqual(a.language, b.language)
        XCTAssertEqual(a.dialect, b.dialect)
        XCTAssertEqual(a.writeHouseholds, b.writeHouseholds)
        XCTAssertEqual(a.allocation.opdsPerVillage, b.allocation.opdsPerVillage)
        XCTAssertEqual(a.allocation.objective, b.allocation.objective)
        XCTAssertEqual(a.scenarioText, ScenarioWriter.yaml(Scenario(), commented: false))
    }
}
