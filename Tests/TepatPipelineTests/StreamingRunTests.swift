import Foundation
import XCTest
@testable import TepatData
@testable import TepatPipeline
@testable import TepatReporting
import TepatScenario
@testable import TepatScoring
import TepatRandom

/// `tepat run --stream` against the run in memory: the same files bit for bit,
/// with chunks cut small enough that every seam is crossed (read chunks of 1,000
/// rows, scoring chunks of 700, waves of two).
extension PlanRunTests {
    func streamedAndInMemory(
        data: String? = nil, strata: Stratification = .none, onError: OnError = .fail
    ) throws -> (memory: String, streamed: String, outcome: PlanRun.Outcome) {
        let memory = scratch(), streamed = scratch()
        func configured(_ out: String) -> PlanRun {
            var run = PlanRun(dataDirectory: data ?? Self.generated, outputDirectory: out)
            run.options.strata = strata
            run.options.bootstrap = 30
            run.options.chunkRows = 700
            run.options.threads = 2
            run.onError = onError
            run.allocate = false
            run.streamReadRows = 1_000
            return run
        }
        _ = try configured(memory).execute()
        var run = configured(streamed)
        run.stream = true
        let outcome = try run.execute()
        return (memory, streamed, outcome)
    }

    func assertSameFiles(_ a: String, _ b: String, _ files: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        for name in files {
            let left = try String(contentsOfFile: a + "/" + name, encoding: .utf8)
            let right = try String(contentsOfFile: b + "/" + name, encoding: .utf8)
            if left != right {
                let difference = zip(left.split(separator: "\n"), right.split(separator: "\n")).first { $0 != $1 }
                XCTFail("\(name) differs: \(difference.map { "\($0.0) ≠ \($0.1)" } ?? "in length")", file: file, line: line)
            }
        }
    }

    /// summary.json without what a streamed run leaves out: truth.csv (unread),
    /// the accuracy measured against it, and the verification list.
    func summaryWithoutAccuracy(_ directory: String) throws -> NSDictionary {
        var summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/summary.json"))) as! [String: Any]
        summary["accuracy"] = nil
        summary["verification"] = nil
        var inputs = summary["inputs"] as! [String: Any]
        inputs["truth.csv"] = nil
        summary["inputs"] = inputs
        return summary as NSDictionary
    }

    func testStreamedRunWritesTheSameFiles() throws {
        for strata in [Stratification.none, .urbanRural] {
            let (memory, streamed, outcome) = try streamedAndInMemory(strata: strata)
            try assertSameFiles(memory, streamed, ["rankings.csv", "households_scored.csv", "pmt_coefficients.csv", "assignment.csv"])
            XCTAssertEqual(try summaryWithoutAccuracy(memory), try summaryWithoutAccuracy(streamed), "\(strata)")
            XCTAssertEqual(outcome.result.householdCount, 24_000)
            XCTAssertTrue(outcome.result.households.p0.isEmpty, "a streamed run keeps no household in memory")
            XCTAssertTrue(outcome.notes.contains { $0.contains("truth.csv") })
            XCTAssertTrue(outcome.notes.contains { $0.contains("--stream leaves out verification.csv") })
        }
    }

