import Foundation
import TepatAllocation
import TepatData
import TepatScoring

/// The sections of report.html, top to bottom.
extension ReportPage {
    /// Headline figures.
    static func headlineSection(_ c: ReportContent, _ t: ReportText) -> String {
        let r = c.result
        var cards: [(String, String)] = [
            (t.whole(Double(r.ranking.quality.filter { $0 != .noData }.count)), t(.villagesRanked)),
            (t.whole(Double(c.households)), t(.householdsScored)),
            (t.percent(r.overall.p0), t(.expectedP0)),
            (t.whole(r.overallPoorPersons), t(.poorPersons)),
            (t.rupiah(Int64(r.options.povertyLine)), t(.povertyLine)),
        ]
        if let a = c.allocation {
            let spent = a.plan.spentByFunder.reduce(0, +), budget = a.problem.funders.reduce(Int64(0)) { $0 + $1.budget }
            cards.append((t.rupiah(spent), t(.spent) + " " + t(.of) + " " + t.rupiah(budget)))
            cards.append((t.whole(Double(a.plan.householdsReached)), t(.householdsReached)))
            cards.append((t.percent(a.outcomes.overallBefore.p0, decimals: 2) + " → " + t.percent(a.outcomes.overallAfter.p0, decimals: 2), t(.p0Change)))
            cards.append((t.percent(a.outcomes.overallBefore.p2, decimals: 3) + " → " + t.percent(a.outcomes.overallAfter.p2, decimals: 3), t(.p2Change)))
            if let best = a.baselines.map(\.1).max(), best > 0 {
                cards.append(("+" + t.percent(a.plan.objective / best - 1, decimals: 0), t(.betterThanBest)))
            }
        }
        return section(t(.headline), "<div class=\"cards\">" + cards.map { "<div class=\"card\"><b>\(SVG.escape($0.0))</b><span>\(SVG.escape($0.1))</span></div>" }.joined() + "</div>", id: "headline")
    }

    /// The ranking with interval bars, then the villages without data.
    static func rankingSection(_ c: ReportContent, _ t: ReportText) -> String {
        let r = c.result, v = r.villages, m = r.measures
        let ranked = r.ranking.order.filter { r.ranking.quality[$0] != .noData }
        let shown = ranked.prefix(c.rankingRows)
        let highestP0 = max(1e-12, ranked.map { m.p0[$0] }.max() ?? 1)
        var rows = ""
        for village in shown {
            let rank = r.ranking.rank[village]
            let bar = SVG.intervalBar(low: Double(r.ranking.rankLow[village]), high: Double(r.ranking.rankHigh[village]), value: Double(rank),
                                      scale: Double(max(1, ranked.count)), colour: SVG.heat(m.p0[village] / highestP0))
            rows += "<tr><td class=\"n\">\(rank)</td><td>\(SVG.escape(v.names[village]))</td><td>\(SVG.escape(v.kecamatanNames[village]))</td>"
            rows += "<td>\(bar) <span class=\"muted nowrap\">\(r.ranking.rankLow[village])–\(r.ranking.rankHigh[village])</span></td>"
            rows += "<td class=\"n\">\(t.percent(m.p0[village])) <span class=\"muted\">(\(t.percent(r.ranking.p0Low[village]))–\(t.percent(r.ranking.p0High[village])))</span></td>"
            rows += "<td>\(SVG.escape(t.topDeprivations(m.deprivationShare[village])))</td>"
            rows += "<td class=\"muted\">\(r.ranking.quality[village] == .caution ? SVG.escape(t(.caution)) : "")</td></tr>"
        }
        var ranking = "<p>\(SVG.escape(t(.rankingNote)))</p><table><thead><tr><th>\(t(.rank))</th><th>\(t(.village))</th><th>\(t(.kecamatan))</th><th>\(t(.rankInterval))</th><th>\(t(.p0Interval))</th><th>\(t(.reasons))</th><th>\(t(.quality))</th></tr></thead><tbody>\(rows)</tbody></table>"
        if ranked.count > shown.count { ranking += "<p class=\"muted\">… \(ranked.count - shown.count) \(SVG.escape(t(.moreInCSV)))</p>" }
        if shown.contains(where: { r.ranking.quality[$0] == .caution }) { ranking += "<p class=\"muted\">\(SVG.escape(t(.cautionNote)))</p>" }
        let withoutData = r.ranking.order.filter { r.ranking.quality[$0] == .noData }
        if !withoutData.isEmpty {
            let names = withoutData.map { "\(v.names[$0]) (\(v.kecamatanNames[$0]))" }.joined(separator: ", ")
            ranking += "<p class=\"note\">\(withoutData.count) \(SVG.escape(t(.noDataVillages))) \(SVG.escape(names))</p>"
        }
        return section(t(.ranking), ranking, id: "ranking")
    }

