import Foundation
import TepatData

public struct FundAllocation: Sendable {
    public struct Row: Sendable {
        public var funder: Int
        public var village: Int
        public var program: Int
        public var amount: Int64
        public var households: Double
    }

    public var rows: [Row]
    /// Households reached, with the fraction of each reached (a last, partly
    /// funded household counts in part).
    public var reached: [(household: Int, program: Int, fraction: Double)]
    public var spentByFunder: [Int64]
    /// Benefit of one more rupiah in each funder's budget (dual value).
    public var marginalValue: [Double]
    /// Total expected fall in poverty severity, persons × P2 units.
    public var benefit: Double
    /// Size of the solved network: arcs (a village×program is one), household
    /// segments on them, nodes; and arcs of the same problem with one arc per
    /// household segment, as the MPS export writes it.
    public var arcs: Int
    public var segments: Int
    public var nodes: Int
    public var pivots: Int
    public var parallelArcs: Int
    /// The greedy baseline's benefit: the solve runs that rule for its warm
    /// start, so the baselines reuse it.
    public var greedyBenefit: Double = 0

    /// The plan in a few lines: benefit, money, reach and the solve.
    public func summary(_ problem: FundAllocationProblem) -> String {
        let budget = problem.funders.reduce(Int64(0)) { $0 + $1.budget }
        var lines = [String(format: "Fund allocation: benefit %.6f; Rp %@ of Rp %@ spent on %d funder–village–program lines; %.1f households reached",
                            benefit, Rupiah.format(spentByFunder.reduce(0, +)), Rupiah.format(budget), rows.count,
                            reached.reduce(0) { $0 + $1.fraction })]
        lines.append("network simplex: \(nodes) nodes, \(arcs) arcs carrying \(segments) household segments, \(pivots) pivots")
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

