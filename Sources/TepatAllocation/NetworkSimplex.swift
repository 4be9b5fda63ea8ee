/// Primal network simplex for minimum-cost flow.
///
/// Lower bounds are shifted out first. The start is the artificial "big-M"
/// spanning tree around an extra root; arcs enter by block search (the most
/// violating arc of a block of √m arcs, as LEMON's default), and the leaving arc
/// is the last blocking arc met when walking the cycle from its apex along its
/// orientation (Cunningham's rule): the tree stays strongly feasible, so
/// degenerate pivots cannot cycle. After each pivot the tree's parent links
/// and potentials are rebuilt from the root, which is simple and exact.
/// Deterministic: the same network always gives the same flows.
public enum NetworkSimplex {
    public static func solve(_ network: FlowNetwork, tolerance: Double = 1e-12) -> FlowSolution {
        let n = network.nodeCount, m = network.arcCount
        let root = n
        // Shift lower bounds: flow = lower + f', 0 ≤ f' ≤ upper − lower.
        var supply = network.supply + [0]
        var capacity = [Int64](repeating: 0, count: m + n)
        var cost = [Double](repeating: 0, count: m + n)
        var tail = [Int](repeating: 0, count: m + n), head = tail
        var constant = 0.0
        var maxCost = 0.0
        for e in 0..<m {
            tail[e] = network.tail[e]; head[e] = network.head[e]
            capacity[e] = network.upper[e] - network.lower[e]
            cost[e] = network.cost[e]
            maxCost = max(maxCost, abs(cost[e]))
            if network.lower[e] != 0 {
                supply[tail[e]] -= network.lower[e]
                supply[head[e]] += network.lower[e]
                constant += Double(network.lower[e]) * cost[e]
            }
        }
        // Artificial arcs u→root (supply > 0) or root→u: big-M cost.
        let bigM = (maxCost + 1) * Double(n + 1)
        var flow = [Int64](repeating: 0, count: m + n)
        var state = [Int8](repeating: 1, count: m + n)  // 1: at lower, −1: at upper, 0: in tree
        for u in 0..<n {
            let a = m + u
            cost[a] = bigM
            capacity[a] = FlowNetwork.unbounded
            if supply[u] > 0 { tail[a] = u; head[a] = root; flow[a] = supply[u] }
            else { tail[a] = root; head[a] = u; flow[a] = -supply[u] }
            state[a] = 0
        }
        var treeArcs = [[Int]](repeating: [], count: n + 1)
        for u in 0..<n { treeArcs[u].append(m + u); treeArcs[root].append(m + u) }
        var parent = [Int](repeating: -1, count: n + 1)
        var parentArc = [Int](repeating: -1, count: n + 1)
        var depth = [Int](repeating: 0, count: n + 1)
        var potential = [Double](repeating: 0, count: n + 1)
        var stack: [Int] = []

        func rebuildTree() {
            parent[root] = -1; parentArc[root] = -1; depth[root] = 0; potential[root] = 0
            stack.removeAll(keepingCapacity: true)
            stack.append(root)
            while let u = stack.popLast() {
                for a in treeArcs[u] where a != parentArc[u] {
                    let v = tail[a] == u ? head[a] : tail[a]
                    parent[v] = u
                    parentArc[v] = a
                    depth[v] = depth[u] + 1
                    // Reduced cost 0 on tree arcs: π(head) = π(tail) + c.
                    potential[v] = tail[a] == u ? potential[u] + cost[a] : potential[u] - cost[a]
                    stack.append(v)
                }
            }
        }
        rebuildTree()

        let totalArcs = m + n
        let blockSize = max(10, Int(Double(totalArcs).squareRoot()))
        var next = 0
        var pivots = 0
        while true {
            // Block search for the entering arc.
            var entering = -1
            var best = 0.0
            var examined = 0
            var inBlock = 0
            while examined < totalArcs {
                let e = next
                next += 1
                if next == totalArcs { next = 0 }
                examined += 1
                inBlock += 1
                if state[e] != 0 {
                    let violation = Double(state[e]) * (cost[e] + potential[tail[e]] - potential[head[e]])
                    if violation < best - tolerance * (1 + abs(cost[e])) { best = violation; entering = e }
                }
                if inBlock >= blockSize {
                    if entering >= 0 { break }
                    inBlock = 0
                }
            }
            if entering < 0 { break }
            pivots += 1

            // The cycle: entering arc from `first` to `second` in the direction of
            // flow increase, then the tree path from `second` back to `first`.
            let first = state[entering] == 1 ? tail[entering] : head[entering]
            let second = state[entering] == 1 ? head[entering] : tail[entering]
            var a = first, b = second
            while a != b {
                if depth[a] >= depth[b] { a = parent[a] } else { b = parent[b] }
            }
            let apex = a
            // Residual capacity along the cycle; the leaving arc is the last
            // blocking arc in orientation order: apex→…→first, entering, second→…→apex
            // (`<=` keeps the later arc on ties).
            var delta = FlowNetwork.unbounded
            var leaving = -1
            var firstPath: [Int] = []
            var u = first
            while u != apex { firstPath.append(u); u = parent[u] }
            for node in firstPath.reversed() {
                // Flow goes parent → node.
                let arc = parentArc[node]
                let residual = tail[arc] == parent[node] ? capacity[arc] - flow[arc] : flow[arc]
                if residual <= delta { delta = residual; leaving = arc }
            }
            let enteringResidual = state[entering] == 1 ? capacity[entering] : flow[entering]
            if enteringResidual <= delta { delta = enteringResidual; leaving = entering }
            u = second
            while u != apex {
                // Flow goes node → parent.
                let arc = parentArc[u]
                let residual = tail[arc] == u ? capacity[arc] - flow[arc] : flow[arc]
                if residual <= delta { delta = residual; leaving = arc }
                u = parent[u]
            }

            // Push delta around the cycle.
            if delta > 0 {
                flow[entering] += state[entering] == 1 ? delta : -delta
                for node in firstPath {
                    let arc = parentArc[node]
                    if tail[arc] == parent[node] { flow[arc] += delta } else { flow[arc] -= delta }
                }
                u = second
                while u != apex {
                    let arc = parentArc[u]
                    if tail[arc] == u { flow[arc] += delta } else { flow[arc] -= delta }
                    u = parent[u]
                }
            }
            if leaving == entering {
                state[entering] = -state[entering]
                continue
            }
            // Swap arcs in the tree.
            state[leaving] = flow[leaving] == 0 ? 1 : -1
            state[entering] = 0
            if let k = treeArcs[tail[leaving]].firstIndex(of: leaving) { treeArcs[tail[leaving]].remove(at: k) }
            if let k = treeArcs[head[leaving]].firstIndex(of: leaving) { treeArcs[head[leaving]].remove(at: k) }
            treeArcs[tail[entering]].append(entering)
            treeArcs[head[entering]].append(entering)
            rebuildTree()
        }

        let feasible = (m..<(m + n)).allSatisfy { flow[$0] == 0 }
        var result = [Int64](repeating: 0, count: m)
        var total = constant
        for e in 0..<m {
            result[e] = flow[e] + network.lower[e]
            total += Double(flow[e]) * cost[e]
        }
        return FlowSolution(
            status: feasible ? .optimal : .infeasible, flow: result,
            potential: Array(potential.prefix(n)), totalCost: total, pivots: pivots)
    }
}
