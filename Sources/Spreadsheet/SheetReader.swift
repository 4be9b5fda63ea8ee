import Foundation

/// The first sheet of an .xlsx workbook, read row by row in bounded memory:
/// the sheet's XML is inflated and scanned a megabyte at a time, so a sheet of
/// a million rows needs no more memory than its shared strings.
///
/// Parts that expand too far (a zip bomb) and XML with a DOCTYPE (entity
/// expansion) are refused; see `Limits`.
public final class SheetReader {
    /// The sheet's name as its tab shows it.
    public let sheetName: String
    public let limits: Limits
    private let archive: ZipArchive
    private let sheetPart: String
    private let stringsPart: String?

    public struct Limits: Sendable {
        /// A part may always expand to this many bytes …
        public var freeBytes = 64 * 1_048_576
        /// … and beyond that to this many times its compressed size.
        public var expansionRatio = 200
        /// Never more than this, whatever the ratio.
        public var maximumBytes = 8 * 1_073_741_824
        /// The longest tag or text kept while waiting for its end.
        public var maximumTokenBytes = 8 * 1_048_576

        public init() {}

        func bytes(compressed: Int) -> Int {
            min(maximumBytes, max(freeBytes, compressed.multipliedReportingOverflow(by: expansionRatio).partialValue))
        }
    }

    public init(path: String, limits: Limits = Limits()) throws {
        self.limits = limits
        archive = try ZipArchive(path: path)
        let workbookPart = try Self.officeDocument(archive, limits: limits)
        let relations = try Self.relationships(of: workbookPart, in: archive, limits: limits)
        let sheet = try Self.firstSheet(workbookPart, in: archive, limits: limits)
        guard let target = relations.targets[sheet.relation] else { throw SpreadsheetError.missingPart("worksheet for the sheet \"\(sheet.name)\"") }
        sheetName = sheet.name
        sheetPart = target
        stringsPart = relations.sharedStrings
    }

    /// Calls `body` with every row that has a cell, in order, until it returns false.
    public func forEachRow(_ body: @escaping (SheetRow) throws -> Bool) throws {
        var rows = SheetRowsHandler(part: sheetPart, strings: try sharedStrings()) { row in
            if try !body(row) { throw StopScanning() }
        }
        do {
            try Self.scan(sheetPart, in: archive, limits: limits, into: &rows)
        } catch is StopScanning {
            return
        }
    }

    /// Writes the rows after `headerRow` to `sink` as CSV records of `width`
    /// fields (the header is the caller's): line L of the CSV, counting the
    /// header as line 1, is the sheet's row `headerRow + L − 1`.
    public func writeCSV(after headerRow: Int, width: Int, to sink: @escaping (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        var rows = CSVRowsHandler(part: sheetPart, strings: try sharedStrings(), headerRow: headerRow, width: width, sink: sink)
        try Self.scan(sheetPart, in: archive, limits: limits, into: &rows)
        try rows.flush()
    }

    private func sharedStrings() throws -> SharedStrings {
        guard let stringsPart, archive.entries[stringsPart] != nil else { return SharedStrings() }
        var handler = SharedStringsHandler(part: stringsPart)
        try Self.scan(stringsPart, in: archive, limits: limits, into: &handler)
        return handler.strings
    }

    private struct StopScanning: Error {}

    /// A part inflated and scanned a chunk at a time, its size watched. The
    /// inflating runs on a thread of its own, a few chunks ahead of the scan.
    static func scan<H: XMLHandler>(_ part: String, in archive: ZipArchive, limits: Limits, into handler: inout H) throws {
        guard let entry = archive.entries[part] else { throw SpreadsheetError.missingPart(part) }
        let limit = limits.bytes(compressed: Int(entry.compressedSize))
        let chunks = InflatedChunks(archive: archive, entry: entry)
        defer { chunks.stop() }
        var total = 0
        try feed(part, maximumTokenBytes: limits.maximumTokenBytes, into: &handler) { carry in
            guard let data = try chunks.next(part: part) else { return false }
            total += data.count
            if total > limit { throw SpreadsheetError.expandsTooFar(part: part, limit: limit) }
            carry.append(contentsOf: data)
            return true
        }
    }

    /// Hands a part's bytes to the scanner as `appendNext` adds them to the
    /// carry (false at the end): a token cut by a chunk's end waits there for
    /// the bytes that follow.
    static func feed<H: XMLHandler>(_ part: String, maximumTokenBytes: Int, into handler: inout H,
                                    appendNext: (inout [UInt8]) throws -> Bool) throws {
        let scanner = XMLScanner(part: part)
        var carry: [UInt8] = []
        var encodingChecked = false
        while try appendNext(&carry) {
            // The byte-order mark is three bytes: wait for them.
            if !encodingChecked && carry.count >= 3 {
                encodingChecked = true
                try checkEncoding(&carry, part: part)
            }
            guard encodingChecked else { continue }
            let used = try carry.withUnsafeBufferPointer { try scanner.scan($0, final: false, into: &handler) }
            carry.removeFirst(used)
            if carry.count > maximumTokenBytes {
                throw SpreadsheetError.malformed(part: part, reason: "a tag or text longer than \(maximumTokenBytes / 1_048_576) MiB")
            }
        }
        if !encodingChecked { try checkEncoding(&carry, part: part) }
        _ = try carry.withUnsafeBufferPointer { try scanner.scan($0, final: true, into: &handler) }
    }

    /// UTF-8 only (what Excel writes); a byte-order mark is dropped.
    private static func checkEncoding(_ bytes: inout [UInt8], part: String) throws {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw SpreadsheetError.malformed(part: part, reason: "UTF-16 XML; save the workbook again from Excel")
        }
    }
}

