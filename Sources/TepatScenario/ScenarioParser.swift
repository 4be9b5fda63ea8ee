import Foundation
import TepatAllocation
import TepatData
import TepatScoring
import TepatVerification
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
    /// - Parameter checkFiles: whether files the scenario names must exist (false
    ///   to read a run directory's scenario.yaml from another machine).
    public static func load(path: String, checkFiles: Bool = true) throws -> Scenario {
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
        return try parse(text, file: name, baseDirectory: folder, checkFiles: checkFiles)
    }

    public static func parse(_ text: String, file: String, baseDirectory: String, checkFiles: Bool = true) throws -> Scenario {
        guard !text.utf8.contains(0) else {
            throw ScenarioError(file: file, message: "contains a NUL byte; a scenario is plain UTF-8 text")
        }
        if let place = AliasedKeys.oversizedKey(in: text) {
            throw ScenarioError(file: file, line: place.line, column: place.column,
                                message: "a key made of aliases that stands for more than \(AliasedKeys.maximumNodes) values; a scenario's keys are names")
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
        var reader = NodeReader(file: file, baseDirectory: baseDirectory, checkFiles: checkFiles)
        try reader.read(root, into: &scenario)
        return scenario
    }
}

/// Walks the YAML tree along the scenario's schema. Only known keys are
/// descended into, and every node visit counts against a budget.
struct NodeReader {
    let file: String
    let baseDirectory: String
    /// Whether named files must exist.
    let checkFiles: Bool
    var visited = 0

    init(file: String, baseDirectory: String, checkFiles: Bool) {
        self.file = file
        self.baseDirectory = baseDirectory
        self.checkFiles = checkFiles
    }

    func error(_ node: Node?, _ key: String, _ message: String) -> ScenarioError {
        ScenarioError(file: file, line: node?.mark?.line, column: node?.mark?.column, key: key, message: message)
    }

    mutating func read(_ root: Node, into s: inout Scenario) throws {
        for (name, _, value) in try pairs(root, path: "", ScenarioKeys.Top.self) {
            switch name {
            case .seed: s.seed = UInt64(try integer(value, "seed", minimum: 0))
            case .data: try readData(value, into: &s.data)
            case .scoring: try readScoring(value, into: &s.scoring)
            case .ranking: try readRanking(value, into: &s.ranking)
            case .assignment: try readAssignment(value, into: &s.assignment)
            case .allocation: try readAllocation(value, into: &s.allocation)
            case .verification: try readVerification(value, into: &s.verification)
            case .outputs: try readOutputs(value, into: &s.outputs)
            }
        }
    }

    mutating func readData(_ node: Node, into d: inout Scenario.DataSettings) throws {
        for (name, _, value) in try pairs(node, path: "data", ScenarioKeys.Data.self) {
            let key = "data." + name.rawValue
            switch name {
            case .files:
                for (file, _, pathNode) in try pairs(value, path: key, ScenarioKeys.Files.self) {
                    let fileKey = key + "." + file.rawValue
                    guard let path = try optionalString(pathNode, fileKey) else { continue }
                    d.paths[file.rawValue + ".csv"] = try existingFile(resolve(path), pathNode, fileKey)
                }
            case .boundaries:
                guard let text = try optionalString(value, key) else { d.boundaries = nil; continue }
                d.boundaries = try existingFile(resolve(text), value, key)
            case .codebook:
                guard let text = try optionalString(value, key) else { d.codebook = nil; continue }
                d.codebook = text == "pbdt2015" ? text : try existingFile(resolve(text), value, key, hint: " (or write pbdt2015 for the shipped codebook)")
            case .onError: d.onError = try choice(value, key, OnError.self)
            }
        }
    }

