import Foundation
import FuzzSupport
import TepatScenario

/// One fuzz input is one scenario file's text. Errors are expected (and must
/// format); a crash, a hang or a sanitizer report is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScenario(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    guard count <= 1 << 16 else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    do {
        _ = try ScenarioParser.parse(text, file: "fuzz.yaml", baseDirectory: "/nonexistent")
    } catch {
        _ = String(describing: error)
    }
    return 0
}

/// Entry point (SwiftPM's name for this module's `main`).
@_cdecl("FuzzScenario_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, harness: fuzzScenario)
}
