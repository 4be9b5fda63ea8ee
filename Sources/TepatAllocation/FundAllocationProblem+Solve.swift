import LinearProgram
import TepatScoring

extension FundAllocationProblem {
    /// How far the solve goes. Branch and cut stops within half of
    /// `relativeGap` of its bound or after `maximumNodes` nodes (nodes, not
    /// seconds, so that reruns give the same plan).
    public struct SolveSettings: Sendable {
        /// A rounded plan within this of the bound is kept; beyond it, branch
        /// and cut searches the LP optimum's neighbourhood for a better one.
        public var relativeGap = 0.001
        public var maximumNodes = 500
        /// Most rounds of column generation; the bound stays valid if it stops early.
        public var maximumRounds = 40
        /// Programs this small go to the branch and bound even when the rounded
        /// plan is within the gap, for a proof of optimality.
        public var provingColumns = 5_000
        /// Most columns pricing adds per round: the best by reduced value.
        public var columnsPerRound = 4_000
        public init() {}
    }

    /// The best plan in whole households, and a proven bound.
    ///
    /// 1. The LP relaxation over household bundles (AllocationMaster), by
    ///    column generation: start from the households whose best single
    ///    program is worth most per rupiah, price every household at the
    ///    duals (BundlePricing), add what improves, re-solve (Clp) until nothing
    ///    does. Its value is an upper bound on every plan.
    /// 2. A plan in whole households by rounding the LP optimum, nearly whole
    ///    already, and refilling what rounding freed (FundAllocationProblem+
    ///    Rounding, PlanState+Exchange); on the generated kabupaten of 300,000
    ///    households it is within 0.03% of the bound. Beyond `relativeGap`, branch and cut
    ///    (Cbc) on the LP optimum's neighbourhood looks for a better one
    ///    (FundAllocationProblem+Neighbourhood).
    /// 3. Small programs (`provingColumns`) get every household bundle and go
    ///    whole to branch and cut, to prove the plan optimal or find a better.
    ///    (Larger ones are too slow for Cbc to be the default.)
    public func solve(_ settings: SolveSettings = SolveSettings()) throws -> FundAllocation {
        guard programs.count <= 64 else { throw AllocationError.scenario("programs.csv: at most 64 programs, found \(programs.count)") }
        // A floor above the cap leaves a village's row with its lower bound
        // above its upper: no program to solve, only a conflict to name.
        if let cap = villageCap, floors.contains(where: { $0 > cap }) { throw AllocationError.infeasible(explainInfeasibility()) }
        var master = AllocationMaster(self)
        var solve = FundAllocation.Solve()
        let (relaxation, bound) = try relax(&master, settings, &solve)
        let budgetDuals = master.budgetRow.map { max(0, -relaxation.rowDual[$0]) / AllocationMaster.unit }
        var plans = [rounded(master, relaxation.x)]
        if (bound - plans[0].objective) > settings.relativeGap * bound,
           let found = neighbourhood(master, relaxation, maximumNodes: settings.maximumNodes, relativeGap: settings.relativeGap / 2) {
            var state = PlanState(self, beneficiaries: found)
            polish(&state)
            plans.append(state)
        }
        let feasible = plans.filter { plan in villageCodes.indices.allSatisfy { plan.villageFunds[$0] >= floors[$0] } }
        var best = feasible.max { $0.objective < $1.objective }?.beneficiaries
        // The plan's own bundles join the master, so the program solved and
        // exported (--export-mps) holds the plan it reports.
        if let best { master.include(best, self) }
        if master.program.columnCount <= settings.provingColumns { prove(&master, settings, &solve, best: &best) }
        guard let best else { throw AllocationError.infeasible(wholeHouseholdShortfall(plans[0])) }
        solve.rows = master.program.rowCount
        solve.columns = master.program.columnCount
        solve.lpIterations = relaxation.iterations
        return plan(best, bound: bound, marginalValue: budgetDuals, solve: solve, model: master.program)
    }

