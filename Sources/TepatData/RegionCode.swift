/// A Kemendagri region code: province `PP`, kabupaten/kota `PP.KK`, kecamatan
/// `PP.KK.CC`, or village `PP.KK.CC.DDDD`. Read dotted or as plain digits; always
/// written dotted.
///
/// The first digit of a village's `DDDD` says what kind of unit it is: 1 kelurahan
/// (urban), 2 desa (rural), 3 desa adat (customary village, rural; 14 exist in
/// Kab. Jayapura in the 2025 list). Any other digit is rejected.
public struct RegionCode: Hashable, Comparable, Sendable, CustomStringConvertible {
    public enum Level: Int, Sendable, Comparable {
        case province = 2, kabupaten = 4, kecamatan = 6, village = 10
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
        var name: String {
            switch self {
            case .province: return "province"
            case .kabupaten: return "kabupaten/kota"
            case .kecamatan: return "kecamatan"
            case .village: return "desa/kelurahan"
            }
        }
    }

    /// The code's digits as a number (e.g. 3514012001); with `level`, unambiguous.
    public let value: Int64
    public let level: Level

    public init?(value: Int64, level: Level) {
        self.value = value
        self.level = level
        if !RegionCode.isValid(value: value, level: level) { return nil }
    }

    public init?(_ text: String) {
        var bytes = Array(text.utf8)
        guard let code = bytes.withUnsafeMutableBufferPointer({ RegionCode.parse(UnsafeBufferPointer($0)) }) else {
            return nil
        }
        self = code
    }

    /// Parses `35.14.01.2001` or `3514012001` (and the shorter levels). Returns nil
    /// for anything else; `explainInvalid` says why.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> RegionCode? {
        // Dotted groups must be 2, 2, 2, 4 digits long; no allocation (one call per row).
        let groupLengths = (2, 2, 2, 4)
        var value: Int64 = 0
        var digits = 0, groupLength = 0, group = 0
        var sawDot = false
        @inline(__always) func expected(_ g: Int) -> Int {
            g == 0 ? groupLengths.0 : g == 1 ? groupLengths.1 : g == 2 ? groupLengths.2 : groupLengths.3
        }
        for b in bytes {
            if b >= 48 && b <= 57 {
                value = value * 10 + Int64(b - 48)
                digits += 1
                groupLength += 1
                if digits > 10 { return nil }
            } else if b == UInt8(ascii: ".") {
                guard group < 3, groupLength == expected(group) else { return nil }
                sawDot = true
                group += 1
                groupLength = 0
            } else {
                return nil
            }
        }
        if sawDot && groupLength != expected(group) { return nil }
        guard let level = Level(rawValue: digits) else { return nil }
        return RegionCode(value: value, level: level)
    }

    static func isValid(value: Int64, level: Level) -> Bool {
        // Split the digits arithmetically: this runs once per household row.
        var v = value
        var village: Int64 = 0, kecamatan: Int64 = 1, kabupaten: Int64 = 1
        if level == .village { village = v % 10_000; v /= 10_000 }
        if level >= .kecamatan { kecamatan = v % 100; v /= 100 }
        if level >= .kabupaten { kabupaten = v % 100; v /= 100 }
        let province = v
        guard province >= 11 && province <= 99, kabupaten != 0, kecamatan != 0 else { return false }
        if level == .village {
            let kind = village / 1000
            return (1...3).contains(kind) && village % 1000 != 0
        }
        return true
    }

    /// Why `bytes` is not a code of the wanted level, for an error message.
    public static func explainInvalid(_ bytes: UnsafeBufferPointer<UInt8>, wanted: Level) -> String {
        let example = wanted == .village ? "35.14.01.2001 or 3514012001" : "35.14.01 or 351401"
        if let code = parse(bytes) {
            return "expected a \(wanted.name) code (\(example)), got a \(code.level.name) code"
        }
        let digitsOnly = bytes.filter { $0 >= 48 && $0 <= 57 }
        if wanted == .village && digitsOnly.count == 10 && !(49...51).contains(digitsOnly[6]) {
            return "the desa/kelurahan part must start with 1 (kelurahan), 2 (desa) or 3 (desa adat)"
        }
        return "expected a \(wanted.name) code like \(example) (province 11–99, no zero parts)"
    }

    /// The code of the enclosing unit at `level` (e.g. a village's kecamatan).
    public func ancestor(_ level: Level) -> RegionCode {
        precondition(level <= self.level, "no \(level) above a \(self.level) code")
        var v = value
        for _ in 0..<(self.level.rawValue - level.rawValue) { v /= 10 }
        return RegionCode(uncheckedValue: v, level: level)
    }

    init(uncheckedValue: Int64, level: Level) {
        self.value = uncheckedValue
        self.level = level
    }

    public var kecamatan: RegionCode { ancestor(.kecamatan) }
    public var kabupaten: RegionCode { ancestor(.kabupaten) }

    public func contains(_ other: RegionCode) -> Bool {
        other.level >= level && other.ancestor(level) == self
    }

    /// Village kind from the first digit of DDDD.
    public var isKelurahan: Bool { level == .village && (value / 1000) % 10 == 1 }

    public var description: String {
        let digits = String(value).leftPadded(to: level.rawValue)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i == 2 || i == 4 || i == 6 { out.append(".") }
            out.append(c)
        }
        return out
    }

    public static func < (a: RegionCode, b: RegionCode) -> Bool {
        a.level == b.level ? a.value < b.value : a.description < b.description
    }
}
