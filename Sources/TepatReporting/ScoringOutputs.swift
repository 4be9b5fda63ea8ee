import Foundation
import TepatData
import TepatScenario
import TepatScoring

/// The scoring files of a run directory (Docs/outputs.md): rankings.csv,
/// households_scored.csv, pmt_coefficients.csv. Column names are a contract.
public enum ScoringOutputs {
    /// Pillar columns of rankings.csv, in Docs/outputs.md's order.
    static let needPillars = ["housing", "environment", "education", "health", "economy", "social"]

    static let rankingsHeader = ["rank", "kode_desa", "nama_desa", "nama_kecamatan", "households", "persons", "p0", "p1", "p2",
                                 "poor_persons", "poor_households", "rank_lo", "rank_hi", "p0_lo", "p0_hi", "share_desil_1_4",
                                 "mpi_h", "mpi_a", "mpi_m0", "score", "top_deprivations"] + needPillars.map { "need_" + $0 }
        + ["idm_status", "lat", "lon", "p0_cv", "quality", "quadrant"]
    /// The estimated columns from p0 to score, which a village without data leaves empty.
    static let estimateColumns = rankingsHeader.firstIndex(of: "top_deprivations")! - rankingsHeader.firstIndex(of: "p0")!

    public static func writeRankings(_ r: ScoringResult, to path: String, dialect: CSVDialect = .standard) throws {
        let w = try dialect.writer(path: path, header: rankingsHeader)
        let quadrants = TKPKQuadrant.villages(r)
        for v in r.ranking.order {
            if r.ranking.quality[v] == .noData { writeVillageWithoutData(v, r, w) } else { writeRankedVillage(v, r, w) }
            w.text(quadrants[v]?.rawValue ?? "")
            try w.endRow()
        }
        try w.close()
    }

    private static func writeRankedVillage(_ v: Int, _ r: ScoringResult, _ w: CSVWriter) {
        let m = r.measures
        w.integer(r.ranking.rank[v])
        writeName(v, r, w)
        w.integer(m.households[v])
        w.integer(Int(m.persons[v].rounded()))
        w.number(m.p0[v]); w.number(m.p1[v]); w.number(m.p2[v])
        w.number(m.poorPersons[v], decimals: 2)
        w.number(m.poorHouseholds[v], decimals: 2)
        w.integer(r.ranking.rankLow[v]); w.integer(r.ranking.rankHigh[v])
        w.number(r.ranking.p0Low[v]); w.number(r.ranking.p0High[v])
        w.number(m.shareDesil1to4[v])
        w.number(m.mpi[v].h); w.number(m.mpi[v].a); w.number(m.mpi[v].m0)
        w.number(m.score[v])
        w.text(topDeprivations(m.deprivationShare[v]))
        for p in pillarIndex { w.number(m.need[v][p], decimals: 2) }
        writePlace(v, r, w)
        w.number(r.ranking.p0CV[v], decimals: 4)
        w.text(r.ranking.quality[v].rawValue)
    }

    /// A village with no registry household: its name and place, and nothing
    /// estimated (empty fields, not zeros that would read as "no poverty").
    private static func writeVillageWithoutData(_ v: Int, _ r: ScoringResult, _ w: CSVWriter) {
        w.empty()
        writeName(v, r, w)
        w.integer(0); w.integer(0)
        for _ in 0..<estimateColumns { w.empty() }
        w.text("")
        for _ in pillarIndex { w.empty() }
        writePlace(v, r, w)
        w.empty()
        w.text(r.ranking.quality[v].rawValue)
    }

    private static func writeName(_ v: Int, _ r: ScoringResult, _ w: CSVWriter) {
        w.text(r.villages.codes[v].description)
        w.text(r.villages.names[v])
        w.text(r.villages.kecamatanNames[v])
    }

    private static func writePlace(_ v: Int, _ r: ScoringResult, _ w: CSVWriter) {
        w.text(r.villages.idmStatus[v])
        if r.villages.lat[v].isFinite && r.villages.lon[v].isFinite {
            w.fixed(r.villages.lat[v], decimals: 6); w.fixed(r.villages.lon[v], decimals: 6)
        } else { w.empty(); w.empty() }
    }

    static let pillarIndex = needPillars.map { Schemas.pillars.firstIndex(of: $0)! }

    /// "housing 62%; sanitation 48%; livelihood 31%": the three deprivations most
    /// common among the village's expected poor households (ties: Docs/model.md order).
    public static func topDeprivations(_ shares: [Double]) -> String {
        mostCommonDeprivations(shares).map { "\(Deprivation.allCases[$0].rawValue) \(Int((100 * shares[$0]).rounded()))%" }
            .joined(separator: "; ")
    }

