import ArgumentParser
import Foundation
import LinearAlgebra
import TepatCLI

// OpenBLAS picks slow generic kernels on CPUs it does not recognise (common in
// VMs); restart once with the right kernel family (see KernelSelection).
if let coreType = KernelSelection.betterCoreType() {
    setenv("OPENBLAS_CORETYPE", coreType, 1)
    let arguments = CommandLine.arguments
    let argv = arguments.map { strdup($0) } + [nil]
    execv("/proc/self/exe", argv)
    // execv only returns on failure; carry on with the slower kernels.
}

// Docs/outputs.md: exit 0 success, 1 bad input or infeasible scenario, 2 usage error.
// ArgumentParser reports usage errors as 64 (EX_USAGE); map them to 2.
do {
    var command = try Tepat.parseAsRoot()
    try command.run()
} catch {
    let code = Tepat.exitCode(for: error)
    if code == .validationFailure {
        let message = Tepat.fullMessage(for: error)
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(2)
    }
    Tepat.exit(withError: error)
}
