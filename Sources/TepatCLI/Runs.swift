import ArgumentParser
import Foundation
import TepatData
import TepatStore

extension Tepat {
    struct Runs: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The history of runs: which scenario ran on which inputs, and what came out.",
            discussion: """
                Every successful 'tepat run' is recorded in an SQLite run store (unless \
                --no-store): the run directory, the effective scenario, each input file with its \
                rows and SHA-256, and the headline figures. A failed run records nothing.
                The store is $TEPAT_STORE, else ~/.local/share/tepat/runs.sqlite, or --store FILE.
                """,
            subcommands: [List.self, Show.self],
            defaultSubcommand: List.self)

        struct StoreOption: ParsableArguments {
            @Option(help: ArgumentHelp("Run store (SQLite); default $TEPAT_STORE, else ~/.local/share/tepat/runs.sqlite.", valueName: "FILE"))
            var store: String?
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List recorded runs, newest first.")
            @OptionGroup var options: StoreOption
            @Option(help: "How many runs to list.")
            var limit: Int = 20

            func run() throws {
                let store = try openStore(options.store)
                let entries = try store.list(limit: max(1, limit))
                guard !entries.isEmpty else { print("No runs recorded in \(store.path) yet."); return }
                let rows: [[String]] = entries.map { entry in
                    let e = entry.record
                    let objective: String = e.objective.map { String(format: "%.2f", $0) } ?? "—"
                    let spent: String = e.spent.map { Rupiah.format($0) } ?? "—"
                    let p0 = String(format: "%.2f%%", 100 * e.p0)
                    return [String(entry.id), entry.createdAt, e.directory, String(e.villages), String(e.households), p0, objective, spent]
                }
                let header = ["id", "when (UTC)", "run directory", "villages", "households", "P0", "objective", "spent (Rp)"]
                print(TextTable(header: header, rows: rows).text, terminator: "")
            }
        }

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show one recorded run: inputs with checksums, figures, scenario.")
            @OptionGroup var options: StoreOption
            @Argument(help: "The run's id (see 'tepat runs list').")
            var id: Int64

            func run() throws {
                let store = try openStore(options.store)
                guard let entry = try store.entry(id: id) else {
                    throw InputFailure(description: "no run \(id) in \(store.path); 'tepat runs list' shows the recorded ones")
                }
                let e = entry.record
                print("Run \(entry.id), \(entry.createdAt) UTC")
                print("  run directory   \(e.directory)\(FileManager.default.fileExists(atPath: e.directory) ? "" : " (no longer on disk)")")
                print("  data directory  \(e.dataDirectory)")
                print("  seed            \(e.seed)")
                print(String(format: "  villages %d, households %d, expected P0 %.2f%%, poor persons %.0f", e.villages, e.households, 100 * e.p0, e.poorPersons))
                if let objective = e.objective, let spent = e.spent {
                    print(String(format: "  allocation objective %.4f (persons × P2), spent Rp %@", objective, Rupiah.format(spent)))
                }
                print(String(format: "  %.2f s", e.seconds))
                print("Inputs:")
                print(TextTable(header: ["file", "rows", "sha256"], rows: e.inputs.map { [$0.name, String($0.rows), e.checksums[$0.name] ?? ""] }).text, terminator: "")
                if !e.scenario.isEmpty {
                    print("Scenario:")
                    print(e.scenario.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
                }
            }
        }
    }
}

/// Opens the run store, turning failures into a clear message.
func openStore(_ path: String?) throws -> RunStore {
    let target = path ?? RunStore.defaultPath
    do { return try RunStore(path: target) } catch {
        throw InputFailure(description: "cannot open the run store \(target): \(error) (use --store FILE or --no-store)")
    }
}
