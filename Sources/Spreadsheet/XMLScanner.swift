#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bytes of a buffer being scanned: a tag's name, its attributes, a text.
typealias Bytes = UnsafeBufferPointer<UInt8>

/// What an XML part's handler hears: elements opening and closing, and text
/// between them, raw (entities not yet decoded; `decodeText` does that).
protocol XMLHandler {
    mutating func open(_ name: Bytes, attributes: Bytes, selfClosing: Bool) throws
    mutating func close(_ name: Bytes) throws
    /// `raw` is CDATA when `isCDATA`, else text with entities still encoded.
    mutating func text(_ raw: Bytes, isCDATA: Bool) throws
    /// A handler may take a whole element at `i` (a `<`) in one step: it
    /// returns the index after the element, or nil to have it scanned token by
    /// token. It must hear the same as it would have token by token.
    mutating func element(_ b: Bytes, at i: Int) throws -> Int?
}

extension XMLHandler {
    mutating func element(_ b: Bytes, at i: Int) throws -> Int? { nil }
}

/// The XML of workbook parts, scanned a buffer at a time without building a
/// tree. It knows elements, attributes, text, CDATA, comments and processing
/// instructions; a DOCTYPE (and so any entity declaration) is refused. Names are
/// given without their namespace prefix (`x:row` is `row`).
struct XMLScanner {
    let part: String

    /// Scans the complete tokens of `bytes` and returns how many bytes were
    /// used; the rest (a token cut by the end of the buffer) is scanned again
    /// with the bytes that follow. At the end of the part, `final` is true and
    /// everything must be used.
    func scan<H: XMLHandler>(_ bytes: Bytes, final: Bool, into handler: inout H) throws -> Int {
        let n = bytes.count
        var i = 0
        while i < n {
            guard bytes[i] == UInt8(ascii: "<") else {
                guard let next = Self.find(UInt8(ascii: "<"), in: bytes, from: i) else {
                    if final { try handler.text(Bytes(rebasing: bytes[i..<n]), isCDATA: false); return n }
                    // A long text goes on in pieces; only an entity cut short waits.
                    let end = Self.endOfWholeEntities(bytes, from: i)
                    if end > i { try handler.text(Bytes(rebasing: bytes[i..<end]), isCDATA: false) }
                    return end
                }
                try handler.text(Bytes(rebasing: bytes[i..<next]), isCDATA: false)
                i = next
                continue
            }
            if let end = try handler.element(bytes, at: i) {
                i = end
                continue
            }
            guard let end = try token(bytes, at: i, into: &handler) else {
                if final { throw SpreadsheetError.malformed(part: part, reason: "the XML ends inside a tag") }
                return i
            }
            i = end
        }
        return n
    }

    /// Handles the token at `i` (a `<`) and returns the index after it; nil
    /// when the buffer ends first.
    private func token<H: XMLHandler>(_ b: Bytes, at i: Int, into handler: inout H) throws -> Int? {
        let n = b.count
        guard i + 1 < n else { return nil }
        switch b[i + 1] {
        case UInt8(ascii: "?"):
            return Self.find("?>", in: b, from: i + 2).map { $0 + 2 }
        case UInt8(ascii: "!"):
            if Self.hasPrefix("<!--", b, at: i) { return Self.find("-->", in: b, from: i + 4).map { $0 + 3 } }
            if Self.hasPrefix("<![CDATA[", b, at: i) {
                guard let end = Self.find("]]>", in: b, from: i + 9) else { return nil }
                try handler.text(Bytes(rebasing: b[(i + 9)..<end]), isCDATA: true)
                return end + 3
            }
            // Too few bytes to tell a comment or CDATA from the rest yet.
            guard i + 9 <= n else { return nil }
            if b[i + 2] == UInt8(ascii: "-") || b[i + 2] == UInt8(ascii: "[") {
                throw SpreadsheetError.malformed(part: part, reason: "a broken comment or CDATA section")
            }
            throw SpreadsheetError.declaresDocumentType(part: part)
        case UInt8(ascii: "/"):
            guard let end = Self.find(UInt8(ascii: ">"), in: b, from: i + 2) else { return nil }
            try handler.close(Self.localName(Bytes(rebasing: b[(i + 2)..<end])))
            return end + 1
        default:
            guard let end = Self.tagEnd(b, from: i + 1) else { return nil }
            let selfClosing = b[end - 1] == UInt8(ascii: "/")
            let inner = Bytes(rebasing: b[(i + 1)..<(selfClosing ? end - 1 : end)])
            // The name, and where its prefix ends, in one pass.
            var k = 0, local = 0
            while k < inner.count && !Self.isNameEnd(inner[k]) {
                if inner[k] == UInt8(ascii: ":") { local = k + 1 }
                k += 1
            }
            guard k > local else { throw SpreadsheetError.malformed(part: part, reason: "a tag without a name") }
            try handler.open(Bytes(rebasing: inner[local..<k]), attributes: Bytes(rebasing: inner[k...]), selfClosing: selfClosing)
            return end + 1
        }
    }

