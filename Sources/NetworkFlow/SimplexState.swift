/// Everything the network simplex keeps between pivots: the network with lower
/// bounds shifted out and an artificial arc per node, each arc's place (in the
/// spanning tree within a segment, or out of it at a breakpoint), the tree in
/// preorder-thread form, and the node potentials.
///
/// Arcs 0..<m are the network's (turned round when solving the reverse
/// network), arcs m..<m+n the artificial ones between each node and the root
/// (node n).
struct SimplexState {
    let n: Int, m: Int, root: Int
    var supply: [Int64]
    var tail: [Int], head: [Int]
    /// Segments of every arc, artificial ones last (one segment each):
    /// arc e's are segmentEnd/segmentCost[segmentStart[e]..<segmentStart[e+1]].
    var segmentStart: [Int], segmentEnd: [Int64], segmentCost: [Double]
    /// Σ lower · cost of the shifted-out lower bounds.
    var constant = 0.0
    /// The largest |unit cost| of the real arcs (with the warm-up's).
    let maxCost: Double
    let warmUp: [Double]?
    /// In the first phase, with the warm-up costs added.
    var warming: Bool

    var flow: [Int64]
    /// 0: in the tree, within segment `position`, with bounds low/high and unit
    /// cost `cost`. 1: out of it at breakpoint `position`, pricing the segment
    /// above it (`forwardCost`, +∞ at the top) and below it (`backwardCost`,
    /// −∞ at the bottom).
    var state: [Int8]
    var position: [Int]
    var low: [Int64], high: [Int64]
    var cost: [Double]
    var forwardCost: [Double], backwardCost: [Double]

    /// The spanning tree in preorder-thread form (as LEMON): parent, the arc
    /// to the parent, the next and previous node in preorder, subtree sizes
    /// and the last node of each subtree. A subtree is a contiguous stretch of
    /// the thread, so a pivot splices stretches and shifts one stretch's
    /// potentials, without walking adjacency lists.
    var parent: [Int], parentArc: [Int]
    var thread: [Int], reverseThread: [Int]
    var subtreeSize: [Int], lastInSubtree: [Int]
    var potential: [Double]

    /// Pricing tolerance, relative to the largest cost.
    let threshold: Double
    /// Arcs priced per block of the entering-arc search.
    let blockSize: Int
    /// Where the next block search starts.
    var nextArc = 0
    var pivots = 0

    // Scratch space of a pivot, kept to avoid allocating per pivot.
    var firstPath: [Int] = []
    var stem: [Int] = []
    var pieces: [(Int, Int)] = []
    var newSizes: [Int] = []

    init(_ network: FlowNetwork, tolerance: Double, warmUp: [Double]?, reversed: Bool) {
        n = network.nodeCount
        m = network.arcCount
        root = n
        let arcs = m + n
        segmentStart = network.segmentStart
        segmentEnd = network.segmentEnd
        segmentCost = network.segmentCost
        if let warmUp { Self.addWarmUpCosts(warmUp, arcs: m, segmentStart: segmentStart, to: &segmentCost) }
        // The network's own costs and, on warmed-up arcs, their first-phase costs.
        maxCost = max(network.segmentCost.reduce(0.0) { max($0, abs($1)) }, segmentCost.reduce(0.0) { max($0, abs($1)) })
        self.warmUp = warmUp
        warming = warmUp != nil
        supply = (reversed ? network.supply.map { -$0 } : network.supply) + [0]
        tail = [Int](repeating: 0, count: arcs)
        head = tail
        flow = [Int64](repeating: 0, count: arcs)
        state = [Int8](repeating: 1, count: arcs)
        position = [Int](repeating: 0, count: arcs)
        low = [Int64](repeating: 0, count: arcs)
        high = low
        cost = [Double](repeating: 0, count: arcs)
        forwardCost = [Double](repeating: .infinity, count: arcs)
        backwardCost = [Double](repeating: -.infinity, count: arcs)
        parent = [Int](repeating: root, count: n + 1)
        parentArc = [Int](repeating: -1, count: n + 1)
        thread = [Int](repeating: 0, count: n + 1)
        reverseThread = thread
        subtreeSize = [Int](repeating: 1, count: n + 1)
        lastInSubtree = thread
        potential = [Double](repeating: 0, count: n + 1)
        // Allocation costs are ~10⁻⁸ per rupiah: an absolute tolerance stopped
        // short of the optimum.
        threshold = tolerance * max(maxCost, Double.leastNormalMagnitude)
        // Blocks of 3√m arcs: on allocation networks, 1√m (LEMON's default)
        // took twice the pivots, each choosing from a poorer sample.
        blockSize = max(10, Int(3 * Double(arcs).squareRoot()))
        parent[root] = -1
        shiftLowerBounds(network, reversed: reversed)
        addArtificialArcs()
    }

