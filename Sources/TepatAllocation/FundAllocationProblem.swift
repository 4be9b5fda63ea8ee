import Foundation
import TepatData
import TepatScoring

/// Fund allocation (Docs/model.md): which households receive which programs,
/// and which funder pays each in full. Reaching household h with programs S
/// raises its consumption by U = Σ_{j∈S} u_j, and the objective is the fall in
/// the chosen expected FGT measure over all persons (`HouseholdOutcomes`).
/// Budgets, pillar and area eligibility, per-village shares, floors and caps
/// hold; a household gets at most one program per deprivation, and only
/// programs of its own deprivations. `solve()` (FundAllocationProblem+Solve)
/// returns the best plan with a proven bound.
public struct FundAllocationProblem: Sendable {
    public struct Funder: Sendable {
        public var id: String
        public var name: String
        public var kind: String
        public var budget: Int64
        public var pillars: Set<String>
        public var kecamatan: Set<Int64>
        public var maxSharePerVillage: Double

        public init(id: String, name: String, kind: String, budget: Int64, pillars: Set<String>, kecamatan: Set<Int64> = [], maxSharePerVillage: Double = 1) {
            self.id = id; self.name = name; self.kind = kind; self.budget = budget
            self.pillars = pillars; self.kecamatan = kecamatan; self.maxSharePerVillage = maxSharePerVillage
        }

        /// The most one village may get from this funder, whole rupiah.
        public var villageLimit: Int64 { min(budget, Int64((Double(budget) * maxSharePerVillage).rounded(.down))) }

        /// A share of 1 (the default) limits nothing the budget arc does not; the
        /// network then leaves the per-village arc unbounded, so it never becomes a
        /// second, degenerate bound that hides the budget's marginal value.
        var limitsVillages: Bool { maxSharePerVillage < 1 }
    }

    public struct Program: Sendable {
        public var id: String
        public var pillar: String
        public var unitCost: Int64
        public var deprivation: Deprivation
        /// Rise of monthly consumption per capita for a reached household, rupiah.
        public var uplift: Double

        public init(id: String, pillar: String, unitCost: Int64, deprivation: Deprivation, uplift: Double) {
            self.id = id; self.pillar = pillar; self.unitCost = unitCost; self.deprivation = deprivation; self.uplift = uplift
        }
    }

    /// One household a program could reach, and what reaching it with that
    /// program alone is worth.
    public struct Segment: Sendable {
        public var household: Int
        public var benefit: Double
    }

    public var funders: [Funder]
    public var programs: [Program]
    public var villageCodes: [Int64]
    public var villageNames: [String]
    /// The households and what an uplift is worth to each.
    public var households: HouseholdOutcomes
    /// segments[v][j]: the households of village v eligible for program j (they
    /// have its deprivation and would gain from it), best single gain first.
    public private(set) var segments: [[[Segment]]]
    /// Minimum rupiah per village (0: none), e.g. from a floor for a status.
    public var floors: [Int64]
    /// Why each floor is there ("sangat_tertinggal ≥ Rp 50,000,000"), for messages.
    public var floorReasons: [String]
    /// Maximum rupiah per village (nil: none).
    public var villageCap: Int64?

    /// - Parameter deprivationFlags: per deprivation (`Deprivation.allCases`
    ///   order), whether each household has it.
    public init(funders: [Funder], programs: [Program], villageCodes: [Int64], villageNames: [String],
                households: HouseholdOutcomes, deprivationFlags: [[Bool]]) {
        self.funders = funders
        self.programs = programs
        self.villageCodes = villageCodes
        self.villageNames = villageNames
        self.households = households
        segments = Self.segments(programs: programs, households: households, deprivationFlags: deprivationFlags, villageCount: villageCodes.count)
        floors = Array(repeating: 0, count: villageCodes.count)
        floorReasons = Array(repeating: "", count: villageCodes.count)
    }

    /// The same funders, programs, villages and limits with other households:
    /// `eligible[v][j]` lists the households (indices into `outcomes`) of
    /// village v that program j may reach.
    func replacingHouseholds(_ outcomes: HouseholdOutcomes, eligible: [[[Int]]]) -> FundAllocationProblem {
        var copy = self
        copy.households = outcomes
        copy.segments = eligible.map { lists in
            lists.enumerated().map { j, list in
                list.map { Segment(household: $0, benefit: outcomes.gain($0, uplift: programs[j].uplift)) }
                    .filter { $0.benefit > 1e-12 }
                    .sorted { $0.benefit != $1.benefit ? $0.benefit > $1.benefit : $0.household < $1.household }
            }
        }
        return copy
    }

