import Foundation
import TepatData

/// `tepat compare-data`: two releases of a registry's households.csv, per
/// village: households that entered, left and changed desil, and, given the
/// verification list made from the old release, how many of its households
/// the new release resolved the way the list suggested.
public struct ReleaseComparison: Sendable {
    public struct Village: Sendable, Equatable {
        public var code: String
        public var name = ""
        public var before = 0, after = 0
        public var entered = 0, left = 0, desilChanged = 0
        /// Households whose desil crossed 4, in each direction, among those in both.
        public var intoDesil1to4 = 0, outOfDesil1to4 = 0
        /// Households of the verification list, those the new release resolved as
        /// it suggested, and those that left the registry.
        public var listed = 0, resolved = 0, listedLeft = 0
    }
    public var villages: [Village]

    public static let header = ["kode_desa", "nama_desa", "households_before", "households_after", "entered", "left", "desil_changed",
                                "into_desil_1_4", "out_of_desil_1_4", "verification_listed", "verification_resolved", "verification_left"]

    /// The totals over every village.
    public var total: Village {
        villages.reduce(into: Village(code: "total")) { t, v in
            t.before += v.before; t.after += v.after; t.entered += v.entered; t.left += v.left; t.desilChanged += v.desilChanged
            t.intoDesil1to4 += v.intoDesil1to4; t.outOfDesil1to4 += v.outOfDesil1to4; t.listed += v.listed; t.resolved += v.resolved; t.listedLeft += v.listedLeft
        }
    }

    /// - Parameter verificationList: a verification.csv made from the old release.
    public static func compare(old: String, new: String, verificationList: String? = nil) throws -> ReleaseComparison {
        let before = try Release.read(directory: old), after = try Release.read(directory: new)
        var byCode: [String: Village] = [:]
        func touch(_ code: String) { if byCode[code] == nil { byCode[code] = Village(code: code) } }
        for (id, h) in before.households {
            touch(h.village); byCode[h.village]!.before += 1
            guard let now = after.households[id] else { byCode[h.village]!.left += 1; continue }
            if h.desil != now.desil { byCode[h.village]!.desilChanged += 1 }
            if let a = h.desil, let b = now.desil {
                if a > 4 && b <= 4 { byCode[h.village]!.intoDesil1to4 += 1 }
                if a <= 4 && b > 4 { byCode[h.village]!.outOfDesil1to4 += 1 }
            }
        }
        for (id, h) in after.households {
            touch(h.village); byCode[h.village]!.after += 1
            if before.households[id] == nil { byCode[h.village]!.entered += 1 }
        }
        if let verificationList {
            for item in try listed(verificationList) {
                touch(item.village)
                byCode[item.village]!.listed += 1
                let now = after.households[item.household]
                let resolved = item.excluded ? (now?.desil).map { $0 <= 4 } ?? false : now == nil || (now?.desil).map { $0 > 4 } ?? false
                if resolved { byCode[item.village]!.resolved += 1 }
                if now == nil { byCode[item.village]!.listedLeft += 1 }
            }
        }
        for code in byCode.keys { byCode[code]!.name = after.villageNames[code] ?? before.villageNames[code] ?? "" }
        return ReleaseComparison(villages: byCode.values.sorted { $0.code < $1.code })
    }

    public func write(to path: String) throws {
        let w = try CSVWriter(path: path, header: Self.header)
        for v in villages + [total] {
            w.text(v.code); w.text(v.name)
            for n in [v.before, v.after, v.entered, v.left, v.desilChanged, v.intoDesil1to4, v.outOfDesil1to4, v.listed, v.resolved, v.listedLeft] { w.integer(Int64(n)) }
            try w.endRow()
        }
        try w.close()
    }

    /// verification.csv's households: id, village, and whether the list said
    /// likely excluded (resolved when the new desil is 1–4) or likely included
    /// (resolved when it is above 4 or the household left).
    static func listed(_ path: String) throws -> [(household: String, village: String, excluded: Bool)] {
        let (header, rows) = try CSVReader.records(path: path)
        let name = (path as NSString).lastPathComponent
        guard let id = header.firstIndex(of: "household_id"), let village = header.firstIndex(of: "kode_desa"),
              let reason = header.firstIndex(of: "reason") else {
            throw DataErrors(DataProblem(file: name, line: 1, message: "expected verification.csv's columns household_id, kode_desa, reason"))
        }
        var problems = ProblemLog()
        var items: [(String, String, Bool)] = []
        for (k, row) in rows.enumerated() {
            guard let r = VerificationReason(rawValue: row[reason]) else {
                problems.record(DataProblem(file: name, line: k + 2, columnNumber: reason + 1, column: "reason", value: row[reason],
                                            message: "expected likely_excluded or likely_included"))
                continue
            }
            items.append((row[id], row[village], r == .likelyExcluded))
        }
        guard problems.isEmpty else { throw DataErrors(problems) }
        return items
    }
}

/// One release: each household's village and desil, and the village names.
struct Release {
    var households: [String: (village: String, desil: Int?)] = [:]
    var villageNames: [String: String] = [:]

    static func read(directory: String) throws -> Release {
        let workbooks = WorkbookInputs()
        guard let path = try workbooks.readablePath(of: Schemas.households, in: directory) else {
            throw RegistryUpdate.Failure.notADataDirectory(directory)
        }
        // A converted workbook's problems are named by the standard name, which relocate places in the sheet.
        let problemFile = workbooks.source(of: Schemas.households.fileName) == nil ? path : Schemas.households.fileName
        do { return try read(households: path, problemFile: problemFile, villages: workbooks.readablePath(of: Schemas.villages, in: directory))
        } catch let errors as DataErrors { throw workbooks.relocate(errors) }
    }

    private static func read(households path: String, problemFile: String, villages: String?) throws -> Release {
        let reader = try CSVReader(path: path, displayName: problemFile)
        let header = reader.columnNames()
        guard let id = header.firstIndex(of: "household_id") else { throw RegistryUpdate.Failure.missingColumn("household_id") }
        guard let village = header.firstIndex(of: "kode_desa") else { throw RegistryUpdate.Failure.missingColumn("kode_desa") }
        let desil = header.firstIndex(of: "desil")
        var release = Release()
        var problems = ProblemLog()
        var batch = CSVBatch()
        while try reader.nextBatch(maxRows: 8192, into: &batch) {
            for r in 0..<batch.rowCount {
                let field = { batch.text(row: r, column: $0) }
                let household = field(id)
                if release.households[household] != nil {
                    problems.record(DataProblem(file: problemFile, line: batch.line(row: r), columnNumber: id + 1, column: "household_id", value: household,
                                                message: "appears more than once"))
                }
                let code = field(village)
                release.households[household] = (RegionCode(code)?.description ?? code, desil.flatMap { Int(field($0)) })
            }
        }
        guard problems.isEmpty else { throw DataErrors(problems) }
        if let villages {
            let (header, rows) = try CSVReader.records(path: villages)
            if let code = header.firstIndex(of: "kode_desa"), let name = header.firstIndex(of: "nama_desa") {
                for row in rows { release.villageNames[row[code]] = row[name] }
            }
        }
        return release
    }
}
