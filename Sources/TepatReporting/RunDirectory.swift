import Foundation

/// A run directory written atomically: files go to a hidden sibling
/// `.NAME.partial-PID`, which replaces NAME only when `commit()` is called. A run
/// that fails or is killed leaves no directory that looks complete.
public final class RunDirectory {
    public let path: String
    public let stagingPath: String
    private var committed = false

    public init(path: String) throws {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        self.path = url.path
        let parent = url.deletingLastPathComponent().path
        stagingPath = (parent as NSString).appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())")
        let fm = FileManager.default
        try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
        Self.removeAbandonedStaging(parent: parent, name: url.lastPathComponent)
        try? fm.removeItem(atPath: stagingPath)
        try fm.createDirectory(atPath: stagingPath, withIntermediateDirectories: false)
    }

    /// Where a streamed run keeps its temporary files (beside the staging
    /// folder, on the same disk as the outputs, and never inside the run).
    public static func streamWorkPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        return (url.deletingLastPathComponent().path as NSString).appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid()).stream")
    }

    /// A run killed while writing leaves its hidden staging folder; the next run
    /// into the same place removes those whose process is gone.
    static func removeAbandonedStaging(parent: String, name: String) {
        let prefix = ".\(name).partial-"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        for entry in entries where entry.hasPrefix(prefix) {
            let rest = entry.dropFirst(prefix.count)
            let digits = rest.hasSuffix(".old") ? rest.dropLast(4) : rest.hasSuffix(".stream") ? rest.dropLast(7) : rest
            guard let pid = Int32(digits), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(atPath: (parent as NSString).appendingPathComponent(entry))
            }
        }
    }

    deinit {
        if !committed { try? FileManager.default.removeItem(atPath: stagingPath) }
    }

    /// Path of `name` inside the directory being written.
    public func file(_ name: String) -> String { (stagingPath as NSString).appendingPathComponent(name) }

    public func write(_ name: String, _ text: String) throws {
        try text.write(toFile: file(name), atomically: false, encoding: .utf8)
    }

    /// Moves the finished directory into place, replacing an earlier run there.
    /// Returns true when an earlier run was replaced.
    @discardableResult
    public func commit() throws -> Bool {
        let fm = FileManager.default
        var replaced = false
        if fm.fileExists(atPath: path) {
            let old = stagingPath + ".old"
            try fm.moveItem(atPath: path, toPath: old)
            try fm.moveItem(atPath: stagingPath, toPath: path)
            try? fm.removeItem(atPath: old)
            replaced = true
        } else {
            try fm.moveItem(atPath: stagingPath, toPath: path)
        }
        committed = true
        return replaced
    }
}
