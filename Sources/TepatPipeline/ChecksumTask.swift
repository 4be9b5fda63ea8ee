import Foundation
import TepatData
import TepatReporting

/// SHA-256 of the input files on a background thread.
final class ChecksumTask: @unchecked Sendable {
    private var result: Result<[String: String], Error>? = nil
    private let done = DispatchSemaphore(value: 0)

    init(files: [LoadedFile]) {
        let list = files.map { ($0.name, $0.path) }
        Thread.detachNewThread { [self] in
            result = Result {
                var sums: [String: String] = [:]
                for (name, path) in list { sums[name] = try RunSummary.sha256(path: path) }
                return sums
            }
            done.signal()
        }
    }

    func wait() throws -> [String: String] {
        done.wait()
        return try result!.get()
    }
}
