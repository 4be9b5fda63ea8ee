import Foundation
import TepatData
import TepatScenario

/// The scenario as a form: every key of the template with its value, its
/// default and its line of help; and the values a form sends back turned into
/// a scenario file, checked by the same parser as `tepat run --scenario`.
enum ScenarioForm {
    struct Field: Codable, Sendable, Equatable {
        var key: String
        var value: String
        var defaultValue: String
        var help: String
        /// text, list (comma-separated), or map (entries are keys of their own)
        var kind: String
    }

    /// Keys whose value is a list of ids (or `all`), and mappings whose entries are.
    static let listKeys: Set<String> = ["assignment.opds", "allocation.funders"]
    static let listMappings = ["allocation.funder_areas"]
    /// Keys that hold a mapping of the user's own keys (a village status, a funder, an indicator).
    static let mappings = ["data.files", "scoring.mpi_weights", "allocation.floors", "allocation.funder_areas", "allocation.funder_budgets"]

    static func fields(of scenario: Scenario) -> [Field] {
        let defaults = Dictionary(ScenarioWriter.fields(Scenario()).map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        return ScenarioWriter.fields(scenario).map { f in
            let mapping = f.value == "{}" || mappings.contains(where: { f.key.hasPrefix($0 + ".") })
            let kind = listKeys.contains(f.key) || listMappings.contains(where: { f.key.hasPrefix($0 + ".") }) ? "list" : mapping ? "map" : "text"
            let value = kind == "list" ? unbracketed(f.value) : f.value == "{}" ? "" : unquoted(f.value)
            return Field(key: f.key, value: value, defaultValue: defaults[f.key].map { $0.value == "{}" ? "" : unquoted(unbracketed($0.value)) } ?? "",
                         help: f.help.isEmpty ? defaults[f.key]?.help ?? "" : f.help, kind: kind)
        }
    }

    /// The YAML of a form's values (dotted keys; an empty value keeps the
    /// default). Every value is quoted, so no value can change the file's shape.
    static func yaml(_ values: [String: String]) throws(DeskError) -> String {
        var root = Section()
        for (key, value) in values.sorted(by: { $0.key < $1.key }) where !value.trimmingCharacters(in: .whitespaces).isEmpty {
            let parts = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard !parts.isEmpty, parts.allSatisfy(isPlainKey) else {
                throw DeskError(.unprocessable, "'\(key)' is not a scenario key", problems: [.init(location: "form", key: key, message: "not a scenario key")])
            }
            let isList = listKeys.contains(key) || listMappings.contains(where: { key.hasPrefix($0 + ".") })
            root.insert(parts, isList ? list(value) : quoted(value.trimmingCharacters(in: .whitespaces)))
        }
        return root.yaml(depth: 0)
    }

    /// A section of the YAML being built: keys in order, each a value or a section.
    struct Section {
        var keys: [String] = []
        var values: [String: String] = [:]
        var sections: [String: Section] = [:]

        mutating func insert(_ path: [String], _ value: String) {
            let head = path[0]
            if !keys.contains(head) { keys.append(head) }
            if path.count == 1 { values[head] = value } else { sections[head, default: Section()].insert(Array(path.dropFirst()), value) }
        }

        func yaml(depth: Int) -> String {
            let indent = String(repeating: "  ", count: depth)
            return keys.map { key in
                if let value = values[key], sections[key] == nil { return indent + quoted(key) + ": " + value + "\n" }
                return indent + quoted(key) + ":\n" + (sections[key]?.yaml(depth: depth + 1) ?? "")
            }.joined()
        }
    }

    static func isPlainKey(_ part: String) -> Bool {
        !part.isEmpty && part.count <= 64 && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") }
    }

    /// `all`, or comma-separated ids as a YAML list.
    static func list(_ text: String) -> String {
        let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if items == ["all"] { return quoted("all") }
        return "[" + items.map(quoted).joined(separator: ", ") + "]"
    }

    /// A YAML double-quoted scalar (JSON's escapes, which YAML accepts).
    static func quoted(_ text: String) -> String { JSON.quote(text) }

    static func unquoted(_ text: String) -> String {
        text.count >= 2 && text.hasPrefix("\"") && text.hasSuffix("\"") ? String(text.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"") : text
    }

    static func unbracketed(_ text: String) -> String {
        guard text.hasPrefix("[") && text.hasSuffix("]") else { return text }
        return text.dropFirst().dropLast().split(separator: ",").map { unquoted($0.trimmingCharacters(in: .whitespaces)) }.joined(separator: ", ")
    }
}
