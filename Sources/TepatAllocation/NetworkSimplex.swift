/// Primal network simplex for minimum-cost flow.
///
/// Lower bounds are shifted out first. The start is the artificial "big-M"
/// spanning tree around an extra root; arcs enter by block search (the most
/// violating arc of a block of √m arcs, as LEMON's default), and the leaving arc
/// is the last blocking arc met when walking the cycle from its apex along its
/// orientation (Cunningham's rule): the tree stays strongly feasible, so
/// degenerate pivots cannot cycle. The tree is kept in LEMON's preorder-thread
/// form: after a pivot the cut subtree is spliced back re-rooted (work along
/// its stem) and its potentials shift by one constant over a contiguous stretch.
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
        // The spanning tree in preorder-thread form (as LEMON): parent, the arc
        // to the parent, the next and previous node in preorder, subtree sizes
        // and the last node of each subtree. A subtree is a contiguous stretch of
        // the thread, so a pivot splices stretches and shifts one stretch's
        // potentials, without walking adjacency lists.
        var parent = [Int](repeating: root, count: n + 1)
        var parentArc = [Int](repeating: -1, count: n + 1)
        var thread = [Int](repeating: 0, count: n + 1)
        var reverseThread = [Int](repeating: 0, count: n + 1)
        var subtreeSize = [Int](repeating: 1, count: n + 1)
        var lastInSubtree = [Int](repeating: 0, count: n + 1)
        var potential = [Double](repeating: 0, count: n + 1)
        parent[root] = -1
        subtreeSize[root] = n + 1
        var previous = root
        for u in 0..<n {
            parentArc[u] = m + u
            lastInSubtree[u] = u
            thread[previous] = u
            reverseThread[u] = previous
            previous = u
            potential[u] = tail[m + u] == root ? cost[m + u] : -cost[m + u]
        }
        thread[previous] = root
        reverseThread[root] = previous
        lastInSubtree[root] = previous

        let totalArcs = m + n
        // Pricing tolerance relative to the largest cost: allocation costs are
        // ~10⁻⁸ per rupiah, and an absolute tolerance stopped short of the optimum.
        let threshold = tolerance * max(maxCost, Double.leastNormalMagnitude)
        let blockSize = max(10, Int(Double(totalArcs).squareRoot()))
        var next = 0
        var pivots = 0
        var firstPath: [Int] = []
        var stem: [Int] = []
        var pieces: [(Int, Int)] = []
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
                if subtreeSize[a] < subtreeSize[b] { a = parent[a] } else { b = parent[b] }
            }
            let apex = a
            // Residual capacity along the cycle; the leaving arc is the last
            // blocking arc in orientation order: apex→…→first, entering, second→…→apex
            // (`<=` keeps the later arc on ties).
            var delta = FlowNetwork.unbounded
            var leaving = -1
            // Which cycle endpoint lies in the subtree the leaving arc cuts off, and
            // the root of that subtree (the leaving arc's child end).
            var cutEndpoint = -1
            var cutRoot = -1
            firstPath.removeAll(keepingCapacity: true)
            var u = first
            while u != apex { firstPath.append(u); u = parent[u] }
            for node in firstPath.reversed() {
                // Flow goes parent → node.
                let arc = parentArc[node]
                let residual = tail[arc] == parent[node] ? capacity[arc] - flow[arc] : flow[arc]
                if residual <= delta { delta = residual; leaving = arc; cutEndpoint = first; cutRoot = node }
            }
            let enteringResidual = state[entering] == 1 ? capacity[entering] : flow[entering]
            if enteringResidual <= delta { delta = enteringResidual; leaving = entering }
            u = second
            while u != apex {
                // Flow goes node → parent.
                let arc = parentArc[u]
                let residual = tail[arc] == u ? capacity[arc] - flow[arc] : flow[arc]
                if residual <= delta { delta = residual; leaving = arc; cutEndpoint = second; cutRoot = u }
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
            state[leaving] = flow[leaving] == 0 ? 1 : -1
            state[entering] = 0

            // Re-root the cut subtree S (root `cutRoot`) at `inside` and hang it
            // from `outside` by the entering arc. The stem inside = s₀, s₁, …, s_k =
            // cutRoot reverses. In the new preorder of S, s₀'s old subtree comes
            // first, then for each i ≥ 1 the stretch of s_i's old subtree before
            // s_{i−1}'s, then the stretch after it.
            let inside = cutEndpoint
            let outside = inside == tail[entering] ? head[entering] : tail[entering]
            stem.removeAll(keepingCapacity: true)
            var x = inside
            while true { stem.append(x); if x == cutRoot { break }; x = parent[x] }
            let size = subtreeSize[cutRoot]
            let oldLast = lastInSubtree[cutRoot]
            let before = reverseThread[cutRoot], after = thread[oldLast]
            let oldParent = parent[cutRoot]
            // Stretches of the new order, as (first, last) on the old thread.
            pieces.removeAll(keepingCapacity: true)
            pieces.append((inside, lastInSubtree[inside]))
            for i in 1..<stem.count {
                let node = stem[i], child = stem[i - 1]
                pieces.append((node, reverseThread[child]))
                if lastInSubtree[node] != lastInSubtree[child] {
                    pieces.append((thread[lastInSubtree[child]], lastInSubtree[node]))
                }
            }
            // Sizes along the stem, from the old sizes.
            var newSizes = [Int](repeating: 0, count: stem.count)
            newSizes[0] = size
            for i in 1..<stem.count { newSizes[i] = size - subtreeSize[stem[i - 1]] }
            // Take S out of the thread, then fix the ancestors that ended with it.
            thread[before] = after
            reverseThread[after] = before
            var a2 = oldParent
            while a2 >= 0 {
                subtreeSize[a2] -= size
                if lastInSubtree[a2] == oldLast { lastInSubtree[a2] = before }
                a2 = parent[a2]
            }
            // Chain the stretches into S's new order.
            for k in 1..<pieces.count {
                thread[pieces[k - 1].1] = pieces[k].0
                reverseThread[pieces[k].0] = pieces[k - 1].1
            }
            let newLast = pieces[pieces.count - 1].1
            // Reverse the stem's parent links.
            var previousArc = entering
            var previousNode = outside
            for node in stem {
                let arc = parentArc[node]
                parentArc[node] = previousArc
                parent[node] = previousNode
                previousArc = arc
                previousNode = node
            }
            for (i, node) in stem.enumerated() {
                subtreeSize[node] = newSizes[i]
                lastInSubtree[node] = newLast
            }
            // Insert S right after `outside`.
            let next = thread[outside]
            thread[outside] = inside
            reverseThread[inside] = outside
            thread[newLast] = next
            reverseThread[next] = newLast
            var a3 = outside
            let outsideWasLeaf = lastInSubtree[outside] == outside
            while a3 >= 0 {
                subtreeSize[a3] += size
                if outsideWasLeaf && lastInSubtree[a3] == outside { lastInSubtree[a3] = newLast }
                a3 = parent[a3]
            }
            // Shift S's potentials so the entering arc's reduced cost is 0.
            let wanted = tail[entering] == outside ? potential[outside] + cost[entering] : potential[outside] - cost[entering]
            let sigma = wanted - potential[inside]
            var y = inside
            for _ in 0..<size { potential[y] += sigma; y = thread[y] }
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
