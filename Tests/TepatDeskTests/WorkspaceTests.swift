import Foundation
import XCTest
@testable import TepatDesk

/// No path a browser sends reaches outside the workspace.
final class WorkspaceTests: XCTestCase {
    var root = "", outside = ""

    override func setUpWithError() throws {
        let base = NSTemporaryDirectory() + "tepat-workspace-\(UUID().uuidString.prefix(8))"
        root = base + "/space"
        outside = base + "/outside"
        for folder in [root + "/Data/demo", root + "/Data/empty", root + "/runs/demo-1", outside] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        try "household_id\n".write(toFile: root + "/Data/demo/households.csv", atomically: true, encoding: .utf8)
        try "secret\n".write(toFile: outside + "/households.csv", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: root + "/escape", withDestinationPath: outside)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: (root as NSString).deletingLastPathComponent) }

    func testPathsInsideResolve() throws {
        let space = try Workspace(path: root)
        XCTAssertEqual(try space.resolve("Data/demo"), space.root + "/Data/demo")
        XCTAssertEqual(try space.resolve("Data/demo/scenario.yaml"), space.root + "/Data/demo/scenario.yaml", "a file not yet written")
        XCTAssertEqual(try space.resolve(""), space.root)
        XCTAssertEqual(space.relative(space.root + "/Data/demo"), "Data/demo")
    }

    func testEveryWayOutIsRefused() throws {
        let space = try Workspace(path: root)
        for path in ["../outside", "Data/../../outside", "/etc/passwd", "escape", "escape/households.csv", "escape/new.yaml",
                     "Data/demo/\0", "..", "Data\\..\\..\\outside"] {
            XCTAssertThrowsError(try space.resolve(path), path) { error in
                XCTAssertEqual((error as? DeskError)?.kind, .forbidden, path)
                XCTAssertTrue("\(error)".contains("not a path inside the workspace"), "\(error)")
            }
        }
    }

    func testAScenariosFilesMustBeInsideToo() throws {
        let space = try Workspace(path: root)
        XCTAssertNoThrow(try space.check(root + "/Data/demo/plan.mps", "outputs.export_mps"))
        for path in [outside + "/plan.mps", root + "/escape/plan.mps", root + "/Data/../../outside/x.geojson", "/etc/passwd"] {
            XCTAssertThrowsError(try space.check(path, "outputs.export_mps"), path) {
                XCTAssertEqual(($0 as? DeskError)?.kind, .forbidden)
                XCTAssertEqual(($0 as? DeskError)?.problems.first?.key, "outputs.export_mps")
            }
        }
    }

    func testDataDirectoriesAreTheFoldersWithHouseholds() throws {
        let space = try Workspace(path: root)
        XCTAssertEqual(space.dataDirectories(), ["Data/demo"], "not the empty folder, the runs, nor the symbolic link out")
    }
}
