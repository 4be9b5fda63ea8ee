import Foundation
import TepatData

extension Accuracy {
    /// Compares predictions with truth.csv. Villages' true measures use the same
    /// standardisation as the point score, so true ranks are on the same scale.
    static func measure(
        truth: Table, registry: HouseholdColumns, scores: HouseholdScores, measures: VillageMeasures,
        ranking: VillageRanking, villages: VillageList, standardisation: Standardisation, options: ScoringOptions
    ) throws -> Accuracy {
        let consumption = TrueWelfare.consumption(truth: truth, ids: registry.ids)
        let n = registry.count
        let m = registry.members
        let z = options.povertyLine
        let total = m.reduce(0, +)
        let trueDesil = TrueWelfare.deciles(consumption: consumption, members: m)
        let eligible = trueDesil.map { $0 <= 4 }
        var selected = 0.0, eligibleCount = 0.0, both = 0.0, poor = 0.0, poorSelected = 0.0
        for h in 0..<n where consumption[h].isFinite {
            let s = scores.desil[h] <= 4
            if s { selected += m[h] }
            if eligible[h] { eligibleCount += m[h] }
            if s && eligible[h] { both += m[h] }
            if consumption[h] < z { poor += m[h]; if s { poorSelected += m[h] } }
        }
        let nonEligible = total - eligibleCount

        // True village measures.
        let v = villages.count
        var trueP0 = [Double](repeating: 0, count: v), trueP2 = trueP0, truePoor = trueP0, trueDesilLow = trueP0
        for h in 0..<n {
            let k = Int(registry.village[h])
            if consumption[h] < z {
                let gap = 1 - consumption[h] / z
                truePoor[k] += m[h]
                trueP2[k] += m[h] * gap * gap
            }
            if trueDesil[h] <= 4 { trueDesilLow[k] += 1 }
        }
        for k in 0..<v where measures.persons[k] > 0 {
            trueP0[k] = truePoor[k] / measures.persons[k]
            trueP2[k] /= measures.persons[k]
            trueDesilLow[k] /= Double(max(1, measures.households[k]))
        }
        let keys: [Double] = (0..<v).map { k in
            switch options.rankBy {
            case .score:
                return standardisation.score(p0: trueP0[k], p2: trueP2[k], poor: truePoor[k], m0: measures.mpi[k].m0, desil: trueDesilLow[k], weights: options.weights)
            case .p0: return trueP0[k]
            case .poor: return truePoor[k]
            }
        }
        // True ranks among the villages that are ranked: those with households.
        let scored = (0..<v).filter { measures.households[$0] > 0 }
        let trueOrder = scored.sorted { keys[$0] != keys[$1] ? keys[$0] > keys[$1] : villages.codes[$0].value < villages.codes[$1].value }
        var trueRank = [Int](repeating: 0, count: v)
        for (position, k) in trueOrder.enumerated() { trueRank[k] = position + 1 }
        let rankHits = scored.filter { ranking.rankLow[$0] <= trueRank[$0] && trueRank[$0] <= ranking.rankHigh[$0] }.count
        let p0Hits = scored.filter { ranking.p0Low[$0] <= trueP0[$0] && trueP0[$0] <= ranking.p0High[$0] }.count
        let rankWidths = scored.map { Double(ranking.rankHigh[$0] - ranking.rankLow[$0]) }.sorted()
        let p0Widths = scored.map { ranking.p0High[$0] - ranking.p0Low[$0] }.sorted()
        return Accuracy(
            inclusionError: selected > 0 ? (selected - both) / selected : 0,
            exclusionError: eligibleCount > 0 ? (eligibleCount - both) / eligibleCount : 0,
            coverage: poor > 0 ? poorSelected / poor : 0,
            leakage: selected > 0 ? (selected - poorSelected) / selected : 0,
            targetingDifferential: (eligibleCount > 0 ? both / eligibleCount : 0) - (nonEligible > 0 ? (selected - both) / nonEligible : 0),
            cgh: selected > 0 ? both / selected / 0.4 : 0,
            spearmanP0: Spearman.correlation(scored.map { measures.p0[$0] }, scored.map { trueP0[$0] }),
            rankIntervalCoverage: Double(rankHits) / Double(max(1, scored.count)),
            p0IntervalCoverage: Double(p0Hits) / Double(max(1, scored.count)),
            medianRankIntervalWidth: rankWidths.isEmpty ? 0 : Quantile.of(sorted: rankWidths, 0.5),
            medianP0IntervalWidth: p0Widths.isEmpty ? 0 : Quantile.of(sorted: p0Widths, 0.5),
            trueP0: poor / total)
    }

}

/// Households by their true consumption (truth.csv of generated data), for
/// measuring targeting: eligible means among the poorest 40% of persons.
public enum TrueWelfare {
    /// True consumption in household order; NaN where truth.csv has no row.
    public static func consumption(truth: Table, ids: TextColumn) -> [Double] {
        let truthIDs = truth.texts("household_id"), values = truth.numbers("consumption_pc")
        if truthIDs == ids { return values }
        var byID: [String: Double] = [:]
        for i in 0..<truthIDs.count { byID[truthIDs[i]] = values[i] }
        return (0..<ids.count).map { byID[ids[$0]] ?? .nan }
    }

    /// Member-weighted deciles of true consumption (ties by position): desil
    /// 1–4 are the poorest 40% of persons.
    public static func deciles(consumption: [Double], members: [Double]) -> [Int] {
        let order = consumption.indices.sorted { consumption[$0] != consumption[$1] ? consumption[$0] < consumption[$1] : $0 < $1 }
        let total = members.reduce(0, +)
        var decile = [Int](repeating: 10, count: consumption.count)
        var before = 0.0
        for h in order {
            decile[h] = min(10, Int((10 * before / total).rounded(.down)) + 1)
            before += members[h]
        }
        return decile
    }
}
