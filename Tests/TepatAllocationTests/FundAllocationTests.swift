import XCTest
@testable import TepatAllocation
import NetworkFlow
import TestLP
@testable import TepatData
@testable import TepatScoring

final class FundAllocationTests: XCTestCase {
    func randomProblem(_ rng: inout NormalSampler) -> FundAllocationProblem {
        let villages = 1 + rng.index(3), programCount = 1 + rng.index(2)
        let pillars = ["health", "housing"]
        let programs = (0..<programCount).map { j in
            FundAllocationProblem.Program(id: "P\(j)", pillar: pillars[j], unitCost: Int64(2 + rng.index(4)), deprivation: j == 0 ? .health : .housing, uplift: 1)
        }
        let funders = (0..<(1 + rng.index(3))).map { f -> FundAllocationProblem.Funder in
            let eligible: Set<String> = rng.index(3) == 0 ? ["health"] : ["health", "housing"]
            let area: Set<Int64> = rng.index(3) == 0 ? [351401] : []
            return .init(id: "F\(f)", name: "F\(f)", kind: "csr", budget: Int64(3 + rng.index(14)), pillars: eligible, kecamatan: area,
                         maxSharePerVillage: rng.index(2) == 0 ? 1 : 0.5)
        }
        let codes = (0..<villages).map { Int64(rng.index(2) == 0 ? 351401 : 351402) * 10_000 + 2001 + Int64($0) }
        var household = 0
        let segments: [[[FundAllocationProblem.Segment]]] = codes.map { _ in
            programs.map { _ in
                (0..<rng.index(4)).map { _ in
                    household += 1
                    return FundAllocationProblem.Segment(household: household, benefit: Double(1 + rng.index(20)) / 7)
                }.sorted { $0.benefit > $1.benefit }
            }
        }
        var p = FundAllocationProblem(funders: funders, programs: programs, villageCodes: codes, villageNames: codes.map { "V\($0)" }, segments: segments)
        for v in 0..<villages where rng.index(4) == 0 { p.floors[v] = Int64(rng.index(5)); p.floorReasons[v] = "test ≥ \(p.floors[v])" }
        if rng.index(4) == 0 { p.villageCap = Int64(4 + rng.index(8)) }
        return p
    }

    /// Docs/model.md written directly as an LP over its own variables (x_{f,v,j},
    /// s_{v,j,k}), independent of the network construction.
    func independentLP(_ p: FundAllocationProblem) -> DenseLP.Outcome {
        var columns: [(cost: Double, upper: Double)] = []
        var x: [[Int: Int]] = []  // per funder: (v * 10 + j) → column
        for f in p.funders.indices {
            var map: [Int: Int] = [:]
            for v in p.villageCodes.indices where p.funds(f, village: v) {
                for j in p.programs.indices where p.funds(f, program: j) {
                    map[v * 10 + j] = columns.count
                    columns.append((0, .infinity))
                }
            }
            x.append(map)
        }
        var s: [[[Int]]] = p.segments.map { $0.map { _ in [] } }
        for v in p.segments.indices {
            for j in p.programs.indices {
                for segment in p.segments[v][j] {
                    s[v][j].append(columns.count)
                    columns.append((-segment.benefit / Double(p.programs[j].unitCost), Double(p.programs[j].unitCost)))
                }
            }
        }
        var rows: [[Int: Double]] = [], rhs: [Double] = []
        func slack(_ sign: Double) -> Int { columns.append((0, .infinity)); return columns.count - 1 }
        for f in p.funders.indices {  // budget
            var row: [Int: Double] = [:]
            for (_, c) in x[f] { row[c] = 1 }
            row[slack(1)] = 1
            rows.append(row); rhs.append(Double(p.funders[f].budget))
            for v in p.villageCodes.indices where p.funds(f, village: v) {  // share
                var share: [Int: Double] = [:]
                for j in p.programs.indices { if let c = x[f][v * 10 + j] { share[c] = 1 } }
                share[slack(1)] = 1
                rows.append(share); rhs.append(Double(p.funders[f].villageLimit))
            }
        }
        for v in p.villageCodes.indices {
            for j in p.programs.indices {  // money in = money used by segments
                var row: [Int: Double] = [:]
                for f in p.funders.indices { if let c = x[f][v * 10 + j] { row[c] = 1 } }
                for c in s[v][j] { row[c] = -1 }
                rows.append(row); rhs.append(0)
            }
            var total: [Int: Double] = [:]  // floor
            for j in p.programs.indices { for c in s[v][j] { total[c] = 1 } }
            var floorRow = total
            floorRow[slack(-1)] = -1
            rows.append(floorRow); rhs.append(Double(p.floors[v]))
            if let cap = p.villageCap {
                var capRow = total
                capRow[slack(1)] = 1
                rows.append(capRow); rhs.append(Double(cap))
            }
        }
        let a = rows.map { row in (0..<columns.count).map { row[$0] ?? 0 } }
        return DenseLP(c: columns.map(\.cost), a: a, b: rhs, upper: columns.map(\.upper)).solve()
    }