    /// Column generation: the LP optimum over the bundles priced in, and the
    /// bound (its value plus what pricing still finds, 0 when it stops by itself).
    private func relax(_ master: inout AllocationMaster, _ settings: SolveSettings, _ solve: inout FundAllocation.Solve) throws -> (LPSolution, Double) {
        seed(&master, coverage: 2.0)
        let pricing = BundlePricing(self)
        let lp = LPSolver(master.program)
        var relaxation = lp.solve()
        while true {
            if relaxation.status == .infeasible, solve.rounds == 0, seedFloors(&master, all: true) {
                lp.extend(to: master.program)
                relaxation = lp.solve()
            }
            switch relaxation.status {
            case .optimal: break
            case .infeasible: throw AllocationError.infeasible(explainInfeasibility())
            default: throw AllocationError.infeasible("the LP solver stopped (\(relaxation.status.rawValue)) before an optimum")
            }
            let priced = pricing.price(master, duals: relaxation.rowDual, most: settings.columnsPerRound)
            guard !priced.columns.isEmpty, solve.rounds < settings.maximumRounds else { return (relaxation, -relaxation.objective + priced.shortfall) }
            for c in priced.columns { master.add(household: c.household, village: households.village[c.household], programs: c.programs, gain: c.gain) }
            lp.extend(to: master.program)
            solve.rounds += 1
            relaxation = lp.solve()
        }
    }

    /// Every household bundle into the master, if they are few enough, and
    /// the whole program to branch and cut: then its optimum is the problem's,
    /// not the master's. Keeps the better of its plan and `best`. (Given the
    /// rounded plan as a start, Cbc stayed at it, so it starts from nothing.)
    private func prove(_ master: inout AllocationMaster, _ settings: SolveSettings, _ solve: inout FundAllocation.Solve,
                       best: inout [FundAllocation.Beneficiary]?) {
        let complete = addEveryBundle(&master, most: settings.provingColumns)
        let mip = MIPSolver.solve(master.program, relativeGap: settings.relativeGap / 2, maximumNodes: settings.maximumNodes)
        solve.nodes = mip.nodes
        solve.branchAndBound = true
        if mip.status == .optimal || mip.status == .feasible {
            let found = master.beneficiaries(mip.x, self)
            if best.map({ objective(of: found) > objective(of: $0) + 1e-12 * max(1, objective(of: $0)) }) ?? true { best = found }
        }
        solve.provenOptimal = mip.status == .optimal && complete
    }

    /// Σ_h gain of a list of beneficiaries, in household order.
    private func objective(of list: [FundAllocation.Beneficiary]) -> Double {
        var uplift: [Int: Double] = [:]
        for b in list { uplift[b.household, default: 0] += programs[b.program].uplift }
        return uplift.keys.sorted().reduce(0.0) { $0 + households.gain($1, uplift: uplift[$1]!) }
    }

    /// Adds every bundle of every eligible household if they number at most
    /// `most` (returns whether it did).
    private func addEveryBundle(_ master: inout AllocationMaster, most: Int) -> Bool {
        var programsOf: [Int: [Int]] = [:]
        for v in villageCodes.indices {
            for j in programs.indices where master.linkRow[v * programs.count + j] >= 0 {
                for s in segments[v][j] { programsOf[s.household, default: []].append(j) }
            }
        }
        let total = programsOf.values.reduce(0) { $0 + bundleCount($1) }
        guard total <= most else { return false }
        for h in programsOf.keys.sorted() { addBundles(&master, household: h, programs: programsOf[h]!) }
        return true
    }

    private func bundleCount(_ list: [Int]) -> Int {
        var perDeprivation: [Deprivation: Int] = [:]
        for j in list { perDeprivation[programs[j].deprivation, default: 0] += 1 }
        return perDeprivation.values.reduce(1) { $0 * ($1 + 1) } - 1
    }

