import Foundation

/// What to do with rows that fail validation (Docs/data.md): stop with nothing written,
/// or leave them out and list them in `rejected.csv`.
public enum OnError: String, Sendable, CaseIterable {
    case fail, skip
}

/// The files of a DATA_DIR, validated and loaded into tables.
public struct DataSet: Sendable {
    public var households: Table
    public var survey: Table?
    public var villages: Table?
    public var opds: Table?
    public var funders: Table?
    public var programs: Table?
    public var truth: Table?
    /// Every problem found (rows named here were left out).
    public var problems: ProblemLog
    /// Per file: path, rows kept, rows rejected.
    public var files: [LoadedFile]
    /// The files given as .xlsx, converted to CSV for every later reader.
    public var workbooks = WorkbookInputs()
}

public struct LoadedFile: Sendable, Equatable {
    public var name: String
    public var path: String
    public var rows: Int
    public var rejected: Int
    /// The name to show: the workbook's when the file was one.
    public var shownName: String { WorkbookInputs.isWorkbook(path) ? (path as NSString).lastPathComponent : name }

    public init(name: String, path: String, rows: Int, rejected: Int) {
        self.name = name
        self.path = path
        self.rows = rows
        self.rejected = rejected
    }
}

public enum DataDirectory {
    /// Loads every file of Docs/data.md present in `directory`. Only households.csv is
    /// required. Problems in all files are collected before deciding, so
    /// `validate` reports everything in one pass. With `.fail`, any problem throws;
    /// with `.skip`, bad rows are dropped and listed in `problems`.
    /// `paths` names files kept elsewhere, by standard name ("survey.csv" → path).
    public static func load(
        _ directory: String, paths: [String: String] = [:], codebook: Codebook? = nil, onError: OnError = .fail,
        problemLimit: Int = 10_000, readHouseholds: Bool = true
    ) throws -> DataSet {
        // readHouseholds false: households.csv and truth.csv, the files with a row
        // per household, are not read (households.csv must exist).
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataErrors(DataProblem(file: directory, message: "not a directory; expected a DATA_DIR holding households.csv"))
        }
        var loading = Loading(directory: directory, paths: paths, problemLimit: problemLimit)
        let villages = loading.read(Schemas.villages)
        // A streamed run reads households.csv itself, chunk by chunk; it must exist.
        var households = readHouseholds ? loading.read(Schemas.households, required: true, codebook: codebook)
            : loading.householdsPlaceholder(codebook: codebook)
        if readHouseholds, let table = households, table.rowCount == 0,
           !loading.log.problems.contains(where: { $0.file == Schemas.households.fileName }) {
            loading.log.record(DataProblem(file: Schemas.households.fileName, message: "no households: the file has a header but no rows"))
        }
        var survey = loading.read(Schemas.survey, codebook: codebook)
        var opds = loading.read(Schemas.opds)
        var funders = loading.read(Schemas.funders)
        let programs = loading.read(Schemas.programs)
        // truth.csv has a row per household too: a streamed run leaves it unread.
        let truth = readHouseholds ? loading.read(Schemas.truth) : nil
        if let villages {
            let known = KnownVillages(villages)
            if readHouseholds { households = loading.keepKnownVillages(households, known) }
            survey = loading.keepKnownVillages(survey, known)
            opds = loading.keepKnownKecamatan(opds, known)
            funders = loading.keepKnownKecamatan(funders, known)
        }
        loading.log = loading.workbooks.relocate(loading.log)
        if onError == .fail && !loading.log.isEmpty { throw DataErrors(loading.log) }
        guard let households else { throw DataErrors(loading.log) }
        return DataSet(
            households: households, survey: survey, villages: villages, opds: opds, funders: funders,
            programs: programs, truth: truth, problems: loading.log, files: loading.files, workbooks: loading.workbooks)
    }

    /// The villages and kecamatan villages.csv lists, and how to name its scope.
    struct KnownVillages {
        let codes: Set<Int64>
        let kecamatan: Set<Int64>
        let scope: String

        init(_ villages: Table) {
            codes = Set(villages.regionValues("kode_desa"))
            kecamatan = Set(villages.regionValues("kode_desa").map { $0 / 10_000 })
            scope = DataDirectory.villageScope(villages)
        }
    }

    /// The files read so far, and every problem found in them.
    struct Loading {
        let directory: String
        let paths: [String: String]
        let problemLimit: Int
        var log: ProblemLog
        var files: [LoadedFile] = []
        let workbooks = WorkbookInputs()

        init(directory: String, paths: [String: String], problemLimit: Int) {
            self.directory = directory
            self.paths = paths
            self.problemLimit = problemLimit
            log = ProblemLog(limit: problemLimit)
        }

        /// The file holding `schema`'s rows: the scenario's path, else NAME.csv,
        /// else NAME.xlsx in DATA_DIR. Both in DATA_DIR is a problem: which one
        /// the planner meant is not for Tepat to guess.
        mutating func source(of schema: FileSchema) -> String {
            if let path = paths[schema.fileName] { return path }
            let csv = (directory as NSString).appendingPathComponent(schema.fileName)
            guard let found = DataDirectory.existingSource(of: schema.fileName, in: directory) else { return csv }
            let xlsx = DataDirectory.workbookPath(of: csv)
            if found == csv && FileManager.default.fileExists(atPath: xlsx) {
                log.record(DataProblem(file: schema.fileName, message: "\((xlsx as NSString).lastPathComponent) is in DATA_DIR too; keep one of the two (the CSV is read)"))
            }
            return found
        }

        /// The CSV to read from `source`: a workbook is converted first. Nil
        /// (the problem recorded) when the workbook cannot be read.
        mutating func readable(_ source: String, _ schema: FileSchema, codebook: Codebook?) -> String? {
            guard WorkbookInputs.isWorkbook(source) else { return source }
            do {
                return try workbooks.convert(source, schema: schema, codebook: codebook)
            } catch {
                log.record(contentsOf: error.log)
                files.append(LoadedFile(name: schema.fileName, path: source, rows: 0, rejected: 0))
                return nil
            }
        }

        /// A file's good rows; nil when it is absent (a problem if required) or unreadable.
        mutating func read(_ schema: FileSchema, required: Bool = false, codebook: Codebook? = nil) -> Table? {
            let source = source(of: schema)
            guard FileManager.default.fileExists(atPath: source) else {
                if required {
                    log.record(DataProblem(file: schema.fileName, message: paths[schema.fileName] != nil
                        ? "required file is missing: \(source)" : "required file is missing from \(directory)"))
                }
                return nil
            }
            guard let path = readable(source, schema, codebook: codebook) else { return nil }
            do {
                let result = try TableReader.readFile(path: path, schema: schema, codebook: codebook, displayName: schema.fileName, problemLimit: problemLimit)
                log.record(contentsOf: result.problems)
                files.append(LoadedFile(name: schema.fileName, path: source, rows: result.table.rowCount, rejected: result.rowsRejected))
                return result.table
            } catch {
                log.record(contentsOf: error.log)
                files.append(LoadedFile(name: schema.fileName, path: source, rows: 0, rejected: 0))
                return nil
            }
        }

        /// An empty households table standing for a households.csv read elsewhere
        /// (by a streamed run, from its conversion when it is a workbook); records a problem if the file is missing.
        mutating func householdsPlaceholder(codebook: Codebook?) -> Table? {
            let source = source(of: Schemas.households)
            guard FileManager.default.fileExists(atPath: source) else {
                log.record(DataProblem(file: Schemas.households.fileName, message: "required file is missing: \(source)"))
                return nil
            }
            guard readable(source, Schemas.households, codebook: codebook) != nil else { return nil }
            return Table(schema: Schemas.households, present: Schemas.households.columns.map { _ in true })
        }

        /// Leaves out rows whose village villages.csv does not list.
        mutating func keepKnownVillages(_ table: Table?, _ known: KnownVillages) -> Table? {
            guard let table else { return nil }
            let codes = table.regionValues("kode_desa")
            let kept = DataDirectory.dropRows(table, log: &log) { row in
                known.codes.contains(codes[row]) ? nil : DataDirectory.unknownVillage(codes[row], scope: known.scope)
            }
            count(table, kept)
            return kept
        }

        /// Leaves out OPD or funder rows restricted to a kecamatan without villages.
        mutating func keepKnownKecamatan(_ table: Table?, _ known: KnownVillages) -> Table? {
            guard let table, table.has("kecamatan") else { return table }
            let lists = table.texts("kecamatan")
            let kept = DataDirectory.dropRows(table, log: &log) { row in
                let unknown = listItems(lists[row]).compactMap { RegionCode($0) }.filter { !known.kecamatan.contains($0.value) }
                return unknown.isEmpty ? nil : (column: "kecamatan", value: unknown.map(\.description).joined(separator: "|"),
                    message: "kecamatan not among the villages of villages.csv\(known.scope.isEmpty ? "" : " (\(known.scope))")")
            }
            count(table, kept)
            return kept
        }

        /// The rows a file kept, and the ones it lost, after a filter.
        private mutating func count(_ table: Table, _ kept: Table?) {
            guard let k = files.firstIndex(where: { $0.name == table.schema.fileName }) else { return }
            files[k].rejected += table.rowCount - (kept?.rowCount ?? 0)
            files[k].rows = kept?.rowCount ?? 0
        }
    }

    /// Checks a DATA_DIR and returns every problem (empty: valid).
    public static func validate(_ directory: String, codebook: Codebook? = nil) -> (problems: ProblemLog, files: [LoadedFile]) {
        do {
            let data = try load(directory, codebook: codebook, onError: .skip)
            return (data.problems, data.files)
        } catch let errors as DataErrors {
            return (errors.log, [])
        } catch {
            var log = ProblemLog()
            log.record(DataProblem(file: directory, message: "\(error)"))
            return (log, [])
        }
    }

    /// "Kabupaten Lamandau (62.09)" when villages.csv covers one kabupaten/kota.
    public static func villageScope(_ villages: Table) -> String {
        let kabupaten = Set(villages.regionValues("kode_desa").map { $0 / 1_000_000 })
        guard kabupaten.count == 1, let k = kabupaten.first, villages.rowCount > 0 else { return "" }
        let code = RegionCode(uncheckedValue: k, level: .kabupaten)
        return "\(villages.texts("nama_kabkota")[0]) \(code)"
    }

    public static func unknownVillage(_ code: Int64, scope: String) -> (column: String, value: String, message: String) {
        let c = RegionCode(uncheckedValue: code, level: .village)
        return ("kode_desa", c.description, "village not in villages.csv\(scope.isEmpty ? "" : "; villages.csv covers \(scope)")")
    }

    /// Removes rows for which `problem` returns a description, recording each.
    static func dropRows(
        _ table: Table, log: inout ProblemLog,
        problem: (Int) -> (column: String, value: String, message: String)?
    ) -> Table? {
        var remove = [Bool](repeating: false, count: table.rowCount)
        var any = false
        for r in 0..<table.rowCount {
            if let p = problem(r) {
                remove[r] = true
                any = true
                log.record(DataProblem(file: table.schema.fileName, line: table.lines[r], column: p.column, value: p.value, message: p.message))
            }
        }
        guard any else { return table }
        var kept = table
        kept.removeRows(remove)
        return kept
    }
}

extension DataDirectory {
    /// Where DATA_DIR's input of this standard name is read from: the
    /// scenario's path when it names one, else NAME.csv, else NAME.xlsx; nil
    /// when none of them exists. Every command that reads a DATA_DIR asks this.
    public static func existingSource(of fileName: String, in directory: String, paths: [String: String] = [:]) -> String? {
        let csv = (directory as NSString).appendingPathComponent(fileName)
        let candidates = [paths[fileName], csv, workbookPath(of: csv)]
        return candidates.compactMap { $0 }.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// NAME.xlsx beside NAME.csv.
    static func workbookPath(of csv: String) -> String { (csv as NSString).deletingPathExtension + ".xlsx" }
}

extension WorkbookInputs {
    /// DATA_DIR's file of this standard name as a CSV to read: NAME.csv when
    /// present, else NAME.xlsx converted; nil when neither is there.
    public func readablePath(of schema: FileSchema, in directory: String) throws(DataErrors) -> String? {
        guard let source = DataDirectory.existingSource(of: schema.fileName, in: directory) else { return nil }
        return Self.isWorkbook(source) ? try convert(source, schema: schema) : source
    }
}
