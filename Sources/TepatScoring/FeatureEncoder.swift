import Foundation
import LinearAlgebra
import TepatData

/// One column of the PMT design, named so a reader of pmt_coefficients.csv knows
/// exactly what it measures.
public enum Term: Sendable, Hashable {
    case intercept
    case logMembers
    case logFloorAreaPerCapita
    /// An integer column used as a number (counts, 0/1 answers, ordinal codes).
    case value(String)
    /// log(1 + count), for livestock.
    case logOnePlus(String)
    case headAgeSquared
    /// 1 when category column == level (the column's reference level has no term).
    case level(String, String)
    /// A category's position in its ordered list (electricity_va: 0, 450, … 3500).
    case ordinal(String)
    case urban
    /// Kecamatan fixed effect (optional).
    case kecamatan(Int64)
    /// Village mean of the first-stage PMT index over the whole registry (ELL's
    /// contextual covariate): explains most of the village effect.
    case villageMeanIndex
    /// Kecamatan mean of the same index: the part of the village effect shared
    /// by neighbouring villages (ELL practice uses area means at every level).
    case kecamatanMeanIndex

    public var name: String {
        switch self {
        case .intercept: return "(intercept)"
        case .logMembers: return "log(members)"
        case .logFloorAreaPerCapita: return "log(floor_area_m2 / members)"
        case .value(let c): return c
        case .logOnePlus(let c): return "log(1 + \(c))"
        case .headAgeSquared: return "head_age^2 / 100"
        case .level(let c, let l): return "\(c)=\(l)"
        case .ordinal(let c): return "\(c) (ordinal)"
        case .urban: return "kelurahan (urban)"
        case .kecamatan(let k): return "kecamatan=\(RegionCode(value: k, level: .kecamatan)?.description ?? String(k))"
        case .villageMeanIndex: return "village mean PMT index"
        case .kecamatanMeanIndex: return "kecamatan mean PMT index"
        }
    }
}

/// A category level left out of the design because the survey has too few
/// households with it; its households are scored as the reference level.
public struct PooledLevel: Sendable, Equatable, Codable {
    public var column: String
    public var level: String
    public var surveyHouseholds: Int
    public var registryHouseholds: Int
}

/// Turns household indicators into the PMT design matrix. The same encoder, built
/// from the survey, encodes the survey and the registry, so both have the same
/// columns in the same order.
public struct FeatureEncoder: Sendable {
    public private(set) var terms: [Term]
    public let pooled: [PooledLevel]
    /// Kecamatan code (village code / 10⁴) of each village of the run.
    let villageKecamatan: [Int64]
    /// Contextual covariate per village (set by `withContext`).
    var villageContext: [Double] = []
    /// Kecamatan-level contextual covariate per village (set by `withContext`).
    var kecamatanContext: [Double] = []

    public static let categoryColumns = ["head_sector", "house_tenure", "floor_material", "wall_material", "roof_material",
                                         "water_source", "lighting", "cooking_fuel", "toilet"]
    public static let countColumns = ["children_0_6", "children_7_18", "elderly_60plus", "disabled_members",
                                      "chronic_ill_members", "children_out_of_school"]
    public static let binaryColumns = ["head_female", "head_works", "septic_tank", "owns_land", "owns_other_house"] + Schemas.assets

    /// - Parameters:
    ///   - minimumLevelCount: levels seen in fewer survey households are pooled
    ///     into the reference level (the first level of Docs/data.md's list).
    ///   - strictCategories: a level present in the registry but absent from the
    ///     survey is an error instead of being pooled (Docs/model.md).
    public init(
        survey: HouseholdColumns, registry: HouseholdColumns, villageCodes: [Int64],
        minimumLevelCount: Int = 10, kecamatanEffects: Bool = false, strictCategories: Bool = false
    ) throws {
        try self.init(survey: survey, registryCounts: FeatureEncoder.levelCounts(registry), villageCodes: villageCodes,
                      minimumLevelCount: minimumLevelCount, kecamatanEffects: kecamatanEffects, strictCategories: strictCategories)
    }

