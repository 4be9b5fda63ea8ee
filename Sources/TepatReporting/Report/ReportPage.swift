import Foundation
import TepatAllocation
import TepatData
import TepatScoring

/// What report.html shows: plain values from the run.
public struct ReportContent {
    public var result: ScoringResult
    public var households: Int
    public var assignment: (problem: OPDAssignmentProblem, solution: OPDAssignmentProblem.Solution)?
    public var allocation: (problem: FundAllocationProblem, plan: FundAllocation, outcomes: VillageOutcomes, baselines: [(BaselineRule, Double)])?
    public var language: ReportLanguage
    public var objective = AllocationObjective.severity
    /// Ranking rows shown in the page (the rest are in rankings.csv).
    public var rankingRows = 60
}

/// report.html: one self-contained page (inline CSS and SVG, no script, no
/// network) a planner opens offline. Deterministic: no dates, no timings.
public enum ReportPage {
    public static func html(_ c: ReportContent) -> String {
        let t = ReportText(language: c.language, objective: c.objective)
        let r = c.result, v = r.villages, m = r.measures
        let region = Set(v.kabupatenNames).sorted().joined(separator: ", ")
        var body = ""
        body += "<header><h1>\(SVG.escape(t(.title)))\(region.isEmpty ? "" : " — " + SVG.escape(region))</h1>"
        body += "<p class=\"sub\">\(SVG.escape(t(.subtitle)))</p></header>"

        // Headline figures.
        var cards: [(String, String)] = [
            (t.whole(Double(v.count)), t(.villagesRanked)),
            (t.whole(Double(c.households)), t(.householdsScored)),
            (t.percent(r.overall.p0), t(.expectedP0)),
            (t.whole(r.overallPoorPersons), t(.poorPersons)),
            (t.rupiah(Int64(r.options.povertyLine)), t(.povertyLine)),
        ]
        if let a = c.allocation {
            let spent = a.plan.spentByFunder.reduce(0, +), budget = a.problem.funders.reduce(Int64(0)) { $0 + $1.budget }
            cards.append((t.rupiah(spent), t(.spent) + " " + t(.of) + " " + t.rupiah(budget)))
            cards.append((t.percent(a.outcomes.overallBefore.p0, decimals: 2) + " → " + t.percent(a.outcomes.overallAfter.p0, decimals: 2), t(.p0Change)))
            cards.append((t.percent(a.outcomes.overallBefore.p2, decimals: 3) + " → " + t.percent(a.outcomes.overallAfter.p2, decimals: 3), t(.p2Change)))
            if let best = a.baselines.map(\.1).max(), best > 0 {
                cards.append(("+" + t.percent(a.plan.benefit / best - 1, decimals: 0), t(.betterThanBest)))
            }
        }
        body += section(t(.headline), "<div class=\"cards\">" + cards.map { "<div class=\"card\"><b>\(SVG.escape($0.0))</b><span>\(SVG.escape($0.1))</span></div>" }.joined() + "</div>", id: "headline")

        // Ranking with interval bars.
        var rows = ""
        let shown = r.ranking.order.prefix(c.rankingRows)
        let highestP0 = max(1e-12, m.p0.max() ?? 1)
        for village in shown {
            let rank = r.ranking.rank[village]
            let bar = SVG.intervalBar(low: Double(r.ranking.rankLow[village]), high: Double(r.ranking.rankHigh[village]), value: Double(rank),
                                      scale: Double(v.count), colour: SVG.heat(m.p0[village] / highestP0))
            rows += "<tr><td class=\"n\">\(rank)</td><td>\(SVG.escape(v.names[village]))</td><td>\(SVG.escape(v.kecamatanNames[village]))</td>"
            rows += "<td>\(bar) <span class=\"muted\">\(r.ranking.rankLow[village])–\(r.ranking.rankHigh[village])</span></td>"
            rows += "<td class=\"n\">\(t.percent(m.p0[village])) <span class=\"muted\">(\(t.percent(r.ranking.p0Low[village]))–\(t.percent(r.ranking.p0High[village])))</span></td>"
            rows += "<td>\(SVG.escape(ScoringOutputs.topDeprivations(m.deprivationShare[village]).replacingOccurrences(of: "|", with: ", ")))</td></tr>"
        }
        var ranking = "<p>\(SVG.escape(t(.rankingNote)))</p><table><thead><tr><th>\(t(.rank))</th><th>\(t(.village))</th><th>\(t(.kecamatan))</th><th>\(t(.rankInterval))</th><th>\(t(.p0Interval))</th><th>\(t(.reasons))</th></tr></thead><tbody>\(rows)</tbody></table>"
        if v.count > shown.count { ranking += "<p class=\"muted\">… \(v.count - shown.count) \(SVG.escape(t(.moreInCSV)))</p>" }
        body += section(t(.ranking), ranking, id: "ranking")

        // Map.
        let labels = (0..<v.count).map { "\(v.names[$0]) (\(v.kecamatanNames[$0])): P0 \(t.percent(m.p0[$0]))" }
        if let map = SVG.map(lat: v.lat, lon: v.lon, value: m.p0, labels: labels, legend: (t(.lowP0), t(.highP0) + " (" + t.percent(m.p0.max() ?? 0) + ")")) {
            body += section(t(.map), "<p>\(SVG.escape(t(.mapNote)))</p>" + map, id: "map")
        } else {
            body += section(t(.map), "<p class=\"note\">\(SVG.escape(t(.mapMissing)))</p>", id: "map")
        }

        // Before and after by kecamatan; spending by funder and pillar; baselines.
        if let a = c.allocation {
            var persons: [String: Double] = [:], before: [String: Double] = [:], after: [String: Double] = [:]
            for village in 0..<v.count {
                let k = v.kecamatanNames[village]
                persons[k, default: 0] += m.persons[village]
                before[k, default: 0] += m.persons[village] * a.outcomes.before[village].p0
                after[k, default: 0] += m.persons[village] * a.outcomes.after[village].p0
            }
            let kecamatan = persons.keys.sorted { (before[$0]! / persons[$0]!, $0) > (before[$1]! / persons[$1]!, $1) }
            body += section(t(.beforeAfter), "<p>\(SVG.escape(t(.beforeAfterNote)))</p>" + SVG.pairedBars(
                labels: kecamatan, before: kecamatan.map { before[$0]! / persons[$0]! }, after: kecamatan.map { after[$0]! / persons[$0]! },
                format: { t.percent($0) }, legend: (t(.before), t(.after))), id: "before-after")

            let pillars = Schemas.pillars
            var byPillar = [[Double]](repeating: [Double](repeating: 0, count: pillars.count), count: a.problem.funders.count)
            for row in a.plan.rows {
                if let p = pillars.firstIndex(of: a.problem.programs[row.program].pillar) { byPillar[row.funder][p] += Double(row.amount) }
            }
            let chart = SVG.stackedBars(labels: a.problem.funders.map(\.name), parts: pillars.map(t.pillar), values: byPillar,
                                        total: { t.rupiah(a.plan.spentByFunder[$0]) })
            var table = "<table><thead><tr><th>\(t(.funder))</th><th>\(t(.budget))</th><th>\(t(.allocated))</th><th>\(t(.marginalValue))</th></tr></thead><tbody>"
            for (f, funder) in a.problem.funders.enumerated() {
                table += "<tr><td>\(SVG.escape(funder.name))</td><td class=\"n\">\(t.rupiah(funder.budget))</td><td class=\"n\">\(t.rupiah(a.plan.spentByFunder[f]))</td><td class=\"n\">\(t.significant(1e6 * a.plan.marginalValue[f]))</td></tr>"
            }
            table += "</tbody></table><p class=\"muted\">\(SVG.escape(t(.marginalNote)))</p>"
            body += section(t(.spending), chart + table, id: "spending")

            var baselines = "<table><thead><tr><th>\(t(.baselineRule))</th><th>\(t(.severityFall))</th><th>\(t(.baselineGain))</th></tr></thead><tbody>"
            baselines += "<tr class=\"best\"><td>\(SVG.escape(t(.optimalPlan)))</td><td class=\"n\">\(t.decimal(a.plan.benefit, decimals: 1))</td><td></td></tr>"
            for (rule, benefit) in a.baselines {
                baselines += "<tr><td>\(SVG.escape(t.baseline(rule.rawValue)))</td><td class=\"n\">\(t.decimal(benefit, decimals: 1))</td><td class=\"n\">\(benefit > 0 ? "+" + t.percent(a.plan.benefit / benefit - 1, decimals: 0) : "—")</td></tr>"
            }
            body += section(t(.baselines), baselines + "</tbody></table>", id: "baselines")
        } else {
            body += section(t(.beforeAfter), "<p class=\"note\">\(SVG.escape(t(.noAllocation)))</p>", id: "before-after")
        }

        // OPD assignment.
        if let a = c.assignment {
            var table = "<table><thead><tr><th>\(t(.opd))</th><th>\(t(.village))</th><th>\(t(.kecamatan))</th><th>\(t(.fit))</th><th>\(t(.reasons))</th></tr></thead><tbody>"
            for pair in a.solution.pairs {
                table += "<tr><td>\(SVG.escape(a.problem.opds[pair.opd].name))</td><td>\(SVG.escape(v.names[pair.village]))</td><td>\(SVG.escape(v.kecamatanNames[pair.village]))</td>"
                table += "<td class=\"n\">\(t.decimal(pair.fit, decimals: 3))</td><td>\(SVG.escape(t.reasons(a.problem.reasonList(opd: pair.opd, village: pair.village))))</td></tr>"
            }
            body += section(t(.assignment), table + "</tbody></table>", id: "assignment")
        } else {
            body += section(t(.assignment), "<p class=\"note\">\(SVG.escape(t(.noAssignment)))</p>", id: "assignment")
        }

        body += section(t(.modelFit), modelTable(r, t), id: "model")
        return page(title: t(.title) + (region.isEmpty ? "" : " — " + region), language: c.language, body: body)
    }

