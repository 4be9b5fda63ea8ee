import Foundation
import TepatData
import TepatReporting
import TepatScenario

/// Two run directories side by side (`tepat compare A B`): what changed in the
/// ranking, the money and the expected poverty of each village, in each
/// funder's spending, and in the headline figures. Reads only the run
/// directories' own files, so runs from other machines compare too.
public struct RunComparison {
    public struct Village {
        public var code: String
        public var name: String
        public var kecamatan: String
        public var rankA: Int?, rankB: Int?
        public var fundsA: Int64, fundsB: Int64
        /// Expected P0 after the allocation (before it when a run did not allocate).
        public var p0A: Double?, p0B: Double?
        /// Share of replicates whose re-plan funds the village (villages_after.csv), when a run has it.
        public var pFundedA: Double?, pFundedB: Double?

        public var rankChange: Int? { rankA.flatMap { a in rankB.map { $0 - a } } }
        public var fundsChange: Int64 { fundsB - fundsA }
        public var p0Change: Double? { p0A.flatMap { a in p0B.map { $0 - a } } }
    }

    public struct Funder {
        public var id: String
        public var budgetA: Int64?, budgetB: Int64?
        public var allocatedA: Int64?, allocatedB: Int64?
        public var marginalA: Double?, marginalB: Double?
    }

    public struct Figure {
        public var name: String
        public var a: String
        public var b: String
    }

    public var villages: [Village]
    public var funders: [Funder]
    public var figures: [Figure]
    /// Scenario settings that differ ("scoring.poverty_line: 550000 → 600000").
    public var scenarioChanges: [String]

