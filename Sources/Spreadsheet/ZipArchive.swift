import CZlibInflate
import Foundation

/// A zip archive read for its entries: the central directory (zip64 too), and
/// any entry's bytes inflated a chunk at a time with zlib. Every size and
/// offset is checked against the file before it is used, a damaged stream ends
/// the read with an error, and the CRC is checked, so a hostile file gives a
/// message, never a hang or a read past what was asked for.
public final class ZipArchive: @unchecked Sendable {
    public struct Entry: Sendable {
        public let name: String
        let method: UInt16
        let flags: UInt16
        let crc: UInt32
        public let compressedSize: Int
        public let size: Int
        let localHeader: Int
    }

    public let path: String
    /// Entries by name, and their names in the directory's order.
    public private(set) var entries: [String: Entry] = [:]
    public private(set) var names: [String] = []
    private let descriptor: Int32
    private let fileSize: Int

    /// More entries than a workbook ever has, or a directory larger than this, is damage.
    static let maximumEntries = 100_000
    static let maximumDirectoryBytes = 64 << 20

    public init(path: String) throws(SpreadsheetError) {
        self.path = path
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .notAWorkbook(reason: "cannot open the file: \(String(cString: strerror(errno)))") }
        var status = stat()
        fileSize = fstat(descriptor, &status) == 0 ? Int(status.st_size) : 0
        do {
            try readDirectory()
        } catch {
            close(descriptor)
            throw error
        }
    }

    deinit { close(descriptor) }

    static func damaged(_ what: String) -> SpreadsheetError { .notAWorkbook(reason: "the zip archive is damaged: \(what)") }

    /// `count` bytes at `offset`, which must lie inside the file.
    func bytes(at offset: Int, count: Int) throws(SpreadsheetError) -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= fileSize, count <= fileSize - offset else {
            throw Self.damaged("a part of it points past the end of the file")
        }
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = out.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, count - done, off_t(offset + done)) }
            guard n > 0 else { throw Self.damaged("it cannot be read to its end") }
            done += n
        }
        return out
    }

    private func readDirectory() throws(SpreadsheetError) {
        let tailCount = min(fileSize, 22 + 65_535)
        let tail = try bytes(at: fileSize - tailCount, count: tailCount)
        guard let end = Self.lastSignature(0x0605_4B50, in: tail, minimumLength: 22) else {
            throw .notAWorkbook(reason: Self.notZipReason(tail.isEmpty ? [] : try bytes(at: 0, count: min(8, fileSize))))
        }
        var count = Int(tail.u16(end + 10)), size = Int(tail.u32(end + 12)), offset = Int(tail.u32(end + 16))
        if count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
            (count, size, offset) = try zip64Directory(endOffset: fileSize - tailCount + end)
        }
        guard count <= Self.maximumEntries, size <= Self.maximumDirectoryBytes else { throw Self.damaged("its directory is implausibly large") }
        let directory = try bytes(at: offset, count: size)
        var i = 0
        for _ in 0..<count {
            guard i + 46 <= directory.count, directory.u32(i) == 0x0201_4B50 else { throw Self.damaged("its directory is cut short") }
            let nameLength = Int(directory.u16(i + 28)), extraLength = Int(directory.u16(i + 30)), commentLength = Int(directory.u16(i + 32))
            guard i + 46 + nameLength + extraLength + commentLength <= directory.count else { throw Self.damaged("its directory is cut short") }
            let name = String(decoding: directory[(i + 46)..<(i + 46 + nameLength)], as: UTF8.self)
            var sizes = (compressed: Int(directory.u32(i + 20)), size: Int(directory.u32(i + 24)), local: Int(directory.u32(i + 42)))
            try Self.applyZip64(Array(directory[(i + 46 + nameLength)..<(i + 46 + nameLength + extraLength)]), to: &sizes)
            let entry = Entry(name: name, method: directory.u16(i + 10), flags: directory.u16(i + 8), crc: directory.u32(i + 16),
                              compressedSize: sizes.compressed, size: sizes.size, localHeader: sizes.local)
            if entries[name] == nil { names.append(name) }
            entries[name] = entry
            i += 46 + nameLength + extraLength + commentLength
        }
    }

    /// The zip64 end of the directory, found through its locator just before
    /// the classic end record.
    private func zip64Directory(endOffset: Int) throws(SpreadsheetError) -> (Int, Int, Int) {
        let locator = try bytes(at: endOffset - 20, count: 20)
        guard locator.u32(0) == 0x0706_4B50 else { throw Self.damaged("its zip64 directory is missing") }
        let record = try bytes(at: Int(clamping: locator.u64(8)), count: 56)
        guard record.u32(0) == 0x0606_4B50 else { throw Self.damaged("its zip64 directory is missing") }
        return (Int(clamping: record.u64(32)), Int(clamping: record.u64(40)), Int(clamping: record.u64(48)))
    }

    /// The zip64 extra field (0x0001) holds the sizes and offset that do not fit 32 bits.
    private static func applyZip64(_ extra: [UInt8], to sizes: inout (compressed: Int, size: Int, local: Int)) throws(SpreadsheetError) {
        var i = 0
        while i + 4 <= extra.count {
            let id = extra.u16(i), length = Int(extra.u16(i + 2))
            guard i + 4 + length <= extra.count else { throw damaged("an entry's extra field is cut short") }
            if id == 0x0001 {
                var k = i + 4
                func next() throws(SpreadsheetError) -> Int {
                    guard k + 8 <= i + 4 + length else { throw damaged("an entry's zip64 field is cut short") }
                    defer { k += 8 }
                    return Int(clamping: extra.u64(k))
                }
                if sizes.size == 0xFFFF_FFFF { sizes.size = try next() }
                if sizes.compressed == 0xFFFF_FFFF { sizes.compressed = try next() }
                if sizes.local == 0xFFFF_FFFF { sizes.local = try next() }
            }
            i += 4 + length
        }
    }

    static func lastSignature(_ signature: UInt32, in b: [UInt8], minimumLength: Int) -> Int? {
        var i = b.count - minimumLength
        while i >= 0 {
            if b.u32(i) == signature { return i }
            i -= 1
        }
        return nil
    }

    /// What a file without a zip directory probably is.
    static func notZipReason(_ head: [UInt8]) -> String {
        if head.isEmpty { return "the file is empty" }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) { return "an old .xls or a password-protected workbook" }
        if head.starts(with: Array("PK".utf8)) { return "the zip archive is damaged" }
        return "the file is not a zip archive"
    }
}

