import Foundation
import LinearProgram
import TepatData

/// A plan in whole households: who receives which program, paid by whom, with
/// its objective (the exact fall in the measure over all persons), a proven
/// upper bound on any plan's objective, and the gap between them.
public struct FundAllocation: Sendable {
    /// Money from one funder to one program in one village.
    public struct Row: Sendable {
        public var funder: Int
        public var village: Int
        public var program: Int
        public var amount: Int64
        public var households: Int
    }

    /// One household reached by one program, paid in full by one funder.
    public struct Beneficiary: Sendable, Equatable {
        public var household: Int
        public var program: Int
        public var funder: Int
    }

    /// How the plan was found and how good it is proven to be.
    public struct Solve: Sendable {
        /// LP rounds of column generation, and the final LP's size.
        public var rounds = 0
        public var rows = 0
        public var columns = 0
        public var lpIterations = 0
        public var nodes = 0
        /// The plan went through branch and cut (small programs only).
        public var branchAndBound = false
        /// The branch and bound proved the plan optimal for the columns priced in.
        public var provenOptimal = false
    }

    public var rows: [Row]
    /// Sorted by village, then household, then program.
    public var beneficiaries: [Beneficiary]
    public var spentByFunder: [Int64]
    /// Value of one more rupiah in each funder's budget: the budget row's dual
    /// in the LP relaxation that gives the bound.
    public var marginalValue: [Double]
    /// Σ_h m_h·(E[P] before − E[P] after U_h), persons × the measure.
    public var objective: Double
    /// No plan can do better than this (the LP relaxation over household bundles).
    public var bound: Double
    public var solve: Solve
    /// The program solved: the LP relaxation's last columns, integer columns
    /// marked (what `--export-mps` writes).
    public var model: SparseProgram

    /// (bound − objective) / bound; 0 when the bound is 0.
    public var gap: Double { bound > 0 ? max(0, bound - objective) / bound : 0 }

    /// Each reached household's total uplift, rupiah per capita per month.
    public func uplifts(_ problem: FundAllocationProblem) -> [Int: Double] {
        var uplift: [Int: Double] = [:]
        for b in beneficiaries { uplift[b.household, default: 0] += problem.programs[b.program].uplift }
        return uplift
    }

    /// Each reached household's gain from all its programs together.
    public func householdGains(_ problem: FundAllocationProblem) -> [Int: Double] {
        Dictionary(uniqueKeysWithValues: uplifts(problem).map { ($0.key, problem.households.gain($0.key, uplift: $0.value)) })
    }

    /// Beneficiary rows village by village (in village order), each village's
    /// households numbered by priority: 1 = the largest gain (ties: file order).
    public func prioritised(_ problem: FundAllocationProblem) -> [[(priority: Int, beneficiary: Beneficiary)]] {
        let gains = householdGains(problem)
        var byVillage: [Int: [Beneficiary]] = [:]
        for b in beneficiaries { byVillage[problem.households.village[b.household], default: []].append(b) }
        return byVillage.keys.sorted().map { v in
            let rows = byVillage[v]!
            let order = Set(rows.map(\.household)).sorted { (gains[$0]!, $1) > (gains[$1]!, $0) }
            let priority = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($0.element, $0.offset + 1) })
            return rows.sorted { (priority[$0.household]!, $0.program) < (priority[$1.household]!, $1.program) }.map { (priority[$0.household]!, $0) }
        }
    }

    /// Distinct households reached.
    public var householdsReached: Int { Set(beneficiaries.map(\.household)).count }

    /// The plan in a few lines: objective and bound, money, reach and the solve.
    public func summary(_ problem: FundAllocationProblem) -> String {
        let budget = problem.funders.reduce(Int64(0)) { $0 + $1.budget }
        var lines = [String(format: "Fund allocation: objective %.6f, bound %.6f (gap %.4f%%); Rp %@ of Rp %@ spent on %d funder–village–program lines; %d households reached by %d programs",
                            objective, bound, 100 * gap, Rupiah.format(spentByFunder.reduce(0, +)), Rupiah.format(budget), rows.count,
                            householdsReached, beneficiaries.count)]
        lines.append("LP relaxation over household bundles: \(solve.rows) rows, \(solve.columns) columns after \(solve.rounds) rounds of pricing; branch and bound: \(solve.nodes) nodes\(solve.provenOptimal ? ", optimal for those columns" : "")")
        for (f, funder) in problem.funders.enumerated() {
            lines.append(String(format: "  %@: Rp %@ of Rp %@, marginal value %.4g per million rupiah",
                                funder.id, Rupiah.format(spentByFunder[f]), Rupiah.format(funder.budget), 1e6 * marginalValue[f]))
        }
        return lines.joined(separator: "\n")
    }
}

/// What the allocation maximises: the expected fall in poverty severity (P2,
/// default: weighs the poorest most), in the poverty gap (P1), or in the number
/// of poor persons (P0, which favours those just below the line).
public enum AllocationObjective: String, Sendable, CaseIterable, Codable {
    case severity = "p2"
    case gap = "p1"
    case headcount = "p0"

    /// The objective's units, for summary.json.
    public var units: String {
        switch self {
        case .severity: return "expected fall in poverty severity summed over persons (persons × P2)"
        case .gap: return "expected fall in the poverty gap summed over persons (persons × P1)"
        case .headcount: return "expected fall in the number of poor persons (persons × P0)"
        }
    }
}

public enum AllocationError: Error, CustomStringConvertible, Equatable {
    case infeasible(String)
    /// The scenario names something the input files do not have.
    case scenario(String)
    public var description: String {
        switch self {
        case .infeasible(let why): return "the allocation scenario is infeasible:\n" + why
        case .scenario(let what): return what
        }
    }
}

