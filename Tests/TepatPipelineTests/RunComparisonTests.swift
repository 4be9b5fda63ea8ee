import Foundation
import XCTest
@testable import TepatPipeline
import TepatData

/// `tepat compare` reads two run directories; their scenarios are read with the
/// scenario parser, so a broken one is an error, not "no differences".
final class RunComparisonTests: XCTestCase {
    var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "tepat-compare-\(UUID().uuidString)"
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: folder) }

    func runDirectory(_ name: String, scenario: String?) throws -> String {
        let dir = folder + "/" + name
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "rank,kode_desa,nama_desa,nama_kecamatan,p0\n1,35.14.01.2001,Alpha,Satu,0.2\n".write(toFile: dir + "/rankings.csv", atomically: true, encoding: .utf8)
        if let scenario { try scenario.write(toFile: dir + "/scenario.yaml", atomically: true, encoding: .utf8) }
        return dir
    }

    func testChangedSettingsAreListedKeyByKey() throws {
        let a = try runDirectory("a", scenario: "seed: 1\nscoring:\n  poverty_line: 550000\n")
        let b = try runDirectory("b", scenario: "seed: 1\nscoring:\n  poverty_line: 600000\nallocation:\n  funder_areas:\n    LAZISMU: [\"35.14.05\"]\n")
        let changes = try RunComparison(a, b).scenarioChanges
        XCTAssertEqual(changes, [
            "scoring.poverty_line: 550000 → 600000",
            "allocation.funder_areas: {} → (absent)",
            "allocation.funder_areas.LAZISMU: (absent) → [\"35.14.05\"]",
        ])
    }

    func testBrokenScenarioIsAnErrorNamingItsLine() throws {
        let a = try runDirectory("a", scenario: "seed: 1\n")
        let b = try runDirectory("b", scenario: "seed: 1\nscoring:\n  povrty_line: 600000\n")
        XCTAssertThrowsError(try RunComparison(a, b)) { error in
            let text = (error as? DataErrors)?.description ?? "\(error)"
            XCTAssertTrue(text.contains("b/scenario.yaml:3"), text)
            XCTAssertTrue(text.contains("poverty_line"), text)
        }
    }

    /// A run's scenario names its input files by absolute path; comparing runs
    /// made on another machine must not need those files.
    func testScenarioFromAnotherMachineCompares() throws {
        let a = try runDirectory("a", scenario: "data:\n  files:\n    survey: \"/nowhere/survey.csv\"\n")
        let b = try runDirectory("b", scenario: "seed: 1\n")
        XCTAssertEqual(try RunComparison(a, b).scenarioChanges, [
            "data.files.survey: \"/nowhere/survey.csv\" → (absent)",
            "data.files: (absent) → {}",
        ])
    }
}
