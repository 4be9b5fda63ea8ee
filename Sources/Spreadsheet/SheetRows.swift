/// One row of a sheet: its 1-based number and its non-empty cells, in column
/// order, as UTF-8 text. Shared strings are looked up, booleans are TRUE or
/// FALSE, and numbers written with an exponent (a 16-digit code Excel stored
/// as 3.51401200100001E+15) are written out in full.
public struct SheetRow {
    public internal(set) var number = 0
    var columns: [Int] = []
    var ends: [Int] = []
    var store: [UInt8] = []

    public var count: Int { columns.count }
    /// The 1-based column of the `k`th cell.
    public func column(_ k: Int) -> Int { columns[k] }

    public func withValue<R>(_ k: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let start = k == 0 ? 0 : ends[k - 1]
        return try store.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<ends[k]])) }
    }

    public func value(_ k: Int) -> String { withValue(k) { String(decoding: $0, as: UTF8.self) } }

    mutating func removeAll() {
        columns.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        store.removeAll(keepingCapacity: true)
    }
}

/// The strings a workbook's cells refer to by number (xl/sharedStrings.xml).
struct SharedStrings {
    var store: [UInt8] = []
    var ends: [Int] = []

    var count: Int { ends.count }

    func withString(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        let start = index == 0 ? 0 : ends[index - 1]
        store.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<ends[index]])) }
    }
}

/// xl/sharedStrings.xml: each `si`'s text runs joined, phonetic runs left out.
struct SharedStringsHandler: XMLHandler {
    let scanner: XMLScanner
    var strings = SharedStrings()
    private var inText = false
    private var phonetic = 0

    init(part: String) { scanner = XMLScanner(part: part) }

    mutating func open(_ name: Bytes, attributes: Bytes, selfClosing: Bool) throws {
        if XMLScanner.named(name, "t") { inText = !selfClosing && phonetic == 0 }
        else if XMLScanner.named(name, "rPh") && !selfClosing { phonetic += 1 }
        else if XMLScanner.named(name, "si") && selfClosing { strings.ends.append(strings.store.count) }
    }

    mutating func close(_ name: Bytes) throws {
        if XMLScanner.named(name, "t") { inText = false }
        else if XMLScanner.named(name, "rPh") { phonetic -= 1 }
        else if XMLScanner.named(name, "si") { strings.ends.append(strings.store.count) }
    }

    mutating func text(_ raw: Bytes, isCDATA: Bool) throws {
        guard inText else { return }
        if isCDATA { strings.store.append(contentsOf: raw) } else { try scanner.decodeText(raw, into: &strings.store) }
    }
}

/// A worksheet's `sheetData`, row by row: each complete row goes to `onRow`.
struct SheetRowsHandler: XMLHandler {
    private var cells: CellReader
    private let onRow: (SheetRow) throws -> Void
    private var row = SheetRow()

    init(part: String, strings: SharedStrings, wholeCells: Bool = true, onRow: @escaping (SheetRow) throws -> Void) {
        cells = CellReader(part: part, strings: strings)
        cells.wholeCells = wholeCells
        self.onRow = onRow
    }

    mutating func open(_ name: Bytes, attributes: Bytes, selfClosing: Bool) throws {
        switch try cells.open(name, attributes: attributes, selfClosing: selfClosing) {
        case .rowStarted:
            row.removeAll()
            row.number = cells.row
        case .cellEnded: try finishCell()
        default: break
        }
    }

    mutating func close(_ name: Bytes) throws {
        switch cells.close(name) {
        case .cellEnded: try finishCell()
        case .rowEnded: try onRow(row)
        default: break
        }
    }

    mutating func text(_ raw: Bytes, isCDATA: Bool) throws { try cells.text(raw, isCDATA: isCDATA) }

    mutating func element(_ b: Bytes, at i: Int) throws -> Int? {
        guard let end = cells.wholeCell(b, at: i) else { return nil }
        try finishCell()
        return end
    }

    private mutating func finishCell() throws {
        guard cells.hasValue else { return }
        try cells.appendValue(to: &row.store)
        if row.ends.last == row.store.count { return }
        row.columns.append(cells.column)
        row.ends.append(row.store.count)
    }
}

