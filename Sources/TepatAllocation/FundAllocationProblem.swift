import Foundation
import NetworkFlow
import TepatData
import TepatScoring

/// Fund allocation (Docs/model.md): money from funders to programs in villages.
/// Reaching household h with program j raises its consumption by u_j, and the
/// benefit is the fall in its expected poverty severity, b_h = m_h·(P2 before −
/// P2 after). In each village, a program reaches its households best-benefit
/// first, so the benefit of money in (v, j) is concave piecewise linear with one
/// segment per household. Maximising total benefit under budgets, eligibility,
/// per-village shares, program capacity, floors and caps is a min-cost flow:
///   source → funder (budget) → funder×village (max share) → village×program
///   (pillar and area eligibility) → one arc per household segment
///   (cost −b_h/c_j per rupiah, capacity c_j) → village (floor, cap) → sink,
/// plus a zero-cost arc from source to sink for money left unspent. Each
/// village×program's household segments are one convex arc of the network.
public struct FundAllocationProblem: Sendable {
    public struct Funder: Sendable {
        public var id: String
        public var name: String
        public var kind: String
        public var budget: Int64
        public var pillars: Set<String>
        public var kecamatan: Set<Int64>
        public var maxSharePerVillage: Double

        public init(id: String, name: String, kind: String, budget: Int64, pillars: Set<String>, kecamatan: Set<Int64> = [], maxSharePerVillage: Double = 1) {
            self.id = id; self.name = name; self.kind = kind; self.budget = budget
            self.pillars = pillars; self.kecamatan = kecamatan; self.maxSharePerVillage = maxSharePerVillage
        }

        /// The most one village may get from this funder, whole rupiah.
        public var villageLimit: Int64 { min(budget, Int64((Double(budget) * maxSharePerVillage).rounded(.down))) }

        /// A share of 1 (the default) limits nothing the budget arc does not; the
        /// network then leaves the per-village arc unbounded, so it never becomes a
        /// second, degenerate bound that hides the budget's marginal value.
        var limitsVillages: Bool { maxSharePerVillage < 1 }
    }

    public struct Program: Sendable {
        public var id: String
        public var pillar: String
        public var unitCost: Int64
        public var deprivation: Deprivation
        /// Rise of monthly consumption per capita for a reached household, rupiah.
        public var uplift: Double

        public init(id: String, pillar: String, unitCost: Int64, deprivation: Deprivation, uplift: Double) {
            self.id = id; self.pillar = pillar; self.unitCost = unitCost; self.deprivation = deprivation; self.uplift = uplift
        }
    }

    /// One household a program could reach, and what reaching it is worth.
    public struct Segment: Sendable {
        public var household: Int
        public var benefit: Double
    }

    public var funders: [Funder]
    public var programs: [Program]
    public var villageCodes: [Int64]
    public var villageNames: [String]
    /// segments[v][j]: best benefit first.
    public var segments: [[[Segment]]]
    /// Minimum rupiah per village (0: none), e.g. from a floor for a status.
    public var floors: [Int64]
    /// Why each floor is there ("sangat_tertinggal ≥ Rp 50,000,000"), for messages.
    public var floorReasons: [String]
    /// Maximum rupiah per village (nil: none).
    public var villageCap: Int64?

    public init(funders: [Funder], programs: [Program], villageCodes: [Int64], villageNames: [String], segments: [[[Segment]]]) {
        self.funders = funders
        self.programs = programs
        self.villageCodes = villageCodes
        self.villageNames = villageNames
        self.segments = segments
        floors = Array(repeating: 0, count: villageCodes.count)
        floorReasons = Array(repeating: "", count: villageCodes.count)
    }

    public func funds(_ f: Int, village v: Int) -> Bool {
        funders[f].kecamatan.isEmpty || funders[f].kecamatan.contains(villageCodes[v] / 10_000)
    }

    public func funds(_ f: Int, program j: Int) -> Bool { funders[f].pillars.contains(programs[j].pillar) }

    /// Household segments of every (village, program): each eligible household's
    /// benefit from program j's uplift, from its predicted log-consumption
    /// distribution N(μ, σ²). With z' = z − u, (1 − (y+u)/z)₊ = (z'/z)(1 − y/z')₊, so
    /// P2 after = (z'/z)²·P2(z'): closed form again.
    /// `deprivationFlags` are the scoring's, in `Deprivation.allCases` order.
    public static func segments(
        programs: [Program], households h: HouseholdColumns, deprivationFlags: [[Bool]], scores: HouseholdScores,
        villageCount: Int, povertyLine z: Double, objective: AllocationObjective = .severity
    ) -> [[[Segment]]] {
        var result = [[[Segment]]](repeating: [[Segment]](repeating: [], count: programs.count), count: villageCount)
        for (j, program) in programs.enumerated() {
            let flags = deprivationFlags[Deprivation.allCases.firstIndex(of: program.deprivation)!]
            let shifted = z - program.uplift
            for i in 0..<h.count where flags[i] {
                // An uplift u is a poverty line of z − u for the household's own
                // consumption: P0 after = P0(z − u), P1 after = (z − u)/z · P1(z − u),
                // P2 after = ((z − u)/z)² · P2(z − u).
                let before: Double
                switch objective {
                case .headcount: before = scores.p0[i]
                case .gap: before = scores.p1[i]
                case .severity: before = scores.p2[i]
                }
                var after = 0.0
                if shifted > 0 {
                    let f = ExpectedFGT(mean: scores.logMean[i], sd: scores.logSD[i], logPovertyLine: log(shifted))
                    let r = shifted / z
                    switch objective {
                    case .headcount: after = f.p0
                    case .gap: after = r * f.p1
                    case .severity: after = r * r * f.p2
                    }
                }
                let benefit = h.members[i] * max(0, before - after)
                if benefit > 1e-12 { result[Int(h.village[i])][j].append(Segment(household: i, benefit: benefit)) }
            }
        }
        for v in 0..<villageCount {
            for j in programs.indices {
                result[v][j].sort { $0.benefit != $1.benefit ? $0.benefit > $1.benefit : $0.household < $1.household }
            }
        }
        return result
    }

