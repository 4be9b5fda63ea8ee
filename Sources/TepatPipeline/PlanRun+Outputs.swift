import Foundation
import TepatData
import TepatReporting
import TepatScoring
import TepatStore
import TepatVerification

extension PlanRun {
    /// The CSV files of the run directory.
    func writeFiles(_ scored: Scored, _ d: Decisions, to directory: RunDirectory) throws {
        let result = scored.result
        if let problem = d.assignmentProblem, let assignment = d.assignment {
            try AllocationOutputs.writeAssignment(problem, assignment, villages: result.villages, to: directory.file("assignment.csv"))
        }
        if let problem = d.allocationProblem, let plan = d.plan, let outcomes = d.outcomes {
            try AllocationOutputs.writeAllocation(problem, plan, villages: result.villages, to: directory.file("allocation.csv"))
            try AllocationOutputs.writeBeneficiaries(problem, plan, ids: result.registry.ids, scores: result.households, villages: result.villages,
                                                     to: directory.file("beneficiaries.csv"))
            try AllocationOutputs.writeVillagesAfter(outcomes, villages: result.villages, order: result.ranking.order, to: directory.file("villages_after.csv"))
            try AllocationOutputs.writeFunders(problem, plan, to: directory.file("funders_summary.csv"))
        }
        try ScoringOutputs.writeRankings(result, to: directory.file("rankings.csv"))
        try RankingsGeoJSON.write(rankings: directory.file("rankings.csv"), boundaries: scored.boundaries, to: directory.file("rankings.geojson"))
        if let verification = scored.verification { try writeVerification(verification.list, result, scored.data, to: directory) }
        if writeHouseholds {
            if let streamed = scored.streamed {
                try ScoringOutputs.writeHouseholds(streamed, villages: result.villages, to: directory.file("households_scored.csv"))
            } else {
                try ScoringOutputs.writeHouseholds(result, households: scored.data.households, to: directory.file("households_scored.csv"))
            }
        }
        if !result.models.isEmpty { try ScoringOutputs.writeCoefficients(result.models, to: directory.file("pmt_coefficients.csv")) }
        if dialect == .excelID {
            try ScoringOutputs.writeRankings(result, to: directory.file("rankings.excel-id.csv"), dialect: .excelID)
            if !result.models.isEmpty {
                try ScoringOutputs.writeCoefficients(result.models, to: directory.file("pmt_coefficients.excel-id.csv"), dialect: .excelID)
            }
        }
        if !scored.data.problems.isEmpty { try ScoringOutputs.writeRejected(scored.data.problems, to: directory.file("rejected.csv")) }
        guard writeWorkbook else { return }
        let plan = d.allocationProblem.flatMap { problem in d.plan.map { (problem, $0) } }
        // Names and NIKs stay on the form asked for, never in results.xlsx.
        try ResultsWorkbook.write(folder: directory.stagingPath, leavingOut: includeNames ? ["verification_form"] : [],
                                  tables: RPKDTables.sheets(result, plan: plan), language: language, to: directory.file("results.xlsx"))
    }

    /// summary.json, report.html and the effective scenario.yaml.
    func writeSummaryAndReport(_ scored: Scored, _ d: Decisions, checksums: [String: String], to directory: RunDirectory) throws {
        let result = scored.result
        var summary: [(String, JSON)] = [
            ("version", .string(RunSummary.version)), ("seed", .integer(Int(options.seed))),
            ("inputs", RunSummary.inputs(scored.data.files, checksums: checksums)),
        ]
        summary += RunSummary.scoring(result)
        if let assignment = d.assignment {
            summary.append(("assignment", .object([("objective", .number(assignment.objective)), ("pairs", .integer(assignment.pairs.count))])))
        }
        if let problem = d.allocationProblem, let plan = d.plan, let outcomes = d.outcomes {
            summary.append(("allocation", RunSummary.allocation(problem: problem, plan: plan, outcomes: outcomes, baselines: d.baselines,
                                                               objective: allocation.objective)))
        }
        if let verification = scored.verification { summary.append(("verification", verificationSummary(verification))) }
        try directory.write("summary.json", JSON.object(summary).text() + "\n")
        var report = ReportContent(
            result: result, households: result.householdCount,
            assignment: d.assignmentProblem.flatMap { p in d.assignment.map { (p, $0) } },
            allocation: d.allocationProblem.flatMap { p in d.plan.flatMap { pl in d.outcomes.map { (p, pl, $0, d.baselines) } } },
            language: language, objective: allocation.objective)
        report.boundaries = scored.boundaries
        if let list = scored.verification?.list {
            report.verification = (list.count(.likelyExcluded), list.count(.likelyIncluded), Set(list.cases.map(\.village)).count)
        }
        try directory.write("report.html", ReportPage.html(report))
        if let scenarioText { try directory.write("scenario.yaml", scenarioText) }
    }

