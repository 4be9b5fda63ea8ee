import Crypto
import Foundation
import TepatData

/// `tepat verify apply`: a village meeting's decisions taken back into the
/// registry. Writes a new DATA_DIR (households that moved, died or were not
/// found removed; the others decided marked in a `verifikasi` column, their
/// desil moved across 4 where the meeting said so), `usulan_perubahan.csv`
/// (the changes proposed for upload, with their reasons) and
/// `verification_audit.txt`. Everything is written beside the target and
/// moved into place at the end: a failure leaves nothing.
public enum RegistryUpdate {
    public static let proposalHeader = ["household_id", "kode_desa", "keputusan", "usulan", "desil_lama", "desil_baru", "alasan", "catatan",
                                        "baris_formulir"]
    /// Files the update writes itself, never copied from the old DATA_DIR.
    /// A households or truth workbook is written back as CSV.
    static let ownFiles: Set<String> = ["households.csv", "households.xlsx", "truth.csv", "truth.xlsx", "usulan_perubahan.csv",
                                        "verification_audit.txt"]

    public struct Summary: Sendable, Equatable {
        public var decided: [MeetingDecision: Int] = [:]
        public var undecided = 0
        public var removed = 0
        public var intoDesil1to4 = 0
        public var outOfDesil1to4 = 0
        public var households = 0
    }

    public enum Failure: Error, CustomStringConvertible {
        case outputExists(String), notADataDirectory(String), missingColumn(String)
        public var description: String {
            switch self {
            case .outputExists(let p): return "\(p) already exists: name a new directory for the updated data (nothing was written)"
            case .notADataDirectory(let p): return "\(p): no households.csv or households.xlsx; expected a DATA_DIR"
            case .missingColumn(let c): return "households.csv has no \(c) column"
            }
        }
    }

    public static func apply(dataDirectory: String, formPath: String, output: String) throws -> Summary {
        let fm = FileManager.default
        let workbooks = WorkbookInputs()
        guard let households = try workbooks.readablePath(of: Schemas.households, in: dataDirectory) else {
            throw Failure.notADataDirectory(dataDirectory)
        }
        guard !fm.fileExists(atPath: output) else { throw Failure.outputExists(output) }
        let registry: RegistryRows
        do { registry = try RegistryRows.read(households) } catch let errors as DataErrors { throw workbooks.relocate(errors) }
        let form = try DecisionForm.read(path: formPath, households: Set(registry.ids))
        let staging = (output as NSString).deletingLastPathComponent + "/." + (output as NSString).lastPathComponent + ".partial"
        try? fm.removeItem(atPath: staging)
        try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
        do {
            let changes = Changes(form: form, registry: registry)
            try copyOtherFiles(from: dataDirectory, to: staging)
            try registry.rewrite(households, to: staging + "/households.csv", changes: changes)
            if let truth = try workbooks.readablePath(of: Schemas.truth, in: dataDirectory) {
                try RegistryRows.filter(truth, to: staging + "/truth.csv", removing: changes.removed)
            }
            try changes.writeProposal(to: staging + "/usulan_perubahan.csv", registry: registry)
            let summary = changes.summary(households: registry.ids.count)
            let read = workbooks.source(of: Schemas.households.fileName) ?? households
            try audit(changes, summary, inputs: [read, formPath], form: form).write(toFile: staging + "/verification_audit.txt", atomically: false, encoding: .utf8)
            try fm.moveItem(atPath: staging, toPath: output)
            return summary
        } catch {
            try? fm.removeItem(atPath: staging)
            throw error
        }
    }

    static func copyOtherFiles(from source: String, to target: String) throws {
        let fm = FileManager.default
        for name in try fm.contentsOfDirectory(atPath: source).sorted() where !ownFiles.contains(name) && !name.hasPrefix(".") {
            var isDirectory: ObjCBool = false
            let path = (source as NSString).appendingPathComponent(name)
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            try fm.copyItem(atPath: path, toPath: (target as NSString).appendingPathComponent(name))
        }
    }