    /// First columns: every bundle, among its programs worth at least τ_f per
    /// rupiah alone for some funder f who may pay them, of each household with
    /// such a program; τ_f is the rate at which the single programs f may pay
    /// for would cost `coverage` times f's budget. Per funder, so that no
    /// budget starts with nothing to buy (its price would be 0, and the first
    /// pricing would list nearly every household).
    private func seed(_ master: inout AllocationMaster, coverage: Double) {
        let count = programs.count
        let open = (0..<(villageCodes.count * count)).filter { master.linkRow[$0] >= 0 }
        // Households of (v, j) at least as good as `rate`: the lists are best first.
        func reach(_ key: Int, _ rate: Double) -> Int {
            let list = segments[key / count][key % count], cost = Double(programs[key % count].unitCost)
            var lo = 0, hi = list.count
            while lo < hi { let mid = (lo + hi) / 2; if list[mid].benefit / cost >= rate { lo = mid + 1 } else { hi = mid } }
            return lo
        }
        var threshold = [Double](repeating: .infinity, count: open.count)
        for (f, funder) in funders.enumerated() {
            let mine = open.indices.filter { funds(f, village: open[$0] / count) && funds(f, program: open[$0] % count) }
            let rates = mine.compactMap { k in segments[open[k] / count][open[k] % count].first.map { $0.benefit / Double(programs[open[k] % count].unitCost) } }
            guard var high = rates.max(), high > 0 else { continue }
            var low = high * 1e-9
            let money = coverage * Double(funder.budget)
            // Bisection in log rate for the rate whose households cost `money`.
            for _ in 0..<50 {
                let mid = (low * high).squareRoot()
                let cost = mine.reduce(0.0) { $0 + Double(reach(open[$1], mid)) * Double(programs[open[$1] % count].unitCost) }
                if cost >= money { low = mid } else { high = mid }
            }
            for k in mine { threshold[k] = min(threshold[k], low) }
        }
        var chosen = [[Int]](repeating: [], count: households.count)
        for (k, key) in open.enumerated() where threshold[k].isFinite {
            for s in segments[key / count][key % count].prefix(reach(key, threshold[k])) { chosen[s.household].append(key % count) }
        }
        for h in chosen.indices where !chosen[h].isEmpty { addBundles(&master, household: h, programs: chosen[h].sorted()) }
        seedFloors(&master, all: false)
    }

    /// In villages with a floor, the best households of every program until
    /// twice the floor could be spent (all of them if `all`), so the first LP
    /// can meet the floors. Returns whether it added anything.
    @discardableResult
    private func seedFloors(_ master: inout AllocationMaster, all: Bool) -> Bool {
        let before = master.program.columnCount
        for v in villageCodes.indices where floors[v] > 0 {
            var money: Int64 = 0
            for j in programs.indices where master.linkRow[v * programs.count + j] >= 0 {
                for s in segments[v][j] where all || money < 2 * floors[v] {
                    master.add(household: s.household, village: v, programs: 1 << UInt64(j), gain: s.benefit)
                    money += programs[j].unitCost
                }
            }
        }
        return master.program.columnCount > before
    }

    /// Every bundle of `list` (programs of household h), at most one per deprivation.
    private func addBundles(_ master: inout AllocationMaster, household h: Int, programs list: [Int]) {
        var byDeprivation: [Deprivation: [Int]] = [:]
        for j in list { byDeprivation[programs[j].deprivation, default: []].append(j) }
        var bundles: [(mask: UInt64, uplift: Double)] = [(0, 0)]
        for deprivation in Deprivation.allCases {
            guard let options = byDeprivation[deprivation] else { continue }
            bundles += bundles.flatMap { b in options.map { (b.mask | 1 << UInt64($0), b.uplift + programs[$0].uplift) } }
            if bundles.count > 256 { break }
        }
        for b in bundles where b.mask != 0 {
            master.add(household: h, village: households.village[h], programs: b.mask, gain: households.gain(h, uplift: b.uplift))
        }
    }

    /// The plan of its beneficiaries: money per funder, village and program,
    /// and the objective summed in household order (the same number however
    /// the plan was found).
    private func plan(_ list: [FundAllocation.Beneficiary], bound: Double, marginalValue: [Double], solve: FundAllocation.Solve,
                      model: SparseProgram) -> FundAllocation {
        var money: [[Int]: Int] = [:]  // [f, v, j] → households
        var spent = [Int64](repeating: 0, count: funders.count)
        for b in list {
            money[[b.funder, households.village[b.household], b.program], default: 0] += 1
            spent[b.funder] += programs[b.program].unitCost
        }
        let rows = money.map { key, n in
            FundAllocation.Row(funder: key[0], village: key[1], program: key[2], amount: Int64(n) * programs[key[2]].unitCost, households: n)
        }
        let objective = objective(of: list)
        return FundAllocation(
            rows: rows.sorted { ($0.funder, villageCodes[$0.village], $0.program) < ($1.funder, villageCodes[$1.village], $1.program) },
            beneficiaries: list.sorted { (households.village[$0.household], $0.household, $0.program) < (households.village[$1.household], $1.household, $1.program) },
            spentByFunder: spent, marginalValue: marginalValue, objective: objective, bound: max(bound, objective), solve: solve, model: model)
    }
}
