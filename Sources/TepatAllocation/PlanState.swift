import TepatScoring

/// A plan in whole households as it grows (the baselines, and the rounding of
/// the LP optimum): each household's uplift and deprivations served, what
/// funders have left, money per village, and the objective so far.
struct PlanState {
    let p: FundAllocationProblem
    /// Per household, the sum of its programs' uplifts (0 for none) and the
    /// deprivations they serve as bits (`deprivationBit`): dense arrays,
    /// since the greedy rule asks of them for every household it looks at.
    var uplift: [Double]
    var served: [UInt16]
    var budget: [Int64]
    var given: [Int64]
    var villageFunds: [Int64]
    var objective = 0.0
    var beneficiaries: [FundAllocation.Beneficiary] = []
    /// Each program's deprivation as a bit of `served`.
    private let deprivationBit: [UInt16]

    init(_ p: FundAllocationProblem) {
        self.p = p
        uplift = [Double](repeating: 0, count: p.households.count)
        served = [UInt16](repeating: 0, count: p.households.count)
        budget = p.funders.map(\.budget)
        given = [Int64](repeating: 0, count: p.funders.count * p.villageCodes.count)
        villageFunds = [Int64](repeating: 0, count: p.villageCodes.count)
        deprivationBit = p.programs.map { UInt16(1) << UInt16(Deprivation.allCases.firstIndex(of: $0.deprivation)!) }
    }

    /// The plan of these beneficiaries.
    init(_ p: FundAllocationProblem, beneficiaries: [FundAllocation.Beneficiary]) {
        self.init(p)
        for b in beneficiaries { give(b.household, program: b.program, funder: b.funder) }
    }

    func has(_ h: Int, program j: Int) -> Bool { served[h] & deprivationBit[j] != 0 }

    /// Gain per rupiah of giving program j to h now (0 if h has its deprivation served).
    func rate(_ h: Int, program j: Int) -> Double {
        guard !has(h, program: j) else { return 0 }
        return more(h, program: j) / Double(p.programs[j].unitCost)
    }

    /// What giving a village's list entry for program j adds to the
    /// objective now (0 if its household has the deprivation served). A
    /// household with no program yet adds the entry's benefit, the number
    /// `more` would compute (gain(0 + u) − gain(0), and gain(0) is exactly 0),
    /// so the greedy rule evaluates no distribution for most of the
    /// households it looks at.
    func added(_ s: FundAllocationProblem.Segment, program j: Int) -> Double {
        if served[s.household] == 0 && uplift[s.household] == 0 { return s.benefit }
        return has(s.household, program: j) ? 0 : more(s.household, program: j)
    }

    /// What giving program j to h adds to the objective.
    private func more(_ h: Int, program j: Int) -> Double {
        let u = uplift[h]
        return p.households.gain(h, uplift: u + p.programs[j].uplift) - p.households.gain(h, uplift: u)
    }

    func canPay(_ f: Int, village v: Int, program j: Int) -> Bool {
        let c = p.programs[j].unitCost
        return p.funds(f, program: j) && p.funds(f, village: v) && budget[f] >= c
            && room(f, village: v) >= c && villageFunds[v] + c <= (p.villageCap ?? .max)
    }

    /// What funder f may still give village v under its share limit.
    func room(_ f: Int, village v: Int) -> Int64 { p.funders[f].villageLimit - given[f * p.villageCodes.count + v] }

    /// What taking beneficiary i's program back would lose.
    func loss(_ i: Int) -> Double {
        let b = beneficiaries[i], u = uplift[b.household]
        return p.households.gain(b.household, uplift: u) - p.households.gain(b.household, uplift: u - p.programs[b.program].uplift)
    }

    mutating func give(_ h: Int, program j: Int, funder f: Int) {
        give(h, program: j, funder: f, adding: more(h, program: j))
    }

    /// `give`, where what it adds to the objective is known (`more`).
    mutating func give(_ h: Int, program j: Int, funder f: Int, adding gain: Double) {
        let c = p.programs[j].unitCost
        objective += gain
        uplift[h] += p.programs[j].uplift
        served[h] |= deprivationBit[j]
        let v = p.households.village[h]
        budget[f] -= c
        given[f * p.villageCodes.count + v] += c
        villageFunds[v] += c
        beneficiaries.append(.init(household: h, program: j, funder: f))
    }

    /// Beneficiary i's program given back: its money returns to its funder.
    mutating func takeBack(_ i: Int) {
        objective -= loss(i)
        let b = beneficiaries.remove(at: i), j = b.program, c = p.programs[j].unitCost, v = p.households.village[b.household]
        uplift[b.household] -= p.programs[j].uplift
        served[b.household] &= ~deprivationBit[j]
        budget[b.funder] += c
        given[b.funder * p.villageCodes.count + v] -= c
        villageFunds[v] -= c
    }

    /// Beneficiary i paid by funder g instead: the plan's outcome is the same.
    mutating func hand(_ i: Int, to g: Int) {
        let b = beneficiaries[i], c = p.programs[b.program].unitCost, v = p.households.village[b.household]
        budget[b.funder] += c
        given[b.funder * p.villageCodes.count + v] -= c
        budget[g] -= c
        given[g * p.villageCodes.count + v] += c
        beneficiaries[i].funder = g
    }
}
