/// A dense matrix of `Double` in column-major order, the layout BLAS and LAPACK use,
/// so it can be handed to them without copying or transposing.
public struct Matrix: Equatable, Sendable {
    public let rows: Int
    public let columns: Int
    /// Element (i, j) is at `storage[i + j * rows]`.
    public var storage: [Double]

    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.storage = Array(repeating: value, count: rows * columns)
    }

    /// Wraps values already laid out column by column.
    public init(rows: Int, columns: Int, columnMajor values: [Double]) {
        precondition(values.count == rows * columns, "expected \(rows * columns) values, got \(values.count)")
        self.rows = rows
        self.columns = columns
        self.storage = values
    }

    /// Builds a matrix from rows as written on paper: `[[1, 2], [3, 4]]`.
    public init(_ rowsOfValues: [[Double]]) {
        let rowCount = rowsOfValues.count
        let columnCount = rowsOfValues.first?.count ?? 0
        precondition(rowsOfValues.allSatisfy { $0.count == columnCount }, "rows of unequal length")
        var values = [Double](repeating: 0, count: rowCount * columnCount)
        for i in 0..<rowCount {
            for j in 0..<columnCount { values[i + j * rowCount] = rowsOfValues[i][j] }
        }
        self.init(rows: rowCount, columns: columnCount, columnMajor: values)
    }

    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    /// A column vector.
    public init(column values: [Double]) {
        self.init(rows: values.count, columns: 1, columnMajor: values)
    }

    @inlinable
    public subscript(row: Int, column: Int) -> Double {
        get { storage[row + column * rows] }
        set { storage[row + column * rows] = newValue }
    }

    public func column(_ j: Int) -> [Double] {
        Array(storage[(j * rows)..<((j + 1) * rows)])
    }

    public func row(_ i: Int) -> [Double] {
        (0..<columns).map { self[i, $0] }
    }

    /// The sub-matrix made of the given columns, in the given order.
    /// The leading `rows` × `columns` block.
    public func block(rows r: Int, columns c: Int) -> Matrix {
        var out = Matrix(rows: r, columns: c)
        for j in 0..<c { for i in 0..<r { out[i, j] = self[i, j] } }
        return out
    }

    public func selectingColumns(_ indices: [Int]) -> Matrix {
        var values = [Double]()
        values.reserveCapacity(rows * indices.count)
        for j in indices { values.append(contentsOf: storage[(j * rows)..<((j + 1) * rows)]) }
        return Matrix(rows: rows, columns: indices.count, columnMajor: values)
    }

    public var diagonal: [Double] {
        (0..<min(rows, columns)).map { self[$0, $0] }
    }
}

extension Matrix: CustomStringConvertible {
    public var description: String {
        (0..<rows).map { i in (0..<columns).map { "\(self[i, $0])" }.joined(separator: "\t") }
            .joined(separator: "\n")
    }
}
