/// Why a workbook could not be read or written, worded for the person who
/// must fix the file. `row` and `column` (1-based) locate a cell when known.
public enum SpreadsheetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not a zip archive of the Office Open XML kind (an old .xls, a CSV renamed,
    /// a password-protected workbook, a damaged download).
    case notAWorkbook(reason: String)
    /// A part the workbook needs is absent.
    case missingPart(String)
    /// A part expands to far more than its compressed size or than any sheet of
    /// registry data: refused before it can fill memory or disk.
    case expandsTooFar(part: String, limit: Int)
    /// A part declares a DOCTYPE or entities: workbooks never do, and entity
    /// expansion is a known way to exhaust memory.
    case declaresDocumentType(part: String)
    /// A part whose XML is broken, or a cell that cannot be read.
    case malformed(part: String, reason: String, row: Int? = nil, column: Int? = nil)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .notAWorkbook(let reason):
            "not an .xlsx workbook (\(reason)); save it from Excel as \"Excel Workbook (*.xlsx)\" or as CSV. An old .xls or a password-protected workbook cannot be read"
        case .missingPart(let part):
            "the workbook has no \(part); save it again from Excel as \"Excel Workbook (*.xlsx)\""
        case .expandsTooFar(let part, let limit):
            "\(part) expands to more than \(limit / 1_048_576) MiB, far more than its compressed size: refused (a damaged file or a zip bomb)"
        case .declaresDocumentType(let part):
            "\(part) declares a DOCTYPE; Excel never writes one, and XML entities are refused"
        case .malformed(let part, let reason, _, _):
            "\(part): \(reason)"
        case .cannotWrite(let path, let reason):
            "cannot write \(path): \(reason)"
        }
    }

    /// The description without the part's name: for a problem placed in a
    /// cell, where the part (the sheet's XML) tells the reader nothing more.
    public var reason: String {
        if case .malformed(_, let reason, _, _) = self { return reason }
        return description
    }

    /// The row of the sheet the problem is in, when known.
    public var row: Int? {
        if case .malformed(_, _, let row, _) = self { return row }
        return nil
    }

    public var column: Int? {
        if case .malformed(_, _, _, let column) = self { return column }
        return nil
    }
}
