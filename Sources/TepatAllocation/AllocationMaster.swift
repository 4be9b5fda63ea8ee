import LinearProgram

/// The fund allocation as a mixed-integer program over household bundles
/// (Docs/model.md, fund allocation):
///
///   maximise  Σ_h Σ_S g_h(S)·y_hS
///   y_hS ∈ {0,1}: household h receives bundle S (at most one program per
///                 deprivation, all of them programs it is eligible for)
///   k_fvj ∈ ℤ₊:   households of village v that funder f pays program j for
///   household h:    Σ_S y_hS ≤ 1
///   link (v, j):    Σ_{h in v} Σ_{S ∋ j} y_hS − Σ_f k_fvj = 0
///   budget f:       Σ_{v,j} c_j·k_fvj ≤ B_f
///   share (f, v):   Σ_j c_j·k_fvj ≤ L_f          (funders with a per-village share)
///   village v:      floor_v ≤ Σ_{f,j} c_j·k_fvj ≤ cap
///
/// Money is in millions of rupiah so the rows are well scaled. Columns y_hS
/// exist only for the households and bundles column generation has priced
/// in; the k columns are all there from the start. Solvers minimise, so the
/// objective is −g.
struct AllocationMaster {
    static let unit = 1_000_000.0

    struct Bundle { var household: Int; var programs: UInt64; var gain: Double; var column: Int }
    struct Payment { var funder: Int; var village: Int; var program: Int; var column: Int }

    var program = SparseProgram()
    var budgetRow: [Int] = []
    /// (v·J + j) → link row, or −1 where no funder may pay j in v.
    var linkRow: [Int]
    var householdRow: [Int: Int] = [:]
    var payments: [Payment] = []
    var bundles: [Bundle] = []
    /// Bundles already in, per household, so pricing never adds one twice.
    var known: [Int: Set<UInt64>] = [:]
    let programCount: Int

    init(_ p: FundAllocationProblem) {
        programCount = p.programs.count
        linkRow = [Int](repeating: -1, count: p.villageCodes.count * p.programs.count)
        for (f, funder) in p.funders.enumerated() {
            budgetRow.append(program.addRow("BUDGET_F\(f)", upper: Double(funder.budget) / Self.unit))
        }
        for v in p.villageCodes.indices {
            let payers = p.funders.indices.filter { p.funds($0, village: v) }
            let programsHere = p.programs.indices.filter { j in !p.segments[v][j].isEmpty && payers.contains { p.funds($0, program: j) } }
            guard !programsHere.isEmpty || p.floors[v] > 0 else { continue }
            var villageRow = -1
            if p.floors[v] > 0 || p.villageCap != nil {
                villageRow = program.addRow(
                    "VILLAGE_V\(v)", lower: Double(p.floors[v]) / Self.unit, upper: p.villageCap.map { Double($0) / Self.unit } ?? SparseProgram.infinity)
            }
            for j in programsHere { linkRow[v * programCount + j] = program.addRow("LINK_V\(v)_P\(j)", lower: 0, upper: 0) }
            for f in payers {
                let funder = p.funders[f]
                let paid = programsHere.filter { p.funds(f, program: $0) }
                guard !paid.isEmpty else { continue }
                let shareRow = funder.limitsVillages ? program.addRow("SHARE_F\(f)_V\(v)", upper: Double(funder.villageLimit) / Self.unit) : -1
                for j in paid {
                    let cost = Double(p.programs[j].unitCost) / Self.unit
                    var entries: [(row: Int, value: Double)] = [(linkRow[v * programCount + j], -1), (budgetRow[f], cost)]
                    if shareRow >= 0 { entries.append((shareRow, cost)) }
                    if villageRow >= 0 { entries.append((villageRow, cost)) }
                    // No upper bound of its own: the rows bound it, and a bound here
                    // would enter the dual objective when it binds (linkPrices).
                    let column = program.addColumn("PAY_F\(f)_V\(v)_P\(j)", cost: 0, integer: true, entries: entries)
                    payments.append(Payment(funder: f, village: v, program: j, column: column))
                }
            }
        }
    }

