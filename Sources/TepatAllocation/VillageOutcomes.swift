import Foundation
import TepatScoring

/// Expected P0, P1, P2 of every village before and after a plan: each
/// reached household's uplifts add, and its expected FGT after follows in
/// closed form (HouseholdOutcomes), so the fall in the objective's measure
/// over all persons is the plan's objective.
public struct VillageOutcomes: Sendable {
    public var funds: [Int64]
    public var before: [ExpectedFGT]
    public var after: [ExpectedFGT]
    public var overallBefore: ExpectedFGT
    public var overallAfter: ExpectedFGT
    /// Distinct households reached per village.
    public var householdsReached: [Int]
    /// Persons in the scored households.
    public var persons: Double
    /// The plan under the model's replicates, when there are any.
    public var robustness: PlanRobustness? = nil

    public init(problem: FundAllocationProblem, plan: FundAllocation) {
        let h = problem.households, v = problem.villageCodes.count
        let uplift = plan.uplifts(problem)
        var funds = [Int64](repeating: 0, count: v)
        for row in plan.rows { funds[row.village] += row.amount }
        var reached = [Int](repeating: 0, count: v)
        for i in uplift.keys { reached[h.village[i]] += 1 }
        var persons = [Double](repeating: 0, count: v)
        let zero = ExpectedFGT(p0: 0, p1: 0, p2: 0)
        var before = [ExpectedFGT](repeating: zero, count: v), after = before
        var totalPersons = 0.0, overallBefore = zero, overallAfter = zero
        func add(_ sum: inout ExpectedFGT, _ x: ExpectedFGT, _ m: Double) { sum.p0 += m * x.p0; sum.p1 += m * x.p1; sum.p2 += m * x.p2 }
        for i in 0..<h.count where h.village[i] >= 0 {
            let k = h.village[i], m = h.members[i]
            let a = uplift[i].map { h.after(i, uplift: $0) } ?? h.before[i]
            persons[k] += m; totalPersons += m
            add(&before[k], h.before[i], m); add(&after[k], a, m)
            add(&overallBefore, h.before[i], m); add(&overallAfter, a, m)
        }
        func scaled(_ x: ExpectedFGT, _ n: Double) -> ExpectedFGT { n > 0 ? ExpectedFGT(p0: x.p0 / n, p1: x.p1 / n, p2: x.p2 / n) : x }
        self.funds = funds
        self.before = zip(before, persons).map { scaled($0, $1) }
        self.after = zip(after, persons).map { scaled($0, $1) }
        self.overallBefore = scaled(overallBefore, totalPersons)
        self.overallAfter = scaled(overallAfter, totalPersons)
        self.householdsReached = reached
        self.persons = totalPersons
    }

    /// The fall in the objective's measure over all persons (persons × P).
    public func fall(_ objective: AllocationObjective) -> Double {
        switch objective {
        case .headcount: return persons * (overallBefore.p0 - overallAfter.p0)
        case .gap: return persons * (overallBefore.p1 - overallAfter.p1)
        case .severity: return persons * (overallBefore.p2 - overallAfter.p2)
        }
    }
}
