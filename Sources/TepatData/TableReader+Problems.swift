import Foundation

/// The wording of problems found while decoding, out of the decoding loops
/// (never inlined into them).
extension TableReader {
    /// A located problem for field `row` of `binding` (`sourceIndex`: which of its sources).
    func problem(_ b: Binding, row: Int, sourceIndex: Int = 0, value: UnsafeBufferPointer<UInt8>, _ message: String) -> DataProblem {
        let j = b.sources[sourceIndex]
        return DataProblem(
            file: displayName, line: batch.line(row: row), columnNumber: j + 1, column: csv.header[j],
            value: DisplayValue.make(value, personal: b.spec.isPersonal), message: message)
    }

    /// A yes/no or category field that matches no token.
    @inline(never)
    func unknownToken(_ b: Binding, _ tokens: TokenTable, row: Int, value f: UnsafeBufferPointer<UInt8>) -> DataProblem {
        if let codebook, codebook.sources[b.spec.name] != nil || codebook.codes[b.spec.name] != nil {
            let known = tokens.names.joined(separator: ", ")
            return problem(b, row: row, value: f, "code not in codebook \(codebook.name); known codes: \(known)")
        }
        return problem(b, row: row, value: f, (b.spec.kind == .binary ? "" : "unknown category; ") + b.spec.kind.expectation)
    }

    /// A number field that does not read as a number.
    @inline(never)
    func notANumber(_ b: Binding, row: Int, value f: UnsafeBufferPointer<UInt8>) -> DataProblem {
        let expectation = b.spec.kind.expectation
        let message = f.contains(UInt8(ascii: ",")) ? "use . as the decimal mark and no thousands separator; \(expectation)"
            : FieldParsing.looksNonFinite(f) ? "not a finite number; \(expectation)" : expectation
        return problem(b, row: row, value: f, message)
    }

    /// Integer fields that miss the fast path: sums over several source columns
    /// (codebooks) and every kind of bad value, each with its own message.
    @inline(never)
    func decodeIntegerSlowly(_ b: Binding, row: Int, range: ClosedRange<Int>, findings: inout BatchFindings) -> Int {
        var total = 0
        for (k, j) in b.sources.enumerated() {
            let f = FieldParsing.trimmed(batch.field(row: row, column: j))
            if f.isEmpty && b.sources.count > 1 { continue }  // a missing part of a sum counts as 0
            if let v = FieldParsing.integer(f), range.contains(v) { total += v; continue }
            // "(not a fraction)" only for a fraction: 2.5 in a count, not 250 for an age.
            let fraction = FieldParsing.number(f).map { $0.rounded() != $0 && !f.contains(UInt8(ascii: "-")) } ?? false
            findings.reject(row, problem(b, row: row, sourceIndex: k, value: f,
                                         fraction ? "\(b.spec.kind.expectation) (not a fraction)" : b.spec.kind.expectation))
        }
        if !findings.bad[row] && !range.contains(total) {
            let first = FieldParsing.trimmed(batch.field(row: row, column: b.sources[0]))
            findings.reject(row, problem(b, row: row, value: first, "the parts sum to \(total); \(b.spec.kind.expectation)"))
        }
        return total
    }
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
