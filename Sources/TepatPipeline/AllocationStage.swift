import Foundation
import TepatAllocation
import TepatData
import TepatScenario
import TepatScoring

/// Options of the allocation half of a run.
public struct AllocationOptions: Sendable {
    /// Minimum rupiah for every village of an IDM status, e.g. sangat_tertinggal → 50,000,000.
    public var floors: [String: Int64] = [:]
    /// Maximum rupiah for any one village.
    public var villageCap: Int64? = nil
    /// How many OPDs may accompany one village.
    public var opdsPerVillage = Scenario.AssignmentSettings().opdsPerVillage
    /// Write the allocation MIP here (free MPS, integer columns marked).
    public var exportMPS: String? = nil
    /// OPDs and funders taking part, by id (nil: every row of the file).
    public var opds: [String]? = nil
    public var funders: [String]? = nil
    /// Kecamatan codes a funder may fund, replacing its funders.csv area.
    public var funderAreas: [String: [String]] = [:]
    /// Budgets replacing funders.csv's budget_rp.
    public var funderBudgets: [String: Int64] = [:]
    /// What the allocation maximises.
    public var objective = Scenario.AllocationSettings().objective

    public init() {}
}

/// Builds the assignment and allocation problems from the loaded files and the
/// scoring results, and solves them.
public enum AllocationStage {
    public static func assignmentProblem(opds table: Table, result: ScoringResult, options: AllocationOptions) throws -> OPDAssignmentProblem {
        let ids = table.texts("opd_id"), names = table.texts("name"), pillars = table.texts("pillars")
        let capacity = table.integers("capacity"), kecamatan = table.texts("kecamatan")
        let rows = try selected(options.opds, ids: (0..<table.rowCount).map { ids[$0] }, key: "assignment.opds", file: "opds.csv")
        let opds = rows.map { i in
            OPDAssignmentProblem.OPD(
                id: ids[i], name: names[i], pillars: list(pillars[i]), capacity: Int(capacity[i]),
                kecamatan: Set(list(kecamatan[i]).compactMap { RegionCode($0)?.value }))
        }
        var problem = OPDAssignmentProblem(opds: opds, villageCodes: result.villages.codes.map(\.value), need: result.measures.need)
        problem.maximumOPDsPerVillage = options.opdsPerVillage
        return problem
    }

    public static func allocationProblem(
        funders f: Table, programs p: Table, result: ScoringResult, options: AllocationOptions
    ) throws -> FundAllocationProblem {
        let funderIDs = f.texts("funder_id"), names = f.texts("name"), kinds = f.categoryNames("kind")
        let budgets = f.numbers("budget_rp"), pillars = f.texts("pillars"), areas = f.texts("kecamatan"), shares = f.numbers("max_share_per_village")
        let idList = (0..<f.rowCount).map { funderIDs[$0] }
        let rows = try selected(options.funders, ids: idList, key: "allocation.funders", file: "funders.csv")
        for (key, named) in [("allocation.funder_areas", Array(options.funderAreas.keys)), ("allocation.funder_budgets", Array(options.funderBudgets.keys))] {
            for id in named.sorted() where !idList.contains(id) {
                throw AllocationError.scenario("\(key): no '\(id)' in funders.csv" + NearestName.hint(for: id, among: idList))
            }
        }
        let villageKecamatan = Set(result.villages.codes.map(\.kecamatan.value))
        for (id, codes) in options.funderAreas.sorted(by: { $0.key < $1.key }) {
            for code in codes where !(RegionCode(code).map { villageKecamatan.contains($0.value) } ?? false) {
                throw AllocationError.scenario("allocation.funder_areas.\(id): kecamatan \(code) has no village in this run")
            }
        }
        let funders = rows.map { i in
            let area = options.funderAreas[funderIDs[i]] ?? list(areas[i])
            return FundAllocationProblem.Funder(
                id: funderIDs[i], name: names[i], kind: kinds[i], budget: options.funderBudgets[funderIDs[i]] ?? Int64(budgets[i].rounded(.down)),
                pillars: Set(list(pillars[i])), kecamatan: Set(area.compactMap { RegionCode($0)?.value }),
                maxSharePerVillage: shares[i])
        }
        let programIDs = p.texts("program_id"), programPillars = p.categoryNames("pillar"), costs = p.numbers("unit_cost_rp")
        let deprivations = p.categoryNames("deprivation"), uplifts = p.numbers("uplift_pc")
        let programs = (0..<p.rowCount).map { i in
            FundAllocationProblem.Program(
                id: programIDs[i], pillar: programPillars[i], unitCost: Int64(costs[i].rounded()),
                deprivation: Deprivation(rawValue: deprivations[i])!, uplift: uplifts[i])
        }
        let households = HouseholdOutcomes(
            households: result.registry, scores: result.households, povertyLine: result.options.povertyLine, objective: options.objective)
        var problem = FundAllocationProblem(
            funders: funders, programs: programs, villageCodes: result.villages.codes.map(\.value),
            villageNames: result.villages.names, households: households, deprivationFlags: result.deprivationFlags)
        for (status, amount) in options.floors {
            for v in 0..<result.villages.count where result.villages.idmStatus[v] == status {
                problem.floors[v] = amount
                problem.floorReasons[v] = "\(status) ≥ Rp \(Rupiah.format(amount))"
            }
        }
        problem.villageCap = options.villageCap
        return problem
    }

    /// Rows of the ids a scenario names, in file order; every id must exist.
    static func selected(_ wanted: [String]?, ids: [String], key: String, file: String) throws -> [Int] {
        guard let wanted else { return Array(ids.indices) }
        for id in wanted where !ids.contains(id) {
            throw AllocationError.scenario("\(key): no '\(id)' in \(file)" + NearestName.hint(for: id, among: ids))
        }
        return ids.indices.filter { wanted.contains(ids[$0]) }
    }

    static func list(_ text: String) -> [String] { listItems(text).map { $0.lowercased() } }
}
