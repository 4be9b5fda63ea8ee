import Foundation
import TepatScoring

/// Expected P0, P1, P2 of every village before and after a plan. A reached
/// household's consumption rises by the uplifts of the programs that reach it
/// (a partly funded household by that fraction); with z' = z − U, the closed
/// forms give P0 = P0(z'), P1 = (z'/z)·P1(z'), P2 = (z'/z)²·P2(z').
public struct VillageOutcomes: Sendable {
    public var funds: [Int64]
    public var before: [ExpectedFGT]
    public var after: [ExpectedFGT]
    public var overallBefore: ExpectedFGT
    public var overallAfter: ExpectedFGT

    public init(problem: FundAllocationProblem, plan: FundAllocation, households h: HouseholdColumns, scores: HouseholdScores, povertyLine z: Double) {
        var uplift = [Double](repeating: 0, count: h.count)
        for r in plan.reached { uplift[r.household] += r.fraction * problem.programs[r.program].uplift }
        let v = problem.villageCodes.count
        var funds = [Int64](repeating: 0, count: v)
        for row in plan.rows { funds[row.village] += row.amount }
        var persons = [Double](repeating: 0, count: v)
        var before = [ExpectedFGT](repeating: ExpectedFGT(p0: 0, p1: 0, p2: 0), count: v), after = before
        var totalPersons = 0.0
        var overallBefore = ExpectedFGT(p0: 0, p1: 0, p2: 0), overallAfter = overallBefore
        for i in 0..<h.count {
            let k = Int(h.village[i]), m = h.members[i]
            var a = ExpectedFGT(p0: scores.p0[i], p1: scores.p1[i], p2: scores.p2[i])
            if uplift[i] > 0 {
                let shifted = z - uplift[i]
                if shifted <= 0 { a = ExpectedFGT(p0: 0, p1: 0, p2: 0) } else {
                    let f = ExpectedFGT(mean: scores.logMean[i], sd: scores.logSD[i], logPovertyLine: log(shifted))
                    a = ExpectedFGT(p0: f.p0, p1: shifted / z * f.p1, p2: (shifted / z) * (shifted / z) * f.p2)
                }
            }
            persons[k] += m; totalPersons += m
            before[k].p0 += m * scores.p0[i]; before[k].p1 += m * scores.p1[i]; before[k].p2 += m * scores.p2[i]
            after[k].p0 += m * a.p0; after[k].p1 += m * a.p1; after[k].p2 += m * a.p2
            overallBefore.p0 += m * scores.p0[i]; overallBefore.p1 += m * scores.p1[i]; overallBefore.p2 += m * scores.p2[i]
            overallAfter.p0 += m * a.p0; overallAfter.p1 += m * a.p1; overallAfter.p2 += m * a.p2
        }
        func scaled(_ x: ExpectedFGT, _ n: Double) -> ExpectedFGT { n > 0 ? ExpectedFGT(p0: x.p0 / n, p1: x.p1 / n, p2: x.p2 / n) : x }
        self.funds = funds
        self.before = zip(before, persons).map { scaled($0, $1) }
        self.after = zip(after, persons).map { scaled($0, $1) }
        self.overallBefore = scaled(overallBefore, totalPersons)
        self.overallAfter = scaled(overallAfter, totalPersons)
        self.persons = totalPersons
    }

    /// Persons in the scored households.
    public var persons: Double

    /// The fall in the objective's measure over all persons (persons × P),
    /// with every household's uplifts combined.
    public func fall(_ objective: AllocationObjective) -> Double {
        switch objective {
        case .headcount: return persons * (overallBefore.p0 - overallAfter.p0)
        case .gap: return persons * (overallBefore.p1 - overallAfter.p1)
        case .severity: return persons * (overallBefore.p2 - overallAfter.p2)
        }
    }
}
