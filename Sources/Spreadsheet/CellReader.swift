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
    /// False reads every cell token by token (`wholeCell` declines): the
    /// reference the one-step reading is compared with.
    var wholeCells = true

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
            startCell(attributes)
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

    private mutating func startCell(_ attributes: Bytes) {
        let (r, t) = XMLScanner.cellAttributes(attributes)
        column = r.flatMap(CellReference.column(of:)) ?? lastColumn + 1
        type = t.map(CellType.init) ?? .number
        raw.removeAll(keepingCapacity: true)
        lastColumn = column
    }

    /// True when the cell just ended has a value (in a row).
    var hasValue: Bool { inRow && !raw.isEmpty }

    /// The value of the cell just ended, shared strings looked up in place
    /// and a number with an exponent written out.
    func withValue(_ body: (UnsafeBufferPointer<UInt8>) -> Void) throws {
        switch type {
        case .shared:
            strings.withString(try sharedIndex(), body)
        case .boolean:
            (raw.first == UInt8(ascii: "1") ? Self.true : Self.false).withUnsafeBufferPointer(body)
        case .number where NumberText.hasExponent(raw):
            NumberText.written(raw).withUnsafeBufferPointer(body)
        case .number, .text:
            raw.withUnsafeBufferPointer(body)
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

    /// Appends the value of the cell just ended, as it is or as a CSV field.
    /// (A closure at the caller would capture the caller's whole `self`, and
    /// the reader would be copied for every cell to be read beside it.)
    func appendValue(to out: inout [UInt8], asCSVField: Bool = false) throws {
        if asCSVField { try withValue { CSVField.append($0, to: &out) } } else { try withValue { out.append(contentsOf: $0) } }
    }

    private static let `true` = Array("TRUE".utf8)
    private static let `false` = Array("FALSE".utf8)
}

extension CellReader {
    /// A whole cell read in one step where it has one of the shapes
    /// spreadsheet programs write, `<c …/>`, `<c …><v>text</v></c>` or
    /// `<c …><is><t>text</t></is></c>`, with no entity in its text: five or six
    /// tokens a cell are most of a sheet's scanning. Returns the index after
    /// the cell, ready for `hasValue` and `withValue` as if its tokens had been
    /// scanned one by one; nil leaves the cell to the scanner, which reads every
    /// shape (and reads these the same, as the workbook fuzzer checks).
    mutating func wholeCell(_ b: Bytes, at i: Int) -> Int? {
        guard wholeCells, !capturing, !inInline, phonetic == 0, i + 2 < b.count, b[i + 1] == UInt8(ascii: "c"),
              XMLScanner.isNameEnd(b[i + 2]), let tagEnd = XMLScanner.tagEnd(b, from: i + 2) else { return nil }
        let selfClosing = b[tagEnd - 1] == UInt8(ascii: "/")
        var text = Bytes(start: nil, count: 0)
        var end = tagEnd + 1
        if !selfClosing {
            guard let (value, after) = Self.cellContent(b, from: end) else { return nil }
            text = value
            end = after
        }
        startCell(Bytes(rebasing: b[(i + 2)..<(selfClosing ? tagEnd - 1 : tagEnd)]))
        raw.append(contentsOf: text)
        return end
    }

    /// The text of `<v>text</v></c>`, `<is><t>text</t></is></c>` or nothing
    /// before `</c>`, and the index after `</c>`; nil for anything else.
    private static func cellContent(_ b: Bytes, from start: Int) -> (Bytes, Int)? {
        if XMLScanner.hasPrefix("</c>", b, at: start) { return (Bytes(start: nil, count: 0), start + 4) }
        var k = start
        let closing: StaticString
        if XMLScanner.hasPrefix("<v>", b, at: k) {
            k += 3
            closing = "</v></c>"
        } else if XMLScanner.hasPrefix("<is><t", b, at: k), k + 6 < b.count, XMLScanner.isNameEnd(b[k + 6]) {
            // `<t>` or `<t xml:space="preserve">`.
            guard let tagEnd = XMLScanner.tagEnd(b, from: k + 6), b[tagEnd - 1] != UInt8(ascii: "/") else { return nil }
            k = tagEnd + 1
            closing = "</t></is></c>"
        } else {
            return nil
        }
        guard let textEnd = XMLScanner.find(UInt8(ascii: "<"), in: b, from: k), textEnd - k <= maximumCellBytes,
              XMLScanner.hasPrefix(closing, b, at: textEnd) else { return nil }
        let text = Bytes(rebasing: b[k..<textEnd])
        guard XMLScanner.find(UInt8(ascii: "&"), in: text, from: 0) == nil else { return nil }
        return (text, textEnd + closing.utf8CodeUnitCount)
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

    static func written(_ raw: [UInt8]) -> [UInt8] {
        guard let x = Double(String(decoding: raw, as: UTF8.self).trimmingASCIIBlanks()), x.isFinite else { return raw }
        if x == x.rounded(), abs(x) < 9.0e18 { return Array(String(Int64(x)).utf8) }
        return Array("\(x)".utf8)
    }
}

