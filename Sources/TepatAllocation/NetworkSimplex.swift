/// Primal network simplex for minimum-cost flow.
///
/// Lower bounds are shifted out first. The start is a spanning tree around an
/// extra root, real arcs where one can carry a node's supply (the crash start
/// below), artificial ones otherwise; arcs enter by block search (the most
/// violating arc of a block of 3√m real arcs; LEMON uses √m), and the leaving arc
/// is the last blocking arc met when walking the cycle from its apex along its
/// orientation (Cunningham's rule): the tree stays strongly feasible, so
/// degenerate pivots cannot cycle. The tree is kept in LEMON's preorder-thread
/// form: after a pivot the cut subtree is spliced back re-rooted (work along
/// its stem) and its potentials shift by one constant over a contiguous stretch.
/// Deterministic: the same network always gives the same flows.
///
/// Convex arcs (FlowNetwork.addConvexArc) are handled as their parallel
/// segments would be, without materialising them: a nonbasic arc sits at a
/// breakpoint and prices the segment above it (forward) and below it
/// (backward); a basic arc lies within one segment, whose bounds the ratio test
/// uses. When the entering arc itself blocks, it moves on to the next segment in
/// the same pivot while that segment is at least half as good and the cycle has
/// room: a run of pivots that would each only flip a parallel arc to its bound,
/// done at once. Each step is a legal pivot of the parallel network
/// under Cunningham's rule, so strong feasibility, and with it finiteness, holds.
public enum NetworkSimplex {
    /// Dantzig's rule within blocks: the most violating arc of the first block
    /// (of `blockSize` arcs, from `start`, cyclically) that has one; -1 when no
    /// arc of `0..<arcs` violates its optimality condition by more than
    /// `threshold`. Unchecked buffers: this loop is most of a solve.
    @inline(__always)
    static func blockSearch(
        from start: Int, arcs: Int, blockSize: Int, threshold: Double,
        state: UnsafeBufferPointer<Int8>, potential: UnsafeBufferPointer<Double>,
        tail: UnsafeBufferPointer<Int>, head: UnsafeBufferPointer<Int>,
        forwardCost: UnsafeBufferPointer<Double>, backwardCost: UnsafeBufferPointer<Double>
    ) -> (entering: Int, best: Double, next: Int) {
        var entering = -1
        var best = 0.0
        var examined = 0
        var inBlock = 0
        var next = start < arcs ? start : 0
        while examined < arcs {
            let e = next
            next += 1
            if next == arcs { next = 0 }
            examined += 1
            inBlock += 1
            if state[e] != 0 {
                let d = potential[tail[e]] - potential[head[e]]
                let violation = min(forwardCost[e] + d, -(backwardCost[e] + d))
                if violation < best - threshold { best = violation; entering = e }
            }
            if inBlock >= blockSize {
                if entering >= 0 { break }
                inBlock = 0
            }
        }
        return (entering, best, next)
    }

