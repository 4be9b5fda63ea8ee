import Foundation
import TepatData

/// The folder the desk serves: its data directories, their scenarios and the
/// runs written under `runs/`. Every path a browser names is relative to it and
/// resolved here, so that nothing outside it is read or written.
public struct Workspace: Sendable {
    /// The workspace folder, symbolic links resolved.
    public let root: String

    public init(path: String) throws(DeskError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DeskError(.notFound, "workspace \(path) is not a folder")
        }
        root = Self.real(URL(fileURLWithPath: path).standardizedFileURL.path)
    }

    /// The folder runs are written to.
    public var runsFolder: String { (root as NSString).appendingPathComponent("runs") }

    /// The absolute path of `relative`, refused when it is absolute, climbs
    /// out with `..`, holds a NUL, or leads (through a symbolic link)
    /// outside the workspace. `relative` may name something not yet there:
    /// then its nearest existing folder is the one checked.
    public func resolve(_ relative: String) throws(DeskError) -> String {
        let refused = DeskError(.forbidden, "'\(relative)' is not a path inside the workspace")
        guard !relative.hasPrefix("/"), !relative.contains("\0"), !relative.contains("\\") else { throw refused }
        let parts = relative.split(separator: "/", omittingEmptySubsequences: true)
        guard !parts.contains(where: { $0 == ".." }) else { throw refused }
        let joined = parts.isEmpty ? root : (root as NSString).appendingPathComponent(parts.joined(separator: "/"))
        // The deepest part that exists, symbolic links followed, must lie inside.
        var existing = joined
        while !FileManager.default.fileExists(atPath: existing) && existing != root {
            existing = (existing as NSString).deletingLastPathComponent
        }
        let real = Self.real(existing)
        guard real == root || real.hasPrefix(root + "/") else { throw refused }
        return joined
    }

    /// Refuses an absolute path (one a scenario names) outside the workspace:
    /// its deepest existing part, symbolic links followed, must lie inside.
    public func check(_ path: String, _ what: String) throws(DeskError) {
        var existing = URL(fileURLWithPath: path).standardizedFileURL.path
        while !FileManager.default.fileExists(atPath: existing) && existing != "/" {
            existing = (existing as NSString).deletingLastPathComponent
        }
        let real = Self.real(existing)
        guard real == root || real.hasPrefix(root + "/") else {
            throw DeskError(.forbidden, "\(what) \(path) is outside the workspace", problems: [.init(location: "scenario", key: what, message: "outside the workspace")])
        }
    }

    /// The relative name of an absolute path inside the workspace.
    public func relative(_ path: String) -> String {
        let real = Self.real(path)
        return real == root ? "." : real.hasPrefix(root + "/") ? String(real.dropFirst(root.count + 1)) : path
    }

    /// The data directories under the workspace (the workspace itself, and
    /// folders down to three levels) that hold households.csv or .xlsx, by path;
    /// the runs folder and hidden folders are not searched.
    public func dataDirectories() -> [String] {
        var found: [String] = []
        func visit(_ path: String, depth: Int) {
            if DataDirectory.existingSource(of: Schemas.households.fileName, in: path) != nil { found.append(relative(path)) }
            guard depth < 3, let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
            for name in names.sorted() where !name.hasPrefix(".") {
                let child = (path as NSString).appendingPathComponent(name)
                var isDirectory: ObjCBool = false
                guard child != runsFolder, FileManager.default.fileExists(atPath: child, isDirectory: &isDirectory), isDirectory.boolValue,
                      Self.real(child).hasPrefix(root + "/") else { continue }
                visit(child, depth: depth + 1)
            }
        }
        visit(root, depth: 0)
        return found
    }

    static func real(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
