import Foundation
import TepatAllocation
import TepatData
import TepatScenario
import TepatScoring

/// What report.html shows: plain values from the run.
public struct ReportContent {
    public var result: ScoringResult
    public var households: Int
    public var assignment: (problem: OPDAssignmentProblem, solution: OPDAssignmentProblem.Solution)?
    public var allocation: (problem: FundAllocationProblem, plan: FundAllocation, outcomes: VillageOutcomes, baselines: [(BaselineRule, Double)])?
    public var language: ReportLanguage
    public var objective = AllocationObjective.severity
    /// Households on the verification list per reason, and the villages they
    /// are in, when the run made one.
    public var verification: (likelyExcluded: Int, likelyIncluded: Int, villages: Int)? = nil
    /// Village polygons for the maps (`--boundaries`); points without them.
    public var boundaries: VillageBoundaries? = nil
    /// Ranking rows shown in the page (the rest are in rankings.csv).
    public var rankingRows = 60

    public init(
        result: ScoringResult, households: Int,
        assignment: (problem: OPDAssignmentProblem, solution: OPDAssignmentProblem.Solution)?,
        allocation: (problem: FundAllocationProblem, plan: FundAllocation, outcomes: VillageOutcomes, baselines: [(BaselineRule, Double)])?,
        language: ReportLanguage, objective: AllocationObjective
    ) {
        self.result = result
        self.households = households
        self.assignment = assignment
        self.allocation = allocation
        self.language = language
        self.objective = objective
    }
}

/// report.html: one self-contained page (inline CSS and SVG, no script, no
/// network) a planner opens offline. Deterministic: no dates, no timings.
public enum ReportPage {
    public static func html(_ c: ReportContent) -> String {
        let t = ReportText(language: c.language, objective: c.objective)
        let region = Set(c.result.villages.kabupatenNames).sorted().joined(separator: ", ")
        var body = ""
        body += "<header><h1>\(SVG.escape(t(.title)))\(region.isEmpty ? "" : " — " + SVG.escape(region))</h1>"
        body += "<p class=\"sub\">\(SVG.escape(t(.subtitle)))</p></header>"
        body += headlineSection(c, t)
        body += rankingSection(c, t)
        body += mapSection(c, t)
        body += quadrantSection(c, t)
        body += rpkdSection(c, t)
        body += allocationSections(c, t)
        body += assignmentSection(c, t)
        body += verificationSection(c, t)
        body += section(t(.modelFit), modelTable(c.result, t), id: "model")
        return page(title: t(.title) + (region.isEmpty ? "" : " — " + region), language: c.language, body: body)
    }

    /// The verification list's size, and where its files are.
    static func verificationSection(_ c: ReportContent, _ t: ReportText) -> String {
        guard let v = c.verification else { return "" }
        let rows = [(t(.likelyExcluded), v.likelyExcluded), (t(.likelyIncluded), v.likelyIncluded), (t(.village), v.villages)]
        return section(t(.verification), "<p class=\"note\">\(SVG.escape(t(.verificationNote)))</p>"
            + "<table><thead><tr><th></th><th>\(t(.households))</th></tr></thead><tbody>"
            + rows.map { "<tr><td>\(SVG.escape($0.0))</td><td class=\"n\">\(t.whole(Double($0.1)))</td></tr>" }.joined()
            + "</tbody></table>", id: "verification")
    }

