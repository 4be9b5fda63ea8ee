import Foundation

/// Ratio benchmarking of village P0 to an official figure (BPS publishes P0
/// per kabupaten/kota): every village's P0 is multiplied by one factor r, found
/// so that the member-weighted P0 over the villages equals the official rate;
/// a village that would pass 1 stays at 1 and the others carry the rest, so
/// the equality holds exactly. Each replicate is benchmarked the same way with
/// its own factor, so the intervals describe benchmarked estimates: the
/// kabupaten's overall level, the largest error the villages share at small
/// survey sizes, is then fixed by the official figure instead.
public struct P0Benchmark: Sendable, Equatable {
    /// The official rate the villages were scaled to.
    public let officialP0: Double
    /// The member-weighted P0 of the model before scaling.
    public let modelP0: Double
    /// The point estimates' factor r.
    public let factor: Double

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case outOfRange(Double)
        case unreachable(official: Double, highest: Double)

        public var description: String {
            switch self {
            case .outOfRange(let rate):
                return "benchmark P0 \(rate) is not a share between 0 and 1 (9.5% is 0.095)"
            case .unreachable(let official, let highest):
                return "benchmark P0 \(official) cannot be reached: the villages with any poverty hold only \(highest) of the persons"
            }
        }
    }

    /// The factor r with Σ_v m_v min(1, r p_v) = R Σ_v m_v, over villages with
    /// persons. The clamped set only grows with r, so a few exact linear solves
    /// on it converge.
    public static func factor(p0: [Double], persons: [Double], official: Double) throws -> Double {
        guard official > 0, official < 1 else { throw Failure.outOfRange(official) }
        let villages = p0.indices.filter { persons[$0] > 0 }
        let total = villages.reduce(0) { $0 + persons[$1] }
        let reachable = villages.filter { p0[$0] > 0 }.reduce(0) { $0 + persons[$1] }
        guard official * total < reachable else {
            throw Failure.unreachable(official: official, highest: reachable / max(total, .leastNonzeroMagnitude))
        }
        var clamped = Set<Int>()
        while true {
            let fixed = clamped.reduce(0) { $0 + persons[$1] }
            let free = villages.filter { !clamped.contains($0) }.reduce(0) { $0 + persons[$1] * p0[$1] }
            let r = (official * total - fixed) / free
            let newlyClamped = villages.filter { !clamped.contains($0) && r * p0[$0] >= 1 }
            if newlyClamped.isEmpty { return r }
            clamped.formUnion(newlyClamped)
        }
    }

    /// An official rate as written by a user: a share (0.0946) or a percentage
    /// with its sign (9.46%); nil when it is neither.
    public static func rate(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("%") {
            // Divided in decimal, so "9.46%" is the double nearest 0.0946.
            let percent = trimmed.dropLast().trimmingCharacters(in: .whitespaces)
            guard Double(percent) != nil, let decimal = Decimal(string: percent, locale: Locale(identifier: "en_US_POSIX")) else { return nil }
            return Double((decimal / 100).description)
        }
        return Double(trimmed)
    }

    /// `p0` scaled by `factor`, at most 1.
    public static func scaled(_ p0: [Double], by factor: Double) -> [Double] {
        p0.map { min(1, factor * $0) }
    }

    /// Benchmarks the point measures: P0 and the expected poor persons and
    /// households move together; P1 and P2 are left as the model gives them.
    static func apply(to measures: inout VillageMeasures, official: Double) throws -> P0Benchmark {
        let persons = measures.persons
        let total = persons.reduce(0, +)
        let modelP0 = zip(measures.p0, persons).reduce(0) { $0 + $1.0 * $1.1 } / max(total, .leastNonzeroMagnitude)
        let r = try factor(p0: measures.p0, persons: persons, official: official)
        let benchmarked = scaled(measures.p0, by: r)
        for v in benchmarked.indices where measures.p0[v] > 0 {
            let ratio = benchmarked[v] / measures.p0[v]
            measures.poorPersons[v] *= ratio
            measures.poorHouseholds[v] *= ratio
        }
        measures.p0 = benchmarked
        return P0Benchmark(officialP0: official, modelP0: modelP0, factor: r)
    }
}

extension ExpectedFGT {
    /// The overall measures with P0 at the official rate when benchmarked.
    func benchmarked(_ benchmark: P0Benchmark?) -> ExpectedFGT {
        guard let benchmark else { return self }
        return ExpectedFGT(p0: benchmark.officialP0, p1: p1, p2: p2)
    }
}
