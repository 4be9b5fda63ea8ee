/// CSV flavours: the standard one (`,` and `.`), and Indonesian Excel's
/// (`;` and `,`), written beside the standard files.
public enum CSVDialect: String, Sendable, CaseIterable {
    case standard
    case excelID = "excel-id"
}

/// Language of report.html: Indonesian by default (Bappeda and TKPK read it),
/// English as an option.
public enum ReportLanguage: String, Sendable, CaseIterable, Codable {
    case indonesian = "id"
    case english = "en"
}