    /// Arc indices of the network, for reading a solution.
    public struct NetworkMap: Sendable {
        public var budgetArc: [Int]
        /// (funder, village, program) → arc.
        public var fundingArcs: [(funder: Int, village: Int, program: Int, arc: Int)]
        /// (village, program) → its convex arc, one segment per household.
        public var programArcs: [(village: Int, program: Int, arc: Int)]
        public var villageArcs: [Int]
        public var unspentArc: Int
        public var source: Int, sink: Int
    }

    /// The network: each village×program's households are the segments of one
    /// convex arc (best benefit first, so the unit costs −b/c rise). The MPS
    /// export writes `network().0.expanded()`, one arc per household.
    public func network() -> (network: FlowNetwork, map: NetworkMap) {
        var net = FlowNetwork()
        let total = funders.reduce(0) { $0 + $1.budget }
        let s = net.addNode(supply: total), t = net.addNode(supply: -total)
        var map = NetworkMap(budgetArc: [], fundingArcs: [], programArcs: [], villageArcs: [], unspentArc: -1, source: s, sink: t)
        // Money left unspent goes straight to the sink. (First, so the solver's
        // starting tree carries the budgets on it: every funding choice is then
        // priced against leaving money unspent from the first pivot on.)
        map.unspentArc = net.addArc(from: s, to: t, upper: FlowNetwork.unbounded, cost: 0)
        let funderNode = funders.map { _ in net.addNode() }
        for (f, funder) in funders.enumerated() { map.budgetArc.append(net.addArc(from: s, to: funderNode[f], upper: funder.budget, cost: 0)) }
        let villageNode = villageCodes.map { _ in net.addNode() }
        var programNode = [[Int]](repeating: [Int](repeating: -1, count: programs.count), count: villageCodes.count)
        for v in villageCodes.indices {
            for j in programs.indices where !segments[v][j].isEmpty && funders.indices.contains(where: { funds($0, village: v) && funds($0, program: j) }) {
                let node = net.addNode()
                programNode[v][j] = node
                let unitCost = programs[j].unitCost, cost = Double(unitCost)
                let arc = net.addConvexArc(from: node, to: villageNode[v], segments: segments[v][j].map { (unitCost, -$0.benefit / cost) })
                map.programArcs.append((v, j, arc))
            }
        }
        for (f, funder) in funders.enumerated() {
            for v in villageCodes.indices where funds(f, village: v) {
                let programsHere = programs.indices.filter { funds(f, program: $0) && programNode[v][$0] >= 0 }
                guard !programsHere.isEmpty else { continue }
                let node = net.addNode()
                net.addArc(from: funderNode[f], to: node, upper: funder.limitsVillages ? funder.villageLimit : FlowNetwork.unbounded, cost: 0)
                for j in programsHere {
                    map.fundingArcs.append((f, v, j, net.addArc(from: node, to: programNode[v][j], upper: FlowNetwork.unbounded, cost: 0)))
                }
            }
        }
        for v in villageCodes.indices {
            map.villageArcs.append(net.addArc(from: villageNode[v], to: t, lower: floors[v], upper: villageCap ?? FlowNetwork.unbounded, cost: 0))
        }
        return (net, map)
    }

    /// Solves the whole problem at once: the network simplex walks each convex
    /// arc's household segments itself, so no household is left out and no
    /// second round is needed.
    public func solve() throws -> FundAllocation {
        let (net, map) = network()
        // Warm up with each budget priced at the marginal value of the pooled
        // problem (BudgetPrices), or failing that at the greedy rule's last
        // household: the first phase then funds the households the optimum
        // keeps. On a synthetic province of 4,000 villages the pooled prices
        // (with the reverse network, see NetworkSimplex.solve) need less than
        // half the pivots of the greedy rule's.
        var warmUp = [Double](repeating: 0, count: net.arcCount)
        let greedy = Baselines.greedyRun(self)
        let prices = BudgetPrices.estimate(self, rough: greedy.prices) ?? greedy.prices
        for f in funders.indices { warmUp[map.budgetArc[f]] = prices[f] }
        let solution = NetworkSimplex.solve(net, warmUp: warmUp, reversed: true)
        guard solution.status == .optimal else { throw AllocationError.infeasible(explainInfeasibility()) }
        var plan = read(solution, net, map)
        plan.greedyBenefit = greedy.benefit
        return plan
    }

