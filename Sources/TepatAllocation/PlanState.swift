import TepatScoring

/// A plan in whole households as it grows (the baselines, and the rounding of
/// the LP optimum): each household's uplift and deprivations served, what
/// funders have left, money per village, and the objective so far.
struct PlanState {
    let p: FundAllocationProblem
    var uplift: [Int: Double] = [:]
    var served: [Int: Set<Deprivation>] = [:]
    var budget: [Int64]
    var given: [Int64]
    var villageFunds: [Int64]
    var objective = 0.0
    var beneficiaries: [FundAllocation.Beneficiary] = []

    init(_ p: FundAllocationProblem) {
        self.p = p
        budget = p.funders.map(\.budget)
        given = [Int64](repeating: 0, count: p.funders.count * p.villageCodes.count)
        villageFunds = [Int64](repeating: 0, count: p.villageCodes.count)
    }

    /// The plan of these beneficiaries.
    init(_ p: FundAllocationProblem, beneficiaries: [FundAllocation.Beneficiary]) {
        self.init(p)
        for b in beneficiaries { give(b.household, program: b.program, funder: b.funder) }
    }

    func has(_ h: Int, program j: Int) -> Bool { served[h]?.contains(p.programs[j].deprivation) ?? false }

    /// Gain per rupiah of giving program j to h now (0 if h has its deprivation served).
    func rate(_ h: Int, program j: Int) -> Double {
        guard !has(h, program: j) else { return 0 }
        let u = uplift[h] ?? 0
        let more = p.households.gain(h, uplift: u + p.programs[j].uplift) - p.households.gain(h, uplift: u)
        return more / Double(p.programs[j].unitCost)
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
        let b = beneficiaries[i], u = uplift[b.household]!
        return p.households.gain(b.household, uplift: u) - p.households.gain(b.household, uplift: u - p.programs[b.program].uplift)
    }

    mutating func give(_ h: Int, program j: Int, funder f: Int) {
        let u = uplift[h] ?? 0, c = p.programs[j].unitCost
        objective += p.households.gain(h, uplift: u + p.programs[j].uplift) - p.households.gain(h, uplift: u)
        uplift[h] = u + p.programs[j].uplift
        served[h, default: []].insert(p.programs[j].deprivation)
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
        uplift[b.household]! -= p.programs[j].uplift
        served[b.household]!.remove(p.programs[j].deprivation)
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
