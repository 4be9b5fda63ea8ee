import XCTest
@testable import TepatAllocation
import NetworkFlow
@testable import TepatData
@testable import TepatScoring

final class AssignmentTests: XCTestCase {
    /// Exhaustive optimum: every village takes a set of at most `limit` OPDs.
    func bruteForce(_ p: OPDAssignmentProblem) -> Double {
        let normalised = p.normalisedNeed
        var remaining = p.opds.map(\.capacity)
        var best = 0.0
        func visit(_ v: Int, _ total: Double) {
            if v == p.villageCodes.count { best = max(best, total); return }
            visit(v + 1, total)  // no OPD here
            func choose(from o: Int, taken: Int, sum: Double) {
                guard taken < p.maximumOPDsPerVillage else { return }
                for k in o..<p.opds.count where remaining[k] > 0 && p.isAllowed(opd: k, village: v) {
                    let f = p.fit(opd: k, village: v, normalised: normalised)
                    guard f > 0 else { continue }
                    remaining[k] -= 1
                    visit(v + 1, sum + f)
                    choose(from: k + 1, taken: taken + 1, sum: sum + f)
                    remaining[k] += 1
                }
            }
            choose(from: 0, taken: 0, sum: total)
        }
        visit(0, 0)
        return best
    }

    /// Two OPDs per village in a quarter of the instances, which are kept to 4×4
    /// so the exhaustive search stays quick.
    func randomProblem(_ rng: inout NormalSampler, maxSide: Int) -> OPDAssignmentProblem {
        let twoPerVillage = rng.index(4) == 0
        let side = twoPerVillage ? min(4, maxSide) : maxSide
        let opdCount = 1 + rng.index(side), villageCount = 1 + rng.index(side)
        let kecamatan: [Int64] = [351401, 351402, 351403]
        let codes = (0..<villageCount).map { kecamatan[rng.index(3)] * 10_000 + 2001 + Int64($0) }
        let need = (0..<villageCount).map { _ in Schemas.pillars.map { _ in rng.index(4) == 0 ? 0 : Double(rng.index(50)) } }
        let opds = (0..<opdCount).map { o -> OPDAssignmentProblem.OPD in
            let pillars = Schemas.pillars.filter { _ in rng.index(3) == 0 }
            let restricted: Set<Int64> = rng.index(3) == 0 ? [kecamatan[rng.index(3)]] : []
            return .init(id: "O\(o)", name: "OPD \(o)", pillars: pillars.isEmpty ? ["health"] : pillars, capacity: 1 + rng.index(2), kecamatan: restricted)
        }
        var problem = OPDAssignmentProblem(opds: opds, villageCodes: codes, need: need)
        problem.maximumOPDsPerVillage = twoPerVillage ? 2 : 1
        return problem
    }

    /// 2,000 random instances up to 7×7, rectangular, with capacities and
    /// kecamatan restrictions: the solver's optimum equals exhaustive search.
    func testOptimumEqualsBruteForce() {
        var rng = NormalSampler(seed: 2024, stream: 7)
        for instance in 0..<2_000 {
            let problem = randomProblem(&rng, maxSide: instance < 1_500 ? 7 : 5)
            let solution = problem.solve()
            XCTAssertEqual(solution.objective, bruteForce(problem), accuracy: 1e-7, "instance \(instance)")
            // Feasibility of what it returns.
            var used = [Int](repeating: 0, count: problem.opds.count), perVillage = [Int](repeating: 0, count: problem.villageCodes.count)
            for pair in solution.pairs {
                used[pair.opd] += 1
                perVillage[pair.village] += 1
                XCTAssertTrue(problem.isAllowed(opd: pair.opd, village: pair.village))
            }
            for o in problem.opds.indices { XCTAssertLessThanOrEqual(used[o], problem.opds[o].capacity) }
            XCTAssertTrue(perVillage.allSatisfy { $0 <= problem.maximumOPDsPerVillage })
        }
    }

    /// Equal fits: the earlier OPD and the lower village code win, every time.
    func testTiesAreBrokenDeterministically() {
        let need = [[5.0, 0, 0, 0, 0, 0], [5.0, 0, 0, 0, 0, 0]]
        let opds = [OPDAssignmentProblem.OPD(id: "A", name: "A", pillars: ["health"], capacity: 1),
                    OPDAssignmentProblem.OPD(id: "B", name: "B", pillars: ["health"], capacity: 1)]
        let problem = OPDAssignmentProblem(opds: opds, villageCodes: [3514012002, 3514012001], need: need)
        let first = problem.solve()
        XCTAssertEqual(first.pairs.map { [$0.opd, $0.village] }, [[0, 1], [1, 0]], "A takes the lower code 35.14.01.2001")
        for _ in 0..<5 { XCTAssertEqual(problem.solve().pairs, first.pairs) }
        XCTAssertTrue(problem.reasons(opd: 0, village: 1).hasPrefix("health: 5 poor households deprived (rank 1 of 2)"))
    }

    func testOneHouseholdIsSingular() {
        let problem = OPDAssignmentProblem(opds: [OPDAssignmentProblem.OPD(id: "A", name: "A", pillars: ["health"], capacity: 1)],
                                           villageCodes: [3514012001], need: [[1.2, 0, 0, 0, 0, 0]])
        XCTAssertEqual(problem.reasons(opd: 0, village: 0), "health: 1 poor household deprived (rank 1 of 1)")
    }
}
