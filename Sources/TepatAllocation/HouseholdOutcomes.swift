import Foundation
import TepatScoring

/// What reaching a household is worth: the fall in its expected FGT measure
/// when its consumption per capita rises by U, from its predictive distribution
/// of ln consumption, N(μ, σ²). An uplift U is a poverty line of z' = z − U for
/// the household's own consumption, since (1 − (y+U)/z)₊ = (z'/z)(1 − y/z')₊:
///   P0 after = P0(z'),  P1 after = (z'/z)·P1(z'),  P2 after = (z'/z)²·P2(z'),
/// and 0 when U ≥ z. A household's programs add their uplifts (U = Σ uⱼ), and
/// since P1 and P2 are convex in consumption, two programs together are worth
/// less than the sum of each alone.
public struct HouseholdOutcomes: Sendable {
    public var village: [Int]
    public var members: [Double]
    public var logMean: [Double]
    public var logSD: [Double]
    /// Expected P0, P1, P2 before any program.
    public var before: [ExpectedFGT]
    public var povertyLine: Double
    public var objective: AllocationObjective

    public init(village: [Int], members: [Double], logMean: [Double], logSD: [Double], before: [ExpectedFGT],
                povertyLine: Double, objective: AllocationObjective) {
        self.village = village; self.members = members; self.logMean = logMean; self.logSD = logSD
        self.before = before; self.povertyLine = povertyLine; self.objective = objective
    }

    /// The scored households of a run.
    public init(households h: HouseholdColumns, scores: HouseholdScores, povertyLine: Double, objective: AllocationObjective) {
        self.init(
            village: h.village.map { Int($0) }, members: Array(h.members[0..<h.count]), logMean: scores.logMean, logSD: scores.logSD,
            before: (0..<h.count).map { ExpectedFGT(p0: scores.p0[$0], p1: scores.p1[$0], p2: scores.p2[$0]) },
            povertyLine: povertyLine, objective: objective)
    }

    public var count: Int { members.count }

    /// Expected P0, P1, P2 of household i after an uplift (its own, `before`, at 0).
    public func after(_ i: Int, uplift: Double) -> ExpectedFGT {
        guard uplift > 0 else { return before[i] }
        let shifted = povertyLine - uplift
        guard shifted > 0 else { return ExpectedFGT(p0: 0, p1: 0, p2: 0) }
        let f = ExpectedFGT(mean: logMean[i], sd: logSD[i], logPovertyLine: log(shifted))
        let r = shifted / povertyLine
        return ExpectedFGT(p0: f.p0, p1: r * f.p1, p2: r * r * f.p2)
    }

    /// The objective's measure of one household's expected FGT.
    public func measure(_ f: ExpectedFGT) -> Double {
        switch objective {
        case .headcount: return f.p0
        case .gap: return f.p1
        case .severity: return f.p2
        }
    }

    /// Persons × fall in the objective's measure for household i from an uplift.
    public func gain(_ i: Int, uplift: Double) -> Double {
        members[i] * (measure(before[i]) - measure(after(i, uplift: uplift)))
    }
}