extension SheetReader {
    /// The workbook part named by the package's relationships (xl/workbook.xml).
    static func officeDocument(_ archive: ZipArchive, limits: Limits) throws -> String {
        guard archive.entries["_rels/.rels"] != nil else { return "xl/workbook.xml" }
        var handler = RelationshipsHandler(part: "_rels/.rels", base: "")
        try scan("_rels/.rels", in: archive, limits: limits, into: &handler)
        return handler.officeDocument ?? "xl/workbook.xml"
    }

    static func relationships(of workbookPart: String, in archive: ZipArchive, limits: Limits) throws -> RelationshipsHandler {
        let directory = (workbookPart as NSString).deletingLastPathComponent
        let part = (directory as NSString).appendingPathComponent("_rels/" + (workbookPart as NSString).lastPathComponent + ".rels")
        guard archive.entries[part] != nil else { throw SpreadsheetError.missingPart(part) }
        var handler = RelationshipsHandler(part: part, base: directory)
        try scan(part, in: archive, limits: limits, into: &handler)
        return handler
    }

    /// The first sheet not hidden (the first of all when every one is).
    static func firstSheet(_ workbookPart: String, in archive: ZipArchive, limits: Limits) throws -> (name: String, relation: String) {
        var handler = WorkbookHandler()
        try scan(workbookPart, in: archive, limits: limits, into: &handler)
        guard let sheet = handler.sheets.first(where: { !$0.hidden }) ?? handler.sheets.first else {
            throw SpreadsheetError.malformed(part: workbookPart, reason: "the workbook has no sheet")
        }
        return (sheet.name, sheet.relation)
    }
}

/// xl/workbook.xml: the sheets in tab order.
struct WorkbookHandler: XMLHandler {
    var sheets: [(name: String, relation: String, hidden: Bool)] = []
    let scanner = XMLScanner(part: "xl/workbook.xml")

    mutating func open(_ name: Bytes, attributes: Bytes, selfClosing: Bool) throws {
        guard XMLScanner.named(name, "sheet") else { return }
        let title = try XMLScanner.attribute("name", in: attributes).map { raw in
            var out: [UInt8] = []
            try scanner.decodeText(raw, into: &out)
            return String(decoding: out, as: UTF8.self)
        } ?? "Sheet\(sheets.count + 1)"
        let relation = XMLScanner.attribute("id", in: attributes).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let state = XMLScanner.attribute("state", in: attributes).map { String(decoding: $0, as: UTF8.self) } ?? "visible"
        sheets.append((title, relation, state != "visible"))
    }

    mutating func close(_ name: Bytes) throws {}
    mutating func text(_ raw: Bytes, isCDATA: Bool) throws {}
}

/// A .rels part: relationship ids to part paths inside the archive.
struct RelationshipsHandler: XMLHandler {
    let part: String
    let base: String
    var targets: [String: String] = [:]
    var officeDocument: String?
    var sharedStrings: String?

    init(part: String, base: String) {
        self.part = part
        self.base = base
    }

