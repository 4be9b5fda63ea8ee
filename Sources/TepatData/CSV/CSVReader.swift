#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A streaming CSV reader over raw bytes: UTF-8 with or without a byte-order mark,
/// `\n`, `\r\n` or `\r` line ends, `,` or `;` delimiter (detected from the header),
/// RFC 4180 quoting with `""` escapes and line breaks inside quotes.
///
/// It reads the file in large chunks and hands out batches of records whose fields
/// point into its own buffer, so no per-field strings are made; memory is bounded
/// by the chunk size, not the file size. Hand-written because the CSV libraries in
/// the mirror parse 25–40k rows/s, far below the million a second a national
/// DTKS extract needs (see README).
public final class CSVReader {
    public let displayName: String
    /// Column names as written in the header, trimmed.
    public private(set) var header: [String] = []
    public private(set) var delimiter: UInt8 = UInt8(ascii: ",")
    /// Bytes read so far, for progress and throughput figures.
    public private(set) var bytesRead = 0

    public static let maximumRecordBytes = 64 << 20
    public static let maximumColumns = 10_000
    public static let defaultChunkBytes = 4 << 20
    private let chunkBytes: Int

    private let fd: Int32
    private let ownsDescriptor: Bool
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0
    private var end = 0
    private var atEOF = false
    private var line = 1
    /// Bytes of the file this reader may still read (a part of a file stops early).
    private var remaining = Int.max

    /// Opens `path` ("-" reads standard input) and reads its header.
    /// - Parameter chunkBytes: read size; small values let tests put record
    ///   boundaries everywhere.
    public init(path: String, displayName: String? = nil, chunkBytes: Int = CSVReader.defaultChunkBytes) throws(DataErrors) {
        self.displayName = displayName ?? path
        self.chunkBytes = max(16, chunkBytes)
        if path == "-" {
            fd = 0
            ownsDescriptor = false
        } else {
            fd = open(path, O_RDONLY)
            ownsDescriptor = true
            if fd < 0 {
                let reason = String(cString: strerror(errno))
                throw DataErrors(DataProblem(file: self.displayName, message: "cannot open file: \(reason)"))
            }
        }
        capacity = self.chunkBytes
        buffer = .allocate(capacity: capacity)
        try readHeader()
    }

    /// Reads the records in bytes `part` of a file whose header another reader
    /// has read; `firstLine` is the physical line at which `part` starts. Used to
    /// read the parts of a large file on several cores.
    public init(
        path: String, displayName: String, part: Range<Int>, header: [String], delimiter: UInt8,
        firstLine: Int, chunkBytes: Int = CSVReader.defaultChunkBytes
    ) throws(DataErrors) {
        self.displayName = displayName
        self.chunkBytes = max(16, chunkBytes)
        fd = open(path, O_RDONLY)
        ownsDescriptor = true
        capacity = self.chunkBytes
        buffer = .allocate(capacity: capacity)
        guard fd >= 0, lseek(fd, off_t(part.lowerBound), SEEK_SET) == off_t(part.lowerBound) else {
            throw DataErrors(DataProblem(file: displayName, message: "cannot open file: \(String(cString: strerror(errno)))"))
        }
        self.header = header
        self.delimiter = delimiter
        self.line = firstLine
        self.remaining = part.count
        self.partStart = part.lowerBound
    }

    /// Physical line at which the next record starts.
    var nextLine: Int { line }

    /// Bytes left to parse: unread file bytes (up to the end of this reader's
    /// part) plus what is buffered. For sizing tables before they fill.
    public var bytesLeft: Int {
        var info = stat()
        let fileSize = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : 0
        let unread = remaining == Int.max ? max(0, fileSize - bytesRead - partStart) : remaining
        return unread + (end - start)
    }
    private var partStart = 0

    /// Stops this reader at byte `offset` of the file (the end of its part),
    /// including bytes already buffered past it.
    func limit(toOffset offset: Int) {
        let bufferedFrom = partStart + bytesRead - end  // file offset of buffer[0]
        if offset < partStart + bytesRead {
            end = max(start, offset - bufferedFrom)
            remaining = 0
            atEOF = true
        } else {
            remaining = offset - partStart - bytesRead
        }
    }