    /// Where the text from `start` stops holding only complete entities: at its
    /// last `&` when no `;` follows it, else at the end.
    private static func endOfWholeEntities(_ b: Bytes, from start: Int) -> Int {
        var k = b.count
        while k > start && b.count - k < 12 {
            k -= 1
            if b[k] == UInt8(ascii: ";") { return b.count }
            if b[k] == UInt8(ascii: "&") { return k }
        }
        return b.count
    }

    /// The `>` that ends a start tag, skipping quoted attribute values.
    static func tagEnd(_ b: Bytes, from start: Int) -> Int? {
        var quote: UInt8 = 0
        var i = start
        while i < b.count {
            let c = b[i]
            if quote != 0 {
                if c == quote { quote = 0 }
            } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                quote = c
            } else if c == UInt8(ascii: ">") {
                return i
            }
            i += 1
        }
        return nil
    }

    static func isNameEnd(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == UInt8(ascii: "/") || c == UInt8(ascii: ">")
    }

    /// The name without its namespace prefix, and trailing blanks trimmed.
    static func localName(_ name: Bytes) -> Bytes {
        var end = name.count
        while end > 0 && isNameEnd(name[end - 1]) { end -= 1 }
        var start = 0
        for k in 0..<end where name[k] == UInt8(ascii: ":") { start = k + 1 }
        return Bytes(rebasing: name[start..<end])
    }

    static func find(_ byte: UInt8, in b: Bytes, from start: Int) -> Int? {
        guard start < b.count, let base = b.baseAddress else { return nil }
        guard let hit = memchr(base + start, Int32(byte), b.count - start) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    static func find(_ needle: StaticString, in b: Bytes, from start: Int) -> Int? {
        let first = needle.utf8Start[0]
        var i = start
        while let k = find(first, in: b, from: i) {
            if hasPrefix(needle, b, at: k) { return k }
            guard k + needle.utf8CodeUnitCount <= b.count else { return nil }
            i = k + 1
        }
        return nil
    }

    static func hasPrefix(_ prefix: StaticString, _ b: Bytes, at i: Int) -> Bool {
        let m = prefix.utf8CodeUnitCount
        guard i + m <= b.count else { return false }
        guard m > 0, let base = b.baseAddress else { return true }
        return memcmp(base + i, prefix.utf8Start, m) == 0
    }
}

extension XMLScanner {
    /// True when `name` is the ASCII `expected`.
    static func named(_ name: Bytes, _ expected: StaticString) -> Bool {
        name.count == expected.utf8CodeUnitCount && hasPrefix(expected, name, at: 0)
    }

