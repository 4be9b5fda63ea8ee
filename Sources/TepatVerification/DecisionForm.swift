import Foundation
import TepatData

/// What a village meeting decided about one household.
public enum MeetingDecision: String, Sendable, CaseIterable {
    /// Eligible: belongs among the poor (desil 1–4).
    case eligible = "layak"
    /// Not eligible: does not belong in desil 1–4.
    case notEligible = "tidak_layak"
    case movedAway = "pindah"
    case died = "meninggal"
    case notFound = "tidak_ditemukan"

    /// The household leaves the registry.
    public var removes: Bool { self == .movedAway || self == .died || self == .notFound }
}

/// A filled verification form read back: one decision per household, every
/// problem named by file, line and column, none of them fatal until all are
/// found.
public struct DecisionForm: Sendable {
    public struct Row: Sendable, Equatable {
        public var line: Int
        public var household: String
        public var decision: MeetingDecision?
        public var note: String
        /// The model's desil the form showed, when it has the column.
        public var modelDesil: Int?
    }
    public var path: String
    public var rows: [Row]

    /// Marks that tick a decision column; "0" and "-" leave it unticked.
    static let ticks: Set<String> = ["x", "v", "✓", "✔", "1", "ya", "y", "yes"]
    static let blanks: Set<String> = ["", "0", "-"]

    /// - Parameter households: the ids of DATA_DIR's households.csv.
    public static func read(path: String, households: Set<String>) throws -> DecisionForm {
        let name = (path as NSString).lastPathComponent
        guard WorkbookInputs.isWorkbook(path) else { return try read(csv: path, name: name, households: households) }
        // A form filled in in Excel: read as the CSV its first sheet makes, its
        // problems named by cell.
        let workbook = WorkbookInputs()
        let columns = ["household_id", "keputusan", "catatan"] + MeetingDecision.allCases.map(\.rawValue)
        let csv = try workbook.convert(path, name: name, columns: columns)
        do {
            var form = try read(csv: csv, name: name, households: households)
            form.path = path
            return form
        } catch let errors as DataErrors {
            throw workbook.relocate(errors)
        }
    }

    private static func read(csv path: String, name: String, households: Set<String>) throws -> DecisionForm {
        let reader = try CSVReader(path: path, displayName: name)
        let header = reader.columnNames(lowercased: true)
        let layout = try Layout(header: header, file: name)
        var problems = ProblemLog()
        var rows: [Row] = []
        var firstLine: [String: Int] = [:]
        var batch = CSVBatch()
        while try reader.nextBatch(maxRows: 4096, into: &batch) {
            for r in 0..<batch.rowCount {
                let line = batch.line(row: r)
                let row = layout.row(line: line, field: { batch.text(row: r, column: $0) }, file: name, problems: &problems)
                guard let row else { continue }
                if !households.contains(row.household) {
                    problems.record(DataProblem(file: name, line: line, columnNumber: layout.id + 1, column: "household_id", value: row.household,
                                                message: "no such household in households.csv"))
                } else if let earlier = firstLine[row.household] {
                    problems.record(DataProblem(file: name, line: line, columnNumber: layout.id + 1, column: "household_id", value: row.household,
                                                message: "already on line \(earlier): one row per household"))
                } else {
                    firstLine[row.household] = line
                    rows.append(row)
                }
            }
        }
        guard problems.isEmpty else { throw DataErrors(problems) }
        return DecisionForm(path: path, rows: rows)
    }

    /// Where the form keeps the id, the decision (one column per decision,
    /// as the form has it, or a single `keputusan` column) and the note.
    struct Layout {
        var id: Int
        var decisionColumns: [(MeetingDecision, Int)]
        var single: Int?
        var note: Int?
        var modelDesil: Int?

        init(header: [String], file: String) throws {
            guard let id = header.firstIndex(of: "household_id") else {
                throw DataErrors(DataProblem(file: file, line: 1, message: "no household_id column; expected the header of verification_form.csv"))
            }
            self.id = id
            decisionColumns = MeetingDecision.allCases.compactMap { d in header.firstIndex(of: d.rawValue).map { (d, $0) } }
            single = header.firstIndex(of: "keputusan")
            note = header.firstIndex(of: "catatan")
            modelDesil = header.firstIndex(of: "desil_model")
            guard !decisionColumns.isEmpty || single != nil else {
                throw DataErrors(DataProblem(file: file, line: 1, message:
                    "no decision columns: expected \(MeetingDecision.allCases.map(\.rawValue).joined(separator: ", ")) (tick one per row) or a keputusan column"))
            }
        }

        /// The row's decision; nil (with the problem recorded) when it cannot be read.
        func row(line: Int, field: (Int) -> String, file: String, problems: inout ProblemLog) -> Row? {
            let household = field(id)
            guard !household.isEmpty else {
                problems.record(DataProblem(file: file, line: line, columnNumber: id + 1, column: "household_id", message: "empty: every row needs the household's id"))
                return nil
            }
            var chosen: [MeetingDecision] = []
            var readable = true
            for (decision, c) in decisionColumns {
                let mark = field(c).lowercased()
                if DecisionForm.blanks.contains(mark) { continue }
                if DecisionForm.ticks.contains(mark) { chosen.append(decision); continue }
                problems.record(DataProblem(file: file, line: line, columnNumber: c + 1, column: decision.rawValue, value: field(c),
                                            message: "not a tick: mark the decision with x (or leave it empty)"))
                readable = false
            }
            if let single, !field(single).isEmpty {
                let text = field(single).lowercased().replacingOccurrences(of: " ", with: "_")
                if let decision = MeetingDecision(rawValue: text) {
                    if !chosen.contains(decision) { chosen.append(decision) }
                } else {
                    let names = MeetingDecision.allCases.map(\.rawValue)
                    problems.record(DataProblem(file: file, line: line, columnNumber: single + 1, column: "keputusan", value: field(single),
                                                message: "not a decision" + NearestName.hint(for: text, among: names)))
                    readable = false
                }
            }
            if chosen.count > 1 {
                problems.record(DataProblem(file: file, line: line, column: "household_id", value: household,
                                            message: "\(chosen.count) decisions ticked (\(chosen.map(\.rawValue).joined(separator: ", "))): tick one"))
                readable = false
            }
            guard readable else { return nil }
            return Row(line: line, household: household, decision: chosen.first, note: note.map(field) ?? "",
                       modelDesil: modelDesil.flatMap { Int(field($0)) }.flatMap { (1...10).contains($0) ? $0 : nil })
        }
    }
}
