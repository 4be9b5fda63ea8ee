import ArgumentParser
import Foundation
import TepatData
import TepatGenerator

extension Tepat {
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a realistic synthetic kabupaten as a complete DATA_DIR.",
            discussion: """
                Households carry DTKS indicators that follow a hidden welfare (poorer \
                households: earth floors, firewood, no assets, out-of-school children, more \
                dependents), plus a village effect the indicators do not reveal. Also written: \
                a SUSENAS-like survey with consumption and weights (10 households in each \
                of a sixth of the villages, drawn with probability proportional to size, \
                as a kabupaten's SUSENAS sample is), villages with \
                IDM status, OPDs, funders (APBD, CSR with ring-1 kecamatan, Baznas, Lazismu), \
                programs with rupiah unit costs, and truth.csv with every household's true \
                consumption so accuracy can be measured.

                The same options and seed always give byte-identical files.

                Real villages: --region 35.14 --villages-file ../shared/data/wilayah_desa.csv \
                gives the 365 desa and kelurahan of Kabupaten Pasuruan with their codes, \
                names and coordinates.
                """)

        @Option(name: .long, help: ArgumentHelp("Directory to write (created if needed).", valueName: "DIR"))
        var out: String

        @Option(help: "Number of households.")
        var households: Int = 5_000

        @Option(help: "Number of villages (default: all villages of the region in --villages-file, else 40).")
        var villages: Int?

        @Option(help: "Random seed; the same seed gives the same files.")
        var seed: UInt64 = 1

        @Option(help: ArgumentHelp("Kemendagri code of the kabupaten/kota (or, with --villages-file, province; ID: all of Indonesia).", valueName: "CODE"))
        var region: String = "35.99"

        @Option(name: .customLong("villages-file"), help: ArgumentHelp("Kemendagri village list (columns kode_desa, nama_desa, nama_kecamatan, nama_kabkota, lat, lon).", valueName: "PATH"))
        var villagesFile: String?

        @Option(name: .customLong("survey-villages"), help: ArgumentHelp(
            "Villages in the survey, drawn with probability proportional to their households, as SUSENAS draws census blocks (default: a sixth of the villages, at least 20).",
            valueName: "N"))
        var surveyVillages: Int?

        @Option(name: .customLong("survey-per-village"), help: ArgumentHelp(
            "Survey households in each survey village (SUSENAS: 10).", valueName: "M"))
        var surveyPerVillage: Int = SurveySample.defaultPerVillage

        @Option(name: .customLong("survey"), help: ArgumentHelp(
            "Survey size in households instead of --survey-villages: that many households divided by --survey-per-village villages.",
            valueName: "HOUSEHOLDS"))
        var surveyHouseholds: Int?

        @Option(help: "Number of OPDs (default: one per ten villages, at most 40).")
        var opds: Int?

        @Option(help: "Number of funders: APBD, Baznas, Lazismu, then CSR companies.")
        var funders: Int = 10

        @Flag(help: "No progress output.")
        var quiet = false

        /// --survey-villages, or --survey households in villages of --survey-per-village.
        func surveyVillageCount() throws -> Int? {
            guard let surveyHouseholds else { return surveyVillages }
            guard surveyVillages == nil else {
                throw ValidationError("give either --survey-villages or --survey, not both")
            }
            guard surveyHouseholds >= surveyPerVillage, surveyPerVillage >= 1 else {
                throw ValidationError("--survey \(surveyHouseholds) is fewer than --survey-per-village \(surveyPerVillage) households")
            }
            return Int((Double(surveyHouseholds) / Double(surveyPerVillage)).rounded())
        }

        func run() throws {
            var options = GeneratorOptions()
            options.households = households
            options.villages = villages
            options.seed = seed
            options.region = region
            options.villagesFile = villagesFile
            options.surveyPerVillage = surveyPerVillage
            options.surveyVillages = try surveyVillageCount()
            options.opds = opds
            options.funders = funders
            let progress = Progress(enabled: !quiet, label: "generating households")
            let started = Date()
            do {
                let summary = try KabupatenGenerator(options: options).write(to: out) { done, total in
                    progress.update(done, of: total)
                }
                progress.finish()
                if !quiet {
                    let seconds = Date().timeIntervalSince(started)
                    let p0 = Double(summary.poorPersons) / Double(max(1, summary.persons))
                    print("""
                        Wrote \(out): \(summary.households) households (\(summary.persons) persons) in \(summary.villages) villages \
                        of \(summary.kecamatan) kecamatan; survey \(summary.surveyHouseholds) households; \
                        true P0 at Rp \(summary.povertyLine) = \(String(format: "%.1f", 100 * p0))%. \
                        (\(String(format: "%.1f", seconds)) s)
                        """)
                }
            } catch let error as GeneratorError {
                progress.finish()
                throw ValidationError(error.description)
            } catch let error as DataErrors {
                progress.finish()
                throw fail(with: error.log)
            }
        }
    }
}
