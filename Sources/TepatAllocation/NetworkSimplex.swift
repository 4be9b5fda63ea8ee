/// Primal network simplex for minimum-cost flow.
///
/// Lower bounds are shifted out first. The start is the artificial "big-M"
/// spanning tree around an extra root; arcs enter by block search (the most
/// violating arc of a block of √m arcs, as LEMON's default), and the leaving arc
/// is the last blocking arc met when walking the cycle from its apex along its
/// orientation (Cunningham's rule): the tree stays strongly feasible, so
/// degenerate pivots cannot cycle. After each pivot only the subtree cut off by
/// the leaving arc is re-hung (from the entering arc) and its parent links,
/// depths and potentials recomputed; tree adjacency is kept in flat linked
/// lists, so no pivot allocates.
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
        // Artificial arcs u→root (supply > 0) or root→u: big-M cost, above any
        // path's cost but on the costs' own scale, so potentials keep precision.
        let bigM = maxCost > 0 ? 2 * maxCost * Double(n + 1) : 1
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
        // Tree adjacency as doubly linked lists of slots; slot 2a is arc a at its
        // tail, 2a + 1 at its head.
        var firstSlot = [Int](repeating: -1, count: n + 1)
        var nextSlot = [Int](repeating: -1, count: 2 * (m + n))
        var previousSlot = [Int](repeating: -1, count: 2 * (m + n))
        func link(_ slot: Int, _ node: Int) {
            nextSlot[slot] = firstSlot[node]
            previousSlot[slot] = -1
            if firstSlot[node] >= 0 { previousSlot[firstSlot[node]] = slot }
            firstSlot[node] = slot
        }
        func unlink(_ slot: Int, _ node: Int) {
            if previousSlot[slot] >= 0 { nextSlot[previousSlot[slot]] = nextSlot[slot] } else { firstSlot[node] = nextSlot[slot] }
            if nextSlot[slot] >= 0 { previousSlot[nextSlot[slot]] = previousSlot[slot] }
        }
        func addToTree(_ a: Int) { link(2 * a, tail[a]); link(2 * a + 1, head[a]) }
        func removeFromTree(_ a: Int) { unlink(2 * a, tail[a]); unlink(2 * a + 1, head[a]) }
        for u in 0..<n { addToTree(m + u) }
        var parent = [Int](repeating: -1, count: n + 1)
        var parentArc = [Int](repeating: -1, count: n + 1)
        var depth = [Int](repeating: 0, count: n + 1)
        var potential = [Double](repeating: 0, count: n + 1)
        var stack: [Int] = []
        stack.reserveCapacity(n + 1)

        /// Recomputes parent, depth and potential below `top`, whose own are set.
        func hang(from top: Int) {
            stack.removeAll(keepingCapacity: true)
            stack.append(top)
            while let u = stack.popLast() {
                var slot = firstSlot[u]
                while slot >= 0 {
                    let a = slot >> 1
                    slot = nextSlot[slot]
                    if a == parentArc[u] { continue }
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
        parent[root] = -1; parentArc[root] = -1; depth[root] = 0; potential[root] = 0
        hang(from: root)

        let totalArcs = m + n
        // Pricing tolerance relative to the largest cost: allocation costs are
        // ~10⁻⁸ per rupiah, and an absolute tolerance stopped short of the optimum.
        let threshold = tolerance * max(maxCost, Double.leastNormalMagnitude)
        let blockSize = max(10, Int(Double(totalArcs).squareRoot()))
        var next = 0
        var pivots = 0
        var firstPath: [Int] = []
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
                    if violation < best - threshold { best = violation; entering = e }
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
            // Which cycle endpoint lies in the subtree the leaving arc cuts off.
            var cutEndpoint = -1
            firstPath.removeAll(keepingCapacity: true)
            var u = first
            while u != apex { firstPath.append(u); u = parent[u] }
            for node in firstPath.reversed() {
                // Flow goes parent → node.
                let arc = parentArc[node]
                let residual = tail[arc] == parent[node] ? capacity[arc] - flow[arc] : flow[arc]
                if residual <= delta { delta = residual; leaving = arc; cutEndpoint = first }
            }
            let enteringResidual = state[entering] == 1 ? capacity[entering] : flow[entering]
            if enteringResidual <= delta { delta = enteringResidual; leaving = entering }
            u = second
            while u != apex {
                // Flow goes node → parent.
                let arc = parentArc[u]
                let residual = tail[arc] == u ? capacity[arc] - flow[arc] : flow[arc]
                if residual <= delta { delta = residual; leaving = arc; cutEndpoint = second }
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
            // Swap arcs in the tree, then re-hang the cut-off subtree from the
            // entering arc's endpoint inside it.
            state[leaving] = flow[leaving] == 0 ? 1 : -1
            state[entering] = 0
            removeFromTree(leaving)
            addToTree(entering)
            let inside = cutEndpoint
            let outside = inside == tail[entering] ? head[entering] : tail[entering]
            parent[inside] = outside
            parentArc[inside] = entering
            depth[inside] = depth[outside] + 1
            potential[inside] = tail[entering] == outside ? potential[outside] + cost[entering] : potential[outside] - cost[entering]
            hang(from: inside)
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
