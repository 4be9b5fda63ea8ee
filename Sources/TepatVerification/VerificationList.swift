import Foundation
import TepatData
import TepatScoring

/// Why a household is on the list.
public enum VerificationReason: String, Sendable, CaseIterable {
    /// The model puts it among the poorest 40% but its registry desil is above
    /// 4, so it misses the desil 1–4 programs (PKH, Sembako, PBI).
    case likelyExcluded = "likely_excluded"
    /// Registry desil 1–4, but the model puts it above the poorest 40%.
    case likelyIncluded = "likely_included"
}

/// The rule's settings (scenario section `verification`).
public struct VerificationOptions: Sendable, Equatable {
    /// A household is listed when the probability that its registry desil is
    /// on the wrong side of 4 is at least this. Chosen by measurement on
    /// generated kabupaten with known truth (Docs/verification.md): at 0.8
    /// nearly nine in ten listed households are what the list says they are.
    public var minimumProbability = 0.8
    /// A household is listed as likely excluded only when the model also puts
    /// it below the poverty line with at least this probability (p_poor): the
    /// households most at stake, and, measured, those where the model is
    /// right most often (Docs/verification.md).
    public var minimumPPoor = 0.7
    /// Households listed per village at most: a village meeting can visit
    /// about this many in the days before it sits.
    public var maximumPerVillage = 25

    public init() {}
}

/// One household to verify.
public struct VerificationCase: Sendable, Equatable {
    /// Position in households.csv.
    public var household: Int
    public var village: Int
    public var reason: VerificationReason
    /// 1 = verify first within its village.
    public var priority: Int
    /// The probability that the registry's desil is on the wrong side of 4.
    public var probability: Double
    public var registryDesil: Int
    public var modelDesil: Int
    public var pPoor: Double
    public var members: Int
    public var evidence: String
}

/// The households whose registry desil and model disagree most, per village,
/// capped, most likely wrong and most persons at stake first.
public struct VerificationList: Sendable {
    public var cases: [VerificationCase]
    public var model: RegistryDesilModel
    /// Households that met the rule before the per-village cap, per reason.
    public var eligible: [VerificationReason: Int]
    public var options: VerificationOptions

    public enum Unavailable: Error, CustomStringConvertible, Equatable {
        case noModel, tooFewDesil
        public var description: String {
            switch self {
            case .noModel: return "the verification list needs the PMT's predictive distribution, which needs survey.csv"
            case .tooFewDesil: return "fewer than 100 households have a registry desil"
            }
        }
    }

    /// - Parameters:
    ///   - registryDesil: households.csv's desil, `Table.missingInteger` where empty.
    ///   - verified: households a village meeting has already decided (households.csv's
    ///     `verifikasi`); they are not listed again.
    ///   - screeningMargin: how far below the threshold the model-alone
    ///     probability may be and the household still be weighed in full (a
    ///     test checks that 1 loses no household to the screen).
    public static func build(
        result: ScoringResult, registryDesil: [Int32], verified: [Bool]? = nil, options: VerificationOptions = VerificationOptions(),
        screeningMargin: Double = 0.2
    ) throws(Unavailable) -> VerificationList {
        let h = result.registry, s = result.households
        guard !result.models.isEmpty, s.logMean.count == h.count else { throw .noModel }
        guard let model = RegistryDesilModel.fit(logMean: s.logMean, logSD: s.logSD, members: h.members, desil: registryDesil)
        else { throw .tooFewDesil }
        let found = (0..<h.count).compactMap { i -> VerificationCase? in
            guard verified?[i] != true else { return nil }
            return weigh(household: i, desil: Int(registryDesil[i]), result, model, options, screeningMargin: screeningMargin)
        }
        var eligible: [VerificationReason: Int] = [:]
        for c in found { eligible[c.reason, default: 0] += 1 }
        var cases = capped(found, ids: h.ids, perVillage: options.maximumPerVillage)
        for k in cases.indices {
            let i = cases[k].household
            guard let contributions = stratum(of: i, result)?.contributions else { continue }
            cases[k].evidence = Evidence.text(h, household: i, contributions: contributions, poorer: cases[k].reason == .likelyExcluded)
        }
        return VerificationList(cases: cases, model: model, eligible: eligible, options: options)
    }

    /// Household `i` as a case when it meets the rule; nil otherwise.
    static func weigh(
        household i: Int, desil: Int, _ result: ScoringResult, _ model: RegistryDesilModel, _ options: VerificationOptions,
        screeningMargin: Double
    ) -> VerificationCase? {
        let h = result.registry, s = result.households
        guard (1...10).contains(desil) else { return nil }
        let reason: VerificationReason = desil > 4 ? .likelyExcluded : .likelyIncluded
        guard reason == .likelyIncluded || s.p0[i] >= options.minimumPPoor else { return nil }
        // The registry's desil pulls the probability towards its own side, so
        // a household the model alone does not put clearly on the other side
        // cannot qualify: screened out before the integral.
        let modelAlone = Normal.cdf((model.poorestCut - s.logMean[i]) / s.logSD[i])
        guard (reason == .likelyExcluded ? modelAlone : 1 - modelAlone) >= options.minimumProbability - screeningMargin else { return nil }
        let poorest = model.probabilityPoorest(mean: s.logMean[i], sd: s.logSD[i], desil: desil)
        let probability = reason == .likelyExcluded ? poorest : 1 - poorest
        guard probability >= options.minimumProbability else { return nil }
        return VerificationCase(
            household: i, village: Int(h.village[i]), reason: reason, priority: 0, probability: probability,
            registryDesil: desil, modelDesil: s.desil[i], pPoor: s.p0[i], members: Int(h.members[i]), evidence: "")
    }

    /// Each village's cases by stake (probability × members), ties by
    /// household_id, cut to `perVillage`; villages in code order.
    static func capped(_ found: [VerificationCase], ids: TextColumn, perVillage: Int) -> [VerificationCase] {
        let byVillage = Dictionary(grouping: found, by: \.village)
        var result: [VerificationCase] = []
        for village in byVillage.keys.sorted() {
            let ordered = byVillage[village]!.sorted { a, b in
                let sa = a.probability * Double(a.members), sb = b.probability * Double(b.members)
                return sa != sb ? sa > sb : ids[a.household] < ids[b.household]
            }
            for (k, var c) in ordered.prefix(perVillage).enumerated() {
                c.priority = k + 1
                result.append(c)
            }
        }
        return result
    }

    /// The stratum model that predicted household `i`.
    static func stratum(of i: Int, _ result: ScoringResult) -> StratumModel? {
        guard result.models.count > 1 else { return result.models.first }
        let name = result.registry.isUrban[i] ? "urban" : "rural"
        return result.models.first { $0.name == name }
    }

    /// Listed households per reason.
    public func count(_ reason: VerificationReason) -> Int { cases.filter { $0.reason == reason }.count }
}
