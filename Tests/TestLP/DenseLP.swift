/// A plain dense two-phase simplex (Bland's rule), independent of the network
/// simplex: minimise cᵀx subject to A x = b, 0 ≤ x ≤ u (u may be ∞). Small
/// problems only; used to check the solver's optimum.
public struct DenseLP {
    public var c: [Double]
    public var a: [[Double]]
    public var b: [Double]
    public var upper: [Double]

    public init(c: [Double], a: [[Double]], b: [Double], upper: [Double]) {
        self.c = c
        self.a = a
        self.b = b
        self.upper = upper
    }

    public enum Outcome: Equatable { case optimal(Double), infeasible }

    public func solve() -> Outcome {
        // Upper bounds become rows x_j + s_j = u_j.
        let n = c.count
        var rows = a, rhs = b
        var costs = c
        var extra = 0
        for j in 0..<n where upper[j].isFinite {
            var row = [Double](repeating: 0, count: n)
            row[j] = 1
            rows.append(row)
            rhs.append(upper[j])
            extra += 1
        }
        let total = n + extra
        for i in rows.indices {
            rows[i] += [Double](repeating: 0, count: extra)
        }
        var k = 0
        for i in a.count..<rows.count { rows[i][n + k] = 1; k += 1 }
        costs += [Double](repeating: 0, count: extra)
        // Make right-hand sides non-negative.
        for i in rows.indices where rhs[i] < 0 { rows[i] = rows[i].map { -$0 }; rhs[i] = -rhs[i] }
        let m = rows.count
        // Phase 1 tableau with artificials.
        var t = [[Double]](repeating: [Double](repeating: 0, count: total + m + 1), count: m + 1)
        for i in 0..<m {
            for j in 0..<total { t[i][j] = rows[i][j] }
            t[i][total + i] = 1
            t[i][total + m] = rhs[i]
        }
        var basis = (0..<m).map { total + $0 }
        func pivot(_ r: Int, _ col: Int) {
            let p = t[r][col]
            for j in t[r].indices { t[r][j] /= p }
            for i in t.indices where i != r && t[i][col] != 0 {
                let f = t[i][col]
                for j in t[i].indices { t[i][j] -= f * t[r][j] }
            }
            basis[r] = col
        }
        func run(objective: [Double], allowed: Int) -> Bool {
            // Objective row = reduced costs.
            for j in 0..<(total + m + 1) { t[m][j] = j < objective.count ? objective[j] : 0 }
            for i in 0..<m where objective[basis[i]] != 0 {
                let f = objective[basis[i]]
                for j in t[m].indices { t[m][j] -= f * t[i][j] }
            }
            for _ in 0..<10_000 {
                guard let col = (0..<allowed).first(where: { t[m][$0] < -1e-9 }) else { return true }
                var r = -1
                var ratio = Double.infinity
                for i in 0..<m where t[i][col] > 1e-12 {
                    let q = t[i][total + m] / t[i][col]
                    if q < ratio - 1e-12 || (abs(q - ratio) <= 1e-12 && r >= 0 && basis[i] < basis[r]) { ratio = q; r = i }
                }
                if r < 0 { return false }
                pivot(r, col)
            }
            return false
        }
        let phase1 = (0..<(total + m)).map { $0 >= total ? 1.0 : 0 }
        _ = run(objective: phase1, allowed: total + m)
        if -t[m][total + m] > 1e-7 { return .infeasible }
        // Drive artificials out of the basis where possible.
        for i in 0..<m where basis[i] >= total {
            if let col = (0..<total).first(where: { abs(t[i][$0]) > 1e-9 }) { pivot(i, col) }
        }
        _ = run(objective: costs + [Double](repeating: 0, count: m), allowed: total)
        return .optimal(-t[m][total + m])
    }
}
