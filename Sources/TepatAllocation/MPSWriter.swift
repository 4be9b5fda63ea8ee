import Foundation

/// A min-cost flow as a linear program in free MPS: one variable per arc
/// (bounds = the arc's), one equality row per node (outflow − inflow =
/// supply), objective = Σ cost·flow. Solvers such as HiGHS or GLPK read it;
/// their optimum equals `FlowSolution.totalCost`.
public enum MPSWriter {
    public static func write(_ net: FlowNetwork, name: String, to path: String) throws {
        var out = "NAME \(name)\nOBJSENSE\n    MIN\nROWS\n N COST\n"
        for u in 0..<net.nodeCount { out += " E N\(u)\n" }
        out += "COLUMNS\n"
        // Column-wise: each arc appears in the objective and its two node rows.
        for e in 0..<net.arcCount {
            if net.cost[e] != 0 { out += " A\(e) COST \(number(net.cost[e]))\n" }
            out += " A\(e) N\(net.tail[e]) 1\n A\(e) N\(net.head[e]) -1\n"
        }
        out += "RHS\n"
        for u in 0..<net.nodeCount where net.supply[u] != 0 { out += " RHS N\(u) \(net.supply[u])\n" }
        out += "BOUNDS\n"
        for e in 0..<net.arcCount {
            if net.lower[e] != 0 { out += " LO BND A\(e) \(net.lower[e])\n" }
            if net.upper[e] >= FlowNetwork.unbounded { out += " PL BND A\(e)\n" } else { out += " UP BND A\(e) \(net.upper[e])\n" }
        }
        out += "ENDATA\n"
        try out.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Shortest text that reads back as the same double.
    static func number(_ x: Double) -> String { "\(x)" }
}
