/// A linear or mixed-integer program, minimised, stored column by column:
///   minimise Σ cᵢxᵢ  subject to  rowLowerᵣ ≤ Σ aᵣᵢxᵢ ≤ rowUpperᵣ,  lᵢ ≤ xᵢ ≤ uᵢ,
/// with some xᵢ integer. Columns are added with their nonzero entries, so a
/// program grows by columns (column generation) without rebuilding.
public struct SparseProgram: Sendable {
    public static let infinity = Double.infinity

    public private(set) var rowLower: [Double] = []
    public private(set) var rowUpper: [Double] = []
    public private(set) var rowNames: [String] = []
    /// Column i's entries are rowIndex[columnStart[i]..<columnStart[i+1]].
    public private(set) var columnStart: [Int32] = [0]
    public private(set) var rowIndex: [Int32] = []
    public private(set) var coefficient: [Double] = []
    public private(set) var objective: [Double] = []
    public private(set) var columnLower: [Double] = []
    public private(set) var columnUpper: [Double] = []
    public private(set) var isInteger: [Bool] = []
    public private(set) var columnNames: [String] = []

    public init() {}

    public var rowCount: Int { rowLower.count }
    public var columnCount: Int { objective.count }
    public var entryCount: Int { coefficient.count }

    /// Adds a row lower ≤ a·x ≤ upper (±infinity for none); returns its index.
    @discardableResult
    public mutating func addRow(_ name: String, lower: Double = -infinity, upper: Double = infinity) -> Int {
        precondition(lower <= upper, "row \(name): lower bound above upper bound")
        precondition(lower.isFinite || upper.isFinite, "row \(name): a row bounded on neither side constrains nothing")
        rowLower.append(lower)
        rowUpper.append(upper)
        rowNames.append(name)
        return rowLower.count - 1
    }

    /// Adds a column with its nonzero entries (row, coefficient); returns its index.
    @discardableResult
    public mutating func addColumn(
        _ name: String, cost: Double, lower: Double = 0, upper: Double = infinity, integer: Bool = false, entries: [(row: Int, value: Double)]
    ) -> Int {
        precondition(lower <= upper, "column \(name): lower bound above upper bound")
        for (row, value) in entries {
            precondition(row >= 0 && row < rowCount, "column \(name): no row \(row)")
            rowIndex.append(Int32(row))
            coefficient.append(value)
        }
        columnStart.append(Int32(rowIndex.count))
        objective.append(cost)
        columnLower.append(lower)
        columnUpper.append(upper)
        isInteger.append(integer)
        columnNames.append(name)
        return objective.count - 1
    }

    /// Changes column i's bounds.
    public mutating func setBounds(column i: Int, lower: Double, upper: Double) {
        precondition(lower <= upper, "column \(columnNames[i]): lower bound above upper bound")
        columnLower[i] = lower
        columnUpper[i] = upper
    }

    /// The entries of column i.
    public func entries(ofColumn i: Int) -> [(row: Int, value: Double)] {
        (Int(columnStart[i])..<Int(columnStart[i + 1])).map { (Int(rowIndex[$0]), coefficient[$0]) }
    }
}
