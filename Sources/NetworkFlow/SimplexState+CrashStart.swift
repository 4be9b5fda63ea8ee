/// The starting spanning tree.
///
/// A demand node that one real arc from a supply node can serve whole (an
/// allocation's unspent arc takes every budget to the sink) hangs from that
/// node, the arc carrying its demand. Every other node with a supply or demand
/// hangs from the root by its artificial arc, which carries what is left.
/// Every other node that real arcs reach from those hangs, breadth first, from
/// the node that reached it, by that arc with zero flow pointing away from the
/// root. The tree is strongly feasible and its potentials already follow real
/// costs. (Hanging every node from the root, the textbook big-M start, costs a
/// pivot per node before any real choice, and its first pivots spend every
/// budget on whatever path comes first.)
extension SimplexState {
    mutating func crashStart() {
        var growth = TreeGrowth(nodes: n)
        var left = Array(supply.prefix(n))
        let served = directlyServed(&growth, left: &left)
        for u in 0..<n where supply[u] > 0 { hangFromRoot(u, left: left[u], &growth) }
        for (w, e) in served {
            parent[w] = tail[e]
            parentArc[w] = e
            place(e, in: 0)
            flow[e] = -supply[w]
            left[w] = 0
            potential[w] = potential[tail[e]] + cost[e]
            growth.order.append(w)
        }
        for u in 0..<n where supply[u] < 0 && !growth.attached[u] { hangFromRoot(u, left: left[u], &growth) }
        growBreadthFirst(&growth, left: left)
        buildThread()
    }

    /// Nodes attached so far, in the order they were.
    struct TreeGrowth {
        var attached: [Bool]
        var order: [Int] = []
        init(nodes: Int) {
            attached = [Bool](repeating: false, count: nodes)
            order.reserveCapacity(nodes)
        }
    }

    /// Demand nodes one plain arc from a supply node can serve whole, with the
    /// arc; their demand is taken from that supply.
    private func directlyServed(_ growth: inout TreeGrowth, left: inout [Int64]) -> [(node: Int, arc: Int)] {
        var served: [(node: Int, arc: Int)] = []
        for e in 0..<m where segmentStart[e + 1] - segmentStart[e] == 1 {
            let u = tail[e], w = head[e], demand = -supply[w]
            // Strictly below capacity: a tree arc at its upper bound pointing away
            // from the root would break strong feasibility.
            guard supply[u] > 0, demand > 0, !growth.attached[w], left[u] >= demand, segmentEnd[segmentStart[e]] > demand else { continue }
            growth.attached[w] = true
            left[u] -= demand
            served.append((w, e))
        }
        return served
    }

    private mutating func hangFromRoot(_ u: Int, left: Int64, _ growth: inout TreeGrowth) {
        growth.attached[u] = true
        let a = m + u
        if left > 0 { tail[a] = u; head[a] = root; flow[a] = left } else { tail[a] = root; head[a] = u; flow[a] = -left }
        // An artificial arc without flow points away from the root, so no
        // cycle can push flow onto it (it would leave at once); it costs 0,
        // not big-M, which keeps the potentials below it on the scale of the
        // real costs: rounding in potentials of big-M's size would otherwise
        // exceed the pricing tolerance.
        if flow[a] == 0 { segmentCost[segmentStart[a]] = 0 }
        parentArc[u] = a
        place(a, in: 0)
        potential[u] = tail[a] == root ? cost[a] : -cost[a]
        growth.order.append(u)
    }

    /// Hangs every node that real arcs reach from the tree, breadth first; a
    /// node nothing reaches hangs from the root, and growth goes on from it.
    private mutating func growBreadthFirst(_ growth: inout TreeGrowth, left: [Int64]) {
        var outStart = [Int](repeating: 0, count: n + 1)
        for e in 0..<m { outStart[tail[e] + 1] += 1 }
        for u in 0..<n { outStart[u + 1] += outStart[u] }
        var outArcs = [Int](repeating: 0, count: m)
        var fill = outStart
        for e in 0..<m { outArcs[fill[tail[e]]] = e; fill[tail[e]] += 1 }
        var reached = 0, unattached = 0
        while true {
            while reached < growth.order.count {
                let u = growth.order[reached]
                reached += 1
                for k in outStart[u]..<outStart[u + 1] {
                    let e = outArcs[k], w = head[e]
                    guard !growth.attached[w] else { continue }
                    growth.attached[w] = true
                    parent[w] = u
                    parentArc[w] = e
                    place(e, in: 0)
                    potential[w] = potential[u] + cost[e]
                    growth.order.append(w)
                }
            }
            while unattached < n && growth.attached[unattached] { unattached += 1 }
            guard unattached < n else { break }
            hangFromRoot(unattached, left: left[unattached], &growth)
        }
    }

    /// Preorder thread, subtree sizes and last nodes from the parent links, by
    /// a depth-first walk over the children lists.
    private mutating func buildThread() {
        var childStart = [Int](repeating: 0, count: n + 2)
        for u in 0..<n { childStart[parent[u] + 1] += 1 }
        for u in 0...n { childStart[u + 1] += childStart[u] }
        var children = [Int](repeating: 0, count: n)
        var fill = childStart
        for u in 0..<n { children[fill[parent[u]]] = u; fill[parent[u]] += 1 }
        var stack = [root]
        var previous = -1
        var preorder: [Int] = []
        preorder.reserveCapacity(n + 1)
        while let u = stack.popLast() {
            if previous >= 0 { thread[previous] = u; reverseThread[u] = previous }
            previous = u
            preorder.append(u)
            for k in stride(from: childStart[u + 1] - 1, through: childStart[u], by: -1) { stack.append(children[k]) }
        }
        thread[previous] = root
        reverseThread[root] = previous
        // Subtree sizes, children before parents; a subtree's last node is then
        // `size − 1` places after it in preorder.
        for u in preorder.reversed() where u != root { subtreeSize[parent[u]] += subtreeSize[u] }
        for (i, u) in preorder.enumerated() { lastInSubtree[u] = preorder[i + subtreeSize[u] - 1] }
    }
}
