import TepatData

/// The household indicators scoring uses, as typed columns. Built once from a
/// validated `Table` of households.csv or survey.csv, so no estimator parses or
/// looks up a column by name.
public struct HouseholdColumns: Sendable {
    public let count: Int
    public let ids: TextColumn
    /// Index of each household's village in the run's village list.
    public let village: [Int32]
    public let members: [Double]
    /// Category and 0/1 columns by schema name, as stored in the table.
    public let codes: [String: [Int32]]
    public let floorArea: [Double]
    public let isUrban: [Bool]

    /// - Parameter villageIndex: village code → position in the run's village list.
    public init(_ table: Table, villageIndex: [Int64: Int32]) {
        count = table.rowCount
        ids = table.texts("household_id")
        let codesColumn = table.regionValues("kode_desa")
        village = codesColumn.map { villageIndex[$0] ?? -1 }
        members = table.integers("members").map(Double.init)
        var codes: [String: [Int32]] = [:]
        for spec in table.schema.columns where spec.kind.storage == .integer {
            codes[spec.name] = table.integers(spec.name)
        }
        self.codes = codes
        floorArea = table.numbers("floor_area_m2")
        isUrban = codesColumn.map { RegionCode(value: $0, level: .village)?.isKelurahan ?? false }
    }

    public subscript(_ name: String) -> [Int32] {
        guard let column = codes[name] else { preconditionFailure("no household column \(name)") }
        return column
    }

    /// The level name of category column `name` for every household.
    public func level(_ name: String, _ level: String) -> [Bool] {
        guard let spec = Schemas.households.index(of: name).map({ Schemas.households.columns[$0] }),
              case .category(let levels) = spec.kind, let k = levels.firstIndex(of: level) else {
            preconditionFailure("\(name) has no level \(level)")
        }
        return self[name].map { $0 == Int32(k) }
    }

    /// Households whose category `name` is any of `levels`.
    public func isAny(_ name: String, of levels: [String]) -> [Bool] {
        guard case .category(let all) = Schemas.households.spec(name).kind else { preconditionFailure("\(name) is not a category") }
        let wanted = Set(levels.compactMap { all.firstIndex(of: $0) }.map(Int32.init))
        return self[name].map { wanted.contains($0) }
    }
}