    /// The map of P0 over the villages with data, or why there is none.
    static func mapSection(_ c: ReportContent, _ t: ReportText) -> String {
        let v = c.result.villages, m = c.result.measures, quality = c.result.ranking.quality
        let hasData = (0..<v.count).map { quality[$0] != .noData }
        let labels = (0..<v.count).map { "\(v.names[$0]) (\(v.kecamatanNames[$0])): P0 \(t.percent(m.p0[$0]))" }
        let highest = (0..<v.count).filter { hasData[$0] }.map { m.p0[$0] }.max() ?? 0
        if let boundaries = c.boundaries {
            let top = Set(c.result.ranking.order.prefix(10))
            let villages = (0..<v.count).map { i in
                SVG.MapVillage(polygons: boundaries.polygons[v.codes[i].value] ?? [], shade: hasData[i] && highest > 0 ? m.p0[i] / highest : .nan,
                               tooltip: labels[i], label: top.contains(i) ? v.names[i] : nil, kecamatan: v.kecamatanNames[i])
            }
            if let map = SVG.polygonMap(villages, id: "p0map", colour: SVG.heat, legend: (t(.lowP0), t(.highP0) + " (" + t.percent(highest) + ")")) {
                let note = t(.polygonMapNote).replacingOccurrences(of: "{file}", with: boundaries.file)
                return section(t(.map), "<p>\(SVG.escape(note))</p>" + map, id: "map") + fundsMap(c, villages, t)
            }
        }
        if let map = SVG.map(lat: (0..<v.count).map { hasData[$0] ? v.lat[$0] : .nan }, lon: v.lon, value: m.p0, labels: labels,
                             legend: (t(.lowP0), t(.highP0) + " (" + t.percent(highest) + ")")) {
            return section(t(.map), "<p>\(SVG.escape(t(.mapNote)))</p>" + map, id: "map")
        } else {
            return section(t(.map), "<p class=\"note\">\(SVG.escape(t(.mapMissing)))</p>", id: "map")
        }
    }

    /// The TKPK quadrant chart for villages and for kecamatan, with the count
    /// of villages per quadrant.
    static func quadrantSection(_ c: ReportContent, _ t: ReportText) -> String {
        let r = c.result, v = r.villages, m = r.measures
        let quadrants = TKPKQuadrant.villages(r), split = TKPKQuadrant.villageSplits(r)
        guard quadrants.contains(where: { $0 != nil }) else { return "" }
        let names = [t(.quadrantI), t(.quadrantII), t(.quadrantIII), t(.quadrantIV)]
        let index = { (q: TKPKQuadrant) in TKPKQuadrant.allCases.firstIndex(of: q)! }
        let top = Set(r.ranking.order.prefix(10))
        let villagePoints = (0..<v.count).compactMap { i -> SVG.QuadrantPoint? in
            guard let q = quadrants[i] else { return nil }
            return SVG.QuadrantPoint(x: m.p0[i], y: m.poorPersons[i], quadrant: index(q),
                                     tooltip: "\(v.names[i]) (\(v.kecamatanNames[i])): P0 \(t.percent(m.p0[i])), \(t.whole(m.poorPersons[i])) · \(q.rawValue)",
                                     label: top.contains(i) ? v.names[i] : nil)
        }
        let kecamatan = TKPKQuadrant.kecamatan(r)
        let kecamatanPoints = kecamatan.map {
            SVG.QuadrantPoint(x: $0.p0, y: $0.poor, quadrant: index($0.quadrant), tooltip: "\($0.name): P0 \(t.percent($0.p0)), \(t.whole($0.poor)) · \($0.quadrant.rawValue)", label: $0.name)
        }
        let meanKecamatanPoor = kecamatan.reduce(0.0) { $0 + $1.poor } / Double(max(1, kecamatan.count))
        let format = (x: { (x: Double) in t.percent(x, decimals: 0) }, y: { (y: Double) in t.whole(y) })
        var body = "<p>\(SVG.escape(t(.quadrantNote).replacingOccurrences(of: "{p0}", with: t.percent(split.p0)).replacingOccurrences(of: "{poor}", with: t.whole(split.poor))))</p>"
        body += "<h3>\(SVG.escape(t(.quadrantVillages)))</h3>"
        body += SVG.quadrantChart(villagePoints, xSplit: split.p0, ySplit: split.poor, names: names, axes: (t(.p0Axis), t(.poorAxis)), format: format)
        body += "<h3>\(SVG.escape(t(.quadrantKecamatan)))</h3>"
        body += SVG.quadrantChart(kecamatanPoints, xSplit: r.overall.p0, ySplit: meanKecamatanPoor, names: names, axes: (t(.p0Axis), t(.poorAxis)), format: format)
        body += "<table><thead><tr><th>\(SVG.escape(t(.quadrantName)))</th><th>\(SVG.escape(t(.quadrantCount)))</th></tr></thead><tbody>"
        for (k, q) in TKPKQuadrant.allCases.enumerated() {
            body += "<tr><td>\(SVG.escape(names[k]))</td><td class=\"n\">\(quadrants.filter { $0 == q }.count)</td></tr>"
        }
        return section(t(.quadrant), body + "</tbody></table>", id: "quadrant")
    }

