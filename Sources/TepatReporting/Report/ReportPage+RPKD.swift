import Foundation
import TepatData
import TepatScoring

extension ReportPage {
    /// The tables of a regional poverty plan (RPKD, Permendagri 53/2020): the
    /// poverty profile per kecamatan, the priority locations (quadrant I
    /// villages by rank) and the priority programs per pillar (the need, and
    /// what the plan puts there).
    static func rpkdSection(_ c: ReportContent, _ t: ReportText) -> String {
        let r = c.result
        guard r.ranking.quality.contains(where: { $0 != .noData }) else { return "" }
        return section(t(.rpkd), "<p>\(SVG.escape(t(.rpkdNote)))</p>" + profile(r, t) + priorityLocations(r, t) + priorityPrograms(c, t), id: "rpkd")
    }

    static func profile(_ r: ScoringResult, _ t: ReportText) -> String {
        var out = "<h3>\(SVG.escape(t(.rpkdProfile)))</h3><table><thead><tr><th>\(t(.kecamatan))</th><th>\(t(.quadrantVillages))</th><th>\(t(.persons))</th>"
        out += "<th>P0</th><th>\(SVG.escape(heading(t(.poorPersons))))</th><th>P1</th><th>P2</th><th>\(t(.quadrantName))</th></tr></thead><tbody>"
        for k in RPKDTables.profile(r) {
            out += "<tr><td>\(SVG.escape(k.name))</td><td class=\"n\">\(k.villages)</td><td class=\"n\">\(t.whole(k.persons))</td><td class=\"n\">\(t.percent(k.p0))</td>"
            out += "<td class=\"n\">\(t.whole(k.poorPersons))</td><td class=\"n\">\(t.percent(k.p1, decimals: 2))</td><td class=\"n\">\(t.percent(k.p2, decimals: 2))</td><td>\(k.quadrant.rawValue)</td></tr>"
        }
        return out + "</tbody></table>"
    }

    static func priorityLocations(_ r: ScoringResult, _ t: ReportText) -> String {
        let first = RPKDTables.priorityLocations(r)
        var out = "<h3>\(SVG.escape(t(.rpkdLocations).replacingOccurrences(of: "{n}", with: String(first.count))))</h3>"
        out += "<table><thead><tr><th>\(t(.rank))</th><th>\(t(.village))</th><th>\(t(.kecamatan))</th><th>P0</th><th>\(SVG.escape(heading(t(.poorPersons))))</th><th>IDM</th><th>\(t(.reasons))</th></tr></thead><tbody>"
        for v in first.prefix(20) {
            out += "<tr><td class=\"n\">\(r.ranking.rank[v])</td><td>\(SVG.escape(r.villages.names[v]))</td><td>\(SVG.escape(r.villages.kecamatanNames[v]))</td>"
            out += "<td class=\"n\">\(t.percent(r.measures.p0[v]))</td><td class=\"n\">\(t.whole(r.measures.poorPersons[v]))</td>"
            out += "<td>\(SVG.escape(r.villages.idmStatus[v].replacingOccurrences(of: "_", with: " ")))</td><td>\(SVG.escape(t.topDeprivations(r.measures.deprivationShare[v])))</td></tr>"
        }
        return out + "</tbody></table>"
    }

    /// Per pillar: the expected poor households deprived in it, and, with a
    /// plan, the funds and households it reaches there.
    static func priorityPrograms(_ c: ReportContent, _ t: ReportText) -> String {
        let plans = RPKDTables.programs(c.result, plan: c.allocation.map { ($0.problem, $0.plan) })
        var out = "<h3>\(SVG.escape(t(.rpkdPrograms)))</h3><table><thead><tr><th>\(t(.pillar))</th><th>\(SVG.escape(t(.rpkdNeed)))</th>"
        if c.allocation != nil { out += "<th>\(t(.funds))</th><th>\(SVG.escape(heading(t(.householdsReached))))</th>" }
        out += "</tr></thead><tbody>"
        for p in plans {
            out += "<tr><td>\(SVG.escape(t.pillar(p.pillar)))</td><td class=\"n\">\(t.whole(p.need))</td>"
            if c.allocation != nil { out += "<td class=\"n\">\(t.rupiah(p.funds))</td><td class=\"n\">\(t.whole(Double(p.householdsReached)))</td>" }
            out += "</tr>"
        }
        return out + "</tbody></table>"
    }

    /// A label as a column heading: its first letter capitalised.
    static func heading(_ label: String) -> String { label.prefix(1).uppercased() + label.dropFirst() }
}