    static func modelTable(_ r: ScoringResult, _ t: ReportText) -> String {
        var rows: [(String, String)] = [(t.modelTerm("method"), t.modelTerm(r.method.rawValue))]
        for model in r.models {
            let p = model.pmt, prefix = r.models.count > 1 ? t.modelTerm(model.name) + ": " : ""
            rows += [
                (prefix + t.modelTerm("PMT n, p, rank"), "\(p.n), \(p.termNames.count), \(p.rank)"),
                (prefix + "R², adj. R²", t.decimal(p.r2, decimals: 3) + ", " + t.decimal(p.adjustedR2, decimals: 3)),
                (prefix + "σ", t.decimal(p.sigma, decimals: 4)),
                (prefix + t.modelTerm("condition number"), t.decimal(p.conditionNumber, decimals: 0)),
                (prefix + "σ²_η, σ²_ε (REML)", t.decimal(model.smallArea.sigma2Eta, decimals: 4) + ", " + t.decimal(model.smallArea.sigma2Eps, decimals: 4)),
                (prefix + t.modelTerm("survey villages"), "\(model.smallArea.surveyVillages)"),
            ]
            if !p.dropped.isEmpty { rows.append((prefix + t.modelTerm("dropped terms"), p.dropped.joined(separator: ", "))) }
        }
        if let share = r.assetIndexExplainedShare { rows.append((t.modelTerm("asset index: variance explained"), t.percent(share))) }
        rows.append((t.modelTerm("bootstrap replicates"), "\(r.options.bootstrap)"))
        var out = "<table><thead><tr><th>\(t(.term))</th><th>\(t(.value))</th></tr></thead><tbody>"
        out += rows.map { "<tr><td>\(SVG.escape($0.0))</td><td class=\"n\">\(SVG.escape($0.1))</td></tr>" }.joined()
        out += "</tbody></table>"
        if let a = r.accuracy {
            let accuracy: [(String, String)] = [
                (t.modelTerm("exclusion error"), t.percent(a.exclusionError)), (t.modelTerm("inclusion error"), t.percent(a.inclusionError)),
                (t.modelTerm("Spearman P0"), t.decimal(a.spearmanP0, decimals: 3)),
                (t.modelTerm("rank interval coverage"), t.percent(a.rankIntervalCoverage)), (t.modelTerm("P0 interval coverage"), t.percent(a.p0IntervalCoverage)),
            ]
            out += "<h3>\(SVG.escape(t(.accuracy)))</h3><table><tbody>"
            out += accuracy.map { "<tr><td>\(SVG.escape($0.0))</td><td class=\"n\">\(SVG.escape($0.1))</td></tr>" }.joined()
            out += "</tbody></table>"
        }
        return out
    }

    static func section(_ title: String, _ content: String, id: String) -> String {
        "<section id=\"\(id)\"><h2>\(SVG.escape(title))</h2>\(content)</section>\n"
    }

    static func page(title: String, language: ReportLanguage, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(language.rawValue)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(SVG.escape(title))</title>
        <style>
        body { font-family: "DejaVu Sans", Arial, sans-serif; color: #1b1f24; margin: 0 auto; max-width: 1060px; padding: 16px 24px 48px; line-height: 1.4; }
        h1 { font-size: 24px; margin: 8px 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 2px solid #e3e8ee; padding-bottom: 4px; }
        h3 { font-size: 15px; margin: 16px 0 6px; }
        .sub, .muted { color: #5b6670; } .muted { font-size: 12px; } .nowrap { white-space: nowrap; }
        .note { background: #fff8e1; border-left: 4px solid #f2c94c; padding: 8px 12px; }
        .cards { display: flex; flex-wrap: wrap; gap: 10px; }
        .card { background: #f4f7fa; border-radius: 8px; padding: 10px 14px; min-width: 170px; flex: 1 1 170px; }
        .card b { display: block; font-size: 20px; } .card span { font-size: 12px; color: #5b6670; }
        table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 6px 0; }
        th { text-align: left; background: #eef2f6; font-weight: 600; } th, td { padding: 4px 8px; border-bottom: 1px solid #e3e8ee; vertical-align: middle; }
        td.n { text-align: right; white-space: nowrap; } tr.best td { font-weight: 600; }
        svg.bar { vertical-align: middle; } svg.chart, svg.map { display: block; max-width: 100%; height: auto; }
        @media print { section { break-inside: avoid; } }
        </style>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }
}
