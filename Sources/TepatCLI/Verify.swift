import ArgumentParser
import Foundation
import TepatData
import TepatVerification

extension Tepat {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Registry verification: take a village meeting's decisions back into the data.",
            discussion: """
                A run on a households.csv with the registry's desil lists the households whose \
                desil and prediction disagree most (verification.csv) and writes the meeting's \
                form (verification_form.csv or .xlsx to fill in, verification_form.html to print). \
                After the meeting, 'tepat verify apply' reads the filled form back.
                """,
            subcommands: [Apply.self])
    }
}

extension Tepat.Verify {
    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply a filled verification form to a DATA_DIR, writing a new one.",
            discussion: """
                The form is verification_form.csv (or verification_form.xlsx, filled in in \
                Excel) as a run wrote it, with one decision ticked \
                (x) per household decided: layak, tidak_layak, pindah, meninggal or \
                tidak_ditemukan, and a note in catatan. A form with a single keputusan column \
                naming the decision works too. Rows with no decision are left unchanged.

                NEW_DIR gets every file of DATA_DIR, with households.csv changed:
                  pindah, meninggal, tidak_ditemukan  the household is removed (and from truth.csv)
                  layak        marked in the verifikasi column; a desil above 4 becomes the model's (≤ 4)
                  tidak_layak  marked; a desil of 1–4 becomes the model's (≥ 5)
                and two files of its own:
                  usulan_perubahan.csv   the changes proposed for upload, with the reason for each
                  verification_audit.txt the inputs with their SHA-256, and what each row did
                Households marked in verifikasi are not listed for verification again.

                Any problem in the form (a household not in households.csv, a decision that is \
                not one of the five, two ticks in one row, the same household twice) is named \
                with file:line:column, and nothing is written.

                Example:
                  tepat run Data/demo --out runs/demo
                  (the meeting fills in runs/demo/verification_form.csv)
                  tepat verify apply Data/demo runs/demo/verification_form.csv --out Data/demo-verified
                  tepat run Data/demo-verified --out runs/demo-verified
                  tepat compare runs/demo runs/demo-verified
                """)

        @Argument(help: ArgumentHelp("The DATA_DIR the run that made the form read.", valueName: "DATA_DIR"))
        var dataDirectory: String

        @Argument(help: ArgumentHelp("The filled form: verification_form.csv or verification_form.xlsx.", valueName: "FORM"))
        var form: String

        @Option(help: ArgumentHelp("The new DATA_DIR to write (must not exist).", valueName: "NEW_DIR"))
        var out: String

        func run() throws {
            let summary: RegistryUpdate.Summary
            do {
                summary = try RegistryUpdate.apply(dataDirectory: dataDirectory, formPath: form, output: out)
            } catch let error as DataErrors {
                throw fail(with: error.log, context: "in the form; nothing was written")
            } catch let error as RegistryUpdate.Failure {
                throw InputFailure(description: error.description)
            }
            let decided = MeetingDecision.allCases.map { "\($0.rawValue) \(summary.decided[$0] ?? 0)" }.joined(separator: ", ")
            print("Wrote \(out): \(summary.households - summary.removed) households (\(summary.removed) removed).")
            print("Decisions: \(decided); \(summary.undecided) rows undecided.")
            print("Proposed: \(summary.intoDesil1to4) into desil 1–4, \(summary.outOfDesil1to4) out of desil 1–4; see usulan_perubahan.csv and verification_audit.txt.")
        }
    }
}

extension Tepat {
    struct CompareData: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "compare-data",
            abstract: "Compare two releases of a registry (households.csv) village by village.",
            discussion: """
                Counts, per village, the households in each release, those that entered and \
                left, those whose desil changed and those whose desil crossed 4 (into or out \
                of the desil 1–4 programs). With --verification, also how many households of a \
                verification list made from OLD_DIR the new release resolved as the list \
                suggested: likely_excluded now in desil 1–4, likely_included now above 4 or gone.

                Example:
                  tepat compare-data Data/demo Data/demo-verified --verification runs/demo/verification.csv
                """)

        @Argument(help: ArgumentHelp("The earlier release.", valueName: "OLD_DIR"))
        var old: String

        @Argument(help: ArgumentHelp("The later release.", valueName: "NEW_DIR"))
        var new: String

        @Option(help: ArgumentHelp("verification.csv of a run on OLD_DIR.", valueName: "FILE"))
        var verification: String?

        @Option(help: ArgumentHelp("Write every village's counts as CSV here (default: compare_data.csv beside NEW_DIR).", valueName: "FILE"))
        var out: String?

        @Option(help: "Villages listed on the terminal, most changed first.")
        var top: Int = 10

        func run() throws {
            let comparison: ReleaseComparison
            do {
                comparison = try ReleaseComparison.compare(old: old, new: new, verificationList: verification)
            } catch let error as DataErrors {
                throw fail(with: error.log)
            } catch let error as RegistryUpdate.Failure {
                throw InputFailure(description: error.description)
            }
            let path = out ?? (URL(fileURLWithPath: new).standardizedFileURL.deletingLastPathComponent().appendingPathComponent("compare_data.csv").path)
            try comparison.write(to: path)
            let t = comparison.total
            print("Households: \(t.before) → \(t.after) (\(t.entered) entered, \(t.left) left); desil changed for \(t.desilChanged), \(t.intoDesil1to4) into desil 1–4, \(t.outOfDesil1to4) out of it.")
            if verification != nil { print("Verification list: \(t.resolved) of \(t.listed) households resolved as the list suggested; \(t.listedLeft) left the registry.") }
            let changed = comparison.villages.filter { $0.entered + $0.left + $0.desilChanged > 0 }
                .sorted { ($0.entered + $0.left + $0.desilChanged, $1.code) > ($1.entered + $1.left + $1.desilChanged, $0.code) }
            if top > 0 && !changed.isEmpty {
                print(TextTable(header: ["kode_desa", "desa", "before", "after", "entered", "left", "desil changed", "listed", "resolved"],
                                rows: changed.prefix(top).map { v in
                                    [v.code, v.name] + [v.before, v.after, v.entered, v.left, v.desilChanged, v.listed, v.resolved].map(String.init)
                                }).text)
            }
            print("Every village: \(path)")
        }
    }
}