extension ZipArchive {
    /// The entry's bytes, inflated, to `consumer` a chunk of at most `chunk`
    /// bytes at a time; the CRC is checked at the end.
    public func extract(_ entry: Entry, chunk: Int = 1 << 20, consumer: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        if entry.flags & 1 != 0 { throw SpreadsheetError.notAWorkbook(reason: "an old .xls or a password-protected workbook") }
        let header = try bytes(at: entry.localHeader, count: 30)
        guard header.u32(0) == 0x0403_4B50 else { throw Self.damaged("\(entry.name) does not start where its directory says") }
        let start = entry.localHeader + 30 + Int(header.u16(26)) + Int(header.u16(28))
        guard entry.compressedSize <= fileSize, start <= fileSize - entry.compressedSize else {
            throw Self.damaged("\(entry.name) runs past the end of the file")
        }
        var crc = crc32(0, nil, 0)
        let checked: (UnsafeBufferPointer<UInt8>) throws -> Void = { piece in
            crc = crc32(crc, piece.baseAddress, uInt(piece.count))
            try consumer(piece)
        }
        switch entry.method {
        case 0: try copyStored(entry, from: start, chunk: chunk, to: checked)
        case 8: try inflate(entry, from: start, chunk: chunk, to: checked)
        default: throw Self.damaged("\(entry.name) is compressed with method \(entry.method), which Excel never uses")
        }
        guard UInt32(crc) == entry.crc else { throw Self.damaged("\(entry.name) fails its CRC check") }
    }

    private func copyStored(_ entry: Entry, from start: Int, chunk: Int, to consumer: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        var done = 0
        while done < entry.compressedSize {
            let piece = try bytes(at: start + done, count: min(chunk, entry.compressedSize - done))
            try piece.withUnsafeBufferPointer { try consumer($0) }
            done += piece.count
        }
    }

    /// Raw deflate: the input is read a chunk at a time within the entry's
    /// compressed size, and the stream must end exactly there.
    private func inflate(_ entry: Entry, from start: Int, chunk: Int, to consumer: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Self.damaged("zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: chunk)
        var read = 0
        var ended = false
        while !ended {
            guard read < entry.compressedSize else { throw Self.damaged("\(entry.name) ends before its compressed data does") }
            var input = try bytes(at: start + read, count: min(chunk, entry.compressedSize - read))
            read += input.count
            try input.withUnsafeMutableBufferPointer { source in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                // Until this input is used up and zlib holds no more output.
                repeat {
                    let status = output.withUnsafeMutableBufferPointer { out -> Int32 in
                        stream.next_out = out.baseAddress
                        stream.avail_out = uInt(out.count)
                        return CZlibInflate.inflate(&stream, Z_NO_FLUSH)
                    }
                    let produced = chunk - Int(stream.avail_out)
                    if status == Z_BUF_ERROR && produced == 0 { break }
                    guard status == Z_OK || status == Z_STREAM_END else { throw Self.damaged("\(entry.name) cannot be inflated (zlib \(status))") }
                    if produced > 0 { try output.withUnsafeBufferPointer { try consumer(UnsafeBufferPointer(rebasing: $0[0..<produced])) } }
                    ended = status == Z_STREAM_END
                } while !ended && (stream.avail_in > 0 || stream.avail_out == 0)
            }
        }
    }

    /// The whole entry in memory (for small parts, and for tests).
    public func read(_ name: String) throws -> [UInt8] {
        guard let entry = entries[name] else { throw SpreadsheetError.missingPart(name) }
        var out: [UInt8] = []
        try extract(entry) { out.append(contentsOf: $0) }
        return out
    }
}

extension [UInt8] {
    func u16(_ i: Int) -> UInt16 { UInt16(self[i]) | UInt16(self[i + 1]) << 8 }
    func u32(_ i: Int) -> UInt32 { UInt32(u16(i)) | UInt32(u16(i + 2)) << 16 }
    func u64(_ i: Int) -> UInt64 { UInt64(u32(i)) | UInt64(u32(i + 4)) << 32 }
}
