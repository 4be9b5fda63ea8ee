import ArgumentParser
import Foundation
import TepatData
import TepatPipeline

extension Tepat {
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare two run directories: villages, funders and headline figures.",
            discussion: """
                Shows, on the terminal, the scenario settings that differ, the headline figures \
                side by side (objective, spending, households reached, P0 and P2 after), each \
                funder's spending, and the villages whose funds, rank or expected P0 changed \
                most. Writes the full lists as CSV:
                  compare_villages.csv  every village: rank, funds and expected P0 in A and B
                  compare_funders.csv   every funder: budget, allocated, marginal value in A and B
                  compare_summary.csv   the headline figures and scenario differences

                Example:
                  tepat run Data/demo --out runs/base
                  tepat run Data/demo --out runs/floor --floor sangat_tertinggal=50000000
                  tepat compare runs/base runs/floor
                """)

        @Argument(help: ArgumentHelp("The first run directory (the reference).", valueName: "RUN_DIR_A"))
        var a: String

        @Argument(help: ArgumentHelp("The second run directory.", valueName: "RUN_DIR_B"))
        var b: String

        @Option(help: ArgumentHelp("Directory for the comparison CSVs (default: compare-A-vs-B beside B).", valueName: "DIR"))
        var out: String?

        @Option(help: "Villages listed per table on the terminal.")
        var top: Int = 10

        func validate() throws {
            guard top >= 0 else { throw ValidationError("--top must be 0 or more") }
        }

        func run() throws {
            let comparison: RunComparison
            do { comparison = try RunComparison(a, b) } catch let error as DataErrors { throw fail(with: error.log) }
            let nameA = URL(fileURLWithPath: a).standardizedFileURL.lastPathComponent
            let nameB = URL(fileURLWithPath: b).standardizedFileURL.lastPathComponent
            let directory = out ?? URL(fileURLWithPath: b).standardizedFileURL.deletingLastPathComponent()
                .appendingPathComponent("compare-\(nameA)-vs-\(nameB)").path
            try comparison.write(to: directory)

            print("A = \(a)\nB = \(b)\n")
            if !comparison.scenarioChanges.isEmpty {
                print("Scenario settings that differ:")
                for line in comparison.scenarioChanges { print("  " + line) }
                print("")
            }
            print(TextTable(header: ["figure", "A", "B"], rows: comparison.figures.map { [$0.name, $0.a, $0.b] }).text)
            if !comparison.funders.isEmpty {
                print("Funders:")
                print(TextTable(header: ["funder", "allocated A (Rp)", "allocated B (Rp)", "change (Rp)"], rows: comparison.funders.map { f in
                    [f.id, f.allocatedA.map(Rupiah.format) ?? "—", f.allocatedB.map(Rupiah.format) ?? "—",
                     f.allocatedA.flatMap { x in f.allocatedB.map { Rupiah.format($0 - x) } } ?? "—"]
                }).text)
            }
            let funds = comparison.mostChanged(by: { Double($0.fundsChange) }, count: top)
            if !funds.isEmpty {
                print("Villages whose funds changed most:")
                let share = { (p: Double?) in p.map { String(format: "%.0f%%", 100 * $0) } ?? "—" }
                print(TextTable(header: ["village", "kecamatan", "funds A (Rp)", "funds B (Rp)", "change (Rp)", "p_funded A", "p_funded B"], rows: funds.map {
                    [$0.name, $0.kecamatan, Rupiah.format($0.fundsA), Rupiah.format($0.fundsB), Rupiah.format($0.fundsChange), share($0.pFundedA), share($0.pFundedB)]
                }).text)
            }
            let ranks = comparison.mostChanged(by: { Double($0.rankChange ?? 0) }, count: top)
            if !ranks.isEmpty {
                print("Villages whose rank changed most:")
                print(TextTable(header: ["village", "kecamatan", "rank A", "rank B", "change"], rows: ranks.map {
                    [$0.name, $0.kecamatan, $0.rankA.map(String.init) ?? "—", $0.rankB.map(String.init) ?? "—", $0.rankChange.map { String(format: "%+d", $0) } ?? "—"]
                }).text)
            }
            let p0 = comparison.mostChanged(by: { $0.p0Change ?? 0 }, count: top)
            if !p0.isEmpty {
                print("Villages whose expected P0 changed most:")
                print(TextTable(header: ["village", "kecamatan", "P0 A", "P0 B", "change (points)"], rows: p0.map {
                    [$0.name, $0.kecamatan, $0.p0A.map { String(format: "%.2f%%", 100 * $0) } ?? "—",
                     $0.p0B.map { String(format: "%.2f%%", 100 * $0) } ?? "—", $0.p0Change.map { String(format: "%+.2f", 100 * $0) } ?? "—"]
                }).text)
            }
            if funds.isEmpty && ranks.isEmpty && p0.isEmpty { print("No village changed rank, funds or expected P0.\n") }
            print("Full lists: \(directory)/compare_villages.csv, compare_funders.csv, compare_summary.csv")
        }
    }
}

/// A plain text table for the terminal: columns padded, numbers right-aligned.
struct TextTable {
    let header: [String]
    let rows: [[String]]

    var text: String {
        let widths = header.indices.map { c in ([header[c]] + rows.map { $0[c] }).map(\.count).max() ?? 0 }
        func numeric(_ s: String) -> Bool { s.first.map { $0.isNumber || $0 == "-" || $0 == "+" } ?? false }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, s in
                let pad = String(repeating: " ", count: widths[c] - s.count)
                return c > 0 && numeric(s) ? pad + s : s + pad
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        return ([line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")] + rows.map(line)).joined(separator: "\n") + "\n"
    }
}
