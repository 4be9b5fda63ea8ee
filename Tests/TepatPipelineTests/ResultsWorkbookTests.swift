import Foundation
import Spreadsheet
import TepatPipeline
import XCTest

/// Every part of a workbook inflated and joined: its cells' text, every sheet's
/// (for scanning it for what must not be there).
func workbookText(_ path: String) throws -> String {
    let archive = try ZipArchive(path: path)
    return try archive.names.map { String(decoding: try archive.read($0), as: UTF8.self) }.joined(separator: "\n")
}

final class ResultsWorkbookTests: XCTestCase {
    /// results.xlsx read back by openpyxl (from PyPI; CI installs it): one
    /// sheet per CSV, every cell equal to the CSV's (numbers to 1e-15 relative:
    /// libxlsxwriter writes 17 significant digits at most), codes as text, the
    /// header frozen and filtered, rupiah and rates formatted, every column
    /// explained in the keterangan sheet.
    func testOpenpyxlReadsTheCSVsCellForCell() throws {
        guard python(["-c", "import openpyxl"]).status == 0 else {
            throw XCTSkip("openpyxl is not installed: pip install openpyxl (CI installs it)")
        }
        let out = try demoRun("results-xlsx")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let check = python(["-c", Self.openpyxlCheck, out])
        XCTAssertEqual(check.status, 0, check.output)
        XCTAssertTrue(check.output.contains("sheets: allocation, assignment, beneficiaries, funders_summary, households_scored, pmt_coefficients, rankings, verification, verification_form, villages_after"), check.output)
    }

    func python(_ arguments: [String]) -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3"] + arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        do { try p.run() } catch { return (127, "\(error)") }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, text)
    }

    static let openpyxlCheck = #"""
        import csv, os, sys, openpyxl
        from openpyxl.utils import get_column_letter
        run = sys.argv[1]
        book = openpyxl.load_workbook(os.path.join(run, "results.xlsx"))
        names = sorted(f[:-4] for f in os.listdir(run) if f.endswith(".csv") and not f.endswith(".excel-id.csv"))
        problems = []
        for name in names:
            sheet = book[name]
            rows = list(csv.reader(open(os.path.join(run, name + ".csv"), newline="", encoding="utf-8")))
            cells = [list(r) for r in sheet.iter_rows(values_only=True)]
            if len(cells) != len(rows):
                problems.append(f"{name}: {len(rows)} CSV rows, {len(cells)} sheet rows")
            for i, (texts, values) in enumerate(zip(rows, cells)):
                values = values + [None] * (len(texts) - len(values))
                for j, text in enumerate(texts):
                    v, where = values[j], f"{name}!{get_column_letter(j + 1)}{i + 1}"
                    if text == "":
                        ok = v is None
                    elif isinstance(v, str):
                        ok = v == text
                    elif isinstance(v, (int, float)) and not isinstance(v, bool):
                        ok = abs(float(text) - v) <= 1e-15 * max(1.0, abs(v))
                    else:
                        ok = False
                    if not ok:
                        problems.append(f"{where}: CSV {text!r}, sheet {v!r}")
            if sheet.freeze_panes != "A2":
                problems.append(f"{name}: frozen at {sheet.freeze_panes}")
            if not (sheet.auto_filter.ref or "").startswith("A1:"):
                problems.append(f"{name}: autofilter {sheet.auto_filter.ref}")
        rankings = book["rankings"]
        header = [c.value for c in rankings[1]]
        def cell(sheet, column, row=2):
            return sheet.cell(row=row, column=[c.value for c in sheet[1]].index(column) + 1)
        if cell(rankings, "kode_desa").data_type != "s": problems.append("kode_desa is not text")
        if cell(rankings, "p0").number_format != "0.0%": problems.append("p0 is not a percent")
        if not isinstance(cell(rankings, "rank").value, int): problems.append("rank is not a number")
        if cell(book["allocation"], "amount_rp").number_format != "#,##0": problems.append("amount_rp is not rupiah")
        notes = {(r[0], r[1]): r[2] for r in book["keterangan"].iter_rows(min_row=2, values_only=True)}
        for name in ["profil_kemiskinan", "lokasi_prioritas", "program_prioritas"]:
            if name not in book.sheetnames:
                problems.append(f"no sheet {name}")
        for name in book.sheetnames[:-1]:
            for column in [c.value for c in book[name][1]]:
                if not notes.get((name, column)):
                    problems.append(f"keterangan has nothing on {name}.{column}")
        for line in problems[:40]:
            print(line)
        if book.sheetnames[-1] != "keterangan":
            problems.append("keterangan is not the last sheet")
        print("sheets: " + ", ".join(names))
        sys.exit(1 if problems else 0)
        """#
}