    /// The optimum equals the independent LP's to 1e-9 relative on 600 random
    /// small scenarios (funders with areas and shares, floors, caps).
    func testOptimumEqualsIndependentLP() throws {
        var rng = NormalSampler(seed: 8, stream: 21)
        var optimal = 0, infeasible = 0
        for instance in 0..<600 {
            let p = randomProblem(&rng)
            switch independentLP(p) {
            case .infeasible:
                infeasible += 1
                XCTAssertThrowsError(try p.solve(), "instance \(instance)")
            case .optimal(let value):
                optimal += 1
                let plan = try p.solve()
                XCTAssertEqual(plan.benefit, -value, accuracy: 1e-9 * max(1, abs(value)), "instance \(instance)")
                // The plan respects every constraint it reports.
                for (f, funder) in p.funders.enumerated() { XCTAssertLessThanOrEqual(plan.spentByFunder[f], funder.budget) }
                var byFunderVillage: [Int: Int64] = [:]
                for row in plan.rows {
                    XCTAssertTrue(p.funds(row.funder, village: row.village) && p.funds(row.funder, program: row.program))
                    byFunderVillage[row.funder * 100 + row.village, default: 0] += row.amount
                }
                for (key, amount) in byFunderVillage { XCTAssertLessThanOrEqual(amount, p.funders[key / 100].villageLimit) }
            }
        }
        XCTAssertGreaterThan(optimal, 300)
        XCTAssertGreaterThan(infeasible, 5, "floors and caps make some scenarios infeasible")
    }

    /// A floor no funder can meet is explained: which floor, which bound, how much is missing.
    func testInfeasibleFloorNamesTheConflict() {
        let program = FundAllocationProblem.Program(id: "RTLH", pillar: "housing", unitCost: 20_000_000, deprivation: .housing, uplift: 45_000)
        let funder = FundAllocationProblem.Funder(id: "BAZNAS", name: "Baznas", kind: "zakat", budget: 1_000_000_000, pillars: ["housing"], maxSharePerVillage: 0.05)
        let segments: [[[FundAllocationProblem.Segment]]] = [[(0..<10).map { .init(household: $0, benefit: 1) }]]
        var p = FundAllocationProblem(funders: [funder], programs: [program], villageCodes: [3514012003], villageNames: ["Sumberrejo"], segments: segments)
        p.floors = [75_000_000]
        p.floorReasons = ["sangat_tertinggal ≥ Rp 75,000,000"]
        XCTAssertThrowsError(try p.solve()) { error in
            XCTAssertEqual("\(error)", """
                the allocation scenario is infeasible:
                floor sangat_tertinggal ≥ Rp 75,000,000 for Sumberrejo (35.14.01.2003): the funders that may fund it can give at most Rp 50,000,000 (budgets and max_share_per_village); missing Rp 25,000,000
                """)
        }
    }

