/// Shortest paths in the residual network of an optimal flow. At the optimum
/// every residual arc has a reduced cost ≥ 0, so Dijkstra on reduced costs is
/// exact. The cost of the cheapest way to push one more unit from u to w is the
/// right-hand derivative of the optimum in u's supply: for a funder, the value
/// of one more rupiah, even where node potentials are degenerate.
public struct ResidualPaths {
    let network: FlowNetwork
    let solution: FlowSolution
    private var start: [Int]
    private var arcs: [(to: Int, reducedCost: Double)]

    public init(network: FlowNetwork, solution: FlowSolution) {
        self.network = network
        self.solution = solution
        // Each arc's residual directions with their reduced costs: one more unit
        // forward costs the segment above the flow, one unit back saves the
        // segment below it (for a convex arc, not its first segment's cost).
        let residual = (0..<network.arcCount).map { solution.reducedCosts(network, arc: $0) }
        var degree = [Int](repeating: 0, count: network.nodeCount + 1)
        for e in 0..<network.arcCount {
            if residual[e].forward != nil { degree[network.tail[e]] += 1 }
            if residual[e].backward != nil { degree[network.head[e]] += 1 }
        }
        start = [0]
        for u in 0..<network.nodeCount { start.append(start[u] + degree[u]) }
        var fill = start
        arcs = Array(repeating: (0, 0), count: start[network.nodeCount])
        for e in 0..<network.arcCount {
            // At the optimum forward ≥ 0 ≥ backward; clamp rounding for Dijkstra.
            if let forward = residual[e].forward { arcs[fill[network.tail[e]]] = (network.head[e], max(0, forward)); fill[network.tail[e]] += 1 }
            if let backward = residual[e].backward { arcs[fill[network.head[e]]] = (network.tail[e], max(0, -backward)); fill[network.head[e]] += 1 }
        }
    }

    /// Real cost (Σ arc costs) of the cheapest residual path from `source` to
    /// `target`; nil when none exists.
    public func cost(from source: Int, to target: Int) -> Double? {
        let n = network.nodeCount
        var distance = [Double](repeating: .infinity, count: n)
        var done = [Bool](repeating: false, count: n)
        var heap = [(Double, Int)]()
        func push(_ item: (Double, Int)) {
            heap.append(item)
            var i = heap.count - 1
            while i > 0 { let p = (i - 1) / 2; if heap[p].0 <= heap[i].0 { break }; heap.swapAt(p, i); i = p }
        }
        func pop() -> (Double, Int) {
            let top = heap[0]
            heap[0] = heap[heap.count - 1]
            heap.removeLast()
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count && heap[l].0 < heap[m].0 { m = l }
                if r < heap.count && heap[r].0 < heap[m].0 { m = r }
                if m == i { break }
                heap.swapAt(m, i); i = m
            }
            return top
        }
        distance[source] = 0
        push((0, source))
        while !heap.isEmpty {
            let (d, u) = pop()
            if done[u] { continue }
            done[u] = true
            if u == target { break }
            for k in start[u]..<start[u + 1] {
                let (v, w) = arcs[k]
                if d + w < distance[v] { distance[v] = d + w; push((distance[v], v)) }
            }
        }
        guard distance[target].isFinite else { return nil }
        // Reduced cost of a path = real cost + π(source) − π(target).
        return distance[target] - solution.potential[source] + solution.potential[target]
    }
}
