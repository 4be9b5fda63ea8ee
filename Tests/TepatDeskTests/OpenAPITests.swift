import Foundation
import XCTest
@testable import TepatDesk

/// openapi.yaml documents every endpoint the desk answers, and only those.
final class OpenAPITests: XCTestCase {
    func testTheDocumentListsExactlyTheRoutes() throws {
        let url = try XCTUnwrap(DeskRoutes.resource("openapi.yaml"))
        let text = try String(contentsOf: url, encoding: .utf8)
        var documented: Set<String> = []
        var path = ""
        for line in text.split(separator: "\n") {
            if line.hasPrefix("  /") && line.hasSuffix(":") { path = String(line.dropFirst(2).dropLast()) }
            let method = line.trimmingCharacters(in: .whitespaces).dropLast()
            if line.hasPrefix("    ") && !line.hasPrefix("     ") && ["get", "put", "post", "delete", "patch"].contains(String(method)) {
                documented.insert("\(method.uppercased()) \(path)")
            }
        }
        let served = Set(DeskRoutes.api.map { "\($0.method.rawValue) \($0.path)" })
        XCTAssertEqual(documented, served)
        XCTAssertEqual(served.count, 13)
    }
}
