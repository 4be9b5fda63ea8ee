import Foundation
import LinearAlgebra
import TepatData

/// The model of one stratum (or of all households), fitted in the two stages of
/// Docs/model.md with the registry seen only through chunks: the first stage needs
/// the survey alone; the registry contributes per-village sums of its index
/// (`ContextSums`); the second stage then yields the `RegistryPass` that predicts
/// the registry chunk by chunk. A run in memory and a streamed run both go
/// through these steps with the same chunks, so they agree to the last bit.
struct StratumFirstStage {
    let survey: SurveyDesign
    /// The household encoder, without the contextual covariates.
    let base: FeatureEncoder
    /// The household PMT without context, whose index the context averages.
    let fit: WLSResults
    /// The survey encoded by `base` (the fit's design, kept for the frame checks).
    let design: Matrix

    /// `registryCounts`: the registry's households per category level (see
    /// `FeatureEncoder.levelCounts`); a streamed run passes [:] here and the real
    /// counts to `withRegistryCounts` once it has read the registry.
    init(survey: SurveyDesign, registryCounts: [String: [Int]], villages: VillageList, options: ScoringOptions) throws {
        let base = try FeatureEncoder(
            survey: survey.households, registryCounts: registryCounts, villageCodes: villages.codes.map(\.value),
            minimumLevelCount: options.minimumLevelCount, kecamatanEffects: options.kecamatanEffects,
            strictCategories: options.strictCategories)
        guard survey.count > base.terms.count + 1 else {
            throw ScoringError.surveyTooSmall(rows: survey.count, terms: base.terms.count + 1)
        }
        let design = base.encode(survey.households)
        let fit = try WeightedLeastSquares(design: design, response: survey.response, weights: survey.weights,
                                           termNames: base.termNames).fit()
        self.init(survey: survey, base: base, fit: fit, design: design)
    }

    private init(survey: SurveyDesign, base: FeatureEncoder, fit: WLSResults, design: Matrix) {
        self.design = design
        self.survey = survey
        self.base = base
        self.fit = fit
    }

    /// The same stage with the registry's level counts known: the pooled levels
    /// are reported with their registry households, and `--strict-categories`
    /// is checked. The terms, and so the fit, depend on the survey only.
    func withRegistryCounts(_ counts: [String: [Int]], villages: VillageList, options: ScoringOptions) throws -> StratumFirstStage {
        let base = try FeatureEncoder(
            survey: survey.households, registryCounts: counts, villageCodes: villages.codes.map(\.value),
            minimumLevelCount: options.minimumLevelCount, kecamatanEffects: options.kecamatanEffects,
            strictCategories: options.strictCategories)
        precondition(base.terms == self.base.terms, "the PMT terms depend on the survey alone")
        return StratumFirstStage(survey: survey, base: base, fit: fit, design: design)
    }

