import TepatData

/// The village measures' sums, added one household at a time. The run in memory
/// adds its whole registry, a streamed run adds chunk after chunk; both add the
/// households of a village in file order, so their measures agree to the last bit.
public struct VillageSums: Sendable {
    var households: [Int]
    var persons: [Double]
    var p0: [Double], p1: [Double], p2: [Double]
    var poorHouseholds: [Double]
    var desilLow: [Double]
    /// Expected poor households deprived in each pillar, per village.
    var need: [[Double]]
    /// Expected poor households with each deprivation, per village.
    var deprived: [[Double]]
    var mpi: [MultidimensionalPoverty.Sums]
    private let pillarOf = Deprivation.allCases.map { Schemas.pillars.firstIndex(of: $0.pillar)! }

    public init(villages v: Int, mpiIndicators: Int) {
        households = [Int](repeating: 0, count: v)
        persons = [Double](repeating: 0, count: v)
        p0 = persons; p1 = persons; p2 = persons; poorHouseholds = persons; desilLow = persons
        need = [[Double]](repeating: [Double](repeating: 0, count: Schemas.pillars.count), count: v)
        deprived = [[Double]](repeating: [Double](repeating: 0, count: Deprivation.allCases.count), count: v)
        mpi = [MultidimensionalPoverty.Sums](repeating: .init(indicators: mpiIndicators), count: v)
    }

    /// Adds households `rows` of `h`, whose expected FGT are `p0`, `p1`, `p2`
    /// (indexed like `h`), with their deprivation flags and MPI scores.
    mutating func add(
        _ h: HouseholdColumns, rows: Range<Int>, p0 q0: [Double], p1 q1: [Double], p2 q2: [Double],
        deprivationFlags: [[Bool]], mpi definition: MultidimensionalPoverty, mpiScores: (score: [Double], flags: [[Bool]])
    ) {
        for i in rows {
            let k = Int(h.village[i])
            let m = h.members[i]
            households[k] += 1
            persons[k] += m
            p0[k] += m * q0[i]
            p1[k] += m * q1[i]
            p2[k] += m * q2[i]
            poorHouseholds[k] += q0[i]
            var pillars = [Bool](repeating: false, count: Schemas.pillars.count)
            for (d, flags) in deprivationFlags.enumerated() where flags[i] {
                deprived[k][d] += q0[i]
                pillars[pillarOf[d]] = true
            }
            for (p, hit) in pillars.enumerated() where hit { need[k][p] += q0[i] }
            mpi[k].add(score: mpiScores.score[i], members: m, flags: mpiScores.flags, row: i, cutoff: definition.cutoff)
        }
    }

    /// Counts a household of village `k` in desil 1–4 (known once deciles are).
    mutating func addDesil(_ desil: Int, village k: Int) {
        if desil <= 4 { desilLow[k] += 1 }
    }

    /// The measures, without the composite score (it needs every village).
    func measures(mpi definition: MultidimensionalPoverty) -> VillageMeasures {
        let v = households.count
        return VillageMeasures(
            households: households, persons: persons,
            p0: (0..<v).map { persons[$0] > 0 ? p0[$0] / persons[$0] : 0 },
            p1: (0..<v).map { persons[$0] > 0 ? p1[$0] / persons[$0] : 0 },
            p2: (0..<v).map { persons[$0] > 0 ? p2[$0] / persons[$0] : 0 },
            poorPersons: p0, poorHouseholds: poorHouseholds,
            shareDesil1to4: (0..<v).map { households[$0] > 0 ? desilLow[$0] / Double(households[$0]) : 0 },
            mpi: mpi.map { definition.result(of: $0) }, need: need,
            deprivationShare: (0..<v).map { k in deprived[k].map { poorHouseholds[k] > 0 ? $0 / poorHouseholds[k] : 0 } },
            score: [])
    }
}
