import Foundation
/// Reads one CSV file of a DATA_DIR against its schema into a `Table`, chunk by
/// chunk, checking every field and recording every problem with its location.
/// A row with any problem is left out of the table (and its problems recorded);
/// whether that is fatal (`--on-error fail`) is the caller's decision.
public final class TableReader {
    public let schema: FileSchema
    public let codebook: Codebook?
    public var displayName: String { csv.displayName }
    /// Problems found so far (header problems throw instead).
    public private(set) var problems: ProblemLog
    /// Rows read and rows rejected so far.
    public private(set) var rowsRead = 0
    public private(set) var rowsRejected = 0
    public var bytesRead: Int { csv.bytesRead }
    /// 1-based position of a column in the file's header.
    public func columnNumber(of name: String) -> Int? {
        csv.header.firstIndex { $0.lowercased() == name }.map { $0 + 1 }
    }

    let csv: CSVReader
    private let bindings: [Binding]
    let present: [Bool]
    private let rules: [(parts: [Int], total: Int, message: String)]
    /// Per identifier column (schema index): every id's hash and row in the
    /// current chunk, in row order; `readAll` and `readFile` find the repeats.
    var sightings: [Int: [IdentifierSighting]] = [:]
    var batch = CSVBatch()

    /// How one schema column is read from the file.
    struct Binding {
        let specIndex: Int
        let spec: ColumnSpec
        /// 0-based positions in the file; empty when the column is absent.
        let sources: [Int]
        /// Header name as written in the file (for messages).
        let sourceName: String
        let decoder: Decoder
    }

    public convenience init(
        path: String, schema: FileSchema, codebook: Codebook? = nil, displayName: String? = nil,
        problemLimit: Int = 10_000, chunkBytes: Int = CSVReader.defaultChunkBytes, recordIdentifiers: Bool = true
    ) throws(DataErrors) {
        try self.init(
            csv: try CSVReader(path: path, displayName: displayName, chunkBytes: chunkBytes),
            schema: schema, codebook: codebook, problemLimit: problemLimit)
        // A reader of chunks (`nextChunk`) has no use for them: a streamed run
        // checks ids with a `DuplicateFinder`.
        if !recordIdentifiers { sightings = [:] }
    }

    /// Reads records from `csv`, whose header has been read (by it or, for a part
    /// of a file, by the reader of the first part).
    init(csv: CSVReader, schema: FileSchema, codebook: Codebook?, problemLimit: Int) throws(DataErrors) {
        self.schema = schema
        self.codebook = codebook
        self.problems = ProblemLog(limit: problemLimit)
        self.csv = csv
        let file = csv.displayName

        var headerProblems = ProblemLog()
        var position: [String: Int] = [:]
        for (j, raw) in csv.header.enumerated() {
            let name = raw.lowercased()
            if name.isEmpty { continue }
            if let first = position[name] {
                headerProblems.record(DataProblem(
                    file: file, line: 1, columnNumber: j + 1, column: raw,
                    message: "duplicate column name (also column \(first + 1))"))
            } else {
                position[name] = j
            }
        }
        var bindings: [Binding] = []
        var present: [Bool] = []
        for (i, spec) in schema.columns.enumerated() {
            let sourceNames = codebook?.sources[spec.name] ?? [spec.name]
            let found = sourceNames.compactMap { position[$0.lowercased()] }
            if found.count < sourceNames.count && (spec.required || !found.isEmpty) {
                let missing = sourceNames.filter { position[$0.lowercased()] == nil }
                let via = sourceNames == [spec.name] ? "" : " (read from \(missing.joined(separator: ", ")) by codebook \(codebook?.name ?? ""))"
                headerProblems.record(DataProblem(
                    file: file, line: 1, column: spec.name,
                    message: "missing required column\(via); \(spec.kind.expectation)"))
            }
            let isPresent = found.count == sourceNames.count
            present.append(isPresent)
            let decoder = TableReader.decoder(for: spec, codebook: codebook)
            bindings.append(Binding(
                specIndex: i, spec: spec, sources: isPresent ? found : [],
                sourceName: isPresent ? csv.header[found[0]] : spec.name, decoder: decoder))
        }
        if !headerProblems.isEmpty { throw DataErrors(headerProblems) }
        self.bindings = bindings
        self.present = present
        self.rules = schema.rowRules.compactMap { rule in
            guard let t = schema.index(of: rule.total), present[t] else { return nil }
            let parts = rule.parts.compactMap { schema.index(of: $0) }.filter { present[$0] }
            return parts.isEmpty ? nil : (parts, t, rule.message)
        }
        for b in bindings where (b.decoder.isIdentifier || b.spec.unique) && !b.sources.isEmpty {
            sightings[b.specIndex] = []
        }
    }

    /// Reads up to `maxRows` records into a new table of the good rows; nil at the end.
    ///
    /// Decoding runs a column at a time over the whole batch: one dispatch on the
    /// column's decoder, then a tight loop over rows. Problems are then put back in
    /// line order, and rows with any problem are dropped. Ids are not checked for
    /// repeats here (`readAll` and `readFile` do that; a streamed run uses a
    /// `DuplicateFinder`), so make a chunk reader with `recordIdentifiers: false`.
    public func nextChunk(maxRows: Int = 65_536) throws(DataErrors) -> Table? {
        guard let (chunk, bad) = try nextUnfilteredChunk(maxRows: maxRows) else { return nil }
        var table = chunk
        let rejected = bad.reduce(0) { $0 + ($1 ? 1 : 0) }
        if rejected > 0 {
            rowsRejected += rejected
            table.removeRows(bad)
        }
        return table
    }