    /// Fits the PMT with context, the nested-error model and the replicate draws.
    func secondStage(context sums: ContextSums, villages: VillageList, options: ScoringOptions, stream: UInt64) throws -> StratumSecondStage {
        let lnz = log(options.povertyLine)
        let context = sums.villageMeans
        let kecamatanContext = sums.kecamatanMeans(villages)
        let encoder = base.withContext(villageMean: context, kecamatanMean: kecamatanContext)
        let surveyDesign = encoder.encode(survey.households)
        let pmt = try WeightedLeastSquares(design: surveyDesign, response: survey.response, weights: survey.weights, termNames: encoder.termNames).fit()
        let nested = try NestedErrorModel(
            design: surveyDesign, response: survey.response, village: survey.village, villageCount: villages.count,
            ridge: options.ridge, seed: options.seed, keptColumns: pmt.keptColumns).fit()
        let smallArea = SmallAreaSummary(sigma2Eta: nested.sigma2Eta, sigma2Eps: nested.sigma2Eps, surveyVillages: nested.surveyVillages,
                                         replicates: options.bootstrap, ridge: nested.ridge)

        // Draws of the parameters from their distribution given the survey
        // (ModelPosterior), for what is evaluated under replicates later (a
        // plan's outcome); and the parametric bootstrap, for the villages' intervals.
        var sampler = NormalSampler(seed: options.seed, stream: 0xB00757 &+ stream)
        let draws = try nested.replicates(max(0, options.bootstrap), sampler: &sampler)
        let pool = RegistryPass.pool(nested.standardisedResiduals)
        // Replicate b of this stratum draws from stream (stratum + 1)·2³² + b of its own seed.
        let bootstrap = try nested.bootstrap(pool: pool, threads: options.threads).replicates(
            max(0, options.bootstrap), villageCount: villages.count, columns: surveyDesign.columns, kept: nested.keptColumns,
            seed: options.seed ^ 0xB0075_EB9, firstStream: (stream + 1) << 32)
        let pass = RegistryPass(
            encoder: encoder, coefficients: nested.coefficients,
            villageEffect: nested.villageEffects, villageEffectVariance: nested.villageEffectVariances,
            sigma2Eps: nested.sigma2Eps, residualPool: pool, logPovertyLine: lnz, bootstrap: bootstrap,
            seed: options.seed &+ stream &* 0x1000, chunkRows: options.chunkRows, threads: options.threads)
        return StratumSecondStage(pass: pass, pmt: pmt, smallArea: smallArea, pooled: base.pooled,
                                  balance: CovariateBalance.compare(base, design: design, weights: survey.weights, registry: sums),
                                  contributions: WelfareContributions(encoder: base, coefficients: nested.coefficients, registry: sums),
                                  replicates: .init(urban: nil, encoder: encoder, beta: draws.beta, eta: draws.eta, sigmaEps: draws.sigmaEps))
    }
}

/// A fitted stratum: the pass that predicts its registry households, and what
/// the outputs report of its model.
struct StratumSecondStage {
    let pass: RegistryPass
    let pmt: WLSResults
    let smallArea: SmallAreaSummary
    let pooled: [PooledLevel]
    let balance: [CovariateBalance]
    let contributions: WelfareContributions
    let replicates: ReplicatePredictor.Stratum
}

/// Per-village sums of the first-stage index over the registry: ELL's contextual
/// covariates are their means.
struct ContextSums {
    var sum: [Double]
    var count: [Double]
    /// Column sums of the first-stage design over the registry, and the
    /// households added: the registry's covariate means (`CovariateBalance`).
    var termSums: [Double] = []
    var households = 0.0

    init(villages: Int) {
        sum = [Double](repeating: 0, count: villages)
        count = sum
    }

    /// Adds households `rows` of `h`.
    mutating func add(_ stage: StratumFirstStage, _ h: HouseholdColumns, rows: Range<Int>) throws {
        let design = stage.base.encode(h, rows: rows)
        let index = try stage.fit.predict(design)
        if termSums.isEmpty { termSums = [Double](repeating: 0, count: design.columns) }
        design.storage.withUnsafeBufferPointer { x in
            for j in 0..<design.columns {
                var total = 0.0
                for i in 0..<design.rows { total += x[i + j * design.rows] }
                termSums[j] += total
            }
        }
        households += Double(design.rows)
        for (k, i) in rows.enumerated() {
            sum[Int(h.village[i])] += index[k]
            count[Int(h.village[i])] += 1
        }
    }

    var overallMean: Double { sum.reduce(0, +) / max(1, count.reduce(0, +)) }

    /// The village mean; a village without registry households gets the overall mean.
    var villageMeans: [Double] {
        let overall = overallMean
        return zip(sum, count).map { $1 > 0 ? $0 / $1 : overall }
    }

    /// The mean over each village's kecamatan, per village.
    func kecamatanMeans(_ villages: VillageList) -> [Double] {
        let overall = overallMean
        var kecamatan: [Int64: (sum: Double, count: Double)] = [:]
        for (v, code) in villages.codes.enumerated() {
            kecamatan[code.kecamatan.value, default: (0, 0)].sum += sum[v]
            kecamatan[code.kecamatan.value, default: (0, 0)].count += count[v]
        }
        return villages.codes.map { code -> Double in
            let k = kecamatan[code.kecamatan.value]!
            return k.count > 0 ? k.sum / k.count : overall
        }
    }
}