    /// Adds household h's bundle (a set of program indices as bits) worth `gain`.
    mutating func add(household h: Int, village v: Int, programs mask: UInt64, gain: Double) {
        guard known[h, default: []].insert(mask).inserted else { return }
        let row: Int
        if let existing = householdRow[h] { row = existing } else {
            row = program.addRow("HOUSEHOLD_H\(h)", upper: 1)
            householdRow[h] = row
        }
        var entries: [(row: Int, value: Double)] = [(row, 1)]
        for j in 0..<programCount where mask & (1 << UInt64(j)) != 0 { entries.append((linkRow[v * programCount + j], 1)) }
        // y ≤ 1 follows from the household's row; a bound of its own would
        // carry part of the dual when it binds, hiding it from pricing.
        let column = program.addColumn("GIVE_H\(h)_S\(String(mask, radix: 16))", cost: -gain, integer: true, entries: entries)
        bundles.append(Bundle(household: h, programs: mask, gain: gain, column: column))
    }

    /// What one more household reached by each village×program costs at the
    /// LP's duals: the cheapest funder's price of c_j more rupiah in v (its
    /// budget, its share in v, the village's cap or floor), ∞ where nobody may
    /// pay. The link rows' own duals are this or less, and are arbitrary where
    /// the master has no household yet; since a link row's right-hand side is
    /// 0, raising its dual to this price keeps the dual feasible with the same
    /// objective, and prices households at what reaching them really costs.
    func linkPrices(_ dual: [Double]) -> [Double] {
        var price = [Double](repeating: .infinity, count: linkRow.count)
        for pay in payments {
            // −(reduced cost of the payment column without its link entry).
            var rupiah = 0.0
            for (row, value) in program.entries(ofColumn: pay.column) where row != linkRow[pay.village * programCount + pay.program] {
                rupiah -= value * dual[row]
            }
            let key = pay.village * programCount + pay.program
            price[key] = min(price[key], rupiah)
        }
        return price
    }

    /// What household h's convexity row is worth at the duals (≥ 0).
    func householdPrice(_ dual: [Double], household h: Int) -> Double {
        householdRow[h].map { max(0, -dual[$0]) } ?? 0
    }
}

extension AllocationMaster {
    /// Adds the bundles of a plan in whole households that the master lacks,
    /// so the program solved (and exported) holds that plan.
    mutating func include(_ beneficiaries: [FundAllocation.Beneficiary], _ p: FundAllocationProblem) {
        var masks: [Int: UInt64] = [:], uplift: [Int: Double] = [:]
        for b in beneficiaries {
            masks[b.household, default: 0] |= 1 << UInt64(b.program)
            uplift[b.household, default: 0] += p.programs[b.program].uplift
        }
        for h in masks.keys.sorted() {
            add(household: h, village: p.households.village[h], programs: masks[h]!, gain: p.households.gain(h, uplift: uplift[h]!))
        }
    }

    /// The beneficiaries of an integer point: each chosen bundle's programs,
    /// paid by the funders in the order of the payment columns, households of
    /// each village×program taken by their total gain, best first.
    func beneficiaries(_ x: [Double], _ p: FundAllocationProblem) -> [FundAllocation.Beneficiary] {
        var reached: [Int: [Int]] = [:]  // (v·J + j) → households
        var gain: [Int: Double] = [:]
        for b in bundles where x[b.column] > 0.5 {
            let v = p.households.village[b.household]
            gain[b.household] = b.gain
            for j in 0..<programCount where b.programs & (1 << UInt64(j)) != 0 { reached[v * programCount + j, default: []].append(b.household) }
        }
        var list: [FundAllocation.Beneficiary] = []
        var next: [Int: Int] = [:]
        for pay in payments {
            let k = Int(x[pay.column].rounded())
            guard k > 0 else { continue }
            let key = pay.village * programCount + pay.program
            let households = reached[key, default: []].sorted { (gain[$0]!, $1) > (gain[$1]!, $0) }
            let first = next[key, default: 0]
            for h in households[first..<min(households.count, first + k)] { list.append(.init(household: h, program: pay.program, funder: pay.funder)) }
            next[key] = first + k
        }
        return list
    }
}
