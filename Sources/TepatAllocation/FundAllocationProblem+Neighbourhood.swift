import LinearProgram

extension FundAllocationProblem {
    /// The LP optimum's neighbourhood as a smaller MIP: the bundles the LP
    /// uses, and as many again of those it leaves out whose reduced cost is
    /// smallest (the alternatives it is nearly indifferent to), are free 0/1;
    /// every other bundle stays at 0; payments are free. Branch and cut on
    /// what is left finds whole plans the rounding misses. Nil when it finds none.
    func neighbourhood(_ master: AllocationMaster, _ lp: LPSolution, maximumNodes: Int, relativeGap: Double) -> [FundAllocation.Beneficiary]? {
        var program = master.program
        let used = master.bundles.filter { lp.x[$0.column] > 1e-9 }
        let left = master.bundles.filter { lp.x[$0.column] <= 1e-9 }.map { b -> (column: Int, reduced: Double) in
            var d = program.objective[b.column]
            for (row, value) in program.entries(ofColumn: b.column) { d -= value * lp.rowDual[row] }
            return (b.column, d)
        }.sorted { ($0.reduced, $0.column) < ($1.reduced, $1.column) }
        for b in left.dropFirst(used.count) { program.setBounds(column: b.column, lower: 0, upper: 0) }
        let mip = MIPSolver.solve(program, relativeGap: relativeGap, maximumNodes: maximumNodes)
        guard mip.status == .optimal || mip.status == .feasible else { return nil }
        return master.beneficiaries(mip.x, self)
    }
}
