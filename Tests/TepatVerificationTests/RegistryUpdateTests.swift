import Foundation
import TepatData
import TestWorkbooks
import XCTest
@testable import TepatVerification

/// `tepat verify apply` and `tepat compare-data` on a hand-made registry of
/// five households.
final class RegistryUpdateTests: XCTestCase {
    var root = ""

    override func setUp() {
        root = NSTemporaryDirectory() + "tepat-verify-apply-\(getpid())-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: root + "/data", withIntermediateDirectories: true)
        write("data/households.csv", """
            household_id,kode_desa,members,desil
            H1,35.14.01.2001,4,7
            H2,35.14.01.2001,3,2
            H3,35.14.01.2002,5,6
            H4,35.14.01.2002,2,3
            H5,35.14.01.2002,6,9

            """)
        write("data/truth.csv", "household_id,consumption_pc\nH1,400000\nH2,900000\nH3,350000\nH4,800000\nH5,1200000\n")
        write("data/villages.csv", "kode_desa,nama_desa,nama_kecamatan,nama_kabkota\n35.14.01.2001,Satu,Tutur,Pasuruan\n35.14.01.2002,Dua,Tutur,Pasuruan\n")
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: root) }

    func write(_ name: String, _ text: String) {
        try! text.write(toFile: root + "/" + name, atomically: true, encoding: .utf8)
    }

    static let formHeader = "household_id,desil_model,layak,tidak_layak,pindah,meninggal,tidak_ditemukan,catatan"

    func apply(_ form: String) throws -> RegistryUpdate.Summary {
        write("form.csv", Self.formHeader + "\n" + form)
        return try RegistryUpdate.apply(dataDirectory: root + "/data", formPath: root + "/form.csv", output: root + "/new")
    }

    /// The messages of a form that fails, and that nothing was written.
    func problems(_ form: String, header: String = formHeader) -> [String] {
        write("form.csv", header + "\n" + form)
        do {
            _ = try RegistryUpdate.apply(dataDirectory: root + "/data", formPath: root + "/form.csv", output: root + "/new")
            XCTFail("the form was accepted")
            return []
        } catch let error as DataErrors {
            XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/new"), "something was written")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.hasPrefix(".") }, [])
            return error.log.problems.map(\.description)
        } catch {
            XCTFail("\(error)")
            return []
        }
    }

    func testDecisionsChangeTheRegistryAndSayWhy() throws {
        let summary = try apply("""
            H1,2,x,,,,,sudah dicek
            H2,8,,x,,,,
            H3,1,,,,x,,
            H4,3,,,,,,
            H5,9,,✓,,,,

            """)
        XCTAssertEqual(summary.removed, 1)
        XCTAssertEqual(summary.undecided, 1)
        XCTAssertEqual(summary.intoDesil1to4, 1)
        XCTAssertEqual(summary.outOfDesil1to4, 1)
        XCTAssertEqual(try String(contentsOfFile: root + "/new/households.csv", encoding: .utf8), """
            household_id,kode_desa,members,desil,verifikasi
            H1,35.14.01.2001,4,2,layak
            H2,35.14.01.2001,3,8,tidak_layak
            H4,35.14.01.2002,2,3,
            H5,35.14.01.2002,6,9,tidak_layak

            """)
        XCTAssertFalse(try String(contentsOfFile: root + "/new/truth.csv", encoding: .utf8).contains("H3"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: root + "/new/villages.csv"))
        XCTAssertEqual(try String(contentsOfFile: root + "/new/usulan_perubahan.csv", encoding: .utf8), """
            household_id,kode_desa,keputusan,usulan,desil_lama,desil_baru,alasan,catatan,baris_formulir
            H1,35.14.01.2001,layak,masuk_desil_1_4,7,2,"musyawarah desa: layak, model desil 2",sudah dicek,2
            H2,35.14.01.2001,tidak_layak,keluar_desil_1_4,2,8,"musyawarah desa: tidak layak, model desil 8",,3
            H3,35.14.01.2002,meninggal,hapus,6,,musyawarah desa: meninggal,,4
            H5,35.14.01.2002,tidak_layak,tetap,9,9,"musyawarah desa: tidak layak, model desil 9",,6

            """)
        let audit = try String(contentsOfFile: root + "/new/verification_audit.txt", encoding: .utf8)
        XCTAssertTrue(audit.contains("form.csv:4 H3 meninggal → removed (meninggal)"))
        XCTAssertTrue(audit.contains("form.csv:5 H4 - → undecided: unchanged"))
        XCTAssertTrue(audit.contains("sha256 "))
    }

    func testEveryProblemOfAFormIsNamedByLine() {
        XCTAssertEqual(problems("""
            H9,2,x,,,,,
            H1,2,x,,x,,,
            H2,2,ok,,,,,
            H4,3,x,,,,,
            H4,3,x,,,,,
            ,3,x,,,,,

            """), [
            "form.csv:2:1: household_id = \"H9\": no such household in households.csv",
            "form.csv:3: household_id = \"H1\": 2 decisions ticked (layak, pindah): tick one",
            "form.csv:4:3: layak = \"ok\": not a tick: mark the decision with x (or leave it empty)",
            "form.csv:6:1: household_id = \"H4\": already on line 5: one row per household",
            "form.csv:7:1: household_id: empty: every row needs the household's id",
        ])
    }

    func testSingleDecisionColumnSuggestsTheNearestDecision() {
        XCTAssertEqual(problems("H1,tidak layak\nH2,meningal\n", header: "household_id,keputusan"), [
            "form.csv:3:2: keputusan = \"meningal\": not a decision; did you mean 'meninggal'?",
        ])
    }

    func testFormWithoutItsColumnsIsRefused() {
        XCTAssertEqual(problems("H1,x\n", header: "id,layak"),
                       ["form.csv:1: no household_id column; expected the header of verification_form.csv"])
        XCTAssertEqual(problems("H1,x\n", header: "household_id,ok"), [
            "form.csv:1: no decision columns: expected layak, tidak_layak, pindah, meninggal, tidak_ditemukan (tick one per row) or a keputusan column",
        ])
    }

    func testExistingTargetIsRefusedAndLeftAlone() throws {
        try FileManager.default.createDirectory(atPath: root + "/new", withIntermediateDirectories: true)
        write("form.csv", Self.formHeader + "\nH1,2,x,,,,,\n")
        XCTAssertThrowsError(try RegistryUpdate.apply(dataDirectory: root + "/data", formPath: root + "/form.csv", output: root + "/new")) {
            XCTAssertTrue("\($0)".contains("already exists"))
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root + "/new"), [])
    }

    func testCompareDataCountsPerVillageAndResolvedListEntries() throws {
        _ = try apply("H1,2,x,,,,,\nH2,8,,x,,,,\nH3,1,,,,x,,\n")
        write("new/households.csv", (try String(contentsOfFile: root + "/new/households.csv", encoding: .utf8)) + "H6,3514012002,3,1,\n")
        write("list.csv", """
            household_id,kode_desa,nama_desa,reason
            H1,35.14.01.2001,Satu,likely_excluded
            H3,35.14.01.2002,Dua,likely_excluded
            H4,35.14.01.2002,Dua,likely_included

            """)
        let c = try ReleaseComparison.compare(old: root + "/data", new: root + "/new", verificationList: root + "/list.csv")
        XCTAssertEqual(c.villages.map(\.code), ["35.14.01.2001", "35.14.01.2002"])
        let one = c.villages[0], two = c.villages[1]
        XCTAssertEqual([one.before, one.after, one.entered, one.left, one.desilChanged, one.intoDesil1to4, one.outOfDesil1to4], [2, 2, 0, 0, 2, 1, 1])
        XCTAssertEqual([two.before, two.after, two.entered, two.left, two.desilChanged], [3, 3, 1, 1, 0])
        XCTAssertEqual([one.listed, one.resolved, two.listed, two.resolved, two.listedLeft], [1, 1, 2, 0, 1])
        XCTAssertEqual(two.name, "Dua")
        XCTAssertEqual(c.total.entered, 1)
    }

    /// A DATA_DIR of workbooks updates and compares as its CSVs do: NEW_DIR holds
    /// households.csv and truth.csv, never the workbooks they replace.
    func testWorkbookDataDirectoriesUpdateAndCompareAsTheirCSVs() throws {
        try WorkbookTwin.make(from: root + "/data", to: root + "/book")
        write("form.csv", Self.formHeader + "\nH1,2,x,,,,,\nH2,8,,x,,,,\nH3,1,,,,x,,\n")
        let fromCSV = try RegistryUpdate.apply(dataDirectory: root + "/data", formPath: root + "/form.csv", output: root + "/new")
        let fromBook = try RegistryUpdate.apply(dataDirectory: root + "/book", formPath: root + "/form.csv", output: root + "/new-book")
        XCTAssertEqual(fromBook, fromCSV)
        for name in ["households.csv", "truth.csv", "usulan_perubahan.csv"] {
            XCTAssertEqual(try String(contentsOfFile: root + "/new-book/" + name, encoding: .utf8),
                           try String(contentsOfFile: root + "/new/" + name, encoding: .utf8), name)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root + "/new-book").sorted(),
                       ["households.csv", "truth.csv", "usulan_perubahan.csv", "verification_audit.txt", "villages.xlsx"])
        XCTAssertTrue(try String(contentsOfFile: root + "/new-book/verification_audit.txt", encoding: .utf8).contains("book/households.xlsx sha256 "))
        let csv = try ReleaseComparison.compare(old: root + "/data", new: root + "/new", verificationList: nil)
        let book = try ReleaseComparison.compare(old: root + "/book", new: root + "/new-book", verificationList: nil)
        XCTAssertEqual(book.villages.map(\.name), ["Satu", "Dua"])
        XCTAssertEqual(book.villages.map { [$0.before, $0.after, $0.left, $0.desilChanged] }, csv.villages.map { [$0.before, $0.after, $0.left, $0.desilChanged] })
    }

    func testAWorkbooksRepeatedHouseholdIsNamedBySheetAndCell() throws {
        write("data/households.csv", "household_id,kode_desa,members,desil\nH1,35.14.01.2001,4,7\nH1,35.14.01.2001,3,2\n")
        try WorkbookTwin.make(from: root + "/data", to: root + "/book")
        XCTAssertThrowsError(try ReleaseComparison.compare(old: root + "/book", new: root + "/data", verificationList: nil)) {
            XCTAssertEqual(($0 as? DataErrors)?.log.problems.map(\.description),
                           ["households.xlsx:Sheet1!A3: household_id = \"H1\": appears more than once"])
        }
    }
}
