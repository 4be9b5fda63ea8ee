import Foundation

/// Finds repeated identifiers in a file too large to index in memory (all of
/// DTSEN: 40 million household ids would need a 1.5 GB hash table). Each id's
/// 64-bit hash and line go to one of `partitions` files by the hash's top bits;
/// each partition is then sorted on its own, so memory is one partition's
/// entries (16 bytes an id, 1/64 of the file's), and a repeat is two equal
/// hashes next to each other. As in `readFile`, ids are compared by
/// hash: two different ids collide with probability about n²/2⁶⁵.
public final class DuplicateFinder {
    private let directory: String
    private let bits: Int
    private var buffers: [[UInt64]]
    private var handles: [FileHandle] = []
    private static let bufferEntries = 8_192

    /// `directory` must exist; the partition files are made in it and removed by `finish`.
    public init(directory: String, partitionBits: Int = 6) throws {
        self.directory = directory
        self.bits = partitionBits
        buffers = Array(repeating: [], count: 1 << partitionBits)
        for k in 0..<(1 << partitionBits) {
            let path = partitionPath(k)
            guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
                throw DataErrors(DataProblem(file: path, message: "cannot create a temporary file for the duplicate check"))
            }
            handles.append(handle)
        }
    }

    private func partitionPath(_ k: Int) -> String {
        (directory as NSString).appendingPathComponent("ids-\(k).bin")
    }

    public func add(id: UnsafeBufferPointer<UInt8>, line: Int) {
        add(hash: FieldParsing.hash(id), line: line)
    }

    func add(hash: UInt64, line: Int) {
        let k = Int(hash >> UInt64(64 - bits))
        buffers[k].append(hash)
        buffers[k].append(UInt64(line))
        if buffers[k].count >= 2 * DuplicateFinder.bufferEntries { flush(k) }
    }

    private func flush(_ k: Int) {
        buffers[k].withUnsafeBytes { handles[k].write(Data($0)) }
        buffers[k].removeAll(keepingCapacity: true)
    }

    /// Every later occurrence of an id, with the line of its first occurrence,
    /// ordered by line.
    public func finish() throws -> [(line: Int, firstLine: Int)] {
        var repeats: [(line: Int, firstLine: Int)] = []
        for k in handles.indices {
            flush(k)
            try handles[k].close()
            let path = partitionPath(k)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw DataErrors(DataProblem(file: path, message: "cannot read back a temporary file of the duplicate check"))
            }
            try? FileManager.default.removeItem(atPath: path)
            // Written in line order, so the stable radix sort keeps lines in
            // order within a hash.
            var written: [IdentifierSighting] = []
            written.reserveCapacity(data.count / 16)
            data.withUnsafeBytes { raw in
                let words = raw.bindMemory(to: UInt64.self)
                for e in stride(from: 0, to: words.count - 1, by: 2) { written.append(IdentifierSighting(hash: words[e], row: Int(words[e + 1]))) }
            }
            let entries = IdentifierSighting.sortedByHash(written)
            var i = 0
            while i < entries.count {
                var j = i + 1
                while j < entries.count && entries[j].hash == entries[i].hash {
                    repeats.append((entries[j].row, entries[i].row))
                    j += 1
                }
                i = j
            }
        }
        handles = []
        return repeats.sorted { $0.line < $1.line }
    }

    deinit {
        for k in handles.indices { try? handles[k].close(); try? FileManager.default.removeItem(atPath: partitionPath(k)) }
    }
}