    /// With --on-error skip, the same rows are left out: a repeated id, a bad
    /// value and a village villages.csv does not list.
    func testStreamedRunLeavesOutTheSameRows() throws {
        let data = scratch()
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        for name in ["villages.csv", "survey.csv", "opds.csv"] {
            try FileManager.default.copyItem(atPath: Self.generated + "/" + name, toPath: data + "/" + name)
        }
        var lines = try String(contentsOfFile: Self.generated + "/households.csv", encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let members = header.firstIndex(of: "members")!, village = header.firstIndex(of: "kode_desa")!
        func edited(_ line: String, column: Int, to value: String) -> String {
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[column] = value
            return fields.joined(separator: ",")
        }
        lines[1_500] = edited(lines[1_500], column: members, to: "abc")
        lines[7_000] = edited(lines[7_000], column: village, to: "35.99.98.2999")
        lines.insert(lines[12], at: 15_000)  // line 15,001 repeats line 13's id
        let repeatedId = String(lines[12].split(separator: ",")[0])
        try (lines.joined(separator: "\n") + "\n").write(toFile: data + "/households.csv", atomically: true, encoding: .utf8)

        let (memory, streamed, outcome) = try streamedAndInMemory(data: data, onError: .skip)
        try assertSameFiles(memory, streamed, ["rankings.csv", "households_scored.csv", "pmt_coefficients.csv"])
        XCTAssertEqual(outcome.result.householdCount, 24_000 - 2)
        func rejectedLines(_ directory: String) throws -> [String] {
            try String(contentsOfFile: directory + "/rejected.csv", encoding: .utf8).split(separator: "\n").dropFirst()
                .map { String($0.split(separator: ",")[1]) }
        }
        XCTAssertEqual(try rejectedLines(memory).sorted(), ["15001", "1501", "7001"])
        XCTAssertEqual(try rejectedLines(streamed).sorted(), ["15001", "1501", "7001"])
        // The same messages, values included (the streamed run fetches the
        // repeated id, which its first read kept only as a hash); the run in
        // memory lists the unknown village after the checks of the file itself.
        func rejectedRows(_ directory: String) throws -> [String] {
            try String(contentsOfFile: directory + "/rejected.csv", encoding: .utf8).split(separator: "\n").map(String.init).sorted()
        }
        XCTAssertEqual(try rejectedRows(streamed), try rejectedRows(memory))
        XCTAssertTrue(try rejectedRows(streamed).contains { $0.contains(",15001,household_id,\(repeatedId),duplicate") })

        // Without skip, the repeat stops the run and names both lines.
        var failing = PlanRun(dataDirectory: data, outputDirectory: scratch())
        failing.stream = true
        failing.allocate = false
        XCTAssertThrowsError(try failing.execute()) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("households.csv:15001:1: household_id = \"\(repeatedId)\": duplicate household_id (first on line 13)"), text)
            XCTAssertTrue(text.contains("households.csv:1501:"), text)
        }
    }

    func testStreamNeedsVillagesAndSurvey() throws {
        for missing in ["villages.csv", "survey.csv"] {
            let data = scratch()
            try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
            for name in ["households.csv", "villages.csv", "survey.csv"] where name != missing {
                try FileManager.default.copyItem(atPath: Self.generated + "/" + name, toPath: data + "/" + name)
            }
            var run = PlanRun(dataDirectory: data, outputDirectory: scratch())
            run.stream = true
            XCTAssertThrowsError(try run.execute()) { error in
                XCTAssertEqual(error as? StreamingError, missing == "villages.csv" ? .needsVillages : .needsSurvey)
                XCTAssertTrue("\(error)".contains(missing), "\(error)")
            }
        }
    }

    /// Deciles read back from a spill equal the in-memory sort's, also when
    /// thousands of households share a welfare value across decile cuts.
    func testSpillDecilesEqualTheSortWithTies() throws {
        let directory = scratch()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var random = Xoshiro256(splitMixFrom: 7)  // seeded: the same households on every run
        for distinctValues in [1, 3, 50, 100_000] {
            let spill = try HouseholdSpill(directory: directory, strata: 1)
            let n = 20_000
            var welfare: [Double] = [], members: [Double] = [], ids: [String] = []
            for i in 0..<n {
                welfare.append(Double(Int.random(in: 0..<distinctValues, using: &random)) * 0.37 + 10)
                members.append(Double(Int.random(in: 1...9, using: &random)))
                ids.append("RT-\(String(Int.random(in: 0..<1_000_000, using: &random)))-\(i)")
                let id = Array(ids[i].utf8)
                id.withUnsafeBytes { spill.append(stratum: 0, logMean: welfare[i], logSD: 0.3, p0: 0, p1: 0, p2: 0, members: members[i], village: 0, id: $0) }
            }
            try spill.finishWriting()
            let expected = Deciles.assign(welfare: welfare, members: members) { ids[$0].utf8.lexicographicallyPrecedes(ids[$1].utf8) }
            let deciles = try SpillDeciles(spill: spill, lowest: welfare.min()!, highest: welfare.max()!, bins: 1_024)
            var got: [Int] = []
            try spill.forEach { got.append(deciles.decile(of: $0)) }
            XCTAssertEqual(got, expected, "\(distinctValues) distinct values")
        }
    }
}

/// The reading thread of a streamed run stays one item ahead, and stops when the
/// run stops early.
final class PrefetchTests: XCTestCase {
    func testItemsInOrderAndCancelStopsTheThread() throws {
        let produced = ProducedCount()
        let all = Prefetch<Int> { produced.next(upTo: 100) }
        var items: [Int] = []
        while let item = try all.next() { items.append(item) }
        XCTAssertEqual(items, Array(0..<100))

        let stopped = ProducedCount()
        let early = Prefetch<Int> { stopped.next(upTo: 1_000) }
        for _ in 0..<3 { _ = try early.next() }
        early.cancel()
        Thread.sleep(forTimeInterval: 0.3)
        // Three taken, one waiting in the slot, and at most one more begun; the
        // thread has ended instead of waiting for a reader that is gone.
        XCTAssertLessThanOrEqual(stopped.value, 5)
        XCTAssertFalse(early.isRunning)
        XCTAssertFalse(all.isRunning, "the thread ends at the end of the items")
    }
}

private final class ProducedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func next(upTo limit: Int) -> Int? {
        lock.withLock {
            guard count < limit else { return nil }
            count += 1
            return count - 1
        }
    }
}
