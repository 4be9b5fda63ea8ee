import Foundation
import FuzzSupport
import Spreadsheet
import TepatData

/// One fuzz input is either a whole workbook (it starts with "PK", the zip
/// signature: written to a file and read as households.xlsx is, through the
/// zip library, the sheet scanner and the CSV it becomes) or, more often, XML:
/// a sheet's XML, then after a NUL byte its shared strings' XML, scanned from
/// memory in chunks of 1 to 64 bytes (the first byte chooses) so that every
/// token is cut across buffers somewhere, and again whole, with cells read in
/// one step and token by token. Errors are expected; a crash, a hang or a
/// sanitizer report is a bug, and so is a difference between the rows and
/// their CSV, or between the three readings.
private let path: String = {
    let directory = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    return "\(directory)/tepat-fuzz-xlsx-\(getpid()).xlsx"
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXLSX(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    guard count > 1, count <= 1 << 16 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: bytes, count: count))
    if input.starts(with: [0x50, 0x4B]) {
        readWorkbook(input)
    } else {
        readXML(input)
    }
    return 0
}

private func readWorkbook(_ input: [UInt8]) {
    guard FileManager.default.createFile(atPath: path, contents: Data(input)) else { return }
    let inputs = WorkbookInputs()
    do {
        let csv = try inputs.convert(path, schema: Schemas.households)
        if let table = try? TableReader(path: csv, schema: Schemas.households, displayName: "households.csv", problemLimit: 50) {
            while let chunk = try? table.nextChunk(maxRows: 64) { _ = chunk.rowCount }
            _ = inputs.relocate(table.problems).problems.map(\.description)
        }
    } catch {
        _ = inputs.relocate(error).description
    }
}

private func readXML(_ input: [UInt8]) {
    let chunk = Int(input[0] % 64) + 1
    let body = input.dropFirst()
    let split = body.firstIndex(of: 0) ?? body.endIndex
    let sheet = Array(body[..<split]), strings = Array(body[split...].dropFirst())
    let read = Result { try SheetReader.read(sheetXML: sheet, sharedStringsXML: strings, chunk: chunk, headerRow: 1, width: 8) }
    if case .success(let read) = read {
        // Every row after the first with a value in columns A–H is one CSV line.
        let written = read.rows.filter { row in row.number > 1 && (0..<row.count).contains { row.column($0) <= 8 } }.count
        let lines = read.csv.split(separator: 0x0A, omittingEmptySubsequences: true).count
        if written != lines { fatalError("\(written) rows with values but \(lines) CSV lines") }
    }
    // Cells read in one step (in one buffer, where most are whole) must read
    // as the scanner reads them token by token, errors included.
    let oneStep = Result { try SheetReader.read(sheetXML: sheet, sharedStringsXML: strings, chunk: input.count, headerRow: 1, width: 8) }
    let tokens = Result { try SheetReader.read(sheetXML: sheet, sharedStringsXML: strings, chunk: input.count, headerRow: 1, width: 8, wholeCells: false) }
    let (a, b, c) = (summary(read), summary(oneStep), summary(tokens))
    if a != c || b != c { fatalError("cells read in one step differ from the token scan:\n\(a)\n\(b)\n\(c)") }
}

/// Rows, cells and CSV of a reading, or its error, as text to compare.
private func summary(_ result: Result<(rows: [SheetRow], csv: [UInt8]), Error>) -> String {
    switch result {
    case .failure(let error):
        return "error: \(error)"
    case .success(let read):
        let rows = read.rows.map { row in "\(row.number):" + (0..<row.count).map { "\(row.column($0))=\(row.value($0))" }.joined(separator: "|") }
        return rows.joined(separator: "\n") + "\ncsv:" + String(decoding: read.csv, as: UTF8.self)
    }
}

/// Entry point (SwiftPM's name for this module's `main`).
@_cdecl("FuzzXLSX_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, harness: fuzzXLSX)
}
