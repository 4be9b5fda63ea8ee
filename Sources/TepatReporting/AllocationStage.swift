import Foundation
import TepatAllocation
import TepatData
import TepatScoring

/// Options of the allocation half of a run.
public struct AllocationOptions: Sendable {
    /// Minimum rupiah for every village of an IDM status, e.g. sangat_tertinggal → 50,000,000.
    public var floors: [String: Int64] = [:]
    /// Maximum rupiah for any one village.
    public var villageCap: Int64? = nil
    /// How many OPDs may accompany one village.
    public var opdsPerVillage = 1
    /// Write the allocation LP here (free MPS).
    public var exportMPS: String? = nil

    public init() {}
}

/// Builds the assignment and allocation problems from the loaded files and the
/// scoring results, and solves them.
public enum AllocationStage {
    public static func assignmentProblem(opds table: Table, result: ScoringResult, opdsPerVillage: Int) -> OPDAssignmentProblem {
        let ids = table.texts("opd_id"), names = table.texts("name"), pillars = table.texts("pillars")
        let capacity = table.integers("capacity"), kecamatan = table.texts("kecamatan")
        let opds = (0..<table.rowCount).map { i in
            OPDAssignmentProblem.OPD(
                id: ids[i], name: names[i], pillars: list(pillars[i]), capacity: Int(capacity[i]),
                kecamatan: Set(list(kecamatan[i]).compactMap { RegionCode($0)?.value }))
        }
        var problem = OPDAssignmentProblem(opds: opds, villageCodes: result.villages.codes.map(\.value), need: result.measures.need)
        problem.maximumOPDsPerVillage = opdsPerVillage
        return problem
    }

    public static func allocationProblem(
        funders f: Table, programs p: Table, result: ScoringResult, options: AllocationOptions
    ) throws -> FundAllocationProblem {
        let funderIDs = f.texts("funder_id"), names = f.texts("name"), kinds = f.categoryNames("kind")
        let budgets = f.numbers("budget_rp"), pillars = f.texts("pillars"), areas = f.texts("kecamatan"), shares = f.numbers("max_share_per_village")
        let funders = (0..<f.rowCount).map { i in
            FundAllocationProblem.Funder(
                id: funderIDs[i], name: names[i], kind: kinds[i], budget: Int64(budgets[i].rounded(.down)),
                pillars: Set(list(pillars[i])), kecamatan: Set(list(areas[i]).compactMap { RegionCode($0)?.value }),
                maxSharePerVillage: shares[i])
        }
        let programIDs = p.texts("program_id"), programPillars = p.categoryNames("pillar"), costs = p.numbers("unit_cost_rp")
        let deprivations = p.categoryNames("deprivation"), uplifts = p.numbers("uplift_pc")
        let programs = (0..<p.rowCount).map { i in
            FundAllocationProblem.Program(
                id: programIDs[i], pillar: programPillars[i], unitCost: Int64(costs[i].rounded()),
                deprivation: Deprivation(rawValue: deprivations[i])!, uplift: uplifts[i])
        }
        let segments = FundAllocationProblem.segments(
            programs: programs, households: result.registry, deprivationFlags: result.deprivationFlags, scores: result.households,
            villageCount: result.villages.count, povertyLine: result.options.povertyLine)
        var problem = FundAllocationProblem(
            funders: funders, programs: programs, villageCodes: result.villages.codes.map(\.value),
            villageNames: result.villages.names, segments: segments)
        for (status, amount) in options.floors {
            for v in 0..<result.villages.count where result.villages.idmStatus[v] == status {
                problem.floors[v] = amount
                problem.floorReasons[v] = "\(status) ≥ Rp \(Rupiah.format(amount))"
            }
        }
        problem.villageCap = options.villageCap
        return problem
    }

    static func list(_ text: String) -> [String] { listItems(text).map { $0.lowercased() } }
}
