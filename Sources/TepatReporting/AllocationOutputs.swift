import Foundation
import TepatAllocation
import TepatData
import TepatScoring

/// assignment.csv, allocation.csv, beneficiaries.csv, villages_after.csv, funders_summary.csv (Docs/outputs.md).
public enum AllocationOutputs {
    public static func writeAssignment(_ problem: OPDAssignmentProblem, _ solution: OPDAssignmentProblem.Solution, villages: VillageList, to path: String) throws {
        let w = try CSVWriter(path: path, header: ["opd_id", "opd_name", "kode_desa", "nama_desa", "fit", "reasons", "nama_kecamatan"])
        for pair in solution.pairs {
            w.text(problem.opds[pair.opd].id); w.text(problem.opds[pair.opd].name)
            w.text(villages.codes[pair.village].description); w.text(villages.names[pair.village])
            w.number(pair.fit); w.text(problem.reasons(opd: pair.opd, village: pair.village))
            w.text(villages.kecamatanNames[pair.village])
            try w.endRow()
        }
        try w.close()
    }

    public static func writeAllocation(_ problem: FundAllocationProblem, _ plan: FundAllocation, villages: VillageList, to path: String) throws {
        let w = try CSVWriter(path: path, header: ["funder_id", "kode_desa", "program_id", "pillar", "amount_rp", "households_reached", "nama_desa"])
        for row in plan.rows {
            w.text(problem.funders[row.funder].id); w.text(villages.codes[row.village].description)
            w.text(problem.programs[row.program].id); w.text(problem.programs[row.program].pillar)
            w.integer(row.amount); w.integer(Int64(row.households)); w.text(villages.names[row.village])
            try w.endRow()
        }
        try w.close()
    }

    /// beneficiaries.csv's columns: one row per household and program.
    public static let beneficiariesHeader = [
        "household_id", "kode_desa", "nama_desa", "program_id", "pillar", "funder_id", "amount_rp", "priority", "p_poor", "welfare_pc",
        "household_gain",
    ]

    /// Who receives what, village by village, its households by priority: 1 is
    /// the household whose programs together lower the measure most, the one to
    /// reach first. household_gain is that fall (persons × the objective's
    /// measure), repeated on each of the household's rows. No NIK, no names.
    public static func writeBeneficiaries(
        _ problem: FundAllocationProblem, _ plan: FundAllocation, ids: TextColumn, scores: HouseholdScores, villages: VillageList, to path: String
    ) throws {
        let w = try CSVWriter(path: path, header: beneficiariesHeader)
        let gains = plan.householdGains(problem)
        for rows in plan.prioritised(problem) {
            for (priority, b) in rows {
                let h = b.household, v = problem.households.village[h]
                w.text(ids[h]); w.text(villages.codes[v].description); w.text(villages.names[v])
                w.text(problem.programs[b.program].id); w.text(problem.programs[b.program].pillar); w.text(problem.funders[b.funder].id)
                w.integer(problem.programs[b.program].unitCost); w.integer(Int64(priority))
                w.number(scores.p0[h]); w.integer(Int64(scores.welfare[h].rounded())); w.number(gains[h]!, decimals: 12)
                try w.endRow()
            }
        }
        try w.close()
    }

    public static func writeVillagesAfter(_ outcomes: VillageOutcomes, villages: VillageList, order: [Int], to path: String) throws {
        let w = try CSVWriter(path: path, header: [
            "kode_desa", "funds_rp", "p0_before", "p0_after", "p1_before", "p1_after", "p2_before", "p2_after", "nama_desa", "households_reached",
            "p_funded",
        ])
        for v in order {
            w.text(villages.codes[v].description); w.integer(outcomes.funds[v])
            w.number(outcomes.before[v].p0, decimals: 9); w.number(outcomes.after[v].p0, decimals: 9)
            w.number(outcomes.before[v].p1, decimals: 9); w.number(outcomes.after[v].p1, decimals: 9)
            w.number(outcomes.before[v].p2, decimals: 9); w.number(outcomes.after[v].p2, decimals: 9)
            w.text(villages.names[v]); w.integer(Int64(outcomes.householdsReached[v]))
            // Empty without replicates: nothing says how sure the funding is.
            if let robustness = outcomes.robustness { w.number(robustness.pFunded[v], decimals: 4) } else { w.empty() }
            try w.endRow()
        }
        try w.close()
    }

    /// marginal_value is the gain of one more rupiah in the budget (persons × the measure per rupiah);
    /// marginal_value_per_million is the same per Rp 1,000,000, easier to read.
    public static func writeFunders(_ problem: FundAllocationProblem, _ plan: FundAllocation, to path: String) throws {
        let w = try CSVWriter(path: path, header: ["funder_id", "budget_rp", "allocated_rp", "marginal_value", "marginal_value_per_million", "name", "kind"])
        for (f, funder) in problem.funders.enumerated() {
            w.text(funder.id); w.integer(funder.budget); w.integer(plan.spentByFunder[f])
            w.number(plan.marginalValue[f], decimals: 15); w.number(plan.marginalValue[f] * 1e6, decimals: 6)
            w.text(funder.name); w.text(funder.kind)
            try w.endRow()
        }
        try w.close()
    }
}