    /// The positions (`Deprivation.allCases` order) of the three largest
    /// shares above zero, largest first, ties in that order.
    static func mostCommonDeprivations(_ shares: [Double]) -> [Int] {
        let order = shares.indices.sorted { shares[$0] != shares[$1] ? shares[$0] > shares[$1] : $0 < $1 }
        return order.prefix(3).filter { shares[$0] > 0 }
    }

    /// households_scored.csv's columns. log_welfare_mean and log_welfare_sd are
    /// the predictive distribution of ln welfare per capita (normal), from which
    /// p_poor = Φ((ln z − mean)/sd) and every expected FGT follow; empty with the
    /// asset index, which has no money-metric model.
    public static let householdsHeader = ["household_id", "kode_desa", "welfare_pc", "desil", "p_poor", "log_welfare_mean", "log_welfare_sd"]

    /// One row per household: no NIK, no names.
    public static func writeHouseholds(_ r: ScoringResult, households: Table, to path: String, dialect: CSVDialect = .standard) throws {
        let w = try dialect.writer(path: path, header: householdsHeader)
        let ids = households.texts("household_id")
        let codes = households.regionCodes("kode_desa")
        let h = r.households
        var codeText: [Int64: String] = [:]  // formatted once per village, not per household
        for i in 0..<households.rowCount {
            w.text(ids[i])
            w.text(codeText[codes[i].value] ?? { let text = codes[i].description; codeText[codes[i].value] = text; return text }())
            if r.method == .pmt { w.integer(Int64(h.welfare[i].rounded())) } else { w.number(h.welfare[i]) }
            w.integer(h.desil[i])
            w.number(h.p0[i])
            if r.method == .pmt {
                w.number(h.logMean[i], decimals: 12)
                w.number(h.logSD[i], decimals: 12)
            } else {
                w.empty(); w.empty()
            }
            try w.endRow()
        }
        try w.close()
    }

    /// households_scored.csv of a streamed run, read back from its spill in file
    /// order: the same bytes as the run in memory writes.
    public static func writeHouseholds(_ streamed: StreamingScorer.Output, villages: VillageList, to path: String) throws {
        let w = try CSVWriter(path: path, header: householdsHeader)
        let codes = villages.codes.map(\.description)
        try streamed.spill.forEach { r in
            w.text(String(decoding: r.id, as: UTF8.self))
            w.text(codes[r.village])
            w.integer(Int64(exp(r.logMean).rounded()))
            w.integer(streamed.deciles(r))
            w.number(r.p0)
            w.number(r.logMean, decimals: 12)
            w.number(r.logSD, decimals: 12)
            try w.endRow()
        }
        try w.close()
    }

    /// One row per term of each model; `stratum` is "all", or "urban"/"rural"
    /// with `--strata urban_rural`.
    public static func writeCoefficients(_ models: [StratumModel], to path: String, dialect: CSVDialect = .standard) throws {
        let w = try dialect.writer(path: path, header: ["term", "estimate", "se", "se_hc1", "status", "stratum"])
        for model in models {
            let pmt = model.pmt
            let dropped = Set(pmt.dropped)
            for (j, term) in pmt.termNames.enumerated() {
                w.text(term)
                if dropped.contains(term) {
                    w.empty(); w.empty(); w.empty(); w.text("dropped: collinear with other terms")
                } else {
                    w.number(pmt.coefficients[j], decimals: 8)
                    w.number(pmt.standardErrors[j], decimals: 8)
                    w.number(pmt.standardErrorsHC1[j], decimals: 8)
                    w.text("estimated")
                }
                w.text(model.name)
                try w.endRow()
            }
        }
        try w.close()
    }
}

extension ScoringOutputs {
    /// Rows left out under `--on-error skip`, with where and why (values masked
    /// as in messages, so no NIK is written).
    public static func writeRejected(_ problems: ProblemLog, to path: String) throws {
        let w = try CSVWriter(path: path, header: ["file", "line", "column", "value", "reason"])
        for p in problems.problems {
            w.text(p.file); w.integer(p.line); w.text(p.column ?? ""); w.text(p.value ?? ""); w.text(p.message)
            try w.endRow()
        }
        try w.close()
    }
}

extension CSVDialect {
    func writer(path: String, header: [String]) throws -> CSVWriter {
        switch self {
        case .standard: return try CSVWriter(path: path, header: header)
        case .excelID: return try CSVWriter(path: path, header: header, delimiter: UInt8(ascii: ";"), decimalMark: UInt8(ascii: ","))
        }
    }
}
