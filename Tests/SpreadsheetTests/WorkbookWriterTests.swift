import Foundation
import XCTest
@testable import Spreadsheet

final class WorkbookWriterTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "workbook-writer-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    let created = Date(timeIntervalSince1970: 1_700_000_000)

    func write(_ path: String, rows: [[Any]]) throws {
        let book = try WorkbookWriter(path: path, created: created, temporaryDirectory: directory)
        let styles = [ColumnStyle(width: 14, format: .text), ColumnStyle(width: 10, format: .percent), ColumnStyle(width: 12, format: .rupiah)]
        let sheet = try book.addSheet("rankings", header: ["kode_desa", "p0", "funds_rp"], columns: styles)
        for row in rows {
            for (j, value) in row.enumerated() {
                if let text = value as? String { sheet.write(text, column: j) } else if let x = value as? Double { sheet.write(x, column: j) }
            }
            sheet.endRow()
        }
        sheet.finish()
        try book.close()
    }

    func testWhatIsWrittenReadsBackCellForCell() throws {
        let path = directory + "/out.xlsx"
        let rows: [[Any]] = [["35.14.01.2001", 0.25, 1_500_000.0], ["0012", 0.125, 0.0], ["Desa \"Baru\" & <Lama>", 1.0, 3e9]]
        try write(path, rows: rows)
        var read: [[String]] = []
        let reader = try SheetReader(path: path)
        XCTAssertEqual(reader.sheetName, "rankings")
        try reader.forEachRow { row in read.append((0..<row.count).map { row.value($0) }); return true }
        XCTAssertEqual(read, [["kode_desa", "p0", "funds_rp"], ["35.14.01.2001", "0.25", "1500000"], ["0012", "0.125", "0"],
                              ["Desa \"Baru\" & <Lama>", "1", "3000000000"]])
    }

    func testTheSameCellsGiveTheSameBytesAnotherSecond() throws {
        let rows: [[Any]] = [["35.14.01.2001", 0.25, 1_500_000.0]]
        try write(directory + "/a.xlsx", rows: rows)
        Thread.sleep(forTimeInterval: 2.1)
        try write(directory + "/b.xlsx", rows: rows)
        let a = try Data(contentsOf: URL(fileURLWithPath: directory + "/a.xlsx"))
        let b = try Data(contentsOf: URL(fileURLWithPath: directory + "/b.xlsx"))
        XCTAssertEqual(a, b)
    }

    func testSheetNamesFollowExcelsRules() {
        XCTAssertEqual(WorkbookWriter.sheetName("a/b:c", avoiding: []), "abc")
        XCTAssertEqual(WorkbookWriter.sheetName(String(repeating: "x", count: 40), avoiding: []).count, 31)
        XCTAssertEqual(WorkbookWriter.sheetName("Data", avoiding: ["data"]), "Data (2)")
    }
}
