/// The deciles of `Deciles.assign`, exactly, for households kept in a spill
/// rather than in memory. A histogram of predicted log welfare over 2²⁰ bins
/// gives the persons before each bin; a bin whose households all fall in one
/// decile needs nothing more, and only the households of the few bins that
/// straddle a cut are read back and sorted (welfare, then household_id) to place
/// them one by one. Persons are whole numbers, so the running sums are exact and
/// every household gets the decile the in-memory sort gives it.
struct SpillDeciles {
    private let low: Double
    private let scale: Double
    private let binCount: Int
    private let total: Double
    /// Persons before each bin, and whether the bin straddles a decile cut.
    private var before: [Double]
    private var straddles: [Bool]
    /// Decile of each household of a straddling bin, by file position.
    private var placed: [Int: Int] = [:]

    init(spill: HouseholdSpill, lowest: Double, highest: Double, bins: Int = 1 << 20) throws {
        low = lowest
        binCount = bins
        scale = highest > lowest ? Double(bins) / (highest - lowest) : 0
        var persons = [Double](repeating: 0, count: bins)
        var total = 0.0
        let binOf = { [low, scale, bins] (x: Double) -> Int in min(bins - 1, max(0, Int((x - low) * scale))) }
        try spill.forEach { r in
            persons[binOf(r.logMean)] += r.members
            total += r.members
        }
        self.total = total
        before = [Double](repeating: 0, count: bins)
        straddles = [Bool](repeating: false, count: bins)
        var running = 0.0
        for j in 0..<bins {
            before[j] = running
            straddles[j] = persons[j] > 0 && SpillDeciles.decile(running, total) != SpillDeciles.decile(running + persons[j], total)
            running += persons[j]
        }

        var pending: [(bin: Int, logMean: Double, id: [UInt8], members: Double, index: Int)] = []
        try spill.forEach { r in
            let j = binOf(r.logMean)
            if straddles[j] { pending.append((j, r.logMean, Array(r.id), r.members, r.index)) }
        }
        pending.sort { a, b in
            if a.bin != b.bin { return a.bin < b.bin }
            if a.logMean != b.logMean { return a.logMean < b.logMean }
            return a.id.lexicographicallyPrecedes(b.id)
        }
        var k = 0
        while k < pending.count {
            var b = before[pending[k].bin]
            var m = k
            while m < pending.count && pending[m].bin == pending[k].bin {
                placed[pending[m].index] = SpillDeciles.decile(b, total)
                b += pending[m].members
                m += 1
            }
            k = m
        }
    }

    private static func decile(_ before: Double, _ total: Double) -> Int { Deciles.of(before: before, total: total) }

    func decile(of r: HouseholdSpill.Record) -> Int {
        let j = min(binCount - 1, max(0, Int((r.logMean - low) * scale)))
        return straddles[j] ? placed[r.index]! : SpillDeciles.decile(before[j], total)
    }
}
