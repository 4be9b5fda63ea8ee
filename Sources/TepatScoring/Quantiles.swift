/// Sample quantiles by linear interpolation between order statistics
/// (Hyndman–Fan type 7, the default of R and numpy).
public enum Quantile {
    public static func of(sorted values: [Double], _ q: Double) -> Double {
        precondition(!values.isEmpty)
        let h = q * Double(values.count - 1)
        let lo = Int(h.rounded(.down)), hi = min(values.count - 1, lo + 1)
        return values[lo] + (h - Double(lo)) * (values[hi] - values[lo])
    }
}

/// Spearman's rank correlation (average ranks for ties).
public enum Spearman {
    public static func ranks(_ x: [Double]) -> [Double] {
        let order = x.indices.sorted { x[$0] < x[$1] }
        var r = [Double](repeating: 0, count: x.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && x[order[j + 1]] == x[order[i]] { j += 1 }
            let average = Double(i + j) / 2 + 1
            for k in i...j { r[order[k]] = average }
            i = j + 1
        }
        return r
    }

    public static func correlation(_ x: [Double], _ y: [Double]) -> Double {
        let rx = ranks(x), ry = ranks(y)
        let n = Double(x.count)
        let mx = rx.reduce(0, +) / n, my = ry.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in x.indices {
            sxy += (rx[i] - mx) * (ry[i] - my)
            sxx += (rx[i] - mx) * (rx[i] - mx)
            syy += (ry[i] - my) * (ry[i] - my)
        }
        return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : 0
    }
}
