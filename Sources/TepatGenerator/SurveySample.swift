import Foundation

/// A SUSENAS-like survey: villages (standing in for census blocks) drawn by
/// systematic sampling with probability proportional to their number of
/// households, in code order so the sample spreads over the kecamatan as BPS's
/// implicit stratification does; then `perVillage` households in each by simple
/// random sampling. A household's weight is the inverse of its inclusion
/// probability, N_v / (π_v · m_v) with m_v = min(perVillage, N_v), so the
/// weights add up to an unbiased estimate of the number of households.
public struct SurveySample: Sendable {
    /// SUSENAS interviews 10 households per census block.
    public static let defaultPerVillage = 10

    /// About a sixth of a kabupaten's villages (SUSENAS: 60–80 blocks of some
    /// 400 villages), at least 20.
    public static func defaultVillages(of villageCount: Int) -> Int {
        max(20, Int((Double(villageCount) / 6).rounded()))
    }

    public let perVillage: Int
    /// Expansion weight of a survey household of each village; 0 where the
    /// village is not sampled.
    public let weight: [Double]

    /// `households`: households per village, in code order. A village with
    /// fewer households than `perVillage` is surveyed whole if drawn.
    public init(households: [Int], villages requested: Int?, perVillage: Int, rng: inout SeededRandom) throws {
        guard perVillage >= 1 else { throw GeneratorError("--survey-per-village must be at least 1") }
        if let requested, requested < 1 { throw GeneratorError("--survey-villages must be at least 1") }
        let eligible = households.indices.filter { households[$0] > 0 }
        let wanted = min(eligible.count, requested ?? Self.defaultVillages(of: households.count))
        let probability = Self.inclusionProbabilities(sizes: eligible.map { Double(households[$0]) }, sample: wanted)
        var weight = [Double](repeating: 0, count: households.count)
        for k in Self.systematic(probability, rng: &rng) {
            let v = eligible[k]
            weight[v] = Double(households[v]) / (probability[k] * Double(min(perVillage, households[v])))
        }
        self.perVillage = perVillage
        self.weight = weight
    }

    /// π_i = n s_i / Σ s, with villages whose π would reach 1 taken with
    /// certainty and the rest of the sample spread over the others.
    static func inclusionProbabilities(sizes: [Double], sample n: Int) -> [Double] {
        var probability = [Double](repeating: 0, count: sizes.count)
        var certain = Set<Int>()
        while true {
            let rest = sizes.indices.filter { !certain.contains($0) }
            let left = n - certain.count
            let total = rest.reduce(0) { $0 + sizes[$1] }
            let newlyCertain = rest.filter { Double(left) * sizes[$0] >= total }
            if newlyCertain.isEmpty || left <= 0 {
                for i in rest { probability[i] = left > 0 ? Double(left) * sizes[i] / total : 0 }
                for i in certain { probability[i] = 1 }
                return probability
            }
            certain.formUnion(newlyCertain.prefix(left))
        }
    }

    /// Systematic selection: one random start in [0, 1), then every unit step
    /// along the cumulated probabilities (which add up to the sample size).
    static func systematic(_ probability: [Double], rng: inout SeededRandom) -> [Int] {
        var point = rng.uniform()
        var cumulated = 0.0
        var selected: [Int] = []
        for (i, p) in probability.enumerated() {
            cumulated += p
            // A certain unit has p = 1, so exactly one point falls in it.
            while point < cumulated - 1e-12 {
                if selected.last != i { selected.append(i) }
                point += 1
            }
        }
        return selected
    }
}
