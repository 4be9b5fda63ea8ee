import Foundation

/// What a column holds and how its text is checked. Messages say what was expected
/// in the planner's terms ("a whole number from 1 to 60"), not the parser's.
public enum ColumnKind: Sendable, Equatable {
    /// Text that must be unique within the file (household_id, opd_id, …).
    case identifier
    case text
    /// A desa/kelurahan code (`PP.KK.CC.DDDD`).
    case village
    /// A 16-digit NIK: personal data, checked for form and then discarded.
    case nik
    case integer(ClosedRange<Int>)
    /// 0/1 (or the codebook's yes/no codes).
    case binary
    /// One of the named levels (or the codebook's codes for them).
    case category([String])
    case number(minimum: Double, exclusiveMinimum: Bool, maximum: Double)
    /// A `|`-separated list of the allowed values.
    case list([String])
    /// A `|`-separated list of kecamatan codes.
    case kecamatanList

    var expectation: String {
        switch self {
        case .identifier: return "expected a non-empty identifier"
        case .text: return "expected UTF-8 text"
        case .village: return "expected a desa/kelurahan code like 35.14.01.2001"
        case .nik: return "expected a NIK of 16 digits"
        case .integer(let r):
            if r.upperBound == Int(Int32.max) { return "expected a whole number ≥ \(r.lowerBound)" }
            return "expected a whole number from \(r.lowerBound) to \(r.upperBound)"
        case .binary: return "expected 0 or 1"
        case .category(let levels): return "expected one of: " + levels.joined(separator: ", ")
        case let .number(minimum, exclusive, maximum):
            let low = exclusive ? "> \(Self.plain(minimum))" : "≥ \(Self.plain(minimum))"
            return maximum.isFinite ? "expected a number \(low) and ≤ \(Self.plain(maximum))" : "expected a number \(low)"
        case .list(let allowed): return "expected values separated by | from: " + allowed.joined(separator: ", ")
        case .kecamatanList: return "expected kecamatan codes like 35.14.01 separated by |"
        }
    }

    static func plain(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }

    /// Where the parsed value is kept.
    public enum Storage: Sendable { case integer, number, text, region, none }
    public var storage: Storage {
        switch self {
        case .integer, .binary, .category: return .integer
        case .number: return .number
        case .identifier, .text, .list, .kecamatanList: return .text
        case .village: return .region
        case .nik: return .none
        }
    }
}

/// The items of a `|`-separated list field (pillars, kecamatan codes), trimmed,
/// empty items dropped.
public func listItems(_ text: String) -> [String] {
    text.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}

public struct ColumnSpec: Sendable {
    public let name: String
    public let kind: ColumnKind
    /// A required column must be in the header and non-empty on every row.
    public let required: Bool
    /// Used for an optional column that is absent or empty.
    public let defaultValue: Double?
    /// Each value may appear once in the file (identifiers always are).
    public let unique: Bool
    /// Personal data: its values are masked in every message and never stored.
    public var isPersonal: Bool { kind == .nik }

    public init(_ name: String, _ kind: ColumnKind, required: Bool = true, default defaultValue: Double? = nil, unique: Bool = false) {
        self.name = name
        self.kind = kind
        self.required = required
        self.defaultValue = defaultValue
        self.unique = unique
    }
}

/// A consistency rule across columns of one row, e.g. children out of school
/// cannot outnumber the children aged 7–18.
public struct RowRule: Sendable {
    /// The sum of these integer columns …
    public let parts: [String]
    /// … must not exceed this one.
    public let total: String
    public let message: String
}

public struct FileSchema: Sendable {
    /// Standard file name in a DATA_DIR, e.g. `households.csv`.
    public let fileName: String
    public let columns: [ColumnSpec]
    public let rowRules: [RowRule]
    private let indexByName: [String: Int]

    public init(fileName: String, columns: [ColumnSpec], rowRules: [RowRule] = []) {
        self.fileName = fileName
        self.columns = columns
        self.rowRules = rowRules
        self.indexByName = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1.name, $0) })
    }

    public func index(of name: String) -> Int? { indexByName[name] }

    public func spec(_ name: String) -> ColumnSpec {
        guard let i = indexByName[name] else { preconditionFailure("\(fileName) has no column \(name)") }
        return columns[i]
    }

}
