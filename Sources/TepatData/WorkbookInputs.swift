import Foundation
import Spreadsheet

/// Where the rows of a CSV converted from a workbook came from, to name
/// problems by sheet and cell: line L of the CSV is the sheet's row
/// `headerRow + L − 1`, and field k its column k.
public struct SheetOrigin: Sendable, Equatable {
    /// The workbook's file name, as problems name it.
    public let workbook: String
    public let sheet: String
    public let headerRow: Int
    /// The header as the CSV has it, to find the column of a problem named by column only.
    public let header: [String]

    /// The problem of the converted CSV, placed in the workbook.
    public func locate(_ p: DataProblem) -> DataProblem {
        var q = p
        q.file = workbook
        q.sheet = sheet
        if p.line > 0 {
            q.line = p.line + headerRow - 1
            if q.columnNumber == nil, let column = p.column?.lowercased(),
               let k = header.firstIndex(where: { $0.lowercased() == column }) {
                q.columnNumber = k + 1
            }
        } else {
            q.columnNumber = nil
        }
        return q
    }
}

/// The input files of a DATA_DIR given as .xlsx, each converted to a CSV in a
/// private folder that lives as long as this object, so that every reader of a
/// CSV reads them; problems are then placed back in the workbook (`relocate`).
public final class WorkbookInputs: @unchecked Sendable {
    private let lock = NSLock()
    private var folder: String?
    private var converted: [String: (csv: String, origin: SheetOrigin, source: String)] = [:]

    public init() {}

    deinit { if let folder { try? FileManager.default.removeItem(atPath: folder) } }

    /// True when `path` names a workbook rather than a CSV.
    public static func isWorkbook(_ path: String) -> Bool { (path as NSString).pathExtension.lowercased() == "xlsx" }

    /// The converted CSV of the file of this standard name, when it was a workbook.
    public func csvPath(of name: String) -> String? { lock.withLock { converted[name]?.csv } }

    /// The workbook the file of this standard name was converted from.
    public func source(of name: String) -> String? { lock.withLock { converted[name]?.source } }

    /// Every problem of a converted file, named by sheet and cell of its workbook.
    public func relocate(_ log: ProblemLog) -> ProblemLog {
        let origins = lock.withLock { converted.mapValues(\.origin) }
        guard !origins.isEmpty else { return log }
        return log.map { p in origins[p.file].map { $0.locate(p) } ?? p }
    }

    public func relocate(_ errors: DataErrors) -> DataErrors { DataErrors(relocate(errors.log)) }

    /// Converts the workbook at `source` holding the file `schema` describes;
    /// returns the CSV's path. The header is the first row among the first ten
    /// that names a column of the schema (title rows above it are left out), else
    /// the first row.
    public func convert(_ source: String, schema: FileSchema, codebook: Codebook? = nil) throws(DataErrors) -> String {
        var columns = schema.columns.map(\.name)
        for spec in schema.columns { columns += (codebook?.sources[spec.name] ?? []).map { $0.lowercased() } }
        return try convert(source, name: schema.fileName, columns: columns)
    }

    /// The same for a file without a schema: `columns` are the names its header
    /// may hold; problems of the file `name` are placed in the workbook.
    public func convert(_ source: String, name: String, columns: [String]) throws(DataErrors) -> String {
        let workbook = (source as NSString).lastPathComponent
        let csv: String
        do {
            csv = try lock.withLock {
                if folder == nil {
                    let made = NSTemporaryDirectory() + "tepat-workbooks-\(getpid())-\(UUID().uuidString)"
                    try FileManager.default.createDirectory(atPath: made, withIntermediateDirectories: true)
                    folder = made
                }
                return (folder! as NSString).appendingPathComponent((name as NSString).deletingPathExtension + ".csv")
            }
        } catch {
            throw DataErrors(DataProblem(file: workbook, message: "cannot make a folder for its rows: \(error.localizedDescription)"))
        }
        let origin = try SheetConversion.run(source: source, workbook: workbook, columns: columns, to: csv)
        lock.withLock { converted[name] = (csv, origin, source) }
        return csv
    }
}

