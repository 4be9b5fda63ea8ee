import Foundation
import Spreadsheet
import TepatData
import TepatGenerator
import TepatPipeline
import TestWorkbooks
import XCTest

final class WorkbookInputTests: XCTestCase {
    var scratch: String!

    override func setUpWithError() throws {
        scratch = NSTemporaryDirectory() + "tepat-workbook-inputs-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: scratch) }

    /// The files of a run that depend on the data, not on where it was read
    /// from (summary.json names the input paths, so it is compared without them).
    static let compared = ["rankings.csv", "households_scored.csv", "pmt_coefficients.csv", "assignment.csv", "allocation.csv",
                           "beneficiaries.csv", "villages_after.csv", "funders_summary.csv", "verification.csv", "verification_form.csv"]

    func assertTwinGivesTheSameRun(_ data: String, bootstrap: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let twin = scratch + "/twin"
        try WorkbookTwin.make(from: data, to: twin)
        XCTAssertTrue(try FileManager.default.contentsOfDirectory(atPath: twin).allSatisfy { !$0.hasSuffix(".csv") })
        var runs: [String] = []
        for (name, input) in [("csv", data), ("xlsx", twin)] {
            var run = PlanRun(dataDirectory: input, outputDirectory: scratch + "/run-" + name)
            run.options.bootstrap = bootstrap
            _ = try run.execute()
            runs.append(scratch + "/run-" + name)
        }
        for name in Self.compared where FileManager.default.fileExists(atPath: runs[0] + "/" + name) {
            let a = try Data(contentsOf: URL(fileURLWithPath: runs[0] + "/" + name))
            let b = try Data(contentsOf: URL(fileURLWithPath: runs[1] + "/" + name))
            XCTAssertEqual(a, b, "\(name) differs between the CSV and the workbook inputs", file: file, line: line)
        }
        let summary = try String(contentsOfFile: runs[1] + "/summary.json", encoding: .utf8)
        XCTAssertTrue(summary.contains("twin/households.xlsx"), "summary.json names the workbook read", file: file, line: line)
    }

    func testTheDemosWorkbookTwinGivesByteIdenticalFiles() throws {
        try assertTwinGivesTheSameRun(BoundariesTests.demo, bootstrap: 20)
    }

    func testAGeneratedKabupatensWorkbookTwinGivesByteIdenticalFiles() throws {
        let data = scratch + "/generated"
        var options = GeneratorOptions()
        options.households = 3_000
        options.villages = 30
        options.seed = 11
        _ = try KabupatenGenerator(options: options).write(to: data)
        try assertTwinGivesTheSameRun(data, bootstrap: 10)
    }

    /// A problem deep in a workbook with a title row and rows left empty
    /// names its own cell.
    func testAProblemNamesItsCellPastTitlesAndEmptyRows() throws {
        let data = scratch + "/data"
        try FileManager.default.copyItem(atPath: BoundariesTests.demo, toPath: data)
        let (header, rows) = try CSVReader.records(path: data + "/households.csv")
        try FileManager.default.removeItem(atPath: data + "/households.csv")
        let book = try WorkbookWriter(path: data + "/households.xlsx", created: Date(timeIntervalSince1970: 0), temporaryDirectory: scratch)
        let sheet = try book.addSheet("Rumah Tangga", header: ["Data registri Kabupaten Pasuruan"], columns: header.map { _ in ColumnStyle(width: 10, format: .general) })
        sheet.endRow()                                      // row 2 empty, header in row 3
        for (j, name) in header.enumerated() { sheet.write(name, column: j) }
        sheet.endRow()
        let members = header.firstIndex(of: "members")!
        for (k, row) in rows.prefix(50).enumerated() {
            if k == 10 { sheet.endRow(); sheet.endRow() }   // two empty rows before the 11th household
            for (j, field) in row.enumerated() { sheet.write(k == 40 && j == members ? "tiga" : field, column: j) }
            sheet.endRow()
        }
        sheet.finish()
        try book.close()
        XCTAssertThrowsError(try DataDirectory.load(data)) { error in
            // Household 41 is on row 3 + 40 + 1 + 2 = 46; members is column D.
            XCTAssertEqual("\(error)", "households.xlsx:'Rumah Tangga'!D46: members = \"tiga\": expected a whole number from 1 to 60")
        }
    }

    func testACSVAndAWorkbookOfTheSameFileAreAProblem() throws {
        let data = scratch + "/data"
        try FileManager.default.copyItem(atPath: BoundariesTests.demo, toPath: data)
        try WorkbookTwin.make(from: data, to: scratch + "/twin")
        try FileManager.default.copyItem(atPath: scratch + "/twin/opds.xlsx", toPath: data + "/opds.xlsx")
        XCTAssertThrowsError(try DataDirectory.load(data)) { error in
            XCTAssertEqual("\(error)", "opds.csv: opds.xlsx is in DATA_DIR too; keep one of the two (the CSV is read)")
        }
    }
}
