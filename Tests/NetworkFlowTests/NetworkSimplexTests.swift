import XCTest
import NetworkFlow
import TestLP
@testable import TepatScoring

final class NetworkSimplexTests: XCTestCase {
    /// A hand-worked instance: ship 4 units from s to t over two paths, one
    /// cheap but capacity 3 (cost 1 + 1), one dear (cost 5): optimum 3·2 + 1·5 = 11.
    func testHandWorked() {
        var net = FlowNetwork()
        let s = net.addNode(supply: 4), a = net.addNode(), t = net.addNode(supply: -4)
        net.addArc(from: s, to: a, upper: 3, cost: 1)
        net.addArc(from: a, to: t, upper: 10, cost: 1)
        net.addArc(from: s, to: t, upper: 10, cost: 5)
        let solution = NetworkSimplex.solve(net)
        XCTAssertEqual(solution.status, .optimal)
        XCTAssertEqual(solution.totalCost, 11, accuracy: 1e-12)
        XCTAssertEqual(solution.flow, [3, 3, 1])
        assertComplementarySlackness(net, solution)
    }

    func testInfeasibleWhenSupplyCannotReachDemand() {
        var net = FlowNetwork()
        let s = net.addNode(supply: 5), t = net.addNode(supply: -5)
        net.addArc(from: s, to: t, upper: 3, cost: 1)
        XCTAssertEqual(NetworkSimplex.solve(net).status, .infeasible)
    }

    func testLowerBoundsAreHonoured() {
        var net = FlowNetwork()
        let s = net.addNode(supply: 5), t = net.addNode(supply: -5)
        let cheap = net.addArc(from: s, to: t, upper: 5, cost: 1)
        let forced = net.addArc(from: s, to: t, lower: 2, upper: 5, cost: 3)
        let solution = NetworkSimplex.solve(net)
        XCTAssertEqual(solution.flow[cheap], 3)
        XCTAssertEqual(solution.flow[forced], 2)
        XCTAssertEqual(solution.totalCost, 9, accuracy: 1e-12)
    }

    /// 1,500 random small networks: the optimum equals an independent dense LP
    /// simplex's to 1e-9 relative, and the potentials satisfy complementary
    /// slackness on every arc.
    func testAgreesWithDenseLPOnRandomInstances() {
        var rng = NormalSampler(seed: 99, stream: 4)
        var feasible = 0
        for instance in 0..<1_500 {
            let n = 2 + rng.index(5)
            var net = FlowNetwork()
            for supply in randomSupplies(&rng, nodes: n, largest: 5) { net.addNode(supply: supply) }
            let arcs = 1 + rng.index(9)
            for _ in 0..<arcs {
                let from = rng.index(n)
                var to = rng.index(n)
                if to == from { to = (to + 1) % n }
                let lower = rng.index(4) == 0 ? Int64(rng.index(2)) : 0
                let upper = lower + Int64(rng.index(7))
                let cost = (rng.normal() * 10).rounded() / 4
                net.addArc(from: from, to: to, lower: lower, upper: upper, cost: cost)
            }
            let solution = NetworkSimplex.solve(net)
            // The reverse network has the same optimum; its potentials, negated
            // back, must price the forward network.
            let reversed = NetworkSimplex.solve(net, reversed: true)
            switch denseLPOptimum(net) {
            case nil:
                XCTAssertEqual(solution.status, .infeasible, "instance \(instance)")
                XCTAssertEqual(reversed.status, .infeasible, "instance \(instance) reversed")
            case let value?:
                feasible += 1
                XCTAssertEqual(solution.status, .optimal, "instance \(instance)")
                XCTAssertEqual(solution.totalCost, value, accuracy: 1e-9 * max(1, abs(value)), "instance \(instance)")
                assertComplementarySlackness(net, solution)
                XCTAssertEqual(reversed.status, .optimal, "instance \(instance) reversed")
                XCTAssertEqual(reversed.totalCost, value, accuracy: 1e-9 * max(1, abs(value)), "instance \(instance) reversed")
                assertComplementarySlackness(net, reversed)
            }
        }
        XCTAssertGreaterThan(feasible, 300, "enough feasible instances to mean something")
    }

