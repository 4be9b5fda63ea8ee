/// One pivot: the cycle the entering arc closes, the ratio test that finds
/// the leaving arc, and the flow pushed around the cycle.
extension SimplexState {
    /// The entering arc from `first` to `second` in the direction of flow
    /// increase, then the tree path from `second` back to `first` through
    /// their common ancestor, the apex.
    struct Cycle {
        let entering: Int
        let forward: Bool
        let first: Int, second: Int, apex: Int
        /// The entering arc's reduced cost at its breakpoint (potential
        /// difference tail − head).
        let difference: Double
        let violation: Double
    }

    /// What the ratio test found: how much flow goes round the cycle, and which
    /// arc leaves; when the entering arc itself blocks, the breakpoint it
    /// moves to.
    struct Step {
        var delta: Int64
        var leaving: Int
        var enteringBreakpoint: Int
        /// The end of the entering arc inside the cut subtree, and that
        /// subtree's old root (the blocking arc's child end).
        var cutEndpoint = -1, cutRoot = -1
    }

    mutating func pivot(_ entering: Entering) {
        pivots += 1
        let cycle = makeCycle(entering)
        let step = ratioTest(cycle)
        if step.delta > 0 { augment(cycle, by: step.delta) }
        if step.leaving == cycle.entering {
            park(cycle.entering, at: step.enteringBreakpoint)
            return
        }
        let leaving = step.leaving
        park(leaving, at: flow[leaving] == low[leaving] ? position[leaving] : position[leaving] + 1)
        place(cycle.entering, in: cycle.forward ? step.enteringBreakpoint : step.enteringBreakpoint - 1)
        reroot(cycle, step)
    }

    func makeCycle(_ entering: Entering) -> Cycle {
        let e = entering.arc
        let difference = potential[tail[e]] - potential[head[e]]
        let forward = forwardCost[e] + difference <= -(backwardCost[e] + difference)
        let first = forward ? tail[e] : head[e]
        let second = forward ? head[e] : tail[e]
        var a = first, b = second
        while a != b {
            if subtreeSize[a] < subtreeSize[b] { a = parent[a] } else { b = parent[b] }
        }
        return Cycle(entering: e, forward: forward, first: first, second: second, apex: a,
                     difference: difference, violation: entering.violation)
    }

    /// Residual capacity along the cycle; the leaving arc is the last blocking
    /// arc in orientation order: apex→…→first, entering, second→…→apex (`<=`
    /// keeps the later arc on ties). Leaves the path first→apex in `firstPath`.
    mutating func ratioTest(_ c: Cycle) -> Step {
        var firstDelta = FlowNetwork.unbounded, firstLeaving = -1, firstCut = -1
        firstPath.removeAll(keepingCapacity: true)
        var u = c.first
        while u != c.apex { firstPath.append(u); u = parent[u] }
        for node in firstPath.reversed() {
            // Flow goes parent → node.
            let arc = parentArc[node]
            let residual = tail[arc] == parent[node] ? high[arc] - flow[arc] : flow[arc] - low[arc]
            if residual <= firstDelta { firstDelta = residual; firstLeaving = arc; firstCut = node }
        }
        var secondDelta = FlowNetwork.unbounded, secondLeaving = -1, secondCut = -1
        u = c.second
        while u != c.apex {
            // Flow goes node → parent.
            let arc = parentArc[u]
            let residual = tail[arc] == u ? high[arc] - flow[arc] : flow[arc] - low[arc]
            if residual <= secondDelta { secondDelta = residual; secondLeaving = arc; secondCut = u }
            u = parent[u]
        }
        let (pushed, breakpoint, flipped) = walkSegments(c, firstDelta: firstDelta, secondDelta: secondDelta)
        if flipped {
            return Step(delta: pushed, leaving: c.entering, enteringBreakpoint: breakpoint)
        } else if secondDelta <= firstDelta {
            return Step(delta: secondDelta, leaving: secondLeaving, enteringBreakpoint: breakpoint, cutEndpoint: c.second, cutRoot: secondCut)
        } else {
            return Step(delta: firstDelta, leaving: firstLeaving, enteringBreakpoint: breakpoint, cutEndpoint: c.first, cutRoot: firstCut)
        }
    }

    /// Moves the entering arc segment by segment. It blocks a segment (and
    /// moves on) when the segment fits before the first side's blocking arc
    /// (it comes later in the cycle's order, so it wins a tie) and strictly
    /// before the second side's. It goes on only while the next segment is at
    /// least half as good as the first: going on while any segment prices out
    /// negative spent whole budgets on the first village the search met, and
    /// undoing that doubled the pivots. `flipped`: it stopped at a breakpoint
    /// of its own, so the entering arc is also the leaving one.
    private func walkSegments(_ c: Cycle, firstDelta: Int64, secondDelta: Int64) -> (pushed: Int64, breakpoint: Int, flipped: Bool) {
        let e = c.entering
        var pushed: Int64 = 0
        var k = position[e]
        let count = segmentCount(e)
        while true {
            let segment = c.forward ? k : k - 1
            let width = segmentEnd[segmentStart[e] + segment] - breakpoint(e, segment)
            guard width <= firstDelta - pushed && width < secondDelta - pushed else { break }
            pushed += width
            k += c.forward ? 1 : -1
            // Go on while the next segment still prices out negative enough.
            if c.forward {
                if k == count || !(segmentCost[segmentStart[e] + k] + c.difference < 0.5 * c.violation) { return (pushed, k, true) }
            } else {
                if k == 0 || !(-(segmentCost[segmentStart[e] + k - 1] + c.difference) < 0.5 * c.violation) { return (pushed, k, true) }
            }
        }
        return (pushed, k, false)
    }

    /// Pushes delta around the cycle (uses `firstPath` from the ratio test).
    mutating func augment(_ c: Cycle, by delta: Int64) {
        flow[c.entering] += c.forward ? delta : -delta
        for node in firstPath {
            let arc = parentArc[node]
            if tail[arc] == parent[node] { flow[arc] += delta } else { flow[arc] -= delta }
        }
        var u = c.second
        while u != c.apex {
            let arc = parentArc[u]
            if tail[arc] == u { flow[arc] += delta } else { flow[arc] -= delta }
            u = parent[u]
        }
    }
}
