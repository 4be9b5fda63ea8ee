/// Primal network simplex for minimum-cost flow.
///
/// Lower bounds are shifted out first. The start is a spanning tree around an
/// extra root, real arcs where one can carry a node's supply (the crash start),
/// artificial ones otherwise; arcs enter by block search (the most violating
/// arc of a block of 3√m real arcs; LEMON uses √m), and the leaving arc is the
/// last blocking arc met when walking the cycle from its apex along its
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
///
/// The steps live on `SimplexState`, one file per step: the start
/// (`SimplexState.swift`, `+CrashStart`), pricing (`+Pricing`), the pivot's
/// cycle, ratio test and augmentation (`+Pivot`), and the re-rooting of the cut
/// subtree with its potentials (`+Reroot`).
public enum NetworkSimplex {
    /// - Parameter warmUp: extra unit costs per arc for a first phase (nil: none),
    ///   typically guesses of the duals (prices) of some arcs. The first phase
    ///   solves the problem with them; the second starts from its optimal tree
    ///   with the true costs. Good guesses make the first phase take only
    ///   choices the second keeps; any guess gives the same, exact optimum.
    /// - Parameter reversed: solve the reverse network instead (every arc turned
    ///   round, supplies negated): the same flows, potentials negated back, but a
    ///   different spanning tree. A strongly feasible tree hangs arcs without
    ///   flow pointing away from the root, and the crash start grows the tree
    ///   from the nodes with supply, so the direction decides what hangs below
    ///   the nodes whose prices change most, and with it how much each pivot
    ///   re-prices.
    public static func solve(
        _ network: FlowNetwork, tolerance: Double = 1e-12, warmUp: [Double]? = nil, reversed: Bool = false
    ) -> FlowSolution {
        var simplex = SimplexState(network, tolerance: tolerance, warmUp: warmUp, reversed: reversed)
        simplex.crashStart()
        while true {
            if let entering = simplex.enteringArc() {
                simplex.pivot(entering)
            } else if !simplex.endWarmUp(network) {
                break
            }
        }
        return simplex.solution(network, reversed: reversed)
    }
}