    /// Convex arcs against the same problem with each one split into parallel
    /// plain arcs and solved by the dense LP: same optimum to 1e-9 relative, and
    /// on every convex arc the next segment up prices ≥ 0 and the last one used
    /// ≤ 0. Segments are narrow and often many, so runs of flips, ties between
    /// segment ends and tree arcs, and zero-width segments all occur.
    func testConvexArcsAgreeWithParallelArcsAndDenseLP() {
        var rng = NormalSampler(seed: 17, stream: 2)
        var feasible = 0, multiSegment = 0
        for instance in 0..<1_500 {
            let n = 2 + rng.index(5)
            var net = FlowNetwork()
            for supply in randomSupplies(&rng, nodes: n, largest: 11) { net.addNode(supply: supply) }
            for _ in 0..<(1 + rng.index(8)) {
                let from = rng.index(n)
                var to = rng.index(n)
                if to == from { to = (to + 1) % n }
                if rng.index(2) == 0 {
                    let lower = rng.index(4) == 0 ? Int64(rng.index(2)) : 0
                    net.addArc(from: from, to: to, lower: lower, upper: lower + Int64(rng.index(7)), cost: (rng.normal() * 10).rounded() / 4)
                } else {
                    var cost = (rng.normal() * 10).rounded() / 4
                    let segments = (0..<(1 + rng.index(6))).map { _ -> (width: Int64, cost: Double) in
                        defer { cost += Double(rng.index(3)) / 2 }  // equal costs too
                        return (Int64(rng.index(4)), cost)
                    }
                    net.addConvexArc(from: from, to: to, segments: segments)
                    if segments.count > 1 { multiSegment += 1 }
                }
            }
            let solution = NetworkSimplex.solve(net)
            // A first phase with other costs (any guess of the duals) must not
            // change the optimum the second phase reaches.
            let warmUp = (0..<net.arcCount).map { _ in rng.index(3) == 0 ? (rng.normal() * 4).rounded() / 2 : 0 }
            let warmed = NetworkSimplex.solve(net, warmUp: warmUp)
            // As the allocation solves: warmed up, on the reverse network.
            let warmedReversed = NetworkSimplex.solve(net, warmUp: warmUp, reversed: true)
            let parallel = net.expanded()
            let reference = NetworkSimplex.solve(parallel)
            switch denseLPOptimum(parallel) {
            case nil:
                XCTAssertEqual(solution.status, .infeasible, "instance \(instance)")
                XCTAssertEqual(warmed.status, .infeasible, "instance \(instance) warmed")
                XCTAssertEqual(warmedReversed.status, .infeasible, "instance \(instance) warmed, reversed")
            case let value?:
                feasible += 1
                XCTAssertEqual(solution.status, .optimal, "instance \(instance)")
                XCTAssertEqual(solution.totalCost, value, accuracy: 1e-9 * max(1, abs(value)), "instance \(instance)")
                XCTAssertEqual(solution.totalCost, reference.totalCost, accuracy: 1e-9 * max(1, abs(value)), "instance \(instance)")
                XCTAssertEqual(warmed.status, .optimal, "instance \(instance) warmed")
                XCTAssertEqual(warmed.totalCost, value, accuracy: 1e-9 * max(1, abs(value)), "instance \(instance) warmed")
                XCTAssertEqual(warmedReversed.status, .optimal, "instance \(instance) warmed, reversed")
                XCTAssertEqual(warmedReversed.totalCost, value, accuracy: 1e-9 * max(1, abs(value)), "instance \(instance) warmed, reversed")
                for e in 0..<net.arcCount {
                    let (up, down) = warmedReversed.reducedCosts(net, arc: e)
                    if let up { XCTAssertGreaterThanOrEqual(up, -1e-9, "instance \(instance) arc \(e) forward, reversed") }
                    if let down { XCTAssertLessThanOrEqual(down, 1e-9, "instance \(instance) arc \(e) backward, reversed") }
                }
                XCTAssertEqual(solution.totalCost, (0..<net.arcCount).reduce(0.0) { $0 + net.cost(of: solution.flow[$1], on: $1) },
                               accuracy: 1e-9 * max(1, abs(value)), "instance \(instance): cost of the flows")
                for e in 0..<net.arcCount {
                    XCTAssertTrue(solution.flow[e] >= net.lower[e] && solution.flow[e] <= net.upper[e], "instance \(instance) arc \(e)")
                    let (up, down) = solution.reducedCosts(net, arc: e)
                    if let up { XCTAssertGreaterThanOrEqual(up, -1e-9, "instance \(instance) arc \(e) forward") }
                    if let down { XCTAssertLessThanOrEqual(down, 1e-9, "instance \(instance) arc \(e) backward") }
                }
                for v in 0..<n {
                    let net_ = (0..<net.arcCount).reduce(Int64(0)) { sum, e in
                        sum + (net.tail[e] == v ? solution.flow[e] : 0) - (net.head[e] == v ? solution.flow[e] : 0)
                    }
                    XCTAssertEqual(net_, net.supply[v], "instance \(instance) node \(v) conservation")
                }
            }
        }
        XCTAssertGreaterThan(feasible, 300, "enough feasible instances to mean something")
        XCTAssertGreaterThan(multiSegment, 1_000)
    }

