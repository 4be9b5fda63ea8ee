import Foundation
import FuzzSupport
import TepatData

/// One fuzz input is one households.csv. It is written to a file (the reader
/// reads file descriptors, as in production) and read twice: record by record
/// with small chunks, so records straddle chunk boundaries, and through the
/// households schema, so every field decoder and row rule sees it. Errors are
/// expected; a crash, a hang or a sanitizer report is a bug.
private let path: String = {
    let directory = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    return "\(directory)/tepat-fuzz-csv-\(getpid()).csv"
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    let data = Data(bytes: bytes, count: count)
    guard FileManager.default.createFile(atPath: path, contents: data) else { return 0 }
    if let reader = try? CSVReader(path: path, displayName: "fuzz.csv", chunkBytes: 64) {
        var batch = CSVBatch()
        while (try? reader.nextBatch(maxRows: 7, into: &batch)) == true {
            for row in 0..<batch.rowCount {
                for column in 0..<batch.fieldCount(row: row) { _ = batch.field(row: row, column: column).count }
            }
        }
    }
    // Small byte chunks cut records anywhere; tables of 97 rows at a time keep
    // the 46 columns' allocations per input few (the fuzzer's speed).
    if let table = try? TableReader(path: path, schema: Schemas.households, displayName: "households.csv", problemLimit: 100, chunkBytes: 256) {
        while let chunk = try? table.nextChunk(maxRows: 97) { _ = chunk.rowCount }
        for problem in table.problems.problems { _ = problem.description }
    }
    return 0
}

/// Entry point (SwiftPM's name for this module's `main`).
@_cdecl("FuzzCSV_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, harness: fuzzCSV)
}
