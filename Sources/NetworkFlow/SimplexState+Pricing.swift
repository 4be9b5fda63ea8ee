/// Pricing: which arc enters the tree, and the switch from the warm-up costs
/// to the true ones.
extension SimplexState {
    /// An arc that violates its optimality condition, with the violation.
    struct Entering {
        let arc: Int
        /// Its reduced cost in the direction it would move (negative).
        let violation: Double
    }

    /// Block search over the real arcs only: an artificial arc out of the tree
    /// never re-enters (a quarter of the scan on allocation networks).
    mutating func enteringArc() -> Entering? {
        let start = nextArc
        let search = state.withUnsafeBufferPointer { state in
            potential.withUnsafeBufferPointer { potential in
                tail.withUnsafeBufferPointer { tail in
                    head.withUnsafeBufferPointer { head in
                        forwardCost.withUnsafeBufferPointer { forwardCost in
                            backwardCost.withUnsafeBufferPointer { backwardCost in
                                Self.blockSearch(from: start, arcs: m, blockSize: blockSize, threshold: threshold,
                                                 state: state, potential: potential, tail: tail, head: head,
                                                 forwardCost: forwardCost, backwardCost: backwardCost)
                            }
                        }
                    }
                }
            }
        }
        nextArc = search.next
        return search.entering < 0 ? nil : Entering(arc: search.entering, violation: search.best)
    }

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

    /// At the end of the first phase: the true costs on its optimal tree, and
    /// the potentials recomputed down the thread. False when there is no first
    /// phase to end (the solve is done).
    mutating func endWarmUp(_ network: FlowNetwork) -> Bool {
        guard warming, let warmUp else { return false }
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
        return true
    }
}
