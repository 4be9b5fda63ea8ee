public struct FlowSolution: Sendable {
    public enum Status: Sendable, Equatable { case optimal, infeasible }
    public let status: Status
    /// Flow on each arc (within its bounds when optimal).
    public let flow: [Int64]
    /// Node potentials π: at the optimum every arc's reduced cost
    /// c + π(tail) − π(head) is ≥ 0 at its lower bound, ≤ 0 at its upper bound,
    /// and 0 strictly between (complementary slackness); for a convex arc, c is
    /// the cost of the segment the flow would move into.
    public let potential: [Double]
    public let totalCost: Double
    public let pivots: Int

    /// Reduced cost of a plain arc. A convex arc has one per direction at its
    /// flow (`reducedCosts`); its first segment's cost says nothing there.
    public func reducedCost(_ network: FlowNetwork, arc: Int) -> Double {
        precondition(network.segments(of: arc).count == 1, "reducedCost is for plain arcs; use reducedCosts")
        return network.cost[arc] + potential[network.tail[arc]] - potential[network.head[arc]]
    }

    /// Reduced costs of moving one more unit forward and one unit back on an
    /// arc at its flow (nil at a bound): optimality means forward ≥ 0 ≥ backward.
    public func reducedCosts(_ network: FlowNetwork, arc: Int) -> (forward: Double?, backward: Double?) {
        let (forward, backward) = network.marginalCosts(at: flow[arc], on: arc)
        let d = potential[network.tail[arc]] - potential[network.head[arc]]
        return (forward.map { $0 + d }, backward.map { $0 + d })
    }
}
