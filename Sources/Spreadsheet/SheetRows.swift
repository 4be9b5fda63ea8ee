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

/// What a worksheet's elements mean for its rows and cells: the part of
/// reading a sheet that both ways of reading it (`SheetRowsHandler`,
/// `CSVRowsHandler`) share.
struct CellReader {
    let scanner: XMLScanner
    let strings: SharedStrings
    /// The row being read, and the one before it.
    private(set) var row = 0
    private(set) var inRow = false
    private(set) var column = 0
    private var lastColumn = 0
    private var type = CellType.number
    private var capturing = false
    private var inInline = false
    private var phonetic = 0
    private var raw: [UInt8] = []

    enum Event { case none, rowStarted, cellEnded, rowEnded }

    /// Excel's longest cell is 32,767 characters: four bytes each at most.
    static let maximumCellBytes = 4 * 32_767

    init(part: String, strings: SharedStrings) {
        scanner = XMLScanner(part: part)
        self.strings = strings
    }

    /// Names are told apart by length and first byte: c, v, t, is, row, rPh.
    mutating func open(_ name: Bytes, attributes: Bytes, selfClosing: Bool) throws -> Event {
        switch (name.count, name.first ?? 0) {
        case (1, UInt8(ascii: "c")):
            let (r, t) = XMLScanner.cellAttributes(attributes)
            column = r.flatMap(CellReference.column(of:)) ?? lastColumn + 1
            type = t.map(CellType.init) ?? .number
            raw.removeAll(keepingCapacity: true)
            lastColumn = column
            capturing = false
            return selfClosing ? .cellEnded : .none
        case (1, UInt8(ascii: "v")):
            capturing = !selfClosing
        case (1, UInt8(ascii: "t")):
            capturing = inInline && phonetic == 0 && !selfClosing
        case (2, UInt8(ascii: "i")) where XMLScanner.named(name, "is"):
            inInline = !selfClosing
        case (3, UInt8(ascii: "r")) where XMLScanner.named(name, "rPh"):
            if !selfClosing { phonetic += 1 }
        case (3, UInt8(ascii: "r")) where XMLScanner.named(name, "row"):
            let number = XMLScanner.attribute("r", in: attributes).flatMap { Int(String(decoding: $0, as: UTF8.self)) } ?? row + 1
            guard number >= 1 && number <= 1_048_576 else {
                throw SpreadsheetError.malformed(part: scanner.part, reason: "a row numbered \(number); Excel's rows are 1 to 1048576")
            }
            row = number
            lastColumn = 0
            inRow = !selfClosing
            return selfClosing ? .none : .rowStarted
        default:
            break
        }
        return .none
    }

    mutating func close(_ name: Bytes) -> Event {
        switch (name.count, name.first ?? 0) {
        case (1, UInt8(ascii: "v")), (1, UInt8(ascii: "t")): capturing = false
        case (1, UInt8(ascii: "c")): return .cellEnded
        case (2, UInt8(ascii: "i")): inInline = false
        case (3, UInt8(ascii: "r")) where XMLScanner.named(name, "rPh"): phonetic -= 1
        case (3, UInt8(ascii: "r")) where XMLScanner.named(name, "row") && inRow:
            inRow = false
            return .rowEnded
        default: break
        }
        return .none
    }

    mutating func text(_ text: Bytes, isCDATA: Bool) throws {
        guard capturing else { return }
        if isCDATA { raw.append(contentsOf: text) } else { try scanner.decodeText(text, into: &raw) }
        if raw.count > Self.maximumCellBytes {
            throw SpreadsheetError.malformed(part: scanner.part, reason: "a cell longer than Excel allows (32,767 characters)",
                                             row: row, column: column)
        }
    }

    /// True when the cell just ended has a value (in a row).
    var hasValue: Bool { inRow && !raw.isEmpty }

