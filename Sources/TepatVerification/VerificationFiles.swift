import Foundation
import TepatData
import TepatScoring

/// verification.csv, and the per-village form a meeting fills in
/// (verification_form.csv, the file `tepat verify apply` reads back, and
/// verification_form.html to print).
public enum VerificationFiles {
    public static let listHeader = ["household_id", "kode_desa", "nama_desa", "reason", "priority", "p_poor", "desil_registry",
                                    "desil_model", "evidence", "p_registry_wrong", "members"]

    /// The meeting's possible decisions, one column each on the form.
    public static let decisions = ["layak", "tidak_layak", "pindah", "meninggal", "tidak_ditemukan"]

    public static func writeList(_ list: VerificationList, ids: TextColumn, villages: VillageList, to path: String) throws {
        let w = try CSVWriter(path: path, header: listHeader)
        for c in list.cases {
            w.text(ids[c.household]); w.text(villages.codes[c.village].description); w.text(villages.names[c.village])
            w.text(c.reason.rawValue); w.integer(Int64(c.priority)); w.number(c.pPoor)
            w.integer(Int64(c.registryDesil)); w.integer(Int64(c.modelDesil)); w.text(c.evidence)
            w.number(c.probability); w.integer(Int64(c.members))
            try w.endRow()
        }
        try w.close()
    }

    /// What the form says of a reason, in the meeting's words.
    static func reasonText(_ reason: VerificationReason) -> String {
        switch reason {
        case .likelyExcluded: return "diduga miskin, belum masuk desil 1–4"
        case .likelyIncluded: return "diduga mampu, terdaftar desil 1–4"
        }
    }

    /// The form's columns before the decisions: the list's, then the extra
    /// fields households.csv has (address, and names or NIK when asked).
    static func formHeader(_ extras: FormExtras) -> [String] {
        ["kode_desa", "nama_desa", "prioritas", "household_id"] + extras.columns
            + ["alasan", "desil_registri", "desil_model", "bukti"] + decisions + ["catatan"]
    }

    public static func writeFormCSV(_ list: VerificationList, ids: TextColumn, villages: VillageList, extras: FormExtras, to path: String) throws {
        let w = try CSVWriter(path: path, header: formHeader(extras))
        for c in list.cases {
            let id = ids[c.household]
            w.text(villages.codes[c.village].description); w.text(villages.names[c.village]); w.integer(Int64(c.priority)); w.text(id)
            for value in extras.values(of: id) { w.text(value) }
            w.text(reasonText(c.reason)); w.integer(Int64(c.registryDesil)); w.integer(Int64(c.modelDesil)); w.text(c.evidence)
            for _ in decisions { w.empty() }
            w.empty()
            try w.endRow()
        }
        try w.close()
    }
}

/// Fields of households.csv outside the schema that a form shows: address
/// fields whenever the file has them, names and NIK only when the user asks
/// for a form for field use. They are read from the file for the listed
/// households only, and appear in no other output.
public struct FormExtras: Sendable {
    public private(set) var columns: [String] = []
    private var byID: [String: [String]] = [:]

    public static let addressColumns = ["alamat", "dusun", "rt", "rw"]
    public static let personalColumns = ["head_nik", "nik", "head_name", "nama_kepala", "nama"]

    public static let none = FormExtras()

    /// - Parameter includeNames: also names and NIK (`--include-names`).
    public init(householdsPath: String, listed: Set<String>, includeNames: Bool) throws {
        let reader = try CSVReader(path: householdsPath)
        let header = reader.columnNames(lowercased: true)
        guard let idColumn = header.firstIndex(of: "household_id") else { return }
        let wanted = Self.addressColumns + (includeNames ? Self.personalColumns : [])
        let picked = wanted.compactMap { name in header.firstIndex(of: name).map { (name, $0) } }
        columns = picked.map(\.0)
        guard !picked.isEmpty else { return }
        var batch = CSVBatch()
        while try reader.nextBatch(maxRows: 8192, into: &batch) {
            for r in 0..<batch.rowCount where idColumn < batch.fieldCount(row: r) {
                let id = batch.text(row: r, column: idColumn)
                guard listed.contains(id) else { continue }
                byID[id] = picked.map { _, c in batch.text(row: r, column: c) }
            }
        }
    }

    private init() {}

    func values(of id: String) -> [String] { byID[id] ?? [String](repeating: "", count: columns.count) }
}
