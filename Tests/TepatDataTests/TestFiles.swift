import Foundation
import XCTest

/// A scratch directory per test, removed afterwards.
final class ScratchDirectory {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "tepat-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        write(name, bytes: Array(text.utf8))
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) -> String {
        let file = (path as NSString).appendingPathComponent(name)
        _ = FileManager.default.createFile(atPath: file, contents: Data(bytes))
        return file
    }
}

/// The shared data folder beside the repository, when present (CI always has it).
func sharedDataDirectory() -> String? {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    let candidate = url.deletingLastPathComponent().appendingPathComponent("shared/data").path
    return FileManager.default.fileExists(atPath: candidate + "/wilayah_desa.csv") ? candidate : nil
}
