import Foundation
import TepatData
import Yams

extension NodeReader {
    /// The key–value pairs of a mapping, checked against `allowed` (nil: any
    /// key, checked by the caller). A missing section (`data:` with nothing)
    /// has no pairs.
    mutating func pairs(_ node: Node, path: String, allowed: [String]?) throws -> [(String, Node, Node)] {
        try count(node)
        if case .scalar(let s) = node, s.tag == Tag(.null) || s.string.isEmpty { return [] }
        guard let mapping = node.mapping else {
            throw error(node, path, "expected a section of keys, found \(describe(node))")
        }
        var result: [(String, Node, Node)] = []
        for (keyNode, value) in mapping {
            try count(keyNode)
            guard let name = keyNode.scalar?.string else {
                throw error(keyNode, path, "a key must be a plain word")
            }
            let full = path.isEmpty ? name : path + "." + name
            if let allowed, !allowed.contains(name) {
                // A key of another section, written exactly, is a commoner slip than
                // a typo of one here; a near one only when nothing here is near.
                if let other = ScenarioKeys.elsewhere(name, notIn: path) {
                    let parts = other.split(separator: ".")
                    if parts.last! == name || NearestName.suggestion(for: name, among: allowed) == nil {
                        let section = parts.dropLast().joined(separator: ".")
                        let place = section.isEmpty ? "at the top level" : "in the \(section) section"
                        throw error(keyNode, full, "unknown key here; did you mean '\(other)'? (\(parts.last!) belongs \(place))")
                    }
                }
                throw error(keyNode, full, "unknown key" + NearestName.hint(for: name, among: allowed))
            }
            result.append((name, keyNode, value))
        }
        return result
    }

    /// The pairs of a section whose keys are `K`'s cases.
    mutating func pairs<K: RawRepresentable & CaseIterable>(_ node: Node, path: String, _: K.Type) throws -> [(K, Node, Node)]
    where K.RawValue == String {
        // `pairs(allowed:)` has checked every name, so each has its case.
        try pairs(node, path: path, allowed: ScenarioKeys.names(K.self)).map { (K(rawValue: $0.0)!, $0.1, $0.2) }
    }

    mutating func count(_ node: Node) throws {
        visited += 1
        if visited > ScenarioParser.maximumNodes {
            throw error(node, "", "more than \(ScenarioParser.maximumNodes) values (nested aliases?); a scenario is a page of settings")
        }
    }

    mutating func scalar(_ node: Node, _ key: String, expected: String) throws -> String {
        try count(node)
        guard let s = node.scalar else { throw error(node, key, "expected \(expected), found \(describe(node))") }
        return s.string
    }

    func isNone(_ node: Node) -> Bool {
        guard let s = node.scalar else { return false }
        return s.tag == Tag(.null) || s.string.isEmpty || s.string == "none"
    }

    mutating func optionalString(_ node: Node, _ key: String) throws -> String? {
        if isNone(node) { return nil }
        return try scalar(node, key, expected: "text")
    }

    mutating func boolean(_ node: Node, _ key: String) throws -> Bool {
        let text = try scalar(node, key, expected: "true or false")
        switch text.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default: throw error(node, key, "expected true or false, found '\(text)'")
        }
    }

    mutating func integer(_ node: Node, _ key: String, minimum: Int, maximum: Int = Int.max) throws -> Int {
        let text = try scalar(node, key, expected: "a whole number")
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")) else {
            throw error(node, key, "expected a whole number, found '\(text)'")
        }
        guard value >= minimum, value <= maximum else {
            throw error(node, key, maximum == Int.max
                ? "expected a whole number of at least \(minimum), found \(value)"
                : "expected a whole number from \(minimum) to \(maximum), found \(value)")
        }
        return value
    }

    mutating func rupiah(_ node: Node, _ key: String) throws -> Int64 {
        let text = try scalar(node, key, expected: "whole rupiah")
        guard let value = Int64(text.replacingOccurrences(of: "_", with: "")), value >= 0 else {
            throw error(node, key, "expected whole rupiah without separators (e.g. 50000000 or 50_000_000), found '\(text)'")
        }
        return value
    }

    mutating func number(_ node: Node, _ key: String, above lower: Double? = nil, minimum: Double? = nil) throws -> Double {
        let text = try scalar(node, key, expected: "a number")
        guard let value = Double(text.replacingOccurrences(of: "_", with: "")), value.isFinite else {
            throw error(node, key, "expected a number (with . as the decimal mark), found '\(text)'")
        }
        if let lower, !(value > lower) { throw error(node, key, "expected a number above \(formatted(lower)), found \(text)") }
        if let minimum, !(value >= minimum) { throw error(node, key, "expected a number of at least \(formatted(minimum)), found \(text)") }
        return value
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(_ node: Node, _ key: String, _ type: T.Type) throws -> T where T.RawValue == String {
        let names = T.allCases.map(\.rawValue)
        let text = try scalar(node, key, expected: "one of " + names.joined(separator: ", "))
        guard let value = T(rawValue: text) else {
            throw error(node, key, "'\(text)' is not a choice" + NearestName.hint(for: text, among: names))
        }
        return value
    }

    /// A list of ids, or `all` (nil).
    mutating func identifiers(_ node: Node, _ key: String, allowAll: Bool = true) throws -> [String]? {
        try count(node)
        if allowAll, let s = node.scalar, s.string == "all" { return nil }
        guard let sequence = node.sequence else {
            throw error(node, key, allowAll ? "expected a list like [A, B] or all, found \(describe(node))" : "expected a list like [A, B], found \(describe(node))")
        }
        return try sequence.map { try scalar($0, key, expected: "an id") }
    }

    func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: baseDirectory).appendingPathComponent(path).standardizedFileURL.path
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return "'\(s.string)'"
        case .mapping: return "a section of keys"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    func formatted(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
}

extension YamlError {
    var line: Int? {
        switch self {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        case .duplicatedKeysInMapping(_, let context): return context.mark.line
        default: return nil
        }
    }
    var column: Int? {
        switch self {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.column
        case .duplicatedKeysInMapping(_, let context): return context.mark.column
        default: return nil
        }
    }
    var problemText: String {
        switch self {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): return problem
        case .duplicatedKeysInMapping(let duplicates, _): return "duplicate key " + duplicates.map { "'\($0)'" }.joined(separator: ", ")
        default: return "\(self)"
        }
    }
}
