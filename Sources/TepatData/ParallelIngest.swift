import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reading a whole file on several cores: the file is cut into parts at record
/// boundaries and each part is decoded by its own reader; the tables are then
/// joined in order and ids are checked across parts.
extension TableReader {
    public struct FileResult: Sendable {
        public var table: Table
        public var problems: ProblemLog
        public var rowsRejected: Int
    }

    /// Files smaller than this are read on one core: splitting would not pay.
    public static let parallelThreshold = 8 << 20

    /// Reads all of `path`, in parallel when it is a large regular file. Gives the
    /// same table and the same problems as a serial read.
    public static func readFile(
        path: String, schema: FileSchema, codebook: Codebook? = nil, displayName: String? = nil,
        problemLimit: Int = 10_000, cores: Int = ProcessInfo.processInfo.activeProcessorCount,
        minimumPartBytes: Int = TableReader.parallelThreshold
    ) throws(DataErrors) -> FileResult {
        let first = try TableReader(path: path, schema: schema, codebook: codebook, displayName: displayName, problemLimit: problemLimit)
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let parts = min(max(1, cores), size / max(1, minimumPartBytes))
        guard parts >= 2, let starts = FileSplitter.recordStarts(path: path, parts: parts), !starts.isEmpty else {
            let table = try first.readAll()
            return FileResult(table: table, problems: first.problems, rowsRejected: first.rowsRejected)
        }
        first.csv.limit(toOffset: starts[0].offset)
        first.bytesToJoin = size - starts[0].offset
        var readers = [first]
        for (k, start) in starts.enumerated() {
            let end = k + 1 < starts.count ? starts[k + 1].offset : size
            let csv = try CSVReader(
                path: path, displayName: first.displayName, part: start.offset..<end,
                header: first.csv.header, delimiter: first.csv.delimiter, firstLine: start.line)
            readers.append(try TableReader(csv: csv, schema: schema, codebook: codebook, problemLimit: problemLimit))
        }

        let results = WorkerSlots<Result<Table, DataErrors>>(count: readers.count)
        // Each worker touches only its own reader.
        let workers = PartReaders(readers: readers)
        DispatchQueue.concurrentPerform(iterations: readers.count) { k in
            results.store(k, Result { () throws(DataErrors) -> Table in try workers.readers[k].readAll() })
        }
        var tables: [Table] = []
        for k in readers.indices {
            switch results.value(k) {
            case .success(let table): tables.append(table)
            case .failure(let error): throw error
            }
        }
        // A part that saw a broken quote may have been cut inside a quoted field
        // by the stray quote: read such a file again serially for exact messages.
        if readers.contains(where: { $0.problems.problems.contains { $0.message.contains("quote") } }) {
            let serial = try TableReader(path: path, schema: schema, codebook: codebook, displayName: displayName, problemLimit: problemLimit)
            let table = try serial.readAll()
            return FileResult(table: table, problems: serial.problems, rowsRejected: serial.rowsRejected)
        }

        var found: [DataProblem] = []
        var omitted = 0
        var rejected = 0
        var table = tables[0]
        for k in readers.indices {
            found += readers[k].problems.problems
            omitted += readers[k].problems.omitted
            rejected += readers[k].rowsRejected
            if k == 0 { continue }
            // Ids seen in earlier parts: a repeat is a duplicate, as in a serial read.
            var part = tables[k]
            var keep = [Bool](repeating: true, count: part.rowCount)
            for (specIndex, _) in first.identifiers {
                let spec = schema.columns[specIndex]
                let ids = part.texts(spec.name)
                for r in 0..<part.rowCount {
                    let earlier = ids.withBytes(at: r) { first.identifiers[specIndex]!.insert(FieldParsing.hash($0), line: part.lines[r]) }
                    if let earlier, keep[r] {
                        keep[r] = false
                        found.append(DataProblem(
                            file: first.displayName, line: part.lines[r],
                            columnNumber: first.csv.header.firstIndex { $0.lowercased() == spec.name }.map { $0 + 1 },
                            column: spec.name, value: DisplayValue.make(ids[r]),
                            message: "duplicate \(spec.name) (first on line \(earlier))"))
                    }
                }
            }
            if keep.contains(false) {
                rejected += keep.filter { !$0 }.count
                part = part.filtered(keep)
            }
            table.append(contentsOf: part)
        }
        // In line order, as one serial pass reports them.
        found.sort(by: DataProblem.lineOrder)
        var log = ProblemLog(limit: problemLimit)
        for p in found { log.record(p) }
        log.countOmitted(omitted)
        return FileResult(table: table, problems: log, rowsRejected: rejected)
    }
}

private struct PartReaders: @unchecked Sendable {
    let readers: [TableReader]
}

/// Results written by concurrent workers, one slot each, read once all are done.
public final class WorkerSlots<Value>: @unchecked Sendable {
    private var slots: [Value?]
    private let lock = NSLock()
    public init(count: Int) { slots = Array(repeating: nil, count: count) }
    public func store(_ k: Int, _ value: Value) { lock.lock(); slots[k] = value; lock.unlock() }
    public func value(_ k: Int) -> Value { lock.lock(); defer { lock.unlock() }; return slots[k]! }
}

/// Finds where to cut a CSV file into parts without cutting a record: at a line
/// end preceded by an even number of quote characters (outside any quoted field).
enum FileSplitter {
    /// Byte offset and physical line number where parts 2…`parts` start; nil when
    /// the file cannot be split safely (no `\n` line ends, or unreadable).
    static func recordStarts(path: String, parts: Int) -> [(offset: Int, line: Int)]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        let size = Int(info.st_size)
        guard size > 0, let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else { return nil }
        defer { munmap(mapped, size) }
        let base = mapped.assumingMemoryBound(to: UInt8.self)
        // Files with lone \\r line ends are read serially.
        guard memchr(base, 10, min(size, 1 << 16)) != nil else { return nil }

        func count(_ byte: Int32, from: Int, to: Int) -> Int {
            var n = 0, p = from
            while p < to, let hit = memchr(base + p, byte, to - p) {
                n += 1
                p = base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
            }
            return n
        }
        var starts: [(offset: Int, line: Int)] = []
        var position = 0, quotes = 0, newlines = 0
        for k in 1..<parts {
            let target = max(position, size * k / parts)
            quotes += count(34, from: position, to: target)
            newlines += count(10, from: position, to: target)
            position = target
            while position < size {
                guard let hit = memchr(base + position, 10, size - position) else { return starts.isEmpty ? nil : starts }
                let lineEnd = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                quotes += count(34, from: position, to: lineEnd)
                newlines += 1
                position = lineEnd + 1
                if quotes % 2 == 0 {
                    if position < size { starts.append((position, newlines + 1)) }
                    break
                }
            }
        }
        return starts
    }
}
