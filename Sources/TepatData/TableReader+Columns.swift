import Foundation

/// Decoding one column across a CSV batch: one dispatch on the column's
/// decoder, then a tight loop over the rows. Every decoder appends one value
/// per row (a placeholder where the row is bad) so the columns stay aligned,
/// and marks the rows it finds bad, with their problems.
extension TableReader {
    /// One column of the current batch: where its field is, and what a missing
    /// field means.
    struct ColumnInBatch {
        let binding: Binding
        /// Rows whose shape is wrong: not decoded at all.
        let shapeBad: [Bool]
        let source: Int
        let missingInteger: Int32
        let missingNumber: Double
        var rows: Int { shapeBad.count }

        init(_ b: Binding, shapeBad: [Bool]) {
            binding = b
            self.shapeBad = shapeBad
            source = b.sources.first ?? -1
            missingInteger = b.spec.defaultValue.map { Int32($0) } ?? Table.missingInteger
            missingNumber = b.spec.defaultValue ?? .nan
        }
    }

    /// Problems and bad rows found in the batch so far.
    struct BatchFindings {
        var bad: [Bool]
        var problems: [DataProblem]

        @inline(__always) mutating func reject(_ row: Int, _ problem: DataProblem) {
            bad[row] = true
            problems.append(problem)
        }
    }

    func decodeColumn(_ b: Binding, shapeBad: [Bool], findings f: inout BatchFindings, into table: inout Table) {
        let slot = table.slot[b.specIndex]
        let c = ColumnInBatch(b, shapeBad: shapeBad)
        guard !b.sources.isEmpty else { return appendMissing(c, slot: slot, into: &table) }
        switch b.decoder {
        case .integer(let range): decodeIntegers(c, range: range, findings: &f, into: &table.integerColumns[slot])
        case .tokens(let tokens): decodeTokens(c, tokens, findings: &f, into: &table.integerColumns[slot])
        case let .number(minimum, exclusive, maximum):
            decodeNumbers(c, minimum: minimum, exclusive: exclusive, maximum: maximum, findings: &f, into: &table.numberColumns[slot])
        case .text(let identifier):
            // The column is taken out while appending, so it is neither looked
            // up nor checked for sharing once a row.
            var column = table.textColumns[slot]
            table.textColumns[slot] = TextColumn()
            decodeText(c, identifier: identifier, firstRow: table.rowCount - c.rows, findings: &f, into: &column)
            table.textColumns[slot] = column
        case .village: decodeVillages(c, firstRow: table.rowCount - c.rows, findings: &f, into: &table.regionColumns[slot])
        case .nik: checkNIKs(c, findings: &f)
        case .list(let allowed): decodeList(c, allowed: allowed, findings: &f, into: &table.textColumns[slot])
        case .kecamatanList: decodeKecamatanList(c, findings: &f, into: &table.textColumns[slot])
        }
    }

    /// A column the file does not have: its default, or missing, in every row.
    private func appendMissing(_ c: ColumnInBatch, slot: Int, into table: inout Table) {
        switch c.binding.spec.kind.storage {
        case .integer: table.integerColumns[slot].append(contentsOf: repeatElement(c.missingInteger, count: c.rows))
        case .number: table.numberColumns[slot].append(contentsOf: repeatElement(c.missingNumber, count: c.rows))
        case .text: for _ in 0..<c.rows { table.textColumns[slot].append("") }
        case .region: table.regionColumns[slot].append(contentsOf: repeatElement(0, count: c.rows))
        case .none: break
        }
    }

    /// The trimmed field; empty for a row whose shape is wrong.
    @inline(__always) func field(_ c: ColumnInBatch, _ row: Int) -> UnsafeBufferPointer<UInt8> {
        c.shapeBad[row] ? UnsafeBufferPointer(start: nil, count: 0) : FieldParsing.trimmed(batch.field(row: row, column: c.source))
    }

    /// Empty or shape-bad rows keep the placeholder, with a problem if the
    /// column is required.
    @inline(__always) func handledAsMissing(_ c: ColumnInBatch, _ row: Int, _ v: UnsafeBufferPointer<UInt8>, _ f: inout BatchFindings) -> Bool {
        if c.shapeBad[row] { return true }
        if v.isEmpty && c.binding.sources.count == 1 {
            if c.binding.spec.required { f.reject(row, problem(c.binding, row: row, value: v, "value missing; \(c.binding.spec.kind.expectation)")) }
            return true
        }
        return false
    }

    /// Decodes the batch into `column` in place: room for every row is made up
    /// front (holding `missing`), then `decode` gives each present field's
    /// value, nil to leave `missing` (a bad row, dropped later). One append per
    /// value would check the array's sharing and capacity every time. Each
    /// `decode` keeps the common case short and calls out (never inlined) to
    /// word a problem.
    @inline(__always)
    private func decodeInPlace<T>(
        _ c: ColumnInBatch, _ column: inout [T], missing: T, _ f: inout BatchFindings,
        _ decode: (Int, UnsafeBufferPointer<UInt8>, inout BatchFindings) -> T?
    ) {
        let start = column.count
        column.append(contentsOf: repeatElement(missing, count: c.rows))
        column.withUnsafeMutableBufferPointer { out in
            for row in 0..<c.rows {
                let v = field(c, row)
                if handledAsMissing(c, row, v, &f) { continue }
                if let value = decode(row, v, &f) { out[start + row] = value }
            }
        }
    }

