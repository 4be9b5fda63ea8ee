import Spreadsheet

/// One problem found in an input file, located precisely enough that a planner can
/// open the file and fix it: file, 1-based line, column (position and name), the
/// offending value (masked when it is personal data) and what was expected.
public struct DataProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based physical line where the record starts; 0 for a whole-file problem.
    public var line: Int
    /// 1-based position of the column in the file's header, when known.
    public var columnNumber: Int?
    public var column: String?
    /// The value as it may be shown: truncated, control bytes escaped, personal data masked.
    public var value: String?
    public var message: String
    /// The sheet, when the file is an .xlsx workbook: `line` is then the
    /// sheet's row and `columnNumber` its column (A = 1).
    public var sheet: String? = nil

    public init(
        file: String, line: Int = 0, columnNumber: Int? = nil, column: String? = nil,
        value: String? = nil, message: String
    ) {
        self.file = file
        self.line = line
        self.columnNumber = columnNumber
        self.column = column
        self.value = value
        self.message = message
    }

    /// `households.csv:12:7: floor_area_m2 = "abc": expected a number > 0`, or
    /// for a workbook `households.xlsx:Sheet1!G12: …`.
    public var description: String {
        var location = file
        if let sheet {
            location += ":" + Self.quotedSheet(sheet)
            if line > 0 { location += columnNumber.map { "!" + CellReference.name(row: line, column: $0) } ?? ", row \(line)" }
        } else {
            if line > 0 { location += ":\(line)" }
            if let columnNumber, line > 0 { location += ":\(columnNumber)" }
        }
        var subject = ""
        if let column { subject = column }
        if let value { subject += subject.isEmpty ? "value \"\(value)\"" : " = \"\(value)\"" }
        return subject.isEmpty ? "\(location): \(message)" : "\(location): \(subject): \(message)"
    }

    /// A sheet name as Excel writes it in a reference: quoted when it holds
    /// anything but letters, digits and `_`.
    static func quotedSheet(_ name: String) -> String {
        name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } ? name : "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// Order of a file's problems as one serial read reports them: by line, then column.
    public static func lineOrder(_ a: DataProblem, _ b: DataProblem) -> Bool {
        (a.line, a.columnNumber ?? 0) < (b.line, b.columnNumber ?? 0)
    }

    /// The problem as the reason column of rejected.csv: everything but the location.
    public var reason: String {
        var subject = column ?? ""
        if let value { subject += " = \"\(value)\"" }
        return subject.isEmpty ? message : "\(subject): \(message)"
    }
}

/// Problems found in one or more files, reported all at once rather than stopping
/// at the first. Keeps the first `limit` in full and counts the rest, so a file
/// with a million bad rows cannot exhaust memory.
public struct ProblemLog: Sendable {
    public private(set) var problems: [DataProblem] = []
    public private(set) var count = 0
    public let limit: Int

    public init(limit: Int = 10_000) { self.limit = limit }

    public mutating func record(_ problem: DataProblem) {
        count += 1
        if problems.count < limit { problems.append(problem) }
    }

    public mutating func record(contentsOf other: ProblemLog) {
        for p in other.problems { record(p) }
        count += other.count - other.problems.count
    }

    /// Counts problems that were found but not kept (beyond another log's limit).
    public mutating func countOmitted(_ n: Int) { count += n }

    /// The same log with every problem passed through `transform`.
    public func map(_ transform: (DataProblem) -> DataProblem) -> ProblemLog {
        var mapped = self
        mapped.problems = problems.map(transform)
        return mapped
    }

    public var isEmpty: Bool { count == 0 }
    public var omitted: Int { count - problems.count }
}

/// Thrown when input cannot be used: carries every problem found.
public struct DataErrors: Error, Sendable, CustomStringConvertible {
    public let log: ProblemLog
    public init(_ log: ProblemLog) { self.log = log }
    public init(_ problem: DataProblem) {
        var log = ProblemLog()
        log.record(problem)
        self.log = log
    }

    public var description: String {
        var lines = log.problems.map(\.description)
        if log.omitted > 0 { lines.append("… and \(log.omitted) more problems") }
        return lines.joined(separator: "\n")
    }
}

/// How a raw field value is shown in a message.
public enum DisplayValue {
    static let maximumLength = 60

    /// Printable, bounded text for a field's bytes. Invalid UTF-8 and control
    /// bytes are shown as `\xNN` so the message itself stays clean.
    public static func make(_ bytes: UnsafeBufferPointer<UInt8>, personal: Bool = false) -> String {
        if personal { return mask(bytes) }
        var out = ""
        var shown = 0
        var i = 0
        while i < bytes.count && shown < maximumLength {
            let b = bytes[i]
            if b >= 0x20 && b < 0x7F {
                out.unicodeScalars.append(Unicode.Scalar(b))
                i += 1
            } else if b >= 0x80, let (scalar, length) = decodeUTF8(bytes, at: i) {
                // Invisible format characters (a byte-order mark, zero-width
                // spaces) are shown as code points, or the message hides the fault.
                if scalar.properties.generalCategory == .format {
                    out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
                i += length
            } else {
                out += "\\x" + String(b, radix: 16, uppercase: true).leftPadded(to: 2)
                i += 1
            }
            shown += 1
        }
        if i < bytes.count { out += "…(\(bytes.count) bytes)" }
        return out
    }

    public static func make(_ text: String, personal: Bool = false) -> String {
        var copy = Array(text.utf8)
        return copy.withUnsafeMutableBufferPointer { make(UnsafeBufferPointer($0), personal: personal) }
    }

    /// Personal identifiers (NIK) keep only their first six digits, which are the
    /// kecamatan of registration and not personal, so a problem can still be found.
    static func mask(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let keep = min(6, bytes.count)
        let head = String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<keep]), as: UTF8.self)
            .filter(\.isNumber)
        return head + String(repeating: "*", count: max(0, min(bytes.count, 16) - head.count))
    }

    /// Decodes one UTF-8 scalar starting at `i`, or nil if the bytes there are not valid UTF-8.
    static func decodeUTF8(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar, Int)? {
        var iterator = bytes[i...].makeIterator()
        var decoder = UTF8()
        switch decoder.decode(&iterator) {
        case .scalarValue(let scalar):
            let length = UTF8.width(scalar)
            return scalar.value >= 0x20 && !(0x7F...0x9F).contains(scalar.value) ? (scalar, length) : nil
        default:
            return nil
        }
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