/// One sheet into CSV: the header found in a first look at the sheet's top,
/// then the rows after it written by the sheet reader as CSV records, with
/// blank lines for rows without values, so that line numbers map back to rows.
enum SheetConversion {
    /// `columns`: the names a header may hold, the schema's first.
    static func run(source: String, workbook: String, columns: [String], to csv: String) throws(DataErrors) -> SheetOrigin {
        var sheetName = ""
        do {
            let reader = try SheetReader(path: source)
            sheetName = reader.sheetName
            let search = HeaderSearch(columns: columns)
            try reader.forEachRow { row in try search.look(at: row) }
            let out = try CSVBytes(path: csv)
            guard let header = try search.header() else {
                try out.close()
                return SheetOrigin(workbook: workbook, sheet: sheetName, headerRow: 1, header: [])
            }
            out.record(header.names.map { Array($0.utf8) })
            try reader.writeCSV(after: header.row, width: header.names.count) { bytes in try out.write(bytes) }
            try out.close()
            return SheetOrigin(workbook: workbook, sheet: sheetName, headerRow: header.row, header: header.names)
        } catch let error as SpreadsheetError {
            var p = DataProblem(file: workbook, line: error.row ?? 0, columnNumber: error.column, message: error.row == nil ? error.description : error.reason)
            if error.row != nil { p.sheet = sheetName }
            throw DataErrors(p)
        } catch let error as MissingHeader {
            var p = DataProblem(file: workbook, line: error.row, columnNumber: error.column,
                                message: "this row holds data, and no row above it names the columns; row 1 must hold the column names (\(error.names.prefix(4).joined(separator: ", ")), …)")
            p.sheet = sheetName
            throw DataErrors(p)
        } catch let error as DataErrors {
            throw error
        } catch {
            throw DataErrors(DataProblem(file: workbook, message: "\(error)"))
        }
    }
}

/// A sheet whose first row is data.
struct MissingHeader: Error {
    let row: Int
    let column: Int
    let names: [String]
}

/// The header of a sheet: the first row, among the first ten, that names a
/// known column; title rows above it are left out.
final class HeaderSearch {
    let columns: [String]
    let known: Set<String>
    private var rows: [(number: Int, cells: [(column: Int, text: String)])] = []
    private var found: Int?
    static let rowsSearched = 10

    init(columns: [String]) {
        self.columns = columns
        known = Set(columns)
    }

    /// Takes in one row; false once the header is found or the search is over.
    func look(at row: SheetRow) throws -> Bool {
        let cells = (0..<row.count).map { k in (row.column(k), Self.oneLine(row.value(k)).trimmingCharacters(in: .whitespaces)) }
        rows.append((row.number, cells))
        if cells.contains(where: { known.contains($0.1.lowercased()) }) {
            found = rows.count - 1
            return false
        }
        return rows.count < Self.rowsSearched
    }

    /// The header's row and names (one per column up to the last named);
    /// nil for an empty sheet. No row naming a known column: the first row
    /// when it looks like names (the CSV reader then names the columns it
    /// misses, with did-you-mean hints); a first row holding numbers is data,
    /// and the sheet has no header at all.
    func header() throws -> (row: Int, names: [String])? {
        guard let first = rows.first else { return nil }
        let chosen = found.map { rows[$0] } ?? first
        if found == nil, let number = first.cells.first(where: { Double($0.text) != nil }) {
            throw MissingHeader(row: first.number, column: number.column, names: columns)
        }
        // A sheet's cells come in column order, but a damaged one's may not.
        var names = [String](repeating: "", count: chosen.cells.map(\.column).max() ?? 0)
        for (column, text) in chosen.cells { names[column - 1] = text }
        return (chosen.number, names)
    }

    /// A cell's text on one line, as a header name.
    static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
    }
}

/// Bytes into a file, buffered: the converted CSV.
final class CSVBytes {
    private let file: UnsafeMutablePointer<FILE>
    private let path: String

    init(path: String) throws {
        guard let f = fopen(path, "wb") else {
            throw DataErrors(DataProblem(file: path, message: "cannot write: \(String(cString: strerror(errno)))"))
        }
        file = f
        self.path = path
    }

    deinit { fclose(file) }

    /// One record of fields, each quoted as it needs.
    func record(_ fields: [[UInt8]]) {
        var line: [UInt8] = []
        for (k, field) in fields.enumerated() {
            if k > 0 { line.append(UInt8(ascii: ",")) }
            CSVField.append(field, to: &line)
        }
        line.append(0x0A)
        _ = line.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
    }

    func write(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard fwrite(bytes.baseAddress, 1, bytes.count, file) == bytes.count else {
            throw DataErrors(DataProblem(file: path, message: "cannot write: \(String(cString: strerror(errno)))"))
        }
    }

    func close() throws {
        guard fflush(file) == 0, ferror(file) == 0 else {
            throw DataErrors(DataProblem(file: path, message: "cannot write: \(String(cString: strerror(errno)))"))
        }
    }
}