    /// Marginal values are duals: positive only for budgets that bind, and
    /// equal to the benefit rate of the last household the budget paid for.
    func testMarginalValueOfABindingBudget() throws {
        let program = FundAllocationProblem.Program(id: "JAMBAN", pillar: "environment", unitCost: 10, deprivation: .sanitation, uplift: 1)
        let rich = FundAllocationProblem.Funder(id: "APBD", name: "APBD", kind: "apbd", budget: 1_000, pillars: ["environment"])
        let segments: [[[FundAllocationProblem.Segment]]] = [[[.init(household: 0, benefit: 5), .init(household: 1, benefit: 3), .init(household: 2, benefit: 1)]]]
        var p = FundAllocationProblem(funders: [rich], programs: [program], villageCodes: [3514012001], villageNames: ["A"], segments: segments)
        var plan = try p.solve()
        XCTAssertEqual(plan.benefit, 9, accuracy: 1e-12)
        XCTAssertEqual(plan.marginalValue[0], 0, "budget not binding: every household is reached")
        p.funders[0].budget = 15  // one and a half households
        plan = try p.solve()
        XCTAssertEqual(plan.benefit, 5 + 1.5, accuracy: 1e-12)
        XCTAssertEqual(plan.marginalValue[0], 3.0 / 10, accuracy: 1e-12, "the second household's benefit per rupiah")
        p.funders[0].budget = 20  // exactly two households: the program arc sits at its second breakpoint
        plan = try p.solve()
        XCTAssertEqual(plan.benefit, 5 + 3, accuracy: 1e-12)
        XCTAssertEqual(plan.marginalValue[0], 1.0 / 10, accuracy: 1e-12, "the third household's benefit per rupiah")
        let summary = plan.summary(p)
        XCTAssertTrue(summary.hasPrefix("Fund allocation: benefit 8.000000; Rp 20 of Rp 20 spent"), summary)
        XCTAssertTrue(summary.contains("2.0 households reached"), summary)
        XCTAssertTrue(summary.contains("APBD: Rp 20 of Rp 20, marginal value 1e+05 per million rupiah"), summary)
    }

