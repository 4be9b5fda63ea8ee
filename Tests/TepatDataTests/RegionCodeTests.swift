import XCTest
@testable import TepatData

final class RegionCodeTests: XCTestCase {
    func testDottedAndPlainFormsAreTheSame() {
        let dotted = RegionCode("35.14.01.2001")
        XCTAssertNotNil(dotted)
        XCTAssertEqual(dotted, RegionCode("3514012001"))
        XCTAssertEqual(dotted?.description, "35.14.01.2001")
        XCTAssertEqual(dotted?.kecamatan.description, "35.14.01")
        XCTAssertEqual(dotted?.kabupaten.description, "35.14")
        XCTAssertEqual(RegionCode("351401")?.level, .kecamatan)
        XCTAssertEqual(RegionCode("35.14")?.level, .kabupaten)
        XCTAssertTrue(RegionCode("35.14")!.contains(dotted!))
        XCTAssertFalse(RegionCode("33.18")!.contains(dotted!))
    }

    func testVillageKinds() {
        XCTAssertTrue(RegionCode("33.75.01.1001")!.isKelurahan)
        XCTAssertFalse(RegionCode("35.14.01.2001")!.isKelurahan)
        XCTAssertNotNil(RegionCode("91.03.01.3007"), "desa adat of Kab. Jayapura")
        XCTAssertNil(RegionCode("35.14.01.4001"), "no village kind 4")
        XCTAssertNil(RegionCode("35.14.01.2000"), "zero village number")
    }

    func testMalformedCodes() {
        for bad in ["35.14.1.2001", "3514.01.2001", "35.14.01.2001.", "35-14-01-2001", "351401200", "35140120011",
                    "00.14.01.2001", "35.00.01.2001", "35.14.00.2001", "", "abc"] {
            XCTAssertNil(RegionCode(bad), bad)
        }
    }

    func testExplanations() {
        func explain(_ s: String, _ level: RegionCode.Level = .village) -> String {
            var b = Array(s.utf8)
            return b.withUnsafeMutableBufferPointer { RegionCode.explainInvalid(UnsafeBufferPointer($0), wanted: level) }
        }
        XCTAssertEqual(explain("35.14.01"), "expected a desa/kelurahan code (35.14.01.2001 or 3514012001), got a kecamatan code")
        XCTAssertEqual(explain("3514015001"), "the desa/kelurahan part must start with 1 (kelurahan), 2 (desa) or 3 (desa adat)")
        XCTAssertEqual(explain("35.14.x"), "expected a desa/kelurahan code like 35.14.01.2001 or 3514012001 (province 11–99, no zero parts)")
    }

    /// Every one of the 83,762 real Kemendagri codes parses, keeps its dotted
    /// form, and agrees with its kecamatan and kabupaten columns.
    func testAllRealCodesParse() throws {
        guard let shared = sharedDataDirectory() else {
            throw XCTSkip("../shared/data not found beside the repository; CI always has it")
        }
        let text = try String(contentsOfFile: shared + "/wilayah_desa.csv", encoding: .utf8)
        var count = 0
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            let code = try XCTUnwrap(RegionCode(String(fields[0])), String(fields[0]))
            XCTAssertEqual(code.description, String(fields[0]))
            count += 1
        }
        XCTAssertEqual(count, 83_762)
    }
}
