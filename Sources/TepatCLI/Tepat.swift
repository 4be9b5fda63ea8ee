import ArgumentParser
import Foundation
import TepatData

/// `tepat`: score households, rank villages and allocate poverty funds.
public struct Tepat: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tepat",
        abstract: "Aim poverty programs at the right villages and households (tepat sasaran).",
        discussion: """
            A DATA_DIR holds the input files of the data contract: households.csv (required), \
            survey.csv, villages.csv, opds.csv, funders.csv, programs.csv.

            Start with a generated kabupaten:
              tepat generate --out /tmp/k --households 300000 --villages 400 --seed 1
              tepat validate /tmp/k

            Exit status: 0 success; 1 bad input (every problem is listed on stderr with \
            file:line:column); 2 usage error.
            """,
        version: TepatVersion.string,
        subcommands: [Generate.self, Validate.self, Run.self, Compare.self, Runs.self, ScenarioCommand.self, Verify.self, CompareData.self, Serve.self]
    )

    public init() {}
}

public enum TepatVersion {
    public static let string = "0.1.0"
}

/// Bad input: printed without a stack trace, exit status 1 (Docs/outputs.md).
struct InputFailure: Error, CustomStringConvertible {
    let description: String
}

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Shows problems one per line, then how many; exits 1.
func fail(with log: ProblemLog, context: String? = nil) -> ExitCode {
    for problem in log.problems { printError(problem.description) }
    if log.omitted > 0 { printError("… and \(log.omitted) more problems not shown") }
    printError("\(log.count) problem\(log.count == 1 ? "" : "s")\(context.map { " " + $0 } ?? "").")
    return ExitCode(1)
}
