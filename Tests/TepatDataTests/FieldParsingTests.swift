import XCTest
@testable import TepatData

final class FieldParsingTests: XCTestCase {
    func parse(_ text: String) -> Double? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { FieldParsing.number(UnsafeBufferPointer($0)) }
    }

    func testNumbersAcceptedAndRejected() {
        XCTAssertEqual(parse("12"), 12)
        XCTAssertEqual(parse("-0.5"), -0.5)
        XCTAssertEqual(parse("1e3"), 1000)
        XCTAssertEqual(parse("2.5E-2"), 0.025)
        XCTAssertNil(parse("1.234,5"), "comma decimal mark")
        XCTAssertNil(parse("1,5"))
        XCTAssertNil(parse("1e309"), "overflows to infinity")
        XCTAssertNil(parse("NaN"))
        XCTAssertNil(parse("inf"))
        XCTAssertNil(parse("0x10"))
        XCTAssertNil(parse("."))
        XCTAssertNil(parse("1e"))
    }

    /// The fast path must give exactly what strtod (correctly rounded) gives.
    func testFastPathMatchesCorrectRounding() {
        var state: UInt64 = 12345
        for _ in 0..<20_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let mantissa = state >> 20 % 1_000_000_000_000
            let decimals = Int(state % 9)
            var text = String(mantissa)
            if decimals > 0 && decimals < text.count {
                text.insert(".", at: text.index(text.endIndex, offsetBy: -decimals))
            }
            XCTAssertEqual(parse(text), strtod(text, nil), text)
        }
    }

    func testIntegers() {
        func int(_ text: String) -> Int? {
            var bytes = Array(text.utf8)
            return bytes.withUnsafeMutableBufferPointer { FieldParsing.integer(UnsafeBufferPointer($0)) }
        }
        XCTAssertEqual(int("42"), 42)
        XCTAssertEqual(int("-3"), -3)
        XCTAssertNil(int("3.0"))
        XCTAssertNil(int(""))
        XCTAssertNil(int("-"))
        XCTAssertNil(int("12345678901234567890"))
    }

    func testDisplayValueMasksAndEscapes() {
        XCTAssertEqual(DisplayValue.make("3514012802820001", personal: true), "351401**********")
        XCTAssertEqual(DisplayValue.make("a\u{0}b"), "a\\x00b")
        XCTAssertEqual(DisplayValue.make(String(repeating: "x", count: 100)), String(repeating: "x", count: 60) + "…(100 bytes)")
        var latin1: [UInt8] = [0x43, 0x61, 0x66, 0xE9]  // "Café" in Latin-1
        let shown = latin1.withUnsafeMutableBufferPointer { DisplayValue.make(UnsafeBufferPointer($0)) }
        XCTAssertEqual(shown, "Caf\\xE9")
    }
}

final class CSVWriterGuardTests: XCTestCase {
    /// A NaN that slips past every check fails the row, naming the column, and
    /// the file is never moved into place.
    func testNonFiniteNumberFailsTheRowAndWritesNothing() throws {
        let path = NSTemporaryDirectory() + "tepat-writer-nan-\(getpid()).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let writer = try CSVWriter(path: path, header: ["kode_desa", "p0"])
            writer.text("35.14.01.2001"); writer.number(0.25); try writer.endRow()
            writer.text("35.14.01.2002"); writer.number(.nan)
            XCTAssertThrowsError(try writer.endRow()) { error in
                XCTAssertEqual(String(describing: error),
                               "\((path as NSString).lastPathComponent): internal error: p0 of data row 2 is not a finite number; nothing was written (please report this with the inputs)")
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".partial"))
    }
}

final class TokenTableTests: XCTestCase {
    /// Token matching (one-byte table, packed words, and the long path) against
    /// a plain case-insensitive comparison, on tokens of 1 to 20 bytes, fields
    /// in either case, and near misses (one byte changed, cut, or extended).
    func testTokenMatchAgreesWithPlainComparison() {
        let tokens = ["0", "1", "y", "N", "own", "rent", "pln_meter", "pln_non_meter", "wood_high", "lpg_3kg",
                      "exactly16bytes__", "seventeen_bytes__", "a_token_of_twenty___", "own"]
        let table = TokenTable(tokens.enumerated().map { (Array($1.utf8), Int32($0 * 10)) })
        func reference(_ field: String) -> Int {
            tokens.firstIndex { $0.lowercased() == field.lowercased() } ?? -1
        }
        var fields: [String] = ["", "Y", "n", "2", "OWN", "Own", "owner", "ow", "PLN_METER", "pln_meteR", "pln_meters",
                                "EXACTLY16BYTES__", "exactly16bytes_", "Seventeen_Bytes__", "seventeen_bytes_x", "A_TOKEN_OF_TWENTY___"]
        for token in tokens { fields += [token, token.uppercased(), String(token.dropLast()), token + "x", "x" + token.dropFirst()] }
        for field in fields {
            let k = Array(field.utf8).withUnsafeBufferPointer { table.match($0) }
            XCTAssertEqual(k, reference(field), "field \"\(field)\"")
            if k >= 0 { XCTAssertEqual(table.values[k], Int32(k * 10)) }
        }
    }
}
