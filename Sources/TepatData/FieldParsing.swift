#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parsers for one field's bytes. Each returns nil for text it does not accept;
/// the caller turns that into a located message.
enum FieldParsing {
    /// Strips ASCII spaces and tabs at both ends (Excel exports often pad).
    @inline(__always)
    static func trimmed(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var lo = 0, hi = b.count
        while lo < hi && (b[lo] == 0x20 || b[lo] == 0x09) { lo += 1 }
        while hi > lo && (b[hi - 1] == 0x20 || b[hi - 1] == 0x09) { hi -= 1 }
        if lo == 0 && hi == b.count { return b }
        return UnsafeBufferPointer(rebasing: b[lo..<hi])
    }

    /// A whole number with an optional sign, at most 18 digits.
    @inline(__always)
    static func integer(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        var negative = false
        if b.count > 0 && (b[0] == UInt8(ascii: "-") || b[0] == UInt8(ascii: "+")) {
            negative = b[0] == UInt8(ascii: "-")
            i = 1
        }
        guard i < b.count, b.count - i <= 18 else { return nil }
        var value = 0
        while i < b.count {
            let d = b[i] &- 48
            if d > 9 { return nil }
            value = value &* 10 &+ Int(d)
            i += 1
        }
        return negative ? -value : value
    }

    static let powersOfTen: [Double] = (0...22).map { p in (0..<p).reduce(1.0) { acc, _ in acc * 10 } }

    /// A decimal number with `.` as the decimal mark and an optional exponent.
    /// Plain decimals of up to 15 significant digits take an exact fast path
    /// (both operands exactly representable, one correctly rounded division);
    /// everything else goes through `strtod`. NaN, infinities and values that
    /// overflow (`1e309`) are rejected.
    static func number(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        guard b.count > 0, b.count < 64 else { return nil }
        var i = 0
        var negative = false
        if b[0] == UInt8(ascii: "-") || b[0] == UInt8(ascii: "+") { negative = b[0] == UInt8(ascii: "-"); i = 1 }
        var mantissa: UInt64 = 0
        var digits = 0, fractionDigits = 0
        var sawPoint = false, simple = true
        while i < b.count {
            let c = b[i]
            if c >= 48 && c <= 57 {
                mantissa = mantissa &* 10 &+ UInt64(c - 48)
                digits += 1
                if sawPoint { fractionDigits += 1 }
            } else if c == UInt8(ascii: ".") && !sawPoint {
                sawPoint = true
            } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                simple = false
                break
            } else {
                return nil
            }
            i += 1
        }
        if digits == 0 { return nil }
        if simple && digits <= 15 && fractionDigits <= 22 {
            let v = Double(mantissa) / powersOfTen[fractionDigits]
            return negative ? -v : v
        }
        // Exponent form or many digits: validate the exponent's shape, then strtod.
        if !simple {
            var j = i + 1
            if j < b.count && (b[j] == UInt8(ascii: "-") || b[j] == UInt8(ascii: "+")) { j += 1 }
            guard j < b.count else { return nil }
            while j < b.count { if b[j] < 48 || b[j] > 57 { return nil }; j += 1 }
        }
        var text = [CChar](repeating: 0, count: b.count + 1)
        for k in 0..<b.count { text[k] = CChar(bitPattern: b[k]) }
        let v = strtod(text, nil)
        return v.isFinite ? v : nil
    }

    /// Valid UTF-8 with no control characters (tab and line breaks, which quoted
    /// fields may hold, excepted) and no byte-order mark inside.
    static func isCleanText(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var ascii = true
        for c in b {
            if c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D { return false }
            if c >= 0x80 { ascii = false }
        }
        if ascii { return true }
        var iterator = b.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s):
                if s.value == 0xFEFF || (0x7F...0x9F).contains(s.value) { return false }
            case .emptyInput:
                return true
            case .error:
                return false
            }
        }
    }

    /// 64-bit hash of an identifier, for duplicate detection in bounded memory.
    @inline(__always)
    static func hash(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for c in b { h = (h ^ UInt64(c)) &* 0x0000_0100_0000_01b3 }
        // SplitMix64 finaliser: spreads FNV's weak low bits.
        h = (h ^ (h >> 30)) &* 0xbf58_476d_1ce4_e5b9
        h = (h ^ (h >> 27)) &* 0x94d0_49bb_1331_11eb
        return h ^ (h >> 31)
    }
}

/// Category or yes/no tokens, matched ASCII case-insensitively without touching
/// any reference-counted storage in the per-field loop. Fields of one byte (yes/no
/// columns and numeric codes: most of a household file) are looked up in a table;
/// fields of up to 16 bytes are packed, lowercased, into two words and compared
/// with the tokens packed the same way.
struct TokenTable {
    private struct Packed: Equatable {
        var low: UInt64
        var high: UInt64
        var length: Int
    }

    private var tokens: [[UInt8]] = []
    private var packed: [Packed] = []
    private(set) var values: [Int32] = []
    /// Token index of each one-byte field (both cases of a letter), -1 for none.
    private var byByte = [Int32](repeating: -1, count: 256)

    init(_ tokens: [([UInt8], Int32)]) {
        for (token, value) in tokens {
            let lowered = token.map(TokenTable.lowercased)
            if lowered.count == 1 && byByte[Int(lowered[0])] < 0 {
                let k = Int32(self.tokens.count)
                byByte[Int(lowered[0])] = k
                if lowered[0] >= 97 && lowered[0] <= 122 { byByte[Int(lowered[0]) - 32] = k }
            }
            // A token longer than 16 bytes gets length -1: no packed field equals it.
            packed.append(lowered.withUnsafeBufferPointer { TokenTable.pack($0) } ?? Packed(low: 0, high: 0, length: -1))
            self.tokens.append(lowered)
            values.append(value)
        }
    }

    var names: [String] { tokens.map { String(decoding: $0, as: UTF8.self) } }

    @inline(__always)
    private static func lowercased(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c + 32 : c }

    /// The field's bytes, lowercased, in two words; nil above 16 bytes.
    @inline(__always)
    private static func pack(_ field: UnsafeBufferPointer<UInt8>) -> Packed? {
        guard field.count <= 16 else { return nil }
        var low: UInt64 = 0, high: UInt64 = 0
        for i in 0..<min(8, field.count) { low |= UInt64(lowercased(field[i])) << (8 * UInt64(i)) }
        if field.count > 8 {
            for i in 8..<field.count { high |= UInt64(lowercased(field[i])) << (8 * UInt64(i - 8)) }
        }
        return Packed(low: low, high: high, length: field.count)
    }

    /// Index of the token equal to `field` (ASCII case-insensitive), or -1.
    @inline(__always)
    func match(_ field: UnsafeBufferPointer<UInt8>) -> Int {
        if field.count == 1 { return byByte.withUnsafeBufferPointer { Int($0[Int(field[0])]) } }
        guard let key = TokenTable.pack(field) else { return longMatch(field) }
        return packed.withUnsafeBufferPointer { packed in
            for k in 0..<packed.count where packed[k] == key { return k }
            return -1
        }
    }

    @inline(never)
    private func longMatch(_ field: UnsafeBufferPointer<UInt8>) -> Int {
        tokens.firstIndex { $0.count == field.count && zip($0, field).allSatisfy { $0 == TokenTable.lowercased($1) } } ?? -1
    }
}
