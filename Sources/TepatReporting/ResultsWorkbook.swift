import Foundation
import Spreadsheet
import TepatScenario
import TepatData

/// results.xlsx: one sheet per CSV of the run directory, named as the CSV
/// without `.csv`, its cells equal to the CSV's (numbers as numbers, codes and
/// ids as text), the header frozen and filtered, rupiah and rates formatted;
/// then the RPKD tables, and a `keterangan` sheet saying what every column
/// means, in the report's language.
public enum ResultsWorkbook {
    /// The workbook's sheets in this order; any other CSV follows, by name.
    static let order = ["rankings", "allocation", "beneficiaries", "villages_after", "funders_summary", "assignment",
                        "verification", "verification_form", "households_scored", "pmt_coefficients", "rejected"]
    /// The date every workbook's properties show: a fixed one, so reruns give
    /// the same bytes.
    static let created = Date(timeIntervalSince1970: 1_704_067_200)

    /// The workbook of the CSVs in `folder` (their Excel-dialect copies and
    /// those named in `leavingOut` left out), with `tables` after them.
    public static func write(folder: String, leavingOut: Set<String> = [], tables: [SheetTable] = [], language: ReportLanguage,
                             to path: String) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasSuffix(".csv") && !$0.hasSuffix(".excel-id.csv") }
            .map { String($0.dropLast(4)) }
            .filter { !leavingOut.contains($0) }
        let sheets = order.filter(names.contains) + names.filter { !order.contains($0) }.sorted()
        let book = try WorkbookWriter(path: path, created: created, temporaryDirectory: folder)
        var described: [(sheet: String, columns: [String])] = []
        var tooLong: [(sheet: String, rows: Int)] = []
        for name in sheets {
            let csv = (folder as NSString).appendingPathComponent(name + ".csv")
            // Line breaks (memchr over the page cache) before any parsing: at least the rows.
            let lines = try lineCount(csv) - 1
            guard lines <= maximumSheetRows, let profile = try ColumnProfile.read(csv: csv, maximumRows: maximumSheetRows) else {
                tooLong.append((name, lines))
                continue
            }
            try CSVSheet.write(csv: csv, profile: profile, as: name, into: book)
            described.append((name, profile.header))
        }
        for table in tables {
            try table.write(into: book)
            described.append((table.name, table.header))
        }
        try ColumnNotes.write(described, leftOut: tooLong, language: language, into: book)
        try book.close()
    }

    /// A CSV longer than this stays a CSV only: a sheet of a whole registry
    /// (households_scored of 300,000 households) takes Excel minutes to open
    /// and libxlsxwriter seconds to compress, for rows nobody reads in Excel.
    /// The keterangan sheet says which file was left out and why.
    public static let maximumSheetRows = 100_000

    /// The line breaks of a file (the rows of a CSV without line breaks in
    /// fields, which the keterangan sheet quotes), read a megabyte at a time.
    static func lineCount(_ path: String) throws -> Int {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw SpreadsheetError.cannotWrite(path: path, reason: "cannot read it back") }
        defer { try? handle.close() }
        var lines = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            chunk.withUnsafeBytes { bytes in
                var at = bytes.baseAddress!
                let end = at + bytes.count
                while let found = memchr(at, 0x0A, end - at) {
                    lines += 1
                    at = UnsafeRawPointer(found) + 1
                }
            }
        }
        return lines
    }
}

extension ResultsWorkbook {
    /// A workbook of one sheet holding the CSV at `csv`, typed as results.xlsx
    /// types its sheets (a DATA_DIR file handed to someone who works in Excel).
    public static func write(csv: String, sheet: String, to path: String) throws {
        let book = try WorkbookWriter(path: path, created: created, temporaryDirectory: (path as NSString).deletingLastPathComponent)
        guard let profile = try ColumnProfile.read(csv: csv, maximumRows: SheetWriter.maximumRows - 1) else {
            throw SpreadsheetError.cannotWrite(path: csv, reason: "more rows than an Excel sheet holds (1,048,576)")
        }
        try CSVSheet.write(csv: csv, profile: profile, as: sheet, into: book)
        try book.close()
    }
}

/// One CSV as a sheet, read twice: once for each column's kind and width,
/// once to write the cells.
enum CSVSheet {
    static func write(csv path: String, profile: ColumnProfile, as name: String, into book: WorkbookWriter) throws {
        let reader = try CSVReader(path: path)
        let sheet = try book.addSheet(name, header: reader.header, columns: profile.styles)
        var batch = CSVBatch()
        var truncated = false
        while try reader.nextBatch(maxRows: 4_096, into: &batch) {
            for row in 0..<batch.rowCount {
                guard sheet.rowsWritten < SheetWriter.maximumRows else { truncated = true; break }
                for column in 0..<min(batch.fieldCount(row: row), profile.numeric.count) {
                    if profile.numeric[column], let x = batch.number(row: row, column: column) {
                        sheet.write(x, column: column)
                    } else {
                        sheet.write(String(decoding: batch.field(row: row, column: column), as: UTF8.self), column: column)
                    }
                }
                sheet.endRow()
            }
        }
        sheet.finish()
        if truncated { throw SpreadsheetError.cannotWrite(path: path, reason: "more rows than an Excel sheet holds (1,048,576)") }
    }
}

