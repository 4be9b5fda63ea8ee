import Foundation

/// Writes CSV through a large byte buffer, with number formatting that is exact
/// and locale-free so the same values always give the same bytes.
///
/// Files are written to `NAME.partial` and renamed on `close()`, so a failed or
/// interrupted write never leaves a file that looks complete.
public final class CSVWriter {
    public let path: String
    private let temporaryPath: String
    private var handle: UnsafeMutablePointer<FILE>?
    private var buffer: [UInt8] = []
    private var fieldsInRow = 0
    private let header: [String]
    private var rowsWritten = 0
    /// The first non-finite number asked for: (column, data row). The row then
    /// fails, so no NaN or infinity ever reaches a file.
    private var nonFinite: (column: Int, row: Int)?
    private let delimiter: UInt8
    private let decimalMark: UInt8
    static let flushBytes = 1 << 20

    /// `path` "-" writes to standard output (no rename).
    public init(path: String, header: [String], delimiter: UInt8 = UInt8(ascii: ","), decimalMark: UInt8 = UInt8(ascii: ".")) throws {
        self.path = path
        self.delimiter = delimiter
        self.decimalMark = decimalMark
        self.header = header
        if path == "-" {
            temporaryPath = "-"
            handle = fdopen(dup(1), "w")
        } else {
            temporaryPath = path + ".partial"
            handle = fopen(temporaryPath, "w")
        }
        guard handle != nil else {
            throw DataErrors(DataProblem(file: path, message: "cannot write: \(String(cString: strerror(errno)))"))
        }
        buffer.reserveCapacity(CSVWriter.flushBytes + 4096)
        for name in header { text(name) }
        buffer.append(10)
        fieldsInRow = 0
    }

    deinit {
        if let handle { fclose(handle) }
        if temporaryPath != "-" && handle != nil { unlink(temporaryPath) }
    }

    @inline(__always) private func separate() {
        if fieldsInRow > 0 { buffer.append(delimiter) }
        fieldsInRow += 1
    }

    /// Text, quoted only when it holds the delimiter, a quote or a line break.
    public func text(_ value: String) {
        separate()
        let utf8 = value.utf8
        let needsQuotes = utf8.contains { $0 == delimiter || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
        if !needsQuotes {
            buffer.append(contentsOf: utf8)
            return
        }
        buffer.append(UInt8(ascii: "\""))
        for b in utf8 {
            if b == UInt8(ascii: "\"") { buffer.append(b) }
            buffer.append(b)
        }
        buffer.append(UInt8(ascii: "\""))
    }

    public func empty() { separate() }

    public func integer<T: BinaryInteger>(_ value: T) {
        separate()
        appendInteger(Int64(value))
    }

    @inline(__always) private func appendInteger(_ value: Int64) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        var v = value.magnitude
        if v == 0 { buffer.append(48); return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while v > 0 { d[n] = UInt8(v % 10) + 48; v /= 10; n += 1 }
            for k in stride(from: n - 1, through: 0, by: -1) { buffer.append(d[k]) }
        }
    }

    /// A number rounded to `decimals` places, written without exponent and with
    /// trailing zeros removed (`0.125`, `12`, `-3.5`). A non-finite value must be
    /// caught before output; if one gets here, `endRow` fails naming the column.
    public func number(_ value: Double, decimals: Int = 6) {
        separate()
        guard finite(value) else { return }
        appendFixed(value, decimals: decimals, trimZeros: true)
    }

    /// Exactly `decimals` places (coordinates: `-6.967179`).
    public func fixed(_ value: Double, decimals: Int) {
        separate()
        guard finite(value) else { return }
        appendFixed(value, decimals: decimals, trimZeros: false)
    }

    private func finite(_ value: Double) -> Bool {
        if !value.isFinite && nonFinite == nil { nonFinite = (fieldsInRow - 1, rowsWritten + 1) }
        return value.isFinite
    }

    private func appendFixed(_ value: Double, decimals: Int, trimZeros: Bool) {
        let scale = FieldParsing.powersOfTen[decimals]
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else {
            // Too large for exact integer scaling: fall back to Swift's shortest form.
            buffer.append(contentsOf: String(value).utf8)
            return
        }
        let units = Int64(scaled)
        if value < 0 && units != 0 { buffer.append(UInt8(ascii: "-")) }
        let whole = units / Int64(scale)
        var fraction = units % Int64(scale)
        appendInteger(whole)
        var places = decimals
        if trimZeros { while places > 0 && fraction % 10 == 0 { fraction /= 10; places -= 1 } }
        if places > 0 {
            buffer.append(decimalMark)
            // On the stack: a heap array per number was most of the cost of
            // writing households_scored.csv.
            var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: at most 22 places
            withUnsafeMutableBytes(of: &digits) { d in
                for k in stride(from: places - 1, through: 0, by: -1) { d[k] = UInt8(fraction % 10) + 48; fraction /= 10 }
                buffer.append(contentsOf: d[0..<places])
            }
        }
    }

    public func endRow() throws {
        if let (column, row) = nonFinite {
            let name = column < header.count ? header[column] : "column \(column + 1)"
            throw DataErrors(DataProblem(file: (path as NSString).lastPathComponent, message:
                "internal error: \(name) of data row \(row) is not a finite number; nothing was written (please report this with the inputs)"))
        }
        rowsWritten += 1
        buffer.append(10)
        fieldsInRow = 0
        if buffer.count >= CSVWriter.flushBytes { try flush() }
    }

    private func flush() throws {
        guard let handle else { return }
        if !buffer.isEmpty {
            let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
            if written != buffer.count {
                throw DataErrors(DataProblem(file: path, message: "write failed: \(String(cString: strerror(errno)))"))
            }
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// Flushes and moves the finished file into place.
    public func close() throws {
        try flush()
        guard let h = handle else { return }
        handle = nil
        if fclose(h) != 0 {
            throw DataErrors(DataProblem(file: path, message: "write failed: \(String(cString: strerror(errno)))"))
        }
        if temporaryPath != "-" && rename(temporaryPath, path) != 0 {
            throw DataErrors(DataProblem(file: path, message: "cannot move into place: \(String(cString: strerror(errno)))"))
        }
    }
}
