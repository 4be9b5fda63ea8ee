import Foundation

/// A JSON value with keys kept in the order given, numbers written with a fixed
/// rounding: summary.json is byte-identical for the same inputs and seed, and
/// reads in the order Docs/outputs.md lists it.
public indirect enum JSON: Sendable, Equatable {
    case object([(String, JSON)])
    case array([JSON])
    case string(String)
    /// A number rounded to `decimals` places; non-finite numbers become null.
    case number(Double, decimals: Int)
    case integer(Int)
    case bool(Bool)
    case null

    public static func == (a: JSON, b: JSON) -> Bool { a.text() == b.text() }

    public static func number(_ x: Double) -> JSON { .number(x, decimals: 6) }

    public func text(indent: Int = 0) -> String {
        let pad = String(repeating: "  ", count: indent), inner = String(repeating: "  ", count: indent + 1)
        switch self {
        case .object(let pairs):
            if pairs.isEmpty { return "{}" }
            return "{\n" + pairs.map { "\(inner)\(JSON.quote($0.0)): \($0.1.text(indent: indent + 1))" }.joined(separator: ",\n") + "\n\(pad)}"
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[\n" + items.map { inner + $0.text(indent: indent + 1) }.joined(separator: ",\n") + "\n\(pad)]"
        case .string(let s): return JSON.quote(s)
        case let .number(x, decimals):
            guard x.isFinite else { return "null" }
            return JSON.fixed(x, decimals: decimals)
        case .integer(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

    /// Rounded, trailing zeros removed, no exponent, "-0" written as "0".
    public static func fixed(_ x: Double, decimals: Int) -> String {
        var text = String(format: "%.\(decimals)f", x)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    /// A double-quoted string with JSON escapes; also valid YAML, whose
    /// double-quoted style accepts the same escapes.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
