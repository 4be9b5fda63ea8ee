/// Cuts each stratum's households into chunks of exactly `rows`, whatever the
/// sizes read: the chunks of a run in memory, where each stratum's households
/// are cut from its first.
struct StrataChunker {
    private var pending: [[HouseholdColumns]]
    private var pendingRows: [Int]
    let rows: Int

    init(strata: Int, rows: Int) {
        pending = Array(repeating: [], count: strata)
        pendingRows = Array(repeating: 0, count: strata)
        self.rows = rows
    }

    mutating func add(_ h: HouseholdColumns, stratum s: Int) {
        pending[s].append(h)
        pendingRows[s] += h.count
    }

    /// Every full chunk ready, stratum by stratum.
    mutating func full() -> [(Int, HouseholdColumns)] {
        var out: [(Int, HouseholdColumns)] = []
        for s in pending.indices where pendingRows[s] >= rows {
            var all = HouseholdColumns.joined(pending[s])
            var start = 0
            while all.count - start >= rows {
                out.append((s, all.subset(Array(start..<(start + rows)))))
                start += rows
            }
            all = start == all.count ? .none : all.subset(Array(start..<all.count))
            pending[s] = all.count > 0 ? [all] : []
            pendingRows[s] = all.count
        }
        return out
    }

    /// What is left at the end of the file: one last, shorter chunk per stratum.
    mutating func rest() -> [(Int, HouseholdColumns)] {
        var out = full()
        for s in pending.indices where pendingRows[s] > 0 {
            out.append((s, HouseholdColumns.joined(pending[s])))
            pending[s] = []
            pendingRows[s] = 0
        }
        return out
    }
}
