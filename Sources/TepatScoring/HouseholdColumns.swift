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

    private init(count: Int, ids: TextColumn, village: [Int32], members: [Double], codes: [String: [Int32]], floorArea: [Double], isUrban: [Bool]) {
        self.count = count
        self.ids = ids
        self.village = village
        self.members = members
        self.codes = codes
        self.floorArea = floorArea
        self.isUrban = isUrban
    }

    /// The households at `rows`, in that order (a stratum).
    public func subset(_ rows: [Int]) -> HouseholdColumns {
        var subsetIDs = TextColumn()
        for r in rows { ids.withBytes(at: r) { subsetIDs.append($0) } }
        return HouseholdColumns(
            count: rows.count, ids: subsetIDs, village: rows.map { village[$0] }, members: rows.map { members[$0] },
            codes: codes.mapValues { column in rows.map { column[$0] } }, floorArea: rows.map { floorArea[$0] },
            isUrban: rows.map { isUrban[$0] })
    }

    /// No households: what a streamed run keeps of its registry.
    public static let none = HouseholdColumns(count: 0, ids: TextColumn(), village: [], members: [], codes: [:], floorArea: [], isUrban: [])

    /// The households of `parts`, one after the other (all from the same file).
    public static func joined(_ parts: [HouseholdColumns]) -> HouseholdColumns {
        guard parts.count > 1 else { return parts.first ?? .none }
        var ids = TextColumn()
        for part in parts { ids.append(contentsOf: part.ids) }
        var codes: [String: [Int32]] = [:]
        for name in parts[0].codes.keys { codes[name] = parts.flatMap { $0.codes[name]! } }
        return HouseholdColumns(
            count: parts.reduce(0) { $0 + $1.count }, ids: ids, village: parts.flatMap(\.village),
            members: parts.flatMap(\.members), codes: codes, floorArea: parts.flatMap(\.floorArea), isUrban: parts.flatMap(\.isUrban))
    }

    public subscript(_ name: String) -> [Int32] {
        guard let column = codes[name] else { preconditionFailure("no household column \(name)") }
        return column
    }

    /// Households whose category `name` is any of `levels`.
    public func isAny(_ name: String, of levels: [String]) -> [Bool] {
        guard case .category(let all) = Schemas.households.spec(name).kind else { preconditionFailure("\(name) is not a category") }
        let wanted = Set(levels.compactMap { all.firstIndex(of: $0) }.map(Int32.init))
        return self[name].map { wanted.contains($0) }
    }
}
