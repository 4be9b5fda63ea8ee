import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reading a whole file on several cores: the file is cut into parts at record
/// boundaries and each part is decoded by its own reader, which numbers its lines
/// from 1 and records its ids without checking them. The parts are then joined
/// in order, their lines shifted to the file's, and ids checked across the whole
/// file at once by sorting.
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
            return try joined([first])
        }
        first.csv.limit(toOffset: starts[0])
        first.bytesToJoin = size - starts[0]
        var readers = [first]
        for (k, start) in starts.enumerated() {
            let end = k + 1 < starts.count ? starts[k + 1] : size
            // Lines counted from 1 within the part; shifted once the parts
            // before it have been read and their lines counted.
            let csv = try CSVReader(
                path: path, displayName: first.displayName, part: start..<end,
                header: first.csv.header, delimiter: first.csv.delimiter, firstLine: 1)
            readers.append(try TableReader(csv: csv, schema: schema, codebook: codebook, problemLimit: problemLimit))
        }
        let result = try joined(readers)
        // A part that saw a broken quote may have been cut inside a quoted field
        // by the stray quote: read such a file again serially for exact messages.
        if readers.contains(where: { $0.problems.problems.contains { $0.message.contains("quote") } }) {
            let serial = try TableReader(path: path, schema: schema, codebook: codebook, displayName: displayName, problemLimit: problemLimit)
            let table = try serial.readAll()
            return FileResult(table: table, problems: serial.problems, rowsRejected: serial.rowsRejected)
        }
        return result
    }

    /// Reads each reader's records (one thread each), joins them in order with
    /// lines shifted to the file's, and checks ids across all of them. One
    /// reader is a serial read (`readAll`).
    static func joined(_ readers: [TableReader]) throws(DataErrors) -> FileResult {
        let first = readers[0]
        let results = WorkerSlots<Result<PartRead, DataErrors>>(count: readers.count)
        // Each worker touches only its own reader.
        let workers = PartReaders(readers: readers)
        DispatchQueue.concurrentPerform(iterations: readers.count) { k in
            results.store(k, Result { () throws(DataErrors) -> PartRead in try PartRead(workers.readers[k]) })
        }
        var read: [PartRead?] = []
        for k in readers.indices {
            switch results.value(k) {
            case .success(let part): read.append(part)
            case .failure(let error): throw error
            }
        }

        var found: [DataProblem] = []
        var omitted = 0
        // Taken out of `read`, so the columns are not shared and grow in place.
        guard let firstPart = read[0].take() else { preconditionFailure("no first part") }
        var (table, bad) = (firstPart.table, firstPart.bad)
        var sightings = firstPart.sightings.mapValues { [$0] }
        var nextLine = first.csv.nextLine
        for k in readers.indices {
            found += readers[k].problems.problems
            omitted += readers[k].problems.omitted
            if k == 0 { continue }
            let shift = nextLine - 1
            nextLine += readers[k].csv.nextLine - 1
            guard var part = read[k].take() else { continue }
            part.table.shiftLines(by: shift)
            for i in (found.count - readers[k].problems.problems.count)..<found.count where found[i].line > 0 { found[i].line += shift }
            for (column, seen) in part.sightings {
                let offset = table.rowCount
                sightings[column]!.append(seen.map { IdentifierSighting(hash: $0.hash, row: $0.row + offset) })
            }
            table.appendConcurrently(contentsOf: part.table)
            bad += part.bad
        }
        found += checkIdentifiers(sightings, in: table, reader: first, bad: &bad)
        let rejected = bad.reduce(0) { $0 + ($1 ? 1 : 0) }
        if rejected > 0 { table.removeRows(bad) }
        // In line order, as one serial pass reports them.
        found.sort(by: DataProblem.lineOrder)
        var log = ProblemLog(limit: first.problems.limit)
        for p in found { log.record(p) }
        log.countOmitted(omitted)
        return FileResult(table: table, problems: log, rowsRejected: rejected)
    }

    /// Every id seen again after its first row (in file order), as a serial read
    /// reports it: the repeat is a problem and its row is bad. `sightings` holds
    /// each part's ids sorted by hash and row, rows counted across the parts.
    private static func checkIdentifiers(
        _ sightings: [Int: [[IdentifierSighting]]], in table: Table, reader: TableReader, bad: inout [Bool]
    ) -> [DataProblem] {
        var found: [DataProblem] = []
        for (column, parts) in sightings.sorted(by: { $0.key < $1.key }) {
            let spec = reader.schema.columns[column]
            let columnNumber = reader.columnNumber(of: spec.name)
            let seen = IdentifierSighting.merged(parts)
            var i = 0
            while i < seen.count {
                var j = i + 1
                while j < seen.count && seen[j].hash == seen[i].hash {
                    let row = seen[j].row
                    bad[row] = true
                    let value: String
                    switch spec.kind.storage {
                    case .region: value = RegionCode(uncheckedValue: table.regionColumns[table.slot[column]][row], level: .village).description
                    default: value = table.textColumns[table.slot[column]].withBytes(at: row) { DisplayValue.make($0, personal: spec.isPersonal) }
                    }
                    found.append(DataProblem(
                        file: reader.displayName, line: table.lines[row], columnNumber: columnNumber,
                        column: columnNumber.map { reader.csv.header[$0 - 1] } ?? spec.name, value: value,
                        message: "duplicate \(spec.name) (first on line \(table.lines[seen[i].row]))"))
                    j += 1
                }
                i = j
            }
        }
        return found
    }
}

/// What a worker read from one part: every row, bad ones marked, and its ids.
private struct PartRead {
    var table: Table
    var bad: [Bool]
    var sightings: [Int: [IdentifierSighting]]

    init(_ reader: TableReader) throws(DataErrors) {
        (table, bad) = try reader.nextUnfilteredChunk(maxRows: .max) ?? (Table(schema: reader.schema, present: reader.present), [])
        sightings = reader.sightings.mapValues(IdentifierSighting.sortedByHash)
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
    /// Byte offsets where parts 2…`parts` start; nil when the file cannot be
    /// split safely (no `\n` line ends, or unreadable). Lines are not counted
    /// here: each part counts its own as it is read.
    static func recordStarts(path: String, parts: Int) -> [Int]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        let size = Int(info.st_size)
        guard size > 0, let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else { return nil }
        defer { munmap(mapped, size) }
        let base = mapped.assumingMemoryBound(to: UInt8.self)
        // Files with lone \r line ends are read serially.
        guard memchr(base, 10, min(size, 1 << 16)) != nil else { return nil }

        func count(_ byte: Int32, from: Int, to: Int) -> Int {
            var n = 0, p = from
            while p < to, let hit = memchr(base + p, byte, to - p) {
                n += 1
                p = base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
            }
            return n
        }
        var starts: [Int] = []
        var position = 0, quotes = 0
        for k in 1..<parts {
            let target = max(position, size * k / parts)
            quotes += count(34, from: position, to: target)
            position = target
            while position < size {
                guard let hit = memchr(base + position, 10, size - position) else { return starts.isEmpty ? nil : starts }
                let lineEnd = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                quotes += count(34, from: position, to: lineEnd)
                position = lineEnd + 1
                if quotes % 2 == 0 {
                    if position < size { starts.append(position) }
                    break
                }
            }
        }
        return starts
    }
}