    /// Supplies that balance: a few random amounts (0…largest) moved from one
    /// node to another.
    func randomSupplies(_ rng: inout NormalSampler, nodes n: Int, largest: Int) -> [Int64] {
        var supplies = [Int64](repeating: 0, count: n)
        for _ in 0..<rng.index(3) + 1 {
            let from = rng.index(n), to = rng.index(n)
            let q = Int64(rng.index(largest + 1))
            supplies[from] += q; supplies[to] -= q
        }
        return supplies
    }

    /// The optimum of a network of plain arcs as a dense LP (conservation rows,
    /// lower bounds shifted out and their cost added back); nil if infeasible.
    func denseLPOptimum(_ net: FlowNetwork) -> Double? {
        let n = net.nodeCount
        var c = [Double](), a = [[Double]](repeating: [], count: n), b = net.supply.map(Double.init), u = [Double]()
        for e in 0..<net.arcCount {
            c.append(net.cost[e])
            u.append(Double(net.upper[e] - net.lower[e]))
            for v in 0..<n { a[v].append(v == net.tail[e] ? 1 : v == net.head[e] ? -1 : 0) }
            b[net.tail[e]] -= Double(net.lower[e]); b[net.head[e]] += Double(net.lower[e])
        }
        let shift = (0..<net.arcCount).reduce(0.0) { $0 + Double(net.lower[$1]) * net.cost[$1] }
        guard case .optimal(let value) = DenseLP(c: c, a: a, b: b, upper: u).solve() else { return nil }
        return value + shift
    }

    func assertComplementarySlackness(_ net: FlowNetwork, _ solution: FlowSolution, file: StaticString = #filePath, line: UInt = #line) {
        for e in 0..<net.arcCount {
            let rc = solution.reducedCost(net, arc: e)
            let f = solution.flow[e]
            XCTAssertTrue(f >= net.lower[e] && f <= net.upper[e], "arc \(e) flow out of bounds", file: file, line: line)
            if f > net.lower[e] && f < net.upper[e] { XCTAssertEqual(rc, 0, accuracy: 1e-9, "arc \(e) between bounds", file: file, line: line) }
            if f == net.lower[e] && f < net.upper[e] { XCTAssertGreaterThanOrEqual(rc, -1e-9, "arc \(e) at lower", file: file, line: line) }
            if f == net.upper[e] && f > net.lower[e] { XCTAssertLessThanOrEqual(rc, 1e-9, "arc \(e) at upper", file: file, line: line) }
        }
    }
}

final class NetworkSimplexScaleTests: XCTestCase {
    /// Allocation networks have costs of ~10⁻⁸ per rupiah and flows of ~10¹⁰.
    /// Scaling costs by 10⁻⁹ and flows by 10⁶ must scale the optimum by 10⁻³
    /// exactly (to 1e-9 relative): tolerances and big-M must follow the costs.
    func testOptimumIsScaleInvariant() {
        var rng = NormalSampler(seed: 5, stream: 6)
        for instance in 0..<300 {
            let n = 3 + rng.index(6)
            var net = FlowNetwork(), scaled = FlowNetwork()
            var supplies = [Int64](repeating: 0, count: n)
            for _ in 0..<3 {
                let q = Int64(1 + rng.index(9)), a = rng.index(n), b = rng.index(n)
                supplies[a] += q; supplies[b] -= q
            }
            for u in 0..<n { net.addNode(supply: supplies[u]); scaled.addNode(supply: supplies[u] * 1_000_000) }
            for u in 0..<n { net.addArc(from: u, to: (u + 1) % n, upper: 50, cost: 1); scaled.addArc(from: u, to: (u + 1) % n, upper: 50_000_000, cost: 1e-9) }
            for _ in 0..<(2 + rng.index(10)) {
                let a = rng.index(n), b = (a + 1 + rng.index(n - 1)) % n
                let upper = Int64(1 + rng.index(8)), cost = Double(rng.index(200)) / 7 - 10
                net.addArc(from: a, to: b, upper: upper, cost: cost)
                scaled.addArc(from: a, to: b, upper: upper * 1_000_000, cost: cost * 1e-9)
            }
            let plain = NetworkSimplex.solve(net), small = NetworkSimplex.solve(scaled)
            XCTAssertEqual(plain.status, small.status, "instance \(instance)")
            if plain.status == .optimal {
                XCTAssertEqual(small.totalCost, plain.totalCost * 1e-3, accuracy: 1e-9 * max(1e-3, abs(plain.totalCost * 1e-3)), "instance \(instance)")
            }
        }
    }
}