    /// Households per level of each category column (`categoryColumns`, levels in
    /// Docs/data.md order). Counts of chunks add up to the counts of the whole
    /// registry, so a streamed run builds the same encoder as a run in memory.
    public static func levelCounts(_ h: HouseholdColumns) -> [String: [Int]] {
        var counts: [String: [Int]] = [:]
        for column in categoryColumns {
            guard case .category(let levels) = Schemas.households.spec(column).kind else { continue }
            var c = [Int](repeating: 0, count: levels.count)
            for code in h[column] where code >= 0 { c[Int(code)] += 1 }
            counts[column] = c
        }
        return counts
    }

    /// Adds one chunk's `levelCounts` to a running total.
    public static func addLevelCounts(_ part: [String: [Int]], to total: inout [String: [Int]]) {
        for (column, counts) in part {
            if let existing = total[column] {
                total[column] = zip(existing, counts).map { $0 + $1 }
            } else {
                total[column] = counts
            }
        }
    }

    /// The encoder of a survey, with the registry seen only through its level
    /// counts: they decide which pooled levels are reported and, with
    /// `strictCategories`, whether a registry level the survey lacks is an error.
    /// The terms depend on the survey alone.
    public init(
        survey: HouseholdColumns, registryCounts: [String: [Int]], villageCodes: [Int64],
        minimumLevelCount: Int = 10, kecamatanEffects: Bool = false, strictCategories: Bool = false
    ) throws {
        var terms: [Term] = [.intercept, .logMembers, .logFloorAreaPerCapita, .value("head_age"), .headAgeSquared,
                             .value("head_education")]
        terms += FeatureEncoder.binaryColumns.map { .value($0) }
        terms += FeatureEncoder.countColumns.map { .value($0) }
        terms += [.logOnePlus("cattle"), .logOnePlus("small_livestock"), .ordinal("electricity_va"), .urban]
        var pooled: [PooledLevel] = []
        var unseen: [String] = []
        for column in FeatureEncoder.categoryColumns {
            guard case .category(let levels) = Schemas.households.spec(column).kind else { continue }
            var surveyCounts = [Int](repeating: 0, count: levels.count)
            let registryCounts = registryCounts[column] ?? [Int](repeating: 0, count: levels.count)
            for c in survey[column] where c >= 0 { surveyCounts[Int(c)] += 1 }
            for k in 1..<levels.count {
                if surveyCounts[k] >= minimumLevelCount {
                    terms.append(.level(column, levels[k]))
                } else if surveyCounts[k] > 0 || registryCounts[k] > 0 {
                    pooled.append(PooledLevel(column: column, level: levels[k], surveyHouseholds: surveyCounts[k], registryHouseholds: registryCounts[k]))
                    if surveyCounts[k] == 0 && registryCounts[k] > 0 {
                        unseen.append("\(column)=\(levels[k]) (\(registryCounts[k]) households)")
                    }
                }
            }
        }
        if strictCategories && !unseen.isEmpty {
            throw ScoringError.unseenCategories(unseen)
        }
        villageKecamatan = villageCodes.map { $0 / 10_000 }
        if kecamatanEffects {
            let kecamatan = Array(Set(villageKecamatan)).sorted()
            terms += kecamatan.dropFirst().map { .kecamatan($0) }
        }
        self.terms = terms
        self.pooled = pooled
    }

    /// The encoder with the contextual covariates added: the village mean and the
    /// kecamatan mean of an index, both given per village.
    public func withContext(villageMean: [Double], kecamatanMean: [Double]) -> FeatureEncoder {
        var copy = self
        copy.terms.append(.villageMeanIndex)
        copy.terms.append(.kecamatanMeanIndex)
        copy.villageContext = villageMean
        copy.kecamatanContext = kecamatanMean
        return copy
    }

