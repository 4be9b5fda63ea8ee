import Foundation
import LinearAlgebra

/// How a survey covariate's mean compares between the survey and the registry
/// the model is applied to. DTKS and P3KE extracts cover the poorer part of a
/// village; a model fitted on everyone and applied to them is biased where
/// the two differ.
public struct CovariateBalance: Sendable, Equatable {
    public var term: String
    /// Weighted by the survey's expansion weights.
    public var surveyMean: Double
    public var registryMean: Double
    /// (survey − registry) / the survey's standard deviation of the term.
    public var standardisedDifference: Double

    /// Above this |standardised difference| a term is reported as a warning
    /// (a common threshold for covariate balance).
    public static let warningDifference = 0.25

    /// Every term of `encoder` but the intercept and terms constant in the
    /// survey, whose `design` (encoded by it) the fit already made; largest
    /// |difference| first (ties by term order).
    static func compare(_ encoder: FeatureEncoder, design x: Matrix, weights: [Double], registry: ContextSums) -> [CovariateBalance] {
        guard registry.households > 0 else { return [] }
        let totalWeight = weights.reduce(0, +)
        var result: [CovariateBalance] = []
        for (j, name) in encoder.termNames.enumerated() where encoder.terms[j] != .intercept {
            var mean = 0.0
            for i in 0..<x.rows { mean += weights[i] * x[i, j] }
            mean /= totalWeight
            var variance = 0.0
            for i in 0..<x.rows { variance += weights[i] * (x[i, j] - mean) * (x[i, j] - mean) }
            let sd = (variance / totalWeight).squareRoot()
            guard sd > 0 else { continue }
            let registryMean = registry.termSums[j] / registry.households
            result.append(CovariateBalance(term: name, surveyMean: mean, registryMean: registryMean,
                                           standardisedDifference: (mean - registryMean) / sd))
        }
        return result.enumerated().sorted {
            abs($0.element.standardisedDifference) != abs($1.element.standardisedDifference)
                ? abs($0.element.standardisedDifference) > abs($1.element.standardisedDifference) : $0.offset < $1.offset
        }.map(\.element)
    }
}

/// Registry persons against villages.csv `population`: DTSEN aims at everyone,
/// DTKS and P3KE only at the poorer part of a village.
public struct RegistryCoverage: Sendable, Equatable {
    /// Over the villages whose population villages.csv gives.
    public var registryPersons: Double
    public var population: Double
    public var villagesWithPopulation: Int
    /// Villages whose registry holds under half of their population, and
    /// villages whose registry holds more persons than their population.
    public var villagesUnderHalf: Int
    public var villagesOverPopulation: Int

    public var share: Double { population > 0 ? registryPersons / population : 0 }

    /// nil when villages.csv gives no population.
    public init?(persons: [Double], population: [Double]) {
        let given = population.indices.filter { population[$0].isFinite && population[$0] > 0 }
        guard !given.isEmpty else { return nil }
        registryPersons = given.reduce(0) { $0 + persons[$1] }
        self.population = given.reduce(0) { $0 + population[$1] }
        villagesWithPopulation = given.count
        villagesUnderHalf = given.filter { persons[$0] < 0.5 * population[$0] }.count
        villagesOverPopulation = given.filter { persons[$0] > population[$0] }.count
    }
}