/// A worksheet's rows after its header written straight out as CSV records
/// of `width` fields: line L is the sheet's row `headerRow + L − 1` (rows
/// without values are blank lines, which CSV readers skip but count), a field
/// is quoted when it holds a delimiter or a quote, and a line break in a cell
/// is a space, so one record is one line.
struct CSVRowsHandler: XMLHandler {
    private var cells: CellReader
    let headerRow: Int
    let width: Int
    private let sink: (UnsafeBufferPointer<UInt8>) throws -> Void
    private var out: [UInt8] = []
    private var record: [UInt8] = []
    private var nextColumn = 1
    private var lastLine = 1

    init(part: String, strings: SharedStrings, headerRow: Int, width: Int, wholeCells: Bool = true,
         sink: @escaping (UnsafeBufferPointer<UInt8>) throws -> Void) {
        cells = CellReader(part: part, strings: strings)
        cells.wholeCells = wholeCells
        self.headerRow = headerRow
        self.width = width
        self.sink = sink
        out.reserveCapacity(1 << 21)
    }

    mutating func open(_ name: Bytes, attributes: Bytes, selfClosing: Bool) throws {
        switch try cells.open(name, attributes: attributes, selfClosing: selfClosing) {
        case .rowStarted:
            record.removeAll(keepingCapacity: true)
            nextColumn = 1
        case .cellEnded: try finishCell()
        default: break
        }
    }

    mutating func close(_ name: Bytes) throws {
        switch cells.close(name) {
        case .cellEnded: try finishCell()
        case .rowEnded: try finishRow()
        default: break
        }
    }

    mutating func text(_ raw: Bytes, isCDATA: Bool) throws { try cells.text(raw, isCDATA: isCDATA) }

    mutating func element(_ b: Bytes, at i: Int) throws -> Int? {
        guard let end = cells.wholeCell(b, at: i) else { return nil }
        try finishCell()
        return end
    }

    private mutating func finishCell() throws {
        guard cells.hasValue, cells.row > headerRow, cells.column <= width else { return }
        guard cells.column >= nextColumn else {
            throw SpreadsheetError.malformed(part: cells.scanner.part, reason: "the row's cells are out of order; save the workbook again from Excel",
                                             row: cells.row, column: cells.column)
        }
        while nextColumn < cells.column {
            if nextColumn > 1 { record.append(UInt8(ascii: ",")) }
            nextColumn += 1
        }
        if cells.column > 1 { record.append(UInt8(ascii: ",")) }
        try cells.appendValue(to: &record, asCSVField: true)
        nextColumn = cells.column + 1
    }

    private mutating func finishRow() throws {
        guard nextColumn > 1 else { return }
        let line = cells.row - headerRow + 1
        while lastLine < line - 1 { out.append(0x0A); lastLine += 1 }
        lastLine = line
        out.append(contentsOf: record)
        while nextColumn <= width {
            if nextColumn > 1 { out.append(UInt8(ascii: ",")) }
            nextColumn += 1
        }
        out.append(0x0A)
        if out.count >= 1 << 20 { try flush() }
    }

    mutating func flush() throws {
        try out.withUnsafeBufferPointer { try sink($0) }
        out.removeAll(keepingCapacity: true)
    }
}

/// One CSV field: quoted when it holds `,`, `;` or `"` (doubled), with line
/// breaks as spaces.
public enum CSVField {
    public static func append(_ field: [UInt8], to out: inout [UInt8]) {
        field.withUnsafeBufferPointer { append($0, to: &out) }
    }

    public static func append(_ field: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var plain = true
        for byte in field where byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "\"") || byte == 0x0A || byte == 0x0D {
            plain = false
            break
        }
        if plain { out.append(contentsOf: field); return }
        out.append(UInt8(ascii: "\""))
        for byte in field {
            switch byte {
            case UInt8(ascii: "\""): out.append(byte); out.append(byte)
            case 0x0A, 0x0D: out.append(UInt8(ascii: " "))
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension String {
    func trimmingASCIIBlanks() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" || c == "\n" || c == "\r" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\n" || c == "\r" { s.removeLast() }
        return String(s)
    }
}
