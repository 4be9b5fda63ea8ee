import Foundation
import TepatData

extension CSVBatch {
    /// Field `column` of `row` as trimmed text; empty when the row is shorter.
    func text(row: Int, column: Int) -> String {
        column < fieldCount(row: row)
            ? String(decoding: field(row: row, column: column), as: UTF8.self).trimmingCharacters(in: .whitespaces) : ""
    }
}

extension CSVReader {
    /// The header's names, trimmed (and lowercased when asked), for finding columns by name.
    func columnNames(lowercased: Bool = false) -> [String] {
        header.map { lowercased ? $0.trimmingCharacters(in: .whitespaces).lowercased() : $0.trimmingCharacters(in: .whitespaces) }
    }
}