    /// Moves the run directory into place, recording the run in the store
    /// first when there is one; true when it replaced an earlier run.
    func commit(_ directory: RunDirectory, _ scored: Scored, _ d: Decisions, checksums: [String: String], seconds: Double) throws -> Bool {
        guard let recorder else { return try directory.commit() }
        let result = scored.result
        let record = RunRecord(
            directory: directory.path, dataDirectory: URL(fileURLWithPath: dataDirectory).standardizedFileURL.path,
            seed: options.seed, scenario: scenarioText ?? "", inputs: scored.data.files.map { ($0.name, $0.rows) },
            checksums: checksums, villages: result.villages.count, households: result.householdCount,
            p0: result.overall.p0, poorPersons: result.overallPoorPersons, objective: d.plan?.objective,
            spent: d.plan?.spentByFunder.reduce(0, +), seconds: seconds)
        return try recorder(record) { try directory.commit() }
    }
}

extension PlanRun {
    /// verification.csv and the meeting's form, as CSV to fill in and as HTML to print.
    func writeVerification(_ list: VerificationList, _ result: ScoringResult, _ data: DataSet, to directory: RunDirectory) throws {
        let ids = result.registry.ids
        try VerificationFiles.writeList(list, ids: ids, villages: result.villages, to: directory.file("verification.csv"))
        let listed = Set(list.cases.map { ids[$0.household] })
        let extras = try FormExtras(householdsPath: inputPath(Schemas.households.fileName, data), listed: listed, includeNames: includeNames)
        try VerificationFiles.writeFormCSV(list, ids: ids, villages: result.villages, extras: extras, to: directory.file("verification_form.csv"))
        // The same form as a workbook, to fill in in Excel and give back as it is.
        try ResultsWorkbook.write(csv: directory.file("verification_form.csv"), sheet: "verification_form", to: directory.file("verification_form.xlsx"))
        try directory.write("verification_form.html", VerificationForm.html(list, ids: ids, villages: result.villages, extras: extras))
    }

    func verificationSummary(_ v: Verification) -> JSON {
        var fields: [(String, JSON)] = [
            ("likely_excluded", .integer(v.list.count(.likelyExcluded))),
            ("likely_included", .integer(v.list.count(.likelyIncluded))),
            ("before_cap", .object([
                ("likely_excluded", .integer(v.list.eligible[.likelyExcluded] ?? 0)),
                ("likely_included", .integer(v.list.eligible[.likelyIncluded] ?? 0)),
            ])),
            ("minimum_probability", .number(v.list.options.minimumProbability)),
            ("minimum_p_poor", .number(v.list.options.minimumPPoor)),
            ("max_per_village", .integer(v.list.options.maximumPerVillage)),
            ("registry_noise_sd", .number(v.list.model.noiseSD)),
        ]
        if let a = v.accuracy {
            // A precision of an empty list is no figure at all: left out.
            var accuracy: [(String, JSON)] = []
            for (name, side) in [("likely_excluded", a.excluded), ("likely_included", a.included)] {
                if side.listed > 0 { accuracy.append((name + "_precision", .number(side.precision))) }
                accuracy.append((name + "_base_rate", .number(side.baseRate)))
            }
            fields.append(("accuracy", .object(accuracy)))
        }
        return .object(fields)
    }
}
