import Foundation
import TepatPipeline
import XCTest
@testable import TepatDesk

/// Runs asked for from the desk: in order, each in its own directory, and a
/// cancelled one leaves nothing behind.
final class RunQueueTests: XCTestCase {
    static let demo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Data/demo").path
    var root = ""

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "tepat-desk-runs-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: root + "/Data", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.demo, toPath: root + "/Data/demo")
        try "scoring:\n  bootstrap: 20\n".write(toFile: root + "/Data/demo/quick.yaml", atomically: true, encoding: .utf8)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: root) }

    func wait(_ queue: RunQueue, for id: String) -> RunQueue.Job {
        let deadline = Date().addingTimeInterval(300)
        while let job = queue.job(id), job.state == .queued || job.state == .running, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        return queue.job(id)!
    }

    func testRunsEndInTheirOwnDirectoriesAndACancelledOneLeavesNothing() throws {
        let queue = RunQueue(workspace: try Workspace(path: root), store: nil, capacity: 3)
        let first = try queue.submit(dataset: "Data/demo", scenario: "Data/demo/quick.yaml")
        let second = try queue.submit(dataset: "Data/demo", scenario: "Data/demo/quick.yaml")
        let third = try queue.submit(dataset: "Data/demo", scenario: nil)
        XCTAssertThrowsError(try queue.submit(dataset: "Data/demo", scenario: nil), "a fourth is beyond the queue's three places") {
            XCTAssertEqual(($0 as? DeskError)?.kind, .queueFull)
        }
        XCTAssertTrue(queue.cancel(third.id))
        let one = wait(queue, for: first.id), two = wait(queue, for: second.id)
        XCTAssertEqual([one.state, two.state, queue.job(third.id)?.state], [.done, .done, .cancelled])
        XCTAssertEqual([one.directory, two.directory], ["runs/Data-demo-1", "runs/Data-demo-2"])
        for job in [one, two] { XCTAssertTrue(FileManager.default.fileExists(atPath: root + "/" + job.directory! + "/rankings.csv")) }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: root + "/runs/Data-demo-1/rankings.csv")),
                       try Data(contentsOf: URL(fileURLWithPath: root + "/runs/Data-demo-2/rankings.csv")), "same data and seed, same files")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root + "/runs").sorted(), ["Data-demo-1", "Data-demo-2"])
    }

    func testARunCancelledWhileRunningLeavesNoDirectory() throws {
        let queue = RunQueue(workspace: try Workspace(path: root), store: nil)
        let job = try queue.submit(dataset: "Data/demo", scenario: nil)
        while queue.job(job.id)?.stage == nil { Thread.sleep(forTimeInterval: 0.005) }
        XCTAssertTrue(queue.cancel(job.id))
        let ended = wait(queue, for: job.id)
        XCTAssertEqual(ended.state, .cancelled, ended.message ?? "")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root + "/runs"), [], "no run directory, no staging folder")
    }

    func testAFailedRunSaysWhereItsDataIsWrong() throws {
        // The first household's members (the fourth column) as a word.
        let path = root + "/Data/demo/households.csv"
        var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        var fields = lines[1].components(separatedBy: ",")
        fields[3] = "tiga"
        lines[1] = fields.joined(separator: ",")
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let queue = RunQueue(workspace: try Workspace(path: root), store: nil)
        let ended = wait(queue, for: try queue.submit(dataset: "Data/demo", scenario: nil).id)
        XCTAssertEqual(ended.state, .failed)
        XCTAssertTrue(ended.problems?.contains { $0.location == "households.csv:2:4" && $0.key == "members" } ?? false,
                      "\(ended.problems ?? [])")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root + "/runs"), [])
    }
}
