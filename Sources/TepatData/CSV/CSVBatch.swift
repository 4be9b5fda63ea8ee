/// Records parsed from one chunk. Fields are byte ranges of the reader's buffer,
/// valid until the reader's next call.
public struct CSVBatch {
    public struct RowError: Sendable {
        public var row: Int
        public var columnNumber: Int
        public var message: String
    }

    var base: UnsafeMutablePointer<UInt8>? = nil
    /// Where each field starts and ends in the buffer.
    let fields = FieldBounds()
    var rowFirstField: [Int] = [0]
    var rowLines: [Int] = []
    /// Structural problems (unclosed or stray quotes) by row.
    public internal(set) var rowErrors: [RowError] = []

    public init() {}

    mutating func reset(base: UnsafeMutablePointer<UInt8>) {
        self.base = base
        fields.removeAll()
        rowFirstField.removeAll(keepingCapacity: true)
        rowFirstField.append(0)
        rowLines.removeAll(keepingCapacity: true)
        rowErrors.removeAll(keepingCapacity: true)
    }

    @inline(__always) mutating func appendField(start: Int, end: Int) {
        fields.append(start: start, end: end)
    }

    mutating func finishRow(line: Int) {
        rowFirstField.append(fields.count)
        rowLines.append(line)
    }

    /// Collapses `""` to `"` inside field `f`, in place.
    mutating func unescapeField(_ f: Int) {
        guard let base else { return }
        var r = fields.start(f), w = fields.start(f)
        let e = fields.end(f)
        while r < e {
            base[w] = base[r]
            if base[r] == UInt8(ascii: "\"") && r + 1 < e && base[r + 1] == UInt8(ascii: "\"") { r += 1 }
            r += 1
            w += 1
        }
        fields.setEnd(f, w)
    }

    public var rowCount: Int { rowLines.count }

    /// Bytes spanned by the batch's records, for estimating rows in a file.
    public var byteSpan: Int {
        guard fields.count > 0, rowCount > 0 else { return 0 }
        return fields.end(rowFirstField[rowCount] - 1) - fields.start(0) + rowCount
    }

    @inline(__always) public func fieldCount(row: Int) -> Int {
        rowFirstField[row + 1] - rowFirstField[row]
    }

    /// 1-based physical line where the record starts.
    @inline(__always) public func line(row: Int) -> Int { rowLines[row] }

    @inline(__always) public func field(row: Int, column: Int) -> UnsafeBufferPointer<UInt8> {
        let f = rowFirstField[row] + column
        let start = fields.start(f)
        return UnsafeBufferPointer(start: base! + start, count: fields.end(f) - start)
    }
}

/// Start and end offsets of a batch's fields in the reader's buffer, as 32-bit
/// pairs in storage of its own. Parsing appends one per field, and decoding a
/// column reads one per row, a row's width apart: at half the size of two
/// `Int`s, twice as many rows' offsets stay in cache, and an append checks
/// only the capacity (not, as an array's, whether the storage is shared).
/// Copies of a batch share it; a reader keeps one batch.
final class FieldBounds {
    private var bounds: UnsafeMutablePointer<UInt32>
    private var capacity = 4096
    private(set) var count = 0

    init() { bounds = .allocate(capacity: 2 * capacity) }
    deinit { bounds.deallocate() }

    @inline(__always) func append(start: Int, end: Int) {
        if count == capacity { grow() }
        // A buffer never exceeds CSVReader.maximumRecordBytes × 2, far below 2³².
        bounds[2 * count] = UInt32(truncatingIfNeeded: start)
        bounds[2 * count + 1] = UInt32(truncatingIfNeeded: end)
        count += 1
    }

    @inline(__always) func start(_ f: Int) -> Int { Int(bounds[2 * f]) }
    @inline(__always) func end(_ f: Int) -> Int { Int(bounds[2 * f + 1]) }
    func setEnd(_ f: Int, _ end: Int) { bounds[2 * f + 1] = UInt32(truncatingIfNeeded: end) }
    func removeAll() { count = 0 }

    private func grow() {
        let bigger = UnsafeMutablePointer<UInt32>.allocate(capacity: 4 * capacity)
        bigger.update(from: bounds, count: 2 * count)
        bounds.deallocate()
        bounds = bigger
        capacity *= 2
    }
}

extension CSVBatch {
    /// Field `column` of `row` as a number, as the input files' number columns
    /// accept it (`.` decimal mark, optional exponent); nil when it is not one.
    public func number(row: Int, column: Int) -> Double? {
        FieldParsing.number(FieldParsing.trimmed(field(row: row, column: column)))
    }
}