    mutating func open(_ name: Bytes, attributes: Bytes, selfClosing: Bool) throws {
        guard XMLScanner.named(name, "Relationship"),
              let id = XMLScanner.attribute("Id", in: attributes), let target = XMLScanner.attribute("Target", in: attributes) else { return }
        let type = XMLScanner.attribute("Type", in: attributes).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let path = resolve(String(decoding: target, as: UTF8.self))
        targets[String(decoding: id, as: UTF8.self)] = path
        if type.hasSuffix("/officeDocument") { officeDocument = path }
        if type.hasSuffix("/sharedStrings") { sharedStrings = path }
    }

    /// "worksheets/sheet1.xml" beside the workbook, or "/xl/…" from the root.
    private func resolve(_ target: String) -> String {
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        let joined = base.isEmpty ? target : (base as NSString).appendingPathComponent(target)
        return (joined as NSString).standardizingPath
    }

    mutating func close(_ name: Bytes) throws {}
    mutating func text(_ raw: Bytes, isCDATA: Bool) throws {}
}

/// A zip entry inflated on a thread of its own into a short queue of chunks,
/// so that inflating and scanning use two cores. `stop` ends the inflating
/// early and waits for the thread, which alone touches the archive meanwhile.
final class InflatedChunks: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [Data] = []
    private var finished = false
    private var stopped = false
    private var failure: Error?
    private let done = DispatchSemaphore(value: 0)
    static let depth = 4

    /// The archive and entry, handed to the inflating thread: the scanning
    /// thread does not touch the archive until `stop` has waited for it.
    private struct Source: @unchecked Sendable {
        let archive: ZipArchive
        let entry: ZipArchive.Entry
    }

    init(archive: ZipArchive, entry: ZipArchive.Entry) {
        let source = Source(archive: archive, entry: entry)
        Thread.detachNewThread { [self] in
            let (archive, entry) = (source.archive, source.entry)
            do {
                try archive.extract(entry) { piece in try self.push(Data(buffer: piece)) }
                finish(nil)
            } catch {
                finish(error)
            }
            done.signal()
        }
    }

    private struct Stopped: Error {}

    private func push(_ data: Data) throws {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= Self.depth && !stopped { condition.wait() }
        if stopped { throw Stopped() }
        queue.append(data)
        condition.broadcast()
    }

    private func finish(_ error: Error?) {
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// The next chunk; nil at the end.
    func next(part: String) throws -> Data? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !finished { condition.wait() }
        if !queue.isEmpty {
            condition.broadcast()
            return queue.removeFirst()
        }
        if let failure, !(failure is Stopped) {
            throw failure as? SpreadsheetError ?? SpreadsheetError.malformed(part: part, reason: "\(failure)")
        }
        return nil
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
        done.wait()
    }
}

extension SheetReader {
    /// A sheet's XML and its shared strings' XML read from memory, handed to
    /// the scanner `chunk` bytes at a time, so that tokens are cut at every
    /// place a buffer can end: what the fuzzer drives. Returns the rows and the
    /// CSV of the rows after `headerRow`. With `wholeCells` false every cell
    /// is scanned token by token, the reference for the one-step reading of
    /// common cells.
    public static func read(sheetXML: [UInt8], sharedStringsXML: [UInt8], chunk: Int, headerRow: Int, width: Int,
                            wholeCells: Bool = true) throws -> (rows: [SheetRow], csv: [UInt8]) {
        var strings = SharedStringsHandler(part: "xl/sharedStrings.xml")
        try scan(sharedStringsXML, part: "xl/sharedStrings.xml", chunk: chunk, into: &strings)
        var rows: [SheetRow] = []
        var handler = SheetRowsHandler(part: "xl/worksheets/sheet1.xml", strings: strings.strings, wholeCells: wholeCells) { rows.append($0) }
        try scan(sheetXML, part: "xl/worksheets/sheet1.xml", chunk: chunk, into: &handler)
        var csv: [UInt8] = []
        var writer = CSVRowsHandler(part: "xl/worksheets/sheet1.xml", strings: strings.strings, headerRow: headerRow, width: width,
                                    wholeCells: wholeCells) { csv += $0 }
        try scan(sheetXML, part: "xl/worksheets/sheet1.xml", chunk: chunk, into: &writer)
        try writer.flush()
        return (rows, csv)
    }

    static func scan<H: XMLHandler>(_ bytes: [UInt8], part: String, chunk: Int, into handler: inout H) throws {
        var i = 0
        try feed(part, maximumTokenBytes: Limits().maximumTokenBytes, into: &handler) { carry in
            guard i < bytes.count else { return false }
            carry.append(contentsOf: bytes[i..<min(bytes.count, i + max(1, chunk))])
            i += max(1, chunk)
            return true
        }
    }
}
