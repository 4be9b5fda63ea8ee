import Foundation

extension CSVReader {
    /// Field `column` (0-based) of each record that starts on one of `lines`,
    /// read through the file as far as the last of them and no further. A
    /// streamed run finds repeated ids after its first read, by line; this
    /// fetches the ids to quote in the messages.
    public static func fields(path: String, displayName: String? = nil, column: Int, lines: Set<Int>) throws(DataErrors) -> [Int: String] {
        guard let last = lines.max() else { return [:] }
        let reader = try CSVReader(path: path, displayName: displayName)
        var batch = CSVBatch()
        var found: [Int: String] = [:]
        while try reader.nextBatch(maxRows: 4096, into: &batch) {
            for r in 0..<batch.rowCount where lines.contains(batch.line(row: r)) && column < batch.fieldCount(row: r) {
                found[batch.line(row: r)] = String(decoding: FieldParsing.trimmed(batch.field(row: r, column: column)), as: UTF8.self)
            }
            if batch.rowCount > 0 && batch.line(row: batch.rowCount - 1) >= last { break }
        }
        return found
    }

    /// Every record of a small file as text (run outputs read back by
    /// `tepat compare`): the header and the rows, each padded or cut to the
    /// header's width.
    public static func records(path: String, displayName: String? = nil) throws(DataErrors) -> (header: [String], rows: [[String]]) {
        let reader = try CSVReader(path: path, displayName: displayName)
        var batch = CSVBatch()
        var rows: [[String]] = []
        let width = reader.header.count
        while try reader.nextBatch(maxRows: 4096, into: &batch) {
            for r in 0..<batch.rowCount {
                var row = [String](repeating: "", count: width)
                for c in 0..<min(width, batch.fieldCount(row: r)) {
                    row[c] = String(decoding: batch.field(row: r, column: c), as: UTF8.self)
                }
                rows.append(row)
            }
        }
        return (reader.header, rows)
    }
}
