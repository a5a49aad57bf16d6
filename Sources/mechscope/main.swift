import Foundation
import MechFormats
import MechTensor

OpenBLASKernelSelection.ensureFastKernel()
HeapPolicy.install()
if let invalid = ArgumentBytes.firstInvalid() {
    FileHandle.standardError.write(Data("Error: \(invalid)\n".utf8))
    ProcessExit.now(64)  // EX_USAGE
}
do {
    var command = try MechscopeCommand.parseAsRoot()
    try command.run()
} catch let interrupted as DumpInterrupted {
    StandardOutput.finishOrFail()
    FileHandle.standardError.write(Data("Error: \(OneLineText.escaped(interrupted.description))\n".utf8))
    ProcessExit.now(128 + interrupted.signal)
} catch {
    ProcessExit.now(reporting: error)
}
StandardOutput.finishOrFail()
ProcessExit.now(0)
