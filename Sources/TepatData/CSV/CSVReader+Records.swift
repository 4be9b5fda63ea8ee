import Foundation

/// Records: fields split by the delimiter, quoted or not, in batches.
extension CSVReader {
    fileprivate enum RecordResult { case complete, blank, needMore, endOfInput }

    /// Fills `batch` with up to `maxRows` records. Returns false when the input is
    /// exhausted and no record was read. The batch's fields are valid until the
    /// next call.
    public func nextBatch(maxRows: Int, into batch: inout CSVBatch) throws(DataErrors) -> Bool {
        batch.reset(base: buffer)
        if !atEOF && end - start < chunkBytes / 2 { try refill(); batch.reset(base: buffer) }
        while batch.rowCount < maxRows {
            switch parseRecord(into: &batch) {
            case .complete, .blank:
                continue
            case .endOfInput:
                return batch.rowCount > 0
            case .needMore:
                if batch.rowCount > 0 { return true }
                try refill()
                batch.reset(base: buffer)
            }
        }
        return true
    }

    /// Parses one record at `start`. On `.needMore` nothing is consumed, so the
    /// record is parsed again from its start once more bytes are in.
    private func parseRecord(into batch: inout CSVBatch) -> RecordResult {
        let newline = UInt8(ascii: "\n"), carriage = UInt8(ascii: "\r")
        let i = start
        if i >= end { return atEOF ? .endOfInput : .needMore }
        // A blank line is skipped, not read as a record with one empty field.
        if buffer[i] == newline { start = i + 1; line += 1; return .blank }
        if buffer[i] == carriage {
            if i + 1 >= end && !atEOF { return .needMore }
            start = (i + 1 < end && buffer[i + 1] == newline) ? i + 2 : i + 1
            line += 1
            return .blank
        }
        var record = RecordInProgress(line: line, position: i)
        while true {
            record.column += 1
            let step = record.position < end && buffer[record.position] == UInt8(ascii: "\"")
                ? quotedField(&record, into: &batch) : unquotedField(&record, into: &batch)
            switch step {
            case .needMore: return .needMore
            case .nextField: continue
            case .endOfRecord: return finish(record, into: &batch)
            }
        }
    }

    /// Where a record's parse stands.
    private struct RecordInProgress {
        let line: Int
        var position: Int
        var column = 0
        var linesInside = 0
        /// Fields with doubled quotes, unescaped once the record is complete.
        var pendingUnescape: [Int] = []
        var error: (column: Int, message: String)? = nil

        init(line: Int, position: Int) {
            self.line = line
            self.position = position
        }
    }

    private enum FieldStep { case nextField, endOfRecord, needMore }

    /// A quoted field: up to the closing quote ("" is an escaped quote), then
    /// the delimiter or the line end.
    @inline(__always)
    private func quotedField(_ record: inout RecordInProgress, into batch: inout CSVBatch) -> FieldStep {
        let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), carriage = UInt8(ascii: "\r")
        let i = record.position
        var r = i + 1
        var escaped = false
        let quoteLine = record.line + record.linesInside
        while true {
            if r >= end {
                if !atEOF { return .needMore }
                record.error = (record.column, "a quote opened here (line \(quoteLine)) is never closed")
                batch.appendField(start: i + 1, end: end)
                record.position = end
                return .endOfRecord
            }
            let c = buffer[r]
            if c == quote {
                if r + 1 >= end && !atEOF { return .needMore }
                if r + 1 < end && buffer[r + 1] == quote { escaped = true; r += 2; continue }
                break
            }
            if c == newline { record.linesInside += 1 }
            r += 1
        }
        if escaped { record.pendingUnescape.append(batch.fields.count) }
        batch.appendField(start: i + 1, end: r)
        var j = r + 1
        record.position = j
        if j >= end { return atEOF ? .endOfRecord : .needMore }
        let c = buffer[j]
        if c == delimiter { record.position = j + 1; return .nextField }
        if c == newline || c == carriage { return .endOfRecord }
        // Text after a closing quote: report it and skip to the end of the line.
        record.error = (record.column, "unexpected \"\(DisplayValue.make(UnsafeBufferPointer(start: buffer + j, count: 1)))\" after a closing quote; quotes inside a quoted field must be doubled (\"\")")
        while j < end && buffer[j] != newline && buffer[j] != carriage { j += 1 }
        record.position = j
        return j >= end && !atEOF ? .needMore : .endOfRecord
    }

    /// An unquoted field: up to the delimiter or the end of the line.
    @inline(__always)
    private func unquotedField(_ record: inout RecordInProgress, into batch: inout CSVBatch) -> FieldStep {
        let newline = UInt8(ascii: "\n"), carriage = UInt8(ascii: "\r")
        let delimiter = self.delimiter
        let fieldStart = record.position
        var i = fieldStart
        while i < end {
            let c = buffer[i]
            if c == delimiter || c == newline || c == carriage { break }
            i += 1
        }
        record.position = i
        if i >= end {
            if !atEOF { return .needMore }
            batch.appendField(start: fieldStart, end: i)
            return .endOfRecord
        }
        batch.appendField(start: fieldStart, end: i)
        if buffer[i] == delimiter { record.position = i + 1; return .nextField }
        return .endOfRecord
    }

    /// The record is complete: consume its line end, then unescape quotes in place.
    private func finish(_ record: RecordInProgress, into batch: inout CSVBatch) -> RecordResult {
        let newline = UInt8(ascii: "\n"), carriage = UInt8(ascii: "\r")
        var i = record.position
        if i < end && buffer[i] == carriage {
            if i + 1 >= end && !atEOF { return .needMore }
            i += (i + 1 < end && buffer[i + 1] == newline) ? 2 : 1
        } else if i < end && buffer[i] == newline {
            i += 1
        }
        for f in record.pendingUnescape { batch.unescapeField(f) }
        batch.finishRow(line: record.line)
        if let error = record.error { batch.rowErrors.append(.init(row: batch.rowCount - 1, columnNumber: error.column, message: error.message)) }
        line = record.line + record.linesInside + 1
        start = i
        return .complete
    }
}