    private func decodeIntegers(_ c: ColumnInBatch, range: ClosedRange<Int>, findings f: inout BatchFindings, into column: inout [Int32]) {
        let single = c.binding.sources.count == 1
        decodeInPlace(c, &column, missing: c.missingInteger, &f) { row, v, f in
            if single, let x = FieldParsing.integer(v), range.contains(x) { return Int32(truncatingIfNeeded: x) }
            return Int32(clamping: decodeIntegerSlowly(c.binding, row: row, range: range, findings: &f))
        }
    }

    /// Yes/no and category fields. Written out, not through decodeInPlace: the
    /// compiler kept that closure a call per field, a tenth of an ingest (30 of
    /// the 46 household columns are yes/no or categories).
    private func decodeTokens(_ c: ColumnInBatch, _ tokens: TokenTable, findings f: inout BatchFindings, into column: inout [Int32]) {
        let start = column.count
        column.append(contentsOf: repeatElement(c.missingInteger, count: c.rows))
        tokens.values.withUnsafeBufferPointer { values in
            column.withUnsafeMutableBufferPointer { out in
                for row in 0..<c.rows {
                    let v = field(c, row)
                    if handledAsMissing(c, row, v, &f) { continue }
                    let k = tokens.match(v)
                    if k >= 0 { out[start + row] = values[k] } else { f.reject(row, unknownToken(c.binding, tokens, row: row, value: v)) }
                }
            }
        }
    }

    private func decodeNumbers(
        _ c: ColumnInBatch, minimum: Double, exclusive: Bool, maximum: Double, findings f: inout BatchFindings, into column: inout [Double]
    ) {
        decodeInPlace(c, &column, missing: c.missingNumber, &f) { row, v, f in
            guard let x = FieldParsing.number(v) else {
                f.reject(row, notANumber(c.binding, row: row, value: v))
                return nil
            }
            if x < minimum || (exclusive && x == minimum) || x > maximum {
                f.reject(row, problem(c.binding, row: row, value: v, c.binding.spec.kind.expectation))
            }
            return x
        }
    }

    /// Text and ids; an id's hash and row are noted for the repeat check.
    private func decodeText(_ c: ColumnInBatch, identifier: Bool, firstRow base: Int, findings f: inout BatchFindings, into column: inout TextColumn) {
        // The ids are taken out too, for the same reason as the column.
        var seen = identifier ? sightings.removeValue(forKey: c.binding.specIndex) : nil
        for row in 0..<c.rows {
            let v = field(c, row)
            column.append(v)
            if handledAsMissing(c, row, v, &f) { continue }
            if !FieldParsing.isCleanText(v) {
                f.reject(row, problem(c.binding, row: row, value: v,
                                      "not valid UTF-8 text (control character, NUL or byte-order mark; is the file Latin-1? save it as \"CSV UTF-8\")"))
            } else if seen != nil {
                seen!.append(IdentifierSighting(hash: FieldParsing.hash(v), row: base + row))
            }
        }
        if let seen { sightings[c.binding.specIndex] = seen }
    }

    private func decodeVillages(_ c: ColumnInBatch, firstRow base: Int, findings f: inout BatchFindings, into column: inout [Int64]) {
        var seen = sightings.removeValue(forKey: c.binding.specIndex)
        decodeInPlace(c, &column, missing: 0, &f) { row, v, f in
            guard let code = RegionCode.parse(v), code.level == .village else {
                f.reject(row, problem(c.binding, row: row, value: v, RegionCode.explainInvalid(v, wanted: .village)))
                return nil
            }
            // The same code spelled 35.14.01.2001 or 3514012001 is the same
            // village (a repeat is quoted as the code, dotted).
            seen?.append(IdentifierSighting(hash: UInt64(code.value) &* 0x9E37_79B9_7F4A_7C15, row: base + row))
            return code.value
        }
        if let seen { sightings[c.binding.specIndex] = seen }
    }

    /// NIKs are checked, never stored.
    private func checkNIKs(_ c: ColumnInBatch, findings f: inout BatchFindings) {
        for row in 0..<c.rows {
            let v = field(c, row)
            if handledAsMissing(c, row, v, &f) { continue }
            if !(v.count == 16 && v.allSatisfy({ $0 >= 48 && $0 <= 57 })) {
                f.reject(row, problem(c.binding, row: row, value: v, c.binding.spec.kind.expectation))
            }
        }
    }

    private func decodeList(_ c: ColumnInBatch, allowed: Set<String>, findings f: inout BatchFindings, into column: inout TextColumn) {
        let expectation = c.binding.spec.kind.expectation
        for row in 0..<c.rows {
            let v = field(c, row)
            column.append(v)
            if handledAsMissing(c, row, v, &f) { continue }
            let items = listItems(String(decoding: v, as: UTF8.self)).map { $0.lowercased() }
            if items.isEmpty {
                f.reject(row, problem(c.binding, row: row, value: v, "value missing; \(expectation)"))
            } else if let unknown = items.first(where: { !allowed.contains($0) }) {
                f.reject(row, problem(c.binding, row: row, value: v, "unknown value '\(DisplayValue.make(unknown))'; \(expectation)"))
            }
        }
    }

    private func decodeKecamatanList(_ c: ColumnInBatch, findings f: inout BatchFindings, into column: inout TextColumn) {
        for row in 0..<c.rows {
            let v = field(c, row)
            column.append(v)
            if handledAsMissing(c, row, v, &f) { continue }
            for code in listItems(String(decoding: v, as: UTF8.self)) where RegionCode(code)?.level != .kecamatan {
                f.reject(row, problem(c.binding, row: row, value: v, "'\(DisplayValue.make(code))' is not a kecamatan code; \(c.binding.spec.kind.expectation)"))
                break
            }
        }
    }
}
