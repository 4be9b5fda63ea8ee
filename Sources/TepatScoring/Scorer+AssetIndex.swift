import Foundation
import TepatData

extension Scorer {
    /// Without a survey: households ordered by the first principal component
    /// of their indicators.
    static func assetIndexWelfare(registry: HouseholdColumns, villages: VillageList, options: ScoringOptions, clock: StageClock) throws -> Welfare {
        let encoder = try FeatureEncoder(survey: registry, registry: registry, villageCodes: villages.codes.map(\.value), minimumLevelCount: 1)
        clock.lap("encode")
        let columns = Array(1..<encoder.terms.count)  // all but the intercept
        let design = encoder.encode(registry).selectingColumns(columns)
        let richer = columns.firstIndex { encoder.terms[$0] == .value("has_refrigerator") } ?? 0
        let fit = try AssetIndex(design: design).fit(richerColumn: richer)
        let index = try fit.score(design)
        clock.lap("pmt")
        return Welfare(pass: assetIndexPass(index: index, registry: registry, villageCount: villages.count, options: options),
                       explainedShare: fit.explainedShare)
    }

    /// Without consumption the asset index only orders households: the poorest
    /// `assumedHeadcount` of persons count as poor, P1 and P2 are not defined (0),
    /// and intervals come from resampling households within each village (a
    /// replicate's error is its resample's poor persons less the village's).
    static func assetIndexPass(index: [Double], registry: HouseholdColumns, villageCount: Int, options: ScoringOptions) -> RegistryPass.Output {
        let n = registry.count
        let order = index.indices.sorted { index[$0] != index[$1] ? index[$0] < index[$1] : $0 < $1 }
        let total = registry.members.reduce(0, +)
        var poor = [Double](repeating: 0, count: n)
        var before = 0.0
        for h in order {
            if before < options.assumedHeadcount * total { poor[h] = 1 }
            before += registry.members[h]
        }
        let replicates = max(0, options.bootstrap)
        var sums = ReplicateSums(villages: villageCount, replicates: replicates)
        var members: [[Int]] = Array(repeating: [], count: villageCount)
        for h in 0..<n { members[Int(registry.village[h])].append(h) }
        var sampler = NormalSampler(seed: options.seed, stream: 0xA55E7)
        for v in 0..<villageCount where !members[v].isEmpty {
            let list = members[v]
            let pointPoor = list.reduce(0) { $0 + poor[$1] * registry.members[$1] }
            for b in 0..<replicates {
                var sum = 0.0
                for _ in list.indices {
                    // Uniform pick from the normal stream's bits: fold |N| into [0, 1).
                    let u = Normal.cdf(sampler.normal())
                    let h = list[min(list.count - 1, Int(u * Double(list.count)))]
                    sum += poor[h] * registry.members[h]
                }
                sums.poorError[v + b * villageCount] = sum - pointPoor
            }
        }
        let zeros = [Double](repeating: 0, count: n)
        return RegistryPass.Output(
            logMean: index, logSD: zeros, fgt: (poor, zeros, zeros),
            replicates: sums)
    }
}