    /// The plan's funds per village on the same polygons, when there is a plan.
    static func fundsMap(_ c: ReportContent, _ villages: [SVG.MapVillage], _ t: ReportText) -> String {
        guard let a = c.allocation else { return "" }
        let most = Double(a.outcomes.funds.max() ?? 0)
        let shaded = villages.enumerated().map { i, village in
            var copy = village
            copy.shade = most > 0 ? Double(a.outcomes.funds[i]) / most : 0
            copy.tooltip = "\(c.result.villages.names[i]): \(t.rupiah(a.outcomes.funds[i]))"
            return copy
        }
        guard let map = SVG.polygonMap(shaded, id: "fundsmap", colour: SVG.blues, legend: (t(.noFunds), t(.mostFunds) + " (" + t.rupiah(Int64(most)) + ")")) else { return "" }
        return section(t(.fundsMap), "<p>\(SVG.escape(t(.fundsMapNote)))</p>" + map, id: "funds-map")
    }

    /// Before and after by kecamatan; spending by funder and pillar; baselines.
    static func allocationSections(_ c: ReportContent, _ t: ReportText) -> String {
        let v = c.result.villages, m = c.result.measures
        guard let a = c.allocation else {
            return section(t(.beforeAfter), "<p class=\"note\">\(SVG.escape(t(.noAllocation)))</p>", id: "before-after")
        }
        var body = ""
        var persons: [String: Double] = [:], before: [String: Double] = [:], after: [String: Double] = [:]
        for village in 0..<v.count {
            let k = v.kecamatanNames[village]
            persons[k, default: 0] += m.persons[village]
            before[k, default: 0] += m.persons[village] * a.outcomes.before[village].p0
            after[k, default: 0] += m.persons[village] * a.outcomes.after[village].p0
        }
        // A kecamatan of villages without households has no rate to show.
        let kecamatan = persons.keys.filter { persons[$0]! > 0 }.sorted { (before[$0]! / persons[$0]!, $0) > (before[$1]! / persons[$1]!, $1) }
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
        baselines += "<tr class=\"best\"><td>\(SVG.escape(t(.optimalPlan)))</td><td class=\"n\">\(t.decimal(a.plan.objective, decimals: 1))</td><td></td></tr>"
        for (rule, value) in a.baselines {
            baselines += "<tr><td>\(SVG.escape(t.baseline(rule.rawValue)))</td><td class=\"n\">\(t.decimal(value, decimals: 1))</td><td class=\"n\">\(value > 0 ? "+" + t.percent(a.plan.objective / value - 1, decimals: 0) : "—")</td></tr>"
        }
        let gap = t(.gapNote).replacingOccurrences(of: "{bound}", with: t.decimal(a.plan.bound, decimals: 1))
            .replacingOccurrences(of: "{gap}", with: t.percent(a.plan.gap, decimals: 2))
        var interval = ""
        if let r = a.outcomes.robustness {
            interval = t(.outcomeIntervalNote).replacingOccurrences(of: "{n}", with: String(r.replicates))
                .replacingOccurrences(of: "{mean}", with: t.decimal(r.outcomeMean, decimals: 1))
                .replacingOccurrences(of: "{low}", with: t.decimal(r.outcomeLow, decimals: 1))
                .replacingOccurrences(of: "{high}", with: t.decimal(r.outcomeHigh, decimals: 1))
            interval = "<p class=\"muted\">\(SVG.escape(interval))</p>"
        }
        body += section(t(.baselines), baselines + "</tbody></table><p class=\"muted\">\(SVG.escape(gap))</p>" + interval, id: "baselines")
        body += beneficiariesSection(c, a.problem, a.plan, a.outcomes, t)
        body += fundedCertaintySection(c, a.outcomes, t)
        return body
    }

