import TepatData
import TepatScoring

/// The rules planners use today, on the same scenario and the same outcome as
/// the optimum, so summary.json can say how much more the optimal plan lowers
/// poverty than each. Every rule reaches whole households, each program paid in
/// full by one funder, at most one program per deprivation per household, and
/// values a household's programs together (HouseholdOutcomes). The split rules
/// share each funder's budget across the villages it may fund, within its
/// per-village limit; inside a village the money buys, among the programs that
/// funder pays for, the household whose next program adds most per rupiah.
/// Floors are not applied.
public enum BaselineRule: String, CaseIterable, Sendable {
    case proportionalToPoor = "proportional_to_poor"
    case byIDMStatus = "by_idm_status"
    case equalPerVillage = "equal_per_village"
    /// Kanbur-style greedy: the household program with the largest fall per
    /// rupiah first (given the programs the household already has), paid by
    /// the first funder that may and can.
    case greedy = "greedy"
}

public enum Baselines {
    /// Village weights for IDM statuses: the less developed, the more money.
    public static let idmWeights: [String: Double] = [
        "sangat_tertinggal": 5, "tertinggal": 4, "berkembang": 3, "maju": 2, "mandiri": 1, "": 3,
    ]

    /// Objective (the optimum's units) of `rule`.
    public static func objective(
        _ rule: BaselineRule, problem p: FundAllocationProblem, poorPersons: [Double], idmStatus: [String]
    ) -> Double {
        var state = PlanState(p)
        if rule == .greedy { greedy(p, &state) } else { split(rule, p, &state, poorPersons: poorPersons, idmStatus: idmStatus) }
        return state.objective
    }

    /// Every rule's objective.
    public static func objectives(problem p: FundAllocationProblem, poorPersons: [Double], idmStatus: [String]) -> [(BaselineRule, Double)] {
        BaselineRule.allCases.map { ($0, objective($0, problem: p, poorPersons: poorPersons, idmStatus: idmStatus)) }
    }

    /// The greedy rule, lazily: a village×program's next household is priced
    /// when it reaches the top of the heap; if its household has meanwhile
    /// received another program, its rate has fallen (the measures are
    /// concave in the uplift), so it goes back in at the new rate.
    static func greedy(_ p: FundAllocationProblem, _ state: inout PlanState) {
        var heap = MaxHeap<GreedyCandidate>()
        let costs = p.programs.map { Double($0.unitCost) }
        func push(_ v: Int, _ j: Int, _ k: Int) {
            guard k < p.segments[v][j].count else { return }
            let rate = state.added(p.segments[v][j][k], program: j) / costs[j]
            heap.push(GreedyCandidate(rate: rate, village: v, program: j, index: k))
        }
        for v in p.segments.indices { for j in p.programs.indices { push(v, j, 0) } }
        let payers = p.programs.indices.map { j in p.funders.indices.filter { p.funds($0, program: j) } }
        while let item = heap.pop() {
            let (v, j) = (item.village, item.program)
            let entry = p.segments[v][j][item.index]
            let gain = state.added(entry, program: j), rate = gain / costs[j]
            if rate < item.rate, let top = heap.peek, rate < top.rate {
                heap.push(GreedyCandidate(rate: rate, village: v, program: j, index: item.index))
                continue
            }
            // Budgets and room only shrink: once no funder can pay for j in v,
            // nobody will for the rest of its list.
            guard let f = payers[j].first(where: { state.canPay($0, village: v, program: j) }) else { continue }
            if rate > 0 { state.give(entry.household, program: j, funder: f, adding: gain) }
            push(v, j, item.index + 1)
        }
    }

    /// Each funder's budget split over its villages by the rule's weights.
    static func split(_ rule: BaselineRule, _ p: FundAllocationProblem, _ state: inout PlanState, poorPersons: [Double], idmStatus: [String]) {
        var next = p.segments.map { $0.map { _ in 0 } }
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
                var money = min(funder.villageLimit, Int64((Double(funder.budget) * weights[index] / sum).rounded(.down)))
                while true {
                    var best = -1, bestRate = 0.0
                    for j in programs where p.programs[j].unitCost <= money {
                        while next[v][j] < p.segments[v][j].count, state.has(p.segments[v][j][next[v][j]].household, program: j) { next[v][j] += 1 }
                        guard next[v][j] < p.segments[v][j].count else { continue }
                        let r = state.rate(p.segments[v][j][next[v][j]].household, program: j)
                        if r > bestRate { bestRate = r; best = j }
                    }
                    guard best >= 0 else { break }
                    state.give(p.segments[v][best][next[v][best]].household, program: best, funder: f)
                    money -= p.programs[best].unitCost
                    next[v][best] += 1
                }
            }
        }
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

    var peek: Element? { items.first }

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