    private func read(_ solution: FlowSolution, _ net: FlowNetwork, _ map: NetworkMap) -> FundAllocation {
        var rows: [FundAllocation.Row] = []
        for (f, v, j, arc) in map.fundingArcs where solution.flow[arc] > 0 {
            let amount = solution.flow[arc]
            rows.append(.init(funder: f, village: v, program: j, amount: amount, households: Double(amount) / Double(programs[j].unitCost)))
        }
        // A program arc's flow fills its households best first: whole ones, then
        // at most one in part.
        var reached: [(household: Int, program: Int, fraction: Double)] = []
        for (v, j, arc) in map.programArcs where solution.flow[arc] > 0 {
            let unitCost = programs[j].unitCost
            let (whole, part) = solution.flow[arc].quotientAndRemainder(dividingBy: unitCost)
            for k in 0..<Int(whole) { reached.append((segments[v][j][k].household, j, 1)) }
            if part > 0 { reached.append((segments[v][j][Int(whole)].household, j, Double(part) / Double(unitCost))) }
        }
        let spent = funders.indices.map { solution.flow[map.budgetArc[$0]] }
        // Marginal value of a funder's rupiah: how much the optimum improves if its
        // budget grows by one (per-village limits held at their rupiah values),
        // i.e. minus the cost of the cheapest residual path from the funder to the
        // sink (0 when its budget does not bind).
        let paths = ResidualPaths(network: net, solution: solution)
        let marginal = funders.indices.map { f -> Double in
            guard spent[f] == funders[f].budget else { return 0 }
            return max(0, -(paths.cost(from: net.head[map.budgetArc[f]], to: map.sink) ?? 0))
        }
        let householdSegments = map.programArcs.reduce(0) { $0 + net.segments(of: $1.arc).count }
        return FundAllocation(
            rows: rows.sorted { ($0.funder, villageCodes[$0.village], $0.program) < ($1.funder, villageCodes[$1.village], $1.program) },
            reached: reached, spentByFunder: spent, marginalValue: marginal, benefit: -solution.totalCost,
            arcs: net.arcCount, segments: householdSegments, nodes: net.nodeCount, pivots: solution.pivots,
            parallelArcs: net.arcCount - map.programArcs.count + householdSegments)
    }

    /// Which constraints conflict: a village whose floor exceeds all that can
    /// reach it (program capacity, funders' area and share limits), or floors
    /// that together exceed the budgets of the funders able to meet them.
    public func explainInfeasibility() -> String {
        var messages: [String] = []
        var floored: [Int] = []
        for v in villageCodes.indices where floors[v] > 0 {
            floored.append(v)
            let capacity = programs.indices.reduce(Int64(0)) { sum, j in
                funders.indices.contains { funds($0, village: v) && funds($0, program: j) }
                    ? sum + Int64(segments[v][j].count) * programs[j].unitCost : sum
            }
            let reachable = funders.indices.filter { funds($0, village: v) }.reduce(Int64(0)) { $0 + funders[$1].villageLimit }
            let limit = min(capacity, reachable, villageCap ?? Int64.max)
            if limit < floors[v] {
                let code = RegionCode(value: villageCodes[v], level: .village)?.description ?? String(villageCodes[v])
                let bound = limit == capacity ? "its program capacity (eligible households × unit costs) is Rp \(Rupiah.format(capacity))"
                    : limit == reachable ? "the funders that may fund it can give at most Rp \(Rupiah.format(reachable)) (budgets and max_share_per_village)"
                    : "the village cap is Rp \(Rupiah.format(villageCap ?? 0))"
                messages.append("floor \(floorReasons[v]) for \(villageNames[v]) (\(code)): \(bound); missing Rp \(Rupiah.format(floors[v] - limit))")
            }
        }
        if messages.isEmpty && !floored.isEmpty {
            let need = floored.reduce(Int64(0)) { $0 + floors[$1] }
            let able = funders.indices.filter { f in floored.contains { funds(f, village: $0) } }
            let budget = able.reduce(Int64(0)) { $0 + funders[$1].budget }
            let reasons = Set(floored.map { floorReasons[$0] }).sorted().joined(separator: ", ")
            messages.append("floors \(reasons) for \(floored.count) villages need Rp \(Rupiah.format(need)) in total, but the funders able to fund them (\(able.map { funders[$0].id }.joined(separator: ", "))) have Rp \(Rupiah.format(budget)) after area limits; missing Rp \(Rupiah.format(max(0, need - budget))) at least (per-village shares and program capacity may take more)")
        }
        return messages.isEmpty ? "the constraints cannot all hold (no floor is the cause; check village caps)" : messages.joined(separator: "\n")
    }
}