    deinit {
        buffer.deallocate()
        if ownsDescriptor { close(fd) }
    }

    private func fileProblem(_ message: String, line: Int = 0) -> DataErrors {
        DataErrors(DataProblem(file: displayName, line: line, message: message))
    }

    // MARK: Buffer management

    /// Moves unread bytes to the front and reads until the buffer is full or the
    /// input ends. Invalidates previously returned batches.
    private func refill() throws(DataErrors) {
        if start > 0 {
            if end > start { memmove(buffer, buffer + start, end - start) }
            end -= start
            start = 0
        }
        if end == capacity {
            guard capacity < CSVReader.maximumRecordBytes else {
                throw fileProblem(
                    "a record longer than \(CSVReader.maximumRecordBytes >> 20) MiB starts here; is a quote never closed?",
                    line: line)
            }
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            bigger.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = bigger
            capacity *= 2
        }
        while end < capacity && !atEOF {
            if remaining == 0 { atEOF = true; break }
            let n = read(fd, buffer + end, min(capacity - end, remaining))
            if n < 0 {
                if errno == EINTR { continue }
                throw fileProblem("read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { atEOF = true } else { end += n; bytesRead += n; if remaining != Int.max { remaining -= n } }
        }
    }

    // MARK: Header

    private func readHeader() throws(DataErrors) {
        try refill()
        if end == 0 { throw fileProblem("the file is empty; expected a header row") }
        if end >= 2 && ((buffer[0] == 0xFF && buffer[1] == 0xFE) || (buffer[0] == 0xFE && buffer[1] == 0xFF)) {
            throw fileProblem("the file is UTF-16 encoded; save it as \"CSV UTF-8\"")
        }
        if end >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { start = 3 }
        // NUL bytes in the header line (a NUL in a later row is that row's problem).
        let headerEnd = (start..<min(end, 4096)).first { buffer[$0] == 10 || buffer[$0] == 13 } ?? min(end, 4096)
        if let nul = (start..<headerEnd).first(where: { buffer[$0] == 0 }) {
            let utf16Like = (start..<min(end, 64)).filter { buffer[$0] == 0 }.count > 8
            throw fileProblem(
                utf16Like ? "the file looks UTF-16 encoded (NUL bytes in the header); save it as \"CSV UTF-8\""
                    : "NUL byte in the header at byte \(nul + 1)",
                line: 1)
        }
        delimiter = detectDelimiter()
        var batch = CSVBatch()
        guard try nextBatch(maxRows: 1, into: &batch), batch.rowCount == 1 else {
            throw fileProblem("the file is empty; expected a header row")
        }
        if let error = batch.rowErrors.first {
            throw DataErrors(DataProblem(file: displayName, line: 1, columnNumber: error.columnNumber, message: error.message))
        }
        let n = batch.fieldCount(row: 0)
        guard n <= CSVReader.maximumColumns else {
            throw fileProblem("the header has \(n) columns; at most \(CSVReader.maximumColumns) are accepted", line: 1)
        }
        header = (0..<n).map { j in
            let name = String(decoding: batch.field(row: 0, column: j), as: UTF8.self)
            return String(name.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        }
    }

    /// `;` when the header line has more semicolons than commas outside quotes
    /// (Excel in an Indonesian locale), else `,`.
    private func detectDelimiter() -> UInt8 {
        var commas = 0, semicolons = 0, inQuotes = false
        var i = start
        while i < end {
            let b = buffer[i]
            if b == UInt8(ascii: "\"") { inQuotes.toggle() }
            else if !inQuotes {
                if b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") { break }
                if b == UInt8(ascii: ",") { commas += 1 } else if b == UInt8(ascii: ";") { semicolons += 1 }
            }
            i += 1
        }
        return semicolons > commas ? UInt8(ascii: ";") : UInt8(ascii: ",")
    }

    // MARK: Records

    private enum RecordResult { case complete, blank, needMore, endOfInput }

    /// Fills `batch` with up to `maxRows` records. Returns false when the input is
    /// exhausted and no record was read. The batch's fields are valid until the
    /// next call.
    public func nextBatch(maxRows: Int, into batch: inout CSVBatch) throws(DataErrors) -> Bool {
        batch.reset(base: buffer)
        if !atEOF && end - start < chunkBytes / 2 { try refill(); batch.reset(base: buffer) }
        while batch.rowCount < maxRows {
            switch parseRecord(into: &batch) {
            case .complete, .blank:
                continue
            case .endOfInput:
                return batch.rowCount > 0
            case .needMore:
                if batch.rowCount > 0 { return true }
                try refill()
                batch.reset(base: buffer)
            }
        }
        return true
    }

    /// Parses one record at `start`. On `.needMore` nothing is consumed or changed,
    /// so the record is parsed again from its start once more bytes are in.
    private func parseRecord(into batch: inout CSVBatch) -> RecordResult {
        let delimiter = self.delimiter
        let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), carriage = UInt8(ascii: "\r")
        var i = start
        if i >= end { return atEOF ? .endOfInput : .needMore }
        // A blank line is skipped, not read as a record with one empty field.
        if buffer[i] == newline { start = i + 1; line += 1; return .blank }
        if buffer[i] == carriage {
            if i + 1 >= end && !atEOF { return .needMore }
            start = (i + 1 < end && buffer[i + 1] == newline) ? i + 2 : i + 1
            line += 1
            return .blank
        }
        let recordLine = line
        var linesInside = 0
        var pendingUnescape: [Int] = []
        var error: (column: Int, message: String)? = nil
        var column = 0

        fieldLoop: while true {
            column += 1
            if i < end && buffer[i] == quote {
                // Quoted field: find the closing quote; "" is an escaped quote.
                var r = i + 1
                var escaped = false
                let quoteLine = recordLine + linesInside
                while true {
                    if r >= end {
                        if !atEOF { return .needMore }
                        error = (column, "a quote opened here (line \(quoteLine)) is never closed")
                        batch.appendField(start: i + 1, end: end)
                        i = end
                        break fieldLoop
                    }
                    let c = buffer[r]
                    if c == quote {
                        if r + 1 >= end && !atEOF { return .needMore }
                        if r + 1 < end && buffer[r + 1] == quote { escaped = true; r += 2; continue }
                        break
                    }
                    if c == newline { linesInside += 1 }
                    r += 1
                }
                if escaped { pendingUnescape.append(batch.fields.count) }
                batch.appendField(start: i + 1, end: r)
                i = r + 1
                if i >= end {
                    if !atEOF { return .needMore }
                    break fieldLoop
                }
                let c = buffer[i]
                if c == delimiter { i += 1; continue fieldLoop }
                if c == newline || c == carriage { break fieldLoop }
                // Text after a closing quote: report it and skip to the end of the line.
                error = (column, "unexpected \"\(DisplayValue.make(UnsafeBufferPointer(start: buffer + i, count: 1)))\" after a closing quote; quotes inside a quoted field must be doubled (\"\")")
                while i < end && buffer[i] != newline && buffer[i] != carriage { i += 1 }
                if i >= end && !atEOF { return .needMore }
                break fieldLoop
            } else {
                // Unquoted field: up to the delimiter or the end of the line.
                let fieldStart = i
                while i < end {
                    let c = buffer[i]
                    if c == delimiter || c == newline || c == carriage { break }
                    i += 1
                }
                if i >= end {
                    if !atEOF { return .needMore }
                    batch.appendField(start: fieldStart, end: i)
                    break fieldLoop
                }
                batch.appendField(start: fieldStart, end: i)
                if buffer[i] == delimiter { i += 1; continue fieldLoop }
                break fieldLoop
            }
        }
        // The record is complete: consume its line end, then unescape quotes in place.
        if i < end && buffer[i] == carriage {
            if i + 1 >= end && !atEOF { return .needMore }
            i += (i + 1 < end && buffer[i + 1] == newline) ? 2 : 1
        } else if i < end && buffer[i] == newline {
            i += 1
        }
        for f in pendingUnescape { batch.unescapeField(f) }
        batch.finishRow(line: recordLine)
        if let error { batch.rowErrors.append(.init(row: batch.rowCount - 1, columnNumber: error.column, message: error.message)) }
        line = recordLine + linesInside + 1
        start = i
        return .complete
    }
}

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
