import Foundation
import Spreadsheet
import TepatScenario

/// What every column of the run's files means, in Indonesian and English
/// (`Resources/column_notes.tsv`): the `keterangan` sheet of results.xlsx.
enum ColumnNotes {
    /// sheet → column → (Indonesian, English); sheet "*" holds the columns many files share.
    static let notes: [String: [String: (id: String, en: String)]] = {
        guard let url = Bundle.module.url(forResource: "column_notes", withExtension: "tsv", subdirectory: "Resources"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return [:] }
        var notes: [String: [String: (id: String, en: String)]] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 4 else { continue }
            notes[parts[0], default: [:]][parts[1]] = (parts[2], parts[3])
        }
        return notes
    }()

    /// The note of `column` in `sheet`, nil when there is none.
    static func note(sheet: String, column: String, language: ReportLanguage) -> String? {
        // The RPKD sheets name their columns as rankings.csv does.
        guard let n = notes[sheet]?[column] ?? notes["*"]?[column] ?? notes["rankings"]?[column] else { return nil }
        return language == .english ? n.en : n.id
    }

    static func write(_ sheets: [(sheet: String, columns: [String])], leftOut: [(sheet: String, rows: Int)] = [],
                      language: ReportLanguage, into book: WorkbookWriter) throws {
        let english = language == .english
        let header = english ? ["sheet", "column", "meaning"] : ["lembar", "kolom", "keterangan"]
        let styles = [ColumnStyle(width: 20, format: .text), ColumnStyle(width: 26, format: .text), ColumnStyle(width: 90, format: .text)]
        let sheet = try book.addSheet("keterangan", header: header, columns: styles)
        for (name, columns) in sheets {
            for column in columns {
                sheet.write(name, column: 0)
                sheet.write(column, column: 1)
                sheet.write(note(sheet: name, column: column, language: language) ?? "", column: 2)
                sheet.endRow()
            }
        }
        for (name, rows) in leftOut {
            sheet.write(name, column: 0)
            sheet.write(english
                ? "not in this workbook: \(rows) rows, too many to open comfortably in Excel; open \(name).csv"
                : "tidak dimuat di buku kerja ini: \(rows) baris, terlalu banyak untuk dibuka nyaman di Excel; buka \(name).csv", column: 2)
            sheet.endRow()
        }
        sheet.finish()
    }
}