    /// Up to `maxRows` records with the rows that have problems still in (their
    /// bad values as placeholders), marked in `bad`; nil at the end.
    func nextUnfilteredChunk(maxRows: Int) throws(DataErrors) -> (table: Table, bad: [Bool])? {
        var table = Table(schema: schema, present: present)
        var bad: [Bool] = []
        var found: [DataProblem] = []
        var sawRecords = false
        for k in sightings.keys { sightings[k]!.removeAll(keepingCapacity: true) }
        maximumChunkRows = maxRows
        // Small CSV batches keep a batch's bytes and field offsets in cache while
        // each column is decoded across it.
        while table.rowCount < maxRows,
              try csv.nextBatch(maxRows: min(TableReader.batchRows, maxRows - table.rowCount), into: &batch) {
            sawRecords = true
            decodeBatch(into: &table, bad: &bad, problems: &found)
        }
        guard sawRecords else { return nil }
        rowsRead += table.rowCount
        if !found.isEmpty {
            found.sort(by: DataProblem.lineOrder)
            for p in found { problems.record(p) }
        }
        return (table, bad)
    }

    static let batchRows = 2_048
    private var maximumChunkRows = Int.max
    /// Bytes of later parts of the file whose rows will be appended to this
    /// reader's table (a parallel read): sizing for them up front spares copying
    /// every column when the parts are joined.
    var bytesToJoin = 0

    /// Appends the current CSV batch to `table`, one value per row and column,
    /// marking rows with problems in `bad`.
    private func decodeBatch(into table: inout Table, bad: inout [Bool], problems found: inout [DataProblem]) {
        let expectedFields = csv.header.count
        let rows = batch.rowCount
        var batchBad = [Bool](repeating: false, count: rows)
        for e in batch.rowErrors {
            batchBad[e.row] = true
            found.append(DataProblem(file: displayName, line: batch.line(row: e.row), columnNumber: e.columnNumber,
                                     column: e.columnNumber <= expectedFields ? csv.header[e.columnNumber - 1] : nil,
                                     message: e.message))
        }
        for row in 0..<rows where !batchBad[row] {
            let fields = batch.fieldCount(row: row)
            if fields != expectedFields {
                batchBad[row] = true
                found.append(DataProblem(
                    file: displayName, line: batch.line(row: row), columnNumber: min(fields, expectedFields) + 1,
                    message: "this row has \(fields) fields but the header has \(expectedFields)\(fields > expectedFields ? "; is a value with a comma not quoted?" : "")"))
            }
        }
        // Rows whose shape is wrong are not decoded at all; the others are.
        let shapeBad = batchBad
        let base = table.rowCount
        if base == 0 && rows > 0 && batch.byteSpan > 0 {
            // Size every column once from the bytes per row seen so far: growing by
            // doubling would copy each column and fault in twice the memory.
            let estimate = rows + (csv.bytesLeft + bytesToJoin) / max(1, batch.byteSpan / rows) * 21 / 20
            table.reserveCapacity(min(estimate, maximumChunkRows))
            for (k, _) in sightings { sightings[k]!.reserveCapacity(estimate) }
        }
        for row in 0..<rows { table.lines.append(batch.line(row: row)) }
        table.rowCount += rows
        // The problems move into the findings and back (a swap, no copy).
        var findings = BatchFindings(bad: batchBad, problems: [])
        swap(&findings.problems, &found)
        for binding in bindings {
            decodeColumn(binding, shapeBad: shapeBad, findings: &findings, into: &table)
        }
        checkRules(&table, from: base, bad: &findings.bad, problems: &findings.problems)
        swap(&findings.problems, &found)
        bad.append(contentsOf: findings.bad)
    }

    /// Reads the rest of the file into one table, on this thread, ids checked
    /// for repeats as in `readFile`.
    public func readAll() throws(DataErrors) -> Table {
        let result = try TableReader.joined([self])
        problems = result.problems
        rowsRejected += result.rowsRejected
        return result.table
    }

    func checkRules(_ table: inout Table, from base: Int, bad: inout [Bool], problems found: inout [DataProblem]) {
        for rule in rules {
            let total = table.integerColumns[table.slot[rule.total]]
            let parts = rule.parts.map { table.integerColumns[table.slot[$0]] }
            for r in 0..<bad.count where !bad[r] {
                var sum: Int64 = 0
                for p in parts { sum += Int64(p[base + r]) }
                if sum > Int64(total[base + r]) {
                    bad[r] = true
                    let names = rule.parts.map { schema.columns[$0].name }
                    found.append(DataProblem(
                        file: displayName, line: table.lines[base + r], columnNumber: bindings[rule.parts[0]].sources.first.map { $0 + 1 },
                        column: names.joined(separator: "+"), value: "\(sum) > \(schema.columns[rule.total].name) \(total[base + r])",
                        message: rule.message))
                }
            }
        }
    }
}
