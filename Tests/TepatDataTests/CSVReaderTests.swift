import XCTest
@testable import TepatData

final class CSVReaderTests: XCTestCase {
    /// All records as strings, plus structural errors, read with a given chunk size.
    func records(_ text: String, chunk: Int = 1 << 20) throws -> (header: [String], rows: [[String]], lines: [Int], errors: [String], delimiter: UInt8) {
        let dir = ScratchDirectory()
        let path = dir.write("f.csv", text)
        let reader = try CSVReader(path: path, displayName: "f.csv", chunkBytes: chunk)
        var batch = CSVBatch()
        var rows: [[String]] = [], lines: [Int] = [], errors: [String] = []
        while try reader.nextBatch(maxRows: 3, into: &batch) {
            for r in 0..<batch.rowCount {
                rows.append((0..<batch.fieldCount(row: r)).map { String(decoding: batch.field(row: r, column: $0), as: UTF8.self) })
                lines.append(batch.line(row: r))
            }
            errors += batch.rowErrors.map { "\(batch.line(row: $0.row)):\($0.columnNumber): \($0.message)" }
        }
        return (reader.header, rows, lines, errors, reader.delimiter)
    }

    func testQuotesEscapesAndLineBreaksInsideQuotes() throws {
        let text = "a,b,c\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",z\n3,,\n"
        for chunk in [16, 17, 23, 64, 1 << 20] {  // record boundaries land everywhere
            let r = try records(text, chunk: chunk)
            XCTAssertEqual(r.header, ["a", "b", "c"])
            XCTAssertEqual(r.rows, [["1", "x, y", "say \"hi\""], ["2", "two\nlines", "z"], ["3", "", ""]], "chunk \(chunk)")
            XCTAssertEqual(r.lines, [2, 3, 5], "line numbers count breaks inside quotes; chunk \(chunk)")
            XCTAssertEqual(r.errors, [])
        }
    }

    func testBOMAndCRLFAndSemicolonDetection() throws {
        let text = "\u{FEFF}kode;nama\r\n35.14;\"Pasuruan; Kab.\"\r\n33.18;Pati\r\n"
        let r = try records(text)
        XCTAssertEqual(r.delimiter, UInt8(ascii: ";"))
        XCTAssertEqual(r.header, ["kode", "nama"], "the byte-order mark is not part of the first name")
        XCTAssertEqual(r.rows, [["35.14", "Pasuruan; Kab."], ["33.18", "Pati"]])
    }

    func testCarriageReturnOnlyAndBlankLinesAndNoFinalNewline() throws {
        let r = try records("a,b\r1,2\r\r\n3,4\n\n5,6")
        XCTAssertEqual(r.rows, [["1", "2"], ["3", "4"], ["5", "6"]])
        XCTAssertEqual(r.lines, [2, 4, 6])
    }

    func testQuoteNeverClosedIsReportedAtItsLine() throws {
        let r = try records("a,b\n1,2\n3,\"open\n4,5\n")
        XCTAssertEqual(r.rows.count, 2)
        XCTAssertEqual(r.errors, ["3:2: a quote opened here (line 3) is never closed"])
    }

    func testTextAfterClosingQuoteIsReportedAndReadingResumes() throws {
        let r = try records("a,b\n\"x\"y,2\n3,4\n")
        XCTAssertEqual(r.errors, ["2:1: unexpected \"y\" after a closing quote; quotes inside a quoted field must be doubled (\"\")"])
        XCTAssertEqual(r.rows.last, ["3", "4"])
    }

    func testEmptyFileAndUTF16AreClearErrors() {
        let dir = ScratchDirectory()
        XCTAssertThrowsError(try CSVReader(path: dir.write("e.csv", ""), displayName: "e.csv")) {
            XCTAssertEqual("\($0)", "e.csv: the file is empty; expected a header row")
        }
        let utf16: [UInt8] = [0xFF, 0xFE] + Array("a,b\n".utf16).flatMap { unit -> [UInt8] in [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        XCTAssertThrowsError(try CSVReader(path: dir.write("u.csv", bytes: utf16), displayName: "u.csv")) {
            XCTAssertEqual("\($0)", "u.csv: the file is UTF-16 encoded; save it as \"CSV UTF-8\"")
        }
        XCTAssertThrowsError(try CSVReader(path: dir.path + "/absent.csv", displayName: "absent.csv")) {
            XCTAssertEqual("\($0)", "absent.csv: cannot open file: No such file or directory")
        }
    }

    func testManyRowsAcrossChunksKeepEveryRecord() throws {
        var text = "id,v\n"
        for i in 0..<5000 { text += "\(i),\"v\(i)\"\"\"\n" }
        let r = try records(text, chunk: 97)
        XCTAssertEqual(r.rows.count, 5000)
        XCTAssertEqual(r.rows[4321], ["4321", "v4321\""])
        XCTAssertEqual(r.lines[4321], 4323)
    }

    func testWriterRoundTripsThroughReader() throws {
        let dir = ScratchDirectory()
        let path = dir.path + "/w.csv"
        let writer = try CSVWriter(path: path, header: ["name", "x", "y"])
        writer.text("Dinas \"A\", Kab."); writer.number(0.1 + 0.2, decimals: 6); writer.fixed(-6.9671789, decimals: 6)
        try writer.endRow()
        writer.text("line\nbreak"); writer.number(-12, decimals: 6); writer.number(1234567.125, decimals: 2)
        try writer.endRow()
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "nothing at the final path before close")
        try writer.close()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(text, "name,x,y\n\"Dinas \"\"A\"\", Kab.\",0.3,-6.967179\n\"line\nbreak\",-12,1234567.13\n")
        let r = try records(text)
        XCTAssertEqual(r.rows, [["Dinas \"A\", Kab.", "0.3", "-6.967179"], ["line\nbreak", "-12", "1234567.13"]])
    }

    /// Fractions with leading zeros and long fractions come out digit for
    /// digit (the digits are built on the stack).
    func testWriterWritesLongFractionsDigitForDigit() throws {
        let dir = ScratchDirectory()
        let path = dir.path + "/n.csv"
        let writer = try CSVWriter(path: path, header: ["a", "b", "c", "d"])
        writer.number(0.000123456789012, decimals: 15); writer.fixed(2.5, decimals: 12); writer.number(-0.05, decimals: 3); writer.fixed(0.1, decimals: 15)
        try writer.endRow()
        try writer.close()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(text, "a,b,c,d\n0.000123456789012,2.500000000000,-0.05,0.100000000000000\n")
    }
}
