import Foundation
import XCTest
@testable import TepatPipeline
@testable import TepatScoring

/// The frame checks: a registry that covers only part of the villages'
/// population, or whose households differ from the survey's, is named.
final class FrameCheckTests: XCTestCase {
    static let generated = generatedKabupaten("frame-tests", households: 8_000, villages: 40, seed: 13, survey: 600)

    override class func tearDown() {
        try? FileManager.default.removeItem(atPath: generated)
        super.tearDown()
    }

    /// Hand-worked: villages of 100 and 100 persons by villages.csv (the third
    /// gives none) with 100 and 30 registry persons.
    func testCoverageCountsOnlyVillagesWithAPopulation() throws {
        let c = try XCTUnwrap(RegistryCoverage(persons: [100, 30, 50], population: [100, 100, .nan]))
        XCTAssertEqual(c.registryPersons, 130)
        XCTAssertEqual(c.population, 200)
        XCTAssertEqual(c.share, 0.65)
        XCTAssertEqual(c.villagesWithPopulation, 2)
        XCTAssertEqual(c.villagesUnderHalf, 1)
        XCTAssertEqual(c.villagesOverPopulation, 0)
        XCTAssertNil(RegistryCoverage(persons: [1], population: [.nan]))
    }

    func run(_ data: String) throws -> (outcome: PlanRun.Outcome, summary: [String: Any]) {
        let out = NSTemporaryDirectory() + "tepat-frame-run-\(UUID().uuidString)"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: out) }
        var run = PlanRun(dataDirectory: data, outputDirectory: out)
        run.options.bootstrap = 20
        let outcome = try run.execute()
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as! [String: Any]
        return (outcome, summary)
    }

    /// The generated registry is the whole population the survey samples: no warning.
    func testWholePopulationRegistryGivesNoWarning() throws {
        let (outcome, summary) = try run(Self.generated)
        XCTAssertFalse(outcome.notes.contains { $0.hasPrefix("warning:") }, "\(outcome.notes)")
        let coverage = try XCTUnwrap((summary["frame"] as? [String: Any])?["coverage"] as? [String: Any])
        XCTAssertEqual(coverage["share"] as? Double ?? 0, 1, accuracy: 0.05)
    }

    /// A registry of households without a refrigerator (the poorer part, as
    /// DTKS holds): both checks warn, and has_refrigerator leads the gaps.
    func testPoorerRegistryIsNamed() throws {
        let dir = NSTemporaryDirectory() + "tepat-frame-poor-\(UUID().uuidString)"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(atPath: Self.generated, toPath: dir)
        let path = dir + "/households.csv"
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let column = lines[0].split(separator: ",").firstIndex(of: "has_refrigerator")!
        let kept = [lines[0]] + lines.dropFirst().filter { $0.split(separator: ",", omittingEmptySubsequences: false)[column] == "0" }
        XCTAssertLessThan(kept.count, lines.count * 3 / 4, "the filter must leave out a good part of the registry")
        try (kept.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let (outcome, summary) = try run(dir)
        XCTAssertTrue(outcome.notes.contains { $0.hasPrefix("warning: households.csv holds") }, "\(outcome.notes)")
        XCTAssertTrue(outcome.notes.contains { $0.hasPrefix("warning: the survey and households.csv differ") && $0.contains("has_refrigerator (survey") }, "\(outcome.notes)")
        let frame = try XCTUnwrap(summary["frame"] as? [String: Any])
        let first = try XCTUnwrap((frame["covariates"] as? [[String: Any]])?.first)
        XCTAssertEqual(first["term"] as? String, "has_refrigerator")
        XCTAssertEqual(first["registry_mean"] as? Double, 0)
        XCTAssertGreaterThan(first["standardised_difference"] as? Double ?? 0, CovariateBalance.warningDifference)
    }
}
