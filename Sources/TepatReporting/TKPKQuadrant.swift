import TepatScoring

/// The TKPK's quadrant analysis of priority areas: each area by its poverty
/// rate (P0) and its number of poor persons, each split at the kabupaten's own
/// value (its P0, and the mean number of poor per area).
///   I   high rate, many poor: first priority
///   II  low rate, many poor
///   III low rate, few poor
///   IV  high rate, few poor
public enum TKPKQuadrant: String, CaseIterable, Sendable {
    case first = "I", second = "II", third = "III", fourth = "IV"

    public static func of(p0: Double, poor: Double, p0Split: Double, poorSplit: Double) -> TKPKQuadrant {
        switch (p0 >= p0Split, poor >= poorSplit) {
        case (true, true): return .first
        case (false, true): return .second
        case (false, false): return .third
        case (true, false): return .fourth
        }
    }

    /// The splits for villages: the kabupaten's P0 and the mean poor persons
    /// over the villages with data.
    public static func villageSplits(_ r: ScoringResult) -> (p0: Double, poor: Double) {
        let scored = (0..<r.villages.count).filter { r.ranking.quality[$0] != .noData }
        let poor = scored.reduce(0.0) { $0 + r.measures.poorPersons[$1] } / Double(max(1, scored.count))
        return (r.overall.p0, poor)
    }

    /// Each village's quadrant; nil for a village without data.
    public static func villages(_ r: ScoringResult) -> [TKPKQuadrant?] {
        let split = villageSplits(r)
        return (0..<r.villages.count).map { v in
            r.ranking.quality[v] == .noData ? nil
                : of(p0: r.measures.p0[v], poor: r.measures.poorPersons[v], p0Split: split.p0, poorSplit: split.poor)
        }
    }

    /// Kecamatan: their P0 (poor persons over persons), poor persons, and quadrant
    /// against the kabupaten's P0 and the mean poor persons per kecamatan.
    public static func kecamatan(_ r: ScoringResult) -> [(name: String, p0: Double, poor: Double, quadrant: TKPKQuadrant)] {
        var persons: [String: Double] = [:], poor: [String: Double] = [:]
        for v in 0..<r.villages.count where r.ranking.quality[v] != .noData {
            persons[r.villages.kecamatanNames[v], default: 0] += r.measures.persons[v]
            poor[r.villages.kecamatanNames[v], default: 0] += r.measures.poorPersons[v]
        }
        let names = persons.keys.filter { persons[$0]! > 0 }.sorted()
        let meanPoor = names.reduce(0.0) { $0 + poor[$1]! } / Double(max(1, names.count))
        return names.map { k in
            let p0 = poor[k]! / persons[k]!
            return (k, p0, poor[k]!, of(p0: p0, poor: poor[k]!, p0Split: r.overall.p0, poorSplit: meanPoor))
        }
    }
}