    /// How many villages the re-plans under the replicates fund for sure, and
    /// the ones they fund about half the time.
    static func fundedCertaintySection(_ c: ReportContent, _ outcomes: VillageOutcomes, _ t: ReportText) -> String {
        guard let r = outcomes.robustness else { return "" }
        let v = c.result.villages
        let count = { (range: ClosedRange<Double>) in String(r.pFunded.filter(range.contains).count) }
        let note = t(.fundedCertaintyNote).replacingOccurrences(of: "{n}", with: String(r.replanned))
            .replacingOccurrences(of: "{agreement}", with: t.percent(r.agreement, decimals: 1))
            .replacingOccurrences(of: "{sure}", with: count(0.9...1)).replacingOccurrences(of: "{never}", with: count(0...0.1))
            .replacingOccurrences(of: "{toss}", with: count(0.3...0.7))
        let tosses = v.codes.indices.filter { (0.3...0.7).contains(r.pFunded[$0]) }
            .sorted { (abs(r.pFunded[$0] - 0.5), v.codes[$0].value) < (abs(r.pFunded[$1] - 0.5), v.codes[$1].value) }.prefix(c.rankingRows)
        guard !tosses.isEmpty else { return section(t(.fundedCertainty), "<p>\(SVG.escape(note))</p><p class=\"note\">\(SVG.escape(t(.coinTossNone)))</p>", id: "funded-certainty") }
        var table = "<table><thead><tr><th>\(t(.village))</th><th>\(t(.kecamatan))</th><th>\(t(.funds))</th><th>\(t(.pFunded))</th></tr></thead><tbody>"
        for village in tosses {
            table += "<tr><td>\(SVG.escape(v.names[village]))</td><td>\(SVG.escape(v.kecamatanNames[village]))</td>"
            table += "<td class=\"n\">\(t.rupiah(outcomes.funds[village]))</td><td class=\"n\">\(t.percent(r.pFunded[village], decimals: 0))</td></tr>"
        }
        return section(t(.fundedCertainty), "<p>\(SVG.escape(note))</p>" + table + "</tbody></table>", id: "funded-certainty")
    }

    /// Households reached per program in the villages receiving most.
    static func beneficiariesSection(_ c: ReportContent, _ p: FundAllocationProblem, _ plan: FundAllocation, _ outcomes: VillageOutcomes, _ t: ReportText) -> String {
        let v = c.result.villages
        var count = [[Int]](repeating: [Int](repeating: 0, count: p.programs.count), count: v.count)
        for b in plan.beneficiaries { count[p.households.village[b.household]][b.program] += 1 }
        let used = p.programs.indices.filter { j in count.contains { $0[j] > 0 } }
        let shown = v.codes.indices.filter { outcomes.funds[$0] > 0 }
            .sorted { (outcomes.funds[$0], v.codes[$1].value) > (outcomes.funds[$1], v.codes[$0].value) }.prefix(c.rankingRows)
        var table = "<table><thead><tr><th>\(t(.village))</th><th>\(t(.kecamatan))</th><th>\(t(.funds))</th><th>\(t(.programsHeader))</th>"
        // Program ids such as AIR_BERSIH may break after their underscores, so the table fits the page.
        table += used.map { "<th>\(SVG.escape(p.programs[$0].id).replacingOccurrences(of: "_", with: "_<wbr>"))</th>" }.joined()
        table += (outcomes.robustness == nil ? "" : "<th>\(t(.pFunded))</th>") + "</tr></thead><tbody>"
        for village in shown {
            table += "<tr><td>\(SVG.escape(v.names[village]))</td><td>\(SVG.escape(v.kecamatanNames[village]))</td>"
            table += "<td class=\"n\">\(t.rupiah(outcomes.funds[village]))</td><td class=\"n\">\(outcomes.householdsReached[village])</td>"
            table += used.map { "<td class=\"n\">\(count[village][$0] > 0 ? String(count[village][$0]) : "")</td>" }.joined()
            table += outcomes.robustness.map { "<td class=\"n\">\(t.percent($0.pFunded[village], decimals: 0))</td>" } ?? ""
            table += "</tr>"
        }
        return section(t(.beneficiaries), "<p>\(SVG.escape(t(.beneficiariesNote)))</p>" + table + "</tbody></table>", id: "beneficiaries")
    }

    /// The OPD–village pairs with their fit and reasons.
    static func assignmentSection(_ c: ReportContent, _ t: ReportText) -> String {
        let v = c.result.villages
        if let a = c.assignment {
            var table = "<table><thead><tr><th>\(t(.opd))</th><th>\(t(.village))</th><th>\(t(.kecamatan))</th><th>\(t(.fit))</th><th>\(t(.reasons))</th></tr></thead><tbody>"
            for pair in a.solution.pairs {
                table += "<tr><td>\(SVG.escape(a.problem.opds[pair.opd].name))</td><td>\(SVG.escape(v.names[pair.village]))</td><td>\(SVG.escape(v.kecamatanNames[pair.village]))</td>"
                table += "<td class=\"n\">\(t.decimal(pair.fit, decimals: 3))</td><td>\(SVG.escape(t.reasons(a.problem.reasonList(opd: pair.opd, village: pair.village))))</td></tr>"
            }
            return section(t(.assignment), table + "</tbody></table>", id: "assignment")
        }
        return section(t(.assignment), "<p class=\"note\">\(SVG.escape(t(.noAssignment)))</p>", id: "assignment")
    }
}