    /// The value of the cell just ended, without a copy where it can be: the
    /// raw text, or the shared string in place.
    func withValue(_ body: (UnsafeBufferPointer<UInt8>) -> Void) throws {
        switch type {
        case .text:
            raw.withUnsafeBufferPointer(body)
        case .number where !NumberText.hasExponent(raw):
            raw.withUnsafeBufferPointer(body)
        case .shared:
            let index = try sharedIndex()
            strings.withString(index, body)
        default:
            var value: [UInt8] = []
            try appendValue(to: &value)
            value.withUnsafeBufferPointer(body)
        }
    }

    private func sharedIndex() throws -> Int {
        var index = 0
        var valid = !raw.isEmpty
        raw.withUnsafeBufferPointer { digits in
            for byte in digits {
                guard byte >= 48 && byte <= 57, index < Int.max / 10 else { valid = false; break }
                index = index * 10 + Int(byte - 48)
            }
        }
        guard valid, index < strings.count else {
            throw SpreadsheetError.malformed(part: scanner.part, reason: "the cell refers to shared string \"\(String(decoding: raw.prefix(20), as: UTF8.self))\" of \(strings.count)",
                                             row: row, column: column)
        }
        return index
    }

    /// Appends the value of the cell just ended, shared strings looked up.
    func appendValue(to out: inout [UInt8]) throws {
        switch type {
        case .shared:
            strings.withString(try sharedIndex()) { out.append(contentsOf: $0) }
        case .boolean:
            out.append(contentsOf: raw.first == UInt8(ascii: "1") ? Self.true : Self.false)
        case .number:
            NumberText.append(raw, to: &out)
        case .text:
            out.append(contentsOf: raw)
        }
    }

    private static let `true` = Array("TRUE".utf8)
    private static let `false` = Array("FALSE".utf8)
}

/// A worksheet's `sheetData`, row by row: each complete row goes to `onRow`.
struct SheetRowsHandler: XMLHandler {
    private var cells: CellReader
    private let onRow: (SheetRow) throws -> Void
    private var row = SheetRow()

    init(part: String, strings: SharedStrings, onRow: @escaping (SheetRow) throws -> Void) {
        cells = CellReader(part: part, strings: strings)
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

    init(part: String, strings: SharedStrings, headerRow: Int, width: Int, sink: @escaping (UnsafeBufferPointer<UInt8>) throws -> Void) {
        cells = CellReader(part: part, strings: strings)
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
        try cells.withValue { CSVField.append($0, to: &record) }
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

/// A cell's `t` attribute: what its `v` holds.
enum CellType {
    /// s: the number of a shared string.
    case shared
    /// b: 1 or 0.
    case boolean
    /// n, or no `t`: a number.
    case number
    /// inlineStr, str (a formula's text), e (an error such as #N/A), d (an ISO date): text as it is.
    case text

    init(_ t: Bytes) {
        if XMLScanner.named(t, "s") { self = .shared }
        else if XMLScanner.named(t, "b") { self = .boolean }
        else if XMLScanner.named(t, "n") { self = .number }
        else { self = .text }
    }
}

/// A number cell's text as a person would write it.
enum NumberText {
    /// Digits and a point are copied; a value with an exponent is written out
    /// (integral values as whole numbers, so a code stored as 3.5140120010001E+15
    /// reads as 3514012001000100).
    static func hasExponent(_ raw: [UInt8]) -> Bool {
        raw.withUnsafeBufferPointer { digits in digits.contains { $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "e") } }
    }

    static func append(_ raw: [UInt8], to out: inout [UInt8]) {
        guard hasExponent(raw), let x = Double(String(decoding: raw, as: UTF8.self).trimmingASCIIBlanks()), x.isFinite else {
            out.append(contentsOf: raw)
            return
        }
        if x == x.rounded(), abs(x) < 9.0e18 {
            out.append(contentsOf: Array(String(Int64(x)).utf8))
        } else {
            out.append(contentsOf: Array("\(x)".utf8))
        }
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
