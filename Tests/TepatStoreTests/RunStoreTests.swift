import Foundation
import XCTest
@testable import TepatStore

/// The run history: a record and its run directory land together or not at all.
final class RunStoreTests: XCTestCase {
    var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "tepat-store-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: folder) }

    func record(_ directory: String, seed: UInt64 = 7) -> RunRecord {
        RunRecord(directory: directory, dataDirectory: folder + "/data", seed: seed, scenario: "seed: \(seed)\n",
                  inputs: [("households.csv", 300), ("villages.csv", 12)], checksums: ["households.csv": "ab12", "villages.csv": "cd34"],
                  villages: 12, households: 300, p0: 0.125, poorPersons: 150.5, objective: 42.25, spent: 1_000_000, seconds: 1.5)
    }

    func testRecordedRunReadsBackWithItsInputs() throws {
        let store = try RunStore(path: folder + "/runs.sqlite")
        XCTAssertFalse(try store.record(record(folder + "/run-a")) { false })
        XCTAssertTrue(try store.record(record(folder + "/run-b", seed: 8)) { true })
        XCTAssertEqual(try store.count(), 2)
        let entries = try store.list()
        XCTAssertEqual(Set(entries.map(\.record.seed)), [7, 8])
        let b = try XCTUnwrap(entries.first { $0.record.seed == 8 })
        let again = try XCTUnwrap(try store.entry(id: b.id))
        XCTAssertEqual(again.record.directory, folder + "/run-b")
        XCTAssertEqual(again.record.inputs.map(\.name), ["households.csv", "villages.csv"])
        XCTAssertEqual(again.record.inputs.map(\.rows), [300, 12])
        XCTAssertEqual(again.record.checksums, ["households.csv": "ab12", "villages.csv": "cd34"])
        XCTAssertEqual(again.record.objective, 42.25)
        XCTAssertEqual(again.record.spent, 1_000_000)
        XCTAssertNil(try store.entry(id: b.id + 100))
    }

    /// A commit that fails (the run directory could not be moved into place)
    /// leaves no row: the history never names a run that is not there.
    func testFailedCommitLeavesNoRow() throws {
        struct MoveFailed: Error {}
        let store = try RunStore(path: folder + "/runs.sqlite")
        XCTAssertThrowsError(try store.record(record(folder + "/run-a")) { throw MoveFailed() })
        XCTAssertEqual(try store.count(), 0)
    }

    /// The store survives being opened again (the schema is migrated once).
    func testReopenedStoreKeepsItsRuns() throws {
        let path = folder + "/runs.sqlite"
        _ = try RunStore(path: path).record(record(folder + "/run-a")) { false }
        XCTAssertEqual(try RunStore(path: path).count(), 1)
    }
}
