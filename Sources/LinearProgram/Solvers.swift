import CCoinOR

/// What a solve found.
public enum SolveStatus: String, Sendable {
    case optimal
    /// A mixed-integer solve that stopped (gap reached or node limit) with a
    /// feasible point but no proof that it is optimal.
    case feasible
    case infeasible
    case unbounded
    /// The solver stopped without a usable answer.
    case failed
}

/// An LP optimum: primal values, the row duals (∂objective/∂rowbound, so for a
/// minimisation a binding ≤ row has a dual ≤ 0) and the objective.
public struct LPSolution: Sendable {
    public var status: SolveStatus
    public var x: [Double]
    public var rowDual: [Double]
    public var objective: Double
    public var iterations: Int
}

/// A mixed-integer result: the best point found, its objective, and the
/// solver's proven lower bound on the minimum.
public struct MIPSolution: Sendable {
    public var status: SolveStatus
    public var x: [Double]
    public var objective: Double
    public var bound: Double
    public var nodes: Int
}

/// COIN-OR Clp, the LP solver: solves a program and, for column generation,
/// takes more columns and re-solves from the last basis.
public final class LPSolver {
    private let model: UnsafeMutableRawPointer
    public private(set) var program: SparseProgram
    private var solves = 0

    public init(_ program: SparseProgram) {
        self.program = program
        model = Clp_newModel()
        Clp_setLogLevel(model, 0)
        program.columnStart.withUnsafeBufferPointer { start in
            Clp_loadProblem(
                model, Int32(program.columnCount), Int32(program.rowCount), start.baseAddress, program.rowIndex, program.coefficient,
                program.columnLower, program.columnUpper, program.objective, program.rowLower, program.rowUpper)
        }
    }

    deinit { Clp_deleteModel(model) }

    /// Takes the rows and columns `more` has beyond `program` (which it must
    /// extend: same rows and columns first), and keeps the basis. New rows come
    /// in empty; the new columns fill them.
    public func extend(to more: SparseProgram) {
        let firstRow = program.rowCount, newRows = more.rowCount - firstRow
        if newRows > 0 {
            Clp_addRows(
                model, Int32(newRows), Array(more.rowLower[firstRow...]), Array(more.rowUpper[firstRow...]),
                [Int32](repeating: 0, count: newRows + 1), [], [])
        }
        let first = program.columnCount, count = more.columnCount - first
        guard count > 0 else { program = more; return }
        let base = more.columnStart[first]
        let starts = more.columnStart[first...].map { $0 - base }
        let entries = Int(base)..<Int(more.columnStart[more.columnCount])
        Clp_addColumns(
            model, Int32(count), Array(more.columnLower[first...]), Array(more.columnUpper[first...]), Array(more.objective[first...]),
            starts, Array(more.rowIndex[entries]), Array(more.coefficient[entries]))
        program = more
    }

    /// Solves from the current basis: on the first call presolve and the dual
    /// simplex (presolve takes out the rows and columns it can settle alone;
    /// on a province's first LP, 98,000 rows by 209,000 columns, this took 4.9 s
    /// where the dual simplex alone took 39 s), then the primal simplex after
    /// columns were added, where the old basis stays primal feasible.
    public func solve() -> LPSolution {
        _ = solves == 0 ? Clp_initialDualSolve(model) : Clp_primal(model, 0)
        solves += 1
        let status: SolveStatus = Clp_isProvenOptimal(model) != 0 ? .optimal
            : Clp_isProvenPrimalInfeasible(model) != 0 ? .infeasible
            : Clp_isProvenDualInfeasible(model) != 0 ? .unbounded : .failed
        let n = program.columnCount, m = program.rowCount
        let x = Array(UnsafeBufferPointer(start: Clp_getColSolution(model), count: n))
        let dual = Array(UnsafeBufferPointer(start: Clp_dualRowSolution(model), count: m))
        return LPSolution(status: status, x: x, rowDual: dual, objective: Clp_objectiveValue(model), iterations: Int(Clp_numberIterations(model)))
    }
}

/// COIN-OR Cbc, branch and cut. Deterministic: one thread, and limits in
/// nodes, never seconds, so a rerun on the same program gives the same point.
public enum MIPSolver {
    /// Minimises `program` with its integer columns, stopping when the best
    /// point is within `relativeGap` of the bound or after `maximumNodes` nodes.
    public static func solve(_ program: SparseProgram, relativeGap: Double, maximumNodes: Int) -> MIPSolution {
        let model = Cbc_newModel()!
        defer { Cbc_deleteModel(model) }
        Cbc_setLogLevel(model, 0)
        program.columnStart.withUnsafeBufferPointer { start in
            Cbc_loadProblem(
                model, Int32(program.columnCount), Int32(program.rowCount), start.baseAddress, program.rowIndex, program.coefficient,
                program.columnLower, program.columnUpper, program.objective, program.rowLower, program.rowUpper)
        }
        for i in 0..<program.columnCount where program.isInteger[i] { Cbc_setInteger(model, Int32(i)) }
        Cbc_setAllowableFractionGap(model, relativeGap)
        Cbc_setMaximumNodes(model, Int32(maximumNodes))
        Cbc_setParameter(model, "threads", "0")
        Cbc_solve(model)
        let n = program.columnCount
        let found = Cbc_getColSolution(model).map { Array(UnsafeBufferPointer(start: $0, count: n)) }
        let status: SolveStatus = Cbc_isProvenInfeasible(model) != 0 ? .infeasible
            : Cbc_isContinuousUnbounded(model) != 0 ? .unbounded
            : found == nil || Cbc_numberSavedSolutions(model) == 0 && Cbc_isProvenOptimal(model) == 0 ? .failed
            : Cbc_isProvenOptimal(model) != 0 ? .optimal : .feasible
        return MIPSolution(
            status: status, x: found ?? [], objective: Cbc_getObjValue(model), bound: Cbc_getBestPossibleObjValue(model),
            nodes: Int(Cbc_getNodeCount(model)))
    }
}
