import Foundation
import GRDB

/// The history of runs in an embedded SQLite database (GRDB): which scenario ran
/// on which inputs (with checksums) and what came out, so a planner can find
/// "the run we showed the Bupati" months later. A row exists only for a run
/// whose directory was moved into place in the same transaction.
public final class RunStore: Sendable {
    public let path: String
    private let queue: DatabaseQueue

    /// The default database: `$TEPAT_STORE`, else `$XDG_DATA_HOME/tepat/runs.sqlite`,
    /// else `~/.local/share/tepat/runs.sqlite`.
    public static var defaultPath: String {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["TEPAT_STORE"], !path.isEmpty { return path }
        let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/share")
        return (base as NSString).appendingPathComponent("tepat/runs.sqlite")
    }

    public init(path: String = RunStore.defaultPath) throws {
        self.path = path
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        queue = try DatabaseQueue(path: path)
        try Self.migrator.migrate(queue)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "run") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("created_at", .text).notNull()
                t.column("directory", .text).notNull()
                t.column("data_directory", .text).notNull()
                t.column("seed", .integer).notNull()
                t.column("scenario", .text).notNull()
                t.column("villages", .integer).notNull()
                t.column("households", .integer).notNull()
                t.column("p0", .double).notNull()
                t.column("poor_persons", .double).notNull()
                t.column("objective", .double)
                t.column("spent_rp", .integer)
                t.column("seconds", .double).notNull()
            }
            try db.create(table: "run_input") { t in
                t.column("run_id", .integer).notNull().references("run", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("file", .text).notNull()
                t.column("rows", .integer).notNull()
                t.column("sha256", .text).notNull()
                t.primaryKey(["run_id", "position"])
            }
        }
        return migrator
    }

    /// Inserts the record and calls `commit` (which moves the run directory into
    /// place) in one transaction: if `commit` throws, the row is rolled back; if
    /// the transaction cannot be written, the caller's directory is removed again.
    public func record(_ record: RunRecord, commit: () throws -> Bool) throws -> Bool {
        var replaced = false
        var committed = false
        do {
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO run (created_at, directory, data_directory, seed, scenario, villages, households,
                                         p0, poor_persons, objective, spent_rp, seconds)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [Self.timestamp(Date()), record.directory, record.dataDirectory, Int64(bitPattern: record.seed),
                                record.scenario, record.villages, record.households, record.p0, record.poorPersons,
                                record.objective, record.spent, record.seconds])
                let id = db.lastInsertedRowID
                for (position, input) in record.inputs.enumerated() {
                    try db.execute(
                        sql: "INSERT INTO run_input (run_id, position, file, rows, sha256) VALUES (?, ?, ?, ?, ?)",
                        arguments: [id, position, input.name, input.rows, record.checksums[input.name] ?? ""])
                }
                replaced = try commit()
                committed = true
            }
        } catch {
            if committed { try? FileManager.default.removeItem(atPath: record.directory) }
            throw error
        }
        return replaced
    }

    /// A recorded run: the record as it was stored, with its id and time.
    public struct Entry: Sendable {
        public var id: Int64
        public var createdAt: String
        public var record: RunRecord
    }

    /// Newest first.
    public func list(limit: Int = 50) throws -> [Entry] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM run ORDER BY id DESC LIMIT ?", arguments: [limit]).map { try Self.entry($0, db) }
        }
    }

    public func entry(id: Int64) throws -> Entry? {
        try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM run WHERE id = ?", arguments: [id]).map { try Self.entry($0, db) }
        }
    }

    public func count() throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM run") ?? 0 }
    }

    static func entry(_ row: Row, _ db: Database) throws -> Entry {
        let id: Int64 = row["id"]
        let inputs = try Row.fetchAll(db, sql: "SELECT file, rows, sha256 FROM run_input WHERE run_id = ? ORDER BY position", arguments: [id])
        let record = RunRecord(
            directory: row["directory"], dataDirectory: row["data_directory"], seed: UInt64(bitPattern: row["seed"]),
            scenario: row["scenario"], inputs: inputs.map { (name: $0["file"], rows: $0["rows"]) },
            checksums: Dictionary(inputs.map { ($0["file"], $0["sha256"]) }, uniquingKeysWith: { a, _ in a }),
            villages: row["villages"], households: row["households"], p0: row["p0"], poorPersons: row["poor_persons"],
            objective: row["objective"], spent: row["spent_rp"], seconds: row["seconds"])
        return Entry(id: id, createdAt: row["created_at"], record: record)
    }

    /// UTC, to the second: "2026-11-23T21:04:05Z".
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
