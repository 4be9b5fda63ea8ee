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
        try? fm.removeItem(atPath: stagingPath)
        try fm.createDirectory(atPath: stagingPath, withIntermediateDirectories: false)
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
