import Foundation
@testable import MechFormats
import MechTensor

/// Where the input is written so `GGUFFile` can map it (tmpfs when there is one).
private let scratchFile: URL = {
    let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    return URL(fileURLWithPath: folder).appendingPathComponent("mechscope-fuzz-\(getpid()).gguf")
}()

/// libFuzzer target `gguf`: the input is a whole GGUF file. When `GGUFFile` accepts it, every tensor
/// lies inside the file, no two overlap, and every tensor of a readable type decodes to its shape.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGGUF(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    do {
        try Data(bytes: data, count: size).write(to: scratchFile)
    } catch {
        fatalError("cannot write the scratch file \(scratchFile.path): \(error)")
    }
    defer { try? FileManager.default.removeItem(at: scratchFile) }
    guard let file = attempt({ try GGUFFile(url: scratchFile) }) else { return 0 }
    check(file.dataStart % file.alignment == 0, "data section not aligned")
    check(file.metadataKeys.count == file.metadata.count, "metadata keys and values disagree")
    for info in file.tensors {
        check(info.fileByteRange.lowerBound >= file.dataStart, "tensor \(info.name) starts before the data section")
        check(info.fileByteRange.upperBound <= size, "tensor \(info.name) ends past the file")
        let (elements, bytes) = info.type.blockLayout
        check(info.elementCount / elements * bytes == info.fileByteRange.count, "tensor \(info.name) size mismatch")
        guard info.type.isReadable else {
            check(attempt({ try file.tensor(named: info.name) }) == nil, "an unreadable type was read")
            continue
        }
        guard let tensor = attempt({ try file.tensor(named: info.name) }) else { fatalError("cannot read tensor \(info.name)") }
        check(tensor.shape == info.shape, "tensor \(info.name) has the wrong shape")
        _ = tensor.scalars.reduce(0, +)
    }
    return 0
}
