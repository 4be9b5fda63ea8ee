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
    let chunkBytes: Int

    private let fd: Int32
    private let ownsDescriptor: Bool
    private(set) var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    var start = 0
    private(set) var end = 0
    private(set) var atEOF = false
    var line = 1
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
    func refill() throws(DataErrors) {
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
            String(decoding: batch.field(row: 0, column: j), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
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
}
