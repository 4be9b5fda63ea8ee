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

    /// p_funded of villages_after.csv reaches the comparison: per village,
    /// and as the count of villages funded for sure or about half the time;
    /// a run without the column shows "—".
    func testPFundedIsComparedVillageByVillage() throws {
        let rankings = "rank,kode_desa,nama_desa,nama_kecamatan,p0\n1,35.14.01.2001,Alpha,Satu,0.2\n2,35.14.01.2002,Beta,Satu,0.1\n"
        let header = "kode_desa,funds_rp,p0_before,p0_after,p1_before,p1_after,p2_before,p2_after,nama_desa,households_reached"
        for (name, after) in [
            ("a", header + ",p_funded\n35.14.01.2001,5000000,0.2,0.18,0.05,0.04,0.02,0.01,Alpha,2,0.95\n35.14.01.2002,0,0.1,0.1,0.02,0.02,0.01,0.01,Beta,0,0.45\n"),
            ("b", header + "\n35.14.01.2001,5000000,0.2,0.18,0.05,0.04,0.02,0.01,Alpha,2\n35.14.01.2002,0,0.1,0.1,0.02,0.02,0.01,0.01,Beta,0\n"),
        ] {
            let dir = try runDirectory(name, scenario: nil)
            try rankings.write(toFile: dir + "/rankings.csv", atomically: true, encoding: .utf8)
            try after.write(toFile: dir + "/villages_after.csv", atomically: true, encoding: .utf8)
        }
        let comparison = try RunComparison(folder + "/a", folder + "/b")
        XCTAssertEqual(comparison.villages.map(\.pFundedA), [0.95, 0.45])
        XCTAssertEqual(comparison.villages.map(\.pFundedB), [nil, nil])
        let figures = Dictionary(uniqueKeysWithValues: comparison.figures.map { ($0.name, [$0.a, $0.b]) })
        XCTAssertEqual(figures["villages funded in ≥ 90% of replicates"], ["1", "—"])
        XCTAssertEqual(figures["villages funded in 30–70% of replicates"], ["1", "—"])
        try comparison.write(to: folder + "/out")
        let written = try String(contentsOfFile: folder + "/out/compare_villages.csv", encoding: .utf8)
        XCTAssertTrue(written.hasPrefix("kode_desa,nama_desa,nama_kecamatan,rank_a,rank_b,rank_change,funds_a_rp,funds_b_rp,funds_change_rp,p0_a,p0_b,p0_change,p_funded_a,p_funded_b\n"), written)
        XCTAssertTrue(written.contains(",0.95,\n"), written)
    }
}
