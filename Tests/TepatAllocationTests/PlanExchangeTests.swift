import XCTest
@testable import TepatAllocation
@testable import TepatScoring

/// Exchanges after rounding: remnants of several budgets gathered for a
/// valuable program, on a case worked by hand and on random scenarios.
extension FundAllocationTests {
    /// Funder F1 (housing and health, Rp 6) and F2 (health only, Rp 3).
    /// Household a's health program (Rp 3) is worth most per rupiah, so the
    /// greedy rule has F1 pay it, and F1's Rp 3 left cannot buy X's housing
    /// program (Rp 5), which F2 may not pay. Handing a to F2 frees F1 for X:
    /// both are served, the best plan there is.
    func testAnExchangeGathersTwoBudgetsForAValuableProgram() {
        let programs = [
            FundAllocationProblem.Program(id: "RTLH", pillar: "housing", unitCost: 5, deprivation: .housing, uplift: 12),
            FundAllocationProblem.Program(id: "JKN", pillar: "health", unitCost: 3, deprivation: .health, uplift: 10),
        ]
        let funders = [
            FundAllocationProblem.Funder(id: "F1", name: "F1", kind: "apbd", budget: 6, pillars: ["housing", "health"]),
            FundAllocationProblem.Funder(id: "F2", name: "F2", kind: "csr", budget: 3, pillars: ["health"]),
        ]
        let h = outcomes(village: [0, 0], members: [1, 1], mean: [log(50), log(60)], sd: [0.2, 0.2])
        var flags = Deprivation.allCases.map { _ in [false, false] }
        flags[Deprivation.allCases.firstIndex(of: .health)!] = [true, false]
        flags[Deprivation.allCases.firstIndex(of: .housing)!] = [false, true]
        let p = FundAllocationProblem(funders: funders, programs: programs, villageCodes: [3514012001], villageNames: ["A"], households: h, deprivationFlags: flags)
        var greedy = PlanState(p)
        Baselines.greedy(p, &greedy)
        XCTAssertEqual(greedy.beneficiaries, [.init(household: 0, program: 1, funder: 0)], "the greedy rule alone strands F1's Rp 3")
        var polished = PlanState(p)
        p.polish(&polished)
        XCTAssertEqual(Set(polished.beneficiaries.map { [$0.household, $0.program, $0.funder] }), [[0, 1, 1], [1, 0, 0]])
        let both = (integratedFGT(alpha: 2, mean: log(50), sd: 0.2, uplift: 0) - integratedFGT(alpha: 2, mean: log(50), sd: 0.2, uplift: 10))
            + (integratedFGT(alpha: 2, mean: log(60), sd: 0.2, uplift: 0) - integratedFGT(alpha: 2, mean: log(60), sd: 0.2, uplift: 12))
        XCTAssertEqual(polished.objective, both, accuracy: 1e-9 * both)
        assertFeasible(p, polished.beneficiaries, objective: polished.objective, flags: flags, "hand-worked")
    }

    /// On random scenarios of 30 households with floors, caps and shares,
    /// exchanges never lose outcome, break no constraint, and take no village
    /// below its floor (or below what it had, where the greedy plan left it short).
    func testExchangesKeepEveryConstraintAndNeverLose() {
        var rng = NormalSampler(seed: 41, stream: 6)
        var gained = 0, floored = 0
        for instance in 0..<60 {
            let p = randomProblem(&rng, households: 30)
            var state = PlanState(p)
            Baselines.greedy(p, &state)
            let before = state.objective, fundsBefore = state.villageFunds
            state.improveByExchanges()
            Baselines.greedy(p, &state)
            XCTAssertGreaterThanOrEqual(state.objective, before - 1e-12, "instance \(instance)")
            for v in p.villageCodes.indices {
                XCTAssertGreaterThanOrEqual(state.villageFunds[v], min(fundsBefore[v], p.floors[v]), "instance \(instance), village \(v)")
            }
            var unfloored = p
            unfloored.floors = p.floors.map { _ in 0 }
            assertFeasible(unfloored, state.beneficiaries, objective: state.objective, flags: flagsOf(p), "instance \(instance)")
            if state.objective > before + 1e-9 { gained += 1 }
            if p.floors.contains(where: { $0 > 0 }) { floored += 1 }
        }
        XCTAssertGreaterThan(floored, 5)
        XCTAssertGreaterThan(gained, 0, "some greedy plans leave remnants an exchange can use")
    }

    /// One funder, Rp 6. Village Satu's household a has a Rp 3 health program
    /// worth little; Dua's X would gain much from a Rp 5 housing program.
    /// Without a floor, the exchange takes a's program back to pay X's; with
    /// a floor of Rp 3 in Satu, it may not.
    func testAnExchangeTakesNoVillageBelowItsFloor() {
        let programs = [
            FundAllocationProblem.Program(id: "RTLH", pillar: "housing", unitCost: 5, deprivation: .housing, uplift: 15),
            FundAllocationProblem.Program(id: "JKN", pillar: "health", unitCost: 3, deprivation: .health, uplift: 2),
        ]
        let funder = FundAllocationProblem.Funder(id: "F1", name: "F1", kind: "apbd", budget: 6, pillars: ["housing", "health"])
        let h = outcomes(village: [0, 1], members: [1, 1], mean: [log(90), log(55)], sd: [0.2, 0.2])
        var flags = Deprivation.allCases.map { _ in [false, false] }
        flags[Deprivation.allCases.firstIndex(of: .health)!] = [true, false]
        flags[Deprivation.allCases.firstIndex(of: .housing)!] = [false, true]
        var p = FundAllocationProblem(funders: [funder], programs: programs, villageCodes: [3514012001, 3514022001], villageNames: ["Satu", "Dua"],
                                      households: h, deprivationFlags: flags)
        for floor in [Int64(0), 3] {
            p.floors[0] = floor
            var state = PlanState(p)
            state.give(0, program: 1, funder: 0)
            state.improveByExchanges()
            let served = state.beneficiaries.map { [$0.household, $0.program] }
            XCTAssertEqual(served, floor == 0 ? [[1, 0]] : [[0, 1]], "floor \(floor)")
            XCTAssertGreaterThanOrEqual(state.villageFunds[0], floor)
        }
    }
}
