/// Exchanges that make a whole-household plan better without breaking any
/// constraint. Rounding the LP optimum leaves each funder a little money, too
/// little for a valuable program anywhere; spent by the greedy rule, those
/// remnants go to cheap programs worth little. An exchange pays a valuable
/// household program by freeing one funder's money: its other beneficiaries
/// are handed to funders who may and can pay them (nothing lost) or, failing
/// that, the ones worth least per rupiah give their program back.
extension PlanState {
    /// What one exchange would do: pay `program` for `household` by `funder`
    /// after handing `moves` to other funders and taking back `removals`.
    private struct Exchange {
        var funder: Int
        var moves: [(beneficiary: Int, to: Int)] = []
        var removals: [Int] = []
        var net: Double
    }

    /// Rounds of exchanges until one finds none, each trying the `candidates`
    /// best household programs not in the plan (by gain per rupiah).
    mutating func improveByExchanges(candidates: Int = 400, rounds: Int = 4) {
        for _ in 0..<rounds {
            var ledger = Ledger(self)
            var improved = false
            for (h, j) in bestMissing(candidates) where !has(h, program: j) {
                guard let exchange = bestExchange(household: h, program: j, ledger) else { continue }
                apply(exchange, household: h, program: j)
                ledger = Ledger(self)
                improved = true
            }
            if !improved { return }
        }
    }

    /// Each funder's beneficiaries, those worth least per rupiah first, and
    /// what taking each back would lose: kept while the plan stays as it is.
    private struct Ledger {
        var loss: [Double]
        var byFunder: [[Int]]
        init(_ state: PlanState) {
            loss = state.beneficiaries.indices.map(state.loss)
            byFunder = Array(repeating: [], count: state.p.funders.count)
            let costs = state.beneficiaries.map { Double(state.p.programs[$0.program].unitCost) }
            for i in state.beneficiaries.indices.sorted(by: { [loss] in (loss[$0] / costs[$0], $0) < (loss[$1] / costs[$1], $1) }) {
                byFunder[state.beneficiaries[i].funder].append(i)
            }
        }
    }

    /// The `count` household programs outside the plan worth most per rupiah:
    /// per village and program, the first few eligible households not served.
    private func bestMissing(_ count: Int) -> [(household: Int, program: Int)] {
        var list: [(rate: Double, household: Int, program: Int)] = []
        for v in p.segments.indices {
            for j in p.programs.indices {
                var taken = 0
                for s in p.segments[v][j] where !has(s.household, program: j) {
                    list.append((rate(s.household, program: j), s.household, j))
                    taken += 1
                    if taken == 3 { break }
                }
            }
        }
        list.sort { ($0.rate, $1.household, $1.program) > ($1.rate, $0.household, $0.program) }
        return list.prefix(count).filter { $0.rate > 0 }.map { ($0.household, $0.program) }
    }

    /// The exchange through one funder that gains most, if any gains.
    private func bestExchange(household h: Int, program j: Int, _ ledger: Ledger) -> Exchange? {
        let v = p.households.village[h], c = p.programs[j].unitCost
        guard villageFunds[v] + c <= (p.villageCap ?? .max) else { return nil }
        let value = rate(h, program: j) * Double(c)
        var best: Exchange?
        for f in p.funders.indices where p.funds(f, program: j) && p.funds(f, village: v) && p.funders[f].villageLimit >= c {
            guard let e = freeing(c - budget[f], from: f, sparing: h, value: value, ledger), e.net > (best?.net ?? 0),
                  room(f, village: v) + freed(e, village: v) >= c else { continue }
            best = e
        }
        return best.flatMap { $0.net > 1e-12 * max(1, objective) ? $0 : nil }
    }

    /// Frees `need` rupiah of funder f: hands its beneficiaries to other
    /// funders while any can take one, then takes back the programs worth
    /// least per rupiah. Household `spared` keeps what it has.
    private func freeing(_ need: Int64, from f: Int, sparing spared: Int, value: Double, _ ledger: Ledger) -> Exchange? {
        var exchange = Exchange(funder: f, net: value)
        guard need > 0 else { return exchange }  // paid at once (room permitting)
        var left = need
        var budgets = budget
        var spare = budget.reduce(0, +) - budget[f]
        let cheapest = p.programs.map(\.unitCost).min() ?? 0
        var extra: [Int: Int64] = [:]  // g·V + v → money handed to g in v
        let mine = ledger.byFunder[f]
        for i in mine where left > 0 && spare >= cheapest {
            let b = beneficiaries[i], c = p.programs[b.program].unitCost, v = p.households.village[b.household]
            guard let g = p.funders.indices.first(where: { g in
                g != f && budgets[g] >= c && p.funds(g, program: b.program) && p.funds(g, village: v)
                    && room(g, village: v) - extra[g * p.villageCodes.count + v, default: 0] >= c
            }) else { continue }
            exchange.moves.append((i, g))
            budgets[g] -= c
            spare -= c
            extra[g * p.villageCodes.count + v, default: 0] += c
            left -= c
        }
        guard left > 0 else { return exchange }
        let moved = Set(exchange.moves.map(\.beneficiary))
        var lost = 0.0, seen: Set = [spared]
        var taken: [Int: Int64] = [:]  // village → money taken back there
        for i in mine where left > 0 && !moved.contains(i) {
            let b = beneficiaries[i], c = p.programs[b.program].unitCost, v = p.households.village[b.household]
            // Two programs of one household lose more together than apart.
            guard villageFunds[v] - taken[v, default: 0] - c >= p.floors[v], seen.insert(b.household).inserted else { continue }
            exchange.removals.append(i)
            taken[v, default: 0] += c
            lost += ledger.loss[i]
            if lost >= value { return nil }
            left -= c
        }
        guard left <= 0 else { return nil }
        exchange.net = value - lost
        return exchange
    }

    /// What the exchange's moves and removals give back to its funder's room in village v.
    private func freed(_ e: Exchange, village v: Int) -> Int64 {
        (e.moves.map(\.beneficiary) + e.removals).reduce(0) { sum, i in
            p.households.village[beneficiaries[i].household] == v ? sum + p.programs[beneficiaries[i].program].unitCost : sum
        }
    }

    private mutating func apply(_ e: Exchange, household h: Int, program j: Int) {
        for m in e.moves { hand(m.beneficiary, to: m.to) }
        for i in e.removals.sorted(by: >) { takeBack(i) }
        give(h, program: j, funder: e.funder)
    }
}
