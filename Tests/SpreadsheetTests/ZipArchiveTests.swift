import Foundation
import XCTest
@testable import Spreadsheet

/// Damaged archives end with a message, never a hang or a read past the
/// file: the reader checks every size and offset, and the CRC.
final class ZipArchiveTests: XCTestCase {
    var path: String!

    override func setUpWithError() throws {
        path = NSTemporaryDirectory() + "zip-archive-\(UUID().uuidString).xlsx"
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: path) }

    func book() throws -> [UInt8] {
        try PackageBuilder.sheet(#"<row r="1"><c r="A1" t="inlineStr"><is><t>household_id</t></is></c></row>"#).write(to: path)
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Where the directory record of `name` starts (its name follows 46 bytes in).
    func record(of name: String, in bytes: [UInt8]) -> Int {
        let directory = Int(bytes.u32(bytes.count - 22 + 16)), needle = Array(name.utf8)
        let at = (directory..<(bytes.count - needle.count)).first { Array(bytes[$0..<($0 + needle.count)]) == needle }!
        return at - 46
    }

    func failure(_ bytes: [UInt8]) throws -> String {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do {
            _ = try SheetReader(path: path).forEachRow { _ in true }
            return "read"
        } catch {
            return "\(error)"
        }
    }

    func testEveryPartReadsBackAsWritten() throws {
        _ = try book()
        let archive = try ZipArchive(path: path)
        XCTAssertEqual(archive.names.count, 6)
        XCTAssertTrue(String(decoding: try archive.read("xl/workbook.xml"), as: UTF8.self).contains("<sheet name=\"Data\""))
    }

    /// A flipped bit inside a deflated part (what the fuzzer found hanging the
    /// zip library used before): the CRC, or zlib, says so.
    func testAFlippedBitIsAMessage() throws {
        var bytes = try book()
        let sheet = try ZipArchive(path: path).entries["xl/worksheets/sheet1.xml"]!
        bytes[sheet.localHeader + 30 + "xl/worksheets/sheet1.xml".utf8.count + sheet.compressedSize / 2] ^= 0x10
        let message = try failure(bytes)
        XCTAssertTrue(message.contains("the zip archive is damaged: xl/worksheets/sheet1.xml"), message)
    }

    func testSizesPastTheEndOfTheFileAreRefusedBeforeReading() throws {
        var bytes = try book()
        // The sheet's compressed size in the directory, made huge.
        let sheet = record(of: "xl/worksheets/sheet1.xml", in: bytes)
        for k in 0..<4 { bytes[sheet + 20 + k] = 0x7F }
        XCTAssertEqual(try failure(bytes), SpreadsheetError.notAWorkbook(reason: "the zip archive is damaged: xl/worksheets/sheet1.xml runs past the end of the file").description)
        XCTAssertNoThrow(try ZipArchive(path: path), "the directory itself is still readable")
    }

    func testAPartCutShortIsAMessage() throws {
        var bytes = try book()
        let directory = Int(bytes.u32(bytes.count - 22 + 16))
        // The directory's offset points into the middle of a part.
        for (k, b) in [UInt8(5), 0, 0, 0].enumerated() { bytes[bytes.count - 22 + 16 + k] = b }
        XCTAssertEqual(try failure(bytes), SpreadsheetError.notAWorkbook(reason: "the zip archive is damaged: its directory is cut short").description)
        XCTAssertGreaterThan(directory, 5)
    }

    func testAPasswordFlagIsNamed() throws {
        var bytes = try book()
        bytes[record(of: "xl/workbook.xml", in: bytes) + 8] |= 1
        XCTAssertEqual(try failure(bytes), SpreadsheetError.notAWorkbook(reason: "an old .xls or a password-protected workbook").description)
    }
}
