import CXlsxWriter
import Foundation

/// An Excel workbook written with libxlsxwriter, sheet by sheet and row by row
/// (its constant-memory mode: a sheet of a million rows costs no more memory
/// than one of ten). Two workbooks written with the same cells and the same
/// `created` date are byte-identical.
public final class WorkbookWriter {
    public let path: String
    private var workbook: UnsafeMutablePointer<lxw_workbook>?
    private var formats: [NumberFormat: UnsafeMutablePointer<lxw_format>] = [:]
    private var headerFormat: UnsafeMutablePointer<lxw_format>?
    private var sheetNames: Set<String> = []

    /// `created` is the date the workbook's properties show; it is fixed by the
    /// caller so that reruns give the same bytes. Temporary files go to
    /// `temporaryDirectory` (beside the output, on the same disk) when given.
    public init(path: String, created: Date, temporaryDirectory: String? = nil) throws(SpreadsheetError) {
        self.path = path
        var options = lxw_workbook_options()
        options.constant_memory = 1
        options.use_zip64 = 1
        let tmp = temporaryDirectory.map { strdup($0) } ?? nil
        defer { free(tmp) }
        options.tmpdir = tmp
        workbook = workbook_new_opt(path, &options)
        guard let workbook else { throw .cannotWrite(path: path, reason: "libxlsxwriter could not create the workbook") }
        var properties = lxw_doc_properties()
        properties.created = time_t(created.timeIntervalSince1970)
        workbook_set_properties(workbook, &properties)
        headerFormat = workbook_add_format(workbook)
        format_set_bold(headerFormat)
        format_set_text_wrap(headerFormat)
        format_set_align(headerFormat, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))
        format_set_bg_color(headerFormat, 0xE6EEF5)
    }

    deinit {
        // A workbook never closed (an error on the way) is freed without writing.
        if let workbook { lxw_workbook_free(workbook) }
    }

    /// A new sheet whose columns have these widths and formats; row 0 is the
    /// header, frozen, and the autofilter covers the rows written.
    public func addSheet(_ name: String, header: [String], columns: [ColumnStyle]) throws(SpreadsheetError) -> SheetWriter {
        guard let workbook else { throw .cannotWrite(path: path, reason: "the workbook is already closed") }
        let title = Self.sheetName(name, avoiding: sheetNames)
        sheetNames.insert(title)
        guard let sheet = workbook_add_worksheet(workbook, title) else {
            throw .cannotWrite(path: path, reason: "libxlsxwriter refused the sheet name \"\(title)\"")
        }
        // Widths, formats and the frozen header come before the first row: in
        // constant-memory mode rows go to disk as they are written.
        for (j, style) in columns.enumerated() {
            worksheet_set_column(sheet, lxw_col_t(j), lxw_col_t(j), style.width, format(style.format))
        }
        worksheet_freeze_panes(sheet, 1, 0)
        let writer = SheetWriter(sheet: sheet, columns: header.count, formats: columns.map { format($0.format) })
        for (j, name) in header.enumerated() { writer.writeText(name, column: j, format: headerFormat) }
        writer.endRow()
        return writer
    }

    private func format(_ number: NumberFormat) -> UnsafeMutablePointer<lxw_format>? {
        guard number != .general else { return nil }
        if let made = formats[number] { return made }
        let made = workbook_add_format(workbook)
        format_set_num_format(made, number.code)
        formats[number] = made
        return made
    }

    /// Writes the file. Nothing is on disk at `path` before this returns.
    public func close() throws(SpreadsheetError) {
        guard let workbook else { return }
        self.workbook = nil
        let status = workbook_close(workbook)
        guard status == LXW_NO_ERROR else {
            throw .cannotWrite(path: path, reason: String(cString: lxw_strerror(status)))
        }
    }

    /// Excel's rules: at most 31 characters, none of `[]:*?/\`, unique
    /// ignoring case.
    static func sheetName(_ wanted: String, avoiding taken: Set<String>) -> String {
        let forbidden = Set("[]:*?/\\")
        var base = String(wanted.filter { !forbidden.contains($0) }.prefix(31))
        if base.isEmpty { base = "Sheet" }
        let lowered = Set(taken.map { $0.lowercased() })
        var name = base
        var n = 2
        while lowered.contains(name.lowercased()) {
            let suffix = " (\(n))"
            name = String(base.prefix(31 - suffix.count)) + suffix
            n += 1
        }
        return name
    }
}

/// How numbers in a column are shown.
public enum NumberFormat: Hashable, Sendable {
    case general
    /// Whole rupiah with thousands separators.
    case rupiah
    /// A fraction shown as a percentage with one decimal.
    case percent
    /// A whole number with thousands separators.
    case integer
    /// Text: a code kept exactly as written (Excel shows it left-aligned, no
    /// scientific notation).
    case text

    var code: String {
        switch self {
        case .general: "General"
        case .rupiah: "#,##0"
        case .percent: "0.0%"
        case .integer: "#,##0"
        case .text: "@"
        }
    }
}

public struct ColumnStyle: Sendable, Equatable {
    /// Width in Excel's character units.
    public var width: Double
    public var format: NumberFormat

    public init(width: Double, format: NumberFormat) {
        self.width = width
        self.format = format
    }
}

/// Rows of one sheet, written in order; `finish` sets the autofilter.
public final class SheetWriter {
    private let sheet: UnsafeMutablePointer<lxw_worksheet>
    private let formats: [UnsafeMutablePointer<lxw_format>?]
    private let columns: Int
    private var row: lxw_row_t = 0

    init(sheet: UnsafeMutablePointer<lxw_worksheet>, columns: Int, formats: [UnsafeMutablePointer<lxw_format>?]) {
        self.sheet = sheet
        self.columns = columns
        self.formats = formats
    }

    /// Excel's longest cell text; longer text is cut (with an ellipsis).
    public static let maximumTextLength = 32_767
    /// Excel's last row.
    public static let maximumRows = 1_048_576

    /// Rows written so far, the header included.
    public var rowsWritten: Int { Int(row) }

    public func write(_ text: String, column: Int) {
        writeText(text, column: column, format: formats[column])
    }

    public func write(_ number: Double, column: Int) {
        worksheet_write_number(sheet, row, lxw_col_t(column), number, formats[column])
    }

    func writeText(_ text: String, column: Int, format: UnsafeMutablePointer<lxw_format>?) {
        guard !text.isEmpty else { return }
        var text = text
        if text.utf16.count > Self.maximumTextLength {
            text = String(text.prefix(Self.maximumTextLength - 1)) + "…"
        }
        worksheet_write_string(sheet, row, lxw_col_t(column), text, format)
    }

    public func endRow() { row += 1 }

    /// The autofilter over the header and every row written.
    public func finish() {
        guard columns > 0 else { return }
        worksheet_autofilter(sheet, 0, 0, max(row, 1) - 1, lxw_col_t(columns - 1))
    }
}
