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
    private(set) var sightings: [Int: [IdentifierSighting]] = [:]
    private var batch = CSVBatch()

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

    enum Decoder {
        case integer(ClosedRange<Int>)
        /// Tokens → value (category index, or 0/1).
        case tokens(TokenTable)
        case number(minimum: Double, exclusive: Bool, maximum: Double)
        case text(identifier: Bool)
        case village
        case nik
        case list(Set<String>)
        case kecamatanList
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

    static func decoder(for spec: ColumnSpec, codebook: Codebook?) -> Decoder {
        let codes = codebook?.codes[spec.name]
        switch spec.kind {
        case .integer(let range):
            if let codes {  // coded whole numbers, e.g. PBDT's ijazah 1–6 → head_education 0–5
                return .tokens(TokenTable(codes.compactMap { code, value in
                    Int32(value).map { (Array(code.utf8), $0) }
                }.sorted { $0.0.lexicographicallyPrecedes($1.0) }))
            }
            return .integer(range)
        case .binary:
            if let codes {
                return .tokens(TokenTable(codes.map { (Array($0.key.utf8), Int32($0.value) ?? 0) }.sorted { $0.0.lexicographicallyPrecedes($1.0) }))
            }
            if let codebook, codebook.sources[spec.name] != nil {
                return .tokens(TokenTable(codebook.yes.map { (Array($0.utf8), Int32(1)) } + codebook.no.map { (Array($0.utf8), Int32(0)) }))
            }
            return .tokens(TokenTable([(Array("0".utf8), Int32(0)), (Array("1".utf8), Int32(1))]))
        case .category(let levels):
            if let codes {
                let table = codes.compactMap { code, level -> ([UInt8], Int32)? in
                    guard let i = levels.firstIndex(of: level) else { return nil }
                    return (Array(code.utf8), Int32(i))
                }
                return .tokens(TokenTable(table.sorted { $0.0.lexicographicallyPrecedes($1.0) }))
            }
            return .tokens(TokenTable(levels.enumerated().map { (Array($1.utf8), Int32($0)) }))
        case let .number(minimum, exclusive, maximum):
            return .number(minimum: minimum, exclusive: exclusive, maximum: maximum)
        case .identifier: return .text(identifier: true)
        case .text: return .text(identifier: false)
        case .village: return .village
        case .nik: return .nik
        case .list(let allowed): return .list(Set(allowed))
        case .kecamatanList: return .kecamatanList
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
        for binding in bindings {
            decodeColumn(binding, shapeBad: shapeBad, bad: &batchBad, problems: &found, into: &table)
        }
        checkRules(&table, from: base, bad: &batchBad, problems: &found)
        bad.append(contentsOf: batchBad)
    }

    /// Reads the rest of the file into one table, on this thread, ids checked
    /// for repeats as in `readFile`.
    public func readAll() throws(DataErrors) -> Table {
        let result = try TableReader.joined([self])
        problems = result.problems
        rowsRejected += result.rowsRejected
        return result.table
    }

    /// A located problem for field `row` of `binding` (`sourceIndex`: which of its sources).
    private func problem(_ b: Binding, row: Int, sourceIndex: Int = 0, value: UnsafeBufferPointer<UInt8>, _ message: String) -> DataProblem {
        let j = b.sources[sourceIndex]
        return DataProblem(
            file: displayName, line: batch.line(row: row), columnNumber: j + 1, column: csv.header[j],
            value: DisplayValue.make(value, personal: b.spec.isPersonal), message: message)
    }

    /// Decodes one column for every row of the batch, appending one value per row
    /// (a placeholder where the row is bad) so the columns stay aligned.
    private func decodeColumn(_ b: Binding, shapeBad: [Bool], bad: inout [Bool], problems found: inout [DataProblem], into table: inout Table) {
        let slot = table.slot[b.specIndex]
        let rows = shapeBad.count
        let missingInteger = b.spec.defaultValue.map { Int32($0) } ?? Table.missingInteger
        let missingNumber = b.spec.defaultValue ?? .nan
        if b.sources.isEmpty {
            switch b.spec.kind.storage {
            case .integer: table.integerColumns[slot].append(contentsOf: repeatElement(missingInteger, count: rows))
            case .number: table.numberColumns[slot].append(contentsOf: repeatElement(missingNumber, count: rows))
            case .text: for _ in 0..<rows { table.textColumns[slot].append("") }
            case .region: table.regionColumns[slot].append(contentsOf: repeatElement(0, count: rows))
            case .none: break
            }
            return
        }
        let source = b.sources[0]
        let required = b.spec.required
        let expectation = b.spec.kind.expectation
        /// The trimmed field; empty for a row whose shape is wrong (not decoded).
        @inline(__always) func field(_ row: Int) -> UnsafeBufferPointer<UInt8> {
            shapeBad[row] ? UnsafeBufferPointer(start: nil, count: 0) : FieldParsing.trimmed(batch.field(row: row, column: source))
        }
        /// Empty or shape-bad rows: placeholder, and a problem if the column is required.
        @inline(__always) func handledAsMissing(_ row: Int, _ f: UnsafeBufferPointer<UInt8>) -> Bool {
            if shapeBad[row] { return true }
            if f.isEmpty && b.sources.count == 1 {
                if required {
                    bad[row] = true
                    found.append(problem(b, row: row, value: f, "value missing; \(expectation)"))
                }
                return true
            }
            return false
        }

        /// Decodes the batch into `column` in place: room for every row is made up
        /// front (holding `missing`), then `decode` gives each present field's
        /// value, nil to leave `missing` (a bad row, dropped later). One append
        /// per value would check the array's sharing and capacity every time.
        /// Each `decode` keeps the common case short and calls out (never
        /// inlined) to word a problem.
        func decodeInPlace<T>(_ column: inout [T], missing: T, _ decode: (Int, UnsafeBufferPointer<UInt8>) -> T?) {
            let start = column.count
            column.append(contentsOf: repeatElement(missing, count: rows))
            column.withUnsafeMutableBufferPointer { out in
                for row in 0..<rows {
                    let f = field(row)
                    if handledAsMissing(row, f) { continue }
                    if let value = decode(row, f) { out[start + row] = value }
                }
            }
        }

        switch b.decoder {
        case .integer(let range):
            decodeInPlace(&table.integerColumns[slot], missing: missingInteger) { row, f in
                if b.sources.count == 1, let v = FieldParsing.integer(f), range.contains(v) { return Int32(truncatingIfNeeded: v) }
                return Int32(clamping: decodeIntegerSlowly(b, row: row, range: range, bad: &bad, problems: &found))
            }
        case .tokens(let tokens):
            // Written out, not through decodeInPlace: the compiler kept that
            // closure a call per field, a tenth of an ingest (30 of the 46
            // household columns are yes/no or categories).
            let start = table.integerColumns[slot].count
            table.integerColumns[slot].append(contentsOf: repeatElement(missingInteger, count: rows))
            tokens.values.withUnsafeBufferPointer { values in
                table.integerColumns[slot].withUnsafeMutableBufferPointer { out in
                    for row in 0..<rows {
                        let f = field(row)
                        if handledAsMissing(row, f) { continue }
                        let k = tokens.match(f)
                        if k >= 0 {
                            out[start + row] = values[k]
                        } else {
                            bad[row] = true
                            found.append(unknownToken(b, tokens, row: row, value: f))
                        }
                    }
                }
            }
        case let .number(minimum, exclusive, maximum):
            decodeInPlace(&table.numberColumns[slot], missing: missingNumber) { row, f in
                if let v = FieldParsing.number(f) {
                    if v < minimum || (exclusive && v == minimum) || v > maximum {
                        bad[row] = true
                        found.append(problem(b, row: row, value: f, expectation))
                    }
                    return v
                }
                bad[row] = true
                found.append(notANumber(b, row: row, value: f))
                return nil
            }
        case .text(let identifier):
            // The column and the ids are taken out while appending, so
            // neither is looked up, nor checked for sharing, once a row.
            var column = table.textColumns[slot]
            table.textColumns[slot] = TextColumn()
            var seen = identifier ? sightings.removeValue(forKey: b.specIndex) : nil
            let base = table.rowCount - rows
            for row in 0..<rows {
                let f = field(row)
                column.append(f)
                if handledAsMissing(row, f) { continue }
                if !FieldParsing.isCleanText(f) {
                    bad[row] = true
                    found.append(problem(b, row: row, value: f, "not valid UTF-8 text (control character, NUL or byte-order mark; is the file Latin-1? save it as \"CSV UTF-8\")"))
                } else if seen != nil {
                    seen!.append(IdentifierSighting(hash: FieldParsing.hash(f), row: base + row))
                }
            }
            table.textColumns[slot] = column
            if let seen { sightings[b.specIndex] = seen }
        case .village:
            // The ids are taken out while decoding, so they are not looked up once a row.
            var seen = sightings.removeValue(forKey: b.specIndex)
            let base = table.rowCount - rows
            decodeInPlace(&table.regionColumns[slot], missing: 0) { row, f in
                guard let code = RegionCode.parse(f), code.level == .village else {
                    bad[row] = true
                    found.append(problem(b, row: row, value: f, RegionCode.explainInvalid(f, wanted: .village)))
                    return nil
                }
                // The same code spelled 35.14.01.2001 or 3514012001 is the same
                // village (a repeat is quoted as the code, dotted).
                seen?.append(IdentifierSighting(hash: UInt64(code.value) &* 0x9E37_79B9_7F4A_7C15, row: base + row))
                return code.value
            }
            if let seen { sightings[b.specIndex] = seen }
        case .nik:
            for row in 0..<rows {
                let f = field(row)
                if handledAsMissing(row, f) { continue }
                if !(f.count == 16 && f.allSatisfy({ $0 >= 48 && $0 <= 57 })) {
                    bad[row] = true
                    found.append(problem(b, row: row, value: f, expectation))
                }
            }
        case .list(let allowed):
            for row in 0..<rows {
                let f = field(row)
                table.textColumns[slot].append(f)
                if handledAsMissing(row, f) { continue }
                let items = listItems(String(decoding: f, as: UTF8.self)).map { $0.lowercased() }
                if items.isEmpty {
                    bad[row] = true
                    found.append(problem(b, row: row, value: f, "value missing; \(expectation)"))
                } else if let unknown = items.first(where: { !allowed.contains($0) }) {
                    bad[row] = true
                    found.append(problem(b, row: row, value: f, "unknown value '\(DisplayValue.make(unknown))'; \(expectation)"))
                }
            }
        case .kecamatanList:
            for row in 0..<rows {
                let f = field(row)
                table.textColumns[slot].append(f)
                if handledAsMissing(row, f) { continue }
                for code in listItems(String(decoding: f, as: UTF8.self)) {
                    if RegionCode(code)?.level != .kecamatan {
                        bad[row] = true
                        found.append(problem(b, row: row, value: f, "'\(DisplayValue.make(code))' is not a kecamatan code; \(expectation)"))
                        break
                    }
                }
            }
        }
    }

    /// A yes/no or category field that matches no token.
    @inline(never)
    private func unknownToken(_ b: Binding, _ tokens: TokenTable, row: Int, value f: UnsafeBufferPointer<UInt8>) -> DataProblem {
        if let codebook, codebook.sources[b.spec.name] != nil || codebook.codes[b.spec.name] != nil {
            let known = tokens.names.joined(separator: ", ")
            return problem(b, row: row, value: f, "code not in codebook \(codebook.name); known codes: \(known)")
        }
        return problem(b, row: row, value: f, (b.spec.kind == .binary ? "" : "unknown category; ") + b.spec.kind.expectation)
    }

    /// A number field that does not read as a number.
    @inline(never)
    private func notANumber(_ b: Binding, row: Int, value f: UnsafeBufferPointer<UInt8>) -> DataProblem {
        let expectation = b.spec.kind.expectation
        let message = f.contains(UInt8(ascii: ",")) ? "use . as the decimal mark and no thousands separator; \(expectation)"
            : FieldParsing.looksNonFinite(f) ? "not a finite number; \(expectation)" : expectation
        return problem(b, row: row, value: f, message)
    }

    /// Integer fields that miss the fast path: sums over several source columns
    /// (codebooks) and every kind of bad value, each with its own message.
    @inline(never)
    private func decodeIntegerSlowly(_ b: Binding, row: Int, range: ClosedRange<Int>, bad: inout [Bool], problems found: inout [DataProblem]) -> Int {
        var total = 0
        for (k, j) in b.sources.enumerated() {
            let f = FieldParsing.trimmed(batch.field(row: row, column: j))
            if f.isEmpty && b.sources.count > 1 { continue }  // a missing part of a sum counts as 0
            if let v = FieldParsing.integer(f), range.contains(v) { total += v; continue }
            bad[row] = true
            // "(not a fraction)" only for a fraction: 2.5 in a count, not 250 for an age.
            let fraction = FieldParsing.number(f).map { $0.rounded() != $0 && !f.contains(UInt8(ascii: "-")) } ?? false
            found.append(problem(b, row: row, sourceIndex: k, value: f, fraction ? "\(b.spec.kind.expectation) (not a fraction)" : b.spec.kind.expectation))
        }
        if !bad[row] && !range.contains(total) {
            bad[row] = true
            found.append(problem(b, row: row, value: FieldParsing.trimmed(batch.field(row: row, column: b.sources[0])), "the parts sum to \(total); \(b.spec.kind.expectation)"))
        }
        return total
    }

    private func checkRules(_ table: inout Table, from base: Int, bad: inout [Bool], problems found: inout [DataProblem]) {
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

/// An id met in a row: its hash (`FieldParsing.hash`, or a village code spread
/// over 64 bits) and the row (or, in `DuplicateFinder`, the line) it was met on.
struct IdentifierSighting {
    var hash: UInt64
    var row: Int

    /// By hash, then row: a repeated id's first row comes first.
    static func order(_ a: IdentifierSighting, _ b: IdentifierSighting) -> Bool {
        a.hash != b.hash ? a.hash < b.hash : a.row < b.row
    }

    /// `items`, in row order, sorted by hash then row: a least-significant-digit
    /// radix sort, 11 bits a pass. Each pass is stable, so rows stay in order
    /// within a hash. (A comparison sort took 6% of an ingest's CPU.)
    static func sortedByHash(_ items: [IdentifierSighting]) -> [IdentifierSighting] {
        var from = items
        var to = items
        let bits = 11, buckets = 1 << 11
        var counts = [Int](repeating: 0, count: buckets)
        from.withUnsafeMutableBufferPointer { a in
            to.withUnsafeMutableBufferPointer { b in
                counts.withUnsafeMutableBufferPointer { counts in
                    var source = a, target = b
                    for shift in stride(from: 0, to: 64, by: bits) {
                        for i in 0..<buckets { counts[i] = 0 }
                        for item in source { counts[Int((item.hash >> UInt64(shift)) & UInt64(buckets - 1))] += 1 }
                        var total = 0
                        for i in 0..<buckets { let c = counts[i]; counts[i] = total; total += c }
                        for item in source {
                            let digit = Int((item.hash >> UInt64(shift)) & UInt64(buckets - 1))
                            target[counts[digit]] = item
                            counts[digit] += 1
                        }
                        swap(&source, &target)
                    }
                }
            }
        }
        // Six passes, each from one array to the other: the last wrote `from`.
        return from
    }

    /// Sorted lists (by `order`) merged into one.
    static func merged(_ lists: [[IdentifierSighting]]) -> [IdentifierSighting] {
        var lists = lists
        while lists.count > 1 {
            var next: [[IdentifierSighting]] = []
            for k in stride(from: 0, to: lists.count, by: 2) {
                guard k + 1 < lists.count else { next.append(lists[k]); continue }
                let a = lists[k], b = lists[k + 1]
                var out: [IdentifierSighting] = []
                out.reserveCapacity(a.count + b.count)
                var i = 0, j = 0
                while i < a.count && j < b.count {
                    if order(b[j], a[i]) { out.append(b[j]); j += 1 } else { out.append(a[i]); i += 1 }
                }
                out += a[i...]
                out += b[j...]
                next.append(out)
            }
            lists = next
        }
        return lists.first ?? []
    }
}

extension TableReader.Decoder {
    var isIdentifier: Bool { if case .text(true) = self { return true } else { return false } }
}

extension FieldParsing {
    /// NaN or infinity written out, or a number whose exponent overflows (1e309).
    static func looksNonFinite(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let s = String(decoding: b, as: UTF8.self).lowercased().trimmingCharacters(in: ["+", "-"])
        if ["nan", "inf", "infinity"].contains(s) { return true }
        return s.contains("e") && s.allSatisfy { "0123456789.e+-".contains($0) }
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    func contains(_ byte: UInt8) -> Bool { self.firstIndex(of: byte) != nil }
}
