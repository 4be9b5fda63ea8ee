/// Member-weighted deciles (desil): households ranked by welfare, poorest first,
/// cut so that each decile holds a tenth of the persons. A household goes to the
/// decile in which its first member falls. Equal welfare is ordered by
/// household_id, so reruns and reorderings of the input agree.
public enum Deciles {
    public static func assign(welfare: [Double], members: [Double], ids: (Int, Int) -> Bool) -> [Int] {
        let order = welfare.indices.sorted { a, b in
            welfare[a] != welfare[b] ? welfare[a] < welfare[b] : ids(a, b)
        }
        let total = members.reduce(0, +)
        var decile = [Int](repeating: 10, count: welfare.count)
        var before = 0.0
        for h in order {
            decile[h] = of(before: before, total: total)
            before += members[h]
        }
        return decile
    }

    /// The decile of a household with `before` persons poorer than it, out of
    /// `total`: exactly 10% before means the next decile.
    static func of(before: Double, total: Double) -> Int {
        min(10, Int((10 * before / total).rounded(.down) + 1))
    }
}
