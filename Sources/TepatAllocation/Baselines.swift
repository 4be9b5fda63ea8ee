import TepatData

/// The rules planners use today, on the same scenario, so summary.json can say
/// how much more the optimal plan lowers poverty severity than each. Every rule
/// splits each funder's budget across the villages it may fund, within its
/// per-village limit; inside a village the money buys the best remaining
/// households of the programs that funder may pay for, so the rules differ only
/// in how they split money across villages. Floors are not applied.
public enum BaselineRule: String, CaseIterable, Sendable {
    case proportionalToPoor = "proportional_to_poor"
    case byIDMStatus = "by_idm_status"
    case equalPerVillage = "equal_per_village"
    /// Kanbur-style greedy: the household with the largest fall in severity per
    /// rupiah first, paid by the first funder that may and can.
    case greedy = "greedy"
}

public enum Baselines {
    /// Village weights for IDM statuses: the less developed, the more money.
    public static let idmWeights: [String: Double] = [
        "sangat_tertinggal": 5, "tertinggal": 4, "berkembang": 3, "maju": 2, "mandiri": 1, "": 3,
    ]

    /// Benefit (same units as the optimum) of `rule`.
    ///
    /// Each village×program's households are sorted best first already, and
    /// every rule takes them in that order, so the rules merge those lists
    /// instead of sorting all households: a rule touches the households it
    /// funds, not the millions it never reaches.
    public static func benefit(
        _ rule: BaselineRule, problem p: FundAllocationProblem, poorPersons: [Double], idmStatus: [String]
    ) -> Double {
        rule == .greedy ? greedyRun(p).benefit : split(rule, p, poorPersons: poorPersons, idmStatus: idmStatus)
    }

    /// Every rule's benefit next to a solved `plan`, whose solve already ran the
    /// greedy rule.
    public static func benefits(
        problem p: FundAllocationProblem, plan: FundAllocation, poorPersons: [Double], idmStatus: [String]
    ) -> [(BaselineRule, Double)] {
        BaselineRule.allCases.map { rule in
            (rule, rule == .greedy ? plan.greedyBenefit : split(rule, p, poorPersons: poorPersons, idmStatus: idmStatus))
        }
    }

    /// The greedy rule: households in order of fall in severity per rupiah over
    /// the whole kabupaten (ties: village, program, then list order), each paid
    /// by the first funders that may and can. Returns its benefit, and the
    /// benefit per rupiah of the last household each funder paid for before its
    /// budget ran out (0 if it never did): a guess of each budget's marginal
    /// value for the exact solver.
    static func greedyRun(_ p: FundAllocationProblem) -> (benefit: Double, prices: [Double]) {
        func candidate(_ v: Int, _ j: Int, _ k: Int) -> GreedyCandidate {
            GreedyCandidate(rate: p.segments[v][j][k].benefit / Double(p.programs[j].unitCost), village: v, program: j, index: k)
        }
        var heap = MaxHeap<GreedyCandidate>()
        for v in p.segments.indices {
            for j in p.programs.indices where !p.segments[v][j].isEmpty { heap.push(candidate(v, j, 0)) }
        }
        var budget = p.funders.map { Double($0.budget) }
        var prices = [Double](repeating: 0, count: p.funders.count)
        let villages = p.villageCodes.count
        var given = [Double](repeating: 0, count: p.funders.count * villages)
        // Who may pay for each program: the pillar test once, not per household.
        let payers = p.programs.indices.map { j in p.funders.indices.filter { p.funds($0, program: j) } }
        var total = 0.0
        var open = budget.filter { $0 > 0 }.count
        while open > 0, let item = heap.pop() {
            let v = item.village
            var need = Double(p.programs[item.program].unitCost)
            var couldPay = false
            for f in payers[item.program] where need > 0 && budget[f] > 0 && p.funds(f, village: v) {
                let room = min(budget[f], Double(p.funders[f].villageLimit) - given[f * villages + v])
                let pay = min(room, need)
                guard pay > 0 else { continue }
                couldPay = true
                budget[f] -= pay; given[f * villages + v] += pay; need -= pay
                total += pay * item.rate
                if budget[f] <= 0 { prices[f] = item.rate; open -= 1 }
            }
            // Budgets and room only shrink, so a household nobody could pay for
            // means nobody will pay for the rest of its list: drop the list.
            if couldPay && item.index + 1 < p.segments[v][item.program].count { heap.push(candidate(v, item.program, item.index + 1)) }
        }
        return (total, prices)
    }

    /// Each funder's budget split over its villages by the rule's weights; in a
    /// village the money buys the best households not yet reached among the
    /// programs the funder pays for (ties: the lower program).
    static func split(_ rule: BaselineRule, _ p: FundAllocationProblem, poorPersons: [Double], idmStatus: [String]) -> Double {
        // Per village×program: the first household not wholly reached, and the
        // share of it still unreached (households are reached in list order).
        var next = p.segments.map { $0.map { _ in 0 } }
        var unreached = p.segments.map { $0.map { _ in Double(1) } }
        var total = 0.0
        for (f, funder) in p.funders.enumerated() {
            let programs = p.programs.indices.filter { p.funds(f, program: $0) }
            let villages = p.villageCodes.indices.filter { v in
                p.funds(f, village: v) && programs.contains { !p.segments[v][$0].isEmpty }
            }
            let weights: [Double] = villages.map { v in
                switch rule {
                case .proportionalToPoor: return poorPersons[v]
                case .byIDMStatus: return idmWeights[idmStatus[v]] ?? 3
                default: return 1
                }
            }
            let sum = weights.reduce(0, +)
            guard sum > 0 else { continue }
            for (index, v) in villages.enumerated() {
                var money = min(Double(funder.villageLimit), Double(funder.budget) * weights[index] / sum)
                while money > 0 {
                    var best = -1, bestRate = -Double.infinity
                    for j in programs where next[v][j] < p.segments[v][j].count {
                        let r = p.segments[v][j][next[v][j]].benefit / Double(p.programs[j].unitCost)
                        if r > bestRate { bestRate = r; best = j }
                    }
                    guard best >= 0 else { break }
                    let unitCost = Double(p.programs[best].unitCost)
                    let cost = unitCost * unreached[v][best]
                    let pay = min(money, cost)
                    money -= pay
                    total += pay * bestRate
                    if pay >= cost { next[v][best] += 1; unreached[v][best] = 1 } else { unreached[v][best] -= pay / unitCost }
                }
            }
        }
        return total
    }
}

/// A village×program's next household in the greedy order: the highest rate
/// first, then the lower village and program.
struct GreedyCandidate: Comparable {
    var rate: Double
    var village: Int
    var program: Int
    var index: Int

    /// Ordered by priority: a < b when b comes first.
    static func < (a: Self, b: Self) -> Bool {
        a.rate != b.rate ? a.rate < b.rate : (a.village, a.program) > (b.village, b.program)
    }
}

/// A binary max-heap.
struct MaxHeap<Element: Comparable> {
    private var items: [Element] = []

    mutating func push(_ item: Element) {
        items.append(item)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard items[parent] < items[i] else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> Element? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count && items[m] < items[l] { m = l }
                if r < items.count && items[m] < items[r] { m = r }
                if m == i { break }
                items.swapAt(m, i)
                i = m
            }
        }
        return top
    }
}
