import Foundation
import Spreadsheet
import TepatAllocation
import TepatData
import TepatScenario
import TepatScoring

/// The tables of a regional poverty plan (RPKD, Permendagri 53/2020), as
/// numbers: the poverty profile per kecamatan, the priority locations (the
/// villages of quadrant I by rank) and the priority programs per pillar. The
/// report draws them; results.xlsx holds them as sheets.
public enum RPKDTables {
    public struct KecamatanProfile: Sendable {
        public var name: String
        public var villages: Int
        public var persons: Double
        public var p0: Double
        public var poorPersons: Double
        public var p1: Double
        public var p2: Double
        public var quadrant: TKPKQuadrant
    }

    /// Kecamatan by P0, highest first.
    public static func profile(_ r: ScoringResult) -> [KecamatanProfile] {
        var villages: [String: Int] = [:], persons: [String: Double] = [:], p1: [String: Double] = [:], p2: [String: Double] = [:]
        for v in 0..<r.villages.count where r.ranking.quality[v] != .noData {
            let k = r.villages.kecamatanNames[v]
            villages[k, default: 0] += 1
            persons[k, default: 0] += r.measures.persons[v]
            p1[k, default: 0] += r.measures.persons[v] * r.measures.p1[v]
            p2[k, default: 0] += r.measures.persons[v] * r.measures.p2[v]
        }
        return TKPKQuadrant.kecamatan(r).sorted { ($0.p0, $1.name) > ($1.p0, $0.name) }.map { k in
            let n = persons[k.name]!
            return KecamatanProfile(name: k.name, villages: villages[k.name]!, persons: n, p0: k.p0, poorPersons: k.poor,
                                    p1: p1[k.name]! / n, p2: p2[k.name]! / n, quadrant: k.quadrant)
        }
    }

    /// The villages of quadrant I, in rank order.
    public static func priorityLocations(_ r: ScoringResult) -> [Int] {
        let quadrants = TKPKQuadrant.villages(r)
        return r.ranking.order.filter { quadrants[$0] == .first }
    }

    public struct PillarPlan: Sendable {
        public var pillar: String
        /// Expected poor households deprived in the pillar.
        public var need: Double
        public var funds: Int64
        public var householdsReached: Int
    }

    /// Per pillar, most need first: the need, and with a plan the funds and
    /// the distinct households it reaches there.
    public static func programs(_ r: ScoringResult, plan: (problem: FundAllocationProblem, plan: FundAllocation)?) -> [PillarPlan] {
        let pillars = Schemas.pillars
        var need = [Double](repeating: 0, count: pillars.count)
        for v in 0..<r.villages.count { for p in pillars.indices { need[p] += r.measures.need[v][p] } }
        var funds = [Int64](repeating: 0, count: pillars.count), reached = [Set<Int>](repeating: [], count: pillars.count)
        if let a = plan {
            for b in a.plan.beneficiaries {
                guard let p = pillars.firstIndex(of: a.problem.programs[b.program].pillar) else { continue }
                funds[p] += a.problem.programs[b.program].unitCost
                reached[p].insert(b.household)
            }
        }
        return pillars.indices.sorted { (need[$0], $1) > (need[$1], $0) }.map {
            PillarPlan(pillar: pillars[$0], need: need[$0], funds: funds[$0], householdsReached: reached[$0].count)
        }
    }

    /// The three tables as sheets of results.xlsx (columns named as rankings.csv's).
    public static func sheets(_ r: ScoringResult, plan: (problem: FundAllocationProblem, plan: FundAllocation)?) -> [SheetTable] {
        guard r.ranking.quality.contains(where: { $0 != .noData }) else { return [] }
        let profile = SheetTable(
            name: "profil_kemiskinan",
            header: ["nama_kecamatan", "villages", "persons", "p0", "poor_persons", "p1", "p2", "quadrant"],
            formats: [.text, .integer, .integer, .percent, .integer, .percent, .percent, .text],
            rows: Self.profile(r).map { k in
                [.text(k.name), .number(Double(k.villages)), .number(k.persons.rounded()), .number(k.p0), .number(k.poorPersons.rounded()),
                 .number(k.p1), .number(k.p2), .text(k.quadrant.rawValue)]
            })
        let locations = SheetTable(
            name: "lokasi_prioritas",
            header: ["rank", "kode_desa", "nama_desa", "nama_kecamatan", "p0", "poor_persons", "idm_status", "top_deprivations"],
            formats: [.integer, .text, .text, .text, .percent, .integer, .text, .text],
            rows: priorityLocations(r).map { v in
                [.number(Double(r.ranking.rank[v])), .text(r.villages.codes[v].description), .text(r.villages.names[v]),
                 .text(r.villages.kecamatanNames[v]), .number(r.measures.p0[v]), .number(r.measures.poorPersons[v].rounded()),
                 .text(r.villages.idmStatus[v]), .text(ScoringOutputs.topDeprivations(r.measures.deprivationShare[v]))]
            })
        let programs = SheetTable(
            name: "program_prioritas",
            header: ["pillar", "poor_households_deprived"] + (plan == nil ? [] : ["funds_rp", "households_reached"]),
            formats: [.text, .integer] + (plan == nil ? [] : [.rupiah, .integer]),
            rows: Self.programs(r, plan: plan).map { p in
                [.text(p.pillar), .number(p.need.rounded())] + (plan == nil ? [] : [.number(Double(p.funds)), .number(Double(p.householdsReached))])
            })
        return [profile, locations, programs]
    }
}