    private static func addWarmUpCosts(_ warmUp: [Double], arcs m: Int, segmentStart: [Int], to segmentCost: inout [Double]) {
        for e in 0..<m where warmUp[e] != 0 {
            for k in segmentStart[e]..<segmentStart[e + 1] { segmentCost[k] += warmUp[e] }
        }
    }

    /// flow = lower + f', 0 ≤ f' ≤ upper − lower: the lower bound moves into
    /// the supplies and the constant.
    private mutating func shiftLowerBounds(_ network: FlowNetwork, reversed: Bool) {
        for e in 0..<m {
            tail[e] = reversed ? network.head[e] : network.tail[e]
            head[e] = reversed ? network.tail[e] : network.head[e]
            if network.lower[e] != 0 {
                supply[tail[e]] -= network.lower[e]
                supply[head[e]] += network.lower[e]
                constant += Double(network.lower[e]) * network.cost[e]
            }
        }
    }

    /// Artificial arcs u→root (supply > 0) or root→u: big-M cost, above any
    /// path's cost but on the costs' own scale, so potentials keep precision.
    /// Every arc starts out of the tree, at its lowest breakpoint.
    private mutating func addArtificialArcs() {
        let bigM = maxCost > 0 ? 2 * maxCost * Double(n + 1) : 1
        for _ in 0..<n {
            segmentEnd.append(FlowNetwork.unbounded)
            segmentCost.append(bigM)
            segmentStart.append(segmentEnd.count)
        }
        for e in 0..<m { park(e, at: 0) }
        for u in 0..<n {
            // Out of the tree unless the crash start hangs u from the root.
            tail[m + u] = root
            head[m + u] = u
            park(m + u, at: 0)
        }
    }

    @inline(__always) func breakpoint(_ e: Int, _ k: Int) -> Int64 { k == 0 ? 0 : segmentEnd[segmentStart[e] + k - 1] }
    @inline(__always) func segmentCount(_ e: Int) -> Int { segmentStart[e + 1] - segmentStart[e] }

    /// Takes arc e out of the tree at breakpoint k.
    @inline(__always) mutating func park(_ e: Int, at k: Int) {
        state[e] = 1
        position[e] = k
        forwardCost[e] = k < segmentCount(e) ? segmentCost[segmentStart[e] + k] : .infinity
        backwardCost[e] = k > 0 ? segmentCost[segmentStart[e] + k - 1] : -.infinity
        // An artificial arc out of the tree is out for good.
        if e >= m { forwardCost[e] = .infinity; backwardCost[e] = -.infinity }
    }

    /// Puts arc e in the tree within segment k.
    @inline(__always) mutating func place(_ e: Int, in k: Int) {
        state[e] = 0
        position[e] = k
        low[e] = breakpoint(e, k)
        high[e] = segmentEnd[segmentStart[e] + k]
        cost[e] = segmentCost[segmentStart[e] + k]
    }

    /// Flows with lower bounds restored, potentials of the network as given,
    /// and the total cost at the network's own costs.
    func solution(_ network: FlowNetwork, reversed: Bool) -> FlowSolution {
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
