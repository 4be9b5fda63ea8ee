import Foundation
import XCTest
@testable import TepatReporting
import TepatData
import TepatScenario

/// Values into files: the atomic run directory, the CSV dialects, the JSON of
/// summary.json and timings.json, and the report's number formats and escaping.
final class RunDirectoryTests: XCTestCase {
    func scratch() -> String { NSTemporaryDirectory() + "tepat-reporting-\(UUID().uuidString)" }

    /// Nothing appears under the run's name before `commit`; a commit replaces
    /// an earlier run whole and says so; no staging folder is left behind.
    func testFilesAppearOnlyAtCommitAndReplaceTheEarlierRun() throws {
        let path = scratch()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try RunDirectory(path: path)
        try first.write("a.txt", "first")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        XCTAssertFalse(try first.commit())
        XCTAssertEqual(try String(contentsOfFile: path + "/a.txt", encoding: .utf8), "first")

        let second = try RunDirectory(path: path)
        try second.write("b.txt", "second")
        XCTAssertEqual(try String(contentsOfFile: path + "/a.txt", encoding: .utf8), "first", "the earlier run stays until the commit")
        XCTAssertTrue(try second.commit())
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: path), ["b.txt"])
        let parent = (path as NSString).deletingLastPathComponent, name = (path as NSString).lastPathComponent
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: parent).contains { $0.hasPrefix(".\(name).partial") })
    }

    /// A staging folder a killed run left is removed by the next run of the same name.
    func testAbandonedStagingIsRemoved() throws {
        let path = scratch()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let parent = (path as NSString).deletingLastPathComponent, name = (path as NSString).lastPathComponent
        let abandoned = (parent as NSString).appendingPathComponent(".\(name).partial-999999")
        try FileManager.default.createDirectory(atPath: abandoned, withIntermediateDirectories: true)
        _ = try RunDirectory(path: path)
        XCTAssertFalse(FileManager.default.fileExists(atPath: abandoned))
    }
}

final class OutputFormatTests: XCTestCase {
    /// The Indonesian Excel dialect: `;` between fields and `,` as decimal mark.
    func testExcelDialectUsesSemicolonsAndDecimalCommas() throws {
        let path = NSTemporaryDirectory() + "tepat-dialect-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let w = try CSVDialect.excelID.writer(path: path, header: ["kode_desa", "p0"])
        w.text("35.14.01.2001")
        w.number(0.125, decimals: 3)
        try w.endRow()
        try w.close()
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "kode_desa;p0\n35.14.01.2001;0,125\n")
    }

    func testTimingsCarryTheMachineGiven() throws {
        let json = RunSummary.timings([("read", 0.25134)], total: 1.5, machine: .init(cores: 2, blas: "OpenBLAS x", blasCore: "Haswell", blasThreads: 1))
        let text = json.text()
        for fragment in ["\"read\": 0.2513", "\"total\": 1.5", "\"cores\": 2", "\"blas\": \"OpenBLAS x\"", "\"blas_core\": \"Haswell\"", "\"blas_threads\": 1"] {
            XCTAssertTrue(text.contains(fragment), "\(fragment) in \(text)")
        }
    }

    /// 1.234.567 and 12,3% in Indonesian; 1,234,567 and 12.3% in English.
    func testReportNumbersFollowTheLanguage() {
        let id = ReportText(language: .indonesian), en = ReportText(language: .english)
        XCTAssertEqual(id.whole(1_234_567), "1.234.567")
        XCTAssertEqual(en.whole(1_234_567), "1,234,567")
        XCTAssertEqual(id.percent(0.1234), "12,3%")
        XCTAssertEqual(en.percent(0.1234), "12.3%")
        XCTAssertEqual(id.rupiah(2_500_000_000), "Rp 2,50 M")
        XCTAssertEqual(en.rupiah(350_000_000), "Rp 350 m")
        XCTAssertEqual(id.pillar("housing"), "perumahan")
    }

    /// Names from the input files reach the page as text, never as markup.
    func testPageTextIsEscaped() {
        XCTAssertEqual(SVG.escape("Desa <b>\"A&B\"</b>"), "Desa &lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;")
    }
}
