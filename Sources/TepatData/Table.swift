/// Text values stored end to end in one byte array: one allocation per column
/// instead of one per value.
public struct TextColumn: Sendable, Equatable {
    public private(set) var bytes: [UInt8] = []
    /// `ends[i]` is one past the last byte of value i.
    public private(set) var ends: [Int] = []

    public init() {}
    public init(_ values: [String]) { for v in values { append(v) } }

    public var count: Int { ends.count }

    public mutating func append(_ value: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: value)
        ends.append(bytes.count)
    }

    public mutating func append(_ value: String) {
        bytes.append(contentsOf: value.utf8)
        ends.append(bytes.count)
    }

    public mutating func append(contentsOf other: TextColumn) {
        let shift = bytes.count
        bytes.append(contentsOf: other.bytes)
        ends.append(contentsOf: other.ends.map { $0 + shift })
    }

    public subscript(i: Int) -> String {
        let start = i == 0 ? 0 : ends[i - 1]
        return String(decoding: bytes[start..<ends[i]], as: UTF8.self)
    }

    public func withBytes<R>(at i: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let start = i == 0 ? 0 : ends[i - 1]
        return bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<ends[i]])) }
    }

    public var values: [String] { (0..<count).map { self[$0] } }
}

/// A validated file held by column. Integers, yes/no and category indices are
/// `Int32`; numbers `Double`; region codes their digits as `Int64`. An optional
/// value that is absent reads as `Table.missingInteger` / NaN / "" / 0 unless the
/// schema gives a default.
public struct Table: Sendable {
    public static let missingInteger = Int32.min

    public let schema: FileSchema
    /// Which schema columns the file had.
    public let present: [Bool]
    public internal(set) var rowCount = 0
    /// Source line of each row, for messages about cross-row problems.
    public internal(set) var lines: [Int] = []

    var integerColumns: [[Int32]]
    var numberColumns: [[Double]]
    var textColumns: [TextColumn]
    var regionColumns: [[Int64]]
    /// Schema column index → position in its storage array (-1: not stored).
    let slot: [Int]

    init(schema: FileSchema, present: [Bool]) {
        self.schema = schema
        self.present = present
        var slot = [Int](repeating: -1, count: schema.columns.count)
        var counts = [0, 0, 0, 0]
        for (i, spec) in schema.columns.enumerated() {
            switch spec.kind.storage {
            case .integer: slot[i] = counts[0]; counts[0] += 1
            case .number: slot[i] = counts[1]; counts[1] += 1
            case .text: slot[i] = counts[2]; counts[2] += 1
            case .region: slot[i] = counts[3]; counts[3] += 1
            case .none: break
            }
        }
        self.slot = slot
        integerColumns = Array(repeating: [], count: counts[0])
        numberColumns = Array(repeating: [], count: counts[1])
        textColumns = Array(repeating: TextColumn(), count: counts[2])
        regionColumns = Array(repeating: [], count: counts[3])
    }

    public func has(_ name: String) -> Bool {
        schema.index(of: name).map { present[$0] } ?? false
    }

    private func storageSlot(_ name: String, _ storage: ColumnKind.Storage) -> Int {
        guard let i = schema.index(of: name) else { preconditionFailure("\(schema.fileName) has no column \(name)") }
        precondition(schema.columns[i].kind.storage == storage, "\(name) is not stored as \(storage)")
        return slot[i]
    }

    public func integers(_ name: String) -> [Int32] { integerColumns[storageSlot(name, .integer)] }
    public func numbers(_ name: String) -> [Double] { numberColumns[storageSlot(name, .number)] }
    public func texts(_ name: String) -> TextColumn { textColumns[storageSlot(name, .text)] }
    public func regionCodes(_ name: String) -> [RegionCode] {
        regionColumns[storageSlot(name, .region)].map { RegionCode(uncheckedValue: $0, level: .village) }
    }
    public func regionValues(_ name: String) -> [Int64] { regionColumns[storageSlot(name, .region)] }

    /// Category columns hold an index into the schema's levels; this gives the names.
    public func categoryNames(_ name: String) -> [String] {
        guard case .category(let levels) = schema.spec(name).kind else { preconditionFailure("\(name) is not a category") }
        return integers(name).map { $0 == Table.missingInteger ? "" : levels[Int($0)] }
    }

    mutating func reserveCapacity(_ rows: Int) {
        for i in integerColumns.indices { integerColumns[i].reserveCapacity(rows) }
        for i in numberColumns.indices { numberColumns[i].reserveCapacity(rows) }
        for i in regionColumns.indices { regionColumns[i].reserveCapacity(rows) }
        lines.reserveCapacity(rows)
    }

    /// Appends another chunk of the same file.
    public mutating func append(contentsOf other: Table) {
        for i in integerColumns.indices { integerColumns[i].append(contentsOf: other.integerColumns[i]) }
        for i in numberColumns.indices { numberColumns[i].append(contentsOf: other.numberColumns[i]) }
        for i in textColumns.indices { textColumns[i].append(contentsOf: other.textColumns[i]) }
        for i in regionColumns.indices { regionColumns[i].append(contentsOf: other.regionColumns[i]) }
        lines.append(contentsOf: other.lines)
        rowCount += other.rowCount
    }

}
