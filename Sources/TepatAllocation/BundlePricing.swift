import TepatScoring
/// Pricing for column generation: at the LP's duals, which household bundles
/// would improve the restricted master, and by how much the duals fall short
/// of feasibility for the bundles not in it (which turns the LP value into a
/// valid upper bound on every plan, priced in or not).
///
/// A bundle S of household h has reduced value g_h(S) − σ_h − Σ_{j∈S} π_vj,
/// where π_vj prices one more household reached by j in v and σ_h is h's
/// convexity row. For P1 and P2, g_h is concave in the uplift, so adding a
/// program j raises g_h by at most g_h({j}): a bundle can only be worth pricing
/// if it is made of programs whose single reduced value is positive. Those are
/// few, and found walking each village×program's households best first. P0
/// is not concave in the uplift, so there every household is searched, with
/// the weaker bound g_h(S) ≤ m_h·P0_h.
struct BundlePricing {
    /// A bundle joins the master only if it improves it by more than this;
    /// the shortfall counts every improvement, however small.
    static let tolerance = 1e-9

    struct Column { var household: Int; var programs: UInt64; var gain: Double }

    let problem: FundAllocationProblem
    /// Programs of each deprivation, so a bundle takes at most one of each.
    let groups: [[Int]]

    init(_ p: FundAllocationProblem) {
        problem = p
        var byDeprivation: [Deprivation: [Int]] = [:]
        for (j, program) in p.programs.enumerated() { byDeprivation[program.deprivation, default: []].append(j) }
        groups = Deprivation.allCases.compactMap { byDeprivation[$0] }
    }

    /// New columns worth adding (at most `perHousehold` per household, best
    /// first), and the total shortfall Σ_h max(0, max_S value − σ_h).
    func price(_ master: AllocationMaster, duals: [Double], most: Int, perHousehold: Int = 8) -> (columns: [Column], shortfall: Double) {
        let price = master.linkPrices(duals)
        var columns: [(column: Column, value: Double)] = []
        var shortfall = 0.0
        let count = problem.programs.count, concave = problem.households.objective != .headcount
        for (h, programs) in searchList(price: price, master: master) {
            let sigma = master.householdPrice(duals, household: h)
            let found: (best: Double, columns: [(programs: UInt64, gain: Double, value: Double)])
            if concave && programs.count == 1 {
                // One program: its own bundle is the only one (most households here).
                let (j, gain) = programs[0]
                let value = gain - price[problem.households.village[h] * count + j]
                found = (value, value - sigma > Self.tolerance ? [(1 << UInt64(j), gain, value)] : [])
            } else {
                found = search(household: h, programs: programs, price: price, above: sigma)
            }
            shortfall += max(0, found.best - sigma)
            let fresh = found.columns.filter { !(master.known[h]?.contains($0.programs) ?? false) }
            columns += fresh.sorted { ($0.value, $1.programs) > ($1.value, $0.programs) }.prefix(perHousehold).map {
                (Column(household: h, programs: $0.programs, gain: $0.gain), $0.value - sigma)
            }
        }
        // The best `most`, ties by household and bundle, so reruns agree.
        columns.sort { ($0.value, $1.column.household, $1.column.programs) > ($1.value, $0.column.household, $0.column.programs) }
        return (columns.prefix(most).map(\.column), shortfall)
    }

    /// The households to search, each with the programs a bundle of it may
    /// contain and each one's gain alone, in household and program order.
    private func searchList(price: [Double], master: AllocationMaster) -> [(Int, [(Int, Double)])] {
        let p = problem, count = p.programs.count
        // Indexed by household, not hashed: in the first rounds most households are listed.
        var programsOf = [[(Int, Double)]](repeating: [], count: p.households.count)
        for j in 0..<count {
            for v in p.villageCodes.indices where price[v * count + j].isFinite {
                for segment in p.segments[v][j] {
                    // Strictly positive, not beyond the tolerance: the shortfall must see every bundle above σ_h.
                    if p.households.objective != .headcount && segment.benefit - price[v * count + j] <= 0 { break }
                    programsOf[segment.household].append((j, segment.benefit))
                }
            }
        }
        let listed = programsOf.indices.filter { !programsOf[$0].isEmpty }
        if p.households.objective == .headcount {
            // Every eligible program, for households whose whole P0 could pay
            // for the cheapest of them.
            return listed.compactMap { h in
                let v = p.households.village[h], programs = programsOf[h]
                let cheapest = programs.map { price[v * count + $0.0] }.min()!
                return p.households.members[h] * p.households.before[h].p0 - cheapest > 0 ? (h, programs) : nil
            }
        }
        return listed.map { ($0, programsOf[$0]) }
    }

    /// Depth-first over the deprivation groups: every bundle of `programs`
    /// whose reduced value exceeds `above`, and the best reduced value of any.
    private func search(household h: Int, programs: [(Int, Double)], price: [Double], above: Double)
        -> (best: Double, columns: [(programs: UInt64, gain: Double, value: Double)]) {
        let p = problem, v = p.households.village[h], count = p.programs.count
        let listed = programs.map(\.0)
        let options = groups.map { $0.filter(listed.contains) }.filter { !$0.isEmpty }
        let concave = p.households.objective != .headcount
        let single = Dictionary(uniqueKeysWithValues: programs.map { ($0.0, $0.1 - price[v * count + $0.0]) })
        // Most a later group can add to the reduced value (concave measures).
        var rest = [Double](repeating: 0, count: options.count + 1)
        for k in options.indices.reversed() { rest[k] = rest[k + 1] + max(0, options[k].map { single[$0]! }.max()!) }
        let ceiling = p.households.members[h] * p.households.measure(p.households.before[h])
        var best = -Double.infinity
        var columns: [(UInt64, Double, Double)] = []
        func visit(_ k: Int, mask: UInt64, uplift: Double, paid: Double, value: Double) {
            if mask != 0 {
                best = max(best, value)
                if value - above > Self.tolerance { columns.append((mask, value + paid, value)) }
            }
            guard k < options.count else { return }
            let optimistic = concave ? min(ceiling - paid, value + rest[k]) : ceiling - paid
            // Nothing below can beat σ_h: neither a column nor a shortfall.
            guard optimistic > above else { return }
            visit(k + 1, mask: mask, uplift: uplift, paid: paid, value: value)
            for j in options[k] {
                let u = uplift + p.programs[j].uplift, cost = paid + price[v * count + j]
                let gain = p.households.gain(h, uplift: u)
                visit(k + 1, mask: mask | (1 << UInt64(j)), uplift: u, paid: cost, value: gain - cost)
            }
        }
        visit(0, mask: 0, uplift: 0, paid: 0, value: 0)
        return (best, columns)
    }
}
