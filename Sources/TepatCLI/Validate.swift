import ArgumentParser
import Foundation
import TepatData

extension Tepat {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every file of a DATA_DIR and list every problem in one pass.",
            discussion: """
                Each problem is one line: file:line:column: column = "value": what was \
                expected. Personal data (NIK) is masked in messages. Checked: types and \
                ranges, categories, region codes, duplicate ids, ragged rows and broken \
                quotes, missing required columns, consistency within a row (children out of \
                school ≤ children aged 7–18), and across files (every household's village is in \
                villages.csv; OPD and funder kecamatan exist). Any file may be an Excel \
                workbook under the same name (households.xlsx): its first sheet is read, and \
                its problems name the sheet and cell (households.xlsx:Sheet1!D3).

                Exit status 0 when the directory is valid, 1 when any problem was found.
                """)

        @Argument(help: ArgumentHelp("Directory holding households.csv and the other input files.", valueName: "DATA_DIR"))
        var dataDirectory: String

        @Option(help: ArgumentHelp("Codebook for raw exports: a YAML file, or 'pbdt2015' for the shipped PBDT 2015 layout.", valueName: "FILE|pbdt2015"))
        var codebook: String?

        func run() throws {
            let book = try loadCodebook(codebook)
            let result = DataDirectory.validate(dataDirectory, codebook: book)
            for file in result.files {
                print("\(file.shownName): \(file.rows) rows accepted\(file.rejected > 0 ? ", \(file.rejected) rejected" : "")")
            }
            if !result.problems.isEmpty {
                throw fail(with: result.problems, context: "in \(dataDirectory)")
            }
            print("\(dataDirectory) is valid.")
        }
    }
}

/// `--codebook`: a path, or the name of a shipped codebook.
func loadCodebook(_ argument: String?) throws -> Codebook? {
    guard let argument else { return nil }
    do {
        if argument == "pbdt2015" { return try Codebook.pbdt2015() }
        return try Codebook.load(path: argument)
    } catch let error as DataErrors {
        throw fail(with: error.log)
    }
}