    mutating func readScoring(_ node: Node, into s: inout Scenario.ScoringSettings) throws {
        for (name, _, value) in try pairs(node, path: "scoring", ScenarioKeys.Scoring.self) {
            let key = "scoring." + name.rawValue
            switch name {
            case .method: s.method = try choice(value, key, ScoringMethod.self)
            case .povertyLine: s.povertyLine = try number(value, key, above: 0)
            case .bootstrap: s.bootstrap = try integer(value, key, minimum: 0, maximum: Scenario.maximumBootstrap)
            case .ridge: s.ridge = try boolean(value, key)
            case .strata: s.strata = try choice(value, key, Stratification.self)
            case .kecamatanEffects: s.kecamatanEffects = try boolean(value, key)
            case .strictCategories: s.strictCategories = try boolean(value, key)
            case .mpiCutoff:
                let k = try number(value, key, above: 0)
                guard k <= 1 else { throw error(value, key, "expected a share in (0, 1], found \(k)") }
                s.mpiCutoff = k
            case .benchmarkP0:
                if isNone(value) { s.benchmarkP0 = nil; continue }
                let text = try scalar(value, key, expected: "a share such as 0.0946 or 9.46%")
                guard let rate = P0Benchmark.rate(text), rate > 0, rate < 1 else {
                    throw error(value, key, "expected the official P0 as a share between 0 and 1 (0.0946) or a percentage (9.46%), found '\(text)'")
                }
                s.benchmarkP0 = rate
            case .mpiWeights:
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
        for (name, _, value) in try pairs(node, path: "ranking", ScenarioKeys.Ranking.self) {
            let key = "ranking." + name.rawValue
            switch name {
            case .rankBy: r.rankBy = try choice(value, key, RankBy.self)
            case .weights:
                for (measure, _, w) in try pairs(value, path: key, ScenarioKeys.Weights.self) {
                    let weight = try number(w, key + "." + measure.rawValue, minimum: 0)
                    switch measure {
                    case .p0: r.weights.p0 = weight
                    case .p2: r.weights.p2 = weight
                    case .poorPersons: r.weights.poorPersons = weight
                    case .mpiM0: r.weights.mpiM0 = weight
                    case .shareDesil1to4: r.weights.shareDesil1to4 = weight
                    }
                }
            }
        }
    }

    mutating func readAssignment(_ node: Node, into a: inout Scenario.AssignmentSettings) throws {
        for (name, _, value) in try pairs(node, path: "assignment", ScenarioKeys.Assignment.self) {
            let key = "assignment." + name.rawValue
            switch name {
            case .enabled: a.enabled = try boolean(value, key)
            case .opds: a.opds = try identifiers(value, key)
            case .opdsPerVillage: a.opdsPerVillage = try integer(value, key, minimum: 1, maximum: 100)
            }
        }
    }

    mutating func readVerification(_ node: Node, into v: inout VerificationOptions) throws {
        for (name, _, value) in try pairs(node, path: "verification", ScenarioKeys.Verification.self) {
            let key = "verification." + name.rawValue
            switch name {
            case .minProbability:
                let p = try number(value, key, above: 0.5)
                guard p < 1 else { throw error(value, key, "expected a probability below 1, found \(p)") }
                v.minimumProbability = p
            case .minPPoor:
                let p = try number(value, key, minimum: 0)
                guard p <= 1 else { throw error(value, key, "expected a probability of at most 1, found \(p)") }
                v.minimumPPoor = p
            case .maxPerVillage: v.maximumPerVillage = try integer(value, key, minimum: 1, maximum: 10_000)
            }
        }
    }

    mutating func readAllocation(_ node: Node, into a: inout Scenario.AllocationSettings) throws {
        for (name, _, value) in try pairs(node, path: "allocation", ScenarioKeys.Allocation.self) {
            let key = "allocation." + name.rawValue
            switch name {
            case .enabled: a.enabled = try boolean(value, key)
            case .objective: a.objective = try choice(value, key, AllocationObjective.self)
            case .funders: a.funders = try identifiers(value, key)
            case .floors:
                for (status, keyNode, amount) in try pairs(value, path: key, allowed: nil) {
                    guard Schemas.idmStatuses.contains(status) else {
                        throw error(keyNode, key + "." + status, "not an IDM status" + NearestName.hint(for: status, among: Schemas.idmStatuses))
                    }
                    a.floors[status] = try rupiah(amount, key + "." + status)
                }
            case .villageCap: a.villageCap = try isNone(value) ? nil : rupiah(value, key)
            case .funderAreas:
                for (funder, _, list) in try pairs(value, path: key, allowed: nil) {
                    let codes = try identifiers(list, key + "." + funder, allowAll: false) ?? []
                    for code in codes where RegionCode(code)?.level != .kecamatan {
                        throw error(list, key + "." + funder, "'\(code)' is not a kecamatan code (expected like 35.14.05)")
                    }
                    a.funderAreas[funder] = codes
                }
            case .funderBudgets:
                for (funder, _, amount) in try pairs(value, path: key, allowed: nil) {
                    a.funderBudgets[funder] = try rupiah(amount, key + "." + funder)
                }
            }
        }
    }

    mutating func readOutputs(_ node: Node, into o: inout Scenario.OutputSettings) throws {
        for (name, _, value) in try pairs(node, path: "outputs", ScenarioKeys.Outputs.self) {
            let key = "outputs." + name.rawValue
            switch name {
            case .householdsScored: o.householdsScored = try boolean(value, key)
            case .workbook: o.workbook = try boolean(value, key)
            case .csvDialect: o.csvDialect = try choice(value, key, CSVDialect.self)
            case .lang: o.language = try choice(value, key, ReportLanguage.self)
            case .exportMPS: o.exportMPS = try optionalString(value, key).map(resolve)
            }
        }
    }

    /// A path that must exist when the scenario is read for a run; a run
    /// directory's scenario read for comparison may come from another machine.
    func existingFile(_ resolved: String, _ node: Node, _ key: String, hint: String = "") throws -> String {
        guard !checkFiles || FileManager.default.fileExists(atPath: resolved) else {
            throw error(node, key, "file not found: \(resolved)" + hint)
        }
        return resolved
    }
}
