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
        var villages: [String: Int] = [:], persons: [String: Double] = [:], p1: [String: Double] = [:], p2: [String: Double] = [:]
        for v in 0..<r.villages.count where r.ranking.quality[v] != .noData {
            let k = r.villages.kecamatanNames[v]
            villages[k, default: 0] += 1
            persons[k, default: 0] += r.measures.persons[v]
            p1[k, default: 0] += r.measures.persons[v] * r.measures.p1[v]
            p2[k, default: 0] += r.measures.persons[v] * r.measures.p2[v]
        }
        var out = "<h3>\(SVG.escape(t(.rpkdProfile)))</h3><table><thead><tr><th>\(t(.kecamatan))</th><th>\(t(.quadrantVillages))</th><th>\(t(.persons))</th>"
        out += "<th>P0</th><th>\(SVG.escape(heading(t(.poorPersons))))</th><th>P1</th><th>P2</th><th>\(t(.quadrantName))</th></tr></thead><tbody>"
        for k in TKPKQuadrant.kecamatan(r).sorted(by: { ($0.p0, $1.name) > ($1.p0, $0.name) }) {
            let n = persons[k.name]!
            out += "<tr><td>\(SVG.escape(k.name))</td><td class=\"n\">\(villages[k.name]!)</td><td class=\"n\">\(t.whole(n))</td><td class=\"n\">\(t.percent(k.p0))</td>"
            out += "<td class=\"n\">\(t.whole(k.poor))</td><td class=\"n\">\(t.percent(p1[k.name]! / n, decimals: 2))</td><td class=\"n\">\(t.percent(p2[k.name]! / n, decimals: 2))</td><td>\(k.quadrant.rawValue)</td></tr>"
        }
        return out + "</tbody></table>"
    }

    static func priorityLocations(_ r: ScoringResult, _ t: ReportText) -> String {
        let quadrants = TKPKQuadrant.villages(r)
        let first = r.ranking.order.filter { quadrants[$0] == .first }
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
        let r = c.result, pillars = Schemas.pillars
        var need = [Double](repeating: 0, count: pillars.count)
        for v in 0..<r.villages.count { for p in pillars.indices { need[p] += r.measures.need[v][p] } }
        var funds = [Int64](repeating: 0, count: pillars.count), reached = [Set<Int>](repeating: [], count: pillars.count)
        if let a = c.allocation {
            for b in a.plan.beneficiaries {
                guard let p = pillars.firstIndex(of: a.problem.programs[b.program].pillar) else { continue }
                funds[p] += a.problem.programs[b.program].unitCost
                reached[p].insert(b.household)
            }
        }
        var out = "<h3>\(SVG.escape(t(.rpkdPrograms)))</h3><table><thead><tr><th>\(t(.pillar))</th><th>\(SVG.escape(t(.rpkdNeed)))</th>"
        if c.allocation != nil { out += "<th>\(t(.funds))</th><th>\(SVG.escape(heading(t(.householdsReached))))</th>" }
        out += "</tr></thead><tbody>"
        for p in pillars.indices.sorted(by: { (need[$0], $1) > (need[$1], $0) }) {
            out += "<tr><td>\(SVG.escape(t.pillar(pillars[p])))</td><td class=\"n\">\(t.whole(need[p]))</td>"
            if c.allocation != nil { out += "<td class=\"n\">\(t.rupiah(funds[p]))</td><td class=\"n\">\(t.whole(Double(reached[p].count)))</td>" }
            out += "</tr>"
        }
        return out + "</tbody></table>"
    }

    /// A label as a column heading: its first letter capitalised.
    static func heading(_ label: String) -> String { label.prefix(1).uppercased() + label.dropFirst() }
}