    public init(_ a: String, _ b: String) throws {
        for dir in [a, b] {
            guard FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent("rankings.csv")) else {
                throw DataErrors(DataProblem(file: dir, message: "not a run directory (no rankings.csv); give two directories written by tepat run"))
            }
        }
        let ra = try Self.villageTable(a), rb = try Self.villageTable(b)
        var codes = Array(Set(ra.keys).union(rb.keys))
        codes.sort()
        villages = codes.map { code in
            let x = ra[code], y = rb[code]
            return Village(code: code, name: x?.name ?? y!.name, kecamatan: x?.kecamatan ?? y!.kecamatan,
                           rankA: x?.rank, rankB: y?.rank, fundsA: x?.funds ?? 0, fundsB: y?.funds ?? 0, p0A: x?.p0, p0B: y?.p0,
                           pFundedA: x?.pFunded, pFundedB: y?.pFunded)
        }
        let fa = try Self.funderTable(a), fb = try Self.funderTable(b)
        var ids = fa.order
        for id in fb.order where fa.rows[id] == nil { ids.append(id) }
        funders = ids.map { id in
            let x = fa.rows[id], y = fb.rows[id]
            return Funder(id: id, budgetA: x?.budget, budgetB: y?.budget, allocatedA: x?.allocated, allocatedB: y?.allocated,
                          marginalA: x?.marginal, marginalB: y?.marginal)
        }
        let sa = Self.summary(a), sb = Self.summary(b)
        figures = Self.figureNames.map { key, path in
            Figure(name: key, a: Self.lookup(sa, path), b: Self.lookup(sb, path))
        }
        figures.append(Figure(name: "villages funded", a: String(villages.filter { $0.fundsA > 0 }.count),
                              b: String(villages.filter { $0.fundsB > 0 }.count)))
        figures += Self.certainty(villages)
        if let ha = try Self.beneficiaryHouseholds(a), let hb = try Self.beneficiaryHouseholds(b) {
            let both = ha.intersection(hb).count
            figures.append(Figure(name: "beneficiary households in both plans", a: String(both), b: String(both)))
            figures.append(Figure(name: "beneficiary households in this plan only", a: String(ha.count - both), b: String(hb.count - both)))
        }
        scenarioChanges = try Self.scenarioDifferences(a, b)
    }

    /// How many villages each run funds in at least 90% of its replicates,
    /// and in 30–70% ("—" for a run without p_funded).
    static func certainty(_ villages: [Village]) -> [Figure] {
        [("villages funded in ≥ 90% of replicates", 0.9...1.0), ("villages funded in 30–70% of replicates", 0.3...0.7)].map { name, range in
            func count(_ share: (Village) -> Double?) -> String {
                villages.contains { share($0) != nil } ? String(villages.filter { share($0).map(range.contains) ?? false }.count) : "—"
            }
            return Figure(name: name, a: count(\.pFundedA), b: count(\.pFundedB))
        }
    }

    /// The `n` villages that changed most by `measure`, largest change first
    /// (ties by code).
    public func mostChanged(by measure: (Village) -> Double, count n: Int) -> [Village] {
        Array(villages.filter { measure($0) != 0 }
            .sorted { (abs(measure($0)), $1.code) > (abs(measure($1)), $0.code) }
            .prefix(n))
    }

    static let figureNames: [(String, [String])] = [
        ("allocation objective (persons × P2)", ["allocation", "objective"]),
        ("allocation bound", ["allocation", "bound"]),
        ("allocation gap", ["allocation", "gap"]),
        ("allocation outcome, mean over replicates", ["allocation", "outcome_mean"]),
        ("allocation outcome, 90% interval over replicates", ["allocation", "outcome_interval"]),
        ("objective measure", ["allocation", "objective_measure"]),
        ("spent (Rp)", ["allocation", "spent_rp"]),
        ("budget (Rp)", ["allocation", "budget_rp"]),
        ("households reached", ["allocation", "households_reached"]),
        ("programs delivered", ["allocation", "programs_delivered"]),
        ("P0 before", ["overall", "p0"]),
        ("P0 after", ["allocation", "p0_after"]),
        ("P2 after", ["allocation", "p2_after"]),
        ("expected poor persons", ["overall", "poor_persons"]),
        ("OPD pairs", ["assignment", "pairs"]),
        ("seed", ["seed"]),
        ("coverage of the truly poor", ["accuracy", "coverage"]),
    ]

    // MARK: - Reading run directories

    /// The households of beneficiaries.csv, or nil for a run without one.
    static func beneficiaryHouseholds(_ dir: String) throws -> Set<String>? {
        let path = (dir as NSString).appendingPathComponent("beneficiaries.csv")
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let table = try CSVReader.records(path: path)
        guard let id = table.header.firstIndex(of: "household_id") else {
            throw DataErrors(DataProblem(file: path, message: "missing household_id column"))
        }
        return Set(table.rows.map { $0[id] })
    }

    struct VillageRow { var name: String; var kecamatan: String; var rank: Int; var funds: Int64; var p0: Double?; var pFunded: Double? = nil }

    static func villageTable(_ dir: String) throws -> [String: VillageRow] {
        let rankings = try CSVReader.records(path: (dir as NSString).appendingPathComponent("rankings.csv"))
        let h = index(rankings.header)
        guard let code = h["kode_desa"], let rank = h["rank"], let p0 = h["p0"] else {
            throw DataErrors(DataProblem(file: dir + "/rankings.csv", message: "missing kode_desa, rank or p0 column"))
        }
        var rows: [String: VillageRow] = [:]
        for r in rankings.rows {
            rows[r[code]] = VillageRow(name: h["nama_desa"].map { r[$0] } ?? "", kecamatan: h["nama_kecamatan"].map { r[$0] } ?? "",
                                       rank: Int(r[rank]) ?? 0, funds: 0, p0: Double(r[p0]))
        }
        let afterPath = (dir as NSString).appendingPathComponent("villages_after.csv")
        if FileManager.default.fileExists(atPath: afterPath) {
            let after = try CSVReader.records(path: afterPath)
            let a = index(after.header)
            if let code = a["kode_desa"], let funds = a["funds_rp"], let p0 = a["p0_after"] {
                for r in after.rows where rows[r[code]] != nil {
                    rows[r[code]]!.funds = Int64(r[funds]) ?? 0
                    rows[r[code]]!.p0 = Double(r[p0])
                    rows[r[code]]!.pFunded = a["p_funded"].flatMap { Double(r[$0]) }
                }
            }
        }
        return rows
    }

    struct FunderRow { var budget: Int64?; var allocated: Int64?; var marginal: Double? }

    static func funderTable(_ dir: String) throws -> (order: [String], rows: [String: FunderRow]) {
        let path = (dir as NSString).appendingPathComponent("funders_summary.csv")
        guard FileManager.default.fileExists(atPath: path) else { return ([], [:]) }
        let table = try CSVReader.records(path: path)
        let h = index(table.header)
        guard let id = h["funder_id"] else { return ([], [:]) }
        var order: [String] = [], rows: [String: FunderRow] = [:]
        for r in table.rows {
            order.append(r[id])
            rows[r[id]] = FunderRow(budget: h["budget_rp"].flatMap { Int64(r[$0]) }, allocated: h["allocated_rp"].flatMap { Int64(r[$0]) },
                                    marginal: h["marginal_value"].flatMap { Double(r[$0]) })
        }
        return (order, rows)
    }

    static func index(_ header: [String]) -> [String: Int] {
        Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    }

    static func summary(_ dir: String) -> [String: Any] {
        let path = (dir as NSString).appendingPathComponent("summary.json")
        guard let data = FileManager.default.contents(atPath: path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return object
    }

    static func lookup(_ object: [String: Any], _ path: [String]) -> String {
        var node: Any? = object
        for key in path { node = (node as? [String: Any])?[key] }
        switch node {
        case let n as NSNumber: return n.stringValue
        case let s as String: return s
        case let list as [NSNumber]: return "[" + list.map(\.stringValue).joined(separator: ", ") + "]"
        default: return "—"
        }
    }

    /// Settings of the two runs' effective scenarios (scenario.yaml) that
    /// differ, key by key. A scenario.yaml that does not read is an error
    /// naming its line, not "no differences".
    static func scenarioDifferences(_ a: String, _ b: String) throws -> [String] {
        let x = try scenarioSettings(a), y = try scenarioSettings(b)
        let dx = Dictionary(x, uniquingKeysWith: { a, _ in a }), dy = Dictionary(y, uniquingKeysWith: { a, _ in a })
        var keys = x.map(\.0)
        for (k, _) in y where dx[k] == nil { keys.append(k) }
        return keys.compactMap { k in dx[k] == dy[k] ? nil : "\(k): \(dx[k] ?? "(absent)") → \(dy[k] ?? "(absent)")" }
    }

    /// Dotted key → value for every setting of a run's scenario.yaml, in the
    /// template's order; none when the run kept no scenario.
    static func scenarioSettings(_ dir: String) throws -> [(String, String)] {
        let path = (dir as NSString).appendingPathComponent("scenario.yaml")
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        do {
            return ScenarioWriter.settings(try ScenarioParser.load(path: path, checkFiles: false))
        } catch let error as ScenarioError {
            throw DataErrors(DataProblem(file: path, line: error.line ?? 0, columnNumber: error.column,
                                         message: error.key.isEmpty ? error.message : "\(error.key): \(error.message)"))
        }
    }

    // MARK: - Writing

    /// compare_villages.csv, compare_funders.csv and compare_summary.csv, written
    /// atomically into `directory`.
    public func write(to directory: String) throws {
        let dir = try RunDirectory(path: directory)
        let v = try CSVWriter(path: dir.file("compare_villages.csv"), header: [
            "kode_desa", "nama_desa", "nama_kecamatan", "rank_a", "rank_b", "rank_change",
            "funds_a_rp", "funds_b_rp", "funds_change_rp", "p0_a", "p0_b", "p0_change", "p_funded_a", "p_funded_b"])
        for x in villages.sorted(by: { (abs($0.fundsChange), abs($0.rankChange ?? 0), $1.code) > (abs($1.fundsChange), abs($1.rankChange ?? 0), $0.code) }) {
            v.text(x.code); v.text(x.name); v.text(x.kecamatan)
            optional(v, x.rankA); optional(v, x.rankB); optional(v, x.rankChange)
            v.integer(x.fundsA); v.integer(x.fundsB); v.integer(x.fundsChange)
            optional(v, x.p0A); optional(v, x.p0B); optional(v, x.p0Change)
            optional(v, x.pFundedA, decimals: 4); optional(v, x.pFundedB, decimals: 4)
            try v.endRow()
        }
        try v.close()
        let f = try CSVWriter(path: dir.file("compare_funders.csv"), header: [
            "funder_id", "budget_a_rp", "budget_b_rp", "allocated_a_rp", "allocated_b_rp", "allocated_change_rp", "marginal_value_a", "marginal_value_b"])
        for x in funders {
            f.text(x.id); optional(f, x.budgetA); optional(f, x.budgetB); optional(f, x.allocatedA); optional(f, x.allocatedB)
            optional(f, x.allocatedA.flatMap { a in x.allocatedB.map { $0 - a } }); optional(f, x.marginalA, decimals: 12); optional(f, x.marginalB, decimals: 12)
            try f.endRow()
        }
        try f.close()
        let s = try CSVWriter(path: dir.file("compare_summary.csv"), header: ["figure", "run_a", "run_b"])
        for x in figures { s.text(x.name); s.text(x.a); s.text(x.b); try s.endRow() }
        for change in scenarioChanges { s.text("scenario"); s.text(change); s.text(""); try s.endRow() }
        try s.close()
        try dir.commit()
    }

    private func optional<T: BinaryInteger>(_ w: CSVWriter, _ x: T?) { if let x { w.integer(x) } else { w.text("") } }
    private func optional(_ w: CSVWriter, _ x: Double?, decimals: Int = 6) { if let x { w.number(x, decimals: decimals) } else { w.text("") } }
}
