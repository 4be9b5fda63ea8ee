import Foundation

/// What moves one household's predicted log welfare away from the registry's
/// average household, indicator by indicator: β_j (x_hj − x̄_j) summed over the
/// terms built from the same household column. The verification list quotes
/// the largest of them as its evidence. Village-level terms (kecamatan effects,
/// contextual means, urban) describe the place, not the household, and are left
/// out.
public struct WelfareContributions: Sendable {
    /// The encoder without the contextual covariates: the household's own terms.
    let encoder: FeatureEncoder
    /// The coefficient of each of `encoder`'s terms in the fitted model.
    let coefficients: [Double]
    /// The registry's mean of each of `encoder`'s terms.
    let means: [Double]

    init(encoder: FeatureEncoder, coefficients: [Double], registry: ContextSums) {
        self.encoder = encoder
        self.coefficients = Array(coefficients.prefix(encoder.terms.count))
        self.means = registry.households > 0 ? registry.termSums.map { $0 / registry.households }
            : [Double](repeating: 0, count: encoder.terms.count)
    }

    /// Per household column, the household's contribution in log points, in
    /// the order the columns first appear among the terms.
    public func contributions(_ h: HouseholdColumns, household i: Int) -> [(column: String, logPoints: Double)] {
        let x = encoder.encode(h, rows: i..<(i + 1))
        var result: [(column: String, logPoints: Double)] = []
        for (j, term) in encoder.terms.enumerated() {
            guard let column = term.householdColumn, j < means.count else { continue }
            let part = coefficients[j] * (x[0, j] - means[j])
            if let k = result.firstIndex(where: { $0.column == column }) {
                result[k].logPoints += part
            } else {
                result.append((column, part))
            }
        }
        return result
    }
}

extension Term {
    /// The households.csv column a term is built from; nil for terms that
    /// describe the village or kecamatan rather than the household.
    var householdColumn: String? {
        switch self {
        case .intercept, .urban, .kecamatan, .villageMeanIndex, .kecamatanMeanIndex: return nil
        case .logMembers: return "members"
        case .logFloorAreaPerCapita: return "floor_area_m2"
        case .value(let c), .logOnePlus(let c), .ordinal(let c), .level(let c, _): return c
        case .headAgeSquared: return "head_age"
        }
    }
}
