import Foundation
import Spreadsheet
import TepatData

/// An .xlsx twin of a DATA_DIR: every CSV as a workbook, each field that reads as
/// a number (without a leading zero) stored as a number, as Excel stores what
/// is typed or pasted: NIKs and plain village codes become numbers too.
public enum WorkbookTwin {
    /// Every CSV of `data` as NAME.xlsx in `twin`.
    public static func make(from data: String, to twin: String) throws {
        try FileManager.default.createDirectory(atPath: twin, withIntermediateDirectories: true)
        for file in try FileManager.default.contentsOfDirectory(atPath: data) where file.hasSuffix(".csv") {
            let (header, rows) = try CSVReader.records(path: data + "/" + file)
            let path = twin + "/" + file.dropLast(4) + ".xlsx"
            let book = try WorkbookWriter(path: path, created: Date(timeIntervalSince1970: 0), temporaryDirectory: twin)
            let sheet = try book.addSheet("Sheet1", header: header, columns: header.map { _ in ColumnStyle(width: 12, format: .general) })
            for row in rows {
                for (j, field) in row.enumerated() {
                    let leadingZero = field.count > 1 && field.hasPrefix("0") && field.dropFirst().first!.isNumber
                    if let x = Double(field), !leadingZero { sheet.write(x, column: j) } else { sheet.write(field, column: j) }
                }
                sheet.endRow()
            }
            sheet.finish()
            try book.close()
        }
    }
}
