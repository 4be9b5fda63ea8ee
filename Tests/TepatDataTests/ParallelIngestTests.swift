import XCTest
@testable import TepatData

/// Reading a file in parts on several cores must give exactly what one serial
/// pass gives: the same rows in the same order, the same problems.
final class ParallelIngestTests: XCTestCase {
    func makeFile(rows: Int, duplicateAt: Int? = nil, badAt: Int? = nil, quotedNewlines: Bool = false) -> (ScratchDirectory, String) {
        var lines: [[String: String]] = []
        for i in 0..<rows {
            var row = householdRow(i == duplicateAt ? "H00001" : "H\(String(i).leftPadded(to: 5))")
            if i == badAt { row["toilet"] = "golden" }
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

    func testCutsNeverFallInsideQuotedLineBreaks() throws {
        let (dir, path) = makeFile(rows: 3_000, quotedNewlines: true)
        for parts in [2, 5] { try assertSameAsSerial(path, parts: parts) }
        _ = dir
    }
}
