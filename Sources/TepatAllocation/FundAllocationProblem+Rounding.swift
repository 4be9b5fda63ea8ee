extension FundAllocationProblem {
    /// A plan in whole households from the LP optimum, which is nearly whole
    /// already (a basic optimum has no more fractional columns than binding
    /// rows beyond the households' own):
    /// 1. households with a whole bundle keep it; fractional ones are dropped
    ///    (keeping them instead, where money allows, did worse);
    /// 2. each funder pays the whole households of its LP payment, rounded
    ///    down, villages with a floor first; a household left unpaid goes to
    ///    another funder who may and can pay, or loses that program;
    /// 3. villages below their floor, then everyone, get the households whose
    ///    next program adds most per rupiah, while money is left (the greedy
    ///    rule, continued from this plan). Floors are met before the other
    ///    villages are paid: the LP spends every budget, so a floor village
    ///    that rounding left short would otherwise find no money left;
    /// 4. exchanges (PlanState+Exchange) put the remnants of every budget
    ///    together for valuable programs, and the greedy rule spends what
    ///    they free.
    func rounded(_ master: AllocationMaster, _ x: [Double]) -> PlanState {
        let count = programs.count
        var waiting: [Int: [Int]] = [:]  // (v·J + j) → households to pay for
        for b in master.bundles where x[b.column] > 1 - 1e-6 {
            let v = households.village[b.household]
            for j in 0..<count where b.programs & (1 << UInt64(j)) != 0 { waiting[v * count + j, default: []].append(b.household) }
        }
        var state = PlanState(self)
        for floored in [true, false] {
            for pay in master.payments where (floors[pay.village] > 0) == floored {
                let key = pay.village * count + pay.program
                var k = Int((x[pay.column] + 1e-6).rounded(.down))
                while k > 0, let h = waiting[key]?.first, state.canPay(pay.funder, village: pay.village, program: pay.program) {
                    state.give(h, program: pay.program, funder: pay.funder)
                    waiting[key]!.removeFirst()
                    k -= 1
                }
            }
            payWaiting(&waiting, floored: floored, &state)
            if floored { meetFloors(&state) }
        }
        polish(&state)
        return state
    }

    /// The greedy rule spends what is left, exchanges gather the remnants for
    /// valuable programs, and the greedy rule spends what they free.
    func polish(_ state: inout PlanState) {
        Baselines.greedy(self, &state)
        state.improveByExchanges()
        Baselines.greedy(self, &state)
    }

    /// Households of whole LP bundles not yet paid: another funder who may
    /// and can pay takes them, in a fixed order.
    private func payWaiting(_ waiting: inout [Int: [Int]], floored: Bool, _ state: inout PlanState) {
        let count = programs.count
        for key in waiting.keys.sorted() where (floors[key / count] > 0) == floored {
            let (v, j) = (key / count, key % count)
            for h in waiting[key]! {
                if let f = funders.indices.first(where: { state.canPay($0, village: v, program: j) }) { state.give(h, program: j, funder: f) }
            }
            waiting[key] = []
        }
    }

    /// The re-plans' rule: the floors first, then the greedy rule spends
    /// every budget. Cheap beside the solve, and it funds nearly the villages
    /// the optimum funds (`PlanRobustness.agreement`).
    func replan() -> PlanState {
        var state = PlanState(self)
        meetFloors(&state)
        Baselines.greedy(self, &state)
        return state
    }

    /// Villages below their floor: the best next household programs there,
    /// until the floor is met or nobody may pay.
    func meetFloors(_ state: inout PlanState) {
        var next = segments.map { $0.map { _ in 0 } }
        for v in villageCodes.indices where floors[v] > state.villageFunds[v] {
            while state.villageFunds[v] < floors[v] {
                var best: (j: Int, f: Int, rate: Double)? = nil
                for j in programs.indices {
                    while next[v][j] < segments[v][j].count, state.has(segments[v][j][next[v][j]].household, program: j) { next[v][j] += 1 }
                    guard next[v][j] < segments[v][j].count, let f = funders.indices.first(where: { state.canPay($0, village: v, program: j) }) else { continue }
                    let rate = state.added(segments[v][j][next[v][j]], program: j) / Double(programs[j].unitCost)
                    if best == nil || rate > best!.rate { best = (j, f, rate) }
                }
                guard let best else { break }
                state.give(segments[v][best.j][next[v][best.j]].household, program: best.j, funder: best.f)
            }
        }
    }
}
