import Foundation
import TepatAllocation
import TepatData
import TepatReporting
import TepatScoring
import Yams

/// Reads a scenario from YAML. Every key is optional (a missing key keeps its
/// default); an unknown key is an error naming it and the nearest valid key; a
/// value of the wrong type names the key, line and column.
public enum ScenarioParser {
    /// Scenarios are a page of settings; anything larger is a mistake or an attack.
    public static let maximumBytes = 1 << 20
    /// Nodes visited while reading, counting each use of an alias anew: a
    /// "billion laughs" file of nested aliases stops here instead of expanding.
    public static let maximumNodes = 100_000

    /// Reads the scenario file at `path`; relative paths inside it are taken from
    /// the file's folder.
    public static func load(path: String) throws -> Scenario {
        let name = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioError(file: path, message: FileManager.default.fileExists(atPath: path)
                ? "cannot read the scenario file" : "scenario file not found")
        }
        guard data.count <= maximumBytes else {
            throw ScenarioError(file: name, message: "scenario file is \(data.count) bytes; a scenario may be at most \(maximumBytes) bytes")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScenarioError(file: name, message: "not UTF-8 text; save the scenario as UTF-8")
        }
        let folder = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path
        return try parse(text, file: name, baseDirectory: folder)
    }

    public static func parse(_ text: String, file: String, baseDirectory: String) throws -> Scenario {
        guard !text.utf8.contains(0) else {
            throw ScenarioError(file: file, message: "contains a NUL byte; a scenario is plain UTF-8 text")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ScenarioError(file: file, line: error.line, column: error.column, message: "not valid YAML: \(error.problemText)")
        } catch {
            throw ScenarioError(file: file, message: "not valid YAML: \(error)")
        }
        var scenario = Scenario()
        guard let root else { return scenario }  // an empty file: every default
        var reader = NodeReader(file: file, baseDirectory: baseDirectory)
        try reader.read(root, into: &scenario)
        return scenario
    }
}

/// The keys of each section, in the order the template writes them.
public enum ScenarioKeys {
    public static let top = ["seed", "data", "scoring", "ranking", "assignment", "allocation", "outputs"]
    public static let data = ["files", "codebook", "on_error"]
    public static let files = ["households", "survey", "villages", "opds", "funders", "programs", "truth"]
    public static let scoring = ["method", "poverty_line", "bootstrap", "ridge", "strata", "kecamatan_effects",
                                 "strict_categories", "mpi_cutoff", "mpi_weights"]
    public static let ranking = ["rank_by", "weights"]
    public static let weights = ["p0", "p2", "poor_persons", "mpi_m0", "share_desil_1_4"]
    public static let assignment = ["enabled", "opds", "opds_per_village"]
    public static let allocation = ["enabled", "objective", "funders", "floors", "village_cap", "funder_areas", "funder_budgets"]
    public static let outputs = ["households_scored", "csv_dialect", "lang", "export_mps"]
}

/// Walks the YAML tree along the scenario's schema. Only known keys are
/// descended into, and every node visit counts against a budget.
struct NodeReader {
    let file: String
    let baseDirectory: String
    var visited = 0

    init(file: String, baseDirectory: String) {
        self.file = file
        self.baseDirectory = baseDirectory
    }

    func error(_ node: Node?, _ key: String, _ message: String) -> ScenarioError {
        ScenarioError(file: file, line: node?.mark?.line, column: node?.mark?.column, key: key, message: message)
    }

    mutating func read(_ root: Node, into s: inout Scenario) throws {
        for (name, _, value) in try pairs(root, path: "", allowed: ScenarioKeys.top) {
            switch name {
            case "seed": s.seed = UInt64(try integer(value, "seed", minimum: 0))
            case "data": try readData(value, into: &s.data)
            case "scoring": try readScoring(value, into: &s.scoring)
            case "ranking": try readRanking(value, into: &s.ranking)
            case "assignment": try readAssignment(value, into: &s.assignment)
            case "allocation": try readAllocation(value, into: &s.allocation)
            default: try readOutputs(value, into: &s.outputs)
            }
        }
    }

    mutating func readData(_ node: Node, into d: inout Scenario.DataSettings) throws {
        for (name, _, value) in try pairs(node, path: "data", allowed: ScenarioKeys.data) {
            let key = "data." + name
            switch name {
            case "files":
                for (file, _, pathNode) in try pairs(value, path: key, allowed: ScenarioKeys.files) {
                    guard let path = try optionalString(pathNode, key + "." + file) else { continue }
                    let resolved = resolve(path)
                    guard FileManager.default.fileExists(atPath: resolved) else {
                        throw error(pathNode, key + "." + file, "file not found: \(resolved)")
                    }
                    d.paths[file + ".csv"] = resolved
                }
            case "codebook":
                guard let text = try optionalString(value, key) else { d.codebook = nil; continue }
                if text == "pbdt2015" { d.codebook = text; continue }
                let resolved = resolve(text)
                guard FileManager.default.fileExists(atPath: resolved) else {
                    throw error(value, key, "file not found: \(resolved) (or write pbdt2015 for the shipped codebook)")
                }
                d.codebook = resolved
            default: d.onError = try choice(value, key, OnError.self)
            }
        }
    }

