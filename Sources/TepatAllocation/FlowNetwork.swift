/// A directed network for minimum-cost flow: nodes with supplies (positive:
/// the node sends flow; negative: it receives), arcs with lower and upper
/// bounds and a cost per unit. The model knows nothing of villages or funders,
/// and the solver knows nothing of the model (LEMON's split).
public struct FlowNetwork: Sendable {
    public static let unbounded = Int64(1) << 55

    public private(set) var supply: [Int64] = []
    public private(set) var tail: [Int] = []
    public private(set) var head: [Int] = []
    public private(set) var lower: [Int64] = []
    public private(set) var upper: [Int64] = []
    public private(set) var cost: [Double] = []

    public init() {}

    public var nodeCount: Int { supply.count }
    public var arcCount: Int { tail.count }

    @discardableResult
    public mutating func addNode(supply s: Int64 = 0) -> Int {
        supply.append(s)
        return supply.count - 1
    }

    @discardableResult
    public mutating func addArc(from: Int, to: Int, lower l: Int64 = 0, upper u: Int64, cost c: Double) -> Int {
        precondition(l <= u, "arc lower bound above its upper bound")
        tail.append(from)
        head.append(to)
        lower.append(l)
        upper.append(u)
        cost.append(c)
        return tail.count - 1
    }
}

public struct FlowSolution: Sendable {
    public enum Status: Sendable, Equatable { case optimal, infeasible }
    public let status: Status
    /// Flow on each arc (within its bounds when optimal).
    public let flow: [Int64]
    /// Node potentials π: at the optimum every arc's reduced cost
    /// c + π(tail) − π(head) is ≥ 0 at its lower bound, ≤ 0 at its upper bound,
    /// and 0 strictly between (complementary slackness).
    public let potential: [Double]
    public let totalCost: Double
    public let pivots: Int

    public func reducedCost(_ network: FlowNetwork, arc: Int) -> Double {
        network.cost[arc] + potential[network.tail[arc]] - potential[network.head[arc]]
    }
}