    /// The audit log: what was read (with checksums), what each decision did.
    static func audit(_ changes: Changes, _ summary: Summary, inputs: [String], form: DecisionForm) throws -> String {
        var out = "tepat verify apply\n"
        for path in inputs {
            let digest = SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: path)))
            out += "input \(path) sha256 \(digest.map { String(format: "%02x", $0) }.joined())\n"
        }
        out += "households before \(summary.households), removed \(summary.removed), after \(summary.households - summary.removed)\n"
        for d in MeetingDecision.allCases { out += "decision \(d.rawValue): \(summary.decided[d] ?? 0)\n" }
        out += "undecided rows: \(summary.undecided)\n"
        out += "moved into desil 1-4: \(summary.intoDesil1to4); moved out of desil 1-4: \(summary.outOfDesil1to4)\n\n"
        for row in form.rows {
            let action = changes.action[row.household] ?? "undecided: unchanged"
            out += "\((form.path as NSString).lastPathComponent):\(row.line) \(row.household) \(row.decision?.rawValue ?? "-") → \(action)\n"
        }
        return out
    }
}

/// What the decisions change, per household.
struct Changes {
    var decision: [String: DecisionForm.Row] = [:]
    var removed: Set<String> = []
    var newDesil: [String: Int] = [:]
    var action: [String: String] = [:]
    var proposal: [String: String] = [:]
    var undecided = 0

    init(form: DecisionForm, registry: RegistryRows) {
        for row in form.rows {
            guard let d = row.decision else { undecided += 1; continue }
            decision[row.household] = row
            let old = registry.desil[row.household]
            switch d {
            case .movedAway, .died, .notFound:
                removed.insert(row.household)
                proposal[row.household] = "hapus"
                action[row.household] = "removed (\(d.rawValue))"
            case .eligible:
                if let old, old <= 4 {
                    proposal[row.household] = "tetap"; action[row.household] = "confirmed in desil \(old)"
                } else {
                    let new = min(row.modelDesil ?? 4, 4)
                    newDesil[row.household] = new
                    proposal[row.household] = "masuk_desil_1_4"; action[row.household] = "desil \(old.map(String.init) ?? "-") → \(new)"
                }
            case .notEligible:
                if let old, old <= 4 {
                    let new = max(row.modelDesil ?? 5, 5)
                    newDesil[row.household] = new
                    proposal[row.household] = "keluar_desil_1_4"; action[row.household] = "desil \(old) → \(new)"
                } else {
                    proposal[row.household] = "tetap"; action[row.household] = "confirmed outside desil 1-4"
                }
            }
        }
    }

    func summary(households: Int) -> RegistryUpdate.Summary {
        var s = RegistryUpdate.Summary()
        for row in decision.values { s.decided[row.decision!, default: 0] += 1 }
        s.undecided = undecided
        s.removed = removed.count
        s.intoDesil1to4 = proposal.values.filter { $0 == "masuk_desil_1_4" }.count
        s.outOfDesil1to4 = proposal.values.filter { $0 == "keluar_desil_1_4" }.count
        s.households = households
        return s
    }

    func writeProposal(to path: String, registry: RegistryRows) throws {
        let w = try CSVWriter(path: path, header: RegistryUpdate.proposalHeader)
        for row in decision.values.sorted(by: { $0.line < $1.line }) {
            let d = row.decision!, id = row.household
            w.text(id); w.text(registry.village[id] ?? ""); w.text(d.rawValue); w.text(proposal[id]!)
            if let old = registry.desil[id] { w.integer(Int64(old)) } else { w.empty() }
            if let new = newDesil[id] { w.integer(Int64(new)) } else if let old = registry.desil[id], !d.removes { w.integer(Int64(old)) } else { w.empty() }
            w.text(reason(d, row)); w.text(row.note); w.integer(Int64(row.line))
            try w.endRow()
        }
        try w.close()
    }

