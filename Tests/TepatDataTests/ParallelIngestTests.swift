import XCTest
@testable import TepatData
import TepatRandom

/// Reading a file in parts on several cores must give exactly what one serial
/// pass gives: the same rows in the same order, the same problems.
final class ParallelIngestTests: XCTestCase {
    func makeFile(
        rows: Int, duplicateAt: Int? = nil, badAt: Int? = nil, quotedNewlines: Bool = false, repeats: [Int: Int] = [:], bad: Set<Int> = []
    ) -> (ScratchDirectory, String) {
        var lines: [[String: String]] = []
        for i in 0..<rows {
            let id = i == duplicateAt ? 1 : repeats[i] ?? i
            var row = householdRow("H\(String(id).leftPadded(to: 5))")
            if i == badAt || bad.contains(i) { row["toilet"] = "golden" }
            lines.append(row)
        }
        var text = householdsCSV(lines)
        if quotedNewlines {  // a household id with a line break inside quotes, on every 7th row
            text = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { k, line in
                k > 0 && k % 7 == 0 && !line.isEmpty ? "\"id\nwith break\(k)\"" + line.drop { $0 != "," } : String(line)
            }.joined(separator: "\n")
        }
        let dir = ScratchDirectory()
        return (dir, dir.write("households.csv", text))
    }

    func assertSameAsSerial(_ path: String, parts: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let serialReader = try TableReader(path: path, schema: Schemas.households, displayName: "households.csv")
        let serial = try serialReader.readAll()
        let parallel = try TableReader.readFile(path: path, schema: Schemas.households, displayName: "households.csv", cores: parts, minimumPartBytes: 1)
        XCTAssertEqual(parallel.table.rowCount, serial.rowCount, file: file, line: line)
        XCTAssertEqual(parallel.table.lines, serial.lines, file: file, line: line)
        XCTAssertEqual(parallel.table.texts("household_id"), serial.texts("household_id"), file: file, line: line)
        XCTAssertEqual(parallel.table.integers("toilet"), serial.integers("toilet"), file: file, line: line)
        XCTAssertEqual(parallel.table.regionValues("kode_desa"), serial.regionValues("kode_desa"), file: file, line: line)
        XCTAssertEqual(parallel.problems.problems.map(\.description), serialReader.problems.problems.map(\.description), file: file, line: line)
        XCTAssertEqual(parallel.rowsRejected, serialReader.rowsRejected, file: file, line: line)
    }

    func testPartsJoinToTheSerialTable() throws {
        let (dir, path) = makeFile(rows: 3_000)
        for parts in [2, 3, 7] { try assertSameAsSerial(path, parts: parts) }
        _ = dir
    }

    func testDuplicateAcrossPartsAndBadRowInALaterPart() throws {
        let (dir, path) = makeFile(rows: 3_000, duplicateAt: 2_500, badAt: 2_800)
        try assertSameAsSerial(path, parts: 2)
        let result = try TableReader.readFile(path: path, schema: Schemas.households, displayName: "households.csv", cores: 2, minimumPartBytes: 1)
        XCTAssertEqual(result.problems.count, 2)
        XCTAssertTrue(result.problems.problems[0].description.contains("duplicate household_id (first on line 3)"), result.problems.problems[0].description)
        _ = dir
    }

    /// Repeats within a part, across parts, three times over, and of a row that
    /// is itself bad (its id still counts as seen, as in a serial read): the
    /// parts' sorted ids must find each, with the first line, as one pass does.
    func testRepeatsWithinAndAcrossPartsAsSerial() throws {
        let repeats = [10: 0, 20: 0, 1_500: 7, 2_400: 2_300, 2_999: 2_300, 2_000: 900, 2_950: 2_940]
        let (dir, path) = makeFile(rows: 3_000, repeats: repeats, bad: [900, 2_950])
        for parts in [2, 3, 7] { try assertSameAsSerial(path, parts: parts) }
        let result = try TableReader.readFile(path: path, schema: Schemas.households, displayName: "households.csv", cores: 3, minimumPartBytes: 1)
        let duplicates = result.problems.problems.filter { $0.message.hasPrefix("duplicate") }
        XCTAssertEqual(duplicates.map(\.line), [12, 22, 1_502, 2_002, 2_402, 2_952, 3_001])
        XCTAssertEqual(duplicates.last?.message, "duplicate household_id (first on line 2302)")
        XCTAssertEqual(result.rowsRejected, 8, "seven repeats and the bad row 900 (the bad row 2,950 is also a repeat)")
        _ = dir
    }

    /// The radix sort orders sightings as the comparison sort does, keeping rows
    /// in order within a hash, and merging sorted parts gives one sorted list.
    func testSightingsSortAndMergeAsComparisonSort() {
        var rng = Xoshiro256(splitMixFrom: 39)
        for size in [0, 1, 2, 100, 5_000] {
            // Few distinct hashes, spread over all 64 bits, so ties are common.
            let hashes = (0..<max(1, size / 3)).map { _ in rng.next() }
            let items = (0..<size).map { IdentifierSighting(hash: hashes[Int(rng.next() % UInt64(hashes.count))], row: $0) }
            let expected = items.sorted(by: IdentifierSighting.order)
            let sorted = IdentifierSighting.sortedByHash(items)
            XCTAssertEqual(sorted.map(\.hash), expected.map(\.hash), "size \(size)")
            XCTAssertEqual(sorted.map(\.row), expected.map(\.row), "size \(size)")
            let cut1 = size / 3, cut2 = 2 * size / 3
            let parts = [Array(items[..<cut1]), Array(items[cut1..<cut2]), Array(items[cut2...])].map(IdentifierSighting.sortedByHash)
            XCTAssertEqual(IdentifierSighting.merged(parts).map(\.row), expected.map(\.row), "size \(size) merged")
        }
    }

    /// Removing rows in place keeps exactly the unmarked rows, in order, in every
    /// kind of column (integers, categories, numbers, text, village codes, lines):
    /// the same as gathering the kept rows' values one by one.
    func testRemovingRowsInPlaceEqualsGatheringTheOthers() throws {
        let (dir, path) = makeFile(rows: 500)
        let table = try TableReader(path: path, schema: Schemas.households, displayName: "households.csv").readAll()
        var rng = Xoshiro256(splitMixFrom: 77)
        for share in [0, 1, 3, 10] {  // none, a tenth, ..., all removed
            let remove = (0..<table.rowCount).map { _ in Int(rng.next() % 10) < share }
            var inPlace = table
            inPlace.removeRows(remove)
            let kept = remove.indices.filter { !remove[$0] }
            XCTAssertEqual(inPlace.rowCount, kept.count, "share \(share)")
            XCTAssertEqual(inPlace.lines, kept.map { table.lines[$0] }, "share \(share)")
            XCTAssertEqual(inPlace.integerColumns, table.integerColumns.map { c in kept.map { c[$0] } }, "share \(share)")
            XCTAssertEqual(inPlace.numberColumns, table.numberColumns.map { c in kept.map { c[$0] } }, "share \(share)")
            XCTAssertEqual(inPlace.textColumns.map(\.values), table.textColumns.map { c in kept.map { c[$0] } }, "share \(share)")
            XCTAssertEqual(inPlace.regionColumns, table.regionColumns.map { c in kept.map { c[$0] } }, "share \(share)")
        }
        _ = dir
    }

    func testCutsNeverFallInsideQuotedLineBreaks() throws {
        let (dir, path) = makeFile(rows: 3_000, quotedNewlines: true)
        for parts in [2, 5] { try assertSameAsSerial(path, parts: parts) }
        _ = dir
    }
}
