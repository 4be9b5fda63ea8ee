import Foundation
import TepatData

/// households.csv as a sequence of checked chunks of `HouseholdColumns`, read on
/// a background thread one chunk ahead of the scoring. Rows the reader rejects,
/// rows of villages not in villages.csv and the lines in `leaveOut` (repeated
/// ids) are left out; every id's hash goes to `duplicates` when given.
final class HouseholdChunks {
    private let prefetch: Prefetch<Table>
    private let reader: TableReader
    private let villages: VillageList
    private let leaveOut: Set<Int>
    private let duplicates: DuplicateFinder?
    private let scope: String
    let idColumnNumber: Int?
    let bytesTotal: Int
    private(set) var rowsKept = 0
    private var rowsDropped = 0
    private var villageProblems: [DataProblem] = []

    init(_ input: StreamingScorer.Input, villages: VillageList, leaveOut: Set<Int>, duplicates: DuplicateFinder?) throws {
        let reader = try TableReader(path: input.householdsPath, schema: Schemas.households, codebook: input.codebook,
                                     displayName: Schemas.households.fileName, problemLimit: input.problemLimit, recordIdentifiers: false)
        self.reader = reader
        self.villages = villages
        self.leaveOut = leaveOut
        self.duplicates = duplicates
        scope = DataDirectory.villageScope(input.villages)
        idColumnNumber = reader.columnNumber(of: "household_id")
        bytesTotal = (try? FileManager.default.attributesOfItem(atPath: input.householdsPath)[.size] as? Int) ?? 0
        let unchecked = UncheckedReader(reader: reader)
        let rows = input.readRows
        prefetch = Prefetch { try unchecked.reader.nextChunk(maxRows: rows) }
    }

    /// A run that stops early (an error while scoring) lets the reading thread end.
    deinit { prefetch.cancel() }

    var bytesRead: Int { reader.bytesRead }
    var rowsRejected: Int { reader.rowsRejected + rowsDropped }

    /// The reader's problems and those of unknown villages, in line order.
    var problems: [DataProblem] {
        (reader.problems.problems + villageProblems).sorted(by: DataProblem.lineOrder)
    }
    var problemsOmitted: Int { reader.problems.omitted }

    func next() throws -> HouseholdColumns? {
        guard var table = try prefetch.next() else { return nil }
        let codes = table.regionValues("kode_desa")
        var keep = [Bool](repeating: true, count: table.rowCount)
        for r in 0..<table.rowCount {
            if villages.index[codes[r]] == nil {
                keep[r] = false
                let p = DataDirectory.unknownVillage(codes[r], scope: scope)
                villageProblems.append(DataProblem(file: Schemas.households.fileName, line: table.lines[r], column: p.column, value: p.value, message: p.message))
            } else if leaveOut.contains(table.lines[r]) {
                keep[r] = false
            }
        }
        if let duplicates {
            let ids = table.texts("household_id")
            for r in 0..<table.rowCount where keep[r] {
                ids.withBytes(at: r) { duplicates.add(id: $0, line: table.lines[r]) }
            }
        }
        let dropped = keep.reduce(0) { $0 + ($1 ? 0 : 1) }
        if dropped > 0 {
            table.removeRows(keep.map { !$0 })
            rowsDropped += dropped
        }
        rowsKept += table.rowCount
        return HouseholdColumns(table, villageIndex: villages.index)
    }
}

/// The reader is used only by the prefetch thread, one call at a time.
private struct UncheckedReader: @unchecked Sendable { let reader: TableReader }

/// Runs `produce` on a background thread one item ahead of `next`; an error is
/// handed to `next` in place of the item, and nil ends the sequence.
final class Prefetch<Item>: @unchecked Sendable {
    private let produce: () throws -> Item?
    private var slot: Result<Item?, Error>? = nil
    private let filled = DispatchSemaphore(value: 0)
    /// Starts at 0 and is signalled once: libdispatch traps when a semaphore is
    /// freed below the value it was created with.
    private let emptied = DispatchSemaphore(value: 0)
    private var finished = false
    private let lock = NSLock()
    private var cancelled = false
    private var threadEnded = false
    /// Whether the reading thread is still there (tests).
    var isRunning: Bool { lock.withLock { !threadEnded } }

    init(_ produce: @escaping () throws -> Item?) {
        self.produce = produce
        emptied.signal()
        Thread.detachNewThread { [self] in
            defer { lock.withLock { threadEnded = true } }
            while true {
                emptied.wait()
                if lock.withLock({ cancelled }) { return }
                let item = Result { try self.produce() }
                slot = item
                filled.signal()
                if case .success(nil) = item { return }
                if case .failure = item { return }
            }
        }
    }

    /// Stops the thread at its next item: it returns instead of producing.
    func cancel() {
        lock.withLock { cancelled = true }
        emptied.signal()
    }

    func next() throws -> Item? {
        guard !finished else { return nil }
        filled.wait()
        let item = slot!
        slot = nil
        switch item {
        case .success(let value?):
            emptied.signal()
            return value
        case .success(nil):
            finished = true
            return nil
        case .failure(let error):
            finished = true
            throw error
        }
    }
}
