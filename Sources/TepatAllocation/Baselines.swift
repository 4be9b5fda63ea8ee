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
    public static func benefit(
        _ rule: BaselineRule, problem p: FundAllocationProblem, poorPersons: [Double], idmStatus: [String]
    ) -> Double {
        var remaining = p.segments.map { $0.map { $0.map { _ in Double(1) } } }  // share of each household not yet reached
        var total = 0.0
        if rule == .greedy {
            var all: [(rate: Double, v: Int, j: Int, k: Int)] = []
            for v in p.segments.indices {
                for j in p.programs.indices {
                    for (k, s) in p.segments[v][j].enumerated() { all.append((s.benefit / Double(p.programs[j].unitCost), v, j, k)) }
                }
            }
            all.sort { $0.rate != $1.rate ? $0.rate > $1.rate : ($0.v, $0.j, $0.k) < ($1.v, $1.j, $1.k) }
            var budget = p.funders.map { Double($0.budget) }
            var given = [[Double]](repeating: [Double](repeating: 0, count: p.villageCodes.count), count: p.funders.count)
            for item in all {
                var need = Double(p.programs[item.j].unitCost)
                for f in p.funders.indices where need > 0 && p.funds(f, village: item.v) && p.funds(f, program: item.j) {
                    let room = min(budget[f], Double(p.funders[f].villageLimit) - given[f][item.v])
                    let pay = min(room, need)
                    guard pay > 0 else { continue }
                    budget[f] -= pay; given[f][item.v] += pay; need -= pay
                    total += pay * item.rate
                }
            }
            return total
        }
        for (f, funder) in p.funders.enumerated() {
            let villages = p.villageCodes.indices.filter { v in
                p.funds(f, village: v) && p.programs.indices.contains { p.funds(f, program: $0) && !p.segments[v][$0].isEmpty }
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
            for (k, v) in villages.enumerated() {
                var money = min(Double(funder.villageLimit), Double(funder.budget) * weights[k] / sum)
                // Best remaining households of the programs this funder pays for.
                var options: [(rate: Double, j: Int, k: Int)] = []
                for j in p.programs.indices where p.funds(f, program: j) {
                    for (s, segment) in p.segments[v][j].enumerated() where remaining[v][j][s] > 0 {
                        options.append((segment.benefit / Double(p.programs[j].unitCost), j, s))
                    }
                }
                options.sort { $0.rate != $1.rate ? $0.rate > $1.rate : ($0.j, $0.k) < ($1.j, $1.k) }
                for option in options where money > 0 {
                    let cost = Double(p.programs[option.j].unitCost) * remaining[v][option.j][option.k]
                    let pay = min(money, cost)
                    money -= pay
                    remaining[v][option.j][option.k] -= pay / Double(p.programs[option.j].unitCost)
                    total += pay * option.rate
                }
            }
        }
        return total
    }
}