    public func funds(_ f: Int, village v: Int) -> Bool {
        funders[f].kecamatan.isEmpty || funders[f].kecamatan.contains(villageCodes[v] / 10_000)
    }

    public func funds(_ f: Int, program j: Int) -> Bool { funders[f].pillars.contains(programs[j].pillar) }

    /// Each eligible household's gain from program j alone, per village, best first.
    static func segments(programs: [Program], households: HouseholdOutcomes, deprivationFlags: [[Bool]], villageCount: Int) -> [[[Segment]]] {
        var result = [[[Segment]]](repeating: [[Segment]](repeating: [], count: programs.count), count: villageCount)
        for (j, program) in programs.enumerated() {
            let flags = deprivationFlags[Deprivation.allCases.firstIndex(of: program.deprivation)!]
            for i in 0..<households.count where flags[i] && households.village[i] >= 0 {
                let benefit = households.gain(i, uplift: program.uplift)
                if benefit > 1e-12 { result[households.village[i]][j].append(Segment(household: i, benefit: benefit)) }
            }
        }
        for v in 0..<villageCount {
            for j in programs.indices {
                result[v][j].sort { $0.benefit != $1.benefit ? $0.benefit > $1.benefit : $0.household < $1.household }
            }
        }
        return result
    }

    /// Which constraints conflict: a village whose floor exceeds all that can
    /// reach it (program capacity, funders' area and share limits), or floors
    /// that together exceed the budgets of the funders able to meet them.
    public func explainInfeasibility() -> String {
        var messages: [String] = []
        var floored: [Int] = []
        for v in villageCodes.indices where floors[v] > 0 {
            floored.append(v)
            let capacity = programs.indices.reduce(Int64(0)) { sum, j in
                funders.indices.contains { funds($0, village: v) && funds($0, program: j) }
                    ? sum + Int64(segments[v][j].count) * programs[j].unitCost : sum
            }
            let reachable = funders.indices.filter { funds($0, village: v) }.reduce(Int64(0)) { $0 + funders[$1].villageLimit }
            let limit = min(capacity, reachable, villageCap ?? Int64.max)
            if limit < floors[v] {
                let code = RegionCode(value: villageCodes[v], level: .village)?.description ?? String(villageCodes[v])
                let bound = limit == capacity ? "its program capacity (eligible households × unit costs) is Rp \(Rupiah.format(capacity))"
                    : limit == reachable ? "the funders that may fund it can give at most Rp \(Rupiah.format(reachable)) (budgets and max_share_per_village)"
                    : "the village cap is Rp \(Rupiah.format(villageCap ?? 0))"
                messages.append("floor \(floorReasons[v]) for \(villageNames[v]) (\(code)): \(bound); missing Rp \(Rupiah.format(floors[v] - limit))")
            }
        }
        if messages.isEmpty && !floored.isEmpty {
            let need = floored.reduce(Int64(0)) { $0 + floors[$1] }
            let able = funders.indices.filter { f in floored.contains { funds(f, village: $0) } }
            let budget = able.reduce(Int64(0)) { $0 + funders[$1].budget }
            let reasons = Set(floored.map { floorReasons[$0] }).sorted().joined(separator: ", ")
            messages.append("floors \(reasons) for \(floored.count) villages need Rp \(Rupiah.format(need)) in total, but the funders able to fund them (\(able.map { funders[$0].id }.joined(separator: ", "))) have Rp \(Rupiah.format(budget)) after area limits; missing Rp \(Rupiah.format(max(0, need - budget))) at least (per-village shares and program capacity may take more)")
        }
        return messages.isEmpty ? "the constraints cannot all hold (no floor is the cause; check village caps)" : messages.joined(separator: "\n")
    }

    /// Why floors that parts of households meet fail in whole ones: the
    /// villages the plan in whole households leaves short, with what it reaches.
    func wholeHouseholdShortfall(_ plan: PlanState) -> String {
        let short = villageCodes.indices.filter { plan.villageFunds[$0] < floors[$0] }
        var lines = ["no plan in whole households meets every floor, though one in parts of households does; the nearest leaves \(short.count) \(short.count == 1 ? "village" : "villages") short:"]
        for v in short.prefix(10) {
            let code = RegionCode(value: villageCodes[v], level: .village)?.description ?? String(villageCodes[v])
            lines.append("floor \(floorReasons[v]) for \(villageNames[v]) (\(code)): Rp \(Rupiah.format(plan.villageFunds[v])) reached in whole households")
        }
        if short.count > 10 { lines.append("… and \(short.count - 10) more") }
        lines.append("Each reached household's program is paid in full; lower these floors to what is reached, or let the funders give these villages more (budgets, max_share_per_village, their kecamatan).")
        return lines.joined(separator: "\n")
    }
}
