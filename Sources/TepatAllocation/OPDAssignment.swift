import Foundation
import NetworkFlow
import TepatData
import TepatScoring

/// Satu OPD Satu Desa (Docs/model.md): each OPD accompanies villages whose needs
/// match its pillars. need(v, p) = expected poor households of v deprived in
/// pillar p; fit(o, v) = Σ over o's pillars of need(v, p) / max over villages of
/// need(·, p), so every pillar counts on the same 0–1 scale. Maximise Σ fit
/// subject to each OPD's capacity, each village's limit of OPDs, and kecamatan
/// restrictions; solved exactly as a min-cost flow.
public struct OPDAssignmentProblem: Sendable {
    public struct OPD: Sendable {
        public var id: String
        public var name: String
        public var pillars: [String]
        public var capacity: Int
        /// Kecamatan codes (village code / 10⁴) it may work in; empty: anywhere.
        public var kecamatan: Set<Int64>

        public init(id: String, name: String, pillars: [String], capacity: Int, kecamatan: Set<Int64> = []) {
            self.id = id
            self.name = name
            self.pillars = pillars
            self.capacity = capacity
            self.kecamatan = kecamatan
        }
    }

    public var opds: [OPD]
    /// Village codes (values) in village order.
    public var villageCodes: [Int64]
    /// need[v][p] in `Schemas.pillars` order.
    public var need: [[Double]]
    public var maximumOPDsPerVillage = 1

    public init(opds: [OPD], villageCodes: [Int64], need: [[Double]]) {
        self.opds = opds
        self.villageCodes = villageCodes
        self.need = need
    }

    /// Normalised need per village and pillar: need / (largest need in that pillar).
    public var normalisedNeed: [[Double]] {
        let pillars = Schemas.pillars.count
        let largest = (0..<pillars).map { p in need.map { $0[p] }.max() ?? 0 }
        return need.map { row in (0..<pillars).map { largest[$0] > 0 ? row[$0] / largest[$0] : 0 } }
    }

    public func fit(opd o: Int, village v: Int, normalised: [[Double]]) -> Double {
        opds[o].pillars.reduce(0) { sum, pillar in sum + (Schemas.pillars.firstIndex(of: pillar).map { normalised[v][$0] } ?? 0) }
    }

    public func isAllowed(opd o: Int, village v: Int) -> Bool {
        opds[o].kecamatan.isEmpty || opds[o].kecamatan.contains(villageCodes[v] / 10_000)
    }

    public struct Pair: Sendable, Equatable {
        public var opd: Int
        public var village: Int
        public var fit: Double
    }

    public struct Solution: Sendable {
        public var pairs: [Pair]
        public var objective: Double
    }

    public func solve() -> Solution {
        let normalised = normalisedNeed
        var net = FlowNetwork()
        let total = Int64(opds.reduce(0) { $0 + $1.capacity })
        let s = net.addNode(supply: total)
        let t = net.addNode(supply: -total)
        let opdNode = opds.map { _ in net.addNode() }
        let villageNode = villageCodes.map { _ in net.addNode() }
        for (o, opd) in opds.enumerated() { net.addArc(from: s, to: opdNode[o], upper: Int64(opd.capacity), cost: 0) }
        // Ties: among equal fits, prefer the earlier OPD and the lower village
        // code, by a perturbation far below any fit difference that matters.
        let pairCount = Double(opds.count * villageCodes.count + 1)
        var pairArcs: [(arc: Int, opd: Int, village: Int, fit: Double)] = []
        for o in opds.indices {
            for v in villageCodes.indices where isAllowed(opd: o, village: v) {
                let f = fit(opd: o, village: v, normalised: normalised)
                guard f > 0 else { continue }
                let order = Double(o * villageCodes.count + v)
                let rounded = (f * 1e9).rounded() / 1e9
                let arc = net.addArc(from: opdNode[o], to: villageNode[v], upper: 1, cost: -(rounded + 1e-11 * (1 - order / pairCount)))
                pairArcs.append((arc, o, v, f))
            }
        }
        for v in villageCodes.indices { net.addArc(from: villageNode[v], to: t, upper: Int64(maximumOPDsPerVillage), cost: 0) }
        net.addArc(from: s, to: t, upper: FlowNetwork.unbounded, cost: 0)  // capacity left unused
        let solution = NetworkSimplex.solve(net)
        let pairs = pairArcs.filter { solution.flow[$0.arc] > 0 }.map { Pair(opd: $0.opd, village: $0.village, fit: $0.fit) }
        return Solution(pairs: pairs.sorted { ($0.opd, villageCodes[$0.village]) < ($1.opd, villageCodes[$1.village]) },
                        objective: pairs.reduce(0) { $0 + $1.fit })
    }

    /// One reason an OPD fits a village: a pillar of the OPD, the poor households
    /// deprived in it there, and the village's rank on that need.
    public struct Reason: Sendable {
        public var pillar: String
        public var households: Int
        public var rank: Int
        public var villages: Int
    }

    /// The OPD's pillars in the village, largest contribution to the fit first.
    public func reasonList(opd o: Int, village v: Int) -> [Reason] {
        let normalised = normalisedNeed
        let pillars = opds[o].pillars.compactMap { p in Schemas.pillars.firstIndex(of: p).map { (p, $0) } }
            .sorted { normalised[v][$0.1] > normalised[v][$1.1] }
        return pillars.map { name, p in
            Reason(pillar: name, households: Int(need[v][p].rounded()), rank: 1 + need.filter { $0[p] > need[v][p] }.count, villages: need.count)
        }
    }

    /// "housing: 41 poor households deprived (rank 1 of 365); environment: …",
    /// as assignment.csv writes it.
    public func reasons(opd o: Int, village v: Int) -> String {
        reasonList(opd: o, village: v).map {
            "\($0.pillar): \($0.households) poor \($0.households == 1 ? "household" : "households") deprived (rank \($0.rank) of \($0.villages))"
        }.joined(separator: "; ")
    }
}
