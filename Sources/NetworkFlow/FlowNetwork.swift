/// A directed network for minimum-cost flow: nodes with supplies (positive:
/// the node sends flow; negative: it receives), arcs with lower and upper
/// bounds and a cost per unit. The model knows nothing of villages or funders,
/// and the solver knows nothing of the model (LEMON's split).
///
/// An arc may also have a convex piecewise-linear cost: consecutive segments of
/// given widths whose unit costs do not decrease. Such an arc is the same as
/// parallel arcs, one per segment, but the solver moves along its segments
/// without a pivot for each (a village's program with one segment per household
/// is one arc, not thousands).
public struct FlowNetwork: Sendable {
    public static let unbounded = Int64(1) << 55

    public private(set) var supply: [Int64] = []
    public private(set) var tail: [Int] = []
    public private(set) var head: [Int] = []
    public private(set) var lower: [Int64] = []
    public private(set) var upper: [Int64] = []
    /// Unit cost of each arc's first segment (its only one for a plain arc).
    public private(set) var cost: [Double] = []
    /// Arc e's segments are segmentEnd/segmentCost[segmentStart[e]..<segmentStart[e+1]];
    /// segmentEnd is cumulative, from the arc's lower bound.
    public private(set) var segmentStart: [Int] = [0]
    public private(set) var segmentEnd: [Int64] = []
    public private(set) var segmentCost: [Double] = []

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
        segmentEnd.append(u - l)
        segmentCost.append(c)
        segmentStart.append(segmentEnd.count)
        return tail.count - 1
    }

    /// An arc from 0 to the sum of `segments`' widths whose unit cost is
    /// segments[k].cost on the k-th stretch. Costs must not decrease (convex).
    @discardableResult
    public mutating func addConvexArc(from: Int, to: Int, segments: [(width: Int64, cost: Double)]) -> Int {
        precondition(!segments.isEmpty, "a convex arc needs at least one segment")
        var end: Int64 = 0
        for (k, segment) in segments.enumerated() {
            precondition(segment.width >= 0, "negative segment width")
            precondition(k == 0 || segment.cost >= segments[k - 1].cost, "segment costs must not decrease")
            end += segment.width
            segmentEnd.append(end)
            segmentCost.append(segment.cost)
        }
        segmentStart.append(segmentEnd.count)
        tail.append(from)
        head.append(to)
        lower.append(0)
        upper.append(end)
        cost.append(segments[0].cost)
        return tail.count - 1
    }

    public func segments(of arc: Int) -> Range<Int> { segmentStart[arc]..<segmentStart[arc + 1] }

    /// Cost of a flow on arc e (with its lower bound), summed over its segments.
    public func cost(of flow: Int64, on arc: Int) -> Double {
        var left = flow - lower[arc], from: Int64 = 0, total = Double(lower[arc]) * cost[arc]
        for k in segments(of: arc) where left > 0 {
            let amount = min(left, segmentEnd[k] - from)
            total += Double(amount) * segmentCost[k]
            left -= amount
            from = segmentEnd[k]
        }
        return total
    }

    /// Unit costs of pushing one more unit forward and of taking one unit back
    /// on arc e at `flow` (nil: at the bound). Binary search over the segment
    /// ends: a village's program arc has one segment per household.
    public func marginalCosts(at flow: Int64, on arc: Int) -> (forward: Double?, backward: Double?) {
        let x = flow - lower[arc]
        let range = segments(of: arc)
        // The first segment ending above x holds the next unit; the first ending
        // at or above x holds the last one (its start is below x).
        let above = firstSegment(in: range) { $0 > x }
        let atOrAbove = firstSegment(in: range) { $0 >= x }
        return (above < range.upperBound ? segmentCost[above] : nil,
                x > 0 && atOrAbove < range.upperBound ? segmentCost[atOrAbove] : nil)
    }

    private func firstSegment(in range: Range<Int>, where endQualifies: (Int64) -> Bool) -> Int {
        var low = range.lowerBound, high = range.upperBound
        while low < high {
            let middle = (low + high) / 2
            if endQualifies(segmentEnd[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// The same problem with every convex arc split into parallel plain arcs,
    /// one per segment, in order (for MPS export and checks by other solvers).
    public func expanded() -> FlowNetwork {
        var result = FlowNetwork()
        for s in supply { result.addNode(supply: s) }
        for e in 0..<arcCount {
            let range = segments(of: e)
            if range.count == 1 {
                result.addArc(from: tail[e], to: head[e], lower: lower[e], upper: upper[e], cost: cost[e])
                continue
            }
            var from: Int64 = 0
            for k in range {
                result.addArc(from: tail[e], to: head[e], upper: segmentEnd[k] - from, cost: segmentCost[k])
                from = segmentEnd[k]
            }
        }
        return result
    }
}