    /// - Parameter warmUp: extra unit costs per arc for a first phase (nil: none).
    ///   The first phase solves the problem with them; the second starts from its
    ///   optimal tree with the true costs. Good guesses of the duals (a funder's
    ///   marginal value on its budget arc) make the first phase take only choices
    ///   that the second keeps; any guess gives the same, exact optimum.
    /// - Parameter reversed: solve the reverse network instead (every arc turned
    ///   round, supplies negated): the same flows, potentials negated back, but a
    ///   different spanning tree. A strongly feasible tree hangs arcs without
    ///   flow pointing away from the root, and the crash start grows the tree
    ///   from the nodes with supply. Forward, everything an allocation's funders
    ///   could reach but do not fund hangs below the funders, and every change of
    ///   a funder's price re-prices it; reversed, it hangs below the villages,
    ///   from the sink's side, which few pivots move. (Synthetic province with
    ///   good warm-up prices: 3.0 s forward, 1.5 s reversed; Jawa Timur 2.3 s
    ///   and 1.5 s.)
    public static func solve(
        _ network: FlowNetwork, tolerance: Double = 1e-12, warmUp: [Double]? = nil, reversed: Bool = false
    ) -> FlowSolution {
        let n = network.nodeCount, m = network.arcCount
        let root = n
        // Shift lower bounds: flow = lower + f', 0 ≤ f' ≤ upper − lower.
        var supply = (reversed ? network.supply.map { -$0 } : network.supply) + [0]
        var tail = [Int](repeating: 0, count: m + n), head = tail
        // Segments of every arc, artificial ones last (one segment each).
        var segmentStart = network.segmentStart
        var segmentEnd = network.segmentEnd
        var segmentCost = network.segmentCost
        var constant = 0.0
        var maxCost = 0.0
        for c in segmentCost { maxCost = max(maxCost, abs(c)) }
        if let warmUp {
            for e in 0..<m where warmUp[e] != 0 {
                for k in segmentStart[e]..<segmentStart[e + 1] {
                    segmentCost[k] += warmUp[e]
                    maxCost = max(maxCost, abs(segmentCost[k]))
                }
            }
        }
        var warming = warmUp != nil
        for e in 0..<m {
            tail[e] = reversed ? network.head[e] : network.tail[e]
            head[e] = reversed ? network.tail[e] : network.head[e]
            if network.lower[e] != 0 {
                supply[tail[e]] -= network.lower[e]
                supply[head[e]] += network.lower[e]
                constant += Double(network.lower[e]) * network.cost[e]
            }
        }
        // Artificial arcs u→root (supply > 0) or root→u: big-M cost, above any
        // path's cost but on the costs' own scale, so potentials keep precision.
        let bigM = maxCost > 0 ? 2 * maxCost * Double(n + 1) : 1
        for _ in 0..<n {
            segmentEnd.append(FlowNetwork.unbounded)
            segmentCost.append(bigM)
            segmentStart.append(segmentEnd.count)
        }
        // State of each arc. In the tree (state 0): the segment it lies in, its
        // bounds and cost. Out of it (state 1): the breakpoint it sits at and the
        // unit costs of the segments above and below (±∞ at the arc's ends).
        var flow = [Int64](repeating: 0, count: m + n)
        var state = [Int8](repeating: 1, count: m + n)
        var position = [Int](repeating: 0, count: m + n)
        var low = [Int64](repeating: 0, count: m + n), high = low
        var cost = [Double](repeating: 0, count: m + n)
        var forwardCost = [Double](repeating: .infinity, count: m + n)
        var backwardCost = [Double](repeating: -.infinity, count: m + n)
        @inline(__always) func breakpoint(_ e: Int, _ k: Int) -> Int64 { k == 0 ? 0 : segmentEnd[segmentStart[e] + k - 1] }
        @inline(__always) func segmentCount(_ e: Int) -> Int { segmentStart[e + 1] - segmentStart[e] }
        /// Takes arc e out of the tree at breakpoint k.
        @inline(__always) func park(_ e: Int, at k: Int) {
            state[e] = 1
            position[e] = k
            forwardCost[e] = k < segmentCount(e) ? segmentCost[segmentStart[e] + k] : .infinity
            backwardCost[e] = k > 0 ? segmentCost[segmentStart[e] + k - 1] : -.infinity
            // An artificial arc out of the tree is out for good.
            if e >= m { forwardCost[e] = .infinity; backwardCost[e] = -.infinity }
        }
        /// Puts arc e in the tree within segment k.
        @inline(__always) func place(_ e: Int, in k: Int) {
            state[e] = 0
            position[e] = k
            low[e] = breakpoint(e, k)
            high[e] = segmentEnd[segmentStart[e] + k]
            cost[e] = segmentCost[segmentStart[e] + k]
        }
        for e in 0..<m { park(e, at: 0) }
        for u in 0..<n {
            // Out of the tree unless the crash start below hangs u from the root.
            tail[m + u] = root; head[m + u] = u
            park(m + u, at: 0)
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

        // Crash start. A demand node that one real arc from a supply node can
        // serve whole (the allocation's unspent arc takes every budget to the
        // sink) hangs from that node, the arc carrying its demand. Every other
        // node with a supply or demand hangs from the root by its artificial arc,
        // which carries what is left. Every other node that real arcs reach from
        // those hangs, breadth first, from the node that reached it, by that arc
        // with zero flow pointing away from the root. The tree is strongly
        // feasible and its potentials already follow real costs. (Hanging every
        // node from the root, the textbook big-M start, costs a pivot per node
        // before any real choice, and its first pivots spend every budget on
        // whatever path comes first.)
        var outStart = [Int](repeating: 0, count: n + 1)
        for e in 0..<m { outStart[tail[e] + 1] += 1 }
        for u in 0..<n { outStart[u + 1] += outStart[u] }
        var outArcs = [Int](repeating: 0, count: m)
        var fill = outStart
        for e in 0..<m { outArcs[fill[tail[e]]] = e; fill[tail[e]] += 1 }
        var attached = [Bool](repeating: false, count: n)
        var order: [Int] = []
        order.reserveCapacity(n)
        var left = Array(supply.prefix(n))
        var served: [(node: Int, arc: Int)] = []
        for e in 0..<m where segmentStart[e + 1] - segmentStart[e] == 1 {
            let u = tail[e], w = head[e], demand = -supply[w]
            // Strictly below capacity: a tree arc at its upper bound pointing away
            // from the root would break strong feasibility.
            guard supply[u] > 0, demand > 0, !attached[w], left[u] >= demand, segmentEnd[segmentStart[e]] > demand else { continue }
            attached[w] = true
            left[u] -= demand
            served.append((w, e))
        }
        func hangFromRoot(_ u: Int) {
            attached[u] = true
            let a = m + u
            if left[u] > 0 { tail[a] = u; head[a] = root; flow[a] = left[u] } else { tail[a] = root; head[a] = u; flow[a] = -left[u] }
            // An artificial arc without flow points away from the root, so no
            // cycle can push flow onto it (it would leave at once); it costs 0,
            // not big-M, which keeps the potentials below it on the scale of the
            // real costs: rounding in potentials of big-M's size would otherwise
            // exceed the pricing tolerance.
            if flow[a] == 0 { segmentCost[segmentStart[a]] = 0 }
            parentArc[u] = a
            place(a, in: 0)
            potential[u] = tail[a] == root ? cost[a] : -cost[a]
            order.append(u)
        }
        for u in 0..<n where supply[u] > 0 { hangFromRoot(u) }
        for (w, e) in served {
            parent[w] = tail[e]
            parentArc[w] = e
            place(e, in: 0)
            flow[e] = -supply[w]
            left[w] = 0
            potential[w] = potential[tail[e]] + cost[e]
            order.append(w)
        }
        for u in 0..<n where supply[u] < 0 && !attached[u] { hangFromRoot(u) }
        var reached = 0, unattached = 0
        while true {
            while reached < order.count {
                let u = order[reached]
                reached += 1
                for k in outStart[u]..<outStart[u + 1] {
                    let e = outArcs[k], w = head[e]
                    guard !attached[w] else { continue }
                    attached[w] = true
                    parent[w] = u
                    parentArc[w] = e
                    place(e, in: 0)
                    potential[w] = potential[u] + cost[e]
                    order.append(w)
                }
            }
            while unattached < n && attached[unattached] { unattached += 1 }
            guard unattached < n else { break }
            hangFromRoot(unattached)
        }
        // Preorder by depth-first walk over the children lists.
        var childStart = [Int](repeating: 0, count: n + 2)
        for u in 0..<n { childStart[parent[u] + 1] += 1 }
        for u in 0...n { childStart[u + 1] += childStart[u] }
        var children = [Int](repeating: 0, count: n)
        fill = childStart
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

        let totalArcs = m + n
        // Pricing tolerance relative to the largest cost: allocation costs are
        // ~10⁻⁸ per rupiah, and an absolute tolerance stopped short of the optimum.
        let threshold = tolerance * max(maxCost, Double.leastNormalMagnitude)
        // Blocks of 3√m arcs: on allocation networks, 1√m (LEMON's default) took
        // twice the pivots, each choosing from a poorer sample (province: 109k
        // against 59k pivots, 3.6 s against 2.6 s).
        let blockSize = max(10, Int(3 * Double(totalArcs).squareRoot()))
        var next = 0
        var pivots = 0
        var firstPath: [Int] = []
        var stem: [Int] = []
        var pieces: [(Int, Int)] = []
        var newSizes: [Int] = []
        while true {
            // Block search for the entering arc, over the real arcs only: an
            // artificial arc out of the tree never re-enters (a quarter of the
            // scan on allocation networks).
            let search = state.withUnsafeBufferPointer { state in
                potential.withUnsafeBufferPointer { potential in
                    tail.withUnsafeBufferPointer { tail in
                        head.withUnsafeBufferPointer { head in
                            forwardCost.withUnsafeBufferPointer { forwardCost in
                                backwardCost.withUnsafeBufferPointer { backwardCost in
                                    blockSearch(from: next, arcs: m, blockSize: blockSize, threshold: threshold,
                                                state: state, potential: potential, tail: tail, head: head,
                                                forwardCost: forwardCost, backwardCost: backwardCost)
                                }
                            }
                        }
                    }
                }
            }
            let entering = search.entering, best = search.best
            next = search.next
            if entering < 0 {
                guard warming, let warmUp else { break }
                // Second phase: true costs on the first phase's optimal tree.
                warming = false
                for e in 0..<m where warmUp[e] != 0 {
                    // The network's own costs, not (c + w) − w, which can differ in the last bit.
                    for k in segmentStart[e]..<segmentStart[e + 1] { segmentCost[k] = network.segmentCost[k] }
                    if state[e] == 0 { cost[e] = segmentCost[segmentStart[e] + position[e]] } else { park(e, at: position[e]) }
                }
                var y = thread[root]
                while y != root {
                    let arc = parentArc[y], up = parent[y]
                    potential[y] = tail[arc] == up ? potential[up] + cost[arc] : potential[up] - cost[arc]
                    y = thread[y]
                }
                continue
            }
            pivots += 1

            // The cycle: entering arc from `first` to `second` in the direction of
            // flow increase, then the tree path from `second` back to `first`.
            let difference = potential[tail[entering]] - potential[head[entering]]
            let forward = forwardCost[entering] + difference <= -(backwardCost[entering] + difference)
            let first = forward ? tail[entering] : head[entering]
            let second = forward ? head[entering] : tail[entering]
            var a = first, b = second
            while a != b {
                if subtreeSize[a] < subtreeSize[b] { a = parent[a] } else { b = parent[b] }
            }
            let apex = a
            // Residual capacity along the cycle; the leaving arc is the last
            // blocking arc in orientation order: apex→…→first, entering, second→…→apex
            // (`<=` keeps the later arc on ties). For the blocking arc of each side
            // of the entering arc: the root of the subtree it would cut off (its
            // child end).
            var firstDelta = FlowNetwork.unbounded, firstLeaving = -1, firstCut = -1
            firstPath.removeAll(keepingCapacity: true)
            var u = first
            while u != apex { firstPath.append(u); u = parent[u] }
            for node in firstPath.reversed() {
                // Flow goes parent → node.
                let arc = parentArc[node]
                let residual = tail[arc] == parent[node] ? high[arc] - flow[arc] : flow[arc] - low[arc]
                if residual <= firstDelta { firstDelta = residual; firstLeaving = arc; firstCut = node }
            }
            var secondDelta = FlowNetwork.unbounded, secondLeaving = -1, secondCut = -1
            u = second
            while u != apex {
                // Flow goes node → parent.
                let arc = parentArc[u]
                let residual = tail[arc] == u ? high[arc] - flow[arc] : flow[arc] - low[arc]
                if residual <= secondDelta { secondDelta = residual; secondLeaving = arc; secondCut = u }
                u = parent[u]
            }
            // Move the entering arc segment by segment. It blocks a segment (and
            // moves on) when the segment fits before the first side's blocking arc
            // (it comes later in the cycle's order, so it wins a tie) and strictly
            // before the second side's. It goes on only while the next segment is
            // at least half as good as the first: going on while any segment
            // prices out negative spent whole budgets on the first village the
            // search met, and undoing that doubled the pivots.
            var pushed: Int64 = 0
            var k = position[entering]
            let count = segmentCount(entering)
            var flipped = false
            while true {
                let segment = forward ? k : k - 1
                let width = segmentEnd[segmentStart[entering] + segment] - breakpoint(entering, segment)
                guard width <= firstDelta - pushed && width < secondDelta - pushed else { break }
                pushed += width
                k += forward ? 1 : -1
                // Go on while the next segment still prices out negative.
                if forward {
                    if k == count || !(segmentCost[segmentStart[entering] + k] + difference < 0.5 * best) { flipped = true; break }
                } else {
                    if k == 0 || !(-(segmentCost[segmentStart[entering] + k - 1] + difference) < 0.5 * best) { flipped = true; break }
                }
            }
            let delta: Int64
            var leaving = entering
            var cutEndpoint = -1, cutRoot = -1
            if flipped {
                delta = pushed
            } else if secondDelta <= firstDelta {
                delta = secondDelta; leaving = secondLeaving; cutEndpoint = second; cutRoot = secondCut
            } else {
                delta = firstDelta; leaving = firstLeaving; cutEndpoint = first; cutRoot = firstCut
            }

            // Push delta around the cycle.
            if delta > 0 {
                flow[entering] += forward ? delta : -delta
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
                park(entering, at: k)
                continue
            }
            park(leaving, at: flow[leaving] == low[leaving] ? position[leaving] : position[leaving] + 1)
            place(entering, in: forward ? k : k - 1)

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
            newSizes.removeAll(keepingCapacity: true)
            newSizes.append(size)
            for i in 1..<stem.count { newSizes.append(size - subtreeSize[stem[i - 1]]) }
            // Take S out of the thread, then fix the ancestors that ended with it.
            // S stays within the apex's subtree, so sizes change only below the
            // apex; above it, only ancestors that ended with S (a chain) change.
            thread[before] = after
            reverseThread[after] = before
            var a2 = oldParent
            while a2 != apex {
                subtreeSize[a2] -= size
                if lastInSubtree[a2] == oldLast { lastInSubtree[a2] = before }
                a2 = parent[a2]
            }
            while a2 >= 0 && lastInSubtree[a2] == oldLast {
                lastInSubtree[a2] = before
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
            while a3 != apex {
                subtreeSize[a3] += size
                if outsideWasLeaf && lastInSubtree[a3] == outside { lastInSubtree[a3] = newLast }
                a3 = parent[a3]
            }
            while outsideWasLeaf && a3 >= 0 && lastInSubtree[a3] == outside {
                lastInSubtree[a3] = newLast
                a3 = parent[a3]
            }
            // Shift S's potentials so the entering arc's reduced cost is 0.
            let wanted = tail[entering] == outside ? potential[outside] + cost[entering] : potential[outside] - cost[entering]
            let sigma = wanted - potential[inside]
            // Only differences of potentials matter, so when S is most of the
            // tree, shift the rest (the thread's other stretch) the other way.
            // Subtrees holding a funder are often most of the tree.
            thread.withUnsafeBufferPointer { thread in
                potential.withUnsafeMutableBufferPointer { potential in
                    if size <= (n + 1) / 2 {
                        var y = inside
                        for _ in 0..<size { potential[y] += sigma; y = thread[y] }
                    } else {
                        var y = thread[newLast]
                        for _ in 0..<(n + 1 - size) { potential[y] -= sigma; y = thread[y] }
                    }
                }
            }
        }

        let feasible = (m..<(m + n)).allSatisfy { flow[$0] == 0 }
        var result = [Int64](repeating: 0, count: m)
        var total = constant
        for e in 0..<m {
            result[e] = flow[e] + network.lower[e]
            if network.segmentStart[e + 1] - network.segmentStart[e] == 1 {
                total += Double(flow[e]) * network.cost[e]
            } else {
                total += network.cost(of: result[e], on: e)
            }
        }
        return FlowSolution(
            status: feasible ? .optimal : .infeasible, flow: result,
            potential: reversed ? potential.prefix(n).map { -$0 } : Array(potential.prefix(n)), totalCost: total, pivots: pivots)
    }
}