    mutating func readScoring(_ node: Node, into s: inout Scenario.ScoringSettings) throws {
        for (name, _, value) in try pairs(node, path: "scoring", allowed: ScenarioKeys.scoring) {
            let key = "scoring." + name
            switch name {
            case "method": s.method = try choice(value, key, ScoringMethod.self)
            case "poverty_line": s.povertyLine = try number(value, key, above: 0)
            case "bootstrap": s.bootstrap = try integer(value, key, minimum: 0, maximum: 10_000)
            case "ridge": s.ridge = try boolean(value, key)
            case "strata": s.strata = try choice(value, key, Stratification.self)
            case "kecamatan_effects": s.kecamatanEffects = try boolean(value, key)
            case "strict_categories": s.strictCategories = try boolean(value, key)
            case "mpi_cutoff":
                let k = try number(value, key, above: 0)
                guard k <= 1 else { throw error(value, key, "expected a share in (0, 1], found \(k)") }
                s.mpiCutoff = k
            default:
                let names = MultidimensionalPoverty.indonesiaDefault.indicators.map(\.name)
                for (indicator, keyNode, w) in try pairs(value, path: key, allowed: nil) {
                    guard names.contains(indicator) else {
                        throw error(keyNode, key + "." + indicator, "unknown MPI indicator" + NearestName.hint(for: indicator, among: names))
                    }
                    s.mpiWeights[indicator] = try number(w, key + "." + indicator, minimum: 0)
                }
            }
        }
    }

    mutating func readRanking(_ node: Node, into r: inout Scenario.RankingSettings) throws {
        for (name, _, value) in try pairs(node, path: "ranking", allowed: ScenarioKeys.ranking) {
            let key = "ranking." + name
            if name == "rank_by" { r.rankBy = try choice(value, key, RankBy.self); continue }
            for (measure, _, w) in try pairs(value, path: key, allowed: ScenarioKeys.weights) {
                let weight = try number(w, key + "." + measure, minimum: 0)
                switch measure {
                case "p0": r.weights.p0 = weight
                case "p2": r.weights.p2 = weight
                case "poor_persons": r.weights.poorPersons = weight
                case "mpi_m0": r.weights.mpiM0 = weight
                default: r.weights.shareDesil1to4 = weight
                }
            }
        }
    }

    mutating func readAssignment(_ node: Node, into a: inout Scenario.AssignmentSettings) throws {
        for (name, _, value) in try pairs(node, path: "assignment", allowed: ScenarioKeys.assignment) {
            let key = "assignment." + name
            switch name {
            case "enabled": a.enabled = try boolean(value, key)
            case "opds": a.opds = try identifiers(value, key)
            default: a.opdsPerVillage = try integer(value, key, minimum: 1, maximum: 100)
            }
        }
    }

    mutating func readAllocation(_ node: Node, into a: inout Scenario.AllocationSettings) throws {
        for (name, _, value) in try pairs(node, path: "allocation", allowed: ScenarioKeys.allocation) {
            let key = "allocation." + name
            switch name {
            case "enabled": a.enabled = try boolean(value, key)
            case "objective": a.objective = try choice(value, key, AllocationObjective.self)
            case "funders": a.funders = try identifiers(value, key)
            case "floors":
                for (status, keyNode, amount) in try pairs(value, path: key, allowed: nil) {
                    guard Schemas.idmStatuses.contains(status) else {
                        throw error(keyNode, key + "." + status, "not an IDM status" + NearestName.hint(for: status, among: Schemas.idmStatuses))
                    }
                    a.floors[status] = try rupiah(amount, key + "." + status)
                }
            case "village_cap":
                a.villageCap = try isNone(value) ? nil : rupiah(value, key)
            case "funder_areas":
                for (funder, _, list) in try pairs(value, path: key, allowed: nil) {
                    let codes = try identifiers(list, key + "." + funder, allowAll: false) ?? []
                    for code in codes where RegionCode(code)?.level != .kecamatan {
                        throw error(list, key + "." + funder, "'\(code)' is not a kecamatan code (expected like 35.14.05)")
                    }
                    a.funderAreas[funder] = codes
                }
            default:
                for (funder, _, amount) in try pairs(value, path: key, allowed: nil) {
                    a.funderBudgets[funder] = try rupiah(amount, key + "." + funder)
                }
            }
        }
    }

    mutating func readOutputs(_ node: Node, into o: inout Scenario.OutputSettings) throws {
        for (name, _, value) in try pairs(node, path: "outputs", allowed: ScenarioKeys.outputs) {
            let key = "outputs." + name
            switch name {
            case "households_scored": o.householdsScored = try boolean(value, key)
            case "csv_dialect": o.csvDialect = try choice(value, key, CSVDialect.self)
            case "lang": o.language = try choice(value, key, ReportLanguage.self)
            default: o.exportMPS = try optionalString(value, key).map(resolve)
            }
        }
    }

    // MARK: - Typed values

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
                throw error(keyNode, full, "unknown key" + NearestName.hint(for: name, among: allowed))
            }
            result.append((name, keyNode, value))
        }
        return result
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