    public var termNames: [String] { terms.map(\.name) }

    /// The design matrix for households `rows` (column-major, one column a term).
    public func encode(_ h: HouseholdColumns, rows: Range<Int>? = nil) -> Matrix {
        let range = rows ?? 0..<h.count
        let n = range.count
        var x = Matrix(rows: n, columns: terms.count)
        x.storage.withUnsafeMutableBufferPointer { out in
            for (j, term) in terms.enumerated() {
                let column = UnsafeMutableBufferPointer(rebasing: out[(j * n)..<((j + 1) * n)])
                fill(column, term: term, h, range)
            }
        }
        return x
    }

    private func fill(_ out: UnsafeMutableBufferPointer<Double>, term: Term, _ h: HouseholdColumns, _ range: Range<Int>) {
        let base = range.lowerBound
        switch term {
        case .intercept:
            for i in out.indices { out[i] = 1 }
        case .logMembers:
            for i in out.indices { out[i] = log(h.members[base + i]) }
        case .logFloorAreaPerCapita:
            for i in out.indices { out[i] = log(h.floorArea[base + i] / h.members[base + i]) }
        case .value(let c):
            let v = h[c]
            for i in out.indices { out[i] = Double(v[base + i]) }
        case .logOnePlus(let c):
            let v = h[c]
            for i in out.indices { out[i] = log1p(Double(v[base + i])) }
        case .headAgeSquared:
            let v = h["head_age"]
            for i in out.indices { let a = Double(v[base + i]); out[i] = a * a / 100 }
        case .level(let c, let l):
            guard case .category(let levels) = Schemas.households.spec(c).kind, let k = levels.firstIndex(of: l) else { return }
            let v = h[c], code = Int32(k)
            for i in out.indices { out[i] = v[base + i] == code ? 1 : 0 }
        case .ordinal(let c):
            let v = h[c]
            for i in out.indices { out[i] = Double(v[base + i]) }
        case .urban:
            for i in out.indices { out[i] = h.isUrban[base + i] ? 1 : 0 }
        case .kecamatan(let k):
            for i in out.indices { out[i] = villageKecamatan[Int(h.village[base + i])] == k ? 1 : 0 }
        case .villageMeanIndex:
            for i in out.indices { out[i] = villageContext[Int(h.village[base + i])] }
        case .kecamatanMeanIndex:
            for i in out.indices { out[i] = kecamatanContext[Int(h.village[base + i])] }
        }
    }
}

public enum ScoringError: Error, CustomStringConvertible, Equatable {
    case unseenCategories([String])
    /// `stratum`: the urban or rural model of `--strata urban_rural`, if any.
    case surveyTooSmall(rows: Int, terms: Int, stratum: String? = nil)
    case noVariation(String)
    case noVillages
    case emptyStratum(String)
    case unknownIndicator(String)

    public var description: String {
        switch self {
        case .unseenCategories(let list):
            return "categories in households.csv that survey.csv never has (the PMT cannot value them): "
                + list.joined(separator: ", ") + "; run without --strict-categories to score them as the reference level"
        case let .surveyTooSmall(rows, terms, nil):
            return "survey.csv has \(rows) usable households but the PMT has \(terms) terms; it needs more households than terms"
        case let .surveyTooSmall(rows, terms, stratum?):
            return "survey.csv has \(rows) usable \(stratum) households but the \(stratum) PMT has \(terms) terms; it needs more households than terms (or run without --strata)"
        case .noVariation(let what):
            return "cannot fit the PMT: \(what)"
        case .noVillages:
            return "no villages to score"
        case .emptyStratum(let name):
            return "survey.csv has no \(name) households, so no \(name) model can be fitted; run without --strata"
        case .unknownIndicator(let name):
            return "no MPI indicator named '\(name)'"
        }
    }
}
