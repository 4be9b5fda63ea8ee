import Foundation

/// What a streamed run keeps of each household once it is scored, on disk rather
/// than in memory: its predictive distribution of log welfare, expected FGT, members, village and
/// id, in a binary file per stratum, plus (with strata) the stratum of each
/// household in file order. Deciles, the overall measures and
/// households_scored.csv are read back from it in file order. Nothing here is
/// personal data (no NIK, no names); the files are removed with the run's
/// temporary directory.
public final class HouseholdSpill {
    /// One household as read back.
    public struct Record {
        public var logMean: Double
        public var logSD: Double
        public var p0: Double
        public var p1: Double
        public var p2: Double
        public var members: Double
        public var village: Int
        /// household_id's bytes (valid only inside the `forEach` body).
        public var id: UnsafeRawBufferPointer
        /// Position in file order, from 0.
        public var index: Int
    }

    private let directory: String
    private let strata: Int
    private var writers: [BufferedWriter] = []
    private var order: BufferedWriter?
    public private(set) var count = 0

    init(directory: String, strata: Int) throws {
        self.directory = directory
        self.strata = strata
        for s in 0..<strata { writers.append(try BufferedWriter(path: path(stratum: s))) }
        if strata > 1 { order = try BufferedWriter(path: orderPath) }
    }

    private func path(stratum s: Int) -> String { (directory as NSString).appendingPathComponent("households-\(s).bin") }
    private var orderPath: String { (directory as NSString).appendingPathComponent("order.bin") }

    /// Notes that the next household in file order belongs to stratum `s`.
    func noteStratum(_ s: Int) {
        order?.append(UInt8(s))
    }

    /// Appends a scored chunk of stratum `s`.
    func append(stratum s: Int, households h: HouseholdColumns, chunk: RegistryPass.ChunkResult) {
        for (local, i) in chunk.range.enumerated() {
            h.ids.withBytes(at: i) { id in
                append(stratum: s, logMean: chunk.logMean[local], logSD: chunk.logSD[local], p0: chunk.p0[local], p1: chunk.p1[local], p2: chunk.p2[local],
                       members: h.members[i], village: Int(h.village[i]), id: UnsafeRawBufferPointer(id))
            }
        }
    }

    /// Appends one household of stratum `s`.
    func append(stratum s: Int, logMean: Double, logSD: Double, p0: Double, p1: Double, p2: Double, members: Double, village: Int,
                id: UnsafeRawBufferPointer) {
        let w = writers[s]
        w.append(logMean); w.append(logSD); w.append(p0); w.append(p1); w.append(p2)
        w.append(members)
        w.append(Int32(village))
        // Docs/data.md caps household_id well below 65,535 bytes; the reader's record
        // limit keeps any id below it too.
        w.append(UInt16(clamping: id.count))
        w.append(bytes: UnsafeRawBufferPointer(rebasing: id.prefix(Int(UInt16.max))))
        count += 1
    }

    func finishWriting() throws {
        for w in writers { try w.close() }
        try order?.close()
    }

    /// Every household in file order.
    public func forEach(_ body: (Record) throws -> Void) throws {
        let readers = try (0..<strata).map { try BufferedReader(path: path(stratum: $0)) }
        let orderReader = strata > 1 ? try BufferedReader(path: orderPath) : nil
        for index in 0..<count {
            let s = try orderReader.map { Int(try $0.read(UInt8.self)) } ?? 0
            let r = readers[s]
            let logMean = try r.read(Double.self), logSD = try r.read(Double.self), p0 = try r.read(Double.self), p1 = try r.read(Double.self), p2 = try r.read(Double.self)
            let members = try r.read(Double.self)
            let village = Int(try r.read(Int32.self))
            let length = Int(try r.read(UInt16.self))
            try r.withBytes(length) { id in
                try body(Record(logMean: logMean, logSD: logSD, p0: p0, p1: p1, p2: p2, members: members, village: village, id: id, index: index))
            }
        }
    }
}

/// Appends fixed-size values and bytes to a file through a 1 MiB buffer.
final class BufferedWriter {
    private let handle: FileHandle
    private let path: String
    private var buffer: [UInt8] = []

    init(path: String) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw StreamingError.temporaryFile(path)
        }
        self.handle = handle
        buffer.reserveCapacity(1 << 20)
    }

    func append<T>(_ value: T) {
        withUnsafeBytes(of: value) { buffer.append(contentsOf: $0) }
        if buffer.count >= 1 << 20 { flush() }
    }

    func append(bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { flush() }
    }

    private func flush() {
        buffer.withUnsafeBytes { handle.write(Data($0)) }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        flush()
        try handle.close()
    }
}

/// Reads back what a `BufferedWriter` wrote, 4 MiB at a time.
final class BufferedReader {
    private let handle: FileHandle
    private let path: String
    private var buffer: [UInt8] = []
    private var position = 0

    init(path: String) throws {
        self.path = path
        guard let handle = FileHandle(forReadingAtPath: path) else { throw StreamingError.temporaryFile(path) }
        self.handle = handle
    }

    deinit { try? handle.close() }

    /// Makes at least `n` bytes available from `position`.
    private func fill(_ n: Int) throws {
        guard buffer.count - position < n else { return }
        buffer.removeFirst(position)
        position = 0
        while buffer.count < n {
            guard let data = try handle.read(upToCount: 4 << 20), !data.isEmpty else { throw StreamingError.truncated(path) }
            buffer.append(contentsOf: data)
        }
    }

    func read<T>(_: T.Type) throws -> T {
        let size = MemoryLayout<T>.size
        try fill(size)
        let value = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: position, as: T.self) }
        position += size
        return value
    }

    func withBytes<R>(_ n: Int, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        try fill(n)
        defer { position += n }
        return try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[position..<(position + n)])) }
    }
}