    static func modelTable(_ r: ScoringResult, _ t: ReportText) -> String {
        var rows: [(String, String)] = [("method", r.method.rawValue)]
        for model in r.models {
            let p = model.pmt, prefix = r.models.count > 1 ? model.name + ": " : ""
            rows += [
                (prefix + "PMT n, p, rank", "\(p.n), \(p.termNames.count), \(p.rank)"),
                (prefix + "R², adj. R²", t.decimal(p.r2, decimals: 3) + ", " + t.decimal(p.adjustedR2, decimals: 3)),
                (prefix + "σ", t.decimal(p.sigma, decimals: 4)),
                (prefix + "condition number", t.decimal(p.conditionNumber, decimals: 0)),
                (prefix + "σ²_η, σ²_ε (REML)", t.decimal(model.smallArea.sigma2Eta, decimals: 4) + ", " + t.decimal(model.smallArea.sigma2Eps, decimals: 4)),
                (prefix + "survey villages", "\(model.smallArea.surveyVillages)"),
            ]
            if !p.dropped.isEmpty { rows.append((prefix + "dropped terms", p.dropped.joined(separator: ", "))) }
        }
        if let share = r.assetIndexExplainedShare { rows.append(("asset index: variance explained", t.percent(share))) }
        rows.append(("bootstrap replicates", "\(r.options.bootstrap)"))
        var out = "<table><thead><tr><th>\(t(.term))</th><th>\(t(.value))</th></tr></thead><tbody>"
        out += rows.map { "<tr><td>\(SVG.escape($0.0))</td><td class=\"n\">\(SVG.escape($0.1))</td></tr>" }.joined()
        out += "</tbody></table>"
        if let a = r.accuracy {
            let accuracy: [(String, String)] = [
                ("exclusion error", t.percent(a.exclusionError)), ("inclusion error", t.percent(a.inclusionError)),
                ("Spearman P0", t.decimal(a.spearmanP0, decimals: 3)),
                ("rank interval coverage", t.percent(a.rankIntervalCoverage)), ("P0 interval coverage", t.percent(a.p0IntervalCoverage)),
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
        .sub, .muted { color: #5b6670; } .muted { font-size: 12px; }
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
