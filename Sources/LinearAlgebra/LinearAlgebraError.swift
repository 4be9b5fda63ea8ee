/// A failure reported by BLAS/LAPACK, turned into a Swift error that says which
/// routine failed and what its `info` code means, instead of a silent wrong answer.
public enum LinearAlgebraError: Error, Equatable, CustomStringConvertible {
    /// `info < 0`: argument number `argument` was illegal (a bug in this layer).
    case illegalArgument(routine: String, argument: Int)
    /// The matrix is singular: the pivot or diagonal element `index` (0-based) is zero.
    case singular(routine: String, index: Int)
    /// The matrix is not positive definite: the leading minor of order `order` is not.
    case notPositiveDefinite(routine: String, order: Int)
    /// An iterative routine (eigenvalues, SVD) did not converge.
    case didNotConverge(routine: String, info: Int)
    /// Shapes that cannot go together.
    case dimensionMismatch(String)
    /// NaN or infinity in the input, which LAPACK would propagate silently.
    case nonFiniteInput(routine: String)

    public var description: String {
        switch self {
        case let .illegalArgument(routine, argument):
            return "\(routine): argument \(argument) had an illegal value"
        case let .singular(routine, index):
            return "\(routine): matrix is singular (zero pivot at position \(index + 1))"
        case let .notPositiveDefinite(routine, order):
            return "\(routine): matrix is not positive definite (leading minor of order \(order))"
        case let .didNotConverge(routine, info):
            return "\(routine): did not converge (info = \(info))"
        case let .dimensionMismatch(message):
            return "dimension mismatch: \(message)"
        case let .nonFiniteInput(routine):
            return "\(routine): input contains NaN or infinity"
        }
    }
}

/// Maps LAPACK's `info` convention onto errors. `onPositive` interprets the
/// routine-specific meaning of `info > 0`.
@inline(__always)
func checkInfo(
    _ info: Int32, routine: String,
    onPositive: (Int) -> LinearAlgebraError
) throws {
    if info == 0 { return }
    if info < 0 { throw LinearAlgebraError.illegalArgument(routine: routine, argument: Int(-info)) }
    throw onPositive(Int(info))
}

@inline(__always)
func requireFinite(_ values: [Double], routine: String) throws {
    for v in values where !v.isFinite { throw LinearAlgebraError.nonFiniteInput(routine: routine) }
}

/// BLAS and LAPACK take 32-bit dimensions in Debian's OpenBLAS build.
@inline(__always)
func blasInt(_ n: Int) -> Int32 {
    precondition(n <= Int(Int32.max), "dimension \(n) exceeds the 32-bit BLAS interface")
    return Int32(n)
}