    func reason(_ d: MeetingDecision, _ row: DecisionForm.Row) -> String {
        let model = row.modelDesil.map { ", model desil \($0)" } ?? ""
        switch d {
        case .eligible: return "musyawarah desa: layak\(model)"
        case .notEligible: return "musyawarah desa: tidak layak\(model)"
        case .movedAway: return "musyawarah desa: pindah domisili"
        case .died: return "musyawarah desa: meninggal"
        case .notFound: return "musyawarah desa: tidak ditemukan"
        }
    }
}

/// households.csv read as text: ids in file order, desil and village per id,
/// and the file rewritten with a decision's changes, every other field as it was.
struct RegistryRows {
    var ids: [String] = []
    var desil: [String: Int] = [:]
    var village: [String: String] = [:]

    static func read(_ path: String) throws -> RegistryRows {
        let reader = try CSVReader(path: path, displayName: "households.csv")
        let header = reader.columnNames()
        guard let id = header.firstIndex(of: "household_id") else { throw RegistryUpdate.Failure.missingColumn("household_id") }
        let desilColumn = header.firstIndex(of: "desil"), villageColumn = header.firstIndex(of: "kode_desa")
        var rows = RegistryRows()
        var batch = CSVBatch()
        while try reader.nextBatch(maxRows: 8192, into: &batch) {
            for r in 0..<batch.rowCount {
                let household = batch.text(row: r, column: id)
                rows.ids.append(household)
                if let desilColumn, let d = Int(batch.text(row: r, column: desilColumn)) { rows.desil[household] = d }
                if let villageColumn { rows.village[household] = batch.text(row: r, column: villageColumn) }
            }
        }
        return rows
    }

    /// households.csv with removed rows gone, `verifikasi` set for decided
    /// households (the column added when absent) and new desil written.
    func rewrite(_ path: String, to target: String, changes: Changes) throws {
        let reader = try CSVReader(path: path, displayName: "households.csv")
        var header = reader.header
        let trimmed = reader.columnNames()
        let id = trimmed.firstIndex(of: "household_id")!
        let desilColumn = trimmed.firstIndex(of: "desil")
        let verified = trimmed.firstIndex(of: "verifikasi") ?? { header.append("verifikasi"); return header.count - 1 }()
        let w = try CSVWriter(path: target, header: header)
        var batch = CSVBatch()
        while try reader.nextBatch(maxRows: 8192, into: &batch) {
            for r in 0..<batch.rowCount {
                var fields = (0..<max(batch.fieldCount(row: r), header.count)).map { c in
                    c < batch.fieldCount(row: r) ? String(decoding: batch.field(row: r, column: c), as: UTF8.self) : ""
                }
                let household = fields[id].trimmingCharacters(in: .whitespaces)
                guard !changes.removed.contains(household) else { continue }
                if let row = changes.decision[household] {
                    fields[verified] = row.decision!.rawValue
                    if let desilColumn, let new = changes.newDesil[household] { fields[desilColumn] = String(new) }
                }
                for f in fields { w.text(f) }
                try w.endRow()
            }
        }
        try w.close()
    }

    /// A file with a household_id column, without the rows of `removing`.
    static func filter(_ path: String, to target: String, removing: Set<String>) throws {
        let reader = try CSVReader(path: path, displayName: (path as NSString).lastPathComponent)
        guard let id = reader.columnNames().firstIndex(of: "household_id") else {
            try FileManager.default.copyItem(atPath: path, toPath: target)
            return
        }
        let w = try CSVWriter(path: target, header: reader.header)
        var batch = CSVBatch()
        while try reader.nextBatch(maxRows: 8192, into: &batch) {
            for r in 0..<batch.rowCount {
                let fields = (0..<batch.fieldCount(row: r)).map { String(decoding: batch.field(row: r, column: $0), as: UTF8.self) }
                guard id >= fields.count || !removing.contains(fields[id].trimmingCharacters(in: .whitespaces)) else { continue }
                for f in fields { w.text(f) }
                try w.endRow()
            }
        }
        try w.close()
    }
}