/// What a CSV's columns hold: numbers or text, and how wide to show them.
struct ColumnProfile {
    var numeric: [Bool]
    var widths: [Int]
    var header: [String]

    /// Columns whose values are codes or names, text even when they look like numbers.
    static func isIdentifier(_ name: String) -> Bool {
        name.hasSuffix("_id") || name.hasPrefix("kode_") || name.hasPrefix("nama_") || name.hasSuffix("_name")
            || ["nik", "head_nik", "name", "rt", "rw", "file", "column", "value", "term", "quadrant"].contains(name)
    }

    /// The profile of a CSV of at most `maximumRows` rows; nil for a longer one.
    static func read(csv path: String, maximumRows: Int) throws -> ColumnProfile? {
        let reader = try CSVReader(path: path)
        let header = reader.header
        var profile = ColumnProfile(numeric: header.map { !isIdentifier($0) }, widths: header.map { min(30, $0.count) }, header: header)
        var batch = CSVBatch()
        var rows = 0
        while try reader.nextBatch(maxRows: 4_096, into: &batch) {
            rows += batch.rowCount
            guard rows <= maximumRows else { return nil }
            for row in 0..<batch.rowCount {
                for column in 0..<min(batch.fieldCount(row: row), header.count) {
                    let field = batch.field(row: row, column: column)
                    guard !field.isEmpty else { continue }
                    if profile.numeric[column] && (batch.number(row: row, column: column) == nil || hasLeadingZero(field)) {
                        profile.numeric[column] = false
                    }
                    profile.widths[column] = max(profile.widths[column], displayLength(field))
                }
            }
        }
        return profile
    }

    /// "007" is a code, not seven.
    static func hasLeadingZero(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        b.count > 1 && b[0] == UInt8(ascii: "0") && b[1] >= UInt8(ascii: "0") && b[1] <= UInt8(ascii: "9")
    }

    /// Characters, not bytes (UTF-8 continuation bytes are not counted).
    static func displayLength(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        var n = 0
        for byte in b where byte & 0xC0 != 0x80 { n += 1 }
        return n
    }

    var styles: [ColumnStyle] {
        header.indices.map { j in
            let format = numeric[j] ? Self.numberFormat(header[j]) : .text
            // Thousands separators widen rupiah; long texts are cut at 60.
            let width = Double(min(60, widths[j] + (format == .rupiah ? widths[j] / 3 : 0))) + 2
            return ColumnStyle(width: width, format: format)
        }
    }

    /// Rupiah for `_rp`, percent for rates (fractions in [0, 1]).
    static func numberFormat(_ name: String) -> NumberFormat {
        if name.hasSuffix("_rp") { return .rupiah }
        let rates = ["p0", "p1", "p2", "p_poor", "p_funded", "p_registry_wrong", "mpi_h", "mpi_a", "mpi_m0", "share_desil_1_4"]
        if rates.contains(name) || ["p0_", "p1_", "p2_"].contains(where: { name.hasPrefix($0) && name != "p0_cv" }) { return .percent }
        return .general
    }
}

/// A table of the report's, as a sheet: typed cells in memory.
public struct SheetTable: Sendable {
    public enum Cell: Sendable, Equatable {
        case text(String)
        case number(Double)
    }

    public var name: String
    public var header: [String]
    public var formats: [NumberFormat]
    public var rows: [[Cell]]

    public init(name: String, header: [String], formats: [NumberFormat], rows: [[Cell]]) {
        self.name = name
        self.header = header
        self.formats = formats
        self.rows = rows
    }

    func write(into book: WorkbookWriter) throws {
        var widths = header.map { min(30, $0.count) }
        for row in rows {
            for (j, cell) in row.enumerated() {
                if case .text(let s) = cell { widths[j] = max(widths[j], min(60, s.count)) } else { widths[j] = max(widths[j], 12) }
            }
        }
        let styles = header.indices.map { ColumnStyle(width: Double(widths[$0] + 2), format: formats[$0]) }
        let sheet = try book.addSheet(name, header: header, columns: styles)
        for row in rows {
            for (j, cell) in row.enumerated() {
                switch cell {
                case .text(let s): sheet.write(s, column: j)
                case .number(let x): sheet.write(x, column: j)
                }
            }
            sheet.endRow()
        }
        sheet.finish()
    }
}
