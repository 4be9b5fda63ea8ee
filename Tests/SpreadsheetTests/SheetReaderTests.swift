import Foundation
import XCTest
@testable import Spreadsheet

final class SheetReaderTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "sheet-reader-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    /// Every row of the first sheet as (row, [column: value]).
    func rows(_ package: PackageBuilder, limits: SheetReader.Limits = .init()) throws -> [(Int, [Int: String])] {
        let path = directory + "/book.xlsx"
        try package.write(to: path)
        return try rows(path: path, limits: limits)
    }

    func rows(path: String, limits: SheetReader.Limits = .init()) throws -> [(Int, [Int: String])] {
        let reader = try SheetReader(path: path, limits: limits)
        var found: [(Int, [Int: String])] = []
        try reader.forEachRow { row in
            var cells: [Int: String] = [:]
            for k in 0..<row.count { cells[row.column(k)] = row.value(k) }
            found.append((row.number, cells))
            return true
        }
        return found
    }

    /// The rows after `headerRow` as the CSV `writeCSV` makes.
    func csv(_ package: PackageBuilder, after headerRow: Int, width: Int) throws -> String {
        let path = directory + "/book.xlsx"
        try package.write(to: path)
        var bytes: [UInt8] = []
        try SheetReader(path: path).writeCSV(after: headerRow, width: width) { bytes += $0 }
        return String(decoding: bytes, as: UTF8.self)
    }

    func testRowsAfterTheHeaderAsCSVKeepTheirLineNumbers() throws {
        let data = """
            <row r="2"><c r="A2" t="inlineStr"><is><t>id</t></is></c><c r="B2" t="inlineStr"><is><t>name</t></is></c></row>\
            <row r="3"><c r="A3"><v>1</v></c><c r="B3" t="s"><v>0</v></c><c r="D3"><v>9</v></c></row>\
            <row r="4"><c r="A4" s="1"/></row>\
            <row r="6"><c r="B6" t="s"><v>1</v></c></row>\
            <row r="7"><c r="A7"><v>3.5140120010001E+15</v></c></row>
            """
        let text = try csv(.sheet(data, sharedStrings: ["a, \"b\"", "two\nlines"]), after: 2, width: 2)
        // Line 1 is the header (the caller's): row 3 is line 2, row 6 line 5.
        XCTAssertEqual(text, "1,\"a, \"\"b\"\"\"\n\n\n,\"two lines\"\n3514012001000100,\n",
                       "D3 is past the header; rows 4 and 5 are blank lines")
    }

    func testCellsOfEveryKindReadAsAPersonWouldWriteThem() throws {
        let data = """
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>nik</t></is></c></row>\
            <row r="3"><c r="A3"><v>12.5</v></c><c r="B3" t="b"><v>1</v></c>\
            <c r="C3"><v>3.5140120010001E+15</v></c><c r="D3" t="str"><f>A3*2</f><v>25</v></c>\
            <c r="E3" t="e"><v>#N/A</v></c><c r="F3" s="2"/><c r="G3" t="s"><v>1</v></c></row>\
            <row r="4" spans="1:3"/>
            """
        let found = try rows(.sheet(data, sharedStrings: ["kode &amp; desa", "Lekok"]))
        XCTAssertEqual(found.map(\.0), [1, 3], "rows without cells are not rows")
        XCTAssertEqual(found[0].1, [1: "kode & desa", 3: "nik"])
        XCTAssertEqual(found[1].1, [1: "12.5", 2: "TRUE", 3: "3514012001000100", 4: "25", 5: "#N/A", 7: "Lekok"],
                       "a formatted empty cell (F3) has no value")
    }

    func testRichTextRunsJoinAndPhoneticRunsAreLeftOut() throws {
        var b = PackageBuilder.sheet(#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#)
        b.add("xl/sharedStrings.xml", """
            <sst xmlns="x"><si><r><rPr><b/></rPr><t>Desa </t></r><r><t xml:space="preserve">Lekok</t></r>\
            <rPh sb="0" eb="1"><t>れ</t></rPh></si></sst>
            """)
        XCTAssertEqual(try rows(b)[0].1, [1: "Desa Lekok"])
    }

    func testCellsWithoutReferencesFollowOneAnotherAndPrefixedNamesAreRead() throws {
        var b = PackageBuilder.sheet("")
        b.add("xl/worksheets/sheet1.xml", """
            <x:worksheet xmlns:x="main"><x:sheetData><x:row><x:c><x:v>1</x:v></x:c><x:c><x:v>2</x:v></x:c></x:row>\
            <x:row><x:c r="C2"><x:v>3</x:v></x:c></x:row></x:sheetData></x:worksheet>
            """)
        let found = try rows(b)
        XCTAssertEqual(found.map(\.0), [1, 2])
        XCTAssertEqual(found[0].1, [1: "1", 2: "2"])
        XCTAssertEqual(found[1].1, [3: "3"])
    }

    func testTheFirstVisibleSheetIsRead() throws {
        var b = PackageBuilder.sheet(#"<row r="1"><c r="A1"><v>7</v></c></row>"#)
        b.add("xl/workbook.xml", """
            <workbook xmlns:r="r"><sheets><sheet name="Lama" state="hidden" r:id="rId9"/>\
            <sheet name="Rumah &amp; Tangga" r:id="rId1"/></sheets></workbook>
            """)
        let path = directory + "/book.xlsx"
        try b.write(to: path)
        XCTAssertEqual(try SheetReader(path: path).sheetName, "Rumah & Tangga")
    }

    /// The same rows whatever the size of the chunks the XML arrives in.
    func testTokensCutByTheEndOfABufferAreReadWhole() throws {
        let xml = Array(#"<?xml version="1.0"?><!-- c --><sheetData><row r="2"><c r="B2" t="inlineStr"><is><t><![CDATA[a<b]]>&amp;&#x41;</t></is></c></row></sheetData>"#.utf8)
        for chunk in [1, 2, 3, 7, 64] {
            var got: [String] = []
            var handler = SheetRowsHandler(part: "sheet", strings: SharedStrings()) { row in got.append(row.value(0)) }
            let scanner = XMLScanner(part: "sheet")
            var carry: [UInt8] = []
            var i = 0
            while i < xml.count {
                carry.append(contentsOf: xml[i..<min(xml.count, i + chunk)])
                i += chunk
                let used = try carry.withUnsafeBufferPointer { try scanner.scan($0, final: false, into: &handler) }
                carry.removeFirst(used)
            }
            _ = try carry.withUnsafeBufferPointer { try scanner.scan($0, final: true, into: &handler) }
            XCTAssertEqual(got, ["a<b&A"], "chunks of \(chunk) bytes")
        }
    }

    /// Cells read in one step read as the scanner reads them token by token,
    /// in every shape (those taken in one step and those left to the scanner)
    /// and whatever the chunks.
    func testCellsReadInOneStepReadAsTheirTokens() throws {
        let sheet = Array("""
            <sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="B1" t="inlineStr"><is><t>nilai</t></is></c>            <c r="C1" t="s"><v>0</v></c><c r="D1" t="inlineStr"><is><t xml:space="preserve"> x </t></is></c></row>            <row r="2"><c r="A2"><v>7</v></c><c r="B2" s="3" t="b"><v>1</v></c><c r="C2" t="s"><v>1</v></c>            <c r="D2"><v>3.5140120010001E+15</v></c><c r="E2"/><c r="F2" t="inlineStr"><is><t>a &amp; b</t></is></c></row>            <row r="3"><c r="B3" t="inlineStr"><is><t/></is></c><c r="C3"><f>A2*2</f><v>14</v></c>            <c r="D3"><v></v></c><c r="E3" t="str"><v>&lt;x&gt;</v></c><c><v>next</v></c>            <c r="H3" t="inlineStr"><is><r><t>ka</t></r><r><t>ta</t></r><rPh><t>x</t></rPh></is></c></row>            <row r="4"><x:c r="A4"><v>9</v></x:c><c r="B4" ><v>8</v></c ><col/><c r="C4"><v>1, 2</v></c></row></sheetData>
            """.utf8)
        let strings = Array("<sst><si><t>kode</t></si><si><t>dua\nbaris</t></si></sst>".utf8)
        func reading(chunk: Int, wholeCells: Bool) throws -> String {
            let read = try SheetReader.read(sheetXML: sheet, sharedStringsXML: strings, chunk: chunk, headerRow: 1, width: 8, wholeCells: wholeCells)
            let rows = read.rows.map { row in "\(row.number):" + (0..<row.count).map { "\(row.column($0))=\(row.value($0))" }.joined(separator: "|") }
            return rows.joined(separator: "\n") + "\n" + String(decoding: read.csv, as: UTF8.self)
        }
        let reference = try reading(chunk: 1, wholeCells: false)
        XCTAssertEqual(reference, """
            1:1=id|2=nilai|3=kode|4= x 
            2:1=7|2=TRUE|3=dua
            baris|4=3514012001000100|6=a & b
            3:3=14|5=<x>|6=next|8=kata
            4:1=9|2=8|3=1, 2
            7,TRUE,"dua baris",3514012001000100,,a & b,,
            ,,14,,<x>,next,,kata
            9,8,"1, 2",,,,,
            
            """)
        for chunk in [1, 5, 17, 64, sheet.count] {
            XCTAssertEqual(try reading(chunk: chunk, wholeCells: true), reference, "chunks of \(chunk) bytes")
        }
    }

    /// An `&` whose entity another `&` interrupts is named the same way
    /// wherever the buffers end (the fuzzer found "unknown entity &#k&#x41;"
    /// whole and "an & that starts no entity" in chunks).
    func testABrokenEntityIsTheSameErrorInAnyChunks() throws {
        let sheet = Array(#"<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>"#.utf8)
        let strings = Array("<sst><si><t>Lekok &#k&#x41;</t></si></sst>".utf8)
        for chunk in [1, 3, 8, 13, strings.count] {
            XCTAssertThrowsError(try SheetReader.read(sheetXML: sheet, sharedStringsXML: strings, chunk: chunk, headerRow: 1, width: 1),
                                 "chunks of \(chunk) bytes") { error in
                XCTAssertEqual("\(error)", "xl/sharedStrings.xml: an & that starts no entity", "chunks of \(chunk) bytes")
            }
        }
    }

    func testADocumentTypeIsRefused() throws {
        var b = PackageBuilder.sheet("")
        b.add("xl/sharedStrings.xml", """
            <?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\
            <sst><si><t>&lol2;</t></si></sst>
            """)
        XCTAssertThrowsError(try rows(b)) { error in
            XCTAssertEqual(error as? SpreadsheetError, .declaresDocumentType(part: "xl/sharedStrings.xml"))
        }
    }

    func testAnUnknownEntityIsNamed() throws {
        let b = PackageBuilder.sheet(#"<row r="1"><c r="A1" t="inlineStr"><is><t>&nbsp;</t></is></c></row>"#)
        XCTAssertThrowsError(try rows(b)) { error in
            XCTAssertEqual("\(error)", "xl/worksheets/sheet1.xml: unknown entity &nbsp;")
        }
    }

    func testAPartThatExpandsTooFarIsRefusedBeforeItIsRead() throws {
        // 20 MB of blanks compress to about 20 KB: a ratio of a thousand.
        let blanks = String(repeating: " ", count: 20_000_000)
        let b = PackageBuilder.sheet(#"<row r="1"><c r="A1"><v>1</v></c></row>"# + blanks)
        var limits = SheetReader.Limits()
        limits.freeBytes = 2 * 1_048_576
        XCTAssertThrowsError(try rows(b, limits: limits)) { error in
            guard case .expandsTooFar(let part, _)? = error as? SpreadsheetError else { return XCTFail("\(error)") }
            XCTAssertEqual(part, "xl/worksheets/sheet1.xml")
        }
        XCTAssertEqual(try rows(b).count, 1, "within the default limits the same sheet is read")
    }

    func testFilesThatAreNoWorkbookSayWhatTheyProbablyAre() throws {
        let cases: [(Data, String)] = [
            (Data(), "the file is empty"),
            (Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]), "an old .xls or a password-protected workbook"),
            (Data("household_id,kode_desa\n".utf8), "the file is not a zip archive"),
            (Data("PK\u{3}\u{4}broken".utf8), "the zip archive is damaged"),
        ]
        for (bytes, reason) in cases {
            let path = directory + "/bad.xlsx"
            try bytes.write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try SheetReader(path: path)) { error in
                XCTAssertEqual(error as? SpreadsheetError, .notAWorkbook(reason: reason))
            }
        }
    }

    func testAWorkbookWithoutItsPartsNamesThePart() throws {
        var b = PackageBuilder.sheet("")
        b.parts.removeAll { $0.0 == "xl/_rels/workbook.xml.rels" }
        XCTAssertThrowsError(try rows(b)) { error in
            XCTAssertEqual(error as? SpreadsheetError, .missingPart("xl/_rels/workbook.xml.rels"))
        }
    }

    func testColumnNamesRoundTrip() {
        for (n, name) in [(1, "A"), (26, "Z"), (27, "AA"), (52, "AZ"), (703, "AAA"), (16_384, "XFD")] {
            XCTAssertEqual(CellReference.columnName(n), name)
            XCTAssertEqual(Array(name.utf8).withUnsafeBufferPointer { CellReference.column(of: $0) }, n)
        }
        XCTAssertNil(Array("XFE1".utf8).withUnsafeBufferPointer { CellReference.column(of: $0) })
    }
}
