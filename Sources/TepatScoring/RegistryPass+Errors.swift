import Foundation
import LinearAlgebra
import TepatData

extension RegistryPass {
    /// The EBP of P2 is evaluated, in each replicate, for one household in
    /// `defaultSeverityStride`, a different one in each replicate (household i
    /// in replicate b when i ≡ b mod the stride). For every household the
    /// replicate's P2 is first approximated from its point EBP to first order
    /// in the change of its predicted mean μ, ∂P2/∂μ = −2(P1 − P2); the
    /// selected households carry, times the stride, what that approximation
    /// misses (a control variate). The remainder is small and smooth, so this
    /// adds little to a replicate's error (Docs/model.md §5) and takes three
    /// quarters of the exp and Φ the bootstrap evaluates.
    static let defaultSeverityStride = 4

    /// Every replicate's sums for a chunk (`ReplicateSums`): under replicate b
    /// each household adds its members when it is poor in the drawn population
    /// (x β̂ + η*_v + σ̂_ε e < ln z) and takes away its refitted EBP's expected
    /// poor members; the same for members × gap². `slot[i]` is the household's
    /// village among those `point` (the chunk's point predictions) touches.
    /// Returns the chunk's `poor` and `severity`.
    func replicateErrors(of point: ChunkResult, members: [Double], linear: [Double], refitted: Matrix, slot: [Int],
                         sampler: inout NormalSampler) -> (poor: [Double], severity: [Double]) {
        let nc = linear.count, villageCount = villageEffect.count, stride = severityStride, touched = point.villages.count
        let lnz = logPovertyLine, sigmaEps = bootstrap.sigmaEps
        let inputs = HouseholdInputs(village: slot.map { point.villages[$0] }, members: members, linear: linear, slot: slot,
                                     pointMean: point.logMean, pointSeverity: point.p2,
                                     severitySlope: zip(point.p1, point.p2).map { -2 * ($0 - $1) }, pool: residualPool)
        var sums = Sums(count: touched * refitted.columns)
        normal.withEvaluator { phi in
            inputs.withPointers { h in
                bootstrap.withPointers(refitted) { xb, r in
                    for b in 0..<refitted.columns {
                        let column = b * nc, offset = b * villageCount, first = b * touched
                        var selected = b % stride  // the next household whose P2 is evaluated
                        // A village's households mostly follow one another: their
                        // sums add up in registers and are stored when it changes.
                        var current = first, poorSum = 0.0, severitySum = 0.0
                        for i in 0..<nc {
                            let v = h.village[i] + offset, m = h.members[i], k = h.slot[i] + first
                            if k != current {
                                sums.add(current, poorSum, severitySum)
                                (current, poorSum, severitySum) = (k, 0, 0)
                            }
                            let e = h.pool.isEmpty ? sampler.normal() : h.pool[sampler.index(h.pool.count)]
                            let t = h.linear[i] + r.trueEta[v] + sigmaEps * e
                            if t < lnz {
                                let gap = 1 - phi.exp(t - lnz)
                                poorSum += m
                                severitySum += m * gap * gap
                            }
                            let mu = xb[column + i] + r.eta[v], s = r.sd[v], d = (lnz - mu) * r.inverseSD[v]
                            let p0 = phi.cdf(d)
                            var p2 = h.pointSeverity[i] + h.severitySlope[i] * (mu - h.pointMean[i])
                            if i == selected {
                                p2 += Double(stride) * (phi.severity(d: d, sigma: s, expSigma2: r.expVariance[v], headcount: p0) - p2)
                                selected += stride
                            }
                            poorSum -= m * p0
                            severitySum -= m * p2
                        }
                        sums.add(current, poorSum, severitySum)
                    }
                }
            }
        }
        return (sums.poor, sums.severity)
    }
}

/// A chunk's replicate sums while the loop fills them.
private struct Sums {
    var poor: [Double], severity: [Double]

    init(count: Int) {
        poor = [Double](repeating: 0, count: count)
        severity = poor
    }

    mutating func add(_ k: Int, _ poorError: Double, _ severityError: Double) {
        poor[k] += poorError
        severity[k] += severityError
    }
}

/// A chunk's per-household inputs to the replicate loop, handed to it as
/// pointers (unchecked in an optimised build: the loop's indices are its own).
private struct HouseholdInputs {
    let village: [Int], members: [Double], linear: [Double], slot: [Int]
    let pointMean: [Double], pointSeverity: [Double], severitySlope: [Double], pool: [Double]

    struct Pointers {
        let village: UnsafeBufferPointer<Int>, members: UnsafeBufferPointer<Double>, linear: UnsafeBufferPointer<Double>
        let slot: UnsafeBufferPointer<Int>, pointMean: UnsafeBufferPointer<Double>, pointSeverity: UnsafeBufferPointer<Double>
        let severitySlope: UnsafeBufferPointer<Double>, pool: UnsafeBufferPointer<Double>
    }

    func withPointers<R>(_ body: (Pointers) throws -> R) rethrows -> R {
        try village.withUnsafeBufferPointer { village in
            try members.withUnsafeBufferPointer { members in
                try linear.withUnsafeBufferPointer { linear in
                    try slot.withUnsafeBufferPointer { slot in
                        try pointMean.withUnsafeBufferPointer { pointMean in
                            try pointSeverity.withUnsafeBufferPointer { pointSeverity in
                                try severitySlope.withUnsafeBufferPointer { severitySlope in
                                    try pool.withUnsafeBufferPointer {
                                        try body(Pointers(village: village, members: members, linear: linear, slot: slot, pointMean: pointMean,
                                                          pointSeverity: pointSeverity, severitySlope: severitySlope, pool: $0))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

extension ParametricBootstrap.Replicates {
    struct Pointers {
        let trueEta: UnsafeBufferPointer<Double>, eta: UnsafeBufferPointer<Double>, sd: UnsafeBufferPointer<Double>
        let inverseSD: UnsafeBufferPointer<Double>, expVariance: UnsafeBufferPointer<Double>
    }

    /// The replicates' village columns, and `refitted` (a chunk's X·B̂*), as pointers.
    func withPointers<R>(_ refitted: Matrix, _ body: (UnsafeBufferPointer<Double>, Pointers) throws -> R) rethrows -> R {
        try refitted.storage.withUnsafeBufferPointer { xb in
            try trueEta.storage.withUnsafeBufferPointer { trueEta in
                try eta.storage.withUnsafeBufferPointer { eta in
                    try sd.storage.withUnsafeBufferPointer { sd in
                        try inverseSD.storage.withUnsafeBufferPointer { inverseSD in
                            try expVariance.storage.withUnsafeBufferPointer {
                                try body(xb, Pointers(trueEta: trueEta, eta: eta, sd: sd, inverseSD: inverseSD, expVariance: $0))
                            }
                        }
                    }
                }
            }
        }
    }
}