    /// A cell's `r` and `t`, in one pass over its attributes.
    static func cellAttributes(_ a: Bytes) -> (r: Bytes?, t: Bytes?) {
        var r: Bytes?, t: Bytes?
        var i = 0
        while i < a.count {
            while i < a.count && (a[i] == 0x20 || a[i] == 0x09 || a[i] == 0x0A || a[i] == 0x0D) { i += 1 }
            let nameStart = i
            while i < a.count && a[i] != UInt8(ascii: "=") && a[i] != 0x20 { i += 1 }
            let one = i - nameStart == 1 ? a[nameStart] : 0
            while i < a.count && a[i] != UInt8(ascii: "\"") && a[i] != UInt8(ascii: "'") { i += 1 }
            guard i < a.count, let end = find(a[i], in: a, from: i + 1) else { break }
            let value = Bytes(rebasing: a[(i + 1)..<end])
            if one == UInt8(ascii: "r") { r = value } else if one == UInt8(ascii: "t") { t = value }
            i = end + 1
        }
        return (r, t)
    }

    /// The raw value of the attribute whose local name is `wanted`.
    static func attribute(_ wanted: StaticString, in attributes: Bytes) -> Bytes? {
        let a = attributes
        var i = 0
        while i < a.count {
            while i < a.count && (a[i] == 0x20 || a[i] == 0x09 || a[i] == 0x0A || a[i] == 0x0D) { i += 1 }
            let nameStart = i
            while i < a.count && a[i] != UInt8(ascii: "=") && a[i] != 0x20 { i += 1 }
            let name = localName(Bytes(rebasing: a[nameStart..<i]))
            while i < a.count && a[i] != UInt8(ascii: "\"") && a[i] != UInt8(ascii: "'") { i += 1 }
            guard i < a.count else { return nil }
            let quote = a[i]
            let valueStart = i + 1
            guard let valueEnd = find(quote, in: a, from: valueStart) else { return nil }
            if named(name, wanted) { return Bytes(rebasing: a[valueStart..<valueEnd]) }
            i = valueEnd + 1
        }
        return nil
    }

    /// Appends `raw` to `out` with the five predefined entities and character
    /// references decoded; any other entity is an error (none is declared).
    func decodeText(_ raw: Bytes, into out: inout [UInt8]) throws {
        var i = 0
        while i < raw.count {
            guard let amp = Self.find(UInt8(ascii: "&"), in: raw, from: i) else {
                out.append(contentsOf: Bytes(rebasing: raw[i...]))
                return
            }
            out.append(contentsOf: Bytes(rebasing: raw[i..<amp]))
            // An entity ends at the first `;`, within 12 bytes and before another `&`
            // (the rule the scanner uses to hold back an entity cut by a buffer's end).
            let nextAmp = Self.find(UInt8(ascii: "&"), in: raw, from: amp + 1) ?? raw.count
            guard let semicolon = Self.find(UInt8(ascii: ";"), in: raw, from: amp + 1), semicolon - amp <= 12, semicolon < nextAmp else {
                throw SpreadsheetError.malformed(part: part, reason: "an & that starts no entity")
            }
            try decodeEntity(Bytes(rebasing: raw[(amp + 1)..<semicolon]), into: &out)
            i = semicolon + 1
        }
    }

    private func decodeEntity(_ e: Bytes, into out: inout [UInt8]) throws {
        if Self.named(e, "amp") { out.append(UInt8(ascii: "&")); return }
        if Self.named(e, "lt") { out.append(UInt8(ascii: "<")); return }
        if Self.named(e, "gt") { out.append(UInt8(ascii: ">")); return }
        if Self.named(e, "quot") { out.append(UInt8(ascii: "\"")); return }
        if Self.named(e, "apos") { out.append(UInt8(ascii: "'")); return }
        let text = String(decoding: e, as: UTF8.self)
        var scalar: Unicode.Scalar?
        if text.hasPrefix("#x") || text.hasPrefix("#X") {
            scalar = UInt32(text.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
        } else if text.hasPrefix("#") {
            scalar = UInt32(text.dropFirst(1)).flatMap(Unicode.Scalar.init)
        }
        guard let scalar, scalar.value != 0 else {
            throw SpreadsheetError.malformed(part: part, reason: "unknown entity &\(text.prefix(12));")
        }
        out.append(contentsOf: Array(String(Character(scalar)).utf8))
    }
}