    /// Each funder's marginal value is the right derivative of the optimum in its
    /// budget: adding Rp 1,000 to a binding budget raises the optimum by 1,000 ×
    /// the marginal value (within a linear piece; checked where the next
    /// breakpoint is further away), on random problems.
    func testMarginalValuesMatchFiniteDifferences() throws {
        var rng = NormalSampler(seed: 41, stream: 3)
        var checked = 0
        for instance in 0..<200 {
            var p = randomProblem(&rng)
            for f in p.funders.indices { p.funders[f].budget *= 1_000_000 }
            for j in p.programs.indices { p.programs[j].unitCost *= 1_000_000 }
            p.floors = p.floors.map { $0 * 1_000_000 }
            if let cap = p.villageCap { p.villageCap = cap * 1_000_000 }
            guard let base = try? p.solve() else { continue }
            // A share limit moves with the budget, and the marginal value holds
            // per-village limits at their rupiah values: check unlimited funders.
            for f in p.funders.indices where base.spentByFunder[f] == p.funders[f].budget && p.funders[f].maxSharePerVillage == 1 {
                var q = p
                q.funders[f].budget += 1_000
                let more = try q.solve()
                let slope = (more.benefit - base.benefit) / 1_000
                XCTAssertEqual(slope, base.marginalValue[f], accuracy: 1e-6 * max(1e-9, abs(base.marginalValue[f])) + 1e-15,
                               "instance \(instance) funder \(f)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 50)
    }
    /// Without per-village shares, floors or caps, pooling the village×programs
    /// that the same funders may pay for changes nothing a funder sees, so the
    /// pooled problem's marginal values (the warm-up's prices) equal the whole
    /// problem's, to 1e-9 relative, on random problems. (Rough prices of 10⁻¹²
    /// keep every household in the pool.)
    func testPooledBudgetPricesEqualMarginalValuesWithoutVillageLimits() throws {
        var rng = NormalSampler(seed: 63, stream: 5)
        var binding = 0
        for instance in 0..<300 {
            var p = randomProblem(&rng)
            for f in p.funders.indices { p.funders[f].maxSharePerVillage = 1 }
            p.floors = p.floors.map { _ in 0 }
            p.villageCap = nil
            let plan = try p.solve()
            let rough = [Double](repeating: 1e-12, count: p.funders.count)
            guard let prices = BudgetPrices.estimate(p, rough: rough) else {
                XCTFail("instance \(instance): no estimate")
                continue
            }
            for f in p.funders.indices {
                XCTAssertEqual(prices[f], plan.marginalValue[f], accuracy: 1e-9 * max(1e-12, plan.marginalValue[f]), "instance \(instance) funder \(f)")
                if plan.marginalValue[f] > 0 { binding += 1 }
            }
        }
        XCTAssertGreaterThan(binding, 100, "enough binding budgets to mean something")
    }

    /// The four baseline rules on a case worked by hand. Program cost 10;
    /// village 0 has households worth 5 and 1 (rates 0.5, 0.1), village 1 worth
    /// 3 and 2 (0.3, 0.2). Funder A has 25 for both villages, B has 10 for
    /// village 1 only (its kecamatan), paid after A.
    func testBaselinesWorkedByHand() {
        let funders = [
            FundAllocationProblem.Funder(id: "A", name: "A", kind: "apbd", budget: 25, pillars: ["social"]),
            FundAllocationProblem.Funder(id: "B", name: "B", kind: "csr", budget: 10, pillars: ["social"], kecamatan: [351402]),
        ]
        let programs = [FundAllocationProblem.Program(id: "P", pillar: "social", unitCost: 10, deprivation: .socialCare, uplift: 1)]
        let segments: [[[FundAllocationProblem.Segment]]] = [
            [[.init(household: 0, benefit: 5), .init(household: 1, benefit: 1)]],
            [[.init(household: 2, benefit: 3), .init(household: 3, benefit: 2)]],
        ]
        let problem = FundAllocationProblem(funders: funders, programs: programs, villageCodes: [3514012001, 3514022001],
                                            villageNames: ["Satu", "Dua"], segments: segments)
        func benefit(_ rule: BaselineRule) -> Double {
            Baselines.benefit(rule, problem: problem, poorPersons: [1, 4], idmStatus: ["mandiri", "sangat_tertinggal"])
        }
        // Greedy: 0.5 (A pays 10), 0.3 (A pays 10), 0.2 (A's last 5, then B 5).
        XCTAssertEqual(benefit(.greedy), 5 + 3 + 2, accuracy: 1e-12)
        // Equal: A gives 12.5 to each: 10·0.5 + 2.5·0.1 and 10·0.3 + 2.5·0.2; B's
        // 10 in village 1 buys the 7.5 left of the household worth 2: + 7.5·0.2.
        XCTAssertEqual(benefit(.equalPerVillage), 5.25 + 3.5 + 1.5, accuracy: 1e-12)
        // Poor persons 1 : 4: A gives 5 and 20: 5·0.5; 10·0.3 + 10·0.2; B finds nothing left.
        XCTAssertEqual(benefit(.proportionalToPoor), 2.5 + 5, accuracy: 1e-12)
        // IDM weights 1 (mandiri) : 5 (sangat tertinggal): 25/6·0.5; then 5 of
        // village 1's share buys both its households (20.8 offered); B finds none.
        XCTAssertEqual(benefit(.byIDMStatus), 25.0 / 6 * 0.5 + 5, accuracy: 1e-12)
        // The optimum beats every rule: B, which only village 1 may use, pays
        // there, so A keeps 5 for half of village 0's 0.1: 5 + 3 + 2 + 0.5. The
        // greedy rule spends A in village 1 first and strands that 5.
        let optimum = try! problem.solve()
        XCTAssertEqual(optimum.benefit, 10.5, accuracy: 1e-12)
        XCTAssertEqual(Baselines.benefits(problem: problem, plan: optimum, poorPersons: [1, 4], idmStatus: ["mandiri", "sangat_tertinggal"]).map(\.1),
                       BaselineRule.allCases.map(benefit), "the plan's greedy run is the rule's")
        for rule in BaselineRule.allCases { XCTAssertLessThanOrEqual(benefit(rule), optimum.benefit + 1e-12, rule.rawValue) }
    }
}
