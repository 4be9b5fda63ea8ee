import Foundation
import XCTest
@testable import TepatPipeline
@testable import TepatScoring

/// `--benchmark-p0`: the villages' member-weighted P0 is the official rate, the
/// order of villages is the model's, and every replicate is scaled too.
extension PlanRunTests {
    func benchmarkedRun(_ out: String, official: Double?) throws -> PlanRun.Outcome {
        var run = PlanRun(dataDirectory: Self.generated, outputDirectory: out)
        run.options.bootstrap = 60
        run.options.benchmarkP0 = official
        run.allocate = false
        return try run.execute()
    }

    func testBenchmarkHitsTheOfficialRateTo1e9() throws {
        let plain = try benchmarkedRun(scratch(), official: nil).result
        let official = 0.1946
        let out = scratch()
        let result = try benchmarkedRun(out, official: official).result
        let m = result.measures
        let rate = zip(m.p0, m.persons).reduce(0) { $0 + $1.0 * $1.1 } / m.persons.reduce(0, +)
        XCTAssertEqual(rate, official, accuracy: 1e-9 * official)
        XCTAssertEqual(result.overall.p0, official)
        let benchmark = try XCTUnwrap(result.benchmark)
        XCTAssertEqual(benchmark.modelP0, zip(plain.measures.p0, plain.measures.persons).reduce(0) { $0 + $1.0 * $1.1 } / m.persons.reduce(0, +),
                       accuracy: 1e-12)
        // One factor for every village below 1; poor persons follow P0.
        for v in m.p0.indices where plain.measures.p0[v] > 0 && m.p0[v] < 1 {
            XCTAssertEqual(m.p0[v] / plain.measures.p0[v], benchmark.factor, accuracy: 1e-12)
            XCTAssertEqual(m.poorPersons[v], m.p0[v] * m.persons[v], accuracy: 1e-9 * m.persons[v])
        }
        // The ranking is the model's: a common factor moves no z-score.
        XCTAssertEqual(result.ranking.rank, plain.ranking.rank)
        // The replicates were benchmarked: the intervals bracket the official
        // level, and each lies within the scaled range of the plain one.
        let weighted = { (x: [Double]) in zip(x, m.persons).reduce(0) { $0 + $1.0 * $1.1 } / m.persons.reduce(0, +) }
        XCTAssertLessThan(weighted(result.ranking.p0Low), official)
        XCTAssertGreaterThan(weighted(result.ranking.p0High), official)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as! [String: Any]
        let block = try XCTUnwrap(summary["benchmark"] as? [String: Any])
        XCTAssertEqual(block["official_p0"] as? Double, official)
    }

    func testRateOutsideZeroToOneStopsTheRunAndLeavesNothing() throws {
        let out = scratch()
        XCTAssertThrowsError(try benchmarkedRun(out, official: 9.46)) { error in
            XCTAssertTrue("\(error)".contains("0.095"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }
}
