import Foundation
import XCTest
@testable import TepatPipeline
@testable import TepatScoring

/// The 90% intervals against the truth of generated kabupaten (400 villages of
/// about 100 households), at a kabupaten's SUSENAS size (700 households, 10 in
/// each of 70 villages) and at a large survey (6,000 households, 20 in each of
/// 300 villages). One kabupaten's villages share their model's errors, so
/// coverage is averaged over several seeds: six for the small survey, whose
/// coverage varies most from seed to seed, three for the large one.
final class CalibrationTests: XCTestCase {
    struct Coverage { var rank = 0.0, p0 = 0.0 }

    func coverage(seeds: ClosedRange<UInt64>, survey: Int, perVillage: Int) throws -> Coverage {
        var total = Coverage()
        for seed in seeds {
            let data = generatedKabupaten("calibration-\(seed)-\(survey)", households: 40_000, villages: 400, seed: seed,
                                          survey: survey, perVillage: perVillage)
            let out = NSTemporaryDirectory() + "tepat-calibration-run-\(UUID().uuidString)"
            defer {
                try? FileManager.default.removeItem(atPath: data)
                try? FileManager.default.removeItem(atPath: out)
            }
            var run = PlanRun(dataDirectory: data, outputDirectory: out)
            run.options.bootstrap = 100
            run.allocate = false
            run.writeHouseholds = false
            let accuracy = try XCTUnwrap(try run.execute().result.accuracy)
            total.rank += accuracy.rankIntervalCoverage / Double(seeds.count)
            total.p0 += accuracy.p0IntervalCoverage / Double(seeds.count)
        }
        return total
    }

    func assertCalibrated(_ c: Coverage, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        for (name, value) in [("rank", c.rank), ("P0", c.p0)] {
            XCTAssertGreaterThanOrEqual(value, 0.85, "\(label): \(name) interval coverage \(value)", file: file, line: line)
            XCTAssertLessThanOrEqual(value, 0.96, "\(label): \(name) interval coverage \(value)", file: file, line: line)
        }
    }

    func testCalibratedAtASusenasSizedSurvey() throws {
        assertCalibrated(try coverage(seeds: 1...6, survey: 700, perVillage: 10), "700 survey households")
    }

    func testCalibratedAtALargeSurvey() throws {
        assertCalibrated(try coverage(seeds: 1...3, survey: 6_000, perVillage: 20), "6,000 survey households")
    }
}
