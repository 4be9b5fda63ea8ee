import ArgumentParser
import Foundation
import TepatScenario

extension Tepat {
    struct ScenarioCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "scenario",
            abstract: "Write or check scenario files.",
            subcommands: [Init.self, Check.self])

        struct Init: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Write a commented scenario template with every key at its default.",
                discussion: """
                    Edit the copy, then: tepat run DATA_DIR --scenario FILE
                    A scenario.yaml inside DATA_DIR is used without --scenario.
                    """)
            @Argument(help: ArgumentHelp("File to write (default: scenario.yaml; '-' for standard output).", valueName: "FILE"))
            var file: String = "scenario.yaml"
            @Flag(help: "Replace the file if it exists.")
            var force = false

            func run() throws {
                let text = ScenarioWriter.yaml(Scenario(), commented: true)
                if file == "-" { print(text, terminator: ""); return }
                guard force || !FileManager.default.fileExists(atPath: file) else {
                    throw InputFailure(description: "\(file) exists; use --force to replace it")
                }
                try text.write(toFile: file, atomically: true, encoding: .utf8)
                print("Wrote \(file): every key at its default, each with a comment.")
            }
        }

        struct Check: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Read a scenario and print it as Tepat understands it, every default filled in.")
            @Argument(help: ArgumentHelp("Scenario file.", valueName: "FILE"))
            var file: String

            func run() throws {
                do {
                    print(ScenarioWriter.yaml(try ScenarioParser.load(path: file), commented: false), terminator: "")
                } catch let error as ScenarioError {
                    throw InputFailure(description: error.description)
                }
            }
        }
    }
}
