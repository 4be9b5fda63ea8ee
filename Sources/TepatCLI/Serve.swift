import ArgumentParser
import Foundation
import TepatDesk
import TepatStore

extension Tepat {
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The planner's desk: Tepat in the browser, on this computer.",
            discussion: """
                Serves a web app for planners who do not use a terminal: pick a data \
                directory and see every problem of its files, fill in a scenario (every key \
                with its default and help, funders and OPDs from the data, floors per IDM \
                status) saved as YAML beside the data, run it and watch its stages, read the \
                report, sort and filter the rankings, see each village's beneficiaries, \
                download every file, compare two runs and browse the run history.

                Prints one line, the address to open, with a secret token made for this \
                start (http://127.0.0.1:8600/?token=…); every request needs it, and opening \
                the address keeps it in a cookie. The JSON API the pages use is described at \
                /openapi.yaml (send the token as Authorization: Bearer TOKEN).

                The workspace (default: the current directory) is the only folder the desk \
                reads or writes: its data directories are the folders holding \
                households.csv or households.xlsx, and runs are written under WORKSPACE/runs. \
                One run at a time; more wait their turn. Ctrl-C or SIGTERM lets a run in \
                progress stop cleanly, leaving no half-written run directory.
                """)

        @Option(help: ArgumentHelp("The folder the desk serves.", valueName: "DIR"))
        var workspace: String = "."

        @Option(help: "Address to listen on. Anything but loopback lets other computers reach the desk (with the token).")
        var host: String = "127.0.0.1"

        @Option(help: "Port to listen on (0: any free port).")
        var port: Int = 8600

        @Option(help: ArgumentHelp("Run store (SQLite) for the run history; default $TEPAT_STORE or ~/.local/share/tepat/runs.sqlite.", valueName: "FILE"))
        var store: String?

        @Flag(help: "Keep no run history.")
        var noStore = false

        func validate() throws {
            guard (0...65_535).contains(port) else { throw ValidationError("--port \(port): give a port from 0 to 65535") }
        }

        func run() throws {
            let space: Workspace
            do { space = try Workspace(path: workspace) } catch { throw InputFailure(description: error.description) }
            if !["127.0.0.1", "localhost", "::1"].contains(host) {
                printError("warning: --host \(host): the desk is reachable from other computers on this network (with the token); its data is personal data")
            }
            var configured = DeskServer(workspace: space, host: host, port: port, store: noStore ? nil : try openStore(store))
            // One line, written at once: scripts read the address from it.
            configured.onListening = { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) }
            let server = configured
            try DeskServer.block { try await server.run() }
        }
    }
}
