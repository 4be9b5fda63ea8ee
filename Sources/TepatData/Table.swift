import Foundation
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

    /// Removes the values marked in `remove`, in place.
    mutating func removeValues(_ remove: [Bool]) {
        var kept = 0, written = 0, start = 0
        for i in ends.indices {
            let end = ends[i]
            if !remove[i] {
                if written != start { for k in 0..<(end - start) { bytes[written + k] = bytes[start + k] } }
                written += end - start
                ends[kept] = written
                kept += 1
            }
            start = end
        }
        bytes.removeLast(bytes.count - written)
        ends.removeLast(ends.count - kept)
    }
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

    /// Adds `shift` to every row's line (a part of a file read on its own).
    mutating func shiftLines(by shift: Int) {
        guard shift != 0 else { return }
        for i in lines.indices { lines[i] += shift }
    }

    /// Removes the rows marked in `remove`, in place: the kept rows move up.
    public mutating func removeRows(_ remove: [Bool]) {
        func compact<T>(_ column: inout [T]) {
            var kept = 0
            for r in column.indices where !remove[r] {
                column[kept] = column[r]
                kept += 1
            }
            column.removeLast(column.count - kept)
        }
        for i in integerColumns.indices { compact(&integerColumns[i]) }
        for i in numberColumns.indices { compact(&numberColumns[i]) }
        for i in regionColumns.indices { compact(&regionColumns[i]) }
        for i in textColumns.indices { textColumns[i].removeValues(remove) }
        compact(&lines)
        rowCount = lines.count
    }

    /// Appends another part of the same file, a column per task on all cores:
    /// joining the parts of a file read in parallel is otherwise a serial copy
    /// of half the table.
    mutating func appendConcurrently(contentsOf other: Table) {
        let counts = [integerColumns.count, numberColumns.count, textColumns.count, regionColumns.count]
        let tasks = counts.reduce(1, +)  // and the lines
        integerColumns.withUnsafeMutableBufferPointer { integers in
            numberColumns.withUnsafeMutableBufferPointer { numbers in
                textColumns.withUnsafeMutableBufferPointer { texts in
                    regionColumns.withUnsafeMutableBufferPointer { regions in
                        withUnsafeMutablePointer(to: &lines) { lines in
                            // Each task appends to one column of its own.
                            let columns = ColumnsBeingJoined(integers: integers, numbers: numbers, texts: texts, regions: regions, lines: lines)
                            DispatchQueue.concurrentPerform(iterations: tasks) { k in
                                var k = k
                                if k < counts[0] { columns.integers[k].append(contentsOf: other.integerColumns[k]); return }
                                k -= counts[0]
                                if k < counts[1] { columns.numbers[k].append(contentsOf: other.numberColumns[k]); return }
                                k -= counts[1]
                                if k < counts[2] { columns.texts[k].append(contentsOf: other.textColumns[k]); return }
                                k -= counts[2]
                                if k < counts[3] { columns.regions[k].append(contentsOf: other.regionColumns[k]); return }
                                columns.lines.pointee.append(contentsOf: other.lines)
                            }
                        }
                    }
                }
            }
        }
        rowCount += other.rowCount
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

/// A table's columns, each appended to by one task of `appendConcurrently`.
private struct ColumnsBeingJoined: @unchecked Sendable {
    let integers: UnsafeMutableBufferPointer<[Int32]>
    let numbers: UnsafeMutableBufferPointer<[Double]>
    let texts: UnsafeMutableBufferPointer<TextColumn>
    let regions: UnsafeMutableBufferPointer<[Int64]>
    let lines: UnsafeMutablePointer<[Int]>
}
